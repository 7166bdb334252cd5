//! Issue 13, "Forms that agree at every level": one test per finding, on a small township
//! typed through the core — a false 零报告 for a grid, a township's own households dropped,
//! links and arrivals counted as persons, ranges ignored by the lists, rows left out without
//! a word, a `check forms` that could not fail. The property test over random townships is in
//! `forms.rs`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gridledger::entry::{self, RecordInput};
use gridledger::model::{Entity, HouseholdInput, PersonInput, PlaceInput};
use gridledger::report::{self, Cell, ReportParams, Template};
use gridledger::Store;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The report day of these tests; the ledger's today is later, so records after it exist.
const DAY: &str = "2026-11-20";

/// 青山镇 › 东坪村 › 第一网格 › 第一组, 东坪村 › 第二网格, 西坪村 › 第一网格, and a
/// household kept on the township itself.
struct Town {
    store: Store,
    town: i64,
    east_grid: i64,
    east_group: i64,
    east_grid2: i64,
    west: i64,
}

impl Town {
    fn new() -> Town {
        let mut store = Store::open_in_memory().unwrap();
        store.set_today(date("2026-11-30"));
        store
            .set_setting(gridledger::store::counts::EPOCH_SETTING, "2026-11-01")
            .unwrap();
        let place = |parent: Option<i64>, level: &str, name: &str| {
            store
                .add_place(&PlaceInput {
                    parent_id: parent,
                    level: level.into(),
                    name: name.into(),
                    ..Default::default()
                })
                .unwrap()
                .id
        };
        let town = place(None, "乡镇", "青山镇");
        let east = place(Some(town), "村", "东坪村");
        let east_grid = place(Some(east), "网格", "第一网格");
        let east_group = place(Some(east_grid), "联户组", "第一组");
        let east_grid2 = place(Some(east), "网格", "第二网格");
        let west = place(Some(town), "村", "西坪村");
        place(Some(west), "网格", "第一网格");
        Town {
            store,
            town,
            east_grid,
            east_group,
            east_grid2,
            west,
        }
    }

    fn household(&self, place: i64, door: &str) -> i64 {
        self.store
            .save_household(&HouseholdInput {
                place_id: Some(place),
                door_name: "街".into(),
                door_number: door.into(),
                ..Default::default()
            })
            .unwrap()
            .id
    }

    fn person(&self, household: Option<i64>, name: &str) -> i64 {
        self.store
            .save_person(&PersonInput {
                name: name.into(),
                household_id: household,
                ..Default::default()
            })
            .unwrap()
            .person
            .id
    }

    fn add(&self, kind: Entity, person: i64, pairs: &[(&str, &str)]) -> i64 {
        self.save(RecordInput {
            kind: Some(kind),
            person_id: Some(person),
            ..values(pairs)
        })
    }

    fn save(&self, input: RecordInput) -> i64 {
        entry::save(&self.store, &input)
            .unwrap_or_else(|e| panic!("{:?}: {e:?}", input.kind))
            .id
    }

    fn params(&self, from: Option<&str>, place: Option<i64>) -> ReportParams {
        ReportParams {
            from: from.map(date),
            to: Some(date(DAY)),
            village: place.map(|p| p.to_string()),
            mask: false,
        }
    }

    /// A form's rows as the preview (= the export) shows them, by their first cell, and its
    /// field keys.
    fn form(&self, id: &str, params: &ReportParams) -> (Vec<String>, Vec<Vec<String>>) {
        let template = report::template(&self.store, id).unwrap();
        let preview = report::preview(&self.store, &template, params, 10_000).unwrap();
        let keys = template.columns.iter().map(|c| c.field.clone()).collect();
        (keys, preview.rows)
    }

