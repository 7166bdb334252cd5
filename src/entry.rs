//! The day's work typed once: every record kind added, edited, archived and restored by hand,
//! from the window or the command line, through one function each. Values are read through
//! the record's field table in strict mode and judged by the record's own rules (the same
//! ones the importer uses), then written by the store, which stamps who and when.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Code, Error, Result};
use crate::model::fields::{self, Field};
use crate::model::input::{read_typed, Mode, Values};
use crate::model::*;
use crate::store::Store;
use crate::validate::{FieldProblem, Severity};

/// A record typed in a form or given on the command line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordInput {
    /// Which record: arrival, isolation, health_check, test, vaccination, case, contact,
    /// checkpoint, checkpoint_check, visit_note.
    pub kind: Option<Entity>,
    /// The record being edited; None adds one.
    pub id: Option<i64>,
    /// Whose record it is.
    pub person_id: Option<i64>,
    /// A visit note on a household.
    pub household_id: Option<i64>,
    /// A 密接's case (or the case of a contact being added as 次密接, via `source_contact_id`).
    pub case_id: Option<i64>,
    /// A 次密接: the contact record of the 密接 they met.
    pub source_contact_id: Option<i64>,
    /// A checkpoint stop's site.
    pub checkpoint_id: Option<i64>,
    /// An isolation started because of this arrival …
    pub cause_arrival_id: Option<i64>,
    /// … or because of this contact tracing.
    pub cause_contact_id: Option<i64>,
    /// A checkpoint stop's driver or walker, when found in the register.
    pub driver: Option<Traveller>,
    /// A checkpoint stop's named passengers.
    pub passengers: Vec<Traveller>,
    /// The record's fields as typed, by key (see `form_fields`).
    pub values: BTreeMap<String, String>,
}

/// A person at a checkpoint: found in the register (`person_id`), to be registered
/// (`register`), or kept as seen only.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Traveller {
    pub person_id: Option<i64>,
    /// Register them in the ledger (a traveller handed to the village becomes its person).
    pub register: bool,
    /// 姓名, 证件号码, 联系方式, 体温.
    pub values: BTreeMap<String, String>,
}

/// A saved record and the warnings its values raised.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub kind: Entity,
    pub id: i64,
    pub warnings: Vec<FieldProblem>,
}

/// The fields a form (or a command) offers for a kind of record.
pub fn form_fields(kind: Entity) -> Vec<&'static Field> {
    kind.fields().iter().filter(|f| f.entry).collect()
}

fn invalid(problems: Vec<FieldProblem>) -> Error {
    Error::Invalid(problems)
}

fn warnings_of(problems: Vec<FieldProblem>) -> Vec<FieldProblem> {
    problems
        .into_iter()
        .filter(|p| p.severity == Severity::Warning)
        .collect()
}

