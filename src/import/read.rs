//! Reading a spreadsheet file into grids of cells, whatever produced it: .xlsx (Excel, WPS),
//! .xls (BIFF), .ods, and CSV in UTF-8 (with or without BOM) or GBK/GB18030, detected from the
//! bytes, never from the name alone. A file that is none of these, encrypted, truncated or empty
//! gets a message naming the file and saying what to do.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets};
use chrono::NaiveDate;

use super::limits::{
    check_ods_cells, check_zip, damaged, largest_worksheet, merges_any_cells, refuse,
    too_many_cells, unreadable, MAX_CELLS, MERGES_READ_LIMIT,
};
use crate::error::{file_name, Code, Error, Result};
use crate::import::merged::FillDown;
pub use crate::import::merged::Merge;
use crate::import::packed::Packed;
pub use crate::model::RawCell;

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

/// 1901-01-01: a 1900-system serial below 61 falls before it, a 1904-system one after.
fn first_of_1901() -> NaiveDate {
    NaiveDate::from_ymd_opt(1901, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Reads every sheet of a file.
pub fn read_file(path: &Path) -> Result<Vec<Grid>> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    read_bytes(path, bytes)
}

/// Reads every sheet from a file's bytes; `path` names the file in messages.
pub fn read_bytes(path: &Path, bytes: Vec<u8>) -> Result<Vec<Grid>> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse(
            path,
            Code::FileEmpty,
            "是空文件，没有可导入的内容。",
        ));
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
        return Err(refuse(path, Code::FileEncrypted, "设有打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存，再导入。"));
    }
    if kind == Kind::Zip {
        check_zip(path, &bytes)?;
        check_ods_cells(path, &bytes)?;
    }
    let broken = |e: calamine::Error| damaged(path, e);
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(broken)?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(refuse(path, Code::FileEmpty, "中没有工作表。"));
    }
    let mut grids = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(broken)?;
        let (row0, col0) = range
            .start()
            .map(|(r, c)| (r as usize, c as usize))
            .unwrap_or((0, 0));
        let (height, width) = range.get_size();
        if height.saturating_mul(width) > MAX_CELLS && range.used_cells().count() > MAX_CELLS {
            return Err(too_many_cells(path, height, width));
        }
        let mut rows: Vec<Vec<RawCell>> = vec![Vec::new(); row0];
        for row in range.rows() {
            let mut cells = vec![RawCell::Empty; col0];
            cells.extend(row.iter().map(raw_cell));
            trim_row(&mut cells);
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

fn trim_row(cells: &mut Vec<RawCell>) {
    while cells.last().is_some_and(RawCell::is_empty) {
        cells.pop();
    }
}

fn merges_of(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Vec<Merge> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        // .ods and .xlsb: calamine does not report merges; header detection fills parents
        // from the left instead.
        _ => Vec::new(),
    };
    dims.into_iter().map(Merge::from).collect()
}

impl From<calamine::Dimensions> for Merge {
    fn from(d: calamine::Dimensions) -> Merge {
        Merge {
            first_row: d.start.0 as usize,
            first_col: d.start.1 as usize,
            last_row: d.end.0 as usize,
            last_col: d.end.1 as usize,
        }
    }
}

