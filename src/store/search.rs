//! Finding a person by what a cadre remembers: a name or part of it, pinyin initials
//! ("zs" for 张三), an ID number or its last digits, a phone or its first digits.
//!
//! Every branch is an index lookup or range scan, so a search stays fast on a county's
//! 1,000,000 persons (benches/search.rs measures it). Range bounds are written as
//! `col >= prefix AND col < prefix || U+10FFFF`, which SQLite answers from the index.

use rusqlite::{params, Row};
use serde::Serialize;

use super::{reversed, Store};
use crate::error::Result;
use crate::validate::{is_han, normalize_key, normalize_name};

/// One search result, with enough to tell two 张伟 apart.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonHit {
    pub id: i64,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub household_id: Option<i64>,
    pub household_label: Option<String>,
    /// The household's place: its grid, or a 联户组 with its grid (第二网格 第1联户组).
    pub place_name: Option<String>,
    /// What matched: 姓名, 拼音, 证件号, 手机.
    pub matched_by: String,
    /// An archived person (found only when a search asks for them): the page offers 恢复.
    pub archived: bool,
}

const HIT_SELECT: &str =
    "SELECT p.id, p.name, p.gender, p.birth_date, p.id_number, p.phone, p.household_id,
        coalesce(h.door_name, '') || coalesce(h.door_number, ''), coalesce(grid.name || ' ', '') || pl.name,
        p.archived_at IS NOT NULL
    FROM persons p
    LEFT JOIN households h ON h.id = p.household_id
    LEFT JOIN places pl ON pl.id = h.place_id
    LEFT JOIN places grid ON grid.id = pl.parent_id AND pl.level = '联户组'";

/// The largest code point: `prefix || MAX` bounds every string that starts with `prefix`.
const MAX_CHAR: char = '\u{10FFFF}';

impl Store {
    /// Finds up to `limit` persons (archived ones excluded), best matches first.
    pub fn find_persons(&self, query: &str, limit: usize) -> Result<Vec<PersonHit>> {
        self.search_persons(query, limit, false)
    }

    /// Finds up to `limit` persons, best matches first; archived ones too when
    /// `with_archived` (含已归档: an archived person stays findable, to be restored).
    pub fn search_persons(
        &self,
        query: &str,
        limit: usize,
        with_archived: bool,
    ) -> Result<Vec<PersonHit>> {
        let archived = if with_archived {
            "1"
        } else {
            "p.archived_at IS NULL"
        };
        let key = normalize_key(query);
        if key.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut hits: Vec<PersonHit> = Vec::new();
        // Digits, possibly ending in the ID check letter X: an ID number, its tail, or a phone.
        let mut chars = key.chars();
        let last = chars.next_back().unwrap_or_default();
        let digits_or_x = chars.all(|c| c.is_ascii_digit())
            && (last.is_ascii_digit() || last.eq_ignore_ascii_case(&'x'));
        if digits_or_x {
            let upper = key.to_uppercase();
            // A whole ID number (the 15-digit form is upgraded first).
            let whole = crate::validate::parse_resident_id(&upper, self.today())
                .map(|id| id.number)
                .unwrap_or(upper.clone());
            self.collect(
                archived,
                &mut hits,
                "证件号",
                "p.id_number = ?1",
                params![whole],
                limit,
            )?;
            if upper.len() >= 4 {
                let rev = reversed(&upper);
                self.collect(
                    archived,
                    &mut hits,
                    "证件号",
                    "p.id_number_rev >= ?1 AND p.id_number_rev < ?2",
                    params![rev, bound(&rev)],
                    limit,
                )?;
            }
            if upper.len() >= 3 {
                self.collect(
                    archived,
                    &mut hits,
                    "手机",
                    "p.phone >= ?1 AND p.phone < ?2",
                    params![upper, bound(&upper)],
                    limit,
                )?;
            }
            if upper.len() >= 4 {
                // Last digits of a phone, the other half of how people remember numbers: the
                // last four by index, a longer tail checked among them.
                self.collect(
                    archived,
                    &mut hits,
                    "手机",
                    "substr(p.phone, -4) = substr(?1, -4) AND substr(p.phone, -length(?1)) = ?1",
                    params![upper],
                    limit,
                )?;
            }
        } else if key.bytes().all(|b| b.is_ascii_alphabetic()) {
            let lower = key.to_lowercase();
            self.collect(
                archived,
                &mut hits,
                "拼音",
                "p.name_initials = ?1",
                params![lower],
                limit,
            )?;
            self.collect(
                archived,
                &mut hits,
                "拼音",
                "p.name_initials >= ?1 AND p.name_initials < ?2",
                params![lower, bound(&lower)],
                limit,
            )?;
            // The whole pinyin, or its start: wangwei, wangw.
            if lower.len() >= 2 {
                self.collect(
                    archived,
                    &mut hits,
                    "拼音",
                    "p.name_pinyin >= ?1 AND p.name_pinyin < ?2",
                    params![lower, bound(&lower)],
                    limit,
                )?;
            }
            // Latin names (foreign residents) by their start, as typed.
            let name = normalize_name(query);
            self.collect(
                archived,
                &mut hits,
                "姓名",
                "p.name >= ?1 AND p.name < ?2",
                params![name, bound(&name)],
                limit,
            )?;
        } else {
            let name = normalize_name(query);
            self.collect(
                archived,
                &mut hits,
                "姓名",
                "p.name = ?1",
                params![name],
                limit,
            )?;
            self.collect(
                archived,
                &mut hits,
                "姓名",
                "p.name >= ?1 AND p.name < ?2",
                params![name, bound(&name)],
                limit,
            )?;
            // A given name or its start ("小明" finds 王小明, "明" finds 李明): a prefix of
            // the name after its first character, by index, for Chinese text.
            if name.chars().any(is_han) {
                self.collect(
                    archived,
                    &mut hits,
                    "姓名",
                    "substr(p.name, 2) >= ?1 AND substr(p.name, 2) < ?2",
                    params![name, bound(&name)],
                    limit,
                )?;
            }
        }
        Ok(hits)
    }

