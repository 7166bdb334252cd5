//! 走访: a note of a visit to a person or a household, typed by the grid worker.

use super::{built, not_imported, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Entity, VisitNote};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Visits;

impl Kind for Visits {
    type Record = VisitNote;
    const ENTITY: Entity = Entity::VisitNote;

    fn typed(store: &Store, input: &RecordInput) -> Result<(VisitNote, Vec<FieldProblem>)> {
        let today = store.today();
        let v = read_strict(fields::VISIT, &input.values, today)?;
        if let Some(p) = input.person_id {
            store.person(p)?;
        }
        if let Some(h) = input.household_id {
            store.household_summary(h)?;
        }
        let result = VisitNote::from_values(&v, input.person_id, input.household_id, today);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        _row: &RowContext,
        _person: Option<i64>,
        _v: &Values,
    ) -> Result<Built<VisitNote>> {
        not_imported(Entity::VisitNote)
    }

    fn judge(store: &Store, n: VisitNote, editing: Option<i64>) -> Result<Judgement<VisitNote>> {
        let Some(id) = editing else {
            return Ok(Judgement::New(n));
        };
        let before = store.visit_note(id)?;
        let mut n = n;
        n.id = id;
        n.stamp = before.stamp.clone();
        Ok(if n == before {
            Judgement::Same(before)
        } else {
            Judgement::Update(n)
        })
    }

    fn id(n: &VisitNote) -> i64 {
        n.id
    }

    fn load(store: &Store, id: i64) -> Result<VisitNote> {
        store.visit_note(id)
    }

    fn insert(store: &Store, n: &VisitNote, batch: i64) -> Result<i64> {
        store.add_visit_note(n, batch)
    }

    fn update(store: &Store, n: &VisitNote) -> Result<()> {
        store.update_visit_note(n)
    }

    fn describe(n: &VisitNote) -> String {
        format!("{} {}", n.visit_date, n.method)
    }
}
