//! Issue 12, "One rulebook per record, and real sheets read as a clerk reads them": one
//! regression test per finding not already held by `doors.rs` (the rules at every door),
//! `real_shapes.rs` (the sheets found in the wild) and `import_fuzz.rs` (a second import
//! writes nothing).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gridledger::import::{self, ImportOptions, ImportReport};
use gridledger::model::PlaceInput;
use gridledger::Store;

use crate::util::today;

fn ledger() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    store
}

fn place(store: &Store, parent: Option<i64>, level: &str, name: &str) -> i64 {
    store
        .add_place(&PlaceInput {
            parent_id: parent,
            level: level.into(),
            name: name.into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn sheet(path: &Path, rows: &[Vec<String>]) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32, c as u16, text).unwrap();
            }
        }
    }
    book.save(path).unwrap();
    path.to_path_buf()
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn run(store: &Store, path: &Path, options: ImportOptions) -> ImportReport {
    import::import_file(store, path, &options, None, &mut |_, _| {}).unwrap()
}

/// The place a person's household sits in, as a path.
fn placed(store: &Store, name: &str) -> String {
    let hit = store.find_persons(name, 1).unwrap();
    let person = store.person(hit[0].id).unwrap();
    store
        .household_summary(person.household_id.unwrap())
        .unwrap()
        .place_path
}

#[test]
fn numbered_grids_keep_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let village = place(&store, None, "村", "石桥村");
    place(&store, Some(village), "网格", "第1网格");
    place(&store, Some(village), "网格", "第2网格");
    let path = sheet(
        &dir.path().join("grids.xlsx"),
        &strings(&[
            &["姓名", "网格", "门牌名", "门牌号"],
            &["一网格人", "第1网格", "东街", "1号"],
            &["二网格人", "第2网格", "东街", "2号"],
            &["一网格甲", "第一网格", "东街", "3号"],
            &["一网格乙", "第１网格", "东街", "4号"],
        ]),
    );
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!((r.inserted, r.rejected_rows), (4, 0), "{:?}", r.problems);
    assert_eq!(placed(&store, "一网格人"), "石桥村/第1网格");
    assert_eq!(placed(&store, "二网格人"), "石桥村/第2网格");
    assert_eq!(
        placed(&store, "一网格甲"),
        "石桥村/第1网格",
        "第一网格 = 第1网格"
    );
    assert_eq!(
        placed(&store, "一网格乙"),
        "石桥村/第1网格",
        "第１网格 = 第1网格"
    );
    // Creating places keeps every number too: 第11网格 is its own grid, never 第网格.
    let path = sheet(
        &dir.path().join("new.xlsx"),
        &strings(&[
            &["姓名", "网格", "门牌名", "门牌号"],
            &["十一网格人", "第11网格", "西街", "1号"],
            &["十一网格乙", "第十一网格", "西街", "2号"],
        ]),
    );
    let r = run(
        &store,
        &path,
        ImportOptions {
            create_places: true,
            ..Default::default()
        },
    );
    assert_eq!(r.inserted, 2, "{:?}", r.problems);
    assert_eq!(
        r.places_created
            .iter()
            .map(|p| (p.path.as_str(), p.rows))
            .collect::<Vec<_>>(),
        [("石桥村/第11网格", 2)]
    );
    assert_eq!(placed(&store, "十一网格乙"), "石桥村/第11网格");
    let grids = store
        .places()
        .unwrap()
        .into_iter()
        .filter(|p| p.level == "网格")
        .count();
    assert_eq!(grids, 3);
}

#[test]
fn a_path_in_one_cell_is_cut_into_its_places() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let path = sheet(
        &dir.path().join("path.xlsx"),
        &strings(&[
            &["姓名", "所属网格", "门牌名", "门牌号"],
            &["北羊人", "居仁街道北羊村第1网格", "北街", "1号"],
            &["南羊人", "居仁街道南羊村第1网格", "南街", "1号"],
        ]),
    );
    let r = run(
        &store,
        &path,
        ImportOptions {
            create_places: true,
            ..Default::default()
        },
    );
    assert_eq!(r.inserted, 2, "{:?}", r.problems);
    assert_eq!(placed(&store, "北羊人"), "居仁街道/北羊村/第1网格");
    assert_eq!(placed(&store, "南羊人"), "居仁街道/南羊村/第1网格");
}

