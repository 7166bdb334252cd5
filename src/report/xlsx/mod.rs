//! Writes a report as an xlsx that clerks can send upward and print as it is: title and meta
//! rows, the merged multi-row header, IDs and phones as text, dates and times as real cells
//! in a Chinese format, 宋体 throughout, wrapped cells in columns as wide as their content,
//! a frozen header, page numbers, and an A4 landscape print setup that never shrinks text
//! below 9 pt: a table that cannot fit one page wide (its text columns wrapping first) is
//! printed across pages with its key columns (序号, 姓名) repeated and no header group cut.
//! Rows stream (constant memory); the first thousand are held back so the layout is decided
//! on their true widths (`widths.rs`), and a form of a few hundred rows is laid out exactly.

mod cells;
mod widths;

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::prepared::{Prepared, Tally};
use super::{Cell, FieldKind};
use crate::error::{Code, Error, Result};
use cells::{merge_cells, sheet_name, write_cell, Formats};
use widths::{header_heights, text_width, wrapped_height, Columns, Layout};

pub use widths::MIN_SCALE;

/// Rows held back to decide the layout on (the memory of a thousand rows).
const HELD_ROWS: usize = 1_000;

fn xlsx_error(path: &Path) -> impl Fn(XlsxError) -> Error + '_ {
    move |e| {
        if let XlsxError::IoError(io) = &e {
            if crate::error::is_disk_full(io) {
                return Error::disk_full(path);
            }
        }
        Error::refused(
            Code::WriteFailed,
            format!(
                "无法写出报表文件 {}：{e}。请确认文件未在 Excel/WPS 中打开，且目录可写。",
                path.display()
            ),
        )
    }
}

/// The rows of a report as they come: a producer that hands each row to the callback it is
/// given and returns what they added up to.
pub(super) type Rows<'r> =
    &'r mut dyn FnMut(&mut dyn FnMut(Vec<Cell>) -> Result<()>) -> Result<Tally>;

