//! What goes into a cell: the formats (宋体, borders, text kept as text, Chinese dates),
//! one value of a row, a merged line across the table, and the limits Excel sets on names,
//! text and dates.

use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::super::{Cell, FieldKind};

/// The font offices use on their forms.
const FONT: &str = "宋体";
/// The body text size in points. With `MIN_SCALE` the printed text is at least 9 pt.
pub const BODY_SIZE: f64 = 11.0;
/// Excel's limit for the text of one cell.
const CELL_TEXT_MAX: usize = 32_767;

pub struct Formats {
    pub title: Format,
    pub meta: Format,
    pub meta_right: Format,
    pub header: Format,
    pub text: Format,
    pub date: Format,
    pub date_time: Format,
    pub number: Format,
    pub temperature: Format,
    pub total: Format,
    pub note: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let plain = Format::new().set_font_name(FONT).set_font_size(BODY_SIZE);
        let cell = plain
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: plain
                .clone()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            meta: plain.clone().set_align(FormatAlign::Left).set_text_wrap(),
            meta_right: plain.clone().set_align(FormatAlign::Right).set_text_wrap(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2"),
            // "@" keeps IDs and phones text even when a clerk retypes them in Excel.
            text: cell.clone().set_num_format("@").set_text_wrap(),
            date: cell
                .clone()
                .set_num_format("yyyy\"年\"m\"月\"d\"日\"")
                .set_align(FormatAlign::Center),
            date_time: cell
                .clone()
                .set_num_format("yyyy\"年\"m\"月\"d\"日\" hh:mm")
                .set_align(FormatAlign::Center),
            number: cell.clone().set_align(FormatAlign::Center),
            temperature: cell
                .clone()
                .set_num_format("0.0")
                .set_align(FormatAlign::Center),
            total: cell
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            note: plain.set_align(FormatAlign::Left).set_text_wrap(),
        }
    }
}

/// Excel refuses sheet names over 31 characters or with []:*?/\.
pub fn sheet_name(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "报表".into()
    } else {
        name
    }
}

/// A line across columns `first` to `last` of `row` (merged when more than one).
pub fn merge_cells(
    sheet: &mut Worksheet,
    row: u32,
    first: u16,
    last: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = cell_text(text);
    if first == last {
        sheet.write_string_with_format(row, first, text, format)?;
    } else {
        sheet.merge_range(row, first, row, last, text, format)?;
    }
    Ok(())
}

/// Text as a cell may hold it: Excel stops at 32,767 characters, and a report must never
/// fail because an older ledger holds a longer note.
fn cell_text(text: &str) -> &str {
    match text.char_indices().nth(CELL_TEXT_MAX - 1) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A date Excel can hold (1900–9999); anything else is written as text.
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    if !(1900..=9999).contains(&d.year()) {
        return None;
    }
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

pub fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    kind: FieldKind,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => sheet.write_blank(row, col, &f.text)?,
        // IDs, phones and every other text are strings: never a number Excel could round.
        Cell::Text(t) => sheet.write_string_with_format(row, col, cell_text(t), &f.text)?,
        Cell::Number(n) if kind == FieldKind::Temperature => {
            sheet.write_number_with_format(row, col, *n, &f.temperature)?
        }
        Cell::Number(n) => sheet.write_number_with_format(row, col, *n, &f.number)?,
        Cell::Date(d) => match excel_date(*d) {
            Some(date) => sheet.write_datetime_with_format(row, col, &date, &f.date)?,
            None => sheet.write_string_with_format(row, col, d.to_string(), &f.text)?,
        },
        Cell::DateTime(t) => match excel_date(t.date()) {
            Some(date) => {
                let time = date.and_hms(t.hour() as u16, t.minute() as u8, 0)?;
                sheet.write_datetime_with_format(row, col, &time, &f.date_time)?
            }
            None => sheet.write_string_with_format(row, col, t.to_string(), &f.text)?,
        },
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_dates_outside_excel_s_limits_are_written_as_text() {
        let long = "字".repeat(40_000);
        assert_eq!(cell_text(&long).chars().count(), CELL_TEXT_MAX - 1);
        assert!(excel_date(NaiveDate::from_ymd_opt(1026, 11, 10).unwrap()).is_none());
        assert!(excel_date(NaiveDate::from_ymd_opt(2026, 11, 10).unwrap()).is_some());
    }
}
