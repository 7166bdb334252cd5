//! Issue 14, "The window a cadre lives in": what the window needs from the core — cases on
//! the 日报 and in their own list, archived persons findable and their archiving logged, hand
//! entries in their own batch, contacts awaiting isolation on 今日, and a 日报 that went out
//! told stale when its numbers change. The window itself is tested in `ui/e2e/`.

use chrono::NaiveDate;
use gridledger::entry::{self, RecordInput};
use gridledger::model::{Entity, HouseholdInput, PersonInput, PlaceInput};
use gridledger::report::{self, ReportParams};
use gridledger::Store;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-12-05";

/// A ledger file (checked again with plain SQL through its path), the clock on `TODAY`.
fn ledger() -> Store {
    let dir = tempfile::tempdir().unwrap();
    // The directory lives as long as the test process: the store keeps the file open.
    let path = dir.keep().join("l.db");
    let mut store = Store::create(&path).unwrap();
    store.set_today(date(TODAY));
    store
}

/// 石桥村 › 第一网格 with one household.
fn village() -> (Store, i64) {
    let store = ledger();
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
            door_number: "1".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    (store, household)
}

fn person(store: &Store, household: Option<i64>, name: &str) -> i64 {
    store
        .save_person(&PersonInput {
            name: name.into(),
            household_id: household,
            ..Default::default()
        })
        .unwrap()
        .person
        .id
}

fn save(store: &Store, kind: Entity, person: i64, pairs: &[(&str, &str)]) -> i64 {
    let input = RecordInput {
        kind: Some(kind),
        person_id: Some(person),
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    entry::save(store, &input)
        .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
        .id
}

fn day_params() -> ReportParams {
    ReportParams {
        to: Some(date(TODAY)),
        ..Default::default()
    }
}

/// The 日报's row for 石桥村 as field key → text.
fn daily_row(store: &Store) -> std::collections::BTreeMap<String, String> {
    let template = report::template(store, "daily_report").unwrap();
    let preview = report::preview(store, &template, &day_params(), 100).unwrap();
    let row = preview.rows.iter().find(|r| r[0] == "石桥村").unwrap();
    template
        .columns
        .iter()
        .map(|c| c.field.clone())
        .zip(row.iter().cloned())
        .collect()
}

/// A number read with plain SQL from the ledger's file, apart from the store.
fn sql_count(store: &Store, sql: &str) -> i64 {
    rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_case_typed_today_is_on_the_daily_report_and_in_the_case_list() {
    let (store, household) = village();
    let patient = person(&store, Some(household), "张三");
    // Before the case: nothing new, a true 零报告.
    let before = daily_row(&store);
    assert_eq!(before["new_cases:确诊"], "0");

    save(
        &store,
        Entity::Case,
        patient,
        &[("kind", "确诊"), ("reported_date", TODAY)],
    );
    let suspect = person(&store, Some(household), "王五");
    save(
        &store,
        Entity::Case,
        suspect,
        &[("kind", "疑似"), ("reported_date", TODAY)],
    );
    let row = daily_row(&store);
    assert_eq!(row["new_cases:确诊"], "1", "{row:?}");
    assert_eq!(row["new_cases:疑似"], "1");
    assert_eq!(row["new_cases:无症状感染者"], "0");
    // The 日报 is no 零报告 now, and the forms agree with the ledger counted again.
    let template = report::template(&store, "daily_report").unwrap();
    let preview = report::preview(&store, &template, &day_params(), 100).unwrap();
    assert_eq!(preview.zero_report, None);
    let check = report::check_forms(&store, &day_params()).unwrap();
    assert_eq!(check.disagreements().count(), 0);

    // The case list: today's and all, with its chain's counts.
    let contact = person(&store, Some(household), "李四");
    let case = sql_count(
        &store,
        &format!("SELECT id FROM cases WHERE person_id = {patient}"),
    );
    entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Contact),
            person_id: Some(contact),
            case_id: Some(case),
            values: [("level", "密接"), ("found_date", TODAY)]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        },
    )
    .unwrap();
    let cases = report::template(&store, "cases").unwrap();
    let list = report::preview(&store, &cases, &day_params(), 100).unwrap();
    let keys: Vec<&str> = cases.columns.iter().map(|c| c.field.as_str()).collect();
    let at =
        |row: &Vec<String>, key: &str| row[keys.iter().position(|k| *k == key).unwrap()].clone();
    assert_eq!(
        list.rows.len() as i64,
        sql_count(&store, "SELECT count(*) FROM cases")
    );
    let zhang = list.rows.iter().find(|r| at(r, "name") == "张三").unwrap();
    assert_eq!(at(zhang, "case_kind"), "确诊");
    assert_eq!(at(zhang, "case_close_contacts"), "1");
    assert_eq!(at(zhang, "case_awaiting_isolation"), "1");
    save(
        &store,
        Entity::Isolation,
        contact,
        &[("kind", "居家隔离医学观察"), ("start_date", TODAY)],
    );
    let list = report::preview(&store, &cases, &day_params(), 100).unwrap();
    let zhang = list.rows.iter().find(|r| at(r, "name") == "张三").unwrap();
    assert_eq!(at(zhang, "case_awaiting_isolation"), "0");
    // A case of yesterday is in the whole list, not in today's.
    let old = person(&store, Some(household), "赵六");
    save(
        &store,
        Entity::Case,
        old,
        &[("kind", "确诊"), ("reported_date", "2026-12-04")],
    );
    let all = report::preview(&store, &cases, &day_params(), 100).unwrap();
    let today = report::preview(
        &store,
        &cases,
        &ReportParams {
            from: Some(date(TODAY)),
            ..day_params()
        },
        100,
    )
    .unwrap();
    assert_eq!((all.rows.len(), today.rows.len()), (3, 2));
    // The template editor offers the case fields.
    let fields = |source: &str| -> Vec<String> {
        gridledger::store::report_fields(source)
            .unwrap()
            .into_iter()
            .map(|f| f.key)
            .collect()
    };
    assert!(fields("cases").contains(&"case_kind".to_string()));
    assert!(fields("villages").contains(&"new_cases:确诊".to_string()));
}