/// Reads the typed values through a table; every problem is returned when any is an error.
fn read(
    table: &'static [Field],
    values: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<Values> {
    let mut v = read_typed(table, values, today);
    v.require(table);
    if v.has_errors() {
        return Err(invalid(std::mem::take(&mut v.problems)));
    }
    Ok(v)
}

fn need_person(store: &Store, input: &RecordInput) -> Result<i64> {
    let id = input.person_id.ok_or_else(|| {
        Error::field(
            "person_id",
            "person_missing",
            "请先选择是哪个人（在登记册中查找或新建）",
        )
    })?;
    let person = store.person(id)?;
    if person.archived_at.is_some() {
        return Err(Error::field(
            "person_id",
            "person_archived",
            format!("{}已归档，请先恢复再登记", person.name),
        ));
    }
    Ok(id)
}

/// Adds a record (or, with `id`, changes it). One function for every door.
pub fn save(store: &Store, input: &RecordInput) -> Result<Saved> {
    let kind = input
        .kind
        .ok_or_else(|| Error::refused(Code::ArgumentInvalid, "没有说明要登记哪一种记录（kind）"))?;
    let today = store.today();
    match kind {
        Entity::Person | Entity::Household => Err(Error::refused(
            Code::ArgumentInvalid,
            "人员和户请用户籍登记保存",
        )),
        Entity::Arrival => {
            let person = need_person(store, input)?;
            let v = read(fields::ARRIVAL, &input.values, today)?;
            let (mut a, warnings) = Arrival::from_values(&v, person, today).map_err(invalid)?;
            if let Some(host) = a.host_person_id {
                store.person(host)?;
            }
            a.destination_place_id = store.person_village(person)?;
            saved(
                kind,
                write_arrival(store, input.id, a)?,
                [v.problems, warnings].concat(),
            )
        }
        Entity::Isolation => {
            let person = need_person(store, input)?;
            let v = read(fields::ISOLATION, &input.values, today)?;
            let (mut i, warnings) = Isolation::from_values(&v, person).map_err(invalid)?;
            if let Some(other) = store.overlapping_period(person, &i, input.id)? {
                return Err(Error::field(
                    "start_date",
                    "period_overlaps",
                    format!(
                        "该人员已有一段{}（{} 起，未解除）与之重叠：请先解除或修改那一段",
                        other.kind, other.start_date
                    ),
                ));
            }
            let batch = store.hand_batch()?;
            let id = match input.id {
                Some(id) => {
                    let before = store.isolation(id)?;
                    i.id = id;
                    i.released_date = before.released_date;
                    i.arrival_id = before.arrival_id;
                    i.contact_id = before.contact_id;
                    store.update_isolation(&i, batch)?;
                    id
                }
                None => {
                    i.arrival_id = input.cause_arrival_id;
                    i.contact_id = input.cause_contact_id;
                    store.add_isolation(&i, batch)?
                }
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::HealthCheck => {
            let person = need_person(store, input)?;
            let v = read(fields::HEALTH_CHECK, &input.values, today)?;
            let (check, warnings) = HealthCheck::from_values(&v, person, today).map_err(invalid)?;
            let id = write_check(store, input.id, check, false)?;
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::Test => {
            let person = need_person(store, input)?;
            let v = read(fields::TEST, &input.values, today)?;
            let (mut t, warnings) = Test::from_values(&v, person, today).map_err(invalid)?;
            let id = match input.id.or(store
                .test_on(person, &t.sample_date, &t.kind)?
                .map(|s| s.id))
            {
                Some(id) => {
                    // A scheduled test is sampled by filling it in; a result comes later by
                    // editing (未出 → 阴性).
                    let before = store.test(id)?;
                    t.id = id;
                    t.isolation_id = before.isolation_id;
                    store.update_test(&t)?;
                    id
                }
                None => {
                    t.isolation_id = store.period_on(person, &t.sample_date)?;
                    store.add_test(&t, store.hand_batch()?)?
                }
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::Vaccination => {
            let person = need_person(store, input)?;
            let v = read(fields::VACCINATION, &input.values, today)?;
            let (mut x, warnings) = Vaccination::from_values(&v, person).map_err(invalid)?;
            if let Some(other) = store
                .vaccination_dose(person, x.dose)?
                .filter(|o| Some(*o) != input.id)
            {
                return Err(Error::field(
                    "dose",
                    "dose_registered",
                    format!("第 {} 针已登记（记录 {other}），如有误请修改那一条", x.dose),
                ));
            }
            let id = match input.id {
                Some(id) => {
                    x.id = id;
                    store.update_vaccination(&x)?;
                    id
                }
                None => store.add_vaccination(&x, store.hand_batch()?)?,
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::Case => {
            let person = need_person(store, input)?;
            let v = read(fields::CASE, &input.values, today)?;
            let (mut c, warnings) = Case::from_values(&v, person, today).map_err(invalid)?;
            let id = match input.id {
                Some(id) => {
                    c.id = id;
                    store.update_case(&c)?;
                    id
                }
                None => {
                    if let Some(open) = store
                        .cases_of(person)?
                        .into_iter()
                        .find(|c| c.stamp.archived_at.is_none())
                    {
                        return Err(Error::field(
                            "person_id",
                            "case_registered",
                            format!(
                                "此人已登记为{}（{}），如有变化请修改那一条",
                                open.kind, open.reported_date
                            ),
                        ));
                    }
                    store.add_case(&c, store.hand_batch()?)?
                }
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::Contact => {
            let person = need_person(store, input)?;
            let mut values = input.values.clone();
            if input.source_contact_id.is_some() && !values.contains_key("level") {
                values.insert("level".into(), "次密接".into());
            }
            let v = read(fields::CONTACT, &values, today)?;
            let (case_id, case_person, source) = match input.id {
                Some(id) => {
                    let c = store.contact(id)?;
                    let case = store.case(c.case_id)?;
                    (c.case_id, case.person_id, c.source_person_id)
                }
                None => store.contact_root(input.case_id, input.source_contact_id)?,
            };
            let (mut c, warnings) = Contact::from_values(
                &v,
                person,
                case_id,
                case_person,
                source,
                today,
                Mode::Strict,
            )
            .map_err(invalid)?;
            let id = match input.id {
                Some(id) => {
                    c.id = id;
                    store.update_contact(&c)?;
                    id
                }
                None => {
                    if store.existing_contact(case_id, source, person)?.is_some() {
                        return Err(Error::field(
                            "person_id",
                            "contact_registered",
                            "这条接触关系已登记过",
                        ));
                    }
                    store.add_contact(&c, store.hand_batch()?)?
                }
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::Checkpoint => {
            let v = read(fields::CHECKPOINT, &input.values, today)?;
            let place = match v.text("place") {
                Some(p) => Some(store.report_place_id(&p)?),
                None => None,
            };
            let (mut c, warnings) = Checkpoint::from_values(&v, place).map_err(invalid)?;
            if let Some(other) = store
                .checkpoint_by_name(&c.name)?
                .filter(|o| Some(*o) != input.id)
            {
                return Err(Error::field(
                    "name",
                    "checkpoint_exists",
                    format!("已有名为“{}”的卡口（编号 {other}）", c.name),
                ));
            }
            let id = match input.id {
                Some(id) => {
                    c.id = id;
                    c.place_id = c.place_id.or(store.checkpoint(id)?.place_id);
                    store.update_checkpoint(&c)?;
                    id
                }
                None => {
                    c.place_id = c.place_id.or(store.only_village()?);
                    store.add_checkpoint(&c, store.hand_batch()?)?
                }
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
        Entity::CheckpointCheck => save_stop(store, input),
        Entity::VisitNote => {
            let v = read(fields::VISIT, &input.values, today)?;
            if let Some(p) = input.person_id {
                store.person(p)?;
            }
            if let Some(h) = input.household_id {
                store.household_summary(h)?;
            }
            let (mut n, warnings) =
                VisitNote::from_values(&v, input.person_id, input.household_id, today)
                    .map_err(invalid)?;
            let id = match input.id {
                Some(id) => {
                    n.id = id;
                    store.update_visit_note(&n)?;
                    id
                }
                None => store.add_visit_note(&n, store.hand_batch()?)?,
            };
            saved(kind, id, [v.problems, warnings].concat())
        }
    }
}

fn saved(kind: Entity, id: i64, problems: Vec<FieldProblem>) -> Result<Saved> {
    Ok(Saved {
        kind,
        id,
        warnings: warnings_of(problems),
    })
}

fn write_arrival(store: &Store, id: Option<i64>, mut a: Arrival) -> Result<i64> {
    match id {
        Some(id) => {
            let before = store.arrival(id)?;
            a.id = id;
            a.destination_place_id = before.destination_place_id.or(a.destination_place_id);
            store.update_arrival(&a)?;
            Ok(id)
        }
        None => store.add_arrival(&a, store.hand_batch()?),
    }
}

/// Writes a day's check: it belongs to the period that covers the day; a second check of
/// the same person and day fills in the first (the temperature round's 上午 then 下午).
/// `merge` keeps the stored readings the new check leaves blank.
fn write_check(store: &Store, id: Option<i64>, mut check: HealthCheck, merge: bool) -> Result<i64> {
    let period = store
        .period_on(check.person_id, &check.check_date)?
        .ok_or_else(|| {
            Error::field(
                "check_date",
                "not_in_period",
                format!(
                    "该人员在 {} 不在隔离或健康监测期内：请先登记隔离/健康监测，再记体温",
                    check.check_date
                ),
            )
        })?;
    check.isolation_id = Some(period);
    let existing = match id {
        Some(id) => Some(store.health_check(id)?),
        None => store.health_check_on(check.person_id, &check.check_date)?,
    };
    match existing {
        Some(before) => {
            check.id = before.id;
            if merge {
                check.am_temperature = check.am_temperature.or(before.am_temperature);
                check.pm_temperature = check.pm_temperature.or(before.pm_temperature);
                check.checker = check.checker.or(before.checker.clone());
                check.note = check.note.or(before.note.clone());
                // A fever read from the day's temperatures stays, whatever symptoms are typed.
                check.symptoms.fever |= [check.am_temperature, check.pm_temperature]
                    .iter()
                    .flatten()
                    .any(|t| *t >= crate::validate::FEVER_THRESHOLD);
            }
            if check != before {
                store.update_health_check(&check)?;
            }
            Ok(before.id)
        }
        None => store.add_health_check(&check, store.hand_batch()?),
    }
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
    let today = store.today();
    store.person(r.person_id)?;
    let mut typed = BTreeMap::new();
    typed.insert(
        "check_date".to_string(),
        if r.date.trim().is_empty() {
            today.to_string()
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
            typed.insert(key.to_string(), text.clone());
        }
    }
    let v = read(fields::HEALTH_CHECK, &typed, today)?;
    let (mut check, check_warnings) =
        HealthCheck::from_values(&v, r.person_id, today).map_err(invalid)?;
    if r.symptoms.trim().is_empty() {
        // Symptoms not typed in this reading: keep what the day already has.
        if let Some(before) = store.health_check_on(r.person_id, &check.check_date)? {
            let fever_now = check.symptoms.fever;
            check.symptoms = before.symptoms;
            check.symptoms.fever |= fever_now;
        }
    }
    let id = store.in_transaction(|| write_check(store, None, check, true))?;
    let stored = store.health_check(id)?;
    Ok(ReadingSaved {
        check_id: id,
        am_temperature: stored.am_temperature,
        pm_temperature: stored.pm_temperature,
        symptoms: stored.symptoms.names(),
        abnormal: stored.abnormal(),
        warnings: warnings_of([v.problems, check_warnings].concat()),
    })
}

/// A checkpoint stop with its driver and named passengers. Travellers found in the register
/// are linked; those to be registered are added as persons (外来) first. 移交村(社区) needs a
/// village, which then finds the stop on its today list.
fn save_stop(store: &Store, input: &RecordInput) -> Result<Saved> {
    let today = store.today();
    let now = store.now();
    let mut values = input.values.clone();
    let checkpoint_id = match input.checkpoint_id {
        Some(id) => {
            let c = store.checkpoint(id)?;
            values.insert("checkpoint_name".into(), c.name);
            id
        }
        None => {
            let name = values.get("checkpoint_name").cloned().unwrap_or_default();
            store
                .checkpoint_by_name(crate::validate::normalize_text(&name).as_str())?
                .ok_or_else(|| {
                    Error::field(
                        "checkpoint_name",
                        "checkpoint_unknown",
                        format!("没有名为“{name}”的卡口，请先登记卡口"),
                    )
                })?
        }
    };
    values
        .entry("checked_at".into())
        .or_insert_with(|| now.format("%Y-%m-%d %H:%M").to_string());
    let driver = input.driver.clone().unwrap_or_default();
    for (key, text) in &driver.values {
        values.entry(key.clone()).or_insert_with(|| text.clone());
    }
    let v = read(fields::CHECKPOINT_STOP, &values, today)?;
    let handed_to = match v.text("handed_to") {
        Some(place) => {
            let id = store.report_place_id(&place)?;
            if store.place(id)?.level != "村" {
                return Err(Error::field(
                    "handed_to",
                    "not_a_village",
                    "请选择一个村（社区）",
                ));
            }
            Some(id)
        }
        None => None,
    };
    let mut problems = v.problems.clone();
    let mut passengers = Vec::new();
    for (i, t) in input.passengers.iter().enumerate() {
        let pv = read(fields::PASSENGER, &t.values, today).map_err(|e| match e {
            Error::Invalid(ps) => invalid(
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
        passengers.push((
            t,
            Passenger::from_values(&pv, t.person_id).map_err(invalid)?.0,
        ));
    }
    let (mut stop, warnings) =
        CheckpointCheck::from_values(&v, checkpoint_id, handed_to, Vec::new(), now)
            .map_err(invalid)?;
    problems.extend(warnings);
    let id = store.in_transaction(|| {
        stop.person_id = traveller_person(
            store,
            &driver,
            &stop.name,
            stop.id_number.as_deref(),
            stop.phone.as_deref(),
        )?;
        for (t, mut p) in passengers {
            p.person_id = traveller_person(
                store,
                t,
                &p.name,
                p.id_number.as_deref(),
                p.phone.as_deref(),
            )?;
            stop.passengers.push(p);
        }
        stop.passenger_count = stop.passenger_count.max(stop.passengers.len() as i64);
        match input.id {
            Some(id) => {
                stop.id = id;
                store.update_checkpoint_check(&stop)?;
                Ok(id)
            }
            None => store.add_checkpoint_check(&stop, store.hand_batch()?),
        }
    })?;
    saved(Entity::CheckpointCheck, id, problems)
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
