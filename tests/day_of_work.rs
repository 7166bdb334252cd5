//! Issue 9, "The day's work, typed once": every record kind added, edited, archived and
//! restored through the core's one entry function, with its value lists and date rules; the
//! temperature round; checkpoint stops handed to a village; the today list; the command line.

use std::collections::BTreeMap;
use std::process::Command;

use gridledger::entry::{self, Reading, RecordInput, Traveller};
use gridledger::model::{Entity, HouseholdInput, PersonInput, PlaceInput};
use gridledger::Store;

use crate::util::today;

struct Village {
    store: Store,
    village: i64,
    household: i64,
}

fn village() -> Village {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    store.set_setting("operator", "网格员小李").unwrap();
    let village = store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let grid = store
        .add_place(&PlaceInput {
            parent_id: Some(village),
            level: "网格".into(),
            name: "第一网格".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let household = store
        .save_household(&HouseholdInput {
            place_id: Some(grid),
            door_name: "东街".into(),
            door_number: "1号".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    Village {
        store,
        village,
        household,
    }
}

fn person(v: &Village, name: &str) -> i64 {
    v.store
        .save_person(&PersonInput {
            name: name.into(),
            household_id: Some(v.household),
            ..Default::default()
        })
        .unwrap()
        .person
        .id
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn add(
    store: &Store,
    kind: Entity,
    person: Option<i64>,
    pairs: &[(&str, &str)],
) -> gridledger::Result<i64> {
    entry::save(
        store,
        &RecordInput {
            kind: Some(kind),
            person_id: person,
            values: values(pairs),
            ..Default::default()
        },
    )
    .map(|s| s.id)
}

fn codes(e: gridledger::Error) -> Vec<String> {
    e.problems().iter().map(|p| p.code.clone()).collect()
}

#[test]
fn every_record_kind_is_added_edited_archived_and_restored_through_one_function() {
    let v = village();
    let s = &v.store;
    let p = person(&v, "张三");
    // (kind, the values it is added with, one value an edit changes)
    type Case<'a> = (Entity, Vec<(&'a str, &'a str)>, (&'a str, &'a str));
    let cases: Vec<Case> = vec![
        (
            Entity::Arrival,
            vec![("arrival_date", "2026-11-20"), ("transport", "自驾车")],
            ("transport", "高铁/火车"),
        ),
        (
            Entity::Isolation,
            vec![("start_date", "2026-11-20"), ("kind", "居家隔离医学观察")],
            ("responsible", "村医王"),
        ),
        (
            Entity::Test,
            vec![("sample_date", "2026-11-21"), ("result", "未出")],
            ("result", "阴性"),
        ),
        (
            Entity::Vaccination,
            vec![("dose", "1"), ("vaccine_date", "2021-05-01")],
            ("place_kind", "异地"),
        ),
        (
            Entity::Case,
            vec![("reported_date", "2026-11-21"), ("kind", "疑似")],
            ("kind", "确诊"),
        ),
        (
            Entity::VisitNote,
            vec![("visit_date", "2026-11-22"), ("situation", "在家")],
            ("outcome", "已告知"),
        ),
    ];
    for (kind, first, change) in cases {
        let id = add(s, kind, Some(p), &first).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let mut edited: BTreeMap<String, String> = values(&first);
        edited.insert(change.0.into(), change.1.into());
        entry::save(
            s,
            &RecordInput {
                kind: Some(kind),
                id: Some(id),
                person_id: Some(p),
                values: edited,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{kind:?} edit: {e}"));
        let changes = s.changes_of(kind, id).unwrap();
        assert_eq!(changes[0].action, "修改", "{kind:?}");
        assert_eq!(
            changes[0].operator.as_deref(),
            Some("网格员小李"),
            "who changed it"
        );
        assert!(
            changes[0].detail.as_ref().unwrap().get(change.0).is_some(),
            "{kind:?}: {:?}",
            changes[0].detail
        );
        entry::archive(s, kind, id).unwrap();
        entry::restore(s, kind, id).unwrap();
        let actions: Vec<String> = s
            .changes_of(kind, id)
            .unwrap()
            .iter()
            .map(|c| c.action.clone())
            .collect();
        assert_eq!(actions, ["恢复", "归档", "修改"], "{kind:?}");
    }
    // Checkpoints and their stops, contacts and checks have their own tests below.
}

#[test]
fn value_lists_and_date_rules_hold_at_every_door() {
    let v = village();
    let s = &v.store;
    let p = person(&v, "李四");
    // A value outside its list, typed by hand, is refused next to its field.
    let e = add(
        s,
        Entity::Arrival,
        Some(p),
        &[("arrival_date", "2026-11-20"), ("transport", "摩托车")],
    )
    .unwrap_err();
    assert_eq!(e.problems()[0].field, "transport");
    assert_eq!(codes(e), ["not_in_list"]);
    // An isolation cannot end before it starts.
    let e = add(
        s,
        Entity::Isolation,
        Some(p),
        &[
            ("start_date", "2026-11-20"),
            ("planned_end_date", "2026-11-10"),
        ],
    )
    .unwrap_err();
    assert_eq!(codes(e), ["end_before_start"]);
    // A reading belongs to a period: none yet.
    let e = add(
        s,
        Entity::HealthCheck,
        Some(p),
        &[("check_date", "2026-11-22"), ("am_temperature", "36.5")],
    )
    .unwrap_err();
    assert_eq!(codes(e), ["not_in_period"]);
    let period = add(
        s,
        Entity::Isolation,
        Some(p),
        &[("start_date", "2026-11-20"), ("test_days", "1,4,7")],
    )
    .unwrap();
    let check = add(
        s,
        Entity::HealthCheck,
        Some(p),
        &[("check_date", "2026-11-22"), ("am_temperature", "36.5")],
    )
    .unwrap();
    assert_eq!(s.health_check(check).unwrap().isolation_id, Some(period));
    // A reading cannot be taken tomorrow, nor outside the plausible range.
    let e = add(
        s,
        Entity::HealthCheck,
        Some(p),
        &[("check_date", "2026-11-23"), ("am_temperature", "36.5")],
    )
    .unwrap_err();
    assert_eq!(codes(e), ["date_in_future"]);
    let e = add(
        s,
        Entity::HealthCheck,
        Some(p),
        &[("check_date", "2026-11-22"), ("am_temperature", "3.65")],
    )
    .unwrap_err();
    assert_eq!(codes(e), ["temperature_range"]);
    // Overlapping periods are refused; a second dose 1 is refused.
    let e = add(
        s,
        Entity::Isolation,
        Some(p),
        &[("start_date", "2026-11-21")],
    )
    .unwrap_err();
    assert_eq!(codes(e), ["period_overlaps"]);
    let dose = add(
        s,
        Entity::Vaccination,
        Some(p),
        &[("dose", "1"), ("vaccine_date", "2021-03-01")],
    )
    .unwrap();
    assert_eq!(
        codes(
            add(
                s,
                Entity::Vaccination,
                Some(p),
                &[("dose", "1"), ("vaccine_date", "2021-04-01")]
            )
            .unwrap_err()
        ),
        ["dose_registered"]
    );
    // The same dose again, as it is: nothing new (a second import of the same sheet).
    assert_eq!(
        add(s, Entity::Vaccination, Some(p), &[("dose", "1")]).unwrap(),
        dose
    );
    // The period scheduled its tests (days 1, 4, 7); sampling fills the scheduled one.
    let tests = s.tests_of(p).unwrap();
    assert_eq!(tests.len(), 3);
    assert!(tests.iter().all(|t| t.status == "待采样"));
    let sampled = add(
        s,
        Entity::Test,
        Some(p),
        &[("sample_date", "2026-11-20"), ("site", "卫生院")],
    )
    .unwrap();
    let t = s.test(sampled).unwrap();
    assert_eq!(
        (t.status.as_str(), t.result.as_str(), t.isolation_id),
        ("已采样", "未出", Some(period))
    );
    assert_eq!(s.tests_of(p).unwrap().len(), 3, "no second test that day");
    // 解除: not before the start, not twice.
    assert_eq!(
        codes(entry::release(s, period, Some("2026-11-19")).unwrap_err()),
        ["end_before_start"]
    );
    entry::release(s, period, None).unwrap();
    assert_eq!(
        entry::release(s, period, None).unwrap_err().code().as_str(),
        "conflict"
    );
    // A person is required, and must exist.
    assert_eq!(
        codes(add(s, Entity::Arrival, None, &[("arrival_date", "2026-11-20")]).unwrap_err()),
        ["person_missing"]
    );
    assert_eq!(
        add(
            s,
            Entity::Arrival,
            Some(999),
            &[("arrival_date", "2026-11-20")]
        )
        .unwrap_err()
        .code()
        .as_str(),
        "not_found"
    );
}

#[test]
fn the_temperature_round_saves_each_reading_and_a_fever_lands_on_today() {
    let v = village();
    let s = &v.store;
    let p = person(&v, "王五");
    add(
        s,
        Entity::Isolation,
        Some(p),
        &[("start_date", "2026-11-20")],
    )
    .unwrap();
    let round = s.watch_list(today(), None).unwrap();
    assert_eq!(round.len(), 1);
    assert_eq!(
        (round[0].day_number, round[0].who.grid.as_deref()),
        (3, Some("第一网格"))
    );
    let list = s.today_list(None).unwrap();
    assert_eq!(list.readings_missing.len(), 1);
    let am = entry::record_reading(
        s,
        &Reading {
            person_id: p,
            am: "36.5".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!am.abnormal);
    // The afternoon keeps the morning.
    let pm = entry::record_reading(
        s,
        &Reading {
            person_id: p,
            pm: "37.6".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (pm.am_temperature, pm.pm_temperature, pm.abnormal),
        (Some(36.5), Some(37.6), true)
    );
    assert_eq!(pm.check_id, am.check_id);
    let list = s.today_list(None).unwrap();
    assert!(list.readings_missing.is_empty());
    assert_eq!(list.fevers.len(), 1);
    assert_eq!(list.fevers[0].who.name, "王五");
    assert_eq!(s.summary().unwrap().abnormal_today, 1);
    // A symptom typed later is added; a reading typed wrong is refused, the day kept.
    entry::record_reading(
        s,
        &Reading {
            person_id: p,
            symptoms: "干咳".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(entry::record_reading(
        s,
        &Reading {
            person_id: p,
            am: "450".into(),
            ..Default::default()
        }
    )
    .is_err());
    let c = s.health_check_on(p, &today().to_string()).unwrap().unwrap();
    assert_eq!(
        (c.am_temperature, c.symptoms.dry_cough, c.symptoms.fever),
        (Some(36.5), true, true)
    );
}

/// A day has one check: a check moved onto a day that has its own is refused on its date,
/// saying which (nothing merged or replaced); moved onto a free day, it moves.
#[test]
fn a_check_moved_onto_a_day_with_its_own_is_refused_and_both_are_kept() {
    let v = village();
    let s = &v.store;
    let p = person(&v, "王五");
    add(
        s,
        Entity::Isolation,
        Some(p),
        &[("start_date", "2026-11-17")],
    )
    .unwrap();
    let check = |day: &str, am: &str, pm: &str| {
        add(
            s,
            Entity::HealthCheck,
            Some(p),
            &[
                ("check_date", day),
                ("am_temperature", am),
                ("pm_temperature", pm),
            ],
        )
        .unwrap()
    };
    check("2026-11-21", "36.7", "36.5");
    let today_check = check("2026-11-22", "36.3", "");
    let move_to = |day: &str| {
        entry::save(
            s,
            &RecordInput {
                kind: Some(Entity::HealthCheck),
                id: Some(today_check),
                person_id: Some(p),
                values: values(&[
                    ("check_date", day),
                    ("am_temperature", "36.3"),
                    ("pm_temperature", "36.9"),
                ]),
                ..Default::default()
            },
        )
    };
    let refused = move_to("2026-11-21").unwrap_err();
    let problem_codes: Vec<&str> = refused.problems().iter().map(|p| p.code.as_str()).collect();
    assert_eq!(problem_codes, ["day_taken"], "{refused}");
    assert!(
        refused.problems()[0]
            .message
            .contains("2026-11-21 已有一条体温记录"),
        "{refused}"
    );
    let day = |d: &str| {
        s.health_check_on(p, d)
            .unwrap()
            .map(|c| (c.am_temperature, c.pm_temperature))
    };
    assert_eq!(day("2026-11-21"), Some((Some(36.7), Some(36.5))));
    assert_eq!(day("2026-11-22"), Some((Some(36.3), None)));
    move_to("2026-11-20").unwrap();
    assert_eq!(day("2026-11-20"), Some((Some(36.3), Some(36.9))));
    assert_eq!(day("2026-11-22"), None);
}

#[test]
fn a_case_two_contacts_and_a_second_contact_are_traced_both_ways() {
    let v = village();
    let s = &v.store;
    let case_person = person(&v, "病例甲");
    let first = person(&v, "密接乙");
    let second = person(&v, "密接丙");
    let third = person(&v, "次密接丁");
    let case = add(
        s,
        Entity::Case,
        Some(case_person),
        &[("reported_date", "2026-11-21")],
    )
    .unwrap();
    let link = |who: i64, case_id: Option<i64>, of: Option<i64>| {
        entry::save(
            s,
            &RecordInput {
                kind: Some(Entity::Contact),
                person_id: Some(who),
                case_id,
                source_contact_id: of,
                values: values(&[
                    ("contact_way", "同进餐"),
                    ("last_contact_date", "2026-11-20"),
                ]),
                ..Default::default()
            },
        )
        .map(|s| s.id)
    };
    let b = link(first, Some(case), None).unwrap();
    link(second, Some(case), None).unwrap();
    let d = link(third, None, Some(b)).unwrap();
    assert_eq!(
        s.contact(d).unwrap().level,
        "次密接",
        "a contact of a contact is 次密接"
    );
    assert_eq!(s.contact(d).unwrap().source_person_id, first);
    // The case is not their own contact; the same link twice is kept once (as a second
    // import of the same list would), with a word that it was there.
    assert_eq!(
        codes(link(case_person, Some(case), None).unwrap_err()),
        ["contact_is_case"]
    );
    let links = s.contact_links(case_person, false).unwrap().len();
    assert_eq!(link(first, Some(case), None).unwrap(), b);
    assert_eq!(s.contact_links(case_person, false).unwrap().len(), links);
    // From the case: two 密接; from 密接乙: one 次密接; from 次密接丁 back to the case.
    let exposed: Vec<String> = s
        .contact_links(case_person, false)
        .unwrap()
        .iter()
        .map(|l| l.contact_name.clone())
        .collect();
    assert_eq!(exposed, ["密接乙", "密接丙"]);
    assert_eq!(
        s.contact_links(first, false).unwrap()[0].contact_name,
        "次密接丁"
    );
    let back = &s.contact_links(third, true).unwrap()[0];
    assert_eq!(
        (back.source_name.as_str(), back.case_person_name.as_str()),
        ("密接乙", "病例甲")
    );
}

#[test]
fn a_checkpoint_stop_with_named_passengers_is_handed_to_the_village_and_handled() {
    let v = village();
    let s = &v.store;
    let villager = person(&v, "村民戊");
    let site = add(
        s,
        Entity::Checkpoint,
        None,
        &[("name", "东口卡口"), ("place", "石桥村")],
    )
    .unwrap();
    let stop = entry::save(
        s,
        &RecordInput {
            kind: Some(Entity::CheckpointCheck),
            checkpoint_id: Some(site),
            driver: Some(Traveller {
                register: true,
                values: values(&[
                    ("name", "司机己"),
                    ("id_number", "43018219920304024X"),
                    ("phone", "13800138000"),
                ]),
                ..Default::default()
            }),
            passengers: vec![
                Traveller {
                    person_id: Some(villager),
                    values: values(&[("name", "村民戊"), ("temperature", "36.6")]),
                    ..Default::default()
                },
                Traveller {
                    register: true,
                    values: values(&[("name", "乘客庚"), ("temperature", "37.8")]),
                    ..Default::default()
                },
            ],
            values: values(&[
                ("checked_at", "2026-11-22 07:30"),
                ("plate", "湘a·12345"),
                ("temperature", "36.5"),
                ("disposal", "移交村"),
                ("handed_to", "石桥村"),
            ]),
            ..Default::default()
        },
    )
    .unwrap();
    let check = s.checkpoint_check(stop.id).unwrap();
    assert_eq!(
        (check.plate.as_deref(), check.passenger_count),
        (Some("湘A12345"), 2)
    );
    assert_eq!(check.handed_to_place_id, Some(v.village));
    assert!(check.person_id.is_some(), "the driver was registered");
    let new_passenger = check
        .passengers
        .iter()
        .find(|p| p.name == "乘客庚")
        .unwrap();
    assert_eq!(
        s.person(new_passenger.person_id.unwrap())
            .unwrap()
            .residence_status,
        "外来"
    );
    // Handing over needs a village: the ledger's only one when none is named; with two,
    // the user must say which.
    s.add_place(&PlaceInput {
        level: "村".into(),
        name: "河西村".into(),
        ..Default::default()
    })
    .unwrap();
    let e = entry::save(
        s,
        &RecordInput {
            kind: Some(Entity::CheckpointCheck),
            checkpoint_id: Some(site),
            values: values(&[("name", "某人"), ("disposal", "移交村(社区)")]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(codes(e), ["hand_off_without_village"]);
    // The village's today list shows it until handled.
    let list = s.today_list(Some(v.village)).unwrap();
    assert_eq!(list.hand_offs.len(), 1);
    let h = &list.hand_offs[0];
    let passengers: Vec<(&str, Option<f64>)> = h
        .passengers
        .iter()
        .map(|p| (p.name.as_str(), p.temperature))
        .collect();
    assert_eq!(passengers, [("村民戊", Some(36.6)), ("乘客庚", Some(37.8))]);
    // 乘客庚's 37.8 ℃ is a fever on the line, though the driver's 36.5 is not.
    assert!(h.fever);
    entry::handle_hand_off(s, stop.id, Some("已电话联系，居家观察")).unwrap();
    assert!(s.today_list(Some(v.village)).unwrap().hand_offs.is_empty());
    // The station's day and the 日报 count the stop: 3 人次, 1 车次.
    let mut store_day = s
        .station_day(
            site,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            None,
        )
        .unwrap();
    assert_eq!((store_day.people, store_day.vehicles), (3, 1));
    assert_eq!(store_day.recent_plates, ["湘A12345"]);
    store_day.stops.clear();
    let daily = gridledger::report::template(s, "daily_report").unwrap();
    let preview = gridledger::report::preview(
        s,
        &daily,
        &gridledger::report::ReportParams {
            to: chrono::NaiveDate::from_ymd_opt(2026, 11, 22),
            ..Default::default()
        },
        10,
    )
    .unwrap();
    let col = |field: &str| daily.columns.iter().position(|c| c.field == field).unwrap();
    let row = preview
        .rows
        .iter()
        .find(|r| r[col("village")] == "石桥村")
        .unwrap();
    assert_eq!(row[col("checkpoint_people")], "3");
    assert_eq!(row[col("checkpoint_vehicles")], "1");
}

#[test]
fn today_lists_what_is_due_and_moves_are_recorded() {
    let v = village();
    let s = &v.store;
    let returnee = person(&v, "返乡辛");
    add(
        s,
        Entity::Arrival,
        Some(returnee),
        &[("arrival_date", "2026-11-21")],
    )
    .unwrap();
    let watched = person(&v, "隔离壬");
    let period = add(
        s,
        Entity::Isolation,
        Some(watched),
        &[("start_date", "2026-11-09"), ("test_days", "14")],
    )
    .unwrap();
    let list = s.today_list(None).unwrap();
    assert_eq!(list.unvisited_arrivals.len(), 1);
    assert_eq!(list.ending.len(), 1, "day 14 is today");
    assert_eq!(list.ending[0].overdue_days, 0);
    assert_eq!(list.tests_due.len(), 1, "the day-14 test is due");
    assert!(list.daily_report.is_none());
    // A visit clears the arrival; 解除 clears the period.
    add(
        s,
        Entity::VisitNote,
        Some(returnee),
        &[("visit_date", "2026-11-22")],
    )
    .unwrap();
    entry::release(s, period, None).unwrap();
    let list = s.today_list(None).unwrap();
    assert!(list.unvisited_arrivals.is_empty() && list.ending.is_empty());
    // Exporting the 日报 shows on the list.
    let dir = tempfile::tempdir().unwrap();
    gridledger::report::export_to_dir(
        s,
        &gridledger::report::template(s, "daily_report").unwrap(),
        &Default::default(),
        dir.path(),
        &mut gridledger::report::Watch {
            progress: &mut |_| {},
            cancel: None,
        },
    )
    .unwrap();
    assert!(s.today_list(None).unwrap().daily_report.is_some());
    // Moving a member is recorded.
    let other = s
        .save_household(&HouseholdInput {
            place_id: Some(v.village),
            door_name: "西街".into(),
            door_number: "2号".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    entry::move_person(s, returnee, Some(other), Some("户主")).unwrap();
    let moved = s.person(returnee).unwrap();
    assert_eq!(
        (moved.household_id, moved.relation_to_head.as_deref()),
        (Some(other), Some("户主"))
    );
    let change = &s.changes_of(Entity::Person, returnee).unwrap()[0];
    assert_eq!(change.action, "迁户");
    assert_eq!(
        change.detail.as_ref().unwrap()["household_id"],
        serde_json::json!([v.household, other])
    );
}

#[test]
fn the_command_line_does_the_same_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let run = |args: &[&str]| {
        Command::new(cli)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |args: &[&str]| -> serde_json::Value {
        let out = run(&[args, &["--json"]].concat());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert!(run(&["init"]).status.success());
    ok(&["place", "add", "--level", "村", "--name", "石桥村"]);
    ok(&[
        "person",
        "add",
        "--name",
        "张三",
        "--id",
        "430182198001150139",
    ]);
    ok(&["person", "add", "--name", "李四", "--phone", "13900139000"]);
    ok(&["person", "add", "--name", "王五"]);
    ok(&[
        "arrival",
        "add",
        "张三",
        "--date",
        "2026-11-21",
        "--transport",
        "高铁/火车",
        "--no",
        "G1234",
    ]);
    let iso = ok(&[
        "isolation",
        "start",
        "张三",
        "--start",
        "2026-11-21",
        "--test-days",
        "1,4",
    ]);
    ok(&[
        "health",
        "add",
        "张三",
        "--am",
        "36.5",
        "--pm",
        "37.4",
        "--symptom",
        "干咳",
    ]);
    ok(&[
        "test",
        "add",
        "430182198001150139",
        "--date",
        "2026-11-21",
        "--result",
        "阴性",
    ]);
    ok(&["vaccination", "add", "13900139000", "--dose", "加强针"]);
    ok(&["case", "add", "李四", "--date", "2026-11-22"]);
    ok(&[
        "contact",
        "add",
        "王五",
        "--to",
        "李四",
        "--contact-way",
        "同处一室",
    ]);
    ok(&["checkpoint", "add", "--name", "东口", "--place", "石桥村"]);
    ok(&[
        "checkpoint",
        "stop",
        "--site",
        "东口",
        "--driver",
        "赵六,,13700137000",
        "--passenger",
        "孙七",
        "--passenger",
        "周八,,,37.9",
        "--plate",
        "湘A12345",
        "--disposal",
        "移交村",
        "--handed-to",
        "石桥村",
        "--at",
        "2026-11-22 09:00",
    ]);
    ok(&[
        "visit",
        "add",
        "张三",
        "--date",
        "2026-11-22",
        "--method",
        "电话",
    ]);
    let today = ok(&["today"]);
    assert_eq!(
        today["hand_offs"][0]["passengers"],
        serde_json::json!([{"name": "孙七", "temperature": null}, {"name": "周八", "temperature": 37.9}])
    );
    assert_eq!(today["hand_offs"][0]["fever"], true);
    assert_eq!(today["fevers"][0]["name"], "张三");
    let id = iso["id"].as_i64().unwrap().to_string();
    ok(&["isolation", "end", &id]);
    ok(&["record", "archive", "isolation", &id]);
    ok(&["record", "restore", "isolation", &id]);
    let history = ok(&["record", "history", "isolation", &id]);
    assert_eq!(history.as_array().unwrap().len(), 3);
    // Bad input: exit 2 with the code, the field named.
    for (args, code) in [
        (
            &["arrival", "add", "张三", "--date", "2026-13-40"][..],
            "value_invalid",
        ),
        (&["health", "add", "王五", "--am", "36.5"], "value_invalid"),
        (&["health", "add", "无此人", "--am", "36.5"], "not_found"),
        (
            &["contact", "add", "王五", "--to", "张三"],
            "argument_invalid",
        ),
        (&["record", "archive", "cats", "1"], "argument_invalid"),
        (
            &[
                "checkpoint",
                "stop",
                "--site",
                "西口",
                "--driver",
                "某人",
                "--temperature",
                "50",
            ],
            "value_invalid",
        ),
    ] {
        let out = run(&[args, &["--json"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["error"]["code"], code, "{args:?}: {doc}");
    }
}

/// Rows pasted onto the temperature round from Excel, with or without a header of their
/// own: read under the grid's header when they have none, the round's day filled in, judged
/// like an import (row numbers counted from the first pasted row).
#[test]
fn rows_pasted_onto_the_round_are_read_like_an_import() {
    use gridledger::import::{ImportOptions, ImportSession, Source};
    let v = village();
    let s = &v.store;
    let (a, b) = (person(&v, "王五"), person(&v, "赵六"));
    for p in [a, b] {
        add(
            s,
            Entity::Isolation,
            Some(p),
            &[("start_date", "2026-11-20")],
        )
        .unwrap();
    }
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split('\t').map(String::from).collect())
            .collect()
    };
    let options = ImportOptions {
        target: Some("health_checks".into()),
        pasted_header: ["姓名", "身份证号码", "上午体温", "下午体温", "症状"]
            .map(String::from)
            .to_vec(),
        fixed: values(&[("check_date", "2026-11-22")]),
        ..Default::default()
    };
    // No header: the grid's order; the second row's reading is not a number (kept as the
    // original text with a warning, as an import keeps it; the symptom is taken).
    let pasted = rows("王五\t\t36.6\t37.5\t\n赵六\t\t三十九\t\t干咳");
    let source = Source::Pasted {
        name: "粘贴的表格",
        rows: &pasted,
    };
    let mut session = ImportSession::default();
    let preview = session
        .preview(s, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!(preview.inserted, 2, "{:?}", preview.problems);
    let p = &preview.problems[0];
    assert_eq!(
        (p.row, p.column.as_str(), p.warning),
        (2, "上午体温", true),
        "the second pasted row"
    );
    session.run(s, &source, &options, &mut |_, _| {}).unwrap();
    let c = s.health_check_on(a, "2026-11-22").unwrap().unwrap();
    assert_eq!(
        (c.am_temperature, c.pm_temperature),
        (Some(36.6), Some(37.5))
    );
    assert_eq!(s.today_list(None).unwrap().fevers.len(), 2, "37.5 and 干咳");

    // Their own header, in their own order, with their own date column: theirs wins.
    let pasted = rows("体温(下午)\t姓名\t日期\n36.8\t赵六\t2026-11-21");
    let report = ImportSession::default()
        .run(
            s,
            &Source::Pasted {
                name: "粘贴的表格",
                rows: &pasted,
            },
            &options,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(report.inserted, 1, "{:?}", report.problems);
    let c = s.health_check_on(b, "2026-11-21").unwrap().unwrap();
    assert_eq!(c.pm_temperature, Some(36.8));

    // A second 王五 under watch: a row with the name alone cannot say which.
    let other = person(&v, "王五");
    add(
        s,
        Entity::Isolation,
        Some(other),
        &[("start_date", "2026-11-21")],
    )
    .unwrap();
    let pasted = rows("王五\t\t36.7");
    let report = ImportSession::default()
        .preview(
            s,
            &Source::Pasted {
                name: "粘贴的表格",
                rows: &pasted,
            },
            &options,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(report.rejected_rows, 1);
    assert_eq!(report.problems[0].code, "namesake");
}

/// Stops pasted onto a checkpoint's list take the station's site; a stop of earlier today
/// is not "in the future" (an import once judged times against midnight).
#[test]
fn stops_pasted_onto_the_station_take_its_site() {
    use gridledger::import::{ImportOptions, ImportSession, Source};
    let mut v = village();
    v.store
        .set_time_of_day(chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap());
    let s = &v.store;
    add(
        s,
        Entity::Checkpoint,
        None,
        &[("name", "东口卡口"), ("place", "石桥村")],
    )
    .unwrap();
    let pasted: Vec<Vec<String>> = [
        "车牌号\t姓名\t体温\t目的地\t检查时间",
        "湘A12345\t司机甲\t36.5\t石桥村\t2026-11-22 08:10",
        "湘B54321\t司机乙\t36.9\t镇上\t2026-11-22 08:20",
    ]
    .iter()
    .map(|l| l.split('\t').map(String::from).collect())
    .collect();
    let options = ImportOptions {
        target: Some("checkpoint_checks".into()),
        fixed: values(&[("checkpoint_name", "东口卡口")]),
        ..Default::default()
    };
    let report = ImportSession::default()
        .run(
            s,
            &Source::Pasted {
                name: "粘贴的表格",
                rows: &pasted,
            },
            &options,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(report.inserted, 2, "{:?}", report.problems);
    let site = s
        .checkpoints()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "东口卡口")
        .unwrap();
    let day = s.station_day(site.id, today(), None).unwrap();
    assert_eq!((day.people, day.vehicles), (2, 2));
    // A field the target does not have is refused, not dropped.
    let wrong = ImportOptions {
        fixed: values(&[("no_such_field", "x")]),
        ..options
    };
    let e = ImportSession::default()
        .preview(
            s,
            &Source::Pasted {
                name: "粘贴的表格",
                rows: &pasted,
            },
            &wrong,
            &mut |_, _| {},
        )
        .unwrap_err();
    assert_eq!(e.code().as_str(), "column_mapping");
}
