//! Issues 8 and 13, "forms that agree at every level": a property test over seeded random
//! townships — two villages with grids and 联户组, households kept on the township itself and
//! households archived, arrivals 已返 and 将返 (some persons twice), periods of every type
//! starting and ending around the report day, readings, doses of 户籍 and 外来 persons (some
//! without 接种地点), contacts (some persons on two cases' links), checkpoint stops, archived
//! records — in which every count of every built-in form, for the whole ledger, the township,
//! each village, a grid and a 联户组, on several report days and ranges, equals the same count
//! worked out here in Rust from the raw tables read with plain SELECTs (not from the core's
//! SQL), and `check forms` finds nothing; then one test per disagreement issue 8 found.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use gridledger::entry::{self, Reading, RecordInput, Traveller};
use gridledger::model::{Entity, HouseholdInput, PersonInput, PlaceInput};
use gridledger::report::{self, ReportParams};
use gridledger::Store;
use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The ledger's "today" while the records are typed: every report day is on or before it, so
/// each form also sees records dated after its report day, which must not count.
const LAST: &str = "2026-11-30";
const VILLAGES: [&str; 2] = ["东坪村", "西坪村"];

/// A seeded source of choices.
struct Dice(TestRng);

impl Dice {
    fn new(seed: u64) -> Dice {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Dice(TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
    }
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        from + Duration::days(self.below((to - from).num_days() as usize + 1) as i64)
    }
}

