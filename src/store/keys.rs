//! The keys of a protected ledger. The ledger file is encrypted by SQLCipher with one random
//! 32-byte data key, used as a raw key (no key derivation inside SQLite). The data key comes
//! from the recovery code (printed once, kept in the village office) and is kept, wrapped, in
//! a key file beside the ledger (`ledger.db.key`): once per operator, under a key stretched
//! from their passphrase by Argon2id, sealed with XChaCha20-Poly1305. The operator's name,
//! role and grid are the seal's associated data, so editing the file to change a role breaks
//! that operator's entry instead of promoting them.
//!
//! Losing the key file loses nothing while the recovery code exists: the code alone gives
//! the data key, and a new key file can be written from it.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Code, Error, Result};

/// The name the login of a recovery code takes in the trail.
pub const RECOVERY_LOGIN: &str = "（恢复码）";

/// The fewest characters a passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The key file's format marker and version.
const FORMAT: &str = "gridledger-keys";
const VERSION: u32 = 1;

/// Argon2id's cost for a new entry: 64 MiB, 3 passes, one lane (about a quarter of a second
/// on the development machine; an old laptop takes a few times that). Kept in each entry, so
/// raising it later leaves older entries readable.
const M_KIB: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 1;

/// The secret behind a recovery code: 20 random bytes (160 bits), written as 32 base-32
/// characters and 4 more that check them.
const SECRET_BYTES: usize = 20;

/// Crockford's base 32: no I, L, O or U to misread on paper.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The key a ledger's pages are encrypted with. Never written anywhere in the clear; wiped
/// when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        // A volatile write, so the wipe is not optimised away.
        for b in self.0.iter_mut() {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl DataKey {
    /// SQLCipher's raw-key form: `x'<64 hex digits>'`.
    pub fn pragma(&self) -> String {
        format!("x'{}'", hex(&self.0))
    }

    fn from_secret(secret: &[u8]) -> DataKey {
        let mut h = Sha256::new();
        h.update(b"gridledger data key v1\0");
        h.update(secret);
        DataKey(h.finalize().into())
    }
}

/// The code printed once when a ledger is protected: 9 groups of 4 characters
/// (`7K3D-…`). Whoever holds it can open the ledger without any passphrase.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(…)")
    }
}

impl std::fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl RecoveryCode {
    fn from_secret(secret: &[u8]) -> RecoveryCode {
        let mut chars = base32(secret);
        chars.push_str(&check_chars(secret));
        let groups: Vec<&str> = (0..chars.len())
            .step_by(4)
            .map(|i| &chars[i..(i + 4).min(chars.len())])
            .collect();
        RecoveryCode(groups.join("-"))
    }

    /// Reads a code as a person types it: any case, with or without dashes and spaces, O
    /// for 0 and I or L for 1. A mistyped character is caught by the check characters.
    pub fn parse(text: &str) -> Result<RecoveryCode> {
        let secret = secret_of(text)?;
        Ok(RecoveryCode::from_secret(&secret))
    }

    /// The data key this code stands for.
    pub fn data_key(&self) -> DataKey {
        let secret = secret_of(&self.0).expect("a code made here parses");
        DataKey::from_secret(&secret)
    }
}

fn secret_of(text: &str) -> Result<Vec<u8>> {
    let wrong = || {
        Error::refused(
            Code::KeyWrong,
            "恢复码不对：应为 36 个字母或数字（9 组，每组 4 个），请对照纸上的恢复码重新输入。",
        )
    };
    let mut values = Vec::new();
    for c in text.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{3000}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let v = ALPHABET
            .iter()
            .position(|&a| a as char == c)
            .ok_or_else(wrong)?;
        values.push(v as u8);
    }
    if values.len() != 36 {
        return Err(wrong());
    }
    let mut bits: u64 = 0;
    let mut nbits = 0;
    let mut secret = Vec::with_capacity(SECRET_BYTES);
    for &v in &values[..32] {
        bits = (bits << 5) | v as u64;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            secret.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    let typed: String = values[32..]
        .iter()
        .map(|&v| ALPHABET[v as usize] as char)
        .collect();
    if typed != check_chars(&secret) {
        return Err(wrong());
    }
    Ok(secret)
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut bits: u64 = 0;
    let mut nbits = 0;
    for &b in bytes {
        bits = (bits << 8) | b as u64;
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            out.push(ALPHABET[((bits >> nbits) & 31) as usize] as char);
        }
        bits &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        out.push(ALPHABET[((bits << (5 - nbits)) & 31) as usize] as char);
    }
    out
}

