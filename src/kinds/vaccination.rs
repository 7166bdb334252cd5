//! 疫苗: one dose. A person has each dose once: the same dose given again changes nothing
//! (or fills in its blank date, place or vaccine); the same dose with another date, place or
//! vaccine is refused at every door — one of the two is a mistake a person must correct.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::overlay::overlaid;
use crate::model::{Built, Entity, Vaccination};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Vaccinations;

impl Kind for Vaccinations {
    type Record = Vaccination;
    const ENTITY: Entity = Entity::Vaccination;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Vaccination, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let v = read_strict(fields::VACCINATION, &input.values, store.today())?;
        let result = Vaccination::from_values(&v, person);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        _row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<Vaccination>> {
        Ok(Vaccination::from_values(v, person.unwrap_or_default()))
    }

    fn judge(
        store: &Store,
        mut x: Vaccination,
        editing: Option<i64>,
    ) -> Result<Judgement<Vaccination>> {
        let same_dose = store
            .vaccination_dose(x.person_id, x.dose)?
            .filter(|other| Some(*other) != editing);
        if let Some(id) = editing {
            let before = store.vaccination(id)?;
            if let Some(other) = same_dose {
                return Ok(Judgement::Refused(dose_registered(x.dose, other, &before)));
            }
            x.id = id;
            x.person_id = before.person_id;
            x.stamp = before.stamp.clone();
            return Ok(if x == before {
                Judgement::Same(before)
            } else {
                Judgement::Update(x)
            });
        }
        let Some(other) = same_dose else {
            return Ok(Judgement::New(x));
        };
        let before = store.vaccination(other)?;
        let clash =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
        if clash(&x.vaccine_date, &before.vaccine_date)
            || clash(&x.place_kind, &before.place_kind)
            || clash(&x.vaccine_name, &before.vaccine_name)
        {
            return Ok(Judgement::Refused(dose_registered(x.dose, other, &before)));
        }
        let merged = overlaid(&before, &x);
        Ok(if merged == before {
            Judgement::Same(before)
        } else {
            Judgement::Update(merged)
        })
    }

    fn id(x: &Vaccination) -> i64 {
        x.id
    }

    fn load(store: &Store, id: i64) -> Result<Vaccination> {
        store.vaccination(id)
    }

    fn insert(store: &Store, x: &Vaccination, batch: i64) -> Result<i64> {
        store.add_vaccination(x, batch)
    }

    fn update(store: &Store, x: &Vaccination) -> Result<()> {
        store.update_vaccination(x)
    }

    fn describe(x: &Vaccination) -> String {
        format!("第{}针 {}", x.dose, x.vaccine_date.as_deref().unwrap_or(""))
    }
}

fn dose_registered(dose: i64, other: i64, before: &Vaccination) -> FieldProblem {
    let date = before
        .vaccine_date
        .as_deref()
        .map(|d| format!("，接种日期 {d}"))
        .unwrap_or_default();
    FieldProblem::error(
        "dose",
        "dose_registered",
        format!("第 {dose} 针已登记（记录 {other}{date}），与此不同：如有误请修改那一条"),
    )
}
