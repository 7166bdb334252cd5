//! 来(返)乡 and 来访: one arrival of a person. An arrival is known by its person, day and
//! kind: the same arrival given again (a second import, a second click) changes nothing, and
//! one that says more (人员状态 将返 → 已返, a 车次 now known) fills in the one already there.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::overlay::overlaid;
use crate::model::{Arrival, Built, Entity};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Arrivals;

impl Kind for Arrivals {
    type Record = Arrival;
    const ENTITY: Entity = Entity::Arrival;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Arrival, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let today = store.today();
        let v = read_strict(fields::ARRIVAL, &input.values, today)?;
        let result = Arrival::from_values(&v, person, today);
        let (mut a, warnings) = built(v, result)?;
        if let Some(host) = a.host_person_id {
            store.person(host)?;
        }
        // Where they came to: their household's place, else the ledger's only village (a
        // sheet's row says the same, or names its own place).
        let home = match store.person(person)?.household_id {
            Some(h) => Some(store.household_place(h)?),
            None => None,
        };
        a.destination_place_id = home.or(store.only_village()?);
        Ok((a, warnings))
    }

    fn from_row(
        _store: &Store,
        row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<Arrival>> {
        Ok(
            Arrival::from_values(v, person.unwrap_or_default(), row.today).map(|(mut a, w)| {
                a.destination_place_id = row.home;
                (a, w)
            }),
        )
    }

    fn judge(store: &Store, mut a: Arrival, editing: Option<i64>) -> Result<Judgement<Arrival>> {
        let before = match editing {
            Some(id) => Some(store.arrival(id)?),
            None => store.arrival_on(a.person_id, &a.arrival_date, &a.kind)?,
        };
        let Some(before) = before else {
            return Ok(Judgement::New(a));
        };
        if editing.is_none() {
            a = overlaid(&before, &a);
        } else {
            a.id = before.id;
            a.person_id = before.person_id;
            a.stamp = before.stamp.clone();
        }
        a.destination_place_id = before.destination_place_id.or(a.destination_place_id);
        Ok(if a == before {
            Judgement::Same(before)
        } else {
            Judgement::Update(a)
        })
    }

    fn id(a: &Arrival) -> i64 {
        a.id
    }

    fn load(store: &Store, id: i64) -> Result<Arrival> {
        store.arrival(id)
    }

    fn insert(store: &Store, a: &Arrival, batch: i64) -> Result<i64> {
        store.add_arrival(a, batch)
    }

    fn update(store: &Store, a: &Arrival) -> Result<()> {
        store.update_arrival(a)
    }

    fn describe(a: &Arrival) -> String {
        format!(
            "{} {} {}{}",
            a.kind,
            a.arrival_date,
            a.status,
            a.transport
                .as_deref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default()
        )
    }
}