fn raw_cell(data: &Data) -> RawCell {
    match data {
        Data::Empty => RawCell::Empty,
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Int(n) => RawCell::Number(*n as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::Bool(b) => RawCell::Bool(*b),
        // Excel's day 60 is 1900-02-29, a day that never was (Lotus's leap-year bug): kept as
        // written, so the date check says it does not exist instead of reading 02-28.
        Data::DateTime(dt)
            if (60.0..61.0).contains(&dt.as_f64())
                && dt.as_datetime().is_some_and(|t| t.date() < first_of_1901()) =>
        {
            RawCell::Text("1900-02-29".into())
        }
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
        Data::Error(e) => RawCell::Error(e.to_string()),
    }
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// CSV: UTF-8 with or without BOM, UTF-16 ("Unicode text" from Excel), else GB18030 (a
/// superset of GBK, Excel's default on Chinese Windows). A file whose lines switch between
/// UTF-8 and GBK, or with a quote that never closes, is refused with the line number: read
/// either way it would put garbled text or whole rows into one cell. The delimiter is a
/// comma, a tab or a semicolon, whichever the first line uses most.
fn read_csv(path: &Path, bytes: &[u8]) -> Result<Vec<Grid>> {
    let text = decode_text(path, bytes)?;
    let nuls = text.matches('\0').count();
    // A few NUL bytes in a text that reads as a table are a cell pasted from a broken
    // program: say on which line. Many are a file that is not text at all.
    if nuls > 0 && nuls <= 3 {
        let line = text.lines().position(|l| l.contains('\0')).unwrap_or(0) + 1;
        return Err(refuse(
            path,
            Code::FileDamaged,
            &format!(
                "第 {line} 行有看不见的空字符（NUL，多是从别的程序粘贴来的），无法可靠读取。请在 Excel/WPS 中重新输入这一行（或另存为 .xlsx）后再导入。"
            ),
        ));
    }
    if nuls > 0 {
        return Err(refuse(
            path,
            Code::FileNotSpreadsheet,
            "不是可识别的表格文件（含有二进制内容）。请导入 .xlsx、.xls、.ods 或 .csv 文件。",
        ));
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d as char).count())
        .unwrap_or(b',');
    check_quotes(path, &text, delimiter as char)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let (mut filled, mut widest) = (0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            refuse(
                path,
                Code::FileDamaged,
                &format!("第 {line} 行的 CSV 格式有误：{e}"),
            )
        })?;
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
        trim_row(&mut cells);
        filled += cells.iter().filter(|c| !c.is_empty()).count();
        widest = widest.max(cells.len());
        rows.push(cells);
        if filled > MAX_CELLS {
            return Err(too_many_cells(path, rows.len(), widest));
        }
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

/// The text of a CSV, refusing a file whose lines are in two encodings.
fn decode_text(path: &Path, bytes: &[u8]) -> Result<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => Err(mixed_encoding(path, line_of(rest, e.valid_up_to()), "GBK")),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes);
        if had_errors {
            return Err(refuse(
                path,
                Code::FileDamaged,
                "是 UTF-16 文本，但有无法解码的字符。请用 Excel/WPS 打开后另存为 .xlsx 再导入。",
            ));
        }
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    // Not UTF-8 as a whole. If some lines with Chinese text are UTF-8 and others are not,
    // the file mixes encodings (a UTF-8 row pasted into a GBK file).
    let mut first_utf8 = None;
    let mut first_other = None;
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            // UTF-8 Chinese decodes to Chinese characters; a GBK line may happen to be valid
            // UTF-8 too (袁伟 is "Ԭΰ"), but then it reads as no Chinese at all.
            Ok(text) if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) => {
                first_utf8.get_or_insert(i + 1);
            }
            Ok(_) => {}
            Err(_) => {
                first_other.get_or_insert(i + 1);
            }
        }
    }
    if let (Some(utf8), Some(other)) = (first_utf8, first_other) {
        let (line, was, is) = if other < utf8 {
            (utf8, "GBK", "UTF-8")
        } else {
            (other, "UTF-8", "GBK")
        };
        return Err(refuse(path, Code::FileMixedEncoding, &format!(
            "前面是 {was} 编码，从第 {line} 行起出现 {is} 编码的文字。两种编码混在一个文件里，无论按哪种读都会有乱码。请用 Excel/WPS 打开、核对这些行后另存为 .xlsx 再导入。"
        )));
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(refuse(
            path,
            Code::FileNotSpreadsheet,
            "不是可识别的表格文件（既不是 Excel/WPS/ODS 表格，也不是 UTF-8 或 GBK 编码的 CSV）。",
        ));
    }
    Ok(text.into_owned())
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn mixed_encoding(path: &Path, line: usize, is: &str) -> Error {
    refuse(path, Code::FileMixedEncoding, &format!(
        "前面是 UTF-8 编码，从第 {line} 行起出现 {is} 编码的文字。两种编码混在一个文件里，无论按哪种读都会有乱码。请用 Excel/WPS 打开、核对这些行后另存为 .xlsx 再导入。"
    ))
}

