//! Issue 12, one rulebook per record: every rule of every record kind, broken (or met) the
//! same way through each door a record comes in by — typed in a form (`entry::save`), given
//! on the command line (the real binary), imported from a sheet, and pasted from Excel —
//! comes out the same: the same refusal code, or the same records in the ledger.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gridledger::entry::{self, RecordInput};
use gridledger::import::{self, ImportOptions};
use gridledger::model::fields;
use gridledger::model::{Entity, PersonInput, PlaceInput};
use gridledger::Store;

use crate::util::today;

/// 张三 and 李四 of 石桥村, as the rules below find them.
const ZHANG: &str = "11010519491231002X";
const LI: &str = "110101199003074477";

/// A door a record comes in by.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Door {
    Typed,
    CommandLine,
    Import,
    Paste,
}

const DOORS: [Door; 4] = [Door::Typed, Door::CommandLine, Door::Import, Door::Paste];

/// What became of a record: refused with these codes, or kept.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Kept,
    Refused(Vec<String>),
}

/// One rule, as a ledger before and a record given.
struct Case {
    rule: &'static str,
    /// Records already in the ledger (kind, values), typed before the door is tried.
    before: Vec<(Entity, Vec<(&'static str, &'static str)>)>,
    /// A second village, so a hand-off cannot default to the only one.
    two_villages: bool,
    kind: Entity,
    values: Vec<(&'static str, &'static str)>,
    /// What every door must come to.
    expect: Outcome,
}

fn case(rule: &'static str, kind: Entity, values: &[(&'static str, &'static str)]) -> Case {
    Case {
        rule,
        before: Vec::new(),
        two_villages: false,
        kind,
        values: values.to_vec(),
        expect: Outcome::Kept,
    }
}

impl Case {
    fn after(mut self, kind: Entity, values: &[(&'static str, &'static str)]) -> Case {
        self.before.push((kind, values.to_vec()));
        self
    }
    fn refused(mut self, code: &str) -> Case {
        self.expect = Outcome::Refused(vec![code.to_string()]);
        self
    }
    fn with_two_villages(mut self) -> Case {
        self.two_villages = true;
        self
    }
}

const PERIOD: (Entity, &[(&str, &str)]) = (
    Entity::Isolation,
    &[("start_date", "2026-11-18"), ("kind", "居家隔离医学观察")],
);

