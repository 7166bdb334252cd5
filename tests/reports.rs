//! Reports out: every built-in template exported from a fixture ledger and read back with
//! calamine (values, cell types, merged header ranges), the zero report, masking, totals, and
//! the template file round trip.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use gridledger::model::*;
use gridledger::report::{self, header_layout, ReportParams, Template};
use gridledger::Store;

use crate::util::{household, ledger_with_village, person, today};

/// A small ledger where every kind of record exists once, on known dates.
fn fixture() -> Store {
    let (store, grid) = ledger_with_village();
    store
        .set_setting("report_unit", "青山镇石桥村村委会")
        .unwrap();
    let h = household(&store, grid, "12号");
    let add = |name: &str, id: &str, phone: &str, relation: &str| {
        store
            .save_person(&PersonInput {
                household_id: Some(h),
                phone: phone.into(),
                relation_to_head: relation.into(),
                ..person(name, id)
            })
            .unwrap()
            .person
            .id
    };
    let zhang = add("张三", "11010519491231002X", "13800138000", "户主");
    let wang = add("王五", "440524198001010013", "13912345678", "配偶");
    let li = add("李小明", "110101199003074477", "", "子女");
    let batch = store.begin_batch("录入", None, None).unwrap();
    store
        .add_arrival(
            &Arrival {
                person_id: li,
                kind: "返乡".into(),
                status: "已返".into(),
                arrival_date: "2026-11-10".into(),
                origin_code: Some("440305".into()),
                risk_level: Some("中".into()),
                transport: Some("高铁/火车".into()),
                transport_no: Some("G1234".into()),
                route: Some("深圳北站".into()),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    let iso = store
        .add_isolation(
            &Isolation {
                person_id: li,
                kind: "居家隔离医学观察".into(),
                address: Some("石桥村东街12号".into()),
                start_date: "2026-11-10".into(),
                planned_end_date: "2026-11-23".into(),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    for (day, pm) in [
        ("2026-11-10", 36.5),
        ("2026-11-11", 37.6),
        ("2026-11-22", 36.4),
    ] {
        store
            .add_health_check(
                &HealthCheck {
                    person_id: li,
                    isolation_id: Some(iso),
                    check_date: day.into(),
                    am_temperature: Some(36.3),
                    pm_temperature: Some(pm),
                    symptoms: Symptoms {
                        fever: pm >= 37.3,
                        dry_cough: pm >= 37.3,
                        ..Default::default()
                    },
                    ..Default::default()
                },
                batch,
            )
            .unwrap();
    }
    store
        .add_test(
            &Test {
                person_id: li,
                kind: "核酸".into(),
                sample_date: "2026-11-13".into(),
                result: "阴性".into(),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    for dose in 1..=3 {
        store
            .add_vaccination(
                &Vaccination {
                    person_id: zhang,
                    dose,
                    place_kind: Some("本地".into()),
                    ..Default::default()
                },
                batch,
            )
            .unwrap();
    }
    store
        .add_vaccination(
            &Vaccination {
                person_id: wang,
                dose: 1,
                place_kind: Some("异地".into()),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    let case = store
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
    store
        .add_contact(
            &Contact {
                case_id: case,
                source_person_id: zhang,
                contact_person_id: wang,
                level: "密接".into(),
                contact_way: Some("同处一室".into()),
                last_contact_date: Some("2026-11-19".into()),
                found_date: Some("2026-11-22".into()),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    let village = store
        .places()
        .unwrap()
        .into_iter()
        .find(|p| p.level == "村")
        .unwrap()
        .id;
    let checkpoint = store
        .add_checkpoint(
            &Checkpoint {
                place_id: Some(village),
                name: "东口卡口".into(),
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    store
        .add_checkpoint_check(
            &CheckpointCheck {
                checkpoint_id: checkpoint,
                checked_at: "2026-11-22 09:30".into(),
                name: "赵六".into(),
                id_number: Some("110101199003074477".into()),
                plate: Some("湘A12345".into()),
                passenger_count: 1,
                temperature: Some(36.6),
                disposal: "放行".into(),
                passengers: vec![Passenger {
                    name: "钱七".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
            batch,
        )
        .unwrap();
    store
}

fn params() -> ReportParams {
    ReportParams {
        from: NaiveDate::from_ymd_opt(2026, 11, 1),
        to: Some(today()),
        village: None,
        mask: false,
    }
}

struct Sheet {
    range: calamine::Range<Data>,
    merges: Vec<((u32, u32), (u32, u32))>,
}

impl Sheet {
    fn read(path: &Path) -> Sheet {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        let mut merges: Vec<_> = book
            .merge_cells_by_sheet_name(&name)
            .unwrap()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect();
        merges.sort();
        Sheet { range, merges }
    }

    fn cell(&self, row: u32, col: u32) -> &Data {
        self.range.get_value((row, col)).unwrap_or(&Data::Empty)
    }

    fn text(&self, row: u32, col: u32) -> String {
        match self.cell(row, col) {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    /// The text of a line across the table (填报单位, a footnote): its first cell with text
    /// (on a table printed across pages it starts after the repeated key columns).
    fn line(&self, row: u32) -> String {
        (0..self.range.width() as u32)
            .map(|c| self.text(row, c))
            .find(|t| !t.is_empty())
            .unwrap_or_default()
    }

    /// The first row whose column `col` holds `text`.
    fn row_of(&self, col: u32, text: &str) -> u32 {
        (0..self.range.height() as u32)
            .find(|r| self.text(*r, col) == text)
            .unwrap_or_else(|| panic!("no row with {text} in column {col}"))
    }
}

fn export(
    store: &Store,
    id: &str,
    params: &ReportParams,
    dir: &Path,
) -> (Template, Sheet, report::ExportSummary) {
    let template = report::template(store, id).unwrap();
    let path = dir.join(format!("{}.xlsx", template.name));
    let summary = report::export_xlsx(
        store,
        &template,
        params,
        &path,
        gridledger::files::IfExists::Replace,
    )
    .unwrap();
    (template, Sheet::read(&path), summary)
}

/// Excel's serial number of a date (1900 system).
fn serial(date: &str) -> f64 {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

#[test]
fn every_builtin_template_exports_with_its_header_merged_and_ids_as_text() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let templates = report::builtin_templates();
    assert_eq!(
        templates.len(),
        12,
        "the layouts of FORMS.md §4, the health log in both"
    );
    for template in &templates {
        let (_, sheet, summary) = export(&store, &template.id, &params(), dir.path());
        assert_eq!(sheet.text(0, 0), template.title(), "{}", template.id);
        assert!(
            sheet.line(1).starts_with("填报单位：青山镇石桥村村委会"),
            "{}",
            template.id
        );
        // The header's merged ranges are exactly the layout's multi-cell ones (offset by the
        // title and meta rows), plus the full-width title, meta, zero-report and footer lines.
        let width = template.columns.len() as u32 - 1;
        let header: Vec<_> = header_layout(template)
            .unwrap()
            .into_iter()
            .filter(|c| (c.row, c.col) != (c.last_row, c.last_col))
            .map(|c| {
                (
                    (c.row as u32 + 2, c.col as u32),
                    (c.last_row as u32 + 2, c.last_col as u32),
                )
            })
            .collect();
        for merge in &header {
            assert!(
                sheet.merges.contains(merge),
                "{}: header merge {merge:?} missing from {:?}",
                template.id,
                sheet.merges
            );
        }
        // Lines across the table (title, notes) end at the same column: the whole table's, or
        // the first page's when it prints across pages; they start at the first column, or
        // (the notes of a table printed across pages) after the key columns its pages repeat.
        let header_rows = header_layout(template)
            .unwrap()
            .iter()
            .map(|c| c.last_row)
            .max()
            .unwrap_or(0) as u32
            + 1;
        let lines: Vec<_> = sheet
            .merges
            .iter()
            .filter(|(s, e)| s.0 == e.0 && s.0 != 1 && !(2..2 + header_rows).contains(&s.0))
            .collect();
        let key = template
            .columns
            .iter()
            .position(|c| c.field == "name" || c.field == "village")
            .map_or(0, |k| k as u32 + 1);
        assert!(
            lines.iter().all(|(s, _)| s.1 == 0 || s.1 == key),
            "{}: lines start at the first column or after the key columns: {lines:?}",
            template.id
        );
        let full_width = lines.len();
        assert!(
            lines.windows(2).all(|w| w[0].1 .1 == w[1].1 .1)
                && lines.iter().all(|(_, e)| e.1 >= 1.min(width)),
            "{}: lines across the table {lines:?}",
            template.id
        );
        // The meta row: 填报单位 … on the left, 填报日期 on the right, never cut off.
        let meta = sheet
            .merges
            .iter()
            .filter(|(s, e)| s.0 == 1 && e.0 == 1)
            .count();
        assert!(
            (1..=2).contains(&meta) || width == 0,
            "{}: meta merges {meta}",
            template.id
        );
        let meta_text: String = (0..=width).map(|c| sheet.text(1, c)).collect();
        assert!(
            meta_text.contains("填报日期：2026年11月22日"),
            "{}: {meta_text}",
            template.id
        );
        assert_eq!(
            sheet.merges.len(),
            header.len() + full_width + meta,
            "{}: unexpected merges {:?}",
            template.id,
            sheet.merges
        );
        for cell in header_layout(template).unwrap() {
            assert_eq!(
                sheet.text(cell.row as u32 + 2, cell.col as u32),
                cell.text,
                "{}",
                template.id
            );
        }
        // ID numbers and phones are strings; every date column holds real dates.
        let first_data = 2 + template
            .columns
            .iter()
            .map(|c| c.header.len())
            .max()
            .unwrap() as u32;
        for (col, column) in template.columns.iter().enumerate() {
            for row in first_data..first_data + summary.rows as u32 {
                let cell = sheet.cell(row, col as u32);
                match column.field.as_str() {
                    "id_number" | "phone" | "head_phone" => assert!(
                        matches!(cell, Data::String(_) | Data::Empty),
                        "{} {}: {cell:?}",
                        template.id,
                        column.field
                    ),
                    "arrival_date" | "start_date" | "planned_end_date" | "check_date"
                    | "found_date" | "last_contact_date" => {
                        assert!(
                            matches!(cell, Data::DateTime(_)),
                            "{} {}: {cell:?}",
                            template.id,
                            column.field
                        )
                    }
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn the_returnee_register_holds_the_returnee() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let (_, sheet, summary) = export(&store, "returnees", &params(), dir.path());
    assert_eq!(summary.rows, 1);
    let row = sheet.row_of(1, "李小明");
    let texts: Vec<String> = (0..15).map(|c| sheet.text(row, c)).collect();
    assert_eq!(
        texts[..7],
        [
            "1",
            "李小明",
            "男",
            "110101199003074477",
            "",
            "北京市东城区",
            "广东省深圳市南山区"
        ]
    );
    assert!(matches!(sheet.cell(row, 7), Data::DateTime(d) if d.as_f64() == serial("2026-11-10")));
    assert_eq!(texts[8..13], ["高铁/火车", "G1234", "是", "石桥村", "阴性"]);
    assert_eq!(
        texts[13], "无记录",
        "no vaccination on record is never 未接种"
    );
    assert!(
        sheet.line(row + 2).starts_with("注：") && sheet.line(row + 2).contains("无记录"),
        "the footnote states the form's definitions: {}",
        sheet.line(row + 2)
    );
    assert!(
        sheet.line(row + 3).starts_with("填表人"),
        "the footer follows the data"
    );
}

#[test]
fn the_sars_form_has_its_three_level_header() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let (_, sheet, _) = export(&store, "sars_observation", &params(), dir.path());
    // Header rows 2..=4: 外出情况 spans G..K on row 2, 当地疫情 J..K on row 3, 有/无 on row 4;
    // 姓名 runs down all three rows.
    for merge in [
        ((2, 0), (4, 0)),
        ((2, 6), (2, 10)),
        ((3, 9), (3, 10)),
        ((3, 6), (4, 6)),
        ((2, 11), (2, 13)),
        ((2, 14), (2, 15)),
    ] {
        assert!(
            sheet.merges.contains(&merge),
            "{merge:?} in {:?}",
            sheet.merges
        );
    }
    assert_eq!(
        (
            sheet.text(2, 6),
            sheet.text(3, 9),
            sheet.text(4, 9),
            sheet.text(4, 10)
        ),
        (
            "外出情况".into(),
            "当地疫情".into(),
            "有".into(),
            "无".into()
        )
    );
    let row = sheet.row_of(0, "李小明");
    assert_eq!(
        (sheet.text(row, 9), sheet.text(row, 10)),
        ("√".into(), "".into()),
        "中风险 means 当地疫情：有"
    );
    assert_eq!(
        sheet.cell(row, 14),
        &Data::Float(37.6),
        "the highest temperature since return"
    );
    assert_eq!(sheet.text(row, 15), "有");
    assert_eq!(sheet.text(row, 17), "2026-11-10 起，第 13 天");
}

#[test]
fn counting_templates_count_by_village_with_totals() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let (_, sheet, _) = export(&store, "vaccination_stats", &params(), dir.path());
    let row = sheet.row_of(0, "石桥村");
    let numbers: Vec<f64> = (1..12)
        .map(|c| match sheet.cell(row, c) {
            Data::Float(n) => *n,
            other => panic!("column {c}: {other:?}"),
        })
        .collect();
    // 总户数 1, 户籍人口 3; 第一针 2 (本地 1, 异地 1, 不详 0); 第二针 1 本地; 加强针 1.
    assert_eq!(
        numbers,
        [1.0, 3.0, 2.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]
    );
    let totals = sheet.row_of(0, "合计");
    assert_eq!(sheet.cell(totals, 3), &Data::Float(2.0));

    let (_, daily, summary) = export(&store, "daily_report", &params(), dir.path());
    assert!(!summary.zero_report);
    let row = daily.row_of(0, "石桥村");
    // Over the range from 1 November: 新增返乡 1 (back on the 10th), 累计返乡 1, 在管居家隔离 1,
    // 解除 0, 异常 1, 新增确诊 1 (无症状 0, 疑似 0), 新增密接 1, 次密接 0, 卡口 2 人次 1 车次.
    let counts: Vec<String> = (1..13).map(|c| daily.text(row, c)).collect();
    assert_eq!(
        counts,
        ["1", "1", "1", "0", "1", "1", "0", "0", "1", "0", "2", "1"]
    );
    // For the report day alone: 新增 0, 异常 0.
    let day = ReportParams {
        from: None,
        ..params()
    };
    let (_, daily, _) = export(&store, "daily_report", &day, dir.path());
    let row = daily.row_of(0, "石桥村");
    let counts: Vec<String> = (1..13).map(|c| daily.text(row, c)).collect();
    assert_eq!(
        counts,
        ["0", "1", "1", "0", "0", "0", "0", "0", "1", "0", "2", "1"]
    );
}

#[test]
fn a_day_with_nothing_new_is_still_reported_as_a_zero_report() {
    let (store, grid) = ledger_with_village();
    household(&store, grid, "1号");
    let dir = tempfile::tempdir().unwrap();
    let (_, sheet, summary) = export(&store, "daily_report", &params(), dir.path());
    assert!(summary.zero_report);
    assert_eq!(summary.rows, 1, "the village row is there, all zeros");
    let row = sheet.row_of(0, "石桥村");
    assert!((1..10).all(|c| sheet.cell(row, c) == &Data::Float(0.0)));
    let zero = sheet.row_of(0, "今日各项均无新增，零报告");
    assert!(zero > row);

    let (_, sheet, summary) = export(&store, "returnees", &params(), dir.path());
    assert_eq!((summary.rows, summary.zero_report), (0, true));
    sheet.row_of(0, "本期无来(返)乡人员，零报告");
}

#[test]
fn masking_for_public_posting() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let masked = ReportParams {
        mask: true,
        ..params()
    };
    let (_, sheet, _) = export(&store, "close_contacts", &masked, dir.path());
    let row = sheet.row_of(1, "王五");
    assert_eq!(sheet.text(row, 2), "4405**********0013");
    assert_eq!(sheet.text(row, 9), "139****5678");
}

#[test]
fn filters_by_village_and_date_range() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let before = ReportParams {
        from: None,
        to: NaiveDate::from_ymd_opt(2026, 11, 9),
        ..params()
    };
    assert_eq!(export(&store, "returnees", &before, dir.path()).2.rows, 0);
    let other = ReportParams {
        village: Some("不存在村".into()),
        ..params()
    };
    let error = report::export_xlsx(
        &store,
        &report::template(&store, "returnees").unwrap(),
        &other,
        &dir.path().join("x.xlsx"),
        gridledger::files::IfExists::Refuse,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("找不到村（社区）或网格"),
        "{error}"
    );
    let ours = ReportParams {
        village: Some("石桥村".into()),
        ..params()
    };
    assert_eq!(export(&store, "returnees", &ours, dir.path()).2.rows, 1);
}

#[test]
fn a_template_round_trips_through_its_file_and_can_replace_a_builtin() {
    let (store, _) = ledger_with_village();
    for builtin in report::builtin_templates() {
        let text = builtin.to_json();
        assert_eq!(
            Template::from_json(&text).unwrap(),
            builtin,
            "{}",
            builtin.id
        );
    }
    let mut edited = report::template(&store, "returnees").unwrap();
    edited.columns.swap(1, 2);
    edited.columns[1].header = vec!["性别（男/女）".into()];
    let imported = report::import_template(&store, &edited.to_json()).unwrap();
    assert_eq!(imported, edited);
    let listed = report::templates(&store).unwrap();
    assert_eq!(
        listed.len(),
        12,
        "the edited copy replaces the built-in of the same id"
    );
    let (now, builtin) = listed.iter().find(|(t, _)| t.id == "returnees").unwrap();
    assert_eq!((now, *builtin), (&edited, false));
}

#[test]
fn broken_templates_are_refused_with_the_reason() {
    let refused = |text: &str| Template::from_json(text).unwrap_err().to_string();
    assert!(refused("{").contains("不是有效的 JSON"));
    assert!(refused(r#"{"name": "x"}"#).contains("不是网格一本账的报表模板"));
    let mut t = report::builtin_template("returnees").unwrap();
    t.version = 99;
    assert!(refused(&t.to_json()).contains("请升级"));
    let mut t = report::builtin_template("returnees").unwrap();
    t.columns[3].field = "no_such_field".into();
    assert!(refused(&t.to_json()).contains("no_such_field"));
}

#[test]
fn a_saved_template_can_be_removed_and_a_builtin_comes_back() {
    let (store, _) = ledger_with_village();
    let mut edited = report::template(&store, "daily_report").unwrap();
    edited.name = "石桥村日报".into();
    report::save_template(&store, &edited).unwrap();
    let mut custom = report::template(&store, "returnees").unwrap();
    custom.id = "custom-1".into();
    report::save_template(&store, &custom).unwrap();
    assert_eq!(report::templates(&store).unwrap().len(), 13);

    report::remove_template(&store, "daily_report").unwrap();
    assert_eq!(
        report::template(&store, "daily_report").unwrap().name,
        "每日疫情防控日报",
        "the built-in is back"
    );
    report::remove_template(&store, "custom-1").unwrap();
    assert_eq!(report::templates(&store).unwrap().len(), 12);
    assert!(report::remove_template(&store, "returnees")
        .unwrap_err()
        .to_string()
        .contains("内置模板"));
}

/// A 密接 named by the CDC and registered on the spot has no household, so no village: the
/// per-village forms show them on a 未分村（社区） row (shown only when it counts something), so
/// the rows add up to the list and the overview. Once the person joins a household, the row goes.
#[test]
fn what_belongs_to_no_village_has_its_own_row_and_the_rows_add_up() {
    use gridledger::entry::{self, RecordInput};
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "1号");
    let save = |name: &str, household: Option<i64>| {
        store
            .save_person(&PersonInput {
                household_id: household,
                ..person(name, "")
            })
            .unwrap()
            .person
            .id
    };
    let patient = save("病例甲", Some(h));
    let villager = save("村民乙", Some(h));
    let stranger = save("外人丙", None);
    let record = |kind, person, case_id, values: &[(&str, &str)]| {
        entry::save(
            &store,
            &RecordInput {
                kind: Some(kind),
                person_id: Some(person),
                case_id,
                values: values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let case = record(
        gridledger::model::Entity::Case,
        patient,
        None,
        &[("reported_date", "2026-11-22")],
    );
    for p in [villager, stranger] {
        record(
            gridledger::model::Entity::Contact,
            p,
            Some(case),
            &[("level", "密接"), ("found_date", "2026-11-22")],
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, daily, _) = export(&store, "daily_report", &params(), dir.path());
    let contacts = |row: &str| daily.text(daily.row_of(0, row), 9);
    assert_eq!(
        [
            contacts("石桥村"),
            contacts("未分村（社区）"),
            contacts("合计")
        ],
        ["1", "1", "2"]
    );
    assert_eq!(store.summary().unwrap().contacts, 2);
    assert!(report::check_forms(
        &store,
        &ReportParams {
            to: Some(today()),
            ..Default::default()
        }
    )
    .unwrap()
    .pairs
    .iter()
    .all(|p| p.agree));
    // Filtered to the village, the row is not there; with the stranger in a household, neither.
    let village = ReportParams {
        village: Some("石桥村".into()),
        ..params()
    };
    let (_, only, _) = export(&store, "daily_report", &village, dir.path());
    assert!((0..only.range.height() as u32).all(|r| only.text(r, 0) != "未分村（社区）"));
    entry::move_person(&store, stranger, Some(h), None).unwrap();
    let (_, daily, _) = export(&store, "daily_report", &params(), dir.path());
    assert!((0..daily.range.height() as u32).all(|r| daily.text(r, 0) != "未分村（社区）"));
    assert_eq!(daily.text(daily.row_of(0, "石桥村"), 9), "2");
}

/// A 日报 of a ledger whose 填报单位 was never set names the ledger's village, never a blank.
#[test]
fn the_report_unit_defaults_to_the_ledgers_village() {
    let (store, grid) = ledger_with_village();
    household(&store, grid, "1号");
    let dir = tempfile::tempdir().unwrap();
    let (_, sheet, _) = export(&store, "daily_report", &params(), dir.path());
    let meta: String = (0..10).map(|c| sheet.text(1, c)).collect();
    assert!(meta.starts_with("填报单位：石桥村"), "{meta}");
}

/// A sheet of one place says which on the sheet (范围 and its path, beside 填报单位) and in
/// its file's name, so a grid's form and the village's, or two grids', are told apart; a
/// sheet of the whole ledger says neither.
#[test]
fn a_sheet_of_one_place_names_it_on_the_sheet_and_in_the_file_name() {
    let store = fixture();
    let dir = tempfile::tempdir().unwrap();
    let template = report::template(&store, "returnees").unwrap();
    let export = |params: &ReportParams| {
        report::export_to_dir(
            &store,
            &template,
            params,
            dir.path(),
            &mut report::Watch {
                progress: &mut |_| {},
                cancel: None,
            },
        )
        .unwrap()
    };
    let whole = export(&params());
    let one = export(&ReportParams {
        village: Some("第一网格".into()),
        ..params()
    });
    let name =
        |s: &report::ExportSummary| s.path.file_name().unwrap().to_string_lossy().into_owned();
    let day = today().format("%Y%m%d");
    assert_eq!(name(&whole), format!("来(返)乡人员登记表_{day}.xlsx"));
    assert_eq!(
        name(&one),
        format!("来(返)乡人员登记表_石桥村第一网格_{day}.xlsx")
    );
    let meta = |s: &report::ExportSummary| Sheet::read(&s.path).line(1);
    assert!(!meta(&whole).contains("范围"), "{}", meta(&whole));
    assert!(
        meta(&one).contains("填报单位：青山镇石桥村村委会")
            && meta(&one).contains("范围：石桥村/第一网格"),
        "{}",
        meta(&one)
    );
    assert_eq!(one.rows, whole.rows);
}
