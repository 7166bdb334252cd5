//! Excel in: a township's or county's sheet imported into the one ledger, in stages.
//!
//! 1. `read` turns any spreadsheet file into rows of cells (refusing hostile files up front);
//! 2. `header` finds the header and tells data rows from titles, totals and footers;
//! 3. `target` maps columns to the fields of a record kind through the header words;
//! 4. `plan` judges every row completely — values, person, place, household, record — into a
//!    plan, writing nothing;
//! 5. `apply` writes the plan in one transaction.
//!
//! A refused row is a problem in the report, wherever it stands in the sheet; only a failure
//! of the file or the disk stops an import. A preview (the dry run) is the plan without
//! `apply`, and the desktop wizard applies the very plan it previewed (`ImportSession`).

mod apply;
mod header;
mod plan;
mod problems_xlsx;
mod read;
mod report;
mod target;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::{Deserialize, Serialize};

pub use problems_xlsx::save_problems_xlsx;
pub use read::{read_file, Book, Grid, RawCell, MAX_ZIP_ENTRY};
pub use report::{ColumnPlan, HouseholdChange, ImportReport, Outcome, Problem, RowPreview};
pub use target::{normal_header, Target};

use crate::error::{file_name, Code, Error, Result};
use crate::files::IfExists;
use crate::store::Store;
use header::RowKind;
use plan::{Column, PlaceOptions, Plan, Planner};

/// The most data rows one import takes; a bigger sheet is refused (`file_too_large`).
pub const MAX_ROWS: usize = 300_000;

/// What the user chose for an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// The village (or grid, township) for rows that do not name theirs: an id, a division
    /// code or a name (`--village`, the wizard's choice).
    pub village: Option<String>,
    /// Create the villages, grids and household groups the sheet names that the ledger does
    /// not have (the user confirmed them).
    pub create_places: bool,
    /// The header of pasted rows that carry none of their own (the grid's columns, in order).
    pub pasted_header: Vec<String>,
    /// Field key → the value of every row, for fields the sheet has no column for (the
    /// temperature round's day, the checkpoint station's site).
    pub fixed: BTreeMap<String, String>,
}

/// A sheet read and planned, ready to apply: what a preview shows is what a run writes.
pub struct Prepared {
    pub report: ImportReport,
    plan: Plan,
    target: Target,
    signature: String,
    mapping: String,
    mapping_name: Option<String>,
    /// What the plan was made from, to tell whether it still holds.
    key: PreparedKey,
}

/// Where the rows come from: a file, or rows pasted from Excel or WPS.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    File(&'a Path),
    Pasted {
        name: &'a str,
        rows: &'a [Vec<String>],
    },
}

impl Source<'_> {
    fn name(&self) -> String {
        match self {
            Source::File(path) => file_name(path),
            Source::Pasted { name, .. } => name.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct PreparedKey {
    path: PathBuf,
    options: ImportOptions,
    file_len: u64,
    file_modified: Option<std::time::SystemTime>,
    ledger_changes: u64,
    today: chrono::NaiveDate,
}

impl PreparedKey {
    fn of(store: &Store, source: &Source, options: &ImportOptions) -> PreparedKey {
        let (path, file_len, file_modified) = match source {
            Source::File(path) => {
                let meta = std::fs::metadata(path).ok();
                (
                    path.to_path_buf(),
                    meta.as_ref().map(|m| m.len()).unwrap_or(0),
                    meta.and_then(|m| m.modified().ok()),
                )
            }
            Source::Pasted { name, rows } => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                rows.hash(&mut h);
                (PathBuf::from(name), h.finish(), None)
            }
        };
        PreparedKey {
            path,
            options: ImportOptions {
                dry_run: false,
                ..options.clone()
            },
            file_len,
            file_modified,
            ledger_changes: store.total_changes(),
            today: store.today(),
        }
    }
}

/// Reads and plans a sheet: every row judged, nothing written. `progress` is called with
/// (rows done, rows in all).
pub fn prepare(
    store: &Store,
    source: &Source,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Prepared> {
    plan_sheet(store, source, options, progress, false)
}

/// How many planned rows an import writes at a time when it writes as it goes.
const CHUNK: usize = 2_000;

/// Writes the plan of an import chunk by chunk, all under one batch, inside the import's
/// one transaction: memory holds one chunk's rows, whatever the size of the sheet.
struct ChunkWriter<'a> {
    store: &'a Store,
    target: Target,
    file: String,
    sheet: String,
    batch: Option<i64>,
    places_created: Vec<String>,
}

impl ChunkWriter<'_> {
    fn write(
        &mut self,
        planner: &mut Planner,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let note = format!("工作表“{}”，按{}导入", self.sheet, self.target.label());
        let applied = apply::apply(
            self.store,
            &planner.plan,
            self.target.key(),
            &self.file,
            &self.sheet,
            &note,
            &mut self.batch,
            progress,
        )?;
        self.places_created
            .extend(applied.places_created.iter().cloned());
        planner.settle(&applied)
    }
}

