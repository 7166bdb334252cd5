//! A county's work: a 100,000-row returnee sheet naming its places in 乡镇 / 村 / 网格
//! columns — 5 townships, 150 villages, 6,750 numbered grids (第1网格 … 第45网格, every third
//! written in Chinese numerals) — imported with its places created:
//!
//! - into an empty ledger, beside two references run on the same file: the bare calamine read
//!   and rusqlite insert into the ledger's own tables (a person and an arrival per row;
//!   target ≤ 2.0×), and the same read inserted into one lean 16-column table with ID, name
//!   and phone indexes (target ≤ 3.0×, aim 2.0×);
//! - again, unchanged, into the ledger it made (nothing to write; target ≤ 0.5× the first);
//! - into a ledger already holding 900,000 persons (target ≤ 1.2× the empty one);
//! - and that county ledger (1,000,000 persons, 100,000 returnees) exported through the
//!   来(返)乡人员登记表 beside a bare write of the same rows (target ≤ 1.5×, ≤ 64 MiB).
//!
//! Run with `cargo bench --bench county`. Each measured side runs in a child process of this
//! binary, so each peak-memory figure is its own.

use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "big.rs"]
mod big;
#[path = "exporting.rs"]
mod exporting;
#[path = "measure.rs"]
mod measure;

use calamine::{open_workbook, Data, Reader, Xlsx};
use gridledger::import::{self, ImportOptions};
use gridledger::store::Store;
use rust_xlsxwriter::Workbook;

const ROWS: usize = 100_000;
const TOWNSHIPS: usize = 5;
const VILLAGES: usize = 30;
const GRIDS: usize = 45;
const BIG: usize = 900_000;

