//! What an import needs from the store: matching a row's person against the register,
//! finding records an earlier import already wrote (so a second import changes nothing),
//! provenance rows, saved column mappings and the review list.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::Store;
use crate::error::Result;
use crate::model::CleanPerson;

/// How a row's person relates to the register.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonMatch {
    /// The same person: by ID number, by name and phone, or by name, birth date and door.
    Exact(i64),
    /// Possibly the same person; a human decides (the review list).
    Uncertain {
        person_id: i64,
        reason: String,
    },
    None,
}

/// A saved column mapping.
#[derive(Debug, Clone, Serialize)]
pub struct SavedMapping {
    pub target: String,
    pub mapping: String,
}

/// A row to put on the review list.
pub struct NewReview<'a> {
    pub batch_id: i64,
    pub sheet: &'a str,
    pub row_number: usize,
    pub target: &'a str,
    pub incoming: &'a serde_json::Value,
    pub person_id: i64,
    pub reason: &'a str,
}

/// An open entry of the review list.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub batch_id: i64,
    pub source_file: Option<String>,
    pub sheet: String,
    pub row_number: i64,
    pub target: String,
    pub incoming: serde_json::Value,
    pub candidate_person_id: i64,
    pub candidate_name: String,
    pub candidate_id_number: Option<String>,
    pub candidate_phone: Option<String>,
    pub candidate_birth_date: Option<String>,
    pub reason: String,
}