fn values(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn save(store: &Store, input: RecordInput) -> i64 {
    entry::save(store, &input)
        .unwrap_or_else(|e| panic!("{:?}: {e:?}", input.kind))
        .id
}

/// A random ledger of two villages (and persons and a checkpoint belonging to none), written
/// through the core's entry functions as a cadre would type it.
fn random_ledger(path: &Path, seed: u64) -> Store {
    let mut dice = Dice::new(seed);
    let mut store = Store::create(path).unwrap();
    let last = date(LAST);
    store.set_today(last);
    let epoch = *dice.pick(&["2026-01-01", "2026-11-01", "2026-11-10"]);
    store
        .set_setting(gridledger::store::counts::EPOCH_SETTING, epoch)
        .unwrap();
    let place = |store: &Store, parent: Option<i64>, level: &str, name: &str| {
        store
            .add_place(&PlaceInput {
                parent_id: parent,
                level: level.into(),
                name: name.into(),
                ..Default::default()
            })
            .unwrap()
            .id
    };
    let town = place(&store, None, "乡镇", "青山镇");
    let mut grids = Vec::new();
    let mut village_ids = Vec::new();
    for v in VILLAGES {
        let id = place(&store, Some(town), "村", v);
        village_ids.push(id);
        for g in ["第一网格", "第二网格"] {
            let grid = place(&store, Some(id), "网格", g);
            grids.push(grid);
            // A 联户组 under the first grid: households hang on it too.
            if g == "第一网格" {
                grids.push(place(&store, Some(grid), "联户组", "第一组"));
            }
        }
    }
    // A household straight under the town: it belongs to no village.
    grids.push(town);

    let mut persons = Vec::new();
    let mut households = Vec::new();
    for (n, grid) in (0..26).map(|n| (n, grids[n % grids.len()])) {
        let household = store
            .save_household(&HouseholdInput {
                place_id: Some(grid),
                door_name: "街".into(),
                door_number: format!("{n}号"),
                ..Default::default()
            })
            .unwrap()
            .id;
        for _ in 0..1 + dice.below(4) {
            persons.push(Some(household));
        }
        households.push(household);
    }
    for _ in 0..4 {
        persons.push(None);
    }
    let mut person_ids = Vec::new();
    for (n, household) in persons.into_iter().enumerate() {
        let status = *dice.pick(&["常住", "常住", "常住", "外出", "外来", "已迁出"]);
        let reason = if dice.chance(15) {
            dice.pick(&["未成年", "因病", "高龄", "其他"]).to_string()
        } else {
            String::new()
        };
        let id = store
            .save_person(&PersonInput {
                name: format!("人{n}"),
                household_id: household,
                residence_status: status.into(),
                unvaccinated_reason: reason,
                ..Default::default()
            })
            .unwrap()
            .person
            .id;
        person_ids.push(id);
    }

    let early = date("2026-10-01");
    for &p in &person_ids {
        if dice.chance(40) {
            let kind = *dice.pick(&["返乡", "返乡", "外来", "来访"]);
            let status = if dice.chance(20) { "将返" } else { "已返" };
            let v = vec![
                ("kind", kind.to_string()),
                ("status", status.to_string()),
                ("arrival_date", dice.day(early, last).to_string()),
                ("origin", "广东省深圳市".to_string()),
            ];
            let id = save(
                &store,
                RecordInput {
                    kind: Some(Entity::Arrival),
                    person_id: Some(p),
                    values: values(&v),
                    ..Default::default()
                },
            );
            if dice.chance(8) {
                entry::archive(&store, Entity::Arrival, id).unwrap();
            }
            // Some come twice (a person, not two: 累计 counts them once).
            if dice.chance(30) {
                save(
                    &store,
                    RecordInput {
                        kind: Some(Entity::Arrival),
                        person_id: Some(p),
                        values: values(&[
                            ("kind", kind.to_string()),
                            ("status", "已返".to_string()),
                            ("arrival_date", dice.day(early, last).to_string()),
                        ]),
                        ..Default::default()
                    },
                );
            }
        }
        if dice.chance(30) {
            let kind = *dice.pick(&["居家隔离医学观察", "集中隔离", "居家健康监测"]);
            let start = dice.day(date("2026-10-10"), last);
            let end = start + Duration::days(13);
            let id = save(
                &store,
                RecordInput {
                    kind: Some(Entity::Isolation),
                    person_id: Some(p),
                    values: values(&[
                        ("kind", kind.to_string()),
                        ("start_date", start.to_string()),
                        ("planned_end_date", end.to_string()),
                    ]),
                    ..Default::default()
                },
            );
            let released = (dice.chance(50) && start < last).then(|| {
                dice.day(
                    start + Duration::days(1),
                    (end + Duration::days(3)).min(last),
                )
            });
            let mut day = start;
            while day <= released.unwrap_or(last).min(last) {
                if dice.chance(70) {
                    let temp = |dice: &mut Dice| {
                        if dice.chance(8) {
                            format!("{:.1}", 37.3 + dice.below(10) as f64 / 10.0)
                        } else {
                            format!("{:.1}", 36.0 + dice.below(10) as f64 / 10.0)
                        }
                    };
                    entry::record_reading(
                        &store,
                        &Reading {
                            person_id: p,
                            date: day.to_string(),
                            am: temp(&mut dice),
                            pm: if dice.chance(80) {
                                temp(&mut dice)
                            } else {
                                String::new()
                            },
                            symptoms: if dice.chance(5) {
                                "干咳".into()
                            } else {
                                String::new()
                            },
                        },
                    )
                    .unwrap();
                }
                day += Duration::days(1);
            }
            if let Some(day) = released {
                entry::release(&store, id, Some(&day.to_string())).unwrap();
            }
            if dice.chance(5) {
                entry::archive(&store, Entity::Isolation, id).unwrap();
            }
        }
        if dice.chance(50) {
            let mut day = date("2021-04-01");
            for dose in 1..=1 + dice.below(3) {
                day = dice.day(day + Duration::days(1), last);
                let mut v = vec![("dose", dose.to_string())];
                // Some doses have no 接种地点: the forms count them under 不详.
                if dice.chance(85) {
                    v.push(("place_kind", dice.pick(&["本地", "异地"]).to_string()));
                }
                if dice.chance(90) {
                    v.push(("vaccine_date", day.to_string()));
                }
                save(
                    &store,
                    RecordInput {
                        kind: Some(Entity::Vaccination),
                        person_id: Some(p),
                        values: values(&v),
                        ..Default::default()
                    },
                );
            }
        }
    }

    // Cases and their contacts, 次密接 through a 密接.
    let mut contacts = Vec::new();
    for _ in 0..2 {
        let patient = *dice.pick(&person_ids);
        let case = save(
            &store,
            RecordInput {
                kind: Some(Entity::Case),
                person_id: Some(patient),
                values: values(&[
                    ("reported_date", dice.day(early, last).to_string()),
                    (
                        "kind",
                        dice.pick(&["确诊", "无症状感染者", "疑似"]).to_string(),
                    ),
                ]),
                ..Default::default()
            },
        );
        let mut taken = HashSet::from([patient]);
        for _ in 0..6 {
            // The same few persons meet both cases now and then: two links, one person.
            let p = if dice.chance(30) {
                person_ids[dice.below(4)]
            } else {
                *dice.pick(&person_ids)
            };
            if !taken.insert(p) {
                continue;
            }
            let source = contacts
                .last()
                .copied()
                .filter(|&(_, met)| met != p && dice.chance(35));
            let found = dice.day(early, last);
            let id = save(
                &store,
                RecordInput {
                    kind: Some(Entity::Contact),
                    person_id: Some(p),
                    case_id: source.is_none().then_some(case),
                    source_contact_id: source.map(|(id, _)| id),
                    values: values(&[
                        (
                            "level",
                            if source.is_some() {
                                "次密接"
                            } else {
                                "密接"
                            }
                            .into(),
                        ),
                        ("found_date", found.to_string()),
                        ("last_contact_date", found.to_string()),
                    ]),
                    ..Default::default()
                },
            );
            if source.is_none() {
                contacts.push((id, p));
            }
            if dice.chance(8) {
                entry::archive(&store, Entity::Contact, id).unwrap();
            }
        }
    }

    // Checkpoints in each village and one belonging to none; stops with named passengers.
    let mut sites = Vec::new();
    for (n, village) in VILLAGES.iter().map(Some).chain([None]).enumerate() {
        let mut v = vec![("name", format!("卡口{n}"))];
        if let Some(village) = village {
            v.push(("place", village.to_string()));
        }
        sites.push(save(
            &store,
            RecordInput {
                kind: Some(Entity::Checkpoint),
                values: values(&v),
                ..Default::default()
            },
        ));
    }
    for n in 0..40 {
        let day = dice.day(date("2026-10-25"), last - Duration::days(1));
        let mut v = vec![
            (
                "checked_at",
                format!("{day} {:02}:{:02}", dice.below(24), dice.below(60)),
            ),
            ("temperature", "36.5".to_string()),
        ];
        if dice.chance(70) {
            v.push(("plate", format!("湘A{:05}", 10_000 + n)));
        }
        let passengers = (0..dice.below(4))
            .map(|k| Traveller {
                values: values(&[("name", format!("乘客{n}_{k}"))]),
                ..Default::default()
            })
            .collect();
        let id = save(
            &store,
            RecordInput {
                kind: Some(Entity::CheckpointCheck),
                checkpoint_id: Some(*dice.pick(&sites)),
                driver: Some(Traveller {
                    values: values(&[("name", format!("司机{n}"))]),
                    ..Default::default()
                }),
                passengers,
                values: values(&v),
                ..Default::default()
            },
        );
        if dice.chance(5) {
            entry::archive(&store, Entity::CheckpointCheck, id).unwrap();
        }
    }
    // Some persons archived, their records with them out of every count; some households
    // archived, their members kept as persons of no household.
    for &p in &person_ids {
        if dice.chance(4) {
            entry::archive(&store, Entity::Person, p).unwrap();
        }
    }
    for &h in &households {
        if dice.chance(6) {
            store.archive_household(h).unwrap();
        }
    }
    store
}

/// The raw tables, read with plain SELECTs: what the counts below are worked out from.
/// Places are kept as ids; a person's place is their household's (none when the household
/// is archived), an arrival's the person's or else the one it names.
struct Raw {
    /// The epidemic's start as set (a report day before it counts 累计 from 1 January).
    epoch_setting: NaiveDate,
    /// place → (parent, level, name)
    places: HashMap<i64, (Option<i64>, String, String)>,
    /// person → (place, residence, unvaccinated reason); archived persons left out.
    persons: HashMap<i64, (Option<i64>, String, Option<String>)>,
    /// person → household (not archived)
    person_household: HashMap<i64, i64>,
    /// (household, place), households not archived
    households: Vec<(i64, i64)>,
    /// (person, kind, status, date, place)
    arrivals: Vec<(i64, String, String, NaiveDate, Option<i64>)>,
    periods: Vec<(i64, String, NaiveDate, Option<NaiveDate>)>,
    /// (person, day, abnormal)
    checks: Vec<(i64, NaiveDate, bool)>,
    /// (person, dose, date, place kind)
    doses: Vec<(i64, i64, Option<NaiveDate>, Option<String>)>,
    /// (person, kind, reported)
    cases: Vec<(i64, String, NaiveDate)>,
    /// (person, level, found)
    contacts: Vec<(i64, String, NaiveDate)>,
    /// (place, day, plate, passengers)
    stops: Vec<(Option<i64>, NaiveDate, bool, i64)>,
}

fn read_raw(path: &Path) -> Raw {
    let c = rusqlite::Connection::open(path).unwrap();
    let rows = |sql: &str| -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = c.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    use rusqlite::types::Value as V;
    let int = |v: &V| match v {
        V::Integer(n) => *n,
        other => panic!("{other:?}"),
    };
    let maybe = |v: &V| matches!(v, V::Integer(_)).then(|| int(v));
    let text = |v: &V| match v {
        V::Text(t) => Some(t.clone()),
        V::Null => None,
        other => panic!("{other:?}"),
    };
    let day = |v: &V| text(v).map(|t| date(&t[..10]));

    let places = rows("SELECT id, parent_id, level, name FROM places")
        .iter()
        .map(|r| {
            (
                int(&r[0]),
                (maybe(&r[1]), text(&r[2]).unwrap(), text(&r[3]).unwrap()),
            )
        })
        .collect();
    let households: Vec<(i64, i64)> =
        rows("SELECT id, place_id FROM households WHERE archived_at IS NULL")
            .iter()
            .map(|r| (int(&r[0]), int(&r[1])))
            .collect();
    let household_place: HashMap<i64, i64> = households.iter().copied().collect();
    let mut person_household = HashMap::new();
    let persons: HashMap<i64, (Option<i64>, String, Option<String>)> = rows(
        "SELECT id, household_id, residence_status, unvaccinated_reason FROM persons WHERE archived_at IS NULL",
    )
    .iter()
    .map(|r| {
        let household = maybe(&r[1]).filter(|h| household_place.contains_key(h));
        if let Some(h) = household {
            person_household.insert(int(&r[0]), h);
        }
        let place = household.map(|h| household_place[&h]);
        (int(&r[0]), (place, text(&r[2]).unwrap(), text(&r[3])))
    })
    .collect();
    let live = |p: i64| persons.contains_key(&p);
    let epoch = rows("SELECT value FROM settings WHERE key = 'epidemic_start'")
        .first()
        .and_then(|r| day(&r[0]))
        .unwrap();
    Raw {
        epoch_setting: epoch,
        places,
        households,
        arrivals: rows("SELECT person_id, kind, status, arrival_date, destination_place_id FROM arrivals WHERE archived_at IS NULL")
            .iter()
            .filter(|r| live(int(&r[0])))
            .map(|r| {
                let p = int(&r[0]);
                let place = persons[&p].0.or(maybe(&r[4]));
                (p, text(&r[1]).unwrap(), text(&r[2]).unwrap(), day(&r[3]).unwrap(), place)
            })
            .collect(),
        periods: rows("SELECT person_id, kind, start_date, released_date FROM isolations WHERE archived_at IS NULL")
            .iter()
            .filter(|r| live(int(&r[0])))
            .map(|r| (int(&r[0]), text(&r[1]).unwrap(), day(&r[2]).unwrap(), day(&r[3])))
            .collect(),
        checks: rows(
            "SELECT person_id, check_date, coalesce(am_temperature, 0) >= 37.3 OR coalesce(pm_temperature, 0) >= 37.3
               OR fever OR dry_cough OR fatigue OR sore_throat OR smell_taste_loss OR diarrhea
             FROM health_checks WHERE archived_at IS NULL",
        )
        .iter()
        .filter(|r| live(int(&r[0])))
        .map(|r| (int(&r[0]), day(&r[1]).unwrap(), int(&r[2]) != 0))
        .collect(),
        doses: rows("SELECT person_id, dose, vaccine_date, place_kind FROM vaccinations WHERE archived_at IS NULL")
            .iter()
            .filter(|r| live(int(&r[0])))
            .map(|r| (int(&r[0]), int(&r[1]), day(&r[2]), text(&r[3])))
            .collect(),
        cases: rows("SELECT person_id, kind, reported_date FROM cases WHERE archived_at IS NULL")
            .iter()
            .filter(|r| live(int(&r[0])))
            .map(|r| (int(&r[0]), text(&r[1]).unwrap(), day(&r[2]).unwrap()))
            .collect(),
        contacts: rows(
            "SELECT k.contact_person_id, k.level, k.found_date FROM contacts k JOIN cases c ON c.id = k.case_id
             WHERE k.archived_at IS NULL AND c.archived_at IS NULL",
        )
        .iter()
        .filter(|r| live(int(&r[0])))
        .map(|r| (int(&r[0]), text(&r[1]).unwrap(), day(&r[2]).unwrap()))
        .collect(),
        stops: rows(
            "SELECT k.place_id, x.checked_at, x.plate IS NOT NULL, x.passenger_count
             FROM checkpoint_checks x JOIN checkpoints k ON k.id = x.checkpoint_id WHERE x.archived_at IS NULL",
        )
        .iter()
        .map(|r| (maybe(&r[0]), day(&r[1]).unwrap(), int(&r[2]) != 0, int(&r[3])))
        .collect(),
        persons,
        person_household,
    }
}

/// Where a report looks: a place (None: the whole ledger), a range and a report day.
#[derive(Clone, Copy, Debug)]
struct Scope {
    place: Option<i64>,
    from: Option<NaiveDate>,
    day: NaiveDate,
}

impl Scope {
    fn start(&self) -> NaiveDate {
        self.from.unwrap_or(self.day)
    }
    fn listed(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| d >= f) && d <= self.day
    }
}

