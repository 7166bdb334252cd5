//! Report templates saved in the ledger (a township's edited copies, a clerk's own), the
//! place a report is limited to, and the log of exports (the today list asks whether the 日报
//! went out).

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Code, Error, Result};
use crate::store::Store;

/// Report templates saved in the ledger.
impl Store {
    pub fn saved_templates(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM report_templates ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn save_template_json(&self, id: &str, name: &str, json: &str) -> Result<()> {
        self.may(super::super::Duty::Templates)?;
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn.execute(
                "INSERT INTO report_templates (id, name, json) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, json = excluded.json,
                    updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')",
                [id, name, json],
            )?;
            Ok(())
        })
    }

    /// Removes a saved template (true if there was one). A built-in it replaced comes back.
    pub fn delete_template(&self, id: &str) -> Result<bool> {
        self.may(super::super::Duty::Templates)?;
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            Ok(self
                .conn
                .execute("DELETE FROM report_templates WHERE id = ?1", [id])?
                > 0)
        })
    }

    /// Finds the place a report is limited to, by id, division code or name (a village first
    /// when names repeat), for `--village`.
    pub fn report_place_id(&self, id_or_code: &str) -> Result<i64> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT id FROM places WHERE code = ?1 OR CAST(id AS TEXT) = ?1 OR name = ?1
                 ORDER BY code = ?1 DESC, CAST(id AS TEXT) = ?1 DESC, level = '村' DESC LIMIT 1",
                [id_or_code],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::refused(
                    Code::PlaceUnknown,
                    format!(
                        "找不到村（社区）或网格“{id_or_code}”：请用 place list 查看编号或区划代码"
                    ),
                )
            })
    }
}

/// A report written to a file, for the export log.
pub struct ExportLog<'a> {
    pub template_id: &'a str,
    pub template_name: &'a str,
    pub report_day: NaiveDate,
    pub from_day: Option<NaiveDate>,
    pub place: Option<&'a str>,
    pub path: &'a str,
    pub rows: usize,
    pub zero_report: bool,
    /// A hash of every cell written (`report::digest`).
    pub digest: Option<&'a str>,
}

/// An entry of the export log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportRecord {
    pub template_id: String,
    pub template_name: String,
    pub report_day: String,
    pub path: String,
    pub rows: i64,
    pub zero_report: bool,
    pub at: String,
    /// The range and place it was made for, to make it again.
    pub from_day: Option<String>,
    pub place: Option<String>,
    pub digest: Option<String>,
    /// The ledger no longer gives the cells written (set by `report::today`; the store
    /// cannot run a form).
    pub stale: bool,
}

impl Store {
    /// Notes a report written to a file (the today list asks whether the 日报 went out).
    pub fn log_export(&self, e: &ExportLog) -> Result<()> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            let path: String = e.path.chars().take(1000).collect();
            let place: Option<String> = e.place.map(|p| p.chars().take(100).collect());
            self.conn.execute(
                "INSERT INTO exports (template_id, template_name, report_day, from_day, place, path, rows, zero_report, operator, digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                rusqlite::params![
                    e.template_id,
                    e.template_name.chars().take(100).collect::<String>(),
                    e.report_day.to_string(),
                    e.from_day.map(|d| d.to_string()),
                    place,
                    path,
                    e.rows as i64,
                    e.zero_report,
                    self.setting("operator")?,
                    e.digest,
                ],
            )?;
            Ok(())
        })
    }

    /// The latest export of a template for a report day, if any.
    pub fn last_export(&self, template_id: &str, day: NaiveDate) -> Result<Option<ExportRecord>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT template_id, template_name, report_day, path, rows, zero_report, at, from_day, place, digest FROM exports
                 WHERE template_id = ?1 AND report_day = ?2 ORDER BY id DESC LIMIT 1",
                rusqlite::params![template_id, day.to_string()],
                |r| {
                    Ok(ExportRecord {
                        template_id: r.get(0)?,
                        template_name: r.get(1)?,
                        report_day: r.get(2)?,
                        path: r.get(3)?,
                        rows: r.get(4)?,
                        zero_report: r.get(5)?,
                        at: r.get(6)?,
                        from_day: r.get(7)?,
                        place: r.get(8)?,
                        digest: r.get(9)?,
                        stale: false,
                    })
                },
            )
            .optional()?)
    }
}
