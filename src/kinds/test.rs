//! 核酸 / 抗原 tests. A test is known by its person, sampling day and kind. A test scheduled
//! from a period (待采样) is sampled by giving it; a result given later replaces 未出 (and a
//! later result the earlier one); 未出 never overwrites a result. A new test belongs to the
//! period that covers its day, if any.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Entity, Test};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Tests;

/// The result a test has before it is out; never a fact about the person.
const NOT_OUT: &str = "未出";

impl Kind for Tests {
    type Record = Test;
    const ENTITY: Entity = Entity::Test;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Test, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let today = store.today();
        let v = read_strict(fields::TEST, &input.values, today)?;
        let result = Test::from_values(&v, person, today);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<Test>> {
        Ok(Test::from_values(v, person.unwrap_or_default(), row.today))
    }

    fn judge(store: &Store, mut t: Test, editing: Option<i64>) -> Result<Judgement<Test>> {
        let before = match editing {
            Some(id) => Some(store.test(id)?),
            None => store.test_on(t.person_id, &t.sample_date, &t.kind)?,
        };
        let Some(before) = before else {
            t.isolation_id = store.period_on(t.person_id, &t.sample_date)?;
            return Ok(Judgement::New(t));
        };
        let mut merged = before.clone();
        merged.status = "已采样".into();
        if editing.is_some() {
            merged.kind = t.kind;
            merged.sample_date = t.sample_date;
            merged.site = t.site;
            merged.result = t.result;
        } else {
            if t.result != NOT_OUT {
                merged.result = t.result;
            }
            if t.site.is_some() {
                merged.site = t.site;
            }
        }
        Ok(if merged == before {
            Judgement::Same(before)
        } else {
            Judgement::Update(merged)
        })
    }

    fn id(t: &Test) -> i64 {
        t.id
    }

    fn load(store: &Store, id: i64) -> Result<Test> {
        store.test(id)
    }

    fn insert(store: &Store, t: &Test, batch: i64) -> Result<i64> {
        store.add_test(t, batch)
    }

    fn update(store: &Store, t: &Test) -> Result<()> {
        store.update_test(t)
    }

    fn describe(t: &Test) -> String {
        format!("{} {} {}", t.kind, t.sample_date, t.result)
    }
}
