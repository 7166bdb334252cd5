//! 健康监测: a person's check of one day. A reading belongs to the period that covers its day
//! (none: refused, at every door). A day has one check: a second reading fills it in — the
//! temperatures it gives replace the day's, those it leaves blank stay; symptoms it gives are
//! the day's symptoms from then on, and a temperature of 37.3 ℃ or more is a fever whatever
//! the symptoms say. The temperature round, the person page, the command line, a pasted
//! grid and an imported sheet all merge a day's readings this one way.

use super::{built, need_person, read_strict, Judgement, Kind, RecordInput, RowContext};
use crate::error::Result;
use crate::model::fields;
use crate::model::input::Values;
use crate::model::{Built, Entity, HealthCheck};
use crate::store::Store;
use crate::validate::{FieldProblem, FEVER_THRESHOLD};

pub struct HealthChecks;

impl Kind for HealthChecks {
    type Record = HealthCheck;
    const ENTITY: Entity = Entity::HealthCheck;

    fn typed(store: &Store, input: &RecordInput) -> Result<(HealthCheck, Vec<FieldProblem>)> {
        let person = need_person(store, input)?;
        let today = store.today();
        let v = read_strict(fields::HEALTH_CHECK, &input.values, today)?;
        let result = HealthCheck::from_values(&v, person, today);
        built(v, result)
    }

    fn from_row(
        _store: &Store,
        row: &RowContext,
        person: Option<i64>,
        v: &Values,
    ) -> Result<Built<HealthCheck>> {
        Ok(HealthCheck::from_values(
            v,
            person.unwrap_or_default(),
            row.today,
        ))
    }

    fn judge(
        store: &Store,
        mut c: HealthCheck,
        editing: Option<i64>,
    ) -> Result<Judgement<HealthCheck>> {
        let Some(period) = store.period_on(c.person_id, &c.check_date)? else {
            return Ok(Judgement::Refused(FieldProblem::error(
                "check_date",
                "not_in_period",
                format!(
                    "该人员在 {} 不在隔离或健康监测期内，体温未记录：请先登记（或导入）其隔离/健康监测，再记体温",
                    c.check_date
                ),
            )));
        };
        c.isolation_id = Some(period);
        // A check moved to a day that has its own: the day has one check, so that one is the
        // record to change (nothing is merged or replaced behind the cadre's back).
        if let Some(id) = editing {
            if let Some(other) = store
                .health_check_on(c.person_id, &c.check_date)?
                .filter(|other| other.id != id)
            {
                return Ok(Judgement::Refused(FieldProblem::error(
                    "check_date",
                    "day_taken",
                    format!(
                        "该人员 {} 已有一条体温记录（{}）：一天只有一条，请在那一天的记录上修改",
                        c.check_date,
                        Self::describe(&other)
                    ),
                )));
            }
        }
        let before = match editing {
            Some(id) => Some(store.health_check(id)?),
            None => store.health_check_on(c.person_id, &c.check_date)?,
        };
        let Some(before) = before else {
            return Ok(Judgement::New(c));
        };
        let merged = if editing.is_some() {
            HealthCheck {
                id: before.id,
                stamp: before.stamp.clone(),
                symptoms_given: false,
                ..c
            }
        } else {
            fill_day(&before, &c)
        };
        Ok(if merged == before {
            Judgement::Same(before)
        } else {
            Judgement::Update(merged)
        })
    }

    fn id(c: &HealthCheck) -> i64 {
        c.id
    }

    fn load(store: &Store, id: i64) -> Result<HealthCheck> {
        store.health_check(id)
    }

    fn insert(store: &Store, c: &HealthCheck, batch: i64) -> Result<i64> {
        store.add_health_check(c, batch)
    }

    fn update(store: &Store, c: &HealthCheck) -> Result<()> {
        store.update_health_check(c)
    }

    fn describe(c: &HealthCheck) -> String {
        let t = |t: Option<f64>| t.map(|t| format!("{t}℃")).unwrap_or_else(|| "—".into());
        format!(
            "{} 上午{} 下午{}{}",
            c.check_date,
            t(c.am_temperature),
            t(c.pm_temperature),
            if c.symptoms.any() {
                format!(" {}", c.symptoms.names().join("、"))
            } else {
                String::new()
            }
        )
    }
}

/// A day's check with a later reading of the same day laid over it.
fn fill_day(day: &HealthCheck, reading: &HealthCheck) -> HealthCheck {
    let hot = |c: &HealthCheck| {
        [c.am_temperature, c.pm_temperature]
            .iter()
            .flatten()
            .any(|t| *t >= FEVER_THRESHOLD)
    };
    let mut merged = day.clone();
    merged.isolation_id = reading.isolation_id;
    if reading.am_temperature.is_some() {
        merged.am_temperature = reading.am_temperature;
    }
    if reading.pm_temperature.is_some() {
        merged.pm_temperature = reading.pm_temperature;
    }
    if reading.symptoms_given {
        merged.symptoms = reading.symptoms;
    } else {
        // A fever the day's temperatures did not explain was typed as a symptom: it stays.
        // One they explained follows the temperatures as they are now (a corrected 38.0).
        merged.symptoms.fever = day.symptoms.fever && !hot(day);
    }
    merged.symptoms.fever |= hot(&merged);
    if reading.checker.is_some() {
        merged.checker = reading.checker.clone();
    }
    if reading.note.is_some() {
        merged.note = reading.note.clone();
    }
    merged
}
