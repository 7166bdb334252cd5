//! Issue 16, "Trust": what is built of it so far — backups taken, checked, rotated and
//! restored, before every import, migration and restore, and on a timer when the ledger
//! changed.

use std::path::Path;
use std::time::{Duration, SystemTime};

use gridledger::model::PersonInput;
use gridledger::store::{Reason, Store};

use crate::util::gridledger;

/// The one value `query` gives, read with SQL of its own, apart from the store.
fn one<T: rusqlite::types::FromSql>(path: &Path, query: &str) -> T {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

fn count(path: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn add(store: &Store, name: &str) {
    store
        .save_person(&PersonInput {
            name: name.into(),
            ..Default::default()
        })
        .unwrap();
}

fn ledger(dir: &Path) -> Store {
    let mut store = Store::create(&dir.join("村账本.db")).unwrap();
    store.set_clock(gridledger::clock::Clock::parse("2026-12-05 09:30").unwrap());
    store
}

#[test]
fn a_backup_is_a_checked_copy_and_restoring_it_keeps_the_present_as_a_backup_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ledger(dir.path());
    add(&store, "张三");
    add(&store, "李四");
    let backup = store.back_up(Reason::Asked).unwrap();
    assert_eq!(
        backup.path.file_name().unwrap().to_string_lossy(),
        "村账本_20261205_093000_手动.db"
    );
    assert_eq!(
        backup.path.parent().unwrap(),
        dir.path().join("村账本_备份")
    );
    assert_eq!((backup.persons, count(&backup.path, "persons")), (2, 2));

    add(&store, "王五");
    store.set_clock(gridledger::clock::Clock::parse("2026-12-05 10:00").unwrap());
    let before = store.restore_backup(&backup.path).unwrap();
    assert_eq!(before.reason, "恢复前");
    assert_eq!(count(&before.path, "persons"), 3, "the present, kept");
    assert_eq!(count(store.path(), "persons"), 2, "the backup, restored");
    // The restored ledger works on: a write, a search.
    add(&store, "赵六");
    assert_eq!(store.find_persons("赵六", 5).unwrap().len(), 1);
    let listed: Vec<String> = store
        .backups()
        .unwrap()
        .iter()
        .map(|b| b.reason.clone())
        .collect();
    assert_eq!(listed, ["恢复前", "手动"]);
}

#[test]
fn a_file_that_is_not_a_ledger_is_never_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ledger(dir.path());
    add(&store, "张三");
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let error = store.restore_backup(&other).unwrap_err();
    assert_eq!(error.code(), gridledger::error::Code::NotALedger);
    assert_eq!(count(store.path(), "persons"), 1);
    assert!(
        store.backups().unwrap().is_empty(),
        "nothing taken for nothing"
    );
}

#[test]
fn the_timer_backs_up_only_a_ledger_that_changed_and_only_every_half_hour() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    add(&store, "张三");
    // Files' times have the kernel clock's grain: the backup is written a tick later.
    std::thread::sleep(Duration::from_millis(20));
    let every = Duration::from_secs(30 * 60);
    let first = store.back_up_if_due(SystemTime::now(), every).unwrap();
    assert!(first.is_some(), "no backup yet: one now");
    let taken = std::fs::metadata(&first.unwrap().path)
        .unwrap()
        .modified()
        .unwrap();
    let later = |minutes: u64| taken + Duration::from_secs(minutes * 60);
    assert!(
        store.back_up_if_due(later(45), every).unwrap().is_none(),
        "unchanged"
    );
    std::thread::sleep(Duration::from_millis(20));
    add(&store, "李四");
    assert!(
        store.back_up_if_due(later(10), every).unwrap().is_none(),
        "changed, too soon"
    );
    let second = store.back_up_if_due(later(31), every).unwrap();
    assert_eq!(count(&second.unwrap().path, "persons"), 2);
}

#[test]
fn an_upgrade_backs_up_the_ledger_as_it_was_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("老账本.db");
    {
        let store = Store::create(&path).unwrap();
        add(&store, "张三");
    }
    // The ledger as version 6 left it: without the indexes version 7 adds.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP INDEX persons_given_name; DROP INDEX persons_phone_tail; DROP TABLE purges;
         PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        gridledger::store::SCHEMA_VERSION
    );
    let backups = store.backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, "升级前");
    let version: i64 = rusqlite::Connection::open(&backups[0].path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 6);
    assert_eq!(count(&backups[0].path, "persons"), 1);
}

