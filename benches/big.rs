//! A township's ledger made in seconds for the benchmarks: persons in households of their own
//! county, written straight into the tables.

use std::path::Path;

use gridledger::store::Store;

/// A ledger of `persons` persons in households of their own county, written straight into its
/// tables (a township's years of imports, made in seconds).
pub fn ledger(path: &Path, persons: usize) {
    drop(Store::create(path).unwrap());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute("INSERT INTO batches (kind) VALUES ('导入')", [])
        .unwrap();
    let batch = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO places (level, name) VALUES ('乡镇', '老城镇')",
        [],
    )
    .unwrap();
    let town = tx.last_insert_rowid();
    let mut villages = Vec::new();
    for v in 0..100 {
        tx.execute(
            "INSERT INTO places (parent_id, level, name) VALUES (?1, '村', ?2)",
            rusqlite::params![town, format!("老{}村", v + 1)],
        )
        .unwrap();
        villages.push(tx.last_insert_rowid());
    }
    {
        let mut household = tx
            .prepare("INSERT INTO households (place_id, door_name, door_number, batch_id) VALUES (?1, '老街', ?2, ?3)")
            .unwrap();
        let mut person = tx
            .prepare(
                "INSERT INTO persons (household_id, name, name_initials, name_pinyin, gender, birth_date, id_number,
                    id_number_rev, phone, relation_to_head, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .unwrap();
        let mut household_id = 0;
        for i in 0..persons {
            if i % 3 == 0 {
                household
                    .execute(rusqlite::params![
                        villages[i % 100],
                        format!("{}号", i / 3),
                        batch
                    ])
                    .unwrap();
                household_id = tx.last_insert_rowid();
            }
            let male = i % 2 == 1;
            let id = id_number(430181, i, male);
            let name = format!("老{}{}", ["张", "王", "李"][i % 3], i);
            person
                .execute(rusqlite::params![
                    household_id,
                    name,
                    "lz",
                    "laozhang",
                    if male { "男" } else { "女" },
                    format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]),
                    id,
                    id.chars().rev().collect::<String>(),
                    format!("137{:08}", i),
                    if i % 3 == 0 { Some("户主") } else { None },
                    batch
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

/// A valid resident ID, distinct for every `i` below 10,000,000, in county `code`.
pub fn id_number(code: usize, i: usize, male: bool) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(
        1950 + (i % 50) as i32,
        1 + (i / 50 % 12) as u32,
        1 + (i / 600 % 28) as u32,
    )
    .unwrap();
    // Sequence numbers 000–999 (odd for men) and the county code keep IDs apart.
    let seq = (i / 16_800) % 500 * 2 + usize::from(male);
    let first17 = format!("{code}{}{seq:03}", birth.format("%Y%m%d"));
    format!(
        "{first17}{}",
        gridledger::validate::check_character(&first17)
    )
}
