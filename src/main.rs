//! The `gridledger` command: batch work on the ledger without the desktop app. Exit code 0 on
//! success, 2 on error with one line saying what to fix.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
