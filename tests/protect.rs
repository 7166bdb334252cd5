//! Issue 16, a found laptop reveals nothing: a protected ledger is SQLCipher-encrypted with a
//! random data key kept in a key file, sealed per operator under their passphrase (Argon2id),
//! and given by the recovery code alone. A plaintext ledger converts with every row, and a
//! conversion killed at any moment leaves a whole ledger.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gridledger::model::PersonInput;
use gridledger::store::{keys, Missing, RecoveryCode, Role, Soundness, Unlock};
use gridledger::Store;
use sha2::{Digest, Sha256};

use crate::util::{gridledger, person};

const ADMIN: &str = "王芳";
const PASSPHRASE: &str = "春风又绿江南两岸";

fn unlock(name: &str, passphrase: &str) -> Unlock {
    Unlock::Operator {
        name: name.to_string(),
        passphrase: passphrase.to_string(),
    }
}

fn open(path: &Path, how: &Unlock) -> gridledger::Result<Store> {
    Store::open_as(path, Missing::Refuse, Soundness::default(), Some(how))
}

/// The command line as a script runs it on a protected ledger.
fn cli(db: &Path, operator: &str, passphrase: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .arg("--db")
        .arg(db)
        .args(["--operator", operator])
        .args(args)
        .env_remove("GRIDLEDGER_DB")
        .env_remove("GRIDLEDGER_OPERATOR")
        .env("GRIDLEDGER_PASSPHRASE", passphrase)
        .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
        .output()
        .unwrap()
}

/// The code of a refusal (the call must fail).
fn refused<T>(result: gridledger::Result<T>) -> &'static str {
    match result {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code().as_str(),
    }
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"))
}

/// A raw SQLite connection with the ledger's key, as another tool that has the key opens it.
fn raw(path: &Path, key: Option<&keys::DataKey>) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma()))
            .unwrap();
    }
    conn
}

/// Every table's row count and a digest of its rows, computed here with plain SQL (each
/// row's values quoted by SQLite, in primary-key order): independent of the store's own.
fn tables_digest(conn: &rusqlite::Connection) -> Vec<(String, i64, String)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let quoted: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {} FROM \"{table}\" ORDER BY 1",
                    quoted.join(" || '|' || ")
                ))
                .unwrap();
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let mut h = Sha256::new();
            for row in &rows {
                h.update(row.as_bytes());
                h.update(b"\n");
            }
            (table, rows.len() as i64, format!("{:x}", h.finalize()))
        })
        .collect()
}

/// `tables_digest` but for what encrypting itself writes: its `ledger_events` row, and that
/// row's entry and seal in the trail.
fn records_digest(conn: &rusqlite::Connection) -> Vec<(String, i64, String)> {
    tables_digest(conn)
        .into_iter()
        .filter(|(t, _, _)| !["audit", "audit_seals", "ledger_events"].contains(&t.as_str()))
        .collect()
}

fn header(conn: &rusqlite::Connection) -> (i64, i64) {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Which of `needles` occur in the bytes of `path` (a missing file holds nothing).
fn found_in<'a>(path: &Path, needles: &'a [String]) -> Vec<&'a String> {
    let bytes = std::fs::read(path).unwrap_or_default();
    needles
        .iter()
        .filter(|n| memchr::memmem::find(&bytes, n.as_bytes()).is_some())
        .collect()
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Names, ID numbers and phones of the ledger's persons (read with the key).
fn secrets(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name, coalesce(id_number, ''), coalesce(phone, '') FROM persons")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok([
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ])
        })
        .unwrap();
    rows.flat_map(|r| r.unwrap())
        .filter(|s| s.chars().count() >= 2)
        .collect()
}

#[test]
fn a_protected_ledgers_bytes_and_its_wal_hold_no_name_id_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("村账本.db");
    let made = cli(&db, ADMIN, PASSPHRASE, &["--json", "init"]);
    assert!(made.status.success(), "{made:?}");
    let made = json(&made);
    assert_eq!(made["protected"], true);
    let code = RecoveryCode::parse(made["recovery_code"].as_str().unwrap()).unwrap();
    let demo = cli(&db, ADMIN, PASSPHRASE, &["demo", "--households", "40"]);
    assert!(demo.status.success(), "{demo:?}");
    assert!(cli(&db, ADMIN, PASSPHRASE, &["backup"]).status.success());

    // A write still in the write-ahead log (the store open, nothing checkpointed).
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let mut added = person("赵巧云", "11010519491231002X");
    added.phone = "13912345678".to_string();
    store.save_person(&added).unwrap();
    assert!(side(&db, "-wal").metadata().unwrap().len() > 0);
    let key = code.data_key();
    assert_eq!(
        store.data_key(),
        Some(&key),
        "the recovery code gives the data key"
    );
    let conn = raw(&db, Some(&key));
    let secrets = secrets(&conn);
    assert!(secrets.len() > 300, "{} values", secrets.len());
    assert!(secrets.iter().any(|s| s == "赵巧云"));
    let backups: Vec<PathBuf> = store
        .backups()
        .unwrap()
        .into_iter()
        .map(|b| b.path)
        .collect();
    assert!(!backups.is_empty());
    for file in [db.clone(), side(&db, "-wal")].iter().chain(&backups) {
        let found = found_in(file, &secrets);
        assert!(found.is_empty(), "{} holds {found:?}", file.display());
    }
    // Without the key the file is not a database at all.
    let plain = rusqlite::Connection::open(&db).unwrap();
    assert!(plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
            .get::<_, i64>(0))
        .is_err());
}

