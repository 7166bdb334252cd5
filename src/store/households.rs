//! Households: saving, listing with their heads and sizes, archiving.

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::error::{Error, Result};
use crate::model::{
    validate_household, CleanHousehold, HouseholdDetail, HouseholdInput, HouseholdSummary,
};

/// Household columns with place path, head and member count; `place_paths` is a CTE the
/// query must define.
const SUMMARY_SELECT: &str = "
    SELECT h.id, h.place_id, pp.path, h.door_name, h.door_number, h.address, h.housing_use, h.tenant_name,
           h.tenant_phone, h.note,
           (SELECT name FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL),
           (SELECT phone FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL),
           (SELECT count(*) FROM persons WHERE household_id = h.id AND archived_at IS NULL),
           h.archived_at
    FROM households h JOIN place_paths pp ON pp.id = h.place_id";

const PLACE_PATHS: &str = "WITH RECURSIVE place_paths(id, path) AS (
        SELECT id, name FROM places WHERE parent_id IS NULL
        UNION ALL
        SELECT p.id, place_paths.path || '/' || p.name FROM places p JOIN place_paths ON p.parent_id = place_paths.id
    )";

fn summary_from_row(r: &Row) -> rusqlite::Result<HouseholdSummary> {
    Ok(HouseholdSummary {
        id: r.get(0)?,
        place_id: r.get(1)?,
        place_path: r.get(2)?,
        door_name: r.get(3)?,
        door_number: r.get(4)?,
        address: r.get(5)?,
        housing_use: r.get(6)?,
        tenant_name: r.get(7)?,
        tenant_phone: r.get(8)?,
        note: r.get(9)?,
        head_name: r.get(10)?,
        head_phone: r.get(11)?,
        member_count: r.get(12)?,
        archived_at: r.get(13)?,
    })
}

impl Store {
    /// Checks and saves a household typed by hand (new when `input.id` is None).
    pub fn save_household(&self, input: &HouseholdInput) -> Result<HouseholdSummary> {
        let household = validate_household(input).map_err(Error::Invalid)?;
        let batch_id = self.entry_batch()?;
        // In a transaction of its own: the trail names who wrote it, and a 网格员's grid is
        // checked (store/grid.rs).
        let id = self.named(|| self.write_household(&household, batch_id))?;
        self.household_summary(id)
    }

    pub fn write_household(&self, h: &CleanHousehold, batch_id: i64) -> Result<i64> {
        self.place(h.place_id)?;
        match h.id {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO households (place_id, door_name, door_number, address, housing_use, tenant_name,
                            tenant_phone, note, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute(params![
                        h.place_id, h.door_name, h.door_number, h.address, h.housing_use, h.tenant_name, h.tenant_phone, h.note, batch_id
                    ])?;
                Ok(self.conn.last_insert_rowid())
            }
            Some(id) => {
                let changed = self.conn.execute(
                    "UPDATE households SET place_id = ?1, door_name = ?2, door_number = ?3, address = ?4, housing_use = ?5,
                        tenant_name = ?6, tenant_phone = ?7, note = ?8,
                        updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')
                     WHERE id = ?9",
                    params![h.place_id, h.door_name, h.door_number, h.address, h.housing_use, h.tenant_name, h.tenant_phone, h.note, id],
                )?;
                if changed == 0 {
                    return Err(Error::NotFound { what: "户", id });
                }
                Ok(id)
            }
        }
    }

    /// The place a household is in.
    pub fn household_place(&self, id: i64) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT place_id FROM households WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or(Error::NotFound { what: "户", id })
    }

    pub fn household_summary(&self, id: i64) -> Result<HouseholdSummary> {
        self.conn
            .query_row(
                &format!("{PLACE_PATHS} {SUMMARY_SELECT} WHERE h.id = ?1"),
                [id],
                summary_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound { what: "户", id })
    }

    /// A household with its members (an archived household can still be opened).
    pub fn household(&self, id: i64) -> Result<HouseholdDetail> {
        Ok(HouseholdDetail {
            household: self.household_summary(id)?,
            members: self.household_members(id)?,
            read_only: self.household_read_only(id)?,
        })
    }

    /// Households of a place and everything under it (all when None), by door.
    pub fn households(
        &self,
        place_id: Option<i64>,
        include_archived: bool,
    ) -> Result<Vec<HouseholdSummary>> {
        let sql = format!(
            "{PLACE_PATHS}, under(id) AS (
                SELECT id FROM places WHERE ?1 IS NULL OR id = ?1
                UNION SELECT p.id FROM places p JOIN under ON p.parent_id = under.id
            )
            {SUMMARY_SELECT}
            WHERE h.place_id IN (SELECT id FROM under) AND (?2 OR h.archived_at IS NULL)
            ORDER BY pp.path, h.door_name, CAST(h.door_number AS INTEGER), h.door_number, h.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![place_id, include_archived], summary_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Archives a household (its members stay in the register). Nothing is deleted.
    pub fn archive_household(&self, id: i64) -> Result<()> {
        self.archive(crate::model::Entity::Household, id)
    }

    pub fn restore_household(&self, id: i64) -> Result<()> {
        self.restore(crate::model::Entity::Household, id)
    }
}
