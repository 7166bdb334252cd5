//! The event records: arrivals, isolations, health checks, tests, vaccinations, cases,
//! contacts, checkpoints and their stops, visit notes. Each is written under a batch; an edit
//! stamps who and when and is written to `changes` with the fields before and after; nothing
//! is deleted: `archive` and `restore` work for every kind.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};
use crate::model::*;

/// The stamp columns every record table ends with, in this order.
const STAMP: &str = "created_at, updated_at, updated_by, archived_at";

fn stamp(r: &Row, first: usize) -> rusqlite::Result<Stamp> {
    Ok(Stamp {
        created_at: r.get(first)?,
        updated_at: r.get(first + 1)?,
        updated_by: r.get(first + 2)?,
        archived_at: r.get(first + 3)?,
    })
}

const ARRIVAL_COLUMNS: &str = "id, person_id, kind, status, arrival_date, origin_code, origin_address, risk_level,
    transport, transport_no, route, reason, destination_place_id, health_code, host_person_id, visit_reason,
    proxy_name, proxy_phone, proxy_id_number, note";

fn arrival_from_row(r: &Row) -> rusqlite::Result<Arrival> {
    Ok(Arrival {
        id: r.get(0)?,
        person_id: r.get(1)?,
        kind: r.get(2)?,
        status: r.get(3)?,
        arrival_date: r.get(4)?,
        origin_code: r.get(5)?,
        origin_address: r.get(6)?,
        risk_level: r.get(7)?,
        transport: r.get(8)?,
        transport_no: r.get(9)?,
        route: r.get(10)?,
        reason: r.get(11)?,
        destination_place_id: r.get(12)?,
        health_code: r.get(13)?,
        host_person_id: r.get(14)?,
        visit_reason: r.get(15)?,
        proxy_name: r.get(16)?,
        proxy_phone: r.get(17)?,
        proxy_id_number: r.get(18)?,
        note: r.get(19)?,
        stamp: stamp(r, 20)?,
    })
}

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

const VACCINATION_COLUMNS: &str = "id, person_id, dose, vaccine_date, place_kind, vaccine_name";

fn vaccination_from_row(r: &Row) -> rusqlite::Result<Vaccination> {
    Ok(Vaccination {
        id: r.get(0)?,
        person_id: r.get(1)?,
        dose: r.get(2)?,
        vaccine_date: r.get(3)?,
        place_kind: r.get(4)?,
        vaccine_name: r.get(5)?,
        stamp: stamp(r, 6)?,
    })
}

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

const CHECKPOINT_COLUMNS: &str = "id, place_id, name, address, unit, leader_name, leader_phone";

fn checkpoint_from_row(r: &Row) -> rusqlite::Result<Checkpoint> {
    Ok(Checkpoint {
        id: r.get(0)?,
        place_id: r.get(1)?,
        name: r.get(2)?,
        address: r.get(3)?,
        unit: r.get(4)?,
        leader_name: r.get(5)?,
        leader_phone: r.get(6)?,
        stamp: stamp(r, 7)?,
    })
}

const STOP_COLUMNS: &str = "id, checkpoint_id, checked_at, person_id, name, id_number, phone, plate, plate_kind,
    vehicle_kind, passenger_count, origin, destination, temperature, health_code, disposal, handed_to_place_id,
    handled_at, handled_by, handled_note, shift, note";

