//! Excel in: one fixture per quirk (tests/fixtures/import/, made by make_fixtures.py with real
//! producers), each asserting exact counts and values; hostile files that must be refused
//! with a specific message and write nothing; idempotence; the review list.

use std::path::{Path, PathBuf};

use gridledger::files::IfExists;
use gridledger::import::{self, ImportOptions, ImportReport, ReviewDecision};
use gridledger::model::PlaceInput;
use gridledger::Store;

use crate::util::today;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// An empty ledger with the village imports put new households in.
fn ledger() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    with_village(store)
}

/// Adds the village new households from an import go into.
fn with_village(store: Store) -> Store {
    store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap();
    store
}

fn run(store: &Store, name: &str, options: ImportOptions) -> ImportReport {
    import::import_file(store, &fixture(name), &options, None, &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn import(store: &Store, name: &str) -> ImportReport {
    run(store, name, ImportOptions::default())
}

/// (inserted, updated, unchanged, skipped, review, refused); rows whose person was taken
/// but whose record was not are counted by `partial`.
fn counts(r: &ImportReport) -> (usize, usize, usize, usize, usize, usize) {
    (
        r.inserted,
        r.updated,
        r.unchanged,
        r.skipped_rows,
        r.review,
        r.rejected_rows,
    )
}

fn person(store: &Store, query: &str) -> gridledger::model::PersonProfile {
    let hits = store.find_persons(query, 5).unwrap();
    assert_eq!(hits.len(), 1, "{query}: {hits:?}");
    store.person_profile(hits[0].id).unwrap()
}

#[test]
fn title_meta_instruction_blank_total_and_footer_rows_are_skipped() {
    let store = ledger();
    let r = import(&store, "title_instruction.xlsx");
    assert_eq!(
        (
            r.target.as_str(),
            r.sheet.as_str(),
            r.header_rows,
            r.first_data_row
        ),
        ("arrivals", "返乡人员", (3, 3), 5)
    );
    assert_eq!(
        counts(&r),
        (3, 0, 0, 6, 0, 0),
        "title, 填报单位, 填写说明, a blank row, 合计, footer"
    );
    let li = person(&store, "李四");
    assert_eq!(li.person.phone.as_deref(), Some("13912345678"));
    assert_eq!(li.person.gender.as_deref(), Some("女"));
    let a = &li.arrivals[0];
    assert_eq!(
        (
            a.arrival_date.as_str(),
            a.transport.as_deref(),
            a.transport_no.as_deref()
        ),
        ("2026-11-12", Some("自驾车"), Some("湘A12345"))
    );
    assert_eq!(a.origin_address.as_deref(), Some("浙江省杭州市西湖区"));
    // Provenance: the batch names the file; the person page lists it.
    assert!(li
        .sources
        .iter()
        .any(|b| b.kind == "导入" && b.source_file.as_deref() == Some("title_instruction.xlsx")));
}

#[test]
fn the_same_file_twice_changes_nothing_the_second_time() {
    let store = ledger();
    assert_eq!(
        counts(&import(&store, "title_instruction.xlsx")),
        (3, 0, 0, 6, 0, 0)
    );
    let before = store.summary().unwrap();
    assert_eq!(
        counts(&import(&store, "title_instruction.xlsx")),
        (0, 0, 3, 6, 0, 0)
    );
    // The same sheet saved by LibreOffice as .ods is the same data.
    assert_eq!(
        counts(&import(&store, "title_instruction.ods")),
        (0, 0, 3, 6, 0, 0)
    );
    assert_eq!(store.summary().unwrap(), before);
}

#[test]
fn a_three_level_merged_header_reads_parent_child_columns() {
    for file in ["sars_three_level.xlsx", "sars_three_level.xls"] {
        let store = ledger();
        let r = import(&store, file);
        assert_eq!(r.header_rows, (2, 4), "{file}");
        let keys: Vec<&str> = r.columns.iter().map(|c| c.key.as_str()).collect();
        assert!(
            keys.contains(&"外出情况|具体地址")
                && keys.contains(&"外出情况|当地疫情|有")
                && keys.contains(&"返回情况|返回时间"),
            "{file}: {keys:?}"
        );
        let origin = r
            .columns
            .iter()
            .find(|c| c.key == "外出情况|具体地址")
            .unwrap();
        assert_eq!(origin.field.as_deref(), Some("origin"));
        assert_eq!(counts(&r), (1, 0, 0, 1, 0, 0), "{file}");
        let zhao = person(&store, "赵六");
        assert_eq!(zhao.arrivals[0].arrival_date, "2026-11-05");
        assert_eq!(
            zhao.arrivals[0].origin_address.as_deref(),
            Some("湖北省武汉市武昌区")
        );
        assert_eq!(zhao.arrivals[0].transport.as_deref(), Some("高铁/火车"));
        assert_eq!(
            zhao.person.current_address.as_deref(),
            Some("石桥村东街1号")
        );
    }
}

#[test]
fn ids_stored_as_numbers_are_flagged_never_repaired() {
    let store = ledger();
    let r = import(&store, "ids_as_numbers.xlsx");
    assert_eq!(counts(&r), (3, 0, 0, 0, 0, 0));
    let p = &r.problems[0];
    assert_eq!(
        (p.sheet.as_str(), p.row, p.column.as_str(), p.code.as_str()),
        ("Sheet1", 2, "身份证号", "id_truncated")
    );
    assert!(p.warning && p.message.contains("被 Excel 截断"));
    // The person is kept, never with a "repaired" number: the ID left empty, marked to
    // be collected again, and the mangled text kept as it was.
    let zhang = person(&store, "张三");
    assert_eq!(zhang.person.id_number, None);
    assert!(zhang
        .person
        .tags
        .contains(&gridledger::model::ID_TO_RECHECK.to_string()));
    // The 15-digit number survives as a number and is upgraded; the phone number is text.
    let qian = person(&store, "钱七");
    assert_eq!(qian.person.id_number.as_deref(), Some("11010519491231002X"));
    assert_eq!(qian.person.phone.as_deref(), Some("13900001111"));
}

#[test]
fn text_dates_full_width_digits_and_odd_spaces() {
    let store = ledger();
    let r = import(&store, "text_dates_fullwidth.xlsx");
    assert_eq!(counts(&r), (5, 0, 0, 0, 0, 0));
    assert_eq!(
        r.partial_rows, 1,
        "钱七 is registered; the impossible date keeps out only the arrival"
    );
    let dates: Vec<String> = ["张三", "李四", "王五", "赵六", "孙八"]
        .iter()
        .map(|n| person(&store, n).arrivals[0].arrival_date.clone())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-11-10",
            "2026-11-12",
            "2026-11-15",
            "2026-11-18",
            "2026-11-19"
        ]
    );
    // 张\u{3000}三 with a full-width, space-padded ID is the plain 张三.
    assert!(person(&store, "张三")
        .person
        .id_number
        .as_deref()
        .unwrap()
        .starts_with("430182198001150"));
    let warnings: Vec<_> = r.problems.iter().filter(|p| p.warning).collect();
    assert_eq!(
        (warnings.len(), warnings[0].row, warnings[0].code.as_str()),
        (1, 5, "date_year_assumed")
    );
    let error = r.problems.iter().find(|p| !p.warning).unwrap();
    assert_eq!(
        (
            error.row,
            error.column.as_str(),
            error.value.as_str(),
            error.code.as_str()
        ),
        (6, "返乡日期", "2026-02-30", "date_impossible")
    );
}

