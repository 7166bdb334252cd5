//! Excel in: a township's or county's sheet imported into the one ledger. `read` turns any
//! spreadsheet file into grids, `header` finds the header and the data rows, `fields` maps
//! columns to fields through the synonym table, `convert` reads each cell through the core's
//! validators, and `apply` (below) matches each row's person against the register and writes
//! the row — all in one transaction, so a crash or a kill leaves the ledger as it was. A dry
//! run does the same and rolls back, so the preview counts exactly what the import will do.
//! Bad rows are data in the report, never a reason to stop.

mod convert;
mod fields;
mod header;
mod problems_xlsx;
mod read;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

pub use fields::{normal_header, FieldDef, Target, ValueKind, TARGETS};
pub use problems_xlsx::write_problems_xlsx;
pub use read::{read_file, Book, Grid, RawCell};

use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{PersonMatch, Store};
use convert::{Context, Value};
use header::RowKind;

/// What the user chose for an import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The worksheet; the first one with a recognisable header when None.
    pub sheet: Option<String>,
    /// The record type (persons, arrivals, …); guessed from the columns when None.
    pub target: Option<String>,
    /// A saved mapping by name (`--mapping NAME`); saved under that name after the import.
    pub mapping_name: Option<String>,
    /// Column key → field key ("" ignores the column): the user's corrections.
    pub columns: BTreeMap<String, String>,
    /// Check and count everything, write nothing.
    pub dry_run: bool,
    /// The year for dates written without one (1月23日); the current year when None.
    pub default_year: Option<i32>,
}

/// One problem, where it is and what to do: the import report is made of these.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    pub sheet: String,
    /// The sheet's own row number (1 is the first row).
    pub row: usize,
    /// The column's header as it stands in the sheet.
    pub column: String,
    pub value: String,
    pub code: String,
    pub message: String,
    /// A warning keeps the row; an error leaves the row out.
    pub warning: bool,
}

/// How one column is read.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnPlan {
    pub key: String,
    pub header: String,
    pub index: usize,
    pub field: Option<String>,
    pub field_label: Option<String>,
}

/// The outcome of an import (or of its dry run).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub file: String,
    pub sheet: String,
    pub sheets: Vec<String>,
    pub target: String,
    pub target_label: String,
    /// The header's rows in the sheet (1-based, inclusive) and the first data row.
    pub header_rows: (usize, usize),
    pub first_data_row: usize,
    pub columns: Vec<ColumnPlan>,
    /// Fields this target can take, for the wizard's mapping drop-downs.
    pub fields: Vec<FieldDef>,
    pub data_rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped_rows: usize,
    pub review: usize,
    /// Rows left out because of an error.
    pub rejected_rows: usize,
    pub problems: Vec<Problem>,
    pub dry_run: bool,
    pub batch_id: Option<i64>,
    /// The sheet's header texts and its refused rows (sheet row number, cell texts), for the
    /// problems workbook.
    #[serde(skip)]
    pub header_texts: Vec<String>,
    #[serde(skip)]
    pub rejected: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Inserted,
    Updated,
    Unchanged,
    Review,
}

