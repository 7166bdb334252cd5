//! A 网格员's grid: the records they may write, and the looks outside it the trail notes.
//!
//! One rule for both: a person is inside a grid when their household's place is the grid or
//! a place under it (a 联户组). A person of no household (a traveller registered at a
//! checkpoint, an arrival not yet housed) is in no grid, so outside none.
//!
//! The writes are checked once, as a 网格员's transaction commits, on the trail's rows it
//! wrote (`audit`): whatever door the write came through (a form, a paste, the command line),
//! a record it touched outside the grid refuses the whole transaction. Checkpoint records
//! are the checkpoint's, not a grid's: a 网格员 on duty there records anyone who passes.

use super::keys::{Operator, Role};
use super::Store;
use crate::error::{Code, Error, Result};

/// The grid (`?grid`) and every place under it.
const UNDER: &str = "WITH RECURSIVE under(id) AS (SELECT :grid UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)";

/// Trail rows of tables that are not a grid's: the checkpoint's records, the ledger's own
/// bookkeeping and settings (each guarded by its duty).
const NOT_A_GRIDS: &str = "'checkpoints', 'checkpoint_checks', 'checkpoint_passengers', 'batches', 'ledger_events', 'settings', 'report_templates', 'purges', 'import_reviews'";

impl Store {
    /// The logged-in 网格员's name and grid (None: anyone else, or a 网格员 of no grid).
    fn grid_worker(&self) -> Option<(&str, i64)> {
        match &self.login {
            Some(Operator {
                name,
                role: Role::GridWorker,
                grid: Some(grid),
            }) => Some((name, *grid)),
            _ => None,
        }
    }

    /// Whether the person is outside the logged-in 网格员's grid (false for anyone else).
    pub fn outside_grid(&self, person_id: i64) -> Result<bool> {
        Ok(self.is_outside_grid(person_id)?)
    }

