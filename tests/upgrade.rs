//! Issue 17: upgrades keep the ledger. `tests/fixtures/release-0.1.0/ledger.db` is the ledger a
//! village has after release 0.1.0 (its sample village and a day's entries, made by that
//! release's CLI: `make.sh`). Every later release opens it through the CLI as a cadre would,
//! migrates it (backed up first when its version is older) and keeps every row of it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::gridledger;

const PREVIOUS: &str = "tests/fixtures/release-0.1.0/ledger.db";

/// Every table and its columns, read with a plain connection.
fn columns(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = read_only(path);
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    names
        .into_iter()
        .map(|table| {
            let cols = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (table, cols)
        })
        .collect()
}

/// Each table's rows and a checksum of their values in `columns` (the columns a ledger of the
/// previous release had: a migration may add others).
fn digests(path: &Path, columns: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, (i64, u64)> {
    let conn = read_only(path);
    columns
        .iter()
        .map(|(table, cols)| {
            let list = cols
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let mut stmt = conn
                .prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY {list}"))
                .unwrap();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            let mut rows = 0;
            let mut query = stmt.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                rows += 1;
                for c in 0..cols.len() {
                    let value: rusqlite::types::Value = row.get(c).unwrap();
                    std::hash::Hash::hash(&format!("{value:?}"), &mut hasher);
                }
            }
            (table.clone(), (rows, std::hash::Hasher::finish(&hasher)))
        })
        .collect()
}

fn read_only(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_previous_releases_ledger_opens_migrated_with_every_row_and_a_backup_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    std::fs::copy(PREVIOUS, &db).unwrap();
    let old = columns(&db);
    let before = digests(&db, &old);
    let old_version = user_version(&db);
    assert!(
        before["persons"].0 > 1000,
        "the sample village and a day's entries"
    );

    // Opened by the new release as a cadre would: the summary, then a full check.
    let summary = gridledger(&db, &["summary"]);
    assert!(summary.status.success(), "{summary:?}");
    let check = gridledger(&db, &["check", "ledger"]);
    assert!(check.status.success(), "{check:?}");
    assert_eq!(user_version(&db), gridledger::store::SCHEMA_VERSION);

    // Every row of every table the previous release had is there, unchanged; tables a
    // migration added may hold rows of their own.
    let after = digests(&db, &old);
    for (table, counted) in &before {
        assert_eq!(after.get(table), Some(counted), "{table}");
    }

    // An older ledger is backed up, as it was, before it is migrated.
    let backups = gridledger::Store::open(&db).unwrap().backups().unwrap();
    let upgrades: Vec<_> = backups.iter().filter(|b| b.reason == "升级前").collect();
    if old_version < gridledger::store::SCHEMA_VERSION {
        assert_eq!(upgrades.len(), 1, "{backups:?}");
        assert_eq!(user_version(&upgrades[0].path), old_version);
        assert_eq!(digests(&upgrades[0].path, &old), before);
    } else {
        assert!(
            upgrades.is_empty(),
            "nothing to migrate, nothing backed up: {backups:?}"
        );
    }
}
