//! Search over a county's 1,000,000 persons: the median time of each kind of query a cadre
//! types, printed beside the 50 ms target (every kind, and all together). Run with
//! `cargo bench --bench search`.
//!
//! The ledger is the sample village generator at 100,000 persons (about 29,000 households),
//! copied nine times over in SQL (each copy's ID numbers made distinct; names and phones
//! repeat, as namesakes do in a county), in a file as on a laptop. Queries are drawn from the
//! data itself so they find real people, plus misses.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use gridledger::demo::{self, DemoOptions};
use gridledger::store::{Missing, Soundness, Store, Unlock};

const TARGET: Duration = Duration::from_millis(50);
const PER_KIND: usize = 60;
const COPIES: usize = 9;

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
    assert!(
        report.persons >= 100_000,
        "the benchmark needs 100,000 persons, got {}",
        report.persons
    );
    drop(store);
    let persons = county(&path, report.persons);
    let mut store = Store::open(&path).expect("open ledger");
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    println!(
        "generated {persons} persons ({} of the sample village, {COPIES} copies) in {:.1} s",
        report.persons,
        started.elapsed().as_secs_f64()
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
            "查无此人",
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

    let plain = run(&store, &kinds, persons, "plaintext");
    drop(store);

    // The same queries on the same ledger encrypted (SQLCipher), as a protected ledger opens.
    let started = Instant::now();
    let passphrase = "benchmark passphrase";
    gridledger::store::protect(&path, "测试员", passphrase, Soundness::default()).expect("encrypt");
    println!(
        "\nencrypted the ledger ({:.0} MiB) in {:.1} s",
        std::fs::metadata(&path).unwrap().len() as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let unlock = Unlock::Operator {
        name: "测试员".to_string(),
        passphrase: passphrase.to_string(),
    };
    let mut store = Store::open_as(&path, Missing::Refuse, Soundness::default(), Some(&unlock))
        .expect("unlock");
    println!(
        "unlocked and opened in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    store.set_today(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let encrypted = run(&store, &kinds, persons, "encrypted");
    println!(
        "\ncost of encryption for search: median {:.2} ms against {:.2} ms plaintext ({:.2}×)",
        ms(encrypted),
        ms(plain),
        encrypted.as_secs_f64() / plain.as_secs_f64()
    );
}

/// Runs every kind of query, prints each kind's times and the verdict; returns the median of
/// all queries.
fn run(store: &Store, kinds: &[(&str, Vec<String>)], persons: i64, label: &str) -> Duration {
    println!(
        "\n{label}: {:<22} {:>8} {:>10} {:>10} {:>10}",
        "query kind", "queries", "median", "p95", "max"
    );
    let mut all = Vec::new();
    for (kind, queries) in kinds {
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
            "{kind:<22} {:>8} {:>8.2}ms {:>8.2}ms {:>8.2}ms  {}",
            times.len(),
            ms(median),
            ms(p95),
            ms(max),
            if median < TARGET { "met" } else { "MISSED" }
        );
        all.extend(times);
    }
    all.sort();
    let median = all[all.len() / 2];
    println!(
        "\nall {} queries over {} persons: median {:.2} ms, p95 {:.2} ms; target median < {} ms: {} ({:.1}× under)",
        all.len(),
        persons,
        ms(median),
        ms(all[all.len() * 95 / 100]),
        TARGET.as_millis(),
        if median < TARGET { "met" } else { "MISSED" },
        TARGET.as_secs_f64() / median.as_secs_f64()
    );
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Copies the first `persons` persons `COPIES` times, each copy's ID number made its own;
/// returns how many persons the ledger then holds.
fn county(path: &std::path::Path, persons: usize) -> i64 {
    let mut conn = rusqlite::Connection::open(path).expect("open");
    let tx = conn.transaction().expect("transaction");
    for k in 1..=COPIES {
        tx.execute(
            "INSERT INTO persons (household_id, name, name_initials, name_pinyin, gender, birth_date,
                id_type, id_number, id_number_rev, phone, batch_id)
             SELECT household_id, name, name_initials, name_pinyin, gender, birth_date, id_type,
                id_number || 'C' || ?1, ?1 || 'C' || id_number_rev, phone, batch_id
             FROM persons WHERE id <= ?2",
            rusqlite::params![k as i64, persons as i64],
        )
        .expect("copy");
    }
    tx.commit().expect("commit");
    conn.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))
        .expect("count")
}