/// A quoted field opens at the start of a field and closes at a quote followed by a
/// delimiter or the end of a line (a doubled quote is a quote inside it). A quote still open
/// at the end of the file, or one that swallows many lines, would fold the following rows
/// into one cell: refused with the line where it opened.
fn check_quotes(path: &Path, text: &str, delimiter: char) -> Result<()> {
    const MAX_LINES_IN_A_CELL: usize = 20;
    let mut open_at: Option<usize> = None;
    let mut line = 1;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (open_at, c) {
            (None, '"') if at_field_start => {
                open_at = Some(line);
                at_field_start = false;
            }
            (Some(_), '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (Some(_), '"') => {
                open_at = None;
                at_field_start = false;
            }
            (_, '\n') => {
                line += 1;
                if let Some(start) = open_at.filter(|start| line - start > MAX_LINES_IN_A_CELL) {
                    return Err(unclosed(path, start));
                }
                at_field_start = open_at.is_none();
            }
            (None, c) if c == delimiter => at_field_start = true,
            (None, '\r') => {}
            (None, _) => at_field_start = false,
            (Some(_), _) => {}
        }
    }
    match open_at {
        Some(start) => Err(unclosed(path, start)),
        None => Ok(()),
    }
}

fn unclosed(path: &Path, line: usize) -> Error {
    refuse(path, Code::FileUnclosedQuote, &format!(
        "第 {line} 行有一个双引号（\"）没有配对，后面的行会被并进一个格子。请用记事本或 Excel 打开，补上或删去这个引号后再导入。"
    ))
}

/// An opened file, read sheet by sheet: an .xlsx streams its rows (a 100,000-row sheet is never
/// held in memory twice); other formats are small and read whole.
pub struct Book {
    path: std::path::PathBuf,
    xlsx: Option<calamine::Xlsx<Cursor<Vec<u8>>>>,
    grids: Vec<Grid>,
    names: Vec<String>,
    /// The largest worksheet of an .xlsx, unpacked (bytes): reading merged ranges parses a
    /// whole sheet, which a huge one does not get before its rows are counted.
    largest_sheet: u64,
    /// Whether an .xlsx merges any cells at all (most do not: their rows need no filling).
    any_merges: bool,
    /// Whether the rows of a sheet read in full are kept (`Shelf::keeping`): planning it
    /// again then reads no file.
    pub(super) keep_rows: bool,
    /// The rows kept, by sheet.
    kept: Vec<(String, Packed)>,
    /// How many times a sheet was read in full from the file.
    pub(super) sheet_reads: usize,
}

/// What takes each row: its index, its cells and what was prepared of it.
pub type EachRow<'a, T> = dyn FnMut(usize, &[RawCell], T) -> Result<()> + 'a;

/// Rows read to find a header.
pub const HEAD_ROWS: usize = 30;

impl Book {
    /// Rows pasted from Excel or WPS (tab-separated text), as a one-sheet book named `name`.
    pub fn pasted(name: &str, rows: &[Vec<String>]) -> Book {
        let rows = rows
            .iter()
            .map(|row| {
                let mut cells: Vec<RawCell> = row
                    .iter()
                    .map(|t| {
                        if t.trim().is_empty() {
                            RawCell::Empty
                        } else {
                            RawCell::Text(t.clone())
                        }
                    })
                    .collect();
                trim_row(&mut cells);
                cells
            })
            .collect();
        Book {
            path: std::path::PathBuf::from(name),
            xlsx: None,
            grids: vec![Grid {
                sheet: name.to_string(),
                rows,
                merges: Vec::new(),
            }],
            names: vec![name.to_string()],
            largest_sheet: 0,
            any_merges: false,
            keep_rows: false,
            kept: Vec::new(),
            sheet_reads: 0,
        }
    }

