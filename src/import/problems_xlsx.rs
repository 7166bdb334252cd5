//! The problems of an import as an xlsx a clerk can work with: a list of every problem (sheet,
//! row, column, value, reason), and the refused rows under the sheet's own header with a
//! 问题 column, to correct and import again.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatBorder, Workbook};

use super::ImportReport;
use crate::error::{Code, Error, Result};
use crate::files::{self, IfExists};

/// Writes the problems workbook at `path` (or the next free name, as `if_exists` says) and
/// returns where it went.
pub fn save_problems_xlsx(
    report: &ImportReport,
    path: &Path,
    if_exists: IfExists,
    inputs: &[&Path],
) -> Result<std::path::PathBuf> {
    files::require_extension(path, "xlsx")?;
    files::save(path, if_exists, inputs, |temp| {
        write_problems_xlsx(report, temp)
    })
}

fn write_problems_xlsx(report: &ImportReport, path: &Path) -> Result<()> {
    let err = |e: rust_xlsxwriter::XlsxError| {
        Error::refused(
            Code::WriteFailed,
            format!("无法写出问题清单 {}：{e}", path.display()),
        )
    };
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2");
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("@");

    let list = book.add_worksheet();
    list.set_name("问题清单").map_err(err)?;
    for (c, (title, width)) in [
        ("工作表", 12.0),
        ("行号", 6.0),
        ("姓名", 10.0),
        ("列", 16.0),
        ("值", 22.0),
        ("问题", 60.0),
        ("类别", 8.0),
    ]
    .iter()
    .enumerate()
    {
        list.write_string_with_format(0, c as u16, *title, &head)
            .map_err(err)?;
        list.set_column_width(c as u16, *width).map_err(err)?;
    }
    for (i, p) in report.problems.iter().enumerate() {
        let r = i as u32 + 1;
        list.write_string_with_format(r, 0, &p.sheet, &cell)
            .map_err(err)?;
        list.write_number_with_format(r, 1, p.row as f64, &cell)
            .map_err(err)?;
        list.write_string_with_format(r, 2, &p.name, &cell)
            .map_err(err)?;
        list.write_string_with_format(r, 3, &p.column, &cell)
            .map_err(err)?;
        list.write_string_with_format(r, 4, &p.value, &cell)
            .map_err(err)?;
        list.write_string_with_format(r, 5, &p.message, &cell)
            .map_err(err)?;
        list.write_string_with_format(r, 6, if p.warning { "提醒" } else { "未导入" }, &cell)
            .map_err(err)?;
    }
    list.set_freeze_panes(1, 0).map_err(err)?;

    let rows = book.add_worksheet();
    rows.set_name("待修改的行").map_err(err)?;
    for (c, h) in report.header_texts.iter().enumerate() {
        rows.write_string_with_format(0, c as u16, h, &head)
            .map_err(err)?;
        rows.set_column_width(c as u16, 14).map_err(err)?;
    }
    let last = report.header_texts.len() as u16;
    rows.write_string_with_format(0, last, "问题", &head)
        .map_err(err)?;
    rows.set_column_width(last, 60).map_err(err)?;
    // Rows of several sheets read together say which sheet each is from.
    let several = report.sheets_read.len() > 1;
    if several {
        rows.write_string_with_format(0, last + 1, "工作表", &head)
            .map_err(err)?;
    }
    for (i, rejected) in report.rejected.iter().enumerate() {
        let r = i as u32 + 1;
        if several {
            rows.write_string_with_format(r, last + 1, &rejected.sheet, &cell)
                .map_err(err)?;
        }
        for (c, value) in rejected.cells().enumerate() {
            // Everything as text: IDs must not be turned into numbers again.
            rows.write_string_with_format(r, c as u16, value, &cell)
                .map_err(err)?;
        }
        let reasons: Vec<String> = report
            .problems
            .iter()
            .filter(|p| p.row == rejected.row && p.sheet == rejected.sheet)
            // The message names its field already (证件号码：…).
            .map(|p| p.message.clone())
            .collect();
        rows.write_string_with_format(r, last, reasons.join("；"), &cell)
            .map_err(err)?;
    }
    rows.set_freeze_panes(1, 0).map_err(err)?;
    crate::files::write_quietly(path, |file| book.save_to_writer(file))?.map_err(err)
}
