//! The store: the only module that writes SQL. It opens the SQLite database in one place with
//! the same pragmas every time, applies `schema.sql` to a new database and migrations to an
//! older one, and refuses a database written by a newer gridledger.

pub mod audit;
pub mod backups;
mod check;
pub mod counts;
mod grid;
mod households;
mod imports;
pub mod keys;
mod migrations;
mod persons;
mod places;
mod profile;
mod protect;
mod purge;
mod raw;
mod records;
mod reports;
mod search;
mod settings;
mod summary;
mod today;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::clock::Clock;
use crate::error::{Code, Error, Result};

pub use backups::{Backup, Reason};
pub use check::{LedgerCheck, LedgerProblem};
pub use imports::{NewReview, PersonMatch, ReviewItem, SavedMapping};
pub use keys::{is_protected_file, DataKey, KeyFile, Operator, RecoveryCode, Role};
pub use persons::{PersonCheck, SavedPerson};
pub use protect::{protect, table_digests, Duty};
pub use purge::PurgeCounts;
pub use raw::{RawCheck, RawLedger, RawPlace};
pub use records::{Change, StationDay};
pub use reports::{
    report_fields, report_sources, source_is_ranged, ExportLog, ExportRecord, FieldInfo, RowQuery,
    SortKey, SourceInfo, TemplateFilter,
};
pub use search::PersonHit;
pub use settings::{LOCK_MINUTES_SETTING, SETTINGS};
pub use summary::LedgerSummary;
pub use today::{AwaitingIsolation, DueTest, Ending, HandOff, NewArrival, TodayList, Watched, Who};

/// The whole current schema, applied to a new database.
const SCHEMA: &str = include_str!("../../schema.sql");

/// The schema version this build writes. Raise it with every migration (see `migrations.rs`).
pub const SCHEMA_VERSION: i64 = migrations::LATEST;

/// Marks a SQLite file as a gridledger ledger ("GRLG"), so we never adopt another program's
/// database by mistake.
const APPLICATION_ID: i64 = 0x4752_4C47;

/// The page cache (`PRAGMA cache_size`, negative: KiB): 8 MiB, 32 MiB in an import.
const CACHE_KIB: i64 = -8192;
const BULK_CACHE_KIB: i64 = -32768;

/// The environment variable that names the database when `--db` is not given.
pub const DB_ENV: &str = "GRIDLEDGER_DB";

/// The database used when neither `--db` nor `GRIDLEDGER_DB` names one: `ledger.db` in the
/// platform's data directory (`~/.local/share/gridledger` on Linux, `%APPDATA%\gridledger` on
/// Windows).
pub fn default_db_path() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = dirs::data_dir().ok_or_else(|| {
        Error::refused(
            Code::DataDir,
            "无法确定数据目录，请用 --db 或环境变量 GRIDLEDGER_DB 指定账本文件",
        )
    })?;
    Ok(dir.join("gridledger").join("ledger.db"))
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The batch records are written under while a sample or an import is writing through
    /// the entry functions (`with_batch`); None: hand entries, in their 录入 batch.
    entry_batch: Cell<Option<i64>>,
    /// What day and time it is for the ledger (`crate::clock`): the system's, or fixed by
    /// a test, a reproducible sample or `GRIDLEDGER_NOW`.
    clock: Clock,
    /// How deep `transaction` calls are nested (savepoint names must be unique per level).
    depth: Cell<u32>,
    /// Who is working, when named for this connection (`--operator`, GRIDLEDGER_OPERATOR);
    /// otherwise the 填报人 setting (`who`).
    operator: std::cell::RefCell<Option<String>>,
    /// Rows the trail's own bookkeeping wrote (audit_session, seals): not writes of records.
    audit_writes: Cell<u64>,
    /// The last row of the trail when this connection's write transaction began.
    audit_from: Cell<i64>,
    /// The data key of a protected (encrypted) ledger: backups and restores open their
    /// files with it.
    key: Option<DataKey>,
    /// Who unlocked a protected ledger: their name is every audit row's operator.
    login: Option<Operator>,
    /// Set while this store's own transaction commits: any other commit on the connection
    /// (a write that did not go through `transaction`, so named nobody in the trail and
    /// escaped a 网格员's grid check) is turned into a rollback by the commit hook.
    committing: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

use keys::keys_for;