    pub fn open(path: &Path) -> Result<Book> {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        let bytes = if bytes.starts_with(b"PK\x03\x04") {
            check_zip(path, &bytes)?;
            let largest_sheet = largest_worksheet(&bytes);
            let any_merges = merges_any_cells(&bytes);
            match calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes)) {
                Ok(xlsx) => {
                    let names = xlsx.sheet_names();
                    if names.is_empty() {
                        return Err(refuse(path, Code::FileEmpty, "中没有工作表。"));
                    }
                    return Ok(Book {
                        path: path.to_path_buf(),
                        xlsx: Some(xlsx),
                        grids: Vec::new(),
                        names,
                        largest_sheet,
                        any_merges,
                        keep_rows: false,
                        kept: Vec::new(),
                        sheet_reads: 0,
                    });
                }
                // Not an .xlsx after all (an .ods, or a broken file): read it the general way,
                // which says what is wrong with it.
                Err(_) => std::fs::read(path).map_err(|e| unreadable(path, e))?,
            }
        } else {
            bytes
        };
        let grids = read_bytes(path, bytes)?;
        let names = grids.iter().map(|g| g.sheet.clone()).collect();
        Ok(Book {
            path: path.to_path_buf(),
            xlsx: None,
            grids,
            names,
            largest_sheet: 0,
            any_merges: false,
            keep_rows: false,
            kept: Vec::new(),
            sheet_reads: 0,
        })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn broken(&self, e: impl std::fmt::Display) -> Error {
        damaged(&self.path, e)
    }

    fn grid(&self, sheet: &str) -> Result<&Grid> {
        self.grids.iter().find(|g| g.sheet == sheet).ok_or_else(|| {
            Error::refused(
                Code::SheetMissing,
                format!("文件“{}”中没有工作表“{sheet}”", file_name(&self.path)),
            )
        })
    }

    /// The first rows of a sheet and its merged ranges, to find the header in.
    pub fn head(&mut self, sheet: &str) -> Result<Grid> {
        if let Some(xlsx) = &mut self.xlsx {
            let mut rows = Vec::new();
            let streamed = stream_xlsx(xlsx, sheet, &mut |r, cells| {
                if r >= HEAD_ROWS {
                    return Ok(false);
                }
                rows.resize_with(r, Vec::new);
                rows.push(cells);
                Ok(true)
            });
            streamed.map_err(|e| self.broken(e))?;
            return Ok(Grid {
                sheet: sheet.to_string(),
                rows,
                merges: Vec::new(),
            });
        }
        let grid = self.grid(sheet)?;
        Ok(Grid {
            sheet: grid.sheet.clone(),
            rows: grid.rows.iter().take(HEAD_ROWS).cloned().collect(),
            merges: Vec::new(),
        })
    }

    /// The merged ranges of a sheet. Reading them parses the whole sheet again, so it is done
    /// only when the header needs them.
    pub fn merges(&mut self, sheet: &str) -> Vec<Merge> {
        match &mut self.xlsx {
            Some(_) if !self.any_merges || self.largest_sheet > MERGES_READ_LIMIT => Vec::new(),
            Some(xlsx) => merges_of_xlsx(xlsx, sheet),
            None => self
                .grids
                .iter()
                .find(|g| g.sheet == sheet)
                .map(|g| g.merges.clone())
                .unwrap_or_default(),
        }
    }

    /// How many rows the sheet has (for progress).
    pub fn row_count(&mut self, sheet: &str) -> usize {
        if let Some(xlsx) = &mut self.xlsx {
            return xlsx
                .worksheet_cells_reader(sheet)
                .map(|r| r.dimensions().end.0 as usize + 1)
                .unwrap_or(0);
        }
        self.grids
            .iter()
            .find(|g| g.sheet == sheet)
            .map(|g| g.rows.len())
            .unwrap_or(0)
    }

    /// How many rows from `first` on hold any value, counting no further than `limit` (a
    /// sheet that says it is a million rows long is checked before anything plans it).
    pub fn count_filled_rows(&mut self, sheet: &str, first: usize, limit: usize) -> Result<usize> {
        let mut count = 0;
        if let Some(xlsx) = &mut self.xlsx {
            let streamed = stream_xlsx(xlsx, sheet, &mut |r, cells| {
                if r >= first && cells.iter().any(|c| !c.is_empty()) {
                    count += 1;
                }
                Ok(count < limit)
            });
            streamed.map_err(|e| self.broken(e))?;
            return Ok(count);
        }
        let grid = self.grid(sheet)?;
        Ok(grid
            .rows
            .iter()
            .skip(first)
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .take(limit)
            .count())
    }

    /// Calls `each(row index, cells, prepare(cells))` for every row from `first` on, in
    /// order, blank rows included. An .xlsx is read, and each row prepared, on a second
    /// thread while `each` works on the rows before it: on a laptop's two cores, unzipping,
    /// parsing and preparing the sheet cost the import no time of its own.
    pub fn for_each_row<T: Send>(
        &mut self,
        sheet: &str,
        first: usize,
        prepare: &mut (dyn FnMut(&[RawCell]) -> T + Send),
        each: &mut EachRow<T>,
    ) -> Result<()> {
        if let Some((_, packed)) = self
            .kept
            .iter()
            .find(|(name, packed)| name == sheet && packed.first == first)
        {
            for (r, cells) in packed.rows() {
                each(r, &cells, prepare(&cells))?;
            }
            return Ok(());
        }
        let Some(xlsx) = &mut self.xlsx else {
            let grid = self.grid(sheet)?;
            let mut fill = FillDown::new(&grid.merges, first);
            for (r, cells) in grid.rows.iter().enumerate().skip(first) {
                if fill.is_empty() {
                    each(r, cells, prepare(cells))?;
                } else {
                    let mut cells = cells.clone();
                    fill.apply(r, &mut cells);
                    each(r, &cells, prepare(&cells))?;
                }
            }
            return Ok(());
        };
        let read_merges = self.any_merges && self.largest_sheet <= MERGES_READ_LIMIT;
        self.sheet_reads += 1;
        let mut packed = self.keep_rows.then(|| Packed::new(first));
        // Rows travel in chunks: one hand-over per row would cost more than the reading.
        const CHUNK: usize = 256;
        type Chunk<T> = Vec<(usize, Vec<RawCell>, T)>;
        let (chunks, received) = std::sync::mpsc::sync_channel::<Chunk<T>>(8);
        // Where the reading stopped past `MAX_CELLS`: (rows, columns) read.
        let mut over_budget: Option<(usize, usize)> = None;
        let over = &mut over_budget;
        let keeping = packed.as_mut();
        let (streamed, worked) = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                // Merged ranges are stored after the rows: they are read first (a quick
                // pass that builds no cells), so each covered row gets its range's value.
                let merges = if read_merges {
                    merges_of_xlsx(xlsx, sheet)
                } else {
                    Vec::new()
                };
                let mut fill = FillDown::new(&merges, first);
                let mut chunk = Vec::with_capacity(CHUNK);
                let mut next = first;
                let mut keeping = keeping;
                let (mut cells_read, mut widest) = (0usize, 0usize);
                let streamed = stream_xlsx(xlsx, sheet, &mut |r, cells| {
                    cells_read += cells.iter().filter(|c| !c.is_empty()).count();
                    widest = widest.max(cells.len());
                    if cells_read > MAX_CELLS {
                        *over = Some((r + 1, widest));
                        return Ok(false);
                    }
                    if r < first {
                        return Ok(true);
                    }
                    // Rows with no cell at all are blank rows too.
                    for blank in next..r {
                        let mut cells = Vec::new();
                        fill.apply(blank, &mut cells);
                        if let Some(packed) = keeping.as_deref_mut() {
                            packed.push(blank, &cells);
                        }
                        let prepared = prepare(&cells);
                        chunk.push((blank, cells, prepared));
                    }
                    next = r + 1;
                    let mut cells = cells;
                    fill.apply(r, &mut cells);
                    if let Some(packed) = keeping.as_deref_mut() {
                        packed.push(r, &cells);
                    }
                    let prepared = prepare(&cells);
                    chunk.push((r, cells, prepared));
                    if chunk.len() < CHUNK {
                        return Ok(true);
                    }
                    // The receiver is gone once `each` has failed: stop reading.
                    Ok(chunks.send(std::mem::take(&mut chunk)).is_ok())
                });
                if !chunk.is_empty() {
                    let _ = chunks.send(chunk);
                }
                streamed
            });
            let mut worked = Ok(());
            'chunks: for chunk in received.iter() {
                for (r, cells, prepared) in chunk {
                    worked = each(r, &cells, prepared);
                    if worked.is_err() {
                        break 'chunks;
                    }
                }
            }
            drop(received);
            let streamed = reader.join().unwrap_or(Err(calamine::XlsxError::Unexpected(
                "读取工作表的线程意外退出",
            )));
            (streamed, worked)
        });
        if let Some((rows, columns)) = over_budget {
            return Err(too_many_cells(&self.path, rows, columns));
        }
        worked?;
        streamed.map_err(|e| self.broken(e))?;
        // Kept only when read to the end.
        if let Some(packed) = packed {
            self.kept.retain(|(name, _)| name != sheet);
            self.kept.push((sheet.to_string(), packed));
        }
        Ok(())
    }
}

