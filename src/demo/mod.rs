//! The sample village: a realistic, generated ledger (石桥村 with four grids, about 300
//! households and 1,000 persons, returnees, isolations with daily checks, a case with its
//! contact chain, a checkpoint with its checks) so a newcomer sees a working ledger at once.
//! Every record goes through the same entry functions and rules as a cadre's forms.
//!
//! This file holds the options, the seeded generator, `fill` and the order in which `build`
//! makes the village: its places here, then the households and their members (`people`),
//! the returnees, isolations and contact chain (`events`), the checkpoint and its checks
//! (`checkpoint`), and last the visit notes (`events`). The order is part of the sample: the
//! generator is seeded, so the same seed gives the same village only if every step draws its
//! numbers in the same order.

mod checkpoint;
mod events;
mod people;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::entry::{self, RecordInput};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;
use people::SURNAMES;

/// How big the sample is, and the seed that makes it (the same seed, the same village).
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub households: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            households: 300,
            seed: 20200123,
        }
    }
}

/// What the sample holds.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DemoReport {
    pub households: usize,
    pub persons: usize,
    pub arrivals: usize,
    pub isolations: usize,
    pub health_checks: usize,
    pub contacts: usize,
    pub checkpoint_checks: usize,
}

/// The county of the sample village (长沙市宁乡市) and where returnees come back from.
const HOME_CODE: &str = "430182";
const ORIGINS: &[(&str, &str)] = &[
    ("440305", "广东省深圳市南山区"),
    ("440106", "广东省广州市天河区"),
    ("330106", "浙江省杭州市西湖区"),
    ("310115", "上海市浦东新区"),
    ("320505", "江苏省苏州市虎丘区"),
    ("420106", "湖北省武汉市武昌区"),
    ("110105", "北京市朝阳区"),
    ("440524", "广东省汕头市潮阳县"),
];

/// The seeded generator of the sample, with the day it is made on and its batch. The
/// generators of a person's name, birth, ID number and phone are in `people`.
struct Gen {
    rng: fastrand::Rng,
    today: NaiveDate,
    batch: i64,
    used_ids: std::collections::HashSet<String>,
}

impl Gen {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    fn day(&self, days_ago: i64) -> String {
        (self.today - Duration::days(days_ago)).to_string()
    }
}

/// The sizes of sample a village laptop makes in seconds (the benchmarks' 29,000 households
/// included).
pub const HOUSEHOLDS: std::ops::RangeInclusive<usize> = 1..=50_000;

/// Fills an empty ledger with the sample village, in one transaction.
pub fn fill(store: &mut Store, options: DemoOptions) -> Result<DemoReport> {
    if !HOUSEHOLDS.contains(&options.households) {
        return Err(Error::refused(
            crate::error::Code::ArgumentInvalid,
            format!(
                "示例村的户数 {} 不合适：请给 {} 到 {} 之间的户数",
                options.households,
                HOUSEHOLDS.start(),
                HOUSEHOLDS.end()
            ),
        ));
    }
    if !store.is_empty()? {
        return Err(Error::refused(
            crate::error::Code::Conflict,
            "账本中已有数据：示例村只能载入空账本。请用 --db 指定一个新文件再试。",
        ));
    }
    let store = &*store;
    store.in_transaction(|| {
        let batch = store.begin_batch(
            "示例",
            None,
            Some("示例村：石桥村（生成数据，可随时新建空账本替换）"),
        )?;
        let mut gen = Gen {
            rng: fastrand::Rng::with_seed(options.seed),
            today: store.today(),
            batch,
            used_ids: Default::default(),
        };
        store.with_batch(batch, || build(store, &mut gen, options))
    })
}

/// Makes the village step by step, in the order the generator's numbers are drawn.
fn build(store: &Store, gen: &mut Gen, options: DemoOptions) -> Result<DemoReport> {
    let mut report = DemoReport::default();
    let places = place_tree(store, gen, options.households)?;
    let residents =
        people::households(store, gen, &places.groups, options.households, &mut report)?;
    events::returnees(store, gen, &residents.adults, &mut report)?;
    events::contact_chain(store, gen, &residents.all, &residents.adults, &mut report)?;
    checkpoint::checkpoint(store, gen, &residents.all, places.village, &mut report)?;
    events::visit_notes(store, gen, &residents.all)?;
    Ok(report)
}

/// The places of the sample: the village and the 联户组 its households are put in.
struct PlaceTree {
    village: i64,
    groups: Vec<i64>,
}

/// 青山镇, 石桥村 under it, its four grids, and under each grid one 联户组 for every 40 of the
/// village's households, each place with its leader.
fn place_tree(store: &Store, gen: &mut Gen, households: usize) -> Result<PlaceTree> {
    let place =
        |parent: Option<i64>, level: &str, name: &str, code: &str, leader: &str, phone: &str| {
            store.add_place(&PlaceInput {
                parent_id: parent,
                level: level.into(),
                name: name.into(),
                code: code.into(),
                leader_name: leader.into(),
                leader_phone: phone.into(),
            })
        };
    let town = place(
        None,
        "乡镇",
        "青山镇",
        "430182101",
        "周建国",
        "0731-87654321",
    )?;
    let village = place(
        Some(town.id),
        "村",
        "石桥村",
        "430182101201",
        "刘德华",
        "13907310001",
    )?;
    let mut groups = Vec::new();
    for (g, grid_name) in ["第一网格", "第二网格", "第三网格", "第四网格"]
        .iter()
        .enumerate()
    {
        let leader = format!("{}{}", gen.pick(SURNAMES), gen.given_name(g % 2 == 0));
        let phone = gen.phone();
        let grid = place(Some(village.id), "网格", grid_name, "", &leader, &phone)?;
        let group_count = households.div_ceil(40).max(1);
        for n in 1..=group_count {
            let head = format!("{}{}", gen.pick(SURNAMES), gen.given_name(true));
            let phone = gen.phone();
            groups.push(
                place(
                    Some(grid.id),
                    "联户组",
                    &format!("第{n}联户组"),
                    "",
                    &head,
                    &phone,
                )?
                .id,
            );
        }
    }
    Ok(PlaceTree {
        village: village.id,
        groups,
    })
}

/// Saves a record through the same entry function a cadre's form uses.
fn save(
    store: &Store,
    kind: Entity,
    person: Option<i64>,
    values: &[(&str, String)],
) -> Result<i64> {
    save_input(
        store,
        RecordInput {
            kind: Some(kind),
            person_id: person,
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            ..Default::default()
        },
    )
}

/// Saves a record given whole (with its links or travellers) the same way.
fn save_input(store: &Store, input: RecordInput) -> Result<i64> {
    Ok(entry::save(store, &input)?.id)
}