#[test]
fn a_wrong_passphrase_or_operator_fails_cleanly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let (store, _) = Store::create_protected(&db, ADMIN, PASSPHRASE, Soundness::default()).unwrap();
    store
        .save_person(&person("钱多多", "11010519491231002X"))
        .unwrap();
    drop(store);
    let before = std::fs::read(&db).unwrap();
    let key_file = std::fs::read(keys::key_path(&db)).unwrap();
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    for (how, code) in [
        (unlock(ADMIN, "春风又绿江南两岸 "), "key_wrong"),
        (unlock("王 芳", PASSPHRASE), "key_wrong"),
        (unlock("李四", PASSPHRASE), "key_wrong"),
    ] {
        let e = open(&db, &how).err().unwrap();
        assert_eq!(e.code().as_str(), code, "{e}");
    }
    let e = Store::open(&db).err().unwrap();
    assert_eq!(e.code().as_str(), "ledger_protected");
    assert!(e.to_string().contains(ADMIN), "names who may log in: {e}");
    // The command line says the same, exit 2, JSON for scripts.
    let out = cli(&db, ADMIN, "wrong passphrase", &["--json", "summary"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "key_wrong");
    let out = gridledger(&db, &["--json", "summary"]);
    assert_eq!(json(&out)["error"]["code"], "ledger_protected");
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the ledger was not touched"
    );
    assert!(std::fs::read(keys::key_path(&db)).unwrap() == key_file);
    assert_eq!(listing(), files, "no -wal, no backup, nothing new");
}

#[test]
fn the_previous_releases_plaintext_ledger_converts_with_every_row_and_its_backups_too() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1.0/ledger.db");
    let db = dir.path().join("ledger.db");
    std::fs::copy(&fixture, &db).unwrap();
    // Brought up to date first (as the conversion does), and a plaintext backup beside it.
    let store = Store::open(&db).unwrap();
    assert!(
        !store.backups().unwrap().is_empty(),
        "the upgrade backed up first"
    );
    drop(store);
    let plain = raw(&db, None);
    let expected = records_digest(&plain);
    let expected_trail: i64 = plain
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    let expected_header = header(&plain);
    let names = secrets(&plain);
    drop(plain);
    assert!(expected.iter().any(|(t, n, _)| t == "persons" && *n > 100));

    let out = cli(&db, ADMIN, PASSPHRASE, &["--json", "protect"]);
    assert!(out.status.success(), "{out:?}");
    let code = RecoveryCode::parse(json(&out)["recovery_code"].as_str().unwrap()).unwrap();
    let key = code.data_key();
    let conn = raw(&db, Some(&key));
    assert!(
        records_digest(&conn) == expected,
        "every row of every table"
    );
    let trail: i64 = conn
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        trail,
        expected_trail + 1,
        "the trail as it was, and the encryption's row"
    );
    assert_eq!(
        header(&conn),
        expected_header,
        "user_version and application_id kept"
    );
    drop(conn);
    let mut files: Vec<PathBuf> = vec![db.clone()];
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    files.extend(store.backups().unwrap().into_iter().map(|b| b.path));
    assert!(files.len() >= 2);
    for file in &files {
        assert!(keys::is_encrypted(file), "{}", file.display());
        let found = found_in(file, &names);
        assert!(found.is_empty(), "{} holds {found:?}", file.display());
    }
    assert!(store.audit_verify().unwrap().ok());
    drop(store);
    // Nothing plaintext is left beside it.
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with("-wal"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Protecting twice is refused, and changes nothing.
    let again = cli(&db, ADMIN, PASSPHRASE, &["--json", "protect"]);
    assert_eq!(json(&again)["error"]["code"], "conflict");
}

#[test]
fn a_new_passphrase_rewraps_the_key_and_the_recovery_code_opens_without_the_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let (store, code) =
        Store::create_protected(&db, ADMIN, PASSPHRASE, Soundness::default()).unwrap();
    store
        .save_person(&person("孙小美", "11010519491231002X"))
        .unwrap();
    drop(store);
    let key_file_before = std::fs::read(keys::key_path(&db)).unwrap();
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    store
        .change_passphrase(PASSPHRASE, "不要告诉别人的新密码")
        .unwrap();
    assert_eq!(
        refused(store.change_passphrase(PASSPHRASE, "another one 123")),
        "key_wrong",
        "the present passphrase is asked for"
    );
    drop(store);
    assert_ne!(std::fs::read(keys::key_path(&db)).unwrap(), key_file_before);
    assert_eq!(refused(open(&db, &unlock(ADMIN, PASSPHRASE))), "key_wrong");
    let store = open(&db, &unlock(ADMIN, "不要告诉别人的新密码")).unwrap();
    assert_eq!(
        store.data_key(),
        Some(&code.data_key()),
        "the data key is the same: the key is sealed anew, no page rewritten"
    );
    assert_eq!(store.find_persons("孙小美", 5).unwrap().len(), 1);
    drop(store);

    // The key file lost: the recovery code (typed in lower case, with spaces) opens the
    // ledger and writes a new key file.
    std::fs::remove_file(keys::key_path(&db)).unwrap();
    let e = open(&db, &unlock(ADMIN, "不要告诉别人的新密码"))
        .err()
        .unwrap();
    assert_eq!(e.code().as_str(), "not_a_ledger");
    assert!(
        e.to_string().contains("钥匙文件") && e.to_string().contains("恢复码"),
        "{e}"
    );
    let typed = code.to_string().to_lowercase().replace('-', " ");
    let out = Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--recovery-code",
            &typed,
            "operator",
            "add",
            ADMIN,
            "--role",
            "村管理员",
        ])
        .env("GRIDLEDGER_NEW_PASSPHRASE", "找回来的密码ABC")
        .env_remove("GRIDLEDGER_DB")
        .env_remove("GRIDLEDGER_PASSPHRASE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let store = open(&db, &unlock(ADMIN, "找回来的密码ABC")).unwrap();
    assert_eq!(store.find_persons("孙小美", 5).unwrap().len(), 1);
    let kinds: Vec<(Option<String>, String)> = events(&store);
    assert_eq!(
        kinds,
        [
            (Some(ADMIN.to_string()), "修改密码".to_string()),
            (Some("（恢复码）".to_string()), "恢复码登录".to_string()),
            (Some("（恢复码）".to_string()), "设置操作员".to_string()),
        ],
        "a new passphrase, the recovery code's login and the operator it set are in the trail"
    );
    assert_eq!(
        refused(store.set_setting("lock_minutes", "abc")),
        "argument_invalid"
    );
    store.set_setting("lock_minutes", "0.5").unwrap();
    // Another ledger's code is refused before the file is read.
    let other = dir.path().join("other.db");
    let (_, other_code) =
        Store::create_protected(&other, ADMIN, PASSPHRASE, Soundness::default()).unwrap();
    let e = open(&db, &Unlock::Recovery(other_code)).err().unwrap();
    assert_eq!(e.code().as_str(), "key_wrong");
    assert_eq!(refused(RecoveryCode::parse("1234-5678")), "key_wrong");
}

