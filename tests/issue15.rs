//! Issue 15, "Nothing lost, part two": one regression test per hostile case it names, run
//! through the command line a clerk uses (or the core where the case is the core's).

use std::path::Path;
use std::process::Output;

use crate::util::gridledger;

/// The error code a failed command printed on standard error (`（code）` at its end).
fn code_of(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    text.rsplit_once('（')
        .and_then(|(_, tail)| tail.split_once('）'))
        .map(|(code, _)| code.to_string())
        .unwrap_or_else(|| panic!("no code in: {text}"))
}

fn demo_ledger(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("ledger.db");
    let out = gridledger(&db, &["demo", "--households", "20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

#[test]
fn an_empty_file_is_not_a_ledger_and_is_left_empty() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("e.db");
    std::fs::write(&empty, b"").unwrap();
    let out = gridledger(
        &empty,
        &[
            "report",
            "daily_report",
            "-o",
            dir.path().join("z.xlsx").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert_eq!(code_of(&out), "not_a_ledger");
    assert!(String::from_utf8_lossy(&out.stderr).contains("init"));
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "the file is untouched"
    );
    assert!(
        !dir.path().join("z.xlsx").exists(),
        "no 零报告 of an empty ledger"
    );
    // `init` may make a ledger in it: that is what it is for.
    assert!(gridledger(&empty, &["init"]).status.success());
    assert!(gridledger(&empty, &["summary"]).status.success());
}

#[test]
fn an_output_is_never_the_ledger_or_the_sheet_being_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    for target in [db.clone(), dir.path().join("ledger.db-wal")] {
        let out = gridledger(
            &db,
            &[
                "report",
                "returnees",
                "-o",
                target.to_str().unwrap(),
                "--force",
            ],
        );
        assert!(!out.status.success(), "{target:?}");
        assert_eq!(code_of(&out), "argument_invalid", "{target:?}");
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the ledger is as it was"
    );
    assert!(gridledger(&db, &["summary"]).status.success());

    // The sheet being imported is never its own problem list.
    let sheet = dir.path().join("src.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_row(0, 0, ["姓名", "身份证号码"]).unwrap();
    ws.write_row(1, 0, ["王五", "110105194912310021"]).unwrap();
    book.save(&sheet).unwrap();
    let original = std::fs::read(&sheet).unwrap();
    let out = gridledger(
        &db,
        &[
            "import",
            sheet.to_str().unwrap(),
            "--problems",
            sheet.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(code_of(&out), "argument_invalid");
    assert_eq!(
        std::fs::read(&sheet).unwrap(),
        original,
        "the sheet is as it was"
    );
}

#[test]
fn an_output_named_for_another_format_is_refused_with_the_right_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let csv = dir.path().join("日报.csv");
    let out = gridledger(
        &db,
        &["report", "daily_report", "-o", csv.to_str().unwrap()],
    );
    assert_eq!(code_of(&out), "argument_invalid");
    assert!(String::from_utf8_lossy(&out.stderr).contains("日报.xlsx"));
    assert!(!csv.exists());
    let xlsx = dir.path().join("日报.XLSX");
    assert!(gridledger(
        &db,
        &["report", "daily_report", "-o", xlsx.to_str().unwrap()]
    )
    .status
    .success());
}

#[test]
fn a_name_that_turns_text_around_is_refused_at_every_door_and_by_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    // U+202E then 五王 shows as 王五: typed, it is refused on its field.
    let out = gridledger(&db, &["person", "add", "--name", "\u{202E}五王"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("改变文字方向"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Imported, the row is refused with the same code.
    let sheet = dir.path().join("names.csv");
    std::fs::write(
        &sheet,
        "姓名,手机号码\n\u{2067}赵六\u{2069},13900000000\n钱七,13900000001\n",
    )
    .unwrap();
    let out = gridledger(&db, &["--json", "import", sheet.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inserted"], 1, "{report}");
    assert!(
        report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "name_control"),
        "{report}"
    );
    // The schema refuses it too, whatever writes.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let written = conn.execute(
        "UPDATE persons SET name = char(8238) || name WHERE id = (SELECT min(id) FROM persons)",
        [],
    );
    assert!(
        written.is_err(),
        "the CHECK refuses a bidi control in a name"
    );
    // A name with no letter at all (a lone emoji) is warned about.
    let out = gridledger(&db, &["--json", "person", "add", "--name", "😀"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("name_suspicious") || text.contains("没有文字"),
        "{text}"
    );
}

#[test]
fn a_big_ledger_is_checked_at_its_first_open_of_the_day_a_small_one_at_every_open() {
    use chrono::NaiveDate;
    use gridledger::clock::Clock;
    use gridledger::store::{Missing, Soundness, Store};
    let dir = tempfile::tempdir().unwrap();
    let path = demo_ledger(dir.path());
    let day = |d: u32| Clock::day(NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
    // Every file counts as big here.
    let big = |d: u32| Soundness {
        every_open_up_to: 0,
        clock: day(d),
    };
    drop(Store::open_checked(&path, Missing::Refuse, big(5)).unwrap());
    // Scribble over the root page of an index opening never reads, as a failing disk would.
    let (root, page): (i64, i64) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'persons_phone'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let page = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        (root, page)
    };
    let mut bytes = std::fs::read(&path).unwrap();
    let at = ((root - 1) * page) as usize;
    for b in &mut bytes[at + 8..at + page as usize] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    // The same day the check is not repeated (that is what makes a big ledger open fast);
    // `check ledger` still reads it whole and finds the damage.
    let store = Store::open_checked(&path, Missing::Refuse, big(5)).unwrap();
    match store.integrity_problems() {
        Ok(problems) => assert!(!problems.is_empty()),
        Err(e) => assert_eq!(e.code().as_str(), "ledger_damaged"),
    }
    drop(store);
    // The next day it is checked at open again, and refused.
    let next = Store::open_checked(&path, Missing::Refuse, big(6))
        .err()
        .unwrap();
    assert_eq!(next.code().as_str(), "ledger_damaged");
    // A small ledger is checked at every open.
    let small = Soundness {
        every_open_up_to: u64::MAX,
        clock: day(5),
    };
    let again = Store::open_checked(&path, Missing::Refuse, small)
        .err()
        .unwrap();
    assert_eq!(again.code().as_str(), "ledger_damaged");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "nothing was written to it"
    );
}

#[test]
fn a_mistyped_setting_key_or_a_date_that_is_not_one_is_refused_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let out = gridledger(&db, &["setting", "report_unti", "青山镇石桥村"]);
    assert_eq!(code_of(&out), "argument_invalid");
    assert!(String::from_utf8_lossy(&out.stderr).contains("report_unit（填报单位）"));
    let out = gridledger(&db, &["setting", "epidemic_start", "去年冬天"]);
    assert_eq!(code_of(&out), "argument_invalid");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row(
            "SELECT count(*) FROM settings WHERE key = 'report_unti' OR value = '去年冬天'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0);
    assert!(gridledger(&db, &["setting", "report_unit", "青山镇石桥村"])
        .status
        .success());
}

/// A command line made around one argument's value.
type Arguments<'a> = Box<dyn Fn(&str) -> Vec<String> + 'a>;

/// Every numeric and text argument of the command line, given values people and scripts
/// get wrong: no command panics (exit 101); each succeeds or says what is wrong with a code.
#[test]
fn no_argument_makes_a_command_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let sheet = dir.path().join("s.csv");
    std::fs::write(&sheet, "姓名,手机号码\n王五,13900000000\n").unwrap();
    let sheet = sheet.to_str().unwrap().to_string();
    let out_file = dir.path().join("o.xlsx").to_str().unwrap().to_string();
    let long = "9".repeat(400);
    let values: Vec<&str> = vec![
        "0",
        "-1",
        "1",
        "4294967296",
        "18446744073709551616",
        "1e309",
        "NaN",
        "inf",
        "",
        " ",
        "abc",
        "２",
        "-0",
        "36.5.5",
        "\u{202E}1",
        "0x10",
        "2026-02-30",
        "99999-01-01",
        &long,
    ];
    let commands: Vec<Arguments> = vec![
        Box::new(|v| vec!["person".into(), "show".into(), v.into()]),
        Box::new(|v| {
            vec![
                "record".into(),
                "history".into(),
                "arrival".into(),
                v.into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "report".into(),
                "daily_report".into(),
                "--to".into(),
                v.into(),
                "-o".into(),
                out_file.clone(),
                "--force".into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "report".into(),
                "returnees".into(),
                "--from".into(),
                v.into(),
                "-o".into(),
                out_file.clone(),
                "--force".into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "report".into(),
                "daily_report".into(),
                "--village".into(),
                v.into(),
                "-o".into(),
                out_file.clone(),
                "--force".into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "import".into(),
                sheet.clone(),
                "--dry-run".into(),
                "--year".into(),
                v.into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "import".into(),
                sheet.clone(),
                "--dry-run".into(),
                "--village".into(),
                v.into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "health".into(),
                "add".into(),
                "王五".into(),
                "--date".into(),
                v.into(),
                "--am".into(),
                v.into(),
            ]
        }),
        Box::new(|v| {
            vec![
                "place".into(),
                "add".into(),
                "--level".into(),
                "网格".into(),
                "--name".into(),
                format!("第{v}网格"),
                "--parent".into(),
                v.into(),
            ]
        }),
        Box::new(|v| vec!["today".into(), "--village".into(), v.into()]),
        Box::new(|v| vec!["check".into(), "id".into(), v.into()]),
        Box::new(|v| vec!["check".into(), "temperature".into(), v.into()]),
        Box::new(|v| vec!["check".into(), "date".into(), v.into()]),
        Box::new(|v| vec!["setting".into(), "epidemic_start".into(), v.into()]),
        Box::new(|v| vec!["check".into(), "forms".into(), "--date".into(), v.into()]),
    ];
    let fresh = dir.path().join("fresh.db");
    for v in &values {
        for command in &commands {
            let args = command(v);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = gridledger(&db, &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0) | Some(2)) && !stderr.contains("panicked"),
                "{args:?}: exit {:?}\n{stderr}",
                out.status.code()
            );
            if out.status.code() == Some(2) {
                assert!(
                    stderr.contains('（') && stderr.contains('）'),
                    "{args:?}: no code in {stderr}"
                );
            }
        }
        // The sample's size: 0 and the absurd are refused, never a panic or an endless run.
        let _ = std::fs::remove_file(&fresh);
        if v.parse::<usize>().is_ok_and(|n| n <= 50) {
            continue;
        }
        let out = gridledger(&fresh, &["demo", "--households", v]);
        assert_eq!(out.status.code(), Some(2), "demo --households {v}");
    }
    let _ = std::fs::remove_file(&fresh);
    let out = gridledger(&fresh, &["demo", "--households", "0"]);
    assert_eq!(code_of(&out), "argument_invalid");
    // --json is honoured by a command line that cannot be read.
    let out = gridledger(&db, &["--json", "person", "show", "abc"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["error"]["code"], "argument_invalid");
    assert!(report["error"]["message"].as_str().unwrap().contains("abc"));
}

#[test]
fn an_import_waits_for_a_lock_held_a_moment_like_every_writing_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let sheet = dir.path().join("s.csv");
    std::fs::write(&sheet, "姓名,手机号码\n王五,13900000000\n").unwrap();
    let sheet = sheet.to_str().unwrap().to_string();
    for args in [
        vec!["import", sheet.as_str(), "--dry-run"],
        vec!["import", sheet.as_str()],
        vec!["person", "add", "--name", "赵六"],
    ] {
        // Another program writes for 800 ms.
        let (held, release) = std::sync::mpsc::channel();
        let path = db.clone();
        let holder = std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('x', 'y');",
            )
            .unwrap();
            held.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(800));
            conn.execute_batch("ROLLBACK").unwrap();
        });
        release.recv().unwrap();
        let out = gridledger(&db, &args);
        holder.join().unwrap();
        assert!(
            out.status.success(),
            "{args:?} waits for the lock: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_memory_bomb_says_its_size_and_a_nul_byte_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    for (file, says) in [
        ("repeated.ods", "行 × 500 列以上"),
        ("numbers_999_columns.xlsx", "行 × 999 列以上"),
        ("nul.csv", "第 4 行"),
    ] {
        let out = gridledger(
            &db,
            &["import", corpus.join(file).to_str().unwrap(), "--dry-run"],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{file}: {stderr}");
    }
}

#[test]
fn a_second_sheet_is_never_passed_over_in_silence_and_sheet_all_reads_them_together() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let book_path = dir.path().join("two.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for (sheet, rows) in [
        (
            "一组",
            vec![["张一", "13900000001"], ["张二", "13900000002"]],
        ),
        ("二组", vec![["李一", "13900000003"]]),
    ] {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_row(0, 0, ["姓名", "手机号码"]).unwrap();
        for (i, row) in rows.iter().enumerate() {
            ws.write_row(i as u32 + 1, 0, *row).unwrap();
        }
    }
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write(0, 0, "本表由村委会填写").unwrap();
    book.save(&book_path).unwrap();
    let file = book_path.to_str().unwrap();

    let out = gridledger(&db, &["import", file, "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("“二组”（人员（户籍登记），约 1 行，表头相同）")
            && text.contains("--sheet all"),
        "{text}"
    );
    let out = gridledger(&db, &["--json", "import", file, "--dry-run"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["other_sheets"],
        serde_json::json!([{ "name": "二组", "same_header": true, "target_label": "人员（户籍登记）", "rows": 1 }])
    );

    let out = gridledger(&db, &["--json", "import", file, "--sheet", "all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheets: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(sheets, ["一组", "二组"]);
    assert!(reports
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["other_sheets"] == serde_json::json!([])));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let persons: i64 = conn
        .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(persons, 3);
}

#[test]
fn what_a_sheet_wrote_outside_a_list_is_shown_with_the_person() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let sheet = dir.path().join("roll.csv");
    std::fs::write(
        &sheet,
        "姓名,与户主关系,手机号码\n王小五,外孙,13900000000\n",
    )
    .unwrap();
    let out = gridledger(&db, &["import", sheet.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value =
        serde_json::from_slice(&gridledger(&db, &["--json", "person", "find", "王小五"]).stdout)
            .unwrap();
    let id = found[0]["id"].as_i64().unwrap().to_string();
    let shown: serde_json::Value =
        serde_json::from_slice(&gridledger(&db, &["--json", "person", "show", &id]).stdout)
            .unwrap();
    assert_eq!(shown["person"]["relation_to_head"], "其他", "{shown}");
    assert_eq!(
        shown["originals"],
        serde_json::json!([{ "entity": "person", "entity_id": id.parse::<i64>().unwrap(), "field": "relation_to_head", "original": "外孙" }])
    );
}

#[test]
fn a_formula_error_is_a_problem_of_its_field_never_a_blank() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let sheet =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/formula_errors.xlsx");
    let out = gridledger(
        &db,
        &["--json", "import", sheet.to_str().unwrap(), "--dry-run"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<(i64, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
                p["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (2, "formula_error".to_string(), "身份证号码".to_string()),
            (3, "formula_error".to_string(), "身份证号码".to_string()),
        ],
        "{report}"
    );
    assert!(report["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("#N/A"));
}

#[test]
fn check_ledger_names_the_field_and_the_value_that_break_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    {
        // What an older version let in: a gender outside the list.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             UPDATE persons SET gender = '未知' WHERE id = (SELECT min(id) FROM persons);",
        )
        .unwrap();
    }
    let out = gridledger(&db, &["--json", "check", "ledger"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("gender") && text.contains("未知"), "{text}");
    let out = gridledger(&db, &["check", "ledger"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("未知") && !text.contains("有值不符合账本的规则"),
        "{text}"
    );
}

#[test]
fn a_place_is_made_once_however_its_name_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    assert!(
        gridledger(&db, &["place", "add", "--level", "村", "--name", "石桥村"])
            .status
            .success()
    );
    assert!(gridledger(
        &db,
        &[
            "place",
            "add",
            "--level",
            "网格",
            "--name",
            "第1网格",
            "--parent",
            "1"
        ]
    )
    .status
    .success());
    for (level, name) in [("村", "石桥村"), ("网格", "第一网格"), ("网格", "第１网格")]
    {
        let mut args = vec!["place", "add", "--level", level, "--name", name];
        if level == "网格" {
            args.extend(["--parent", "1"]);
        }
        let out = gridledger(&db, &args);
        assert!(!out.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("已有") && stderr.contains("编号"),
            "{stderr}"
        );
    }
    // 第11网格 is another grid; 第1网格 under another village is another grid too.
    assert!(gridledger(
        &db,
        &[
            "place",
            "add",
            "--level",
            "网格",
            "--name",
            "第11网格",
            "--parent",
            "1"
        ]
    )
    .status
    .success());
    assert!(
        gridledger(&db, &["place", "add", "--level", "村", "--name", "东坪村"])
            .status
            .success()
    );
    assert!(gridledger(
        &db,
        &[
            "place",
            "add",
            "--level",
            "网格",
            "--name",
            "第1网格",
            "--parent",
            "4"
        ]
    )
    .status
    .success());
}

#[test]
fn excels_phantom_1900_02_29_is_said_not_to_exist_never_read_as_the_28th() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let sheet = dir.path().join("births.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let ws = book.add_worksheet();
    ws.write_row(0, 0, ["姓名", "出生日期", "手机号码"])
        .unwrap();
    // Day 60 as a date cell and as a bare number; day 59 is 1900-02-28, day 61 1900-03-01.
    for (row, (name, serial, formatted)) in [
        ("甲", 60.0, true),
        ("乙", 60.0, false),
        ("丙", 59.0, true),
        ("丁", 61.0, false),
    ]
    .into_iter()
    .enumerate()
    {
        let r = row as u32 + 1;
        ws.write(r, 0, name).unwrap();
        if formatted {
            ws.write_number_with_format(r, 1, serial, &date).unwrap();
        } else {
            ws.write_number(r, 1, serial).unwrap();
        }
        ws.write(r, 2, format!("1390000000{row}")).unwrap();
    }
    book.save(&sheet).unwrap();
    let out = gridledger(
        &db,
        &[
            "--json",
            "import",
            sheet.to_str().unwrap(),
            "--as",
            "persons",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let flagged: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            let message = p["message"].as_str().unwrap();
            message.contains("不存在") && (message.contains("1900") || message.contains("60"))
        })
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(flagged, ["甲", "乙"], "{report}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let births: Vec<(String, Option<String>)> = conn
        .prepare("SELECT name, birth_date FROM persons ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        births.contains(&("丙".to_string(), Some("1900-02-28".to_string()))),
        "{births:?}"
    );
    assert!(
        births.contains(&("丁".to_string(), Some("1900-03-01".to_string()))),
        "{births:?}"
    );
    assert!(
        !births
            .iter()
            .any(|(n, b)| (n == "甲" || n == "乙") && b.is_some()),
        "{births:?}"
    );
}

#[test]
fn a_text_cut_to_fit_is_whole_in_the_problem_list_as_its_warning_says() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let long: String = "村民反映情况".repeat(140);
    let sheet = dir.path().join("notes.csv");
    std::fs::write(
        &sheet,
        format!("姓名,手机号码,备注\n王五,13900000000,{long}\n"),
    )
    .unwrap();
    let problems = dir.path().join("问题.xlsx");
    let out = gridledger(
        &db,
        &[
            "import",
            sheet.to_str().unwrap(),
            "--problems",
            problems.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut book = calamine::open_workbook_auto(&problems).unwrap();
    let range = book.worksheet_range("问题清单").unwrap();
    let row = (1..range.height())
        .find(|&r| {
            range
                .get((r, 5))
                .is_some_and(|m| m.to_string().contains("全文见问题清单"))
        })
        .expect("the truncation warning is listed");
    assert_eq!(
        range.get((row, 4)).unwrap().to_string(),
        long,
        "the whole text is there"
    );
}

#[test]
fn a_ledger_missing_a_table_is_damaged_at_open_not_sound() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("DROP TABLE visit_notes").unwrap();
    }
    for args in [
        &["check", "ledger"][..],
        &["person", "show", "1"][..],
        &["summary"][..],
    ] {
        let out = gridledger(&db, args);
        assert_eq!(code_of(&out), "ledger_damaged", "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("visit_notes"));
    }
}

#[test]
fn an_output_folder_that_is_not_there_is_said_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let missing = dir.path().join("报表（打错了）");
    let out = gridledger(
        &db,
        &[
            "report",
            "daily_report",
            "-o",
            missing.join("日报.xlsx").to_str().unwrap(),
        ],
    );
    assert_eq!(code_of(&out), "write_failed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("不存在"));
    assert!(!missing.exists(), "the folder is not made");
}

#[test]
fn a_csv_past_the_cell_budget_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_ledger(dir.path());
    let sheet = dir.path().join("wide.csv");
    let header: Vec<String> = std::iter::once("姓名".to_string())
        .chain((1..1000).map(|i| format!("列{i}")))
        .collect();
    let row = vec!["1"; 1000].join(",");
    let mut text = header.join(",") + "\n";
    for _ in 0..5_100 {
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(&sheet, text).unwrap();
    let out = gridledger(&db, &["import", sheet.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code_of(&out), "file_too_large");
    assert!(String::from_utf8_lossy(&out.stderr).contains("× 1000 列以上"));
}

/// Item 9: a roll that merges 门牌名 over a family (门牌号 typed on every row) puts every
/// member in their head's household, as the clerk reads it; a member whose 户主 row was
/// refused is registered unplaced with a warning on their own row, never silently.
#[test]
fn a_door_merged_over_a_family_is_every_members_door_and_an_unplaced_member_is_warned() {
    use gridledger::import::{self, ImportOptions};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    assert!(
        gridledger(&db, &["place", "add", "--level", "村", "--name", "石桥村"])
            .status
            .success()
    );
    let path = dir.path().join("roll.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    for (c, h) in ["姓名", "与户主关系", "门牌名", "门牌号", "身份证号"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Rows 2–4: one family, 东街 merged over the three rows, 8号 on each.
    let family = [("张三", "户主"), ("李芳", "配偶"), ("张小明", "子女")];
    for (i, (name, relation)) in family.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, *name).unwrap();
        ws.write_string(r, 1, *relation).unwrap();
        ws.write_string(r, 3, "8号").unwrap();
    }
    ws.merge_range(1, 2, 3, 2, "东街", &plain).unwrap();
    // Rows 5–6: a head whose ID is wrong (refused) and his son, with no door at all.
    ws.write_string(4, 0, "王五").unwrap();
    ws.write_string(4, 1, "户主").unwrap();
    ws.write_string(4, 4, "110101199003071235").unwrap();
    ws.write_string(5, 0, "王小五").unwrap();
    ws.write_string(5, 1, "子女").unwrap();
    book.save(&path).unwrap();

    let mut store = gridledger::Store::open(&db).unwrap();
    store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
    let report = import::import_file(
        &store,
        &path,
        &ImportOptions::default(),
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.inserted, 4, "{:?}", report.problems);
    drop(store);
    let sql = rusqlite::Connection::open(&db).unwrap();
    let (households, door): (i64, String) = sql
        .query_row(
            "SELECT count(DISTINCT h.id), max(h.door_name || h.door_number) FROM persons p
             JOIN households h ON h.id = p.household_id WHERE p.name IN ('张三', '李芳', '张小明')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((households, door.as_str()), (1, "东街8号"));
    let all_households: i64 = sql
        .query_row("SELECT count(*) FROM households", [], |r| r.get(0))
        .unwrap();
    assert_eq!(all_households, 1, "no household of a door 8号 alone");
    let son_placed: Option<i64> = sql
        .query_row(
            "SELECT household_id FROM persons WHERE name = '王小五'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(son_placed, None);
    let warned: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.code == "household_unknown")
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", report.problems);
    assert_eq!((warned[0].row, warned[0].warning), (6, true));
    assert!(
        warned[0].message.contains("暂未分户"),
        "{}",
        warned[0].message
    );
}

/// Item 6, in the wizard: the preview names the other sheet; asking for every sheet
/// previews and imports them as one (counts added, rows named by sheet, one transaction),
/// and the problems workbook says which sheet each refused row is from.
#[test]
fn the_wizard_reads_every_sheet_together_as_one_import() {
    use gridledger::import::{ImportOptions, ImportSession, Source, ALL_SHEETS};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    assert!(gridledger(&db, &["init"]).status.success());
    let path = dir.path().join("groups.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for (sheet, rows) in [
        ("一组", vec![["张一", "13900000001"], ["张二", "139"]]),
        ("二组", vec![["李一", "13900000003"], ["李二", "138"]]),
    ] {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_row(0, 0, ["姓名", "手机号码"]).unwrap();
        for (i, row) in rows.iter().enumerate() {
            ws.write_row(i as u32 + 1, 0, *row).unwrap();
        }
    }
    book.save(&path).unwrap();
    let mut store = gridledger::Store::open(&db).unwrap();
    store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
    let mut session = ImportSession::default();
    let source = Source::File(&path);
    let first = session
        .preview(&store, &source, &ImportOptions::default(), &mut |_, _| {})
        .unwrap();
    assert_eq!(first.sheets_read, ["一组"]);
    assert_eq!(first.other_sheets.len(), 1);
    let all = ImportOptions {
        sheet: Some(ALL_SHEETS.into()),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let preview = session
        .preview(&store, &source, &all, &mut |done, total| {
            seen.push((done, total))
        })
        .unwrap();
    assert_eq!(preview.sheets_read, ["一组", "二组"]);
    assert!(preview.other_sheets.is_empty());
    assert_eq!(
        (preview.data_rows, preview.inserted),
        (4, 4),
        "{:?}",
        preview.problems
    );
    let bad: Vec<(&str, usize)> = preview
        .problems
        .iter()
        .map(|p| (p.sheet.as_str(), p.row))
        .collect();
    assert_eq!(bad, [("一组", 3), ("二组", 3)]);
    assert_eq!(
        seen.last(),
        Some(&(4, 4)),
        "the bar counts on across sheets: {seen:?}"
    );
    let done = session.run(&store, &source, &all, &mut |_, _| {}).unwrap();
    assert_eq!(done.inserted, 4);
    let saved = session.save_problems(dir.path()).unwrap();
    drop(store);
    let persons: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(persons, 4);
    // The problems workbook: both warnings listed with their sheet.
    use calamine::Reader;
    let mut problems: calamine::Xlsx<_> = calamine::open_workbook(&saved).unwrap();
    let list = problems.worksheet_range("问题清单").unwrap();
    let sheets: Vec<String> = list.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(sheets, ["一组", "二组"]);
}
