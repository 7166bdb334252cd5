//! One value of a report cell, and the kinds of fields, which decide how a cell is written
//! (IDs and phones always as text, dates as real date cells) and masked for public posting.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    /// A resident ID or other document number: text, never a number; masked on request.
    IdNumber,
    /// A phone: text; masked on request.
    Phone,
    Date,
    /// A date with a time of day (检查时间): a real date-time cell.
    DateTime,
    Integer,
    /// Body temperature, one decimal.
    Temperature,
    /// A division code or an address: a 6-digit code is written as its name.
    Division,
    /// 序号: counted by the report, not read from the ledger.
    RowNumber,
}

/// A cell value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Cell {
    /// The cell as the preview shows it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => format!("{n:.1}"),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// The cell as the preview shows it in a column of `kind`: a temperature keeps its one
    /// decimal (36.0, as the exported cell shows it).
    pub fn display_as(&self, kind: FieldKind) -> String {
        match (self, kind) {
            (Cell::Number(n), FieldKind::Temperature) => format!("{n:.1}"),
            _ => self.display(),
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// 11010519491231002X → 1101**********002X: region and last four kept.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let keep_end = 4;
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - keep_end..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4 - keep_end))
}

/// 13812345678 → 138****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_what_forms_for_public_posting_keep() {
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0755-12345678"), "075******5678");
    }
}