    /// Appends the hits of one condition that are not already in `hits`, up to `limit`.
    fn collect(
        &self,
        archived: &str,
        hits: &mut Vec<PersonHit>,
        matched_by: &str,
        condition: &str,
        args: &[&dyn rusqlite::ToSql],
        limit: usize,
    ) -> Result<()> {
        if hits.len() >= limit {
            return Ok(());
        }
        let sql = format!(
            "{HIT_SELECT} WHERE ({condition}) AND {archived} ORDER BY {} LIMIT {}",
            order_of(condition),
            limit + hits.len()
        );
        #[cfg(test)]
        tests::note_plan(&self.conn, &sql, args);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| hit_from_row(r, matched_by))?;
        for row in rows {
            let hit = row?;
            if hits.len() >= limit {
                break;
            }
            if !hits.iter().any(|h| h.id == hit.id) {
                hits.push(hit);
            }
        }
        Ok(())
    }
}

/// The order a condition's hits are read in. A name range is walked in its own index's
/// order, so the first hits of a county's 100,000 王 are read and not all of them sorted;
/// anything else is sorted by name (the `+` keeps SQLite from walking the name index to
/// find a phone).
fn order_of(condition: &str) -> &'static str {
    if condition.starts_with("p.name >= ") {
        "p.name, p.id"
    } else if condition.starts_with("substr(p.name, 2) >= ") {
        "substr(p.name, 2), p.id"
    } else {
        "+p.name, p.id"
    }
}

fn bound(prefix: &str) -> String {
    format!("{prefix}{MAX_CHAR}")
}

fn hit_from_row(r: &Row, matched_by: &str) -> rusqlite::Result<PersonHit> {
    let label: String = r.get(7)?;
    Ok(PersonHit {
        id: r.get(0)?,
        name: r.get(1)?,
        gender: r.get(2)?,
        birth_date: r.get(3)?,
        id_number: r.get(4)?,
        phone: r.get(5)?,
        household_id: r.get(6)?,
        household_label: (!label.is_empty()).then_some(label),
        place_name: r.get(8)?,
        matched_by: matched_by.to_string(),
        archived: r.get(9)?,
    })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    thread_local! {
        /// The query plan of every search condition run on this thread.
        static PLANS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn note_plan(conn: &rusqlite::Connection, sql: &str, args: &[&dyn rusqlite::ToSql]) {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let details: Vec<String> = stmt
            .query_map(args, |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        PLANS.with(|p| p.borrow_mut().push(details.join(" | ")));
    }

    /// Every kind of query a cadre types is answered from an index: none reads the whole
    /// table (on a county's million persons a scan costs 100–250 ms; benches/search.rs).
    #[test]
    fn no_query_reads_the_whole_table() {
        let store = Store::open_in_memory().unwrap();
        let queries = [
            "张三",
            "张",
            "小明",
            "明",
            "无此人",
            "zs",
            "zhangsan",
            "Smith",
            "11010519491231002X",
            "002X",
            "13800138000",
            "1380013",
            "8000",
            "138000",
        ];
        for q in queries {
            PLANS.with(|p| p.borrow_mut().clear());
            for archived in [false, true] {
                store.search_persons(q, 20, archived).unwrap();
            }
            let plans = PLANS.with(|p| p.borrow().clone());
            assert!(!plans.is_empty(), "{q}");
            for plan in plans {
                assert!(!plan.contains("SCAN"), "{q}: {plan}");
            }
        }
    }
}
