//! One home per record kind. Everything the ledger knows about an arrival, an isolation
//! period, a day's check, a test, a dose, a case, a contact link, a checkpoint, a stop or a
//! visit lives in that kind's file here: how a form or a command builds it (`typed`), how a
//! sheet's row builds it (`from_row`), the rules that compare it with what the ledger
//! already holds (`judge`: overlaps, duplicates, how a day's readings merge), and how it is
//! written. Typed entry (`crate::entry`), the importer and pasted rows (`crate::import`) and
//! the command line all go through [`keep`], so a rule written once holds at every door.
//!
//! The values themselves are read through the field tables (`model::fields`) and built by
//! the record's own `from_values` (`model::records`); this layer adds what needs the ledger.

mod arrival;
mod case;
mod checkpoint;
mod contact;
mod health;
mod isolation;
mod stop;
mod test;
mod vaccination;
mod visit;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::error::{Code, Error, Result};
use crate::model::fields::Field;
use crate::model::input::{read_typed, Values};
use crate::model::{Built, Entity};
use crate::store::Store;
use crate::validate::{FieldProblem, Severity};

pub use stop::hand_off_village;

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

/// What the rules decide about a record, given what the ledger already holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement<R> {
    /// A record the ledger does not have yet.
    New(R),
    /// The ledger's record `R.id`, changed by what this one adds.
    Update(R),
    /// The ledger already has it as given (a second import, a second click): nothing to
    /// write. The record is the ledger's.
    Same(R),
    /// The record breaks a rule (an overlapping period, a dose already given otherwise).
    Refused(FieldProblem),
}

/// What became of a record that was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "id")]
pub enum Kept {
    Inserted(i64),
    Updated(i64),
    Same(i64),
}

impl Kept {
    pub fn id(self) -> i64 {
        match self {
            Kept::Inserted(id) | Kept::Updated(id) | Kept::Same(id) => id,
        }
    }
}

/// What a sheet's row brings to a record besides its values.
pub struct RowContext<'a> {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    /// The place the row names, or the file's place, or the ledger's only village.
    pub place: Option<i64>,
    /// Where the row's record belongs: its person's household's place, else the row's place
    /// (a grid, a group: the most precise the sheet says).
    pub home: Option<i64>,
    /// The ledger's places (and those the import added).
    pub places: &'a crate::model::place_names::PlaceBook,
    /// The batch written records belong to (begun by the first write of the import).
    pub batch: &'a dyn Fn() -> Result<i64>,
}

/// One kind of record: its rules and its writing, used by every door.
pub trait Kind: 'static {
    type Record: Clone + Debug + PartialEq + Serialize;
    const ENTITY: Entity;

    /// The record as a form or a command gives it, its references (person, case,
    /// checkpoint) checked; with the warnings its values raised.
    fn typed(store: &Store, input: &RecordInput) -> Result<(Self::Record, Vec<FieldProblem>)>;

    /// The record a sheet's row gives for `person` (None for a checkpoint's traveller).
    /// Problems that keep the record out are returned as `Err`.
    fn from_row(
        store: &Store,
        row: &RowContext,
        person: Option<i64>,
        values: &Values,
    ) -> Result<Built<Self::Record>>;

    /// The rules against the ledger: a duplicate is `Same`, a record that adds to one already
    /// there is `Update`, one that clashes is `Refused`. `editing` is the record being
    /// edited by hand (it never clashes with itself).
    fn judge(
        store: &Store,
        record: Self::Record,
        editing: Option<i64>,
    ) -> Result<Judgement<Self::Record>>;

    fn id(record: &Self::Record) -> i64;
    fn load(store: &Store, id: i64) -> Result<Self::Record>;
    fn insert(store: &Store, record: &Self::Record, batch: i64) -> Result<i64>;
    fn update(store: &Store, record: &Self::Record) -> Result<()>;

    /// One line saying what the record is (the import preview).
    fn describe(record: &Self::Record) -> String;
}

/// Judges a record and writes what the judgement says: the one path every door takes.
/// `Err(problem)` inside `Ok` when a rule refuses it.
pub fn keep<K: Kind>(
    store: &Store,
    record: K::Record,
    editing: Option<i64>,
    batch: &dyn Fn() -> Result<i64>,
) -> Result<std::result::Result<(Kept, K::Record), FieldProblem>> {
    Ok(Ok(match K::judge(store, record, editing)? {
        Judgement::New(r) => (Kept::Inserted(K::insert(store, &r, batch()?)?), r),
        Judgement::Update(r) => {
            K::update(store, &r)?;
            (Kept::Updated(K::id(&r)), r)
        }
        Judgement::Same(r) => (Kept::Same(K::id(&r)), r),
        Judgement::Refused(p) => return Ok(Err(p)),
    }))
}

/// A typed or sheet record saved: what became of it, and the warnings its values raised.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub kind: Entity,
    pub id: i64,
    /// inserted, updated, or same (the ledger already had it as typed).
    pub outcome: &'static str,
    pub warnings: Vec<FieldProblem>,
}