    /// `outside_grid` for a caller in the middle of reading rows (the lists of 今日).
    pub(super) fn is_outside_grid(&self, person_id: i64) -> rusqlite::Result<bool> {
        let Some((_, grid)) = self.grid_worker() else {
            return Ok(false);
        };
        self.conn.query_row(
            &format!(
                "{UNDER} SELECT EXISTS (SELECT 1 FROM persons pe JOIN households h ON h.id = pe.household_id
                                        WHERE pe.id = :person AND h.place_id NOT IN (SELECT id FROM under))"
            ),
            rusqlite::named_params! {":grid": grid, ":person": person_id},
            |r| r.get(0),
        )
    }

    /// Why the logged-in 网格员 may only look at this person (None: they may change them).
    pub fn person_read_only(&self, person_id: i64) -> Result<Option<String>> {
        match self.grid_worker() {
            Some((_, grid)) if self.outside_grid(person_id)? => Ok(Some(self.outside_note(grid))),
            _ => Ok(None),
        }
    }

    /// Why the logged-in 网格员 may only look at this household (None: they may change it).
    pub fn household_read_only(&self, household_id: i64) -> Result<Option<String>> {
        let Some((_, grid)) = self.grid_worker() else {
            return Ok(None);
        };
        Ok(self
            .household_outside(grid, household_id)?
            .then(|| self.outside_note(grid)))
    }

    /// Whether a household's place is outside the grid.
    fn household_outside(&self, grid: i64, household_id: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            &format!(
                "{UNDER} SELECT EXISTS (SELECT 1 FROM households
                                        WHERE id = :household AND place_id NOT IN (SELECT id FROM under))"
            ),
            rusqlite::named_params! {":grid": grid, ":household": household_id},
            |r| r.get(0),
        )?)
    }

    /// The places the logged-in 网格员 may put a household or a place in: their grid and the
    /// places under it (None: anyone else, who may use every place).
    pub fn own_places(&self) -> Result<Option<Vec<i64>>> {
        let Some((_, grid)) = self.grid_worker() else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{UNDER} SELECT id FROM under ORDER BY id"))?;
        let ids = stmt
            .query_map(rusqlite::named_params! {":grid": grid}, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(ids))
    }

    fn outside_note(&self, grid: i64) -> String {
        format!(
            "不在你的网格（{}）里：只能查看；要修改，请村管理员来做。",
            self.grid_name(grid)
        )
    }

    fn grid_name(&self, grid: i64) -> String {
        self.place(grid)
            .map(|p| p.name)
            .unwrap_or_else(|_| format!("地点 {grid}"))
    }

    /// Before a 网格员's transaction commits: refuses it when a row it wrote into the trail
    /// (after `audit_from`) concerns a record outside their grid — a household or a place
    /// there, a person housed there before or after, or a record of such a person.
    pub(super) fn grid_check(&self) -> Result<()> {
        let Some((name, grid)) = self.grid_worker() else {
            return Ok(());
        };
        let outside: Option<i64> = self.conn.query_row(
            &format!(
                "{UNDER},
                 rows AS (SELECT seq, entity, record, person_id, old, new FROM audit
                          WHERE seq > :from AND entity NOT IN ({NOT_A_GRIDS})),
                 homes(seq, household) AS (
                     SELECT seq, json_extract(old, '$.household_id') FROM rows WHERE entity IN ('persons', 'visit_notes')
                     UNION ALL SELECT seq, json_extract(new, '$.household_id') FROM rows WHERE entity IN ('persons', 'visit_notes')
                     UNION ALL SELECT r.seq, pe.household_id FROM rows r JOIN persons pe ON pe.id = r.person_id),
                 spots(seq, place) AS (
                     SELECT seq, json_extract(old, '$.place_id') FROM rows WHERE entity = 'households'
                     UNION ALL SELECT seq, json_extract(new, '$.place_id') FROM rows WHERE entity = 'households'
                     UNION ALL SELECT m.seq, h.place_id FROM homes m JOIN households h ON h.id = m.household
                     UNION ALL SELECT seq, CAST(record AS INTEGER) FROM rows WHERE entity = 'places'
                     UNION ALL SELECT seq, json_extract(old, '$.parent_id') FROM rows
                               WHERE entity = 'places' AND CAST(record AS INTEGER) IS NOT :grid
                     -- A person of a household taken out of it (未分户) leaves the grid:
                     -- no place is inside.
                     UNION ALL SELECT seq, -1 FROM rows
                               WHERE entity = 'persons' AND new IS NOT NULL
                               AND json_extract(old, '$.household_id') IS NOT NULL
                               AND json_extract(new, '$.household_id') IS NULL)
                 SELECT min(seq) FROM spots WHERE place IS NOT NULL AND place NOT IN (SELECT id FROM under)"
            ),
            rusqlite::named_params! {":grid": grid, ":from": self.audit_from.get()},
            |r| r.get(0),
        )?;
        let Some(seq) = outside else {
            return Ok(());
        };
        let row = self.conn.query_row(
                "SELECT a.entity, a.record, a.person_id, (SELECT name FROM persons WHERE id = a.person_id),
                        a.action = '新增' AND EXISTS (SELECT 1 FROM audit b WHERE b.seq > :from
                            AND b.entity = 'persons' AND b.record = CAST(a.person_id AS TEXT) AND b.action = '新增'),
                        a.action = '新增',
                        json_extract(a.old, '$.household_id'), json_extract(a.new, '$.household_id'),
                        json_extract(coalesce(a.new, a.old), '$.name'),
                        coalesce(json_extract(coalesce(a.new, a.old), '$.door_name'), '')
                            || coalesce(json_extract(coalesce(a.new, a.old), '$.door_number'), '')
                 FROM audit a WHERE seq = :seq",
            rusqlite::named_params! {":seq": seq, ":from": self.audit_from.get()},
            |r| {
                Ok(Outside {
                    entity: r.get(0)?,
                    record: r.get(1)?,
                    person: match (r.get(2)?, r.get(3)?) {
                        (Some(id), Some(name)) => Some((id, name)),
                        _ => None,
                    },
                    new_person: r.get(4)?,
                    new_record: r.get(5)?,
                    old_household: r.get(6)?,
                    new_household: r.get(7)?,
                    name: r.get(8)?,
                    door: r.get(9)?,
                })
            },
        )?;
        let what = self.outside_reason(&row, grid)?;
        let grid_name = self.grid_name(grid);
        Err(Error::refused(
            Code::Conflict,
            format!(
                "“{name}”是网格员，只能修改自己网格（{grid_name}）里的记录：{what}，这次没有保存。请村管理员来做。"
            ),
        ))
    }

    /// What of a refused write is outside the grid, in a clause a cadre reads.
    fn outside_reason(&self, row: &Outside, grid: i64) -> Result<String> {
        let household = |id: i64| -> Result<String> {
            let h = self.household_summary(id)?;
            Ok(format!("{}，{}", h.label(), h.place_path))
        };
        let moved = row.entity == "persons" && row.old_household != row.new_household;
        Ok(match (&row.person, row.entity.as_str()) {
            // A person added in this very write has no number yet worth saying.
            (Some((_, person)), _) if row.new_person => format!("新增的{person}在网格外"),
            (Some((_, person)), _) if moved => match (row.old_household, row.new_household) {
                (_, None) => format!("不能把{person}迁出所有户（未分户的人不在任何网格里）"),
                (_, Some(to)) if self.household_outside(grid, to)? => {
                    format!("不能把{person}迁到网格外的户（{}）", household(to)?)
                }
                _ => format!("{person}原来的户在网格外，不能迁入"),
            },
            (Some((id, person)), _) => format!("{person}（人员编号 {id}）的记录在网格外"),
            (None, "households") if row.new_record => format!("新增的户（{}）在网格外", row.door),
            (None, "households") => format!("户（{}，编号 {}）在网格外", row.door, row.record),
            (None, "places") => format!(
                "{}地点“{}”在网格外",
                if row.new_record { "新增的" } else { "" },
                row.name.as_deref().unwrap_or("")
            ),
            (None, entity) => format!("{entity} 的记录（编号 {}）在网格外", row.record),
        })
    }
}

/// The first trail row of a refused write found outside the grid, with what names it.
struct Outside {
    entity: String,
    record: String,
    person: Option<(i64, String)>,
    /// The row is of a person added in this very write.
    new_person: bool,
    new_record: bool,
    old_household: Option<i64>,
    new_household: Option<i64>,
    name: Option<String>,
    door: String,
}