const HEADER: [&str; 16] = [
    "序号",
    "乡镇",
    "村",
    "网格",
    "姓名",
    "性别",
    "身份证号码",
    "联系电话",
    "户籍地址",
    "现住址",
    "返乡日期",
    "出发地",
    "交通工具",
    "车次",
    "返乡原因",
    "备注",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = |i: usize| Path::new(&args[i]);
    match args.get(1).map(String::as_str) {
        Some("--first") => return measure::child(|| import_timed(path(2), path(3), false)),
        Some("--first-encrypted") => return measure::child(|| import_encrypted(path(2), path(3))),
        Some("--export-encrypted") => return measure::child(|| export_encrypted(path(2), path(3))),
        Some("--again") => return measure::child(|| import_timed(path(2), path(3), true)),
        Some("--own") => return measure::child(|| own(path(2), path(3))),
        Some("--lean") => return measure::child(|| lean(path(2), path(3))),
        Some("--export") => return measure::child(|| exporting::export(path(2), path(3), ROWS)),
        Some("--bare-export") => return measure::child(|| exporting::bare(path(2), path(3))),
        // For profiling: write the sheet and stop.
        Some("--generate") => return generate(path(2)),
        _ => {}
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let sheet = dir.path().join("county.xlsx");
    let started = Instant::now();
    generate(&sheet);
    println!(
        "generated {ROWS} rows × {} columns naming {} grids ({:.1} MiB) in {:.1} s",
        HEADER.len(),
        TOWNSHIPS * VILLAGES * GRIDS,
        std::fs::metadata(&sheet).unwrap().len() as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let big = dir.path().join("big.db");
    let started = Instant::now();
    big::ledger(&big, BIG);
    println!(
        "a ledger of {BIG} persons ({:.0} MiB) made in {:.1} s",
        std::fs::metadata(&big).unwrap().len() as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let fresh = |name: String| -> PathBuf {
        let db = dir.path().join(name);
        let _ = std::fs::remove_file(&db);
        db
    };
    let copy_big = |name: String| -> PathBuf {
        let db = fresh(name);
        std::fs::copy(&big, &db).unwrap();
        db
    };
    let (first, own_ref) = measure::best_of(
        2,
        |r| measure::run_child("--first", &sheet, &fresh(format!("first{r}.db"))),
        |r| measure::run_child("--own", &sheet, &fresh(format!("own{r}.db"))),
    );
    let (again, lean_ref) = measure::best_of(
        2,
        |r| measure::run_child("--again", &sheet, &fresh(format!("again{r}.db"))),
        |r| measure::run_child("--lean", &sheet, &fresh(format!("lean{r}.db"))),
    );
    let (into_big, _) = measure::best_of(
        2,
        |r| measure::run_child("--first", &sheet, &copy_big(format!("big{r}.db"))),
        |_| (0.0, 0.0),
    );
    // The county ledger the last run made, exported.
    let county = dir.path().join("big1.db");
    let (export, bare) = measure::best_of(
        2,
        |_| measure::run_child("--export", &county, &dir.path().join("export.xlsx")),
        |_| measure::run_child("--bare-export", &county, &dir.path().join("bare.xlsx")),
    );
    // The same import and export on encrypted ledgers (SQLCipher): the cost of encryption.
    let (first_encrypted, _) = measure::best_of(
        2,
        |r| measure::run_child("--first-encrypted", &sheet, &fresh(format!("enc{r}.db"))),
        |_| (0.0, 0.0),
    );
    let county_encrypted = dir.path().join("county-encrypted.db");
    std::fs::copy(&county, &county_encrypted).unwrap();
    let started = Instant::now();
    gridledger::store::protect(
        &county_encrypted,
        BENCH_OPERATOR,
        BENCH_PASSPHRASE,
        gridledger::store::Soundness::default(),
    )
    .unwrap();
    let converted = started.elapsed().as_secs_f64();
    let (export_encrypted, _) = measure::best_of(
        2,
        |_| {
            measure::run_child(
                "--export-encrypted",
                &county_encrypted,
                &dir.path().join("export-encrypted.xlsx"),
            )
        },
        |_| (0.0, 0.0),
    );
    let unlock = unlock_seconds(&county_encrypted);
    println!(
        "\n{:<52} {:>9} {:>12} {:>10}",
        "", "seconds", "rows/s", "peak MiB"
    );
    for (label, (seconds, peak)) in [
        ("import into an empty ledger (places created)", first),
        ("the same sheet again, unchanged", again),
        ("import into a ledger of 900,000 persons", into_big),
        (
            "reference: calamine + insert into the ledger's tables",
            own_ref,
        ),
        ("reference: calamine + insert into one lean table", lean_ref),
        ("export 来(返)乡人员登记表 of the county ledger", export),
        ("reference: bare rust_xlsxwriter write", bare),
        ("import into an empty encrypted ledger", first_encrypted),
        ("export of the encrypted county ledger", export_encrypted),
    ] {
        println!(
            "{label:<52} {seconds:>9.2} {:>12.0} {peak:>10.1}",
            ROWS as f64 / seconds
        );
    }
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let check = |what: &str, ratio: f64, target: f64| {
        println!(
            "{what:<44} {ratio:>5.2}× (target ≤ {target}×: {})",
            verdict(ratio <= target)
        );
    };
    println!();
    check("import ÷ its own reference", first.0 / own_ref.0, 2.0);
    check("import ÷ the lean reference", first.0 / lean_ref.0, 3.0);
    check("unchanged re-import ÷ first import", again.0 / first.0, 0.5);
    check(
        "into 900,000 persons ÷ into an empty ledger",
        into_big.0 / first.0,
        1.2,
    );
    check("export ÷ bare write", export.0 / bare.0, 1.5);
    println!(
        "encryption: import {:.2}× and export {:.2}× the plaintext ledger's; the county ledger ({:.0} MiB) converted in {:.1} s; unlock (Argon2id of the passphrase) {:.2} s, open of the encrypted county ledger {:.2} s (target ≤ 1 s: {})",
        first_encrypted.0 / first.0,
        export_encrypted.0 / export.0,
        std::fs::metadata(&county_encrypted).unwrap().len() as f64 / 1048576.0,
        converted,
        unlock.0,
        unlock.1,
        verdict(unlock.0 <= 1.0)
    );
    println!(
        "import peak {:.1} MiB (≤ 150: {}); export peak {:.1} MiB (≤ 64: {})",
        first.1.max(into_big.1),
        verdict(first.1.max(into_big.1) <= 150.0),
        export.1,
        verdict(export.1 <= 64.0)
    );
}

fn chinese(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        _ => format!("{}十{}", D[n / 10], D[n % 10]),
    }
}

fn generate(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    let given = [
        "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
    ];
    for i in 0..ROWS {
        let grid_no = i % (TOWNSHIPS * VILLAGES * GRIDS);
        let (town, village, grid) = (
            grid_no / (VILLAGES * GRIDS),
            grid_no / GRIDS % VILLAGES,
            grid_no % GRIDS + 1,
        );
        let male = i % 2 == 0;
        let row: [String; 16] = [
            (i + 1).to_string(),
            format!("{}镇", ["青山", "白水", "石门", "龙泉", "桃源"][town]),
            format!(
                "{}村",
                ["东", "西", "南", "北", "上", "下"][village % 6].to_string()
                    + &chinese(village / 6 + 1)
            ),
            if i % 3 == 0 {
                format!("第{}网格", chinese(grid))
            } else {
                format!("第{grid}网格")
            },
            format!(
                "{}{}{}",
                surnames[i % 10],
                given[i / 10 % 12],
                given[i / 120 % 12]
            ),
            if male { "男" } else { "女" }.into(),
            big::id_number(430124, i, male),
            format!("139{:08}", i),
            "湖南省长沙市宁乡市".into(),
            format!("{}组{}号", grid, i % 90 + 1),
            format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 28),
            ["广东省深圳市南山区", "浙江省杭州市西湖区", "上海市浦东新区"][i % 3].into(),
            ["高铁", "自驾", "飞机", "大巴"][i % 4].into(),
            format!("G{}", 1000 + i % 900),
            "探亲".into(),
            String::new(),
        ];
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(i as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

/// Imports the county sheet (places created); with `again`, a first import is made untimed
/// and the second, of the same unchanged sheet, is timed.
const BENCH_OPERATOR: &str = "测试员";
const BENCH_PASSPHRASE: &str = "benchmark passphrase";

fn unlock_with() -> gridledger::store::Unlock {
    gridledger::store::Unlock::Operator {
        name: BENCH_OPERATOR.to_string(),
        passphrase: BENCH_PASSPHRASE.to_string(),
    }
}

/// The median of five unlocks of `db`'s key file (Argon2id), and of five whole opens.
fn unlock_seconds(db: &Path) -> (f64, f64) {
    let file = gridledger::store::KeyFile::read(db).unwrap().unwrap();
    let median = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let unlock = median(
        (0..5)
            .map(|_| {
                let started = Instant::now();
                file.unlock(BENCH_OPERATOR, BENCH_PASSPHRASE).unwrap();
                started.elapsed().as_secs_f64()
            })
            .collect(),
    );
    let open = median(
        (0..5)
            .map(|_| {
                let started = Instant::now();
                let store = Store::open_as(
                    db,
                    gridledger::store::Missing::Refuse,
                    gridledger::store::Soundness::default(),
                    Some(&unlock_with()),
                )
                .unwrap();
                let seconds = started.elapsed().as_secs_f64();
                drop(store);
                seconds
            })
            .collect(),
    );
    (unlock, open)
}

/// The first import, into a new encrypted ledger.
fn import_encrypted(sheet: &Path, db: &Path) -> f64 {
    let (mut store, _) = Store::create_protected(
        db,
        BENCH_OPERATOR,
        BENCH_PASSPHRASE,
        gridledger::store::Soundness::default(),
    )
    .unwrap();
    store.set_today(exporting::today());
    let options = ImportOptions {
        create_places: true,
        default_year: Some(2026),
        ..Default::default()
    };
    let started = Instant::now();
    let report = import::import_file(&store, sheet, &options, None, &mut |_, _| {}).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!((report.inserted, report.rejected_rows), (ROWS, 0));
    seconds
}

/// The county export, from the encrypted copy of the county ledger.
fn export_encrypted(db: &Path, out: &Path) -> f64 {
    let mut store = Store::open_as(
        db,
        gridledger::store::Missing::Refuse,
        gridledger::store::Soundness::default(),
        Some(&unlock_with()),
    )
    .unwrap();
    store.set_today(exporting::today());
    let template = gridledger::report::template(&store, "returnees").unwrap();
    let started = Instant::now();
    let summary = gridledger::report::export_xlsx(
        &store,
        &template,
        &exporting::params(),
        out,
        gridledger::files::IfExists::Replace,
    )
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(summary.rows >= ROWS, "exported {} rows", summary.rows);
    seconds
}

fn import_timed(sheet: &Path, db: &Path, again: bool) -> f64 {
    let mut store = Store::create(db).unwrap();
    store.set_today(exporting::today());
    let options = ImportOptions {
        create_places: true,
        default_year: Some(2026),
        ..Default::default()
    };
    let run = || import::import_file(&store, sheet, &options, None, &mut |_, _| {}).unwrap();
    if again {
        run();
    }
    let started = Instant::now();
    let report = run();
    let seconds = started.elapsed().as_secs_f64();
    let expected = if again { (0, 0) } else { (ROWS, 0) };
    assert_eq!(
        (report.inserted, report.rejected_rows),
        expected,
        "{:?}",
        report.problems.first()
    );
    seconds
}

fn text(row: &[Data], c: usize) -> Option<String> {
    match row.get(c) {
        Some(Data::String(s)) => Some(s.clone()),
        Some(Data::Empty) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// The reference in the ledger's own tables: a person and an arrival per row, as they stand.
fn own(sheet: &Path, db: &Path) -> f64 {
    let started = Instant::now();
    let mut book: Xlsx<_> = open_workbook(sheet).unwrap();
    let range = book.worksheet_range("Sheet1").unwrap();
    drop(Store::create(db).unwrap());
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.pragma_update(None, "cache_size", -32768).unwrap();
    let tx = conn.transaction().unwrap();
    {
        tx.execute("INSERT INTO batches (kind) VALUES ('导入')", [])
            .unwrap();
        let batch = tx.last_insert_rowid();
        let mut person = tx.prepare("INSERT INTO persons (name, gender, id_number, phone, hukou_address, current_address, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").unwrap();
        let mut arrival = tx
            .prepare("INSERT INTO arrivals (person_id, kind, status, arrival_date, origin_address, transport, transport_no, reason, batch_id) VALUES (?1, '返乡', '已返', ?2, ?3, '其他', ?4, ?5, ?6)")
            .unwrap();
        for row in range.rows().skip(1) {
            let t = |c| text(row, c);
            person
                .execute(rusqlite::params![t(4), t(5), t(6), t(7), t(8), t(9), batch])
                .unwrap();
            let id = tx.last_insert_rowid();
            arrival
                .execute(rusqlite::params![id, t(10), t(11), t(13), t(14), batch])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    started.elapsed().as_secs_f64()
}

/// The lean reference: the same read, each row into one 16-column table with ID, name and
/// phone indexes.
fn lean(sheet: &Path, db: &Path) -> f64 {
    let started = Instant::now();
    let mut book: Xlsx<_> = open_workbook(sheet).unwrap();
    let range = book.worksheet_range("Sheet1").unwrap();
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.execute_batch(
        "CREATE TABLE rows (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
         CREATE INDEX rows_id ON rows(c6); CREATE INDEX rows_name ON rows(c4); CREATE INDEX rows_phone ON rows(c7);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO rows VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
            .unwrap();
        for row in range.rows().skip(1) {
            let cells: Vec<Option<String>> = (0..16).map(|c| text(row, c)).collect();
            insert
                .execute(rusqlite::params_from_iter(cells.iter()))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    started.elapsed().as_secs_f64()
}
