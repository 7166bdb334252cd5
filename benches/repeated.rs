//! A 100,000-row returnee sheet whose rows all give one ID number, beside the same sheet with
//! an ID of its own on every row: the dry run of the first must cost no more than twice the
//! second (repeated IDs, names or doors cost no more than distinct ones). Run with
//! `cargo bench --bench repeated`.

use std::time::Instant;

use gridledger::import::{self, ImportOptions, Source};
use gridledger::store::Store;

// Only its ID numbers are used here; its township ledger serves the other benchmarks.
#[allow(dead_code)]
#[path = "big.rs"]
mod big;

const ROWS: usize = 100_000;
const TARGET: f64 = 2.0;

fn sheet(path: &std::path::Path, repeated: bool) {
    let mut text = String::from("姓名,身份证号码,手机号码,返乡日期\n");
    for i in 0..ROWS {
        let id = if repeated {
            "11010519491231002X".to_string()
        } else {
            big::id_number(430124, i, i % 2 == 0)
        };
        text.push_str(&format!(
            "返乡人{i},{id},139{i:08},2026-11-{:02}\n",
            1 + i % 28
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Seconds of a dry run of `path` into a fresh ledger (the best of two).
fn dry_run(dir: &std::path::Path, path: &std::path::Path) -> f64 {
    (0..2)
        .map(|r| {
            let db = dir.join(format!(
                "{}-{r}.db",
                path.file_stem().unwrap().to_string_lossy()
            ));
            let store = Store::create(&db).unwrap();
            let options = ImportOptions {
                dry_run: true,
                ..Default::default()
            };
            let started = Instant::now();
            import::import(&store, &Source::File(path), &options, None, &mut |_, _| {}).unwrap();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (ordinary, repeated) = (
        dir.path().join("ordinary.csv"),
        dir.path().join("repeated.csv"),
    );
    sheet(&ordinary, false);
    sheet(&repeated, true);
    let (a, b) = (
        dry_run(dir.path(), &ordinary),
        dry_run(dir.path(), &repeated),
    );
    let ratio = b / a;
    println!("dry run of {ROWS} rows, an ID each:     {a:>6.2} s");
    println!("dry run of {ROWS} rows, one ID for all: {b:>6.2} s");
    println!(
        "ratio {ratio:.2}× (target ≤ {TARGET}×: {})",
        if ratio <= TARGET { "ok" } else { "SLOW" }
    );
}
