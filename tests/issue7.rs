//! Issue 7, "Nothing lost, nothing invented": one test per thing a clerk's real or hostile
//! file did to the importer and the command line. Each failed on the code before the issue.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gridledger::files::IfExists;
use gridledger::import::{self, ImportOptions, ImportReport, ReviewDecision};
use gridledger::model::{HouseholdInput, PersonInput, PlaceInput};
use gridledger::Store;

use crate::util::today;

/// Writes a sheet of text cells (the first row is the header).
fn sheet(path: &Path, rows: &[&[&str]]) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    book.save(path).unwrap();
    path.to_path_buf()
}

fn village(store: &Store, parent: Option<i64>, name: &str) -> i64 {
    store
        .add_place(&PlaceInput {
            parent_id: parent,
            level: "村".into(),
            name: name.into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn ledger() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    village(&store, None, "石桥村");
    store
}

fn run(store: &Store, path: &Path, options: ImportOptions) -> ImportReport {
    import::import_file(store, path, &options, None, &mut |_, _| {}).unwrap()
}

fn both_ways(store: &Store, path: &Path) -> (ImportReport, ImportReport) {
    let dry = run(
        store,
        path,
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    let real = run(store, path, ImportOptions::default());
    (dry, real)
}

const ZHANG: &str = "430182198001150139";
const LI: &str = "43018219920304024X";

#[test]
fn a_blank_required_cell_is_a_problem_of_its_row_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (target, header, blank, full) in [
        (
            "arrivals",
            &["姓名", "身份证号码", "返乡日期"][..],
            &["张三", ZHANG, ""][..],
            &["李四", LI, "2026-11-20"][..],
        ),
        (
            "isolations",
            &["姓名", "身份证号码", "开始隔离时间"],
            &["张三", ZHANG, ""],
            &["李四", LI, "2026-11-20"],
        ),
        (
            "tests",
            &["姓名", "身份证号码", "采样日期"],
            &["张三", ZHANG, ""],
            &["李四", LI, "2026-11-20"],
        ),
        (
            "vaccinations",
            &["姓名", "身份证号码", "针次"],
            &["张三", ZHANG, ""],
            &["李四", LI, "1"],
        ),
    ] {
        let store = ledger();
        let path = sheet(
            &dir.path().join(format!("{target}.xlsx")),
            &[header, blank, full],
        );
        let (dry, real) = both_ways(&store, &path);
        for r in [&dry, &real] {
            assert_eq!(r.target, target);
            assert_eq!(
                (r.inserted, r.partial_rows),
                (1, 1),
                "{target}: {:?}",
                r.problems
            );
            let p = r.problems.iter().find(|p| !p.warning).unwrap();
            assert_eq!((p.row, p.code.as_str()), (2, "required"), "{target}");
        }
        assert_eq!(
            store.find_persons("张三", 5).unwrap().len(),
            1,
            "{target}: the person is kept"
        );
    }
    // A daily check without its date (for a person of the register: a reading never
    // registers anyone), a checkpoint stop without its site or traveller.
    let store = ledger();
    store
        .save_person(&gridledger::model::PersonInput {
            name: "张三".into(),
            id_number: ZHANG.into(),
            ..Default::default()
        })
        .unwrap();
    let path = sheet(
        &dir.path().join("checks.xlsx"),
        &[
            &["姓名", "身份证号码", "监测日期", "上午体温"],
            &["张三", ZHANG, "", "36.5"],
        ],
    );
    let (_, r) = both_ways(&store, &path);
    assert_eq!(r.partial_rows, 1);
    let path = sheet(
        &dir.path().join("stops.xlsx"),
        &[
            &["卡口名称", "检查时间", "被检查人姓名", "车牌号"],
            &["", "2026-11-21 08:00", "赵六", "湘A12345"],
            &["东口", "2026-11-21 08:10", "", "湘A12346"],
            &["东口", "2026-11-21 08:20", "钱七", "湘A12347"],
        ],
    );
    let (dry, real) = both_ways(&store, &path);
    for r in [&dry, &real] {
        assert_eq!((r.inserted, r.rejected_rows), (1, 2), "{:?}", r.problems);
    }
}

#[test]
fn a_panic_inside_a_transaction_rolls_it_back_and_later_saves_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let store = Store::create(&path).unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = store.in_transaction(|| {
                store.save_person(&PersonInput {
                    name: "半途".into(),
                    ..Default::default()
                })?;
                panic!("a bug in the middle of a save");
                #[allow(unreachable_code)]
                Ok(())
            });
        }));
        assert!(caught.is_err());
        assert!(store.is_idle(), "no transaction is left open");
        store
            .save_person(&PersonInput {
                name: "之后".into(),
                ..Default::default()
            })
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let names: Vec<String> = store
        .find_persons("之后", 5)
        .unwrap()
        .into_iter()
        .chain(store.find_persons("半途", 5).unwrap())
        .map(|h| h.name)
        .collect();
    assert_eq!(
        names,
        ["之后"],
        "the save after the panic is on disk, the half-done one is not"
    );
}

