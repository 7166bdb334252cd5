//! The person a sheet's row is about. A row's person is matched against the register (and
//! so against the rows above it, already written): by ID number, then 姓名 + 手机, then 姓名 +
//! 出生日期 + 门牌; a row that gives only a name is the member of that name in its household,
//! or the person of that name an earlier import of the same roll registered. An uncertain
//! match goes to the review list; one ID under two names in one sheet is refused.
//!
//! The row's household (doors, 户主, 家庭总人口数) is found in `households`.

mod households;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::places::Places;
use super::report::HouseholdChange;
use super::target::Target;
use crate::error::Result;
use crate::model::input::{Mode, Values};
use crate::model::{person_from_values, CleanPerson, Entity, Person};
use crate::store::{PersonMatch, Store};
use crate::validate::FieldProblem;
use households::{door_key, Family, HouseKey};

/// A decision from the review list that overrides matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Force {
    /// The row's person is this one of the register.
    Into(i64),
    /// The row's person is someone new.
    New,
}

/// What a row's person came to.
pub enum Resolved {
    /// The person (inserted, updated, or as the register has them), with their name and
    /// household as they now are.
    Kept {
        id: i64,
        name: String,
        household: Option<i64>,
        outcome: super::report::Outcome,
    },
    /// Matched only uncertainly: on the review list.
    Review {
        candidate: i64,
        reason: String,
    },
    Refused(FieldProblem),
}

/// A row whose person was refused: its first error is why, its other problems are listed
/// with it (a person without a name is refused for the name).
fn refused_row(refused: Vec<FieldProblem>, problems: &mut Vec<FieldProblem>) -> Resolved {
    let first = refused
        .iter()
        .find(|p| p.severity == crate::validate::Severity::Error)
        .cloned();
    problems.extend(refused.into_iter().filter(|p| Some(p) != first.as_ref()));
    Resolved::Refused(
        first.unwrap_or_else(|| FieldProblem::error("name", "required", "请填写姓名")),
    )
}

pub struct Persons<'a> {
    store: &'a Store,
    target: Target,
    today: NaiveDate,
    file: String,
    sheet: String,
    pub force: Option<Force>,
    /// Persons this import registered: a later row about them adds to them without counting
    /// as an update, and the same ID under another name is refused, not reviewed.
    created: HashSet<i64>,
    /// The household key of the row above, for members listed under their head.
    last_key: Option<HouseKey>,
    /// (scope, door key) → households, loaded once per village.
    doors: HashMap<i64, HashMap<String, Vec<i64>>>,
    heads: HashMap<(i64, String), i64>,
    family: Option<Family>,
    /// Households this import made.
    new_households: HashSet<i64>,
    changes: Vec<(i64, HouseholdChange)>,
    /// Warnings found after their row (a family's size, checked when the family ends).
    pub late: Vec<(usize, String, FieldProblem)>,
}

