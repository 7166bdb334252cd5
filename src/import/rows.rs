//! One sheet's rows imported, row by row: each row is told from titles, totals and footers,
//! read through its columns, its person found (or added) with their household and place,
//! and its record kept through the record's kind (`crate::kinds`) — the same rules a form or
//! a command meets. Everything is written as it is decided, inside the import's one
//! transaction, so every rule sees the rows above as the ledger holds them; a dry run is the
//! same run rolled back.

use std::cell::Cell;

use chrono::{NaiveDate, NaiveDateTime};

use super::classify::{Shape, Skip};
use super::columns::{defaults_notices, Column};
use super::persons::{Force, Persons, Resolved};
use super::places::Places;
use super::read::RawCell;
use super::reading::{Read, RowReader};
use super::report::{ImportReport, Outcome, Problem, Rejected, RowPreview, Skipped};
use super::target::Target;
use crate::error::Result;
use crate::kinds::{AnyKind, Kept, RowContext};
use crate::model::fields::Field;
use crate::model::input::Values;
use crate::store::{NewReview, Store};
use crate::validate::{FieldProblem, Severity};

/// How many rows the report shows as they will be written.
const PREVIEW_ROWS: usize = 50;

/// The import's batch (the provenance of what it writes), begun by its first write.
struct Batch<'a> {
    store: &'a Store,
    file: String,
    note: String,
    id: Cell<Option<i64>>,
}

impl Batch<'_> {
    fn id(&self) -> Result<i64> {
        if let Some(id) = self.id.get() {
            return Ok(id);
        }
        let id = self
            .store
            .begin_batch("导入", Some(&self.file), Some(&self.note))?;
        self.id.set(Some(id));
        Ok(id)
    }
}

pub struct Importer<'a> {
    store: &'a Store,
    target: Target,
    kind: Option<&'static dyn AnyKind>,
    sheet: String,
    today: NaiveDate,
    now: NaiveDateTime,
    /// Reads rows that do not come read (a file read whole, a review decision's row).
    reader: RowReader,
    defaulted: Vec<&'static Field>,
    pub places: Places<'a>,
    persons: Persons<'a>,
    batch: Batch<'a>,
    /// Rows whose record was kept (inserted, updated or already there).
    records_kept: usize,
    last_person: Option<i64>,
    /// Households met so far → their place.
    household_places: std::collections::HashMap<i64, i64>,
    pub report: ImportReport,
}

