//! Planning an import: each row of the sheet is judged completely — its values read through
//! the field tables, its person identified and matched against the register (and against the
//! rows above it), its place and household found, its record built and compared with what the
//! ledger already holds — into a `RowPlan`, before anything is written. Only `apply` writes.
//!
//! Rows above refer to records the plan will create (`Ref::New`): a person registered in row
//! 3 is the same person in row 40, a household created for 东街12号 takes its next member.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::report::{HouseholdChange, Outcome, Problem, RowPreview};
use super::target::Target;
use super::RawCell;
use crate::error::{Code, Error, Result};
use crate::model::fields::{self, Field};
use crate::model::input::{Context, Mode, Values};
use crate::model::*;
use crate::store::{PersonMatch, Store};
use crate::validate::{FieldProblem, Severity};

/// A record of the ledger, or one this import will create (by its index in the plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    Existing(i64),
    New(usize),
}

/// A place the import creates because the user confirmed it (`create_places`).
#[derive(Debug, Clone)]
pub struct NewPlace {
    pub parent: Option<Ref>,
    pub level: &'static str,
    pub name: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub place: Ref,
    pub door_name: Option<String>,
    pub door_number: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub person: CleanPerson,
    pub household: Option<Ref>,
    pub originals: Vec<(&'static str, String)>,
}

/// What a row does to its person.
#[derive(Debug, Clone)]
pub enum PersonStep {
    /// The person is as the sheet has them (in the register, or registered by a row above).
    Same(Ref),
    /// An existing person whose fields (or household) the sheet changes.
    Update {
        id: i64,
        person: Box<CleanPerson>,
        originals: Vec<(&'static str, String)>,
        household: Option<Ref>,
    },
    /// A new person (`Plan::persons[index]`).
    Create(usize),
}

impl PersonStep {
    pub fn person_ref(&self) -> Ref {
        match self {
            PersonStep::Same(r) => *r,
            PersonStep::Update { id, .. } => Ref::Existing(*id),
            PersonStep::Create(i) => Ref::New(*i),
        }
    }
}

/// What a row writes besides its person.
#[derive(Debug, Clone)]
pub enum RecordStep {
    Arrival {
        arrival: Box<Arrival>,
        destination: Option<Ref>,
    },
    ArrivalStatus {
        id: i64,
        status: String,
    },
    Isolation(Box<Isolation>),
    HealthCheck(Box<HealthCheck>),
    HealthCheckUpdate(Box<HealthCheck>),
    Test(Box<Test>),
    TestUpdate(Box<Test>),
    Vaccination(Box<Vaccination>),
    Contact {
        contact: Box<Contact>,
        source: Ref,
    },
    Stop {
        stop: Box<CheckpointCheck>,
        checkpoint: Ref,
        handed_to: Option<Ref>,
    },
}

/// A row whose person matched the register only uncertainly.
#[derive(Debug, Clone)]
pub struct ReviewStep {
    pub candidate: i64,
    pub reason: String,
    pub incoming: serde_json::Value,
}

/// One row, judged.
#[derive(Debug, Clone)]
pub struct RowPlan {
    pub row: usize,
    pub outcome: Outcome,
    pub person: Option<PersonStep>,
    pub record: Option<RecordStep>,
    pub record_originals: Vec<(&'static str, String)>,
    pub review: Option<ReviewStep>,
}

/// A decision from the review list that overrides matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Force {
    /// The row's person is this one of the register.
    Into(i64),
    /// The row's person is someone new.
    New,
}

/// How the file's rows are placed when they do not say so themselves.
#[derive(Debug, Clone, Default)]
pub struct PlaceOptions {
    /// The place chosen for the whole file (`--village`, the wizard's choice).
    pub file_place: Option<i64>,
    /// Create places the sheet names that the ledger does not have (the user confirmed).
    pub create_places: bool,
}

/// The plan of a whole sheet: the rows, and what they will create.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    pub persons: Vec<NewPerson>,
    pub households: Vec<NewHousehold>,
    pub places: Vec<NewPlace>,
    pub checkpoints: Vec<String>,
}

/// A column as the planner reads it.
pub struct Column {
    pub index: usize,
    pub header: String,
    pub field: &'static Field,
    /// The value every row takes for a field the sheet has no column for (the round's day,
    /// the station's checkpoint); `index` is then past the sheet's last column.
    pub fixed: Option<RawCell>,
}

/// The door of a household as a sheet gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Door {
    name: Option<String>,
    number: Option<String>,
}

impl Door {
    /// The door as a sheet gives it. A sheet with one address column holds the whole door in
    /// it (东街3号, 河沿路11号2单元): that is split into 门牌名 and 门牌号 as the register keeps
    /// them, so it finds the household already there.
    fn of(name: Option<String>, number: Option<String>) -> Door {
        let whole = match (&name, &number) {
            (Some(one), None) | (None, Some(one)) => one.clone(),
            _ => return Door { name, number },
        };
        let split = whole
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .filter(|(i, _)| *i > 0 && whole[*i..].contains('号'))
            .map(|(i, _)| i);
        match split {
            Some(i) => Door {
                name: Some(whole[..i].trim().to_string()),
                number: Some(whole[i..].trim().to_string()),
            },
            None => Door { name, number },
        }
    }

    fn label(&self) -> String {
        format!(
            "{}{}",
            self.name.as_deref().unwrap_or(""),
            self.number.as_deref().unwrap_or("")
        )
    }
}

/// Keys of records planned so far, so a sheet that lists a record twice writes it once.
#[derive(Default)]
struct Seen {
    records: HashSet<(Ref, &'static str, String)>,
    /// (person, day) → index of the row whose plan holds that day's check.
    checks: HashMap<(Ref, String), usize>,
}

pub struct Planner<'a> {
    store: &'a Store,
    target: Target,
    sheet: String,
    today: NaiveDate,
    default_year: i32,
    columns: Vec<Column>,
    options: PlaceOptions,
    places: Vec<Place>,
    single_village: Option<i64>,
    pub plan: Plan,
    pub problems: Vec<Problem>,
    pub unknown_places: BTreeMap<String, usize>,
    /// Rows with an error: (sheet row, cells), for the problems workbook.
    pub rejected: Vec<(usize, Vec<String>)>,
    /// (ID number, type) → the person and the name the sheet gave them.
    by_id: HashMap<(String, String), (Ref, String)>,
    by_name_phone: HashMap<(String, String), Ref>,
    by_name_birth: HashMap<(String, String), (Ref, String)>,
    updated: HashMap<i64, (CleanPerson, Option<Ref>)>,
    /// Persons this import registered in chunks already written: a later row that adds to
    /// one counts as unchanged, as it does when the whole sheet is planned before writing.
    registered: HashSet<i64>,
    households_by_door: HashMap<(Ref, Door), Ref>,
    heads: HashMap<Ref, String>,
    place_cache: HashMap<[Option<String>; 4], std::result::Result<Option<Ref>, String>>,
    checkpoint_cache: HashMap<String, Ref>,
    seen: Seen,
    /// The door of the row above, for members listed under their head without one.
    last_door: Option<(Door, Option<Ref>)>,
    household_changes: BTreeMap<Ref, HouseholdChange>,
    pub preview: Vec<RowPreview>,
    force: Option<Force>,
}

