//! The importer against random sheets: for every target, columns under the headers real
//! sheets use, filled with blank, ordinary, huge, control-character, zero-width and
//! out-of-range cells, rows in random order, as .xlsx or as CSV. Whatever the sheet holds,
//! the import must not panic, must leave a sound ledger holding no value the rules refuse,
//! and must account for every row: taken, or listed in the problems. A fixed seed and a
//! bounded number of cases keep it in the test command.

use std::path::Path;

use gridledger::import::{self, ImportOptions, Target};
use gridledger::model::fields::Kind;
use gridledger::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::util::today;

const SEED: [u8; 32] = *b"gridledger-import-fuzz-seed-0001";

/// A cell a clerk's (or an attacker's) sheet may hold for a field of this kind.
fn cell(kind: Kind) -> BoxedStrategy<String> {
    let plausible: BoxedStrategy<String> = match kind {
        Kind::Date | Kind::BirthDate => prop_oneof![
            Just("2026-11-20".to_string()),
            Just("2026年11月3日".to_string()),
            Just("11月3日".to_string()),
            Just("1990.1.23".to_string()),
            Just("20261120".to_string()),
        ]
        .boxed(),
        Kind::DateTime => Just("2026-11-20 08:30".to_string()).boxed(),
        Kind::IdNumber => prop_oneof![
            Just("430182198001150139".to_string()),
            Just("43018219920304024X".to_string()),
            Just("110105491231002".to_string()),
            Just("4.30182E+17".to_string()),
            Just("110101199003070830".to_string()),
        ]
        .boxed(),
        Kind::Phone => prop_oneof![
            Just("13800138000".to_string()),
            Just("+86 139 1234 5678".to_string())
        ]
        .boxed(),
        Kind::Gender => prop_oneof![
            Just("男".to_string()),
            Just("2".to_string()),
            Just("9".to_string())
        ]
        .boxed(),
        Kind::Temperature => prop_oneof![
            Just("36.5".to_string()),
            Just("37.8℃".to_string()),
            Just("365".to_string())
        ]
        .boxed(),
        Kind::Plate => prop_oneof![
            Just("湘A12345".to_string()),
            Just("粤B D1234 5".to_string())
        ]
        .boxed(),
        Kind::Integer(..) => prop_oneof![
            Just("1".to_string()),
            Just("加强针".to_string()),
            Just("5".to_string())
        ]
        .boxed(),
        Kind::YesNo => prop_oneof![
            Just("是".to_string()),
            Just("0".to_string()),
            Just("√".to_string())
        ]
        .boxed(),
        Kind::Choice(list) => prop_oneof![
            proptest::sample::select(list.to_vec()).prop_map(String::from),
            Just("摩托车".to_string()),
        ]
        .boxed(),
        Kind::Place => prop_oneof![Just("石桥村".to_string()), Just("河东村".to_string())].boxed(),
        _ => "[张李王赵一二三东西街号]{1,6}".boxed(),
    };
    prop_oneof![
        12 => plausible,
        1 => Just(String::new()),
        1 => Just("\u{200B}\u{FEFF}".to_string()),
        1 => Just("张\u{0007}三\u{0001}".to_string()),
        1 => Just("1026-11-10".to_string()),
        1 => Just("12345-01-01".to_string()),
        1 => Just("-1e308".to_string()),
        1 => (1000usize..30_000).prop_map(|n| "很".repeat(n)),
        1 => "\\PC{0,12}",
    ]
    .boxed()
}

/// A sheet for one target: a header of some of its fields (the required ones always), and
/// rows of cells for them.
fn sheet(target: Target) -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>, bool)> {
    let fields: Vec<_> = target.fields();
    let required: Vec<bool> = fields
        .iter()
        .map(|f| target.required().iter().any(|r| r.key == f.key))
        .collect();
    let picks = proptest::collection::vec(any::<bool>(), fields.len());
    (picks, any::<bool>()).prop_flat_map(move |(picks, as_csv)| {
        let chosen: Vec<_> = fields
            .iter()
            .zip(&picks)
            .zip(&required)
            .filter(|((_, pick), required)| **pick || **required)
            .map(|((f, _), _)| *f)
            .collect();
        let header: Vec<String> = chosen
            .iter()
            .map(|f| f.synonyms.first().copied().unwrap_or(f.label).to_string())
            .collect();
        let row = chosen.iter().map(|f| cell(f.kind)).collect::<Vec<_>>();
        let rows = proptest::collection::vec(row, 1..12);
        (Just(header), rows, Just(as_csv))
    })
}

