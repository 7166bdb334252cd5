//! Protecting a ledger: turning a plaintext ledger into an encrypted one, and the operators of
//! a protected ledger (`keys.rs` keeps their sealed keys).
//!
//! A plaintext ledger is encrypted into a copy beside it (`sqlcipher_export`, then the header
//! values it does not carry: `user_version`, `application_id`), the copy is checked table by
//! table (count and digest of every row) and only then takes the ledger's place:
//!
//! 1. `.ledger.db.加密中` is written and checked; the key file is written.
//! 2. `ledger.db` is renamed `.ledger.db.明文`, then the copy is renamed `ledger.db`.
//! 3. `.ledger.db.明文` is overwritten with zeros and removed.
//!
//! A kill at any moment leaves a whole ledger: before 2, the plaintext one (the copy is
//! removed at the next open); between the two renames, the next open puts the plaintext one
//! back; after them, the next open finishes 3. The ledger's backups are encrypted the same way.

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use super::keys::{self, is_encrypted, DataKey, KeyFile, Operator, RecoveryCode, Role};
use super::{backups, Soundness, Store};
use crate::error::{Code, Error, Result};

/// `.ledger.db.<tag>` beside the ledger.
fn sibling(ledger: &Path, tag: &str) -> PathBuf {
    let name = ledger
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ledger.with_file_name(format!(".{name}.{tag}"))
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Finishes or undoes a conversion a crash or a kill interrupted (see the module's steps).
pub fn finish_interrupted(ledger: &Path) -> Result<()> {
    let plain = sibling(ledger, "明文");
    let copy = sibling(ledger, "加密中");
    if plain.exists() {
        if !ledger.exists() {
            // Killed between the two renames: the plaintext ledger goes back.
            std::fs::rename(&plain, ledger).map_err(|e| Error::write_failed(ledger, e))?;
        } else if is_encrypted(ledger) {
            wipe(&plain)?;
        }
    }
    // An unfinished copy, with the journal SQLite kept while writing it.
    for left in [
        copy.clone(),
        side_file(&copy, "-journal"),
        side_file(&copy, "-wal"),
    ] {
        if left.exists() {
            let _ = std::fs::remove_file(&left);
        }
    }
    Ok(())
}

/// Overwrites a file with zeros, makes sure they reached the disk, and removes it.
fn wipe(path: &Path) -> Result<()> {
    let failed = |e: std::io::Error| Error::write_failed(path, e);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(failed)?;
    let len = file.metadata().map_err(failed)?.len();
    file.seek(std::io::SeekFrom::Start(0)).map_err(failed)?;
    let zeros = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n]).map_err(failed)?;
        left -= n as u64;
    }
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::remove_file(path).map_err(failed)
}

/// Each table of a database with its row count and a digest of all its rows, in order: two
/// databases with the same digests hold the same rows.
pub fn table_digests(conn: &Connection) -> rusqlite::Result<Vec<(String, i64, String)>> {
    let tables: Vec<(String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for (table, sql) in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let columns: usize = conn.query_row(
            &format!(
                "SELECT count(*) FROM pragma_table_info('{}')",
                table.replace('\'', "''")
            ),
            [],
            |r| r.get(0),
        )?;
        // A table without rowids is put in order by all its columns.
        let order = if sql.to_uppercase().contains("WITHOUT ROWID") {
            (1..=columns)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            "rowid".to_string()
        };
        let mut stmt = conn.prepare(&format!("SELECT * FROM {quoted} ORDER BY {order}"))?;
        let mut rows = stmt.query([])?;
        let mut h = Sha256::new();
        let mut count = 0i64;
        while let Some(row) = rows.next()? {
            count += 1;
            for i in 0..columns {
                match row.get_ref(i)? {
                    ValueRef::Null => h.update([0u8]),
                    ValueRef::Integer(v) => {
                        h.update([1u8]);
                        h.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        h.update([2u8]);
                        h.update(v.to_bits().to_le_bytes());
                    }
                    ValueRef::Text(v) | ValueRef::Blob(v) => {
                        h.update([3u8]);
                        h.update((v.len() as u64).to_le_bytes());
                        h.update(v);
                    }
                }
            }
        }
        out.push((table, count, format!("{:x}", h.finalize())));
    }
    Ok(out)
}

