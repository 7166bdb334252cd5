//! The register through the store: what a cadre does by hand, and what must never happen to
//! a record.

use gridledger::demo::{self, DemoOptions};
use gridledger::model::{HouseholdInput, PersonInput};
use gridledger::Store;

use crate::util::{household, ledger_with_village, person, today};

#[test]
fn a_valid_id_derives_sex_birth_date_and_hukou_on_save() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "12号");
    let saved = store
        .save_person(&PersonInput {
            household_id: Some(h),
            relation_to_head: "户主".into(),
            ..person("张三", "11010519491231002X")
        })
        .unwrap();
    let p = saved.person;
    assert_eq!(
        (
            p.gender.as_deref(),
            p.birth_date.as_deref(),
            p.hukou_code.as_deref()
        ),
        (Some("女"), Some("1949-12-31"), Some("110105"))
    );
    assert_eq!(p.name_initials, "zs");
    let profile = store.person_profile(p.id).unwrap();
    assert_eq!(profile.age, Some(76));
    assert_eq!(profile.hukou_place.as_deref(), Some("北京市朝阳区"));
    assert_eq!(
        profile.household.unwrap().head_name.as_deref(),
        Some("张三")
    );
    assert_eq!(profile.sources.len(), 1);
    assert_eq!(profile.sources[0].kind, "录入");
}

#[test]
fn an_invalid_id_is_refused_on_its_field_and_nothing_is_written() {
    let (store, _) = ledger_with_village();
    let error = store
        .save_person(&person("李四", "110101199003070830"))
        .unwrap_err();
    assert_eq!(error.code().as_str(), "value_invalid");
    let problems = error.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].field.as_str(), problems[0].code.as_str()),
        ("id_number", "id_check_digit")
    );
    assert!(problems[0].message.contains("应为 9"));
    assert_eq!(store.summary().unwrap().persons, 0);
}

#[test]
fn one_id_number_is_one_person() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "12号");
    let holder = store
        .save_person(&PersonInput {
            household_id: Some(h),
            ..person("张三", "11010519491231002X")
        })
        .unwrap()
        .person
        .id;
    // The same number typed differently (full width, lower-case x, spaces) is the same number.
    let error = store
        .save_person(&person("张 三", "１１０１０５ 19491231002x"))
        .unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.code, "id_duplicate");
    assert_eq!(
        problem.person_id,
        Some(holder),
        "the window opens the holder by id"
    );
    assert!(
        problem.message.contains("张三（东街12号）"),
        "{}",
        problem.message
    );
    // A 15-digit number upgrades to the same 18-digit one.
    assert_eq!(
        store
            .save_person(&person("张三", "110105491231002"))
            .unwrap_err()
            .problems()[0]
            .code,
        "id_duplicate"
    );
}

#[test]
fn a_household_has_one_head() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "3号");
    let head = |name: &str, id: &str| PersonInput {
        household_id: Some(h),
        relation_to_head: "户主".into(),
        ..person(name, id)
    };
    store
        .save_person(&head("王五", "440524198001010013"))
        .unwrap();
    let error = store
        .save_person(&head("赵六", "110101199003074477"))
        .unwrap_err();
    assert_eq!(error.problems()[0].code, "second_head");
    assert!(error.problems()[0].message.contains("王五"));
}

#[test]
fn editing_keeps_the_person_and_replaces_tags() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "5号");
    let first = store
        .save_person(&PersonInput {
            household_id: Some(h),
            tags: vec!["独居老人".into(), "困难群体".into()],
            ..person("钱七", "")
        })
        .unwrap()
        .person;
    assert_eq!(first.tags, ["困难群体", "独居老人"]);
    let edited = store
        .save_person(&PersonInput {
            id: Some(first.id),
            household_id: Some(h),
            phone: "+86 139-0000-1111".into(),
            tags: vec!["独居老人".into()],
            ..person("钱七", "")
        })
        .unwrap()
        .person;
    assert_eq!(edited.id, first.id);
    assert_eq!(edited.phone.as_deref(), Some("13900001111"));
    assert_eq!(edited.tags, ["独居老人"]);
    assert_eq!(store.summary().unwrap().persons, 1);
}