/// The stages shared by a preview (the plan kept, nothing written) and an import that writes
/// as it plans (`writer`, inside its transaction).
fn plan_sheet(
    store: &Store,
    source: &Source,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    write: bool,
) -> Result<Prepared> {
    let key = PreparedKey::of(store, source, options);
    let mut book = match source {
        Source::File(path) => read::Book::open(path)?,
        Source::Pasted { name, rows } => read::Book::pasted(name, rows),
    };
    let file = source.name();
    let sheets = book.sheet_names();
    // Pasted rows without a header are read under the grid's: row numbers still count the
    // pasted rows from 1.
    let mut row_shift = 0;
    let (sheet, layout) = match (
        pick_sheet(&file, &mut book, options.sheet.as_deref()),
        source,
    ) {
        (Err(e), Source::Pasted { name, rows })
            if e.code() == Code::HeaderNotFound && !options.pasted_header.is_empty() =>
        {
            let mut headed = vec![options.pasted_header.clone()];
            headed.extend(rows.iter().cloned());
            book = read::Book::pasted(name, &headed);
            row_shift = 1;
            pick_sheet(&file, &mut book, None)?
        }
        (picked, _) => picked?,
    };
    let keys: Vec<String> = layout.columns.iter().map(|c| c.key.clone()).collect();
    let signature = keys.join("\u{1f}");
    let saved = store.import_mapping(&signature, options.mapping_name.as_deref())?;
    if let (Some(name), None) = (&options.mapping_name, &saved) {
        if options.columns.is_empty() && options.target.is_none() {
            return Err(Error::refused(
                Code::MappingUnknown,
                format!("没有名为“{name}”的列对应关系；去掉 --mapping 先导入一次，或用 --as 指定表格类型"),
            ));
        }
    }
    let target = match options
        .target
        .as_deref()
        .or(saved.as_ref().map(|s| s.target.as_str()))
    {
        Some(key) => Target::find(key).ok_or_else(|| {
            Error::refused(
                Code::TargetUnknown,
                format!(
                    "没有“{key}”这种表格类型；可选：{}",
                    Target::ALL
                        .iter()
                        .map(|t| t.key())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        })?,
        None => Target::guess(&keys),
    };
    let saved_columns: BTreeMap<String, String> = saved
        .as_ref()
        .filter(|s| s.target == target.key())
        .and_then(|s| serde_json::from_str(&s.mapping).ok())
        .unwrap_or_default();

    // Column → field: the user's choice, else the saved mapping, else the header words; a
    // field is taken by the first column that names it.
    let mut taken: Vec<&str> = Vec::new();
    let mut report = ImportReport::new(target);
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
                Error::refused(
                    Code::ColumnMapping,
                    format!(
                        "“{}”列指定的字段“{key}”不属于{}",
                        column.header,
                        target.label()
                    ),
                )
            })?),
            None => target
                .fields()
                .into_iter()
                .find(|f| !taken.contains(&f.key) && target::matches_header(f, &column.key)),
        };
        if let Some(f) = field {
            if taken.contains(&f.key) {
                return Err(Error::refused(
                    Code::ColumnMapping,
                    format!("字段“{}”被指定给了两列，请只保留一列", f.label),
                ));
            }
            taken.push(f.key);
            columns.push(Column {
                index: column.index,
                header: column.header.clone(),
                field: f,
                fixed: None,
            });
        }
        report.columns.push(ColumnPlan {
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
    for (key, value) in &options.fixed {
        let field = target.field(key).ok_or_else(|| {
            Error::refused(
                Code::ColumnMapping,
                format!("字段“{key}”不属于{}", target.label()),
            )
        })?;
        if !taken.contains(&field.key) {
            taken.push(field.key);
            columns.push(Column {
                index: width + columns.len(),
                header: field.label.to_string(),
                field,
                fixed: Some(RawCell::Text(value.clone())),
            });
        }
    }
    let missing: Vec<&str> = target
        .required()
        .iter()
        .filter(|f| !taken.contains(&f.key))
        .map(|f| f.label)
        .collect();
    if !missing.is_empty() {
        return Err(Error::refused(
            Code::ColumnMissing,
            format!(
                "文件“{file}”工作表“{sheet}”按“{}”导入缺少必需的列：{}。请在导入向导中指定对应的列，或用 --as 选择其他表格类型",
                target.label(),
                missing.join("、")
            ),
        ));
    }
    report.header_texts = (0..width)
        .map(|i| {
            layout
                .columns
                .iter()
                .find(|c| c.index == i)
                .map(|c| c.header.clone())
                .unwrap_or_default()
        })
        .collect();
    report.file = file.clone();
    report.sheet = sheet.clone();
    report.sheets = sheets;
    report.header_rows = (layout.header_first + 1, layout.header_last + 1);
    report.first_data_row = layout.data_first + 1;
    report.skipped_rows = layout.skipped_above;
    report.dry_run = options.dry_run;

    let file_place = match options
        .village
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(store.report_place_id(v)?),
        None => None,
    };
    let default_year = options.default_year.unwrap_or(store.today().year());
    if !(1900..=2100).contains(&default_year) {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            format!("没写年份的日期按 {default_year} 年计不合理：请给 1900–2100 之间的年份"),
        ));
    }
    let mut planner = Planner::new(
        store,
        target,
        &sheet,
        columns,
        default_year,
        PlaceOptions {
            file_place,
            create_places: options.create_places,
        },
    )?;
    let mut writer = write.then(|| ChunkWriter {
        store,
        target,
        file: file.clone(),
        sheet: sheet.clone(),
        batch: None,
        places_created: Vec::new(),
    });
    let total = book.row_count(&sheet).saturating_sub(layout.data_first);
    if total > MAX_ROWS
        && book.count_filled_rows(&sheet, layout.data_first, MAX_ROWS + 1)? > MAX_ROWS
    {
        return Err(plan::too_many_rows(&file, MAX_ROWS));
    }
    let mut done = 0;
    book.for_each_row(&sheet, layout.data_first, &mut |r, cells| {
        if done % 500 == 0 {
            progress(done, total);
        }
        done += 1;
        if header::classify(cells) != RowKind::Data {
            report.skipped_rows += 1;
            planner.break_run();
            return Ok(());
        }
        report.data_rows += 1;
        if report.data_rows > MAX_ROWS {
            return Err(plan::too_many_rows(&file, MAX_ROWS));
        }
        planner.plan_row(r + 1 - row_shift, cells)?;
        if let Some(writer) = writer.as_mut().filter(|_| planner.plan.rows.len() >= CHUNK) {
            for row in &planner.plan.rows {
                report.count(row.outcome);
            }
            writer.write(&mut planner, &mut |_, _| {})?;
        }
        Ok(())
    })?;
    progress(total, total);
    for row in &planner.plan.rows {
        report.count(row.outcome);
    }
    let written_places = match writer {
        Some(mut writer) => {
            writer.write(&mut planner, &mut |_, _| {})?;
            report.batch_id = writer.batch;
            Some(writer.places_created)
        }
        None => None,
    };
    report.problems = std::mem::take(&mut planner.problems);
    report.rejected = std::mem::take(&mut planner.rejected);
    report.unknown_places = planner
        .unknown_places
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    report.preview = std::mem::take(&mut planner.preview);
    report.households = planner.household_changes();
    report.places_created = written_places.unwrap_or_else(|| {
        planner
            .plan
            .places
            .iter()
            .map(|p| format!("{}：{}", p.level, p.name))
            .collect()
    });
    let plan = std::mem::take(&mut planner.plan);
    let mapping: BTreeMap<&str, &str> = report
        .columns
        .iter()
        .map(|c| (c.key.as_str(), c.field.as_deref().unwrap_or("")))
        .collect();
    Ok(Prepared {
        mapping: serde_json::to_string(&mapping).unwrap_or_else(|_| "{}".into()),
        report,
        plan,
        target,
        signature,
        mapping_name: options.mapping_name.clone(),
        key,
    })
}