/// Four characters (20 bits) of SHA-256 of the secret: a typo is caught before any key is
/// tried.
fn check_chars(secret: &[u8]) -> String {
    let digest = Sha256::digest([b"gridledger recovery check\0".as_slice(), secret].concat());
    base32(&digest[..3])[..4].to_string()
}

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Manages operators, templates and settings; everything a clerk and a grid worker may.
    #[serde(rename = "村管理员")]
    VillageAdmin,
    /// Their grid's records.
    #[serde(rename = "网格员")]
    GridWorker,
    /// Imports, merges and reports.
    #[serde(rename = "镇文员")]
    TownClerk,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::VillageAdmin, Role::GridWorker, Role::TownClerk];

    pub fn label(self) -> &'static str {
        match self {
            Role::VillageAdmin => "村管理员",
            Role::GridWorker => "网格员",
            Role::TownClerk => "镇文员",
        }
    }

    pub fn parse(text: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.label() == text.trim())
            .ok_or_else(|| {
                Error::refused(
                    Code::ArgumentInvalid,
                    format!("没有“{text}”这种角色：可选 村管理员、网格员、镇文员。"),
                )
            })
    }
}

/// One operator as the key file lists them (no secret in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    pub name: String,
    pub role: Role,
    /// A 网格员's grid (a place id): a person outside it looked at is noted in the trail.
    pub grid: Option<i64>,
}

/// The data key sealed under one passphrase.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sealed {
    name: String,
    role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grid: Option<i64>,
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    sealed: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileBody {
    format: String,
    version: u32,
    /// SHA-256 of the data key under a label: tells a recovery code of another ledger from
    /// this one's without touching the ledger.
    key_check: String,
    operators: Vec<Sealed>,
}

/// A ledger's key file, read or about to be written.
#[derive(Debug, Clone)]
pub struct KeyFile {
    path: PathBuf,
    body: FileBody,
}

/// The key file of the ledger at `ledger`: `ledger.db.key` beside it.
pub fn key_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// Whether `ledger`'s bytes are SQLCipher's: an existing file SQLite, given no key, finds
/// is not a database.
///
/// Asked of SQLite, never read through a file handle of our own: closing such a handle drops
/// every lock this process holds on the file (POSIX locks belong to the process), and
/// another program closing the ledger then believes itself its last user and deletes the
/// WAL under this process's open connections — which from then on read a ledger of the past.
pub fn is_encrypted(ledger: &Path) -> bool {
    use rusqlite::{Connection, ErrorCode, OpenFlags};
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(ledger, flags) else {
        return false;
    };
    let read = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    matches!(read, Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase))
}

/// Whether the ledger at `ledger` is protected (a key file beside it, or encrypted bytes):
/// it must be unlocked to open.
pub fn is_protected_file(ledger: &Path) -> bool {
    (key_path(ledger).exists() && ledger.exists()) || is_encrypted(ledger)
}

/// How long a login must wait after `failures` wrong passphrases in a row: nothing for the
/// first four, then 5 seconds doubling with each further one, at most 5 minutes.
pub fn wait_after(failures: u32) -> std::time::Duration {
    let secs = match failures {
        0..=4 => 0,
        n => (5u64 << (n - 5).min(6)).min(300),
    };
    std::time::Duration::from_secs(secs)
}

/// The rules a new passphrase must meet, said in Chinese.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            format!("密码太短：至少要 {MIN_PASSPHRASE_CHARS} 个字（汉字、字母、数字都算）。"),
        ));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim().nfc().collect::<String>();
    if name.is_empty() || name.chars().count() > 20 {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            "操作员的名字要写（最多 20 个字），如“王芳”。",
        ));
    }
    Ok(name)
}

impl KeyFile {
    /// Makes the keys of a new protected ledger: a fresh secret (its recovery code and data
    /// key) and a key file with `admin` as its first 村管理员. Nothing is written yet.
    pub fn create(
        ledger: &Path,
        admin: &str,
        passphrase: &str,
    ) -> Result<(KeyFile, DataKey, RecoveryCode)> {
        check_passphrase(passphrase)?;
        let mut secret = [0u8; SECRET_BYTES];
        random(&mut secret)?;
        let code = RecoveryCode::from_secret(&secret);
        let key = code.data_key();
        let mut file = KeyFile::for_key(ledger, &key);
        file.add(&key, admin, Role::VillageAdmin, None, passphrase)?;
        Ok((file, key, code))
    }

