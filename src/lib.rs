//! 网格一本账 (gridledger): one offline ledger of households, persons, arrivals, isolations,
//! health checks, contacts and checkpoints, from which every upward form is produced.
//!
//! The core: `store` (the only module that writes SQL), `model` (records and their
//! validation), `validate` (ID numbers, phones, plates, temperatures, dates), `demo` (the
//! sample village). The CLI (`src/main.rs`, `src/cli`) and the desktop shell (`src-tauri/`)
//! both call these functions; neither holds logic of its own.

pub mod clock;
pub mod demo;
pub mod divisions;
pub mod entry;
pub mod error;
pub mod files;
pub mod import;
pub mod initials;
pub mod kinds;
pub mod model;
pub mod report;
pub mod store;
pub mod validate;

pub use error::{Error, ErrorReport, Result};
pub use store::Store;

/// This release's version (the CLI's `--version` and the window's 总览 show it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version and the ledger schema this release writes: `0.1.0（账本数据版本 7）`.
pub fn version_text() -> String {
    format!("{VERSION}（账本数据版本 {}）", store::SCHEMA_VERSION)
}