/// The command line: an import backs up first (once for a ledger that has not changed since
/// its newest backup, never for a dry run), `backup list` reads them, `backup restore` puts
/// one back and keeps the present as a backup of its own.
#[test]
fn imports_back_up_first_and_the_command_line_lists_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let sheet = dir.path().join("roll.csv");
    std::fs::write(
        &sheet,
        "姓名,手机号码\n张三,13900000001\n李四,13900000002\n",
    )
    .unwrap();
    let file = sheet.to_str().unwrap();
    let backups = || -> Vec<serde_json::Value> {
        let out = gridledger(&db, &["--json", "backup", "list"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert!(gridledger(&db, &["import", file, "--dry-run"])
        .status
        .success());
    assert!(
        backups().is_empty(),
        "a dry run writes nothing, backs up nothing"
    );
    assert!(gridledger(&db, &["import", file]).status.success());
    let after_one = backups();
    assert_eq!(after_one.len(), 1);
    assert_eq!(after_one[0]["reason"], "导入前");
    assert_eq!(after_one[0]["persons"], 0, "the ledger before the import");
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&sheet, "姓名,手机号码\n王五,13900000003\n").unwrap();
    assert!(gridledger(&db, &["import", file]).status.success());
    let after_two = backups();
    assert_eq!(
        after_two.len(),
        2,
        "the first import changed the ledger: backed up again"
    );
    assert_eq!(after_two[0]["persons"], 2);
    assert_eq!(count(&db, "persons"), 3);

    let first = after_one[0]["path"].as_str().unwrap().to_string();
    let out = gridledger(&db, &["backup", "restore", &first]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("恢复前"));
    assert_eq!(count(&db, "persons"), 0);
    let listed = backups();
    assert_eq!(listed[0]["reason"], "恢复前");
    assert_eq!(listed[0]["persons"], 3);
}

/// A second folder (a USB stick) gets a copy of every backup; when it is not there the
/// backup is still taken and says so, and nothing waits on the stick.
#[test]
fn a_second_folder_gets_a_copy_and_a_missing_one_is_said_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    add(&store, "张三");
    store
        .set_setting("backup_copy_dir", stick.path().to_str().unwrap())
        .unwrap();
    let taken = store.back_up(Reason::Asked).unwrap();
    assert_eq!(taken.copy_problem, None);
    let copy = stick.path().join(taken.path.file_name().unwrap());
    assert_eq!(count(&copy, "persons"), 1);

    // A folder that is not there is refused when it is set…
    let typo = stick.path().join("没有这个文件夹");
    let refused = store
        .set_setting("backup_copy_dir", typo.to_str().unwrap())
        .unwrap_err();
    assert!(refused.to_string().contains("不存在"), "{refused}");
    // …and a stick pulled out later is said with the backup, which is taken all the same.
    let usb = stick.path().join("U盘");
    std::fs::create_dir(&usb).unwrap();
    store
        .set_setting("backup_copy_dir", usb.to_str().unwrap())
        .unwrap();
    std::fs::remove_dir_all(&usb).unwrap();
    add(&store, "李四");
    let taken = store.back_up(Reason::Asked).unwrap();
    let problem = taken.copy_problem.unwrap();
    assert!(
        problem.contains("不在") && problem.contains("这次没有复制"),
        "{problem}"
    );
    assert_eq!(count(&taken.path, "persons"), 2);
}

/// Issue 17 item 2 (the part built now): `--version` says the release and the ledger schema
/// it writes.
#[test]
fn the_version_names_the_release_and_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!(
            "gridledger {}（账本数据版本 {}）",
            env!("CARGO_PKG_VERSION"),
            gridledger::store::SCHEMA_VERSION
        )
    );
}

fn record(
    store: &Store,
    kind: gridledger::model::Entity,
    person: i64,
    case: Option<i64>,
    pairs: &[(&str, &str)],
) -> i64 {
    let input = gridledger::entry::RecordInput {
        kind: Some(kind),
        person_id: Some(person),
        case_id: case,
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    };
    gridledger::entry::save(store, &input)
        .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
        .id
}

