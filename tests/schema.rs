//! The schema: every change shows in review as a change of `tests/schema.snapshot`; a
//! database from a newer gridledger is refused and left untouched; the value lists the UI
//! offers are exactly what the CHECKs accept.

use std::path::Path;

use gridledger::model::values::*;
use gridledger::store::SCHEMA_VERSION;
use gridledger::Store;
use rusqlite::Connection;

/// `sqlite_master` of a new ledger, one object per paragraph, in a stable order.
fn dump(conn: &Connection) -> String {
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "-- {} {}\n{};\n",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
}

#[test]
fn schema_matches_the_reviewed_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(Store::create(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let actual = format!("-- user_version {version}\n\n{}", dump(&conn));
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema.snapshot");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        expected == actual,
        "the schema changed; review it and run `UPDATE_SNAPSHOTS=1 cargo test --test integration schema` to accept:\n{actual}"
    );
}

#[test]
fn a_new_ledger_uses_wal_foreign_keys_and_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/ledger.db");
    let store = Store::create(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(store.integrity_problems().unwrap().is_empty());
    drop(store);
    // Reopening an up-to-date ledger changes nothing.
    let before = dump(&conn);
    drop(Store::create(&path).unwrap());
    assert_eq!(dump(&conn), before);
}

#[test]
fn a_ledger_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::create(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Store::open(&path)
        .err()
        .expect("a newer ledger must be refused");
    assert_eq!(error.code().as_str(), "ledger_newer");
    assert!(error.to_string().contains("请先升级网格一本账"), "{error}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file must not change"
    );
}

#[test]
fn files_that_are_not_ledgers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("名单.xlsx");
    std::fs::write(&text, b"PK\x03\x04 this is a spreadsheet, not a database").unwrap();
    let error = Store::open(&text).err().unwrap();
    assert_eq!(error.code().as_str(), "not_a_ledger", "{error}");

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT)")
        .unwrap();
    let error = Store::open(&other).err().unwrap();
    assert_eq!(error.code().as_str(), "not_a_ledger", "{error}");
}

/// Inserts one row per listed value into `table.column` through a raw connection on the
/// ledger file; returns the values the CHECK refused.
fn refused(conn: &Connection, insert: &str, values: &[&str]) -> Vec<String> {
    values
        .iter()
        .filter(|v| {
            conn.execute_batch("SAVEPOINT t").unwrap();
            let failed = conn.execute(insert, [v]).is_err();
            conn.execute_batch("ROLLBACK TO t; RELEASE t").unwrap();
            failed
        })
        .map(|v| v.to_string())
        .collect()
}

