//! The day's work on a township-sized ledger: about 60,000 persons, 2,000 of them under
//! isolation or health monitoring today, and 30 days of twice-daily readings behind them
//! (periods of 14 days starting every day, released when they end). Prints the median time of
//! the 今日 list (target < 50 ms), of the temperature round's list, and of saving one reading as
//! the round does (target < 10 ms).
//!
//! Run with `cargo bench --bench today`. The ledger is a file, as on a laptop; with
//! `GRIDLEDGER_BENCH_DB=PATH` it is written there and kept, for looking into a query.

use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate};
use gridledger::demo::{self, DemoOptions};
use gridledger::entry::{self, Reading, RecordInput};
use gridledger::model::Entity;
use gridledger::store::Store;

const TODAY_TARGET: Duration = Duration::from_millis(50);
const READING_TARGET: Duration = Duration::from_millis(10);
const WATCHED: usize = 2_000;
const PERIOD_DAYS: i64 = 14;
const HISTORY_DAYS: i64 = 30;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = std::env::var_os("GRIDLEDGER_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let _ = std::fs::remove_file(&path);
    let mut store = Store::create(&path).expect("ledger");
    store.set_today(today());
    let started = Instant::now();
    let made = demo::fill(
        &mut store,
        DemoOptions {
            households: 17_400,
            seed: 11,
        },
    )
    .expect("sample township");
    // Persons the sample has not already put under watch, read with a second connection.
    let free: Vec<i64> = rusqlite::Connection::open(&path)
        .and_then(|c| {
            c.prepare("SELECT id FROM persons WHERE archived_at IS NULL AND id NOT IN (SELECT person_id FROM isolations) ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect()
        })
        .expect("persons");
    let (periods, readings) = watch_history(&store, &free);
    let under_watch = store.summary().expect("summary").under_watch;
    println!(
        "ledger: {} persons, {} periods over {HISTORY_DAYS} days ({under_watch} under watch today), {readings} daily checks; made in {:.0} s",
        made.persons,
        periods,
        started.elapsed().as_secs_f64()
    );
    assert!(
        made.persons >= 60_000,
        "needs 60,000 persons, got {}",
        made.persons
    );
    assert!(
        under_watch >= WATCHED as i64,
        "needs {WATCHED} under watch, got {under_watch}"
    );

    let today_list = median(31, || {
        let list = store.today_list(None).expect("today list");
        assert!(list.watched >= WATCHED);
    });
    let round = median(31, || {
        store.watch_list(today(), None).expect("round");
    });
    // The round's saves: the afternoon readings of 200 persons under watch, each alone, as
    // the grid saves a cell when it closes.
    let watched = store.watch_list(today(), None).expect("round");
    let mut next = watched
        .iter()
        .step_by(watched.len() / 200)
        .map(|w| w.who.person_id);
    let reading = median(200, || {
        let person_id = next.next().expect("a person under watch");
        let saved = entry::record_reading(
            &store,
            &Reading {
                person_id,
                pm: "36.6".into(),
                ..Default::default()
            },
        )
        .expect("reading saved");
        assert_eq!(saved.pm_temperature, Some(36.6));
    });

    println!();
    println!("{:<34}{:>12}{:>12}", "", "median ms", "target ms");
    for (what, took, target) in [
        ("今日 list (today_list)", today_list, Some(TODAY_TARGET)),
        ("temperature round list (watch_list)", round, None),
        (
            "one reading saved (record_reading)",
            reading,
            Some(READING_TARGET),
        ),
    ] {
        let verdict = match target {
            Some(t) if took < t => format!("{:>12} met", t.as_millis()),
            Some(t) => format!("{:>12} MISSED", t.as_millis()),
            None => format!("{:>12}", "—"),
        };
        println!("{what:<34}{:>12.2}{verdict}", took.as_secs_f64() * 1000.0);
    }
}

/// Periods of 14 days, a share starting on each of the last 30 days so that about 2,000 are
/// under watch today; each with its readings from its first day to today or its end; those
/// ended are released. Written through the entry functions, in one transaction.
fn watch_history(store: &Store, persons: &[i64]) -> (usize, usize) {
    let per_day = WATCHED.div_ceil(PERIOD_DAYS as usize) + 1;
    let mut periods = 0;
    let mut readings = 0;
    store
        .in_transaction(|| {
            for back in (0..HISTORY_DAYS).rev() {
                let start = today() - Days::days(back);
                for _ in 0..per_day {
                    // Spread over the register, never the same person twice.
                    let person_id = persons[periods * 13 % persons.len()];
                    let end = start + Days::days(PERIOD_DAYS - 1);
                    let saved = entry::save(
                        store,
                        &RecordInput {
                            kind: Some(Entity::Isolation),
                            person_id: Some(person_id),
                            values: [
                                ("kind", "居家隔离医学观察".to_string()),
                                ("start_date", start.to_string()),
                                ("planned_end_date", end.to_string()),
                            ]
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                            ..Default::default()
                        },
                    )?;
                    periods += 1;
                    let last = end.min(today());
                    let mut day = start;
                    while day <= last {
                        let am = 36.0 + ((person_id + day.ordinal0() as i64) % 9) as f64 / 10.0;
                        entry::record_reading(
                            store,
                            &Reading {
                                person_id,
                                date: day.to_string(),
                                am: format!("{am:.1}"),
                                pm: if day < today() {
                                    "36.5".into()
                                } else {
                                    String::new()
                                },
                                symptoms: String::new(),
                            },
                        )?;
                        readings += 1;
                        day += Days::days(1);
                    }
                    if end < today() {
                        entry::release(store, saved.id, Some(&end.to_string()))?;
                    }
                }
            }
            Ok(())
        })
        .expect("history written");
    (periods, readings)
}

/// The median time of `runs` calls of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}