/// Item 7: a purge removes exactly the health records before its day — readings, tests,
/// released isolations, contact links no kept record points to — with their change log;
/// the register, the cases and everything later stay; the preview counts and writes
/// nothing; the purge is backed up first and recorded by counts only.
#[test]
fn a_purge_removes_exactly_the_health_records_before_its_day() {
    use gridledger::model::Entity;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("l.db")).unwrap();
    store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
    let id = |name: &str| {
        store
            .save_person(&PersonInput {
                name: name.into(),
                ..Default::default()
            })
            .unwrap()
            .person
            .id
    };
    let (patient, contact, recent) = (id("张三"), id("李四"), id("王五"));
    let case = record(
        &store,
        Entity::Case,
        patient,
        None,
        &[("kind", "确诊"), ("reported_date", "2026-03-01")],
    );
    let link = record(
        &store,
        Entity::Contact,
        contact,
        Some(case),
        &[("level", "密接"), ("found_date", "2026-03-01")],
    );
    let spring = record(
        &store,
        Entity::Isolation,
        contact,
        None,
        &[("kind", "居家隔离医学观察"), ("start_date", "2026-03-01")],
    );
    for day in ["2026-03-02", "2026-03-03"] {
        record(
            &store,
            Entity::HealthCheck,
            contact,
            None,
            &[("check_date", day), ("am_temperature", "36.5")],
        );
    }
    record(
        &store,
        Entity::Test,
        contact,
        None,
        &[("sample_date", "2026-03-02"), ("result", "阴性")],
    );
    gridledger::entry::release(&store, spring, Some("2026-03-15")).unwrap();
    // Still under watch: a period never released, with a reading from before the day.
    let watch = record(
        &store,
        Entity::Isolation,
        recent,
        None,
        &[("kind", "居家健康监测"), ("start_date", "2026-05-20")],
    );
    record(
        &store,
        Entity::HealthCheck,
        recent,
        None,
        &[("check_date", "2026-05-21"), ("am_temperature", "36.6")],
    );
    record(
        &store,
        Entity::HealthCheck,
        recent,
        None,
        &[("check_date", "2026-11-30"), ("am_temperature", "36.6")],
    );
    let path = store.path().to_path_buf();
    let counts = |table: &str| count(&path, table);
    let before: Vec<i64> = [
        "persons",
        "cases",
        "health_checks",
        "tests",
        "isolations",
        "contacts",
    ]
    .iter()
    .map(|t| counts(t))
    .collect();
    assert_eq!(before, [3, 1, 4, 1, 2, 1]);
    let released_logged: i64 = one(
        &path,
        &format!(
            "SELECT count(*) FROM changes WHERE entity = 'isolation' AND entity_id = {spring}"
        ),
    );
    assert!(released_logged > 0, "the release is in the change log");

    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let preview = store.purge_health_records(day, true).unwrap();
    assert_eq!(
        (
            preview.health_checks,
            preview.tests,
            preview.isolations,
            preview.contacts
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(counts("health_checks"), 4, "a preview removes nothing");
    assert_eq!(counts("purges"), 0);
    assert!(store.backups().unwrap().is_empty());

    let done = store.purge_health_records(day, false).unwrap();
    assert_eq!(
        (
            done.health_checks,
            done.tests,
            done.isolations,
            done.contacts
        ),
        (3, 1, 1, 1)
    );
    assert_eq!(counts("persons"), 3);
    assert_eq!(counts("cases"), 1);
    assert_eq!(counts("health_checks"), 1, "the reading of 11-30 stays");
    assert_eq!(counts("tests"), 0);
    assert_eq!(counts("isolations"), 1);
    let kept: i64 = one(&path, "SELECT id FROM isolations");
    assert_eq!(kept, watch, "the period still under watch stays");
    assert_eq!(counts("contacts"), 0);
    let _ = link;
    let logged: i64 = one(
        &path,
        &format!(
            "SELECT count(*) FROM changes WHERE entity = 'isolation' AND entity_id = {spring}"
        ),
    );
    assert_eq!(logged, 0, "the change log of a removed record goes with it");
    let recorded: String = one(&path, "SELECT counts FROM purges");
    let recorded: serde_json::Value = serde_json::from_str(&recorded).unwrap();
    assert_eq!(recorded["health_checks"], 3);
    assert!(!recorded.to_string().contains("李四"), "counts only");
    let backups = store.backups().unwrap();
    assert_eq!(backups[0].reason, "清理前");
    assert_eq!(count(&backups[0].path, "health_checks"), 4);
    // A day not yet come is refused.
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    assert!(store.purge_health_records(later, true).is_err());
}

/// `purge` on the command line: the preview says its counts and removes nothing; a day to
/// come is refused in Chinese with its code.
#[test]
fn purge_on_the_command_line_previews_and_refuses_a_day_to_come() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["demo", "--households", "30"])
        .status
        .success());
    let readings = count(&db, "health_checks");
    assert!(readings > 0);
    let out = gridledger(
        &db,
        &["--json", "purge", "--before", "2026-12-01", "--dry-run"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let counts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts["dry_run"], true);
    assert!(counts["health_checks"].as_i64().unwrap() > 0, "{counts}");
    assert_eq!(count(&db, "health_checks"), readings);
    let out = gridledger(&db, &["purge", "--before", "2026-12-31"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("晚于今天"));
}

/// A backup killed at any moment (kill -9) leaves the ledger whole and every backup listed
/// whole: a half-written copy keeps its hidden temporary name, is never listed, and goes at
/// the next backup.
#[test]
fn a_backup_killed_mid_way_leaves_the_ledger_and_the_listed_backups_whole() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["demo", "--households", "1500"])
        .status
        .success());
    let persons = count(&db, "persons");
    for delay_ms in [1u64, 5, 15, 40, 80, 150, 300] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .arg("--db")
            .arg(&db)
            .arg("backup")
            .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok();
        child.wait().unwrap();
        let store = Store::open(&db).unwrap();
        assert!(
            store.integrity_problems().unwrap().is_empty(),
            "after {delay_ms} ms"
        );
        assert_eq!(count(&db, "persons"), persons);
        for backup in store.backups().unwrap() {
            let verdict: String = rusqlite::Connection::open(&backup.path)
                .unwrap()
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(verdict, "ok", "{}", backup.path.display());
            assert_eq!(backup.persons, persons);
        }
    }
    // The next backup runs whole and leaves no temporary file behind.
    let out = gridledger(&db, &["backup"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("l_备份"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// The window's import of a file backs up first; rows pasted onto a grid (as frequent as
/// typing) do not — the 30-minute backups cover them.
#[test]
fn the_window_backs_up_before_a_files_import_not_before_a_paste() {
    use gridledger::import::{ImportOptions, ImportSession, Source};
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    add(&store, "张三");
    std::thread::sleep(Duration::from_millis(20));
    let sheet = dir.path().join("roll.csv");
    std::fs::write(&sheet, "姓名,手机号码\n李四,13900000002\n").unwrap();
    let mut session = ImportSession::default();
    let options = ImportOptions::default();
    let file = Source::File(&sheet);
    session
        .preview(&store, &file, &options, &mut |_, _| {})
        .unwrap();
    assert!(
        store.backups().unwrap().is_empty(),
        "a preview writes nothing"
    );
    session
        .run(&store, &file, &options, &mut |_, _| {})
        .unwrap();
    let backups = store.backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        (backups[0].reason.as_str(), backups[0].persons),
        ("导入前", 1)
    );

    std::thread::sleep(Duration::from_millis(20));
    let rows = vec![
        vec!["姓名".to_string(), "手机号码".to_string()],
        vec!["王五".to_string(), "13900000003".to_string()],
    ];
    let pasted = Source::Pasted {
        name: "粘贴",
        rows: &rows,
    };
    let mut paste = ImportSession::default();
    paste
        .preview(&store, &pasted, &options, &mut |_, _| {})
        .unwrap();
    paste
        .run(&store, &pasted, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!(count(store.path(), "persons"), 3);
    assert_eq!(store.backups().unwrap().len(), 1, "no backup for a paste");
}

/// A backup the rotation would remove today (the older of two taken on a past day) can still
/// be restored: the rotation has its turn only after the backup was read.
#[test]
fn a_backup_the_rotation_would_remove_is_still_restored_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ledger(dir.path());
    let at = |text: &str| gridledger::clock::Clock::parse(text).unwrap();
    store.set_clock(at("2026-12-01 09:00"));
    add(&store, "张三");
    let older = store.back_up(Reason::Asked).unwrap();
    store.set_clock(at("2026-12-01 10:00"));
    add(&store, "李四");
    store.back_up(Reason::Asked).unwrap();
    store.set_clock(at("2026-12-05 09:00"));
    add(&store, "王五");
    store.restore_backup(&older.path).unwrap();
    assert_eq!(
        count(store.path(), "persons"),
        1,
        "the older backup, restored"
    );
    assert!(
        !older.path.exists(),
        "then pruned by the rotation, as it would have been"
    );
    let reasons: Vec<String> = store
        .backups()
        .unwrap()
        .iter()
        .map(|b| b.reason.clone())
        .collect();
    assert_eq!(reasons, ["恢复前", "手动"]);
}
