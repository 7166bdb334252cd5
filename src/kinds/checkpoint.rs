//! 卡口: a checkpoint site. Its name is its key: a second site of the same name is refused
//! (the same site given again as it is changes nothing). A site belongs to a village, which
//! counts its stops on the 日报; the ledger's only village when none is named.

use super::{built, not_imported, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Checkpoint, Entity};
use crate::store::Store;
use crate::validate::FieldProblem;

pub struct Checkpoints;

impl Kind for Checkpoints {
    type Record = Checkpoint;
    const ENTITY: Entity = Entity::Checkpoint;

    fn typed(store: &Store, input: &RecordInput) -> Result<(Checkpoint, Vec<FieldProblem>)> {
        let v = read_strict(fields::CHECKPOINT, &input.values, store.today())?;
        let place = match v.text("place") {
            Some(p) => Some(store.report_place_id(&p)?),
            None => None,
        };
        let result = Checkpoint::from_values(&v, place);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        _row: &RowContext,
        _person: Option<i64>,
        _v: &Values,
    ) -> Result<Built<Checkpoint>> {
        not_imported(Entity::Checkpoint)
    }

    fn judge(
        store: &Store,
        mut c: Checkpoint,
        editing: Option<i64>,
    ) -> Result<Judgement<Checkpoint>> {
        let named = store.checkpoint_by_name(&c.name)?;
        let before = match editing {
            Some(id) => Some(store.checkpoint(id)?),
            None => named.map(|id| store.checkpoint(id)).transpose()?,
        };
        if let Some(other) = named.filter(|o| editing.is_some_and(|e| e != *o)) {
            return Ok(Judgement::Refused(exists(&c.name, other)));
        }
        let Some(before) = before else {
            c.place_id = c.place_id.or(store.only_village()?);
            return Ok(Judgement::New(c));
        };
        c.id = before.id;
        c.place_id = c.place_id.or(before.place_id);
        c.stamp = before.stamp.clone();
        Ok(match editing {
            _ if c == before => Judgement::Same(before),
            Some(_) => Judgement::Update(c),
            None => Judgement::Refused(exists(&c.name, before.id)),
        })
    }

    fn id(c: &Checkpoint) -> i64 {
        c.id
    }

    fn load(store: &Store, id: i64) -> Result<Checkpoint> {
        store.checkpoint(id)
    }

    fn insert(store: &Store, c: &Checkpoint, batch: i64) -> Result<i64> {
        store.add_checkpoint(c, batch)
    }

    fn update(store: &Store, c: &Checkpoint) -> Result<()> {
        store.update_checkpoint(c)
    }

    fn describe(c: &Checkpoint) -> String {
        c.name.clone()
    }
}

fn exists(name: &str, other: i64) -> FieldProblem {
    FieldProblem::error(
        "name",
        "checkpoint_exists",
        format!("已有名为“{name}”的卡口（编号 {other}）"),
    )
}