#[test]
fn gbk_and_utf8_csv_read_the_same() {
    for file in ["gbk.csv", "utf8_bom.csv"] {
        let store = ledger();
        let r = import(&store, file);
        assert_eq!(
            (r.target.as_str(), counts(&r)),
            ("persons", (3, 0, 0, 0, 0, 0)),
            "{file}"
        );
        let zhang = person(&store, "张三");
        assert_eq!(
            (
                zhang.person.current_address.as_deref(),
                zhang.person.relation_to_head.as_deref()
            ),
            (Some("石桥村东街12号"), Some("户主"))
        );
        assert_eq!(
            person(&store, "周九").person.relation_to_head.as_deref(),
            Some("户主"),
            "本人 means 户主"
        );
    }
}

#[test]
fn duplicates_within_and_across_files_and_the_review_list() {
    let store = ledger();
    import(&store, "gbk.csv");
    // Within a file: 张三 twice with the ID written differently is one person.
    assert_eq!(
        counts(&import(&store, "duplicates_a.xlsx")),
        (0, 0, 3, 0, 0, 0)
    );
    // Across files: 李四 by name + phone (unchanged), 张三 by name + birth date only (review),
    // 吴十 new.
    let r = import(&store, "duplicates_b.xlsx");
    assert_eq!(counts(&r), (1, 0, 1, 0, 1, 0));
    assert_eq!(store.summary().unwrap().persons, 4);
    let reviews = store.open_reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        (reviews[0].candidate_name.as_str(), reviews[0].row_number),
        ("张三", 3)
    );
    // Importing again lists nothing twice.
    import(&store, "duplicates_b.xlsx");
    assert_eq!(store.open_reviews().unwrap().len(), 1);
    // The clerk says it is the same 张三: the new phone is merged into the register.
    let id = import::resolve_review(&store, reviews[0].id, ReviewDecision::Merge)
        .unwrap()
        .unwrap();
    assert_eq!(id, reviews[0].candidate_person_id);
    assert_eq!(
        store.person(id).unwrap().phone.as_deref(),
        Some("13011112222")
    );
    assert!(store.open_reviews().unwrap().is_empty());
    assert_eq!(store.summary().unwrap().persons, 4);
}

