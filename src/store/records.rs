//! The event records: arrivals, isolations, health checks, tests, vaccinations, cases,
//! contacts, checkpoints and checks, visit notes. Each is written under a batch.

use rusqlite::{params, Row};

use super::Store;
use crate::error::Result;
use crate::model::*;

impl Store {
    pub fn add_arrival(&self, a: &Arrival, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO arrivals (person_id, kind, status, arrival_date, origin_code, origin_address, risk_level,
                    transport, transport_no, route, reason, destination_place_id, health_code, host_person_id,
                    visit_reason, proxy_name, proxy_phone, proxy_id_number, note, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                a.person_id, a.kind, a.status, a.arrival_date, a.origin_code, a.origin_address, a.risk_level, a.transport,
                a.transport_no, a.route, a.reason, a.destination_place_id, a.health_code, a.host_person_id, a.visit_reason,
                a.proxy_name, a.proxy_phone, a.proxy_id_number, a.note, batch_id
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn arrivals_of(&self, person_id: i64) -> Result<Vec<Arrival>> {
        self.rows_of(
            "SELECT id, person_id, kind, status, arrival_date, origin_code, origin_address, risk_level, transport,
                transport_no, route, reason, destination_place_id, health_code, host_person_id, visit_reason,
                proxy_name, proxy_phone, proxy_id_number, note
             FROM arrivals WHERE person_id = ?1 ORDER BY arrival_date DESC, id DESC",
            person_id,
            |r| {
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
                })
            },
        )
    }

    pub fn add_isolation(&self, i: &Isolation, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO isolations (person_id, kind, address, site_name, room_number, start_date, planned_end_date,
                    released_date, test_days, responsible, arrival_id, contact_id, note, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                i.person_id, i.kind, i.address, i.site_name, i.room_number, i.start_date, i.planned_end_date, i.released_date,
                i.test_days, i.responsible, i.arrival_id, i.contact_id, i.note, batch_id
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn isolations_of(&self, person_id: i64) -> Result<Vec<Isolation>> {
        self.rows_of(
            "SELECT id, person_id, kind, address, site_name, room_number, start_date, planned_end_date, released_date,
                test_days, responsible, arrival_id, contact_id, note
             FROM isolations WHERE person_id = ?1 ORDER BY start_date DESC, id DESC",
            person_id,
            |r| {
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
                })
            },
        )
    }

    pub fn add_health_check(&self, c: &HealthCheck, batch_id: i64) -> Result<i64> {
        let s = c.symptoms;
        self.conn
            .prepare_cached(
                "INSERT INTO health_checks (person_id, isolation_id, check_date, am_temperature, pm_temperature, fever,
                    dry_cough, fatigue, sore_throat, smell_taste_loss, diarrhea, checker, note, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                c.person_id, c.isolation_id, c.check_date, c.am_temperature, c.pm_temperature, s.fever, s.dry_cough, s.fatigue,
                s.sore_throat, s.smell_taste_loss, s.diarrhea, c.checker, c.note, batch_id
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn health_checks_of(&self, person_id: i64) -> Result<Vec<HealthCheck>> {
        self.rows_of(
            "SELECT id, person_id, isolation_id, check_date, am_temperature, pm_temperature, fever, dry_cough, fatigue,
                sore_throat, smell_taste_loss, diarrhea, checker, note
             FROM health_checks WHERE person_id = ?1 ORDER BY check_date DESC",
            person_id,
            |r| {
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
                })
            },
        )
    }

