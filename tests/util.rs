//! Helpers shared by the integration tests.

use chrono::NaiveDate;
use gridledger::model::{HouseholdInput, PersonInput, PlaceInput};
use gridledger::Store;

/// The fixed "today" of the tests, so ages and date checks never drift.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// An in-memory ledger with a village and one grid; returns (store, grid id).
pub fn ledger_with_village() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_today(today());
    let village = store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap();
    let grid = store
        .add_place(&PlaceInput {
            parent_id: Some(village.id),
            level: "网格".into(),
            name: "第一网格".into(),
            ..Default::default()
        })
        .unwrap();
    (store, grid.id)
}

pub fn household(store: &Store, place_id: i64, door: &str) -> i64 {
    store
        .save_household(&HouseholdInput {
            place_id: Some(place_id),
            door_name: "东街".into(),
            door_number: door.into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

pub fn person(name: &str, id_number: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        id_number: id_number.into(),
        ..Default::default()
    }
}

/// Runs the `gridledger` binary on ledger `db` with the clock at 2026-12-05 10:00 (the
/// issue 15 and 16 tests' day), never the environment's ledger.
pub fn gridledger(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gridledger"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GRIDLEDGER_DB")
        // A plaintext ledger, whatever the shell running the tests has set.
        .env_remove("GRIDLEDGER_OPERATOR")
        .env_remove("GRIDLEDGER_PASSPHRASE")
        .env("GRIDLEDGER_NOW", "2026-12-05 10:00")
        .output()
        .unwrap()
}
