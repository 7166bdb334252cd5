//! Excel in: a township's or county's sheet imported into the one ledger, in stages.
//!
//! 1. `read` turns any spreadsheet file into rows of cells (refusing hostile files up front);
//! 2. `header` finds the header and tells data rows from titles, totals, footers and
//!    instructions, each with its reason;
//! 3. `target` tells what the sheet is from the columns that speak for each record kind (and
//!    asks when that is not clear); `columns` maps its columns to that kind's fields;
//! 4. `rows` takes each row in turn — `places` finds its place, `persons` its person and
//!    household — and keeps its record through the record's kind (`crate::kinds`), the same
//!    rules typed entry meets; everything is written as it is decided, in one transaction.
//!
//! A refused row is a problem in the report, wherever it stands in the sheet; only a failure
//! of the file or the disk stops an import. A preview (the dry run) is the same run rolled
//! back, so it counts exactly what the import does; the desktop wizard's confirm runs it
//! again and writes only when it comes out as previewed (`ImportSession`).

mod classify;
mod columns;
mod header;
mod limits;
mod merged;
mod packed;
mod persons;
mod places;
mod problems_xlsx;
mod read;
mod reading;
mod report;
mod rows;
mod session;
mod shelf;
mod target;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::{Deserialize, Serialize};

pub use limits::{MAX_CELLS, MAX_ZIP_ENTRY};
pub use places::{CreatedPlace, UnknownPlace};
pub use problems_xlsx::save_problems_xlsx;
pub use read::{read_file, Book, Grid, RawCell};
pub use report::{
    ColumnPlan, HouseholdChange, ImportReport, Notice, OtherSheet, Outcome, Problem, ProblemKind,
    RowPreview, Skipped,
};
pub use session::{ImportSession, ON_SCREEN};
pub use shelf::Shelf;
pub use target::{normal_header, Candidate, Detection, Target};

use crate::error::{file_name, Code, Error, Result};
use crate::files::IfExists;
use crate::store::Store;
use columns::Column;
use persons::Force;
use places::{Create, Places};
use rows::Importer;
use std::sync::atomic::{AtomicBool, Ordering};

/// The most data rows one import takes; a bigger sheet is refused (`file_too_large`).
pub const MAX_ROWS: usize = 300_000;

/// What the user chose for an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The worksheet; the first one with a recognisable header when None.
    pub sheet: Option<String>,
    /// The record type (persons, arrivals, …); told from the columns when None.
    pub target: Option<String>,
    /// A saved mapping by name (`--mapping NAME`); saved under that name after the import.
    pub mapping_name: Option<String>,
    /// Column key → field key ("" ignores the column): the user's corrections.
    pub columns: BTreeMap<String, String>,
    /// Check and count everything, write nothing.
    pub dry_run: bool,
    /// The year for dates written without one (1月23日, 11.23); the current year when None.
    pub default_year: Option<i32>,
    /// The village (or grid, township) for rows that do not name theirs: an id, a division
    /// code or a name (`--village`, the wizard's choice).
    pub village: Option<String>,
    /// Create every village, grid and household group the sheet names that the ledger does
    /// not have (the user confirmed them).
    pub create_places: bool,
    /// Create only these places (paths as the preview lists them: 青山镇/石桥村/第3网格),
    /// confirmed one by one.
    pub places_to_create: Vec<String>,
    /// Places the sheet misspells, by their path as the preview lists them (or by name), and
    /// the ledger's place each means (青山镇/石桥材 → the id of 石桥村).
    pub place_aliases: BTreeMap<String, i64>,
    /// The header of pasted rows that carry none of their own (the grid's columns, in order).
    pub pasted_header: Vec<String>,
    /// Field key → the value of every row, for fields the sheet has no column for (the
    /// temperature round's day, the checkpoint station's site).
    pub fixed: BTreeMap<String, String>,
}

