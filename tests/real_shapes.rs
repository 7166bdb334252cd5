//! Sheets laid out like real public forms (`tests/fixtures/real-shapes/`, made by
//! `make_real_shapes.py`), each against the truth a township clerk expects of it
//! (`expected.json`, rendered in that folder's README): the target the importer takes (or
//! the question it asks, or the refusal), the header it finds, how each column is read, the
//! rows taken, the rows skipped with their reason, the rows refused with their code, the
//! warnings, the values stored and the households and places built.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gridledger::import::{self, ImportOptions, ImportReport};
use gridledger::model::PlaceInput;
use gridledger::Store;
use serde_json::Value;

use crate::util::today;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-shapes")
}

fn contract() -> Value {
    let text = std::fs::read_to_string(folder().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The contract's field names where the ledger's differ.
fn field_key(name: &str) -> &str {
    match name {
        "household_head" => "head_name",
        "door_building" => "building",
        "door_unit" => "unit",
        "door_room" => "room",
        other => other,
    }
}

/// A ledger as a village has it: 石桥村; read back through a connection of its own.
struct Ledger {
    store: Store,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

fn ledger() -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let mut store = Store::create(&path).unwrap();
    store.set_today(today());
    store
        .add_place(&PlaceInput {
            level: "村".into(),
            name: "石桥村".into(),
            ..Default::default()
        })
        .unwrap();
    Ledger {
        store,
        path,
        _dir: dir,
    }
}

impl Ledger {
    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }

    fn query_i64(&self, sql: &str) -> rusqlite::Result<i64> {
        self.sql().query_row(sql, [], |r| r.get(0))
    }

    fn query_strings(&self, sql: &str) -> rusqlite::Result<Vec<String>> {
        let conn = self.sql();
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect())
    }
}

fn options(file: &Value) -> ImportOptions {
    let o = &file["options"];
    let mut options = ImportOptions {
        default_year: o["default_year"].as_i64().map(|y| y as i32),
        village: o["village"].as_str().map(String::from),
        create_places: o["create_places"].as_bool().unwrap_or(false),
        sheet: o["sheet"].as_str().map(String::from),
        ..Default::default()
    };
    // Where the sampling day is written only above the header, the clerk gives it.
    if let Some(fixed) = o["fixed_fallback"].as_object() {
        options.fixed = fixed
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
    }
    options
}

/// Row numbers from the contract's inclusive ranges: [[3,4],[6,13]].
fn rows(ranges: &Value) -> Vec<usize> {
    ranges
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| {
            let a = r[0].as_u64().unwrap() as usize;
            let b = r[1].as_u64().unwrap() as usize;
            a..=b
        })
        .collect()
}

fn count(store: &Ledger, sql: &str) -> i64 {
    store.query_i64(sql).unwrap()
}

/// A column by its letters (A, AB), or a span of columns read as one (C:T): (index, span).
fn column_index(letters: &str) -> (usize, usize) {
    let index = |l: &str| l.bytes().fold(0, |n, b| n * 26 + (b - b'A' + 1) as usize) - 1;
    match letters.split_once(':') {
        Some((a, b)) => (index(a), index(b) - index(a) + 1),
        None => (index(letters), 1),
    }
}

