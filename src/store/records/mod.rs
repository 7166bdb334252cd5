//! The event records: arrivals, isolations, health checks, tests, vaccinations, cases,
//! contacts, checkpoints and their stops, visit notes. Each is written under a batch; an edit
//! stamps who and when and is written to `changes` with the fields before and after; nothing
//! is deleted: `archive` and `restore` work for every kind.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};
use crate::model::*;

mod arrivals;
mod checkpoints;
mod contacts;
mod periods;
mod testing;
mod vaccinations;
mod visits;

pub use checkpoints::StationDay;

/// The stamp columns every record table ends with, in this order.
pub(super) const STAMP: &str = "created_at, updated_at, updated_by, archived_at";

pub(super) fn stamp(r: &Row, first: usize) -> rusqlite::Result<Stamp> {
    Ok(Stamp {
        created_at: r.get(first)?,
        updated_at: r.get(first + 1)?,
        updated_by: r.get(first + 2)?,
        archived_at: r.get(first + 3)?,
    })
}

/// One entry of the change log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub id: i64,
    pub at: String,
    pub operator: Option<String>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub detail: Option<serde_json::Value>,
}

/// The fields that differ between two versions of a record, as {"field": [before, after]}.
/// Stamps and ids are not changes of their own.
pub(super) fn diff<T: Serialize>(before: &T, after: &T) -> serde_json::Value {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return serde_json::Value::Null;
    };
    let skip = [
        "id",
        "created_at",
        "updated_at",
        "updated_by",
        "archived_at",
        "passengers",
        "batch_id",
        "name_initials",
        "name_pinyin",
    ];
    serde_json::Value::Object(
        b.iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .filter(|(k, v)| a.get(*k) != Some(*v))
            .map(|(k, v)| {
                (
                    k.clone(),
                    serde_json::json!([a.get(k).cloned().unwrap_or_default(), v]),
                )
            })
            .collect(),
    )
}

impl Store {
    /// Who is making changes (`who`: the operator named for the connection, or 填报人).
    pub(super) fn operator(&self) -> Result<Option<String>> {
        self.who()
    }

    /// The batch records typed by hand in this session belong to.
    pub fn hand_batch(&self) -> Result<i64> {
        self.entry_batch()
    }