/// Streams the rows of an .xlsx sheet; `each` returns false to stop.
fn stream_xlsx(
    book: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    each: &mut dyn FnMut(usize, Vec<RawCell>) -> Result<bool, calamine::XlsxError>,
) -> Result<(), calamine::XlsxError> {
    let mut reader = book.worksheet_cells_reader(name)?;
    let mut current: Option<(usize, Vec<RawCell>)> = None;
    while let Some(cell) = reader.next_cell()? {
        let (r, c) = (
            cell.get_position().0 as usize,
            cell.get_position().1 as usize,
        );
        let value = match cell.get_value() {
            DataRef::SharedString(s) => RawCell::Text(s.to_string()),
            DataRef::String(s) => RawCell::Text(s.clone()),
            DataRef::Int(n) => RawCell::Number(*n as f64),
            DataRef::Float(f) => RawCell::Number(*f),
            DataRef::Bool(b) => RawCell::Bool(*b),
            DataRef::DateTime(dt) => raw_cell(&Data::DateTime(*dt)),
            DataRef::DateTimeIso(s) => raw_cell(&Data::DateTimeIso(s.clone())),
            DataRef::DurationIso(s) => RawCell::Text(s.clone()),
            DataRef::Error(e) => RawCell::Error(e.to_string()),
            DataRef::Empty => continue,
        };
        if let Some((row, mut cells)) = current.take_if(|(row, _)| *row != r) {
            trim_row(&mut cells);
            if !each(row, cells)? {
                return Ok(());
            }
        }
        let (_, cells) = current.get_or_insert_with(|| (r, Vec::new()));
        if cells.len() <= c {
            cells.resize(c + 1, RawCell::Empty);
        }
        cells[c] = value;
    }
    if let Some((row, mut cells)) = current {
        trim_row(&mut cells);
        each(row, cells)?;
    }
    Ok(())
}

fn merges_of_xlsx(book: &mut calamine::Xlsx<Cursor<Vec<u8>>>, name: &str) -> Vec<Merge> {
    book.merge_cells_by_sheet_name(name)
        .unwrap_or_default()
        .into_iter()
        .map(Merge::from)
        .collect()
}