impl ImportOptions {
    fn create(&self) -> Create {
        if self.create_places {
            Create::All
        } else if !self.places_to_create.is_empty() {
            Create::Only(self.places_to_create.clone())
        } else {
            Create::None
        }
    }
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

/// Where the problems workbook of an import goes, and what to do if the name is taken.
#[derive(Debug, Clone)]
pub struct ProblemsFile {
    pub path: PathBuf,
    pub if_exists: IfExists,
}

/// Imports a file (or, with `dry_run`, counts what importing it would do). The file is read
/// once and each row written as it is decided, inside one transaction: memory stays bounded
/// whatever the size of the sheet, a kill leaves the ledger as it was, and a dry run is the
/// same run rolled back, so it counts exactly what the import does. The problems workbook is
/// written before the transaction commits: if it cannot be written, nothing is imported.
pub fn import_file(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    problems: Option<&ProblemsFile>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    import(store, &Source::File(path), options, problems, progress)
}

/// Imports a file or pasted rows (see `import_file`).
pub fn import(
    store: &Store,
    source: &Source,
    options: &ImportOptions,
    problems: Option<&ProblemsFile>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    // A dry run too: a role that may not import a file is not shown what it would do.
    if let Source::File(_) = source {
        store.may(crate::store::Duty::Import)?;
    }
    store.bulk(!options.dry_run, || {
        let mut report = run_sheets(
            store,
            source,
            options,
            progress,
            None,
            &mut Shelf::default(),
        )?;
        if let Some(p) = problems {
            let mut inputs = vec![store.path()];
            if let Source::File(sheet) = source {
                inputs.push(sheet);
            }
            let written = save_problems_xlsx(&report, &p.path, p.if_exists, &inputs)?;
            report.problems_file = Some(written.display().to_string());
        }
        Ok(report)
    })
}

/// Reads a sheet and takes its rows (inside the caller's transaction). Setting `cancel`
/// stops it within 500 rows with `cancelled` (the caller's transaction then keeps nothing).
fn run(
    store: &Store,
    source: &Source,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
    shelf: &mut Shelf,
) -> Result<ImportReport> {
    let Opened {
        book,
        file,
        sheets,
        sheet,
        layout,
        others,
        row_shift,
    } = open(source, options, shelf)?;
    let where_ = format!("文件“{file}”工作表“{sheet}”");
    let keys: Vec<(String, String)> = layout
        .columns
        .iter()
        .map(|c| (c.key.clone(), c.header.clone()))
        .collect();
    let signature = signature(keys.iter().map(|(k, _)| k.as_str()));
    let saved = store.import_mapping(&signature, options.mapping_name.as_deref())?;
    let (target, detection) = choose_target(options, &keys, saved.as_ref(), &where_)?;
    let saved_columns: BTreeMap<String, String> = saved
        .as_ref()
        .filter(|s| s.target == target.key())
        .and_then(|s| serde_json::from_str(&s.mapping).ok())
        .unwrap_or_default();
    let mapping = columns::map(
        &layout,
        target,
        &options.columns,
        &saved_columns,
        &options.fixed,
        &where_,
    )?;
    let mut report = ImportReport::new(target);
    report.columns = mapping.plans;
    report.candidates = detection.candidates;
    report.describe_sheet(&file, &sheet, sheets, &layout, options.dry_run);
    report.other_sheets = others;
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
    let places = Places::new(
        store,
        file_place,
        options.create(),
        options.place_aliases.clone(),
    )?;
    let mut importer = Importer::new(
        store,
        target,
        &file,
        &sheet,
        mapping.columns,
        mapping.defaulted,
        classify::Shape::of(&layout),
        places,
        default_year,
        report,
    );
    let total = book.row_count(&sheet).saturating_sub(layout.data_first);
    if total > MAX_ROWS
        && book.count_filled_rows(&sheet, layout.data_first, MAX_ROWS + 1)? > MAX_ROWS
    {
        return Err(too_many_rows(&file, MAX_ROWS));
    }
    let mut done = 0;
    let mut reader = importer.reader();
    book.for_each_row(
        &sheet,
        layout.data_first,
        &mut |cells| reader.take(cells),
        &mut |r, cells, read| {
            if done % 500 == 0 {
                progress(done, total);
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(Error::refused(
                        Code::Cancelled,
                        format!("已取消：读到第 {done} 行时停止，台账没有改动"),
                    ));
                }
            }
            done += 1;
            if importer.report.data_rows >= MAX_ROWS {
                return Err(too_many_rows(&file, MAX_ROWS));
            }
            importer.take(r + 1 - row_shift, cells, read)?;
            Ok(())
        },
    )?;
    progress(total, total);
    let report = importer.finish();
    // Remembered for the next sheet of this header; a second import of the same sheet
    // writes nothing at all.
    if !options.dry_run {
        save_mapping(store, &report, &signature, options.mapping_name.as_deref())?;
    }
    Ok(report)
}

