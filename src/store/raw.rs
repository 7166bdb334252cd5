//! The ledger's records read plainly, for counting them again apart from the forms
//! (`report::recount`): one SELECT per table, no predicate of `counts`, archived records left
//! out as they are read, nothing joined but a contact's case and a stop's checkpoint.

use chrono::NaiveDate;

use super::Store;
use crate::error::Result;

/// A place: (id, parent, level).
pub type RawPlace = (i64, Option<i64>, String);

/// A daily check: (person, day, morning temperature, afternoon temperature, symptoms ticked).
pub type RawCheck = (i64, NaiveDate, Option<f64>, Option<f64>, i64);

/// Every record the forms count.
#[derive(Debug, Default)]
pub struct RawLedger {
    pub places: Vec<RawPlace>,
    /// Households not archived: (id, place).
    pub households: Vec<(i64, i64)>,
    /// Persons not archived: (id, household, residence status, unvaccinated reason).
    pub persons: Vec<(i64, Option<i64>, String, Option<String>)>,
    /// (person, kind, status, date, destination place)
    pub arrivals: Vec<(i64, String, String, NaiveDate, Option<i64>)>,
    /// (person, kind, start, released)
    pub periods: Vec<(i64, String, NaiveDate, Option<NaiveDate>)>,
    pub checks: Vec<RawCheck>,
    /// Cases: (person, kind, reported)
    pub cases: Vec<(i64, String, NaiveDate)>,
    /// Links whose case is not archived: (contact person, level, found)
    pub contacts: Vec<(i64, String, NaiveDate)>,
    /// (checkpoint's place, day, has a plate, passengers)
    pub stops: Vec<(Option<i64>, NaiveDate, bool, i64)>,
    /// (person, dose, date, place kind)
    pub doses: Vec<(i64, i64, Option<NaiveDate>, Option<String>)>,
}

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok())
}

impl Store {
    fn raw<T>(
        &self,
        sql: &str,
        row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every record the forms count, as the tables hold it.
    pub fn raw_ledger(&self) -> Result<RawLedger> {
        Ok(RawLedger {
            places: self.raw("SELECT id, parent_id, level FROM places", |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?,
            households: self.raw(
                "SELECT id, place_id FROM households WHERE archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            persons: self.raw(
                "SELECT id, household_id, residence_status, unvaccinated_reason FROM persons WHERE archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?,
            arrivals: self.raw(
                "SELECT person_id, kind, status, arrival_date, destination_place_id FROM arrivals WHERE archived_at IS NULL",
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        day(r.get(3)?).unwrap_or_default(),
                        r.get(4)?,
                    ))
                },
            )?,
            periods: self.raw(
                "SELECT person_id, kind, start_date, released_date FROM isolations WHERE archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?, day(r.get(2)?).unwrap_or_default(), day(r.get(3)?))),
            )?,
            checks: self.raw(
                "SELECT person_id, check_date, am_temperature, pm_temperature,
                        fever + dry_cough + fatigue + sore_throat + smell_taste_loss + diarrhea
                   FROM health_checks WHERE archived_at IS NULL",
                |r| {
                    Ok((
                        r.get(0)?,
                        day(r.get(1)?).unwrap_or_default(),
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                    ))
                },
            )?,
            cases: self.raw(
                "SELECT person_id, kind, reported_date FROM cases WHERE archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?, day(r.get(2)?).unwrap_or_default())),
            )?,
            contacts: self.raw(
                "SELECT k.contact_person_id, k.level, k.found_date FROM contacts k JOIN cases c ON c.id = k.case_id
                  WHERE k.archived_at IS NULL AND c.archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?, day(r.get(2)?).unwrap_or_default())),
            )?,
            stops: self.raw(
                "SELECT k.place_id, x.checked_at, x.plate IS NOT NULL, x.passenger_count
                   FROM checkpoint_checks x JOIN checkpoints k ON k.id = x.checkpoint_id WHERE x.archived_at IS NULL",
                |r| Ok((r.get(0)?, day(r.get(1)?).unwrap_or_default(), r.get(2)?, r.get(3)?)),
            )?,
            doses: self.raw(
                "SELECT person_id, dose, vaccine_date, place_kind FROM vaccinations WHERE archived_at IS NULL",
                |r| Ok((r.get(0)?, r.get(1)?, day(r.get(2)?), r.get(3)?)),
            )?,
        })
    }
}
