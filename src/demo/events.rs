//! The sample's events: vaccinations, returnees (with an isolation or monitoring period when
//! they come from a riskier place), the periods themselves with a check for each day and their
//! tests, a confirmed case with its contact chain, and the visit notes of the grid's workers.

use chrono::Duration;

use super::{save, save_input, DemoReport, Gen, ORIGINS};
use crate::entry::{self, Reading, RecordInput};
use crate::error::Result;
use crate::model::*;
use crate::store::Store;

/// Two or three doses (three for seven in ten): the first 640–670 days ago, each next one
/// about 60 days later.
pub(super) fn vaccinate(store: &Store, gen: &mut Gen, person_id: i64) -> Result<()> {
    let doses = if gen.chance(70) { 3 } else { 2 };
    for dose in 1..=doses {
        let days_ago = 700 - dose * 60 + gen.rng.i64(0..30);
        let place_kind = if gen.chance(85) { "本地" } else { "异地" };
        let name = (*gen.pick(&["北京生物", "科兴中维", "智飞龙科马"])).to_string();
        save(
            store,
            Entity::Vaccination,
            Some(person_id),
            &[
                ("dose", dose.to_string()),
                ("vaccine_date", gen.day(days_ago)),
                ("place_kind", place_kind.into()),
                ("vaccine_name", name),
            ],
        )?;
    }
    Ok(())
}

/// About 7 in 100 adults came back from elsewhere in the last four weeks (or will within three
/// days); those from a middle- or high-risk place are put under watch.
pub(super) fn returnees(
    store: &Store,
    gen: &mut Gen,
    adults: &[i64],
    report: &mut DemoReport,
) -> Result<()> {
    let chosen: Vec<i64> = adults.iter().copied().filter(|_| gen.chance(7)).collect();
    for person_id in chosen {
        let (_, address) = *gen.pick(ORIGINS);
        let days_ago = gen.rng.i64(-3..28);
        let risk = *gen.pick(&["低", "低", "低", "中", "高"]);
        let transport = *gen.pick(&[
            "高铁/火车",
            "高铁/火车",
            "自驾车",
            "大巴车/长途客车",
            "飞机",
            "网约车",
        ]);
        let transport_no = match transport {
            "高铁/火车" => format!("G{}", gen.rng.u32(1000..2000)),
            "飞机" => format!("CZ{}", gen.rng.u32(3000..4000)),
            "自驾车" => format!("湘A{:05}", gen.rng.u32(0..100000)),
            _ => String::new(),
        };
        let reason = (*gen.pick(&["探亲", "春节返乡", "务工结束", "休假"])).to_string();
        let arrival_id = save(
            store,
            Entity::Arrival,
            Some(person_id),
            &[
                ("kind", "返乡".into()),
                ("arrival_date", gen.day(days_ago)),
                ("origin", address.into()),
                ("risk_level", risk.into()),
                ("transport", transport.into()),
                ("transport_no", transport_no),
                ("reason", reason),
                ("health_code", "绿码".into()),
            ],
        )?;
        report.arrivals += 1;
        if days_ago >= 0 && risk != "低" {
            let (kind, days) = if risk == "高" {
                ("居家隔离医学观察", 14)
            } else {
                ("居家健康监测", 7)
            };
            watch(
                store,
                gen,
                person_id,
                kind,
                days_ago,
                days,
                Cause::Arrival(arrival_id),
                report,
            )?;
        }
    }
    Ok(())
}

/// Why a sample period began.
enum Cause {
    Arrival(i64),
    Contact(i64),
}