/// How a protected ledger is unlocked.
#[derive(Debug, Clone)]
pub enum Unlock {
    /// An operator of the key file and their passphrase.
    Operator { name: String, passphrase: String },
    /// The recovery code printed when the ledger was protected.
    Recovery(RecoveryCode),
}

/// The setting that holds the day a big ledger was last checked sound at open.
const CHECKED_SETTING: &str = "sound_checked_on";

/// How opening checks that a ledger file is sound (`PRAGMA quick_check`, which reads all
/// of it: 1.6 s for 100,000 persons on an old laptop).
#[derive(Debug, Clone, Copy)]
pub struct Soundness {
    /// A file up to this size is checked at every open; a bigger one at its first open of
    /// the day, before a migration, and by `check ledger`.
    pub every_open_up_to: u64,
    /// The clock that says which day it is (and the store's clock).
    pub clock: Clock,
}

impl Default for Soundness {
    fn default() -> Soundness {
        Soundness {
            // Checked in about a tenth of a second.
            every_open_up_to: 16 * 1024 * 1024,
            clock: Clock::from_env(),
        }
    }
}

/// The day a big ledger was last found sound at open, if the ledger keeps one.
fn checked_on(conn: &Connection) -> Option<String> {
    conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [CHECKED_SETTING],
        |r| r.get(0),
    )
    .ok()
}

/// How `Store::open_with` treats a path where no ledger exists yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Refuse it: a mistyped `--db` must never silently start an empty ledger.
    Refuse,
    /// Make a new ledger there (`init`, `demo`, the desktop app's own default ledger).
    Create,
}

