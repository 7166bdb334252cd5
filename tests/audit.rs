//! Issue 16, the audit trail: every insert, change, archive, restore, move and delete of every
//! record — typed, imported, loaded as the sample, written by the command line or by another
//! program — is a row naming who worked; the rows form a hash chain `audit verify` checks; a
//! row altered, removed or slipped in with a raw SQLite connection is found; a purge keeps
//! the trail whole while erasing what the records held.

use std::collections::BTreeMap;
use std::path::Path;

use gridledger::entry::{self, RecordInput};
use gridledger::model::{Entity, HouseholdInput, PersonInput, PlaceInput};
use gridledger::store::audit::AuditFilter;
use gridledger::Store;

use crate::util::gridledger;

/// Tables whose rows are not records and are left out of the trail, and why.
const NOT_AUDITED: &[&str] = &[
    "audit",           // the trail itself
    "audit_session",   // who is writing, for the triggers
    "audit_seals",     // the seals of the trail
    "audit_baseline",  // the records an upgraded ledger held when its trail began
    "changes",         // the readable change log the trail supersedes, derived from writes
    "record_sources",  // an imported value's file and row (provenance of a record)
    "original_values", // the original text of a value not in a list (provenance)
    "exports",         // the log of files written (a read of the ledger)
    "import_mappings", // remembered column mappings (the window's memory, no personal data)
];

fn sql<T: rusqlite::types::FromSql>(path: &Path, query: &str) -> T {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

fn tables(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.collect::<rusqlite::Result<_>>().unwrap()
}

/// The trail accounts for every record, counted apart with plain SQL: for each audited table,
/// the records it holds are the rows added less the rows deleted.
fn assert_every_record_is_in_the_trail(path: &Path) {
    for table in tables(path)
        .iter()
        .filter(|t| !NOT_AUDITED.contains(&t.as_str()))
    {
        let held: i64 = sql(path, &format!("SELECT count(*) FROM {table}"));
        let added: i64 = sql(
            path,
            &format!("SELECT count(*) FROM audit WHERE entity = '{table}' AND action = '新增'"),
        );
        let deleted: i64 = sql(
            path,
            &format!("SELECT count(*) FROM audit WHERE entity = '{table}' AND action = '删除'"),
        );
        assert_eq!(held, added - deleted, "{table}: rows held vs the trail");
    }
}

fn verify(path: &Path) -> serde_json::Value {
    let out = gridledger(path, &["audit", "verify", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
}

#[test]
fn every_column_of_every_record_table_is_in_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    drop(Store::create(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for table in tables(&path)
        .iter()
        .filter(|t| !NOT_AUDITED.contains(&t.as_str()))
    {
        let columns: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .unwrap();
            let names = stmt.query_map([table], |r| r.get(0)).unwrap();
            names.collect::<rusqlite::Result<_>>().unwrap()
        };
        for (event, rows) in [
            ("insert", &["NEW"][..]),
            ("update", &["OLD", "NEW"][..]),
            ("delete", &["OLD"][..]),
        ] {
            let name = format!("audit_{table}_{event}");
            let trigger: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| {
                    panic!("{table} has no trigger {name}: add it to scripts/audit-triggers.py, or to NOT_AUDITED with a reason")
                });
            for column in &columns {
                for row in rows {
                    assert!(
                        trigger.contains(&format!("{row}.\"{column}\"")),
                        "{name} leaves out {row}.{column}: run python3 scripts/audit-triggers.py"
                    );
                }
            }
        }
    }
}

#[test]
fn the_command_line_the_sample_and_an_import_write_rows_naming_who_worked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let demo = gridledger(&db, &["--operator", "王网格", "demo"]);
    assert!(demo.status.success(), "{demo:?}");
    // The operator from the environment, for scripts.
    let sheet = dir.path().join("返乡.csv");
    std::fs::write(
        &sheet,
        "姓名,联系电话,返乡日期,现居住地址\n陈新来,13800138000,2026-12-01,石桥村\n林新来,13900139000,2026-12-02,石桥村\n",
    )
    .unwrap();
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "import",
            sheet.to_str().unwrap(),
        ])
        .env("GRIDLEDGER_OPERATOR", "李文员")
        .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
        .env_remove("GRIDLEDGER_DB")
        .output()
        .unwrap();
    assert!(import.status.success(), "{import:?}");
    let set = gridledger(
        &db,
        &["--operator", "王网格", "setting", "operator", "张填报"],
    );
    assert!(set.status.success(), "{set:?}");
    // Named by nobody: the 填报人 setting.
    let place = gridledger(
        &db,
        &[
            "place",
            "add",
            "--level",
            "网格",
            "--name",
            "第九网格",
            "--parent",
            "1",
        ],
    );
    assert!(place.status.success(), "{place:?}");

    assert_every_record_is_in_the_trail(&db);
    let by = |who: &str| -> i64 {
        sql(
            &db,
            &format!("SELECT count(*) FROM audit WHERE operator = '{who}'"),
        )
    };
    let persons: i64 = sql(&db, "SELECT count(*) FROM persons");
    assert!(by("王网格") > persons, "the sample's rows name 王网格");
    assert_eq!(
        sql::<i64>(
            &db,
            "SELECT count(*) FROM audit WHERE entity = 'persons' AND operator = '李文员'"
        ),
        2,
        "the two imported persons name 李文员"
    );
    assert_eq!(by("张填报"), 1, "the place added under the 填报人 setting");
    assert_eq!(
        sql::<i64>(&db, "SELECT count(*) FROM audit WHERE operator IS NULL"),
        0,
        "every row names who worked"
    );
    let verdict = verify(&db);
    assert_eq!(verdict["broken"], serde_json::Value::Null);
    assert_eq!(verdict["unsealed"], 0, "every row is sealed");
    assert_eq!(
        verdict["rows"],
        sql::<i64>(&db, "SELECT count(*) FROM audit")
    );
    // One seal per command that wrote (demo, import, two settings… each one).
    assert_eq!(
        verdict["seals"],
        sql::<i64>(&db, "SELECT count(*) FROM audit_seals")
    );
    assert!(verdict["seals"].as_i64().unwrap() >= 4, "{verdict}");

    // A person's rows: their record, tags, arrivals, checks…
    let list = gridledger(
        &db,
        &["audit", "list", "--person", "1", "--limit", "0", "--json"],
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        rows.len() as i64,
        sql::<i64>(&db, "SELECT count(*) FROM audit WHERE person_id = 1")
    );
    assert!(rows
        .iter()
        .any(|r| r["entity"] == "persons" && r["action"] == "新增"));
    assert!(rows.iter().all(|r| r["person_id"] == 1));
}

