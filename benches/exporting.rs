//! The two sides of the export benchmark, shared by `export.rs` and `county.rs`: the
//! 来(返)乡人员登记表 exported through its template, and a bare rust_xlsxwriter write of the
//! same rows.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use gridledger::report::{self, ReportParams};
use gridledger::store::Store;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// The same run for both: every arrival of the year up to the report day.
pub fn params() -> ReportParams {
    ReportParams {
        from: NaiveDate::from_ymd_opt(2026, 1, 1),
        to: Some(today()),
        village: None,
        mask: false,
    }
}

/// Exports every returnee of the year; at least `rows` must come out.
pub fn export(db: &Path, out: &Path, rows: usize) -> f64 {
    let mut store = Store::create(db).unwrap();
    store.set_today(today());
    let template = report::template(&store, "returnees").unwrap();
    let params = params();
    let started = Instant::now();
    let summary = report::export_xlsx(
        &store,
        &template,
        &params,
        out,
        gridledger::files::IfExists::Replace,
    )
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(summary.rows >= rows, "exported {} rows", summary.rows);
    seconds
}

/// The reference: the same 15 columns of the same rows, read into memory first (not timed),
/// then written with rust_xlsxwriter in constant-memory mode with one bordered format.
pub fn bare(db: &Path, out: &Path) -> f64 {
    let rows = reference_rows(db);
    let started = Instant::now();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let date = cell.clone().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 4;
        sheet
            .write_number_with_format(r, 0, (r - 3) as f64, &cell)
            .unwrap();
        for (c, text) in row.texts.iter().enumerate() {
            let col = c as u16 + 1;
            if col == 7 {
                sheet
                    .write_datetime_with_format(r, col, &row.date, &date)
                    .unwrap();
            } else {
                sheet.write_string_with_format(r, col, text, &cell).unwrap();
            }
        }
    }
    workbook.save(out).unwrap();
    started.elapsed().as_secs_f64()
}

struct Row {
    texts: Vec<String>,
    date: ExcelDateTime,
}

fn reference_rows(db: &Path) -> Vec<Row> {
    // Read with the store's own export path into memory, so both write identical values.
    let store = Store::create(db).unwrap();
    let template = report::template(&store, "returnees").unwrap();
    let params = params();
    let preview = report::preview(&store, &template, &params, usize::MAX).unwrap();
    preview
        .rows
        .into_iter()
        .map(|cells| {
            let date = NaiveDate::parse_from_str(&cells[7], "%Y-%m-%d").unwrap();
            let texts = cells.into_iter().skip(1).collect();
            Row {
                texts,
                date: ExcelDateTime::parse_from_str(&date.to_string()).unwrap(),
            }
        })
        .collect()
}