/// Encrypts the plaintext SQLite file at `plain` in place with `key`, by the module's steps;
/// `before_swap` runs once the encrypted copy is checked (the ledger's key file is written
/// there). Returns the tables' digests.
fn encrypt_file(
    plain: &Path,
    key: &DataKey,
    before_swap: impl FnOnce() -> Result<()>,
) -> Result<Vec<(String, i64, String)>> {
    let copy = sibling(plain, "加密中");
    let stash = sibling(plain, "明文");
    finish_interrupted(plain)?;
    let sql = |e: rusqlite::Error| Error::ledger(plain, e);
    // CREATE: the attached copy is made with the main file's flags.
    let conn = Connection::open_with_flags(
        plain,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .map_err(sql)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sql)?;
    // Everything in the write-ahead log goes into the file first, and nobody may write
    // while the copy is made (a write lock held to the end of the copy).
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(sql)?;
    let (user_version, application_id): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql)?;
    conn.execute(
        "ATTACH DATABASE ?1 AS encrypted KEY ?2",
        [copy.to_string_lossy().into_owned(), key.pragma()],
    )
    .map_err(sql)?;
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sql)?;
    let exported = (|| {
        let digests = table_digests(&conn)?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.pragma_update(Some("encrypted"), "user_version", user_version)?;
        conn.pragma_update(Some("encrypted"), "application_id", application_id)?;
        conn.execute_batch("COMMIT")?;
        Ok(digests)
    })();
    let digests = match exported {
        Ok(d) => d,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            drop(conn);
            let _ = std::fs::remove_file(&copy);
            return Err(sql(e));
        }
    };
    conn.execute_batch("DETACH DATABASE encrypted")
        .map_err(sql)?;
    drop(conn);
    let checked = check_copy(&copy, key, &digests, user_version, application_id);
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&copy);
        return Err(e);
    }
    let wal = side_file(plain, "-wal");
    if wal.metadata().map(|m| m.len() > 0).unwrap_or(false) {
        let _ = std::fs::remove_file(&copy);
        return Err(Error::refused(
            Code::LedgerLocked,
            format!(
                "账本 {} 正被另一个程序使用（可能另开了一个网格一本账），没有加密。请关闭它后重试；账本未作改动。",
                plain.display()
            ),
        ));
    }
    before_swap()?;
    std::fs::rename(plain, &stash).map_err(|e| Error::write_failed(plain, e))?;
    std::fs::rename(&copy, plain).map_err(|e| Error::write_failed(plain, e))?;
    wipe(&stash)?;
    for suffix in ["-wal", "-shm"] {
        let side = side_file(plain, suffix);
        if side.exists() {
            wipe(&side)?;
        }
    }
    Ok(digests)
}

/// The encrypted copy opens with the key, SQLite and SQLCipher find it whole, and it holds
/// every row of the plaintext file.
fn check_copy(
    copy: &Path,
    key: &DataKey,
    digests: &[(String, i64, String)],
    user_version: i64,
    application_id: i64,
) -> Result<()> {
    let sql = |e: rusqlite::Error| Error::ledger(copy, e);
    let conn = keys::connect(copy, OpenFlags::SQLITE_OPEN_READ_ONLY, Some(key)).map_err(sql)?;
    file_sync(copy)?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sql)?;
    // SQLCipher's own check of every page's HMAC: one row per problem, none when whole.
    let cipher_problems = {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check").map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        let mut n = 0;
        while rows.next().map_err(sql)?.is_some() {
            n += 1;
        }
        n
    };
    let header: (i64, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql)?;
    let copied = table_digests(&conn).map_err(sql)?;
    if verdict != "ok"
        || cipher_problems != 0
        || header != (user_version, application_id)
        || copied != digests
    {
        return Err(Error::refused(
            Code::LedgerDamaged,
            format!(
                "加密后的副本与原账本不一致（{verdict}），没有替换原账本；账本未作改动。请先运行 check ledger。"
            ),
        ));
    }
    Ok(())
}

fn file_sync(path: &Path) -> Result<()> {
    // Opened for writing: Windows flushes only a file opened so.
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::write_failed(path, e))
}

/// Protects the plaintext ledger at `ledger`: brings it up to date, encrypts it and its
/// backups, and makes `admin` its first 村管理员. Returns the recovery code, to be shown once.
pub fn protect(
    ledger: &Path,
    admin: &str,
    passphrase: &str,
    soundness: Soundness,
) -> Result<RecoveryCode> {
    finish_interrupted(ledger)?;
    if is_encrypted(ledger) {
        return Err(Error::refused(
            Code::Conflict,
            format!("账本 {} 已经加密，不用再设置。", ledger.display()),
        ));
    }
    keys::check_passphrase(passphrase)?;
    // Opening brings the schema up to date (backing up first) and checks the file is sound.
    let store = Store::open_checked(ledger, super::Missing::Refuse, soundness)?;
    let backup_dir = store.backup_dir();
    drop(store);
    let (file, key, code) = KeyFile::create(ledger, admin, passphrase)?;
    encrypt_file(ledger, &key, || file.write())?;
    // The backups are as readable as the ledger was: each is encrypted the same way.
    for backup in plaintext_files(&backup_dir) {
        encrypt_file(&backup, &key, || Ok(()))?;
    }
    let _ = std::fs::copy(file.path(), backup_dir.join(file_name(file.path())));
    // The trail says when and by whom (the first entry the new 村管理员 writes).
    let unlock = super::Unlock::Operator {
        name: admin.to_string(),
        passphrase: passphrase.to_string(),
    };
    let store = Store::open_as(ledger, super::Missing::Refuse, soundness, Some(&unlock))?;
    store.log_event("加密", &format!("账本加密，{} 为村管理员", admin.trim()))?;
    Ok(code)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The plaintext SQLite files of a backup folder.
fn plaintext_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "db") && p.is_file() && !is_encrypted(p))
        .collect()
}

