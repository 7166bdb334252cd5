//! Exporting 100,000 returnees through the 来(返)乡人员登记表 template, beside a bare
//! rust_xlsxwriter constant-memory write of the same rows, in the same run. Prints both times,
//! the ratio (target ≤ 1.5×) and the export's peak memory (target ≤ 64 MiB).
//!
//! Run with `cargo bench --bench export`. The export and the reference each run in a child
//! process of this binary, so each peak-memory figure is its own.

use std::path::Path;
use std::time::Instant;

#[path = "exporting.rs"]
mod exporting;
#[path = "measure.rs"]
mod measure;

use gridledger::demo::{self, DemoOptions};
use gridledger::model::Arrival;
use gridledger::store::Store;

const ROWS: usize = 100_000;

use exporting::today;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--export") => {
            return measure::child(|| {
                exporting::export(Path::new(&args[2]), Path::new(&args[3]), ROWS)
            })
        }
        Some("--bare") => {
            return measure::child(|| exporting::bare(Path::new(&args[2]), Path::new(&args[3])))
        }
        _ => {}
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    // GRIDLEDGER_BENCH_DB=PATH keeps the ledger there (and uses it again on the next run),
    // for looking into a run.
    let kept = std::env::var_os("GRIDLEDGER_BENCH_DB").map(std::path::PathBuf::from);
    let db = kept.clone().unwrap_or_else(|| dir.path().join("bench.db"));
    let started = Instant::now();
    if !(kept.is_some() && db.exists()) {
        generate(&db);
    }
    println!(
        "generated a ledger with {ROWS} returnees in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (ours, reference) = measure::best_of(
        2,
        |_| measure::run_child("--export", &db, &dir.path().join("export.xlsx")),
        |_| measure::run_child("--bare", &db, &dir.path().join("bare.xlsx")),
    );
    let ratio = ours.0 / reference.0;
    println!(
        "\n{:<44} {:>9} {:>12} {:>10}",
        "", "seconds", "rows/s", "peak MiB"
    );
    println!(
        "{:<44} {:>9.2} {:>12.0} {:>10.1}",
        "gridledger report returnees (query + write)",
        ours.0,
        ROWS as f64 / ours.0,
        ours.1
    );
    println!(
        "{:<44} {:>9.2} {:>12.0} {:>10.1}",
        "bare rust_xlsxwriter write of the same rows",
        reference.0,
        ROWS as f64 / reference.0,
        reference.1
    );
    println!(
        "\nratio {ratio:.2}× (target ≤ 1.5×: {}); peak memory {:.1} MiB (target ≤ 64 MiB: {})",
        if ratio <= 1.5 { "met" } else { "MISSED" },
        ours.1,
        if ours.1 <= 64.0 { "met" } else { "MISSED" }
    );
}

/// The sample village scaled to 100,000 persons, each with an arrival.
fn generate(db: &Path) {
    let mut store = Store::create(db).unwrap();
    store.set_today(today());
    demo::fill(
        &mut store,
        DemoOptions {
            households: 29_000,
            seed: 11,
        },
    )
    .unwrap();
    let batch = store.begin_batch("示例", None, Some("benchmark")).unwrap();
    store
        .in_transaction(|| {
            for id in 1..=ROWS as i64 {
                let arrival = Arrival {
                    person_id: id,
                    kind: "返乡".into(),
                    status: "已返".into(),
                    arrival_date: format!("2026-11-{:02}", 1 + id % 21),
                    origin_code: Some("440305".into()),
                    risk_level: Some(if id % 7 == 0 { "中" } else { "低" }.into()),
                    transport: Some("高铁/火车".into()),
                    transport_no: Some(format!("G{}", 1000 + id % 900)),
                    ..Default::default()
                };
                store.add_arrival(&arrival, batch)?;
            }
            Ok(())
        })
        .unwrap();
}