/// A sheet opened and its header found.
struct Opened<'a> {
    book: &'a mut read::Book,
    file: String,
    sheets: Vec<String>,
    sheet: String,
    layout: header::Layout,
    /// The workbook's other sheets with a header, and whether it is this sheet's.
    others: Vec<OtherSheet>,
    /// Rows to take from the book's row numbers (pasted rows read under a header put on top).
    row_shift: usize,
}

/// Opens the file (or the pasted rows) and finds the sheet to read and its header.
fn open<'a>(source: &Source, options: &ImportOptions, shelf: &'a mut Shelf) -> Result<Opened<'a>> {
    let file = source.name();
    let (sheets, picked) = {
        let book = match source {
            Source::File(path) => shelf.open(path)?,
            Source::Pasted { name, rows } => shelf.put(read::Book::pasted(name, rows)),
        };
        let sheets = book.sheet_names();
        let picked = pick_sheet(&file, book, options.sheet.as_deref());
        (sheets, picked)
    };
    // Pasted rows without a header are read under the grid's: row numbers still count the
    // pasted rows from 1.
    let mut row_shift = 0;
    let (sheet, layout) = match (picked, source) {
        (Err(e), Source::Pasted { name, rows })
            if e.code() == Code::HeaderNotFound && !options.pasted_header.is_empty() =>
        {
            // Rows copied with their 序号 (1, 2, 3 … in the first column) carry one column
            // more than the grid: the header takes a 序号 column in front.
            let mut header = options.pasted_header.clone();
            if leads_with_numbers(rows) && header.first().map(String::as_str) != Some("序号") {
                header.insert(0, "序号".into());
            }
            let mut headed = vec![header];
            headed.extend(rows.iter().cloned());
            let book = shelf.put(read::Book::pasted(name, &headed));
            row_shift = 1;
            pick_sheet(&file, book, None)?
        }
        (picked, _) => picked?,
    };
    let book = shelf.book()?;
    let others = other_sheets(book, &sheets, &sheet, &layout);
    Ok(Opened {
        book,
        file,
        sheets,
        sheet,
        layout,
        others,
        row_shift,
    })
}

/// The sheets of a workbook besides `sheet` that have a header, and whether it is the same
/// as `layout`'s (the 二组 beside 一组): an import never passes one over without saying so.
fn other_sheets(
    book: &mut read::Book,
    sheets: &[String],
    sheet: &str,
    layout: &header::Layout,
) -> Vec<OtherSheet> {
    let headers =
        |l: &header::Layout| -> Vec<String> { l.columns.iter().map(|c| c.key.clone()).collect() };
    let ours = headers(layout);
    sheets
        .iter()
        .filter(|name| name.as_str() != sheet)
        .filter_map(|name| {
            let theirs = detect_with_merges(book, name).ok()?;
            let keys: Vec<(String, String)> = theirs
                .columns
                .iter()
                .map(|c| (c.key.clone(), c.header.clone()))
                .collect();
            Some(OtherSheet {
                name: name.clone(),
                same_header: headers(&theirs) == ours,
                target_label: Target::detect(&keys, &[])
                    .target
                    .map(|t| t.label().to_string()),
                rows: book.row_count(name).saturating_sub(theirs.data_first),
            })
        })
        .collect()
}

