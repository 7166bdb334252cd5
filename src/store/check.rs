//! `check ledger`: is the file sound, and does it hold values that the current rules refuse?
//! A ledger written by an older version may hold a date typed 1026-11-10 or a note of 350,000
//! characters: an upgrade keeps them (nothing is lost) and this check lists them, record by
//! record, so someone can correct them.

use rusqlite::types::ValueRef;
use serde::Serialize;

use super::Store;
use crate::error::Result;
use crate::model::Entity;

/// One record holding a value the rules refuse.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LedgerProblem {
    pub table: String,
    /// What the record is (人员, 来(返)乡记录 …).
    pub what: String,
    pub id: i64,
    /// The columns whose values look wrong, with the value (cut short) and why.
    pub values: Vec<(String, String, String)>,
}

/// The verdict of `check ledger`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LedgerCheck {
    /// Damage found by SQLite's integrity check (empty when the file is sound).
    pub damage: Vec<String>,
    pub problems: Vec<LedgerProblem>,
}

impl LedgerCheck {
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty() && self.problems.is_empty()
    }
}

impl Store {
    /// Checks the file and every record against the schema's rules.
    /// How many rows each table of the ledger holds, by name: a second import of an
    /// unchanged sheet must leave every one as it was.
    pub fn table_sizes(&self) -> Result<Vec<(String, i64)>> {
        let tables: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        tables
            .into_iter()
            .map(|t| {
                let n: i64 =
                    self.conn
                        .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?;
                Ok((t, n))
            })
            .collect()
    }

    pub fn check_ledger(&self) -> Result<LedgerCheck> {
        let mut damage: Vec<String> = self
            .integrity_problems()?
            .into_iter()
            .filter(|line| !line.starts_with("CHECK constraint failed"))
            .collect();
        // The trail is checked by its chain (its sealed rows refuse being touched).
        if let Some(broken) = self.audit_verify()?.broken {
            damage.push(broken.to_string());
        }
        let mut problems = Vec::new();
        let tables: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                   AND name NOT LIKE 'audit%' AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for table in tables {
            for id in self.rows_breaking_checks(&table)? {
                problems.push(LedgerProblem {
                    what: Entity::ALL
                        .iter()
                        .find(|e| e.table() == table)
                        .map(|e| e.label().to_string())
                        .unwrap_or_else(|| table.clone()),
                    values: self.suspicious_values(&table, id)?,
                    table: table.clone(),
                    id,
                });
            }
        }
        Ok(LedgerCheck { damage, problems })
    }

    /// The rows of a table that its CHECKs refuse: rewriting a row in place makes SQLite
    /// judge it again. The whole table is tried first (one statement), then row by row only
    /// when it fails. Everything is rolled back.
    fn rows_breaking_checks(&self, table: &str) -> Result<Vec<i64>> {
        // Every column is set to itself: SQLite re-checks only the CHECKs that name a column
        // an UPDATE sets.
        let set: String = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM pragma_table_info(?1)")?;
            let names = stmt.query_map([table], |r| r.get::<_, String>(0))?;
            names
                .map(|n| n.map(|n| format!("\"{n}\" = \"{n}\"")))
                .collect::<rusqlite::Result<Vec<_>>>()?
                .join(", ")
        };
        let touch = |condition: &str, id: Option<i64>| -> Result<bool> {
            self.conn.execute_batch("SAVEPOINT probe")?;
            let result = self.conn.execute(
                &format!("UPDATE \"{table}\" SET {set} {condition}"),
                rusqlite::params_from_iter(id),
            );
            // Everything was rolled back: the empty commit of the release needs no guard.
            self.unguarded(|| self.conn.execute_batch("ROLLBACK TO probe; RELEASE probe"))?;
            match result {
                Ok(_) => Ok(true),
                Err(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
                {
                    Ok(false)
                }
                Err(e) => Err(e.into()),
            }
        };
        if touch("", None)? {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT rowid FROM \"{table}\" ORDER BY rowid"))?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut bad = Vec::new();
        for id in ids {
            if !touch("WHERE rowid = ?1", Some(id))? {
                bad.push(id);
            }
        }
        Ok(bad)
    }

    /// The values of a row that break the usual rules: a date outside 1900–2099, text longer
    /// than a form ever holds, control characters in a name.
    fn suspicious_values(&self, table: &str, id: i64) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT * FROM \"{table}\" WHERE rowid = ?1"))?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let mut found = Vec::new();
        let mut rows = stmt.query([id])?;
        if let Some(row) = rows.next()? {
            for (i, name) in names.iter().enumerate() {
                let ValueRef::Text(bytes) = row.get_ref(i)? else {
                    continue;
                };
                let text = String::from_utf8_lossy(bytes);
                let short: String = text.chars().take(30).collect();
                let length = text.chars().count();
                let looks_like_date = text.len() >= 10
                    && text.as_bytes()[4] == b'-'
                    && text.as_bytes()[7] == b'-'
                    && text[..4].bytes().all(|b| b.is_ascii_digit());
                let why = if looks_like_date
                    && (text.as_ref() < "1900-01-01" || text.as_ref() > "2099-12-31 23:59:59")
                {
                    Some("日期不在 1900–2099 年之间")
                } else if length > crate::model::fields::NOTE_MAX {
                    Some("文字超过 500 字")
                } else if name == "name" && text.chars().any(crate::validate::is_invisible) {
                    Some("姓名或名称中有控制字符或不可见字符")
                } else if name == "name" && length > crate::model::fields::PLACE_NAME_MAX {
                    Some("名称太长")
                } else {
                    None
                };
                if let Some(why) = why {
                    let shown = if length > 30 {
                        format!("{short}…（共 {length} 字）")
                    } else {
                        short
                    };
                    found.push((name.clone(), shown, why.to_string()));
                }
            }
        }
        if found.is_empty() {
            // Rewrite one column at a time: SQLite re-checks only the CHECKs naming it, so the
            // columns whose rewrite fails are the ones that break the rules.
            drop(rows);
            let values: Vec<Option<String>> = {
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT {} FROM \"{table}\" WHERE rowid = ?1",
                    names
                        .iter()
                        .map(|n| format!("CAST(\"{n}\" AS TEXT)"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))?;
                stmt.query_row([id], |r| {
                    (0..names.len())
                        .map(|i| r.get(i))
                        .collect::<rusqlite::Result<_>>()
                })?
            };
            for (name, value) in names.iter().zip(values) {
                self.conn.execute_batch("SAVEPOINT probe_column")?;
                let result = self.conn.execute(
                    &format!("UPDATE \"{table}\" SET \"{name}\" = \"{name}\" WHERE rowid = ?1"),
                    [id],
                );
                self.unguarded(|| {
                    self.conn
                        .execute_batch("ROLLBACK TO probe_column; RELEASE probe_column")
                })?;
                if let Err(e) = result {
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                        let value = value.unwrap_or_else(|| "（空）".into());
                        let shown: String = value.chars().take(30).collect();
                        found.push((
                            name.clone(),
                            shown,
                            "不符合这一项的规则（可选的值、格式或范围），请在程序中改正".into(),
                        ));
                    }
                }
            }
        }
        if found.is_empty() {
            found.push((String::new(), String::new(), "有值不符合账本的规则".into()));
        }
        Ok(found)
    }
}
