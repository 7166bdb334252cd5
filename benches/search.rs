//! Search over 100,000 persons: the median time of each kind of query a cadre types, printed
//! beside the 50 ms target. Run with `cargo bench --bench search`.
//!
//! The ledger is the sample village generator scaled up (about 29,000 households), in a file
//! as on a laptop. Queries are drawn from the data itself so they find real people, plus
//! misses, which are the slow case for "name contains".

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gridledger::demo::{self, DemoOptions};
use gridledger::store::Store;

const TARGET: Duration = Duration::from_millis(50);
const PER_KIND: usize = 60;

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("bench.db");
    let mut store = Store::create(&path).expect("open ledger");
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let started = Instant::now();
    let report = demo::fill(
        &mut store,
        DemoOptions {
            households: 29_000,
            seed: 7,
        },
    )
    .expect("generate ledger");
    println!(
        "generated {} persons in {} households in {:.1} s",
        report.persons,
        report.households,
        started.elapsed().as_secs_f64()
    );
    assert!(
        report.persons >= 100_000,
        "the benchmark needs 100,000 persons, got {}",
        report.persons
    );

    // Draw real values to search for, spread over the ledger.
    let step = report.persons / PER_KIND;
    let people: Vec<_> = (0..PER_KIND)
        .filter_map(|i| store.person((1 + i * step) as i64).ok())
        .collect();
    let kinds: Vec<(&str, Vec<String>)> = vec![
        (
            "拼音首字母 (zs)",
            people.iter().map(|p| p.name_initials.clone()).collect(),
        ),
        ("姓名全名", people.iter().map(|p| p.name.clone()).collect()),
        (
            "姓氏",
            people
                .iter()
                .map(|p| p.name.chars().take(1).collect())
                .collect(),
        ),
        (
            "名字的一部分",
            people
                .iter()
                .map(|p| p.name.chars().skip(1).collect())
                .collect(),
        ),
        (
            "查无此人（全表扫描）",
            (0..PER_KIND)
                .map(|i| format!("无此{}", char::from_u32(0x4E00 + i as u32).unwrap()))
                .collect(),
        ),
        (
            "身份证号全号",
            people.iter().filter_map(|p| p.id_number.clone()).collect(),
        ),
        (
            "身份证号末四位",
            people
                .iter()
                .filter_map(|p| p.id_number.as_ref().map(|n| n[n.len() - 4..].to_string()))
                .collect(),
        ),
        (
            "手机号全号",
            people.iter().filter_map(|p| p.phone.clone()).collect(),
        ),
        (
            "手机号前七位",
            people
                .iter()
                .filter_map(|p| p.phone.as_ref().map(|n| n[..7].to_string()))
                .collect(),
        ),
        (
            "手机号末四位",
            people
                .iter()
                .filter_map(|p| p.phone.as_ref().map(|n| n[7..].to_string()))
                .collect(),
        ),
    ];

    println!(
        "\n{:<22} {:>8} {:>10} {:>10} {:>10}",
        "query kind", "queries", "median", "p95", "max"
    );
    let mut all = Vec::new();
    for (kind, queries) in &kinds {
        let mut times = Vec::new();
        for q in queries {
            let t = Instant::now();
            let hits = store.find_persons(q, 50).expect("search");
            times.push(t.elapsed());
            std::hint::black_box(hits);
        }
        times.sort();
        let (median, p95, max) = (
            times[times.len() / 2],
            times[times.len() * 95 / 100],
            times[times.len() - 1],
        );
        println!(
            "{kind:<22} {:>8} {:>8.2}ms {:>8.2}ms {:>8.2}ms",
            times.len(),
            ms(median),
            ms(p95),
            ms(max)
        );
        all.extend(times);
    }
    all.sort();
    let median = all[all.len() / 2];
    println!(
        "\nall {} queries over {} persons: median {:.2} ms, p95 {:.2} ms; target median < {} ms: {} ({:.1}× under)",
        all.len(),
        report.persons,
        ms(median),
        ms(all[all.len() * 95 / 100]),
        TARGET.as_millis(),
        if median < TARGET { "met" } else { "MISSED" },
        TARGET.as_secs_f64() / median.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