    /// The row named `name` of a per-place form, as field key → value.
    fn row(&self, id: &str, params: &ReportParams, name: &str) -> BTreeMap<String, String> {
        let (keys, rows) = self.form(id, params);
        let row = rows
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("《{id}》 has no row {name}: {rows:?}"));
        keys.into_iter().zip(row.iter().cloned()).collect()
    }

    fn check(&self, params: &ReportParams) -> Vec<String> {
        report::check_forms(&self.store, params)
            .unwrap()
            .disagreements()
            .map(|p| {
                format!(
                    "《{}》{}: {:?} vs {:?}",
                    p.left.form, p.what, p.left.value, p.right.value
                )
            })
            .collect()
    }
}

fn values(pairs: &[(&str, &str)]) -> RecordInput {
    RecordInput {
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Default::default()
    }
}

#[test]
fn a_grid_or_a_group_has_its_own_row_and_never_a_false_zero_report() {
    let t = Town::new();
    let home = t.household(t.east_group, "1号");
    let back = t.person(Some(home), "赵返乡");
    t.add(
        Entity::Arrival,
        back,
        &[("arrival_date", DAY), ("kind", "返乡")],
    );
    t.add(
        Entity::Isolation,
        back,
        &[
            ("kind", "居家隔离医学观察"),
            ("start_date", "2026-11-18"),
            ("planned_end_date", "2026-12-01"),
        ],
    );
    for place in [t.east_grid, t.east_group] {
        let params = t.params(None, Some(place));
        let template = report::template(&t.store, "daily_report").unwrap();
        let preview = report::preview(&t.store, &template, &params, 100).unwrap();
        assert_eq!(
            preview.zero_report, None,
            "a grid with a returnee has no 零报告"
        );
        let name = if place == t.east_grid {
            "东坪村/第一网格"
        } else {
            "东坪村/第一组"
        };
        let row = t.row("daily_report", &params, name);
        assert_eq!(
            (row["new_arrivals"].as_str(), row["home_isolation"].as_str()),
            ("1", "1")
        );
        assert_eq!(
            preview.rows.len(),
            1,
            "the one row of the place chosen: {:?}",
            preview.rows
        );
        // The lists of the same place say the same.
        assert_eq!(
            t.form("returnees", &t.params(Some(DAY), Some(place)))
                .1
                .len(),
            1
        );
        assert_eq!(t.form("home_isolation", &params).1.len(), 1);
        assert!(t.check(&params).is_empty(), "{:?}", t.check(&params));
    }
    // The other grid of the village is empty: its zero report is true.
    let empty = t.params(None, Some(t.east_grid2));
    let template = report::template(&t.store, "daily_report").unwrap();
    let preview = report::preview(&t.store, &template, &empty, 100).unwrap();
    assert!(preview.zero_report.is_some());
}

#[test]
fn a_townships_own_households_count_in_its_forms() {
    let t = Town::new();
    let own = t.household(t.town, "镇1号");
    let a = t.person(Some(own), "镇上人甲");
    t.add(
        Entity::Arrival,
        a,
        &[("arrival_date", DAY), ("kind", "返乡")],
    );
    t.add(
        Entity::Isolation,
        a,
        &[
            ("kind", "居家隔离医学观察"),
            ("start_date", "2026-11-19"),
            ("planned_end_date", "2026-12-02"),
        ],
    );
    let b = t.person(Some(t.household(t.west, "西1号")), "西坪人乙");
    t.add(
        Entity::Arrival,
        b,
        &[("arrival_date", DAY), ("kind", "返乡")],
    );
    let params = t.params(None, Some(t.town));
    let unassigned = t.row("daily_report", &params, "未分村（社区）");
    assert_eq!(unassigned["new_arrivals"], "1");
    assert_eq!(unassigned["home_isolation"], "1");
    assert_eq!(
        t.row("daily_report", &params, "西坪村")["new_arrivals"],
        "1"
    );
    let template = report::template(&t.store, "daily_report").unwrap();
    let preview = report::preview(&t.store, &template, &params, 100).unwrap();
    let totals = preview.totals.unwrap();
    assert_eq!(
        totals[1], "2",
        "合计 新增 is everyone the township's list holds"
    );
    assert_eq!(
        t.form("returnees", &t.params(Some(DAY), Some(t.town)))
            .1
            .len(),
        2
    );
    assert!(t.check(&params).is_empty(), "{:?}", t.check(&params));
}

