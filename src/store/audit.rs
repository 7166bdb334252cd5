//! The audit trail: every insert, change and delete of a record is a row of `audit`, written by
//! the triggers of schema.sql whoever writes (this program, another, a raw SQLite shell). The
//! store names the operator when its write transaction begins (`audit_session`) and, before it
//! commits, seals the rows written since the last seal: a row of `audit_seals` holds the
//! previous seal's hash and the SHA-256 of it and of every row since (each row's fields and
//! the hash of its old and new values). One seal per write, not per row: a county's import
//! of 200,000 rows is sealed in a fraction of a second. Sealed rows cannot be changed or
//! deleted through SQL (schema triggers); one changed by other means breaks its seal, and
//! `verify` names the rows that seal covers.

use rusqlite::{params, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::{Code, Error, Result};

/// The environment variable that names the operator for the command line (or `--operator`).
pub const OPERATOR_ENV: &str = "GRIDLEDGER_OPERATOR";

/// The operator of rows this program wrote when nobody was named.
pub const UNSIGNED: &str = "未署名";

/// One row of the trail.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    /// None: written by another program (no operator was named by this one).
    pub operator: Option<String>,
    /// The table, and the record's key in it.
    pub entity: String,
    pub record: String,
    pub person_id: Option<i64>,
    /// 新增, 修改, 归档, 恢复, 迁户 or 删除.
    pub action: String,
    /// The values before and after (a missing key was empty); None for an insert's before,
    /// a delete's after, and both once a purge erased them.
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    /// The purge that erased the values, if one did.
    pub purged: Option<i64>,
    /// The table in the window's words (人员, 体温 …).
    pub what: String,
    /// What the row changed, field by field in the window's words: for a change the fields
    /// that differ, for an insert or a delete every field given (the bookkeeping columns —
    /// times, who, the search keys — left out).
    pub changes: Vec<FieldChange>,
}

/// One field a row of the trail changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Columns every write stamps, not what anyone changed.
const STAMPS: &[&str] = &[
    "created_at",
    "updated_at",
    "updated_by",
    "name_initials",
    "name_pinyin",
    "id_number_rev",
];

fn field_changes(
    table: &str,
    old: Option<&serde_json::Value>,
    new: Option<&serde_json::Value>,
) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let before = old.and_then(|v| v.as_object()).unwrap_or(&empty);
    let after = new.and_then(|v| v.as_object()).unwrap_or(&empty);
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !STAMPS.contains(&k.as_str()) && before.get(*k) != after.get(*k))
        .map(|k| FieldChange {
            key: k.clone(),
            label: column_label(table, k),
            before: text(before.get(k)),
            after: text(after.get(k)),
        })
        .collect()
}

/// What to list (`audit list`).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only rows concerning this person (their record, tags, arrivals, checks…).
    pub person: Option<i64>,
    /// Only rows from this sequence number on.
    pub from_seq: Option<i64>,
    /// At most this many rows, newest last (0: all).
    pub limit: usize,
}

/// What `audit verify` found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditVerdict {
    /// Sealed rows checked, and the seals.
    pub rows: i64,
    pub seals: i64,
    /// Rows not sealed yet (written by another program since this one last wrote).
    pub unsealed: i64,
    /// What does not hold, the first thing found.
    pub broken: Option<Broken>,
}

impl AuditVerdict {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
    }
}

/// What `audit verify` found wrong: the rows concerned (a seal's rows, or one row), if rows
/// are, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Broken {
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match (self.first, self.last) {
            (Some(a), Some(b)) if a == b => write!(f, "审计记录第 {a} 条不符：{}", self.why),
            (Some(a), Some(b)) => write!(f, "审计记录第 {a}–{b} 条（一次保存）不符：{}", self.why),
            _ => write!(f, "审计记录不符：{}", self.why),
        }
    }
}

fn broken(first: i64, last: i64, why: &str) -> Option<Broken> {
    Some(Broken {
        first: Some(first),
        last: Some(last),
        why: why.to_string(),
    })
}