impl Raw {
    /// The start 累计 counts from for report day `d`, as each form's footnote states it.
    fn epoch(&self, d: NaiveDate) -> NaiveDate {
        if self.epoch_setting <= d {
            self.epoch_setting
        } else {
            NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap()
        }
    }
    fn ancestors(&self, place: i64) -> Vec<i64> {
        let mut out = vec![place];
        while let Some(parent) = self.places[out.last().unwrap()].0 {
            out.push(parent);
        }
        out
    }
    /// The level of the rows of a per-place form for `scope`.
    fn row_level(&self, scope: &Scope) -> &'static str {
        match scope.place.map(|p| self.places[&p].1.as_str()) {
            Some("网格") => "网格",
            Some("联户组") => "联户组",
            _ => "村",
        }
    }
    fn in_scope(&self, place: Option<i64>, scope: &Scope) -> bool {
        match (scope.place, place) {
            (None, _) => true,
            (Some(s), Some(p)) => self.ancestors(p).contains(&s),
            (Some(_), None) => false,
        }
    }
    /// The row of a per-place form something at `place` counts in (None: 未分村), or None
    /// outside the scope.
    fn row_of(&self, place: Option<i64>, scope: &Scope) -> Option<Option<i64>> {
        if !self.in_scope(place, scope) {
            return None;
        }
        let level = self.row_level(scope);
        Some(place.and_then(|p| {
            self.ancestors(p)
                .into_iter()
                .find(|a| self.places[a].1 == level)
        }))
    }
    /// The rows a per-place form has for `scope`, by the name it shows: every place at the
    /// row level within the scope.
    fn row_names(&self, scope: &Scope) -> BTreeMap<Option<i64>, String> {
        let level = self.row_level(scope);
        let mut names: BTreeMap<Option<i64>, String> = self
            .places
            .iter()
            .filter(|(&id, p)| p.1 == level && self.in_scope(Some(id), scope))
            .map(|(&id, p)| {
                let name = if level == "村" {
                    p.2.clone()
                } else {
                    let village = self
                        .ancestors(id)
                        .into_iter()
                        .find(|a| self.places[a].1 == "村")
                        .map(|v| format!("{}/", self.places[&v].2))
                        .unwrap_or_default();
                    format!("{village}{}", p.2)
                };
                (Some(id), name)
            })
            .collect();
        names.insert(None, "未分村（社区）".into());
        names
    }
    fn registered(&self, p: i64) -> bool {
        matches!(self.persons[&p].1.as_str(), "常住" | "外出")
    }
    fn came(&self, a: &(i64, String, String, NaiveDate, Option<i64>), d: NaiveDate) -> bool {
        matches!(a.1.as_str(), "返乡" | "外来") && a.2 == "已返" && a.3 <= d
    }
    fn watched(&self, p: &(i64, String, NaiveDate, Option<NaiveDate>), s: &Scope) -> bool {
        p.2 <= s.day && p.3.is_none_or(|r| r > s.start())
    }

    /// Every count of the per-place forms, by row and field key.
    fn unit_counts(&self, s: &Scope) -> BTreeMap<Option<i64>, BTreeMap<String, f64>> {
        let mut who: BTreeMap<Option<i64>, BTreeMap<String, HashSet<i64>>> = BTreeMap::new();
        let mut put = |row: Option<Option<i64>>, key: String, id: i64| {
            if let Some(row) = row {
                who.entry(row)
                    .or_default()
                    .entry(key)
                    .or_default()
                    .insert(id);
            }
        };
        let d = s.day;
        let epoch = self.epoch(d);
        let person_row = |p: i64| self.row_of(self.persons[&p].0, s);
        for &(h, place) in &self.households {
            put(self.row_of(Some(place), s), "households".into(), h);
        }
        let given = |x: &(i64, i64, Option<NaiveDate>, Option<String>)| x.2.is_none_or(|t| t <= d);
        for (&p, (_, status, reason)) in &self.persons {
            if self.registered(p) {
                put(person_row(p), "registered_persons".into(), p);
                let vaccinated = self.doses.iter().any(|x| x.0 == p && given(x));
                if let (Some(reason), false) = (reason, vaccinated) {
                    put(person_row(p), "unvaccinated_total".into(), p);
                    put(person_row(p), format!("unvaccinated:{reason}"), p);
                }
            }
            if matches!(status.as_str(), "常住" | "外来") {
                put(person_row(p), "resident_persons".into(), p);
            }
        }
        let year_start = NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap();
        for a in self.arrivals.iter().filter(|a| self.came(a, d)) {
            let row = self.row_of(a.4, s);
            if a.3 >= s.start() {
                put(row, "new_arrivals".into(), a.0);
            }
            if a.3 >= epoch {
                put(row, "total_arrivals".into(), a.0);
            }
            if a.3 >= s.from.unwrap_or(epoch) {
                put(row, "returnees_total".into(), a.0);
            }
            if a.3 >= s.from.unwrap_or(epoch).max(epoch).max(year_start) {
                put(row, format!("returnees_month:{}", a.3.month()), a.0);
            }
        }
        for p in &self.periods {
            if self.watched(p, s) {
                let key = match p.1.as_str() {
                    "居家隔离医学观察" => "home_isolation",
                    "集中隔离" => "central_isolation",
                    _ => "health_monitoring",
                };
                put(person_row(p.0), key.into(), p.0);
                put(person_row(p.0), "under_watch".into(), p.0);
            }
            if p.3.is_some_and(|r| r >= s.start() && r <= d) {
                put(person_row(p.0), "released_today".into(), p.0);
            }
        }
        for c in self.checks.iter().filter(|c| c.2) {
            if c.1 >= s.start() && c.1 <= d {
                put(person_row(c.0), "abnormal_today".into(), c.0);
            }
            if c.1 >= epoch && c.1 <= d {
                put(person_row(c.0), "abnormal_total".into(), c.0);
            }
            if c.1 > d - Duration::days(14) && c.1 <= d {
                put(person_row(c.0), "abnormal_14d".into(), c.0);
            }
        }
        for c in &self.cases {
            if c.2 >= s.start() && c.2 <= d {
                put(person_row(c.0), format!("new_cases:{}", c.1), c.0);
            }
        }
        for k in &self.contacts {
            if k.2 >= s.start() && k.2 <= d {
                let key = if k.1 == "密接" {
                    "new_close_contacts"
                } else {
                    "new_second_contacts"
                };
                put(person_row(k.0), key.into(), k.0);
            }
        }
        for x in self
            .doses
            .iter()
            .filter(|x| given(x) && self.registered(x.0))
        {
            put(person_row(x.0), format!("dose:{}:total", x.1), x.0);
            let place = x.3.clone().unwrap_or_else(|| "不详".into());
            put(person_row(x.0), format!("dose:{}:{place}", x.1), x.0);
        }
        let mut out: BTreeMap<Option<i64>, BTreeMap<String, f64>> = who
            .into_iter()
            .map(|(row, keys)| {
                (
                    row,
                    keys.into_iter().map(|(k, v)| (k, v.len() as f64)).collect(),
                )
            })
            .collect();
        for stop in self.stops.iter().filter(|x| x.1 >= s.start() && x.1 <= d) {
            if let Some(row) = self.row_of(stop.0, s) {
                let counts = out.entry(row).or_default();
                *counts.entry("checkpoint_people".into()).or_default() += 1.0 + stop.3 as f64;
                *counts.entry("checkpoint_vehicles".into()).or_default() +=
                    f64::from(u8::from(stop.2));
            }
        }
        out
    }

    /// How many rows each built-in list has for `scope`.
    fn list_rows(&self, id: &str, s: &Scope) -> usize {
        let person_in = |p: i64| self.in_scope(self.persons[&p].0, s);
        match id {
            "returnees" | "sars_observation" => self
                .arrivals
                .iter()
                .filter(|a| self.came(a, s.day) && s.listed(a.3) && self.in_scope(a.4, s))
                .count(),
            "home_isolation" => self
                .periods
                .iter()
                .filter(|p| p.1 == "居家隔离医学观察" && self.watched(p, s) && person_in(p.0))
                .count(),
            "health_log_by_person" => self
                .periods
                .iter()
                .filter(|p| self.watched(p, s) && person_in(p.0))
                .count(),
            "health_log" => self
                .checks
                .iter()
                .filter(|c| s.listed(c.1) && person_in(c.0))
                .count(),
            "cases" => self
                .cases
                .iter()
                .filter(|c| s.listed(c.2) && person_in(c.0))
                .count(),
            "close_contacts" => self
                .contacts
                .iter()
                .filter(|k| s.listed(k.2) && person_in(k.0))
                .count(),
            "checkpoint_checks" => self
                .stops
                .iter()
                .filter(|x| s.listed(x.1) && self.in_scope(x.0, s))
                .count(),
            other => panic!("not a list: {other}"),
        }
    }

    /// 返乡人数 per household (None: 未分户), each person once.
    fn household_returnees(&self, s: &Scope) -> BTreeMap<Option<i64>, usize> {
        let mut who: BTreeMap<Option<i64>, HashSet<i64>> = BTreeMap::new();
        let from = s.from.unwrap_or(self.epoch(s.day));
        for a in &self.arrivals {
            if a.1 == "返乡"
                && a.2 == "已返"
                && a.3 >= from
                && a.3 <= s.day
                && self.in_scope(a.4, s)
            {
                who.entry(self.person_household.get(&a.0).copied())
                    .or_default()
                    .insert(a.0);
            }
        }
        who.into_iter().map(|(h, w)| (h, w.len())).collect()
    }
}

