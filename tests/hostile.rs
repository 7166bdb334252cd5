//! The hostile-file corpus (tests/fixtures/hostile/, made by make_hostile.py): each file is
//! imported through the real command under a 1 GiB memory limit and must be refused with its
//! own error code, within seconds, leaving the ledger as it was.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use gridledger::Store;

/// The memory the importer may use, as `ulimit -v` (KiB of address space).
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

fn ledger(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("ledger.db");
    let store = Store::create(&db).unwrap();
    store
        .add_place(&gridledger::model::PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap();
    db
}

/// Rows of every table, to see that nothing was written.
fn footprint(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT (SELECT count(*) FROM batches) + (SELECT count(*) FROM persons) + (SELECT count(*) FROM households)
           + (SELECT count(*) FROM arrivals) + (SELECT count(*) FROM import_mappings)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn every_hostile_file_is_refused_with_its_code_quickly_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let before = footprint(&db);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let cli = env!("CARGO_BIN_EXE_gridledger");
    for (file, code) in [
        ("zip_bomb.xlsx", "file_too_large"),
        ("zip_bomb_lying.xlsx", "file_damaged"),
        ("entity_expansion.xlsx", "file_damaged"),
        ("wide_16384_columns.xlsx", "header_too_wide"),
        ("rows_1048576.xlsx", "file_too_large"),
        ("mixed_encoding.csv", "file_mixed_encoding"),
        ("unclosed_quote.csv", "file_unclosed_quote"),
        ("encrypted.xlsx", "file_encrypted"),
        ("truncated.xlsx", "file_damaged"),
        // Issue 15: 50 million cells in an 861-byte .ods; 35 million numbers in a megabyte
        // of .xlsx; one NUL byte in a CSV (its line named).
        ("repeated.ods", "file_too_large"),
        ("numbers_999_columns.xlsx", "file_too_large"),
        ("nul.csv", "file_damaged"),
    ] {
        for dry_run in [true, false] {
            let started = Instant::now();
            let script = format!(
                "ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" --db \"$1\" import \"$2\" --json {}",
                if dry_run { "--dry-run" } else { "" }
            );
            let out = Command::new("bash")
                .args(["-c", &script, cli])
                .arg(&db)
                .arg(corpus.join(file))
                .output()
                .unwrap();
            let elapsed = started.elapsed();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
            assert!(!stderr.contains("panicked"), "{file}: {stderr}");
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                panic!("{file}: {e}: {}", String::from_utf8_lossy(&out.stdout))
            });
            assert_eq!(doc["error"]["code"], code, "{file}: {doc}");
            let message = doc["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(file),
                "{file}: the message names the file: {message}"
            );
            // Said in Chinese: no library's English words about zip records or XML.
            for english in [
                "error",
                "invalid",
                "Cannot",
                "unrecognized",
                "archive",
                "EOCD",
                "Xml",
                "Zip",
            ] {
                assert!(!message.contains(english), "{file}: {message}");
            }
            assert!(
                elapsed < Duration::from_secs(30),
                "{file} took {elapsed:?} to refuse"
            );
            assert_eq!(footprint(&db), before, "{file}: nothing written");
        }
    }
    let store = Store::open(&db).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
}
