//! 隔离 / 健康监测 periods. A period is known by its person, start day and kind: given again,
//! it changes nothing. A person is under one period at a time: a new one that overlaps an
//! open (unreleased) one is refused at every door, typed or imported, until that one is
//! released or corrected.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Entity, Isolation};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Isolations;

impl Kind for Isolations {
    type Record = Isolation;
    const ENTITY: Entity = Entity::Isolation;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Isolation, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let v = read_strict(fields::ISOLATION, &input.values, store.today())?;
        let result = Isolation::from_values(&v, person);
        let (mut i, warnings) = built(v, result)?;
        i.arrival_id = input.cause_arrival_id;
        i.contact_id = input.cause_contact_id;
        Ok((i, warnings))
    }

    fn from_row(
        _store: &Store,
        _row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<Isolation>> {
        Ok(Isolation::from_values(v, person.unwrap_or_default()))
    }

    fn judge(
        store: &Store,
        mut i: Isolation,
        editing: Option<i64>,
    ) -> Result<Judgement<Isolation>> {
        let before = match editing {
            Some(id) => {
                let before = store.isolation(id)?;
                i.id = id;
                i.person_id = before.person_id;
                i.released_date = before.released_date.clone();
                i.arrival_id = before.arrival_id;
                i.contact_id = before.contact_id;
                i.stamp = before.stamp.clone();
                Some(before)
            }
            None => match store.isolation_on(i.person_id, &i.start_date, &i.kind)? {
                Some(same) => return Ok(Judgement::Same(same)),
                None => None,
            },
        };
        if let Some(other) = store.overlapping_period(i.person_id, &i, editing)? {
            return Ok(Judgement::Refused(FieldProblem::error(
                "start_date",
                "period_overlaps",
                format!(
                    "该人员已有一段{}（{} 起，未解除）与之重叠：请先解除或修改那一段",
                    other.kind, other.start_date
                ),
            )));
        }
        Ok(match before {
            Some(before) if before == i => Judgement::Same(before),
            Some(_) => Judgement::Update(i),
            None => Judgement::New(i),
        })
    }

    fn id(i: &Isolation) -> i64 {
        i.id
    }

    fn load(store: &Store, id: i64) -> Result<Isolation> {
        store.isolation(id)
    }

    fn insert(store: &Store, i: &Isolation, batch: i64) -> Result<i64> {
        store.add_isolation(i, batch)
    }

    fn update(store: &Store, i: &Isolation) -> Result<()> {
        store.update_isolation(i, store.hand_batch()?)
    }

    fn describe(i: &Isolation) -> String {
        format!("{} {} 至 {}", i.kind, i.start_date, i.planned_end_date)
    }
}