/// The rows of a form as the preview (= the export) shows them, and its field keys.
fn form_for(store: &Store, id: &str, params: &ReportParams) -> (Vec<String>, Vec<Vec<String>>) {
    let template = report::template(store, id).unwrap();
    let preview = report::preview(store, &template, params, 100_000).unwrap();
    let keys = template.columns.iter().map(|c| c.field.clone()).collect();
    (keys, preview.rows)
}

/// The rows of a form for the whole ledger.
fn form(
    store: &Store,
    id: &str,
    from: Option<NaiveDate>,
    d: NaiveDate,
) -> (Vec<String>, Vec<Vec<String>>) {
    let params = ReportParams {
        from,
        to: Some(d),
        village: None,
        mask: false,
    };
    form_for(store, id, &params)
}

#[test]
fn every_count_on_every_form_matches_the_ledger_at_every_level_day_and_range() {
    // Counts seen above zero somewhere: the ledgers must exercise what they compare.
    let mut seen: HashSet<String> = HashSet::new();
    let mut scopes_seen: HashSet<String> = HashSet::new();
    for seed in 1..=4u64 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let store = random_ledger(&path, seed);
        let raw = read_raw(&path);
        // The whole ledger, the township, each village, a grid and a 联户组.
        let mut places: Vec<Option<i64>> = vec![None];
        for level in ["乡镇", "村", "网格", "联户组"] {
            let mut at: Vec<i64> = raw
                .places
                .iter()
                .filter(|(_, p)| p.1 == level)
                .map(|(&id, _)| id)
                .collect();
            at.sort();
            at.truncate(if level == "村" { 2 } else { 1 });
            places.extend(at.into_iter().map(Some));
        }
        for d in ["2026-11-03", "2026-11-22", "2026-11-30"].map(date) {
            for from in [None, Some(d - Duration::days(6))] {
                for &place in &places {
                    let scope = Scope {
                        place,
                        from,
                        day: d,
                    };
                    let level = place.map_or("台账", |p| raw.places[&p].1.as_str());
                    scopes_seen.insert(level.to_string());
                    let at = format!(
                        "seed {seed}, day {d}, from {from:?}, {level} {place:?}, epoch {}",
                        raw.epoch(d)
                    );
                    let params = ReportParams {
                        from,
                        to: Some(d),
                        village: place.map(|p| p.to_string()),
                        mask: false,
                    };
                    let expected = raw.unit_counts(&scope);
                    let names = raw.row_names(&scope);
                    for id in ["daily_report", "returnee_stats", "vaccination_stats"] {
                        let (keys, rows) = form_for(&store, id, &params);
                        for (unit, name) in &names {
                            let counts = expected.get(unit).cloned().unwrap_or_default();
                            let row = rows.iter().find(|r| r[0] == *name);
                            // The 未分村 row is there exactly when it counts something; every
                            // place of the row level is there.
                            let counted = keys
                                .iter()
                                .skip(1)
                                .any(|k| counts.get(k).is_some_and(|n| *n != 0.0));
                            if unit.is_none() {
                                assert_eq!(
                                    row.is_some(),
                                    counted,
                                    "{at}: 《{id}》 未分村 row {rows:?}"
                                );
                            } else {
                                assert!(
                                    row.is_some(),
                                    "{at}: 《{id}》 has no row {name}: {rows:?}"
                                );
                            }
                            for (i, key) in keys.iter().enumerate().skip(1) {
                                let want = counts.get(key).copied().unwrap_or(0.0);
                                let got =
                                    row.map_or(0.0, |r| r[i].parse::<f64>().unwrap_or(f64::NAN));
                                assert_eq!(got, want, "{at}: 《{id}》 {name} {key}");
                                if want > 0.0 {
                                    seen.insert(key.clone());
                                }
                            }
                        }
                        assert_eq!(
                            rows.len(),
                            names.len()
                                - usize::from(!rows.iter().any(|r| r[0] == "未分村（社区）")),
                            "{at}: 《{id}》 rows {rows:?}"
                        );
                    }
                    for id in [
                        "returnees",
                        "sars_observation",
                        "home_isolation",
                        "health_log_by_person",
                        "health_log",
                        "cases",
                        "close_contacts",
                        "checkpoint_checks",
                    ] {
                        let listed = form_for(&store, id, &params).1.len();
                        assert_eq!(listed, raw.list_rows(id, &scope), "{at}: 《{id}》 rows");
                        if listed > 0 {
                            seen.insert(format!("list:{id}"));
                        }
                    }
                    let (keys, rows) = form_for(&store, "returnee_households", &params);
                    let at_count = keys.iter().position(|k| k == "returnee_count").unwrap();
                    let listed: usize = rows
                        .iter()
                        .map(|r| r[at_count].parse::<usize>().unwrap())
                        .sum();
                    let wanted = raw.household_returnees(&scope);
                    assert_eq!(
                        listed,
                        wanted.values().sum::<usize>(),
                        "{at}: 返乡人员登记（按户） 合计"
                    );
                    assert_eq!(rows.len(), wanted.len(), "{at}: 返乡人员登记（按户） rows");
                    if wanted.contains_key(&None) {
                        seen.insert("未分户".into());
                    }
                    let check = report::check_forms(&store, &params).unwrap();
                    let disagree: Vec<_> = check.disagreements().collect();
                    assert!(disagree.is_empty(), "{at}: {disagree:?}");
                }
            }
        }
    }
    let never: Vec<&str> = [
        "households",
        "registered_persons",
        "new_arrivals",
        "total_arrivals",
        "returnees_month:10",
        "returnees_month:11",
        "home_isolation",
        "released_today",
        "abnormal_today",
        "abnormal_total",
        "abnormal_14d",
        "new_cases:确诊",
        "new_close_contacts",
        "new_second_contacts",
        "checkpoint_people",
        "checkpoint_vehicles",
        "dose:1:total",
        "dose:1:不详",
        "dose:2:异地",
        "dose:3:本地",
        "unvaccinated:因病",
        "list:returnees",
        "list:home_isolation",
        "list:health_log",
        "list:cases",
        "list:close_contacts",
        "list:checkpoint_checks",
        "未分户",
    ]
    .into_iter()
    .filter(|k| !seen.contains(*k))
    .collect();
    assert!(
        never.is_empty(),
        "never above zero in any ledger: {never:?}"
    );
    assert_eq!(scopes_seen.len(), 5, "every level: {scopes_seen:?}");
}

