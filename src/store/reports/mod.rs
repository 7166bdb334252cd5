//! The rows of report templates: one SELECT per row source, whose columns are picked by
//! field key from the catalog (`catalog.rs` for the lists, `units.rs` for the counts per
//! place). The catalog is the only place that knows how a form's column is read from the
//! ledger; templates name fields, never SQL.
//!
//! A report is limited to a place of any level (`RowQuery::place_id`): a list keeps the
//! records that belong to it or to a place under it; a form counting per place has a row per
//! village of a township or a county (and a 未分村 row for what belongs to none of them), or
//! the one row of a village, a grid or a 联户组 chosen.

mod catalog;
mod saved;
mod units;

use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::{Code, Error, Result};
use crate::model::cell::{Cell, FieldKind};

pub use saved::{ExportLog, ExportRecord};

/// A field a template column can show.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// What the field counts or shows, for the form's footnote (口径). `{epoch}` stands for
    /// the epidemic's start date.
    pub definition: Option<&'static str>,
    /// Whether the field reads the start of the report's range (新增 from it to the report
    /// day); a form none of whose fields or rows does says it keeps to its report day.
    pub ranged: bool,
    #[serde(skip)]
    sql: Sql,
}

/// How a field is read.
#[derive(Debug, Clone)]
enum Sql {
    /// An expression over the source's row.
    Expr(String),
    /// A count per place (the rows of `villages`): what is counted, where each item belongs.
    Count(Count),
}

/// A count per place: `count` over `from` where `condition` holds, each item belonging to
/// the place `place` (NULL for an item without one: a person without a household).
#[derive(Debug, Clone)]
struct Count {
    from: String,
    place: String,
    condition: String,
    count: String,
}

impl FieldInfo {
    fn defined(mut self, definition: &'static str) -> FieldInfo {
        self.definition = Some(definition);
        self
    }

    fn ranged(mut self) -> FieldInfo {
        self.ranged = true;
        self
    }
}

fn field(key: &str, label: &str, kind: FieldKind, sql: &str) -> FieldInfo {
    FieldInfo {
        key: key.into(),
        label: label.into(),
        kind,
        definition: None,
        ranged: false,
        sql: Sql::Expr(sql.into()),
    }
}

/// A row source, as the template editor lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub key: &'static str,
    pub label: &'static str,
    /// What the date range of a report applies to.
    pub date_meaning: &'static str,
}

/// Which records a report takes (besides the date range and village chosen when running it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TemplateFilter {
    /// Record kinds: 返乡/外来/来访, 密接/次密接, 居家隔离医学观察 …
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// Record status: 已返/将返, 在管/已解除, 放行/劝返/移交村(社区), 常住/外出 …
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    /// Persons with any of these tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Leave out rows where all of these fields are 0 (e.g. households with no returnee).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nonzero: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortKey {
    pub field: String,
    #[serde(default)]
    pub descending: bool,
}

/// What a report asks of the store.
pub struct RowQuery<'a> {
    pub source: &'a str,
    pub fields: &'a [String],
    pub filter: &'a TemplateFilter,
    pub sort: &'a [SortKey],
    pub from: Option<NaiveDate>,
    /// The report day: the end of the range, and "today" for ages and day counts.
    pub day: NaiveDate,
    /// The epidemic's start: 累计 counts from it.
    pub epoch: NaiveDate,
    /// Only records of this place and the places under it (a township, village, grid or group).
    pub place_id: Option<i64>,
}

enum DateRule {
    None,
    /// Rows whose date lies in the range.
    Column(&'static str),
    /// Periods that overlap the range: started by the report day, and not released before
    /// its start (a period past its planned end but not released is still open).
    Overlap {
        start: &'static str,
        released: &'static str,
    },
}

struct Source {
    info: SourceInfo,
    from: &'static str,
    base_where: &'static str,
    date: DateRule,
    kind: Option<&'static str>,
    status: Option<String>,
    person: Option<&'static str>,
    /// The records of a place and the places under it, when the report is limited to one.
    scope: &'static str,
    order: &'static str,
    /// True for a row shown only when one of its numbers is not zero (the 未分村 row of the
    /// per-village forms, the 未分户 row of the household form).
    optional_row: Option<&'static str>,
    fields: Vec<FieldInfo>,
}

/// The village, township, grid and 联户组 of every place, computed once per query. Places nest
/// at most five deep (县 › 乡镇 › 村 › 网格 › 联户组: `add_place` puts a level only under a
/// higher one), so five joins reach every ancestor (`tests/store.rs` builds the deepest tree).
/// A recursive walk of the tree cost 17 ms a query on a township's 1,700 places.
pub(super) const PLACE_INFO: &str = "WITH RECURSIVE place_info AS MATERIALIZED (
        SELECT p0.id AS place_id,
          CASE '村' WHEN p0.level THEN p0.id WHEN p1.level THEN p1.id WHEN p2.level THEN p2.id WHEN p3.level THEN p3.id WHEN p4.level THEN p4.id END AS village_id,
          CASE '村' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS village,
          CASE '乡镇' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS township,
          CASE '网格' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS grid,
          CASE '网格' WHEN p0.level THEN p0.id WHEN p1.level THEN p1.id WHEN p2.level THEN p2.id WHEN p3.level THEN p3.id WHEN p4.level THEN p4.id END AS grid_id,
          CASE '联户组' WHEN p0.level THEN p0.id WHEN p1.level THEN p1.id WHEN p2.level THEN p2.id WHEN p3.level THEN p3.id WHEN p4.level THEN p4.id END AS group_id
        FROM places p0 LEFT JOIN places p1 ON p1.id = p0.parent_id LEFT JOIN places p2 ON p2.id = p1.parent_id
          LEFT JOIN places p3 ON p3.id = p2.parent_id LEFT JOIN places p4 ON p4.id = p3.parent_id
    )";

