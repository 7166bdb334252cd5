//! Arrivals (来返乡 / 来访): written, edited, read by person and by their natural key.

use rusqlite::{params, OptionalExtension, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::Result;
use crate::model::*;

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

impl Store {
    // Arrivals.

    pub fn add_arrival(&self, a: &Arrival, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
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
        })
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
}