    /// An empty key file for `key` (a lost key file made again from the recovery code).
    pub fn for_key(ledger: &Path, key: &DataKey) -> KeyFile {
        KeyFile {
            path: key_path(ledger),
            body: FileBody {
                format: FORMAT.to_string(),
                version: VERSION,
                key_check: key_check(key),
                operators: Vec::new(),
            },
        }
    }

    /// Reads the key file of the ledger at `ledger`, if it has one.
    pub fn read(ledger: &Path) -> Result<Option<KeyFile>> {
        let path = key_path(ledger);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::refused(
                    Code::FileUnreadable,
                    format!("读不了钥匙文件 {}：{e}。", path.display()),
                ))
            }
        };
        let body: FileBody = serde_json::from_str(&text)
            .ok()
            .filter(|b: &FileBody| b.format == FORMAT && b.version <= VERSION)
            .ok_or_else(|| {
                Error::refused(
                    Code::KeyWrong,
                    format!(
                        "钥匙文件 {} 已损坏或不是本程序的。请从备份文件夹（或 U 盘）找回它；也可以用恢复码打开账本，重新设置操作员。",
                        path.display()
                    ),
                )
            })?;
        Ok(Some(KeyFile { path, body }))
    }

    /// Writes the file beside its final name and moves it into place: a crash leaves the old
    /// file or the new one, never half of either.
    pub fn write(&self) -> Result<()> {
        use std::io::Write;
        let text = serde_json::to_string_pretty(&self.body).expect("a key file serialises");
        let failed = |e: std::io::Error| Error::write_failed(&self.path, e);
        let dir = match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        // Made readable by its owner alone (the temporary file's own mode).
        let mut temp = tempfile::Builder::new()
            .prefix(".gridledger-key-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(failed)?;
        temp.write_all(text.as_bytes()).map_err(failed)?;
        temp.as_file().sync_all().map_err(failed)?;
        temp.persist(&self.path).map_err(|e| failed(e.error))?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The operators, in the order they were added.
    pub fn operators(&self) -> Vec<Operator> {
        self.body
            .operators
            .iter()
            .map(|s| Operator {
                name: s.name.clone(),
                role: s.role,
                grid: s.grid,
            })
            .collect()
    }

    /// Whether `key` is this file's data key (a recovery code of another ledger is not).
    pub fn fits(&self, key: &DataKey) -> bool {
        self.body.key_check == key_check(key)
    }

    /// Unwraps the data key with an operator's passphrase. A wrong name or passphrase is
    /// `key_wrong`, and nothing else is touched.
    pub fn unlock(&self, name: &str, passphrase: &str) -> Result<(DataKey, Operator)> {
        let name = name.trim().nfc().collect::<String>();
        let entry = self
            .body
            .operators
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| {
                Error::refused(
                    Code::KeyWrong,
                    format!(
                        "没有名为“{name}”的操作员。本账本的操作员：{}。",
                        self.operators()
                            .iter()
                            .map(|o| o.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            })?;
        let key = open_seal(entry, passphrase).ok_or_else(|| {
            Error::refused(
                Code::KeyWrong,
                "密码不对，请重新输入（注意大小写和输入法）。",
            )
        })?;
        if !self.fits(&key) {
            return Err(Error::refused(
                Code::KeyWrong,
                format!(
                    "钥匙文件 {} 中“{name}”的钥匙与文件不符，请从备份找回钥匙文件。",
                    self.path.display()
                ),
            ));
        }
        Ok((
            key,
            Operator {
                name: entry.name.clone(),
                role: entry.role,
                grid: entry.grid,
            },
        ))
    }

    /// Adds an operator (or sets a new passphrase, role and grid for one of that name).
    pub fn add(
        &mut self,
        key: &DataKey,
        name: &str,
        role: Role,
        grid: Option<i64>,
        passphrase: &str,
    ) -> Result<()> {
        check_passphrase(passphrase)?;
        let name = check_name(name)?;
        let grid = grid.filter(|_| role == Role::GridWorker);
        if role != Role::VillageAdmin {
            self.keeps_an_admin(&name, "改为其他角色")?;
        }
        let entry = seal(key, &name, role, grid, passphrase)?;
        match self.body.operators.iter_mut().find(|s| s.name == name) {
            Some(old) => *old = entry,
            None => self.body.operators.push(entry),
        }
        Ok(())
    }

    /// Removes an operator; the last 村管理员 stays (someone must be able to manage).
    pub fn remove(&mut self, name: &str) -> Result<()> {
        let name = name.trim().nfc().collect::<String>();
        let Some(at) = self.body.operators.iter().position(|s| s.name == name) else {
            return Err(Error::refused(
                Code::NotFound,
                format!("没有名为“{name}”的操作员。"),
            ));
        };
        self.keeps_an_admin(&name, "删除")?;
        self.body.operators.remove(at);
        Ok(())
    }

    /// Refuses to remove or demote (`what`) `name` when they are the last 村管理员: someone
    /// must be able to manage the operators.
    fn keeps_an_admin(&self, name: &str, what: &str) -> Result<()> {
        let admins = |s: &&Sealed| s.role == Role::VillageAdmin;
        let last = self.body.operators.iter().filter(admins).count() == 1
            && self
                .body
                .operators
                .iter()
                .filter(admins)
                .any(|s| s.name == name);
        if last {
            return Err(Error::refused(
                Code::Conflict,
                format!("“{name}”是唯一的村管理员，不能{what}：请先添加另一位村管理员。"),
            ));
        }
        Ok(())
    }
}

/// Opens a connection to `path`, keyed when a key is given (before anything reads a page).
pub fn connect(
    path: &Path,
    flags: rusqlite::OpenFlags,
    key: Option<&DataKey>,
) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma()))?;
    }
    Ok(conn)
}