#[test]
fn archiving_hides_but_never_deletes() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "8号");
    let p = store
        .save_person(&PersonInput {
            household_id: Some(h),
            ..person("孙八", "110101199003074477")
        })
        .unwrap()
        .person;
    store.archive_person(p.id).unwrap();
    assert!(store.find_persons("孙八", 10).unwrap().is_empty());
    assert!(store.household(h).unwrap().members.is_empty());
    assert!(
        store.person(p.id).unwrap().archived_at.is_some(),
        "the record is still there"
    );
    // The archived person's number is still taken: no silent duplicate, and the problem
    // names the archived holder so the window opens them (a search would not find them).
    let taken = store
        .save_person(&person("孙八", "110101199003074477"))
        .unwrap_err();
    assert_eq!(
        (
            taken.problems()[0].code.as_str(),
            taken.problems()[0].person_id
        ),
        ("id_duplicate", Some(p.id))
    );
    store.restore_person(p.id).unwrap();
    assert_eq!(store.find_persons("孙八", 10).unwrap().len(), 1);
    assert_eq!(
        store.archive_person(9999).unwrap_err().code().as_str(),
        "not_found"
    );
}

#[test]
fn households_need_a_place_and_a_door_and_list_with_heads() {
    let (store, grid) = ledger_with_village();
    let error = store
        .save_household(&HouseholdInput {
            place_id: Some(grid),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(error.problems()[0].code, "door_missing");
    let error = store
        .save_household(&HouseholdInput {
            door_number: "1号".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(error.problems()[0].field, "place_id");
    for door in ["10号", "2号", "1号"] {
        household(&store, grid, door);
    }
    let doors: Vec<String> = store
        .households(None, false)
        .unwrap()
        .iter()
        .map(|h| h.label())
        .collect();
    assert_eq!(
        doors,
        ["东街1号", "东街2号", "东街10号"],
        "door numbers sort as numbers"
    );
    let village = store.places().unwrap()[0].id;
    assert_eq!(
        store.households(Some(village), false).unwrap().len(),
        3,
        "a village lists the households of its grids"
    );
}

#[test]
fn a_failed_write_inside_a_transaction_leaves_nothing() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "9号");
    let result: gridledger::Result<()> = store.in_transaction(|| {
        store.save_person(&PersonInput {
            household_id: Some(h),
            ..person("周九", "")
        })?;
        store.save_person(&person("吴十", "110101199003070830"))?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(
        store.summary().unwrap().persons,
        0,
        "the first person was rolled back with the batch"
    );
}

#[test]
fn the_sample_village_is_a_working_ledger() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    let report = demo::fill(&mut store, DemoOptions::default()).unwrap();
    assert_eq!(report.households, 300);
    assert!(
        (900..1200).contains(&report.persons),
        "about 1,000 persons: {}",
        report.persons
    );
    assert!(
        report.arrivals > 20 && report.isolations > 5 && report.health_checks > 50,
        "{report:?}"
    );
    assert!(
        report.contacts >= 3 && report.checkpoint_checks == 60,
        "{report:?}"
    );
    let summary = store.summary().unwrap();
    assert_eq!(
        (summary.households, summary.persons, summary.cases),
        (300, report.persons as i64, 1)
    );
    assert!(
        summary.under_watch > 0 && summary.checkpoint_checks_today > 0,
        "{summary:?}"
    );
    assert!(store.integrity_problems().unwrap().is_empty());
    // A second fill would mix samples into real data: refused.
    assert_eq!(
        demo::fill(&mut store, DemoOptions::default())
            .unwrap_err()
            .code()
            .as_str(),
        "conflict"
    );
}

#[test]
fn the_contact_chain_is_traced_both_ways_on_the_person_page() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    demo::fill(&mut store, DemoOptions::default()).unwrap();
    // Find a 次密接 and walk up to the case, then back down.
    let second = (1..5000)
        .filter_map(|id| store.person_profile(id).ok())
        .find(|p| p.exposed_by.iter().any(|l| l.contact.level == "次密接"))
        .expect("the sample has a contact of a contact");
    let link = &second.exposed_by[0];
    let source = store.person_profile(link.contact.source_person_id).unwrap();
    assert_eq!(source.exposed_by[0].contact.level, "密接");
    assert!(source
        .exposed
        .iter()
        .any(|l| l.contact.contact_person_id == second.person.id));
    let case_person = store
        .person_profile(source.exposed_by[0].contact.source_person_id)
        .unwrap();
    assert_eq!(case_person.cases[0].kind, "确诊");
    assert!(case_person
        .exposed
        .iter()
        .any(|l| l.contact.contact_person_id == source.person.id));
    // A contact under watch has daily checks and tests on the page.
    assert!(
        !second.isolations.is_empty()
            && !second.health_checks.is_empty()
            && !second.tests.is_empty()
    );
}

#[test]
fn persons_without_a_household_are_listed_for_placing() {
    let (store, grid) = ledger_with_village();
    let h = household(&store, grid, "1号");
    store
        .save_person(&PersonInput {
            household_id: Some(h),
            ..person("有户", "")
        })
        .unwrap();
    let loose = store.save_person(&person("无户", "")).unwrap().person;
    let listed: Vec<String> = store
        .persons_without_household(10)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(listed, ["无户"]);
    store.archive_person(loose.id).unwrap();
    assert!(store.persons_without_household(10).unwrap().is_empty());
}

/// Places nest five deep at most (县 › 乡镇 › 村 › 网格 › 联户组), each level only under a higher
/// one; the lists and forms find the village, grid and township of a household at the deepest
/// level (the query reaches them with five joins, not a walk of the tree).
#[test]
fn places_nest_five_deep_and_the_lists_find_every_level() {
    use gridledger::model::PlaceInput;
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    let mut parent = None;
    let mut ids = Vec::new();
    for (level, name) in [
        ("县", "青山县"),
        ("乡镇", "青山镇"),
        ("村", "石桥村"),
        ("网格", "第一网格"),
        ("联户组", "第三组"),
    ] {
        let id = store
            .add_place(&PlaceInput {
                parent_id: parent,
                level: level.into(),
                name: name.into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        ids.push(id);
        parent = Some(id);
    }
    // Nothing goes under a 联户组, nor a level under its equal.
    for (level, under) in [("网格", ids[4]), ("村", ids[2])] {
        assert!(store
            .add_place(&PlaceInput {
                parent_id: Some(under),
                level: level.into(),
                name: "再下一层".into(),
                ..Default::default()
            })
            .is_err());
    }
    let h = household(&store, ids[4], "1号");
    let p = store
        .save_person(&PersonInput {
            household_id: Some(h),
            ..person("王五", "")
        })
        .unwrap()
        .person
        .id;
    gridledger::entry::save(
        &store,
        &gridledger::entry::RecordInput {
            kind: Some(gridledger::model::Entity::Isolation),
            person_id: Some(p),
            values: [("start_date".to_string(), "2026-11-20".to_string())].into(),
            ..Default::default()
        },
    )
    .unwrap();
    let round = store.watch_list(today(), None).unwrap();
    assert_eq!(
        (
            round[0].who.village.as_deref(),
            round[0].who.grid.as_deref()
        ),
        (Some("石桥村"), Some("第一网格"))
    );
    // Asked for any level above, the household is in it.
    for id in &ids {
        assert_eq!(
            store.watch_list(today(), Some(*id)).unwrap().len(),
            1,
            "place {id}"
        );
    }
    let preview = gridledger::report::preview(
        &store,
        &gridledger::report::template(&store, "daily_report").unwrap(),
        &Default::default(),
        10,
    )
    .unwrap();
    assert_eq!(preview.rows[0][0], "石桥村");
}
