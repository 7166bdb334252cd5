//! 卡口检查: one stop at a checkpoint — the site, the time, the vehicle, the checked person
//! (driver or walker) and the passengers. A stop is known by its site, time and person: given
//! again it changes nothing. A site named that the ledger lacks is added (with a warning, so
//! a typo is seen). A traveller is linked to the register by ID number, or — typed at the
//! station — registered when asked. 移交村(社区) hands the traveller to a village, found the
//! same way at every door (`hand_off_village`).

use super::{built, read_strict, Judgement, Kind, RecordInput, RowContext, Traveller};
use crate::error::{Error, Result};
use crate::model::fields;
use crate::model::input::Values;
use crate::model::place_names::{Found, PlaceBook};
use crate::model::{Built, Checkpoint, CheckpointCheck, Entity, Passenger, PersonInput};
use crate::store::Store;
use crate::validate::{normalize_text, FieldProblem};

pub struct Stops;

impl Kind for Stops {
    type Record = CheckpointCheck;
    const ENTITY: Entity = Entity::CheckpointCheck;

    fn typed(store: &Store, input: &RecordInput) -> Result<(CheckpointCheck, Vec<FieldProblem>)> {
        let today = store.today();
        let now = store.now();
        let mut values = input.values.clone();
        if let Some(id) = input.checkpoint_id {
            values.insert("checkpoint_name".into(), store.checkpoint(id)?.name);
        }
        values
            .entry("checked_at".into())
            .or_insert_with(|| now.format("%Y-%m-%d %H:%M").to_string());
        let driver = input.driver.clone().unwrap_or_default();
        for (key, text) in &driver.values {
            values.entry(key.clone()).or_insert_with(|| text.clone());
        }
        let v = read_strict(fields::CHECKPOINT_STOP, &values, today)?;
        let places = PlaceBook::new(store.places()?);
        let handed_to = hand_off_village(&places, &v, store.only_village()?)
            .map_err(|p| Error::Invalid(vec![p]))?;
        let mut passengers = Vec::new();
        let mut problems = Vec::new();
        for (i, t) in input.passengers.iter().enumerate() {
            let pv = read_strict(fields::PASSENGER, &t.values, today).map_err(|e| match e {
                Error::Invalid(ps) => Error::Invalid(
                    ps.into_iter()
                        .map(|mut p| {
                            p.message = format!("随车人员 {}：{}", i + 1, p.message);
                            p.field = format!("passengers.{i}.{}", p.field);
                            p
                        })
                        .collect(),
                ),
                other => other,
            })?;
            problems.extend(pv.problems.clone());
            let (mut p, _) = Passenger::from_values(&pv, t.person_id).map_err(Error::Invalid)?;
            p.person_id = traveller_person(
                store,
                t,
                &p.name,
                p.id_number.as_deref(),
                p.phone.as_deref(),
            )?;
            passengers.push(p);
        }
        let site_name = v.text("checkpoint_name").unwrap_or_default();
        let result = CheckpointCheck::from_values(&v, 0, handed_to, passengers, now);
        let (mut stop, warnings) = built(v, result)?;
        problems.extend(warnings);
        stop.person_id = traveller_person(
            store,
            &driver,
            &stop.name,
            stop.id_number.as_deref(),
            stop.phone.as_deref(),
        )?;
        stop.passenger_count = stop.passenger_count.max(stop.passengers.len() as i64);
        let (checkpoint, created) = site(
            store,
            input.checkpoint_id,
            &site_name,
            stop.handed_to_place_id,
            &|| store.hand_batch(),
        )?;
        stop.checkpoint_id = checkpoint;
        problems.extend(created);
        Ok((stop, problems))
    }

    fn from_row(
        store: &Store,
        row: &RowContext,
        _person: Option<i64>,
        v: &Values,
    ) -> Result<Built<CheckpointCheck>> {
        let fallback = row.place.or(store.only_village()?);
        let handed_to = match hand_off_village(row.places, v, fallback) {
            Ok(place) => place,
            Err(problem) => return Ok(Err(vec![problem])),
        };
        // Now as the entry form has it: a stop of this morning is not in the future.
        let (mut stop, mut warnings) =
            match CheckpointCheck::from_values(v, 0, handed_to, Vec::new(), row.now) {
                Ok(built) => built,
                Err(problems) => return Ok(Err(problems)),
            };
        if let Some(number) = &stop.id_number {
            stop.person_id = store.person_by_id_number(number)?;
        }
        let site_name = v.text("checkpoint_name").unwrap_or_default();
        let (checkpoint, created) =
            site(store, None, &site_name, stop.handed_to_place_id, row.batch)?;
        stop.checkpoint_id = checkpoint;
        warnings.extend(created);
        Ok(Ok((stop, warnings)))
    }