/// The place a report is limited to and every place under it (none when it is not limited).
const UNDER: &str = "under(id) AS (SELECT id FROM places WHERE id = :place
    UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)";

/// A person `p` and the household they live in (an archived household is none), with its
/// place.
const PERSON_JOIN: &str =
    "LEFT JOIN households h ON h.id = p.household_id AND h.archived_at IS NULL
    LEFT JOIN place_info vo ON vo.place_id = h.place_id";

/// The row sources templates can use.
pub fn report_sources() -> Vec<SourceInfo> {
    sources().into_iter().map(|s| s.info).collect()
}

/// The fields of a row source, or None for an unknown source.
pub fn report_fields(source: &str) -> Option<Vec<FieldInfo>> {
    sources()
        .into_iter()
        .find(|s| s.info.key == source)
        .map(|s| s.fields)
}

/// Whether a source's rows follow the start of the range (a date rule of their own).
pub fn source_is_ranged(source: &str) -> bool {
    sources()
        .into_iter()
        .find(|s| s.info.key == source)
        .is_some_and(|s| !matches!(s.date, DateRule::None))
}

fn sources() -> Vec<Source> {
    let mut all = catalog::lists();
    all.push(units::source());
    all
}

impl Store {
    /// The level of the rows of a form counting per place, limited to `place`: villages for
    /// a whole ledger, a county or a township; the place itself for a village, a grid or a
    /// 联户组.
    fn unit_level(&self, place: Option<i64>) -> Result<&'static str> {
        let Some(place) = place else {
            return Ok("村");
        };
        Ok(match self.place(place)?.level.as_str() {
            "网格" => "网格",
            "联户组" => "联户组",
            _ => "村",
        })
    }

    /// Streams the rows of a report, one `Vec<Cell>` per record in the order of `q.fields`
    /// (with `RowNumber` fields left empty for the caller to count). Rows where every
    /// `nonzero` field is 0 are skipped.
    pub fn report_rows(
        &self,
        q: &RowQuery,
        mut each: impl FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<()> {
        let source = sources()
            .into_iter()
            .find(|s| s.info.key == q.source)
            .ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("报表数据来源“{}”不存在", q.source),
                )
            })?;
        let lookup = |key: &str| {
            source.fields.iter().find(|f| f.key == key).ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("报表字段“{key}”不存在（数据来源 {}）", q.source),
                )
            })
        };
        let mut selected = Vec::new();
        for key in q.fields.iter().chain(&q.filter.nonzero) {
            selected.push(lookup(key)?);
        }
        let unit_level = self.unit_level(q.place_id)?;
        let mut with = vec![PLACE_INFO.to_string(), UNDER.to_string()];
        let counts = selected.iter().any(|f| matches!(f.sql, Sql::Count(_)));
        if counts {
            with.push(units::unit_of(unit_level));
        }
        // Each count is worked out once for every place (a CTE grouped by place), then
        // looked up by each row.
        let mut columns: Vec<String> = Vec::new();
        for (i, f) in selected.iter().enumerate() {
            columns.push(match &f.sql {
                Sql::Expr(sql) => sql.clone(),
                Sql::Count(c) => {
                    with.push(format!(
                        "c{i} AS MATERIALIZED (SELECT u.unit_id, {} AS n FROM {} JOIN unit_of u ON u.place_id = coalesce({}, 0)
                           WHERE {} GROUP BY u.unit_id)",
                        c.count, c.from, c.place, c.condition
                    ));
                    format!("coalesce((SELECT n FROM c{i} WHERE c{i}.unit_id IS v.id), 0)")
                }
            });
        }
        let mut conditions = vec![source.base_where.to_string()];
        match source.date {
            DateRule::None => {}
            DateRule::Column(col) => conditions.push(format!(
                "(:from IS NULL OR {col} >= :from) AND {col} <= :day"
            )),
            DateRule::Overlap { start, released } => conditions.push(format!(
                "{start} <= :day AND (:from IS NULL OR {released} IS NULL OR {released} >= :from)"
            )),
        }
        if q.place_id.is_some() {
            conditions.push(source.scope.to_string());
        }
        let list_condition =
            |expr: Option<&str>, param: &str, values: &[String], conditions: &mut Vec<String>| {
                if let (Some(expr), false) = (expr, values.is_empty()) {
                    conditions.push(format!("{expr} IN (SELECT value FROM json_each({param}))"));
                }
            };
        list_condition(source.kind, ":kinds", &q.filter.kinds, &mut conditions);
        list_condition(
            source.status.as_deref(),
            ":statuses",
            &q.filter.statuses,
            &mut conditions,
        );
        if !q.filter.tags.is_empty() {
            let person = source.person.ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("数据来源“{}”不能按人员标签筛选", source.info.label),
                )
            })?;
            conditions.push(format!("EXISTS (SELECT 1 FROM person_tags tg WHERE tg.person_id = {person} AND tg.tag IN (SELECT value FROM json_each(:tags)))"));
        }
        let mut order: Vec<String> = Vec::new();
        for key in q.sort {
            let sql = match &lookup(&key.field)?.sql {
                Sql::Expr(sql) => sql.clone(),
                Sql::Count(_) => {
                    let i = selected
                        .iter()
                        .position(|f| f.key == key.field)
                        .unwrap_or(0);
                    format!("{}", i + 1)
                }
            };
            order.push(format!(
                "{sql} {}",
                if key.descending { "DESC" } else { "ASC" }
            ));
        }
        order.push(source.order.to_string());
        let person_join = if source.person.is_some() {
            PERSON_JOIN
        } else {
            ""
        };
        if let Some(optional) = source.optional_row {
            columns.push(optional.to_string());
        }
        let sql = format!(
            "{} SELECT {} FROM {} {person_join} WHERE {} ORDER BY {}",
            with.join(",\n"),
            columns.join(",\n "),
            source.from,
            conditions.join(" AND "),
            order.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let json = |v: &[String]| Value::Text(serde_json::Value::from(v.to_vec()).to_string());
        let params: [(&str, Value); 9] = [
            (":epoch", Value::Text(q.epoch.to_string())),
            (
                ":from",
                q.from
                    .map(|d| d.to_string())
                    .map_or(Value::Null, Value::Text),
            ),
            (
                ":start",
                Value::Text(q.from.unwrap_or(q.day).min(q.day).to_string()),
            ),
            (":day", Value::Text(q.day.to_string())),
            (":place", q.place_id.map_or(Value::Null, Value::Integer)),
            (":unit_level", Value::Text(unit_level.into())),
            (":kinds", json(&q.filter.kinds)),
            (":statuses", json(&q.filter.statuses)),
            (":tags", json(&q.filter.tags)),
        ];
        for (name, value) in params {
            if let Some(index) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(index, value)?;
            }
        }
        let shown = q.fields.len();
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(selected.len());
            for (i, f) in selected.iter().enumerate() {
                cells.push(to_cell(row.get_ref(i)?, f.kind));
            }
            if !q.filter.nonzero.is_empty()
                && cells[shown..]
                    .iter()
                    .all(|c| c.number().unwrap_or(0.0) == 0.0)
            {
                continue;
            }
            let optional = source.optional_row.is_some()
                && row.get::<_, Option<bool>>(selected.len())?.unwrap_or(false);
            let counted = selected
                .iter()
                .zip(&cells)
                .any(|(f, c)| f.kind == FieldKind::Integer && c.number().unwrap_or(0.0) != 0.0);
            if optional && !counted {
                continue;
            }
            cells.truncate(shown);
            each(cells)?;
        }
        Ok(())
    }
}

fn to_cell(value: rusqlite::types::ValueRef, kind: FieldKind) -> Cell {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Cell::Empty,
        ValueRef::Integer(n) => Cell::Number(n as f64),
        ValueRef::Real(n) => Cell::Number(n),
        ValueRef::Blob(_) => Cell::Empty,
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match kind {
                FieldKind::Date => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map(Cell::Date)
                    .unwrap_or_else(|_| Cell::Text(text.into_owned())),
                FieldKind::DateTime => {
                    chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M")
                        .map(Cell::DateTime)
                        .unwrap_or_else(|_| Cell::Text(text.into_owned()))
                }
                FieldKind::Division
                    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Cell::Text(
                        crate::divisions::describe(&text).unwrap_or_else(|| text.into_owned()),
                    )
                }
                _ if text.is_empty() => Cell::Empty,
                _ => Cell::Text(text.into_owned()),
            }
        }
    }
}
