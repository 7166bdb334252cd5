//! The Tauri commands: each locks the ledger, calls one core function and maps its error to
//! `{code, message, problems}` for the UI. Nothing else belongs here.

use gridledger::demo::{self, DemoOptions, DemoReport};
use gridledger::model::values::{value_lists as core_value_lists, ValueLists};
use gridledger::model::*;
use gridledger::store::{LedgerSummary, PersonCheck, PersonHit, SavedPerson, Store};
use gridledger::{Error, ErrorReport};
use serde::Serialize;
use tauri::State;

use crate::Ledger;

type Reply<T> = Result<T, ErrorReport>;

/// Locks the ledger and runs one core call. A poisoned lock (a panic in an earlier command)
/// still holds a consistent store: every write is a transaction.
fn with<T>(
    ledger: &State<'_, Ledger>,
    call: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> Reply<T> {
    let store = ledger.0.as_ref().map_err(Clone::clone)?;
    let mut store = store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    call(&mut store).map_err(|e| ErrorReport::from(&e))
}

#[derive(Serialize)]
pub struct LedgerInfo {
    path: String,
    summary: LedgerSummary,
    empty: bool,
}

#[tauri::command]
pub async fn ledger_info(ledger: State<'_, Ledger>) -> Reply<LedgerInfo> {
    with(&ledger, |s| {
        let summary = s.summary()?;
        Ok(LedgerInfo {
            path: s.path().display().to_string(),
            empty: summary.persons == 0 && summary.places == 0,
            summary,
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
) -> Reply<Vec<PersonHit>> {
    with(&ledger, |s| s.find_persons(&query, limit.unwrap_or(50)))
}

#[tauri::command]
pub async fn load_demo(ledger: State<'_, Ledger>) -> Reply<DemoReport> {
    with(&ledger, |s| demo::fill(s, DemoOptions::default()))
}