/// Imports every sheet of a workbook that has a header, in one transaction (`--sheet all`):
/// all of them, or none when one fails. Sheets without a header (a 说明 page) are passed over
/// and each report lists the workbook's sheets.
pub fn import_sheets(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<ImportReport>> {
    store.bulk(!options.dry_run, || {
        each_sheet(store, path, options, progress, None, &mut Shelf::default())
    })
}

/// The sheet name that asks for every sheet with a header, read together as one import
/// (the wizard's 全部工作表; no sheet can be called `*`).
pub const ALL_SHEETS: &str = "*";

/// Reads the sheet the options name, or every sheet with a header as one report when they
/// name `ALL_SHEETS` (inside the caller's transaction).
fn run_sheets(
    store: &Store,
    source: &Source,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
    shelf: &mut Shelf,
) -> Result<ImportReport> {
    match source {
        Source::File(path) if options.sheet.as_deref() == Some(ALL_SHEETS) => {
            let reports = each_sheet(store, path, options, progress, cancel, shelf)?;
            ImportReport::together(reports).ok_or_else(|| no_sheet_with_header(path))
        }
        _ => run(store, source, options, progress, cancel, shelf),
    }
}

fn no_sheet_with_header(path: &Path) -> Error {
    Error::refused(
        Code::HeaderNotFound,
        format!("文件“{}”中没有找到带表头的工作表", file_name(path)),
    )
}

/// Every sheet with a header, one after another (inside the caller's transaction); the
/// progress counts on across them.
fn each_sheet(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
    shelf: &mut Shelf,
) -> Result<Vec<ImportReport>> {
    let book = shelf.open(path)?;
    let names = book.sheet_names();
    let with_header: Vec<String> = names
        .into_iter()
        .filter(|name| detect_with_merges(book, name).is_ok())
        .collect();
    if with_header.is_empty() {
        return Err(no_sheet_with_header(path));
    }
    let mut before = 0;
    with_header
        .iter()
        .map(|name| {
            let options = ImportOptions {
                sheet: Some(name.clone()),
                ..options.clone()
            };
            let mut last = 0;
            let mut counted = |done: usize, total: usize| {
                last = total;
                progress(before + done, before + total)
            };
            let mut report = run(
                store,
                &Source::File(path),
                &options,
                &mut counted,
                cancel,
                shelf,
            )?;
            before += last;
            // The sheets read together are not "left out".
            report
                .other_sheets
                .retain(|o| !with_header.contains(&o.name));
            Ok(report)
        })
        .collect()
}

/// The target of a sheet: the user's choice, else the one its header was imported as
/// before, else the one its columns speak for (or the question, when that is not clear).
fn choose_target(
    options: &ImportOptions,
    keys: &[(String, String)],
    saved: Option<&crate::store::SavedMapping>,
    where_: &str,
) -> Result<(Target, Detection)> {
    if let (Some(name), None) = (&options.mapping_name, saved) {
        if options.columns.is_empty() && options.target.is_none() {
            return Err(Error::refused(
                Code::MappingUnknown,
                format!("没有名为“{name}”的列对应关系；去掉 --mapping 先导入一次，或用 --as 指定表格类型"),
            ));
        }
    }
    let fixed: Vec<&str> = options.fixed.keys().map(String::as_str).collect();
    let detection = Target::detect(keys, &fixed);
    let target = match options
        .target
        .as_deref()
        .or(saved.map(|s| s.target.as_str()))
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
        None => detection
            .target
            .ok_or_else(|| ambiguous(where_, &detection))?,
    };
    Ok((target, detection))
}

/// A header's signature: its column keys in order (a mapping is remembered under it).
fn signature<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    keys.collect::<Vec<_>>().join("\u{1f}")
}

/// The column mapping a report read its sheet by, as saved for its header.
fn mapping_of(report: &ImportReport) -> String {
    let mapping: BTreeMap<&str, &str> = report
        .columns
        .iter()
        .map(|c| (c.key.as_str(), c.field.as_deref().unwrap_or("")))
        .collect();
    serde_json::to_string(&mapping).unwrap_or_else(|_| "{}".into())
}

/// The signature of a report's header.
fn signature_of(report: &ImportReport) -> String {
    signature(report.columns.iter().map(|c| c.key.as_str()))
}