impl Store {
    /// Matches on the normalised ID number, then 姓名 + 手机, then 姓名 + 出生日期 (+ 门牌).
    pub fn match_person(&self, p: &CleanPerson, door: Option<&str>) -> Result<PersonMatch> {
        if let Some(number) = &p.id_number {
            let found: Option<(i64, String)> = self
                .conn
                .prepare_cached(
                    "SELECT id, name FROM persons WHERE id_number = ?1 AND id_type = ?2",
                )?
                .query_row(params![number, p.id_type], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((id, name)) = found {
                return Ok(if name == p.name {
                    PersonMatch::Exact(id)
                } else {
                    PersonMatch::Uncertain {
                        person_id: id,
                        reason: format!("证件号相同但姓名不同：台账为“{name}”，表中为“{}”", p.name),
                    }
                });
            }
        }
        if let Some(phone) = &p.phone {
            let found: Option<(i64, Option<String>)> = self
                .conn
                .prepare_cached("SELECT id, id_number FROM persons WHERE name = ?1 AND phone = ?2 ORDER BY id LIMIT 1")?
                .query_row(params![p.name, phone], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match found {
                // Same name and phone but another ID number: another person sharing a phone.
                Some((_, Some(other))) if p.id_number.as_ref().is_some_and(|n| *n != other) => {}
                Some((id, _)) => return Ok(PersonMatch::Exact(id)),
                None => {}
            }
        }
        if let Some(birth) = p.birth_date {
            let found: Option<(i64, Option<String>, String)> = self
                .conn
                .prepare_cached(
                    "SELECT p.id, p.id_number, coalesce(h.door_name, '') || coalesce(h.door_number, '') FROM persons p
                     LEFT JOIN households h ON h.id = p.household_id WHERE p.name = ?1 AND p.birth_date = ?2 ORDER BY p.id LIMIT 1",
                )?
                .query_row(params![p.name, birth.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            match found {
                Some((_, Some(other), _)) if p.id_number.as_ref().is_some_and(|n| *n != other) => {}
                Some((id, _, household))
                    if door.is_some_and(|d| !d.is_empty() && d == household) =>
                {
                    return Ok(PersonMatch::Exact(id))
                }
                Some((id, _, _)) => {
                    return Ok(PersonMatch::Uncertain {
                        person_id: id,
                        reason: "姓名和出生日期与台账中的人相同，但没有证件号或手机号可以核对"
                            .into(),
                    })
                }
                None => {}
            }
        }
        Ok(PersonMatch::None)
    }

    /// A household by its door (门牌名 + 门牌号), or None.
    pub fn household_by_door(
        &self,
        door_name: Option<&str>,
        door_number: Option<&str>,
    ) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM households WHERE door_name IS ?1 AND door_number IS ?2 AND archived_at IS NULL ORDER BY id LIMIT 1")?
            .query_row(params![door_name, door_number], |r| r.get(0))
            .optional()?)
    }

    /// The village new households from an import go into: the first village, else the first place.
    pub fn default_place_for_import(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM places ORDER BY level <> '村', id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The id of a record with this natural key, if an earlier import (or hand) wrote it.
    pub fn existing_record(
        &self,
        target: &str,
        person_id: i64,
        key: &str,
        kind: Option<&str>,
    ) -> Result<Option<i64>> {
        let sql = match target {
            "arrivals" => "SELECT id FROM arrivals WHERE person_id = ?1 AND arrival_date = ?2 AND kind IS coalesce(?3, kind)",
            "isolations" => "SELECT id FROM isolations WHERE person_id = ?1 AND start_date = ?2 AND kind IS coalesce(?3, kind)",
            "health_checks" => "SELECT id FROM health_checks WHERE person_id = ?1 AND check_date = ?2 AND (?3 IS NULL OR ?3 IS NOT NULL)",
            "tests" => "SELECT id FROM tests WHERE person_id = ?1 AND sample_date = ?2 AND kind IS coalesce(?3, kind)",
            "vaccinations" => "SELECT id FROM vaccinations WHERE person_id = ?1 AND dose = CAST(?2 AS INTEGER) AND (?3 IS NULL OR ?3 IS NOT NULL)",
            _ => return Ok(None),
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params![person_id, key, kind], |r| r.get(0))
            .optional()?)
    }

    /// Updates the temperatures and symptoms of a day's check; true if anything changed.
    pub fn update_health_check(&self, id: i64, check: &crate::model::HealthCheck) -> Result<bool> {
        let s = check.symptoms;
        let changed = self.conn.prepare_cached(
            "UPDATE health_checks SET am_temperature = coalesce(?2, am_temperature), pm_temperature = coalesce(?3, pm_temperature),
                fever = max(fever, ?4), dry_cough = max(dry_cough, ?5), fatigue = max(fatigue, ?6), sore_throat = max(sore_throat, ?7),
                smell_taste_loss = max(smell_taste_loss, ?8), diarrhea = max(diarrhea, ?9)
             WHERE id = ?1 AND (am_temperature IS NOT coalesce(?2, am_temperature) OR pm_temperature IS NOT coalesce(?3, pm_temperature)
                OR fever < ?4 OR dry_cough < ?5 OR fatigue < ?6 OR sore_throat < ?7 OR smell_taste_loss < ?8 OR diarrhea < ?9)",
        )?
        .execute(params![id, check.am_temperature, check.pm_temperature, s.fever, s.dry_cough, s.fatigue, s.sore_throat, s.smell_taste_loss, s.diarrhea])?;
        Ok(changed > 0)
    }

    /// The case whose person has this name (the newest), for a contact sheet's 关联病例.
    pub fn case_by_person_name(&self, name: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT c.id, c.person_id FROM cases c JOIN persons p ON p.id = c.person_id WHERE p.name = ?1 ORDER BY c.reported_date DESC, c.id DESC LIMIT 1")?
            .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    pub fn existing_contact(&self, case_id: i64, source: i64, contact: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM contacts WHERE case_id = ?1 AND source_person_id = ?2 AND contact_person_id = ?3")?
            .query_row([case_id, source, contact], |r| r.get(0))
            .optional()?)
    }

    pub fn checkpoint_by_name(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM checkpoints WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    pub fn existing_checkpoint_check(
        &self,
        checkpoint_id: i64,
        checked_at: &str,
        name: &str,
    ) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM checkpoint_checks WHERE checkpoint_id = ?1 AND checked_at = ?2 AND name = ?3")?
            .query_row(params![checkpoint_id, checked_at, name], |r| r.get(0))
            .optional()?)
    }

    /// A person by ID number, for linking a checkpoint traveller to the register.
    pub fn person_by_id_number(&self, number: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM persons WHERE id_number = ?1 ORDER BY id LIMIT 1")?
            .query_row([number], |r| r.get(0))
            .optional()?)
    }

