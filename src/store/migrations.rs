//! Schema migrations. A new ledger gets `schema.sql` whole; an older one is brought up to it
//! step by step, all in one transaction, so a failure leaves the file at its old version.
//!
//! Most steps are SQL. A step that changes columns or CHECKs of existing tables is a
//! *rebuild*: every table of `schema.sql` is recreated from its exact text and the old rows
//! are copied into it by column name. SQLite cannot add a CHECK to an existing table, and the
//! rebuild keeps `sqlite_master` identical to a new ledger's (tests/schema.rs checks that).
//! Rows copied by a rebuild are not refused by the new CHECKs: a value an older version let
//! in stays, and `check ledger` lists it, because an upgrade must never lose a record.

use rusqlite::Connection;

use crate::error::Result;

enum Step {
    Sql(&'static str),
    /// Recreate every table of `schema.sql`, copying the rows of the old ones.
    Rebuild,
    /// Add a new table of `schema.sql` with its indexes and triggers, exactly as a new ledger
    /// has them (the audit trail's triggers are checked against schema.sql's text).
    Add(&'static str),
}

/// The latest schema version.
pub const LATEST: i64 = 10;

/// Steps from version N-1 to N, as (N, step).
const STEPS: &[(i64, Step)] = &[
    (
        2,
        // Users' own report templates (issue 4): stored as their JSON file text.
        Step::Sql(
            "CREATE TABLE report_templates (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    json        TEXT NOT NULL CHECK (json_valid(json)),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);",
        ),
    ),
    (
        3,
        // Excel in (issue 3): saved column mappings and the review list of uncertain matches.
        Step::Sql(
            r#"CREATE TABLE import_mappings (
    signature   TEXT PRIMARY KEY,
    name        TEXT,
    target      TEXT NOT NULL,
    mapping     TEXT NOT NULL CHECK (json_valid(mapping)),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);
CREATE TABLE import_reviews (
    id                  INTEGER PRIMARY KEY,
    batch_id            INTEGER NOT NULL REFERENCES batches(id),
    sheet               TEXT NOT NULL,
    row_number          INTEGER NOT NULL CHECK (row_number >= 1),
    target              TEXT NOT NULL,
    incoming            TEXT NOT NULL CHECK (json_valid(incoming)),
    candidate_person_id INTEGER NOT NULL REFERENCES persons(id),
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT '待处理',
    resolved_at         TEXT
);"#,
        ),
    ),
    // Issues 7–9: plausible values only (dates from 1900, bounded text, no control
    // characters), who and when on every record, archiving instead of deleting for every
    // record kind, the change log, scheduled tests, checkpoint hand-offs, the export log and
    // the original text of values that were not in a list.
    (4, Step::Rebuild),
    // Issue 12: value lists written as OR chains (an IN list cost each insert a temporary
    // b-tree) and the index that matches namesakes without an ID number.
    (5, Step::Rebuild),
    // Issue 14: the export log keeps a hash of what it wrote (a stale 日报 is told).
    (6, Step::Rebuild),
    // Issue 14: a given name and a phone's last digits found by index on a county's million
    // persons (each was a scan of the whole table).
    (
        7,
        Step::Sql(
            "CREATE INDEX persons_given_name ON persons(substr(name, 2));
CREATE INDEX persons_phone_tail ON persons(substr(phone, -4));",
        ),
    ),
    // Issue 16: the record of health records purged once an emergency was over.
    (
        8,
        Step::Sql(
            "CREATE TABLE purges (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    operator    TEXT CHECK (length(operator) <= 100),
    before_day  TEXT NOT NULL CHECK (date(before_day) IS before_day),
    counts      TEXT NOT NULL CHECK (json_valid(counts))
);",
        ),
    ),
    // Issue 16: the audit trail, written by triggers on every record table (a rebuild: the
    // triggers come last, so the rows copied are not taken for new writes).
    (9, Step::Rebuild),
    // Issue 16: what was done to the ledger as a whole (encrypted, restored, copied in plain).
    (10, Step::Add("ledger_events")),
];

