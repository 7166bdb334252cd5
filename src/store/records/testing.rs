//! 核酸 / 抗原 tests.

use rusqlite::{params, OptionalExtension, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::Result;
use crate::model::*;

const TEST_COLUMNS: &str = "id, person_id, kind, status, sample_date, site, result, isolation_id";

fn test_from_row(r: &Row) -> rusqlite::Result<Test> {
    Ok(Test {
        id: r.get(0)?,
        person_id: r.get(1)?,
        kind: r.get(2)?,
        status: r.get(3)?,
        sample_date: r.get(4)?,
        site: r.get(5)?,
        result: r.get(6)?,
        isolation_id: r.get(7)?,
        stamp: stamp(r, 8)?,
    })
}

impl Store {
    // Tests.

    pub fn add_test(&self, t: &Test, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO tests (person_id, kind, status, sample_date, site, result, isolation_id, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    t.person_id, t.kind, t.status, t.sample_date, t.site, t.result, t.isolation_id, batch_id, self.operator()?
                ])?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    pub fn update_test(&self, t: &Test) -> Result<()> {
        self.in_transaction(|| {
            let before = self.test(t.id)?;
            self.conn.execute(
                "UPDATE tests SET kind = ?2, status = ?3, sample_date = ?4, site = ?5, result = ?6 WHERE id = ?1",
                params![t.id, t.kind, t.status, t.sample_date, t.site, t.result],
            )?;
            self.stamp_edit(Entity::Test, t.id, &before, t)
        })
    }

    pub fn test(&self, id: i64) -> Result<Test> {
        self.one(
            &format!("SELECT {TEST_COLUMNS}, {STAMP} FROM tests WHERE id = ?1"),
            id,
            "核酸/抗原检测",
            test_from_row,
        )
    }

    /// A test of a person on a day (not archived): a scheduled one is sampled by filling it in.
    pub fn test_on(&self, person_id: i64, day: &str, kind: &str) -> Result<Option<Test>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {TEST_COLUMNS}, {STAMP} FROM tests WHERE person_id = ?1 AND sample_date = ?2 AND kind = ?3
                   AND archived_at IS NULL ORDER BY id LIMIT 1"
            ))?
            .query_row(params![person_id, day, kind], test_from_row)
            .optional()?)
    }

    pub fn tests_of(&self, person_id: i64) -> Result<Vec<Test>> {
        self.rows_of(
            &format!("SELECT {TEST_COLUMNS}, {STAMP} FROM tests WHERE person_id = ?1 ORDER BY sample_date DESC, id DESC"),
            person_id,
            test_from_row,
        )
    }
}
