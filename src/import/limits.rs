//! What a file may cost before it is read, and how a file is refused: the unpacked size of a
//! zip's parts, the cells of a sheet (however an .ods repeats them), and the sheets whose
//! merged ranges are worth a second pass. Past a limit a file is refused (`file_too_large`)
//! before it costs a laptop its memory; a file that cannot be read is refused in Chinese.

use std::io::Cursor;
use std::path::Path;

use crate::error::{file_name, Code, Error, Result};

/// The largest part of a zipped spreadsheet that is opened: real sheets are far smaller, and a
/// 4 MB "zip bomb" that unpacks to gigabytes is refused before anything reads it.
pub const MAX_ZIP_ENTRY: u64 = 512 * 1024 * 1024;

/// The cells (with something in them) a sheet may have: 100,000 rows of 50 columns. A county's
/// returnee list is a third of it; past it the file is refused (`file_too_large`) before it
/// costs the laptop its memory, whatever the container (an .ods repeats rows and cells in a
/// few bytes; a megabyte of .xlsx can hold 35 million numbers).
pub const MAX_CELLS: usize = 5_000_000;

/// The refusal of a sheet past `MAX_CELLS`, with its size as read so far.
pub(super) fn too_many_cells(path: &Path, rows: usize, columns: usize) -> Error {
    refuse(
        path,
        Code::FileTooLarge,
        &format!(
            "有 {rows} 行 × {columns} 列以上，超过 {} 万个单元格，不像一张登记表，已拒绝读取。如确是真表，请删去不用的列，或分成几个文件再导入。",
            MAX_CELLS / 10_000
        ),
    )
}

/// Counts the non-empty cells of an .ods (`content.xml`) as its rows and cells repeat, and
/// refuses it past `MAX_CELLS` before calamine expands it. Empty repeated rows and cells
/// (LibreOffice ends every sheet with a million of them) cost nothing and count nothing.
pub(super) fn check_ods_cells(path: &Path, bytes: &[u8]) -> Result<()> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let repeat = |e: &BytesStart, name: &str| -> usize {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let has_value = |e: &BytesStart| {
        e.attributes()
            .flatten()
            .any(|a| a.key.local_name().as_ref() == "value-type")
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let (mut total, mut widest) = (0usize, 0usize);
    let (mut row_repeat, mut row_cells, mut row_width) = (1usize, 0usize, 0usize);
    let mut rows = 0usize;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // A broken file is for calamine to describe.
            Err(_) => return Ok(()),
        };
        match event {
            Event::Start(e) if e.local_name().as_ref() == "table-row" => {
                row_repeat = repeat(&e, "number-rows-repeated");
                (row_cells, row_width) = (0, 0);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.local_name().as_ref(), "table-cell" | "covered-table-cell") =>
            {
                let n = repeat(&e, "number-columns-repeated");
                row_width = row_width.saturating_add(n);
                if has_value(&e) {
                    row_cells = row_cells.saturating_add(n);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                if row_cells > 0 {
                    total = total.saturating_add(row_cells.saturating_mul(row_repeat));
                    rows = rows.saturating_add(row_repeat);
                    widest = widest.max(row_width);
                }
                if total > MAX_CELLS {
                    return Err(too_many_cells(path, rows, widest));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Checks the sizes a zip container declares before anything unpacks it. The zip reader
/// stops at the declared size, so the check bounds what is really read.
pub(super) fn check_zip(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return Err(damaged(path, e)),
    };
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            continue;
        };
        let size = entry.size();
        if size > MAX_ZIP_ENTRY {
            return Err(refuse(
                path,
                Code::FileTooLarge,
                &format!(
                    "解压后超过 {} MB（其中一部分有 {} MB），不像一张正常的登记表，已拒绝读取。如确是真表，请分成几个文件再导入。",
                    MAX_ZIP_ENTRY >> 20,
                    size >> 20
                ),
            ));
        }
    }
    Ok(())
}

/// A worksheet bigger than this (unpacked) has its merged ranges left unread: a county's
/// 100,000 rows are a third of it, and header detection fills a merged parent from the
/// left without them.
pub(super) const MERGES_READ_LIMIT: u64 = 160 * 1024 * 1024;

/// Whether any worksheet of an .xlsx's zip merges cells. Reading a sheet's merged ranges
/// parses all of its XML; unpacking it and looking for the word costs a fraction of that,
/// and most sheets (a county's 100,000 rows among them) merge nothing.
pub(super) fn merges_any_cells(bytes: &[u8]) -> bool {
    use std::io::Read;
    const WORD: &[u8] = b"mergeCell";
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let finder = memchr::memmem::Finder::new(WORD);
    (0..archive.len()).any(|i| {
        let Ok(mut entry) = archive.by_index(i) else {
            return false;
        };
        let sheet = entry
            .name()
            .is_ok_and(|name| name.starts_with("xl/worksheets/"));
        if !sheet || entry.size() > MERGES_READ_LIMIT {
            return false;
        }
        // Read in blocks, each searched with the end of the one before (a word cut in two).
        let mut buf = vec![0u8; 1 << 16];
        let mut kept = 0;
        loop {
            let Ok(n) = entry.read(&mut buf[kept..]) else {
                return false;
            };
            if n == 0 {
                return false;
            }
            let end = kept + n;
            if finder.find(&buf[..end]).is_some() {
                return true;
            }
            kept = (WORD.len() - 1).min(end);
            buf.copy_within(end - kept..end, 0);
        }
    })
}

/// The unpacked size of the largest worksheet in an .xlsx's zip.
pub(super) fn largest_worksheet(bytes: &[u8]) -> u64 {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return 0;
    };
    (0..archive.len())
        .filter_map(|i| {
            let entry = archive.by_index_raw(i).ok()?;
            let name = entry.name().ok()?;
            name.starts_with("xl/worksheets/").then(|| entry.size())
        })
        .max()
        .unwrap_or(0)
}

/// A refusal of the file, named, with why.
pub(super) fn refuse(path: &Path, code: Code, why: &str) -> Error {
    Error::refused(code, format!("文件“{}”{why}", file_name(path)))
}

pub(super) fn unreadable(path: &Path, e: std::io::Error) -> Error {
    refuse(
        path,
        Code::FileUnreadable,
        &format!("无法读取：{e}。请确认文件存在且未被其他程序占用。"),
    )
}

/// A file the readers cannot make sense of. The library's own words (English, about zip
/// records and XML entities) tell a clerk nothing: they are printed only with
/// `GRIDLEDGER_DEBUG` set.
pub(super) fn damaged(path: &Path, e: impl std::fmt::Display) -> Error {
    if std::env::var_os("GRIDLEDGER_DEBUG").is_some() {
        eprintln!("详情：{e}");
    }
    refuse(path, Code::FileDamaged, "已损坏、不完整或内容不合表格文件的规范，无法作为表格读取。请让对方重新发送，或用 Excel/WPS 打开后另存为 .xlsx 再导入。")
}