#[test]
fn each_count_counts_persons_once_and_says_so() {
    let t = Town::new();
    let h = t.household(t.east_grid, "2号");
    let twice = t.person(Some(h), "钱两回");
    t.add(
        Entity::Arrival,
        twice,
        &[("arrival_date", "2026-11-05"), ("kind", "返乡")],
    );
    t.add(
        Entity::Arrival,
        twice,
        &[("arrival_date", "2026-11-15"), ("kind", "返乡")],
    );
    let old = t.person(Some(h), "孙去年");
    t.add(
        Entity::Arrival,
        old,
        &[("arrival_date", "2025-12-20"), ("kind", "返乡")],
    );
    let guest = t.person(Some(h), "李外来");
    t.add(
        Entity::Arrival,
        guest,
        &[("arrival_date", "2026-11-10"), ("kind", "外来")],
    );
    // 周密接 is a 密接 of two cases, found on the report day.
    let contact = t.person(Some(h), "周密接");
    for patient in ["病人一", "病人二"] {
        let p = t.person(None, patient);
        let case = t.add(Entity::Case, p, &[("reported_date", "2026-11-19")]);
        t.save(RecordInput {
            kind: Some(Entity::Contact),
            person_id: Some(contact),
            case_id: Some(case),
            ..values(&[
                ("level", "密接"),
                ("found_date", DAY),
                ("last_contact_date", DAY),
            ])
        });
    }
    let params = t.params(None, None);
    let row = t.row("daily_report", &params, "东坪村");
    assert_eq!(row["new_close_contacts"], "1", "one person on two links");
    assert_eq!(
        row["total_arrivals"], "2",
        "钱两回 once, 李外来 once; 孙去年 before the epidemic's start"
    );
    // The lists hold the links and the arrivals (人次): two rows each.
    assert_eq!(
        t.form("close_contacts", &t.params(Some(DAY), None)).1.len(),
        2
    );
    assert_eq!(
        t.form("returnees", &t.params(Some("2026-11-01"), None))
            .1
            .len(),
        3
    );
    // 返乡人员登记（按户）: persons who came home (not 外来), in the range from the epidemic's start.
    let (keys, rows) = t.form("returnee_households", &params);
    let at = keys.iter().position(|k| k == "returnee_count").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][at], "1",
        "钱两回 once; not 孙去年 (2025), not 李外来 (外来)"
    );
    // Headers and footnotes say what is counted.
    let daily = report::template(&t.store, "daily_report").unwrap();
    let headers: Vec<String> = daily.columns.iter().map(|c| c.header.join("/")).collect();
    for header in [
        "新增来(返)乡人数",
        "累计来(返)乡人数",
        "在管居家隔离人数",
        "当日解除人数",
    ] {
        assert!(
            headers.iter().any(|h| h == header),
            "{header} in {headers:?}"
        );
    }
    assert!(headers.iter().any(|h| h.contains("卡口检查/人次")));
    let preview = report::preview(&t.store, &daily, &params, 100).unwrap();
    let notes = preview.definitions.unwrap();
    assert!(
        notes.contains("每人计一次") && notes.contains("人次"),
        "{notes}"
    );
    assert!(t.check(&params).is_empty(), "{:?}", t.check(&params));
}