fn cases() -> Vec<Case> {
    let (period, period_values) = PERIOD;
    vec![
        case(
            "an overlapping period",
            Entity::Isolation,
            &[("start_date", "2026-11-20")],
        )
        .after(period, period_values)
        .refused("period_overlaps"),
        case("a period given again", Entity::Isolation, period_values).after(period, period_values),
        case(
            "a period ending before it starts",
            Entity::Isolation,
            &[
                ("start_date", "2026-11-20"),
                ("planned_end_date", "2026-11-10"),
            ],
        )
        .refused("end_before_start"),
        case(
            "a dose given again otherwise",
            Entity::Vaccination,
            &[("dose", "1"), ("vaccine_date", "2021-04-01")],
        )
        .after(
            Entity::Vaccination,
            &[("dose", "1"), ("vaccine_date", "2021-03-01")],
        )
        .refused("dose_registered"),
        case(
            "a dose given again as it was",
            Entity::Vaccination,
            &[("dose", "1"), ("vaccine_date", "2021-03-01")],
        )
        .after(
            Entity::Vaccination,
            &[("dose", "1"), ("vaccine_date", "2021-03-01")],
        ),
        case(
            "a reading outside any period",
            Entity::HealthCheck,
            &[("check_date", "2026-11-21"), ("am_temperature", "36.5")],
        )
        .refused("not_in_period"),
        case(
            "a reading of tomorrow",
            Entity::HealthCheck,
            &[("check_date", "2026-11-23"), ("am_temperature", "36.5")],
        )
        .after(period, period_values)
        .refused("date_in_future"),
        case(
            "a day's second reading fills the first",
            Entity::HealthCheck,
            &[
                ("check_date", "2026-11-21"),
                ("pm_temperature", "37.4"),
                ("symptoms", "干咳"),
            ],
        )
        .after(period, period_values)
        .after(
            Entity::HealthCheck,
            &[("check_date", "2026-11-21"), ("am_temperature", "36.5")],
        ),
        case(
            "a reading typed without its point",
            Entity::HealthCheck,
            &[("check_date", "2026-11-21"), ("am_temperature", "376")],
        )
        .after(period, period_values),
        case(
            "an implausible temperature",
            Entity::HealthCheck,
            &[("check_date", "2026-11-21"), ("am_temperature", "45.5")],
        )
        .after(period, period_values)
        .refused("temperature_range"),
        case(
            "returned, but in the future",
            Entity::Arrival,
            &[("arrival_date", "2026-12-01"), ("status", "已返")],
        )
        .refused("returned_in_future"),
        case(
            "an arrival given again",
            Entity::Arrival,
            &[("arrival_date", "2026-11-20"), ("origin", "广东省深圳市")],
        )
        .after(Entity::Arrival, &[("arrival_date", "2026-11-20")]),
        case(
            "a result never overwritten by 未出",
            Entity::Test,
            &[("sample_date", "2026-11-20"), ("result", "未出")],
        )
        .after(
            Entity::Test,
            &[("sample_date", "2026-11-20"), ("result", "阴性")],
        ),
        case(
            "a hand-off to no village of two",
            Entity::CheckpointCheck,
            &[
                ("checkpoint_name", "东口卡口"),
                ("checked_at", "2026-11-22 08:30"),
                ("disposal", "移交村(社区)"),
            ],
        )
        .with_two_villages()
        .refused("hand_off_without_village"),
        case(
            "a hand-off to the only village",
            Entity::CheckpointCheck,
            &[
                ("checkpoint_name", "东口卡口"),
                ("checked_at", "2026-11-22 08:30"),
                ("temperature", "376"),
                ("disposal", "移交村(社区)"),
            ],
        ),
        case(
            "a stop given again",
            Entity::CheckpointCheck,
            &[
                ("checkpoint_name", "东口卡口"),
                ("checked_at", "2026-11-22 08:30"),
            ],
        )
        .after(
            Entity::CheckpointCheck,
            &[
                ("checkpoint_name", "东口卡口"),
                ("checked_at", "2026-11-22 08:30"),
            ],
        ),
    ]
}

/// A ledger in a file (the command line opens it too): 石桥村, 张三 and 李四, the checkpoint
/// 东口卡口, and the case's records already there.
fn ledger(dir: &Path, case: &Case) -> (Store, PathBuf, i64) {
    let path = dir.join("ledger.db");
    let mut store = Store::create(&path).unwrap();
    store.set_today(today());
    let village = store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    if case.two_villages {
        store
            .add_place(&PlaceInput {
                level: "村".into(),
                name: "河西村".into(),
                ..Default::default()
            })
            .unwrap();
    }
    let person = |name: &str, id: &str| {
        store
            .save_person(&PersonInput {
                name: name.into(),
                id_number: id.into(),
                ..Default::default()
            })
            .unwrap()
            .person
            .id
    };
    let zhang = person("张三", ZHANG);
    person("李四", LI);
    entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Checkpoint),
            values: values(&[("name", "东口卡口"), ("place", &village.to_string())]),
            ..Default::default()
        },
    )
    .unwrap();
    for (kind, v) in &case.before {
        entry::save(&store, &typed(*kind, zhang, v)).unwrap();
    }
    (store, path, zhang)
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn typed(kind: Entity, person: i64, v: &[(&str, &str)]) -> RecordInput {
    let mut values = values(v);
    let mut input = RecordInput {
        kind: Some(kind),
        person_id: Some(person),
        ..Default::default()
    };
    if kind == Entity::CheckpointCheck {
        // A stop's checked person is its driver, 张三.
        input.person_id = None;
        values.insert("name".into(), "张三".into());
        values.insert("id_number".into(), ZHANG.into());
    }
    input.values = values;
    input
}

