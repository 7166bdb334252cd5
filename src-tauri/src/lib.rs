//! 网格一本账 desktop shell: opens the ledger once, holds it behind a mutex and exposes the
//! core's functions to the web UI as Tauri commands. No ledger logic lives here.

mod commands;
mod login;

use std::sync::{Arc, Mutex};

use gridledger::import::ImportSession;
use gridledger::store::{default_db_path, Store};
use gridledger::ErrorReport;

/// The ledger, shared by every command: opening (behind the window: a township's ledger
/// takes seconds to check), open, locked (a protected ledger before its operator logs in, or
/// after the idle lock), or why it could not be opened (a file from a newer version, a
/// damaged file, a read-only folder): the window still opens and shows that message instead
/// of vanishing. A command waits while it is opening.
pub struct Ledger(pub Arc<Slot>);

pub enum Opened {
    Opening,
    Open(Arc<Mutex<Store>>),
    Locked(std::path::PathBuf),
    Failed(ErrorReport),
}

pub struct Slot {
    state: Mutex<Opened>,
    changed: std::sync::Condvar,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            state: Mutex::new(Opened::Opening),
            changed: std::sync::Condvar::new(),
        }
    }

    pub fn set(&self, opened: Opened) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = opened;
        self.changed.notify_all();
    }

    /// Runs `look` on the state once it is not opening.
    pub fn when_settled<T>(&self, look: impl FnOnce(&Opened) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while matches!(*state, Opened::Opening) {
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        look(&state)
    }

    /// The open ledger, without waiting (the backup timer's look).
    pub fn open_now(&self) -> Option<Arc<Mutex<Store>>> {
        match &*self.state.lock().unwrap_or_else(|p| p.into_inner()) {
            Opened::Open(store) => Some(store.clone()),
            _ => None,
        }
    }
}

impl Ledger {
    /// The ledger, once it is open (waiting for it until then); why not, when it cannot be.
    pub fn opened(&self) -> Result<Arc<Mutex<Store>>, ErrorReport> {
        self.0.when_settled(|state| match state {
            Opened::Open(store) => Ok(store.clone()),
            Opened::Failed(e) => Err(e.clone()),
            Opened::Locked(path) => Err(ErrorReport::from(&gridledger::Error::refused(
                gridledger::error::Code::LedgerProtected,
                format!("账本 {} 已锁定，请先登录。", path.display()),
            ))),
            Opened::Opening => unreachable!("settled"),
        })
    }
}

/// Wrong passphrases in a row, and until when the next try must wait (five wrong tries, then
/// a growing delay: `keys::wait_after`).
#[derive(Default)]
pub struct Tries(pub Mutex<(u32, Option<std::time::Instant>)>);

/// The import the wizard previewed, applied as previewed, and the switch that stops the one
/// under way (held apart from the lock the running import holds).
pub struct Imports(
    pub Mutex<ImportSession>,
    pub std::sync::Arc<std::sync::atomic::AtomicBool>,
);

impl Default for Imports {
    fn default() -> Imports {
        let session = ImportSession::default();
        let cancel = session.cancel.clone();
        Imports(Mutex::new(session), cancel)
    }
}

/// The switch that stops the export under way (`export_cancel`), apart from the ledger's lock
/// the export holds.
#[derive(Default)]
pub struct Exports(pub std::sync::atomic::AtomicBool);

/// The window's automatic backups: every 30 minutes when the ledger changed (the core
/// decides), checked once a minute by a thread of their own. The last failure is kept for the
/// 备份 page to show (a USB stick that is not plugged in, a full disk).
#[derive(Default)]
pub struct Backups(pub Mutex<Option<String>>);

/// Checks once a minute whether a backup is due, taking one when it is. A ledger busy with an
/// import is left alone until the next minute.
fn back_up_on_a_timer(ledger: Arc<Slot>, app: tauri::AppHandle) {
    use tauri::Manager;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let Some(store) = ledger.open_now() else {
            continue;
        };
        let Ok(store) = store.try_lock() else {
            continue;
        };
        let taken = store.back_up_if_due(
            std::time::SystemTime::now(),
            gridledger::store::backups::EVERY,
        );
        drop(store);
        let status = app.state::<Backups>();
        let mut last = status.0.lock().unwrap_or_else(|p| p.into_inner());
        *last = match taken {
            Ok(taken) => taken.and_then(|b| b.copy_problem),
            Err(e) => Some(e.to_string()),
        };
    });
}

