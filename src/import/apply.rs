//! Applying a plan: every step was judged before, so writing is only writing. It runs in one
//! transaction (the caller's): a failure of the disk, or a bug that lets the schema refuse a
//! value, undoes the whole import and leaves the ledger as it was.

use super::plan::{NewPlace, PersonStep, Plan, RecordStep, Ref};
use crate::error::Result;
use crate::model::*;
use crate::store::{NewReview, Store};

/// The ids of what the plan creates, filled in as it is written.
struct Created {
    places: Vec<Option<i64>>,
    households: Vec<Option<i64>>,
    persons: Vec<Option<i64>>,
    checkpoints: Vec<Option<i64>>,
}

pub struct Applied {
    pub places_created: Vec<String>,
    /// The person of the first row (a review decision applies one row).
    pub first_person: Option<i64>,
    /// The ids given to what the plan created, by its index in the plan.
    pub persons: Vec<Option<i64>>,
    pub households: Vec<Option<i64>>,
    pub places: Vec<Option<i64>>,
    pub checkpoints: Vec<Option<i64>>,
}

/// Writes a plan under the import's batch of kind 导入 (begun by the first write, shared by
/// the chunks of one import). `progress(done, total)` is called as rows are written.
#[allow(clippy::too_many_arguments)] // reason: what an import is (file, sheet, target, note) travels with it
pub fn apply(
    store: &Store,
    plan: &Plan,
    target: &str,
    file: &str,
    sheet: &str,
    note: &str,
    batch: &mut Option<i64>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Applied> {
    let writes = plan.rows.iter().any(|r| {
        r.record.is_some()
            || r.review.is_some()
            || matches!(
                r.person,
                Some(PersonStep::Create(_) | PersonStep::Update { .. })
            )
    });
    if !writes {
        return Ok(Applied {
            places_created: Vec::new(),
            first_person: None,
            persons: Vec::new(),
            households: Vec::new(),
            places: Vec::new(),
            checkpoints: Vec::new(),
        });
    }
    let batch = match *batch {
        Some(b) => b,
        None => {
            let b = store.begin_batch("导入", Some(file), Some(note))?;
            *batch = Some(b);
            b
        }
    };
    let mut created = Created {
        places: vec![None; plan.places.len()],
        households: vec![None; plan.households.len()],
        persons: vec![None; plan.persons.len()],
        checkpoints: vec![None; plan.checkpoints.len()],
    };
    let mut places_created = Vec::new();
    let mut first_person = None;
    let total = plan.rows.len();
    for (done, row) in plan.rows.iter().enumerate() {
        if done % 500 == 0 {
            progress(done, total);
        }
        let source =
            |entity: Entity, id: i64| store.add_record_source(batch, entity, id, sheet, row.row);
        if let Some(review) = &row.review {
            store.add_review(&NewReview {
                batch_id: batch,
                sheet,
                row_number: row.row,
                target,
                incoming: &review.incoming,
                person_id: review.candidate,
                reason: &review.reason,
            })?;
            continue;
        }
        let person_id = match &row.person {
            None => None,
            Some(PersonStep::Same(r)) => Some(person(
                store,
                plan,
                &mut created,
                *r,
                batch,
                &mut places_created,
                &source,
            )?),
            Some(PersonStep::Update {
                id,
                person: p,
                originals,
                household,
            }) => {
                let mut p = (**p).clone();
                if let Some(h) = household {
                    p.household_id = Some(household_id(
                        store,
                        plan,
                        &mut created,
                        *h,
                        batch,
                        &mut places_created,
                    )?);
                    if p.household_id != store.person(*id)?.household_id {
                        store.log_change(
                            Entity::Person,
                            *id,
                            "迁户",
                            Some(serde_json::json!({ "household_id": [null, p.household_id] })),
                        )?;
                    }
                }
                store.write_person(&p, batch)?;
                store.keep_originals(Entity::Person, *id, originals)?;
                source(Entity::Person, *id)?;
                Some(*id)
            }
            Some(PersonStep::Create(i)) => Some(person(
                store,
                plan,
                &mut created,
                Ref::New(*i),
                batch,
                &mut places_created,
                &source,
            )?),
        };
        if first_person.is_none() {
            first_person = person_id;
        }
        let Some(record) = &row.record else { continue };
        let pid = person_id.unwrap_or_default();
        let (entity, id) = match record {
            RecordStep::Arrival {
                arrival,
                destination,
            } => {
                let mut a = (**arrival).clone();
                a.person_id = pid;
                a.destination_place_id = match destination {
                    Some(d) => Some(place_id(
                        store,
                        plan,
                        &mut created,
                        *d,
                        &mut places_created,
                    )?),
                    None => None,
                };
                (Entity::Arrival, store.add_arrival(&a, batch)?)
            }
            RecordStep::ArrivalStatus { id, status } => {
                let mut a = store.arrival(*id)?;
                a.status = status.clone();
                store.update_arrival(&a)?;
                (Entity::Arrival, *id)
            }
            RecordStep::Isolation(i) => {
                let mut i = (**i).clone();
                i.person_id = pid;
                (Entity::Isolation, store.add_isolation(&i, batch)?)
            }
            RecordStep::HealthCheck(c) => {
                let mut c = (**c).clone();
                c.person_id = pid;
                (Entity::HealthCheck, store.add_health_check(&c, batch)?)
            }
            RecordStep::HealthCheckUpdate(c) => {
                store.update_health_check(c)?;
                (Entity::HealthCheck, c.id)
            }
            RecordStep::Test(t) => {
                let mut t = (**t).clone();
                t.person_id = pid;
                (Entity::Test, store.add_test(&t, batch)?)
            }
            RecordStep::TestUpdate(t) => {
                store.update_test(t)?;
                (Entity::Test, t.id)
            }
            RecordStep::Vaccination(v) => {
                let mut v = (**v).clone();
                v.person_id = pid;
                (Entity::Vaccination, store.add_vaccination(&v, batch)?)
            }
            RecordStep::Contact {
                contact,
                source: from,
            } => {
                let mut c = (**contact).clone();
                c.contact_person_id = pid;
                c.source_person_id = person(
                    store,
                    plan,
                    &mut created,
                    *from,
                    batch,
                    &mut places_created,
                    &source,
                )?;
                (Entity::Contact, store.add_contact(&c, batch)?)
            }
            RecordStep::Stop {
                stop,
                checkpoint,
                handed_to,
            } => {
                let mut s = (**stop).clone();
                s.checkpoint_id = match checkpoint {
                    Ref::Existing(id) => *id,
                    Ref::New(i) => match created.checkpoints[*i] {
                        Some(id) => id,
                        None => {
                            let id = store.add_checkpoint(
                                &Checkpoint {
                                    name: plan.checkpoints[*i].clone(),
                                    ..Default::default()
                                },
                                batch,
                            )?;
                            source(Entity::Checkpoint, id)?;
                            created.checkpoints[*i] = Some(id);
                            id
                        }
                    },
                };
                s.handed_to_place_id = match handed_to {
                    Some(p) => Some(place_id(
                        store,
                        plan,
                        &mut created,
                        *p,
                        &mut places_created,
                    )?),
                    None => None,
                };
                (
                    Entity::CheckpointCheck,
                    store.add_checkpoint_check(&s, batch)?,
                )
            }
        };
        store.keep_originals(entity, id, &row.record_originals)?;
        source(entity, id)?;
    }
    progress(total, total);
    Ok(Applied {
        places_created,
        first_person,
        persons: created.persons,
        households: created.households,
        places: created.places,
        checkpoints: created.checkpoints,
    })
}

/// The id of a person of the plan, writing a new one the first time it is needed.
fn person(
    store: &Store,
    plan: &Plan,
    created: &mut Created,
    r: Ref,
    batch: i64,
    places_created: &mut Vec<String>,
    source: &dyn Fn(Entity, i64) -> Result<()>,
) -> Result<i64> {
    let i = match r {
        Ref::Existing(id) => return Ok(id),
        Ref::New(i) => i,
    };
    if let Some(id) = created.persons[i] {
        return Ok(id);
    }
    let new = &plan.persons[i];
    let mut p = new.person.clone();
    p.household_id = match new.household {
        Some(h) => Some(household_id(
            store,
            plan,
            created,
            h,
            batch,
            places_created,
        )?),
        None => None,
    };
    let id = store.write_person(&p, batch)?;
    store.keep_originals(Entity::Person, id, &new.originals)?;
    source(Entity::Person, id)?;
    created.persons[i] = Some(id);
    Ok(id)
}

fn household_id(
    store: &Store,
    plan: &Plan,
    created: &mut Created,
    r: Ref,
    batch: i64,
    places_created: &mut Vec<String>,
) -> Result<i64> {
    let i = match r {
        Ref::Existing(id) => return Ok(id),
        Ref::New(i) => i,
    };
    if let Some(id) = created.households[i] {
        return Ok(id);
    }
    let h = &plan.households[i];
    let place = place_id(store, plan, created, h.place, places_created)?;
    let id = store.write_household(
        &CleanHousehold {
            id: None,
            place_id: place,
            door_name: h.door_name.clone(),
            door_number: h.door_number.clone(),
            address: None,
            housing_use: "自住".into(),
            tenant_name: None,
            tenant_phone: None,
            note: None,
        },
        batch,
    )?;
    created.households[i] = Some(id);
    Ok(id)
}

fn place_id(
    store: &Store,
    plan: &Plan,
    created: &mut Created,
    r: Ref,
    places_created: &mut Vec<String>,
) -> Result<i64> {
    let i = match r {
        Ref::Existing(id) => return Ok(id),
        Ref::New(i) => i,
    };
    if let Some(id) = created.places[i] {
        return Ok(id);
    }
    let NewPlace {
        parent,
        level,
        name,
        code,
    } = &plan.places[i];
    let parent_id = match parent {
        Some(p) => Some(place_id(store, plan, created, *p, places_created)?),
        None => None,
    };
    let place = store.add_place(&PlaceInput {
        parent_id,
        level: level.to_string(),
        name: name.clone(),
        code: code.clone().unwrap_or_default(),
        ..Default::default()
    })?;
    places_created.push(place.path.clone());
    created.places[i] = Some(place.id);
    Ok(place.id)
}