    /// Notes where a record came from: batch, sheet, row.
    pub fn add_record_source(
        &self,
        batch_id: i64,
        entity: &str,
        entity_id: i64,
        sheet: &str,
        row_number: usize,
    ) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO record_sources (batch_id, entity, entity_id, sheet, row_number) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![batch_id, entity, entity_id, sheet, row_number as i64])?;
        Ok(())
    }

    pub fn import_mapping(
        &self,
        signature: &str,
        name: Option<&str>,
    ) -> Result<Option<SavedMapping>> {
        let sql = if name.is_some() {
            "SELECT target, mapping FROM import_mappings WHERE name = ?2"
        } else {
            "SELECT target, mapping FROM import_mappings WHERE signature = ?1 AND ?2 IS NULL"
        };
        Ok(self
            .conn
            .query_row(sql, params![signature, name], |r| {
                Ok(SavedMapping {
                    target: r.get(0)?,
                    mapping: r.get(1)?,
                })
            })
            .optional()?)
    }

    pub fn save_import_mapping(
        &self,
        signature: &str,
        name: Option<&str>,
        target: &str,
        mapping: &str,
    ) -> Result<()> {
        if let Some(name) = name {
            self.conn.execute(
                "UPDATE import_mappings SET name = NULL WHERE name = ?1 AND signature <> ?2",
                params![name, signature],
            )?;
        }
        self.conn.execute(
            "INSERT INTO import_mappings (signature, name, target, mapping) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (signature) DO UPDATE SET name = coalesce(excluded.name, name), target = excluded.target,
                mapping = excluded.mapping, updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')",
            params![signature, name, target, mapping],
        )?;
        Ok(())
    }

    /// Puts a row on the review list (once: the same row of the same file is not listed twice).
    pub fn add_review(&self, review: &NewReview) -> Result<bool> {
        let json = review.incoming.to_string();
        let exists: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM import_reviews WHERE status = '待处理' AND incoming = ?1 AND candidate_person_id = ?2",
                params![json, review.person_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Ok(false);
        }
        self.conn.execute(
            "INSERT INTO import_reviews (batch_id, sheet, row_number, target, incoming, candidate_person_id, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![review.batch_id, review.sheet, review.row_number as i64, review.target, json, review.person_id, review.reason],
        )?;
        Ok(true)
    }

    /// The open review list, oldest first.
    pub fn open_reviews(&self) -> Result<Vec<ReviewItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.batch_id, b.source_file, r.sheet, r.row_number, r.target, r.incoming, r.candidate_person_id, p.name, p.id_number,
                    p.phone, p.birth_date, r.reason
             FROM import_reviews r JOIN batches b ON b.id = r.batch_id JOIN persons p ON p.id = r.candidate_person_id
             WHERE r.status = '待处理' ORDER BY r.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let incoming: String = r.get(6)?;
            Ok(ReviewItem {
                id: r.get(0)?,
                batch_id: r.get(1)?,
                source_file: r.get(2)?,
                sheet: r.get(3)?,
                row_number: r.get(4)?,
                target: r.get(5)?,
                incoming: serde_json::from_str(&incoming).unwrap_or_default(),
                candidate_person_id: r.get(7)?,
                candidate_name: r.get(8)?,
                candidate_id_number: r.get(9)?,
                candidate_phone: r.get(10)?,
                candidate_birth_date: r.get(11)?,
                reason: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn review(&self, id: i64) -> Result<ReviewItem> {
        self.open_reviews()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(crate::Error::NotFound {
                what: "待核对记录",
                id,
            })
    }

    pub fn close_review(&self, id: i64, status: &str) -> Result<()> {
        self.conn.execute("UPDATE import_reviews SET status = ?2, resolved_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime') WHERE id = ?1", params![id, status])?;
        Ok(())
    }
}