/// Checks one sheet's import against its truth.
fn check_truth(
    store: &Ledger,
    file: &str,
    truth: &Value,
    report: &ImportReport,
    persons_before: i64,
) {
    let at = format!(
        "{file} / {} [skipped {:?}; problems {:?}]",
        truth["sheet"],
        report
            .skipped
            .iter()
            .map(|s| (s.row, s.reason.as_str()))
            .collect::<Vec<_>>(),
        report
            .problems
            .iter()
            .take(12)
            .map(|p| (p.row, p.code.as_str(), p.warning))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        report.target,
        truth["target"].as_str().unwrap(),
        "{at}: target"
    );
    assert_eq!(
        [report.header_rows.0, report.header_rows.1],
        [
            truth["header_rows"][0].as_u64().unwrap() as usize,
            truth["header_rows"][1].as_u64().unwrap() as usize
        ],
        "{at}: header rows"
    );
    assert_eq!(
        report.first_data_row,
        truth["first_data_row"].as_u64().unwrap() as usize,
        "{at}: first data row"
    );
    // Every column is read as the clerk reads it, or said not to be imported.
    for column in truth["columns"].as_array().unwrap() {
        let (index, span) = column_index(column["col"].as_str().unwrap());
        let plan = report.columns.iter().find(|c| c.index == index);
        if let Some(plan) = plan {
            assert_eq!(
                plan.span, span,
                "{at}: column {} is read as one",
                column["col"]
            );
        }
        let expected = column["field"].as_str().map(field_key);
        match (plan, expected) {
            (Some(plan), Some(field)) => assert_eq!(
                plan.field.as_deref(),
                Some(field),
                "{at}: column {} ({})",
                column["col"],
                column["header"]
            ),
            (Some(plan), None) => assert!(
                plan.field.is_none() && plan.note.is_some(),
                "{at}: column {} ({}) is listed as not imported, with why: {plan:?}",
                column["col"],
                column["header"]
            ),
            (None, None) => {}
            (None, Some(field)) => panic!("{at}: column {} should be {field}", column["col"]),
        }
    }
    let skipped: Vec<(usize, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.row, s.reason.as_str()))
        .collect();
    // Rows skipped, each with its reason (a summary block is skipped as a total, a title
    // or a summary: never a person).
    let mut expected_skips = 0;
    if let Some(reasons) = truth["skipped"].as_object() {
        for (reason, ranges) in reasons {
            for row in rows(ranges) {
                expected_skips += 1;
                let found = skipped.iter().find(|(r, _)| *r == row);
                let ok = match (found, reason.as_str()) {
                    (Some((_, got)), "summary") => {
                        ["summary", "total", "table_title", "repeated_header"].contains(got)
                    }
                    (Some((_, got)), want) => *got == want,
                    (None, _) => false,
                };
                assert!(ok, "{at}: row {row} skipped as {reason}, found {found:?}");
            }
        }
    }
    assert_eq!(
        skipped.len(),
        expected_skips,
        "{at}: no other row is skipped (blank rows are not listed): {skipped:?}"
    );
    for row in rows(&truth["blank"]) {
        assert!(
            !report.problems.iter().any(|p| p.row == row),
            "{at}: blank row {row} has no problem"
        );
    }
    // Rows refused, with their code; warnings with theirs.
    for refusal in truth["refused"].as_array().unwrap() {
        let row = refusal["row"].as_u64().unwrap() as usize;
        let code = refusal["code"].as_str().unwrap();
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.row == row && !p.warning && p.code == code),
            "{at}: row {row} refused with {code}: {:?}",
            report.problems
        );
    }
    assert_eq!(
        report.rejected_rows,
        truth["outcomes"]["refused"].as_u64().unwrap() as usize,
        "{at}: rows refused: {:?}",
        report
            .problems
            .iter()
            .filter(|p| !p.warning)
            .collect::<Vec<_>>()
    );
    for warning in truth["warnings"].as_array().unwrap() {
        let row = warning["row"].as_u64().unwrap() as usize;
        let code = warning["code"].as_str().unwrap();
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.row == row && p.warning && p.code == code),
            "{at}: row {row} warned {code}: {:?}",
            report.problems
        );
    }
    // What was taken.
    let taken = truth["taken"]["count"].as_u64().unwrap() as usize;
    assert_eq!(
        report.inserted + report.updated + report.unchanged + report.partial_rows,
        taken,
        "{at}: rows taken"
    );
    assert_eq!(
        count(store, "SELECT count(*) FROM persons") - persons_before,
        truth["outcomes"]["persons_inserted"].as_i64().unwrap(),
        "{at}: persons added"
    );
    for record in truth["records"].as_array().unwrap() {
        if record.get("refused").is_none() {
            check_record(store, &at, truth["target"].as_str().unwrap(), record);
        }
    }
    if let Some(households) = truth["households"].as_array() {
        for h in households {
            let members: Vec<&str> = h["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect();
            let mut together: Vec<String> = store
                .query_strings(&format!(
                    "SELECT q.name FROM persons p JOIN persons q ON q.household_id = p.household_id
                     WHERE p.name = '{}' AND p.household_id IS NOT NULL ORDER BY q.id",
                    h["head"].as_str().unwrap()
                ))
                .unwrap();
            together.sort();
            let mut want: Vec<String> = members.iter().map(|s| s.to_string()).collect();
            want.sort();
            assert_eq!(together, want, "{at}: the household of {}", h["head"]);
            if let (Some(name), Some(number)) = (h["door_name"].as_str(), h["door_number"].as_str())
            {
                assert_eq!(
                    count(
                        store,
                        &format!(
                            "SELECT count(*) FROM households h JOIN persons p ON p.household_id = h.id
                             WHERE p.name = '{}' AND h.door_name = '{name}' AND h.door_number = '{number}'",
                            h["head"].as_str().unwrap()
                        )
                    ),
                    1,
                    "{at}: {} lives at {name}{number}",
                    h["head"]
                );
            }
        }
    }
}

