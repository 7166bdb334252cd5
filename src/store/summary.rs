//! Counts for the register's front page: how big the ledger is and what needs attention today.

use serde::Serialize;

use super::{counts, Store};
use crate::error::Result;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerSummary {
    pub places: i64,
    pub households: i64,
    pub persons: i64,
    /// Persons who came (返乡/外来, 已返) in the last 14 days, today included.
    pub arrivals_14_days: i64,
    /// Isolation or monitoring periods under watch today (`counts::under_watch`).
    pub under_watch: i64,
    /// Persons whose check today has a temperature ≥ 37.3 or a symptom.
    pub abnormal_today: i64,
    pub cases: i64,
    pub contacts: i64,
    pub checkpoint_checks_today: i64,
}

impl Store {
    /// The front page's counts, each by the one definition of `counts`.
    pub fn summary(&self) -> Result<LedgerSummary> {
        let day = self.today().to_string();
        let count = |sql: &str| -> Result<i64> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut params = Vec::new();
            for (i, name) in [(1, ":day")] {
                if stmt.parameter_index(name)?.is_some() {
                    params.push(i);
                }
            }
            let value = if params.is_empty() {
                stmt.query_row([], |r| r.get(0))?
            } else {
                stmt.query_row(rusqlite::named_params! { ":day": day }, |r| r.get(0))?
            };
            Ok(value)
        };
        Ok(LedgerSummary {
            places: count("SELECT count(*) FROM places")?,
            households: count("SELECT count(*) FROM households WHERE archived_at IS NULL")?,
            persons: count("SELECT count(*) FROM persons WHERE archived_at IS NULL")?,
            arrivals_14_days: count(&format!(
                "SELECT count(*) FROM arrivals a JOIN persons p ON p.id = a.person_id AND p.archived_at IS NULL
                 WHERE {} AND a.arrival_date > date(:day, '-14 days')",
                counts::arrived("a")
            ))?,
            under_watch: count(&format!(
                "SELECT count(*) FROM isolations i JOIN persons p ON p.id = i.person_id AND p.archived_at IS NULL WHERE {}",
                counts::under_watch("i")
            ))?,
            abnormal_today: count(&format!(
                "SELECT count(DISTINCT c.person_id) FROM health_checks c JOIN persons p ON p.id = c.person_id AND p.archived_at IS NULL
                 WHERE c.check_date = :day AND {}",
                counts::abnormal("c")
            ))?,
            cases: count("SELECT count(*) FROM cases c JOIN persons p ON p.id = c.person_id AND p.archived_at IS NULL WHERE c.archived_at IS NULL")?,
            contacts: count(
                "SELECT count(*) FROM contacts k JOIN persons p ON p.id = k.contact_person_id AND p.archived_at IS NULL
                 JOIN cases c ON c.id = k.case_id AND c.archived_at IS NULL WHERE k.archived_at IS NULL",
            )?,
            checkpoint_checks_today: count(&format!(
                "SELECT count(*) FROM checkpoint_checks x WHERE {}",
                counts::stop_on_day("x")
            ))?,
        })
    }

    /// The name the window shows for this ledger: the 填报单位 setting, else the village (or
    /// the top place) the ledger holds.
    pub fn ledger_title(&self) -> Result<String> {
        if let Some(unit) = self
            .setting("report_unit")?
            .filter(|u| !u.trim().is_empty())
        {
            return Ok(unit);
        }
        if let Some(v) = self.only_village()? {
            return Ok(self.place(v)?.path.replace('/', " "));
        }
        let tops: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM places WHERE parent_id IS NULL ORDER BY id LIMIT 2")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM places WHERE parent_id IS NULL",
            [],
            |r| r.get(0),
        )?;
        // A county's ledger of several townships is named by them, never a blank.
        Ok(match tops.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [a, b, ..] if count > 2 => format!("{a}、{b}等 {count} 地"),
            [a, b, ..] => format!("{a}、{b}"),
        })
    }

    /// True when the ledger holds no place, household or person yet (first run).
    pub fn is_empty(&self) -> Result<bool> {
        let summary = self.summary()?;
        Ok(summary.places == 0 && summary.households == 0 && summary.persons == 0)
    }
}
