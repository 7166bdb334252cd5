//! Counts for the register's front page: how big the ledger is and what needs attention today.

use serde::Serialize;

use super::Store;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerSummary {
    pub places: i64,
    pub households: i64,
    pub persons: i64,
    /// Arrivals (返乡/外来/来访) in the last 14 days, today included.
    pub arrivals_14_days: i64,
    /// Isolation or monitoring periods not yet released.
    pub under_watch: i64,
    /// Health checks today with a temperature ≥ 37.3 or a symptom.
    pub abnormal_today: i64,
    pub cases: i64,
    pub contacts: i64,
    pub checkpoint_checks_today: i64,
}

impl Store {
    pub fn summary(&self) -> Result<LedgerSummary> {
        let today = self.today().to_string();
        let count =
            |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [&today], |r| r.get(0))?) };
        Ok(LedgerSummary {
            places: count("SELECT count(*) FROM places WHERE ?1 IS NOT NULL")?,
            households: count("SELECT count(*) FROM households WHERE archived_at IS NULL AND ?1 IS NOT NULL")?,
            persons: count("SELECT count(*) FROM persons WHERE archived_at IS NULL AND ?1 IS NOT NULL")?,
            arrivals_14_days: count("SELECT count(*) FROM arrivals WHERE arrival_date > date(?1, '-14 days') AND arrival_date <= ?1")?,
            under_watch: count("SELECT count(*) FROM isolations WHERE released_date IS NULL AND start_date <= ?1")?,
            abnormal_today: count(
                "SELECT count(*) FROM health_checks WHERE check_date = ?1 AND (am_temperature >= 37.3 OR pm_temperature >= 37.3
                   OR fever OR dry_cough OR fatigue OR sore_throat OR smell_taste_loss OR diarrhea)",
            )?,
            cases: count("SELECT count(*) FROM cases WHERE ?1 IS NOT NULL")?,
            contacts: count("SELECT count(*) FROM contacts WHERE ?1 IS NOT NULL")?,
            checkpoint_checks_today: count("SELECT count(*) FROM checkpoint_checks WHERE substr(checked_at, 1, 10) = ?1")?,
        })
    }

    /// True when the ledger holds no place, household or person yet (first run).
    pub fn is_empty(&self) -> Result<bool> {
        let summary = self.summary()?;
        Ok(summary.places == 0 && summary.households == 0 && summary.persons == 0)
    }
}