/// A sheet of the record: 姓名 and 身份证号码, then the record's columns under their labels.
fn sheet_rows(kind: Entity, v: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut header = vec!["姓名".to_string(), "身份证号码".to_string()];
    let mut row = vec!["张三".to_string(), ZHANG.to_string()];
    for (key, value) in v {
        let field = fields::field(kind.fields(), key).unwrap();
        header.push(
            field
                .synonyms
                .first()
                .copied()
                .unwrap_or(field.label)
                .to_string(),
        );
        row.push(value.to_string());
    }
    vec![header, row]
}

fn target(kind: Entity) -> &'static str {
    match kind {
        Entity::Arrival => "arrivals",
        Entity::Isolation => "isolations",
        Entity::HealthCheck => "health_checks",
        Entity::Test => "tests",
        Entity::Vaccination => "vaccinations",
        Entity::CheckpointCheck => "checkpoint_checks",
        other => panic!("{other:?} is not imported"),
    }
}

/// The command line's words for the record.
fn command_line(kind: Entity, v: &[(&str, &str)]) -> Vec<String> {
    let mut args: Vec<String> = match kind {
        Entity::Arrival => vec!["arrival".into(), "add".into(), "张三".into()],
        Entity::Isolation => vec!["isolation".into(), "start".into(), "张三".into()],
        Entity::HealthCheck => vec!["health".into(), "add".into(), "张三".into()],
        Entity::Test => vec!["test".into(), "add".into(), "张三".into()],
        Entity::Vaccination => vec!["vaccination".into(), "add".into(), "张三".into()],
        Entity::CheckpointCheck => vec![
            "checkpoint".into(),
            "stop".into(),
            "--driver".into(),
            format!("张三,{ZHANG}"),
        ],
        other => panic!("{other:?}"),
    };
    for (key, value) in v {
        let option = match (kind, *key) {
            (Entity::HealthCheck, "check_date") => "--date".to_string(),
            (Entity::HealthCheck, "am_temperature") => "--am".to_string(),
            (Entity::HealthCheck, "pm_temperature") => "--pm".to_string(),
            (Entity::HealthCheck, "symptoms") => "--symptom".to_string(),
            (Entity::CheckpointCheck, "checkpoint_name") => "--site".to_string(),
            (Entity::CheckpointCheck, "checked_at") => "--at".to_string(),
            (_, key) => format!("--{}", key.replace('_', "-")),
        };
        args.push(option);
        args.push(value.to_string());
    }
    args.push("--json".into());
    args
}

/// Tries the record through one door; what became of it.
fn through(door: Door, store: &Store, path: &Path, person: i64, case: &Case) -> Outcome {
    let from_report = |r: import::ImportReport| {
        let errors: Vec<String> = r
            .problems
            .iter()
            .filter(|p| !p.warning)
            .map(|p| p.code.clone())
            .collect();
        if errors.is_empty() {
            Outcome::Kept
        } else {
            Outcome::Refused(errors)
        }
    };
    let options = ImportOptions {
        target: Some(target(case.kind).into()),
        ..Default::default()
    };
    match door {
        Door::Typed => match entry::save(store, &typed(case.kind, person, &case.values)) {
            Ok(_) => Outcome::Kept,
            Err(e) => Outcome::Refused(e.problems().iter().map(|p| p.code.clone()).collect()),
        },
        Door::CommandLine => {
            let out = Command::new(env!("CARGO_BIN_EXE_gridledger"))
                .arg("--db")
                .arg(path)
                .args(command_line(case.kind, &case.values))
                .env("GRIDLEDGER_NOW", format!("{} 12:00", today()))
                .env_remove("GRIDLEDGER_DB")
                .output()
                .unwrap();
            if out.status.success() {
                return Outcome::Kept;
            }
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
                panic!("{}: {}", case.rule, String::from_utf8_lossy(&out.stderr))
            });
            Outcome::Refused(
                doc["error"]["problems"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| p["code"].as_str().unwrap_or_default().to_string())
                    .collect(),
            )
        }
        Door::Import => {
            let file = path.with_file_name("record.xlsx");
            let mut book = rust_xlsxwriter::Workbook::new();
            let ws = book.add_worksheet();
            for (r, row) in sheet_rows(case.kind, &case.values).iter().enumerate() {
                for (c, text) in row.iter().enumerate() {
                    ws.write_string(r as u32, c as u16, text).unwrap();
                }
            }
            book.save(&file).unwrap();
            from_report(import::import_file(store, &file, &options, None, &mut |_, _| {}).unwrap())
        }
        Door::Paste => {
            let rows = sheet_rows(case.kind, &case.values);
            let source = import::Source::Pasted {
                name: "粘贴的表格",
                rows: &rows,
            };
            from_report(import::import(store, &source, &options, None, &mut |_, _| {}).unwrap())
        }
    }
}

