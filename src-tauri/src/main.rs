//! The desktop app's entry point (a binary so Windows builds get no console window).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    gridledger_app::run();
}