/// Where the problems workbook of an import goes, and what to do if the name is taken.
#[derive(Debug, Clone)]
pub struct ProblemsFile {
    pub path: PathBuf,
    pub if_exists: IfExists,
}

/// Writes a prepared plan in one transaction. The problems workbook, when asked for, is
/// written first: if it cannot be written nothing is imported, and an import that succeeds
/// always has its problem list.
pub fn apply_prepared(
    store: &Store,
    prepared: Prepared,
    problems: Option<&ProblemsFile>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let Prepared {
        mut report,
        plan,
        target,
        signature,
        mapping,
        mapping_name,
        ..
    } = prepared;
    report.dry_run = false;
    if let Some(p) = problems {
        let written = save_problems_xlsx(&report, &p.path, p.if_exists)?;
        report.problems_file = Some(written.display().to_string());
    }
    let note = format!("工作表“{}”，按{}导入", report.sheet, target.label());
    let mut batch = None;
    let applied = store.in_transaction(|| {
        let applied = apply::apply(
            store,
            &plan,
            target.key(),
            &report.file,
            &report.sheet,
            &note,
            &mut batch,
            progress,
        )?;
        store.save_import_mapping(&signature, mapping_name.as_deref(), target.key(), &mapping)?;
        Ok(applied)
    })?;
    report.batch_id = batch;
    report.places_created = applied.places_created;
    Ok(report)
}

