//! Visit notes (走访).

use rusqlite::{params, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::Result;
use crate::model::*;

const VISIT_COLUMNS: &str =
    "id, visit_date, worker_name, household_id, person_id, method, situation, needs, outcome";

fn visit_from_row(r: &Row) -> rusqlite::Result<VisitNote> {
    Ok(VisitNote {
        id: r.get(0)?,
        visit_date: r.get(1)?,
        worker_name: r.get(2)?,
        household_id: r.get(3)?,
        person_id: r.get(4)?,
        method: r.get(5)?,
        situation: r.get(6)?,
        needs: r.get(7)?,
        outcome: r.get(8)?,
        stamp: stamp(r, 9)?,
    })
}

impl Store {
    // Visit notes.

    pub fn add_visit_note(&self, v: &VisitNote, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO visit_notes (visit_date, worker_name, household_id, person_id, method, situation, needs,
                        outcome, batch_id, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(params![
                    v.visit_date, v.worker_name, v.household_id, v.person_id, v.method, v.situation, v.needs, v.outcome, batch_id,
                    self.operator()?
                ])?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    pub fn update_visit_note(&self, v: &VisitNote) -> Result<()> {
        self.in_transaction(|| {
            let before = self.visit_note(v.id)?;
            self.conn.execute(
                "UPDATE visit_notes SET visit_date = ?2, worker_name = ?3, method = ?4, situation = ?5, needs = ?6,
                    outcome = ?7 WHERE id = ?1",
                params![v.id, v.visit_date, v.worker_name, v.method, v.situation, v.needs, v.outcome],
            )?;
            self.stamp_edit(Entity::VisitNote, v.id, &before, v)
        })
    }

    pub fn visit_note(&self, id: i64) -> Result<VisitNote> {
        self.one(
            &format!("SELECT {VISIT_COLUMNS}, {STAMP} FROM visit_notes WHERE id = ?1"),
            id,
            "走访记录",
            visit_from_row,
        )
    }

    /// Visit notes on the person or on their household.
    pub fn visit_notes_of(&self, person_id: i64) -> Result<Vec<VisitNote>> {
        self.rows_of(
            &format!(
                "SELECT {VISIT_COLUMNS}, {STAMP} FROM visit_notes
                 WHERE person_id = ?1 OR household_id = (SELECT household_id FROM persons WHERE id = ?1)
                 ORDER BY visit_date DESC, id DESC"
            ),
            person_id,
            visit_from_row,
        )
    }
}