/// The tables the trail covers (`audited_tables`).
const AUDITED_TABLES: &str = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_' || tbl_name || '_insert' ORDER BY tbl_name";

impl Store {
    /// Names who is working on this connection (None: the 填报人 setting). Every row of the
    /// trail the connection writes from now on carries it.
    /// On a protected ledger the operator is whoever logged in, and cannot be renamed.
    pub fn set_operator(&self, operator: Option<String>) {
        if self.login.is_some() {
            return;
        }
        *self.operator.borrow_mut() = operator.filter(|o| !o.trim().is_empty());
    }

    /// Who is working: the operator named for this connection, or the 填报人 setting.
    pub fn who(&self) -> Result<Option<String>> {
        match self.operator.borrow().clone() {
            Some(name) => Ok(Some(name)),
            None => self.setting("operator"),
        }
    }

    /// At the start of a write transaction: the trail's rows will name who is working
    /// (UNSIGNED when nobody was named: this program, but no operator or 填报人 set).
    pub(super) fn audit_begin(&self) -> Result<()> {
        let who = self.who()?.unwrap_or_else(|| UNSIGNED.to_string());
        self.conn
            .prepare_cached(
                "INSERT INTO audit_session (id, operator, quiet) VALUES (1, ?1, 0)
                 ON CONFLICT (id) DO UPDATE SET operator = excluded.operator, quiet = 0",
            )?
            .execute([who])?;
        self.bookkeeping(1);
        // Rows after this one are this transaction's; rows before it not yet sealed were
        // written by another program, which names nobody (the session is cleared).
        let last: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM audit")?
            .query_row([], |r| r.get(0))?;
        self.audit_from.set(last);
        Ok(())
    }

    /// Counts rows the trail's bookkeeping wrote (they are not writes of records).
    fn bookkeeping(&self, rows: usize) {
        self.audit_writes.set(self.audit_writes.get() + rows as u64);
    }

