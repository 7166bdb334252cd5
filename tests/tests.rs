//! Integration tests, one module per area. Each test opens its own ledger in a temporary
//! directory or in memory; none needs the network or a display.

// The CLI binary: exit codes, --json documents, --db and GRIDLEDGER_DB.
mod cli;
// The schema: the sqlite_master snapshot, version refusal, value lists against CHECKs.
mod schema;
// Excel in: fixtures per quirk, hostile files, dedup and review, dry run.
mod import;
// Issue 7: nothing lost, nothing invented — one regression test per finding.
mod issue7;
// Issue 12: one regression test per finding (places, a county's sheet, the wizard …).
mod issue12;
// Issue 12: every record rule through every door (typed, command line, import, paste).
mod doors;
// Issue 12: sheets laid out like real public forms, each against a clerk's truth.
mod real_shapes;
// Random sheets for every target: no panic, a sound ledger, every row accounted for.
mod import_fuzz;
// The hostile-file corpus, each refused with its code, quickly, in bounded memory.
mod hostile;
// Reports: built-in templates exported and read back, zero report, masking, template files.
mod reports;
// Searching 张三 by name, "zs", ID digits and phone.
mod search;
// The register through the store: households, persons, conflicts, archiving, the person page.
mod store;
// Issue 9: the day's work typed once — every record kind, the round, checkpoints, today, CLI.
mod day_of_work;
// Issue 8: forms that agree — random ledgers counted independently, one test per disagreement.
mod forms;
// Issue 13: forms at every level and for any range — one test per finding.
mod issue13;
// Issue 14: what the window needs from the core — cases, archived persons, batches, today.
mod issue14;
// Issue 15: hostile files and commands, part two — one regression test per case.
mod issue15;
// Shared helpers.
mod util;
// Issue 16: trust — backups so far.
mod issue16;

mod audit;
// Issue 16: a found laptop reveals nothing — encryption, keys, operators, conversion.
mod protect;
// Issue 17: the previous release's ledger opens in this one with every row.
mod upgrade;
// Issue 17: the CLI on Debian and on Windows (under wine): Chinese paths, two writers, locks.
mod platform;
