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
        // A person with an ID number that the ledger does not hold can only be someone the
        // ledger holds without one: a namesake with another number is another person.
        let unnumbered = if p.id_number.is_some() {
            "AND p.id_number IS NULL"
        } else {
            ""
        };
        if let Some(phone) = &p.phone {
            let found: Option<i64> = self
                .conn
                .prepare_cached(&format!(
                    "SELECT p.id FROM persons p WHERE p.name = ?1 AND p.phone = ?2 {unnumbered} ORDER BY p.id LIMIT 1"
                ))?
                .query_row(params![p.name, phone], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(PersonMatch::Exact(id));
            }
        }
        if let Some(birth) = p.birth_date {
            let found: Option<(i64, String)> = self
                .conn
                .prepare_cached(&format!(
                    "SELECT p.id, coalesce(h.door_name, '') || coalesce(h.door_number, '') FROM persons p
                     LEFT JOIN households h ON h.id = p.household_id
                     WHERE p.name = ?1 AND p.birth_date = ?2 {unnumbered} ORDER BY p.id LIMIT 1"
                ))?
                .query_row(params![p.name, birth.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match found {
                Some((id, household)) if door.is_some_and(|d| !d.is_empty() && d == household) => {
                    return Ok(PersonMatch::Exact(id))
                }
                Some((id, _)) => {
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

    /// The one member of household `h` called `name` (not archived), with their ID number.
    pub fn member_named(&self, h: i64, name: &str) -> Result<Option<(i64, Option<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, id_number FROM persons WHERE household_id = ?1 AND name = ?2 AND archived_at IS NULL LIMIT 2",
        )?;
        let found: Vec<(i64, Option<String>)> = stmt
            .query_map(params![h, name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        })
    }

    /// The households (not archived) in a village (or any place: everything under it) whose
    /// door is exactly this: 门牌名 and 门牌号 both equal, an empty one equal only to an
    /// empty one. A door never matches a household of another village.
    pub fn households_at_door(
        &self,
        village_id: i64,
        door_name: Option<&str>,
        door_number: Option<&str>,
    ) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)
             SELECT h.id FROM households h WHERE h.place_id IN (SELECT id FROM under)
               AND h.door_name IS ?2 AND h.door_number IS ?3 AND h.archived_at IS NULL ORDER BY h.id",
        )?;
        let rows = stmt.query_map(params![village_id, door_name, door_number], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The households (not archived) in a place and everything under it: (id, 门牌名, 门牌号),
    /// for an import to find doors in however the sheet spells them.
    #[allow(clippy::type_complexity)] // reason: a row of three columns
    pub fn households_in(
        &self,
        place_id: i64,
    ) -> Result<Vec<(i64, Option<String>, Option<String>)>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)
             SELECT h.id, h.door_name, h.door_number FROM households h
             WHERE h.place_id IN (SELECT id FROM under) AND h.archived_at IS NULL ORDER BY h.id",
        )?;
        let rows = stmt.query_map([place_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Households (not archived) in a place and under it whose 户主 has this name.
    pub fn households_headed_by(&self, place_id: i64, head: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)
             SELECT DISTINCT h.id FROM households h JOIN persons p ON p.household_id = h.id
             WHERE h.place_id IN (SELECT id FROM under) AND h.archived_at IS NULL AND p.archived_at IS NULL
               AND p.relation_to_head = '户主' AND p.name = ?2 ORDER BY h.id",
        )?;
        let rows = stmt.query_map(params![place_id, head], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Persons (not archived) of a name that an import of this file and sheet registered,
    /// with the row they came from: a roll of names alone, imported again, finds them.
    pub fn persons_from_roll(
        &self,
        file: &str,
        sheet: &str,
        name: &str,
    ) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            // CROSS JOIN keeps persons (found by name) the outer loop: left to itself,
            // SQLite walked every person's provenance for each row (30,000 rows: 110 s).
            "SELECT p.id, min(s.row_number) FROM persons p
               CROSS JOIN record_sources s ON s.entity = 'person' AND s.entity_id = p.id
               CROSS JOIN batches b ON b.id = s.batch_id
             WHERE p.name = ?3 AND p.archived_at IS NULL AND b.source_file = ?1 AND s.sheet = ?2
             GROUP BY p.id ORDER BY p.id",
        )?;
        let rows = stmt.query_map(params![file, sheet, name], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The head (户主) of a household, if it has one: (person id, name).
    pub fn household_head(&self, household_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name FROM persons WHERE household_id = ?1 AND relation_to_head = '户主'",
            )?
            .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The names of a household's members (not archived), head first.
    pub fn household_member_names(&self, household_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name FROM persons WHERE household_id = ?1 AND archived_at IS NULL
             ORDER BY relation_to_head IS NOT '户主', id",
        )?;
        let rows = stmt.query_map([household_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The id of a record with this natural key, if an earlier import (or hand) wrote it and
    /// it is not archived.
    pub fn existing_record(
        &self,
        entity: crate::model::Entity,
        person_id: i64,
        key: &str,
        kind: Option<&str>,
    ) -> Result<Option<i64>> {
        use crate::model::Entity;
        let sql = match entity {
            Entity::Arrival => "SELECT id FROM arrivals WHERE person_id = ?1 AND arrival_date = ?2 AND kind IS coalesce(?3, kind) AND archived_at IS NULL",
            Entity::Isolation => "SELECT id FROM isolations WHERE person_id = ?1 AND start_date = ?2 AND kind IS coalesce(?3, kind) AND archived_at IS NULL",
            Entity::Vaccination => "SELECT id FROM vaccinations WHERE person_id = ?1 AND dose = CAST(?2 AS INTEGER) AND (?3 IS NULL OR ?3 IS NOT NULL) AND archived_at IS NULL",
            _ => return Ok(None),
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params![person_id, key, kind], |r| r.get(0))
            .optional()?)
    }

    /// Persons linked to a case as its contacts, by name (a 次密接 sheet's 关联密接).
    pub fn case_contacts_named(&self, case_id: i64, name: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT p.id FROM contacts c JOIN persons p ON p.id = c.contact_person_id
             WHERE c.case_id = ?1 AND p.name = ?2 AND c.archived_at IS NULL ORDER BY p.id",
        )?;
        let rows = stmt.query_map(params![case_id, name], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn existing_checkpoint_check(
        &self,
        checkpoint_id: i64,
        checked_at: &str,
        name: &str,
    ) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM checkpoint_checks WHERE checkpoint_id = ?1 AND checked_at = ?2 AND name = ?3 AND archived_at IS NULL")?
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
        entity: crate::model::Entity,
        entity_id: i64,
        sheet: &str,
        row_number: usize,
    ) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO record_sources (batch_id, entity, entity_id, sheet, row_number) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![batch_id, entity.key(), entity_id, sheet, row_number as i64])?;
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
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
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
        })
    }

    /// Puts a row on the review list (once: the same row of the same file is not listed twice).
    pub fn add_review(&self, review: &NewReview) -> Result<bool> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
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
        })
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
                what: "待核对记录（或已处理过）",
                id,
            })
    }

    pub fn close_review(&self, id: i64, status: &str) -> Result<()> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn.execute("UPDATE import_reviews SET status = ?2, resolved_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime') WHERE id = ?1", params![id, status])?;
            Ok(())
        })
    }
}