    /// Before the commit: seals the rows written since the last seal (this transaction's,
    /// and any another program wrote in between) and forgets who was working, so a later
    /// write by another program names nobody.
    pub(super) fn audit_seal(&self) -> Result<()> {
        let cleared = self
            .conn
            .prepare_cached("DELETE FROM audit_session")?
            .execute([])?;
        self.bookkeeping(cleared);
        let (sealed, prev): (i64, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT coalesce(max(last_seq), 0), (SELECT hash FROM audit_seals ORDER BY id DESC LIMIT 1) FROM audit_seals",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let last: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(seq) FROM audit")?
            .query_row([], |r| r.get(0))?;
        let Some(last) = last.filter(|last| *last > sealed) else {
            return Ok(());
        };
        // Another program's row that names an operator claims to be this program's work: it
        // is not sealed into the trail (nothing is written until someone looks into it).
        if let Some(forged) = self.forged_row(sealed, self.audit_from.get())? {
            return Err(Error::refused(
                Code::AuditBroken,
                format!("审计记录第 {forged} 条不是本程序写的，却署了操作人：账本被其他程序改动过，本次没有保存。请管理员用 audit list 核对，必要时用备份恢复"),
            ));
        }
        let hash = self.seal_hash(prev.as_deref(), sealed, last)?;
        let written = self
            .conn
            .prepare_cached(
                "INSERT INTO audit_seals (last_seq, prev_hash, hash) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![last, prev, hash])?;
        self.bookkeeping(written);
        Ok(())
    }

    /// The first row after `after` up to `upto` that names an operator: another program's.
    fn forged_row(&self, after: i64, upto: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT min(seq) FROM audit WHERE seq > ?1 AND seq <= ?2 AND operator IS NOT NULL",
            )?
            .query_row([after, upto], |r| r.get(0))?)
    }

    /// The hash of a seal: the previous seal's hash, then each row after `after` up to `last`
    /// (its fields and the hash of its values, or the digest a purge kept).
    fn seal_hash(&self, prev: Option<&str>, after: i64, last: i64) -> Result<String> {
        let mut h = Sha256::new();
        feed(&mut h, prev);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FIELDS}, purged, digest FROM audit WHERE seq > ?1 AND seq <= ?2 ORDER BY seq"
        ))?;
        let mut rows = stmt.query(params![after, last])?;
        while let Some(r) = rows.next()? {
            let fields = Fields::read(r)?;
            let purged: Option<i64> = r.get(9)?;
            let kept: Option<String> = r.get(10)?;
            let digest = match (purged, kept) {
                (Some(_), Some(kept)) if fields.old.is_none() && fields.new.is_none() => kept,
                // A purge mark without its digest, or values beside it: not as a purge left it.
                (Some(_), _) => "0".repeat(64),
                (None, _) => fields.digest(),
            };
            fields.feed(&mut h, &digest);
        }
        Ok(hex(&h.finalize()))
    }

    /// Quiets the trail (or not) for the rest of this transaction: what is deleted or written
    /// is not copied into it. A purge, which records its counts instead; a preview, which is
    /// rolled back.
    pub(super) fn audit_quiet(&self, quiet: bool) -> Result<()> {
        let set = self
            .conn
            .prepare_cached("UPDATE audit_session SET quiet = ?1")?
            .execute([quiet])?;
        self.bookkeeping(set);
        Ok(())
    }

    /// Runs `work` with the trail quiet (a purge's deletes). Only inside a transaction.
    pub(super) fn audit_quietly<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.audit_quiet(true)?;
        let done = work();
        self.audit_quiet(false)?;
        done
    }

    /// Erases the values of the trail's rows for records a purge removed (the rows stay,
    /// each keeps the hash of what it held in `digest`, so its seal still holds), and marks
    /// them with the purge.
    pub(super) fn audit_erase(&self, entity: &str, ids_sql: &str, purge: i64) -> Result<usize> {
        let rows: Vec<(i64, String)> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {FIELDS} FROM audit
                 WHERE entity = ?1 AND CAST(record AS INTEGER) IN ({ids_sql}) AND purged IS NULL"
            ))?;
            let rows = stmt.query_map([entity], |r| Ok((r.get(0)?, Fields::read(r)?.digest())))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut erase = self.conn.prepare_cached(
            "UPDATE audit SET old = NULL, new = NULL, digest = ?2, purged = ?3 WHERE seq = ?1",
        )?;
        for (seq, digest) in &rows {
            erase.execute(params![seq, digest, purge])?;
        }
        Ok(rows.len())
    }

    /// The trail, oldest first.
    pub fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let limit = if filter.limit == 0 {
            -1
        } else {
            filter.limit as i64
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT * FROM (SELECT {FIELDS}, purged FROM audit
               WHERE (?1 IS NULL OR person_id = ?1) AND seq >= coalesce(?2, 0)
               ORDER BY seq DESC LIMIT ?3)
             ORDER BY seq"
        ))?;
        let rows = stmt.query_map(params![filter.person, filter.from_seq, limit], |r| {
            let fields = Fields::read(r)?;
            let json = |text: &Option<String>| -> Option<serde_json::Value> {
                text.as_deref().and_then(|t| serde_json::from_str(t).ok())
            };
            let (old, new) = (json(&fields.old), json(&fields.new));
            Ok(AuditRow {
                seq: r.get(0)?,
                what: table_label(&fields.entity).to_string(),
                changes: field_changes(&fields.entity, old.as_ref(), new.as_ref()),
                old,
                new,
                at: fields.at,
                operator: fields.operator,
                entity: fields.entity,
                record: fields.record,
                person_id: fields.person_id,
                action: fields.action,
                purged: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks the whole chain: each seal names the hash of the seal before it, and its hash
    /// is that of the rows it covers as they are now. A row changed, removed or slipped in
    /// afterwards breaks the seal covering it.
    pub fn audit_verify(&self) -> Result<AuditVerdict> {
        let seals: Vec<(i64, Option<String>, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT last_seq, prev_hash, hash FROM audit_seals ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut verdict = AuditVerdict {
            rows: 0,
            seals: 0,
            unsealed: 0,
            broken: None,
        };
        let (mut after, mut prev): (i64, Option<String>) = (0, None);
        for (last, prev_hash, hash) in seals {
            let rows: i64 = self.conn.query_row(
                "SELECT count(*) FROM audit WHERE seq > ?1 AND seq <= ?2",
                params![after, last],
                |r| r.get(0),
            )?;
            let why = if last <= after {
                Some("封存的顺序被改动")
            } else if prev_hash != prev {
                Some("与前一次封存接不上（封存记录被改动、删除或插入）")
            } else if rows != last - after {
                Some("其中有记录被删除")
            } else if self.seal_hash(prev.as_deref(), after, last)? != hash {
                Some("内容与封存时不符（被改动或插入）")
            } else {
                None
            };
            if let Some(why) = why {
                verdict.broken = broken(after + 1, last, why);
                return Ok(verdict);
            }
            verdict.rows += rows;
            verdict.seals += 1;
            after = last;
            prev = Some(hash);
        }
        let (unsealed, last): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(max(seq), 0) FROM audit WHERE seq > ?1",
            [after],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        verdict.unsealed = unsealed;
        if let Some(forged) = self.forged_row(after, last)? {
            verdict.broken = broken(
                forged,
                forged,
                "未封存的记录署了操作人（是其他程序冒名写入的）",
            );
            return Ok(verdict);
        }
        verdict.broken = self.triggers_changed()?.or(self.records_unaccounted()?);
        Ok(verdict)
    }

    /// The trail's triggers as schema.sql writes them: one dropped or changed lets writes
    /// through unrecorded.
    fn triggers_changed(&self) -> Result<Option<Broken>> {
        let wanted = rusqlite::Connection::open_in_memory()?;
        wanted.execute_batch(super::SCHEMA)?;
        let triggers = |conn: &rusqlite::Connection| -> Result<Vec<(String, String)>> {
            let mut stmt = conn.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%' ORDER BY name",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let have = triggers(&self.conn)?;
        for (name, sql) in triggers(&wanted)? {
            if !have.iter().any(|(n, s)| *n == name && *s == sql) {
                return Ok(Some(Broken {
                    first: None,
                    last: None,
                    why: format!("记录改动的触发器 {name} 被删除或改动，此后的改动可能没有记下"),
                }));
            }
        }
        Ok(None)
    }

    /// Each table holds what the trail says it should: its count when the trail began, plus
    /// the rows added, less those deleted (a purge's records left out on both sides). A
    /// trail cut short, or a write that went round it, leaves records it does not account for.
    fn records_unaccounted(&self) -> Result<Option<Broken>> {
        // What the trail says each table should hold, in one pass over the trail.
        let traced: std::collections::HashMap<String, i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT entity, sum(n) FROM (
                     SELECT entity, rows AS n FROM audit_baseline
                     UNION ALL
                     SELECT entity, CASE action WHEN '新增' THEN 1 WHEN '删除' THEN -1 ELSE 0 END
                     FROM audit WHERE purged IS NULL)
                 GROUP BY entity",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for table in self.audited_tables()? {
            let held: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                        r.get(0)
                    })?;
            let traced = traced.get(&table).copied().unwrap_or(0);
            if held != traced {
                return Ok(Some(Broken {
                    first: None,
                    last: None,
                    why: format!(
                        "{table} 表有 {held} 条记录，审计记录中应有 {traced} 条（审计记录被截短，或有写入绕过了审计）"
                    ),
                }));
            }
        }
        Ok(None)
    }

    /// The tables the trail covers: those with the trail's triggers.
    fn audited_tables(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(AUDITED_TABLES)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records what each table holds as the trail begins (a ledger upgraded to version 9).
    pub(super) fn audit_baseline(&self) -> Result<()> {
        for table in self.audited_tables()? {
            // What the trail does not already account for (a ledger that had rows of a
            // trail before: a test's, or an interrupted upgrade's).
            self.conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO audit_baseline (entity, rows)
                     SELECT ?1, max(0, (SELECT count(*) FROM \"{table}\")
                        - (SELECT count(*) FROM audit WHERE entity = ?1 AND action = '新增' AND purged IS NULL)
                        + (SELECT count(*) FROM audit WHERE entity = ?1 AND action = '删除' AND purged IS NULL))"
                ),
                [&table],
            )?;
        }
        Ok(())
    }
}

/// The columns a row's hash covers, in order (seq first).
const FIELDS: &str = "seq, at, operator, entity, record, person_id, action, old, new";

/// A row's fields as its hash covers them.
struct Fields {
    seq: i64,
    at: String,
    operator: Option<String>,
    entity: String,
    record: String,
    person_id: Option<i64>,
    action: String,
    old: Option<String>,
    new: Option<String>,
}

impl Fields {
    fn read(r: &Row) -> rusqlite::Result<Fields> {
        Ok(Fields {
            seq: r.get(0)?,
            at: r.get(1)?,
            operator: r.get(2)?,
            entity: r.get(3)?,
            record: r.get(4)?,
            person_id: r.get(5)?,
            action: r.get(6)?,
            old: r.get(7)?,
            new: r.get(8)?,
        })
    }

    /// SHA-256 of the values before and after (kept when a purge erases them).
    fn digest(&self) -> String {
        let mut h = Sha256::new();
        for part in [&self.old, &self.new] {
            feed(&mut h, part.as_deref());
        }
        hex(&h.finalize())
    }

    /// Feeds the row's fields and the hash of its values into a seal's hash.
    fn feed(&self, h: &mut Sha256, digest: &str) {
        let seq = self.seq.to_string();
        let person = self.person_id.map(|p| p.to_string());
        for part in [
            Some(seq.as_str()),
            Some(self.at.as_str()),
            self.operator.as_deref(),
            Some(self.entity.as_str()),
            Some(self.record.as_str()),
            person.as_deref(),
            Some(self.action.as_str()),
            Some(digest),
        ] {
            feed(h, part);
        }
    }
}

/// One field into a hash: a marker for absent, else its length and bytes (so no two
/// different rows feed the same bytes).
fn feed(h: &mut Sha256, part: Option<&str>) {
    match part {
        None => h.update([0u8]),
        Some(text) => {
            h.update([1u8]);
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a table of the trail holds, in the window's words (人员, 户, 体温 …).
pub fn table_label(table: &str) -> &str {
    match table {
        "places" => "地点",
        "households" => "户",
        "persons" => "人员",
        "person_tags" => "标签",
        "arrivals" => "来（返）乡",
        "isolations" => "隔离/健康监测",
        "health_checks" => "体温",
        "tests" => "检测",
        "vaccinations" => "接种",
        "cases" => "病例",
        "contacts" => "接触关系",
        "checkpoints" => "卡口",
        "checkpoint_checks" => "卡口检查",
        "checkpoint_passengers" => "随车人员",
        "visit_notes" => "走访",
        "report_templates" => "报表模板",
        "settings" => "设置",
        "import_reviews" => "导入待核对",
        "batches" => "录入/导入批次",
        "purges" => "清理",
        "ledger_events" => "账本事件",
        other => other,
    }
}

/// A column's name in the trail, in the window's words: the field's label where a form or a
/// sheet has the column, else the ledger's own words for it.
pub fn column_label(table: &str, column: &str) -> String {
    use crate::model::fields::{self, Field};
    let form: &[Field] = match table {
        "places" => fields::PLACE,
        "households" => fields::HOUSEHOLD,
        "persons" => fields::PERSON,
        "arrivals" => fields::ARRIVAL,
        "isolations" => fields::ISOLATION,
        "health_checks" => fields::HEALTH_CHECK,
        "tests" => fields::TEST,
        "vaccinations" => fields::VACCINATION,
        "cases" => fields::CASE,
        "contacts" => fields::CONTACT,
        "checkpoints" => fields::CHECKPOINT,
        "checkpoint_checks" => fields::CHECKPOINT_STOP,
        "checkpoint_passengers" => fields::PASSENGER,
        "visit_notes" => fields::VISIT,
        _ => &[],
    };
    if let Some(field) = fields::field(form, column) {
        return field.label.to_string();
    }
    let label = match (table, column) {
        ("settings", "key") => "设置项",
        ("settings", "value") => "值",
        ("person_tags", "tag") => "标签",
        ("report_templates", "name") | ("checkpoints", "name") | ("places", "name") => "名称",
        ("report_templates", "json") => "模板内容",
        ("batches", "kind") | ("ledger_events", "kind") => "类别",
        ("cases", "code") => "病例编号",
        ("places", "code") => "区划代码",
        (_, "level") => "层级",
        (_, "leader_name") => "负责人",
        (_, "leader_phone") => "负责人电话",
        (_, "fever") => "发热",
        (_, "dry_cough") => "干咳",
        (_, "fatigue") => "乏力",
        (_, "sore_throat") => "咽痛",
        (_, "smell_taste_loss") => "嗅(味)觉减退",
        (_, "diarrhea") => "腹泻",
        (_, "arrival_id") => "来（返）乡记录",
        (_, "contact_id") => "接触关系记录",
        (_, "name") => "姓名",
        (_, "id") => "编号",
        (_, "parent_id") => "上级地点",
        (_, "place_id") => "所属地点",
        (_, "household_id") => "所在户",
        (_, "person_id") => "人员编号",
        (_, "batch_id") => "批次",
        (_, "created_at") => "登记时间",
        (_, "updated_at") => "修改时间",
        (_, "updated_by") => "修改人",
        (_, "archived_at") => "归档时间",
        (_, "name_initials") => "姓名首字母",
        (_, "name_pinyin") => "姓名拼音",
        (_, "id_number_rev") => "证件号（倒排，查找用）",
        (_, "id_number") => "证件号码",
        (_, "phone") => "手机号码",
        (_, "note") => "备注",
        (_, "status") => "状态",
        (_, "isolation_id") => "隔离期",
        (_, "case_id") => "病例",
        (_, "check_id") => "卡口检查",
        (_, "checkpoint_id") => "卡口",
        (_, "source_person_id") => "传染源人员",
        (_, "contact_person_id") => "接触者",
        (_, "host_person_id") => "受访人",
        (_, "destination_place_id") => "目的地（本村地点）",
        (_, "handed_to_place_id") => "移交地点",
        (_, "handled_at") => "处理时间",
        (_, "handled_by") => "处理人",
        (_, "handled_note") => "处理说明",
        (_, "released_date") => "解除日期",
        (_, "origin_code") => "出发地代码",
        (_, "origin_address") => "出发地",
        (_, "source_file") => "来源文件",
        (_, "operator") => "操作员",
        (_, "at") => "时间",
        (_, "before_day") => "清理此日之前",
        (_, "counts") => "清理条数",
        (_, "detail") => "内容",
        (_, "sheet") => "工作表",
        (_, "row_number") => "行号",
        (_, "target") => "表格类型",
        (_, "incoming") => "表中所写",
        (_, "candidate_person_id") => "可能是的人员",
        (_, "reason") => "原因",
        (_, "resolved_at") => "核对时间",
        _ => column,
    };
    label.to_string()
}

#[cfg(test)]
mod words {
    /// Every column of every table the trail covers has a name in Chinese, so `audit list`
    /// and the person page's 审计记录 never show a column's key.
    #[test]
    fn every_audited_column_has_a_chinese_name() {
        let store = crate::Store::open_in_memory().unwrap();
        let mut missing = Vec::new();
        for table in store.audited_tables().unwrap() {
            assert!(!super::table_label(&table).is_ascii(), "{table}");
            let columns: Vec<String> = store
                .conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|c| c.unwrap())
                .collect();
            assert!(!columns.is_empty(), "{table}");
            for column in columns {
                if super::column_label(&table, &column).is_ascii() {
                    missing.push(format!("{table}.{column}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no Chinese name: {}",
            missing.join(", ")
        );
    }
}