    fn judge(
        store: &Store,
        mut s: CheckpointCheck,
        editing: Option<i64>,
    ) -> Result<Judgement<CheckpointCheck>> {
        if let Some(id) = editing {
            let before = store.checkpoint_check(id)?;
            s.id = id;
            s.stamp = before.stamp.clone();
            s.handled_at = before.handled_at.clone();
            s.handled_by = before.handled_by.clone();
            s.handled_note = before.handled_note.clone();
            return Ok(if s == before {
                Judgement::Same(before)
            } else {
                Judgement::Update(s)
            });
        }
        Ok(
            match store.existing_checkpoint_check(s.checkpoint_id, &s.checked_at, &s.name)? {
                Some(id) => Judgement::Same(Self::load(store, id)?),
                None => Judgement::New(s),
            },
        )
    }

    fn id(s: &CheckpointCheck) -> i64 {
        s.id
    }

    fn load(store: &Store, id: i64) -> Result<CheckpointCheck> {
        store.checkpoint_check(id)
    }

    fn insert(store: &Store, s: &CheckpointCheck, batch: i64) -> Result<i64> {
        store.add_checkpoint_check(s, batch)
    }

    fn update(store: &Store, s: &CheckpointCheck) -> Result<()> {
        store.update_checkpoint_check(s)
    }

    fn describe(s: &CheckpointCheck) -> String {
        format!(
            "{} {}{} {}",
            s.checked_at,
            s.plate.as_deref().unwrap_or(""),
            s.temperature.map(|t| format!(" {t}℃")).unwrap_or_default(),
            s.disposal
        )
    }
}

/// The checkpoint of a stop: the one chosen, or the one of its name — added when the ledger
/// has none of that name, with a warning naming it.
fn site(
    store: &Store,
    chosen: Option<i64>,
    name: &str,
    village: Option<i64>,
    batch: &dyn Fn() -> Result<i64>,
) -> Result<(i64, Vec<FieldProblem>)> {
    if let Some(id) = chosen {
        return Ok((id, Vec::new()));
    }
    let name = normalize_text(name);
    if let Some(id) = store.checkpoint_by_name(&name)? {
        return Ok((id, Vec::new()));
    }
    let id = store.add_checkpoint(
        &Checkpoint {
            name: name.clone(),
            place_id: village.or(store.only_village()?),
            ..Default::default()
        },
        batch()?,
    )?;
    Ok((
        id,
        vec![FieldProblem::warning(
            "checkpoint_name",
            "checkpoint_created",
            format!("台账中没有名为“{name}”的卡口，已新建（编号 {id}）；如是笔误，请归档它并改正"),
        )],
    ))
}

/// The village a traveller is handed to, when the disposal is 移交村(社区): the village the
/// 移交村 value names (a village of the ledger, by name, code or number), else the one
/// village the destination names, else `fallback` (the file's place, the only village).
/// Typed, imported or pasted, the same rule.
pub fn hand_off_village(
    places: &PlaceBook,
    v: &Values,
    fallback: Option<i64>,
) -> std::result::Result<Option<i64>, FieldProblem> {
    if v.text("disposal").as_deref() != Some("移交村(社区)") {
        return Ok(None);
    }
    if let Some(name) = v.text("handed_to") {
        let id = match name
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| places.get(*id).is_some())
        {
            Some(id) => Found::One(id),
            None => places.find(None, &name, None),
        };
        return match id {
            Found::One(id) => match places.ancestor_at(id, "村") {
                Some(village) if village == id => Ok(Some(village)),
                _ => Err(FieldProblem::error(
                    "handed_to",
                    "not_a_village",
                    format!("“{name}”不是村（社区）：请选择一个村（社区）"),
                )),
            },
            Found::Many(_) => Err(FieldProblem::error(
                "handed_to",
                "place_ambiguous",
                format!("台账中有几个叫“{name}”的地方，无法确定移交给哪个村：请写明村（社区）的全称或编号"),
            )),
            Found::None => Err(FieldProblem::error(
                "handed_to",
                "place_unknown",
                format!("移交的村（社区）“{name}”不在台账中：请核对"),
            )),
        };
    }
    if let Some(destination) = v.text("destination") {
        let named: Vec<i64> = places
            .all()
            .iter()
            .filter(|p| p.level == "村" && destination.contains(&p.name))
            .map(|p| p.id)
            .collect();
        if let [one] = named.as_slice() {
            return Ok(Some(*one));
        }
    }
    Ok(fallback.and_then(|p| places.ancestor_at(p, "村")))
}

/// The register's person for a traveller: the one chosen, one with the same ID number, or a
/// new person (外来) when the user asked to register them.
fn traveller_person(
    store: &Store,
    t: &Traveller,
    name: &str,
    id_number: Option<&str>,
    phone: Option<&str>,
) -> Result<Option<i64>> {
    if let Some(id) = t.person_id {
        store.person(id)?;
        return Ok(Some(id));
    }
    if let Some(number) = id_number {
        if let Some(id) = store.person_by_id_number(number)? {
            return Ok(Some(id));
        }
    }
    if !t.register {
        return Ok(None);
    }
    let saved = store.save_person(&PersonInput {
        name: name.to_string(),
        id_number: id_number.unwrap_or_default().to_string(),
        phone: phone.unwrap_or_default().to_string(),
        residence_status: "外来".into(),
        ..Default::default()
    })?;
    Ok(Some(saved.person.id))
}
