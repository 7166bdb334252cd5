//! The Tauri commands: each locks the ledger, calls one core function and maps its error to
//! `{code, message, problems}` for the UI. Nothing else belongs here.

use gridledger::demo::{self, DemoOptions, DemoReport};
use gridledger::model::values::{value_lists as core_value_lists, ValueLists};
use gridledger::model::*;
use std::path::Path;

use gridledger::entry::{self, Reading, ReadingSaved, RecordInput, Saved};
use gridledger::import::{self, ImportOptions, ImportReport, ReviewDecision};
use gridledger::report::{self, ExportSummary, FormsCheck, ReportParams, ReportPreview, Template};
use gridledger::store::{
    report_fields, report_sources, Change, FieldInfo, LedgerSummary, PersonCheck, PersonHit,
    ReviewItem, SavedPerson, SourceInfo, StationDay, Store, TodayList, Watched,
};
use gridledger::{Error, ErrorReport};
use serde::Serialize;
use tauri::State;

use crate::{Backups, Doors, Exports, Imports, Ledger, Pastes};

type Reply<T> = Result<T, ErrorReport>;

/// Locks the ledger and runs one core call. After a panic in an earlier command the lock is
/// poisoned: the store is recovered (anything half-done rolled back, which the transaction
/// guard has already done) so no later save can nest inside a transaction that never ends.
pub(crate) fn with<T>(
    ledger: &State<'_, Ledger>,
    call: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Reply<T> {
    let store = ledger.opened()?;
    let mut store = store.lock().unwrap_or_else(|poisoned| {
        let store = poisoned.into_inner();
        store.recover();
        store
    });
    if !store.is_idle() {
        store.recover();
    }
    call(&mut store).map_err(|e| ErrorReport::from(&e))
}

/// Runs one long core call (an import read, a big export) and gives the memory it freed back
/// to the system: SQLite's page cache, and the blocks glibc keeps in each thread's arena; a
/// 100,000-row sheet would otherwise keep the app as large as its peak on a 4 GB laptop.
fn with_long<T>(
    ledger: &State<'_, Ledger>,
    call: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Reply<T> {
    let reply = with(ledger, |s| {
        let reply = call(s);
        s.shrink_memory();
        reply
    });
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
    reply
}

#[derive(Serialize)]
pub struct LedgerInfo {
    /// This release's version and the open ledger's schema version (总览's 关于 line).
    version: &'static str,
    schema_version: i64,
    path: String,
    /// The village (or 填报单位) the ledger is for, for the title bar.
    title: String,
    today: chrono::NaiveDate,
    summary: LedgerSummary,
    empty: bool,
}

#[tauri::command]
pub async fn ledger_info(ledger: State<'_, Ledger>) -> Reply<LedgerInfo> {
    with(&ledger, |s| {
        let summary = s.summary()?;
        Ok(LedgerInfo {
            version: gridledger::VERSION,
            schema_version: s.schema_version()?,
            path: s.path().display().to_string(),
            title: s.ledger_title()?,
            today: s.today(),
            empty: summary.persons == 0 && summary.places == 0,
            summary,
        })
    })
}

/// Whether the audit trail holds (asked once the window is open: on a county's ledger the
/// check reads the whole trail). None when it does; otherwise what is wrong, in Chinese.
#[tauri::command]
pub async fn audit_warning(ledger: State<'_, Ledger>) -> Reply<Option<String>> {
    with(&ledger, |s| {
        Ok(s.audit_verify()?.broken.map(|b| b.to_string()))
    })
}

/// The ledger's day and time (`GRIDLEDGER_NOW` in tests and training): the window never reads
/// the machine's clock itself.
#[derive(Serialize)]
pub struct LedgerClock {
    today: chrono::NaiveDate,
    /// `YYYY-MM-DD HH:MM`, as the forms write a time.
    now: String,
}

#[tauri::command]
pub async fn clock(ledger: State<'_, Ledger>) -> Reply<LedgerClock> {
    with(&ledger, |s| {
        Ok(LedgerClock {
            today: s.today(),
            now: s.now().format("%Y-%m-%d %H:%M").to_string(),
        })
    })
}

#[tauri::command]
pub fn value_lists() -> ValueLists {
    core_value_lists()
}

#[tauri::command]
pub async fn places(ledger: State<'_, Ledger>) -> Reply<Vec<Place>> {
    with(&ledger, |s| s.places())
}

/// Places found by typing (the 范围 of a report on a county's thousands of grids).
#[tauri::command]
pub async fn find_places(
    ledger: State<'_, Ledger>,
    text: String,
    levels: Vec<String>,
    limit: usize,
) -> Reply<Vec<Place>> {
    with(&ledger, |s| s.find_places(&text, &levels, limit))
}

/// The places a logged-in 网格员 may put a household or a place in (null: every place).
#[tauri::command]
pub async fn own_places(ledger: State<'_, Ledger>) -> Reply<Option<Vec<i64>>> {
    with(&ledger, |s| s.own_places())
}

/// One place by id, with its path (a 范围 set from elsewhere, a 网格员's grid, named).
#[tauri::command]
pub async fn place(ledger: State<'_, Ledger>, id: i64) -> Reply<Place> {
    with(&ledger, |s| s.place(id))
}

#[tauri::command]
pub async fn add_place(ledger: State<'_, Ledger>, input: PlaceInput) -> Reply<Place> {
    with(&ledger, |s| s.add_place(&input))
}

#[tauri::command]
pub async fn households(
    ledger: State<'_, Ledger>,
    place_id: Option<i64>,
) -> Reply<Vec<HouseholdSummary>> {
    with(&ledger, |s| s.households(place_id, false))
}

#[tauri::command]
pub async fn household(ledger: State<'_, Ledger>, id: i64) -> Reply<HouseholdDetail> {
    with(&ledger, |s| s.household(id))
}

#[tauri::command]
pub async fn save_household(
    ledger: State<'_, Ledger>,
    input: HouseholdInput,
) -> Reply<HouseholdSummary> {
    with(&ledger, |s| s.save_household(&input))
}

#[tauri::command]
pub async fn archive_household(ledger: State<'_, Ledger>, id: i64) -> Reply<()> {
    with(&ledger, |s| s.archive_household(id))
}

#[tauri::command]
pub async fn restore_household(ledger: State<'_, Ledger>, id: i64) -> Reply<()> {
    with(&ledger, |s| s.restore_household(id))
}

#[tauri::command]
pub async fn check_person(ledger: State<'_, Ledger>, input: PersonInput) -> Reply<PersonCheck> {
    with(&ledger, |s| s.check_person(&input))
}

#[tauri::command]
pub async fn save_person(ledger: State<'_, Ledger>, input: PersonInput) -> Reply<SavedPerson> {
    with(&ledger, |s| s.save_person(&input))
}

/// Persons in no household: the newest 500 to place by hand, and how many there are.
#[derive(Serialize)]
pub struct Unplaced {
    persons: Vec<Person>,
    total: i64,
}

#[tauri::command]
pub async fn persons_without_household(ledger: State<'_, Ledger>) -> Reply<Unplaced> {
    with(&ledger, |s| {
        Ok(Unplaced {
            persons: s.persons_without_household(500)?,
            total: s.count_persons_without_household()?,
        })
    })
}

#[tauri::command]
pub async fn person_profile(ledger: State<'_, Ledger>, id: i64) -> Reply<PersonProfile> {
    with(&ledger, |s| s.person_profile(id))
}

#[tauri::command]
pub async fn archive_person(ledger: State<'_, Ledger>, id: i64) -> Reply<()> {
    with(&ledger, |s| s.archive_person(id))
}

#[tauri::command]
pub async fn restore_person(ledger: State<'_, Ledger>, id: i64) -> Reply<()> {
    with(&ledger, |s| s.restore_person(id))
}

#[tauri::command]
pub async fn find_persons(
    ledger: State<'_, Ledger>,
    query: String,
    limit: Option<usize>,
    with_archived: Option<bool>,
) -> Reply<Vec<PersonHit>> {
    with(&ledger, |s| {
        s.search_persons(&query, limit.unwrap_or(50), with_archived.unwrap_or(false))
    })
}

#[tauri::command]
pub async fn load_demo(ledger: State<'_, Ledger>) -> Reply<DemoReport> {
    with(&ledger, |s| demo::fill(s, DemoOptions::default()))
}

#[derive(Serialize)]
pub struct TemplateEntry {
    template: Template,
    builtin: bool,
    /// A saved template with a built-in's id: removing it restores the built-in.
    replaces_builtin: bool,
}

#[tauri::command]
pub async fn report_templates(ledger: State<'_, Ledger>) -> Reply<Vec<TemplateEntry>> {
    with(&ledger, |s| {
        Ok(report::templates(s)?
            .into_iter()
            .map(|(template, builtin)| TemplateEntry {
                replaces_builtin: !builtin && report::builtin_template(&template.id).is_some(),
                template,
                builtin,
            })
            .collect())
    })
}

#[derive(Serialize)]
pub struct SourceFields {
    source: SourceInfo,
    fields: Vec<FieldInfo>,
}

#[tauri::command]
pub fn report_catalog() -> Vec<SourceFields> {
    report_sources()
        .into_iter()
        .map(|source| SourceFields {
            fields: report_fields(source.key).unwrap_or_default(),
            source,
        })
        .collect()
}

#[tauri::command]
pub async fn report_preview(
    ledger: State<'_, Ledger>,
    template: Template,
    params: ReportParams,
    limit: Option<usize>,
) -> Reply<ReportPreview> {
    // The screen shows the first rows; printing asks for all of them. A county's list is
    // sorted in memory (temp_store): that memory goes back afterwards.
    with_long(&ledger, |s| {
        report::preview(s, &template, &params, limit.unwrap_or(report::PREVIEW_ROWS))
    })
}

#[tauri::command]
pub async fn export_report(
    app: tauri::AppHandle,
    ledger: State<'_, Ledger>,
    exports: State<'_, Exports>,
    doors: State<'_, Doors>,
    template: Template,
    params: ReportParams,
) -> Reply<ExportSummary> {
    use tauri::Emitter;
    exports.0.store(false, std::sync::atomic::Ordering::Relaxed);
    with_long(&ledger, |s| {
        let mut watch = report::Watch {
            progress: &mut |done| drop(app.emit("export-progress", done)),
            cancel: Some(&exports.0),
        };
        let summary = report::export_to_dir(
            s,
            &template,
            &params,
            &report::default_export_dir()?,
            &mut watch,
        )?;
        doors.wrote(&summary.path);
        Ok(summary)
    })
}

/// The 备份 page: the ledger's backups (newest first), where they are kept, and why the
/// last automatic backup failed, if it did.
#[derive(Serialize)]
pub struct BackupList {
    dir: String,
    backups: Vec<gridledger::store::Backup>,
    last_error: Option<String>,
}

#[tauri::command]
pub async fn backups(ledger: State<'_, Ledger>, status: State<'_, Backups>) -> Reply<BackupList> {
    let last_error = status.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    with(&ledger, |s| {
        Ok(BackupList {
            dir: s.backup_dir().display().to_string(),
            backups: s.backups()?,
            last_error,
        })
    })
}

#[tauri::command]
pub async fn back_up_now(ledger: State<'_, Ledger>) -> Reply<gridledger::store::Backup> {
    with(&ledger, |s| s.back_up(gridledger::store::Reason::Asked))
}

/// Puts the ledger back as one of its own backups has it (a path the backup list gave, never
/// any file the page names), after backing up the present; returns that backup.
#[tauri::command]
pub async fn restore_backup(
    ledger: State<'_, Ledger>,
    path: String,
) -> Reply<gridledger::store::Backup> {
    with(&ledger, |s| {
        let listed = s.backups()?.into_iter().any(|b| b.path == Path::new(&path));
        if !listed {
            return Err(Error::refused(
                gridledger::error::Code::ArgumentInvalid,
                "只能用本账本备份文件夹中的备份恢复",
            ));
        }
        s.restore_backup(Path::new(&path))
    })
}

/// Removes (or with `dry_run` counts) the health records dated before `before`, once an
/// emergency is over; the core backs up first and records the purge by its counts.
#[tauri::command]
pub async fn purge_health_records(
    ledger: State<'_, Ledger>,
    before: chrono::NaiveDate,
    dry_run: bool,
) -> Reply<gridledger::store::PurgeCounts> {
    with(&ledger, |s| s.purge_health_records(before, dry_run))
}

/// Stops the export under way: it ends with `cancelled` and writes no file.
#[tauri::command]
pub fn export_cancel(exports: State<'_, Exports>) {
    exports.0.store(true, std::sync::atomic::Ordering::Relaxed);
}

#[tauri::command]
pub async fn save_template(ledger: State<'_, Ledger>, template: Template) -> Reply<()> {
    with(&ledger, |s| report::save_template(s, &template))
}

#[tauri::command]
pub async fn remove_template(ledger: State<'_, Ledger>, id: String) -> Reply<()> {
    with(&ledger, |s| report::remove_template(s, &id))
}

#[tauri::command]
pub async fn settings(ledger: State<'_, Ledger>, keys: Vec<String>) -> Reply<Vec<Option<String>>> {
    with(&ledger, |s| keys.iter().map(|k| s.setting(k)).collect())
}

#[tauri::command]
pub async fn set_setting(ledger: State<'_, Ledger>, key: String, value: String) -> Reply<()> {
    with(&ledger, |s| s.set_setting(&key, &value))
}

/// Asks for the sheet to import. `GRIDLEDGER_PICK_FILE` answers instead of the native dialog,
/// which WebDriver cannot drive (end-to-end tests).
#[tauri::command]
pub async fn pick_import_file(
    app: tauri::AppHandle,
    doors: State<'_, Doors>,
) -> Reply<Option<String>> {
    let picked = match std::env::var_os("GRIDLEDGER_PICK_FILE").filter(|p| !p.is_empty()) {
        Some(path) => Some(std::path::PathBuf::from(path)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            app.dialog()
                .file()
                .set_title("选择要导入的表格")
                .add_filter("表格", crate::SHEET_EXTENSIONS)
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok())
        }
    };
    // The file the user chose is the one an import may read.
    if let Some(path) = &picked {
        doors.picked(path);
    }
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// What an import is doing, for the wizard's bar: `reading` (a preview: the sheet read,
/// checked and planned) or `writing` (confirmed), and how many of the rows are done.
#[derive(Clone, Serialize)]
struct ImportProgress {
    stage: &'static str,
    done: usize,
    total: usize,
}

fn emit_progress<'a>(
    app: &'a tauri::AppHandle,
    stage: &'static str,
) -> impl FnMut(usize, usize) + 'a {
    use tauri::Emitter;
    move |done, total| drop(app.emit("import-progress", ImportProgress { stage, done, total }))
}