    pub fn add_test(&self, t: &Test, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO tests (person_id, kind, sample_date, site, result, isolation_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![t.person_id, t.kind, t.sample_date, t.site, t.result, t.isolation_id, batch_id])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn tests_of(&self, person_id: i64) -> Result<Vec<Test>> {
        self.rows_of(
            "SELECT id, person_id, kind, sample_date, site, result, isolation_id FROM tests
             WHERE person_id = ?1 ORDER BY sample_date DESC, id DESC",
            person_id,
            |r| {
                Ok(Test {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    kind: r.get(2)?,
                    sample_date: r.get(3)?,
                    site: r.get(4)?,
                    result: r.get(5)?,
                    isolation_id: r.get(6)?,
                })
            },
        )
    }

    pub fn add_vaccination(&self, v: &Vaccination, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO vaccinations (person_id, dose, vaccine_date, place_kind, vaccine_name, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![v.person_id, v.dose, v.vaccine_date, v.place_kind, v.vaccine_name, batch_id])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn vaccinations_of(&self, person_id: i64) -> Result<Vec<Vaccination>> {
        self.rows_of(
            "SELECT id, person_id, dose, vaccine_date, place_kind, vaccine_name FROM vaccinations
             WHERE person_id = ?1 ORDER BY dose",
            person_id,
            |r| {
                Ok(Vaccination {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    dose: r.get(2)?,
                    vaccine_date: r.get(3)?,
                    place_kind: r.get(4)?,
                    vaccine_name: r.get(5)?,
                })
            },
        )
    }

    pub fn add_case(&self, c: &Case, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO cases (person_id, kind, reported_date, code, note, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute(params![c.person_id, c.kind, c.reported_date, c.code, c.note, batch_id])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn cases_of(&self, person_id: i64) -> Result<Vec<Case>> {
        self.rows_of(
            "SELECT id, person_id, kind, reported_date, code, note FROM cases WHERE person_id = ?1 ORDER BY reported_date DESC",
            person_id,
            |r| {
                Ok(Case {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    kind: r.get(2)?,
                    reported_date: r.get(3)?,
                    code: r.get(4)?,
                    note: r.get(5)?,
                })
            },
        )
    }

    pub fn add_contact(&self, c: &Contact, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO contacts (case_id, source_person_id, contact_person_id, level, exposure_type, relation,
                    contact_way, last_contact_date, found_date, note, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                c.case_id, c.source_person_id, c.contact_person_id, c.level, c.exposure_type, c.relation, c.contact_way,
                c.last_contact_date, c.found_date, c.note, batch_id
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Contact links at one end of a person: `as_contact` gives who exposed them, otherwise
    /// whom they exposed.
    pub fn contact_links(&self, person_id: i64, as_contact: bool) -> Result<Vec<ContactLink>> {
        let end = if as_contact {
            "c.contact_person_id"
        } else {
            "c.source_person_id"
        };
        let sql = format!(
            "SELECT c.id, c.case_id, c.source_person_id, c.contact_person_id, c.level, c.exposure_type, c.relation,
                c.contact_way, c.last_contact_date, c.found_date, c.note,
                src.name, dst.name, cp.name, k.kind
             FROM contacts c
             JOIN persons src ON src.id = c.source_person_id
             JOIN persons dst ON dst.id = c.contact_person_id
             JOIN cases k ON k.id = c.case_id
             JOIN persons cp ON cp.id = k.person_id
             WHERE {end} = ?1 ORDER BY c.last_contact_date DESC, c.id"
        );
        self.rows_of(&sql, person_id, |r| {
            Ok(ContactLink {
                contact: Contact {
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
                },
                source_name: r.get(11)?,
                contact_name: r.get(12)?,
                case_person_name: r.get(13)?,
                case_kind: r.get(14)?,
            })
        })
    }

    pub fn add_checkpoint(&self, c: &Checkpoint, batch_id: i64) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO checkpoints (place_id, name, address, unit, leader_name, leader_phone, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.place_id, c.name, c.address, c.unit, c.leader_name, c.leader_phone, batch_id],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds a check with its passengers, all or nothing.
    pub fn add_checkpoint_check(&self, c: &CheckpointCheck, batch_id: i64) -> Result<i64> {
        self.in_transaction(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO checkpoint_checks (checkpoint_id, checked_at, person_id, name, id_number, phone, plate,
                        plate_kind, vehicle_kind, passenger_count, origin, destination, temperature, health_code,
                        disposal, handed_to_place_id, note, batch_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                )?
                .execute(params![
                    c.checkpoint_id, c.checked_at, c.person_id, c.name, c.id_number, c.phone, c.plate, c.plate_kind,
                    c.vehicle_kind, c.passenger_count, c.origin, c.destination, c.temperature, c.health_code, c.disposal,
                    c.handed_to_place_id, c.note, batch_id
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

    /// Checkpoint stops where the person was checked or rode along.
    pub fn checkpoint_sightings(&self, person_id: i64) -> Result<Vec<CheckpointSighting>> {
        self.rows_of(
            "SELECT c.id, k.name, c.checked_at, '被检查人', c.plate, c.temperature, c.origin, c.destination, c.disposal
             FROM checkpoint_checks c JOIN checkpoints k ON k.id = c.checkpoint_id WHERE c.person_id = ?1
             UNION ALL
             SELECT c.id, k.name, c.checked_at, '随车人员', c.plate, p.temperature, c.origin, c.destination, c.disposal
             FROM checkpoint_passengers p JOIN checkpoint_checks c ON c.id = p.check_id
             JOIN checkpoints k ON k.id = c.checkpoint_id WHERE p.person_id = ?1
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

    pub fn add_visit_note(&self, v: &VisitNote, batch_id: i64) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO visit_notes (visit_date, worker_name, household_id, person_id, method, situation, needs,
                    outcome, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                v.visit_date, v.worker_name, v.household_id, v.person_id, v.method, v.situation, v.needs, v.outcome, batch_id
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Visit notes on the person or on their household.
    pub fn visit_notes_of(&self, person_id: i64) -> Result<Vec<VisitNote>> {
        self.rows_of(
            "SELECT id, visit_date, worker_name, household_id, person_id, method, situation, needs, outcome
             FROM visit_notes
             WHERE person_id = ?1 OR household_id = (SELECT household_id FROM persons WHERE id = ?1)
             ORDER BY visit_date DESC, id DESC",
            person_id,
            |r| {
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
                })
            },
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
}