/// Writes a prepared report and the rows `rows` produces into an xlsx at `path`; returns
/// (data rows, whether it is a zero report). The writer knows nothing of the ledger: it writes
/// what it is handed.
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
    let specs: Vec<(FieldKind, &str, Option<f64>)> = template
        .columns
        .iter()
        .zip(&p.kinds)
        .map(|(column, kind)| {
            let header = column.header.last().map(String::as_str).unwrap_or("");
            (*kind, header, column.width)
        })
        .collect();
    let mut columns = Columns::new(&specs);

    // The rows are read from the ledger on this thread and written into the sheet on another,
    // so the query and the writing overlap (a laptop has two cores); the channel holds a few
    // hundred rows at most, so memory stays flat whatever the size of the report.
    let (tally, written) = std::thread::scope(|scope| {
        let (rows_out, rows_in) = std::sync::mpsc::sync_channel::<Vec<Cell>>(256);
        let columns = &mut columns;
        let f = &f;
        let sheet = &mut *sheet;
        let writer = scope.spawn(move || -> std::result::Result<(Layout, u32), XlsxError> {
            let mut incoming = rows_in.into_iter();
            let mut held = Vec::new();
            for cells in incoming.by_ref() {
                columns.learn(&texts(&cells));
                held.push(cells);
                if held.len() == HELD_ROWS {
                    break;
                }
            }
            let layout = columns.layout(key_column(p), &header_groups(p));
            let mut row = write_top(sheet, p, f, &layout, columns)?;
            for cells in held {
                write_row(sheet, row, &cells, p, f, columns)?;
                row += 1;
            }
            for cells in incoming {
                columns.learn(&texts(&cells));
                write_row(sheet, row, &cells, p, f, columns)?;
                row += 1;
            }
            Ok((layout, row))
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
    let (layout, row) = written.map_err(&err)?;
    let tally = tally?;
    let zero = write_bottom(sheet, p, &f, &layout, &columns, &tally, row).map_err(&err)?;
    for (i, width) in columns.written().iter().enumerate() {
        sheet.set_column_width(i as u16, *width).map_err(&err)?;
    }
    page_setup(sheet, &layout).map_err(&err)?;
    // `path` is the hidden temporary file of `files::save`, moved into place afterwards.
    crate::files::write_quietly(path, |file| workbook.save_to_writer(file))?.map_err(&err)?;
    Ok((tally.rows, zero))
}

/// The width of each cell's text (0 for a cell without).
fn texts(cells: &[Cell]) -> Vec<f64> {
    cells
        .iter()
        .map(|cell| match cell {
            Cell::Text(t) => text_width(t),
            _ => 0.0,
        })
        .collect()
}

/// The last key column, repeated on every page of a table printed across pages: up to 姓名,
/// or the 社区/村 of a per-place form.
fn key_column(p: &Prepared) -> Option<u16> {
    let columns = &p.template.columns;
    columns
        .iter()
        .position(|c| c.field == "name")
        .or_else(|| columns.iter().position(|c| c.field == "village"))
        .map(|i| i as u16)
}

/// The header groups a page break must not cut: cells of the header spanning columns.
fn header_groups(p: &Prepared) -> Vec<(usize, usize)> {
    p.header
        .iter()
        .filter(|c| c.last_col > c.col)
        .map(|c| (c.col, c.last_col))
        .collect()
}

/// The title, the meta row and the header; returns the first row of data.
fn write_top(
    sheet: &mut Worksheet,
    p: &Prepared,
    f: &Formats,
    layout: &Layout,
    columns: &Columns,
) -> std::result::Result<u32, XlsxError> {
    let mut row: u32 = 0;
    merge_cells(
        sheet,
        row,
        0,
        layout.span_last,
        p.template.title(),
        &f.title,
    )?;
    sheet.set_row_height(row, 30)?;
    row += 1;
    if let Some(meta) = &p.meta {
        write_meta(sheet, row, meta, f, layout, &columns.widths)?;
        row += 1;
    }
    let header_first = row;
    // Each header row is as tall as its wrapped texts need at the columns' widths, so a
    // header never prints over the row below it. Heights are set before the rows are written:
    // a row written is gone to the file (constant memory).
    for (i, height) in header_heights(&p.header, p.header_rows, &columns.widths)
        .into_iter()
        .enumerate()
    {
        sheet.set_row_height(header_first + i as u32, height)?;
    }
    for cell in &p.header {
        let (r1, c1, r2, c2) = (
            header_first + cell.row as u32,
            cell.col as u16,
            header_first + cell.last_row as u32,
            cell.last_col as u16,
        );
        if (r1, c1) == (r2, c2) {
            sheet.write_string_with_format(r1, c1, &cell.text, &f.header)?;
        } else {
            sheet.merge_range(r1, c1, r2, c2, &cell.text, &f.header)?;
        }
    }
    let header_last = header_first + p.header_rows as u32 - 1;
    sheet.set_freeze_panes(header_last + 1, 0)?;
    sheet.set_repeat_rows(header_first, header_last)?;
    Ok(header_last + 1)
}

/// 填报单位 … on the left, 填报日期 on the right: the date takes as few columns at the right as
/// it needs at their widths (they only grow), so it is never cut or wrapped; 填报单位 keeps the
/// rest, as tall as it needs there.
fn write_meta(
    sheet: &mut Worksheet,
    row: u32,
    meta: &super::Meta,
    f: &Formats,
    layout: &Layout,
    widths: &[f64],
) -> std::result::Result<(), XlsxError> {
    let (first, last) = (layout.line_first, layout.span_last);
    let right_width = text_width(&meta.right) + 2.0;
    let mut split = last + 1;
    let mut taken = 0.0;
    while split > first + 1 && taken < right_width {
        split -= 1;
        taken += widths[split as usize] + 0.71;
    }
    if last > first && split > first {
        merge_cells(sheet, row, first, split - 1, &meta.left, &f.meta)?;
        merge_cells(sheet, row, split, last, &meta.right, &f.meta_right)?;
        let left: f64 = widths[first as usize..split as usize].iter().sum();
        sheet.set_row_height(row, wrapped_height(&meta.left, left))?;
    } else {
        let text = format!("{}　{}", meta.left, meta.right);
        merge_cells(sheet, row, first, last, &text, &f.meta)?;
        let width: f64 = widths[first as usize..=last as usize].iter().sum();
        sheet.set_row_height(row, wrapped_height(&text, width))?;
    }
    Ok(())
}

/// One data row, as tall as its wrapped text needs.
fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[Cell],
    p: &Prepared,
    f: &Formats,
    columns: &Columns,
) -> std::result::Result<(), XlsxError> {
    // LibreOffice does not grow a row on opening: the lines would print over the next row.
    if let Some(height) = columns.height(&texts(cells)) {
        sheet.set_row_height(row, height)?;
    }
    for (col, (cell, kind)) in cells.iter().zip(&p.kinds).enumerate() {
        write_cell(sheet, row, col as u16, cell, *kind, f)?;
    }
    Ok(())
}

/// 合计, the zero report and the notes under the table; returns whether it is a zero report.
fn write_bottom(
    sheet: &mut Worksheet,
    p: &Prepared,
    f: &Formats,
    layout: &Layout,
    columns: &Columns,
    tally: &Tally,
    mut row: u32,
) -> std::result::Result<bool, XlsxError> {
    if let Some(totals) = p.totals(tally) {
        for (col, cell) in totals.iter().enumerate() {
            match cell {
                Cell::Number(n) => sheet.write_number_with_format(row, col as u16, *n, &f.total),
                Cell::Text(t) => sheet.write_string_with_format(row, col as u16, t, &f.total),
                _ => sheet.write_blank(row, col as u16, &f.total),
            }?;
        }
        row += 1;
    }
    let zero = p.zero_report(tally);
    if let Some(text) = &zero {
        merge_cells(sheet, row, 0, layout.span_last, text, &f.total)?;
        row += 1;
    }
    let (first, last) = (layout.line_first, layout.span_last);
    let width: f64 = columns.widths[first as usize..=last as usize].iter().sum();
    for line in p.definitions.iter().chain(&p.template.footer) {
        row += 1;
        merge_cells(sheet, row, first, last, line, &f.note)?;
        sheet.set_row_height(row, wrapped_height(line, width))?;
    }
    Ok(zero.is_some())
}

/// A4 landscape; one page wide and centred, or at `MIN_SCALE` across the pages planned with
/// the key columns repeated; page numbers in the footer.
fn page_setup(sheet: &mut Worksheet, layout: &Layout) -> std::result::Result<(), XlsxError> {
    sheet.set_paper_size(9).set_landscape();
    if layout.one_page_wide {
        // The table (and the title over it) in the middle of the page.
        sheet.set_print_center_horizontally(true);
        sheet.set_print_fit_to_pages(1, 0);
    } else {
        sheet.set_print_scale(MIN_SCALE);
        if let Some((first, last)) = layout.repeat_columns {
            sheet.set_repeat_columns(first, last)?;
        }
        sheet.set_vertical_page_breaks(&layout.breaks)?;
    }
    sheet.set_footer("&C第 &P 页  共 &N 页");
    Ok(())
}
