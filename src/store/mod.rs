//! The store: the only module that writes SQL. It opens the SQLite database in one place with
//! the same pragmas every time, applies `schema.sql` to a new database and migrations to an
//! older one, and refuses a database written by a newer gridledger.

mod households;
mod imports;
mod persons;
mod places;
mod profile;
mod records;
mod reports;
mod search;
mod summary;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

pub use imports::{NewReview, PersonMatch, ReviewItem, SavedMapping};
pub use persons::{PersonCheck, SavedPerson};
pub use reports::{report_fields, report_sources, FieldInfo, RowQuery, SourceInfo};
pub use search::PersonHit;
pub use summary::LedgerSummary;

/// The whole current schema, applied to a new database.
const SCHEMA: &str = include_str!("../../schema.sql");

/// The schema version this build writes. Raise it with every migration.
pub const SCHEMA_VERSION: i64 = 3;

/// Migrations from version N-1 to N, as (N, SQL). Version 1 is `schema.sql` itself; each later
/// entry must leave a database equal to a new one made from the updated `schema.sql`
/// (tests/schema.rs checks both paths give the same `sqlite_master`).
const MIGRATIONS: &[(i64, &str)] = &[
    (
        2,
        // Users' own report templates (issue 4): stored as their JSON file text.
        "CREATE TABLE report_templates (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    json        TEXT NOT NULL CHECK (json_valid(json)),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);",
    ),
    (
        3,
        // Excel in (issue 3): saved column mappings and the review list of uncertain matches.
        r#"CREATE TABLE import_mappings (
    signature   TEXT PRIMARY KEY,               -- the header keys, normalised, joined by U+001F
    name        TEXT,                           -- a name the user gave it (--mapping NAME)
    target      TEXT NOT NULL,                  -- persons, arrivals, isolations, …
    mapping     TEXT NOT NULL CHECK (json_valid(mapping)),  -- {"column key": "field key", …}
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);
CREATE UNIQUE INDEX import_mappings_name ON import_mappings(name) WHERE name IS NOT NULL;

-- Rows of an import whose person matched the register only uncertainly (same name and birth
-- date, different phone…): kept for the user to merge, add as new, or ignore. Nothing is
-- merged on a guess.
CREATE TABLE import_reviews (
    id                  INTEGER PRIMARY KEY,
    batch_id            INTEGER NOT NULL REFERENCES batches(id),
    sheet               TEXT NOT NULL,
    row_number          INTEGER NOT NULL CHECK (row_number >= 1),
    target              TEXT NOT NULL,
    incoming            TEXT NOT NULL CHECK (json_valid(incoming)),  -- the row's values by field
    candidate_person_id INTEGER NOT NULL REFERENCES persons(id),
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT '待处理' CHECK (status IN ('待处理', '已合并', '已新建', '已忽略')),
    resolved_at         TEXT
);
CREATE INDEX import_reviews_open ON import_reviews(status);"#,
    ),
];

/// Marks a SQLite file as a gridledger ledger ("GRLG"), so we never adopt another program's
/// database by mistake.
const APPLICATION_ID: i64 = 0x4752_4C47;

/// The environment variable that names the database when `--db` is not given.
pub const DB_ENV: &str = "GRIDLEDGER_DB";

/// The database used when neither `--db` nor `GRIDLEDGER_DB` names one: `ledger.db` in the
/// platform's data directory (`~/.local/share/gridledger` on Linux, `%APPDATA%\gridledger` on
/// Windows).
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = dirs::data_dir().ok_or(Error::NoDataDir)?;
    Ok(dir.join("gridledger").join("ledger.db"))
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The batch that records typed by hand in this session belong to (created on first use).
    entry_batch: Cell<Option<i64>>,
    /// Fixed "today" for tests and reproducible demos; the local date when None.
    today: Option<NaiveDate>,
}

impl Store {
    /// Opens (creating if needed) the ledger at `path`, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Store::setup(conn, path.to_path_buf())
    }

    /// A throw-away ledger in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Store> {
        let not_a_ledger = |e: rusqlite::Error| Error::NotALedger {
            path: path.clone(),
            detail: e.to_string(),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Read the version before anything writes to the file: a newer ledger must be left
        // exactly as it was.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_a_ledger)?;
        let application_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(not_a_ledger)?;
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(not_a_ledger)?;
        if tables > 0 && application_id != APPLICATION_ID {
            return Err(Error::NotALedger {
                path,
                detail: "文件中已有其他程序的数据表".into(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        // WAL lets the window read while an import writes, and survives a crash mid-write.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A 32 MiB page cache: a large import rewrites index pages many times, and with
        // SQLite's 2 MiB default each rewrite is spilled to disk again.
        conn.pragma_update(None, "cache_size", -32768)?;
        // Each imported row runs in its own savepoint (a bad row is undone alone); keep the
        // savepoints' page journal in memory rather than in a temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = Store {
            conn,
            path,
            entry_batch: Cell::new(None),
            today: None,
        };
        store.migrate(version)?;
        Ok(store)
    }

    /// Brings a database at `from` up to `SCHEMA_VERSION` in one transaction: a failure leaves
    /// the file at its old version, untouched.
    fn migrate(&mut self, from: i64) -> Result<()> {
        if from == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        if from == 0 {
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        } else {
            for (_, sql) in MIGRATIONS.iter().filter(|(to, _)| *to > from) {
                tx.execute_batch(sql)?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Rows written on this connection since it opened (to tell whether a failed step wrote).
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Fixes "today" (tests, reproducible samples).
    pub fn set_today(&mut self, today: NaiveDate) {
        self.today = Some(today);
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// `PRAGMA integrity_check`, as a list of problems (empty when the file is sound).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// A setting such as 填报单位, or None.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Starts a batch (the provenance of the records written under it) and returns its id.
    pub fn begin_batch(
        &self,
        kind: &str,
        source_file: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64> {
        let operator = self.setting("operator")?;
        self.conn.execute(
            "INSERT INTO batches (kind, source_file, operator, note) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![kind, source_file, operator, note],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The batch of hand entries of this session, created on first use.
    fn entry_batch(&self) -> Result<i64> {
        if let Some(id) = self.entry_batch.get() {
            return Ok(id);
        }
        let id = self.begin_batch("录入", None, None)?;
        self.entry_batch.set(Some(id));
        Ok(id)
    }

    /// Runs `work` in one transaction: all of it is saved, or none of it. Savepoints nest, so
    /// a store function that protects its own writes can run inside a larger import.
    pub fn in_transaction<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.transaction(true, work)
    }

    /// Runs `work` in a transaction and then commits it, or (a dry run) rolls it back even when
    /// it succeeded, so a preview counts exactly what a real run would do.
    pub fn transaction<T>(&self, commit: bool, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn.execute_batch("SAVEPOINT work")?;
        match work() {
            Ok(value) if commit => {
                self.conn.execute_batch("RELEASE work")?;
                Ok(value)
            }
            Ok(value) => {
                self.conn.execute_batch("ROLLBACK TO work; RELEASE work")?;
                Ok(value)
            }
            Err(e) => {
                // A failed rollback would hide the real error; SQLite rolls back an open
                // transaction when the connection closes in that case.
                let _ = self.conn.execute_batch("ROLLBACK TO work; RELEASE work");
                Err(e)
            }
        }
    }
}

/// Reverses a text, for the reversed-ID index ("last digits" search).
fn reversed(text: &str) -> String {
    text.chars().rev().collect()
}