/// How many rows the report shows as they will be written.
const PREVIEW_ROWS: usize = 50;
/// How many households the report shows before → after.
const PREVIEW_HOUSEHOLDS: usize = 100;

impl<'a> Planner<'a> {
    pub fn new(
        store: &'a Store,
        target: Target,
        sheet: &str,
        columns: Vec<Column>,
        default_year: i32,
        options: PlaceOptions,
    ) -> Result<Planner<'a>> {
        let places = store.places()?;
        let villages: Vec<i64> = places
            .iter()
            .filter(|p| p.level == "村")
            .map(|p| p.id)
            .collect();
        Ok(Planner {
            store,
            target,
            sheet: sheet.to_string(),
            today: store.today(),
            default_year,
            columns,
            options,
            single_village: (villages.len() == 1).then(|| villages[0]),
            places,
            plan: Plan::default(),
            problems: Vec::new(),
            unknown_places: BTreeMap::new(),
            rejected: Vec::new(),
            by_id: HashMap::new(),
            by_name_phone: HashMap::new(),
            by_name_birth: HashMap::new(),
            updated: HashMap::new(),
            registered: HashSet::new(),
            households_by_door: HashMap::new(),
            heads: HashMap::new(),
            place_cache: HashMap::new(),
            checkpoint_cache: HashMap::new(),
            seen: Seen::default(),
            last_door: None,
            household_changes: BTreeMap::new(),
            preview: Vec::new(),
            force: None,
        })
    }

    /// Decides the person of the rows to come (a review decision) instead of matching.
    pub fn force(&mut self, force: Force) {
        self.force = Some(force);
    }

    /// After a chunk of the plan was written: what the plan created is now in the ledger, so
    /// rows still to come refer to it by its id; the written rows are dropped (a large
    /// import keeps only the rows of one chunk in memory).
    pub fn settle(&mut self, applied: &super::apply::Applied) -> Result<()> {
        let id = |ids: &[Option<i64>], r: Ref| match r {
            Ref::New(i) => ids
                .get(i)
                .copied()
                .flatten()
                .map(Ref::Existing)
                .unwrap_or(r),
            existing => existing,
        };
        let person = |r: Ref| id(&applied.persons, r);
        let household = |r: Ref| id(&applied.households, r);
        let place = |r: Ref| id(&applied.places, r);
        let checkpoint = |r: Ref| id(&applied.checkpoints, r);
        for r in self
            .by_id
            .values_mut()
            .map(|(r, _)| r)
            .chain(self.by_name_phone.values_mut())
        {
            *r = person(*r);
        }
        for (r, _) in self.by_name_birth.values_mut() {
            *r = person(*r);
        }
        self.updated.clear();
        self.registered.extend(applied.persons.iter().flatten());
        rekey(&mut self.households_by_door, |(village, door)| {
            (place(*village), door.clone())
        });
        for h in self.households_by_door.values_mut() {
            *h = household(*h);
        }
        rekey(&mut self.heads, |h| household(*h));
        for resolved in self.place_cache.values_mut() {
            if let Ok(Some(r)) = resolved {
                *r = place(*r);
            }
        }
        for r in self.checkpoint_cache.values_mut() {
            *r = checkpoint(*r);
        }
        let fresh: Vec<_> = self
            .seen
            .records
            .iter()
            .filter(|(r, _, _)| matches!(r, Ref::New(_)))
            .cloned()
            .collect();
        for entry in fresh {
            self.seen.records.remove(&entry);
            let (r, kind, key) = entry;
            let r = if kind == "stop" {
                checkpoint(r)
            } else {
                person(r)
            };
            self.seen.records.insert((r, kind, key));
        }
        self.seen.checks.clear();
        if let Some((_, Some(p))) = &mut self.last_door {
            *p = place(*p);
        }
        let fresh: Vec<Ref> = self
            .household_changes
            .keys()
            .filter(|h| matches!(h, Ref::New(_)))
            .copied()
            .collect();
        for h in fresh {
            if let Some(change) = self.household_changes.remove(&h) {
                self.household_changes.entry(household(h)).or_insert(change);
            }
        }
        self.plan = Plan::default();
        self.places = self.store.places()?;
        Ok(())
    }

    /// Households touched, before → after.
    pub fn household_changes(&self) -> Vec<HouseholdChange> {
        self.household_changes.values().cloned().collect()
    }

    /// A blank or total row between rows: a member never takes the door of a row above it.
    pub fn break_run(&mut self) {
        self.last_door = None;
    }

    /// Judges one data row and adds its plan.
    pub fn plan_row(&mut self, row: usize, cells: &[RawCell]) -> Result<()> {
        let mut person_values = Values::new();
        let mut values = Values::new();
        for column in &self.columns {
            let cell = match &column.fixed {
                Some(fixed) => fixed,
                None => cells.get(column.index).unwrap_or(&RawCell::Empty),
            };
            let cx = Context {
                today: self.today,
                default_year: self.default_year,
                header: &column.header,
            };
            let is_person = self.target.has_person()
                && fields::PERSON.iter().any(|f| f.key == column.field.key)
                && !self.target.own().iter().any(|f| f.key == column.field.key);
            let into = if is_person {
                &mut person_values
            } else {
                &mut values
            };
            into.read(column.field, cell, &cx, Mode::Lenient);
        }
        let mut problems: Vec<FieldProblem> = Vec::new();
        let plan = if self.target.has_person() {
            self.plan_person_row(row, person_values, values, &mut problems)?
        } else {
            self.plan_stop_row(row, values, &mut problems)?
        };
        let outcome = plan.outcome;
        // Who the row is about, as the sheet writes it: a refused row still says whose it is.
        let name = self
            .columns
            .iter()
            .find(|c| c.field.key == "name")
            .and_then(|c| cells.get(c.index))
            .map(|c| c.text_short(50))
            .unwrap_or_default();
        if self.preview.len() < PREVIEW_ROWS {
            let mut preview = self.preview_of(&plan);
            if preview.name.is_empty() {
                preview.name = name.clone();
            }
            self.preview.push(preview);
        }
        self.plan.rows.push(plan);
        if matches!(outcome, Outcome::Refused | Outcome::Partial) {
            self.rejected
                .push((row, cells.iter().map(|c| c.text_short(2000)).collect()));
        }
        for p in problems {
            let (column, value) = self.column_of(&p.field, cells);
            self.problems.push(Problem {
                sheet: self.sheet.clone(),
                row,
                name: name.clone(),
                column,
                value,
                code: p.code,
                message: p.message,
                warning: p.severity == Severity::Warning,
            });
        }
        Ok(())
    }

    /// The header and cell text of the column a field came from (for a derived field, the
    /// ID column or the name column).
    fn column_of(&self, field: &str, cells: &[RawCell]) -> (String, String) {
        let column = self
            .columns
            .iter()
            .find(|c| c.field.key == field)
            .or_else(|| self.columns.iter().find(|c| c.field.key == "id_number"))
            .or_else(|| self.columns.iter().find(|c| c.field.key == "name"));
        match column {
            Some(c) => (
                c.header.clone(),
                c.fixed
                    .as_ref()
                    .or(cells.get(c.index))
                    .map(|v| v.text_short(100))
                    .unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        }
    }

    fn plan_person_row(
        &mut self,
        row: usize,
        person_values: Values,
        mut values: Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<RowPlan> {
        let refused = |problems: &mut Vec<FieldProblem>, mut more: Vec<FieldProblem>| {
            problems.append(&mut more);
            RowPlan {
                row,
                outcome: Outcome::Refused,
                person: None,
                record: None,
                record_originals: Vec::new(),
                review: None,
            }
        };
        let incoming_json = {
            let mut json = person_values.to_json();
            if let (serde_json::Value::Object(map), serde_json::Value::Object(more)) =
                (&mut json, values.to_json())
            {
                map.extend(more);
            }
            json
        };
        let checked =
            match person_from_values(person_values, None, None, &[], self.today, Mode::Lenient) {
                Ok(checked) => checked,
                Err(person_problems) => {
                    self.last_door = None;
                    return Ok(refused(problems, person_problems));
                }
            };
        problems.extend(checked.warnings.iter().cloned());
        // The record's own problems (required fields, bad values) are known before anything
        // is decided about the person.
        values.require(self.target.own());
        let record_problems = std::mem::take(&mut values.problems);
        let record_failed = record_problems
            .iter()
            .any(|p| p.severity == Severity::Error);
        problems.extend(record_problems);

        let place = match self.place_of(&values) {
            Ok(place) => place,
            Err(problem) => {
                self.last_door = None;
                return Ok(refused(problems, vec![problem]));
            }
        };
        let door = self.door_of(&values, &checked.value, place);
        let resolved = match self.namesake_under_watch(&checked.value, &values)? {
            Some(Ok(id)) => {
                self.update_existing(id, checked.value, checked.originals, door, problems)?
            }
            Some(Err(problem)) => {
                self.last_door = None;
                return Ok(refused(problems, vec![problem]));
            }
            None => self.resolve_person(checked, door, place, problems)?,
        };
        let (step, person_outcome) = match resolved {
            Resolved::Step(step, outcome) => (step, outcome),
            Resolved::Refused(problem) => {
                self.last_door = None;
                return Ok(refused(problems, vec![problem]));
            }
            Resolved::Review(candidate, reason) => {
                let mut json = incoming_json;
                json["_target"] = serde_json::Value::String(self.target.key().into());
                return Ok(RowPlan {
                    row,
                    outcome: Outcome::Review,
                    person: None,
                    record: None,
                    record_originals: Vec::new(),
                    review: Some(ReviewStep {
                        candidate,
                        reason,
                        incoming: json,
                    }),
                });
            }
        };
        if self.target == Target::Persons {
            return Ok(RowPlan {
                row,
                outcome: person_outcome,
                person: Some(step),
                record: None,
                record_originals: Vec::new(),
                review: None,
            });
        }
        let person = step.person_ref();
        let record = if record_failed {
            None
        } else {
            self.record_step(person, place, &values, problems)?
        };
        let failed = problems.iter().any(|p| p.severity == Severity::Error);
        let outcome = match (&record, failed) {
            (_, true) => Outcome::Partial,
            (Some(_), false) => match person_outcome {
                Outcome::Unchanged => match &record {
                    Some(
                        RecordStep::ArrivalStatus { .. }
                        | RecordStep::HealthCheckUpdate(_)
                        | RecordStep::TestUpdate(_),
                    ) => Outcome::Updated,
                    _ => Outcome::Inserted,
                },
                other => other,
            },
            (None, false) => match person_outcome {
                Outcome::Inserted => Outcome::Inserted,
                Outcome::Updated => Outcome::Updated,
                _ => Outcome::Unchanged,
            },
        };
        Ok(RowPlan {
            row,
            outcome,
            person: Some(step),
            record,
            record_originals: values.originals,
            review: None,
        })
    }

    /// The place a row belongs to: the places its own columns name, else the file's place,
    /// else the ledger's only village. Never the first of several villages by default.
    fn place_of(&mut self, values: &Values) -> std::result::Result<Option<Ref>, FieldProblem> {
        let names = [
            values.text("township"),
            values.text("village"),
            values.text("grid"),
            values.text("group"),
        ];
        if names.iter().all(Option::is_none) {
            return Ok(self.default_place());
        }
        if let Some(cached) = self.place_cache.get(&names) {
            return cached.clone().map_err(|message| {
                FieldProblem::error(field_of(&names), "place_unknown", message)
            });
        }
        let resolved = self.resolve_place(&names);
        self.place_cache.insert(names.clone(), resolved.clone());
        resolved.map_err(|message| FieldProblem::error(field_of(&names), "place_unknown", message))
    }

    fn default_place(&self) -> Option<Ref> {
        self.options
            .file_place
            .or(self.single_village)
            .map(Ref::Existing)
    }

    /// Finds (or, when confirmed, plans) the township → village → grid → group a row names.
    fn resolve_place(
        &mut self,
        names: &[Option<String>; 4],
    ) -> std::result::Result<Option<Ref>, String> {
        let levels = ["乡镇", "村", "网格", "联户组"];
        // Start from the file's place when the row names only lower levels.
        let mut current: Option<Ref> = if names[0].is_none() && names[1].is_none() {
            self.default_place()
        } else {
            None
        };
        for (i, name) in names.iter().enumerate() {
            let Some(name) = name else { continue };
            let level = levels[i];
            let found = self.find_place(current, level, name);
            current = match found {
                Found::One(r) => Some(r),
                Found::Many => {
                    return Err(format!(
                        "台账中有几个叫“{name}”的{level}，无法确定是哪一个：请在表中加上所属乡镇（或村）一列，或导入时选择村（社区）"
                    ))
                }
                Found::None if self.options.create_places => {
                    let (name, code) = split_code(name);
                    let index = self.plan.places.len();
                    self.plan.places.push(NewPlace {
                        parent: current,
                        level,
                        name: name.clone(),
                        code,
                    });
                    Some(Ref::New(index))
                }
                Found::None => {
                    *self.unknown_places.entry(format!("{level}：{name}")).or_default() += 1;
                    return Err(format!(
                        "{level}“{name}”不在台账中：请先在户籍登记中建立它（或核对名称），或导入时确认新建表中的地点"
                    ));
                }
            };
        }
        Ok(current)
    }

    /// A place of a level by name or division code, under `parent` (anywhere when None).
    fn find_place(&self, parent: Option<Ref>, level: &str, name: &str) -> Found {
        if let Some(Ref::New(_)) = parent {
            // Under a place this import creates, only places it also creates can be found.
            return match self
                .plan
                .places
                .iter()
                .position(|p| p.parent == parent && p.name == *name)
            {
                Some(i) => Found::One(Ref::New(i)),
                None => Found::None,
            };
        }
        let parent_id = match parent {
            Some(Ref::Existing(id)) => Some(id),
            _ => None,
        };
        let (bare, code) = split_code(name);
        let matches: Vec<&Place> = self
            .places
            .iter()
            .filter(|p| p.level == level)
            .filter(|p| {
                p.name == bare
                    || (code.is_some() && p.code == code)
                    || p.code.as_deref() == Some(name)
            })
            .filter(|p| match parent_id {
                Some(id) => self.is_under(p.id, id),
                None => true,
            })
            .collect();
        match matches.len() {
            0 => match self
                .plan
                .places
                .iter()
                .position(|p| p.parent == parent && p.name == bare)
            {
                Some(i) => Found::One(Ref::New(i)),
                None => Found::None,
            },
            1 => Found::One(Ref::Existing(matches[0].id)),
            _ => Found::Many,
        }
    }

    fn is_under(&self, place: i64, ancestor: i64) -> bool {
        let mut current = Some(place);
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            current = self
                .places
                .iter()
                .find(|p| p.id == id)
                .and_then(|p| p.parent_id);
        }
        false
    }

    /// The village a place lies in (itself when it is one).
    fn village_of(&self, place: Ref) -> Ref {
        match place {
            Ref::Existing(mut id) => loop {
                match self.places.iter().find(|p| p.id == id) {
                    Some(p) if p.level == "村" => return Ref::Existing(p.id),
                    Some(Place {
                        parent_id: Some(parent),
                        ..
                    }) => id = *parent,
                    _ => return place,
                }
            },
            Ref::New(mut i) => loop {
                let p = &self.plan.places[i];
                match (p.level, p.parent) {
                    ("村", _) => return Ref::New(i),
                    (_, Some(Ref::New(parent))) => i = parent,
                    (_, Some(existing)) => return self.village_of(existing),
                    (_, None) => return Ref::New(i),
                }
            },
        }
    }

    fn place_label(&self, place: Ref) -> String {
        match place {
            Ref::Existing(id) => self
                .places
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.path.clone())
                .unwrap_or_default(),
            Ref::New(i) => {
                let p = &self.plan.places[i];
                match p.parent {
                    Some(parent) => format!("{}/{}（新建）", self.place_label(parent), p.name),
                    None => format!("{}（新建）", p.name),
                }
            }
        }
    }

    /// The door a row names; a member listed under their head without a door takes the
    /// head's (household rolls merge the door cells down over the members).
    fn door_of(
        &mut self,
        values: &Values,
        person: &CleanPerson,
        place: Option<Ref>,
    ) -> Option<(Door, Option<Ref>)> {
        let door = Door::of(values.text("door_name"), values.text("door_number"));
        if door.name.is_some() || door.number.is_some() {
            self.last_door = Some((door.clone(), place));
            return Some((door, place));
        }
        let member = person
            .relation_to_head
            .as_deref()
            .is_some_and(|r| r != "户主");
        if member && self.target == Target::Persons {
            return self.last_door.clone();
        }
        self.last_door = None;
        None
    }

    /// A temperature row that names a person by name alone (a round's sheet often does)
    /// belongs to the one person of that name under watch on its day; with two, the row
    /// needs an ID or phone. None when the row identifies its person otherwise.
    fn namesake_under_watch(
        &self,
        incoming: &CleanPerson,
        values: &Values,
    ) -> Result<Option<std::result::Result<i64, FieldProblem>>> {
        let by_name_alone = incoming.id_number.is_none()
            && incoming.phone.is_none()
            && incoming.birth_date.is_none();
        if self.target != Target::HealthChecks || self.force.is_some() || !by_name_alone {
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

    fn resolve_person(
        &mut self,
        checked: Checked<CleanPerson>,
        door: Option<(Door, Option<Ref>)>,
        place: Option<Ref>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let incoming = checked.value;
        let door_label = door.as_ref().map(|(d, _)| d.label()).unwrap_or_default();
        let matched = match self.force {
            Some(Force::Into(id)) => {
                return self.update_existing(id, incoming, checked.originals, door, problems)
            }
            Some(Force::New) => PersonMatch::None,
            None => {
                // Rows above first: a person this import registers or changes.
                if let Some(found) = self.planned_match(&incoming, &door_label) {
                    return Ok(match found {
                        Planned::Same(Ref::New(i)) => {
                            merge_into(&mut self.plan.persons[i].person, &incoming);
                            Resolved::Step(PersonStep::Same(Ref::New(i)), Outcome::Unchanged)
                        }
                        Planned::Same(Ref::Existing(id)) => {
                            self.update_existing(id, incoming, checked.originals, door, problems)?
                        }
                        // One ID number, two names: never one person quietly renamed.
                        Planned::OtherName(Ref::Existing(id), name) => Resolved::Review(
                            id,
                            format!("证件号相同但姓名不同：表中上面的行是“{name}”，这一行是“{}”", incoming.name),
                        ),
                        Planned::OtherName(Ref::New(_), name) => {
                            Resolved::Refused(FieldProblem::error(
                                "id_number",
                                "id_two_names",
                                format!(
                                    "这个证件号在表中上面的行属于“{name}”，这一行是“{}”：同一证件号不能是两个人，请核对姓名或证件号",
                                    incoming.name
                                ),
                            ))
                        }
                    });
                }
                self.store.match_person(&incoming, Some(&door_label))?
            }
        };
        match matched {
            PersonMatch::Exact(id) => {
                self.update_existing(id, incoming, checked.originals, door, problems)
            }
            PersonMatch::Uncertain { person_id, reason } => Ok(Resolved::Review(person_id, reason)),
            // A reading belongs to someone under watch: a name the register does not know is
            // a typo or a stranger, never a new person.
            PersonMatch::None if self.target == Target::HealthChecks => {
                Ok(Resolved::Refused(FieldProblem::error(
                    "name",
                    "person_unknown",
                    format!(
                        "台账中没有“{}”：体温只记在正在隔离或健康监测的人名下，请核对姓名或加上身份证号",
                        incoming.name
                    ),
                )))
            }
            PersonMatch::None => {
                let household = match &door {
                    Some((door, door_place)) => {
                        self.household_for(door, door_place.or(place), problems)?
                    }
                    None => None,
                };
                // Someone of the same name already in that household is that person (the
                // sheet just left out the ID the register has, or neither has one).
                if let Some(Ref::Existing(h)) = household {
                    if let Some((id, theirs)) = self.store.member_named(h, &incoming.name)? {
                        if incoming.id_number.is_none() || theirs.is_none() {
                            return self.update_existing(
                                id,
                                incoming,
                                checked.originals,
                                door,
                                problems,
                            );
                        }
                    }
                }
                let mut person = incoming;
                if let Some(h) = household {
                    self.check_head(h, &mut person, problems)?;
                }
                let index = self.plan.persons.len();
                self.remember(&person, Ref::New(index), &door_label);
                if let Some(h) = household {
                    self.note_member(h, &person.name)?;
                }
                self.plan.persons.push(NewPerson {
                    person,
                    household,
                    originals: checked.originals,
                });
                Ok(Resolved::Step(PersonStep::Create(index), Outcome::Inserted))
            }
        }
    }

    fn planned_match(&self, p: &CleanPerson, door: &str) -> Option<Planned> {
        if let Some(n) = &p.id_number {
            return self
                .by_id
                .get(&(n.clone(), p.id_type.clone()))
                .map(|(r, name)| {
                    if *name == p.name {
                        Planned::Same(*r)
                    } else {
                        Planned::OtherName(*r, name.clone())
                    }
                });
        }
        if let Some(phone) = &p.phone {
            if let Some(r) = self.by_name_phone.get(&(p.name.clone(), phone.clone())) {
                return Some(Planned::Same(*r));
            }
        }
        if let Some(birth) = p.birth_date {
            if let Some((r, their_door)) =
                self.by_name_birth.get(&(p.name.clone(), birth.to_string()))
            {
                if their_door == door {
                    return Some(Planned::Same(*r));
                }
            }
        }
        None
    }

    fn remember(&mut self, p: &CleanPerson, r: Ref, door: &str) {
        if let Some(n) = &p.id_number {
            self.by_id
                .insert((n.clone(), p.id_type.clone()), (r, p.name.clone()));
        }
        if let Some(phone) = &p.phone {
            self.by_name_phone
                .insert((p.name.clone(), phone.clone()), r);
        }
        if let Some(birth) = p.birth_date {
            self.by_name_birth
                .insert((p.name.clone(), birth.to_string()), (r, door.to_string()));
        }
    }

    /// An existing person with the sheet's values laid over theirs. A person already in a
    /// household stays there (a warning says when the sheet names another door); a person
    /// without one is placed at the sheet's door.
    fn update_existing(
        &mut self,
        id: i64,
        incoming: CleanPerson,
        originals: Vec<(&'static str, String)>,
        door: Option<(Door, Option<Ref>)>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Resolved> {
        let stored = self.store.person(id)?;
        let (current, current_household) = match self.updated.get(&id) {
            Some((p, h)) => (p.clone(), *h),
            None => (clean_of(&stored), stored.household_id.map(Ref::Existing)),
        };
        let mut merged = current.clone();
        merge_into(&mut merged, &incoming);
        merged.id = Some(id);
        merged.household_id = stored.household_id;
        let mut household = current_household;
        if let Some((door, door_place)) = &door {
            match current_household {
                Some(h) => {
                    if let Some(label) = self.household_door_label(h)? {
                        if label != door.label() {
                            problems.push(FieldProblem::warning(
                                "door_number",
                                "household_differs",
                                format!(
                                    "台账中{}住在{label}，表中为{}：未迁户。如确已搬家，请在户籍登记中迁户",
                                    merged.name,
                                    door.label()
                                ),
                            ));
                        }
                    }
                }
                None => {
                    household = self.household_for(door, *door_place, problems)?;
                }
            }
        }
        if household != current_household {
            if let Some(h) = household {
                self.check_head(h, &mut merged, problems)?;
                self.note_member(h, &merged.name)?;
            }
        } else if merged.relation_to_head.as_deref() == Some("户主")
            && current.relation_to_head.as_deref() != Some("户主")
        {
            if let Some(h) = household {
                self.check_head(h, &mut merged, problems)?;
            }
        }
        let door_label = door.as_ref().map(|(d, _)| d.label()).unwrap_or_default();
        self.remember(&merged, Ref::Existing(id), &door_label);
        if merged == current && household == current_household {
            return Ok(Resolved::Step(
                PersonStep::Same(Ref::Existing(id)),
                Outcome::Unchanged,
            ));
        }
        self.updated.insert(id, (merged.clone(), household));
        let outcome = if self.registered.contains(&id) {
            Outcome::Unchanged
        } else {
            Outcome::Updated
        };
        Ok(Resolved::Step(
            PersonStep::Update {
                id,
                person: Box::new(merged),
                originals,
                household: if household != current_household {
                    household
                } else {
                    None
                },
            },
            outcome,
        ))
    }

    fn household_door_label(&self, h: Ref) -> Result<Option<String>> {
        Ok(match h {
            Ref::Existing(id) => {
                let s = self.store.household_summary(id)?;
                Some(s.label())
            }
            Ref::New(i) => {
                let h = &self.plan.households[i];
                Some(format!(
                    "{}{}",
                    h.door_name.as_deref().unwrap_or(""),
                    h.door_number.as_deref().unwrap_or("")
                ))
            }
        })
    }

    /// A second head for a household is not taken: the person joins without that relation.
    fn check_head(
        &mut self,
        household: Ref,
        person: &mut CleanPerson,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<()> {
        if person.relation_to_head.as_deref() != Some("户主") {
            return Ok(());
        }
        let existing = match self.heads.get(&household) {
            Some(name) => Some(name.clone()),
            None => match household {
                Ref::Existing(h) => self
                    .store
                    .household_head(h)?
                    .filter(|(id, _)| Some(*id) != person.id)
                    .map(|(_, name)| name),
                Ref::New(_) => None,
            },
        };
        match existing {
            Some(head) if head != person.name => {
                problems.push(FieldProblem::warning(
                    "relation_to_head",
                    "second_head",
                    format!("该户已有户主{head}，{}未记为户主（与户主关系留空）；如需更换户主，请在户籍登记中修改", person.name),
                ));
                person.relation_to_head = None;
            }
            _ => {
                self.heads.insert(household, person.name.clone());
            }
        }
        Ok(())
    }

    /// The household at a door in the row's village: one with exactly this door, else a new
    /// one. Without a village (several in the ledger and none named) the person stays
    /// unplaced, with a warning.
    fn household_for(
        &mut self,
        door: &Door,
        place: Option<Ref>,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<Ref>> {
        let Some(place) = place else {
            problems.push(FieldProblem::warning(
                "door_number",
                "village_unknown",
                format!(
                    "台账中有多个村（社区），这一行没有写所属村：{}暂未分户。请在表中加“所属村”一列，或导入时选择村（社区）",
                    door.label()
                ),
            ));
            return Ok(None);
        };
        let village = self.village_of(place);
        if let Some(h) = self.households_by_door.get(&(village, door.clone())) {
            return Ok(Some(*h));
        }
        let found = match village {
            Ref::Existing(v) => {
                self.store
                    .households_at_door(v, door.name.as_deref(), door.number.as_deref())?
            }
            Ref::New(_) => Vec::new(),
        };
        let household = match found.as_slice() {
            [h] => Ref::Existing(*h),
            [first, ..] => {
                problems.push(FieldProblem::warning(
                    "door_number",
                    "door_ambiguous",
                    format!(
                        "{}在本村有 {} 户，已归入第一户（编号 {first}），请核对",
                        door.label(),
                        found.len()
                    ),
                ));
                Ref::Existing(*first)
            }
            [] => {
                if door.name.is_none() || door.number.is_none() {
                    problems.push(FieldProblem::warning(
                        "door_number",
                        "door_incomplete",
                        format!(
                            "门牌“{}”不完整（缺门牌名或门牌号），已作为一户新建，请核对",
                            door.label()
                        ),
                    ));
                }
                let index = self.plan.households.len();
                self.plan.households.push(NewHousehold {
                    place,
                    door_name: door.name.clone(),
                    door_number: door.number.clone(),
                });
                Ref::New(index)
            }
        };
        self.households_by_door
            .insert((village, door.clone()), household);
        Ok(Some(household))
    }

    /// Notes a member joining a household, for the before → after list.
    fn note_member(&mut self, household: Ref, name: &str) -> Result<()> {
        if !self.household_changes.contains_key(&household) {
            if self.household_changes.len() >= PREVIEW_HOUSEHOLDS {
                return Ok(());
            }
            let (label, place, before) = match household {
                Ref::Existing(id) => {
                    let s = self.store.household_summary(id)?;
                    (
                        s.label(),
                        s.place_path.clone(),
                        self.store.household_member_names(id)?,
                    )
                }
                Ref::New(i) => {
                    let h = &self.plan.households[i];
                    (
                        format!(
                            "{}{}",
                            h.door_name.as_deref().unwrap_or(""),
                            h.door_number.as_deref().unwrap_or("")
                        ),
                        self.place_label(h.place),
                        Vec::new(),
                    )
                }
            };
            self.household_changes.insert(
                household,
                HouseholdChange {
                    label,
                    place,
                    new_household: matches!(household, Ref::New(_)),
                    after: before.clone(),
                    before,
                },
            );
        }
        if let Some(change) = self.household_changes.get_mut(&household) {
            if !change.after.iter().any(|n| n == name) {
                change.after.push(name.to_string());
            }
        }
        Ok(())
    }

    /// The record a row writes for its person; the problems that keep it out (or only warn)
    /// go into `problems`.
    fn record_step(
        &mut self,
        person: Ref,
        place: Option<Ref>,
        v: &Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<RecordStep>> {
        let existing = match person {
            Ref::Existing(id) => Some(id),
            Ref::New(_) => None,
        };
        macro_rules! built {
            ($result:expr) => {
                match $result {
                    Ok((record, mut warnings)) => {
                        problems.append(&mut warnings);
                        record
                    }
                    Err(mut p) => {
                        problems.append(&mut p);
                        return Ok(None);
                    }
                }
            };
        }
        let step = match self.target {
            Target::Persons | Target::CheckpointChecks => return Ok(None),
            Target::Arrivals => {
                let arrival = built!(Arrival::from_values(v, 0, self.today));
                if !self.first_time(
                    person,
                    "arrival",
                    format!("{}{}", arrival.arrival_date, arrival.kind),
                ) {
                    return Ok(None);
                }
                if let Some(id) = existing {
                    if let Some(found) = self.store.existing_record(
                        Entity::Arrival,
                        id,
                        &arrival.arrival_date,
                        Some(&arrival.kind),
                    )? {
                        let stored = self.store.arrival(found)?;
                        return Ok((stored.status != arrival.status).then_some(
                            RecordStep::ArrivalStatus {
                                id: found,
                                status: arrival.status,
                            },
                        ));
                    }
                }
                let destination = place.map(|p| self.village_of(p));
                RecordStep::Arrival {
                    arrival: Box::new(arrival),
                    destination,
                }
            }
            Target::Isolations => {
                let isolation = built!(Isolation::from_values(v, 0));
                if !self.first_time(
                    person,
                    "isolation",
                    format!("{}{}", isolation.start_date, isolation.kind),
                ) {
                    return Ok(None);
                }
                if let Some(id) = existing {
                    if self
                        .store
                        .existing_record(
                            Entity::Isolation,
                            id,
                            &isolation.start_date,
                            Some(&isolation.kind),
                        )?
                        .is_some()
                    {
                        return Ok(None);
                    }
                }
                RecordStep::Isolation(Box::new(isolation))
            }
            Target::HealthChecks => {
                let check = built!(HealthCheck::from_values(v, 0, self.today));
                return self.health_step(person, check, problems);
            }
            Target::Tests => {
                let test = built!(Test::from_values(v, 0, self.today));
                if !self.first_time(person, "test", format!("{}{}", test.sample_date, test.kind)) {
                    return Ok(None);
                }
                if let Some(id) = existing {
                    if let Some(stored) = self.store.test_on(id, &test.sample_date, &test.kind)? {
                        let changed = stored.status == "待采样"
                            || (stored.result == "未出" && test.result != "未出")
                            || (stored.site.is_none() && test.site.is_some());
                        if !changed {
                            return Ok(None);
                        }
                        let mut update = stored.clone();
                        update.status = "已采样".into();
                        if test.result != "未出" {
                            update.result = test.result;
                        }
                        update.site = test.site.or(stored.site);
                        return Ok(Some(RecordStep::TestUpdate(Box::new(update))));
                    }
                }
                RecordStep::Test(Box::new(test))
            }
            Target::Vaccinations => {
                let vaccination = built!(Vaccination::from_values(v, 0));
                if !self.first_time(person, "vaccination", vaccination.dose.to_string()) {
                    return Ok(None);
                }
                if let Some(id) = existing {
                    if self.store.vaccination_dose(id, vaccination.dose)?.is_some() {
                        return Ok(None);
                    }
                }
                RecordStep::Vaccination(Box::new(vaccination))
            }
            Target::Contacts => return self.contact_step(person, v, problems),
        };
        Ok(Some(step))
    }

    /// True the first time a record key is seen in this sheet.
    fn first_time(&mut self, person: Ref, kind: &'static str, key: String) -> bool {
        self.seen.records.insert((person, kind, key))
    }

    /// A day's check belongs to the period that covers it; a second row for the same person
    /// and day fills in the first.
    fn health_step(
        &mut self,
        person: Ref,
        mut check: HealthCheck,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<RecordStep>> {
        let key = (person, check.check_date.clone());
        if let Some(&index) = self.seen.checks.get(&key) {
            if let Some(RecordStep::HealthCheck(earlier) | RecordStep::HealthCheckUpdate(earlier)) =
                self.plan
                    .rows
                    .get_mut(index)
                    .and_then(|r| r.record.as_mut())
            {
                fill_check(earlier, &check);
            }
            return Ok(None);
        }
        let period = match person {
            Ref::Existing(id) => self.store.period_on(id, &check.check_date)?,
            Ref::New(_) => None,
        };
        let (Ref::Existing(id), Some(period)) = (person, period) else {
            problems.push(not_in_period(&check.check_date));
            return Ok(None);
        };
        check.isolation_id = Some(period);
        self.seen.checks.insert(key, self.plan.rows.len());
        match self.store.health_check_on(id, &check.check_date)? {
            Some(stored) => {
                let mut merged = stored.clone();
                fill_check(&mut merged, &check);
                Ok((merged != stored).then(|| RecordStep::HealthCheckUpdate(Box::new(merged))))
            }
            None => Ok(Some(RecordStep::HealthCheck(Box::new(check)))),
        }
    }

    fn contact_step(
        &mut self,
        person: Ref,
        v: &Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<RecordStep>> {
        let Some(case_name) = v.text("case_name") else {
            problems.push(FieldProblem::error(
                "case_name",
                "required",
                "请填写关联病例",
            ));
            return Ok(None);
        };
        let cases = self.store.cases_by_person_name(&case_name)?;
        let Some(&(case_id, case_person)) = cases.first() else {
            problems.push(FieldProblem::error(
                "case_name",
                "case_unknown",
                format!("关联病例“{case_name}”不在台账中：请先登记该病例，再导入其接触者"),
            ));
            return Ok(None);
        };
        if cases.len() > 1 {
            problems.push(FieldProblem::warning(
                "case_name",
                "case_ambiguous",
                format!(
                    "台账中有 {} 个名叫“{case_name}”的病例，已关联最新报告的一个，请核对",
                    cases.len()
                ),
            ));
        }
        let source = match v.text("source_name") {
            None => Ref::Existing(case_person),
            Some(name) => match self.store.case_contacts_named(case_id, &name)?.first() {
                Some(id) => Ref::Existing(*id),
                None => match self.plan.persons.iter().position(|p| p.person.name == name) {
                    Some(i) => Ref::New(i),
                    None => {
                        problems.push(FieldProblem::error(
                            "source_name",
                            "contact_unknown",
                            format!("“{name}”不是病例{case_name}的已登记接触者：请先登记这名密接"),
                        ));
                        return Ok(None);
                    }
                },
            },
        };
        let ids = |r: Ref| match r {
            Ref::Existing(id) => id,
            // A person this import creates: distinct from every existing id.
            Ref::New(i) => -1 - i as i64,
        };
        let mut contact = match Contact::from_values(
            v,
            ids(person),
            case_id,
            case_person,
            ids(source),
            self.today,
            Mode::Lenient,
        ) {
            Ok((c, mut warnings)) => {
                problems.append(&mut warnings);
                c
            }
            Err(mut p) => {
                problems.append(&mut p);
                return Ok(None);
            }
        };
        if !self.first_time(person, "contact", format!("{case_id}/{}", ids(source))) {
            return Ok(None);
        }
        if let (Ref::Existing(p), Ref::Existing(s)) = (person, source) {
            if self.store.existing_contact(case_id, s, p)?.is_some() {
                return Ok(None);
            }
        }
        contact.contact_person_id = 0;
        contact.source_person_id = 0;
        Ok(Some(RecordStep::Contact {
            contact: Box::new(contact),
            source,
        }))
    }

    /// A checkpoint stop: the site is found or created by name; the traveller is linked to
    /// the register when their ID number is known, never created (travellers pass through);
    /// a hand-off goes to the village the row (or the file) names.
    fn plan_stop_row(
        &mut self,
        row: usize,
        mut v: Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<RowPlan> {
        v.require(self.target.own());
        problems.append(&mut v.problems);
        let refused = RowPlan {
            row,
            outcome: Outcome::Refused,
            person: None,
            record: None,
            record_originals: Vec::new(),
            review: None,
        };
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Ok(refused);
        }
        let site = v.text("checkpoint_name").unwrap_or_default();
        let checkpoint = match self.checkpoint_cache.get(&site) {
            Some(r) => *r,
            None => {
                let r = match self.store.checkpoint_by_name(&site)? {
                    Some(id) => Ref::Existing(id),
                    None => {
                        self.plan.checkpoints.push(site.clone());
                        Ref::New(self.plan.checkpoints.len() - 1)
                    }
                };
                self.checkpoint_cache.insert(site.clone(), r);
                r
            }
        };
        let handed_to = if v.text("disposal").as_deref() == Some("移交村(社区)") {
            match self.hand_off_place(&v) {
                Ok(place) => place,
                Err(problem) => {
                    problems.push(problem);
                    return Ok(refused);
                }
            }
        } else {
            None
        };
        let placeholder = handed_to.map(|_| 0);
        // Now as the entry form has it: a stop of this morning is not in the future.
        let now = self.store.now();
        let mut stop = match CheckpointCheck::from_values(&v, 0, placeholder, Vec::new(), now) {
            Ok((s, mut warnings)) => {
                problems.append(&mut warnings);
                s
            }
            Err(mut p) => {
                problems.append(&mut p);
                return Ok(refused);
            }
        };
        if let Some(number) = &stop.id_number {
            stop.person_id = self.store.person_by_id_number(number)?;
        }
        let key = format!("{}/{}", stop.checked_at, stop.name);
        let repeated = !self.first_time(checkpoint, "stop", key)
            || match checkpoint {
                Ref::Existing(id) => self
                    .store
                    .existing_checkpoint_check(id, &stop.checked_at, &stop.name)?
                    .is_some(),
                Ref::New(_) => false,
            };
        Ok(RowPlan {
            row,
            outcome: if repeated {
                Outcome::Unchanged
            } else {
                Outcome::Inserted
            },
            person: None,
            record: (!repeated).then(|| RecordStep::Stop {
                stop: Box::new(stop),
                checkpoint,
                handed_to,
            }),
            record_originals: v.originals,
            review: None,
        })
    }

    /// The village a traveller is handed to: a 移交村 column, else a village named as the
    /// destination, else the file's place or the only village.
    fn hand_off_place(&mut self, v: &Values) -> std::result::Result<Option<Ref>, FieldProblem> {
        if let Some(name) = v.text("handed_to") {
            return match self.find_place(None, "村", &name) {
                Found::One(r) => Ok(Some(r)),
                _ => Err(FieldProblem::error(
                    "handed_to",
                    "place_unknown",
                    format!("移交的村（社区）“{name}”不在台账中，或有同名的几个：请核对"),
                )),
            };
        }
        if let Some(destination) = v.text("destination") {
            let named: Vec<&Place> = self
                .places
                .iter()
                .filter(|p| p.level == "村" && destination.contains(&p.name))
                .collect();
            if let [one] = named.as_slice() {
                return Ok(Some(Ref::Existing(one.id)));
            }
        }
        match self.default_place() {
            Some(place) => Ok(Some(self.village_of(place))),
            None => Err(FieldProblem::error(
                "disposal",
                "place_unknown",
                "处置为移交村(社区)，但没有写移交给哪个村：请加“移交村”一列，或导入时选择村（社区）",
            )),
        }
    }

    fn preview_of(&self, plan: &RowPlan) -> RowPreview {
        let (name, household) = match &plan.person {
            Some(PersonStep::Create(i)) => {
                let p = &self.plan.persons[*i];
                (
                    p.person.name.clone(),
                    p.household.map(|h| self.household_text(h)),
                )
            }
            Some(PersonStep::Update {
                person, household, ..
            }) => (
                person.name.clone(),
                household
                    .or(person.household_id.map(Ref::Existing))
                    .map(|h| self.household_text(h)),
            ),
            Some(PersonStep::Same(Ref::Existing(id))) => match self.store.person(*id) {
                Ok(p) => (
                    p.name.clone(),
                    p.household_id
                        .map(|h| self.household_text(Ref::Existing(h))),
                ),
                Err(_) => (String::new(), None),
            },
            Some(PersonStep::Same(Ref::New(i))) => {
                let p = &self.plan.persons[*i];
                (
                    p.person.name.clone(),
                    p.household.map(|h| self.household_text(h)),
                )
            }
            None => match &plan.record {
                Some(RecordStep::Stop { stop, .. }) => (stop.name.clone(), None),
                _ => (String::new(), None),
            },
        };
        RowPreview {
            row: plan.row,
            outcome: plan.outcome,
            outcome_label: plan.outcome.label().into(),
            name,
            household,
            record: plan.record.as_ref().map(describe),
        }
    }

    fn household_text(&self, h: Ref) -> String {
        match h {
            Ref::Existing(id) => self
                .store
                .household_summary(id)
                .map(|s| format!("{} {}", s.place_path, s.label()))
                .unwrap_or_default(),
            Ref::New(i) => {
                let h = &self.plan.households[i];
                format!(
                    "{} {}{}（新户）",
                    self.place_label(h.place),
                    h.door_name.as_deref().unwrap_or(""),
                    h.door_number.as_deref().unwrap_or("")
                )
            }
        }
    }
}

enum Found {
    One(Ref),
    Many,
    None,
}

enum Resolved {
    Step(PersonStep, Outcome),
    Review(i64, String),
    Refused(FieldProblem),
}

/// A person found among the rows above.
enum Planned {
    Same(Ref),
    /// The same ID number under another name (the name the rows above gave).
    OtherName(Ref, String),
}

/// "石桥村(330110001001)" or a bare code: (name, code).
fn split_code(text: &str) -> (String, Option<String>) {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let name: String = text
        .chars()
        .filter(|c| !c.is_ascii_digit() && !matches!(c, '(' | ')' | '（' | '）'))
        .collect::<String>()
        .trim()
        .to_string();
    let code = [6, 9, 12].contains(&digits.len()).then_some(digits);
    (
        if name.is_empty() {
            text.to_string()
        } else {
            name
        },
        code,
    )
}

fn field_of(names: &[Option<String>; 4]) -> &'static str {
    ["township", "village", "grid", "group"]
        .into_iter()
        .zip(names)
        .filter(|(_, n)| n.is_some())
        .map(|(k, _)| k)
        .next_back()
        .unwrap_or("village")
}

fn not_in_period(day: &str) -> FieldProblem {
    FieldProblem::error(
        "check_date",
        "not_in_period",
        format!("该人员在 {day} 不在隔离或健康监测期内，体温未记录：请先导入（或登记）其隔离/健康监测，再导入体温"),
    )
}

/// A stored person as the clean form the planner merges into.
fn clean_of(p: &Person) -> CleanPerson {
    CleanPerson {
        id: Some(p.id),
        household_id: p.household_id,
        name: p.name.clone(),
        gender: p.gender.clone(),
        birth_date: p
            .birth_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        id_type: p.id_type.clone(),
        id_number: p.id_number.clone(),
        phone: p.phone.clone(),
        hukou_code: p.hukou_code.clone(),
        hukou_address: p.hukou_address.clone(),
        current_address: p.current_address.clone(),
        relation_to_head: p.relation_to_head.clone(),
        crowd_category: p.crowd_category.clone(),
        occupation: p.occupation.clone(),
        work_place: p.work_place.clone(),
        special_industry: p.special_industry.clone(),
        residence_status: p.residence_status.clone(),
        unvaccinated_reason: p.unvaccinated_reason.clone(),
        note: p.note.clone(),
        tags: p.tags.clone(),
    }
}

/// Lays a sheet's values over a person: what the sheet gives replaces, what it leaves blank
/// keeps. The name and the document stay the register's.
fn merge_into(p: &mut CleanPerson, incoming: &CleanPerson) {
    fn take<T: Clone>(into: &mut Option<T>, from: &Option<T>) {
        if from.is_some() {
            *into = from.clone();
        }
    }
    take(&mut p.gender, &incoming.gender);
    take(&mut p.birth_date, &incoming.birth_date);
    if p.id_number.is_none() && incoming.id_number.is_some() {
        p.id_number = incoming.id_number.clone();
        p.id_type = incoming.id_type.clone();
    }
    take(&mut p.phone, &incoming.phone);
    take(&mut p.hukou_code, &incoming.hukou_code);
    take(&mut p.hukou_address, &incoming.hukou_address);
    take(&mut p.current_address, &incoming.current_address);
    take(&mut p.relation_to_head, &incoming.relation_to_head);
    take(&mut p.crowd_category, &incoming.crowd_category);
    take(&mut p.occupation, &incoming.occupation);
    take(&mut p.work_place, &incoming.work_place);
    take(&mut p.special_industry, &incoming.special_industry);
    take(&mut p.unvaccinated_reason, &incoming.unvaccinated_reason);
    take(&mut p.note, &incoming.note);
    if incoming.residence_status != "常住" {
        p.residence_status = incoming.residence_status.clone();
    }
}

/// Fills a day's check with another reading of the same day (the later value wins).
fn fill_check(into: &mut HealthCheck, from: &HealthCheck) {
    if from.am_temperature.is_some() {
        into.am_temperature = from.am_temperature;
    }
    if from.pm_temperature.is_some() {
        into.pm_temperature = from.pm_temperature;
    }
    let (a, b) = (&mut into.symptoms, from.symptoms);
    a.fever |= b.fever;
    a.dry_cough |= b.dry_cough;
    a.fatigue |= b.fatigue;
    a.sore_throat |= b.sore_throat;
    a.smell_taste_loss |= b.smell_taste_loss;
    a.diarrhea |= b.diarrhea;
    if from.checker.is_some() {
        into.checker = from.checker.clone();
    }
    if from.note.is_some() {
        into.note = from.note.clone();
    }
}

/// One line saying what a row's record is.
fn describe(step: &RecordStep) -> String {
    match step {
        RecordStep::Arrival { arrival: a, .. } => format!(
            "{} {} {}{}",
            a.kind,
            a.arrival_date,
            a.status,
            a.transport
                .as_deref()
                .map(|t| format!(" {t}"))
                .unwrap_or_default()
        ),
        RecordStep::ArrivalStatus { status, .. } => format!("人员状态改为{status}"),
        RecordStep::Isolation(i) => {
            format!("{} {} 至 {}", i.kind, i.start_date, i.planned_end_date)
        }
        RecordStep::HealthCheck(c) | RecordStep::HealthCheckUpdate(c) => format!(
            "{} 上午{} 下午{}{}",
            c.check_date,
            c.am_temperature
                .map(|t| format!("{t}℃"))
                .unwrap_or_else(|| "—".into()),
            c.pm_temperature
                .map(|t| format!("{t}℃"))
                .unwrap_or_else(|| "—".into()),
            if c.symptoms.any() {
                format!(" {}", c.symptoms.names().join("、"))
            } else {
                String::new()
            }
        ),
        RecordStep::Test(t) | RecordStep::TestUpdate(t) => {
            format!("{} {} {}", t.kind, t.sample_date, t.result)
        }
        RecordStep::Vaccination(v) => {
            format!("第{}针 {}", v.dose, v.vaccine_date.as_deref().unwrap_or(""))
        }
        RecordStep::Contact { contact, .. } => format!(
            "{}，最后接触 {}",
            contact.level,
            contact.last_contact_date.as_deref().unwrap_or("—")
        ),
        RecordStep::Stop { stop, .. } => format!(
            "{} {}{} {}",
            stop.checked_at,
            stop.plate.as_deref().unwrap_or(""),
            stop.temperature
                .map(|t| format!(" {t}℃"))
                .unwrap_or_default(),
            stop.disposal
        ),
    }
}

/// A refusal of the whole file for too many rows.
pub fn too_many_rows(file: &str, limit: usize) -> Error {
    Error::refused(
        Code::FileTooLarge,
        format!("文件“{file}”超过 {limit} 行数据，一次导入不了。请按村或按月分成几个文件再导入。"),
    )
}

/// Moves the entries whose key `remap` changes, leaving the rest (most of a large map) where
/// they are.
fn rekey<K: Eq + std::hash::Hash + Clone, V>(map: &mut HashMap<K, V>, remap: impl Fn(&K) -> K) {
    let moved: Vec<K> = map.keys().filter(|k| remap(k) != **k).cloned().collect();
    for old in moved {
        if let Some(v) = map.remove(&old) {
            map.insert(remap(&old), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Door;

    #[test]
    fn a_whole_door_in_one_column_is_split_as_the_register_keeps_it() {
        let of = |name: Option<&str>, number: Option<&str>| {
            let d = Door::of(name.map(String::from), number.map(String::from));
            (d.name, d.number)
        };
        let split = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
        assert_eq!(of(None, Some("东街3号")), split("东街", "3号"));
        assert_eq!(
            of(Some("河沿路11号2单元"), None),
            split("河沿路", "11号2单元")
        );
        // Already apart, or nothing to split: as given.
        assert_eq!(of(Some("东街"), Some("3号")), split("东街", "3号"));
        assert_eq!(of(None, Some("3号")), (None, Some("3号".to_string())));
        assert_eq!(
            of(Some("村委会旁"), None),
            (Some("村委会旁".to_string()), None)
        );
    }
}