impl Store {
    /// Opens an existing ledger at `path`, bringing its schema up to date. A path with no
    /// ledger is refused (`ledger_missing`); use [`Store::create`] to make one.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Missing::Refuse)
    }

    /// Opens the ledger at `path`, making a new one when there is none.
    pub fn create(path: &Path) -> Result<Store> {
        Store::open_with(path, Missing::Create)
    }

    /// The one place a ledger file is opened: the same flags and pragmas every time, a
    /// quick check that the file is sound (`Soundness`), then migrations.
    pub fn open_with(path: &Path, missing: Missing) -> Result<Store> {
        Store::open_checked(path, missing, Soundness::default())
    }

    /// Opens a ledger, checking its soundness as `soundness` says.
    pub fn open_checked(path: &Path, missing: Missing, soundness: Soundness) -> Result<Store> {
        Store::open_as(path, missing, soundness, None)
    }

    /// Opens a ledger, unlocking it with `unlock` when it is protected. A plaintext ledger
    /// opens without (an operator named there is only a name for the trail).
    pub fn open_as(
        path: &Path,
        missing: Missing,
        soundness: Soundness,
        unlock: Option<&Unlock>,
    ) -> Result<Store> {
        protect::finish_interrupted(path)?;
        let (key, login) = keys_for(path, unlock)?;
        let store = Store::open_keyed(path, missing, soundness, key, login)?;
        if let Some(Unlock::Recovery(_)) = unlock {
            store.log_event("恢复码登录", "用恢复码打开了账本")?;
        }
        Ok(store)
    }

    /// Makes a new protected ledger at `path` with `admin` as its first 村管理员; returns it
    /// open, with the recovery code to show once.
    pub fn create_protected(
        path: &Path,
        admin: &str,
        passphrase: &str,
        soundness: Soundness,
    ) -> Result<(Store, RecoveryCode)> {
        if path.exists() {
            return Err(Error::refused(
                Code::FileExists,
                format!("{} 已经有文件，没有新建账本。", path.display()),
            ));
        }
        let (file, key, code) = KeyFile::create(path, admin, passphrase)?;
        let login = file.unlock(admin, passphrase)?.1;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::write_failed(dir, e))?;
        }
        file.write()?;
        let store = Store::open_keyed(path, Missing::Create, soundness, Some(key), Some(login));
        if store.is_err() {
            let _ = std::fs::remove_file(file.path());
        }
        Ok((store?, code))
    }

    fn open_keyed(
        path: &Path,
        missing: Missing,
        soundness: Soundness,
        key: Option<DataKey>,
        login: Option<Operator>,
    ) -> Result<Store> {
        let exists = path.exists();
        if !exists && missing == Missing::Refuse {
            return Err(Error::refused(
                Code::LedgerMissing,
                format!(
                    "{} 没有账本。请检查路径是否写错；如要新建账本，请先运行 init。",
                    path.display()
                ),
            ));
        }
        if path.is_dir() {
            return Err(Error::refused(
                Code::NotALedger,
                format!(
                    "{} 是文件夹，不是账本文件。请指定账本文件（如 ledger.db）。",
                    path.display()
                ),
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| {
                Error::refused(
                    if source.kind() == std::io::ErrorKind::PermissionDenied
                        || source.raw_os_error() == Some(30)
                    {
                        Code::LedgerReadOnly
                    } else {
                        Code::DataDir
                    },
                    format!(
                        "无法创建文件夹 {}：{source}。请换一个可写的位置。",
                        dir.display()
                    ),
                )
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | if exists {
                OpenFlags::empty()
            } else {
                OpenFlags::SQLITE_OPEN_CREATE
            }
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = keys::connect(path, flags, key.as_ref()).map_err(|e| Error::ledger(path, e))?;
        // SQLite opens a write-protected file read-only without saying so; every save would
        // then fail. Say it now, in words a cadre can act on.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(Error::ledger(
                path,
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                    None,
                ),
            ));
        }
        // Only `init` (and the app's own first start) makes a ledger: an existing file with
        // nothing in it (a 0-byte file, an empty database) is refused, never filled.
        let may_make = !exists || missing == Missing::Create;
        Store::setup(conn, path.to_path_buf(), may_make, soundness, key, login)
    }

    /// A throw-away ledger in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn =
            Connection::open_in_memory().map_err(|e| Error::ledger(Path::new(":memory:"), e))?;
        Store::setup(
            conn,
            PathBuf::from(":memory:"),
            true,
            Soundness::default(),
            None,
            None,
        )
    }

    fn setup(
        conn: Connection,
        path: PathBuf,
        may_make: bool,
        soundness: Soundness,
        key: Option<DataKey>,
        login: Option<Operator>,
    ) -> Result<Store> {
        let at = |e: rusqlite::Error| Error::ledger(&path, e);
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(at)?;
        // Read the version before anything writes to the file: a newer ledger must be left
        // exactly as it was. With a key, this first read is where a key that does not fit
        // the file shows.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| match key {
                Some(_) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                    keys::does_not_fit(&path)
                }
                _ => at(e),
            })?;
        let application_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(at)?;
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(at)?;
        if tables == 0 && version == 0 && !may_make {
            return Err(Error::refused(
                Code::NotALedger,
                format!(
                    "文件 {} 是空的，不是网格一本账的账本，未作改动。请用 --db 指定正确的账本；如要在此新建账本，请先运行 init。",
                    path.display()
                ),
            ));
        }
        if tables > 0 && application_id != APPLICATION_ID {
            return Err(Error::refused(
                Code::NotALedger,
                format!(
                    "文件 {} 不是网格一本账的账本（其中是其他程序的数据表）。请用 --db 指定正确的文件。",
                    path.display()
                ),
            ));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::refused(
                Code::LedgerNewer,
                format!("账本 {} 由更新版本的网格一本账写入（数据版本 {version}），本程序只认识到版本 {SCHEMA_VERSION}。请先升级网格一本账再打开它；文件未被改动。", path.display()),
            ));
        }
        // A small ledger is checked at every open; a big one once a day (the day is kept in
        // the ledger) and before every migration: `check ledger` checks it whole any time.
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let today = soundness.clock.today().to_string();
        let mut record_check = false;
        if tables > 0 {
            let checked_today = size > soundness.every_open_up_to
                && version == SCHEMA_VERSION
                && checked_on(&conn).as_deref() == Some(today.as_str());
            if !checked_today {
                check_sound(&conn, &path)?;
                record_check = size > soundness.every_open_up_to;
            }
        }
        // WAL lets the window read while an import writes, and survives a crash mid-write.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(at)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(at)?;
        // An 8 MiB page cache for everyday reading (the file system caches the rest); an
        // import raises it for its length (`bulk`).
        conn.pragma_update(None, "cache_size", CACHE_KIB)
            .map_err(at)?;
        // An import runs some thirty statements per row; rusqlite keeps 16 prepared by
        // default, and preparing one again compiles every CHECK of its table.
        conn.set_prepared_statement_cache_capacity(128);
        // Keep savepoints' page journal in memory rather than in a temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(at)?;
        let mut store = Store {
            conn,
            path,
            entry_batch: Cell::new(None),
            clock: soundness.clock,
            depth: Cell::new(0),
            operator: std::cell::RefCell::new(None),
            audit_writes: Cell::new(0),
            audit_from: Cell::new(0),
            key,
            login,
            committing: Default::default(),
        };
        if let Some(login) = &store.login {
            *store.operator.borrow_mut() = Some(login.name.clone());
        }
        store.migrate(version).map_err(|e| match e {
            Error::Sqlite { source, .. } => Error::ledger(&store.path, source),
            other => other,
        })?;
        store.check_tables()?;
        if record_check {
            store.put_setting(CHECKED_SETTING, &today)?;
        }
        // Foreign keys are switched on only after migrating: a migration that rebuilds a
        // table must be able to drop and recreate it.
        store
            .conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(at_path(&store.path))?;
        // From here on every write goes through `transaction` (the trail names who made it):
        // one that does not is rolled back, and fails loudly instead of slipping by.
        let committing = store.committing.clone();
        store.conn.commit_hook(Some(move || {
            !committing.load(std::sync::atomic::Ordering::SeqCst)
        }));
        Ok(store)
    }

    /// Every table of `schema.sql` is there (a cheap look at the schema at every open): a
    /// ledger a tool has cut a table out of is damaged, said so at once rather than by the
    /// first command that needs the table.
    fn check_tables(&self) -> Result<()> {
        let present: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let missing: Vec<&str> = SCHEMA
            .lines()
            .filter_map(|l| l.strip_prefix("CREATE TABLE "))
            .filter_map(|rest| rest.split_whitespace().next())
            .filter(|name| !present.iter().any(|p| p == name))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::refused(
            Code::LedgerDamaged,
            format!(
                "账本 {} 已损坏：缺少数据表 {}。请不要继续写入：关闭程序，用最近的备份替换这个文件；如无备份请联系技术支持。",
                self.path.display(),
                missing.join("、")
            ),
        ))
    }

    /// Brings a database at `from` up to `SCHEMA_VERSION` in one transaction: a failure leaves
    /// the file at its old version, untouched.
    fn migrate(&mut self, from: i64) -> Result<()> {
        if from == SCHEMA_VERSION {
            return Ok(());
        }
        // An upgrade never goes without a way back: the ledger as it was, checked, first.
        if from > 0 {
            self.back_up(Reason::BeforeMigration)?;
        }
        migrations::migrate(&mut self.conn, from, SCHEMA, APPLICATION_ID)?;
        if (1..9).contains(&from) {
            // The trail begins now: what each table holds is its starting count.
            self.in_transaction(|| self.audit_baseline())?;
        }
        if (1..4).contains(&from) {
            // Version 4 searches by whole pinyin: fill it in for the persons already there.
            self.in_transaction(|| {
                let names: Vec<(i64, String)> = {
                    let mut stmt = self.conn.prepare("SELECT id, name FROM persons")?;
                    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                let mut update = self
                    .conn
                    .prepare("UPDATE persons SET name_pinyin = ?2 WHERE id = ?1")?;
                for (id, name) in names {
                    update.execute(rusqlite::params![id, crate::initials::name_pinyin(&name)])?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Rows written on this connection since it opened (to tell whether a failed step wrote).
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes() - self.audit_writes.get()
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

    /// Sets the ledger's clock (tests, reproducible samples, a replayed day).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Fixes "today" (tests, reproducible samples). The time of day stays fixed too: noon,
    /// or the time `set_time_of_day` gave, never the wall clock's.
    pub fn set_today(&mut self, today: NaiveDate) {
        let time = match self.clock {
            Clock::Fixed(t) => t.time(),
            Clock::System => crate::clock::FIXED_TIME_OF_DAY,
        };
        self.clock = Clock::Fixed(today.and_time(time));
    }

    /// Fixes the time of day of `now`, on the ledger's day.
    pub fn set_time_of_day(&mut self, time: chrono::NaiveTime) {
        self.clock = Clock::Fixed(self.today().and_time(time));
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    /// `PRAGMA integrity_check`, as a list of problems (empty when the file is sound).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }

    /// Starts a batch (the provenance of the records written under it) and returns its id.
    pub fn begin_batch(
        &self,
        kind: &str,
        source_file: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            let operator = self.who()?;
            self.conn.execute(
                "INSERT INTO batches (kind, source_file, operator, note) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![kind, source_file, operator, note],
            )?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    /// Writes what `work` types through the entry functions under `batch` (the sample
    /// generator writes as a cadre would, under its own 示例 batch); records typed after it
    /// go to the hand-entry batch again.
    pub fn with_batch<T>(&self, batch: i64, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let before = self.entry_batch.replace(Some(batch));
        let result = work();
        self.entry_batch.set(before);
        result
    }

    /// The batch records typed by hand belong to: one 录入 batch per operator and ledger
    /// day (its note names the day), created on first use. Never a sample's or an import's,
    /// so replacing the sample or undoing an import never takes typed records with it.
    fn entry_batch(&self) -> Result<i64> {
        if let Some(id) = self.entry_batch.get() {
            return Ok(id);
        }
        let operator = self.who()?;
        let note = format!("{} 手工录入", self.today());
        let found: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM batches WHERE kind = '录入' AND operator IS ?1 AND note = ?2
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![operator, note], |r| r.get(0))
            .optional()?;
        match found {
            Some(id) => Ok(id),
            None => self.begin_batch("录入", None, Some(&note)),
        }
    }

    /// Runs `work` in one transaction: all of it is saved, or none of it. Savepoints nest, so
    /// a store function that protects its own writes can run inside a larger import.
    pub fn in_transaction<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.transaction(true, work)
    }

    /// A write the trail must name its operator for (the operator is set as a transaction
    /// begins): in a transaction of its own when none is open; inside one (an import), simply
    /// part of it — a savepoint per record cost a county's preview half again its time, and
    /// the open transaction undoes the write if anything fails.
    pub(crate) fn named<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.conn.is_autocommit() {
            self.in_transaction(work)
        } else {
            work()
        }
    }

    /// `transaction` for many writes (an import): a large import rewrites index pages many
    /// times, and with a small page cache each rewrite is spilled to disk again, so the cache
    /// is 32 MiB while it runs. Reading a county's list needs no such cache: kept all the
    /// time, it held 50 MB more in the window after every export.
    pub fn bulk<T>(&self, commit: bool, work: impl FnOnce() -> Result<T>) -> Result<T> {
        // Only memory: a refused pragma leaves the cache as it was.
        let _ = self.conn.pragma_update(None, "cache_size", BULK_CACHE_KIB);
        let done = self.transaction(commit, work);
        let _ = self.conn.pragma_update(None, "cache_size", CACHE_KIB);
        done
    }

    /// Runs `work` in a transaction and then commits it, or (a dry run) rolls it back even when
    /// it succeeded, so a preview counts exactly what a real run would do. A panic inside
    /// `work` rolls the transaction back too (the guard's `Drop`), so no later save can nest
    /// inside a half-done one.
    pub fn transaction<T>(&self, commit: bool, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let guard = Savepoint::begin(self)?;
        if !commit && guard.outermost {
            // Rolled back whatever happens: the trail need not be written (a county's
            // preview wrote 200,000 rows of it for nothing).
            self.audit_quiet(true)?;
        }
        match work() {
            Ok(value) if commit => {
                guard.release()?;
                Ok(value)
            }
            Ok(value) => {
                guard.rollback();
                Ok(value)
            }
            Err(e) => {
                guard.rollback();
                Err(e)
            }
        }
    }

    /// Runs `work` with the commit hook's guard off: this store's own commit, and the few
    /// statements that commit by themselves without writing a record (a backup's
    /// `VACUUM INTO`, a plain copy's export into an attached file).
    pub(crate) fn unguarded<T>(&self, work: impl FnOnce() -> T) -> T {
        use std::sync::atomic::Ordering;
        let was = self.committing.swap(true, Ordering::SeqCst);
        let done = work();
        self.committing.store(was, Ordering::SeqCst);
        done
    }

    /// True when no transaction is open on the connection (nothing half-done is pending).
    pub fn is_idle(&self) -> bool {
        self.conn.is_autocommit()
    }

    /// Lets go of the pages SQLite keeps cached (up to 32 MB after a big import);
    /// they are read again from the file when needed. The window calls it after long work.
    pub fn shrink_memory(&self) {
        // Only memory: a failure leaves the cache as it was.
        let _ = self.conn.execute_batch("PRAGMA shrink_memory");
    }

    /// Rolls back anything left open (after a panic in a caller that did not use
    /// `transaction`), so the next save starts clean. The desktop shell calls it when it
    /// recovers the ledger's lock from a command that panicked.
    pub fn recover(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.depth.set(0);
    }
}

/// A savepoint (the transaction itself, at the outermost level) that is rolled back unless
/// released: dropped by a panic or an early return, it undoes everything written under it.
struct Savepoint<'a> {
    store: &'a Store,
    name: String,
    done: bool,
    /// The outermost savepoint began the transaction (BEGIN IMMEDIATE) and ends it.
    outermost: bool,
}

impl<'a> Savepoint<'a> {
    fn begin(store: &'a Store) -> Result<Savepoint<'a>> {
        let level = store.depth.get() + 1;
        let name = format!("work{level}");
        // The outermost one takes the write lock first, waiting for it like any write (the
        // busy timeout): a transaction that reads first and then writes cannot wait for a
        // writer that came in between, and would fail at once with `ledger_locked`.
        let outermost = store.conn.is_autocommit();
        if outermost {
            store.conn.execute_batch("BEGIN IMMEDIATE")?;
            // The trail names who writes in this transaction (store/audit.rs).
            if let Err(e) = store.audit_begin() {
                let _ = store.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        // The outermost level is the transaction itself, without a savepoint: while one is
        // open SQLite keeps a copy of every page the transaction changes in its in-memory
        // sub-journal, and each statement's end walked that journal — an import into a
        // county's ledger of 900,000 persons spent 97% of its time there and did not end.
        if !outermost {
            store.conn.execute_batch(&format!("SAVEPOINT {name}"))?;
        }
        store.depth.set(level);
        Ok(Savepoint {
            store,
            name,
            done: false,
            outermost,
        })
    }

    fn release(mut self) -> Result<()> {
        if self.outermost {
            // A 网格员's write outside their grid is refused whole (store/grid.rs); the rest is
            // sealed inside the transaction: the rows and their hashes commit together.
            self.store.grid_check()?;
            self.store.audit_seal()?;
        }
        self.done = true;
        self.store
            .depth
            .set(self.store.depth.get().saturating_sub(1));
        if !self.outermost {
            self.store
                .conn
                .execute_batch(&format!("RELEASE {}", self.name))?;
        } else {
            let committed = self
                .store
                .unguarded(|| self.store.conn.execute_batch("COMMIT"));
            if let Err(e) = committed {
                // A commit that failed (a full disk) must not leave the transaction open.
                let _ = self.store.conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
        Ok(())
    }

    fn rollback(mut self) {
        self.undo();
    }

    fn undo(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        self.store
            .depth
            .set(self.store.depth.get().saturating_sub(1));
        // A failed rollback would hide the real error; SQLite rolls back an open transaction
        // when the connection closes in that case.
        let _ = self.store.conn.execute_batch(&if self.outermost {
            "ROLLBACK".to_string()
        } else {
            format!("ROLLBACK TO {name}; RELEASE {name}", name = self.name)
        });
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        self.undo();
    }
}

fn at_path(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::ledger(path, e)
}

/// `PRAGMA quick_check` at open: a damaged file is named damaged before anything writes to
/// it. Rows that break a CHECK added by a later version (values older versions let in) are
/// not damage: `check ledger` lists them.
fn check_sound(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(at_path(path))?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(at_path(path))?;
    let damage: Vec<&String> = lines
        .iter()
        .filter(|l| *l != "ok" && !l.starts_with("CHECK constraint failed"))
        .collect();
    if damage.is_empty() {
        return Ok(());
    }
    Err(Error::Sqlite {
        code: Code::LedgerDamaged,
        message: format!(
            "账本 {} 已损坏（{} 处问题）。请不要继续写入：关闭程序，用最近的备份替换这个文件；如无备份请联系技术支持。",
            path.display(),
            damage.len()
        ),
        source: rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some(damage.iter().take(5).map(|s| s.as_str()).collect::<Vec<_>>().join("; ")),
        ),
    })
}

/// Reverses a text, for the reversed-ID index ("last digits" search).
fn reversed(text: &str) -> String {
    text.chars().rev().collect()
}
