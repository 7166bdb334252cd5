//! Running a prepared template (`prepared.rs`): its first rows, totals and zero report for
//! the on-screen preview, or every row streamed into an xlsx file (`xlsx.rs`), logged.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::layout::HeaderCell;
use super::prepared::{Meta, Prepared, ReportParams};
use super::{xlsx, Cell, Template};
use crate::error::Result;
use crate::store::Store;

/// A report as the preview shows it: the same header layout, meta line, totals, zero report
/// and footer as the xlsx, and the first rows as text.
#[derive(Debug, Clone, Serialize)]
pub struct ReportPreview {
    pub title: String,
    pub meta: Option<Meta>,
    pub header: Vec<HeaderCell>,
    pub header_rows: usize,
    pub column_count: usize,
    pub rows: Vec<Vec<String>>,
    pub total_rows: usize,
    pub totals: Option<Vec<String>>,
    pub zero_report: Option<String>,
    pub footer: Vec<String>,
    /// What the form's counts mean (口径), one line.
    pub definitions: Option<String>,
    /// The parameters the rows were made with (the export uses exactly these).
    pub params: ReportParams,
    pub day: NaiveDate,
    pub epoch: NaiveDate,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub rows: usize,
    pub zero_report: bool,
}

/// Runs a template for the screen: the first `limit` rows, and the totals over all rows.
pub fn preview(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    limit: usize,
) -> Result<ReportPreview> {
    let prepared = Prepared::new(store, template, params)?;
    let mut rows = Vec::new();
    let tally = prepared.rows(store, |cells| {
        if rows.len() < limit {
            rows.push(
                cells
                    .iter()
                    .zip(&prepared.kinds)
                    .map(|(cell, kind)| cell.display_as(*kind))
                    .collect(),
            );
        }
        Ok(())
    })?;
    if prepared.zero_report(&tally).is_some() && template.source == "villages" {
        super::check::zero_report_gate(store, template, params)?;
    }
    Ok(ReportPreview {
        title: template.title().to_string(),
        meta: prepared.meta.clone(),
        header: prepared.header.clone(),
        header_rows: prepared.header_rows,
        column_count: template.columns.len(),
        rows,
        total_rows: tally.rows,
        totals: prepared
            .totals(&tally)
            .map(|row| row.iter().map(Cell::display).collect()),
        zero_report: prepared.zero_report(&tally),
        footer: template.footer.clone(),
        definitions: prepared.definitions.clone(),
        params: params.clone(),
        day: prepared.day,
        epoch: prepared.epoch,
    })
}

/// Runs a template into an xlsx file. The file is written beside its final name and moved
/// into place at the end, so a failure never leaves half a report.
pub fn export_xlsx(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    path: &Path,
    if_exists: crate::files::IfExists,
) -> Result<ExportSummary> {
    let prepared = Prepared::new(store, template, params)?;
    // A per-place form is a few rows: they are counted once before writing, so a 零报告 the
    // ledger does not bear out is never written.
    if template.source == "villages" {
        let tally = prepared.rows(store, |_| Ok(()))?;
        if prepared.zero_report(&tally).is_some() {
            super::check::zero_report_gate(store, template, params)?;
        }
    }
    let mut written = (0, false);
    let path = crate::files::save(path, if_exists, |temp| {
        written = xlsx::write(&prepared, &mut |each| prepared.rows(store, each), temp)?;
        Ok(())
    })?;
    let (rows, zero_report) = written;
    store.log_export(&crate::store::ExportLog {
        template_id: &template.id,
        template_name: &template.name,
        report_day: prepared.day,
        from_day: params.from,
        place: params.village.as_deref(),
        path: &path.display().to_string(),
        rows,
        zero_report,
    })?;
    Ok(ExportSummary {
        path,
        rows,
        zero_report,
    })
}