#[test]
fn every_list_honours_its_range_as_the_counts_do() {
    let t = Town::new();
    let h = t.household(t.east_grid, "3号");
    // Past their planned end (11-20) and never released: still under watch on 11-21.
    for name in ["吴逾期", "郑逾期"] {
        let p = t.person(Some(h), name);
        t.add(
            Entity::Isolation,
            p,
            &[
                ("kind", "居家隔离医学观察"),
                ("start_date", "2026-11-07"),
                ("planned_end_date", "2026-11-20"),
            ],
        );
    }
    let day = |from: &str, to: &str| ReportParams {
        from: Some(date(from)),
        to: Some(date(to)),
        village: None,
        mask: false,
    };
    let range = day("2026-11-21", "2026-11-21");
    assert_eq!(t.form("home_isolation", &range).1.len(), 2);
    assert_eq!(t.form("health_log_by_person", &range).1.len(), 2);
    let (keys, rows) = t.form("daily_report", &range);
    let at = keys.iter().position(|k| k == "home_isolation").unwrap();
    assert_eq!(rows[0][at], "2");
    // A form says the range it used; one that cannot use it says so.
    let stats = report::template(&t.store, "returnee_stats").unwrap();
    let notes = report::preview(&t.store, &stats, &day("2026-11-01", "2026-11-20"), 10)
        .unwrap()
        .definitions
        .unwrap();
    assert!(
        notes.contains("统计区间为2026年11月1日至2026年11月20日"),
        "{notes}"
    );
    let vaccination = report::template(&t.store, "vaccination_stats").unwrap();
    let notes = report::preview(&t.store, &vaccination, &day("2026-11-01", "2026-11-20"), 10)
        .unwrap()
        .definitions
        .unwrap();
    assert!(notes.contains("本表不按开始日期统计"), "{notes}");
    assert!(t.check(&range).is_empty(), "{:?}", t.check(&range));
}