/// Saves the mapping of a report under its header (and a name), unless it is already so.
fn save_mapping(
    store: &Store,
    report: &ImportReport,
    signature: &str,
    name: Option<&str>,
) -> Result<()> {
    let mapping = mapping_of(report);
    let known = store
        .import_mapping(signature, None)?
        .is_some_and(|s| s.target == report.target && s.mapping == mapping);
    if !known || name.is_some() {
        store.save_import_mapping(signature, name, &report.target, &mapping)?;
    }
    Ok(())
}

/// Remembers the mapping a preview used (outside its rolled-back run).
fn remember_mapping(store: &Store, report: &ImportReport) -> Result<()> {
    save_mapping(store, report, &signature_of(report), None)
}

/// Whether pasted rows start with a row number: the first cells are 1, 2, 3 … (a 序号 the
/// clerk copied along with the names).
fn leads_with_numbers(rows: &[Vec<String>]) -> bool {
    let firsts: Vec<&str> = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| r.first().map(|c| c.trim()).unwrap_or_default())
        .collect();
    !firsts.is_empty()
        && firsts
            .iter()
            .zip(1..)
            .all(|(c, n): (&&str, usize)| c.parse::<usize>().ok() == Some(n))
        && rows.iter().any(|r| r.len() > 1)
}

/// The refusal of a sheet whose columns speak for more than one kind of record (or too
/// weakly for any): the question, each candidate with the columns that speak for it.
fn ambiguous(where_: &str, detection: &Detection) -> Error {
    let lines = detection.question();
    let problems = detection
        .candidates
        .iter()
        .zip(&lines)
        .map(|(c, line)| {
            crate::validate::FieldProblem::warning(c.target.key(), "target_candidate", line.clone())
        })
        .collect();
    Error::Choose {
        code: Code::TargetAmbiguous,
        message: format!(
            "{where_}看不准是哪一种表格，请选择后再导入（命令行加 --as 类型）：{}",
            lines.join("；")
        ),
        choices: problems,
    }
}

/// A refusal of the whole file for too many rows.
fn too_many_rows(file: &str, limit: usize) -> Error {
    Error::refused(
        Code::FileTooLarge,
        format!("文件“{file}”超过 {limit} 行数据，一次导入不了。请按村或按月分成几个文件再导入。"),
    )
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
        // One header row, no gaps, and nothing in the rows below reaching past its last
        // column (a merged parent's children would).
        let last = cols.last().copied().unwrap_or(0);
        let beyond = head
            .rows
            .iter()
            .skip(layout.header_last + 1)
            .take(3)
            .any(|r| r.iter().skip(last + 1).any(|c| !c.is_empty()));
        let full_row = layout.header_first == layout.header_last
            && cols.windows(2).all(|w| w[1] == w[0] + 1)
            && !beyond;
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
/// The row is taken again as the import took it, its person decided by the user.
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
    if let Some(fields) = item.incoming.as_object() {
        for (key, text) in fields {
            let (Some(field), Some(text)) = (target.field(key), text.as_str()) else {
                continue;
            };
            columns.push(Column {
                index: columns.len(),
                span: 1,
                header: field.label.to_string(),
                field,
                fixed: Some(RawCell::Text(text.to_string())),
            });
        }
    }
    let file = item.source_file.clone().unwrap_or_default();
    store.in_transaction(|| {
        let places = Places::new(store, None, Create::None, BTreeMap::new())?;
        let mut importer = Importer::new(
            store,
            target,
            &file,
            &item.sheet,
            columns,
            Vec::new(),
            classify::Shape::default(),
            places,
            store.today().year(),
            ImportReport::new(target),
        );
        importer.force(match decision {
            ReviewDecision::Merge => Force::Into(item.candidate_person_id),
            _ => Force::New,
        });
        // The values are fixed columns: the row has no cells of its own.
        importer.data_row(item.row_number as usize, &[])?;
        let person = importer.last_person();
        let report = importer.finish();
        if let Some(problem) = report.problems.iter().find(|p| !p.warning) {
            return Err(Error::field(
                "review",
                &problem.code,
                problem.message.clone(),
            ));
        }
        store.close_review(
            id,
            if decision == ReviewDecision::Merge {
                "已合并"
            } else {
                "已新建"
            },
        )?;
        Ok(person.or(Some(item.candidate_person_id).filter(|_| decision == ReviewDecision::Merge)))
    })
}
