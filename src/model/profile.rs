//! Everything the ledger knows about one person, gathered for the person page: the heart of
//! "one ledger" — the cadre sees the person once, not once per form.

use serde::Serialize;

use super::records::*;
use super::{HouseholdSummary, Person};

#[derive(Debug, Clone, Serialize)]
pub struct PersonProfile {
    pub person: Person,
    pub age: Option<i32>,
    /// 户籍地 named from the division code (following abolished codes to today's).
    pub hukou_place: Option<String>,
    pub household: Option<HouseholdSummary>,
    pub household_members: Vec<Person>,
    pub arrivals: Vec<Arrival>,
    pub isolations: Vec<Isolation>,
    pub health_checks: Vec<HealthCheck>,
    pub tests: Vec<Test>,
    pub vaccinations: Vec<Vaccination>,
    pub cases: Vec<Case>,
    /// Links where this person is the contact: who exposed them.
    pub exposed_by: Vec<ContactLink>,
    /// Links where this person is the source: whom they exposed.
    pub exposed: Vec<ContactLink>,
    pub checkpoint_sightings: Vec<CheckpointSighting>,
    pub visit_notes: Vec<VisitNote>,
    /// The batches that wrote this person's records, oldest first.
    pub sources: Vec<Batch>,
    /// What a sheet wrote where the ledger holds 其他 or nothing (外孙 for 与户主关系,
    /// 摩托车 for 交通工具), for this person and their records.
    pub originals: Vec<KeptOriginal>,
    /// Why the logged-in operator may only look at this person (a 网格员 outside their grid):
    /// the page offers no change then.
    pub read_only: Option<String>,
}

/// One value a sheet gave that the ledger could not hold as written.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeptOriginal {
    /// The record's kind (`person`, `arrival` …) and number.
    pub entity: String,
    pub entity_id: i64,
    /// The field's key (`relation_to_head`, `transport` …).
    pub field: String,
    pub original: String,
}