/// Imports a file (or, with `dry_run`, counts what importing it would do). `progress` is
/// called with (rows done, rows in all) as rows are written.
pub fn import_file(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let mut book = read::Book::open(path)?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sheets = book.sheet_names();
    let (sheet, layout) = pick_sheet(&file, &mut book, options.sheet.as_deref())?;
    let keys: Vec<String> = layout.columns.iter().map(|c| c.key.clone()).collect();
    let signature = keys.join("\u{1f}");
    let saved = store.import_mapping(&signature, options.mapping_name.as_deref())?;
    if let (Some(name), None) = (&options.mapping_name, &saved) {
        if options.columns.is_empty() && options.target.is_none() {
            return Err(Error::Refused(format!(
                "没有名为“{name}”的列对应关系；去掉 --mapping 先导入一次，或用 --as 指定表格类型"
            )));
        }
    }
    let target_key = options
        .target
        .clone()
        .or_else(|| saved.as_ref().map(|s| s.target.clone()))
        .unwrap_or_else(|| guess_target(&keys).to_string());
    let target = Target::find(&target_key).ok_or_else(|| {
        Error::Refused(format!(
            "没有“{target_key}”这种表格类型；可选：{}",
            TARGETS.iter().map(|t| t.key).collect::<Vec<_>>().join("、")
        ))
    })?;
    let saved_columns: BTreeMap<String, String> = saved
        .as_ref()
        .filter(|s| s.target == target.key)
        .and_then(|s| serde_json::from_str(&s.mapping).ok())
        .unwrap_or_default();

    // Column → field: the user's choice, else the saved mapping, else the synonym table; a
    // field is taken by the first column that names it.
    let mut taken: Vec<&str> = Vec::new();
    let mut columns = Vec::new();
    for column in &layout.columns {
        let chosen = options
            .columns
            .get(&column.key)
            .or_else(|| saved_columns.get(&column.key))
            .cloned();
        let field = match chosen {
            Some(key) if key.is_empty() => None,
            Some(key) => Some(target.field(&key).ok_or_else(|| {
                Error::Refused(format!(
                    "“{}”列指定的字段“{key}”不属于{}",
                    column.header, target.label
                ))
            })?),
            None => target
                .fields()
                .into_iter()
                .find(|f| !taken.contains(&f.key) && fields::matches_header(f, &column.key)),
        };
        if let Some(f) = field {
            if taken.contains(&f.key) {
                return Err(Error::Refused(format!(
                    "字段“{}”被指定给了两列，请只保留一列",
                    f.label
                )));
            }
            taken.push(f.key);
        }
        columns.push(ColumnPlan {
            key: column.key.clone(),
            header: column.header.clone(),
            index: column.index,
            field: field.map(|f| f.key.to_string()),
            field_label: field.map(|f| f.label.to_string()),
        });
    }
    let width = layout
        .columns
        .iter()
        .map(|c| c.index + 1)
        .max()
        .unwrap_or(0);
    let header_texts: Vec<String> = (0..width)
        .map(|i| {
            layout
                .columns
                .iter()
                .find(|c| c.index == i)
                .map(|c| c.key.clone())
                .unwrap_or_default()
        })
        .collect();
    let missing: Vec<&str> = target
        .required
        .iter()
        .filter(|r| !taken.contains(r))
        .map(|r| target.field(r).map(|f| f.label).unwrap_or(r))
        .collect();
    let mut report = ImportReport {
        file: file.clone(),
        sheet: sheet.clone(),
        sheets,
        target: target.key.into(),
        target_label: target.label.into(),
        columns,
        fields: target.fields().into_iter().cloned().collect(),
        dry_run: options.dry_run,
        header_rows: (layout.header_first + 1, layout.header_last + 1),
        first_data_row: layout.data_first + 1,
        header_texts,
        ..Default::default()
    };
    if !missing.is_empty() {
        return Err(Error::Refused(format!(
            "文件“{file}”工作表“{}”按“{}”导入缺少必需的列：{}。请在导入向导中指定对应的列，或用 --as 选择其他表格类型",
            sheet,
            target.label,
            missing.join("、")
        )));
    }

    let today = store.today();
    let default_year = options.default_year.unwrap_or(today.year());
    let total = book.row_count(&sheet).saturating_sub(layout.data_first);
    report.skipped_rows = layout.skipped_above;
    let plan: Vec<(usize, &'static FieldDef, String)> = report
        .columns
        .iter()
        .filter_map(|c| {
            c.field.as_ref().map(|k| {
                (
                    c.index,
                    target.field(k).expect("mapped above"),
                    c.header.clone(),
                )
            })
        })
        .collect();
    let batch = std::cell::Cell::new(None);
    let batch_id = || -> Result<i64> {
        if let Some(id) = batch.get() {
            return Ok(id);
        }
        let id = store.begin_batch(
            "导入",
            Some(&file),
            Some(&format!("工作表“{sheet}”，按{}导入", target.label)),
        )?;
        batch.set(Some(id));
        Ok(id)
    };
    store.transaction(!options.dry_run, || {
        let mut done = 0;
        book.for_each_row(&sheet, layout.data_first, &mut |r, cells| {
            if done % 500 == 0 {
                progress(done, total);
            }
            done += 1;
            match header::classify(cells) {
                RowKind::Data => {}
                _ => {
                    report.skipped_rows += 1;
                    return Ok(());
                }
            }
            report.data_rows += 1;
            let row_number = r + 1;
            let mut values: BTreeMap<&'static str, (Value, String)> = BTreeMap::new();
            let mut row_problems = Vec::new();
            for (col, field, header) in &plan {
                let cell = cells.get(*col).unwrap_or(&RawCell::Empty);
                let cx = Context {
                    today,
                    default_year,
                    header,
                };
                let problem = |code: String, message: String, warning: bool| Problem {
                    sheet: sheet.clone(),
                    row: row_number,
                    column: header.clone(),
                    value: cell.text(),
                    code,
                    message,
                    warning,
                };
                match convert::read(cell, field.kind, &cx) {
                    Ok((value, note)) => {
                        if let Some(n) = note {
                            row_problems.push(problem(n.code, n.message, true));
                        }
                        if let Some(v) = value {
                            values.insert(field.key, (v, header.clone()));
                        }
                    }
                    Err(p) => row_problems.push(problem(p.code, p.message, false)),
                }
            }
            let rejected = row_problems.iter().any(|p| !p.warning);
            if !rejected {
                let row = Row {
                    values: &values,
                    sheet: &sheet,
                    number: row_number,
                    today,
                };
                // No savepoint per row (its page journal would double the import's cost):
                // every check that can refuse a row runs before the row writes anything, and a
                // row that fails after writing aborts the whole import, which then leaves
                // the ledger as it was.
                let changes_before = store.total_changes();
                let applied = precheck(store, target, &row).and_then(|()| apply(store, target, &row, &batch_id, None));
                if let Err(e @ (Error::Invalid(_) | Error::Refused(_))) = &applied {
                    if store.total_changes() != changes_before {
                        return Err(Error::Refused(format!(
                            "文件“{file}”第 {row_number} 行写入一半时出错（{e}）。为不留下残缺的记录，整个导入已撤销，台账没有改动；请改正这一行后重新导入。"
                        )));
                    }
                }
                match applied {
                    Ok(Outcome::Inserted) => report.inserted += 1,
                    Ok(Outcome::Updated) => report.updated += 1,
                    Ok(Outcome::Unchanged) => report.unchanged += 1,
                    Ok(Outcome::Review) => report.review += 1,
                    Err(Error::Invalid(problems)) => {
                        for p in problems {
                            let column = field_column(&values, &plan, &p.field);
                            let value = values
                                .get(p.field.as_str())
                                .map(|(v, _)| v.as_text())
                                .unwrap_or_default();
                            row_problems.push(Problem {
                                sheet: sheet.clone(),
                                row: row_number,
                                column,
                                value,
                                code: p.code,
                                message: p.message,
                                warning: p.severity == crate::validate::Severity::Warning,
                            });
                        }
                    }
                    Err(Error::Refused(message)) => row_problems.push(Problem {
                        sheet: sheet.clone(),
                        row: row_number,
                        column: String::new(),
                        value: String::new(),
                        code: "row_refused".into(),
                        message,
                        warning: false,
                    }),
                    Err(other) => return Err(other),
                }
            }
            if row_problems.iter().any(|p| !p.warning) {
                report.rejected_rows += 1;
                let width = layout
                    .columns
                    .iter()
                    .map(|c| c.index + 1)
                    .max()
                    .unwrap_or(0);
                report.rejected.push((
                    row_number,
                    (0..width).map(|c| cells.get(c).map(RawCell::text).unwrap_or_default()).collect(),
                ));
            }
            report.problems.extend(row_problems);
            Ok(())
        })?;
        progress(total, total);
        Ok(())
    })?;
    if !options.dry_run {
        let mapping: BTreeMap<&str, &str> = report
            .columns
            .iter()
            .map(|c| (c.key.as_str(), c.field.as_deref().unwrap_or("")))
            .collect();
        store.save_import_mapping(
            &signature,
            options.mapping_name.as_deref(),
            target.key,
            &serde_json::to_string(&mapping).expect("maps serialise"),
        )?;
        report.batch_id = batch.get();
    }
    Ok(report)
}

/// The header of the column a field came from (or, for a derived field, of the ID column).
fn field_column(
    values: &BTreeMap<&'static str, (Value, String)>,
    plan: &[(usize, &'static FieldDef, String)],
    field: &str,
) -> String {
    values
        .get(field)
        .map(|(_, h)| h.clone())
        .or_else(|| {
            plan.iter()
                .find(|(_, f, _)| f.key == field)
                .map(|(_, _, h)| h.clone())
        })
        .or_else(|| {
            plan.iter()
                .find(|(_, f, _)| f.key == "id_number")
                .map(|(_, _, h)| h.clone())
        })
        .unwrap_or_default()
}

fn pick_sheet(
    file: &str,
    book: &mut read::Book,
    wanted: Option<&str>,
) -> Result<(String, header::Layout)> {
    let names = book.sheet_names();
    if let Some(name) = wanted {
        if !names.iter().any(|n| n == name) {
            return Err(Error::Refused(format!(
                "文件“{file}”中没有工作表“{name}”；有：{}",
                names.join("、")
            )));
        }
        let layout = detect_with_merges(book, name)
            .map_err(|e| Error::Refused(format!("文件“{file}”工作表“{name}”：{e}")))?;
        return Ok((name.to_string(), layout));
    }
    let mut first_error = None;
    for name in names {
        let head = book.head(&name)?;
        if head.rows.iter().all(|r| r.iter().all(RawCell::is_empty)) {
            continue;
        }
        match detect_with_merges(book, &name) {
            Ok(layout) => return Ok((name, layout)),
            Err(e) => {
                first_error.get_or_insert(format!("工作表“{name}”：{e}"));
            }
        }
    }
    Err(Error::Refused(format!(
        "文件“{file}”{}",
        first_error.unwrap_or_else(|| "没有数据".into())
    )))
}

/// Finds the header, reading the sheet's merged ranges only when they can matter: a header of
/// one full row (no gaps) reads the same with or without them.
fn detect_with_merges(
    book: &mut read::Book,
    sheet: &str,
) -> std::result::Result<header::Layout, String> {
    let mut head = book.head(sheet).map_err(|e| e.to_string())?;
    if let Ok(layout) = header::detect(&head) {
        let cols: Vec<usize> = layout.columns.iter().map(|c| c.index).collect();
        let full_row =
            layout.header_first == layout.header_last && cols.windows(2).all(|w| w[1] == w[0] + 1);
        if full_row {
            return Ok(layout);
        }
    }
    head.merges = book.merges(sheet);
    header::detect(&head)
}

fn guess_target(keys: &[String]) -> &'static str {
    TARGETS
        .iter()
        .map(|t| (t.key, t.own_score(keys)))
        .filter(|(_, s)| *s > 0)
        .max_by_key(|(_, s)| *s)
        .map(|(k, _)| k)
        .unwrap_or("persons")
}

/// One row's values, ready to apply.
struct Row<'a> {
    values: &'a BTreeMap<&'static str, (Value, String)>,
    sheet: &'a str,
    number: usize,
    today: chrono::NaiveDate,
}

impl Row<'_> {
    fn text(&self, key: &str) -> Option<String> {
        self.values.get(key).map(|(v, _)| v.as_text())
    }

    fn text_or_empty(&self, key: &str) -> String {
        self.text(key).unwrap_or_default()
    }

    fn date(&self, key: &str) -> Option<String> {
        match self.values.get(key) {
            Some((Value::Date(d), _)) => Some(d.to_string()),
            Some((Value::DateTime(t), _)) => Some(t.date().to_string()),
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<f64> {
        match self.values.get(key) {
            Some((Value::Number(n), _)) => Some(*n),
            _ => None,
        }
    }

    fn yes(&self, key: &str) -> Option<bool> {
        match self.values.get(key) {
            Some((Value::Bool(b), _)) => Some(*b),
            _ => None,
        }
    }

    fn person_input(&self) -> PersonInput {
        PersonInput {
            name: self.text_or_empty("name"),
            id_type: self.text_or_empty("id_type"),
            id_number: self.text_or_empty("id_number"),
            gender: self.text_or_empty("gender"),
            birth_date: self.date("birth_date").unwrap_or_default(),
            phone: self.text_or_empty("phone"),
            hukou_address: self.text_or_empty("hukou_address"),
            current_address: self.text_or_empty("current_address"),
            relation_to_head: self.text_or_empty("relation_to_head"),
            crowd_category: self.text_or_empty("crowd_category"),
            occupation: self.text_or_empty("occupation"),
            work_place: self.text_or_empty("work_place"),
            unvaccinated_reason: self.text_or_empty("unvaccinated_reason"),
            note: self.text_or_empty("note"),
            ..Default::default()
        }
    }

    /// The row's values as text by field, for the review list.
    fn as_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.values
                .iter()
                .map(|(k, (v, _))| (k.to_string(), serde_json::Value::String(v.as_text())))
                .collect(),
        )
    }
}

