//! The ledger's records as Rust values, and the validation of what users type. No SQL here:
//! the store (`crate::store`) reads and writes these types.

mod household;
mod person;
mod profile;
mod records;
pub mod values;

pub use household::*;
pub use person::{age_on, validate_person, Checked, CleanPerson, Person, PersonInput};
pub use profile::PersonProfile;
pub use records::*;
