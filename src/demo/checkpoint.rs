//! The sample's checkpoint at the village's east entrance and three days of its checks:
//! villagers and strangers, on foot or by car with passengers, one with a fever handed to the
//! village, some turned back.

use super::people::SURNAMES;
use super::{save, save_input, DemoReport, Gen, ORIGINS};
use crate::entry::{RecordInput, Traveller};
use crate::error::Result;
use crate::model::*;
use crate::store::Store;

/// The checkpoint and sixty checks at it.
pub(super) fn checkpoint(
    store: &Store,
    gen: &mut Gen,
    residents: &[(i64, i64)],
    village_id: i64,
    report: &mut DemoReport,
) -> Result<()> {
    let site = "石桥村东口卡口";
    let checkpoint_id = save(
        store,
        Entity::Checkpoint,
        None,
        &[
            ("name", site.into()),
            ("place", village_id.to_string()),
            ("address", "县道 X021 石桥村东入口".into()),
            ("unit", "石桥村村委会".into()),
            ("leader_name", "刘德华".into()),
            ("leader_phone", "13907310001".into()),
        ],
    )?;
    for n in 0..60 {
        let days_ago = (n % 3) as i64;
        // Today's stops happen before now, whenever the sample is made.
        let hour = if days_ago == 0 { 0 } else { 7 + n % 14 };
        let time = format!(
            "{} {:02}:{:02}",
            gen.day(days_ago),
            hour,
            gen.rng.u32(0..60)
        );
        let villager = (gen.chance(40) && !residents.is_empty())
            .then(|| residents[gen.rng.usize(..residents.len())].0);
        let driver = match villager {
            Some(id) => {
                let p = store.person(id)?;
                traveller(Some(id), &p.name, p.id_number, p.phone, None)
            }
            None => {
                let (code, _) = *gen.pick(ORIGINS);
                let male = gen.chance(60);
                let birth = gen.birth(20, 60);
                let name = format!("{}{}", gen.pick(SURNAMES), gen.given_name(male));
                let id = gen.resident_id(code, birth, male);
                traveller(None, &name, Some(id), Some(gen.phone()), None)
            }
        };
        let vehicle = gen.chance(80);
        let mut passengers = Vec::new();
        for _ in 0..if vehicle { gen.rng.usize(0..3) } else { 0 } {
            let rider = residents[gen.rng.usize(..residents.len())].0;
            let p = store.person(rider)?;
            passengers.push(traveller(
                Some(rider),
                &p.name,
                p.id_number,
                p.phone,
                Some("36.4"),
            ));
        }
        let temperature = if n == 17 {
            37.8
        } else {
            36.0 + f64::from(gen.rng.u32(0..9)) / 10.0
        };
        let disposal = match (n, temperature >= 37.3) {
            (_, true) => "移交村(社区)",
            (n, _) if n % 19 == 5 => "劝返",
            _ => "放行",
        };
        let mut values: Vec<(&str, String)> = vec![
            ("checked_at", time),
            (
                "origin",
                (*gen.pick(&["长沙市", "宁乡市城区", "益阳市", "深圳市", "湘潭市"])).into(),
            ),
            ("destination", "石桥村".into()),
            ("temperature", format!("{temperature:.1}")),
            ("health_code", "绿码".into()),
            ("disposal", disposal.into()),
        ];
        if vehicle {
            let plate = format!(
                "湘{}{:05}",
                gen.pick(&["A", "A", "B", "C", "F"]),
                gen.rng.u32(0..100000)
            );
            values.push(("plate", plate));
            values.push(("plate_kind", "小型汽车".into()));
            values.push((
                "vehicle_kind",
                (*gen.pick(&["私家车", "私家车", "货车", "大巴中巴"])).into(),
            ));
        }
        if disposal == "移交村(社区)" {
            values.push(("handed_to", village_id.to_string()));
        }
        save_input(
            store,
            RecordInput {
                kind: Some(Entity::CheckpointCheck),
                checkpoint_id: Some(checkpoint_id),
                driver: Some(driver),
                passengers,
                values: values
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                ..Default::default()
            },
        )?;
        report.checkpoint_checks += 1;
    }
    Ok(())
}

/// A traveller given by their values, a villager linked by their id.
fn traveller(
    person_id: Option<i64>,
    name: &str,
    id_number: Option<String>,
    phone: Option<String>,
    temperature: Option<&str>,
) -> Traveller {
    let mut values = std::collections::BTreeMap::new();
    values.insert("name".to_string(), name.to_string());
    for (key, value) in [
        ("id_number", id_number),
        ("phone", phone),
        ("temperature", temperature.map(String::from)),
    ] {
        if let Some(v) = value {
            values.insert(key.to_string(), v);
        }
    }
    Traveller {
        person_id,
        register: false,
        values,
    }
}