/// One expected record: its person, and the record's values as the ledger keeps them.
fn check_record(store: &Ledger, at: &str, target: &str, record: &Value) {
    let name = record["name"].as_str().unwrap();
    let row = &record["row"];
    let id_number = record["id_number"].as_str().filter(|n| !n.is_empty());
    let where_id = match id_number {
        Some(n) => format!("AND p.id_number = '{n}'"),
        None => String::new(),
    };
    let persons = count(
        store,
        &format!("SELECT count(*) FROM persons p WHERE p.name = '{name}' {where_id}"),
    );
    assert!(
        persons >= 1,
        "{at}: row {row}: {name} {id_number:?} is in the ledger"
    );
    let value = |sql: &str| -> Vec<String> {
        store
            .query_strings(&format!("SELECT {sql} WHERE p.name = '{name}' {where_id}"))
            .unwrap()
    };
    let expect = |key: &str, sql: &str| {
        if let Some(want) = record[key].as_str().filter(|v| !v.is_empty()) {
            let got = value(sql);
            assert!(
                got.iter().any(|g| g == want),
                "{at}: row {row}: {name}'s {key} is {want}, found {got:?}"
            );
        }
    };
    expect("phone", "p.phone FROM persons p");
    expect("current_address", "p.current_address FROM persons p");
    expect("hukou_address", "p.hukou_address FROM persons p");
    expect("birth_date", "p.birth_date FROM persons p");
    expect(
        "relation_to_head",
        "coalesce(p.relation_to_head, '') FROM persons p",
    );
    let door = "FROM persons p JOIN households h ON h.id = p.household_id";
    expect("door_name", &format!("h.door_name {door}"));
    expect("door_number", &format!("h.door_number {door}"));
    match target {
        "arrivals" => {
            let from = "FROM persons p JOIN arrivals a ON a.person_id = p.id";
            expect("arrival_date", &format!("a.arrival_date {from}"));
            expect("origin", &format!("a.origin_address {from}"));
            expect("transport", &format!("a.transport {from}"));
            expect("transport_no", &format!("a.transport_no {from}"));
            expect("route", &format!("a.route {from}"));
            expect("health_code", &format!("a.health_code {from}"));
        }
        "tests" => {
            let from = "FROM persons p JOIN tests t ON t.person_id = p.id";
            expect("sample_date", &format!("t.sample_date {from}"));
            expect("site", &format!("t.site {from}"));
            expect("result", &format!("t.result {from}"));
        }
        "health_checks" => {
            let from = "FROM persons p JOIN health_checks c ON c.person_id = p.id";
            expect("check_date", &format!("c.check_date {from}"));
        }
        _ => {}
    }
    if let Some(place) = record["place"].as_str() {
        // The place the row named, with every level of its path: the person's household's,
        // or (a returnee not yet placed in a household) where their arrival went.
        let leaf = place.rsplit('/').next().unwrap();
        let got = value(
            "pl.name || '@' || coalesce(pp.name, '') FROM persons p LEFT JOIN households h ON h.id = p.household_id
             LEFT JOIN arrivals a ON a.person_id = p.id
             JOIN places pl ON pl.id = coalesce(h.place_id, a.destination_place_id) LEFT JOIN places pp ON pp.id = pl.parent_id"
        );
        let parent = place.rsplit('/').nth(1).unwrap_or_default();
        assert!(
            got.iter().any(|g| g == &format!("{leaf}@{parent}")),
            "{at}: row {row}: {name} is placed in {place}, found {got:?}"
        );
    }
}

fn import_sheet(
    store: &Ledger,
    path: &Path,
    options: &ImportOptions,
) -> gridledger::Result<ImportReport> {
    import::import_file(&store.store, path, options, None, &mut |_, _| {})
}

