//! Vaccine doses.

use rusqlite::{params, OptionalExtension, Row};

use super::super::Store;
use super::{stamp, STAMP};
use crate::error::Result;
use crate::model::*;

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

impl Store {
    // Vaccinations.

    pub fn add_vaccination(&self, v: &Vaccination, batch_id: i64) -> Result<i64> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            self.conn
                .prepare_cached(
                    "INSERT INTO vaccinations (person_id, dose, vaccine_date, place_kind, vaccine_name, batch_id, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![v.person_id, v.dose, v.vaccine_date, v.place_kind, v.vaccine_name, batch_id, self.operator()?])?;
            Ok(self.conn.last_insert_rowid())
        })
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
}