#[test]
fn a_dry_run_counts_the_same_and_writes_nothing() {
    let store = ledger();
    let dry = run(
        &store,
        "title_instruction.xlsx",
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!(counts(&dry), (3, 0, 0, 6, 0, 0));
    assert_eq!(store.summary().unwrap().persons, 0);
    let real = import(&store, "title_instruction.xlsx");
    assert_eq!(counts(&real), counts(&dry));
}

#[test]
fn a_mapping_chosen_once_is_reused_for_the_same_header() {
    let store = ledger();
    // Import the GBK list as arrivals? No: as persons, but leave 现住址 out.
    let mut columns = std::collections::BTreeMap::new();
    columns.insert("现住址".to_string(), String::new());
    run(
        &store,
        "gbk.csv",
        ImportOptions {
            columns,
            ..Default::default()
        },
    );
    assert_eq!(person(&store, "张三").person.current_address, None);
    // The same header again: the saved mapping still leaves 现住址 out.
    let again = import(&store, "utf8_bom.csv");
    assert_eq!(
        again
            .columns
            .iter()
            .find(|c| c.key == "现住址")
            .unwrap()
            .field,
        None
    );
}

#[test]
fn hostile_files_are_refused_with_a_message_and_write_nothing() {
    let store = ledger();
    for (file, expected, code) in [
        ("truncated.xlsx", "已损坏、不完整", "file_damaged"),
        (
            "not_a_spreadsheet.xlsx",
            "不是可识别的表格文件",
            "file_not_spreadsheet",
        ),
        ("encrypted.xlsx", "设有打开密码", "file_encrypted"),
        ("empty.csv", "是空文件", "file_empty"),
    ] {
        let error = import::import_file(
            &store,
            &fixture(file),
            &ImportOptions::default(),
            None,
            &mut |_, _| {},
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(file) && message.contains(expected),
            "{file}: {message}"
        );
        assert_eq!(error.code().as_str(), code, "{file}");
    }
    let missing = import::import_file(
        &store,
        &fixture("no-such-file.xlsx"),
        &ImportOptions::default(),
        None,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(missing.to_string().contains("无法读取"));
    assert_eq!(missing.code().as_str(), "file_unreadable");
    let summary = store.summary().unwrap();
    assert_eq!((summary.persons, summary.households), (0, 0));
}

#[test]
fn the_problems_workbook_lists_every_problem_and_the_rows_to_fix() {
    use calamine::{open_workbook, Reader, Xlsx};
    let store = ledger();
    let r = import(&store, "text_dates_fullwidth.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("问题.xlsx");
    import::save_problems_xlsx(&r, &path, IfExists::Refuse, &[]).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let list = book.worksheet_range("问题清单").unwrap();
    assert_eq!(list.height(), 1 + r.problems.len());
    let rows = book.worksheet_range("待修改的行").unwrap();
    assert_eq!(rows.height(), 2, "the header and the one row to fix");
    assert_eq!(rows.get_value((1, 0)).unwrap().to_string(), "钱七");
    assert!(rows
        .get_value((1, 4))
        .unwrap()
        .to_string()
        .contains("不存在"));
}

#[test]
fn every_record_type_of_the_forms_imports() {
    let store = ledger();
    import(&store, "gbk.csv"); // 张三, 李四, 周九

    // A daily check belongs to a period: without one, the reading is refused.
    let r = import(&store, "health_log.xlsx");
    assert_eq!(r.partial_rows, 3, "nobody is under watch yet");
    assert!(r
        .problems
        .iter()
        .all(|p| p.code == "not_in_period" || p.warning));
    let batch = store.begin_batch("录入", None, None).unwrap();
    for name in ["张三", "李四"] {
        let id = person(&store, name).person.id;
        store
            .add_isolation(
                &gridledger::model::Isolation {
                    person_id: id,
                    kind: "居家健康监测".into(),
                    start_date: "2026-11-19".into(),
                    planned_end_date: "2026-11-25".into(),
                    ..Default::default()
                },
                batch,
            )
            .unwrap();
    }
    let r = import(&store, "health_log.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r)),
        ("health_checks", (3, 0, 0, 1, 0, 0))
    );
    // 李四's afternoon "三十六" is not a number: left out with a warning, the morning kept.
    let warning = &r.problems[0];
    assert_eq!(
        (warning.code.as_str(), warning.warning),
        ("value_kept_as_original", true)
    );
    assert!(
        warning.message.contains("三十六") || warning.message.contains("不是数字"),
        "{}",
        warning.message
    );
    let li_check = &person(&store, "李四").health_checks[0];
    assert_eq!(
        (li_check.am_temperature, li_check.pm_temperature),
        (Some(36.4), None)
    );
    let zhang = person(&store, "张三");
    let fever_day = zhang
        .health_checks
        .iter()
        .find(|c| c.check_date == "2026-11-21")
        .unwrap();
    assert_eq!(
        (fever_day.am_temperature, fever_day.pm_temperature),
        (Some(36.6), Some(37.6))
    );
    assert!(fever_day.symptoms.fever && fever_day.symptoms.dry_cough && fever_day.symptoms.fatigue);

    let r = import(&store, "isolation_list.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r)),
        ("isolations", (2, 0, 0, 0, 0, 0))
    );
    let wang = person(&store, "王五");
    assert_eq!(
        (
            wang.isolations[0].kind.as_str(),
            wang.isolations[0].planned_end_date.as_str()
        ),
        ("居家隔离医学观察", "2026-11-28")
    );
    let zhao = person(&store, "赵六");
    assert_eq!(
        (
            zhao.isolations[0].kind.as_str(),
            zhao.isolations[0].planned_end_date.as_str()
        ),
        ("集中隔离", "2026-12-01"),
        "14 days when no end is given"
    );

    let r = import(&store, "tests.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r)),
        ("tests", (2, 0, 0, 0, 0, 0))
    );
    assert!(person(&store, "王五")
        .tests
        .iter()
        .all(|t| t.result == "阴性"));

    let r = import(&store, "vaccinations.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r)),
        ("vaccinations", (3, 0, 0, 0, 0, 0))
    );
    let doses: Vec<(i64, Option<String>)> = person(&store, "李四")
        .vaccinations
        .iter()
        .map(|v| (v.dose, v.place_kind.clone()))
        .collect();
    assert_eq!(
        doses,
        [
            (1, Some("本地".into())),
            (2, Some("异地".into())),
            (3, Some("本地".into()))
        ]
    );

    let r = import(&store, "checkpoint.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r)),
        ("checkpoint_checks", (3, 0, 0, 0, 0, 0))
    );
    let sightings = person(&store, "张三").checkpoint_sightings;
    assert_eq!(
        (
            sightings[0].checked_at.as_str(),
            sightings[0].plate.as_deref()
        ),
        ("2026-11-21 09:30", Some("湘A12345")),
        "linked by ID number"
    );
    assert_eq!(
        store.find_persons("过路人", 5).unwrap().len(),
        0,
        "travellers are not added to the register"
    );
    assert_eq!(
        counts(&import(&store, "checkpoint.xlsx")),
        (0, 0, 3, 0, 0, 0)
    );
}

#[test]
fn contacts_link_to_a_registered_case_or_say_why_not() {
    use gridledger::model::Case;
    let store = ledger();
    import(&store, "gbk.csv");
    let zhang = person(&store, "张三").person.id;
    let batch = store.begin_batch("录入", None, None).unwrap();
    store
        .add_case(
            &Case {
                person_id: zhang,
                kind: "确诊".into(),
                reported_date: "2026-11-20".into(),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    let r = import(&store, "contacts.xlsx");
    assert_eq!(
        (r.target.as_str(), counts(&r), r.partial_rows),
        ("contacts", (2, 0, 0, 0, 0, 0), 1),
        "郑一 is registered; the link to an unknown case is not"
    );
    let refused = r.problems.iter().find(|p| !p.warning).unwrap();
    assert_eq!(
        (refused.row, refused.column.as_str(), refused.code.as_str()),
        (4, "关联病例", "case_unknown")
    );
    let li = person(&store, "李四");
    assert_eq!(
        (
            li.exposed_by[0].contact.level.as_str(),
            li.exposed_by[0].source_name.as_str()
        ),
        ("密接", "张三")
    );
    let wu = person(&store, "吴十");
    assert_eq!(wu.exposed_by[0].contact.level, "次密接");
    assert_eq!(
        person(&store, "张三").exposed.len(),
        2,
        "the chain is traced both ways"
    );
}

#[test]
fn zero_one_columns_need_their_legend_and_values_have_synonyms() {
    let store = ledger();
    let r = import(&store, "legend_yes_no.xlsx");
    assert_eq!(counts(&r), (2, 0, 0, 0, 0, 0));
    assert_eq!(
        person(&store, "张三").arrivals[0].risk_level.as_deref(),
        Some("中"),
        "1=是: from a risk area"
    );
    assert_eq!(person(&store, "李四").arrivals[0].risk_level, None);
    assert_eq!(
        person(&store, "李四").person.unvaccinated_reason.as_deref(),
        Some("哺乳期"),
        "哺乳 means 哺乳期"
    );
    // Without a legend the 0/1 cannot be read: the person is kept, the value left out and
    // its text kept, with a warning.
    let r = import(&store, "no_legend.xlsx");
    assert_eq!(
        counts(&r),
        (0, 0, 1, 0, 0, 0),
        "张三 and the arrival are already in the ledger"
    );
    assert!(r.problems[0].warning);
    assert!(
        r.problems[0].message.contains("没有图例"),
        "{}",
        r.problems[0].message
    );
}

/// A returnee sheet of `rows` rows with valid, distinct IDs.
fn large_sheet(path: &Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "身份证号码", "联系电话", "返乡日期", "出发地"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..rows {
        let first17 = format!(
            "430182{}{:02}{:02}{:03}",
            1950 + i % 50,
            1 + i % 12,
            1 + i % 28,
            i / 600 % 1000
        );
        let id = format!(
            "{first17}{}",
            gridledger::validate::check_character(&first17)
        );
        let r = i as u32 + 1;
        sheet.write_string(r, 0, format!("返乡人{i}")).unwrap();
        sheet.write_string(r, 1, &id).unwrap();
        sheet.write_string(r, 2, format!("139{:08}", i)).unwrap();
        sheet.write_string(r, 3, "2026-11-10").unwrap();
        sheet.write_string(r, 4, "广东省深圳市南山区").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn a_killed_import_leaves_all_of_the_batch_or_none() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    const ROWS: i64 = 12_000;
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("large.xlsx");
    large_sheet(&sheet, ROWS as usize);
    let db = dir.path().join("ledger.db");
    drop(ledger_file(&db));
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let counts = |db: &Path| -> (i64, i64, Vec<String>) {
        let store = Store::open(db).unwrap();
        let problems = store.integrity_problems().unwrap();
        drop(store);
        let conn = rusqlite::Connection::open(db).unwrap();
        let persons: i64 = conn
            .query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
            .unwrap();
        let arrivals: i64 = conn
            .query_row("SELECT count(*) FROM arrivals", [], |r| r.get(0))
            .unwrap();
        (persons, arrivals, problems)
    };
    let mut killed_mid_way = 0;
    for delay_ms in [150u64, 600, 1200, 2500, 4000] {
        let started = Instant::now();
        let mut child = Command::new(cli)
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&sheet)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let (persons, arrivals, problems) = counts(&db);
        assert!(
            problems.is_empty(),
            "after a kill at {delay_ms} ms: {problems:?}"
        );
        assert!(
            (persons, arrivals) == (0, 0) || (persons, arrivals) == (ROWS, ROWS),
            "after a kill at {delay_ms} ms: {persons} persons, {arrivals} arrivals"
        );
        if !finished && arrivals == 0 {
            killed_mid_way += 1;
        }
        if arrivals == ROWS {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    }
    assert!(
        killed_mid_way >= 1,
        "at least one kill landed before the import committed"
    );
    // The import, run to the end, takes all rows once.
    let done = Command::new(cli)
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&sheet)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(counts(&db).1, ROWS);
}

/// A ledger file with a village (for tests that run the CLI on it).
fn ledger_file(path: &Path) -> Store {
    with_village(Store::create(path).unwrap())
}

/// A register sheet longer than the chunks an import writes in: a household whose members are
/// thousands of rows apart, a person listed twice far apart, and a village the sheet creates
/// at its top and names again at its bottom all come out as one, exactly as the preview (which
/// plans the whole sheet before writing) said.
#[test]
fn a_sheet_longer_than_a_chunk_imports_as_one() {
    const ROWS: usize = 5_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.xlsx");
    let id = |i: usize| {
        let first17 = format!(
            "43018219{:02}{:02}{:02}{:03}",
            50 + i % 40,
            1 + i % 12,
            1 + i % 28,
            i % 1000
        );
        format!(
            "{first17}{}",
            gridledger::validate::check_character(&first17)
        )
    };
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut row =
        |village: &str, door: usize, name: &str, id: String, relation: &str, phone: &str| {
            rows.push([
                village.into(),
                format!("{door}号"),
                name.into(),
                id,
                relation.into(),
                phone.into(),
            ])
        };
    // A village the sheet creates, in its first chunk …
    row("新建村", 1, "新村户主", id(ROWS + 2), "户主", "");
    // … one person per household in 石桥村 …
    for i in 0..ROWS {
        row("石桥村", i + 1, &format!("村民{i}"), id(i), "户主", "");
    }
    // … and far below: the spouse of the head of door 3 (so the same household), the person
    // of door 2 again with a phone, and a second member of the new village's household.
    row("石桥村", 3, "村民配偶", id(ROWS + 1), "配偶", "");
    row("石桥村", 2, "村民1", id(1), "户主", "13912345678");
    row("新建村", 1, "新村配偶", id(ROWS + 3), "配偶", "");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "所属村",
        "门牌号",
        "姓名",
        "身份证号码",
        "与户主关系",
        "联系电话",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    book.save(&path).unwrap();

    let options = ImportOptions {
        create_places: true,
        ..Default::default()
    };
    let db = dir.path().join("ledger.db");
    let store = ledger_file(&db);
    let preview = import::import_file(
        &store,
        &path,
        &ImportOptions {
            dry_run: true,
            ..options.clone()
        },
        None,
        &mut |_, _| {},
    )
    .unwrap();
    let done = import::import_file(&store, &path, &options, None, &mut |_, _| {}).unwrap();
    assert_eq!(
        counts(&done),
        counts(&preview),
        "the import does what the preview said"
    );
    // Row two of 村民1 adds a phone to a person this import registers: one person, not an
    // update of the ledger's.
    assert_eq!(
        (done.inserted, done.updated, done.unchanged),
        (ROWS + 3, 0, 1)
    );
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT count(*) FROM persons"), ROWS as i64 + 3);
    assert_eq!(one("SELECT count(*) FROM households"), ROWS as i64 + 1);
    assert_eq!(one("SELECT count(*) FROM places WHERE name = '新建村'"), 1);
    let together = |a: &str, b: &str| {
        one(&format!(
            "SELECT count(*) FROM persons p JOIN persons q ON p.household_id = q.household_id \
             WHERE p.name = '{a}' AND q.name = '{b}'"
        ))
    };
    assert_eq!(
        together("村民2", "村民配偶"),
        1,
        "door 3's household, thousands of rows up"
    );
    assert_eq!(
        together("新村户主", "新村配偶"),
        1,
        "the new village's household"
    );
    assert_eq!(
        one("SELECT count(*) FROM persons WHERE phone = '13912345678' AND name = '村民1'"),
        1
    );
    assert_eq!(
        one("SELECT count(DISTINCT batch_id) FROM record_sources"),
        1,
        "one batch"
    );
}

/// One ID number under two names in a sheet: the second row is refused (or, when the first
/// is already in the register, sent to review), never a person quietly renamed, and a second
/// import of the sheet changes nothing.
#[test]
fn one_id_number_with_two_names_is_never_one_renamed_person() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roll.csv");
    std::fs::write(
        &path,
        "姓名,身份证号码,联系电话\n周志强,430182198805123013,13807310001\n王五,110101199003070839,\n赵强,430182198805123013,13807310008\n",
    )
    .unwrap();
    let store = ledger();
    let first = import::import_file(
        &store,
        &path,
        &ImportOptions::default(),
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(
        (first.inserted, first.rejected_rows),
        (2, 1),
        "{:?}",
        first.problems
    );
    assert_eq!(first.problems[0].code, "id_two_names");
    let p = person(&store, "430182198805123013");
    assert_eq!(
        (p.person.name.as_str(), p.person.phone.as_deref()),
        ("周志强", Some("13807310001"))
    );
    // Again: 周志强 is in the register now; the other name goes to review, nothing flips.
    let again = import::import_file(
        &store,
        &path,
        &ImportOptions::default(),
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(
        (again.updated, again.review),
        (0, 1),
        "{:?}",
        again.problems
    );
    let p = person(&store, "430182198805123013");
    assert_eq!(p.person.phone.as_deref(), Some("13807310001"));
}

/// A temperature sheet names people under watch; a name the register does not know is
/// refused, never registered as a new, empty person.
#[test]
fn a_reading_for_a_stranger_registers_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("temps.csv");
    std::fs::write(&path, "姓名,监测日期,上午体温\n陌生人,2026-11-20,36.5\n").unwrap();
    let store = ledger();
    let before = store.summary().unwrap().persons;
    let r = import::import_file(
        &store,
        &path,
        &ImportOptions {
            target: Some("health_checks".into()),
            ..Default::default()
        },
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!((r.inserted, r.rejected_rows), (0, 1));
    assert_eq!(r.problems[0].code, "person_unknown");
    assert_eq!(store.summary().unwrap().persons, before);
}

/// What the trial clerk's county sheet did wrong, each now right: a door written whole in one
/// column finds the household already there, a member of it listed without an ID is that
/// member (not a second one), a note under the table is not a row, and a refused row says
/// whose it is.
#[test]
fn a_county_sheet_finds_the_households_and_members_already_there() {
    let store = ledger();
    let village = store.places().unwrap()[0].id;
    let h = store
        .save_household(&gridledger::model::HouseholdInput {
            place_id: Some(village),
            door_name: "东街".into(),
            door_number: "3号".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    store
        .save_person(&gridledger::model::PersonInput {
            name: "李秀秀".into(),
            household_id: Some(h),
            relation_to_head: "户主".into(),
            ..Default::default()
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.csv");
    std::fs::write(
        &path,
        "姓名,身份证号码,门牌号,与户主关系,联系电话\n\
         李秀秀,,东街3号,户主,13807310011\n\
         王新,,东街3号,配偶,\n\
         赵错,4.30182E+17,东街5号,户主,\n\
         备注：此表每日下午4点前报镇防控办。,,,,\n",
    )
    .unwrap();
    let r = import::import_file(
        &store,
        &path,
        &ImportOptions::default(),
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(
        (r.inserted, r.updated, r.rejected_rows),
        (2, 1, 0),
        "{:?}",
        r.problems
    );
    assert!(
        r.problems.iter().all(|p| p.warning),
        "the note is not a row"
    );
    // 赵错's ID was mangled by Excel: she is kept at her door, her ID to be collected again.
    let mangled = r
        .problems
        .iter()
        .find(|p| p.code == "id_truncated")
        .unwrap();
    assert_eq!((mangled.row, mangled.name.as_str()), (4, "赵错"));
    assert_eq!(
        r.skipped
            .iter()
            .map(|s| (s.row, s.reason.as_str()))
            .collect::<Vec<_>>(),
        [(5, "note")]
    );
    let household = store.household(h).unwrap();
    let mut members: Vec<&str> = household.members.iter().map(|m| m.name.as_str()).collect();
    members.sort();
    assert_eq!(members, ["李秀秀", "王新"]);
    assert_eq!(
        store.summary().unwrap().households,
        2,
        "no second 东街3号; 东街5号 for 赵错"
    );
    assert_eq!(
        person(&store, "李秀秀").person.phone.as_deref(),
        Some("13807310011")
    );
}
