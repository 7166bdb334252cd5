//! The person page: everything the ledger knows about one person, in one read.

use chrono::NaiveDate;

use super::Store;
use crate::error::Result;
use crate::model::{age_on, PersonProfile};

impl Store {
    pub fn person_profile(&self, id: i64) -> Result<PersonProfile> {
        let person = self.person(id)?;
        // A 网格员's look outside their grid is in the trail (whichever door it came by).
        self.note_look(id)?;
        let today = self.today();
        let age = person
            .birth_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| age_on(d, today));
        let hukou_place = person
            .hukou_code
            .as_deref()
            .and_then(crate::divisions::describe);
        let (household, household_members) = match person.household_id {
            Some(h) => {
                let detail = self.household(h)?;
                let others = detail.members.into_iter().filter(|m| m.id != id).collect();
                (Some(detail.household), others)
            }
            None => (None, Vec::new()),
        };
        Ok(PersonProfile {
            age,
            hukou_place,
            household,
            household_members,
            arrivals: self.arrivals_of(id)?,
            isolations: self.isolations_of(id)?,
            health_checks: self.health_checks_of(id)?,
            tests: self.tests_of(id)?,
            vaccinations: self.vaccinations_of(id)?,
            cases: self.cases_of(id)?,
            exposed_by: self.contact_links(id, true)?,
            exposed: self.contact_links(id, false)?,
            checkpoint_sightings: self.checkpoint_sightings(id)?,
            visit_notes: self.visit_notes_of(id)?,
            sources: self.batches_of(id)?,
            originals: self.originals_of_person(id)?,
            read_only: self.person_read_only(id)?,
            person,
        })
    }
}
