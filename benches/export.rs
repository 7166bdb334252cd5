//! Exporting 100,000 returnees through the 来(返)乡人员登记表 template, beside a bare
//! rust_xlsxwriter constant-memory write of the same rows, in the same run. Prints both times,
//! the ratio (target ≤ 1.5×) and the export's peak memory (target ≤ 64 MiB).
//!
//! Run with `cargo bench --bench export`. The export and the reference each run in a child
//! process of this binary, so each peak-memory figure is its own.

use std::path::Path;
use std::time::Instant;

#[path = "measure.rs"]
mod measure;

use chrono::NaiveDate;
use gridledger::demo::{self, DemoOptions};
use gridledger::model::Arrival;
use gridledger::report::{self, ReportParams};
use gridledger::store::Store;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};

const ROWS: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--export") => {
            return measure::child(|| export(Path::new(&args[2]), Path::new(&args[3])))
        }
        Some("--bare") => return measure::child(|| bare(Path::new(&args[2]), Path::new(&args[3]))),
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

/// The same run for both: every arrival of the year up to the report day.
fn params() -> ReportParams {
    ReportParams {
        from: NaiveDate::from_ymd_opt(2026, 1, 1),
        to: Some(today()),
        village: None,
        mask: false,
    }
}

fn export(db: &Path, out: &Path) -> f64 {
    let mut store = Store::create(db).unwrap();
    store.set_today(today());
    let template = report::template(&store, "returnees").unwrap();
    let params = params();
    let started = Instant::now();
    let summary = report::export_xlsx(
        &store,
        &template,
        &params,
        out,
        gridledger::files::IfExists::Replace,
    )
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(summary.rows >= ROWS, "exported {} rows", summary.rows);
    seconds
}

/// The reference: the same 15 columns of the same rows, read into memory first (not timed),
/// then written with rust_xlsxwriter in constant-memory mode with one bordered format.
fn bare(db: &Path, out: &Path) -> f64 {
    let rows = reference_rows(db);
    let started = Instant::now();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let date = cell.clone().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 4;
        sheet
            .write_number_with_format(r, 0, (r - 3) as f64, &cell)
            .unwrap();
        for (c, text) in row.texts.iter().enumerate() {
            let col = c as u16 + 1;
            if col == 7 {
                sheet
                    .write_datetime_with_format(r, col, &row.date, &date)
                    .unwrap();
            } else {
                sheet.write_string_with_format(r, col, text, &cell).unwrap();
            }
        }
    }
    workbook.save(out).unwrap();
    started.elapsed().as_secs_f64()
}

struct Row {
    texts: Vec<String>,
    date: ExcelDateTime,
}

fn reference_rows(db: &Path) -> Vec<Row> {
    // Read with the store's own export path into memory, so both write identical values.
    let store = Store::create(db).unwrap();
    let template = report::template(&store, "returnees").unwrap();
    let params = params();
    let preview = report::preview(&store, &template, &params, usize::MAX).unwrap();
    preview
        .rows
        .into_iter()
        .map(|cells| {
            let date = NaiveDate::parse_from_str(&cells[7], "%Y-%m-%d").unwrap();
            let texts = cells.into_iter().skip(1).collect();
            Row {
                texts,
                date: ExcelDateTime::parse_from_str(&date.to_string()).unwrap(),
            }
        })
        .collect()
}