fn write(path: &Path, header: &[String], rows: &[Vec<String>], as_csv: bool) {
    if as_csv {
        let mut w = csv::Writer::from_path(path).unwrap();
        w.write_record(header).unwrap();
        for row in rows {
            w.write_record(row).unwrap();
        }
        w.flush().unwrap();
        return;
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, text).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn random_sheets_never_panic_never_poison_the_ledger_and_account_for_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let n = std::cell::Cell::new(0usize);
    for target in Target::ALL {
        let config = Config {
            cases: 12,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
        runner
            .run(&sheet(*target), |(header, rows, as_csv)| {
                n.set(n.get() + 1);
                let path = dir.path().join(format!(
                    "{}.{}",
                    n.get(),
                    if as_csv { "csv" } else { "xlsx" }
                ));
                write(&path, &header, &rows, as_csv);
                let mut store = Store::open_in_memory().unwrap();
                store.set_today(today());
                store
                    .add_place(&gridledger::model::PlaceInput {
                        level: "村".into(),
                        name: "石桥村".into(),
                        ..Default::default()
                    })
                    .unwrap();
                let options = ImportOptions {
                    target: Some(target.key().into()),
                    ..Default::default()
                };
                let mut previewed = None;
                for dry_run in [true, false] {
                    let options = ImportOptions {
                        dry_run,
                        ..options.clone()
                    };
                    let report =
                        match import::import_file(&store, &path, &options, None, &mut |_, _| {}) {
                            Ok(r) => r,
                            // A sheet whose header lost its required columns to blank or garbage
                            // header cells is refused as a whole, with a code: not a panic.
                            Err(e) => {
                                prop_assert!(
                                    matches!(
                                        e.code().as_str(),
                                        "header_not_found" | "column_missing"
                                    ),
                                    "{target:?}: {e}"
                                );
                                continue;
                            }
                        };
                    let accounted = report.inserted
                        + report.updated
                        + report.unchanged
                        + report.review
                        + report.partial_rows
                        + report.rejected_rows;
                    prop_assert_eq!(
                        accounted,
                        report.data_rows,
                        "{:?}: {:?}",
                        target,
                        report.problems
                    );
                    // The preview counts exactly what the import does.
                    let counts = (
                        report.inserted,
                        report.updated,
                        report.unchanged,
                        report.partial_rows,
                        report.rejected_rows,
                    );
                    match previewed {
                        None => previewed = Some(counts),
                        Some(p) => prop_assert_eq!(
                            p,
                            counts,
                            "{:?}: the preview differs from the import",
                            target
                        ),
                    }
                    // Every row left out (whole or in part) is in the problems with a reason.
                    for rejected in &report.rejected {
                        prop_assert!(
                            report
                                .problems
                                .iter()
                                .any(|p| p.row == rejected.row && !p.warning),
                            "{:?}: row {} has no problem listed",
                            target,
                            rejected.row
                        );
                    }
                }
                // A second import of the same sheet inserts and updates nothing, whatever
                // its target and its keys (names alone included): every table as it was.
                if previewed.is_some() {
                    let before = store.table_sizes().unwrap();
                    let changes = store.total_changes();
                    let again =
                        import::import_file(&store, &path, &options, None, &mut |_, _| {}).unwrap();
                    prop_assert_eq!(
                        (again.inserted, again.updated),
                        (0, 0),
                        "{:?}: a second import changed rows: {:?}",
                        target,
                        again.preview
                    );
                    prop_assert_eq!(&store.table_sizes().unwrap(), &before, "{:?}", target);
                    prop_assert_eq!(
                        store.total_changes(),
                        changes,
                        "{:?}: nothing written the second time",
                        target
                    );
                }
                prop_assert!(store.integrity_problems().unwrap().is_empty());
                let check = store.check_ledger().unwrap();
                prop_assert!(check.is_clean(), "{:?}: {:?}", target, check);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{target:?}: {e}"));
    }
    assert!(n.get() >= Target::ALL.len() * 12);
}