/// Work only some roles may do on a protected ledger (on a plaintext one, anyone may).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// The settings (填报单位, backups' second folder, the idle lock …).
    Settings,
    /// Saving and removing report templates.
    Templates,
    /// Importing a file (a paste of the day's readings is typing, anyone's).
    Import,
    /// Removing old health records.
    Purge,
    /// Putting the ledger back as a backup has it.
    Restore,
    /// Writing a plaintext copy of the ledger for another tool.
    PlainCopy,
    /// Adding, changing and removing operators.
    Operators,
}

impl Duty {
    pub const ALL: [Duty; 7] = [
        Duty::Settings,
        Duty::Templates,
        Duty::Import,
        Duty::Purge,
        Duty::Restore,
        Duty::PlainCopy,
        Duty::Operators,
    ];

    fn label(self) -> &'static str {
        match self {
            Duty::Settings => "修改设置",
            Duty::Templates => "修改报表模板",
            Duty::Import => "导入表格",
            Duty::Purge => "清理旧的健康记录",
            Duty::Restore => "用备份恢复账本",
            Duty::PlainCopy => "导出不加密的账本副本",
            Duty::Operators => "管理操作员",
        }
    }

    /// The roles that may: a 村管理员 everything, a 镇文员 imports and templates, a 网格员
    /// their grid's records only.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Duty::Templates | Duty::Import => &[Role::VillageAdmin, Role::TownClerk],
            Duty::Settings | Duty::Purge | Duty::Restore | Duty::PlainCopy | Duty::Operators => {
                &[Role::VillageAdmin]
            }
        }
    }
}

impl Store {
    /// Records something done to the ledger as a whole (`ledger_events`, in the trail).
    pub(super) fn log_event(&self, kind: &str, detail: &str) -> Result<()> {
        self.in_transaction(|| {
            self.conn.execute(
                "INSERT INTO ledger_events (operator, kind, detail) VALUES (?1, ?2, ?3)",
                rusqlite::params![self.who()?, kind, detail],
            )?;
            Ok(())
        })
    }