/// A key that SQLCipher finds does not open the file.
pub fn does_not_fit(ledger: &Path) -> Error {
    Error::refused(
        Code::KeyWrong,
        format!(
            "钥匙与账本 {} 不符（钥匙文件或恢复码是另一个账本的，或账本已损坏）。账本未作改动。",
            ledger.display()
        ),
    )
}

/// The data key and operator for opening the ledger at `ledger` as `unlock` says: none for
/// a plaintext ledger, refused when a protected one is not (or wrongly) unlocked.
pub(super) fn keys_for(
    ledger: &Path,
    unlock: Option<&super::Unlock>,
) -> Result<(Option<DataKey>, Option<Operator>)> {
    use super::Unlock;
    let file = KeyFile::read(ledger)?;
    if ledger.exists() && !is_encrypted(ledger) {
        // A plaintext ledger (a key file beside it is left from a conversion that did not
        // finish, and is not used).
        return Ok((None, None));
    }
    match (file, unlock) {
        // No key file: a plaintext ledger, or bytes SQLite will refuse as not a ledger (the
        // message says what to do if they are an encrypted ledger whose key file is lost).
        (None, None | Some(Unlock::Operator { .. })) => Ok((None, None)),
        (Some(file), Some(Unlock::Operator { name, passphrase })) => {
            let (key, operator) = file.unlock(name, passphrase)?;
            Ok((Some(key), Some(operator)))
        }
        (file, Some(Unlock::Recovery(code))) => {
            let key = code.data_key();
            if let Some(file) = file.filter(|f| !f.fits(&key)) {
                return Err(Error::refused(
                    Code::KeyWrong,
                    format!(
                        "这个恢复码不是账本 {} 的（与钥匙文件 {} 不符）。账本未作改动。",
                        ledger.display(),
                        file.path().display()
                    ),
                ));
            }
            // Whoever holds the recovery code owns the ledger.
            let login = Operator {
                name: RECOVERY_LOGIN.to_string(),
                role: Role::VillageAdmin,
                grid: None,
            };
            Ok((Some(key), Some(login)))
        }
        (Some(file), None) => Err(Error::refused(
            Code::LedgerProtected,
            format!(
                "账本 {} 已加密，请登录：操作员（{}）和密码。命令行用 --operator 姓名，密码在提示时输入（或用环境变量 GRIDLEDGER_PASSPHRASE）；忘了密码可用恢复码（--recovery-code）。",
                ledger.display(),
                file.operators()
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )),
    }
}

fn key_check(key: &DataKey) -> String {
    let digest = Sha256::digest([b"gridledger key check\0".as_slice(), &key.0].concat());
    hex(&digest[..8])
}

/// The associated data of an entry: its name, role and grid, so none can be edited in the file.
fn aad(name: &str, role: Role, grid: Option<i64>) -> Vec<u8> {
    let grid = grid.map(|g| g.to_string()).unwrap_or_default();
    format!("{FORMAT}\0{name}\0{}\0{grid}", role.label()).into_bytes()
}

fn stretch(
    passphrase: &str,
    salt: &[u8],
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
) -> Option<[u8; 32]> {
    let params = Params::new(m_kib, t_cost, p_cost, Some(32)).ok()?;
    let mut out = [0u8; 32];
    let passphrase: String = passphrase.nfc().collect();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .ok()?;
    Some(out)
}

fn seal(
    key: &DataKey,
    name: &str,
    role: Role,
    grid: Option<i64>,
    passphrase: &str,
) -> Result<Sealed> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    random(&mut salt)?;
    random(&mut nonce)?;
    let kek = stretch(passphrase, &salt, M_KIB, T_COST, P_COST)
        .expect("fixed Argon2 parameters are valid");
    let cipher = XChaCha20Poly1305::new((&kek).into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &key.0,
                aad: &aad(name, role, grid),
            },
        )
        .expect("sealing 32 bytes cannot fail");
    Ok(Sealed {
        name: name.to_string(),
        role,
        grid,
        m_kib: M_KIB,
        t_cost: T_COST,
        p_cost: P_COST,
        salt: hex(&salt),
        nonce: hex(&nonce),
        sealed: hex(&sealed),
    })
}