#[test]
fn operators_have_roles_and_the_trail_names_who_logged_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    assert!(cli(&db, ADMIN, PASSPHRASE, &["init"]).status.success());
    let add = |who: &str, pass: &str, name: &str, role: &str| {
        Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--operator",
                who,
                "--json",
                "operator",
                "add",
                name,
                "--role",
                role,
            ])
            .env("GRIDLEDGER_PASSPHRASE", pass)
            .env("GRIDLEDGER_NEW_PASSPHRASE", "网格员的密码1234")
            .env_remove("GRIDLEDGER_DB")
            .output()
            .unwrap()
    };
    assert!(add(ADMIN, PASSPHRASE, "李网格", "网格员").status.success());
    let by_worker = add("李网格", "网格员的密码1234", "张三", "村管理员");
    assert_eq!(
        json(&by_worker)["error"]["code"],
        "conflict",
        "a 网格员 manages no operators"
    );
    let listed = json(&cli(
        &db,
        ADMIN,
        PASSPHRASE,
        &["--json", "operator", "list"],
    ));
    assert_eq!(listed[0]["name"], ADMIN);
    assert_eq!(listed[0]["role"], "村管理员");
    assert_eq!(listed[1]["role"], "网格员");
    // The trail names the login, whatever GRIDLEDGER_OPERATOR says.
    let out = Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--operator",
            "李网格",
            "person",
            "add",
            "--name",
            "周大福",
            "--id",
            "11010519491231002X",
        ])
        .env("GRIDLEDGER_PASSPHRASE", "网格员的密码1234")
        .env_remove("GRIDLEDGER_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    store.set_operator(Some("冒名者".to_string()));
    store
        .save_person(&PersonInput {
            name: "吴用".into(),
            ..Default::default()
        })
        .unwrap();
    let rows = store
        .audit_list(&gridledger::store::audit::AuditFilter::default())
        .unwrap();
    let named = |name: &str| {
        rows.iter()
            .find(|r| r.new.as_ref().is_some_and(|v| v.to_string().contains(name)))
            .and_then(|r| r.operator.clone())
    };
    assert_eq!(named("周大福").as_deref(), Some("李网格"));
    assert_eq!(named("吴用").as_deref(), Some(ADMIN));
    assert_eq!(store.login().unwrap().role, Role::VillageAdmin);
    // What each role may do: a 网格员 types records but changes no setting, template or
    // backup and imports no file; a 镇文员 imports and edits templates; a 村管理员 all.
    let worker = open(&db, &unlock("李网格", "网格员的密码1234")).unwrap();
    assert_eq!(worker.login().unwrap().role, Role::GridWorker);
    assert_eq!(
        refused(worker.set_setting("report_unit", "石桥村")),
        "conflict"
    );
    worker
        .set_setting("station_shift", "白班")
        .expect("the checkpoint page's shift is whoever is on duty's");
    assert_eq!(
        refused(
            worker
                .purge_health_records(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), false)
        ),
        "conflict"
    );
    let sheet = dir.path().join("返乡.csv");
    std::fs::write(
        &sheet,
        "姓名,联系电话,返乡日期\n刘备,13900000001,2026-12-01\n",
    )
    .unwrap();
    let import = |who: &str, pass: &str, dry: bool| {
        Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--operator",
                who,
                "--json",
                "import",
            ])
            .args(dry.then_some("--dry-run"))
            .arg(&sheet)
            .env("GRIDLEDGER_PASSPHRASE", pass)
            .env_remove("GRIDLEDGER_DB")
            .output()
            .unwrap()
    };
    // The window's preview is refused the same way.
    let previewed = gridledger::import::ImportSession::default().preview(
        &worker,
        &gridledger::import::Source::File(&sheet),
        &Default::default(),
        &mut |_, _| {},
    );
    assert_eq!(refused(previewed), "conflict");
    drop(worker);
    // Refused before the file is read, a dry run too: a 网格员 is not shown what it holds.
    for dry in [true, false] {
        let not_imported = import("李网格", "网格员的密码1234", dry);
        assert_eq!(
            json(&not_imported)["error"]["code"],
            "conflict",
            "{not_imported:?}"
        );
        assert!(String::from_utf8_lossy(&not_imported.stderr).contains("网格员，不能导入表格"));
    }
    store
        .set_operator_key("赵文员", Role::TownClerk, None, "文员的密码12345")
        .unwrap();
    let imported = import("赵文员", "文员的密码12345", false);
    assert!(imported.status.success(), "{imported:?}");
    store.set_setting("report_unit", "石桥村").unwrap();
    // The last 村管理员 stays: not removed, not made anything else.
    assert_eq!(refused(store.remove_operator(ADMIN)), "conflict");
    assert_eq!(
        refused(store.set_operator_key(ADMIN, Role::GridWorker, None, "新的密码12345678")),
        "conflict"
    );
    assert_eq!(
        open(&db, &unlock(ADMIN, PASSPHRASE))
            .unwrap()
            .login()
            .unwrap()
            .role,
        Role::VillageAdmin
    );
    store.remove_operator("李网格").unwrap();
    assert_eq!(
        refused(open(&db, &unlock("李网格", "网格员的密码1234"))),
        "key_wrong"
    );
}

