//! The desktop wizard's import session: a preview kept to be confirmed as previewed, the
//! report the screen gets (the first problems of it), the switch that stops a long one, and
//! the problems of the last preview or import saved on request.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    remember_mapping, run_sheets, save_problems_xlsx, ImportOptions, ImportReport, Shelf, Source,
};
use crate::error::{Code, Error, Result};
use crate::files::IfExists;
use crate::store::Store;

/// The counts a preview promised, to hold a confirmed import to them.
fn counts(r: &ImportReport) -> [usize; 8] {
    [
        r.data_rows,
        r.inserted,
        r.updated,
        r.unchanged,
        r.review,
        r.partial_rows,
        r.rejected_rows,
        r.skipped_rows,
    ]
}

/// How many problems (and skipped rows) the wizard's report carries to the screen; the
/// problems workbook has all of them.
pub const ON_SCREEN: usize = 1000;

/// The desktop wizard's import: a preview is the import run and rolled back; confirming runs
/// it again and keeps it only when it comes out as the preview said (the ledger or the file
/// may have changed in between: then nothing is written and the new preview is shown).
/// `passes` counts the plans; the sheet is read from the file once for all of them while
/// the file is unchanged (`Shelf`).
pub struct ImportSession {
    previewed: Option<(ImportOptions, ImportReport)>,
    pub passes: usize,
    shelf: Shelf,
    /// Set (from another thread) to stop the preview or import under way: it ends with
    /// `cancelled` and writes nothing. Cleared when the next one starts.
    pub cancel: std::sync::Arc<AtomicBool>,
}

impl Default for ImportSession {
    fn default() -> Self {
        ImportSession {
            previewed: None,
            passes: 0,
            shelf: Shelf::keeping(),
            cancel: Default::default(),
        }
    }
}

impl ImportSession {
    /// How many times a sheet was read in full from its file.
    pub fn sheet_reads(&self) -> usize {
        self.shelf.sheet_reads()
    }

    /// Runs the import rolled back and keeps its report; returns what the preview shows.
    pub fn preview(
        &mut self,
        store: &Store,
        source: &Source,
        options: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        // Refused before the file is read: a preview of a file the role may not import shows
        // nothing of it.
        if let Source::File(_) = source {
            store.may(crate::store::Duty::Import)?;
        }
        self.previewed = None;
        self.passes += 1;
        self.cancel.store(false, Ordering::Relaxed);
        let options = ImportOptions {
            dry_run: true,
            ..options.clone()
        };
        let cancel = self.cancel.clone();
        let report = store.transaction(false, || {
            run_sheets(
                store,
                source,
                &options,
                progress,
                Some(&cancel),
                &mut self.shelf,
            )
        })?;
        // The clerk's column choices are remembered for this header at once, so picking the
        // corrected file again (or cancelling) keeps them.
        if !options.columns.is_empty() {
            remember_mapping(store, &report)?;
        }
        let mut report = report;
        let shown = report.on_screen(ON_SCREEN);
        self.previewed = Some((options, report));
        Ok(shown)
    }

    /// Imports what was previewed: written only if it comes out as the preview said.
    pub fn run(
        &mut self,
        store: &Store,
        source: &Source,
        options: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        if let Source::File(_) = source {
            store.may(crate::store::Duty::Import)?;
        }
        let options = ImportOptions {
            dry_run: false,
            ..options.clone()
        };
        let promised = self
            .previewed
            .as_ref()
            .filter(|(o, _)| {
                ImportOptions {
                    dry_run: false,
                    ..o.clone()
                } == options
            })
            .map(|(_, r)| counts(r));
        self.passes += 1;
        self.cancel.store(false, Ordering::Relaxed);
        let cancel = self.cancel.clone();
        // A file's import is backed up first; rows pasted onto the reading grid are typing,
        // as frequent as it (the 30-minute backups cover them).
        if let Source::File(_) = source {
            store.back_up_before(crate::store::Reason::BeforeImport)?;
        }
        let result = store.bulk(true, || {
            let report = run_sheets(
                store,
                source,
                &options,
                progress,
                Some(&cancel),
                &mut self.shelf,
            )?;
            match promised {
                Some(promised) if promised != counts(&report) => Err(Error::refused(
                    Code::Conflict,
                    format!(
                        "预览之后台账或文件有了变化，这次导入的结果与预览不同（预览新增 {} 行，现在 {} 行），没有写入：请看新的预览后再确认",
                        promised[1], report.inserted
                    ),
                )),
                _ => Ok(report),
            }
        });
        // On a conflict the window previews again and shows the ledger as it now stands.
        let mut report = result?;
        // Written: the file's rows are let go.
        self.shelf.clear();
        report.dry_run = false;
        let shown = report.on_screen(ON_SCREEN);
        self.previewed = Some((options, report));
        Ok(shown)
    }

    /// Writes the problems of the last preview or import to a workbook in `dir` (never
    /// replacing one): kept after confirming, so they can still be saved.
    pub fn save_problems(&self, dir: &Path) -> Result<PathBuf> {
        let (_, report) = self.previewed.as_ref().ok_or_else(|| {
            Error::refused(Code::Conflict, "请先预览要导入的文件，再导出问题清单")
        })?;
        let stem = Path::new(&report.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!("{}_导入问题.xlsx", crate::files::safe_name(&stem)));
        save_problems_xlsx(report, &path, IfExists::Number, &[])
    }
}
