//! 病例: a person's case (确诊, 无症状感染者, 疑似). A person has one open case: the same case
//! given again changes nothing; another while one is open is refused — change that one.

use super::{
    built, need_person, not_imported, read_strict, Judgement, Kind, RecordInput, RowContext,
};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Case, Entity};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Cases;

impl Kind for Cases {
    type Record = Case;
    const ENTITY: Entity = Entity::Case;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Case, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let today = store.today();
        let v = read_strict(fields::CASE, &input.values, today)?;
        let result = Case::from_values(&v, person, today);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        _row: &RowContext,
        _person: Option<i64>,
        _v: &Values,
    ) -> Result<Built<Case>> {
        not_imported(Entity::Case)
    }

    fn judge(store: &Store, mut c: Case, editing: Option<i64>) -> Result<Judgement<Case>> {
        if let Some(id) = editing {
            let before = store.case(id)?;
            c.id = id;
            c.person_id = before.person_id;
            c.stamp = before.stamp.clone();
            return Ok(if c == before {
                Judgement::Same(before)
            } else {
                Judgement::Update(c)
            });
        }
        let open = store
            .cases_of(c.person_id)?
            .into_iter()
            .find(|o| o.stamp.archived_at.is_none());
        Ok(match open {
            Some(o) if o.kind == c.kind && o.reported_date == c.reported_date => Judgement::Same(o),
            Some(o) => Judgement::Refused(FieldProblem::error(
                "person_id",
                "case_registered",
                format!(
                    "此人已登记为{}（{}），如有变化请修改那一条",
                    o.kind, o.reported_date
                ),
            )),
            None => Judgement::New(c),
        })
    }

    fn id(c: &Case) -> i64 {
        c.id
    }

    fn load(store: &Store, id: i64) -> Result<Case> {
        store.case(id)
    }

    fn insert(store: &Store, c: &Case, batch: i64) -> Result<i64> {
        store.add_case(c, batch)
    }

    fn update(store: &Store, c: &Case) -> Result<()> {
        store.update_case(c)
    }

    fn describe(c: &Case) -> String {
        format!("{} {}", c.kind, c.reported_date)
    }
}