/// An isolation or monitoring period that began `days_ago`, with a check for each day so far,
/// tests on days 1, 4 and 7 (scheduled by the period, sampled on their day), and its release
/// when it ended before today.
#[allow(clippy::too_many_arguments)] // reason: one call per cause; a struct would only rename the arguments
fn watch(
    store: &Store,
    gen: &mut Gen,
    person_id: i64,
    kind: &str,
    days_ago: i64,
    days: i64,
    cause: Cause,
    report: &mut DemoReport,
) -> Result<()> {
    let start = gen.today - Duration::days(days_ago);
    let planned_end = start + Duration::days(days - 1);
    let mut values = vec![
        ("kind", kind.to_string()),
        ("start_date", start.to_string()),
        ("planned_end_date", planned_end.to_string()),
        ("test_days", "1,4,7".into()),
        ("responsible", "村医 王建华".into()),
    ];
    if kind == "集中隔离" {
        values.push(("site_name", "青山镇集中隔离点（青山宾馆）".into()));
        values.push(("room_number", format!("{}", gen.rng.u32(201..320))));
    }
    let (arrival, contact) = match cause {
        Cause::Arrival(a) => (Some(a), None),
        Cause::Contact(c) => (None, Some(c)),
    };
    let isolation_id = save_input(
        store,
        RecordInput {
            kind: Some(Entity::Isolation),
            person_id: Some(person_id),
            cause_arrival_id: arrival,
            cause_contact_id: contact,
            values: values
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            ..Default::default()
        },
    )?;
    report.isolations += 1;
    let last = planned_end.min(gen.today);
    let mut day = start;
    while day <= last {
        let am = 36.0 + f64::from(gen.rng.u32(0..9)) / 10.0;
        let mut pm = 36.0 + f64::from(gen.rng.u32(0..9)) / 10.0;
        let fever = gen.chance(3);
        if fever {
            pm = 37.6;
        }
        let symptoms = if fever && gen.chance(50) {
            "发热、乏力"
        } else if fever {
            "发热"
        } else {
            "无"
        };
        entry::record_reading(
            store,
            &Reading {
                person_id,
                date: day.to_string(),
                am: format!("{am:.1}"),
                // Today's afternoon reading is not taken yet.
                pm: if day == gen.today {
                    String::new()
                } else {
                    format!("{pm:.1}")
                },
                symptoms: symptoms.into(),
            },
        )?;
        report.health_checks += 1;
        let n = (day - start).num_days() + 1;
        if [1, 4, 7].contains(&n) && day < gen.today {
            save(
                store,
                Entity::Test,
                Some(person_id),
                &[
                    ("sample_date", day.to_string()),
                    ("site", "青山镇卫生院".into()),
                    (
                        "result",
                        if day + Duration::days(1) >= gen.today {
                            "未出"
                        } else {
                            "阴性"
                        }
                        .into(),
                    ),
                ],
            )?;
        }
        day += Duration::days(1);
    }
    if planned_end < gen.today {
        entry::release(store, isolation_id, Some(&planned_end.to_string()))?;
    }
    Ok(())
}

/// A confirmed case, their household and two workmates as 密接, and the households of the
/// workmates as 次密接: a chain that can be walked both ways.
pub(super) fn contact_chain(
    store: &Store,
    gen: &mut Gen,
    residents: &[(i64, i64)],
    adults: &[i64],
    report: &mut DemoReport,
) -> Result<()> {
    let Some(&(case_person, case_household)) = residents.iter().find(|(id, _)| {
        store
            .person(*id)
            .map(|p| p.relation_to_head.as_deref() == Some("户主"))
            .unwrap_or(false)
    }) else {
        return Ok(());
    };
    let case_id = save(
        store,
        Entity::Case,
        Some(case_person),
        &[
            ("kind", "确诊".into()),
            ("reported_date", gen.day(5)),
            ("code", "QS-2026-001".into()),
        ],
    )?;
    let household: Vec<i64> = residents
        .iter()
        .filter(|(id, h)| *h == case_household && *id != case_person)
        .map(|(id, _)| *id)
        .collect();
    for member in household {
        link(
            store,
            gen,
            Link {
                via: Via::Case(case_id),
                contact: member,
                level: "密接",
                relation: "家庭成员",
                way: "同处一室",
            },
            report,
        )?;
    }
    // Two grown-up workmates from other households.
    let workmates: Vec<(i64, i64)> = residents
        .iter()
        .filter(|(id, h)| *h != case_household && adults.contains(id))
        .skip(40)
        .step_by(97)
        .take(2)
        .copied()
        .collect();
    for (workmate, workmate_household) in workmates {
        let workmate_link = link(
            store,
            gen,
            Link {
                via: Via::Case(case_id),
                contact: workmate,
                level: "密接",
                relation: "同事",
                way: "同进餐",
            },
            report,
        )?;
        let second: Vec<i64> = residents
            .iter()
            .filter(|(id, h)| *h == workmate_household && *id != workmate)
            .map(|(id, _)| *id)
            .collect();
        for member in second {
            link(
                store,
                gen,
                Link {
                    via: Via::Contact(workmate_link),
                    contact: member,
                    level: "次密接",
                    relation: "家庭成员",
                    way: "同处一室",
                },
                report,
            )?;
        }
    }
    Ok(())
}