/// Reads and plans a sheet without writing; the plan is kept for `import_run`. Reports its
/// progress as `import-progress` events (stage `reading`).
#[tauri::command]
pub async fn import_preview(
    app: tauri::AppHandle,
    ledger: State<'_, Ledger>,
    imports: State<'_, Imports>,
    doors: State<'_, Doors>,
    path: String,
    options: ImportOptions,
) -> Reply<ImportReport> {
    doors.require_picked(&path)?;
    let mut session = imports.0.lock().unwrap_or_else(|p| p.into_inner());
    with_long(&ledger, |s| {
        session.preview(
            s,
            &import::Source::File(Path::new(&path)),
            &options,
            &mut emit_progress(&app, "reading"),
        )
    })
}

/// Applies the previewed plan, reporting progress as `import-progress` events (stage
/// `writing`).
#[tauri::command]
pub async fn import_run(
    app: tauri::AppHandle,
    ledger: State<'_, Ledger>,
    imports: State<'_, Imports>,
    doors: State<'_, Doors>,
    path: String,
    options: ImportOptions,
) -> Reply<ImportReport> {
    doors.require_picked(&path)?;
    let mut session = imports.0.lock().unwrap_or_else(|p| p.into_inner());
    with_long(&ledger, |s| {
        session.run(
            s,
            &import::Source::File(Path::new(&path)),
            &options,
            &mut emit_progress(&app, "writing"),
        )
    })
}

