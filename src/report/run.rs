//! Running a prepared template (`prepared.rs`): its first rows, totals and zero report for
//! the on-screen preview, or every row streamed into an xlsx file (`xlsx.rs`), logged.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use serde::Serialize;

use super::layout::HeaderCell;
use super::prepared::{Meta, Prepared, ReportParams};
use super::{xlsx, Cell, Template};
use crate::error::{Code, Error, Result};
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

/// The rows a preview shows on screen (the count says how many the file holds). The web view
/// paints the whole scrolling table at once: 200 rows of a wide list cost it some 70 MB for a
/// moment, 100 rows half that, and a clerk checks a form by its first screens.
pub const PREVIEW_ROWS: usize = 100;

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
    let mut unwatched = Watch {
        progress: &mut |_| {},
        cancel: None,
    };
    export_xlsx_watched(store, template, params, path, if_exists, &mut unwatched)
}

/// Someone watching a long export (the window's bar): told the rows written every
/// `Watch::EVERY` rows, and able to stop it (it ends with `cancelled`, no file written).
pub struct Watch<'a> {
    pub progress: &'a mut dyn FnMut(usize),
    pub cancel: Option<&'a AtomicBool>,
}

impl Watch<'_> {
    pub const EVERY: usize = 1000;

    fn row(&mut self, done: usize) -> Result<()> {
        if done.is_multiple_of(Self::EVERY) {
            (self.progress)(done);
            if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(Error::refused(
                    Code::Cancelled,
                    format!("已取消导出：写到第 {done} 行时停止，没有写出文件"),
                ));
            }
        }
        Ok(())
    }
}

/// `export_xlsx`, watched.
pub fn export_xlsx_watched(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    path: &Path,
    if_exists: crate::files::IfExists,
    watch: &mut Watch,
) -> Result<ExportSummary> {
    crate::files::require_extension(path, "xlsx")?;
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
    let mut digest = Digest::default();
    let path = crate::files::save(path, if_exists, &[store.path()], |temp| {
        digest = Digest::default();
        let mut done = 0;
        written = xlsx::write(
            &prepared,
            &mut |each| {
                prepared.rows(store, |cells| {
                    digest.add(&cells);
                    done += 1;
                    watch.row(done)?;
                    each(cells)
                })
            },
            temp,
        )?;
        (watch.progress)(done);
        Ok(())
    })?;
    let (rows, zero_report) = written;
    let digest = digest.text();
    store.log_export(&crate::store::ExportLog {
        template_id: &template.id,
        template_name: &template.name,
        report_day: prepared.day,
        from_day: params.from,
        place: params.village.as_deref(),
        path: &path.display().to_string(),
        rows,
        zero_report,
        digest: Some(&digest),
    })?;
    Ok(ExportSummary {
        path,
        rows,
        zero_report,
    })
}

/// A hash of a report's cells as written (FNV-1a, 64 bits: stable across versions and
/// machines, unlike the standard library's hasher), to tell whether the ledger still gives
/// a form that went out.
#[derive(Default)]
struct Digest(Option<u64>);

impl Digest {
    fn add(&mut self, cells: &[Cell]) {
        let mut hash = self.0.unwrap_or(0xcbf2_9ce4_8422_2325);
        for cell in cells {
            // A unit separator between cells and a record separator after each row, so
            // ["ab", "c"] and ["a", "bc"] differ.
            for byte in cell.display().bytes().chain([0x1f]) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        self.0 = Some((hash ^ 0x1e).wrapping_mul(0x0100_0000_01b3));
    }

    fn text(&self) -> String {
        format!("{:016x}", self.0.unwrap_or(0))
    }
}

/// The hash of the cells `template` gives now for `params` (what `export_xlsx` logged
/// when it wrote them).
pub fn digest(store: &Store, template: &Template, params: &ReportParams) -> Result<String> {
    let prepared = Prepared::new(store, template, params)?;
    let mut digest = Digest::default();
    prepared.rows(store, |cells| {
        digest.add(&cells);
        Ok(())
    })?;
    Ok(digest.text())
}

/// The today list (`Store::today_list`), with whether the day's 日报, if it went out,
/// still holds: the same form made now from the same range and place gives other cells
/// when a record it counts was added, changed or archived since.
pub fn today(store: &Store, place: Option<i64>) -> Result<crate::store::TodayList> {
    let mut list = store.today_list(place)?;
    if let Some(export) = list.daily_report.as_mut() {
        if let (Some(written), Some(template)) = (
            export.digest.clone(),
            // A template removed since leaves the export as it was said.
            super::template(store, &export.template_id).ok(),
        ) {
            let params = ReportParams {
                from: export.from_day.as_deref().and_then(|d| d.parse().ok()),
                to: export.report_day.parse().ok(),
                village: export.place.clone(),
                mask: false,
            };
            export.stale = digest(store, &template, &params)? != written;
        }
    }
    Ok(list)
}
