//! Retention (PIPL's minimum necessity): once an emergency is over, a village removes the
//! health records it no longer needs — temperature readings, tests, isolations that ended and
//! contact links — up to a day it chooses, with their change log, sources and original texts.
//! The household register (persons, households, arrivals, vaccinations, cases) stays. A purge
//! is previewed with its counts, backed up first and recorded in `purges` by counts only.

use chrono::NaiveDate;
use serde::Serialize;

use super::backups::Reason;
use super::Store;
use crate::error::{Code, Error, Result};

/// How many records of each kind a purge removes (or, previewed, would remove).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeCounts {
    pub before: NaiveDate,
    pub health_checks: usize,
    pub tests: usize,
    pub isolations: usize,
    pub contacts: usize,
    /// Lines of the change log, sources and original texts of those records.
    pub log_lines: usize,
    pub dry_run: bool,
}

/// The kinds a purge removes: (table, entity name in the logs, the day a record is dated).
/// An isolation is dated by its release: one never released is someone still under watch
/// (past a planned end or not) and stays. A contact is dated by its last contact (or when it
/// was found, or written).
const KINDS: [(&str, &str, &str); 4] = [
    ("health_checks", "health_check", "check_date"),
    ("tests", "test", "sample_date"),
    ("isolations", "isolation", "released_date"),
    (
        "contacts",
        "contact",
        "coalesce(last_contact_date, found_date, date(created_at))",
    ),
];

impl Store {
    /// Removes the health records dated before `before` (a day no later than today), or with
    /// `dry_run` only counts them. An isolation or a contact something kept still points to
    /// (a reading or test from `before` on, an isolation it caused) is kept with it.
    pub fn purge_health_records(&self, before: NaiveDate, dry_run: bool) -> Result<PurgeCounts> {
        if !dry_run {
            self.may(super::Duty::Purge)?;
        }
        if before > self.today() {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!("清理日期 {before} 晚于今天：只能清理已经过去的日子之前的记录"),
            ));
        }
        if !dry_run {
            self.back_up(Reason::BeforePurge)?;
        }
        self.transaction(!dry_run, || {
            let day = before.to_string();
            let mut removed = [0usize; 4];
            let mut log_lines = 0;
            self.conn.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS purged (entity TEXT, id INTEGER, PRIMARY KEY (entity, id));
                 DELETE FROM temp.purged;",
            )?;
            for (i, (table, entity, dated)) in KINDS.iter().enumerate() {
                let kept_by = match *table {
                    "isolations" => {
                        " AND id NOT IN (SELECT isolation_id FROM health_checks WHERE isolation_id IS NOT NULL
                                         UNION SELECT isolation_id FROM tests WHERE isolation_id IS NOT NULL)"
                    }
                    "contacts" => {
                        " AND id NOT IN (SELECT contact_id FROM isolations WHERE contact_id IS NOT NULL)"
                    }
                    _ => "",
                };
                self.conn.execute(
                    &format!("INSERT INTO temp.purged SELECT ?2, id FROM {table} WHERE {dated} < ?1{kept_by}"),
                    [&day, *table],
                )?;
                let ids = format!("SELECT id FROM temp.purged WHERE entity = '{table}'");
                for log in ["changes", "record_sources", "original_values"] {
                    log_lines += self.conn.execute(
                        &format!("DELETE FROM {log} WHERE entity = ?1 AND entity_id IN ({ids})"),
                        [entity],
                    )?;
                }
                // Counted in `purges`, not copied into the audit trail.
                removed[i] = self.audit_quietly(|| {
                    Ok(self
                        .conn
                        .execute(&format!("DELETE FROM {table} WHERE id IN ({ids})"), [])?)
                })?;
            }
            let counts = PurgeCounts {
                before,
                health_checks: removed[0],
                tests: removed[1],
                isolations: removed[2],
                contacts: removed[3],
                log_lines,
                dry_run,
            };
            let operator = self.who()?;
            self.conn.execute(
                "INSERT INTO purges (operator, before_day, counts) VALUES (?1, ?2, ?3)",
                rusqlite::params![
                    operator,
                    day,
                    serde_json::to_string(&counts).unwrap_or_default()
                ],
            )?;
            // The trail keeps that those records were written and changed, not what they held.
            let purge = self.conn.last_insert_rowid();
            for (table, _, _) in KINDS {
                self.audit_erase(
                    table,
                    &format!("SELECT id FROM temp.purged WHERE entity = '{table}'"),
                    purge,
                )?;
            }
            self.conn.execute("DROP TABLE IF EXISTS temp.purged", [])?;
            Ok(counts)
        })
    }
}
