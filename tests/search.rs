//! Search answers what a cadre remembers: a name or part of it, pinyin initials, ID number or
//! its last digits, phone or its first or last digits.

use gridledger::model::PersonInput;

use crate::util::{household, ledger_with_village, person};

fn names(hits: &[gridledger::store::PersonHit]) -> Vec<&str> {
    hits.iter().map(|h| h.name.as_str()).collect()
}

#[test]
fn every_way_of_remembering_a_person_finds_them() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "12号");
    let add = |name: &str, id: &str, phone: &str| {
        store
            .save_person(&PersonInput {
                household_id: Some(h),
                phone: phone.into(),
                ..person(name, id)
            })
            .unwrap();
    };
    add("张三", "11010519491231002X", "13800138000");
    add("张思思", "440524198001010013", "13912345678");
    add("王小明", "110101199003074477", "");
    add("曾国藩", "", "");

    let find = |q: &str| store.find_persons(q, 20).unwrap();
    assert_eq!(
        names(&find("zs")),
        ["张三", "张思思"],
        "initials prefix, exact initials first"
    );
    assert_eq!(names(&find("ZSS")), ["张思思"]);
    assert_eq!(names(&find("zgf")), ["曾国藩"], "a surname's own reading");
    assert_eq!(names(&find("张")), ["张三", "张思思"]);
    assert_eq!(
        names(&find("小明")),
        ["王小明"],
        "a given name finds the full name"
    );
    assert_eq!(
        names(&find("张\u{3000}三")),
        ["张三"],
        "padding inside a name is ignored"
    );
    assert_eq!(
        names(&find("11010519491231002x")),
        ["张三"],
        "whole ID, lower-case x"
    );
    assert_eq!(
        names(&find("110105491231002")),
        ["张三"],
        "the old 15-digit number"
    );
    assert_eq!(names(&find("002X")), ["张三"], "last digits of the ID");
    assert_eq!(names(&find("4477")), ["王小明"]);
    assert_eq!(
        names(&find("139 1234")),
        ["张思思"],
        "phone prefix, with a space"
    );
    assert_eq!(names(&find("8000")), ["张三"], "last digits of the phone");
    assert_eq!(
        names(&find("345678")),
        ["张思思"],
        "six last digits of the phone"
    );
    assert!(
        find("045678").is_empty(),
        "a tail is checked whole, not by four digits"
    );
    assert_eq!(names(&find("思思")), ["张思思"], "a given name");
    assert_eq!(names(&find("国")), ["曾国藩"], "the start of a given name");
    assert_eq!(find("zs")[0].matched_by, "拼音");
    assert_eq!(find("002X")[0].household_label.as_deref(), Some("东街12号"));
    assert!(find("陈").is_empty());
    assert!(find("   ").is_empty());
}

#[test]
fn limit_is_respected_and_results_are_unique() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "1号");
    for i in 0..30 {
        store
            .save_person(&PersonInput {
                household_id: Some(h),
                phone: format!("1380000{i:04}"),
                ..person("张伟", "")
            })
            .unwrap();
    }
    let hits = store.find_persons("zw", 10).unwrap();
    assert_eq!(hits.len(), 10);
    let hits = store.find_persons("1380000", 50).unwrap();
    let mut ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 30);
}

/// A hit says where the person lives well enough to tell two of them apart: the grid, and a
/// 联户组 with its grid (第1联户组 alone is in every grid of the village).
#[test]
fn a_hit_names_the_grid_of_a_household_in_a_group() {
    let (store, grid) = ledger_with_village();
    let group = store
        .add_place(&gridledger::model::PlaceInput {
            parent_id: Some(grid),
            level: "联户组".into(),
            name: "第1联户组".into(),
            ..Default::default()
        })
        .unwrap();
    for (place, door, name) in [(grid, "1号", "张大"), (group.id, "3号", "张小")] {
        let h = household(&store, place, door);
        store
            .save_person(&PersonInput {
                household_id: Some(h),
                ..person(name, "")
            })
            .unwrap();
    }
    let hits = store.find_persons("张", 10).unwrap();
    let wheres: Vec<(&str, Option<&str>, Option<&str>)> = hits
        .iter()
        .map(|h| {
            (
                h.name.as_str(),
                h.place_name.as_deref(),
                h.household_label.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        wheres,
        [
            ("张大", Some("第一网格"), Some("东街1号")),
            ("张小", Some("第一网格 第1联户组"), Some("东街3号")),
        ]
    );
}