/// The checks of a row that do not depend on its person, run before the row writes anything.
fn precheck(store: &Store, target: &Target, row: &Row) -> Result<()> {
    use crate::validate::FieldProblem;
    let refuse = |field: &str, code: &str, message: String| {
        Err(Error::Invalid(vec![FieldProblem::error(
            field, code, message,
        )]))
    };
    match target.key {
        "isolations" => {
            if let (Some(start), Some(end)) = (row.date("start_date"), row.date("planned_end_date"))
            {
                if end < start {
                    return refuse(
                        "planned_end_date",
                        "end_before_start",
                        format!("结束隔离时间 {end} 早于开始时间 {start}"),
                    );
                }
            }
        }
        "vaccinations" => {
            let dose = row.number("dose").unwrap_or(0.0) as i64;
            if !(1..=4).contains(&dose) {
                return refuse(
                    "dose",
                    "dose_range",
                    format!("针次 {dose} 不在 1–4 之间（3 为加强针）"),
                );
            }
        }
        "contacts" => {
            let case_name = row.text("case_name").unwrap_or_default();
            if store.case_by_person_name(&case_name)?.is_none() {
                return refuse(
                    "case_name",
                    "case_unknown",
                    format!("关联病例“{case_name}”不在台账中：请先登记该病例，再导入其接触者"),
                );
            }
        }
        "checkpoint_checks"
            if row.text("disposal").as_deref() == Some("移交村(社区)")
                && store.default_place_for_import()?.is_none() =>
        {
            return Err(Error::Refused(
                "处置为“移交村(社区)”，但台账中还没有村（社区）可移交".into(),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Applies one row: finds or creates its person, then writes the target's record.
fn apply(
    store: &Store,
    target: &Target,
    row: &Row,
    batch_id: &dyn Fn() -> Result<i64>,
    force: Option<ReviewDecision>,
) -> Result<Outcome> {
    if !target.has_person {
        return apply_checkpoint(store, row, batch_id);
    }
    let (person_id, person_outcome) = match resolve_person(store, target, row, batch_id, force)? {
        Resolved::Person(id, outcome) => (id, outcome),
        Resolved::Review => return Ok(Outcome::Review),
    };
    let event = match target.key {
        "persons" => return Ok(person_outcome),
        "arrivals" => write_arrival(store, row, person_id, batch_id)?,
        "isolations" => write_isolation(store, row, person_id, batch_id)?,
        "health_checks" => write_health_check(store, row, person_id, batch_id)?,
        "tests" => write_test(store, row, person_id, batch_id)?,
        "vaccinations" => write_vaccination(store, row, person_id, batch_id)?,
        "contacts" => write_contact(store, row, person_id, batch_id)?,
        other => return Err(Error::Refused(format!("不支持导入为“{other}”"))),
    };
    Ok(match (event, person_outcome) {
        (Outcome::Unchanged, Outcome::Inserted | Outcome::Updated) => Outcome::Updated,
        (event, _) => event,
    })
}

enum Resolved {
    Person(i64, Outcome),
    Review,
}

fn resolve_person(
    store: &Store,
    target: &Target,
    row: &Row,
    batch_id: &dyn Fn() -> Result<i64>,
    force: Option<ReviewDecision>,
) -> Result<Resolved> {
    let incoming = row.person_input();
    let checked = validate_person(&incoming, row.today)
        .map_err(Error::Invalid)?
        .value;
    let door_name = row.text("door_name");
    let door_number = row.text("door_number");
    let door = format!(
        "{}{}",
        door_name.as_deref().unwrap_or(""),
        door_number.as_deref().unwrap_or("")
    );
    let matched = match force {
        Some(ReviewDecision::MergeInto(id)) => PersonMatch::Exact(id),
        Some(ReviewDecision::New) => PersonMatch::None,
        _ => store.match_person(&checked, Some(&door))?,
    };
    match matched {
        PersonMatch::Exact(id) => {
            let existing = store.person(id)?;
            let mut merged = overlay(&existing, &incoming);
            // A person merged by hand keeps the register's ID number when the sheet's differs.
            if matches!(force, Some(ReviewDecision::MergeInto(_))) && existing.id_number.is_some() {
                merged.id_number = existing.id_number.clone().unwrap_or_default();
            }
            let clean = validate_person(&merged, row.today)
                .map_err(Error::Invalid)?
                .value;
            if same_person_fields(&existing, &clean) {
                return Ok(Resolved::Person(id, Outcome::Unchanged));
            }
            let batch = batch_id()?;
            store.write_person(&clean, batch)?;
            store.add_record_source(batch, "person", id, row.sheet, row.number)?;
            Ok(Resolved::Person(id, Outcome::Updated))
        }
        PersonMatch::Uncertain { person_id, reason } => {
            let mut json = row.as_json();
            json["_target"] = serde_json::Value::String(target.key.into());
            store.add_review(&crate::store::NewReview {
                batch_id: batch_id()?,
                sheet: row.sheet,
                row_number: row.number,
                target: target.key,
                incoming: &json,
                person_id,
                reason: &reason,
            })?;
            Ok(Resolved::Review)
        }
        PersonMatch::None => {
            let batch = batch_id()?;
            let household_id = if door.is_empty() {
                None
            } else {
                match store.household_by_door(door_name.as_deref(), door_number.as_deref())? {
                    Some(h) => Some(h),
                    None => {
                        let place_id = store.default_place_for_import()?.ok_or_else(|| Error::Refused("台账中还没有村（社区）：请先在户籍登记中建立本村，再导入含门牌的表".into()))?;
                        let household = CleanHousehold {
                            id: None,
                            place_id,
                            door_name: door_name.clone(),
                            door_number: door_number.clone(),
                            address: None,
                            housing_use: "自住".into(),
                            tenant_name: None,
                            tenant_phone: None,
                            note: None,
                        };
                        let h = store.write_household(&household, batch)?;
                        store.add_record_source(batch, "household", h, row.sheet, row.number)?;
                        Some(h)
                    }
                }
            };
            let clean = CleanPerson {
                household_id,
                ..checked
            };
            let id = store.write_person(&clean, batch)?;
            store.add_record_source(batch, "person", id, row.sheet, row.number)?;
            Ok(Resolved::Person(id, Outcome::Inserted))
        }
    }
}

/// The register's person with the sheet's non-empty values laid over it.
fn overlay(existing: &Person, incoming: &PersonInput) -> PersonInput {
    let pick = |new: &str, old: &Option<String>| {
        if new.trim().is_empty() {
            old.clone().unwrap_or_default()
        } else {
            new.to_string()
        }
    };
    PersonInput {
        id: Some(existing.id),
        household_id: existing.household_id,
        name: existing.name.clone(),
        gender: pick(&incoming.gender, &existing.gender),
        birth_date: pick(&incoming.birth_date, &existing.birth_date),
        id_type: if incoming.id_type.is_empty() {
            existing.id_type.clone()
        } else {
            incoming.id_type.clone()
        },
        id_number: pick(&incoming.id_number, &existing.id_number),
        phone: pick(&incoming.phone, &existing.phone),
        hukou_code: existing.hukou_code.clone().unwrap_or_default(),
        hukou_address: pick(&incoming.hukou_address, &existing.hukou_address),
        current_address: pick(&incoming.current_address, &existing.current_address),
        relation_to_head: pick(&incoming.relation_to_head, &existing.relation_to_head),
        crowd_category: pick(&incoming.crowd_category, &existing.crowd_category),
        occupation: pick(&incoming.occupation, &existing.occupation),
        work_place: pick(&incoming.work_place, &existing.work_place),
        special_industry: existing.special_industry.clone().unwrap_or_default(),
        residence_status: existing.residence_status.clone(),
        unvaccinated_reason: pick(&incoming.unvaccinated_reason, &existing.unvaccinated_reason),
        note: pick(&incoming.note, &existing.note),
        tags: existing.tags.clone(),
    }
}

fn same_person_fields(p: &Person, c: &CleanPerson) -> bool {
    p.gender == c.gender
        && p.birth_date == c.birth_date.map(|d| d.to_string())
        && p.id_number == c.id_number
        && p.phone == c.phone
        && p.hukou_address == c.hukou_address
        && p.current_address == c.current_address
        && p.relation_to_head == c.relation_to_head
        && p.crowd_category == c.crowd_category
        && p.occupation == c.occupation
        && p.work_place == c.work_place
        && p.unvaccinated_reason == c.unvaccinated_reason
        && p.note == c.note
}

/// Writes a record unless the same one is there; notes its source.
fn once(
    store: &Store,
    row: &Row,
    entity: &str,
    existing: Option<i64>,
    batch_id: &dyn Fn() -> Result<i64>,
    insert: impl FnOnce(i64) -> Result<i64>,
) -> Result<Outcome> {
    if existing.is_some() {
        return Ok(Outcome::Unchanged);
    }
    let batch = batch_id()?;
    let id = insert(batch)?;
    store.add_record_source(batch, entity, id, row.sheet, row.number)?;
    Ok(Outcome::Inserted)
}

fn write_arrival(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let date = row.date("arrival_date").expect("required field");
    let kind = row.text("arrival_kind").unwrap_or_else(|| "返乡".into());
    let existing = store.existing_record("arrivals", person_id, &date, Some(&kind))?;
    let risk = row.text("risk_level").or_else(|| {
        row.yes("from_risk_area")
            .and_then(|yes| yes.then(|| "中".to_string()))
    });
    let origin = row.text("origin");
    // An origin written as a county code is kept as a code too.
    let origin_code = origin
        .as_deref()
        .filter(|o| o.len() == 6 && o.bytes().all(|b| b.is_ascii_digit()))
        .map(String::from);
    once(store, row, "arrival", existing, batch_id, |batch| {
        store.add_arrival(
            &Arrival {
                person_id,
                kind,
                status: row.text("arrival_status").unwrap_or_else(|| "已返".into()),
                arrival_date: date.clone(),
                origin_code,
                origin_address: origin.clone(),
                risk_level: risk,
                transport: row.text("transport"),
                transport_no: row.text("transport_no"),
                route: row.text("route"),
                reason: row.text("reason"),
                note: row.text("note"),
                ..Default::default()
            },
            batch,
        )
    })
}

fn write_isolation(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let start = row.date("start_date").expect("required field");
    let kind = row
        .text("isolation_kind")
        .unwrap_or_else(|| "居家隔离医学观察".into());
    let start_date = chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d").expect("a date");
    let default_days = if kind == "居家健康监测" { 7 } else { 14 };
    let end = row
        .date("planned_end_date")
        .unwrap_or_else(|| (start_date + chrono::Duration::days(default_days - 1)).to_string());
    let existing = store.existing_record("isolations", person_id, &start, Some(&kind))?;
    once(store, row, "isolation", existing, batch_id, |batch| {
        store.add_isolation(
            &Isolation {
                person_id,
                kind: kind.clone(),
                address: row.text("isolation_address"),
                site_name: row.text("site_name"),
                room_number: row.text("room_number"),
                start_date: start.clone(),
                planned_end_date: end.clone(),
                responsible: row.text("responsible"),
                note: row.text("note"),
                ..Default::default()
            },
            batch,
        )
    })
}

fn symptoms_of(text: Option<String>, fever_temperature: bool) -> Symptoms {
    let t = text.unwrap_or_default();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w)) && !t.starts_with('无');
    Symptoms {
        fever: fever_temperature || has(&["发热", "发烧"]),
        dry_cough: has(&["咳"]),
        fatigue: has(&["乏力"]),
        sore_throat: has(&["咽痛", "咽喉痛", "嗓子痛"]),
        smell_taste_loss: has(&["嗅", "味觉"]),
        diarrhea: has(&["腹泻"]),
    }
}

fn write_health_check(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let date = row.date("check_date").expect("required field");
    let am = row.number("am_temperature").or(row.number("temperature"));
    let pm = row.number("pm_temperature");
    let fever = [am, pm]
        .iter()
        .flatten()
        .any(|t| *t >= crate::validate::FEVER_THRESHOLD);
    let check = HealthCheck {
        person_id,
        check_date: date.clone(),
        am_temperature: am,
        pm_temperature: pm,
        symptoms: symptoms_of(row.text("symptoms"), fever),
        checker: row.text("checker"),
        note: row.text("note"),
        ..Default::default()
    };
    if let Some(id) = store.existing_record("health_checks", person_id, &date, None)? {
        if store.update_health_check(id, &check)? {
            let batch = batch_id()?;
            store.add_record_source(batch, "health_check", id, row.sheet, row.number)?;
            return Ok(Outcome::Updated);
        }
        return Ok(Outcome::Unchanged);
    }
    once(store, row, "health_check", None, batch_id, |batch| {
        store.add_health_check(&check, batch)
    })
}

fn write_test(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let date = row.date("sample_date").expect("required field");
    let kind = row.text("test_kind").unwrap_or_else(|| "核酸".into());
    let existing = store.existing_record("tests", person_id, &date, Some(&kind))?;
    once(store, row, "test", existing, batch_id, |batch| {
        store.add_test(
            &Test {
                person_id,
                kind: kind.clone(),
                sample_date: date.clone(),
                site: row.text("site"),
                result: row.text("result").unwrap_or_else(|| "未出".into()),
                ..Default::default()
            },
            batch,
        )
    })
}

fn write_vaccination(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let dose = row.number("dose").expect("required field") as i64;
    let existing = store.existing_record("vaccinations", person_id, &dose.to_string(), None)?;
    once(store, row, "vaccination", existing, batch_id, |batch| {
        store.add_vaccination(
            &Vaccination {
                person_id,
                dose,
                vaccine_date: row.date("vaccine_date"),
                place_kind: row.text("place_kind"),
                vaccine_name: row.text("vaccine_name"),
                ..Default::default()
            },
            batch,
        )
    })
}

fn write_contact(
    store: &Store,
    row: &Row,
    person_id: i64,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let case_name = row.text("case_name").expect("required field");
    let Some((case_id, case_person)) = store.case_by_person_name(&case_name)? else {
        return Err(Error::Invalid(vec![crate::validate::FieldProblem::error(
            "case_name",
            "case_unknown",
            format!("关联病例“{case_name}”不在台账中：请先登记该病例，再导入其接触者"),
        )]));
    };
    if case_person == person_id {
        return Err(Error::Invalid(vec![crate::validate::FieldProblem::error(
            "case_name",
            "contact_is_case",
            "接触者就是关联病例本人，请核对",
        )]));
    }
    let existing = store.existing_contact(case_id, case_person, person_id)?;
    once(store, row, "contact", existing, batch_id, |batch| {
        store.add_contact(
            &Contact {
                case_id,
                source_person_id: case_person,
                contact_person_id: person_id,
                level: row.text("contact_level").unwrap_or_else(|| "密接".into()),
                exposure_type: row.text("exposure_type"),
                relation: row.text("contact_relation"),
                contact_way: row.text("contact_way"),
                last_contact_date: row.date("last_contact_date"),
                found_date: row
                    .date("found_date")
                    .or_else(|| Some(row.today.to_string())),
                note: row.text("note"),
                ..Default::default()
            },
            batch,
        )
    })
}

/// A checkpoint stop: the site is found or created by name; the traveller is linked to the
/// register when their ID number is known, never created (travellers pass through).
fn apply_checkpoint(
    store: &Store,
    row: &Row,
    batch_id: &dyn Fn() -> Result<i64>,
) -> Result<Outcome> {
    let site = row.text("checkpoint_name").expect("required field");
    let checked_at = match row.values.get("checked_at") {
        Some((Value::DateTime(t), _)) => t.format("%Y-%m-%d %H:%M").to_string(),
        Some((Value::Date(d), _)) => format!("{d} 00:00"),
        _ => {
            return Err(Error::Invalid(vec![crate::validate::FieldProblem::error(
                "checked_at",
                "date_unrecognised",
                "检查时间无法识别",
            )]))
        }
    };
    let name = row.text("name").expect("required field");
    let checkpoint_id = match store.checkpoint_by_name(&site)? {
        Some(id) => id,
        None => store.add_checkpoint(
            &Checkpoint {
                name: site.clone(),
                ..Default::default()
            },
            batch_id()?,
        )?,
    };
    let existing = store.existing_checkpoint_check(checkpoint_id, &checked_at, &name)?;
    let id_number = row.text("id_number");
    let person_id = match &id_number {
        Some(n) => store.person_by_id_number(n)?,
        None => None,
    };
    let disposal = row.text("disposal").unwrap_or_else(|| "放行".into());
    once(
        store,
        row,
        "checkpoint_check",
        existing,
        batch_id,
        |batch| {
            store.add_checkpoint_check(
                &CheckpointCheck {
                    checkpoint_id,
                    checked_at: checked_at.clone(),
                    person_id,
                    name: name.clone(),
                    id_number: id_number.clone(),
                    phone: row.text("phone"),
                    plate: row.text("plate"),
                    plate_kind: row.text("plate_kind"),
                    vehicle_kind: row.text("vehicle_kind"),
                    passenger_count: row.number("passenger_count").unwrap_or(0.0) as i64,
                    origin: row.text("check_origin"),
                    destination: row.text("destination"),
                    temperature: row.number("check_temperature"),
                    health_code: row.text("health_code"),
                    handed_to_place_id: if disposal == "移交村(社区)" {
                        store.default_place_for_import()?
                    } else {
                        None
                    },
                    disposal: disposal.clone(),
                    note: row.text("note"),
                    ..Default::default()
                },
                batch,
            )
        },
    )
}

/// What the user decided about an uncertain match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// The same person as the register's candidate.
    Merge,
    /// Someone else: register them as a new person.
    New,
    /// Leave the row out.
    Ignore,
    #[doc(hidden)]
    MergeInto(i64),
}

/// Resolves an entry of the review list: merges the row into the candidate, adds it as a
/// new person, or ignores it. Returns the person the row now belongs to (0 when ignored).
pub fn resolve_review(store: &Store, id: i64, decision: ReviewDecision) -> Result<i64> {
    let item = store.review(id)?;
    if decision == ReviewDecision::Ignore {
        store.close_review(id, "已忽略")?;
        return Ok(0);
    }
    let target = Target::find(&item.target)
        .ok_or_else(|| Error::Refused(format!("待核对记录的表格类型“{}”已不存在", item.target)))?;
    let today = store.today();
    let cx = Context {
        today,
        default_year: today.year(),
        header: "",
    };
    let mut values: BTreeMap<&'static str, (Value, String)> = BTreeMap::new();
    if let Some(fields) = item.incoming.as_object() {
        for (key, text) in fields {
            let (Some(field), Some(text)) = (target.field(key), text.as_str()) else {
                continue;
            };
            if let Ok((Some(value), _)) =
                convert::read(&RawCell::Text(text.to_string()), field.kind, &cx)
            {
                values.insert(field.key, (value, field.label.to_string()));
            }
        }
    }
    let row = Row {
        values: &values,
        sheet: &item.sheet,
        number: item.row_number as usize,
        today,
    };
    let batch = item.batch_id;
    let force = match decision {
        ReviewDecision::Merge => ReviewDecision::MergeInto(item.candidate_person_id),
        other => other,
    };
    store.in_transaction(|| {
        precheck(store, target, &row)?;
        apply(store, target, &row, &|| Ok(batch), Some(force))?;
        store.close_review(
            id,
            if decision == ReviewDecision::Merge {
                "已合并"
            } else {
                "已新建"
            },
        )
    })?;
    let person = match decision {
        ReviewDecision::Merge => item.candidate_person_id,
        _ => store
            .match_person(
                &validate_person(&row.person_input(), today)
                    .map_err(Error::Invalid)?
                    .value,
                None,
            )
            .map(|m| match m {
                PersonMatch::Exact(id) => id,
                _ => 0,
            })?,
    };
    Ok(person)
}
