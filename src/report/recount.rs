//! The ledger counted again from its raw tables, for `check forms` and for the gate before a
//! 零报告: plain SELECTs of the records and their places, with the meaning of each count
//! written here once more in Rust — not with the store's SQL (`store::counts`) — so a fault
//! in one is seen by the other.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::Result;
use crate::model::values::{CASE_KINDS, UNVACCINATED_REASONS, VACCINE_PLACES};
use crate::store::{RawLedger, Store};

/// A report's scope and range, as the recount reads them.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// The place the report is limited to (None: the whole ledger).
    pub place: Option<i64>,
    /// The start of the range, when one was chosen.
    pub from: Option<NaiveDate>,
    pub day: NaiveDate,
    pub epoch: NaiveDate,
}

impl Span {
    /// The first day of 新增 and 当日 counts: the start of the range, or the report day.
    fn start(&self) -> NaiveDate {
        self.from.unwrap_or(self.day).min(self.day)
    }

    /// Whether a list's date lies in the range (no start: everything up to the report day).
    fn listed(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && date <= self.day
    }
}

struct Place {
    parent: Option<i64>,
    level: String,
}

struct Person {
    /// The place of their household (None without one, or with an archived one).
    place: Option<i64>,
    status: String,
    unvaccinated_reason: Option<String>,
}

struct Arrival {
    person: i64,
    kind: String,
    status: String,
    date: NaiveDate,
    destination: Option<i64>,
}

struct Period {
    person: i64,
    kind: String,
    start: NaiveDate,
    released: Option<NaiveDate>,
}

struct Stop {
    place: Option<i64>,
    day: NaiveDate,
    plate: bool,
    passengers: i64,
}

/// Everything the forms count, read plainly. Archived records and the records of archived
/// persons are left out as they are read.
pub struct Recount {
    places: HashMap<i64, Place>,
    /// Households not archived → their place.
    households: HashMap<i64, i64>,
    persons: HashMap<i64, Person>,
    /// person → household (households not archived).
    person_household: HashMap<i64, i64>,
    arrivals: Vec<Arrival>,
    periods: Vec<Period>,
    /// (person, day, abnormal)
    checks: Vec<(i64, NaiveDate, bool)>,
    /// (person, kind, reported)
    cases: Vec<(i64, String, NaiveDate)>,
    /// (contact person, level, found)
    contacts: Vec<(i64, String, NaiveDate)>,
    stops: Vec<Stop>,
    /// (person, dose, date, place kind)
    doses: Vec<(i64, i64, Option<NaiveDate>, Option<String>)>,
}

impl Recount {
    pub fn read(store: &Store) -> Result<Recount> {
        Ok(Recount::of(store.raw_ledger()?))
    }

    /// The records as they are kept: persons of an archived household have none, records of
    /// archived persons count nowhere.
    pub fn of(raw: RawLedger) -> Recount {
        let households: HashMap<i64, i64> = raw.households.into_iter().collect();
        let mut person_household = HashMap::new();
        let mut persons = HashMap::new();
        for (id, household, status, reason) in raw.persons {
            let household = household.filter(|h| households.contains_key(h));
            if let Some(h) = household {
                person_household.insert(id, h);
            }
            let place = household.and_then(|h| households.get(&h).copied());
            persons.insert(
                id,
                Person {
                    place,
                    status,
                    unvaccinated_reason: reason,
                },
            );
        }
        let live = |p: &i64| persons.contains_key(p);
        let hot = |t: Option<f64>| t.is_some_and(|t| t >= crate::validate::FEVER_THRESHOLD);
        Recount {
            places: raw
                .places
                .into_iter()
                .map(|(id, parent, level)| (id, Place { parent, level }))
                .collect(),
            arrivals: raw
                .arrivals
                .into_iter()
                .filter(|a| live(&a.0))
                .map(|(person, kind, status, date, destination)| Arrival {
                    person,
                    kind,
                    status,
                    date,
                    destination,
                })
                .collect(),
            periods: raw
                .periods
                .into_iter()
                .filter(|p| live(&p.0))
                .map(|(person, kind, start, released)| Period {
                    person,
                    kind,
                    start,
                    released,
                })
                .collect(),
            checks: raw
                .checks
                .into_iter()
                .filter(|c| live(&c.0))
                .map(|(person, day, am, pm, symptoms)| {
                    (person, day, hot(am) || hot(pm) || symptoms > 0)
                })
                .collect(),
            cases: raw.cases.into_iter().filter(|s| live(&s.0)).collect(),
            contacts: raw.contacts.into_iter().filter(|k| live(&k.0)).collect(),
            stops: raw
                .stops
                .into_iter()
                .map(|(place, day, plate, passengers)| Stop {
                    place,
                    day,
                    plate,
                    passengers,
                })
                .collect(),
            doses: raw.doses.into_iter().filter(|d| live(&d.0)).collect(),
            households,
            persons,
            person_household,
        }
    }

