//! Places: the 县 → 乡镇 → 村 → 网格 → 联户组 tree.

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::error::{Error, Result};
use crate::model::{level_rank, Place, PlaceInput};
use crate::validate::{normalize_key, normalize_text, FieldProblem};

impl Store {
    /// Adds a place under its parent. A level must sit below its parent's level.
    pub fn add_place(&self, input: &PlaceInput) -> Result<Place> {
        // Named in the trail (store/audit.rs): a transaction of its own, or the one open.
        self.named(|| {
            let mut problems = Vec::new();
            let name = normalize_text(&input.name);
            if name.is_empty() {
                problems.push(FieldProblem::error("name", "name_empty", "请填写名称"));
            }
            let Some(rank) = level_rank(&input.level) else {
                return Err(Error::Invalid(vec![FieldProblem::error(
                    "level",
                    "not_in_list",
                    "层级应为 县、乡镇、村、网格 或 联户组",
                )]));
            };
            if let Some(parent_id) = input.parent_id {
                let parent = self.place(parent_id)?;
                if level_rank(&parent.level).is_none_or(|p| p >= rank) {
                    problems.push(FieldProblem::error(
                        "level",
                        "level_order",
                        format!(
                            "{}不能放在{}“{}”之下",
                            input.level, parent.level, parent.name
                        ),
                    ));
                }
            }
            let code = normalize_key(&input.code);
            let code_ok = code.is_empty()
                || (code.bytes().all(|b| b.is_ascii_digit()) && [6, 9, 12].contains(&code.len()));
            if !code_ok {
                problems.push(FieldProblem::error(
                    "code",
                    "code_format",
                    "区划代码应为 6、9 或 12 位数字",
                ));
            }
            if !name.is_empty() {
                // One place, however its name is written (第1网格 = 第一网格), once under a parent.
                let key = crate::model::place_names::canonical(&name);
                let siblings: Vec<(i64, String)> = {
                    let mut stmt = self.conn.prepare_cached(
                        "SELECT id, name FROM places WHERE parent_id IS ?1 AND level = ?2",
                    )?;
                    let rows = stmt.query_map(params![input.parent_id, input.level], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                if let Some((id, same)) = siblings
                    .into_iter()
                    .find(|(_, n)| crate::model::place_names::canonical(n) == key)
                {
                    problems.push(FieldProblem::error(
                        "name",
                        "place_exists",
                        format!(
                            "这里已有{}“{same}”（编号 {id}），“{name}”就是它：不要重复建立；如确是另一处，请换一个能区分的名称",
                            input.level
                        ),
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
            let leader_phone = normalize_key(&input.leader_phone);
            self.conn.prepare_cached(
                "INSERT INTO places (parent_id, level, name, code, leader_name, leader_phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?.execute(
                params![
                    input.parent_id,
                    input.level,
                    name,
                    (!code.is_empty()).then_some(code),
                    Some(normalize_text(&input.leader_name)).filter(|s| !s.is_empty()),
                    (!leader_phone.is_empty()).then_some(leader_phone),
                ],
            )?;
            self.place(self.conn.last_insert_rowid())
        })
    }

    /// One place, with its path found by walking up to the top of the tree.
    pub fn place(&self, id: i64) -> Result<Place> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE up(id, parent_id, name, depth) AS (
                 SELECT id, parent_id, name, 0 FROM places WHERE id = ?1
                 UNION ALL
                 SELECT p.id, p.parent_id, p.name, up.depth + 1 FROM places p JOIN up ON p.id = up.parent_id
             )
             SELECT p.id, p.parent_id, p.level, p.name, p.code, p.leader_name, p.leader_phone,
                    (SELECT group_concat(name, '/') FROM (SELECT name FROM up ORDER BY depth DESC))
             FROM places p WHERE p.id = ?1",
        )?;
        stmt.query_row([id], place_from_row)
            .optional()?
            .ok_or(Error::NotFound { what: "地点", id })
    }

    /// Finds a place by name under a parent (None = the top).
    pub fn place_by_name(&self, parent_id: Option<i64>, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM places WHERE parent_id IS ?1 AND name = ?2",
                params![parent_id, name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The village a place lies in (itself when it is one), if any.
    pub fn village_of(&self, place_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "WITH RECURSIVE up(id, parent_id, level, depth) AS (
                     SELECT id, parent_id, level, 0 FROM places WHERE id = ?1
                     UNION ALL SELECT p.id, p.parent_id, p.level, up.depth + 1 FROM places p JOIN up ON p.id = up.parent_id
                     WHERE up.depth < 8
                 )
                 SELECT id FROM up WHERE level = '村' LIMIT 1",
            )?
            .query_row([place_id], |r| r.get(0))
            .optional()?)
    }

    /// Every place, with its path from the top, in tree order.
    pub fn places(&self) -> Result<Vec<Place>> {
        self.places_where("1", &[], usize::MAX)
    }

    /// Places whose path holds every word of `text` (石桥 45 finds 石桥村/第45网格), in tree
    /// order, at most `limit`; `levels` (empty: any) keeps only those levels. Numbers match
    /// however written, as the importer reads them (第三 finds 第3网格, 3 finds 第三网格). A
    /// county's thousands of grids are found by typing, never listed whole.
    pub fn find_places(&self, text: &str, levels: &[String], limit: usize) -> Result<Vec<Place>> {
        let folded = |t: &str| crate::model::place_names::arabic_numbers(&normalize_text(t));
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .map(folded)
            .collect();
        // The levels in SQL; the words against each path folded (a county has some 7,000
        // places: a few milliseconds).
        let condition = if levels.is_empty() {
            "1".to_string()
        } else {
            let list: Vec<String> = (1..=levels.len()).map(|i| format!("?{i}")).collect();
            format!("p.level IN ({})", list.join(", "))
        };
        let values: Vec<&dyn rusqlite::ToSql> =
            levels.iter().map(|l| l as &dyn rusqlite::ToSql).collect();
        Ok(self
            .places_where(&condition, &values, usize::MAX)?
            .into_iter()
            .filter(|p| {
                let path = folded(&p.path);
                words.iter().all(|w| path.contains(w.as_str()))
            })
            .take(limit)
            .collect())
    }

    fn places_where(
        &self,
        condition: &str,
        values: &[&dyn rusqlite::ToSql],
        limit: usize,
    ) -> Result<Vec<Place>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "WITH RECURSIVE tree(id, path, sort) AS (
                 SELECT id, name, printf('%08d', id) FROM places WHERE parent_id IS NULL
                 UNION ALL
                 SELECT p.id, tree.path || '/' || p.name, tree.sort || '/' || printf('%08d', p.id)
                 FROM places p JOIN tree ON p.parent_id = tree.id
             )
             SELECT p.id, p.parent_id, p.level, p.name, p.code, p.leader_name, p.leader_phone, tree.path
             FROM places p JOIN tree ON tree.id = p.id
             WHERE {condition}
             ORDER BY tree.sort
             LIMIT {}",
            i64::try_from(limit).unwrap_or(i64::MAX)
        ))?;
        let rows = stmt.query_map(values, place_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn place_from_row(r: &Row) -> rusqlite::Result<Place> {
    Ok(Place {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        level: r.get(2)?,
        name: r.get(3)?,
        code: r.get(4)?,
        leader_name: r.get(5)?,
        leader_phone: r.get(6)?,
        path: r.get(7)?,
    })
}