#[test]
fn audit_verify_finds_a_row_altered_by_a_raw_connection_that_has_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let (store, code) =
        Store::create_protected(&db, ADMIN, PASSPHRASE, Soundness::default()).unwrap();
    store
        .save_person(&person("郑重", "11010519491231002X"))
        .unwrap();
    drop(store);
    let conn = raw(&db, Some(&code.data_key()));
    // The trail refuses an UPDATE by trigger; a tool with the key drops the guard first.
    conn.execute_batch(
        "DROP TRIGGER audit_sealed; UPDATE audit SET new = replace(new, '郑重', '郑轻') WHERE new LIKE '%郑重%';",
    )
    .unwrap();
    drop(conn);
    let out = cli(&db, ADMIN, PASSPHRASE, &["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(json(&out)["error"]["code"], "audit_broken");
}

/// `protect` killed 30 times at spread moments (opening, copying, checking, swapping,
/// wiping): each time the ledger opens afterwards — plaintext or encrypted — SQLite finds it
/// whole, it holds every row, and no plaintext copy is left once it is encrypted.
#[test]
fn a_conversion_killed_at_any_moment_leaves_a_whole_ledger() {
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.db");
    assert!(gridledger(&original, &["demo", "--households", "150"])
        .status
        .success());
    let expected = records_digest(&raw(&original, None));
    let (mut plain, mut encrypted) = (0, 0);
    for run in 0..30u64 {
        let db = dir.path().join(format!("run{run}.db"));
        std::fs::copy(&original, &db).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .args(["--db", db.to_str().unwrap(), "--operator", ADMIN, "protect"])
            .env("GRIDLEDGER_PASSPHRASE", PASSPHRASE)
            .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
            .env_remove("GRIDLEDGER_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + (run * 37) % 700));
        child.kill().ok();
        child.wait().unwrap();

        // Opening finishes or undoes what the kill interrupted.
        let store = match keys::is_encrypted(&db) || !db.exists() {
            true => open(&db, &unlock(ADMIN, PASSPHRASE)),
            false => Store::open(&db),
        }
        .unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert!(store.integrity_problems().unwrap().is_empty(), "run {run}");
        let conn = raw(&db, store.data_key());
        assert!(records_digest(&conn) == expected, "run {run}: every row");
        // Closed before anything renames the file (Windows does not rename an open file).
        drop(conn);
        if store.is_protected() {
            encrypted += 1;
        } else {
            plain += 1;
        }
        drop(store);
        let stray: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!(".run{run}.db.")))
            .collect();
        assert!(stray.is_empty(), "run {run}: {stray:?}");
        // A ledger left plaintext protects fine on the next try.
        if run % 10 == 0 && !keys::is_encrypted(&db) {
            let out = cli(&db, ADMIN, PASSPHRASE, &["protect"]);
            assert!(out.status.success(), "run {run}: {out:?}");
            let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
            assert!(records_digest(&raw(&db, store.data_key())) == expected);
        }
    }
    println!("killed conversions: {plain} left plaintext, {encrypted} encrypted");
    assert!(
        plain > 0 && encrypted > 0,
        "kills before and after the swap: {plain} / {encrypted}"
    );
}

/// A sample village of `households` households, protected with 王芳 as its 村管理员: the
/// folder (removed when dropped) and the ledger's path.
fn protected_demo(households: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    assert!(gridledger(&db, &["demo", "--households", households])
        .status
        .success());
    let out = cli(&db, ADMIN, PASSPHRASE, &["protect"]);
    assert!(out.status.success(), "{out:?}");
    (dir, db)
}