#[test]
fn value_lists_and_schema_checks_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(Store::create(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO batches (id, kind) VALUES (1, '录入');
         INSERT INTO places (id, level, name) VALUES (1, '村', '石桥村');
         INSERT INTO households (id, place_id, batch_id) VALUES (1, 1, 1);
         INSERT INTO persons (id, name, batch_id) VALUES (1, '张三', 1);
         INSERT INTO checkpoints (id, name, batch_id) VALUES (1, '东口', 1);",
    )
    .unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("INSERT INTO persons (name, batch_id, gender) VALUES ('x', 1, ?1)", GENDERS),
        ("INSERT INTO persons (name, batch_id, id_type) VALUES ('x', 1, ?1)", ID_TYPES),
        ("INSERT INTO persons (name, batch_id, relation_to_head) VALUES ('x', 1, ?1)", RELATIONS_TO_HEAD),
        ("INSERT INTO persons (name, batch_id, crowd_category) VALUES ('x', 1, ?1)", CROWD_CATEGORIES),
        ("INSERT INTO persons (name, batch_id, special_industry) VALUES ('x', 1, ?1)", SPECIAL_INDUSTRIES),
        ("INSERT INTO persons (name, batch_id, residence_status) VALUES ('x', 1, ?1)", RESIDENCE_STATUSES),
        ("INSERT INTO persons (name, batch_id, unvaccinated_reason) VALUES ('x', 1, ?1)", UNVACCINATED_REASONS),
        ("INSERT INTO households (place_id, batch_id, housing_use) VALUES (1, 1, ?1)", HOUSING_USES),
        ("INSERT INTO places (level, name) VALUES (?1, 'p' || random())", PLACE_LEVELS),
        ("INSERT INTO arrivals (person_id, arrival_date, batch_id, kind) VALUES (1, '2026-01-01', 1, ?1)", ARRIVAL_KINDS),
        ("INSERT INTO arrivals (person_id, kind, arrival_date, batch_id, status) VALUES (1, '返乡', '2026-01-01', 1, ?1)", ARRIVAL_STATUSES),
        ("INSERT INTO arrivals (person_id, kind, arrival_date, batch_id, risk_level) VALUES (1, '返乡', '2026-01-01', 1, ?1)", RISK_LEVELS),
        ("INSERT INTO arrivals (person_id, kind, arrival_date, batch_id, transport) VALUES (1, '返乡', '2026-01-01', 1, ?1)", TRANSPORTS),
        ("INSERT INTO arrivals (person_id, kind, arrival_date, batch_id, health_code) VALUES (1, '返乡', '2026-01-01', 1, ?1)", HEALTH_CODES),
        (
            "INSERT INTO isolations (person_id, start_date, planned_end_date, batch_id, kind) VALUES (1, '2026-01-01', '2026-01-14', 1, ?1)",
            ISOLATION_KINDS,
        ),
        ("INSERT INTO tests (person_id, sample_date, batch_id, kind) VALUES (1, '2026-01-01', 1, ?1)", TEST_KINDS),
        ("INSERT INTO tests (person_id, sample_date, batch_id, result) VALUES (1, '2026-01-01', 1, ?1)", TEST_RESULTS),
        ("INSERT INTO vaccinations (person_id, dose, batch_id, place_kind) VALUES (1, 1, 1, ?1)", VACCINE_PLACES),
        ("INSERT INTO cases (person_id, reported_date, batch_id, kind) VALUES (1, '2026-01-01', 1, ?1)", CASE_KINDS),
        ("INSERT INTO checkpoint_checks (checkpoint_id, checked_at, name, batch_id, plate_kind) VALUES (1, '2026-01-01 08:00', 'x', 1, ?1)", PLATE_KINDS),
        ("INSERT INTO checkpoint_checks (checkpoint_id, checked_at, name, batch_id, vehicle_kind) VALUES (1, '2026-01-01 08:00', 'x', 1, ?1)", VEHICLE_KINDS),
        ("INSERT INTO visit_notes (visit_date, person_id, batch_id, method) VALUES ('2026-01-01', 1, 1, ?1)", VISIT_METHODS),
    ];
    for (insert, values) in cases {
        assert_eq!(
            refused(&conn, insert, values),
            Vec::<String>::new(),
            "{insert}"
        );
        assert_eq!(
            refused(&conn, insert, &["不在列表中"]),
            vec!["不在列表中".to_string()],
            "a value outside the list must be refused: {insert}"
        );
    }
    // Contacts and disposals need their partner rows; check them on their own.
    conn.execute_batch("INSERT INTO persons (id, name, batch_id) VALUES (2, '李四', 1); INSERT INTO cases (id, person_id, kind, reported_date, batch_id) VALUES (1, 1, '确诊', '2026-01-01', 1);").unwrap();
    let contact = "INSERT INTO contacts (case_id, source_person_id, contact_person_id, batch_id, level) VALUES (1, 1, 2, 1, ?1)";
    for level in CONTACT_LEVELS {
        assert!(refused(&conn, contact, &[level]).is_empty(), "{level}");
    }
    let disposal = "INSERT INTO checkpoint_checks (checkpoint_id, checked_at, name, batch_id, handed_to_place_id, disposal) VALUES (1, '2026-01-01 08:00', 'x', 1, 1, ?1)";
    assert!(refused(&conn, disposal, DISPOSALS).is_empty());
}

