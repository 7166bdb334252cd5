//! The day's work typed once: every record kind added, edited, archived and restored by hand,
//! from the window or the command line, through one function each. Values are read through
//! the record's field table in strict mode and judged by the record's own rules (the same
//! ones the importer uses), then written by the store, which stamps who and when.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Code, Error, Result};
use crate::model::fields::Field;
use crate::model::*;
use crate::store::Store;
use crate::validate::FieldProblem;

pub use crate::kinds::{RecordInput, Saved, Traveller};

/// The fields a form (or a command) offers for a kind of record.
pub fn form_fields(kind: Entity) -> Vec<&'static Field> {
    kind.fields().iter().filter(|f| f.entry).collect()
}

/// Adds a record (or, with `id`, changes it). One function for every door; the rules are
/// the kind's own (`crate::kinds`), the same an import or a paste meets.
pub fn save(store: &Store, input: &RecordInput) -> Result<Saved> {
    let kind = input
        .kind
        .ok_or_else(|| Error::refused(Code::ArgumentInvalid, "没有说明要登记哪一种记录（kind）"))?;
    let Some(kind) = crate::kinds::of(kind) else {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            "人员和户请用户籍登记保存",
        ));
    };
    kind.save_typed(store, input)
}

/// One reading of the temperature round: the morning or afternoon temperature (or both) and
/// the symptoms of one person today, saved as typed. What the row leaves blank is kept.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Reading {
    pub person_id: i64,
    /// The day; today when empty.
    pub date: String,
    pub am: String,
    pub pm: String,
    /// Symptom words, or 无. Empty leaves the symptoms as they were.
    pub symptoms: String,
}

/// The state of one person's day after a reading.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReadingSaved {
    pub check_id: i64,
    pub am_temperature: Option<f64>,
    pub pm_temperature: Option<f64>,
    pub symptoms: Vec<&'static str>,
    /// A temperature of 37.3 ℃ or more, or a symptom: the person is on today's list.
    pub abnormal: bool,
    pub warnings: Vec<FieldProblem>,
}

pub fn record_reading(store: &Store, r: &Reading) -> Result<ReadingSaved> {
    let mut values = BTreeMap::new();
    values.insert(
        "check_date".to_string(),
        if r.date.trim().is_empty() {
            store.today().to_string()
        } else {
            r.date.clone()
        },
    );
    for (key, text) in [
        ("am_temperature", &r.am),
        ("pm_temperature", &r.pm),
        ("symptoms", &r.symptoms),
    ] {
        if !text.trim().is_empty() {
            values.insert(key.to_string(), text.clone());
        }
    }
    let saved = save(
        store,
        &RecordInput {
            kind: Some(Entity::HealthCheck),
            person_id: Some(r.person_id),
            values,
            ..Default::default()
        },
    )?;
    let stored = store.health_check(saved.id)?;
    Ok(ReadingSaved {
        check_id: saved.id,
        am_temperature: stored.am_temperature,
        pm_temperature: stored.pm_temperature,
        symptoms: stored.symptoms.names(),
        abnormal: stored.abnormal(),
        warnings: saved
            .warnings
            .into_iter()
            .filter(|w| w.code != "already_registered")
            .collect(),
    })
}

/// Archives a record of any kind (never deleted; `restore` brings it back).
pub fn archive(store: &Store, kind: Entity, id: i64) -> Result<()> {
    match kind {
        Entity::Person => store.archive_person(id),
        Entity::Household => store.archive_household(id),
        other => store.archive(other, id),
    }
}

pub fn restore(store: &Store, kind: Entity, id: i64) -> Result<()> {
    match kind {
        Entity::Person => store.restore_person(id),
        Entity::Household => store.restore_household(id),
        other => store.restore(other, id),
    }
}

/// Releases an isolation or monitoring period (解除) on a day (today when None).
pub fn release(store: &Store, isolation_id: i64, day: Option<&str>) -> Result<()> {
    let today = store.today();
    let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => {
            crate::validate::parse_date(text, chrono::Datelike::year(&today))
                .map_err(|e| Error::field("released_date", e.code(), e.to_string()))?
                .date
        }
        None => today,
    };
    if day > today {
        return Err(Error::field(
            "released_date",
            "date_in_future",
            "解除日期晚于今天，请核对",
        ));
    }
    store.release_isolation(isolation_id, day)
}

/// Marks a checkpoint hand-off as handled by the village.
pub fn handle_hand_off(store: &Store, check_id: i64, note: Option<&str>) -> Result<()> {
    store.handle_hand_off(check_id, note)
}

/// Moves a person to another household (or out of any), with a record of the move.
pub fn move_person(
    store: &Store,
    person_id: i64,
    household_id: Option<i64>,
    relation: Option<&str>,
) -> Result<()> {
    let person = store.person(person_id)?;
    let mut input = PersonInput::of(&person);
    input.household_id = household_id;
    if let Some(relation) = relation {
        input.relation_to_head = relation.to_string();
    }
    store.in_transaction(|| {
        store.save_person_logged(&input, "迁户")?;
        Ok(())
    })
}
