//! Writes a report as an xlsx that clerks can send upward and print as it is: title and meta
//! rows, the merged multi-row header, IDs and phones as text, dates and times as real cells
//! in a Chinese format, 宋体 throughout, wrapped cells in columns as wide as their content,
//! a frozen header, page numbers, and an A4 landscape print setup that never shrinks text
//! below 9 pt: a table too wide for that is printed across pages with its key columns (序号,
//! 姓名) repeated. Rows stream (constant memory).

use std::path::Path;

use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::prepared::{Prepared, Tally};
use super::{Cell, FieldKind};
use crate::error::{Code, Error, Result};

/// The font offices use on their forms.
const FONT: &str = "宋体";
/// The body text size in points. With `MIN_SCALE` the printed text is at least 9 pt.
const BODY_SIZE: f64 = 11.0;
/// The smallest print scale (percent): 11 pt × 82 % ≈ 9 pt.
pub const MIN_SCALE: u16 = 82;
/// Column width units that fit across A4 landscape with Excel's default margins at 100 %
/// (measured with LibreOffice: 133–135).
const PAGE_WIDTH_UNITS: f64 = 135.0;
/// What a column takes beyond its width: Excel stores a width of w as w + 0.71 (5 pixels of
/// padding), and the page holds the stored widths.
const COLUMN_PADDING: f64 = 0.71;
/// The height of one line of body text, in points (宋体 11 pt and the CJK fonts that stand
/// in for it need about 16).
const LINE_HEIGHT: f64 = 16.0;
/// Excel's limit for the text of one cell.
const CELL_TEXT_MAX: usize = 32_767;