/// Stops the preview or import under way: it ends with `cancelled` and writes nothing.
#[tauri::command]
pub fn import_cancel(imports: State<'_, Imports>) {
    imports.1.store(true, std::sync::atomic::Ordering::Relaxed);
}

#[tauri::command]
pub async fn import_reviews(ledger: State<'_, Ledger>) -> Reply<Vec<ReviewItem>> {
    with(&ledger, |s| s.open_reviews())
}

#[tauri::command]
pub async fn resolve_review(
    ledger: State<'_, Ledger>,
    id: i64,
    decision: String,
) -> Reply<Option<i64>> {
    with(&ledger, |s| {
        import::resolve_review(s, id, decision.parse::<ReviewDecision>()?)
    })
}

/// Writes the problems of the previewed import as an xlsx into the export folder.
#[tauri::command]
pub async fn import_problems(
    imports: State<'_, Imports>,
    doors: State<'_, Doors>,
) -> Reply<String> {
    let session = imports.0.lock().unwrap_or_else(|p| p.into_inner());
    (|| {
        let path = session.save_problems(&report::default_export_dir()?)?;
        doors.wrote(&path);
        Ok(path.to_string_lossy().into_owned())
    })()
    .map_err(|e: Error| ErrorReport::from(&e))
}

/// The fields of every record form, with their value lists, labels and hints.
#[derive(Serialize)]
pub struct RecordForm {
    kind: Entity,
    label: &'static str,
    fields: Vec<gridledger::model::fields::Field>,
}