#[test]
fn piping_a_command_into_a_closed_reader_stops_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let cli = env!("CARGO_BIN_EXE_gridledger");
    assert!(Command::new(cli)
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .unwrap()
        .status
        .success());
    for args in [
        &["report", "--list"][..],
        &["summary"],
        &["check", "id", ZHANG],
    ] {
        let mut child = Command::new(cli)
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -0`: the reader is gone before the command writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn a_value_outside_its_list_keeps_the_person_as_other_with_the_original_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let path = sheet(
        &dir.path().join("returnees.xlsx"),
        &[
            &["姓名", "性别", "出生日期", "返乡日期", "交通方式"],
            &["摩托哥", "1", "1990-01-01", "2026-11-20", "摩托车"],
            &["高铁姐", "2", "1991-02-02", "2026-11-20", "高铁"],
            &["不详者", "9", "1992-03-03", "2026-11-20", "自驾"],
        ],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(
        (r.inserted, r.rejected_rows, r.partial_rows),
        (3, 0, 0),
        "{:?}",
        r.problems
    );
    let moto = store
        .person_profile(store.find_persons("摩托哥", 1).unwrap()[0].id)
        .unwrap();
    assert_eq!(
        moto.person.gender.as_deref(),
        Some("男"),
        "GB/T 2261.1: 1 is 男"
    );
    assert_eq!(moto.arrivals[0].transport.as_deref(), Some("其他"));
    assert_eq!(
        store
            .originals_of(gridledger::model::Entity::Arrival, moto.arrivals[0].id)
            .unwrap(),
        [("transport".to_string(), "摩托车".to_string())]
    );
    let warning = r.problems.iter().find(|p| p.value == "摩托车").unwrap();
    assert!(
        warning.warning && warning.message.contains("其他"),
        "{}",
        warning.message
    );
    let her = store.find_persons("高铁姐", 1).unwrap();
    assert_eq!(her[0].gender.as_deref(), Some("女"));
    assert_eq!(
        store.find_persons("不详者", 1).unwrap()[0].gender,
        None,
        "9 is 未说明"
    );
}

#[test]
fn a_refused_first_row_never_undoes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let place = store.places().unwrap()[0].id;
    let door = store
        .save_household(&HouseholdInput {
            place_id: Some(place),
            door_name: "东街".into(),
            door_number: "1号".into(),
            ..Default::default()
        })
        .unwrap();
    store
        .save_person(&PersonInput {
            name: "老户主".into(),
            household_id: Some(door.id),
            relation_to_head: "户主".into(),
            ..Default::default()
        })
        .unwrap();
    // The first row names a second head for 东街1号; a township's roll does that.
    let path = sheet(
        &dir.path().join("roll.xlsx"),
        &[
            &["门牌名", "门牌号", "姓名", "与户主关系", "身份证号码"],
            &["东街", "1号", "新户主", "户主", ZHANG],
            &["东街", "2号", "李四", "户主", LI],
        ],
    );
    let (dry, real) = both_ways(&store, &path);
    for r in [&dry, &real] {
        assert_eq!((r.inserted, r.rejected_rows), (2, 0), "{:?}", r.problems);
        assert!(r
            .problems
            .iter()
            .any(|p| p.code == "second_head" && p.warning));
    }
    let newcomer = store
        .person(store.find_persons("新户主", 1).unwrap()[0].id)
        .unwrap();
    assert_eq!(
        (newcomer.household_id, newcomer.relation_to_head),
        (Some(door.id), None)
    );

    // A zero-width space as 卡口名称 is a blank cell: that row is refused, the rest imported.
    let path = sheet(
        &dir.path().join("stops.xlsx"),
        &[
            &["卡口名称", "检查时间", "被检查人姓名"],
            &["\u{200B}", "2026-11-21 08:00", "赵六"],
            &["东口", "2026-11-21 08:10", "钱七"],
        ],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!((r.inserted, r.rejected_rows), (1, 1));
    assert_eq!(r.problems[0].code, "required");
}

#[test]
fn a_member_listed_under_the_head_joins_the_head_not_another_house() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let place = store.places().unwrap()[0].id;
    // An unrelated rented house is already registered.
    let rented = store
        .save_household(&HouseholdInput {
            place_id: Some(place),
            door_name: "西街".into(),
            door_number: "8号".into(),
            housing_use: "出租".into(),
            tenant_name: "租客".into(),
            ..Default::default()
        })
        .unwrap();
    // A roll with the door merged down over the members: only the head's row has it.
    let path = sheet(
        &dir.path().join("roll.xlsx"),
        &[
            &["门牌名", "门牌号", "姓名", "与户主关系", "身份证号码"],
            &["东街", "3号", "张大", "户主", ZHANG],
            &["", "", "张小", "子女", ""],
            &["", "", "张妻", "配偶", ""],
            &[],
            &["", "8号", "无门牌名", "户主", LI],
        ],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(r.inserted, 4, "{:?}", r.problems);
    let head = store
        .person(store.find_persons("张大", 1).unwrap()[0].id)
        .unwrap();
    let child = store
        .person(store.find_persons("张小", 1).unwrap()[0].id)
        .unwrap();
    assert!(head.household_id.is_some(), "the head is placed");
    assert_eq!(
        child.household_id, head.household_id,
        "the member joins the head"
    );
    assert_ne!(child.household_id, Some(rented.id));
    assert_eq!(
        store.household(rented.id).unwrap().members.len(),
        0,
        "the rented house is untouched"
    );
    // A door of only a number matches no household by chance: a new one, with a warning.
    let lone = store
        .person(store.find_persons("无门牌名", 1).unwrap()[0].id)
        .unwrap();
    assert_ne!(lone.household_id, Some(rented.id));
    assert!(r.problems.iter().any(|p| p.code == "door_incomplete"));
    // The preview shows each household before and after.
    let east = r.households.iter().find(|h| h.label == "东街3号").unwrap();
    assert!(east.new_household && east.before.is_empty());
    assert_eq!(east.after, ["张大", "张小", "张妻"]);
}

#[test]
fn records_go_to_the_village_the_sheet_or_the_user_names_never_the_first_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    let township = store
        .add_place(&PlaceInput {
            level: "乡镇".into(),
            name: "青山镇".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let shiqiao = village(&store, Some(township), "石桥村");
    let hexi = village(&store, Some(township), "河西村");
    let village_of = |name: &str| {
        let p = store
            .person(store.find_persons(name, 1).unwrap()[0].id)
            .unwrap();
        p.household_id
            .map(|h| store.household_summary(h).unwrap().place_id)
    };
    // The sheet names the village in a column.
    let path = sheet(
        &dir.path().join("hexi.xlsx"),
        &[
            &["所属村", "门牌名", "门牌号", "姓名", "返乡日期"],
            &["河西村", "河西路", "1号", "河西人", "2026-11-20"],
        ],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(r.inserted, 1, "{:?}", r.problems);
    assert_eq!(village_of("河西人"), Some(hexi));
    let profile = store
        .person_profile(store.find_persons("河西人", 1).unwrap()[0].id)
        .unwrap();
    assert_eq!(
        profile.arrivals[0].destination_place_id,
        Some(hexi),
        "目的地所属村 is the named village"
    );

    // No village column and several villages: not placed, and told why.
    let path = sheet(
        &dir.path().join("no_village.xlsx"),
        &[&["门牌名", "门牌号", "姓名"], &["南街", "1号", "无村人"]],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(village_of("无村人"), None);
    assert!(r.problems.iter().any(|p| p.code == "village_unknown"));
    assert!(
        store.households(Some(shiqiao), false).unwrap().is_empty(),
        "nothing went into the first village"
    );

    // The user chooses the village for the file.
    let path = sheet(
        &dir.path().join("chosen.xlsx"),
        &[&["门牌名", "门牌号", "姓名"], &["南街", "2号", "选村人"]],
    );
    run(
        &store,
        &path,
        ImportOptions {
            village: Some("河西村".into()),
            ..Default::default()
        },
    );
    assert_eq!(village_of("选村人"), Some(hexi));

    // A village the ledger does not have: the rows are refused and listed, unless the user
    // confirms creating it.
    let path = sheet(
        &dir.path().join("hedong.xlsx"),
        &[
            &["乡镇", "所属村", "门牌名", "门牌号", "姓名"],
            &["青山镇", "河东村", "东路", "1号", "河东人"],
        ],
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(r.rejected_rows, 1);
    assert_eq!(
        r.unknown_places
            .iter()
            .map(|u| (u.path.as_str(), u.level.as_str(), u.rows))
            .collect::<Vec<_>>(),
        [("青山镇/河东村", "村", 1)]
    );
    assert!(store.find_persons("河东人", 1).unwrap().is_empty());
    let r = run(
        &store,
        &path,
        ImportOptions {
            create_places: true,
            ..Default::default()
        },
    );
    assert_eq!((r.inserted, r.places_created.len()), (1, 1));
    let hedong = store
        .places()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "河东村")
        .unwrap();
    assert_eq!(
        (hedong.parent_id, hedong.path.as_str()),
        (Some(township), "青山镇/河东村")
    );
    assert_eq!(village_of("河东人"), Some(hedong.id));
}

#[test]
fn implausible_values_never_reach_the_ledger_and_reports_still_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    // A CSV: an xlsx cell cannot hold 350,000 characters, a CSV field can.
    let path = dir.path().join("poison.csv");
    std::fs::write(
        &path,
        format!(
            "姓名,身份证号码,返乡日期,备注\n张三,{ZHANG},1026-11-10,\n李四,{LI},2026-11-10,{}\n",
            "很".repeat(350_000)
        ),
    )
    .unwrap();
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!((r.inserted, r.partial_rows), (1, 1), "{:?}", r.problems);
    let bad = r.problems.iter().find(|p| !p.warning).unwrap();
    assert_eq!((bad.row, bad.code.as_str()), (2, "date_implausible"));
    let note = store
        .person_profile(store.find_persons("李四", 1).unwrap()[0].id)
        .unwrap()
        .arrivals[0]
        .note
        .clone()
        .unwrap();
    assert_eq!(note.chars().count(), 500);
    assert!(r.problems.iter().any(|p| p.code == "text_truncated"));
    let error = import::import_file(
        &store,
        &path,
        &ImportOptions {
            default_year: Some(12345),
            ..Default::default()
        },
        None,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert_eq!(error.code().as_str(), "argument_invalid");
    // Every report exports after the import.
    for (t, _) in gridledger::report::templates(&store).unwrap() {
        gridledger::report::export_xlsx(
            &store,
            &t,
            &Default::default(),
            &dir.path().join(format!("{}.xlsx", t.id)),
            IfExists::Refuse,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", t.id));
    }
}

#[test]
fn values_older_versions_let_in_survive_the_upgrade_and_check_ledger_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    drop(Store::create(&path).unwrap());
    {
        // An older ledger (version 3) that took a date of year 1026 and a huge note.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             INSERT INTO batches (id, kind) VALUES (1, '导入');
             INSERT INTO persons (id, name, batch_id, note) VALUES (1, '张三', 1, NULL), (2, '李四', 1, NULL);
             INSERT INTO arrivals (id, person_id, kind, arrival_date, batch_id) VALUES (7, 1, '返乡', '1026-11-10', 1);
             INSERT INTO arrivals (id, person_id, kind, arrival_date, batch_id) VALUES (8, 2, '返乡', '2026-11-10', 1);
             PRAGMA user_version = 3;",
        )
        .unwrap();
        conn.execute(
            "UPDATE persons SET note = ?1 WHERE id = 2",
            ["注".repeat(350_000)],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        gridledger::store::SCHEMA_VERSION
    );
    let check = store.check_ledger().unwrap();
    assert!(check.damage.is_empty(), "{:?}", check.damage);
    let found: Vec<(String, i64)> = check
        .problems
        .iter()
        .map(|p| (p.table.clone(), p.id))
        .collect();
    assert_eq!(
        found,
        [("arrivals".to_string(), 7), ("persons".to_string(), 2)]
    );
    assert_eq!(check.problems[0].values[0].0, "arrival_date");
    // Nothing was lost, and every report still exports.
    assert_eq!(store.summary().unwrap().persons, 2);
    for (t, _) in gridledger::report::templates(&store).unwrap() {
        gridledger::report::export_xlsx(
            &store,
            &t,
            &Default::default(),
            &dir.path().join(format!("{}.xlsx", t.id)),
            IfExists::Refuse,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", t.id));
    }
    let cli = env!("CARGO_BIN_EXE_gridledger");
    drop(store);
    let out = Command::new(cli)
        .arg("--db")
        .arg(&path)
        .args(["check", "ledger", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ledger_implausible"));
}

#[test]
fn a_mistyped_ledger_path_is_refused_never_an_empty_zero_report() {
    let dir = tempfile::tempdir().unwrap();
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let typo = dir.path().join("ledgr.db");
    let out = Command::new(cli)
        .arg("--db")
        .arg(&typo)
        .args(["report", "daily_report", "-o"])
        .arg(dir.path().join("日报.xlsx"))
        .args(["--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["code"], "ledger_missing");
    assert!(!typo.exists(), "no empty ledger was made");
    assert!(
        !dir.path().join("日报.xlsx").exists(),
        "no 零报告 was written"
    );
}

#[test]
fn a_damaged_ledger_is_called_damaged_and_takes_no_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let mut store = Store::create(&path).unwrap();
        gridledger::demo::fill(
            &mut store,
            gridledger::demo::DemoOptions {
                households: 40,
                seed: 7,
            },
        )
        .unwrap();
    }
    // Scribble over the middle of the file, as a failing disk or a cut USB stick would.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    let middle = bytes.len() / page / 2 * page;
    for b in &mut bytes[middle + 8..middle + page] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let error = Store::open(&path).err().unwrap();
    assert_eq!(error.code().as_str(), "ledger_damaged", "{error}");
    assert!(error.to_string().contains("备份"), "{error}");
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let out = Command::new(cli)
        .arg("--db")
        .arg(&path)
        .args(["person", "add", "--name", "王五"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ledger_damaged"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the damaged file is left as it was"
    );
}

#[test]
fn a_read_only_place_is_called_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    drop(Store::create(&path).unwrap());
    let cli = env!("CARGO_BIN_EXE_gridledger");
    // A read-only mount, as a write-protected USB stick or CD is, in a private namespace.
    let unshare = if unsafe_root() {
        vec!["-m"]
    } else {
        vec!["-rm"]
    };
    let script = "mount -t tmpfs tmpfs \"$1\" && cp \"$2\" \"$1\"/ledger.db && mount -o remount,ro \"$1\" && exec \"$0\" --db \"$1\"/ledger.db person add --name 王五 --json";
    let mount = dir.path().join("usb");
    std::fs::create_dir(&mount).unwrap();
    let out = Command::new("unshare")
        .args(&unshare)
        .args(["sh", "-c", script, cli])
        .arg(&mount)
        .arg(&path)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(doc["error"]["code"], "ledger_read_only", "{doc}");
    assert!(doc["error"]["message"].as_str().unwrap().contains("只读"));
}

fn unsafe_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false)
}

#[test]
fn files_are_never_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let gl = |args: &[&str]| {
        Command::new(cli)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(gl(&["init"]).status.success());
    assert!(gl(&["place", "add", "--level", "村", "--name", "石桥村"])
        .status
        .success());
    let existing = dir.path().join("日报.xlsx");
    std::fs::write(&existing, "a clerk's earlier report").unwrap();
    let path = existing.to_str().unwrap();
    let out = gl(&["report", "daily_report", "-o", path, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("file_exists"));
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "a clerk's earlier report"
    );
    assert!(gl(&["report", "daily_report", "-o", path, "--force"])
        .status
        .success());
    assert!(std::fs::read(&existing).unwrap().starts_with(b"PK"));

    let template = dir.path().join("模板.json");
    std::fs::write(&template, "mine").unwrap();
    let out = gl(&[
        "template",
        "export",
        "daily_report",
        template.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&template).unwrap(), "mine");

    // An import whose problem list cannot be written imports nothing.
    let sheet_path = sheet(
        &dir.path().join("s.xlsx"),
        &[
            &["姓名", "返乡日期"],
            &["张三", "2026-11-20"],
            &["李四", "坏日期"],
        ],
    );
    let problems = dir.path().join("问题.xlsx");
    std::fs::write(&problems, "an earlier list").unwrap();
    let out = gl(&[
        "import",
        sheet_path.to_str().unwrap(),
        "--problems",
        problems.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&problems).unwrap(),
        "an earlier list"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&gl(&["summary", "--json"]).stdout).unwrap();
    assert_eq!(summary["persons"], 0, "nothing imported");
    // With a free name, the list is written and the import done.
    let fresh = dir.path().join("问题2.xlsx");
    assert!(gl(&[
        "import",
        sheet_path.to_str().unwrap(),
        "--problems",
        fresh.to_str().unwrap()
    ])
    .status
    .success());
    assert!(fresh.exists());
    // No half-written file is left anywhere.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().contains("partial")
                || e.file_name().to_string_lossy().ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_refusal_has_a_code_of_its_kind() {
    let store = ledger();
    let dir = tempfile::tempdir().unwrap();
    let path = sheet(
        &dir.path().join("s.xlsx"),
        &[&["姓名", "返乡日期"], &["张三", "2026-11-20"]],
    );
    let code = |options: ImportOptions| {
        import::import_file(&store, &path, &options, None, &mut |_, _| {})
            .unwrap_err()
            .code()
            .as_str()
    };
    assert_eq!(
        code(ImportOptions {
            target: Some("cats".into()),
            ..Default::default()
        }),
        "target_unknown"
    );
    assert_eq!(
        code(ImportOptions {
            sheet: Some("无此表".into()),
            ..Default::default()
        }),
        "sheet_missing"
    );
    assert_eq!(
        code(ImportOptions {
            target: Some("checkpoint_checks".into()),
            ..Default::default()
        }),
        "column_missing"
    );
    assert_eq!(
        code(ImportOptions {
            village: Some("无此村".into()),
            ..Default::default()
        }),
        "place_unknown"
    );
    let mut columns = std::collections::BTreeMap::new();
    columns.insert("姓名".to_string(), "no_such_field".to_string());
    assert_eq!(
        code(ImportOptions {
            columns,
            ..Default::default()
        }),
        "column_mapping"
    );
    // An unknown review decision is an error, never a silent 忽略.
    let error = "maybe".parse::<ReviewDecision>().unwrap_err();
    assert_eq!(error.code().as_str(), "argument_invalid");
    // Codes are distinct per kind and each is listed in the README.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for code in gridledger::error::Code::ALL {
        assert!(
            readme.contains(&format!("`{}`", code.as_str())),
            "README lists {}",
            code.as_str()
        );
    }
}

#[test]
fn the_wizard_writes_only_what_it_previewed() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let path = sheet(
        &dir.path().join("s.xlsx"),
        &[
            &["姓名", "身份证号码", "返乡日期"],
            &["张三", ZHANG, "2026-11-20"],
            &["李四", LI, "2026-11-21"],
        ],
    );
    let mut session = import::ImportSession::default();
    let options = ImportOptions::default();
    let source = import::Source::File(&path);
    let preview = session
        .preview(&store, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!((preview.inserted, preview.dry_run), (2, true));
    assert_eq!(
        preview.preview.len(),
        2,
        "the first rows as they will be written"
    );
    assert!(preview.preview[0]
        .record
        .as_deref()
        .unwrap()
        .contains("2026-11-20"));
    // Between the preview and the confirm, someone registers 李四 and her return: the
    // import no longer comes out as previewed, so nothing is written and the new preview
    // is shown.
    let li = store
        .save_person(&gridledger::model::PersonInput {
            name: "李四".into(),
            id_number: LI.into(),
            ..Default::default()
        })
        .unwrap()
        .person
        .id;
    gridledger::entry::save(
        &store,
        &gridledger::entry::RecordInput {
            kind: Some(gridledger::model::Entity::Arrival),
            person_id: Some(li),
            values: [("arrival_date".to_string(), "2026-11-21".to_string())].into(),
            ..Default::default()
        },
    )
    .unwrap();
    let changed = session
        .run(&store, &source, &options, &mut |_, _| {})
        .unwrap_err();
    assert_eq!(changed.code().as_str(), "conflict");
    assert_eq!(store.summary().unwrap().persons, 1, "nothing written");
    // The window previews again (the ledger as it now stands), and confirming that new
    // preview writes what it said.
    let again = session
        .preview(&store, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!((again.inserted, again.unchanged), (1, 1));
    let done = session
        .run(&store, &source, &options, &mut |_, _| {})
        .unwrap();
    assert_eq!(
        (done.inserted, done.unchanged, done.dry_run),
        (1, 1, false),
        "{:?}",
        done.preview
    );
    assert_eq!(store.summary().unwrap().persons, 2);
    // The problems of the import can still be saved after confirming.
    let saved = session.save_problems(dir.path()).unwrap();
    assert!(saved.exists());
    // Changed options are a new import: run again, it changes nothing.
    let again = session
        .run(
            &store,
            &source,
            &ImportOptions {
                default_year: Some(2025),
                ..Default::default()
            },
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(again.unchanged, 2);
}
