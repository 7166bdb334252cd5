//! Issue 8, "forms that agree": a property test over seeded random ledgers — arrivals 已返 and
//! 将返, periods of every type starting and ending around the report day, readings, doses of
//! 户籍 and 外来 persons, contacts, checkpoint stops, archived records — in which every count of
//! every counting form, on several report days, equals the same count worked out here in Rust
//! from the raw tables (not from the core's SQL), and every pair of forms that shares a count
//! agrees; then one test per disagreement the issue found.

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
const REPORT_DAYS: [&str; 5] = [
    "2026-10-20",
    "2026-11-03",
    "2026-11-15",
    "2026-11-22",
    "2026-11-30",
];
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
            grids.push(place(&store, Some(id), "网格", g));
        }
    }
    // A household straight under the town: it belongs to no village.
    grids.push(town);

    let mut persons = Vec::new();
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
                let mut v = vec![
                    ("dose", dose.to_string()),
                    ("place_kind", dice.pick(&["本地", "异地"]).to_string()),
                ];
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
                values: values(&[("reported_date", dice.day(early, last).to_string())]),
                ..Default::default()
            },
        );
        let mut taken = HashSet::from([patient]);
        for _ in 0..6 {
            let p = *dice.pick(&person_ids);
            if !taken.insert(p) {
                continue;
            }
            let source = contacts.last().copied().filter(|_| dice.chance(35));
            let found = dice.day(early, last);
            let id = save(
                &store,
                RecordInput {
                    kind: Some(Entity::Contact),
                    person_id: Some(p),
                    case_id: source.is_none().then_some(case),
                    source_contact_id: source,
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
                contacts.push(id);
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
    // Some persons archived, their records with them out of every count.
    for &p in &person_ids {
        if dice.chance(4) {
            entry::archive(&store, Entity::Person, p).unwrap();
        }
    }
    store
}

/// The raw tables, read with plain SELECTs: what the counts below are worked out from.
struct Raw {
    /// The epidemic's start as set (a report day before it counts 累计 from 1 January).
    epoch_setting: NaiveDate,
    /// person → (village, residence, unvaccinated reason); archived persons left out.
    persons: HashMap<i64, (Option<String>, String, Option<String>)>,
    households: Vec<Option<String>>,
    arrivals: Vec<(i64, String, String, NaiveDate, Option<String>)>,
    periods: Vec<(i64, String, NaiveDate, Option<NaiveDate>)>,
    /// (person, day, abnormal)
    checks: Vec<(i64, NaiveDate, bool)>,
    /// (person, dose, date, place kind)
    doses: Vec<(i64, i64, Option<NaiveDate>, String)>,
    /// (person, level, found)
    contacts: Vec<(i64, String, NaiveDate)>,
    /// (village, day, plate, passengers)
    stops: Vec<(Option<String>, NaiveDate, bool, i64)>,
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
    let text = |v: &V| match v {
        V::Text(t) => Some(t.clone()),
        V::Null => None,
        other => panic!("{other:?}"),
    };
    let day = |v: &V| text(v).map(|t| date(&t[..10]));

    let places: HashMap<i64, (Option<i64>, String, String)> =
        rows("SELECT id, parent_id, level, name FROM places")
            .iter()
            .map(|r| {
                (
                    int(&r[0]),
                    (
                        matches!(r[1], V::Integer(_)).then(|| int(&r[1])),
                        text(&r[2]).unwrap(),
                        text(&r[3]).unwrap(),
                    ),
                )
            })
            .collect();
    let village_of_place: HashMap<i64, Option<String>> = places
        .keys()
        .map(|&id| {
            let mut at = Some(id);
            let mut found = None;
            while let Some(p) = at {
                let (parent, level, name) = &places[&p];
                if level == "村" {
                    found = Some(name.clone());
                }
                at = *parent;
            }
            (id, found)
        })
        .collect();
    let household_village: HashMap<i64, Option<String>> =
        rows("SELECT id, place_id FROM households WHERE archived_at IS NULL")
            .iter()
            .map(|r| (int(&r[0]), village_of_place[&int(&r[1])].clone()))
            .collect();
    let persons: HashMap<i64, (Option<String>, String, Option<String>)> = rows(
        "SELECT id, household_id, residence_status, unvaccinated_reason FROM persons WHERE archived_at IS NULL",
    )
    .iter()
    .map(|r| {
        let village = match &r[1] {
            V::Integer(h) => household_village[h].clone(),
            _ => None,
        };
        (int(&r[0]), (village, text(&r[2]).unwrap(), text(&r[3])))
    })
    .collect();
    let live = |p: i64| persons.contains_key(&p);
    let epoch = rows("SELECT value FROM settings WHERE key = 'epidemic_start'")
        .first()
        .and_then(|r| day(&r[0]))
        .unwrap();
    Raw {
        epoch_setting: epoch,
        households: household_village.values().cloned().collect(),
        arrivals: rows("SELECT person_id, kind, status, arrival_date, destination_place_id FROM arrivals WHERE archived_at IS NULL")
            .iter()
            .filter(|r| live(int(&r[0])))
            .map(|r| {
                let p = int(&r[0]);
                // An arrival belongs to the person's village, or to the one it names.
                let village = persons[&p].0.clone().or_else(|| match &r[4] {
                    V::Integer(d) => village_of_place[d].clone(),
                    _ => None,
                });
                (p, text(&r[1]).unwrap(), text(&r[2]).unwrap(), day(&r[3]).unwrap(), village)
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
            .map(|r| (int(&r[0]), int(&r[1]), day(&r[2]), text(&r[3]).unwrap_or_default()))
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
        .map(|r| {
            let village = match &r[0] {
                V::Integer(p) => village_of_place[p].clone(),
                _ => None,
            };
            (village, day(&r[1]).unwrap(), int(&r[2]) != 0, int(&r[3]))
        })
        .collect(),
        persons,
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
    fn village(&self, p: i64) -> Option<String> {
        self.persons[&p].0.clone()
    }
    fn registered(&self, p: i64) -> bool {
        matches!(self.persons[&p].1.as_str(), "常住" | "外出")
    }
    /// Arrivals that count as come (返乡/外来, 已返) by day `d`, in village `v`.
    fn came(&self, d: NaiveDate, v: &Option<String>) -> impl Iterator<Item = NaiveDate> + '_ {
        let v = v.clone();
        self.arrivals
            .iter()
            .filter(move |a| {
                matches!(a.1.as_str(), "返乡" | "外来") && a.2 == "已返" && a.3 <= d && a.4 == v
            })
            .map(|a| a.3)
    }
    fn watched(&self, d: NaiveDate, p: &(i64, String, NaiveDate, Option<NaiveDate>)) -> bool {
        p.2 <= d && p.3.is_none_or(|r| r > d)
    }
    fn abnormal_persons(&self, from: NaiveDate, to: NaiveDate, v: &Option<String>) -> usize {
        self.checks
            .iter()
            .filter(|c| c.2 && c.1 >= from && c.1 <= to && self.village(c.0) == *v)
            .map(|c| c.0)
            .collect::<HashSet<_>>()
            .len()
    }

    /// Every count of the per-village forms for village `v` (None: the 未分村 row), by field key.
    fn village_counts(&self, d: NaiveDate, v: &Option<String>) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        let mut put = |k: &str, n: usize| {
            out.insert(k.to_string(), n as f64);
        };
        put(
            "households",
            self.households.iter().filter(|h| *h == v).count(),
        );
        let registered: Vec<i64> = self
            .persons
            .keys()
            .copied()
            .filter(|&p| self.registered(p) && self.village(p) == *v)
            .collect();
        put("registered_persons", registered.len());
        put("new_arrivals", self.came(d, v).filter(|a| *a == d).count());
        put(
            "total_arrivals",
            self.came(d, v).filter(|a| *a >= self.epoch(d)).count(),
        );
        let year_start = NaiveDate::from_ymd_opt(d.year(), 1, 1)
            .unwrap()
            .max(self.epoch(d));
        for m in 1..=12 {
            put(
                &format!("returnees_month:{m}"),
                self.came(d, v)
                    .filter(|a| *a >= year_start && a.month() == m)
                    .count(),
            );
        }
        let in_v = |p: i64| self.village(p) == *v;
        put(
            "home_isolation",
            self.periods
                .iter()
                .filter(|p| p.1 == "居家隔离医学观察" && self.watched(d, p) && in_v(p.0))
                .count(),
        );
        put(
            "released_today",
            self.periods
                .iter()
                .filter(|p| p.3 == Some(d) && in_v(p.0))
                .count(),
        );
        put("abnormal_today", self.abnormal_persons(d, d, v));
        put("abnormal_total", self.abnormal_persons(self.epoch(d), d, v));
        put(
            "abnormal_14d",
            self.abnormal_persons(d - Duration::days(13), d, v),
        );
        for (key, level) in [
            ("new_close_contacts", "密接"),
            ("new_second_contacts", "次密接"),
        ] {
            put(
                key,
                self.contacts
                    .iter()
                    .filter(|k| k.1 == level && k.2 == d && in_v(k.0))
                    .count(),
            );
        }
        let stops: Vec<_> = self
            .stops
            .iter()
            .filter(|s| s.1 == d && s.0 == *v)
            .collect();
        put(
            "checkpoint_people",
            stops.iter().map(|s| 1 + s.3 as usize).sum(),
        );
        put("checkpoint_vehicles", stops.iter().filter(|s| s.2).count());
        let given = |x: &&(i64, i64, Option<NaiveDate>, String)| x.2.is_none_or(|t| t <= d);
        for dose in 1..=3 {
            let doses: Vec<_> = self
                .doses
                .iter()
                .filter(|x| x.1 == dose && given(x) && registered.contains(&x.0))
                .collect();
            put(&format!("dose:{dose}:total"), doses.len());
            for place in ["本地", "异地"] {
                put(
                    &format!("dose:{dose}:{place}"),
                    doses.iter().filter(|x| x.3 == place).count(),
                );
            }
        }
        for reason in [
            "未成年",
            "因病",
            "外出",
            "怀孕",
            "哺乳期",
            "高龄",
            "失联",
            "其他",
        ] {
            put(
                &format!("unvaccinated:{reason}"),
                registered
                    .iter()
                    .filter(|&&p| {
                        self.persons[&p].2.as_deref() == Some(reason)
                            && !self.doses.iter().any(|x| x.0 == p && given(&x))
                    })
                    .count(),
            );
        }
        out
    }
}

/// The rows of a form as the preview (= the export) shows them: every row, by its first cell.
fn form(
    store: &Store,
    id: &str,
    from: Option<NaiveDate>,
    d: NaiveDate,
) -> (Vec<String>, Vec<Vec<String>>) {
    let template = report::template(store, id).unwrap();
    let params = ReportParams {
        from,
        to: Some(d),
        village: None,
        mask: false,
    };
    let preview = report::preview(store, &template, &params, 100_000).unwrap();
    let keys = template.columns.iter().map(|c| c.field.clone()).collect();
    (keys, preview.rows)
}

#[test]
fn every_count_on_every_form_matches_the_ledger_on_every_day() {
    // Counts seen above zero somewhere: the ledgers must exercise what they compare.
    let mut seen: HashSet<String> = HashSet::new();
    for seed in 1..=6u64 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        let store = random_ledger(&path, seed);
        let raw = read_raw(&path);
        let rows_of_village = [
            Some(VILLAGES[0].to_string()),
            Some(VILLAGES[1].to_string()),
            None,
        ];
        for d in REPORT_DAYS.map(date) {
            let at = format!("seed {seed}, day {d}, epoch {}", raw.epoch(d));
            for id in ["daily_report", "returnee_stats", "vaccination_stats"] {
                let (keys, rows) = form(&store, id, None, d);
                for v in &rows_of_village {
                    let expected = raw.village_counts(d, v);
                    let name = v.clone().unwrap_or_else(|| "未分村（社区）".into());
                    let row = rows.iter().find(|r| r[0] == name);
                    for (i, key) in keys.iter().enumerate().skip(1) {
                        let want = expected[key.as_str()];
                        let got = row.map_or(0.0, |r| r[i].parse::<f64>().unwrap_or(f64::NAN));
                        assert_eq!(got, want, "{at}: 《{id}》 {name} {key}");
                        if want > 0.0 {
                            seen.insert(key.clone());
                        }
                    }
                    // The 未分村 row is there exactly when it counts something.
                    if v.is_none() {
                        let counted = keys.iter().skip(1).any(|k| expected[k.as_str()] != 0.0);
                        assert_eq!(row.is_some(), counted, "{at}: 《{id}》 未分村 row");
                    }
                }
            }
            // The lists, counted from the same raw rows over the whole ledger.
            let everywhere = |k: &str| -> f64 {
                rows_of_village
                    .iter()
                    .map(|v| raw.village_counts(d, v)[k])
                    .sum()
            };
            let listed =
                |id: &str, from: Option<NaiveDate>| form(&store, id, from, d).1.len() as f64;
            assert_eq!(
                listed("home_isolation", None),
                everywhere("home_isolation"),
                "{at}: 居家隔离人员名单"
            );
            assert_eq!(
                listed("returnees", Some(d)),
                everywhere("new_arrivals"),
                "{at}: 当日来(返)乡名单"
            );
            assert_eq!(
                listed("returnees", Some(raw.epoch(d))),
                everywhere("total_arrivals"),
                "{at}: 累计来(返)乡名单"
            );
            assert_eq!(
                listed("close_contacts", Some(d)),
                everywhere("new_close_contacts") + everywhere("new_second_contacts"),
                "{at}: 当日密接名单"
            );
            assert_eq!(
                listed("checkpoint_checks", Some(d)),
                raw.stops.iter().filter(|s| s.1 == d).count() as f64,
                "{at}: 当日卡口检查"
            );
            // Every pair of forms that shares a count agrees, for the whole ledger and per village.
            for village in [None, Some(VILLAGES[0]), Some(VILLAGES[1])] {
                let check = report::check_forms(&store, d, village).unwrap();
                let disagree: Vec<_> = check.pairs.iter().filter(|p| !p.agree).collect();
                assert!(disagree.is_empty(), "{at}, {village:?}: {disagree:?}");
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
        "new_close_contacts",
        "new_second_contacts",
        "checkpoint_people",
        "checkpoint_vehicles",
        "dose:1:total",
        "dose:2:异地",
        "dose:3:本地",
        "unvaccinated:因病",
    ]
    .into_iter()
    .filter(|k| !seen.contains(*k))
    .collect();
    assert!(
        never.is_empty(),
        "never above zero in any ledger: {never:?}"
    );
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
    // (not the 将返, not the one of the 28th); a start date does not cut the months.
    assert_eq!(november(None, "2026-10-01"), "0");
    assert_eq!(november(None, "2026-11-22"), "2");
    assert_eq!(november(Some("2026-11-15"), "2026-11-22"), "2");
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
    for from in [None, Some("2026-11-22"), Some("2026-10-01")] {
        let daily = |key| cell(&store, "daily_report", from, "2026-11-22", "石桥村", key);
        // 新增 is the one back on the day (the 将返 is not back); 累计 counts from 1 November.
        assert_eq!(
            (daily("new_arrivals"), daily("total_arrivals")),
            ("1".into(), "2".into()),
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