// One test per disagreement the issue found in the sample village.

/// A small village ledger whose "today" is `LAST`, with a household for its persons.
fn village() -> (Store, i64) {
    let (mut store, grid) = crate::util::ledger_with_village();
    store.set_today(date(LAST));
    let h = crate::util::household(&store, grid, "1号");
    (store, h)
}

fn add_person(store: &Store, household: Option<i64>, name: &str, status: &str) -> i64 {
    store
        .save_person(&PersonInput {
            name: name.into(),
            household_id: household,
            residence_status: status.into(),
            ..Default::default()
        })
        .unwrap()
        .person
        .id
}

fn add(store: &Store, kind: Entity, person: i64, pairs: &[(&str, &str)]) -> i64 {
    save(
        store,
        RecordInput {
            kind: Some(kind),
            person_id: Some(person),
            values: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        },
    )
}

/// The value of field `key` on the row of `village` of a per-village form.
fn cell(
    store: &Store,
    id: &str,
    from: Option<&str>,
    day: &str,
    village: &str,
    key: &str,
) -> String {
    let (keys, rows) = form(store, id, from.map(date), date(day));
    let i = keys.iter().position(|k| k == key).unwrap();
    rows.iter()
        .find(|r| r[0] == village)
        .map(|r| r[i].clone())
        .unwrap_or_else(|| panic!("《{id}》 has no row {village}: {rows:?}"))
}