#[tauri::command]
pub fn record_forms() -> Vec<RecordForm> {
    Entity::ALL
        .iter()
        .filter(|k| !matches!(k, Entity::Person | Entity::Household))
        .map(|kind| RecordForm {
            kind: *kind,
            label: kind.label(),
            fields: entry::form_fields(*kind).into_iter().copied().collect(),
        })
        .collect()
}

#[tauri::command]
pub async fn save_record(ledger: State<'_, Ledger>, input: RecordInput) -> Reply<Saved> {
    with(&ledger, |s| entry::save(s, &input))
}

#[tauri::command]
pub async fn archive_record(ledger: State<'_, Ledger>, kind: Entity, id: i64) -> Reply<()> {
    with(&ledger, |s| entry::archive(s, kind, id))
}

#[tauri::command]
pub async fn restore_record(ledger: State<'_, Ledger>, kind: Entity, id: i64) -> Reply<()> {
    with(&ledger, |s| entry::restore(s, kind, id))
}

#[tauri::command]
pub async fn record_reading(ledger: State<'_, Ledger>, reading: Reading) -> Reply<ReadingSaved> {
    with(&ledger, |s| entry::record_reading(s, &reading))
}

#[tauri::command]
pub async fn watch_list(ledger: State<'_, Ledger>, place_id: Option<i64>) -> Reply<Vec<Watched>> {
    with(&ledger, |s| s.watch_list(s.today(), place_id))
}

