//! Issue 17: the CLI on the laptops it runs on, Debian and Windows alike (the test command
//! runs these under wine too, built for x86_64-pc-windows-gnu): a ledger and sheets in folders
//! with Chinese names, two commands writing one ledger at once, an output file another program
//! holds open, and the default data folder (~/.local/share on Linux, %APPDATA% on Windows).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gridledger(args: &[&std::ffi::OsStr]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gridledger"));
    command
        .args(args)
        .env_remove("GRIDLEDGER_DB")
        .env("GRIDLEDGER_NOW", "2026-12-05 10:00");
    command
}

fn run(db: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = vec!["--db".as_ref(), db.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    gridledger(&all).output().unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A folder with a Chinese name, as a clerk's desktop has them.
fn chinese_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("青山镇 石桥村").join("台账（2026年）");
    std::fs::create_dir_all(&folder).unwrap();
    (dir, folder)
}

/// A sheet of returnees, saved as Excel saves CSV on a Chinese Windows: GBK.
fn gbk_sheet(path: &Path, first: usize, rows: usize) {
    let mut text = String::from("姓名,手机号码,返乡日期,返乡原因\r\n");
    for i in first..first + rows {
        text.push_str(&format!("返乡人{i},139{i:08},2026-12-01,探亲\r\n"));
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    std::fs::write(path, bytes).unwrap();
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_ledger_and_a_gbk_sheet_in_chinese_folders_are_read_and_written() {
    let (_dir, folder) = chinese_folder();
    let db = folder.join("石桥村账本.db");
    ok(&run(&db, &["init"]));
    ok(&run(
        &db,
        &["place", "add", "--level", "村", "--name", "石桥村"],
    ));
    let sheet = folder.join("返乡人员名单（第1批）.csv");
    gbk_sheet(&sheet, 0, 30);
    let sheet_arg = sheet.to_str().unwrap();
    let imported = ok(&run(&db, &["import", sheet_arg, "--village", "石桥村"]));
    assert!(imported.contains("30"), "{imported}");
    assert_eq!(count(&db, "SELECT count(*) FROM arrivals"), 30);
    assert_eq!(
        count(&db, "SELECT count(*) FROM persons WHERE name = '返乡人7'"),
        1
    );
    // A report written into the same folder, and its backups beside the ledger.
    let report = ok(&run(
        &db,
        &[
            "report",
            "returnees",
            "-o",
            folder.join("来返人员.xlsx").to_str().unwrap(),
        ],
    ));
    assert!(folder.join("来返人员.xlsx").exists(), "{report}");
    assert!(folder.join("石桥村账本_备份").is_dir());
}

#[test]
fn two_commands_writing_one_ledger_at_once_both_finish() {
    let (_dir, folder) = chinese_folder();
    let db = folder.join("账本.db");
    ok(&run(&db, &["init"]));
    ok(&run(
        &db,
        &["place", "add", "--level", "村", "--name", "石桥村"],
    ));
    let (a, b) = (folder.join("一组.csv"), folder.join("二组.csv"));
    gbk_sheet(&a, 0, 2000);
    gbk_sheet(&b, 2000, 2000);
    let start = |sheet: &Path| {
        let mut all: Vec<&std::ffi::OsStr> = vec!["--db".as_ref(), db.as_os_str()];
        all.extend([
            "import".as_ref(),
            sheet.as_os_str(),
            "--village".as_ref(),
            "石桥村".as_ref(),
        ]);
        gridledger(&all)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start(&a), start(&b));
    ok(&first.wait_with_output().unwrap());
    ok(&second.wait_with_output().unwrap());
    assert_eq!(count(&db, "SELECT count(*) FROM arrivals"), 4000);
    ok(&run(&db, &["check", "ledger"]));
}

#[test]
fn the_default_ledger_lives_in_the_users_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let mut command = gridledger(&["summary".as_ref()]);
    // Linux: ~/.local/share, or XDG_DATA_HOME. Windows: the roaming application data folder
    // (%APPDATA%), which the system names whatever the environment says.
    let expected = if cfg!(windows) {
        PathBuf::from(std::env::var_os("APPDATA").expect("%APPDATA% is set on Windows"))
    } else {
        command
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("数据"));
        home.path().join("数据")
    };
    let expected = expected.join("gridledger").join("ledger.db");
    let output = command.output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    if expected.exists() {
        // Someone's real ledger (a Windows machine that ran the app): it opens.
        assert!(output.status.success(), "{said}");
    } else {
        // No ledger yet: refused, naming where it belongs; nothing is made by a summary.
        assert_eq!(output.status.code(), Some(2), "{said}");
        assert!(
            said.contains(&expected.display().to_string()),
            "{said} should name {}",
            expected.display()
        );
        assert!(!expected.exists());
    }
}

/// On Windows a file another program has open (Excel holding last week's report) cannot be
/// replaced: the export says so, naming the file, and leaves it as it was.
#[cfg(windows)]
#[test]
fn a_report_held_open_by_another_program_is_refused_and_left_as_it_was() {
    use std::os::windows::fs::OpenOptionsExt;
    let (_dir, folder) = chinese_folder();
    let db = folder.join("账本.db");
    ok(&run(&db, &["demo"]));
    let held = folder.join("日报.xlsx");
    std::fs::write(&held, b"last week").unwrap();
    // Share mode 0: nobody else may read, write or delete it while this handle is open.
    let excel = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(&held)
        .unwrap();
    let output = run(
        &db,
        &[
            "report",
            "daily_report",
            "--force",
            "-o",
            held.to_str().unwrap(),
        ],
    );
    drop(excel);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains("日报.xlsx") && said.starts_with("错误："),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
    assert_eq!(std::fs::read(&held).unwrap(), b"last week");
}