#[test]
fn each_kind_of_write_is_its_own_action_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut store = Store::create(&path).unwrap();
    store.set_today(crate::util::today());
    store.set_operator(Some("网格员小李".into()));
    let village = store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let household = |door: &str| {
        store
            .save_household(&HouseholdInput {
                place_id: Some(village),
                door_name: "东街".into(),
                door_number: door.into(),
                ..Default::default()
            })
            .unwrap()
            .id
    };
    let (east, west) = (household("1号"), household("2号"));
    let mut input = PersonInput {
        name: "张三".into(),
        household_id: Some(east),
        ..Default::default()
    };
    let person = store.save_person(&input).unwrap().person.id;
    input.id = Some(person);
    input.phone = "13800138000".into();
    store.save_person(&input).unwrap();
    input.household_id = Some(west);
    store.save_person(&input).unwrap();
    store.archive_person(person).unwrap();
    store.restore_person(person).unwrap();
    let values = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let arrival = entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Arrival),
            person_id: Some(person),
            values: values(&[("arrival_date", "2026-11-20"), ("transport", "自驾车")]),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Arrival),
            id: Some(arrival),
            person_id: Some(person),
            values: values(&[("arrival_date", "2026-11-20"), ("transport", "高铁/火车")]),
            ..Default::default()
        },
    )
    .unwrap();
    entry::archive(&store, Entity::Arrival, arrival).unwrap();
    entry::restore(&store, Entity::Arrival, arrival).unwrap();

    let rows = store
        .audit_list(&AuditFilter {
            person: Some(person),
            ..Default::default()
        })
        .unwrap();
    let of = |entity: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.entity == entity)
            .map(|r| r.action.as_str())
            .collect()
    };
    assert_eq!(of("persons"), ["新增", "修改", "迁户", "归档", "恢复"]);
    assert_eq!(of("arrivals"), ["新增", "修改", "归档", "恢复"]);
    assert!(rows
        .iter()
        .all(|r| r.operator.as_deref() == Some("网格员小李")));
    // The edit's values, before and after.
    let edit = rows
        .iter()
        .find(|r| r.entity == "arrivals" && r.action == "修改")
        .unwrap();
    assert_eq!(edit.old.as_ref().unwrap()["transport"], "自驾车");
    assert_eq!(edit.new.as_ref().unwrap()["transport"], "高铁/火车");
    // …and in the window's words: the table named, each changed field by its label, the
    // stamps (修改时间, 修改人) left out.
    assert_eq!(edit.what, "来（返）乡");
    let changed: Vec<(&str, Option<&str>, Option<&str>)> = edit
        .changes
        .iter()
        .map(|c| (c.label.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(changed, [("交通工具", Some("自驾车"), Some("高铁/火车"))]);
    // Every row of the whole trail — the places', the households', the batches' — names
    // who worked: none of this program's writes is listed as another program's.
    let all = store.audit_list(&AuditFilter::default()).unwrap();
    assert!(all.iter().any(|r| r.entity == "households"));
    let unnamed: Vec<_> = all
        .iter()
        .filter(|r| r.operator.as_deref() != Some("网格员小李"))
        .map(|r| (r.entity.as_str(), r.action.as_str()))
        .collect();
    assert!(unnamed.is_empty(), "{unnamed:?}");
    let moved = rows.iter().find(|r| r.action == "迁户").unwrap();
    assert_eq!(
        (
            moved.old.as_ref().unwrap()["household_id"].as_i64(),
            moved.new.as_ref().unwrap()["household_id"].as_i64()
        ),
        (Some(east), Some(west))
    );
    assert_every_record_is_in_the_trail(&path);
    assert!(store.audit_verify().unwrap().ok());
}

#[test]
fn a_row_altered_removed_or_slipped_in_with_raw_sqlite_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("l.db");
    assert!(gridledger(&original, &["--operator", "王网格", "demo"])
        .status
        .success());
    assert_eq!(verify(&original)["broken"], serde_json::Value::Null);
    let copy = |name: &str| {
        let path = dir.path().join(name);
        std::fs::copy(&original, &path).unwrap();
        path
    };
    let raw = |path: &Path, sql: &str| rusqlite::Connection::open(path).unwrap().execute_batch(sql);

    // SQL alone cannot change or delete a sealed row.
    let path = copy("sealed.db");
    assert!(raw(&path, "UPDATE audit SET operator = '别人' WHERE seq = 5").is_err());
    assert!(raw(&path, "DELETE FROM audit WHERE seq = 5").is_err());

    // With the guards dropped: each kind of tampering breaks the seal covering its row.
    for (name, tamper, at) in [
        (
            "altered.db",
            "UPDATE audit SET new = replace(new, '石桥村', '桃源村') WHERE seq = (SELECT min(seq) FROM audit WHERE new LIKE '%石桥村%')",
            "SELECT min(seq) FROM audit WHERE new LIKE '%桃源村%'",
        ),
        ("operator.db", "UPDATE audit SET operator = '别人' WHERE seq = 7", "SELECT 7"),
        ("removed.db", "DELETE FROM audit WHERE seq = 9", "SELECT 9"),
        (
            "resealed.db",
            "UPDATE audit_seals SET hash = lower(hex(randomblob(32))) WHERE id = 1",
            "SELECT 1",
        ),
        (
            "forged.db",
            "INSERT INTO audit (operator, entity, record, action, new) VALUES ('王网格', 'persons', '1', '修改', '{}')",
            "SELECT max(seq) FROM audit",
        ),
    ] {
        let path = copy(name);
        raw(
            &path,
            &format!("DROP TRIGGER audit_sealed; DROP TRIGGER audit_append_only; DROP TRIGGER audit_seals_kept; {tamper};"),
        )
        .unwrap();
        let out = gridledger(&path, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(said.contains("audit_broken"), "{said}");
        // The rows named are those of the seal that covers the tampered row.
        let seq: i64 = sql(&path, at);
        let range: Vec<i64> = said
            .split("审计记录第 ")
            .nth(1)
            .and_then(|rest| rest.split(" 条").next())
            .map(|r| r.split('–').map(|n| n.parse().unwrap()).collect())
            .unwrap_or_else(|| panic!("{name}: {said}"));
        let (first, last) = (range[0], *range.last().unwrap());
        assert!(first <= seq && seq <= last, "{name}: row {seq}, said {said}");
        // `check ledger` says so too.
        assert!(!gridledger(&path, &["check", "ledger"]).status.success(), "{name}");
    }
    // Tampering no seal can see: a trigger dropped (writes then go unrecorded), and the last
    // save cut off the trail with its seal. Both leave the trail not as the schema and the
    // records say it must be.
    for (name, tamper, said_what) in [
        (
            "trigger.db",
            "DROP TRIGGER audit_persons_update; UPDATE persons SET phone = '13700137000' WHERE id = 3",
            "触发器 audit_persons_update 被删除或改动",
        ),
        (
            "cut.db",
            "DELETE FROM audit WHERE seq > (SELECT last_seq FROM audit_seals WHERE id = (SELECT max(id) - 1 FROM audit_seals));
             DELETE FROM audit_seals WHERE id = (SELECT max(id) FROM audit_seals);",
            "审计记录中应有",
        ),
    ] {
        let path = copy(name);
        if name == "cut.db" {
            // A second save, so there is a seal before the one cut off.
            assert!(gridledger(&path, &["--operator", "王网格", "person", "add", "--name", "新来的"]).status.success());
        }
        if name == "cut.db" {
            // The guards taken off for the cut and put back exactly as they were.
            let conn = rusqlite::Connection::open(&path).unwrap();
            let guards: Vec<String> = ["audit_append_only", "audit_seals_append_only"]
                .iter()
                .map(|t| {
                    let sql: String = conn
                        .query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [t], |r| r.get(0))
                        .unwrap();
                    conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
                    sql
                })
                .collect();
            conn.execute_batch(tamper).unwrap();
            for sql in guards {
                conn.execute_batch(&sql).unwrap();
            }
        } else {
            raw(&path, tamper).unwrap();
        }
        let out = gridledger(&path, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(said.contains(said_what), "{name}: {said}");
        assert!(!gridledger(&path, &["check", "ledger"]).status.success(), "{name}");
    }
    // With --json a broken trail is one document: the error.
    let out = gridledger(
        &dir.path().join("trigger.db"),
        &["audit", "verify", "--json"],
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    assert_eq!(doc["error"]["code"], "audit_broken");

    // A forged row is not sealed into the trail by the next write: nothing is saved.
    let forged = dir.path().join("forged.db");
    let write = gridledger(
        &forged,
        &[
            "--operator",
            "王网格",
            "setting",
            "report_unit",
            "石桥村委会",
        ],
    );
    assert_eq!(write.status.code(), Some(2), "{write:?}");
    assert!(String::from_utf8_lossy(&write.stderr).contains("audit_broken"));

    // Another program writing without tampering: its row names nobody, and is sealed by the
    // next write of this one; the chain holds.
    let path = copy("other.db");
    raw(
        &path,
        "UPDATE persons SET phone = '13700137000' WHERE id = 3",
    )
    .unwrap();
    let verdict = verify(&path);
    assert_eq!(
        (verdict["broken"].clone(), verdict["unsealed"].as_i64()),
        (serde_json::Value::Null, Some(1))
    );
    assert!(gridledger(
        &path,
        &[
            "--operator",
            "王网格",
            "setting",
            "report_unit",
            "石桥村委会"
        ]
    )
    .status
    .success());
    let verdict = verify(&path);
    assert_eq!(
        (verdict["broken"].clone(), verdict["unsealed"].as_i64()),
        (serde_json::Value::Null, Some(0))
    );
    let list =
        String::from_utf8_lossy(&gridledger(&path, &["audit", "list", "--person", "3"]).stdout)
            .to_string();
    assert!(
        list.contains("（其他程序）  人员 3  修改  手机号码："),
        "{list}"
    );
}

#[test]
fn a_purge_keeps_the_chain_whole_and_the_trail_keeps_no_health_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db");
    let mut store = Store::create(&path).unwrap();
    store.set_today(crate::util::today());
    store.set_operator(Some("村管理员".into()));
    let person = store
        .save_person(&PersonInput {
            name: "张三".into(),
            ..Default::default()
        })
        .unwrap()
        .person
        .id;
    entry::save(
        &store,
        &RecordInput {
            kind: Some(Entity::Isolation),
            person_id: Some(person),
            values: [("start_date", "2026-10-30"), ("kind", "居家隔离医学观察")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        },
    )
    .unwrap();
    let reading = |day: &str, note: &str| {
        entry::save(
            &store,
            &RecordInput {
                kind: Some(Entity::HealthCheck),
                person_id: Some(person),
                values: [
                    ("check_date", day),
                    ("am_temperature", "36.5"),
                    ("note", note),
                ]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let old = reading("2026-11-01", "旧记录咳嗽");
    let kept = reading("2026-11-20", "新记录正常");
    let counts = store
        .purge_health_records(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
            false,
        )
        .unwrap();
    assert_eq!(counts.health_checks, 1);

    let rows = store.audit_list(&AuditFilter::default()).unwrap();
    let of = |id: i64| -> Vec<_> {
        rows.iter()
            .filter(|r| r.entity == "health_checks" && r.record == id.to_string())
            .collect()
    };
    // The purged reading: its row stays, its values are gone, no 删除 row copies them.
    assert!(!of(old).is_empty());
    assert!(of(old)
        .iter()
        .all(|r| r.old.is_none() && r.new.is_none() && r.purged.is_some()));
    assert!(of(kept)
        .iter()
        .all(|r| r.purged.is_none() && r.new.is_some()));
    let text: String = sql(
        &path,
        "SELECT group_concat(coalesce(old, '') || coalesce(new, '')) FROM audit",
    );
    assert!(
        !text.contains("旧记录咳嗽") && text.contains("新记录正常"),
        "{text}"
    );
    // The purge itself, by counts.
    let purge = rows.iter().find(|r| r.entity == "purges").unwrap();
    assert_eq!(purge.action, "新增");
    assert!(purge.new.as_ref().unwrap()["counts"]
        .as_str()
        .unwrap()
        .contains("\"health_checks\":1"));
    assert!(
        store.audit_verify().unwrap().ok(),
        "{:?}",
        store.audit_verify()
    );
    assert_eq!(verify(&path)["broken"], serde_json::Value::Null);
}

#[test]
fn the_previous_releases_ledger_starts_its_trail_at_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    std::fs::copy("tests/fixtures/release-0.1.0/ledger.db", &path).unwrap();
    let verdict = verify(&path);
    assert_eq!(
        (verdict["rows"].as_i64(), verdict["broken"].clone()),
        (Some(0), serde_json::Value::Null)
    );
    assert!(gridledger(
        &path,
        &[
            "--operator",
            "王网格",
            "setting",
            "report_unit",
            "石桥村委会"
        ]
    )
    .status
    .success());
    assert_eq!(
        sql::<i64>(
            &path,
            "SELECT count(*) FROM audit WHERE operator = '王网格' AND seq <= (SELECT max(last_seq) FROM audit_seals)"
        ),
        1
    );
}

/// An import killed at any moment (30 times, from before it opens the sheet to after it
/// commits) leaves the ledger sound, all of the file or none of it, and its trail sealed
/// and whole; the next write goes on from there.
#[test]
fn an_import_killed_at_any_moment_leaves_the_ledger_and_its_trail_whole() {
    use std::process::{Command, Stdio};
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    assert!(gridledger(&empty, &["init"]).status.success());
    let rows = 3000;
    let sheet = dir.path().join("返乡.csv");
    let mut text = String::from("姓名,联系电话,返乡日期,现居住地址\n");
    for i in 0..rows {
        text.push_str(&format!("返乡人{i},139{i:08},2026-12-01,石桥村\n"));
    }
    std::fs::write(&sheet, text).unwrap();
    let (mut none, mut all) = (0, 0);
    for run in 0..30u64 {
        // Each run on the ledger as it was, killed somewhere in the import's life (the backup
        // first, the reading, the writing, the seal, the commit: a debug build takes about
        // 0.7 s for these rows).
        let db = dir.path().join(format!("run{run}.db"));
        std::fs::copy(&empty, &db).unwrap();
        let delay = Duration::from_millis(10 + (run * 29) % 900);
        let mut child = Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--operator",
                "李文员",
                "import",
            ])
            .arg(&sheet)
            .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
            .env_remove("GRIDLEDGER_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().ok();
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        assert!(store.integrity_problems().unwrap().is_empty(), "run {run}");
        let persons: i64 = sql(&db, "SELECT count(*) FROM persons");
        assert!(
            persons == 0 || persons == rows,
            "run {run}: {persons} persons, all or none"
        );
        if persons == 0 {
            none += 1
        } else {
            all += 1
        }
        let verdict = store.audit_verify().unwrap();
        assert!(
            verdict.ok() && verdict.unsealed == 0,
            "run {run}: {verdict:?}"
        );
        assert_every_record_is_in_the_trail(&db);
        // The next write goes on from there: the same import, whole.
        if run % 10 == 0 {
            drop(store);
            let out = gridledger(
                &db,
                &["--operator", "李文员", "import", sheet.to_str().unwrap()],
            );
            assert!(out.status.success(), "run {run}: {out:?}");
            assert_eq!(sql::<i64>(&db, "SELECT count(*) FROM persons"), rows);
            assert_every_record_is_in_the_trail(&db);
            assert_eq!(verify(&db)["broken"], serde_json::Value::Null);
        }
    }
    println!("killed imports: {none} left nothing, {all} had committed");
}