#[test]
fn rows_a_form_used_to_drop_have_a_row_or_a_column_of_their_own() {
    let t = Town::new();
    // A returnee the ledger keeps in no household: a county's sheet names only the village.
    let rows: Vec<Vec<String>> = [
        ["姓名", "来(返)乡日期", "所属村（社区）"],
        ["无户人", "2026-11-12", "东坪村"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let imported = gridledger::import::import(
        &t.store,
        &gridledger::import::Source::Pasted {
            name: "县里的表",
            rows: &rows,
        },
        &gridledger::import::ImportOptions {
            target: Some("arrivals".into()),
            ..Default::default()
        },
        None,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(imported.inserted, 1, "{:?}", imported.problems);
    let h = t.household(t.east_grid, "4号");
    let member = t.person(Some(h), "有户人");
    t.add(
        Entity::Arrival,
        member,
        &[("arrival_date", "2026-11-13"), ("kind", "返乡")],
    );
    let params = t.params(None, None);
    let (keys, rows) = t.form("returnee_households", &params);
    let at = keys.iter().position(|k| k == "returnee_count").unwrap();
    let unassigned = rows
        .iter()
        .find(|r| r.contains(&"未分户".to_string()))
        .unwrap();
    assert_eq!(unassigned[at], "1");
    let template = report::template(&t.store, "returnee_households").unwrap();
    let totals = report::preview(&t.store, &template, &params, 100)
        .unwrap()
        .totals
        .unwrap();
    assert_eq!(totals[at], "2", "the 合计 is everyone who came home");

    // A household archived: its member is 户籍人口 of no village any more, but still counted.
    let archived = t.household(t.west, "西2号");
    t.person(Some(archived), "旧户人");
    t.store.archive_household(archived).unwrap();
    let stats = t.params(None, None);
    let west = t.row("returnee_stats", &stats, "西坪村");
    assert_eq!(west["registered_persons"], "0");
    assert_eq!(
        t.row("returnee_stats", &stats, "未分村（社区）")["registered_persons"],
        "2"
    );

    // A dose without 接种地点 is 不详: the three columns add up to the total.
    t.add(
        Entity::Vaccination,
        member,
        &[("dose", "1"), ("vaccine_date", "2021-05-01")],
    );
    t.add(
        Entity::Vaccination,
        member,
        &[
            ("dose", "2"),
            ("vaccine_date", "2021-06-01"),
            ("place_kind", "本地"),
        ],
    );
    let row = t.row("vaccination_stats", &stats, "东坪村");
    assert_eq!(
        (
            row["dose:1:total"].as_str(),
            row["dose:1:不详"].as_str(),
            row["dose:1:本地"].as_str()
        ),
        ("1", "1", "0")
    );
    assert_eq!(
        (row["dose:2:total"].as_str(), row["dose:2:本地"].as_str()),
        ("1", "1")
    );
    assert!(t.check(&stats).is_empty(), "{:?}", t.check(&stats));
}

#[test]
fn check_forms_notices_a_broken_template_and_a_wrong_count() {
    let t = Town::new();
    let h = t.household(t.east_grid, "5号");
    let p = t.person(Some(h), "冯返乡");
    t.add(
        Entity::Arrival,
        p,
        &[("arrival_date", DAY), ("kind", "返乡")],
    );
    t.add(
        Entity::Isolation,
        p,
        &[
            ("kind", "居家隔离医学观察"),
            ("start_date", "2026-11-19"),
            ("planned_end_date", "2026-12-02"),
        ],
    );
    let params = t.params(None, None);
    assert!(t.check(&params).is_empty(), "{:?}", t.check(&params));

    // A township's copy of the returnee list that keeps only 将返: the check names it.
    let mut broken: Template = report::template(&t.store, "returnees").unwrap();
    broken.filter.statuses = vec!["将返".into()];
    report::save_template(&t.store, &broken).unwrap();
    let found = t.check(&t.params(Some(DAY), None));
    assert!(
        found
            .iter()
            .any(|d| d.contains("来(返)乡人员登记表") && d.contains("行数")),
        "{found:?}"
    );
    report::remove_template(&t.store, "returnees").unwrap();

    // A count that is wrong by one (a fault put into the 在管 count of the 日报).
    let verdict = report::check_forms_with(&t.store, &params, &mut |template, p, each| {
        let at = template
            .columns
            .iter()
            .position(|c| c.field == "home_isolation");
        report::form_rows(&t.store, template, p, &mut |mut row| {
            if let Some(Cell::Number(n)) = at.and_then(|at| row.get_mut(at)) {
                *n += 1.0;
            }
            each(row)
        })
    })
    .unwrap();
    let wrong: Vec<_> = verdict.disagreements().collect();
    assert!(!wrong.is_empty());
    assert!(
        wrong.iter().all(|d| d.what.contains("在管居家隔离人数")),
        "{wrong:?}"
    );
    assert_eq!(wrong[0].left.value, Some(2.0));
    assert_eq!(wrong[0].right.value, Some(1.0));
}

#[test]
fn a_zero_report_the_ledger_does_not_bear_out_is_refused() {
    let t = Town::new();
    let daily = report::template(&t.store, "daily_report").unwrap();
    // An empty ledger: the 零报告 is true and is written.
    let empty = t.params(None, None);
    assert!(report::zero_report_gate(&t.store, &daily, &empty).is_ok());
    let p = t.person(Some(t.household(t.west, "西3号")), "陈返乡");
    t.add(
        Entity::Arrival,
        p,
        &[("arrival_date", DAY), ("kind", "返乡")],
    );
    // A form whose counts came out 0 (a fault in its counting) cannot write a 零报告.
    let refused =
        report::zero_report_gate_with(&t.store, &daily, &empty, &mut |template, params, each| {
            report::form_rows(&t.store, template, params, &mut |mut row| {
                for cell in row.iter_mut() {
                    if let Cell::Number(n) = cell {
                        *n = 0.0;
                    }
                }
                each(row)
            })
        })
        .unwrap_err();
    assert_eq!(refused.code().as_str(), "forms_disagree");
    assert!(
        refused.to_string().contains("新增来(返)乡人员 1"),
        "{refused}"
    );
}