impl<'a> Importer<'a> {
    #[allow(clippy::too_many_arguments)] // reason: what an import is travels with it
    pub fn new(
        store: &'a Store,
        target: Target,
        file: &str,
        sheet: &str,
        columns: Vec<Column>,
        defaulted: Vec<&'static Field>,
        shape: Shape,
        places: Places<'a>,
        default_year: i32,
        report: ImportReport,
    ) -> Importer<'a> {
        Importer {
            store,
            target,
            kind: target.entity().and_then(crate::kinds::of),
            sheet: sheet.to_string(),
            today: store.today(),
            now: store.now(),
            reader: RowReader::new(target, columns, shape, store.today(), default_year),
            defaulted,
            places,
            persons: Persons::new(store, target, file, sheet),
            batch: Batch {
                store,
                file: file.to_string(),
                note: format!("工作表“{sheet}”，按{}导入", target.label()),
                id: Cell::new(None),
            },
            records_kept: 0,
            last_person: None,
            household_places: std::collections::HashMap::new(),
            report,
        }
    }

    /// Decides the person of the rows to come (a review decision) instead of matching.
    pub fn force(&mut self, force: Force) {
        self.persons.force = Some(force);
    }

    /// The person of the last row taken.
    pub fn last_person(&self) -> Option<i64> {
        self.last_person
    }

    /// A reader of this sheet's rows in their order, to run where the rows are read.
    pub fn reader(&self) -> RowReader {
        self.reader.clone()
    }

    /// Takes one row of the sheet (`row` is its number as the sheet shows it, from 1), read by
    /// a [`RowReader`] that has read the rows above it.
    pub fn take(&mut self, row: usize, cells: &[RawCell], read: Read) -> Result<Outcome> {
        let (person_values, values) = match read {
            Read::Data { person, record } => (person, record),
            Read::Skip(skip) => {
                self.skip(row, cells, skip);
                return Ok(Outcome::Unchanged);
            }
        };
        self.data_values(row, cells, person_values, values)
    }

    /// A row that is not data: counted, and listed with its reason unless blank.
    fn skip(&mut self, row: usize, cells: &[RawCell], skip: Skip) {
        self.persons.break_run();
        self.report.skipped_rows += 1;
        if skip != Skip::Blank {
            self.report.skipped.push(Skipped {
                sheet: self.sheet.clone(),
                row,
                reason: skip.code().into(),
                label: skip.label().into(),
                text: cells
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| c.text_short(20))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(60)
                    .collect(),
            });
        }
    }

    /// Takes a row known to be data (a review decision's row, whose values are fixed).
    pub fn data_row(&mut self, row: usize, cells: &[RawCell]) -> Result<Outcome> {
        let (person_values, values) = self.reader.values(cells);
        self.data_values(row, cells, person_values, values)
    }

    /// Takes a data row, its values read.
    fn data_values(
        &mut self,
        row: usize,
        cells: &[RawCell],
        person_values: Values,
        values: Values,
    ) -> Result<Outcome> {
        self.report.data_rows += 1;
        let mut problems = Vec::new();
        let (outcome, name, person, record) = if self.target.has_person() {
            self.person_row(row, cells, person_values, values, &mut problems)?
        } else {
            self.stop_row(row, values, &mut problems)?
        };
        self.last_person = person;
        let name = if name.is_empty() {
            self.reader
                .columns()
                .iter()
                .find(|c| c.field.key == "name")
                .map(|c| c.cell(cells).text_short(50))
                .unwrap_or_default()
        } else {
            name
        };
        self.report.count(outcome);
        if self.report.preview.len() < PREVIEW_ROWS {
            let household = match person {
                Some(id) => self
                    .store
                    .person(id)?
                    .household_id
                    .map(|h| self.store.household_summary(h))
                    .transpose()?
                    .map(|s| format!("{} {}", s.place_path, s.label())),
                None => None,
            };
            self.report.preview.push(RowPreview {
                sheet: self.report.sheet.clone(),
                row,
                outcome,
                outcome_label: outcome.label().into(),
                name: name.clone(),
                household,
                record,
            });
        }
        if matches!(outcome, Outcome::Refused | Outcome::Partial) {
            self.report.rejected.push(Rejected::new(
                &self.report.sheet,
                row,
                cells.iter().map(|c| c.text_short(2000)),
            ));
        }
        for p in problems {
            self.problem(row, &name, cells, p);
        }
        for (late_row, late_name, p) in std::mem::take(&mut self.persons.late) {
            self.problem(late_row, &late_name, &[], p);
        }
        Ok(outcome)
    }

    /// A row as its review item keeps it: every value as text, and the target.
    fn incoming(&self, cells: &[RawCell]) -> serde_json::Value {
        let (person_values, values) = self.reader.values(cells);
        let mut json = person_values.to_json();
        if let (serde_json::Value::Object(map), serde_json::Value::Object(more)) =
            (&mut json, values.to_json())
        {
            map.extend(more);
        }
        json["_target"] = serde_json::Value::String(self.target.key().into());
        json
    }

    /// A row about a person of the register: the person, then their record.
    fn person_row(
        &mut self,
        row: usize,
        cells: &[RawCell],
        person_values: Values,
        mut values: Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<(Outcome, String, Option<i64>, Option<String>)> {
        // The record's own problems (required fields, bad values) are known before anything
        // is decided about the person.
        values.require(self.target.own());
        let record_problems = std::mem::take(&mut values.problems);
        let record_failed = record_problems
            .iter()
            .any(|p| p.severity == Severity::Error);
        problems.extend(record_problems);
        let place = match self.places.of_row(&values)? {
            Ok(place) => place,
            Err(problem) => {
                self.persons.break_run();
                problems.push(problem);
                return Ok((Outcome::Refused, String::new(), None, None));
            }
        };
        let batch = &self.batch;
        let resolved = self.persons.resolve(
            &mut self.places,
            row,
            person_values,
            &values,
            place,
            &|| batch.id(),
            problems,
        )?;
        let (person, name, household, person_outcome) = match resolved {
            Resolved::Kept {
                id,
                name,
                household,
                outcome,
            } => (id, name, household, outcome),
            Resolved::Refused(problem) => {
                problems.push(problem);
                return Ok((Outcome::Refused, String::new(), None, None));
            }
            Resolved::Review { candidate, reason } => {
                let json = self.incoming(cells);
                self.store.add_review(&NewReview {
                    batch_id: self.batch.id()?,
                    sheet: &self.sheet,
                    row_number: row,
                    target: self.target.key(),
                    incoming: &json,
                    person_id: candidate,
                    reason: &reason,
                })?;
                return Ok((Outcome::Review, String::new(), None, None));
            }
        };
        let Some(kind) = self.kind.filter(|_| !record_failed) else {
            let outcome = if record_failed {
                Outcome::Partial
            } else {
                person_outcome
            };
            return Ok((outcome, name, Some(person), None));
        };
        // Where the record belongs: the person's household's place, else the row's.
        let home = match household {
            Some(h) => Some(match self.household_places.get(&h) {
                Some(p) => *p,
                None => {
                    let p = self.store.household_place(h)?;
                    self.household_places.insert(h, p);
                    p
                }
            }),
            None => None,
        };
        let kept = self.keep_record(
            kind,
            row,
            Some(person),
            (place, home.or(place)),
            &values,
            problems,
        )?;
        let failed = problems.iter().any(|p| p.severity == Severity::Error);
        let outcome = match &kept {
            _ if failed => Outcome::Partial,
            None => Outcome::Partial,
            Some((Kept::Same(_), _)) => person_outcome,
            Some((Kept::Inserted(_), _)) => match person_outcome {
                Outcome::Unchanged => Outcome::Inserted,
                other => other,
            },
            Some((Kept::Updated(_), _)) => match person_outcome {
                Outcome::Unchanged => Outcome::Updated,
                other => other,
            },
        };
        Ok((outcome, name, Some(person), kept.map(|(_, d)| d)))
    }

    /// A checkpoint stop: the traveller is kept as seen (linked to the register by ID).
    fn stop_row(
        &mut self,
        row: usize,
        mut values: Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<(Outcome, String, Option<i64>, Option<String>)> {
        values.require(self.target.own());
        problems.append(&mut values.problems);
        let name = values.text("name").unwrap_or_default();
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Ok((Outcome::Refused, name, None, None));
        }
        let place = match self.places.of_row(&values)? {
            Ok(place) => place,
            Err(problem) => {
                problems.push(problem);
                return Ok((Outcome::Refused, name, None, None));
            }
        };
        let Some(kind) = self.kind else {
            return Ok((Outcome::Refused, name, None, None));
        };
        Ok(
            match self.keep_record(kind, row, None, (place, place), &values, problems)? {
                Some((kept, describe)) => (
                    match kept {
                        Kept::Inserted(_) => Outcome::Inserted,
                        Kept::Updated(_) => Outcome::Updated,
                        Kept::Same(_) => Outcome::Unchanged,
                    },
                    name,
                    None,
                    Some(describe),
                ),
                None => (Outcome::Refused, name, None, None),
            },
        )
    }

    /// Keeps a row's record through its kind, with its provenance and original texts; the
    /// record lies at (the row's place, its person's home place or else the row's).
    fn keep_record(
        &mut self,
        kind: &'static dyn AnyKind,
        row: usize,
        person: Option<i64>,
        (place, home): (Option<i64>, Option<i64>),
        values: &Values,
        problems: &mut Vec<FieldProblem>,
    ) -> Result<Option<(Kept, String)>> {
        let batch = &self.batch;
        let cx = RowContext {
            today: self.today,
            now: self.now,
            place,
            home,
            places: &self.places.book,
            batch: &|| batch.id(),
        };
        let Some(record) = kind.keep_row(self.store, &cx, person, values, problems)? else {
            return Ok(None);
        };
        self.records_kept += 1;
        if !matches!(record.kept, Kept::Same(_)) {
            let id = record.kept.id();
            self.store
                .keep_originals(record.entity, id, &values.originals)?;
            self.store
                .add_record_source(self.batch.id()?, record.entity, id, &self.sheet, row)?;
        }
        Ok(Some((record.kept, record.describe)))
    }

    fn problem(&mut self, row: usize, name: &str, cells: &[RawCell], p: FieldProblem) {
        // A text cut short to fit the ledger is kept whole in the problem list (as much as an
        // Excel cell holds), as its warning promises; other values are shown short.
        let whole = if p.code == "text_truncated" {
            32_000
        } else {
            100
        };
        let (column, value) = self.column_of(&p.field, cells, whole);
        self.report.problems.push(Problem {
            sheet: self.sheet.clone(),
            row,
            name: name.to_string(),
            column,
            value,
            code: p.code,
            message: p.message,
            warning: p.severity == Severity::Warning,
        });
    }

    /// The header and cell text of the column a field came from (for a derived field, the
    /// ID column or the name column).
    fn column_of(&self, field: &str, cells: &[RawCell], longest: usize) -> (String, String) {
        let column = self
            .reader
            .columns()
            .iter()
            .find(|c| c.field.key == field)
            .or_else(|| {
                self.reader
                    .columns()
                    .iter()
                    .find(|c| c.field.key == "id_number")
            })
            .or_else(|| self.reader.columns().iter().find(|c| c.field.key == "name"));
        match column {
            Some(c) => (c.header.clone(), c.cell(cells).text_short(longest)),
            None => (String::new(), String::new()),
        }
    }

    /// The report, once every row is in.
    pub fn finish(mut self) -> ImportReport {
        self.persons.end_family();
        for (row, name, p) in std::mem::take(&mut self.persons.late) {
            self.problem(row, &name, &[], p);
        }
        self.report.notices = defaults_notices(&self.defaulted, self.records_kept);
        self.report.unknown_places = self.places.unknown();
        self.report.places_created = self.places.created();
        self.report.households = self.persons.household_changes();
        self.report.writes =
            self.batch.id.get().is_some() || !self.report.places_created.is_empty();
        self.report.batch_id = self.batch.id.get().filter(|_| !self.report.dry_run);
        self.report.count_problems();
        self.report
    }
}
