//! The part of taking a row that needs no ledger: telling it from titles, totals and tables
//! stacked below (`classify`), and reading a data row's cells through its columns into the
//! person's values and the record's. An .xlsx runs this stage on its reading thread
//! (`read::Book::for_each_row`), so it costs the import's writing no time.

use chrono::NaiveDate;

use super::classify::{classify, looks_like_other_header, RowKind, Shape, Skip};
use super::columns::Column;
use super::read::RawCell;
use super::target::Target;
use crate::model::fields;
use crate::model::input::{Context, Mode, Values};

/// A row read: skipped with its reason, or its values.
pub enum Read {
    Skip(Skip),
    Data { person: Values, record: Values },
}

/// Reads the rows of one sheet in order (a row's kind depends on the rows above it).
#[derive(Clone)]
pub struct RowReader {
    columns: Vec<Column>,
    /// For each column, whether its value is the person's rather than the record's.
    of_person: Vec<bool>,
    shape: Shape,
    today: NaiveDate,
    default_year: i32,
    /// Whether the row above ended a stretch of data (a blank, a title, a total).
    after_break: bool,
    /// Inside a table of another kind stacked below the ledger's rows.
    in_other_table: bool,
}

impl RowReader {
    pub fn new(
        target: Target,
        columns: Vec<Column>,
        mut shape: Shape,
        today: NaiveDate,
        default_year: i32,
    ) -> RowReader {
        let indexes = |key: &str| -> Vec<usize> {
            columns
                .iter()
                .filter(|c| c.fixed.is_none() && c.field.key == key)
                .flat_map(|c| c.index..c.index + c.span)
                .collect()
        };
        shape.identity = indexes("name");
        shape.ids = indexes("id_number");
        let of_person = columns
            .iter()
            .map(|c| {
                target.has_person()
                    && fields::PERSON.iter().any(|f| f.key == c.field.key)
                    && !target.own().iter().any(|f| f.key == c.field.key)
            })
            .collect();
        RowReader {
            columns,
            of_person,
            shape,
            today,
            default_year,
            after_break: false,
            in_other_table: false,
        }
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The next row of the sheet, read.
    pub fn take(&mut self, cells: &[RawCell]) -> Read {
        let mut kind = classify(cells, &self.shape);
        // A table of another kind stacked below this one (its own header after a title or a
        // blank row): skipped to the next blank row, never read as persons.
        if self.in_other_table {
            match kind {
                // The block ends at a blank row, or with its own total.
                RowKind::Skip(Skip::Blank | Skip::Total) => self.in_other_table = false,
                _ => kind = RowKind::Skip(Skip::Summary),
            }
        } else if kind == RowKind::Data
            && self.after_break
            && looks_like_other_header(cells, &self.shape)
        {
            self.in_other_table = true;
            kind = RowKind::Skip(Skip::Summary);
        }
        self.after_break = matches!(
            kind,
            RowKind::Skip(Skip::Blank | Skip::TableTitle | Skip::Total)
        );
        match kind {
            RowKind::Skip(skip) => Read::Skip(skip),
            RowKind::Data => {
                let (person, record) = self.values(cells);
                Read::Data { person, record }
            }
        }
    }

    /// A data row's values, read through its columns: the person's apart from the record's.
    pub fn values(&self, cells: &[RawCell]) -> (Values, Values) {
        let mut person = Values::new();
        let mut record = Values::new();
        for (column, of_person) in self.columns.iter().zip(&self.of_person) {
            let cell = column.cell(cells);
            let cx = Context {
                today: self.today,
                default_year: self.default_year,
                header: &column.header,
            };
            let into = if *of_person { &mut person } else { &mut record };
            into.read(column.field, &cell, &cx, Mode::Lenient);
        }
        (person, record)
    }
}