#[test]
fn monthly_returnees_count_who_had_returned_by_the_report_day() {
    let (store, h) = village();
    for (n, (status, day)) in [
        ("已返", "2026-11-05"),
        ("已返", "2026-11-20"),
        ("将返", "2026-11-10"),
        ("已返", "2026-11-28"),
    ]
    .iter()
    .enumerate()
    {
        let p = add_person(&store, Some(h), &format!("返乡{n}"), "外出");
        add(
            &store,
            Entity::Arrival,
            p,
            &[("kind", "返乡"), ("status", status), ("arrival_date", day)],
        );
    }
    let november = |from: Option<&str>, day: &str| {
        cell(
            &store,
            "returnee_stats",
            from,
            day,
            "石桥村",
            "returnees_month:11",
        )
    };
    // A report dated 1 October shows no November arrivals; on the 22nd, the two already back
    // (not the 将返, not the one of the 28th); a start date cuts the months (issue 13: the
    // range a clerk chose is the range counted, and the form says so).
    assert_eq!(november(None, "2026-10-01"), "0");
    assert_eq!(november(None, "2026-11-22"), "2");
    assert_eq!(november(Some("2026-11-15"), "2026-11-22"), "1");
}

#[test]
fn the_daily_cumulative_counts_from_the_epidemic_start_whatever_the_start_date() {
    let (store, h) = village();
    store
        .set_setting(gridledger::store::counts::EPOCH_SETTING, "2026-11-01")
        .unwrap();
    for (n, (status, day)) in [
        ("已返", "2026-10-20"),
        ("已返", "2026-11-03"),
        ("已返", "2026-11-22"),
        ("将返", "2026-11-22"),
    ]
    .iter()
    .enumerate()
    {
        let p = add_person(&store, Some(h), &format!("返乡{n}"), "外出");
        add(
            &store,
            Entity::Arrival,
            p,
            &[("kind", "返乡"), ("status", status), ("arrival_date", day)],
        );
    }
    for (from, new) in [
        (None, "1"),
        (Some("2026-11-22"), "1"),
        (Some("2026-10-01"), "3"),
    ] {
        let daily = |key| cell(&store, "daily_report", from, "2026-11-22", "石桥村", key);
        // 新增 is who came back in the range (the report day by default; the 将返 is not
        // back); 累计 counts from 1 November whatever the range.
        assert_eq!(
            (daily("new_arrivals"), daily("total_arrivals")),
            (new.into(), "2".into()),
            "from {from:?}"
        );
    }
}