    /// Writes a copy of the ledger that is not encrypted, for another tool (a 村管理员's
    /// work, recorded in the trail). `out` must not exist; returns where it went.
    pub fn write_plain_copy(&self, out: &Path) -> Result<PathBuf> {
        self.may(Duty::PlainCopy)?;
        let at = |e: rusqlite::Error| Error::ledger(out, e);
        let written = crate::files::save(
            out,
            crate::files::IfExists::Refuse,
            &[&self.path],
            |temp| {
                let (user_version, application_id): (i64, i64) = self
                .conn
                .query_row(
                    "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(at)?;
                // An empty key: the attached copy is plain SQLite.
                self.conn
                    .execute(
                        "ATTACH DATABASE ?1 AS plain KEY ''",
                        [temp.to_string_lossy()],
                    )
                    .map_err(at)?;
                // Writes the attached copy only (the guard against unnamed writes is off).
                let exported = self.unguarded(|| {
                    self.conn
                        .query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))?;
                    self.conn
                        .pragma_update(Some("plain"), "user_version", user_version)?;
                    self.conn
                        .pragma_update(Some("plain"), "application_id", application_id)
                });
                let detached = self.conn.execute_batch("DETACH DATABASE plain");
                exported.and(detached).map_err(at)
            },
        )?;
        // Readable by its owner alone: it holds everything the encryption kept from others.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&written, std::fs::Permissions::from_mode(0o600));
        }
        self.log_event(
            "明文副本",
            &format!("写出不加密的副本：{}", written.display()),
        )?;
        Ok(written)
    }

    /// Refuses `duty` to an operator whose role does not include it.
    pub fn may(&self, duty: Duty) -> Result<()> {
        match self.refusal(duty) {
            Some(why) => Err(Error::refused(Code::Conflict, why)),
            None => Ok(()),
        }
    }

    /// Why the logged-in operator may not do `duty` (None: they may). The window shows it
    /// where the duty's buttons would be.
    pub fn refusal(&self, duty: Duty) -> Option<String> {
        let login = self.login.as_ref()?;
        (!duty.roles().contains(&login.role)).then(|| {
            format!(
                "“{}”是{}，不能{}：请{}来做。",
                login.name,
                login.role.label(),
                duty.label(),
                duty.roles()
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join("或")
            )
        })
    }

    /// Every duty the logged-in operator may not do, with why.
    pub fn refusals(&self) -> std::collections::BTreeMap<Duty, String> {
        Duty::ALL
            .into_iter()
            .filter_map(|duty| Some((duty, self.refusal(duty)?)))
            .collect()
    }

    /// Whether the ledger is encrypted.
    pub fn is_protected(&self) -> bool {
        self.key.is_some()
    }

    /// Who unlocked the ledger (None: a plaintext ledger).
    pub fn login(&self) -> Option<&Operator> {
        self.login.as_ref()
    }

    /// The data key, for tools that open the file themselves (a test's raw connection).
    pub fn data_key(&self) -> Option<&DataKey> {
        self.key.as_ref()
    }

    /// The operators of a protected ledger.
    pub fn operators(&self) -> Result<Vec<Operator>> {
        Ok(KeyFile::read(&self.path)?
            .map(|f| f.operators())
            .unwrap_or_default())
    }

    /// Adds an operator, or gives one a new role and passphrase (a forgotten passphrase is
    /// reset this way). Only a 村管理员 may.
    pub fn set_operator_key(
        &self,
        name: &str,
        role: Role,
        grid: Option<i64>,
        passphrase: &str,
    ) -> Result<()> {
        self.require_admin()?;
        if let Some(grid) = grid {
            self.place(grid)?;
        }
        self.edit_keys(|file, key| file.add(key, name, role, grid, passphrase))?;
        let grid = grid
            .map(|g| format!("，网格（地点编号）{g}"))
            .unwrap_or_default();
        self.log_event(
            "设置操作员",
            &format!("{}：{}{grid}，密码已设置", name.trim(), role.label()),
        )
    }

    /// Notes in the trail that a 网格员 looked at a person outside their grid (`ledger_events`
    /// 网格外查看; store/grid.rs says what is inside); anyone else's look, or one inside the
    /// grid, is not a record.
    pub fn note_look(&self, person_id: i64) -> Result<()> {
        if !self.outside_grid(person_id)? {
            return Ok(());
        }
        let name = self
            .login
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let person: String =
            self.conn
                .query_row("SELECT name FROM persons WHERE id = ?1", [person_id], |r| {
                    r.get(0)
                })?;
        self.log_event(
            "网格外查看",
            &format!("网格员{name}查看了网格外的{person}（人员编号 {person_id}）"),
        )
    }

    /// Removes an operator. Only a 村管理员 may; the last one stays.
    pub fn remove_operator(&self, name: &str) -> Result<()> {
        self.require_admin()?;
        self.edit_keys(|file, _| file.remove(name))?;
        self.log_event("删除操作员", name.trim())
    }

    /// Changes the passphrase of whoever is logged in, after checking their present one.
    pub fn change_passphrase(&self, present: &str, new: &str) -> Result<()> {
        let login = self.login.clone().ok_or_else(not_protected)?;
        let file = KeyFile::read(&self.path)?.ok_or_else(not_protected)?;
        file.unlock(&login.name, present)?;
        self.edit_keys(|file, key| file.add(key, &login.name, login.role, login.grid, new))?;
        self.log_event("修改密码", &login.name)
    }

    fn require_admin(&self) -> Result<()> {
        if self.login.is_none() {
            return Err(not_protected());
        }
        self.may(Duty::Operators)
    }

    /// Reads the key file (or starts one from the data key, when it was lost), changes it and
    /// writes it back, with a copy in the backup folder.
    fn edit_keys(&self, change: impl FnOnce(&mut KeyFile, &DataKey) -> Result<()>) -> Result<()> {
        let key = self.key.as_ref().ok_or_else(not_protected)?;
        let mut file = match KeyFile::read(&self.path)? {
            Some(f) if f.fits(key) => f,
            _ => KeyFile::for_key(&self.path, key),
        };
        change(&mut file, key)?;
        file.write()?;
        self.copy_key_file();
        Ok(())
    }

    /// A copy of the key file goes with the backups (and the second copy on a USB stick), so
    /// a backup restored elsewhere can be opened with the same passphrases.
    pub(super) fn copy_key_file(&self) {
        if self.key.is_none() {
            return;
        }
        let from = keys::key_path(&self.path);
        let name = file_name(&from);
        let _ = std::fs::copy(&from, self.backup_dir().join(&name));
        if let Ok(Some(copy)) = self.setting(backups::COPY_SETTING) {
            if !copy.trim().is_empty() {
                let _ = std::fs::copy(&from, Path::new(copy.trim()).join(&name));
            }
        }
    }
}

fn not_protected() -> Error {
    Error::refused(
        Code::Conflict,
        "这个账本还没有加密，没有操作员：请先设置村管理员（gridledger protect --operator 姓名）。",
    )
}