/// A county's sheet: 3,000 returnees across ten villages of 100 numbered grids each, larger
/// than a chunk of the old planner (2,000 rows), imported under a village with places
/// created. (The 100,000-row county sheet is the import benchmark's.)
#[test]
fn a_county_sheet_of_a_thousand_numbered_grids_imports_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    place(&store, None, "村", "石桥村");
    let mut rows = vec![strings(&[&["姓名", "村(社区)", "网格", "返乡日期"]]).remove(0)];
    for i in 0..3_000 {
        let village = i % 10;
        let grid = (i / 10) % 100 + 1;
        // Every third row writes its grid in Chinese numerals: the same grid.
        let grid = if i % 3 == 0 {
            format!("第{}网格", chinese(grid))
        } else {
            format!("第{grid}网格")
        };
        rows.push(vec![
            format!("县民{i}"),
            if village == 0 {
                "石桥村".to_string()
            } else {
                format!("第{village}村")
            },
            grid,
            "2022-01-20".to_string(),
        ]);
    }
    let path = sheet(&dir.path().join("county.xlsx"), &rows);
    let r = run(
        &store,
        &path,
        ImportOptions {
            village: Some("石桥村".into()),
            create_places: true,
            default_year: Some(2022),
            ..Default::default()
        },
    );
    assert_eq!((r.inserted, r.rejected_rows), (3_000, 0));
    let places = store.places().unwrap();
    assert_eq!(places.iter().filter(|p| p.level == "网格").count(), 1_000);
    assert_eq!(places.iter().filter(|p| p.level == "村").count(), 10);
    assert_eq!(
        r.places_created
            .iter()
            .filter(|p| p.level == "网格")
            .map(|p| p.rows)
            .sum::<usize>(),
        3_000,
        "the created grids' true row counts"
    );
}

fn chinese(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ if n.is_multiple_of(10) && n < 100 => format!("{}十", DIGITS[n / 10]),
        _ if n < 100 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => "一百".to_string(),
    }
}

#[test]
fn defaults_that_mean_something_are_said_with_their_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    place(&store, None, "村", "石桥村");
    let path = sheet(
        &dir.path().join("tests.xlsx"),
        &strings(&[
            &["姓名", "身份证号码", "采样日期"],
            &["张三", "11010519491231002X", "2026-11-20"],
            &["李四", "110101199003074477", "2026-11-20"],
        ]),
    );
    let r = run(&store, &path, ImportOptions::default());
    let result = r
        .notices
        .iter()
        .find(|n| n.message.contains("“结果”"))
        .unwrap_or_else(|| panic!("{:?}", r.notices));
    assert_eq!((result.code.as_str(), result.rows), ("default_assumed", 2));
    assert!(result.message.contains("未出"));
}

#[test]
fn a_third_header_row_is_header_not_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    place(&store, None, "村", "石桥村");
    let path = dir.path().join("three.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let merged = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 2, 0, "姓名", &merged).unwrap();
    ws.merge_range(0, 1, 2, 1, "身份证号码", &merged).unwrap();
    ws.merge_range(0, 2, 0, 4, "股权变更情况", &merged).unwrap();
    ws.merge_range(1, 2, 1, 3, "转让", &merged).unwrap();
    ws.merge_range(1, 4, 2, 4, "受让", &merged).unwrap();
    ws.write_string(2, 2, "金额（元）").unwrap();
    ws.write_string(2, 3, "比例").unwrap();
    ws.write_string(3, 0, "张三").unwrap();
    ws.write_string(3, 1, "11010519491231002X").unwrap();
    ws.write_number(3, 2, 5000.0).unwrap();
    ws.write_string(3, 3, "10%").unwrap();
    book.save(&path).unwrap();
    let r = run(&store, &path, ImportOptions::default());
    assert_eq!(r.header_rows, (1, 3), "{:?}", r.columns);
    assert_eq!((r.inserted, r.data_rows), (1, 1));
    let key = |i: usize| r.columns.iter().find(|c| c.index == i).unwrap().key.clone();
    assert_eq!(key(2), "股权变更情况|转让|金额(元)");
}