struct Formats {
    title: Format,
    meta: Format,
    meta_right: Format,
    header: Format,
    text: Format,
    date: Format,
    date_time: Format,
    number: Format,
    temperature: Format,
    total: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
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

/// Display width in Excel's column units: a Chinese character is about two. A digit of 宋体
/// is about 1.05 units; the CJK fonts LibreOffice puts in its place where 宋体 is missing are
/// a little wider, so a digit counts 1.15 and an 18-digit ID never wraps there either.
fn text_width(text: &str) -> f64 {
    text.lines()
        .map(|line| {
            line.chars()
                .map(|c| if c.is_ascii() { 1.15 } else { 2.2 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// The narrowest a column may be: its header wraps onto lines of at least five characters.
fn min_width(kind: FieldKind, header: &str) -> f64 {
    let by_kind: f64 = match kind {
        FieldKind::IdNumber => 23.0,
        FieldKind::Phone => 14.5,
        // 2026年11月21日 (07:44): a date cell does not wrap, so it must fit on one line.
        FieldKind::Date => 17.0,
        FieldKind::DateTime => 24.0,
        FieldKind::RowNumber => 5.5,
        FieldKind::Integer | FieldKind::Temperature => 5.0,
        FieldKind::Division | FieldKind::Text => 6.0,
    };
    by_kind.max(text_width(header).min(11.0) + 1.0)
}

/// The widest a column grows for its content; longer text wraps.
fn max_width(kind: FieldKind) -> f64 {
    match kind {
        FieldKind::Text | FieldKind::Division => 26.0,
        FieldKind::DateTime => 24.0,
        FieldKind::IdNumber => 23.0,
        _ => 21.0,
    }
}

/// Excel refuses sheet names over 31 characters or with []:*?/\.
fn sheet_name(name: &str) -> String {
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

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| {
        Error::refused(
            Code::WriteFailed,
            format!(
                "无法写出报表文件 {}：{e}。请确认文件未在 Excel/WPS 中打开，且目录可写。",
                path.display()
            ),
        )
    }
}

/// How a report is laid out on paper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintFit {
    /// Fit the width of the table onto one page (the scale Excel picks is at least
    /// `MIN_SCALE`); otherwise print at `MIN_SCALE` across pages.
    pub one_page_wide: bool,
    /// Columns repeated on every page when printed across pages (序号 to 姓名).
    pub repeat_columns: Option<(u16, u16)>,
}

/// Decides the print layout from the column widths.
pub fn print_fit(widths: &[f64], key_columns: Option<u16>) -> PrintFit {
    let total: f64 = widths.iter().map(|w| w + COLUMN_PADDING).sum();
    let scale = PAGE_WIDTH_UNITS / total.max(1.0) * 100.0;
    if scale >= f64::from(MIN_SCALE) {
        PrintFit {
            one_page_wide: true,
            repeat_columns: None,
        }
    } else {
        PrintFit {
            one_page_wide: false,
            repeat_columns: key_columns.map(|last| (0, last)),
        }
    }
}

/// Writes the report; returns (data rows, whether it is a zero report).
/// The rows of a report as they come: a producer that hands each row to the callback it is
/// given and returns what they added up to.
pub(super) type Rows<'r> =
    &'r mut dyn FnMut(&mut dyn FnMut(Vec<Cell>) -> Result<()>) -> Result<Tally>;

/// Writes a prepared report and the rows `rows` produces into an xlsx at `path`. The writer
/// knows nothing of the ledger: it writes what it is handed.
pub(super) fn write(p: &Prepared, rows: Rows, path: &Path) -> Result<(usize, bool)> {
    let err = xlsx_error(path);
    let f = Formats::new();
    let template = p.template;
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
    let mut widths: Vec<f64> = template
        .columns
        .iter()
        .zip(&p.kinds)
        .map(|(column, kind)| {
            min_width(
                *kind,
                column.header.last().map(String::as_str).unwrap_or(""),
            )
        })
        .collect();

    // The widest each column can grow (a width the template fixes is the width).
    let caps: Vec<f64> = template
        .columns
        .iter()
        .zip(&p.kinds)
        .zip(&widths)
        .map(|((column, kind), least)| {
            // Only text grows a column: numbers and dates keep their least width.
            let grows = matches!(
                kind,
                FieldKind::Text | FieldKind::Division | FieldKind::IdNumber | FieldKind::Phone
            );
            column.width.unwrap_or(if grows {
                least.max(max_width(*kind))
            } else {
                *least
            })
        })
        .collect();
    // Lines across the table (title, 填报单位, notes) span the first page's columns.
    let span_last = first_page_last(&caps);
    let span_columns = span_last + 1;

    let mut row: u32 = 0;
    merge_or_write(sheet, row, span_last, template.title(), &f.title).map_err(&err)?;
    sheet.set_row_height(row, 30).map_err(&err)?;
    row += 1;
    let meta_row = p.meta.as_ref().map(|_| row);
    if p.meta.is_some() {
        row += 1;
    }
    // The meta row: 填报日期 gets the right part of the row (columns only grow from here, as
    // rows stream in), so it is never cut off.
    if let (Some(meta), Some(meta_row)) = (&p.meta, meta_row) {
        // 填报日期 takes as few columns at the right as it needs once they have grown (their
        // largest widths), so 填报单位 keeps the rest; heights are judged on the least widths.
        let right_width = text_width(&meta.right) + 2.0;
        let mut split = span_columns;
        let mut acc = 0.0;
        while split > 1 && acc < right_width {
            split -= 1;
            acc += caps[split as usize];
        }
        if span_columns >= 2 && split >= 1 {
            merge_cells(sheet, meta_row, 0, split - 1, &meta.left, &f.meta).map_err(&err)?;
            merge_cells(
                sheet,
                meta_row,
                split,
                span_last,
                &meta.right,
                &f.meta_right,
            )
            .map_err(&err)?;
            let left_width: f64 = widths[..split as usize].iter().sum();
            sheet
                .set_row_height(meta_row, wrapped_height(&meta.left, left_width))
                .map_err(&err)?;
        } else {
            let text = format!("{}　{}", meta.left, meta.right);
            merge_or_write(sheet, meta_row, span_last, &text, &f.meta).map_err(&err)?;
            let width = widths[..span_columns as usize].iter().sum();
            sheet
                .set_row_height(meta_row, wrapped_height(&text, width))
                .map_err(&err)?;
        }
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

    // The rows are read from the ledger on this thread and written into the sheet on another,
    // so the query and the writing overlap (a laptop has two cores); the channel holds a few
    // hundred rows at most, so memory stays flat whatever the size of the report.
    let first_row = row;
    let rows_sheet = &mut *sheet;
    let (tally, written) = std::thread::scope(|scope| {
        let (rows_out, rows_in) = std::sync::mpsc::sync_channel::<Vec<Cell>>(256);
        let widths = &mut widths;
        let kinds = &p.kinds;
        let caps = &caps;
        let f = &f;
        let writer = scope.spawn(move || -> std::result::Result<u32, XlsxError> {
            let mut row = first_row;
            // Each text's width, measured once for the column's width and the row's height.
            let mut shown: Vec<f64> = Vec::new();
            for cells in rows_in {
                shown.clear();
                shown.extend(cells.iter().map(|cell| match cell {
                    Cell::Text(t) => text_width(t),
                    _ => 0.0,
                }));
                // A row with wrapping text is made tall enough for it (LibreOffice does not
                // grow it on opening, and the lines would print over the next row).
                let lines = shown
                    .iter()
                    .zip(caps)
                    .map(|(width, cap)| lines_of(*width, *cap))
                    .fold(1.0, f64::max);
                if lines > 1.0 {
                    rows_sheet.set_row_height(row, LINE_HEIGHT * lines)?;
                }
                for (col, (cell, kind)) in cells.iter().zip(kinds).enumerate() {
                    widths[col] = widths[col].max(shown[col].min(max_width(*kind)) + 1.0);
                    write_cell(rows_sheet, row, col as u16, cell, *kind, f)?;
                }
                row += 1;
            }
            Ok(row)
        });
        let tally = rows(&mut |cells| {
            // A writer that failed has stopped taking rows; its error is reported below.
            rows_out.send(cells).ok();
            Ok(())
        });
        drop(rows_out);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (tally, written)
    });
    row = written.map_err(&err)?;
    let tally = tally?;
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
        merge_or_write(sheet, row, span_last, text, &f.total).map_err(&err)?;
        row += 1;
    }
    let table_width: f64 = widths[..span_columns as usize].iter().sum();
    let lines = p.definitions.iter().chain(&template.footer);
    for line in lines {
        row += 1;
        merge_or_write(sheet, row, span_last, line, &f.note).map_err(&err)?;
        sheet
            .set_row_height(row, wrapped_height(line, table_width))
            .map_err(&err)?;
    }
    // The widths as written (a width the template fixes wins): the print fit is judged on these.
    let widths: Vec<f64> = widths
        .iter()
        .zip(&template.columns)
        .map(|(width, column)| column.width.unwrap_or(*width))
        .collect();
    for (i, width) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *width).map_err(&err)?;
    }

    let key = template
        .columns
        .iter()
        .position(|c| c.field == "name")
        .or_else(|| template.columns.iter().position(|c| c.field == "village"))
        .map(|i| i as u16);
    let fit = print_fit(&widths, key);
    sheet.set_paper_size(9).set_landscape();
    if fit.one_page_wide {
        sheet.set_print_fit_to_pages(1, 0);
    } else {
        sheet.set_print_scale(MIN_SCALE);
        if let Some((first, last)) = fit.repeat_columns {
            sheet.set_repeat_columns(first, last).map_err(&err)?;
        }
    }
    sheet
        .set_repeat_rows(header_first, header_last)
        .map_err(&err)?;
    sheet.set_footer("&C第 &P 页  共 &N 页");

    // `path` is the hidden temporary file of `files::save`, moved into place afterwards.
    workbook.save(path).map_err(&err)?;
    Ok((tally.rows, zero.is_some()))
}

/// The height (points) of a row whose text wraps across `width` column units.
fn wrapped_height(text: &str, width: f64) -> f64 {
    let lines = (text_width(text) / (width - 1.0).max(1.0)).ceil().max(1.0);
    LINE_HEIGHT * lines
}

/// The lines a data cell of text `width` takes. A column grows to its widest cell up to
/// `cap` (its largest width), so a text wider than that wraps at `cap` and the rest fit on
/// one line: the count is known when the row is written, before the column's final width is.
fn lines_of(width: f64, cap: f64) -> f64 {
    if width + 1.0 > cap {
        (width / (cap - 1.0).max(1.0)).ceil()
    } else {
        1.0
    }
}

/// The last column printed on the first page when the table is too wide for one: the
/// title, 填报单位 / 填报日期 and the notes are laid over these columns, so page 1 carries
/// them whole. `caps` are the widest the columns can grow, so the guess errs towards fewer.
fn first_page_last(caps: &[f64]) -> u16 {
    let capacity = PAGE_WIDTH_UNITS * 100.0 / f64::from(MIN_SCALE);
    let mut used = 0.0;
    let mut last = 0;
    for (i, cap) in caps.iter().enumerate() {
        used += cap + COLUMN_PADDING;
        if used > capacity && i > 0 {
            break;
        }
        last = i;
    }
    last as u16
}

/// A line across the whole width of the table (merged when there is more than one column).
fn merge_or_write(
    sheet: &mut Worksheet,
    row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    merge_cells(sheet, row, 0, last_col, text, format)
}

fn merge_cells(
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
    fn a_narrow_table_fits_one_page_and_a_wide_one_repeats_its_key_columns() {
        let narrow = print_fit(&[6.0, 10.0, 21.0, 14.0, 16.0], Some(1));
        assert!(narrow.one_page_wide);
        let wide = print_fit(&[6.0; 45], Some(1));
        assert_eq!(
            wide,
            PrintFit {
                one_page_wide: false,
                repeat_columns: Some((0, 1))
            }
        );
        // Fitting onto one page never takes the text below 9 pt.
        let widest_fitted = PAGE_WIDTH_UNITS / (f64::from(MIN_SCALE) / 100.0);
        assert!(print_fit(&[widest_fitted - 1.0], None).one_page_wide);
        assert!(!print_fit(&[widest_fitted + 1.0], None).one_page_wide);
        assert!(BODY_SIZE * f64::from(MIN_SCALE) / 100.0 >= 9.0);
    }

    #[test]
    fn a_long_text_wraps_at_its_column_s_largest_width_and_the_first_page_is_known() {
        // Short text, a number, or text up to the cap: one line; longer: as many as it takes.
        assert_eq!(lines_of(text_width("东街3号"), 26.0), 1.0);
        assert_eq!(lines_of(0.0, 6.0), 1.0);
        assert_eq!(
            lines_of(text_width(&"字".repeat(30)), 26.0),
            (66.0f64 / 25.0).ceil()
        );
        // Columns that fit at the smallest scale are the first page's; never fewer than one.
        let capacity = PAGE_WIDTH_UNITS * 100.0 / f64::from(MIN_SCALE);
        let narrow = vec![10.0; 5];
        assert_eq!(first_page_last(&narrow), 4);
        let wide = vec![capacity / 4.0; 10];
        assert!(first_page_last(&wide) < 4);
        assert_eq!(first_page_last(&[capacity * 2.0, 5.0]), 0);
    }

    #[test]
    fn text_and_dates_outside_excel_s_limits_are_written_as_text() {
        let long = "字".repeat(40_000);
        assert_eq!(cell_text(&long).chars().count(), CELL_TEXT_MAX - 1);
        assert!(excel_date(NaiveDate::from_ymd_opt(1026, 11, 10).unwrap()).is_none());
        assert!(excel_date(NaiveDate::from_ymd_opt(2026, 11, 10).unwrap()).is_some());
    }
}
