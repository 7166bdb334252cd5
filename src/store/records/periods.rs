//! Isolation and monitoring periods, the tests they schedule, and the day's checks of
//! persons under watch.

use rusqlite::{params, OptionalExtension, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::{Error, Result};
use crate::model::*;

const ISOLATION_COLUMNS: &str =
    "id, person_id, kind, address, site_name, room_number, start_date, planned_end_date,
    released_date, test_days, responsible, arrival_id, contact_id, note";

fn isolation_from_row(r: &Row) -> rusqlite::Result<Isolation> {
    Ok(Isolation {
        id: r.get(0)?,
        person_id: r.get(1)?,
        kind: r.get(2)?,
        address: r.get(3)?,
        site_name: r.get(4)?,
        room_number: r.get(5)?,
        start_date: r.get(6)?,
        planned_end_date: r.get(7)?,
        released_date: r.get(8)?,
        test_days: r.get(9)?,
        responsible: r.get(10)?,
        arrival_id: r.get(11)?,
        contact_id: r.get(12)?,
        note: r.get(13)?,
        stamp: stamp(r, 14)?,
    })
}

const CHECK_COLUMNS: &str =
    "id, person_id, isolation_id, check_date, am_temperature, pm_temperature, fever,
    dry_cough, fatigue, sore_throat, smell_taste_loss, diarrhea, checker, note";

fn check_from_row(r: &Row) -> rusqlite::Result<HealthCheck> {
    Ok(HealthCheck {
        id: r.get(0)?,
        person_id: r.get(1)?,
        isolation_id: r.get(2)?,
        check_date: r.get(3)?,
        am_temperature: r.get(4)?,
        pm_temperature: r.get(5)?,
        symptoms: Symptoms {
            fever: r.get(6)?,
            dry_cough: r.get(7)?,
            fatigue: r.get(8)?,
            sore_throat: r.get(9)?,
            smell_taste_loss: r.get(10)?,
            diarrhea: r.get(11)?,
        },
        checker: r.get(12)?,
        note: r.get(13)?,
        stamp: stamp(r, 14)?,
        symptoms_given: false,
    })
}

impl Store {
    // Isolation periods.

    /// Adds a period and the tests it schedules (待采样 on each test day).
    pub fn add_isolation(&self, i: &Isolation, batch_id: i64) -> Result<i64> {
        self.in_transaction(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO isolations (person_id, kind, address, site_name, room_number, start_date, planned_end_date,
                        released_date, test_days, responsible, arrival_id, contact_id, note, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )?
                .execute(params![
                    i.person_id, i.kind, i.address, i.site_name, i.room_number, i.start_date, i.planned_end_date,
                    i.released_date, i.test_days, i.responsible, i.arrival_id, i.contact_id, i.note, batch_id,
                    self.operator()?
                ])?;
            let id = self.conn.last_insert_rowid();
            self.schedule_tests(id, i, batch_id)?;
            Ok(id)
        })
    }

    /// Adds a 待采样 test for each test day of the period that has none yet.
    fn schedule_tests(&self, isolation_id: i64, i: &Isolation, batch_id: i64) -> Result<()> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            for day in i.test_dates() {
                let exists: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM tests WHERE person_id = ?1 AND sample_date = ?2 AND archived_at IS NULL)",
                    params![i.person_id, day.to_string()],
                    |r| r.get(0),
                )?;
                if !exists {
                    self.conn.execute(
                        "INSERT INTO tests (person_id, kind, status, sample_date, result, isolation_id, batch_id, updated_by)
                         VALUES (?1, '核酸', '待采样', ?2, '未出', ?3, ?4, ?5)",
                        params![i.person_id, day.to_string(), isolation_id, batch_id, self.operator()?],
                    )?;
                }
            }
            Ok(())
        })
    }

    pub fn update_isolation(&self, i: &Isolation, batch_id: i64) -> Result<()> {
        self.in_transaction(|| {
            let before = self.isolation(i.id)?;
            self.conn.execute(
                "UPDATE isolations SET kind = ?2, address = ?3, site_name = ?4, room_number = ?5, start_date = ?6,
                    planned_end_date = ?7, test_days = ?8, responsible = ?9, note = ?10 WHERE id = ?1",
                params![
                    i.id, i.kind, i.address, i.site_name, i.room_number, i.start_date, i.planned_end_date, i.test_days,
                    i.responsible, i.note
                ],
            )?;
            self.schedule_tests(i.id, i, batch_id)?;
            self.stamp_edit(Entity::Isolation, i.id, &before, i)
        })
    }

    /// Releases a period (解除) on a day: it stops counting as 在管 from that day.
    pub fn release_isolation(&self, id: i64, day: chrono::NaiveDate) -> Result<()> {
        self.in_transaction(|| {
            let before = self.isolation(id)?;
            if before.released_date.is_some() {
                return Err(Error::refused(
                    crate::error::Code::Conflict,
                    format!("这段隔离已于 {} 解除", before.released_date.unwrap_or_default()),
                ));
            }
            if day.to_string() < before.start_date {
                return Err(Error::field(
                    "released_date",
                    "end_before_start",
                    format!("解除日期 {day} 早于开始日期 {}，请核对", before.start_date),
                ));
            }
            self.conn.execute(
                "UPDATE isolations SET released_date = ?2, updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'),
                    updated_by = ?3 WHERE id = ?1",
                params![id, day.to_string(), self.operator()?],
            )?;
            self.log_change(
                Entity::Isolation,
                id,
                "解除",
                Some(serde_json::json!({ "released_date": [null, day.to_string()] })),
            )
        })
    }

    pub fn isolation(&self, id: i64) -> Result<Isolation> {
        self.one(
            &format!("SELECT {ISOLATION_COLUMNS}, {STAMP} FROM isolations WHERE id = ?1"),
            id,
            "隔离/健康监测",
            isolation_from_row,
        )
    }

    /// A person's period (not archived) of a kind starting on a day: a period's natural key.
    pub fn isolation_on(
        &self,
        person_id: i64,
        start: &str,
        kind: &str,
    ) -> Result<Option<Isolation>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ISOLATION_COLUMNS}, {STAMP} FROM isolations WHERE person_id = ?1 AND start_date = ?2 AND kind = ?3
                   AND archived_at IS NULL ORDER BY id LIMIT 1"
            ))?
            .query_row(params![person_id, start, kind], isolation_from_row)
            .optional()?)
    }

    pub fn isolations_of(&self, person_id: i64) -> Result<Vec<Isolation>> {
        self.rows_of(
            &format!("SELECT {ISOLATION_COLUMNS}, {STAMP} FROM isolations WHERE person_id = ?1 ORDER BY start_date DESC, id DESC"),
            person_id,
            isolation_from_row,
        )
    }

    /// The period (not archived) that covers a day for a person: started on or before it and
    /// not released before it. The newest when periods overlap.
    pub fn period_on(&self, person_id: i64, day: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM isolations WHERE person_id = ?1 AND archived_at IS NULL AND start_date <= ?2
                   AND (released_date IS NULL OR released_date >= ?2) ORDER BY start_date DESC, id DESC LIMIT 1",
            )?
            .query_row(params![person_id, day], |r| r.get(0))
            .optional()?)
    }

    /// Persons of this name with a period that holds a reading of `day` (as `period_on`):
    /// a pasted temperature row that gives only a name belongs to the one of them.
    pub fn period_holders_named(&self, name: &str, day: &str) -> Result<Vec<i64>> {
        let ids = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT p.id FROM persons p JOIN isolations i ON i.person_id = p.id
                 WHERE p.name = ?1 AND p.archived_at IS NULL AND i.archived_at IS NULL AND i.start_date <= ?2
                   AND (i.released_date IS NULL OR i.released_date >= ?2) ORDER BY p.id LIMIT 3",
            )?
            .query_map(params![name, day], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    // Daily health checks.

    pub fn add_health_check(&self, c: &HealthCheck, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            let s = c.symptoms;
            self.conn
                .prepare_cached(
                    "INSERT INTO health_checks (person_id, isolation_id, check_date, am_temperature, pm_temperature, fever,
                        dry_cough, fatigue, sore_throat, smell_taste_loss, diarrhea, checker, note, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )?
                .execute(params![
                    c.person_id, c.isolation_id, c.check_date, c.am_temperature, c.pm_temperature, s.fever, s.dry_cough, s.fatigue,
                    s.sore_throat, s.smell_taste_loss, s.diarrhea, c.checker, c.note, batch_id, self.operator()?
                ])?;
            Ok(self.conn.last_insert_rowid())
        })
    }

    /// Replaces a day's check with `c` (the temperature round and the edit form).
    pub fn update_health_check(&self, c: &HealthCheck) -> Result<()> {
        self.in_transaction(|| {
            let before = self.health_check(c.id)?;
            let s = c.symptoms;
            self.conn.execute(
                "UPDATE health_checks SET isolation_id = ?2, check_date = ?3, am_temperature = ?4, pm_temperature = ?5,
                    fever = ?6, dry_cough = ?7, fatigue = ?8, sore_throat = ?9, smell_taste_loss = ?10, diarrhea = ?11,
                    checker = ?12, note = ?13 WHERE id = ?1",
                params![
                    c.id, c.isolation_id, c.check_date, c.am_temperature, c.pm_temperature, s.fever, s.dry_cough,
                    s.fatigue, s.sore_throat, s.smell_taste_loss, s.diarrhea, c.checker, c.note
                ],
            )?;
            self.stamp_edit(Entity::HealthCheck, c.id, &before, c)
        })
    }

    pub fn health_check(&self, id: i64) -> Result<HealthCheck> {
        self.one(
            &format!("SELECT {CHECK_COLUMNS}, {STAMP} FROM health_checks WHERE id = ?1"),
            id,
            "健康监测记录",
            check_from_row,
        )
    }

    /// A person's check of a day (not archived), if any.
    pub fn health_check_on(&self, person_id: i64, day: &str) -> Result<Option<HealthCheck>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {CHECK_COLUMNS}, {STAMP} FROM health_checks WHERE person_id = ?1 AND check_date = ?2 AND archived_at IS NULL"
            ))?
            .query_row(params![person_id, day], check_from_row)
            .optional()?)
    }

    pub fn health_checks_of(&self, person_id: i64) -> Result<Vec<HealthCheck>> {
        self.rows_of(
            &format!("SELECT {CHECK_COLUMNS}, {STAMP} FROM health_checks WHERE person_id = ?1 ORDER BY check_date DESC, id DESC"),
            person_id,
            check_from_row,
        )
    }
}