#[tauri::command]
pub async fn today_list(ledger: State<'_, Ledger>, place_id: Option<i64>) -> Reply<TodayList> {
    with(&ledger, |s| gridledger::report::today(s, place_id))
}

#[tauri::command]
pub async fn release_isolation(
    ledger: State<'_, Ledger>,
    id: i64,
    day: Option<String>,
) -> Reply<()> {
    with(&ledger, |s| entry::release(s, id, day.as_deref()))
}

#[tauri::command]
pub async fn handle_hand_off(
    ledger: State<'_, Ledger>,
    id: i64,
    note: Option<String>,
) -> Reply<()> {
    with(&ledger, |s| entry::handle_hand_off(s, id, note.as_deref()))
}

#[tauri::command]
pub async fn move_person(
    ledger: State<'_, Ledger>,
    person_id: i64,
    household_id: Option<i64>,
    relation: Option<String>,
) -> Reply<()> {
    with(&ledger, |s| {
        entry::move_person(s, person_id, household_id, relation.as_deref())
    })
}

#[tauri::command]
pub async fn checkpoints(ledger: State<'_, Ledger>) -> Reply<Vec<Checkpoint>> {
    with(&ledger, |s| s.checkpoints())
}

#[tauri::command]
pub async fn station_day(
    ledger: State<'_, Ledger>,
    checkpoint_id: i64,
    shift: Option<String>,
) -> Reply<StationDay> {
    with(&ledger, |s| {
        s.station_day(checkpoint_id, s.today(), shift.as_deref())
    })
}