    /// The village a person's household lies in, if they have one.
    pub fn person_village(&self, person_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "WITH RECURSIVE up(id, parent_id, level) AS (
                     SELECT pl.id, pl.parent_id, pl.level FROM persons p JOIN households h ON h.id = p.household_id
                       JOIN places pl ON pl.id = h.place_id WHERE p.id = ?1
                     UNION ALL SELECT x.id, x.parent_id, x.level FROM places x JOIN up ON x.id = up.parent_id
                 )
                 SELECT id FROM up WHERE level = '村' LIMIT 1",
            )?
            .query_row([person_id], |r| r.get(0))
            .optional()?)
    }

    /// The ledger's village when it has exactly one.
    pub fn only_village(&self) -> Result<Option<i64>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM places WHERE level = '村' LIMIT 2")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        Ok((ids.len() == 1).then(|| ids[0]))
    }

    /// Another open (not released, not archived) period of the person that overlaps this one.
    pub fn overlapping_period(
        &self,
        person_id: i64,
        period: &Isolation,
        except: Option<i64>,
    ) -> Result<Option<Isolation>> {
        let found: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM isolations WHERE person_id = ?1 AND archived_at IS NULL AND released_date IS NULL
                   AND id IS NOT ?4 AND start_date <= ?3 AND planned_end_date >= ?2 LIMIT 1",
            )?
            .query_row(params![person_id, period.start_date, period.planned_end_date, except], |r| r.get(0))
            .optional()?;
        found.map(|id| self.isolation(id)).transpose()
    }

    /// Writes one entry of the change log.
    pub fn log_change(
        &self,
        entity: Entity,
        id: i64,
        action: &str,
        detail: Option<serde_json::Value>,
    ) -> Result<()> {
        let detail = detail
            .filter(|d| !d.is_null() && d.as_object().is_none_or(|o| !o.is_empty()))
            .map(|d| d.to_string());
        self.conn
            .prepare_cached(
                "INSERT INTO changes (operator, entity, entity_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![self.operator()?, entity.key(), id, action, detail])?;
        Ok(())
    }

    /// The change log of one record, newest first.
    pub fn changes_of(&self, entity: Entity, id: i64) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, operator, entity, entity_id, action, detail FROM changes
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map(params![entity.key(), id], |r| {
            let detail: Option<String> = r.get(6)?;
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                operator: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Archives a record of any kind: it leaves lists, counts and reports, and nothing is
    /// deleted; `restore` brings it back.
    pub fn archive(&self, entity: Entity, id: i64) -> Result<()> {
        self.set_archived_logged(entity, id, true)
    }

    pub fn restore(&self, entity: Entity, id: i64) -> Result<()> {
        self.set_archived_logged(entity, id, false)
    }

    fn set_archived_logged(&self, entity: Entity, id: i64, archived: bool) -> Result<()> {
        self.in_transaction(|| {
            let value = if archived {
                "strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')"
            } else {
                "NULL"
            };
            let changed = self.conn.execute(
                &format!(
                    "UPDATE {} SET archived_at = {value}, updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'),
                        updated_by = ?2 WHERE id = ?1 AND (archived_at IS NULL) = ?3",
                    entity.table()
                ),
                params![id, self.operator()?, archived],
            )?;
            if changed == 0 {
                let exists: bool = self.conn.query_row(
                    &format!("SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)", entity.table()),
                    [id],
                    |r| r.get(0),
                )?;
                if !exists {
                    return Err(Error::NotFound {
                        what: entity.label(),
                        id,
                    });
                }
                return Ok(());
            }
            self.log_change(entity, id, if archived { "归档" } else { "恢复" }, None)
        })
        .map_err(|e| match e {
            // A restored record that would clash with one entered since (the same dose twice).
            Error::Sqlite { code: crate::error::Code::ValueInvalid, .. } => Error::refused(
                crate::error::Code::Conflict,
                format!("无法恢复这条{}：已有一条相同的记录（如同一针次、同一天的体温），请先归档那一条", entity.label()),
            ),
            other => other,
        })
    }

    /// Stamps an edited record and logs what changed.
    fn stamp_edit<T: Serialize>(
        &self,
        entity: Entity,
        id: i64,
        before: &T,
        after: &T,
    ) -> Result<()> {
        self.conn.execute(
            &format!(
                "UPDATE {} SET updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), updated_by = ?2 WHERE id = ?1",
                entity.table()
            ),
            params![id, self.operator()?],
        )?;
        self.log_change(entity, id, "修改", Some(diff(before, after)))
    }

    /// Runs a query with one id parameter and collects its rows.
    fn rows_of<T>(
        &self,
        sql: &str,
        id: i64,
        map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], map)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn one<T>(
        &self,
        sql: &str,
        id: i64,
        what: &'static str,
        map: impl FnOnce(&Row) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.conn
            .prepare_cached(sql)?
            .query_row([id], map)
            .optional()?
            .ok_or(Error::NotFound { what, id })
    }

    /// Batches that wrote the person or any of their records, oldest first (provenance).
    pub fn batches_of(&self, person_id: i64) -> Result<Vec<Batch>> {
        self.rows_of(
            "SELECT id, kind, source_file, operator, created_at, note FROM batches WHERE id IN (
                 SELECT batch_id FROM persons WHERE id = ?1
                 UNION SELECT batch_id FROM arrivals WHERE person_id = ?1
                 UNION SELECT batch_id FROM isolations WHERE person_id = ?1
                 UNION SELECT batch_id FROM health_checks WHERE person_id = ?1
                 UNION SELECT batch_id FROM tests WHERE person_id = ?1
                 UNION SELECT batch_id FROM vaccinations WHERE person_id = ?1
                 UNION SELECT batch_id FROM cases WHERE person_id = ?1
                 UNION SELECT batch_id FROM contacts WHERE contact_person_id = ?1
                 UNION SELECT batch_id FROM checkpoint_checks WHERE person_id = ?1
                 UNION SELECT batch_id FROM visit_notes WHERE person_id = ?1
                 UNION SELECT batch_id FROM record_sources WHERE entity = 'person' AND entity_id = ?1
             ) ORDER BY id",
            person_id,
            |r| {
                Ok(Batch {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    source_file: r.get(2)?,
                    operator: r.get(3)?,
                    created_at: r.get(4)?,
                    note: r.get(5)?,
                })
            },
        )
    }

    /// Keeps the original text of a value that was stored as 其他, a default, or left out.
    pub fn keep_originals(
        &self,
        entity: Entity,
        id: i64,
        originals: &[(&str, String)],
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO original_values (entity, entity_id, field, original) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (entity, entity_id, field) DO UPDATE SET original = excluded.original",
        )?;
        for (field, original) in originals {
            let original: String = original
                .chars()
                .take(crate::model::fields::NOTE_MAX)
                .collect();
            stmt.execute(params![entity.key(), id, field, original])?;
        }
        Ok(())
    }

    /// The original texts kept for a person and every record of theirs (what a sheet wrote
    /// where the ledger holds 其他 or nothing), for the person page.
    pub fn originals_of_person(&self, person_id: i64) -> Result<Vec<crate::model::KeptOriginal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity, entity_id, field, original FROM original_values o WHERE
                 (entity = 'person' AND entity_id = ?1)
              OR (entity = 'arrival' AND entity_id IN (SELECT id FROM arrivals WHERE person_id = ?1))
              OR (entity = 'isolation' AND entity_id IN (SELECT id FROM isolations WHERE person_id = ?1))
              OR (entity = 'health_check' AND entity_id IN (SELECT id FROM health_checks WHERE person_id = ?1))
              OR (entity = 'test' AND entity_id IN (SELECT id FROM tests WHERE person_id = ?1))
              OR (entity = 'vaccination' AND entity_id IN (SELECT id FROM vaccinations WHERE person_id = ?1))
              OR (entity = 'case' AND entity_id IN (SELECT id FROM cases WHERE person_id = ?1))
              OR (entity = 'contact' AND entity_id IN (SELECT id FROM contacts WHERE contact_person_id = ?1))
             ORDER BY entity, entity_id, field",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok(crate::model::KeptOriginal {
                entity: r.get(0)?,
                entity_id: r.get(1)?,
                field: r.get(2)?,
                original: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The original texts kept for a record, by field.
    pub fn originals_of(&self, entity: Entity, id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT field, original FROM original_values WHERE entity = ?1 AND entity_id = ?2 ORDER BY field",
        )?;
        let rows = stmt.query_map(params![entity.key(), id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