fn open_seal(entry: &Sealed, passphrase: &str) -> Option<DataKey> {
    let salt = unhex(&entry.salt)?;
    let nonce = unhex(&entry.nonce)?;
    let sealed = unhex(&entry.sealed)?;
    if nonce.len() != 24 {
        return None;
    }
    let kek = stretch(passphrase, &salt, entry.m_kib, entry.t_cost, entry.p_cost)?;
    let cipher = XChaCha20Poly1305::new((&kek).into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: &aad(&entry.name, entry.role, entry.grid),
            },
        )
        .ok()?;
    Some(DataKey(plain.try_into().ok()?))
}

fn random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| {
        Error::refused(
            Code::Internal,
            format!("系统没有给出随机数（{e}），无法生成钥匙；账本未作改动。"),
        )
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_code_reads_back_as_typed_and_catches_typos() {
        let secret: Vec<u8> = (0..SECRET_BYTES as u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(5))
            .collect();
        let code = RecoveryCode::from_secret(&secret);
        assert_eq!(code.0.len(), 36 + 8, "9 groups of 4 with dashes: {code}");
        let typed = code
            .0
            .to_lowercase()
            .replace('-', " ")
            .replace('0', "o")
            .replace('1', "l");
        assert_eq!(RecoveryCode::parse(&typed).unwrap(), code);
        assert_eq!(
            RecoveryCode::parse(&typed).unwrap().data_key(),
            DataKey::from_secret(&secret)
        );
        // Every single-character change is caught (by the alphabet or the check).
        let plain: Vec<char> = code.0.chars().filter(|c| *c != '-').collect();
        for at in 0..plain.len() {
            for &c in ALPHABET.iter() {
                if c as char == plain[at] {
                    continue;
                }
                let mut changed = plain.clone();
                changed[at] = c as char;
                let text: String = changed.into_iter().collect();
                if let Ok(other) = RecoveryCode::parse(&text) {
                    // A changed secret character matches the check with odds of 1 in 2^20.
                    panic!("{text} read as {other} (from {code})");
                }
            }
        }
    }

    #[test]
    fn five_wrong_tries_then_a_growing_wait() {
        let waits: Vec<u64> = (0..14).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300]
        );
    }

    #[test]
    fn an_entry_opens_only_with_its_passphrase_and_its_own_name_and_role() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("l.db");
        let (mut file, key, code) = KeyFile::create(&ledger, "王芳", "春风又绿江南两岸").unwrap();
        assert_eq!(code.data_key(), key);
        assert!(file.fits(&key));
        assert_eq!(file.unlock("王芳", "春风又绿江南两岸").unwrap().0, key);
        assert_eq!(
            file.unlock("王芳", "春风又绿江南岸").unwrap_err().code(),
            Code::KeyWrong
        );
        assert_eq!(
            file.unlock("李四", "春风又绿江南两岸").unwrap_err().code(),
            Code::KeyWrong
        );
        file.add(&key, "李四", Role::GridWorker, Some(3), "12345678")
            .unwrap();
        assert!(file.remove("王芳").is_err(), "the only 村管理员 stays");
        assert_eq!(file.unlock("李四", "12345678").unwrap().1.grid, Some(3));
        // A grid or a role edited in the file breaks that entry instead of moving or
        // promoting it.
        file.body.operators[1].grid = Some(4);
        assert_eq!(
            file.unlock("李四", "12345678").unwrap_err().code(),
            Code::KeyWrong
        );
        file.body.operators[1].grid = Some(3);
        file.body.operators[1].role = Role::VillageAdmin;
        assert_eq!(
            file.unlock("李四", "12345678").unwrap_err().code(),
            Code::KeyWrong
        );
        assert_eq!(
            check_passphrase("1234567").unwrap_err().code(),
            Code::ArgumentInvalid
        );
    }
}