/// The shell's doors: the files the web view may name. An import reads only a file the user
/// picked in the app's own file dialog since it started, and 打开所在文件夹 reveals only a file
/// the app wrote (an export, a problem list): a page that went wrong (or was made to) can
/// neither read nor point at any other file of the laptop.
#[derive(Default)]
pub struct Doors {
    picked: Mutex<std::collections::HashSet<std::path::PathBuf>>,
    written: Mutex<std::collections::HashSet<std::path::PathBuf>>,
}

/// The kinds of file an import reads (the file dialog's filter, and what a drop may bring).
pub const SHEET_EXTENSIONS: &[&str] = &["xlsx", "xls", "ods", "csv", "et"];

/// The file to import of those dropped on the window: the first spreadsheet, if any.
pub fn dropped_sheet(paths: &[std::path::PathBuf]) -> Option<&std::path::PathBuf> {
    paths.iter().find(|p| {
        p.is_file()
            && p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SHEET_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    })
}

/// What the window is told of files dropped on it: the sheet to import (now a file the user
/// chose, as from the dialog), or why nothing is imported.
#[derive(Clone, serde::Serialize)]
pub struct Dropped {
    path: Option<String>,
    refused: Option<String>,
}

fn on_drop(window: &tauri::Window, paths: &[std::path::PathBuf]) {
    use tauri::{Emitter, Manager};
    let dropped = match dropped_sheet(paths) {
        Some(path) => {
            window.state::<Doors>().picked(path);
            Dropped {
                path: Some(path.to_string_lossy().into_owned()),
                refused: None,
            }
        }
        None => Dropped {
            path: None,
            refused: Some(format!(
                "拖入的不是表格文件：只能导入 {}",
                SHEET_EXTENSIONS.join("、")
            )),
        },
    };
    let _ = window.emit("file-dropped", dropped);
}

impl Doors {
    pub fn picked(&self, path: &std::path::Path) {
        self.picked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }

    pub fn wrote(&self, path: &std::path::Path) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }

    /// The file, if the user picked it; otherwise why it is refused.
    pub fn require_picked(&self, path: &str) -> Result<(), ErrorReport> {
        let known = self
            .picked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(std::path::Path::new(path));
        refuse_unless(known, "只能导入在“选择文件”中选过的表格，请重新选择文件")
    }

    /// The file, if the app wrote it; otherwise why it is refused.
    pub fn require_written(&self, path: &str) -> Result<(), ErrorReport> {
        let known = self
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(std::path::Path::new(path));
        refuse_unless(known, "只能打开本程序导出的文件所在的文件夹")
    }
}

fn refuse_unless(known: bool, message: &str) -> Result<(), ErrorReport> {
    if known {
        return Ok(());
    }
    Err(ErrorReport::from(&gridledger::Error::refused(
        gridledger::error::Code::ArgumentInvalid,
        message,
    )))
}

/// The paste panel's own preview, apart from the import wizard's (a paste on 体温登记 never
/// replaces the wizard's kept report).
#[derive(Default)]
pub struct Pastes(pub Mutex<ImportSession>);