#[test]
fn the_home_isolation_list_holds_what_the_daily_counts() {
    let (store, h) = village();
    for (n, kind, start, released) in [
        (0, "居家隔离医学观察", "2026-11-15", None),
        (1, "居家隔离医学观察", "2026-11-01", Some("2026-11-14")),
        (2, "居家健康监测", "2026-11-15", None),
        (3, "集中隔离", "2026-11-15", None),
    ] {
        let p = add_person(&store, Some(h), &format!("隔离{n}"), "常住");
        let id = add(
            &store,
            Entity::Isolation,
            p,
            &[("kind", kind), ("start_date", start)],
        );
        if let Some(day) = released {
            entry::release(&store, id, Some(day)).unwrap();
        }
    }
    let daily = cell(
        &store,
        "daily_report",
        None,
        "2026-11-22",
        "石桥村",
        "home_isolation",
    );
    let (keys, list) = form(&store, "home_isolation", None, date("2026-11-22"));
    assert_eq!((daily.as_str(), list.len()), ("1", 1));
    let kind = keys
        .iter()
        .position(|k| k == "isolation_kind")
        .expect("a type column");
    assert_eq!(list[0][kind], "居家隔离医学观察");
    assert_eq!(
        cell(
            &store,
            "daily_report",
            None,
            "2026-11-22",
            "石桥村",
            "released_today"
        ),
        "0"
    );
}