/// The first grid of a ledger (the sample village's 第一网格).
fn first_grid(conn: &rusqlite::Connection) -> i64 {
    conn.query_row(
        "SELECT id FROM places WHERE level = '网格' ORDER BY id LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// `under`: the grid `?1` and every place under it, as the tests count them (apart from the
/// store's own query).
const UNDER_GRID: &str = "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)";

/// The trail's rows of `ledger_events`: (operator, kind).
fn events(store: &Store) -> Vec<(Option<String>, String)> {
    store
        .audit_list(&gridledger::store::audit::AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|r| r.entity == "ledger_events" && r.action == "新增")
        .map(|r| {
            let kind = r
                .new
                .as_ref()
                .and_then(|v| v["kind"].as_str().map(String::from));
            (r.operator, kind.unwrap_or_default())
        })
        .collect()
}

#[test]
fn encrypting_restoring_and_a_plain_copy_are_each_in_the_trail_with_who_did_them() {
    let (dir, db) = protected_demo("10");
    let mut store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    assert_eq!(
        events(&store),
        [(Some(ADMIN.to_string()), "加密".to_string())]
    );
    let backup = store.back_up(gridledger::store::Reason::Asked).unwrap();
    assert!(keys::is_encrypted(&backup.path));
    store
        .save_person(&person("冯晚来", "11010519491231002X"))
        .unwrap();
    store.restore_backup(&backup.path).unwrap();
    assert!(
        store.find_persons("冯晚来", 5).unwrap().is_empty(),
        "put back as the backup had it"
    );
    let kinds: Vec<String> = events(&store).into_iter().map(|(_, k)| k).collect();
    assert_eq!(kinds, ["加密", "恢复备份"]);
    assert!(store.audit_verify().unwrap().ok());
    drop(store);

    // A 网格员 may not write a plain copy; a 村管理员 may, from the command line, warned.
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let conn = raw(&db, store.data_key());
    let grid = first_grid(&conn);
    let person_in = |inside: bool| -> i64 {
        conn.query_row(
            &format!(
                "{UNDER_GRID}
                 SELECT pe.id FROM persons pe JOIN households h ON h.id = pe.household_id
                 WHERE h.place_id {} (SELECT id FROM under) ORDER BY pe.id LIMIT 1",
                if inside { "IN" } else { "NOT IN" }
            ),
            [grid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (inside, outside) = (person_in(true), person_in(false));
    store
        .set_operator_key("李网格", Role::GridWorker, Some(grid), "网格员的密码1234")
        .unwrap();
    drop(store);
    let worker = open(&db, &unlock("李网格", "网格员的密码1234")).unwrap();
    // A 网格员's look at a person of their grid is not noted; outside it, it is.
    assert_eq!(
        events(&worker).pop().unwrap(),
        (Some(ADMIN.to_string()), "设置操作员".to_string()),
        "adding an operator is in the trail"
    );
    worker.person_profile(inside).unwrap();
    assert_eq!(events(&worker).len(), 3);
    worker.person_profile(outside).unwrap();
    assert_eq!(
        events(&worker).pop().unwrap(),
        (Some("李网格".to_string()), "网格外查看".to_string())
    );
    drop(conn);
    let copy = dir.path().join("给卫生院的副本.db");
    assert_eq!(refused(worker.write_plain_copy(&copy)), "conflict");
    assert!(!copy.exists());
    drop(worker);
    let out = cli(
        &db,
        ADMIN,
        PASSPHRASE,
        &["backup", "--plain", "-o", copy.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有加密"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the plain copy is its owner's alone");
    }
    let plain = raw(&copy, None);
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let conn = raw(&db, store.data_key());
    assert_eq!(header(&plain), header(&conn));
    let copied: Vec<_> = tables_digest(&plain)
        .into_iter()
        .filter(|(t, _, _)| !t.starts_with("audit") && t != "ledger_events")
        .collect();
    let held: Vec<_> = tables_digest(&conn)
        .into_iter()
        .filter(|(t, _, _)| !t.starts_with("audit") && t != "ledger_events")
        .collect();
    assert_eq!(copied, held, "the copy holds every record");
    let last = events(&store).pop().unwrap();
    assert_eq!(last, (Some(ADMIN.to_string()), "明文副本".to_string()));
    // Never over the ledger or an existing file.
    let again = cli(
        &db,
        ADMIN,
        PASSPHRASE,
        &["--json", "backup", "--plain", "-o", copy.to_str().unwrap()],
    );
    assert_eq!(json(&again)["error"]["code"], "file_exists");
}

/// On a protected ledger, a backup and an import killed at any moment (15 times each): the
/// ledger opens with its passphrase, SQLite finds it whole, it holds all of the import or none
/// of it, and every backup listed opens with the same key, whole and encrypted.
#[test]
fn a_backup_or_an_import_killed_on_a_protected_ledger_leaves_it_whole() {
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let made = cli(&db, ADMIN, PASSPHRASE, &["demo", "--households", "300"]);
    assert!(made.status.success(), "{made:?}");
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let key = store.data_key().unwrap().clone();
    let persons: i64 = raw(&db, Some(&key))
        .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    drop(store);
    let rows = 2000i64;
    let sheet = dir.path().join("返乡.csv");
    let mut text = String::from("姓名,联系电话,返乡日期,现居住地址\n");
    for i in 0..rows {
        text.push_str(&format!("返乡人{i},139{i:08},2026-12-01,石桥村\n"));
    }
    std::fs::write(&sheet, text).unwrap();
    for run in 0..30u64 {
        let args: Vec<&str> = if run % 2 == 0 {
            vec!["backup"]
        } else {
            vec!["import", sheet.to_str().unwrap()]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .args(["--db", db.to_str().unwrap(), "--operator", ADMIN])
            .args(&args)
            .env("GRIDLEDGER_PASSPHRASE", PASSPHRASE)
            .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
            .env_remove("GRIDLEDGER_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + (run * 41) % 900));
        child.kill().ok();
        child.wait().unwrap();

        let store =
            open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert!(store.integrity_problems().unwrap().is_empty(), "run {run}");
        let now: i64 = raw(&db, Some(&key))
            .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
            .unwrap();
        assert!(
            now == persons || now == persons + rows,
            "run {run}: {now} persons"
        );
        assert!(store.audit_verify().unwrap().ok(), "run {run}");
        for backup in store.backups().unwrap() {
            assert!(
                keys::is_encrypted(&backup.path),
                "run {run}: {}",
                backup.path.display()
            );
            let verdict: String = raw(&backup.path, Some(&key))
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(verdict, "ok", "run {run}: {}", backup.path.display());
        }
    }
}

#[test]
fn a_grid_worker_writes_their_grids_records_only_whatever_the_door() {
    let (_dir, db) = protected_demo("20");
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let conn = raw(&db, store.data_key());
    let grid = first_grid(&conn);
    // Inside or outside, counted independently: the households under the grid.
    let household = |inside: bool| -> i64 {
        conn.query_row(
            &format!(
                "{UNDER_GRID}
                 SELECT h.id FROM households h WHERE h.place_id {} (SELECT id FROM under)
                 AND EXISTS (SELECT 1 FROM persons WHERE household_id = h.id) ORDER BY h.id LIMIT 1",
                if inside { "IN" } else { "NOT IN" }
            ),
            [grid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let member = |household: i64| -> i64 {
        conn.query_row(
            "SELECT id FROM persons WHERE household_id = ?1 ORDER BY id LIMIT 1",
            [household],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (home, away) = (household(true), household(false));
    let (inside, outside) = (member(home), member(away));
    store
        .set_operator_key("李网格", Role::GridWorker, Some(grid), "网格员的密码1234")
        .unwrap();
    drop(store);
    // Every person outside the grid, with their note and household, as a first look saw them.
    let outside_rows = || -> String {
        conn.query_row(
            &format!(
                "{UNDER_GRID}
                 SELECT group_concat(id || ':' || note || ':' || household_id, ',') FROM (
                     SELECT pe.id, coalesce(pe.note, '') AS note, pe.household_id FROM persons pe
                     JOIN households h ON h.id = pe.household_id
                     WHERE h.place_id NOT IN (SELECT id FROM under) ORDER BY pe.id)"
            ),
            [grid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let before = outside_rows();
    let worker = open(&db, &unlock("李网格", "网格员的密码1234")).unwrap();
    let note = |id: i64, text: &str| {
        let mut input = PersonInput::of(&worker.person(id).unwrap());
        input.note = text.to_string();
        worker.save_person(&input)
    };

    // Their grid's person: saved, and the trail names them.
    note(inside, "网格员上门核实").unwrap();
    // Outside it: refused whole, the message naming the grid; the ledger as it was.
    let err = note(outside, "不该改的").unwrap_err();
    assert_eq!(err.code().as_str(), "conflict");
    assert!(err.to_string().contains("只能修改自己网格"), "{err}");
    assert_eq!(outside_rows(), before);
    // Moving their person out of the grid, or an outside person in: refused.
    // The refusal says what was wrong with the move, not that the person is outside.
    let move_refused = |who: i64, to: i64| {
        let err =
            gridledger::entry::move_person(&worker, who, Some(to), Some("其他亲属")).unwrap_err();
        assert_eq!(err.code().as_str(), "conflict");
        err.to_string()
    };
    let out = move_refused(inside, away);
    assert!(out.contains("迁到网格外的户（"), "{out}");
    assert!(!out.contains("的记录在网格外"), "{out}");
    let into = move_refused(outside, home);
    assert!(into.contains("原来的户在网格外，不能迁入"), "{into}");
    let household_of = |id: i64| -> Option<i64> {
        conn.query_row(
            "SELECT household_id FROM persons WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(
        (household_of(inside), household_of(outside)),
        (Some(home), Some(away))
    );
    // Households are the same door: an outside one moved into the grid, or a new one made
    // outside it, is refused; one of the grid is saved, and the trail names the 网格员.
    let place_of = |household: i64| -> i64 {
        conn.query_row(
            "SELECT place_id FROM households WHERE id = ?1",
            [household],
            |r| r.get(0),
        )
        .unwrap()
    };
    let household_input =
        |id: Option<i64>, place: i64, door: &str| gridledger::model::HouseholdInput {
            id,
            place_id: Some(place),
            door_name: "东街".into(),
            door_number: door.into(),
            housing_use: "自住".into(),
            ..Default::default()
        };
    let (home_place, away_place) = (place_of(home), place_of(away));
    assert_eq!(
        refused(worker.save_household(&household_input(Some(away), home_place, "3号"))),
        "conflict"
    );
    assert_eq!(place_of(away), away_place);
    let made_outside = worker
        .save_household(&household_input(None, away_place, "9号"))
        .unwrap_err();
    assert_eq!(made_outside.code().as_str(), "conflict");
    assert!(
        made_outside
            .to_string()
            .contains("新增的户（东街9号）在网格外"),
        "{made_outside}"
    );
    let made = worker
        .save_household(&household_input(None, home_place, "新9号"))
        .unwrap();
    let author: Option<String> = conn
        .query_row(
            "SELECT operator FROM audit WHERE entity = 'households' AND record = ?1",
            [made.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(author.as_deref(), Some("李网格"));
    // Taking their own person out of every household takes them out of the grid: refused.
    let mut unhoused = PersonInput::of(&worker.person(inside).unwrap());
    unhoused.household_id = None;
    unhoused.relation_to_head = String::new();
    assert_eq!(refused(worker.save_person(&unhoused)), "conflict");
    assert_eq!(household_of(inside), Some(home));
    // A checkpoint's record is anyone's on duty there, whoever passed (a person of another
    // grid included).
    let checkpoint: i64 = conn
        .query_row("SELECT id FROM checkpoints ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    worker
        .in_transaction(|| {
            let batch = worker.hand_batch()?;
            worker.add_checkpoint_check(
                &gridledger::model::CheckpointCheck {
                    checkpoint_id: checkpoint,
                    checked_at: "2026-12-05 10:00".into(),
                    person_id: Some(outside),
                    name: "过卡口的外网格人".into(),
                    disposal: "放行".into(),
                    ..Default::default()
                },
                batch,
            )
        })
        .unwrap();
    // A traveller of no household (registered at a checkpoint) is in no grid: theirs to type.
    worker
        .save_person(&PersonInput {
            name: "过路人".into(),
            residence_status: "外来".into(),
            ..Default::default()
        })
        .unwrap();
    drop(worker);

    // The command line is the same door: a person added to an outside household is refused
    // and nothing is written; to a household of the grid, saved.
    let count = || -> i64 {
        conn.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
            .unwrap()
    };
    let held = count();
    let add = |household: i64, name: &str| {
        cli(
            &db,
            "李网格",
            "网格员的密码1234",
            &[
                "--json",
                "person",
                "add",
                "--name",
                name,
                "--household",
                &household.to_string(),
            ],
        )
    };
    let out = add(away, "外网格的新人");
    assert!(!out.status.success(), "{out:?}");
    assert_eq!(json(&out)["error"]["code"], "conflict");
    assert_eq!(count(), held);
    let out = add(home, "本网格的新人");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(count(), held + 1);

    // Nothing outside the grid changed, and the trail's chain holds.
    assert_eq!(outside_rows(), before);
    let note: Option<String> = conn
        .query_row("SELECT note FROM persons WHERE id = ?1", [inside], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(note.as_deref(), Some("网格员上门核实"));
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    assert!(store.audit_verify().unwrap().ok());
}

/// A sheet made with no 填报人 set names who is logged in (not a blank, never the recovery
/// code's login); a 填报人 set is kept.
#[test]
fn a_sheet_names_the_operator_logged_in_as_its_filer_unless_one_is_set() {
    let (_dir, db) = protected_demo("5");
    let filer = |store: &Store| -> String {
        let template = gridledger::report::template(store, "daily_report").unwrap();
        let preview =
            gridledger::report::preview(store, &template, &Default::default(), 1).unwrap();
        preview.meta.unwrap().left
    };
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    assert_eq!(store.setting("operator").unwrap(), None);
    assert!(
        filer(&store).contains(&format!("填报人：{ADMIN}　")),
        "{}",
        filer(&store)
    );
    store.set_setting("operator", "刘会计").unwrap();
    assert!(
        filer(&store).contains("填报人：刘会计　"),
        "{}",
        filer(&store)
    );
}

/// What the window is told before a click (a person or household it may only look at, the
/// duties a role may not do) is what the core does after one: for every person and household
/// of the ledger, and every duty of every role.
#[test]
fn what_an_operator_is_told_they_may_not_change_is_what_the_core_refuses() {
    let (_dir, db) = protected_demo("12");
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    let conn = raw(&db, store.data_key());
    let grid = first_grid(&conn);
    store
        .set_operator_key("李网格", Role::GridWorker, Some(grid), "网格员的密码1234")
        .unwrap();
    store
        .set_operator_key("赵文员", Role::TownClerk, None, "文员的密码12345")
        .unwrap();
    // A 村管理员 is refused nothing, and may change every person.
    assert!(store.refusals().is_empty());
    let persons: Vec<i64> = conn
        .prepare("SELECT id FROM persons ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(persons.len() > 20, "{}", persons.len());
    assert!(store
        .person_profile(persons[0])
        .unwrap()
        .read_only
        .is_none());
    drop(store);

    let worker = open(&db, &unlock("李网格", "网格员的密码1234")).unwrap();
    // Independently: the households under the grid.
    let inside: std::collections::HashSet<i64> = conn
        .prepare(&format!(
            "{UNDER_GRID} SELECT id FROM households WHERE place_id IN (SELECT id FROM under)"
        ))
        .unwrap()
        .query_map([grid], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let households: Vec<(i64, i64)> = conn
        .prepare("SELECT id, place_id FROM households ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut seen = (0, 0);
    for &(id, place) in &households {
        let told = worker.household(id).unwrap().read_only;
        assert_eq!(told.is_none(), inside.contains(&id), "household {id}");
        let tried = worker.save_household(&gridledger::model::HouseholdInput {
            id: Some(id),
            place_id: Some(place),
            door_name: "核实街".into(),
            door_number: format!("{id}号"),
            housing_use: "自住".into(),
            ..Default::default()
        });
        assert_eq!(tried.is_err(), told.is_some(), "household {id}: {tried:?}");
        if let Some(why) = told {
            assert!(why.contains("只能查看"), "{why}");
            seen.1 += 1;
        } else {
            seen.0 += 1;
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "households inside and outside: {seen:?}"
    );
    let mut seen = (0, 0);
    for &id in &persons {
        let told = worker.person_profile(id).unwrap().read_only;
        let mut input = PersonInput::of(&worker.person(id).unwrap());
        input.note = "网格员核实".into();
        let tried = worker.save_person(&input);
        assert_eq!(tried.is_err(), told.is_some(), "person {id}: {tried:?}");
        if told.is_some() {
            seen.1 += 1;
        } else {
            seen.0 += 1;
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "persons inside and outside: {seen:?}"
    );

    // 今日's lines name each person as theirs or not, by the same rule.
    let list = worker.today_list(None).unwrap();
    let whos: Vec<&gridledger::store::Who> = list
        .readings_missing
        .iter()
        .map(|w| &w.who)
        .chain(list.ending.iter().map(|e| &e.who))
        .chain(list.tests_due.iter().map(|t| &t.who))
        .chain(list.results_pending.iter().map(|t| &t.who))
        .chain(list.unvisited_arrivals.iter().map(|a| &a.who))
        .chain(list.awaiting_isolation.iter().map(|a| &a.who))
        .collect();
    let theirs = whos.iter().filter(|w| !w.read_only).count();
    assert!(
        theirs > 0 && theirs < whos.len(),
        "lines inside and outside the grid: {theirs} of {}",
        whos.len()
    );
    for who in whos {
        let household: Option<i64> = conn
            .query_row(
                "SELECT household_id FROM persons WHERE id = ?1",
                [who.person_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            who.read_only,
            household.is_some_and(|h| !inside.contains(&h)),
            "{who:?}"
        );
    }

    // Each role is told exactly the duties the core refuses it, in the core's words.
    let setting = |store: &Store| store.set_setting("backup_copy_dir", "/tmp/不存在的U盘");
    let told = worker.refusals();
    assert_eq!(told.len(), gridledger::store::Duty::ALL.len());
    assert_eq!(
        setting(&worker).unwrap_err().to_string(),
        told[&gridledger::store::Duty::Settings]
    );
    assert_eq!(
        worker.remove_operator(ADMIN).unwrap_err().to_string(),
        told[&gridledger::store::Duty::Operators]
    );
    drop(worker);
    let clerk = open(&db, &unlock("赵文员", "文员的密码12345")).unwrap();
    let told = clerk.refusals();
    use gridledger::store::Duty;
    for duty in Duty::ALL {
        assert_eq!(
            told.contains_key(&duty),
            clerk.may(duty).is_err(),
            "{duty:?}"
        );
    }
    assert!(!told.contains_key(&Duty::Import) && !told.contains_key(&Duty::Templates));
    assert!(told.contains_key(&Duty::Settings) && told.contains_key(&Duty::Restore));
    clerk
        .set_setting("report_unit", "青山镇石桥村村委会")
        .unwrap();
    assert_eq!(
        setting(&clerk).unwrap_err().to_string(),
        told[&Duty::Settings]
    );
    // A 镇文员 has no grid: every person theirs to look at and change.
    assert!(clerk
        .person_profile(persons[0])
        .unwrap()
        .read_only
        .is_none());
    drop(clerk);

    // The command line says it too, for a household outside the grid and one inside.
    let (&(away, _), &(home, _)) = (
        households
            .iter()
            .find(|(h, _)| !inside.contains(h))
            .unwrap(),
        households.iter().find(|(h, _)| inside.contains(h)).unwrap(),
    );
    let show = |id: i64| {
        let out = cli(
            &db,
            "李网格",
            "网格员的密码1234",
            &["household", "show", &id.to_string()],
        );
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(show(away).contains("只能查看"), "{}", show(away));
    assert!(!show(home).contains("只能查看"), "{}", show(home));
}

#[test]
fn asking_whether_a_ledger_is_encrypted_keeps_the_open_connections_current() {
    // A file handle of the process's own, closed, would drop the process's locks: the
    // command line would then delete the WAL under an open connection, which went on reading
    // the ledger as it was (found when a test's connection missed the command line's person).
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    assert!(cli(&db, ADMIN, PASSPHRASE, &["init"]).status.success());
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    store
        .save_person(&person("窗口里的人", "11010519491231002X"))
        .unwrap();
    let conn = raw(&db, store.data_key());
    let count = || -> i64 {
        conn.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(), 1);
    drop(store);
    for _ in 0..3 {
        assert!(keys::is_encrypted(&db));
        assert!(gridledger::store::is_protected_file(&db));
    }
    let store = open(&db, &unlock(ADMIN, PASSPHRASE)).unwrap();
    store
        .save_person(&person("又一个", "11010519491231010X"))
        .unwrap();
    drop(store);
    // Twice: the first run, believing itself the last user, would delete the WAL as it
    // closed; the second writes into a new one the open connection does not know.
    for (name, held) in [("命令行加的人", 3), ("命令行又加的人", 4)] {
        let out = cli(&db, ADMIN, PASSPHRASE, &["person", "add", "--name", name]);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            count(),
            held,
            "an open connection sees what the command line wrote"
        );
    }
    assert!(!keys::is_encrypted(&dir.path().join("没有这个文件.db")));
}

#[test]
fn the_key_file_goes_with_the_backups_and_the_second_copy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let usb = dir.path().join("U盘");
    std::fs::create_dir(&usb).unwrap();
    let (store, _code) =
        Store::create_protected(&db, ADMIN, PASSPHRASE, Soundness::default()).unwrap();
    store
        .set_setting("backup_copy_dir", usb.to_str().unwrap())
        .unwrap();
    store
        .save_person(&person("备份里的人", "11010519491231002X"))
        .unwrap();
    let backup = store.back_up(gridledger::store::Reason::Asked).unwrap();
    let key_file = || std::fs::read(keys::key_path(&db)).unwrap();
    let copies = || {
        [store.backup_dir(), usb.clone()]
            .map(|d| std::fs::read(d.join("ledger.db.key")).unwrap_or_default())
    };
    assert_eq!(copies(), [key_file(), key_file()]);
    // A new operator changes the key file: the copies follow.
    let before = key_file();
    store
        .set_operator_key("李网格", Role::GridWorker, None, "网格员的密码1234")
        .unwrap();
    assert_ne!(key_file(), before);
    assert_eq!(copies(), [key_file(), key_file()]);
    // A backup put back on another laptop with the copy beside it opens with a passphrase.
    let elsewhere = dir.path().join("另一台电脑");
    std::fs::create_dir(&elsewhere).unwrap();
    let moved = elsewhere.join("ledger.db");
    std::fs::copy(usb.join(backup.path.file_name().unwrap()), &moved).unwrap();
    std::fs::copy(usb.join("ledger.db.key"), keys::key_path(&moved)).unwrap();
    let there = open(&moved, &unlock("李网格", "网格员的密码1234")).unwrap();
    assert_eq!(there.find_persons("备份里的人", 5).unwrap().len(), 1);
}