fn stop_from_row(r: &Row) -> rusqlite::Result<CheckpointCheck> {
    Ok(CheckpointCheck {
        id: r.get(0)?,
        checkpoint_id: r.get(1)?,
        checked_at: r.get(2)?,
        person_id: r.get(3)?,
        name: r.get(4)?,
        id_number: r.get(5)?,
        phone: r.get(6)?,
        plate: r.get(7)?,
        plate_kind: r.get(8)?,
        vehicle_kind: r.get(9)?,
        passenger_count: r.get(10)?,
        origin: r.get(11)?,
        destination: r.get(12)?,
        temperature: r.get(13)?,
        health_code: r.get(14)?,
        disposal: r.get(15)?,
        handed_to_place_id: r.get(16)?,
        handled_at: r.get(17)?,
        handled_by: r.get(18)?,
        handled_note: r.get(19)?,
        shift: r.get(20)?,
        note: r.get(21)?,
        passengers: Vec::new(),
        stamp: stamp(r, 22)?,
    })
}

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
    /// Who is making changes: the operator setting (填报人), until operators get accounts.
    pub(super) fn operator(&self) -> Result<Option<String>> {
        self.setting("operator")
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

    // Arrivals.

    pub fn add_arrival(&self, a: &Arrival, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO arrivals (person_id, kind, status, arrival_date, origin_code, origin_address, risk_level,
                    transport, transport_no, route, reason, destination_place_id, health_code, host_person_id,
                    visit_reason, proxy_name, proxy_phone, proxy_id_number, note, batch_id, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )?
            .execute(params![
                a.person_id, a.kind, a.status, a.arrival_date, a.origin_code, a.origin_address, a.risk_level, a.transport,
                a.transport_no, a.route, a.reason, a.destination_place_id, a.health_code, a.host_person_id, a.visit_reason,
                a.proxy_name, a.proxy_phone, a.proxy_id_number, a.note, batch_id, self.operator()?
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update_arrival(&self, a: &Arrival) -> Result<()> {
        self.in_transaction(|| {
            let before = self.arrival(a.id)?;
            self.conn.execute(
                "UPDATE arrivals SET kind = ?2, status = ?3, arrival_date = ?4, origin_code = ?5, origin_address = ?6,
                    risk_level = ?7, transport = ?8, transport_no = ?9, route = ?10, reason = ?11, destination_place_id = ?12,
                    health_code = ?13, host_person_id = ?14, visit_reason = ?15, proxy_name = ?16, proxy_phone = ?17,
                    proxy_id_number = ?18, note = ?19 WHERE id = ?1",
                params![
                    a.id, a.kind, a.status, a.arrival_date, a.origin_code, a.origin_address, a.risk_level, a.transport,
                    a.transport_no, a.route, a.reason, a.destination_place_id, a.health_code, a.host_person_id,
                    a.visit_reason, a.proxy_name, a.proxy_phone, a.proxy_id_number, a.note
                ],
            )?;
            self.stamp_edit(Entity::Arrival, a.id, &before, a)
        })
    }

    pub fn arrival(&self, id: i64) -> Result<Arrival> {
        self.one(
            &format!("SELECT {ARRIVAL_COLUMNS}, {STAMP} FROM arrivals WHERE id = ?1"),
            id,
            "来(返)乡记录",
            arrival_from_row,
        )
    }

    /// A person's arrival (not archived) of a kind on a day: an arrival's natural key.
    pub fn arrival_on(&self, person_id: i64, day: &str, kind: &str) -> Result<Option<Arrival>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ARRIVAL_COLUMNS}, {STAMP} FROM arrivals WHERE person_id = ?1 AND arrival_date = ?2 AND kind = ?3
                   AND archived_at IS NULL ORDER BY id LIMIT 1"
            ))?
            .query_row(params![person_id, day, kind], arrival_from_row)
            .optional()?)
    }

    pub fn arrivals_of(&self, person_id: i64) -> Result<Vec<Arrival>> {
        self.rows_of(
            &format!("SELECT {ARRIVAL_COLUMNS}, {STAMP} FROM arrivals WHERE person_id = ?1 ORDER BY arrival_date DESC, id DESC"),
            person_id,
            arrival_from_row,
        )
    }

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

    // Tests.

    pub fn add_test(&self, t: &Test, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO tests (person_id, kind, status, sample_date, site, result, isolation_id, batch_id, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                t.person_id, t.kind, t.status, t.sample_date, t.site, t.result, t.isolation_id, batch_id, self.operator()?
            ])?;
        Ok(self.conn.last_insert_rowid())
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

    // Vaccinations.

    pub fn add_vaccination(&self, v: &Vaccination, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO vaccinations (person_id, dose, vaccine_date, place_kind, vaccine_name, batch_id, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![v.person_id, v.dose, v.vaccine_date, v.place_kind, v.vaccine_name, batch_id, self.operator()?])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update_vaccination(&self, v: &Vaccination) -> Result<()> {
        self.in_transaction(|| {
            let before = self.vaccination(v.id)?;
            self.conn.execute(
                "UPDATE vaccinations SET dose = ?2, vaccine_date = ?3, place_kind = ?4, vaccine_name = ?5 WHERE id = ?1",
                params![v.id, v.dose, v.vaccine_date, v.place_kind, v.vaccine_name],
            )?;
            self.stamp_edit(Entity::Vaccination, v.id, &before, v)
        })
    }

    pub fn vaccination(&self, id: i64) -> Result<Vaccination> {
        self.one(
            &format!("SELECT {VACCINATION_COLUMNS}, {STAMP} FROM vaccinations WHERE id = ?1"),
            id,
            "疫苗接种",
            vaccination_from_row,
        )
    }

    pub fn vaccination_dose(&self, person_id: i64, dose: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM vaccinations WHERE person_id = ?1 AND dose = ?2 AND archived_at IS NULL")?
            .query_row(params![person_id, dose], |r| r.get(0))
            .optional()?)
    }

    pub fn vaccinations_of(&self, person_id: i64) -> Result<Vec<Vaccination>> {
        self.rows_of(
            &format!("SELECT {VACCINATION_COLUMNS}, {STAMP} FROM vaccinations WHERE person_id = ?1 ORDER BY dose, id"),
            person_id,
            vaccination_from_row,
        )
    }

    // Cases and contacts.

    pub fn add_case(&self, c: &Case, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO cases (person_id, kind, reported_date, code, note, batch_id, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![c.person_id, c.kind, c.reported_date, c.code, c.note, batch_id, self.operator()?])?;
        Ok(self.conn.last_insert_rowid())
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

    // Checkpoints and their stops.

    pub fn add_checkpoint(&self, c: &Checkpoint, batch_id: i64) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO checkpoints (place_id, name, address, unit, leader_name, leader_phone, batch_id, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![c.place_id, c.name, c.address, c.unit, c.leader_name, c.leader_phone, batch_id, self.operator()?],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update_checkpoint(&self, c: &Checkpoint) -> Result<()> {
        self.in_transaction(|| {
            let before = self.checkpoint(c.id)?;
            self.conn.execute(
                "UPDATE checkpoints SET place_id = ?2, name = ?3, address = ?4, unit = ?5, leader_name = ?6, leader_phone = ?7
                 WHERE id = ?1",
                params![c.id, c.place_id, c.name, c.address, c.unit, c.leader_name, c.leader_phone],
            )?;
            self.stamp_edit(Entity::Checkpoint, c.id, &before, c)
        })
    }

    pub fn checkpoint(&self, id: i64) -> Result<Checkpoint> {
        self.one(
            &format!("SELECT {CHECKPOINT_COLUMNS}, {STAMP} FROM checkpoints WHERE id = ?1"),
            id,
            "卡口",
            checkpoint_from_row,
        )
    }

    /// The checkpoints not archived, by name.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CHECKPOINT_COLUMNS}, {STAMP} FROM checkpoints WHERE archived_at IS NULL ORDER BY name"
        ))?;
        let rows = stmt.query_map([], checkpoint_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn checkpoint_by_name(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM checkpoints WHERE name = ?1 AND archived_at IS NULL")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    /// Adds a stop with its passengers, all or nothing.
    pub fn add_checkpoint_check(&self, c: &CheckpointCheck, batch_id: i64) -> Result<i64> {
        self.in_transaction(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO checkpoint_checks (checkpoint_id, checked_at, person_id, name, id_number, phone, plate,
                        plate_kind, vehicle_kind, passenger_count, origin, destination, temperature, health_code,
                        disposal, handed_to_place_id, shift, note, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                )?
                .execute(params![
                    c.checkpoint_id, c.checked_at, c.person_id, c.name, c.id_number, c.phone, c.plate, c.plate_kind,
                    c.vehicle_kind, c.passenger_count, c.origin, c.destination, c.temperature, c.health_code, c.disposal,
                    c.handed_to_place_id, c.shift, c.note, batch_id, self.operator()?
                ])?;
            let check_id = self.conn.last_insert_rowid();
            let mut stmt = self.conn.prepare_cached(
                "INSERT INTO checkpoint_passengers (check_id, person_id, name, id_number, phone, temperature)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for p in &c.passengers {
                stmt.execute(params![check_id, p.person_id, p.name, p.id_number, p.phone, p.temperature])?;
            }
            Ok(check_id)
        })
    }

    pub fn checkpoint_check(&self, id: i64) -> Result<CheckpointCheck> {
        let mut check = self.one(
            &format!("SELECT {STOP_COLUMNS}, {STAMP} FROM checkpoint_checks WHERE id = ?1"),
            id,
            "卡口检查",
            stop_from_row,
        )?;
        check.passengers = self.rows_of(
            "SELECT id, person_id, name, id_number, phone, temperature FROM checkpoint_passengers WHERE check_id = ?1 ORDER BY id",
            id,
            |r| {
                Ok(Passenger {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    name: r.get(2)?,
                    id_number: r.get(3)?,
                    phone: r.get(4)?,
                    temperature: r.get(5)?,
                })
            },
        )?;
        Ok(check)
    }

    pub fn update_checkpoint_check(&self, c: &CheckpointCheck) -> Result<()> {
        self.in_transaction(|| {
            let before = self.checkpoint_check(c.id)?;
            self.conn.execute(
                "UPDATE checkpoint_checks SET checked_at = ?2, name = ?3, id_number = ?4, phone = ?5, plate = ?6,
                    plate_kind = ?7, vehicle_kind = ?8, origin = ?9, destination = ?10, temperature = ?11,
                    health_code = ?12, disposal = ?13, handed_to_place_id = ?14, shift = ?15, note = ?16 WHERE id = ?1",
                params![
                    c.id, c.checked_at, c.name, c.id_number, c.phone, c.plate, c.plate_kind, c.vehicle_kind, c.origin,
                    c.destination, c.temperature, c.health_code, c.disposal, c.handed_to_place_id, c.shift, c.note
                ],
            )?;
            self.stamp_edit(Entity::CheckpointCheck, c.id, &before, c)
        })
    }

    /// Marks a hand-off as handled by the village (处理), with what was done.
    pub fn handle_hand_off(&self, id: i64, note: Option<&str>) -> Result<()> {
        self.in_transaction(|| {
            let before = self.checkpoint_check(id)?;
            if before.handed_to_place_id.is_none() {
                return Err(Error::refused(
                    crate::error::Code::Conflict,
                    "这条卡口检查没有移交给村（社区），无需处理",
                ));
            }
            if before.handled_at.is_some() {
                return Err(Error::refused(crate::error::Code::Conflict, "这次移交已经处理过了"));
            }
            let note: Option<String> = note
                .map(crate::validate::normalize_note)
                .filter(|n| !n.is_empty())
                .map(|n| n.chars().take(crate::model::fields::NOTE_MAX).collect());
            self.conn.execute(
                "UPDATE checkpoint_checks SET handled_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), handled_by = ?2,
                    handled_note = ?3 WHERE id = ?1",
                params![id, self.operator()?, note],
            )?;
            self.log_change(
                Entity::CheckpointCheck,
                id,
                "处理",
                Some(serde_json::json!({ "handled_note": [null, note] })),
            )
        })
    }

    /// Checkpoint stops where the person was checked or rode along.
    pub fn checkpoint_sightings(&self, person_id: i64) -> Result<Vec<CheckpointSighting>> {
        self.rows_of(
            "SELECT c.id, k.name, c.checked_at, '被检查人', c.plate, c.temperature, c.origin, c.destination, c.disposal
             FROM checkpoint_checks c JOIN checkpoints k ON k.id = c.checkpoint_id WHERE c.person_id = ?1 AND c.archived_at IS NULL
             UNION ALL
             SELECT c.id, k.name, c.checked_at, '随车人员', c.plate, p.temperature, c.origin, c.destination, c.disposal
             FROM checkpoint_passengers p JOIN checkpoint_checks c ON c.id = p.check_id
             JOIN checkpoints k ON k.id = c.checkpoint_id WHERE p.person_id = ?1 AND c.archived_at IS NULL
             ORDER BY 3 DESC",
            person_id,
            |r| {
                Ok(CheckpointSighting {
                    check_id: r.get(0)?,
                    checkpoint_name: r.get(1)?,
                    checked_at: r.get(2)?,
                    role: r.get(3)?,
                    plate: r.get(4)?,
                    temperature: r.get(5)?,
                    origin: r.get(6)?,
                    destination: r.get(7)?,
                    disposal: r.get(8)?,
                })
            },
        )
    }

    // Visit notes.

    pub fn add_visit_note(&self, v: &VisitNote, batch_id: i64) -> Result<i64> {
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

    /// The original texts kept for a record, by field.
    pub fn originals_of(&self, entity: Entity, id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT field, original FROM original_values WHERE entity = ?1 AND entity_id = ?2 ORDER BY field",
        )?;
        let rows = stmt.query_map(params![entity.key(), id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A checkpoint's day (or shift), for the station's screen and the 日报.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StationDay {
    pub checkpoint_id: i64,
    pub day: String,
    /// Stops of the day, newest first.
    pub stops: Vec<CheckpointCheck>,
    /// 人次: the checked persons and their passengers.
    pub people: i64,
    /// 车次: stops with a plate.
    pub vehicles: i64,
    /// The same for the shift asked for, if any.
    pub shift: Option<String>,
    pub shift_people: i64,
    pub shift_vehicles: i64,
    /// Plates seen here lately, most recent first (for the plate field).
    pub recent_plates: Vec<String>,
}

impl Store {
    /// The stops of a checkpoint on a day, with the day's and the shift's 人次/车次.
    pub fn station_day(
        &self,
        checkpoint_id: i64,
        day: chrono::NaiveDate,
        shift: Option<&str>,
    ) -> Result<StationDay> {
        self.checkpoint(checkpoint_id)?;
        let ids: Vec<i64> = self.rows_of(
            &format!(
                "SELECT id FROM checkpoint_checks x WHERE x.checkpoint_id = ?1 AND {} ORDER BY x.checked_at DESC, x.id DESC",
                super::counts::stop_on_day("x").replace(":day", &format!("'{day}'"))
            ),
            checkpoint_id,
            |r| r.get(0),
        )?;
        let mut stops = Vec::new();
        for id in ids {
            stops.push(self.checkpoint_check(id)?);
        }
        let count = |list: &mut dyn Iterator<Item = &CheckpointCheck>| {
            list.fold((0, 0), |(people, vehicles), s| {
                (
                    people + 1 + s.passenger_count,
                    vehicles + i64::from(s.plate.is_some()),
                )
            })
        };
        let (people, vehicles) = count(&mut stops.iter());
        let (shift_people, shift_vehicles) = match shift {
            Some(shift) => count(&mut stops.iter().filter(|s| s.shift.as_deref() == Some(shift))),
            None => (0, 0),
        };
        let recent_plates = self.rows_of(
            "SELECT plate FROM checkpoint_checks WHERE checkpoint_id = ?1 AND plate IS NOT NULL AND archived_at IS NULL
             GROUP BY plate ORDER BY max(checked_at) DESC LIMIT 12",
            checkpoint_id,
            |r| r.get(0),
        )?;
        Ok(StationDay {
            checkpoint_id,
            day: day.to_string(),
            stops,
            people,
            vehicles,
            shift: shift.map(String::from),
            shift_people,
            shift_vehicles,
            recent_plates,
        })
    }
}