pub fn run() {
    // The app's own ledger is made on first start; a path given by GRIDLEDGER_DB must exist
    // unless it is the default location.
    let slot = Arc::new(Slot::new());
    let filling = slot.clone();
    std::thread::spawn(move || {
        // Whatever happens while opening, the slot is filled: a command never waits forever.
        // A protected ledger waits, locked, for its operator to log in.
        let opened = std::panic::catch_unwind(|| match default_db_path() {
            Ok(path) if gridledger::store::is_protected_file(&path) => Opened::Locked(path),
            Ok(path) => match Store::create(&path) {
                Ok(store) => Opened::Open(Arc::new(Mutex::new(store))),
                Err(e) => Opened::Failed(ErrorReport::from(&e)),
            },
            Err(e) => Opened::Failed(ErrorReport::from(&e)),
        })
        .unwrap_or_else(|_| {
            Opened::Failed(ErrorReport {
                code: "internal".into(),
                message: "打开账本时程序出错，请关闭后重试；账本文件未被改动。".into(),
                problems: Vec::new(),
            })
        });
        if let Opened::Failed(error) = &opened {
            eprintln!("网格一本账无法打开账本：{}", error.message);
        }
        filling.set(opened);
        // What a killed export left in the export folder goes now, not at the next export.
        if let Ok(dir) = gridledger::report::default_export_dir() {
            gridledger::files::sweep_folder(&dir);
        }
    });
    let timer = slot.clone();
    let ledger = Ledger(slot);
    tauri::Builder::default()
        .setup(move |app| {
            back_up_on_a_timer(timer, app.handle().clone());
            Ok(())
        })
        // A sheet dropped on the window is a file the user chose, like one from the dialog.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                on_drop(window, paths);
            }
        })
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(ledger)
        .manage(Imports::default())
        .manage(Exports::default())
        .manage(Backups::default())
        .manage(Doors::default())
        .manage(Tries::default())
        .manage(Pastes::default())
        .invoke_handler(tauri::generate_handler![
            login::lock_status,
            login::unlock,
            login::lock,
            login::protect_ledger,
            login::operators,
            login::save_operator,
            login::remove_operator,
            login::change_passphrase,
            commands::ledger_info,
            commands::audit_warning,
            commands::clock,
            commands::value_lists,
            commands::places,
            commands::find_places,
            commands::place,
            commands::own_places,
            commands::add_place,
            commands::households,
            commands::household,
            commands::save_household,
            commands::archive_household,
            commands::restore_household,
            commands::check_person,
            commands::save_person,
            commands::person_profile,
            commands::persons_without_household,
            commands::archive_person,
            commands::restore_person,
            commands::find_persons,
            commands::load_demo,
            commands::report_templates,
            commands::report_catalog,
            commands::report_preview,
            commands::export_report,
            commands::save_template,
            commands::remove_template,
            commands::settings,
            commands::set_setting,
            commands::pick_import_file,
            commands::import_preview,
            commands::import_run,
            commands::import_cancel,
            commands::export_cancel,
            commands::backups,
            commands::back_up_now,
            commands::restore_backup,
            commands::purge_health_records,
            commands::import_reviews,
            commands::resolve_review,
            commands::import_problems,
            commands::record_forms,
            commands::save_record,
            commands::archive_record,
            commands::restore_record,
            commands::record_reading,
            commands::watch_list,
            commands::today_list,
            commands::release_isolation,
            commands::handle_hand_off,
            commands::move_person,
            commands::checkpoints,
            commands::station_day,
            commands::record_changes,
            commands::person_audit,
            commands::paste_preview,
            commands::paste_run,
            commands::check_form,
            commands::show_in_folder,
        ])
        .run(tauri::generate_context!())
        .expect("the window system failed to start");
}

#[cfg(test)]
mod tests {
    use super::dropped_sheet;

    #[test]
    fn of_the_files_dropped_the_first_spreadsheet_is_imported() {
        let dir = std::env::temp_dir().join(format!("gridledger-drop-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("文件夹.xlsx")).unwrap();
        for name in ["说明.txt", "返乡人员.XLSX", "名单.csv"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let paths = |names: &[&str]| names.iter().map(|n| dir.join(n)).collect::<Vec<_>>();
        let dropped = paths(&["说明.txt", "文件夹.xlsx", "返乡人员.XLSX", "名单.csv"]);
        assert_eq!(dropped_sheet(&dropped), Some(&dir.join("返乡人员.XLSX")));
        // A folder named like a sheet, a text file, a sheet that is not there: nothing.
        assert_eq!(
            dropped_sheet(&paths(&["说明.txt", "文件夹.xlsx", "没有.xls"])),
            None
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