/// Whom a contact met: the case (a 密接), or a 密接 (a 次密接, by their contact record).
enum Via {
    Case(i64),
    Contact(i64),
}

/// One link of the sample's contact chain.
struct Link {
    via: Via,
    contact: i64,
    level: &'static str,
    relation: &'static str,
    way: &'static str,
}

/// Records a contact link and puts the contact under watch (集中隔离 for a 密接). Returns the
/// link's id.
fn link(store: &Store, gen: &mut Gen, l: Link, report: &mut DemoReport) -> Result<i64> {
    let exposure = if l.relation == "家庭成员" {
        "共同居住"
    } else {
        "工作接触"
    };
    let (case_id, source_contact_id) = match l.via {
        Via::Case(c) => (Some(c), None),
        Via::Contact(c) => (None, Some(c)),
    };
    let contact_id = save_input(
        store,
        RecordInput {
            kind: Some(Entity::Contact),
            person_id: Some(l.contact),
            case_id,
            source_contact_id,
            values: [
                ("level", l.level.to_string()),
                ("exposure_type", exposure.into()),
                ("relation", l.relation.into()),
                ("contact_way", l.way.into()),
                ("last_contact_date", gen.day(6)),
                ("found_date", gen.day(5)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            ..Default::default()
        },
    )?;
    report.contacts += 1;
    let (kind, days) = if l.level == "密接" {
        ("集中隔离", 10)
    } else {
        ("居家隔离医学观察", 7)
    };
    watch(
        store,
        gen,
        l.contact,
        kind,
        5,
        days,
        Cause::Contact(contact_id),
        report,
    )?;
    Ok(contact_id)
}

/// A visit note for every 25th resident, over the last 20 days.
pub(super) fn visit_notes(store: &Store, gen: &mut Gen, residents: &[(i64, i64)]) -> Result<()> {
    for (n, (person_id, household_id)) in residents.iter().step_by(25).enumerate() {
        let (situation, needs, outcome) = [
            (
                "家中老人身体尚可，已告知防护要点",
                "需要代购药品",
                "已联系村医送药上门",
            ),
            ("家中无返乡人员，已张贴告知书", "无", "无"),
            (
                "儿子下周从深圳返乡",
                "询问返乡报备流程",
                "已告知提前三天报备",
            ),
            ("独居老人，行动不便", "生活物资", "已安排联户长每日探视"),
        ][n % 4];
        save_input(
            store,
            RecordInput {
                kind: Some(Entity::VisitNote),
                person_id: Some(*person_id),
                household_id: Some(*household_id),
                values: [
                    ("visit_date", gen.day((n % 20) as i64)),
                    ("worker_name", "刘德华".into()),
                    ("method", if n % 3 == 0 { "电话" } else { "入户" }.into()),
                    ("situation", situation.into()),
                    ("needs", needs.into()),
                    ("outcome", outcome.into()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                ..Default::default()
            },
        )?;
    }
    Ok(())
}