impl<'a> Persons<'a> {
    pub fn new(store: &'a Store, target: Target, file: &str, sheet: &str) -> Persons<'a> {
        Persons {
            store,
            target,
            today: store.today(),
            file: file.to_string(),
            sheet: sheet.to_string(),
            force: None,
            created: HashSet::new(),
            last_key: None,
            doors: HashMap::new(),
            heads: HashMap::new(),
            family: None,
            new_households: HashSet::new(),
            changes: Vec::new(),
            late: Vec::new(),
        }
    }

    /// A blank or total row between rows: a member never takes the household of a row
    /// above it, and the family above has ended.
    pub fn break_run(&mut self) {
        self.last_key = None;
        self.end_family();
    }

    /// Households touched, before → after.
    pub fn household_changes(&self) -> Vec<HouseholdChange> {
        self.changes.iter().map(|(_, c)| c.clone()).collect()
    }

    /// Finds, adds or updates the person of a row, and places them in their household.
    #[allow(clippy::too_many_arguments)] // reason: a row is its values, place and where it stands
    pub fn resolve(
        &mut self,
        places: &mut Places,
        row: usize,
        person_values: Values,
        values: &Values,
        place: Option<i64>,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let checked =
            match person_from_values(person_values, None, None, &[], self.today, Mode::Lenient) {
                Ok(checked) => checked,
                Err(refused) => {
                    self.last_key = None;
                    return Ok(refused_row(refused, problems));
                }
            };
        problems.extend(checked.warnings.iter().cloned());
        let incoming = checked.value;
        let key = self.key_of(values, &incoming);
        self.note_family(row, &key, values, &incoming);
        let door_label = match &key {
            Some(HouseKey::Door(d)) => d.label(),
            _ => String::new(),
        };
        let matched = match self.match_row(&incoming, values, &door_label)? {
            Ok(matched) => matched,
            Err(problem) => return Ok(Resolved::Refused(problem)),
        };
        let id = match matched {
            PersonMatch::Exact(id) => id,
            PersonMatch::Uncertain { person_id, reason } => {
                return self.uncertain(person_id, reason, &incoming)
            }
            // A reading belongs to someone under watch: a name the register does not know is
            // a typo or a stranger, never a new person.
            PersonMatch::None if self.target == Target::HealthChecks => {
                return Ok(Resolved::Refused(FieldProblem::error(
                    "name",
                    "person_unknown",
                    format!(
                        "台账中没有“{}”：体温只记在正在隔离或健康监测的人名下，请核对姓名或加上身份证号",
                        incoming.name
                    ),
                )))
            }
            PersonMatch::None => {
                return self.add_new(
                    incoming,
                    checked.originals,
                    key,
                    places,
                    place,
                    row,
                    batch,
                    problems,
                )
            }
        };
        self.update(
            id,
            incoming,
            checked.originals,
            key,
            places,
            place,
            row,
            batch,
            problems,
        )
    }

    /// Whom a row is about: the person a review decision names, the one namesake under watch
    /// on a reading's day, or the register's match. `Err` when a reading's name is shared.
    fn match_row(
        &self,
        incoming: &CleanPerson,
        values: &Values,
        door_label: &str,
    ) -> Result<std::result::Result<PersonMatch, FieldProblem>> {
        Ok(Ok(match self.force {
            Some(Force::Into(id)) => PersonMatch::Exact(id),
            Some(Force::New) => PersonMatch::None,
            None => match self.namesake_under_watch(incoming, values)? {
                Some(Ok(id)) => PersonMatch::Exact(id),
                Some(Err(problem)) => return Ok(Err(problem)),
                None => self.match_register(incoming, door_label)?,
            },
        }))
    }

    /// An uncertain match goes to the review list, unless the row gives an ID and the person
    /// matched was registered by a row above it: one ID under two names in one sheet is
    /// refused.
    fn uncertain(
        &self,
        person_id: i64,
        reason: String,
        incoming: &CleanPerson,
    ) -> Result<Resolved> {
        if self.created.contains(&person_id) && incoming.id_number.is_some() {
            let theirs = self.store.person(person_id)?.name;
            return Ok(Resolved::Refused(FieldProblem::error(
                "id_number",
                "id_two_names",
                format!(
                    "这个证件号在表中上面的行属于“{theirs}”，这一行是“{}”：同一证件号不能是两个人，请核对姓名或证件号",
                    incoming.name
                ),
            )));
        }
        Ok(Resolved::Review {
            candidate: person_id,
            reason,
        })
    }

    /// A person the register does not have: the member of that name in the row's household,
    /// or the person of that name an earlier import of the roll registered, is updated;
    /// anyone else is registered, in the row's household.
    #[allow(clippy::too_many_arguments)] // reason: the row's person, where they live, and the row
    fn add_new(
        &mut self,
        incoming: CleanPerson,
        originals: Vec<(&'static str, String)>,
        key: Option<HouseKey>,
        places: &mut Places,
        place: Option<i64>,
        row: usize,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let household = match &key {
            Some(key) => self.household_for(places, key, place, batch, problems)?,
            None => {
                self.warn_unplaced_member(&incoming, problems);
                None
            }
        };
        // Someone of the same name already in that household is that person (the
        // sheet just left out the ID the register has, or neither has one).
        if let Some(h) = household {
            if let Some((id, theirs)) = self.store.member_named(h, &incoming.name)? {
                if incoming.id_number.is_none() || theirs.is_none() {
                    return self.update(
                        id, incoming, originals, key, places, place, row, batch, problems,
                    );
                }
            }
        }
        if let Some(id) = self.same_roll(&incoming, row)? {
            return self.update(
                id, incoming, originals, key, places, place, row, batch, problems,
            );
        }
        let mut person = incoming;
        person.household_id = household;
        if let Some(h) = household {
            self.check_head(h, &mut person, problems)?;
        }
        let id = self.store.write_person(&person, batch()?)?;
        self.store.keep_originals(Entity::Person, id, &originals)?;
        self.store
            .add_record_source(batch()?, Entity::Person, id, &self.sheet, row)?;
        self.created.insert(id);
        if let Some(h) = household {
            self.note_member(h, &person.name)?;
        }
        Ok(Resolved::Kept {
            id,
            name: person.name,
            household,
            outcome: super::report::Outcome::Inserted,
        })
    }

    /// The register's person by ID, name + phone, name + birth (+ door).
    fn match_register(&self, incoming: &CleanPerson, door: &str) -> Result<PersonMatch> {
        self.store.match_person(incoming, Some(door))
    }

    /// A row with only a name (no ID, phone or birth date) is the person of that name an
    /// earlier import of the same file and sheet registered — the one from the same row when
    /// the roll has two of that name.
    fn same_roll(&self, incoming: &CleanPerson, row: usize) -> Result<Option<i64>> {
        if incoming.id_number.is_some() || incoming.phone.is_some() || incoming.birth_date.is_some()
        {
            return Ok(None);
        }
        let found = self
            .store
            .persons_from_roll(&self.file, &self.sheet, &incoming.name)?;
        Ok(match found.as_slice() {
            [] => None,
            [(id, _)] => Some(*id),
            many => many
                .iter()
                .find(|(_, r)| *r == row as i64)
                .map(|(id, _)| *id)
                .filter(|id| !self.created.contains(id)),
        }
        .filter(|id| !self.created.contains(id)))
    }

    /// A temperature row that names a person by name alone (a round's sheet often does)
    /// belongs to the one person of that name under watch on its day; with two, the row
    /// needs an ID or phone.
    fn namesake_under_watch(
        &self,
        incoming: &CleanPerson,
        values: &Values,
    ) -> Result<Option<std::result::Result<i64, FieldProblem>>> {
        let by_name_alone = incoming.id_number.is_none()
            && incoming.phone.is_none()
            && incoming.birth_date.is_none();
        if self.target != Target::HealthChecks || !by_name_alone {
            return Ok(None);
        }
        let Some(day) = values.date("check_date").map(|d| d.to_string()) else {
            return Ok(None);
        };
        let ids = self.store.period_holders_named(&incoming.name, &day)?;
        Ok(match ids.as_slice() {
            [] => None,
            [id] => Some(Ok(*id)),
            _ => Some(Err(FieldProblem::error(
                "name",
                "namesake",
                format!(
                    "{day} 在管人员中有不止一位“{}”：请在表中加上身份证号或手机号",
                    incoming.name
                ),
            ))),
        })
    }

    /// An existing person with the sheet's values laid over theirs. A person already in a
    /// household stays there (a warning says when the sheet names another door); a person
    /// without one is placed at the sheet's door.
    #[allow(clippy::too_many_arguments)] // reason: the row's person, where they live, and the row
    fn update(
        &mut self,
        id: i64,
        incoming: CleanPerson,
        originals: Vec<(&'static str, String)>,
        key: Option<HouseKey>,
        places: &mut Places,
        place: Option<i64>,
        row: usize,
        batch: &dyn Fn() -> Result<i64>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let stored = self.store.person(id)?;
        let current = clean_of(&stored);
        let mut merged = merge(&current, &incoming);
        match (&key, stored.household_id) {
            (Some(key), Some(h)) => {
                if let HouseKey::Door(door) = key {
                    let s = self.store.household_summary(h)?;
                    if door_key(s.door_name.as_deref(), s.door_number.as_deref()) != door.key() {
                        problems.push(FieldProblem::warning(
                            "door_number",
                            "household_differs",
                            format!(
                                "台账中{}住在{}，表中为{}：未迁户。如确已搬家，请在户籍登记中迁户",
                                merged.name,
                                s.label(),
                                door.label()
                            ),
                        ));
                    }
                }
            }
            (Some(key), None) => {
                merged.household_id = self.household_for(places, key, place, batch, problems)?;
            }
            (None, _) => {}
        }
        let moved = merged.household_id != stored.household_id;
        if moved
            || (merged.relation_to_head.as_deref() == Some("户主")
                && current.relation_to_head.as_deref() != Some("户主"))
        {
            if let Some(h) = merged.household_id {
                self.check_head(h, &mut merged, problems)?;
            }
        }
        if merged == current {
            return Ok(Resolved::Kept {
                id,
                name: merged.name,
                household: merged.household_id,
                outcome: super::report::Outcome::Unchanged,
            });
        }
        if moved {
            self.store.log_change(
                Entity::Person,
                id,
                "迁户",
                Some(serde_json::json!({ "household_id": [stored.household_id, merged.household_id] })),
            )?;
            if let Some(h) = merged.household_id {
                self.note_member(h, &merged.name)?;
            }
        }
        self.store.write_person(&merged, batch()?)?;
        self.store.keep_originals(Entity::Person, id, &originals)?;
        self.store
            .add_record_source(batch()?, Entity::Person, id, &self.sheet, row)?;
        Ok(Resolved::Kept {
            id,
            name: merged.name,
            household: merged.household_id,
            outcome: if self.created.contains(&id) {
                super::report::Outcome::Unchanged
            } else {
                super::report::Outcome::Updated
            },
        })
    }
}

/// A stored person as the clean form a row is merged into.
fn clean_of(p: &Person) -> CleanPerson {
    let mut clean = CleanPerson::from(p);
    clean.tags.sort();
    clean
}

/// A sheet's values laid over a person: what the sheet gives replaces, what it leaves blank
/// keeps. The name, the document and the household stay the register's; a 居住状态 the sheet
/// only defaulted (常住) never overwrites one the register knows; tags add up.
fn merge(current: &CleanPerson, incoming: &CleanPerson) -> CleanPerson {
    let mut p = crate::model::overlay::overlaid(current, incoming);
    if p.id_number.is_none() && incoming.id_number.is_some() {
        p.id_number = incoming.id_number.clone();
        p.id_type = incoming.id_type.clone();
    }
    if incoming.residence_status != "常住" {
        p.residence_status = incoming.residence_status.clone();
    }
    for tag in &incoming.tags {
        if !p.tags.contains(tag) {
            p.tags.push(tag.clone());
        }
    }
    p.tags.sort();
    p
}