#[test]
fn real_shapes_are_read_as_a_clerk_reads_them() {
    let contract = contract();
    let files = contract["files"].as_array().unwrap();
    assert!(files.len() >= 15, "at least fifteen real shapes");
    let mut failures = BTreeMap::new();
    for file in files {
        let name = file["file"].as_str().unwrap();
        let outcome = std::panic::catch_unwind(|| check_file(file));
        if let Err(e) = outcome {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.insert(name.to_string(), message);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sheets are not read as a clerk reads them:\n{}",
        failures.len(),
        files.len(),
        failures
            .iter()
            .map(|(f, m)| format!("- {f}: {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The import of one file against its truth.
fn check_file(file: &Value) {
    {
        let name = file["file"].as_str().unwrap();
        let path = folder().join(name);
        let options = options(file);
        match file["decision"].as_str().unwrap() {
            "refuse" => {
                let store = ledger();
                let e = refusal(import_sheet(&store, &path, &options), name);
                assert_eq!(
                    e.code().as_str(),
                    file["refusal"].as_str().unwrap(),
                    "{name}"
                );
                assert_eq!(count(&store, "SELECT count(*) FROM persons"), 0, "{name}");
            }
            "ask" => {
                // The importer asks, naming each candidate with the columns that speak for
                // it, and writes nothing; told the target, it imports as the clerk expects.
                let store = ledger();
                let e = refusal(import_sheet(&store, &path, &options), name);
                assert_eq!(e.code().as_str(), "target_ambiguous", "{name}: {e}");
                let offered: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
                for candidate in file["candidates"].as_array().unwrap() {
                    assert!(
                        offered.contains(&candidate.as_str().unwrap()),
                        "{name}: {candidate} is offered in {offered:?}"
                    );
                }
                assert_eq!(count(&store, "SELECT count(*) FROM persons"), 0, "{name}");
                for truth in file["truths"].as_array().unwrap() {
                    let store = ledger();
                    let options = ImportOptions {
                        target: truth["target"].as_str().map(String::from),
                        columns: truth["choose_columns"]
                            .as_object()
                            .map(|c| {
                                c.iter()
                                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                                    .collect()
                            })
                            .unwrap_or_default(),
                        ..options.clone()
                    };
                    let report = import_sheet(&store, &path, &options)
                        .unwrap_or_else(|e| panic!("{name} as {}: {e}", truth["target"]));
                    check_truth(&store, name, truth, &report, 0);
                }
            }
            _ => {
                for truth in file["truths"].as_array().unwrap() {
                    // Each sheet of a workbook into a ledger of its own: its truth is counted
                    // from an empty one.
                    let store = ledger();
                    let options = ImportOptions {
                        sheet: truth["sheet"].as_str().map(String::from),
                        ..options.clone()
                    };
                    let before = count(&store, "SELECT count(*) FROM persons");
                    let started = std::time::Instant::now();
                    let report = import_sheet(&store, &path, &options)
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    if let Some(max) = truth["max_seconds"].as_f64() {
                        // Generous for a debug build on a loaded machine: it guards against
                        // walking a million empty rows, which takes minutes.
                        assert!(started.elapsed().as_secs_f64() < max * 20.0, "{name}");
                    }
                    check_truth(&store, name, truth, &report, before);
                    if let Some(second) = file.get("second_import").filter(|s| s.is_object()) {
                        let again = import_sheet(&store, &path, &options).unwrap();
                        assert_eq!(
                            (again.inserted, again.updated),
                            (
                                second["persons_inserted"].as_u64().unwrap() as usize,
                                second["persons_updated"].as_u64().unwrap() as usize
                            ),
                            "{name}: a second import changes nothing"
                        );
                        assert_eq!(
                            count(&store, "SELECT count(*) FROM persons"),
                            second["ledger_persons_after"].as_i64().unwrap(),
                            "{name}"
                        );
                    }
                    if let Some(places) = truth["places"].as_object() {
                        check_places(&store, name, places);
                    }
                }
            }
        }
    }
}

/// The error an import must end in (a clerk's sheet it must not take on its own guess).
fn refusal(result: gridledger::Result<ImportReport>, name: &str) -> gridledger::Error {
    match result {
        Err(e) => e,
        Ok(r) => panic!(
            "{name}: taken as {} ({} rows) where it must be refused or asked; candidates {:?}",
            r.target,
            r.data_rows,
            r.candidates
                .iter()
                .map(|c| (c.target.key(), c.score))
                .collect::<Vec<_>>()
        ),
    }
}

/// The places a county's sheet named, built as a tree: every numbered grid or group its
/// own, the same one however it is written.
fn check_places(store: &Ledger, file: &str, places: &serde_json::Map<String, Value>) {
    for (key, level) in [("grids", "网格"), ("groups", "联户组")] {
        let Some(expected) = places.get(key).and_then(Value::as_object) else {
            continue;
        };
        let distinct = places[&format!("distinct_{key}")].as_i64().unwrap();
        assert_eq!(
            count(
                store,
                &format!("SELECT count(*) FROM places WHERE level = '{level}'")
            ),
            distinct,
            "{file}: {key}"
        );
        for (path, rows) in expected {
            let parts: Vec<&str> = path.split('/').collect();
            let (leaf, parent) = (parts[parts.len() - 1], parts[parts.len() - 2]);
            let persons = count(
                store,
                &format!(
                    "SELECT count(DISTINCT p.id) FROM persons p LEFT JOIN households h ON h.id = p.household_id
                     LEFT JOIN arrivals a ON a.person_id = p.id
                     JOIN places pl ON pl.id = coalesce(h.place_id, a.destination_place_id)
                     JOIN places pp ON pp.id = pl.parent_id
                     WHERE pl.name = '{leaf}' AND pp.name = '{parent}' AND pl.level = '{level}'"
                ),
            );
            assert_eq!(persons, rows.as_i64().unwrap(), "{file}: persons in {path}");
        }
    }
}