#[tauri::command]
pub async fn record_changes(
    ledger: State<'_, Ledger>,
    kind: Entity,
    id: i64,
) -> Reply<Vec<Change>> {
    with(&ledger, |s| s.changes_of(kind, id))
}

/// The audit trail of one person (their record, tags, arrivals, checks…), oldest first.
#[tauri::command]
pub async fn person_audit(
    ledger: State<'_, Ledger>,
    id: i64,
) -> Reply<Vec<gridledger::store::audit::AuditRow>> {
    with(&ledger, |s| {
        s.audit_list(&gridledger::store::audit::AuditFilter {
            person: Some(id),
            from_seq: None,
            limit: 500,
        })
    })
}

/// Rows pasted onto a grid, as a sheet of their own.
fn pasted(rows: &[Vec<String>]) -> import::Source<'_> {
    import::Source::Pasted {
        name: "粘贴的表格",
        rows,
    }
}

/// Rows pasted from Excel or WPS, planned like an import (the same validation) and kept
/// for `paste_run`.
#[tauri::command]
pub async fn paste_preview(
    ledger: State<'_, Ledger>,
    pastes: State<'_, Pastes>,
    rows: Vec<Vec<String>>,
    options: ImportOptions,
) -> Reply<ImportReport> {
    let mut session = pastes.0.lock().unwrap_or_else(|p| p.into_inner());
    with(&ledger, |s| {
        session.preview(s, &pasted(&rows), &options, &mut |_, _| {})
    })
}

#[tauri::command]
pub async fn paste_run(
    ledger: State<'_, Ledger>,
    pastes: State<'_, Pastes>,
    rows: Vec<Vec<String>>,
    options: ImportOptions,
) -> Reply<ImportReport> {
    let mut session = pastes.0.lock().unwrap_or_else(|p| p.into_inner());
    with(&ledger, |s| {
        session.run(s, &pasted(&rows), &options, &mut |_, _| {})
    })
}

/// The form on screen (as edited) checked against the ledger counted again.
#[tauri::command]
pub async fn check_form(
    ledger: State<'_, Ledger>,
    template: Template,
    params: ReportParams,
) -> Reply<FormsCheck> {
    with(&ledger, |s| report::check_form(s, &template, &params))
}

/// Shows a file in its folder (the file manager), after an export. `GRIDLEDGER_NO_OPEN`
/// (end-to-end tests) skips opening a window.
#[tauri::command]
pub async fn show_in_folder(
    app: tauri::AppHandle,
    doors: State<'_, Doors>,
    path: String,
) -> Reply<()> {
    doors.require_written(&path)?;
    if std::env::var_os("GRIDLEDGER_NO_OPEN").is_some() {
        return Ok(());
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        ErrorReport::from(&Error::refused(
            gridledger::error::Code::FileUnreadable,
            format!("无法打开文件夹：{e}"),
        ))
    })
}