/// Imports a file (or, with `dry_run`, counts what importing it would do). The file is read
/// once and each row planned and written as it comes, in chunks, inside one transaction:
/// memory stays bounded whatever the size of the sheet, a kill leaves the ledger as it was,
/// and a dry run is the same run rolled back, so it counts exactly what the import does.
/// The problems workbook is written before the transaction commits: if it cannot be
/// written, nothing is imported.
pub fn import_file(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    problems: Option<&ProblemsFile>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    store.transaction(!options.dry_run, || {
        let prepared = plan_sheet(store, &Source::File(path), options, progress, true)?;
        let mut report = prepared.report;
        report.dry_run = options.dry_run;
        if options.dry_run {
            report.batch_id = None;
        } else {
            store.save_import_mapping(
                &prepared.signature,
                prepared.mapping_name.as_deref(),
                prepared.target.key(),
                &prepared.mapping,
            )?;
        }
        if let Some(p) = problems {
            let written = save_problems_xlsx(&report, &p.path, p.if_exists)?;
            report.problems_file = Some(written.display().to_string());
        }
        Ok(report)
    })
}

/// The desktop wizard's import: the plan made for the preview is the plan applied, unless
/// the file, the options or the ledger changed in between. `passes` counts the readings of
/// the file, so a test can hold the wizard to one.
#[derive(Default)]
pub struct ImportSession {
    prepared: Option<Prepared>,
    pub passes: usize,
}

impl ImportSession {
    /// Plans the file (or pasted rows) and keeps the plan; returns the report the preview
    /// shows.
    pub fn preview(
        &mut self,
        store: &Store,
        source: &Source,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        self.prepared = None;
        self.passes += 1;
        let prepared = prepare(store, source, options, &mut |_, _| {})?;
        let mut report = prepared.report.clone();
        report.dry_run = true;
        self.prepared = Some(prepared);
        Ok(report)
    }

    /// Applies the previewed plan (planning again only if it no longer holds).
    pub fn run(
        &mut self,
        store: &Store,
        source: &Source,
        options: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let key = PreparedKey::of(store, source, options);
        let prepared = match self.prepared.take() {
            Some(p) if p.key == key => p,
            _ => {
                self.passes += 1;
                prepare(store, source, options, progress)?
            }
        };
        apply_prepared(store, prepared, None, progress)
    }

    /// Writes the problems of the previewed plan to a workbook in `dir` (never replacing one).
    pub fn save_problems(&self, dir: &Path) -> Result<PathBuf> {
        let prepared = self.prepared.as_ref().ok_or_else(|| {
            Error::refused(Code::Conflict, "请先预览要导入的文件，再导出问题清单")
        })?;
        let stem = Path::new(&prepared.report.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!("{}_导入问题.xlsx", crate::files::safe_name(&stem)));
        save_problems_xlsx(&prepared.report, &path, IfExists::Number)
    }
}

fn pick_sheet(
    file: &str,
    book: &mut read::Book,
    wanted: Option<&str>,
) -> Result<(String, header::Layout)> {
    let names = book.sheet_names();
    let refuse = |name: &str, e: header::NoHeader| {
        let code = match e {
            header::NoHeader::NotFound => Code::HeaderNotFound,
            header::NoHeader::TooWide(_) => Code::HeaderTooWide,
        };
        Error::refused(code, format!("文件“{file}”工作表“{name}”：{e}"))
    };
    if let Some(name) = wanted {
        if !names.iter().any(|n| n == name) {
            return Err(Error::refused(
                Code::SheetMissing,
                format!("文件“{file}”中没有工作表“{name}”；有：{}", names.join("、")),
            ));
        }
        let layout = detect_with_merges(book, name).map_err(|e| refuse(name, e))?;
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
                first_error.get_or_insert_with(|| refuse(&name, e));
            }
        }
    }
    Err(first_error
        .unwrap_or_else(|| Error::refused(Code::FileEmpty, format!("文件“{file}”没有数据"))))
}

