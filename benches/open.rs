//! Opening a township's ledger of 1,000,000 persons: the first open of the day (the whole
//! file checked), every later open (a cheap check), and a command of the CLI end to end,
//! each the median of several, printed beside the 100 ms target. Run with
//! `cargo bench --bench open`.

use std::process::Command;
use std::time::{Duration, Instant};

use gridledger::clock::Clock;
use gridledger::store::{Missing, Soundness, Store};

#[path = "big.rs"]
mod big;

const PERSONS: usize = 1_000_000;
const TARGET: Duration = Duration::from_millis(100);

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("township.db");
    let started = Instant::now();
    big::ledger(&path, PERSONS);
    println!(
        "a ledger of {PERSONS} persons ({:.0} MiB) made in {:.1} s",
        std::fs::metadata(&path).unwrap().len() as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let day = |d: u32| Soundness {
        clock: Clock::day(chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap()),
        ..Soundness::default()
    };
    // The first open of each day reads the whole file.
    let first: Vec<Duration> = (1..=3)
        .map(|d| {
            let t = Instant::now();
            drop(Store::open_checked(&path, Missing::Refuse, day(d)).unwrap());
            t.elapsed()
        })
        .collect();
    // Later opens the same day.
    let later: Vec<Duration> = (0..9)
        .map(|_| {
            let t = Instant::now();
            drop(Store::open_checked(&path, Missing::Refuse, day(3)).unwrap());
            t.elapsed()
        })
        .collect();
    // A command end to end (process start, open, a settings read), the clock on that day.
    let cli = env!("CARGO_BIN_EXE_gridledger");
    let command: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let out = Command::new(cli)
                .arg("--db")
                .arg(&path)
                .args(["setting", "report_unit"])
                .env("GRIDLEDGER_NOW", "2026-12-03 09:00")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            t.elapsed()
        })
        .collect();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let verdict = |d: Duration| if d <= TARGET { "ok" } else { "SLOW" };
    println!(
        "first open of the day (whole file checked): {:>7.1} ms",
        ms(median(first))
    );
    let (later, command) = (median(later), median(command));
    println!(
        "later opens the same day:                  {:>7.1} ms  (target {} ms: {})",
        ms(later),
        ms(TARGET),
        verdict(later)
    );
    println!(
        "a command of the CLI, start to end:        {:>7.1} ms  (target {} ms: {})",
        ms(command),
        ms(TARGET),
        verdict(command)
    );
}