/// The records of the kind as the ledger holds them after the door (ids and stamps aside).
fn records(store: &Store, kind: Entity) -> Vec<String> {
    let mut out = Vec::new();
    let persons = store.find_persons("张三", 5).unwrap();
    for p in persons {
        let profile = store.person_profile(p.id).unwrap();
        let strip = |v: serde_json::Value| {
            let mut v = v;
            for key in [
                "id",
                "created_at",
                "updated_at",
                "updated_by",
                "isolation_id",
                "checkpoint_id",
            ] {
                v.as_object_mut().map(|o| o.remove(key));
            }
            v.to_string()
        };
        match kind {
            Entity::Arrival => out.extend(
                profile
                    .arrivals
                    .iter()
                    .map(|r| strip(serde_json::to_value(r).unwrap())),
            ),
            Entity::Isolation => out.extend(
                profile
                    .isolations
                    .iter()
                    .map(|r| strip(serde_json::to_value(r).unwrap())),
            ),
            Entity::HealthCheck => out.extend(
                profile
                    .health_checks
                    .iter()
                    .map(|r| strip(serde_json::to_value(r).unwrap())),
            ),
            Entity::Test => out.extend(
                profile
                    .tests
                    .iter()
                    .map(|r| strip(serde_json::to_value(r).unwrap())),
            ),
            Entity::Vaccination => out.extend(
                profile
                    .vaccinations
                    .iter()
                    .map(|r| strip(serde_json::to_value(r).unwrap())),
            ),
            Entity::CheckpointCheck => {
                for s in &profile.checkpoint_sightings {
                    let stop = store.checkpoint_check(s.check_id).unwrap();
                    out.push(strip(serde_json::to_value(&stop).unwrap()));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out
}

#[test]
fn every_rule_holds_the_same_at_every_door() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut seen: Vec<(Door, Outcome, Vec<String>)> = Vec::new();
        for door in DOORS {
            let dir = tempfile::tempdir().unwrap();
            let (store, path, person) = ledger(dir.path(), &case);
            let outcome = through(door, &store, &path, person, &case);
            drop(store);
            // Read back through a fresh look at the file (the command line wrote it).
            let mut store = Store::open(&path).unwrap();
            store.set_today(today());
            seen.push((door, outcome, records(&store, case.kind)));
        }
        for (door, outcome, _) in &seen {
            let ok = match (&case.expect, outcome) {
                (Outcome::Kept, Outcome::Kept) => true,
                (Outcome::Refused(want), Outcome::Refused(got)) => {
                    want.iter().all(|w| got.contains(w))
                }
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{}: {door:?} gave {outcome:?}, expected {:?}",
                    case.rule, case.expect
                ));
            }
        }
        let (_, _, first) = &seen[0];
        for (door, _, records) in &seen[1..] {
            if records != first {
                failures.push(format!(
                    "{}: {door:?} left\n    {records:?}\n  where typed entry left\n    {first:?}",
                    case.rule
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