    /// Whether `place` is `scope` or lies under it.
    fn within(&self, place: i64, scope: i64) -> bool {
        let mut at = Some(place);
        while let Some(p) = at {
            if p == scope {
                return true;
            }
            at = self.places.get(&p).and_then(|p| p.parent);
        }
        false
    }

    /// The ancestor of `place` (itself included) at `level`.
    fn at_level(&self, place: i64, level: &str) -> Option<i64> {
        let mut at = Some(place);
        while let Some(p) = at {
            let node = self.places.get(&p)?;
            if node.level == level {
                return Some(p);
            }
            at = node.parent;
        }
        None
    }

    /// Whether something at `place` (None: nowhere) belongs to the report's scope.
    fn in_scope(&self, place: Option<i64>, span: &Span) -> bool {
        match (span.place, place) {
            (None, _) => true,
            (Some(scope), Some(place)) => self.within(place, scope),
            (Some(_), None) => false,
        }
    }

    /// The level of the rows of a per-place form for the report's place.
    pub fn unit_level(&self, span: &Span) -> &'static str {
        match span
            .place
            .and_then(|p| self.places.get(&p))
            .map(|p| p.level.as_str())
        {
            Some("网格") => "网格",
            Some("联户组") => "联户组",
            _ => "村",
        }
    }

    /// The row something at `place` counts in: Some(unit) (None: the 未分村 row), or None
    /// when it is outside the report's place.
    fn unit(&self, place: Option<i64>, span: &Span) -> Option<Option<i64>> {
        if !self.in_scope(place, span) {
            return None;
        }
        Some(place.and_then(|p| self.at_level(p, self.unit_level(span))))
    }

    fn arrival_place(&self, a: &Arrival) -> Option<i64> {
        self.persons[&a.person].place.or(a.destination)
    }

    fn came(&self, a: &Arrival, day: NaiveDate) -> bool {
        (a.kind == "返乡" || a.kind == "外来") && a.status == "已返" && a.date <= day
    }

    fn watched(&self, p: &Period, start: NaiveDate, day: NaiveDate) -> bool {
        p.start <= day && p.released.is_none_or(|r| r > start)
    }

    fn registered(&self, person: i64) -> bool {
        matches!(self.persons[&person].status.as_str(), "常住" | "外出")
    }

    /// Every count of the per-place forms, by field key, for each row (None: 未分村).
    pub fn unit_counts(&self, span: &Span) -> BTreeMap<Option<i64>, BTreeMap<String, f64>> {
        let mut rows: BTreeMap<Option<i64>, BTreeMap<String, HashSet<i64>>> = BTreeMap::new();
        let mut sums: BTreeMap<Option<i64>, BTreeMap<String, f64>> = BTreeMap::new();
        let mut add = |unit: Option<Option<i64>>, key: &str, who: i64| {
            if let Some(unit) = unit {
                rows.entry(unit)
                    .or_default()
                    .entry(key.into())
                    .or_default()
                    .insert(who);
            }
        };
        let (start, day, epoch) = (span.start(), span.day, span.epoch);
        for (&h, &place) in &self.households {
            add(self.unit(Some(place), span), "households", h);
        }
        for (&id, p) in &self.persons {
            let unit = self.unit(p.place, span);
            if self.registered(id) {
                add(unit, "registered_persons", id);
            }
            if matches!(p.status.as_str(), "常住" | "外来") {
                add(unit, "resident_persons", id);
            }
            let given = self
                .doses
                .iter()
                .any(|d| d.0 == id && d.2.is_none_or(|t| t <= day));
            if self.registered(id) && !given {
                if let Some(reason) = &p.unvaccinated_reason {
                    add(unit, "unvaccinated_total", id);
                    add(unit, &format!("unvaccinated:{reason}"), id);
                }
            }
        }
        let year_start = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
        let month_from = span.from.unwrap_or(epoch).max(epoch).max(year_start);
        for a in self.arrivals.iter().filter(|a| self.came(a, day)) {
            let unit = self.unit(self.arrival_place(a), span);
            if a.date >= span.from.unwrap_or(epoch) {
                add(unit, "returnees_total", a.person);
            }
            if a.date >= start {
                add(unit, "new_arrivals", a.person);
            }
            if a.date >= epoch {
                add(unit, "total_arrivals", a.person);
            }
            if a.date >= month_from {
                add(
                    unit,
                    &format!("returnees_month:{}", a.date.month()),
                    a.person,
                );
            }
        }
        for p in &self.periods {
            let unit = self.unit(self.persons[&p.person].place, span);
            if self.watched(p, start, day) {
                add(unit, "under_watch", p.person);
                let key = match p.kind.as_str() {
                    "居家隔离医学观察" => "home_isolation",
                    "集中隔离" => "central_isolation",
                    _ => "health_monitoring",
                };
                add(unit, key, p.person);
            }
            if p.released.is_some_and(|r| r >= start && r <= day) {
                add(unit, "released_today", p.person);
            }
        }
        for &(person, date, abnormal) in self.checks.iter().filter(|c| c.2) {
            debug_assert!(abnormal);
            let unit = self.unit(self.persons[&person].place, span);
            if date >= epoch && date <= day {
                add(unit, "abnormal_total", person);
            }
            if date > day - Duration::days(14) && date <= day {
                add(unit, "abnormal_14d", person);
            }
            if date >= start && date <= day {
                add(unit, "abnormal_today", person);
            }
        }
        for (person, kind, reported) in &self.cases {
            if *reported >= start && *reported <= day {
                let key = format!("new_cases:{kind}");
                add(self.unit(self.persons[person].place, span), &key, *person);
            }
        }
        for (person, level, found) in &self.contacts {
            if *found >= start && *found <= day {
                let key = if level == "密接" {
                    "new_close_contacts"
                } else {
                    "new_second_contacts"
                };
                if level == "密接" || level == "次密接" {
                    add(self.unit(self.persons[person].place, span), key, *person);
                }
            }
        }
        for d in &self.doses {
            if !self.registered(d.0) || d.2.is_some_and(|t| t > day) || !(1..=3).contains(&d.1) {
                continue;
            }
            let unit = self.unit(self.persons[&d.0].place, span);
            add(unit, &format!("dose:{}:total", d.1), d.0);
            let place = d.3.as_deref().unwrap_or("不详");
            add(unit, &format!("dose:{}:{place}", d.1), d.0);
        }
        for s in self.stops.iter().filter(|s| s.day >= start && s.day <= day) {
            if let Some(unit) = self.unit(s.place, span) {
                let row = sums.entry(unit).or_default();
                *row.entry("checkpoint_people".into()).or_default() += 1.0 + s.passengers as f64;
                *row.entry("checkpoint_vehicles".into()).or_default() +=
                    f64::from(u8::from(s.plate));
            }
        }
        for (unit, counts) in rows {
            let row = sums.entry(unit).or_default();
            for (key, who) in counts {
                row.insert(key, who.len() as f64);
            }
        }
        sums
    }

    /// Every key `unit_counts` can give (a row without a key counts 0 there).
    pub fn unit_keys() -> Vec<String> {
        let mut keys: Vec<String> = [
            "households",
            "registered_persons",
            "resident_persons",
            "returnees_total",
            "abnormal_total",
            "abnormal_14d",
            "new_arrivals",
            "total_arrivals",
            "home_isolation",
            "central_isolation",
            "health_monitoring",
            "under_watch",
            "released_today",
            "abnormal_today",
            "new_close_contacts",
            "new_second_contacts",
            "checkpoint_people",
            "checkpoint_vehicles",
            "unvaccinated_total",
        ]
        .map(String::from)
        .to_vec();
        keys.extend(CASE_KINDS.iter().map(|k| format!("new_cases:{k}")));
        keys.extend((1..=12).map(|m| format!("returnees_month:{m}")));
        for dose in 1..=3 {
            keys.push(format!("dose:{dose}:total"));
            keys.extend(VACCINE_PLACES.iter().map(|p| format!("dose:{dose}:{p}")));
            keys.push(format!("dose:{dose}:不详"));
        }
        keys.extend(
            UNVACCINATED_REASONS
                .iter()
                .map(|r| format!("unvaccinated:{r}")),
        );
        keys
    }

    /// What a built-in list holds for the report's place and range: (rows, a second measure
    /// — the passengers of the checkpoint list), or None for a form that is not a list.
    pub fn list(&self, template_id: &str, span: &Span) -> Option<(f64, f64)> {
        let (start, day) = (span.start(), span.day);
        let person_place = |p: i64| self.persons[&p].place;
        let count = |n: usize| Some((n as f64, 0.0));
        match template_id {
            "returnees" | "sars_observation" => count(
                self.arrivals
                    .iter()
                    .filter(|a| {
                        self.came(a, day)
                            && span.listed(a.date)
                            && self.in_scope(self.arrival_place(a), span)
                    })
                    .count(),
            ),
            "home_isolation" | "health_log_by_person" => count(
                self.periods
                    .iter()
                    .filter(|p| {
                        (template_id == "health_log_by_person" || p.kind == "居家隔离医学观察")
                            && self.watched(p, start, day)
                            && self.in_scope(person_place(p.person), span)
                    })
                    .count(),
            ),
            "health_log" => count(
                self.checks
                    .iter()
                    .filter(|c| span.listed(c.1) && self.in_scope(person_place(c.0), span))
                    .count(),
            ),
            "cases" => count(
                self.cases
                    .iter()
                    .filter(|c| span.listed(c.2) && self.in_scope(person_place(c.0), span))
                    .count(),
            ),
            "close_contacts" => count(
                self.contacts
                    .iter()
                    .filter(|k| {
                        (k.1 == "密接" || k.1 == "次密接")
                            && span.listed(k.2)
                            && self.in_scope(person_place(k.0), span)
                    })
                    .count(),
            ),
            "checkpoint_checks" => {
                let stops: Vec<&Stop> = self
                    .stops
                    .iter()
                    .filter(|s| span.listed(s.day) && self.in_scope(s.place, span))
                    .collect();
                Some((
                    stops.len() as f64,
                    stops.iter().map(|s| s.passengers as f64).sum(),
                ))
            }
            _ => None,
        }
    }

    /// 返乡人数 of each household (None: 未分户) in the report's place and range: persons
    /// who came home (返乡, 已返), each once.
    pub fn household_returnees(&self, span: &Span) -> BTreeMap<Option<i64>, f64> {
        let from = span.from.unwrap_or(span.epoch);
        let mut who: BTreeMap<Option<i64>, HashSet<i64>> = BTreeMap::new();
        for a in &self.arrivals {
            if a.kind != "返乡" || a.status != "已返" || a.date < from || a.date > span.day {
                continue;
            }
            let household = self.person_household.get(&a.person).copied();
            let place = match household {
                Some(h) => self.households.get(&h).copied(),
                None => a.destination,
            };
            if self.in_scope(place, span) {
                who.entry(household).or_default().insert(a.person);
            }
        }
        who.into_iter().map(|(h, w)| (h, w.len() as f64)).collect()
    }

    /// What the lists of a per-place form's scope hold in its range, for the gate before a
    /// 零报告: (what, how many), only those above zero.
    pub fn not_empty(&self, span: &Span) -> Vec<(&'static str, f64)> {
        let counts = self.unit_counts(span);
        let total = |key: &str| -> f64 { counts.values().filter_map(|row| row.get(key)).sum() };
        [
            ("新增来(返)乡人员", "new_arrivals"),
            ("在管隔离或健康监测人员", "under_watch"),
            ("解除隔离人员", "released_today"),
            ("发热或异常人员", "abnormal_today"),
            ("新增确诊病例", "new_cases:确诊"),
            ("新增无症状感染者", "new_cases:无症状感染者"),
            ("新增疑似病例", "new_cases:疑似"),
            ("新增密接", "new_close_contacts"),
            ("新增次密接", "new_second_contacts"),
            ("卡口检查人次", "checkpoint_people"),
        ]
        .into_iter()
        .map(|(what, key)| (what, total(key)))
        .filter(|(_, n)| *n > 0.0)
        .collect()
    }
}