/// Migrates from `from` (0 = a new, empty file) to `LATEST` in one transaction.
pub fn migrate(conn: &mut Connection, from: i64, schema: &str, application_id: i64) -> Result<()> {
    // Foreign keys must be off while a rebuild drops and recreates tables; the pragma has
    // no effect inside a transaction, so it is set first (the caller switches it back on).
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let tx = conn.transaction()?;
    if from == 0 {
        tx.execute_batch(schema)?;
        tx.pragma_update(None, "application_id", application_id)?;
    } else {
        // A rebuild makes the current schema whole, so one is enough.
        let mut rebuilt = false;
        for (_, step) in STEPS.iter().filter(|(to, _)| *to > from) {
            match step {
                Step::Sql(sql) if !rebuilt => tx.execute_batch(sql)?,
                Step::Sql(_) => {}
                Step::Rebuild if !rebuilt => {
                    rebuild(&tx, schema)?;
                    rebuilt = true;
                }
                Step::Rebuild => {}
                Step::Add(table) if !rebuilt => add(&tx, schema, table)?,
                Step::Add(_) => {}
            }
        }
    }
    // A rebuild copies rows as they were; their links must still hold.
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(crate::Error::refused(
            crate::error::Code::LedgerDamaged,
            format!("账本中有 {broken} 条记录指向不存在的记录，升级已撤销，文件未被改动。请联系技术支持。"),
        ));
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// One object of a schema, as `sqlite_master` holds it.
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: String,
}

fn objects(conn: &Connection) -> Result<Vec<Object>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Object {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let rows = stmt.query_map([table], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Creates `table` and every index and trigger on it as `schema` has them.
fn add(conn: &Connection, schema: &str, table: &str) -> Result<()> {
    let target = Connection::open_in_memory()?;
    target.execute_batch(schema)?;
    for object in objects(&target)?.iter().filter(|o| o.table == table) {
        conn.execute_batch(&object.sql)?;
    }
    Ok(())
}

/// Recreates every table of `schema` from its exact text and copies the old rows into it.
fn rebuild(conn: &Connection, schema: &str) -> Result<()> {
    let target = Connection::open_in_memory()?;
    target.execute_batch(schema)?;
    let wanted = objects(&target)?;
    let existing = objects(conn)?;

    // Renaming keeps other tables' references pointing at the name (not at the renamed
    // table), and copied rows keep values the new CHECKs would refuse.
    conn.execute_batch("PRAGMA legacy_alter_table = ON; PRAGMA ignore_check_constraints = ON;")?;
    for old in existing
        .iter()
        .filter(|o| o.kind == "index" || o.kind == "trigger")
    {
        conn.execute_batch(&format!(
            "DROP {} {}",
            old.kind.to_uppercase(),
            quoted(&old.name)
        ))?;
    }
    let old_tables: Vec<&Object> = existing.iter().filter(|o| o.kind == "table").collect();
    for table in wanted.iter().filter(|o| o.kind == "table") {
        let old = old_tables.iter().find(|o| o.name == table.name);
        if old.is_some() {
            conn.execute_batch(&format!(
                "ALTER TABLE {} RENAME TO {}",
                quoted(&table.name),
                quoted(&format!("{}__old", table.name))
            ))?;
        }
        conn.execute_batch(&table.sql)?;
        if old.is_some() {
            let old_name = format!("{}__old", table.name);
            let have = columns(conn, &old_name)?;
            let common: Vec<String> = columns(&target, &table.name)?
                .into_iter()
                .filter(|c| have.contains(c))
                .map(|c| quoted(&c))
                .collect();
            let list = common.join(", ");
            conn.execute_batch(&format!(
                "INSERT INTO {} ({list}) SELECT {list} FROM {}; DROP TABLE {};",
                quoted(&table.name),
                quoted(&old_name),
                quoted(&old_name)
            ))?;
        }
    }
    for object in wanted.iter().filter(|o| o.kind != "table") {
        debug_assert!(!object.table.is_empty());
        conn.execute_batch(&object.sql)?;
    }
    conn.execute_batch("PRAGMA legacy_alter_table = OFF; PRAGMA ignore_check_constraints = OFF;")?;
    Ok(())
}
