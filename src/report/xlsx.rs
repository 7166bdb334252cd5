//! Writes a report as an xlsx that clerks can send upward as it is: title and meta rows, the
//! merged multi-row header, IDs and phones as text, dates as real date cells in a Chinese
//! format, borders, widths that fit Chinese text, a frozen header, and A4 landscape print
//! setup with the header repeated on every page. Rows stream (constant memory).

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::run::Prepared;
use super::{Cell, FieldKind};
use crate::error::{Error, Result};
use crate::store::Store;

struct Formats {
    title: Format,
    meta: Format,
    header: Format,
    text: Format,
    date: Format,
    number: Format,
    temperature: Format,
    total: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            meta: Format::new().set_align(FormatAlign::Left),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2"),
            // "@" keeps IDs and phones text even when a clerk retypes them in Excel.
            text: cell.clone().set_num_format("@"),
            date: cell
                .clone()
                .set_num_format("yyyy\"年\"m\"月\"d\"日\"")
                .set_align(FormatAlign::Center),
            number: cell.clone().set_align(FormatAlign::Center),
            temperature: cell
                .clone()
                .set_num_format("0.0")
                .set_align(FormatAlign::Center),
            total: cell.set_bold().set_align(FormatAlign::Center),
            note: Format::new().set_align(FormatAlign::Left).set_text_wrap(),
        }
    }
}

/// Display width in Excel character units: a Chinese character is about two.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

fn column_width(kind: FieldKind, header: &str) -> f64 {
    let by_kind: f64 = match kind {
        FieldKind::IdNumber => 21.0,
        FieldKind::Phone => 14.0,
        FieldKind::Date => 16.0,
        FieldKind::RowNumber => 6.0,
        FieldKind::Integer | FieldKind::Temperature => 8.0,
        FieldKind::Division => 24.0,
        FieldKind::Text => 10.0,
    };
    // Long headers wrap onto two lines rather than widening the column past 24.
    by_kind.max((text_width(header) + 2.0).min(24.0)).min(40.0)
}

/// Excel refuses sheet names over 31 characters or with []:*?/\.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| {
        Error::refused(
            crate::error::Code::WriteFailed,
            format!(
                "无法写出报表文件 {}：{e}。请确认文件未在 Excel/WPS 中打开，且目录可写。",
                path.display()
            ),
        )
    }
}

/// Writes the report; returns (data rows, whether it is a zero report).
pub(super) fn write(store: &Store, p: &Prepared, path: &Path) -> Result<(usize, bool)> {
    let err = xlsx_error(path);
    let f = Formats::new();
    let template = p.template;
    let columns = template.columns.len() as u16;
    let last_col = columns - 1;
    let mut workbook = Workbook::new();
    // A fixed creation time (the report day) makes the same report the same file.
    let created = ExcelDateTime::parse_from_str(&format!("{}T08:00:00", p.day)).map_err(&err)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(template.title())
            .set_creation_datetime(&created),
    );
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(&err)?;
    sheet.set_name(sheet_name(&template.name)).map_err(&err)?;
    for (i, (column, kind)) in template.columns.iter().zip(&p.kinds).enumerate() {
        let header = column.header.last().map(String::as_str).unwrap_or("");
        sheet
            .set_column_width(
                i as u16,
                column.width.unwrap_or_else(|| column_width(*kind, header)),
            )
            .map_err(&err)?;
    }

    let mut row: u32 = 0;
    merge_or_write(sheet, row, last_col, template.title(), &f.title).map_err(&err)?;
    sheet.set_row_height(row, 30).map_err(&err)?;
    row += 1;
    if let Some(meta) = &p.meta {
        merge_or_write(sheet, row, last_col, meta, &f.meta).map_err(&err)?;
        row += 1;
    }
    let header_first = row;
    for cell in &p.header {
        let (r1, c1, r2, c2) = (
            header_first + cell.row as u32,
            cell.col as u16,
            header_first + cell.last_row as u32,
            cell.last_col as u16,
        );
        if (r1, c1) == (r2, c2) {
            sheet
                .write_string_with_format(r1, c1, &cell.text, &f.header)
                .map_err(&err)?;
        } else {
            sheet
                .merge_range(r1, c1, r2, c2, &cell.text, &f.header)
                .map_err(&err)?;
        }
    }
    let header_last = header_first + p.header_rows as u32 - 1;
    row = header_last + 1;
    sheet.set_freeze_panes(row, 0).map_err(&err)?;
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    sheet
        .set_repeat_rows(header_first, header_last)
        .map_err(&err)?;

    let tally = p.rows(store, |cells| {
        for (col, (cell, kind)) in cells.iter().zip(&p.kinds).enumerate() {
            write_cell(sheet, row, col as u16, cell, *kind, &f).map_err(&err)?;
        }
        row += 1;
        Ok(())
    })?;
    if let Some(totals) = p.totals(&tally) {
        for (col, cell) in totals.iter().enumerate() {
            match cell {
                Cell::Number(n) => sheet.write_number_with_format(row, col as u16, *n, &f.total),
                Cell::Text(t) => sheet.write_string_with_format(row, col as u16, t, &f.total),
                _ => sheet.write_blank(row, col as u16, &f.total),
            }
            .map_err(&err)?;
        }
        row += 1;
    }
    let zero = p.zero_report(&tally);
    if let Some(text) = &zero {
        merge_or_write(sheet, row, last_col, text, &f.total).map_err(&err)?;
        row += 1;
    }
    for line in &template.footer {
        row += 1;
        merge_or_write(sheet, row, last_col, line, &f.note).map_err(&err)?;
    }

    // `path` is the hidden temporary file of `files::save`, moved into place afterwards.
    workbook.save(path).map_err(&err)?;
    Ok((tally.rows, zero.is_some()))
}

/// A line across the whole width of the table (merged when there is more than one column).
fn merge_or_write(
    sheet: &mut Worksheet,
    row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if last_col == 0 {
        sheet.write_string_with_format(row, 0, text, format)?;
    } else {
        sheet.merge_range(row, 0, row, last_col, text, format)?;
    }
    Ok(())
}

fn write_cell(
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
        Cell::Text(t) => sheet.write_string_with_format(row, col, t, &f.text)?,
        Cell::Number(n) if kind == FieldKind::Temperature => {
            sheet.write_number_with_format(row, col, *n, &f.temperature)?
        }
        Cell::Number(n) => sheet.write_number_with_format(row, col, *n, &f.number)?,
        Cell::Date(d) => {
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &date, &f.date)?
        }
    };
    Ok(())
}