/// What a sheet's row did to its record.
pub struct RowRecord {
    pub kept: Kept,
    pub entity: Entity,
    pub describe: String,
}

/// A kind behind a pointer, so the doors pick it by `Entity` without a `match` of their own.
pub trait AnyKind: Sync {
    fn entity(&self) -> Entity;
    /// Adds or edits a record typed by hand.
    fn save_typed(&self, store: &Store, input: &RecordInput) -> Result<Saved>;
    /// Keeps a sheet row's record: None when its problems (now in `problems`) keep it out.
    fn keep_row(
        &self,
        store: &Store,
        row: &RowContext,
        person: Option<i64>,
        values: &Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<RowRecord>>;
}

struct Of<K>(PhantomData<fn() -> K>);

impl<K: Kind> AnyKind for Of<K> {
    fn entity(&self) -> Entity {
        K::ENTITY
    }

    fn save_typed(&self, store: &Store, input: &RecordInput) -> Result<Saved> {
        store.in_transaction(|| {
            let (record, warnings) = K::typed(store, input)?;
            let (kept, _) = keep::<K>(store, record, input.id, &|| store.hand_batch())?
                .map_err(|p| Error::Invalid(vec![p]))?;
            let mut warnings = only_warnings(warnings);
            if let Kept::Same(id) = kept {
                warnings.push(FieldProblem::warning(
                    "id",
                    "already_registered",
                    format!(
                        "台账中已有这条{}（编号 {id}），与所填相同，未重复登记",
                        K::ENTITY.label()
                    ),
                ));
            }
            Ok(Saved {
                kind: K::ENTITY,
                id: kept.id(),
                outcome: match kept {
                    Kept::Inserted(_) => "inserted",
                    Kept::Updated(_) => "updated",
                    Kept::Same(_) => "same",
                },
                warnings,
            })
        })
    }

    fn keep_row(
        &self,
        store: &Store,
        row: &RowContext,
        person: Option<i64>,
        values: &Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<RowRecord>> {
        let (record, warnings) = match K::from_row(store, row, person, values)? {
            Ok(built) => built,
            Err(refused) => {
                problems.extend(refused);
                return Ok(None);
            }
        };
        problems.extend(warnings);
        Ok(match keep::<K>(store, record, None, row.batch)? {
            Ok((kept, record)) => Some(RowRecord {
                kept,
                entity: K::ENTITY,
                describe: K::describe(&record),
            }),
            Err(problem) => {
                problems.push(problem);
                None
            }
        })
    }
}

/// The kind of an entity, for the doors. Persons and households have their own register.
pub fn of(entity: Entity) -> Option<&'static dyn AnyKind> {
    static ARRIVAL: Of<arrival::Arrivals> = Of(PhantomData);
    static ISOLATION: Of<isolation::Isolations> = Of(PhantomData);
    static HEALTH: Of<health::HealthChecks> = Of(PhantomData);
    static TEST: Of<test::Tests> = Of(PhantomData);
    static VACCINATION: Of<vaccination::Vaccinations> = Of(PhantomData);
    static CASE: Of<case::Cases> = Of(PhantomData);
    static CONTACT: Of<contact::Contacts> = Of(PhantomData);
    static CHECKPOINT: Of<checkpoint::Checkpoints> = Of(PhantomData);
    static STOP: Of<stop::Stops> = Of(PhantomData);
    static VISIT: Of<visit::Visits> = Of(PhantomData);
    let kinds: [&'static dyn AnyKind; 10] = [
        &ARRIVAL,
        &ISOLATION,
        &HEALTH,
        &TEST,
        &VACCINATION,
        &CASE,
        &CONTACT,
        &CHECKPOINT,
        &STOP,
        &VISIT,
    ];
    kinds.into_iter().find(|k| k.entity() == entity)
}

/// The typed values of a record read through its table in strict mode: every problem is
/// returned when any is an error.
pub fn read_strict(
    table: &'static [Field],
    values: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<Values> {
    let mut v = read_typed(table, values, today);
    v.require(table);
    if v.has_errors() {
        return Err(Error::Invalid(std::mem::take(&mut v.problems)));
    }
    Ok(v)
}

/// The person a typed record is for: chosen, and not archived.
pub fn need_person(store: &Store, input: &RecordInput) -> Result<i64> {
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

/// The warnings among problems (a built record's errors never reach here).
pub fn only_warnings(problems: Vec<FieldProblem>) -> Vec<FieldProblem> {
    problems
        .into_iter()
        .filter(|p| p.severity == Severity::Warning)
        .collect()
}

/// A typed record's values and the record built from them, or every problem as an error.
fn built<R>(v: Values, result: Built<R>) -> Result<(R, Vec<FieldProblem>)> {
    let (record, warnings) = result.map_err(Error::Invalid)?;
    Ok((record, [v.problems, warnings].concat()))
}

/// A kind that no sheet imports (cases, checkpoints, visit notes are typed).
fn not_imported<R>(entity: Entity) -> Result<Built<R>> {
    Err(Error::refused(
        Code::TargetUnknown,
        format!("{}不能从表格导入", entity.label()),
    ))
}
