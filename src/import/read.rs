//! Reading a spreadsheet file into grids of cells, whatever produced it: .xlsx (Excel, WPS),
//! .xls (BIFF), .ods, and CSV in UTF-8 (with or without BOM) or GBK/GB18030, detected from the
//! bytes, never from the name alone. A file that is none of these, encrypted, truncated or empty
//! gets a message naming the file and saying what to do.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Sheets};
use chrono::NaiveDate;

use crate::error::{Error, Result};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell (Excel/WPS/LibreOffice date formats).
    Date(NaiveDate),
    /// A date cell with a time of day.
    DateTime(chrono::NaiveDateTime),
    Bool(bool),
}

impl RawCell {
    pub fn is_empty(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(t) => t.chars().all(|c| c.is_whitespace()),
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
        }
    }
}

/// A merged range, rows and columns counted from 0, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// One worksheet: its rows of cells (row 0 is the sheet's row 1) and merged ranges.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<RawCell>>,
    pub merges: Vec<Merge>,
}

impl Grid {
    pub fn cell(&self, row: usize, col: usize) -> &RawCell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&RawCell::Empty)
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// What kind of file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zip,
    Ole,
    Text,
}

fn refuse(path: &Path, why: &str) -> Error {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Error::Refused(format!("文件“{name}”{why}"))
}

/// Reads every sheet of a file.
pub fn read_file(path: &Path) -> Result<Vec<Grid>> {
    let bytes = std::fs::read(path).map_err(|e| {
        refuse(
            path,
            &format!("无法读取：{e}。请确认文件存在且未被其他程序占用。"),
        )
    })?;
    read_bytes(path, bytes)
}

/// Reads every sheet from a file's bytes; `path` names the file in messages.
pub fn read_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<Grid>> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse(path, "是空文件，没有可导入的内容。"));
    }
    let kind = if bytes.starts_with(b"PK\x03\x04") {
        Kind::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Kind::Ole
    } else {
        Kind::Text
    };
    match kind {
        Kind::Zip | Kind::Ole => read_workbook(path, bytes, kind),
        Kind::Text => read_csv(path, &bytes),
    }
}

fn read_workbook(path: &Path, bytes: Vec<u8>, kind: Kind) -> Result<Vec<Grid>> {
    // An encrypted .xlsx is an OLE container holding an EncryptedPackage stream.
    if kind == Kind::Ole && contains_utf16(&bytes, "EncryptedPackage") {
        return Err(refuse(path, "设有打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存，再导入。"));
    }
    let broken = |e: calamine::Error| {
        refuse(path, &format!("已损坏或不完整，无法作为表格读取（{e}）。请让对方重新发送，或用 Excel/WPS 打开后另存为 .xlsx 再导入。"))
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(broken)?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(refuse(path, "中没有工作表。"));
    }
    let mut grids = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(broken)?;
        let (row0, col0) = range
            .start()
            .map(|(r, c)| (r as usize, c as usize))
            .unwrap_or((0, 0));
        let mut rows: Vec<Vec<RawCell>> = vec![Vec::new(); row0];
        for row in range.rows() {
            let mut cells = vec![RawCell::Empty; col0];
            cells.extend(row.iter().map(raw_cell));
            while cells.last().is_some_and(RawCell::is_empty) {
                cells.pop();
            }
            rows.push(cells);
        }
        let merges = merges_of(&mut book, &name);
        grids.push(Grid {
            sheet: name,
            rows,
            merges,
        });
    }
    Ok(grids)
}

fn merges_of(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Vec<Merge> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        // .ods and .xlsb: calamine does not report merges; header detection fills parents
        // from the left instead.
        _ => Vec::new(),
    };
    dims.into_iter()
        .map(|d| Merge {
            first_row: d.start.0 as usize,
            first_col: d.start.1 as usize,
            last_row: d.end.0 as usize,
            last_col: d.end.1 as usize,
        })
        .collect()
}

fn raw_cell(data: &Data) -> RawCell {
    match data {
        Data::Empty => RawCell::Empty,
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Int(n) => RawCell::Number(*n as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => RawCell::Date(t.date()),
            Some(t) => RawCell::DateTime(t),
            None => RawCell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(RawCell::Date)
            .unwrap_or_else(|| RawCell::Text(s.clone())),
        Data::DurationIso(s) => RawCell::Text(s.clone()),
        Data::Error(_) => RawCell::Empty,
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// CSV: UTF-8 with or without BOM, else GB18030 (a superset of GBK, Excel's default on Chinese
/// Windows). The delimiter is a comma, a tab or a semicolon, whichever the first line uses most.
fn read_csv(path: &Path, bytes: &[u8]) -> Result<Vec<Grid>> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_string()
    } else {
        let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
        if had_errors {
            return Err(refuse(path, "不是可识别的表格文件（既不是 Excel/WPS/ODS 表格，也不是 UTF-8 或 GBK 编码的 CSV）。"));
        }
        text.into_owned()
    };
    if text.contains('\0') {
        return Err(refuse(
            path,
            "不是可识别的表格文件（含有二进制内容）。请导入 .xlsx、.xls、.ods 或 .csv 文件。",
        ));
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| refuse(path, &format!("的 CSV 格式有误：{e}")))?;
        let mut cells: Vec<RawCell> = record
            .iter()
            .map(|f| {
                if f.is_empty() {
                    RawCell::Empty
                } else {
                    RawCell::Text(f.to_string())
                }
            })
            .collect();
        while cells.last().is_some_and(RawCell::is_empty) {
            cells.pop();
        }
        rows.push(cells);
    }
    let sheet = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "CSV".into());
    Ok(vec![Grid {
        sheet,
        rows,
        merges: Vec::new(),
    }])
}