#[test]
fn vaccination_counts_cover_the_registered_population_only() {
    let (store, h) = village();
    let resident = add_person(&store, Some(h), "常住甲", "常住");
    let visitor = add_person(&store, Some(h), "外来乙", "外来");
    for p in [resident, visitor] {
        add(
            &store,
            Entity::Vaccination,
            p,
            &[
                ("dose", "1"),
                ("vaccine_date", "2021-05-01"),
                ("place_kind", "本地"),
            ],
        );
    }
    let stats = |key| {
        cell(
            &store,
            "vaccination_stats",
            None,
            "2026-11-22",
            "石桥村",
            key,
        )
    };
    assert_eq!(
        (stats("registered_persons"), stats("dose:1:total")),
        ("1".into(), "1".into())
    );
}

#[test]
fn no_record_is_never_written_as_unvaccinated_or_negative() {
    let (store, h) = village();
    let p = add_person(&store, Some(h), "返乡甲", "外出");
    add(
        &store,
        Entity::Arrival,
        p,
        &[
            ("kind", "返乡"),
            ("status", "已返"),
            ("arrival_date", "2026-11-20"),
        ],
    );
    // A period that schedules tests: a test still to be sampled is not a result.
    add(
        &store,
        Entity::Isolation,
        p,
        &[("start_date", "2026-11-20"), ("test_days", "1,4,7")],
    );
    let (keys, rows) = form(&store, "returnees", None, date("2026-11-22"));
    let at = |key: &str| rows[0][keys.iter().position(|k| k == key).unwrap()].clone();
    assert_eq!(
        (at("vaccination"), at("test_result")),
        ("无记录".into(), "无记录".into())
    );
    // Once known, they say so.
    let unvaccinated = PersonInput {
        unvaccinated_reason: "因病".into(),
        ..PersonInput::of(&store.person(p).unwrap())
    };
    store.save_person(&unvaccinated).unwrap();
    let (_, rows) = form(&store, "returnees", None, date("2026-11-22"));
    assert_eq!(
        rows[0][keys.iter().position(|k| k == "vaccination").unwrap()],
        "未接种（因病）"
    );
}
