//! Checkpoints, their stops with passengers, hand-offs to villages, and a station's day.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::{Error, Result};
use crate::model::*;

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

impl Store {
    // Checkpoints and their stops.

    pub fn add_checkpoint(&self, c: &Checkpoint, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn.execute(
                "INSERT INTO checkpoints (place_id, name, address, unit, leader_name, leader_phone, batch_id, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![c.place_id, c.name, c.address, c.unit, c.leader_name, c.leader_phone, batch_id, self.operator()?],
            )?;
            Ok(self.conn.last_insert_rowid())
        })
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
                crate::store::counts::stop_on_day("x").replace(":day", &format!("'{day}'"))
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
