//! 网格一本账 desktop shell: opens the ledger once, holds it behind a mutex and exposes the
//! core's functions to the web UI as Tauri commands. No ledger logic lives here.

mod commands;

use std::sync::Mutex;

use gridledger::store::{default_db_path, Store};

/// The open ledger, shared by every command.
pub struct Ledger(pub Mutex<Store>);

pub fn run() {
    let opened = default_db_path().and_then(|path| Store::open(&path));
    let store = match opened {
        Ok(store) => store,
        Err(error) => {
            // Without a ledger there is nothing to show; say why where the user will see it.
            eprintln!("网格一本账无法启动：{error}");
            std::process::exit(2);
        }
    };
    tauri::Builder::default()
        .manage(Ledger(Mutex::new(store)))
        .invoke_handler(tauri::generate_handler![
            commands::ledger_info,
            commands::value_lists,
            commands::places,
            commands::add_place,
            commands::households,
            commands::household,
            commands::save_household,
            commands::archive_household,
            commands::restore_household,
            commands::check_person,
            commands::save_person,
            commands::person_profile,
            commands::archive_person,
            commands::restore_person,
            commands::find_persons,
            commands::load_demo,
        ])
        .run(tauri::generate_context!())
        .expect("the window system failed to start");
}