#[test]
fn an_archived_person_stays_findable_and_archiving_is_in_the_change_log() {
    let (store, household) = village();
    let id = person(&store, Some(household), "张三丰");
    store.archive_person(id).unwrap();
    assert!(store.find_persons("张三丰", 10).unwrap().is_empty());
    let found = store.search_persons("张三丰", 10, true).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].archived);
    assert_eq!(found[0].id, id);
    store.restore_person(id).unwrap();
    let found = store.search_persons("zsf", 10, true).unwrap();
    assert!(!found[0].archived);
    let actions: Vec<String> = store
        .changes_of(Entity::Person, id)
        .unwrap()
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(actions, ["恢复", "归档"]);
    // A household too.
    store.archive_household(household).unwrap();
    store.restore_household(household).unwrap();
    let actions: Vec<String> = store
        .changes_of(Entity::Household, household)
        .unwrap()
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(actions, ["恢复", "归档"]);
}

#[test]
fn hand_entries_go_to_their_own_batch_per_operator_and_day_never_the_samples() {
    let mut store = ledger();
    gridledger::demo::fill(&mut store, Default::default()).unwrap();
    let sample: i64 = sql_count(&store, "SELECT id FROM batches WHERE kind = '示例'");
    let typed = person(&store, None, "手工录入甲");
    let batch_of = |store: &Store, id: i64| -> (i64, String, Option<String>) {
        rusqlite::Connection::open(store.path())
            .unwrap()
            .query_row(
                "SELECT b.id, b.kind, b.operator FROM persons p JOIN batches b ON b.id = p.batch_id WHERE p.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let (first, kind, _) = batch_of(&store, typed);
    assert_ne!(first, sample);
    assert_eq!(kind, "录入");
    // The same operator on the same day: the same batch; a record typed goes there too.
    let second = person(&store, None, "手工录入乙");
    assert_eq!(batch_of(&store, second).0, first);
    let arrival = save(
        &store,
        Entity::Arrival,
        second,
        &[("kind", "返乡"), ("arrival_date", TODAY)],
    );
    let arrival_batch = sql_count(
        &store,
        &format!("SELECT batch_id FROM arrivals WHERE id = {arrival}"),
    );
    assert_eq!(arrival_batch, first);
    // Another operator: another batch, named for them.
    store.set_setting("operator", "李文书").unwrap();
    let third = person(&store, None, "手工录入丙");
    let (other, _, operator) = batch_of(&store, third);
    assert_ne!(other, first);
    assert_eq!(operator.as_deref(), Some("李文书"));
    // The next day: a new batch.
    store.set_today(date("2026-12-06"));
    let fourth = person(&store, None, "手工录入丁");
    assert!(![first, other, sample].contains(&batch_of(&store, fourth).0));
    // The sample's batch holds only what the sample made.
    assert_eq!(
        sql_count(
            &store,
            &format!(
                "SELECT count(*) FROM persons WHERE batch_id = {sample} AND name LIKE '手工录入%'"
            )
        ),
        0
    );
}

#[test]
fn a_new_contact_without_isolation_is_on_today_until_isolated() {
    let (store, household) = village();
    let patient = person(&store, Some(household), "张三");
    let case = save(
        &store,
        Entity::Case,
        patient,
        &[("kind", "确诊"), ("reported_date", TODAY)],
    );
    let contact = person(&store, Some(household), "李四");
    let link = entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Contact),
            person_id: Some(contact),
            case_id: Some(case),
            values: [("level", "密接"), ("found_date", TODAY)]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let today = report::today(&store, None).unwrap();
    assert_eq!(today.awaiting_isolation.len(), 1);
    assert_eq!(today.awaiting_isolation[0].who.person_id, contact);
    assert_eq!(today.awaiting_isolation[0].contact_id, link);
    assert_eq!(today.awaiting_isolation[0].case_name, "张三");
    // A period released before they were found does not count; one started now does.
    save(
        &store,
        Entity::Isolation,
        contact,
        &[
            ("kind", "居家健康监测"),
            ("start_date", "2026-11-01"),
            ("planned_end_date", "2026-11-07"),
        ],
    );
    let period = sql_count(
        &store,
        &format!("SELECT id FROM isolations WHERE person_id = {contact}"),
    );
    entry::release(&store, period, Some("2026-11-07")).unwrap();
    assert_eq!(
        report::today(&store, None)
            .unwrap()
            .awaiting_isolation
            .len(),
        1
    );
    save(
        &store,
        Entity::Isolation,
        contact,
        &[("kind", "居家隔离医学观察"), ("start_date", TODAY)],
    );
    assert!(report::today(&store, None)
        .unwrap()
        .awaiting_isolation
        .is_empty());
}

#[test]
fn an_exported_daily_report_turns_stale_when_its_numbers_change_and_only_then() {
    let (store, household) = village();
    let someone = person(&store, Some(household), "张三");
    let dir = tempfile::tempdir().unwrap();
    let template = report::template(&store, "daily_report").unwrap();
    let export = |name: &str| {
        report::export_xlsx(
            &store,
            &template,
            &day_params(),
            &dir.path().join(name),
            gridledger::files::IfExists::Refuse,
        )
        .unwrap()
    };
    assert!(report::today(&store, None).unwrap().daily_report.is_none());
    export("a.xlsx");
    let fresh = report::today(&store, None).unwrap().daily_report.unwrap();
    assert!(!fresh.stale);
    // A change the 日报 does not count (a phone) leaves it fresh.
    let mut input = PersonInput::of(&store.person(someone).unwrap());
    input.phone = "13800138000".into();
    store.save_person(&input).unwrap();
    assert!(
        !report::today(&store, None)
            .unwrap()
            .daily_report
            .unwrap()
            .stale
    );
    // An arrival today changes 新增来(返)乡: stale, until exported again.
    save(
        &store,
        Entity::Arrival,
        someone,
        &[("kind", "返乡"), ("arrival_date", TODAY)],
    );
    assert!(
        report::today(&store, None)
            .unwrap()
            .daily_report
            .unwrap()
            .stale
    );
    export("b.xlsx");
    assert!(
        !report::today(&store, None)
            .unwrap()
            .daily_report
            .unwrap()
            .stale
    );
}

#[test]
fn a_long_import_or_preview_can_be_stopped_and_writes_nothing() {
    use gridledger::import::{ImportOptions, ImportSession, Source};
    use std::sync::atomic::Ordering;
    let (store, _) = village();
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("returnees.csv");
    let mut text = String::from("姓名,手机号码,返乡日期\n");
    for i in 0..3000 {
        text.push_str(&format!("返乡人{i},139{i:08},2026-12-01\n"));
    }
    std::fs::write(&sheet, text).unwrap();
    let source = Source::File(&sheet);
    let options = ImportOptions::default();
    let mut session = ImportSession::default();
    let cancel = session.cancel.clone();
    let mut seen = Vec::new();
    // The window's 取消 arrives while the rows are read: the preview stops within 500 rows.
    let stopped = session
        .preview(&store, &source, &options, &mut |done, total| {
            seen.push((done, total));
            if done >= 1000 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap_err();
    assert_eq!(
        stopped.code(),
        gridledger::error::Code::Cancelled,
        "{stopped}"
    );
    assert!(seen.iter().all(|(_, total)| *total == 3000), "{seen:?}");
    assert!(seen.last().unwrap().0 <= 1500, "{seen:?}");
    // A new preview starts afresh (the switch is cleared), and so does the confirmed run,
    // which stops the same way with nothing written.
    let preview = session
        .preview(&store, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!(preview.inserted, 3000);
    let cancel = session.cancel.clone();
    let stopped = session
        .run(&store, &source, &options, &mut |done, _| {
            if done >= 2000 {
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap_err();
    assert_eq!(stopped.code(), gridledger::error::Code::Cancelled);
    assert_eq!(sql_count(&store, "SELECT count(*) FROM persons"), 0);
    assert_eq!(sql_count(&store, "SELECT count(*) FROM arrivals"), 0);
    let done = session
        .run(&store, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!(done.inserted, 3000);
    assert_eq!(sql_count(&store, "SELECT count(*) FROM arrivals"), 3000);
}

#[test]
fn the_unplaced_count_is_a_count_not_the_length_of_a_capped_list() {
    let (store, household) = village();
    for i in 0..7 {
        person(&store, None, &format!("未分户{i}"));
    }
    person(&store, Some(household), "有户的");
    let archived = person(&store, None, "已归档的");
    store.archive_person(archived).unwrap();
    assert_eq!(store.persons_without_household(5).unwrap().len(), 5);
    assert_eq!(
        store.count_persons_without_household().unwrap(),
        sql_count(
            &store,
            "SELECT count(*) FROM persons WHERE household_id IS NULL AND archived_at IS NULL"
        )
    );
    assert_eq!(store.count_persons_without_household().unwrap(), 7);
}

#[test]
fn the_screen_gets_the_first_problems_with_their_kinds_and_the_workbook_gets_all() {
    use calamine::Reader;
    use gridledger::import::{ImportOptions, ImportSession, Source, ON_SCREEN};
    let (store, _) = village();
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("bad.csv");
    let rows = ON_SCREEN * 2 + 500;
    let mut text = String::from("姓名,身份证号码,手机号码,返乡日期\n");
    for i in 0..rows {
        // Every ID has a wrong check digit; every tenth phone is short too.
        let phone = if i % 10 == 0 {
            "1390000".to_string()
        } else {
            format!("139{i:08}")
        };
        text.push_str(&format!(
            "返乡人{i},11010519491231002{},{phone},2026-12-01\n",
            i % 9
        ));
    }
    std::fs::write(&sheet, text).unwrap();
    let mut session = ImportSession::default();
    let shown = session
        .preview(
            &store,
            &Source::File(&sheet),
            &ImportOptions::default(),
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(shown.problems.len(), ON_SCREEN);
    let kinds: Vec<(String, usize)> = shown
        .problem_kinds
        .iter()
        .map(|k| (k.code.clone(), k.count))
        .collect();
    assert_eq!(
        shown.problems_total,
        kinds.iter().map(|k| k.1).sum::<usize>()
    );
    assert!(shown.problems_total > ON_SCREEN, "{kinds:?}");
    // Errors first, the most frequent first, each counted over every row: every ID is wrong
    // (the right check digit is X), every tenth phone is kept as written with a warning.
    assert_eq!(kinds[0], ("id_check_digit".to_string(), rows), "{kinds:?}");
    assert_eq!(kinds.last().unwrap().1, rows / 10, "{kinds:?}");
    assert!(shown.problem_kinds.last().unwrap().warning);
    let saved = session.save_problems(dir.path()).unwrap();
    let mut book = calamine::open_workbook_auto(&saved).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    assert!(
        range.height() > ON_SCREEN,
        "the workbook has every problem row: {}",
        range.height()
    );
}

#[test]
fn places_created_from_a_sheet_keep_their_names_and_number_their_grids() {
    use gridledger::import::{self, ImportOptions, Source};
    let store = ledger();
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("county.csv");
    std::fs::write(
        &sheet,
        "乡镇,村,网格,姓名,手机号码,返乡日期\n青山镇,东一村,第三网格,王五,13900000000,2026-12-01\n青山镇,东一村,第3网格,赵六,13900000001,2026-12-01\n",
    )
    .unwrap();
    let options = ImportOptions {
        create_places: true,
        ..Default::default()
    };
    let report = import::import(
        &store,
        &Source::File(&sheet),
        &options,
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.inserted, 2);
    let names = |level: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM places WHERE level = ?1 ORDER BY id")
            .unwrap();
        stmt.query_map([level], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // A village's name is its name; one grid however its number is written.
    assert_eq!(names("村"), ["东一村"]);
    assert_eq!(names("网格"), ["第3网格"]);
}

#[test]
fn a_ledger_of_several_townships_is_named_by_them_never_a_blank() {
    let store = ledger();
    assert_eq!(store.ledger_title().unwrap(), "");
    for name in ["青山镇", "白水镇", "石门镇"] {
        store
            .add_place(&PlaceInput {
                level: "乡镇".into(),
                name: name.into(),
                ..Default::default()
            })
            .unwrap();
    }
    assert_eq!(store.ledger_title().unwrap(), "青山镇、白水镇等 3 地");
}

/// Item 9: an export tells its watcher the rows written as it goes, and stops when asked,
/// leaving no file and no line in the export log.
#[test]
fn an_export_shows_its_rows_as_it_writes_them_and_stops_when_asked() {
    let (store, _) = village();
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("returnees.csv");
    let mut text = String::from("姓名,手机号码,来(返)乡日期,出发地\n");
    for i in 0..2_500 {
        text.push_str(&format!("返乡{i},139{i:08},{TODAY},武汉市\n"));
    }
    std::fs::write(&sheet, text).unwrap();
    let options = gridledger::import::ImportOptions {
        target: Some("arrivals".into()),
        ..Default::default()
    };
    let imported =
        gridledger::import::import_file(&store, &sheet, &options, None, &mut |_, _| {}).unwrap();
    assert_eq!(imported.inserted, 2_500, "{:?}", imported.problems);
    let template = report::template(&store, "returnees").unwrap();
    let out = tempfile::tempdir().unwrap();

    let mut seen = Vec::new();
    let summary = report::export_to_dir(
        &store,
        &template,
        &day_params(),
        out.path(),
        &mut report::Watch {
            progress: &mut |done| seen.push(done),
            cancel: None,
        },
    )
    .unwrap();
    assert_eq!(summary.rows, 2_500);
    assert_eq!(seen, [1_000, 2_000, 2_500]);

    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut told = Vec::new();
    let error = report::export_to_dir(
        &store,
        &template,
        &day_params(),
        out.path(),
        &mut report::Watch {
            progress: &mut |done| {
                told.push(done);
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            },
            cancel: Some(&stop),
        },
    )
    .unwrap_err();
    assert_eq!(error.code(), gridledger::error::Code::Cancelled);
    assert_eq!(told, [1_000]);
    let files: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "only the first export's file");
    let logged: i64 = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row("SELECT count(*) FROM exports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(logged, 1);
}

/// A county's sheet naming a grid the ledger lacks, written as Excel writes it.
fn county_xlsx(path: &std::path::Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["村", "网格", "姓名", "手机号码", "返乡日期"]
        .iter()
        .enumerate()
    {
        sheet.write(0, c as u16, *h).unwrap();
    }
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 12, 1).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for i in 0..rows {
        let r = i as u32 + 1;
        let grid = if i % 3 == 0 {
            "第9网格"
        } else {
            "第一网格"
        };
        sheet.write(r, 0, "石桥村").unwrap();
        sheet.write(r, 1, grid).unwrap();
        sheet.write(r, 2, format!("返乡人{i}")).unwrap();
        sheet.write(r, 3, format!("139{i:08}")).unwrap();
        sheet
            .write_datetime_with_format(r, 4, &day, &format)
            .unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_previewed_sheet_is_read_once_whatever_is_decided_until_its_file_changes() {
    use gridledger::import::{ImportOptions, ImportSession, Source};
    let (store, _) = village();
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("county.xlsx");
    county_xlsx(&sheet, 600);
    let source = Source::File(&sheet);
    let mut session = ImportSession::default();
    let first = session
        .preview(&store, &source, &ImportOptions::default(), &mut |_, _| {})
        .unwrap();
    assert_eq!(first.unknown_places.len(), 1, "{:?}", first.unknown_places);
    assert_eq!(first.unknown_places[0].rows, 200);
    assert_eq!((first.inserted, first.rejected_rows), (400, 200));
    assert_eq!(session.sheet_reads(), 1);

    // Confirming the place plans the sheet again from the rows read: the same plan a fresh
    // reading of the file makes, with no second reading.
    let confirmed = ImportOptions {
        places_to_create: vec![first.unknown_places[0].path.clone()],
        ..Default::default()
    };
    let planned = session
        .preview(&store, &source, &confirmed, &mut |_, _| {})
        .unwrap();
    assert_eq!(session.sheet_reads(), 1);
    let fresh = ImportSession::default()
        .preview(&store, &source, &confirmed, &mut |_, _| {})
        .unwrap();
    assert_eq!(planned.inserted, 600);
    assert_eq!(
        serde_json::to_value(&planned).unwrap(),
        serde_json::to_value(&fresh).unwrap(),
        "the kept rows plan as the file does"
    );

    // A file changed on disk is read again.
    county_xlsx(&sheet, 601);
    let changed = session
        .preview(&store, &source, &confirmed, &mut |_, _| {})
        .unwrap();
    assert_eq!((changed.data_rows, session.sheet_reads()), (601, 2));

    // Confirming writes what was previewed, from the rows read: no third reading.
    let written = session
        .run(&store, &source, &confirmed, &mut |_, _| {})
        .unwrap();
    assert_eq!(written.inserted, 601);
    assert_eq!(session.sheet_reads(), 2);
    assert_eq!(sql_count(&store, "SELECT count(*) FROM persons"), 601);
    assert_eq!(
        sql_count(
            &store,
            "SELECT count(*) FROM arrivals a JOIN places g ON g.id = a.destination_place_id WHERE g.name = '第9网格'"
        ),
        201
    );
}

/// The 范围 of a report on a county ledger is found by typing: `find_places` gives exactly
/// the places whose path holds every word, of the levels asked, in tree order, at most the
/// limit — the same as filtering the whole list, for any words (`%` and `_` are literal).
#[test]
fn places_are_found_by_the_words_of_their_path() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    let store = ledger();
    let add = |level: &str, name: &str, parent: Option<i64>| {
        store
            .add_place(&PlaceInput {
                level: level.into(),
                name: name.into(),
                parent_id: parent,
                ..Default::default()
            })
            .unwrap()
            .id
    };
    let town = add("乡镇", "青山镇", None);
    for village in ["石桥村", "下五村", "桃源村"] {
        let v = add("村", village, Some(town));
        for n in 1..=25 {
            let grid = add("网格", &format!("第{n}网格"), Some(v));
            if n % 10 == 0 {
                add("联户组", &format!("{n}%组"), Some(grid));
                add("联户组", &format!("_{n}组"), Some(grid));
            }
        }
    }
    let all = store.places().unwrap();
    let words = [
        "石桥",
        "下五",
        "桃源",
        "青山",
        "村",
        "网格",
        "第1",
        "2",
        "5网",
        "0%",
        "%",
        "_",
        "组",
        "镇/石",
        "无此地",
    ];
    let levels = ["乡镇", "村", "网格", "联户组"];
    let case = (
        proptest::sample::subsequence(words.to_vec(), 0..3),
        proptest::sample::subsequence(levels.to_vec(), 0..3),
        1usize..40,
    );
    let mut runner = TestRunner::new_with_rng(
        Config::with_cases(200),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    runner
        .run(&case, |(words, levels, limit)| {
            let text = words.join(" ");
            let levels: Vec<String> = levels.iter().map(|l| l.to_string()).collect();
            let found = store.find_places(&text, &levels, limit).unwrap();
            let expected: Vec<i64> = all
                .iter()
                .filter(|p| {
                    // Numbers compared as the importer reads them (第三 = 第3).
                    let fold = gridledger::model::place_names::arabic_numbers;
                    text.split([' ', '/'])
                        .filter(|w| !w.is_empty())
                        .all(|w| fold(&p.path).contains(&fold(w)))
                })
                .filter(|p| levels.is_empty() || levels.contains(&p.level))
                .take(limit)
                .map(|p| p.id)
                .collect();
            let found: Vec<i64> = found.iter().map(|p| p.id).collect();
            prop_assert_eq!(found, expected, "{:?} {:?} {}", text, levels, limit);
            Ok(())
        })
        .unwrap();

    // The command line finds the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args([
            "--db",
            store.path().to_str().unwrap(),
            "--json",
            "place",
            "find",
            "石桥",
            "第1",
        ])
        .args(["--level", "网格", "--limit", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = listed.iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "青山镇/石桥村/第1网格",
            "青山镇/石桥村/第10网格",
            "青山镇/石桥村/第11网格"
        ]
    );
    // A number however written: the sheet's 第3网格 is found as 第三网格, and a place named in
    // Chinese numerals by its digits.
    let found = |text: &str| -> Vec<String> {
        store
            .find_places(text, &["网格".to_string()], 5)
            .unwrap()
            .into_iter()
            .map(|p| p.path)
            .collect()
    };
    assert_eq!(found("石桥 第三网格"), ["青山镇/石桥村/第3网格"]);
    assert_eq!(found("下五 第二十五"), ["青山镇/下五村/第25网格"]);
    let named = store
        .add_place(&PlaceInput {
            level: "网格".into(),
            name: "第二十六网格".into(),
            parent_id: Some(town),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found("青山 26网格"), [named.path]);
    // Words quoted together are the same words.
    let quoted = std::process::Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args([
            "--db",
            store.path().to_str().unwrap(),
            "--json",
            "place",
            "find",
            "石桥 第1",
        ])
        .args(["--level", "网格", "--limit", "3"])
        .output()
        .unwrap();
    assert_eq!(quoted.stdout, out.stdout);
}
