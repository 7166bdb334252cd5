//! The `gridledger` binary, run for real against a ledger in a temporary directory.

use std::path::Path;
use std::process::{Command, Output};

fn gridledger(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GRIDLEDGER_DB")
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON document ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn init_add_and_find_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let init = gridledger(&db, &["init", "--json"]);
    assert!(init.status.success());
    assert_eq!(
        json(&init)["schema_version"],
        gridledger::store::SCHEMA_VERSION
    );

    let add = gridledger(
        &db,
        &[
            "person",
            "add",
            "--name",
            "张三",
            "--id",
            "11010519491231002X",
            "--phone",
            "138 0013 8000",
            "--tag",
            "独居老人",
            "--json",
        ],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let saved = json(&add);
    assert_eq!(saved["person"]["gender"], "女");
    assert_eq!(saved["person"]["birth_date"], "1949-12-31");
    assert_eq!(saved["person"]["phone"], "13800138000");

    for query in ["zs", "张三", "002X", "13800138000"] {
        let find = gridledger(&db, &["person", "find", query, "--json"]);
        assert!(find.status.success());
        let hits = json(&find);
        assert_eq!(hits.as_array().unwrap().len(), 1, "{query}");
        assert_eq!(hits[0]["name"], "张三");
        assert_eq!(hits[0]["id_number"], "11010519491231002X");
    }
    let show = gridledger(&db, &["person", "show", "1", "--json"]);
    assert_eq!(json(&show)["person"]["tags"][0], "独居老人");
    let text = gridledger(&db, &["person", "find", "zs"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("张三"));
}

#[test]
fn errors_exit_2_with_one_line_naming_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let init = gridledger(&db, &["init"]);
    assert!(init.status.success());
    // The command line leaves a plaintext ledger as it is, and says so.
    assert!(
        String::from_utf8_lossy(&init.stdout).contains("注意：账本没有加密"),
        "{init:?}"
    );
    let bad = gridledger(
        &db,
        &[
            "person",
            "add",
            "--name",
            "李四",
            "--id",
            "110101199003070830",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8(bad.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("最后一位应为 9"), "{stderr}");

    let bad = gridledger(
        &db,
        &[
            "person",
            "add",
            "--name",
            "李四",
            "--id",
            "110101199003070830",
            "--json",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let doc = json(&bad);
    assert_eq!(doc["error"]["code"], "value_invalid");
    assert_eq!(doc["error"]["problems"][0]["field"], "id_number");

    let missing = gridledger(&db, &["person", "show", "42"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("找不到人员"));

    let usage = gridledger(&db, &["person", "add"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "a usage error is an error too"
    );
}

#[test]
fn the_environment_names_the_ledger_when_db_is_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .args(["init", "--json"])
        .env("GRIDLEDGER_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(db.exists());
    assert_eq!(json(&out)["path"], db.to_str().unwrap());
}

#[test]
fn demo_fills_an_empty_ledger_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let demo = gridledger(&db, &["demo", "--json"]);
    assert!(demo.status.success());
    assert_eq!(json(&demo)["households"], 300);
    let summary = json(&gridledger(&db, &["summary", "--json"]));
    assert_eq!(summary["households"], 300);
    let again = gridledger(&db, &["demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("只能载入空账本"));
}

#[test]
fn check_validates_single_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let ok = gridledger(&db, &["check", "id", "440524188001010014", "--json"]);
    assert!(ok.status.success());
    assert_eq!(json(&ok)["birth_date"], "1880-01-01");
    let text = gridledger(&db, &["check", "id", "440524188001010014"]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("潮阳"),
        "an abolished county is still named"
    );
    let typed = gridledger(&db, &["check", "temperature", "376", "--json"]);
    assert!(
        typed.status.success(),
        "376 is 37.6 with its point left out"
    );
    assert_eq!(json(&typed)["celsius"], 37.6);
    assert_eq!(
        gridledger(&db, &["check", "temperature", "450"])
            .status
            .code(),
        Some(2)
    );
    assert!(gridledger(&db, &["check", "plate", "京a·12345"])
        .status
        .success());
}

#[test]
fn reports_and_template_files_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert!(gridledger(&db, &["demo"]).status.success());
    let list = json(&gridledger(&db, &["report", "--list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 12);
    assert_eq!(list[0]["id"], "returnees");
    assert_eq!(list[0]["name"], "来(返)乡人员登记表");

    let out = dir.path().join("来返乡.xlsx");
    let export = gridledger(
        &db,
        &[
            "report",
            "returnees",
            "--from",
            "2020-01-01",
            "--mask",
            "-o",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(json(&export)["rows"].as_u64().unwrap() > 10);
    assert!(out.exists());
    assert!(
        !dir.path().join("来返乡.xlsx.partial").exists(),
        "no partial file is left behind"
    );

    let bad = gridledger(
        &db,
        &[
            "report",
            "returnees",
            "--from",
            "2026-13-01",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("开始日期"));

    // A template file travels: export, edit, import elsewhere.
    let file = dir.path().join("模板.json");
    assert!(gridledger(
        &db,
        &["template", "export", "daily_report", file.to_str().unwrap()]
    )
    .status
    .success());
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("每日疫情防控日报", "石桥村日报");
    std::fs::write(&file, text).unwrap();
    let other = dir.path().join("other.db");
    assert!(gridledger(&other, &["init"]).status.success());
    let import = gridledger(
        &other,
        &["template", "import", file.to_str().unwrap(), "--json"],
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let names: Vec<String> = json(&gridledger(&other, &["report", "--list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"石桥村日报".to_string()));
    assert!(!names.contains(&"每日疫情防控日报".to_string()));
}

/// The README's day-of-work block, run as written (words split as a shell splits these
/// lines; comments dropped): every command succeeds, and the ledger then holds what it says.
#[test]
fn the_readme_day_of_work_runs_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("<!-- day-of-work -->")
        .nth(1)
        .and_then(|rest| rest.split("```sh").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a day-of-work block");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut ran = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.split(" # ").next().unwrap().trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&words[..3], ["gridledger", "--db", "x.db"], "{line}");
        let out = gridledger(&db, &words[3..]);
        assert!(
            out.status.success(),
            "{line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 10);
    let today = json(&gridledger(&db, &["today", "--json"]));
    assert_eq!(today["hand_offs"].as_array().unwrap().len(), 1, "{today}");
    let summary = json(&gridledger(&db, &["summary", "--json"]));
    assert_eq!(
        (summary["cases"].as_i64(), summary["contacts"].as_i64()),
        (Some(1), Some(1))
    );
}

#[test]
fn person_add_sets_every_field_a_person_has() {
    use gridledger::model::fields::{self, Kind};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    assert!(gridledger(&db, &["init"]).status.success());
    // A value for every field of the person's table, as the window's form offers them.
    let value = |f: &fields::Field| -> String {
        match (f.key, f.kind) {
            ("id_number", _) => "11010519491231002X".into(),
            ("gender", _) => "女".into(),
            ("birth_date", _) => "1949-12-31".into(),
            ("phone", _) => "13800138000".into(),
            ("hukou_code", _) => "110105".into(),
            ("name", _) => "王五".into(),
            (_, Kind::Choice(list)) => list[list.len() - 1].to_string(),
            _ => format!("{}示例", f.label),
        }
    };
    let mut args: Vec<String> = vec!["person".into(), "add".into()];
    for f in fields::PERSON.iter().filter(|f| f.entry) {
        args.push(format!("--{}", f.key.replace('_', "-")));
        args.push(value(f));
    }
    args.push("--json".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let added = gridledger(&db, &refs);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let person = &json(&added)["person"];
    for f in fields::PERSON.iter().filter(|f| f.entry) {
        assert_eq!(person[f.key], value(f), "--{} is set", f.key);
    }
}

/// `GRIDLEDGER_NOW` fixes the ledger's day and time for every command, as the README says:
/// a date without a year takes that year, a stop without a time is at that time.
#[test]
fn gridledger_now_fixes_the_day_and_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let at = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gridledger"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("GRIDLEDGER_DB")
            .env("GRIDLEDGER_NOW", "2030-06-01 08:30")
            .output()
            .unwrap()
    };
    assert!(at(&["init"]).status.success());
    let date = json(&at(&["check", "date", "12.5", "--json"]));
    assert_eq!(date["date"], "2030-12-05");
    assert!(at(&["checkpoint", "add", "--name", "东口"])
        .status
        .success());
    assert!(
        at(&["checkpoint", "stop", "--site", "东口", "--driver", "王五"])
            .status
            .success()
    );
    let day = json(&at(&["checkpoint", "day", "东口", "--json"]));
    assert_eq!(day["day"], "2030-06-01");
    assert_eq!(day["stops"][0]["checked_at"], "2030-06-01 08:30");
}