#[test]
fn column_choices_are_remembered_even_when_the_import_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    place(&store, None, "村", "石桥村");
    let rows = strings(&[
        &["姓名", "身份证号码", "联系人电话"],
        &["张三", "11010519491231002X", "13800138000"],
    ]);
    let path = sheet(&dir.path().join("a.xlsx"), &rows);
    let mut session = import::ImportSession::default();
    let chosen = ImportOptions {
        columns: BTreeMap::from([("联系人电话".to_string(), "phone".to_string())]),
        ..Default::default()
    };
    let preview = session
        .preview(
            &store,
            &import::Source::File(&path),
            &chosen,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(preview.columns[2].field.as_deref(), Some("phone"));
    // Cancelled: nothing imported. The corrected file, picked again, is read the same way.
    drop(session);
    assert_eq!(store.summary().unwrap().persons, 0);
    let again = sheet(&dir.path().join("b.xlsx"), &rows);
    let mut session = import::ImportSession::default();
    let preview = session
        .preview(
            &store,
            &import::Source::File(&again),
            &ImportOptions::default(),
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(preview.columns[2].field.as_deref(), Some("phone"));
}

#[test]
fn a_misspelt_village_is_offered_the_nearest_and_places_are_confirmed_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger();
    let village = place(&store, None, "村", "石桥村");
    let path = sheet(
        &dir.path().join("places.xlsx"),
        &strings(&[
            &["姓名", "所属村", "网格", "门牌名", "门牌号"],
            &["错字人", "石桥材", "", "东街", "1号"],
            &["三网格人", "石桥村", "第3网格", "东街", "3号"],
            &["四网格人", "石桥村", "第4网格", "东街", "4号"],
        ]),
    );
    let r = run(&store, &path, ImportOptions::default());
    let typo = r
        .unknown_places
        .iter()
        .find(|u| u.name == "石桥材")
        .unwrap();
    assert_eq!(
        (typo.suggestion.as_deref(), typo.suggestion_id, typo.rows),
        (Some("石桥村"), Some(village), 1)
    );
    // The clerk takes the suggestion and confirms 第3网格 only.
    let r = run(
        &store,
        &path,
        ImportOptions {
            place_aliases: BTreeMap::from([("石桥材".to_string(), village)]),
            places_to_create: vec!["石桥村/第3网格".into()],
            ..Default::default()
        },
    );
    assert_eq!((r.inserted, r.rejected_rows), (2, 1), "{:?}", r.problems);
    assert_eq!(placed(&store, "错字人"), "石桥村");
    assert_eq!(placed(&store, "三网格人"), "石桥村/第3网格");
    assert_eq!(
        r.unknown_places
            .iter()
            .map(|u| (u.path.as_str(), u.rows))
            .collect::<Vec<_>>(),
        [("石桥村/第4网格", 1)]
    );
}

#[test]
fn pasted_rows_with_their_row_numbers_are_read_under_the_grid() {
    let store = ledger();
    place(&store, None, "村", "石桥村");
    let rows = strings(&[
        &["1", "张三", "11010519491231002X"],
        &["2", "李四", "110101199003074477"],
    ]);
    let r = import::import(
        &store,
        &import::Source::Pasted {
            name: "粘贴的表格",
            rows: &rows,
        },
        &ImportOptions {
            target: Some("persons".into()),
            pasted_header: vec!["姓名".into(), "身份证号码".into()],
            ..Default::default()
        },
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!((r.inserted, r.rejected_rows), (2, 0), "{:?}", r.problems);
    assert!(store.find_persons("张三", 1).unwrap()[0].id > 0);
}

/// One door however a roll spells it: full-width digits, spaces, a 号 or none, in one
/// column or split in two — one household, and a second import of another spelling finds it.
#[test]
fn one_door_however_it_is_spelt_is_one_household() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let mut store = Store::create(&db).unwrap();
    store.set_today(today());
    place(&store, None, "村", "石桥村");
    // Counted with SQL of their own, apart from the store.
    let sql = rusqlite::Connection::open(&db).unwrap();
    let one_column = sheet(
        &dir.path().join("doors.xlsx"),
        &strings(&[
            &["姓名", "与户主关系", "门牌号"],
            &["张三", "户主", "东街８号"],
            &["李芳", "配偶", "东街8号"],
            &["张小明", "子女", "东 街 8"],
        ]),
    );
    let report = run(&store, &one_column, ImportOptions::default());
    assert_eq!(report.inserted, 3, "{:?}", report.problems);
    let households = |_: &Store| -> i64 {
        sql.query_row("SELECT count(*) FROM households", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(households(&store), 1, "three spellings, one door");
    let two_columns = sheet(
        &dir.path().join("doors2.xlsx"),
        &strings(&[
            &["姓名", "与户主关系", "门牌名", "门牌号"],
            &["张老四", "父母", "东 街", "８"],
        ]),
    );
    let report = run(&store, &two_columns, ImportOptions::default());
    assert_eq!(report.inserted, 1, "{:?}", report.problems);
    assert_eq!(
        households(&store),
        1,
        "the door split in two columns is the same door"
    );
    let members: i64 = sql
        .query_row(
            "SELECT count(*) FROM persons WHERE household_id = (SELECT id FROM households)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(members, 4);
}
