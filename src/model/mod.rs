//! The ledger's records as Rust values, and the judging of what users give. No SQL here:
//! the store (`crate::store`) reads and writes these types.
//!
//! `fields` declares every field of every record once; `input` reads a value as a field
//! (from a cell, a text box or an argument); `person`, `household` and `records` build the
//! typed records from those values and hold their rules.

pub mod cell;
pub mod fields;
mod household;
pub mod input;
pub mod overlay;
mod person;
pub mod place_names;
mod profile;
mod records;
pub mod values;

pub use household::*;
pub use input::{Mode, RawCell, Value, Values};
pub use person::{
    age_on, person_from_values, validate_person, Checked, CleanPerson, Person, PersonInput,
    ID_TO_RECHECK,
};
pub use profile::{KeptOriginal, PersonProfile};
pub use records::*;

/// The kinds of record the ledger keeps, as named in provenance, the change log and the
/// review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Person,
    Household,
    Arrival,
    Isolation,
    HealthCheck,
    Test,
    Vaccination,
    Case,
    Contact,
    Checkpoint,
    CheckpointCheck,
    VisitNote,
}

impl Entity {
    pub const ALL: &'static [Entity] = &[
        Entity::Person,
        Entity::Household,
        Entity::Arrival,
        Entity::Isolation,
        Entity::HealthCheck,
        Entity::Test,
        Entity::Vaccination,
        Entity::Case,
        Entity::Contact,
        Entity::Checkpoint,
        Entity::CheckpointCheck,
        Entity::VisitNote,
    ];

    /// The key used in `record_sources` and `changes`.
    pub fn key(self) -> &'static str {
        match self {
            Entity::Person => "person",
            Entity::Household => "household",
            Entity::Arrival => "arrival",
            Entity::Isolation => "isolation",
            Entity::HealthCheck => "health_check",
            Entity::Test => "test",
            Entity::Vaccination => "vaccination",
            Entity::Case => "case",
            Entity::Contact => "contact",
            Entity::Checkpoint => "checkpoint",
            Entity::CheckpointCheck => "checkpoint_check",
            Entity::VisitNote => "visit_note",
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            Entity::Person => "persons",
            Entity::Household => "households",
            Entity::Arrival => "arrivals",
            Entity::Isolation => "isolations",
            Entity::HealthCheck => "health_checks",
            Entity::Test => "tests",
            Entity::Vaccination => "vaccinations",
            Entity::Case => "cases",
            Entity::Contact => "contacts",
            Entity::Checkpoint => "checkpoints",
            Entity::CheckpointCheck => "checkpoint_checks",
            Entity::VisitNote => "visit_notes",
        }
    }

    /// The word a cadre uses for it.
    pub fn label(self) -> &'static str {
        match self {
            Entity::Person => "人员",
            Entity::Household => "户",
            Entity::Arrival => "来(返)乡记录",
            Entity::Isolation => "隔离/健康监测",
            Entity::HealthCheck => "健康监测记录",
            Entity::Test => "核酸/抗原检测",
            Entity::Vaccination => "疫苗接种",
            Entity::Case => "病例",
            Entity::Contact => "密接/次密接",
            Entity::Checkpoint => "卡口",
            Entity::CheckpointCheck => "卡口检查",
            Entity::VisitNote => "走访记录",
        }
    }

    /// The field table of the record's own values (persons and households have their own).
    pub fn fields(self) -> &'static [fields::Field] {
        match self {
            Entity::Person => fields::PERSON,
            Entity::Household => fields::HOUSEHOLD,
            Entity::Arrival => fields::ARRIVAL,
            Entity::Isolation => fields::ISOLATION,
            Entity::HealthCheck => fields::HEALTH_CHECK,
            Entity::Test => fields::TEST,
            Entity::Vaccination => fields::VACCINATION,
            Entity::Case => fields::CASE,
            Entity::Contact => fields::CONTACT,
            Entity::Checkpoint => fields::CHECKPOINT,
            Entity::CheckpointCheck => fields::CHECKPOINT_STOP,
            Entity::VisitNote => fields::VISIT,
        }
    }

    pub fn from_key(key: &str) -> Option<Entity> {
        Entity::ALL.iter().copied().find(|e| e.key() == key)
    }
}