#[test]
fn checks_protect_ranges_dates_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(Store::create(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON; INSERT INTO batches (id, kind) VALUES (1, '录入'); INSERT INTO persons (id, name, batch_id) VALUES (1, '张三', 1);").unwrap();
    let bad = [
        // Implausible temperature.
        "INSERT INTO health_checks (person_id, check_date, am_temperature, batch_id) VALUES (1, '2026-01-01', 365, 1)",
        // An impossible date.
        "INSERT INTO health_checks (person_id, check_date, batch_id) VALUES (1, '2026-02-30', 1)",
        // An isolation that ends before it starts.
        "INSERT INTO isolations (person_id, kind, start_date, planned_end_date, batch_id) VALUES (1, '集中隔离', '2026-01-10', '2026-01-01', 1)",
        // A person who does not exist.
        "INSERT INTO tests (person_id, sample_date, batch_id) VALUES (99, '2026-01-01', 1)",
        // A contact with oneself.
        "INSERT INTO contacts (case_id, source_person_id, contact_person_id, level, batch_id) VALUES (1, 1, 1, '密接', 1)",
        // A name of blanks.
        "INSERT INTO persons (name, batch_id) VALUES ('   ', 1)",
        // Handing over to a village without naming it.
        "INSERT INTO checkpoints (id, name, batch_id) VALUES (1, '东口', 1); INSERT INTO checkpoint_checks (checkpoint_id, checked_at, name, disposal, batch_id) VALUES (1, '2026-01-01 08:00', 'x', '移交村(社区)', 1)",
        // A record without provenance.
        "INSERT INTO persons (name) VALUES ('王五')",
    ];
    for sql in bad {
        conn.execute_batch("SAVEPOINT t").unwrap();
        assert!(conn.execute_batch(sql).is_err(), "must be refused: {sql}");
        conn.execute_batch("ROLLBACK TO t; RELEASE t").unwrap();
    }
}

#[test]
fn an_older_ledger_is_migrated_to_the_same_schema_as_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::create(&fresh).unwrap());
    let expected = dump(&Connection::open(&fresh).unwrap());

    // A version 1 ledger (before report templates and imports) holding a person.
    let old = dir.path().join("v1.db");
    drop(Store::create(&old).unwrap());
    {
        let conn = Connection::open(&old).unwrap();
        conn.execute_batch(
            "DROP TABLE report_templates; DROP TABLE import_mappings; DROP TABLE import_reviews; PRAGMA user_version = 1;
             INSERT INTO batches (id, kind) VALUES (1, '录入');
             INSERT INTO persons (name, batch_id) VALUES ('张三', 1);",
        )
        .unwrap();
    }
    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        store.summary().unwrap().persons,
        1,
        "data survives the migration"
    );
    drop(store);
    assert_eq!(dump(&Connection::open(&old).unwrap()), expected);
}

/// A version 4 ledger — its schema exactly as that version wrote it, value lists as `IN`
/// lists — holding a person with an arrival is brought to the current schema with both kept,
/// and its CHECKs still refuse a value outside a list.
#[test]
fn a_version_4_ledger_is_migrated_with_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::create(&fresh).unwrap());
    let expected = dump(&Connection::open(&fresh).unwrap());

    let old = dir.path().join("v4.db");
    {
        let conn = Connection::open(&old).unwrap();
        let v4 = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v4.sql"),
        )
        .unwrap();
        assert!(
            v4.contains("gender IN ('男', '女')"),
            "the fixture is the old schema"
        );
        conn.execute_batch(&v4).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1196575815; PRAGMA user_version = 4;
             INSERT INTO batches (id, kind) VALUES (1, '录入');
             INSERT INTO persons (id, name, gender, relation_to_head, batch_id) VALUES (1, '张三', '男', '户主', 1);
             INSERT INTO arrivals (person_id, kind, arrival_date, transport, batch_id) VALUES (1, '返乡', '2026-11-02', '自驾车', 1);",
        )
        .unwrap();
    }
    let store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    let conn = Connection::open(&old).unwrap();
    assert_eq!(dump(&conn), expected);
    let kept: (String, String, String) = conn
        .query_row(
            "SELECT p.gender, p.relation_to_head, a.transport FROM persons p JOIN arrivals a ON a.person_id = p.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(kept, ("男".into(), "户主".into(), "自驾车".into()));
    assert!(conn
        .execute("UPDATE persons SET gender = '未知' WHERE id = 1", [])
        .is_err());
}

/// Value lists are OR chains, never `IN (...)` lists: SQLite builds a temporary b-tree for an
/// IN list each time an INSERT runs (schema.sql says why).
#[test]
fn checks_write_lists_without_in() {
    let schema =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.sql")).unwrap();
    let code: Vec<&str> = schema
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .filter(|l| l.contains(" IN ("))
        .collect();
    assert!(code.is_empty(), "IN lists in schema.sql: {code:?}");
}