/// Finds the header, reading the sheet's merged ranges only when they can matter: a header of
/// one full row (no gaps) reads the same with or without them.
fn detect_with_merges(
    book: &mut read::Book,
    sheet: &str,
) -> std::result::Result<header::Layout, header::NoHeader> {
    let Ok(mut head) = book.head(sheet) else {
        return Err(header::NoHeader::NotFound);
    };
    let first = header::detect(&head);
    if let Ok(layout) = &first {
        let cols: Vec<usize> = layout.columns.iter().map(|c| c.index).collect();
        let full_row =
            layout.header_first == layout.header_last && cols.windows(2).all(|w| w[1] == w[0] + 1);
        if full_row {
            return first;
        }
    }
    if let Err(header::NoHeader::TooWide(n)) = first {
        return Err(header::NoHeader::TooWide(n));
    }
    head.merges = book.merges(sheet);
    header::detect(&head)
}

/// What the user decided about an uncertain match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The same person as the register's candidate.
    Merge,
    /// Someone else: register them as a new person.
    New,
    /// Leave the row out.
    Ignore,
}

impl std::str::FromStr for ReviewDecision {
    type Err = Error;

    /// An unknown decision is an error, never a silent 忽略.
    fn from_str(text: &str) -> Result<ReviewDecision> {
        match text {
            "merge" | "合并" => Ok(ReviewDecision::Merge),
            "new" | "新建" => Ok(ReviewDecision::New),
            "ignore" | "忽略" => Ok(ReviewDecision::Ignore),
            other => Err(Error::refused(
                Code::ArgumentInvalid,
                format!(
                    "核对结果“{other}”无法识别：应为 merge（合并）、new（新建）或 ignore（忽略）"
                ),
            )),
        }
    }
}

/// Resolves an entry of the review list: merges the row into the candidate, adds it as a
/// new person, or ignores it. Returns the person the row now belongs to (None when ignored).
pub fn resolve_review(store: &Store, id: i64, decision: ReviewDecision) -> Result<Option<i64>> {
    let item = store.review(id)?;
    if decision == ReviewDecision::Ignore {
        store.close_review(id, "已忽略")?;
        return Ok(None);
    }
    let target = Target::find(&item.target).ok_or_else(|| {
        Error::refused(
            Code::TargetUnknown,
            format!("待核对记录的表格类型“{}”已不存在", item.target),
        )
    })?;
    let mut columns = Vec::new();
    let mut cells = Vec::new();
    if let Some(fields) = item.incoming.as_object() {
        for (key, text) in fields {
            let (Some(field), Some(text)) = (target.field(key), text.as_str()) else {
                continue;
            };
            columns.push(Column {
                index: cells.len(),
                header: field.label.to_string(),
                field,
                fixed: None,
            });
            cells.push(RawCell::Text(text.to_string()));
        }
    }
    let today = store.today();
    let mut planner = Planner::new(
        store,
        target,
        &item.sheet,
        columns,
        today.year(),
        PlaceOptions::default(),
    )?;
    planner.force(match decision {
        ReviewDecision::Merge => plan::Force::Into(item.candidate_person_id),
        _ => plan::Force::New,
    });
    planner.plan_row(item.row_number as usize, &cells)?;
    if let Some(problem) = planner.problems.iter().find(|p| !p.warning) {
        return Err(Error::field(
            "review",
            &problem.code,
            problem.message.clone(),
        ));
    }
    let plan = std::mem::take(&mut planner.plan);
    let note = format!("核对第 {id} 条：{}", item.reason);
    let person = store.in_transaction(|| {
        let applied = apply::apply(
            store,
            &plan,
            target.key(),
            item.source_file.as_deref().unwrap_or(""),
            &item.sheet,
            &note,
            &mut None,
            &mut |_, _| {},
        )?;
        store.close_review(
            id,
            if decision == ReviewDecision::Merge {
                "已合并"
            } else {
                "已新建"
            },
        )?;
        Ok(applied.first_person)
    })?;
    Ok(person.or(Some(item.candidate_person_id).filter(|_| decision == ReviewDecision::Merge)))
}
