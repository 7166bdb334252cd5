//! Reading a value as a field, whatever door it came through: a spreadsheet cell, a text box
//! of the window, or an argument of the command line. Names and text are folded (NFKC, every
//! kind of space, control and zero-width characters), dates read in every form of FORMS.md §6
//! and held to plausible years, IDs checked and never "repaired" when Excel truncated them,
//! phones, plates, temperatures, 是/否 and 0/1 with a legend, national codes (GB/T 2261.1 sex),
//! and value synonyms (低龄 → 未成年).
//!
//! `Values::read` applies a field's rules in one of two modes. `Strict` (a form, a command)
//! refuses any bad value so the user corrects it. `Lenient` (a sheet) keeps the row whenever
//! the person can be identified: a value outside a list becomes 其他 (or the field's default,
//! or nothing) with its original text kept and a warning; a bad optional value is left out
//! with a warning. Identity fields (name, ID) and required fields are refused in both.
//!
//! This file holds what every reading shares: a raw cell (`RawCell`), a value read
//! (`Value`), why a cell could not be read (`CellProblem`) and what reading needs to know
//! (`Context`). `field_kinds` reads one cell as one kind of field (`read`); `record_values`
//! keeps the values of a record (`Values`), applies a field's rules in either `Mode`, and
//! reads a whole record typed as text (`read_typed`).

mod field_kinds;
mod record_values;

pub use field_kinds::read;
pub use record_values::{read_typed, Mode, Values};

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::validate;

/// One cell as a file holds it, or one text as a user typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell (Excel/WPS/LibreOffice date formats).
    Date(NaiveDate),
    /// A date cell with a time of day.
    DateTime(NaiveDateTime),
    Bool(bool),
    /// A formula's cached error (#N/A, #REF!, #VALUE!, #DIV/0!, #NAME?): a lookup that
    /// failed in the clerk's sheet. Never a value, never blank.
    Error(String),
}

impl RawCell {
    pub fn is_empty(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(t) => t
                .chars()
                .all(|c| c.is_whitespace() || validate::is_invisible(c)),
            _ => false,
        }
    }

    /// The cell as text, as a clerk would read it on screen.
    pub fn text(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Text(t) => t.clone(),
            RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            RawCell::Number(n) => n.to_string(),
            RawCell::Date(d) => d.to_string(),
            RawCell::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            RawCell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            RawCell::Error(e) => e.clone(),
        }
    }

    /// The cell's text cut to at most `max` characters (for messages and problem lists).
    pub fn text_short(&self, max: usize) -> String {
        let text = self.text();
        if text.chars().count() <= max {
            text
        } else {
            let mut cut: String = text.chars().take(max).collect();
            cut.push('…');
            cut
        }
    }
}

/// A field value after reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Number(f64),
    Bool(bool),
}

impl Value {
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Date(d) => d.to_string(),
            Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Value::Number(n) => format!("{n:.1}"),
            Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        }
    }
}

/// Why a cell could not be read, with a stable code.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub code: String,
    pub message: String,
    /// A warning keeps the value; an error drops it.
    pub warning: bool,
}

fn error(code: &str, message: impl Into<String>) -> CellProblem {
    CellProblem {
        code: code.into(),
        message: message.into(),
        warning: false,
    }
}

fn warning(code: &str, message: impl Into<String>) -> CellProblem {
    CellProblem {
        code: code.into(),
        message: message.into(),
        warning: true,
    }
}

/// What reading needs to know besides the cell.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The report day: dates are plausible up to a year after it, births up to it.
    pub today: NaiveDate,
    /// The year for dates written without one (1月23日).
    pub default_year: i32,
    /// The column's header text, which may carry a 0/1 legend ("是否发热(1=是,0=否)").
    pub header: &'a str,
}

impl Context<'_> {
    pub fn new(today: NaiveDate) -> Context<'static> {
        Context {
            today,
            default_year: today.year(),
            header: "",
        }
    }
}
