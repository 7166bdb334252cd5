//! Cases and the contact links of their chains, both ends.

use rusqlite::{params, OptionalExtension, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::{Error, Result};
use crate::model::*;

const CASE_COLUMNS: &str = "id, person_id, kind, reported_date, code, note";

fn case_from_row(r: &Row) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        person_id: r.get(1)?,
        kind: r.get(2)?,
        reported_date: r.get(3)?,
        code: r.get(4)?,
        note: r.get(5)?,
        stamp: stamp(r, 6)?,
    })
}

const CONTACT_COLUMNS: &str =
    "id, case_id, source_person_id, contact_person_id, level, exposure_type, relation,
    contact_way, last_contact_date, found_date, note";

fn contact_from_row(r: &Row) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        case_id: r.get(1)?,
        source_person_id: r.get(2)?,
        contact_person_id: r.get(3)?,
        level: r.get(4)?,
        exposure_type: r.get(5)?,
        relation: r.get(6)?,
        contact_way: r.get(7)?,
        last_contact_date: r.get(8)?,
        found_date: r.get(9)?,
        note: r.get(10)?,
        stamp: stamp(r, 11)?,
    })
}

impl Store {
    // Cases and contacts.

    pub fn add_case(&self, c: &Case, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO cases (person_id, kind, reported_date, code, note, batch_id, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![c.person_id, c.kind, c.reported_date, c.code, c.note, batch_id, self.operator()?])?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    pub fn update_case(&self, c: &Case) -> Result<()> {
        self.in_transaction(|| {
            let before = self.case(c.id)?;
            self.conn.execute(
                "UPDATE cases SET kind = ?2, reported_date = ?3, code = ?4, note = ?5 WHERE id = ?1",
                params![c.id, c.kind, c.reported_date, c.code, c.note],
            )?;
            self.stamp_edit(Entity::Case, c.id, &before, c)
        })
    }

    pub fn case(&self, id: i64) -> Result<Case> {
        self.one(
            &format!("SELECT {CASE_COLUMNS}, {STAMP} FROM cases WHERE id = ?1"),
            id,
            "病例",
            case_from_row,
        )
    }

    pub fn cases_of(&self, person_id: i64) -> Result<Vec<Case>> {
        self.rows_of(
            &format!("SELECT {CASE_COLUMNS}, {STAMP} FROM cases WHERE person_id = ?1 ORDER BY reported_date DESC, id DESC"),
            person_id,
            case_from_row,
        )
    }

    /// Cases not archived whose person has this name, newest first (a contact sheet's 关联病例).
    pub fn cases_by_person_name(&self, name: &str) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.person_id FROM cases c JOIN persons p ON p.id = c.person_id
             WHERE p.name = ?1 AND c.archived_at IS NULL ORDER BY c.reported_date DESC, c.id DESC",
        )?;
        let rows = stmt.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The case a contact link hangs on: a case by its id, or the case a contact record
    /// belongs to (for a 次密接 "of" that contact). Returns (case id, case person, source person).
    pub fn contact_root(
        &self,
        case_id: Option<i64>,
        contact_id: Option<i64>,
    ) -> Result<(i64, i64, i64)> {
        if let Some(contact_id) = contact_id {
            let c = self.contact(contact_id)?;
            let case = self.case(c.case_id)?;
            return Ok((case.id, case.person_id, c.contact_person_id));
        }
        let case_id = case_id.ok_or_else(|| {
            Error::field(
                "case_id",
                "case_missing",
                "请选择关联的病例（或一名密接，登记次密接）",
            )
        })?;
        let case = self.case(case_id)?;
        Ok((case.id, case.person_id, case.person_id))
    }

    pub fn add_contact(&self, c: &Contact, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO contacts (case_id, source_person_id, contact_person_id, level, exposure_type, relation,
                        contact_way, last_contact_date, found_date, note, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    c.case_id, c.source_person_id, c.contact_person_id, c.level, c.exposure_type, c.relation, c.contact_way,
                    c.last_contact_date, c.found_date, c.note, batch_id, self.operator()?
                ])?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    pub fn update_contact(&self, c: &Contact) -> Result<()> {
        self.in_transaction(|| {
            let before = self.contact(c.id)?;
            self.conn.execute(
                "UPDATE contacts SET level = ?2, exposure_type = ?3, relation = ?4, contact_way = ?5, last_contact_date = ?6,
                    found_date = ?7, note = ?8 WHERE id = ?1",
                params![c.id, c.level, c.exposure_type, c.relation, c.contact_way, c.last_contact_date, c.found_date, c.note],
            )?;
            self.stamp_edit(Entity::Contact, c.id, &before, c)
        })
    }

    pub fn contact(&self, id: i64) -> Result<Contact> {
        self.one(
            &format!("SELECT {CONTACT_COLUMNS}, {STAMP} FROM contacts WHERE id = ?1"),
            id,
            "密接/次密接",
            contact_from_row,
        )
    }

    /// The link (not archived) between two persons under a case, if any.
    pub fn existing_contact(&self, case_id: i64, source: i64, contact: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM contacts WHERE case_id = ?1 AND source_person_id = ?2 AND contact_person_id = ?3 AND archived_at IS NULL",
            )?
            .query_row([case_id, source, contact], |r| r.get(0))
            .optional()?)
    }

    /// Contact links at one end of a person: `as_contact` gives who exposed them, otherwise
    /// whom they exposed. Archived links are left out.
    pub fn contact_links(&self, person_id: i64, as_contact: bool) -> Result<Vec<ContactLink>> {
        let end = if as_contact {
            "c.contact_person_id"
        } else {
            "c.source_person_id"
        };
        let columns = CONTACT_COLUMNS
            .split(',')
            .map(|c| format!("c.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, c.created_at, c.updated_at, c.updated_by, c.archived_at,
                src.name, dst.name, cp.id, cp.name, k.kind
             FROM contacts c
             JOIN persons src ON src.id = c.source_person_id
             JOIN persons dst ON dst.id = c.contact_person_id
             JOIN cases k ON k.id = c.case_id
             JOIN persons cp ON cp.id = k.person_id
             WHERE {end} = ?1 AND c.archived_at IS NULL ORDER BY c.last_contact_date DESC, c.id"
        );
        self.rows_of(&sql, person_id, |r| {
            Ok(ContactLink {
                contact: contact_from_row(r)?,
                source_name: r.get(15)?,
                contact_name: r.get(16)?,
                case_person_id: r.get(17)?,
                case_person_name: r.get(18)?,
                case_kind: r.get(19)?,
            })
        })
    }
}
