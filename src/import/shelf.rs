//! A workbook kept open between the previews of one import. The wizard plans a sheet again
//! after each decision (a column mapped, places confirmed) and once more to write it; the
//! sheet is read from the file once: the book stays open, and the rows of a sheet read in
//! full are kept, packed, until the import is written or another file is picked. A file
//! changed on disk in between (its size or time) is read again.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Datelike, NaiveDate};

use super::limits::unreadable;
use super::read::Book;
use crate::error::Result;
use crate::model::RawCell;

/// Where the books of a run come from.
#[derive(Default)]
pub struct Shelf {
    /// Whether the book is kept past one run (the wizard's session), its rows with it.
    keep: bool,
    book: Option<(Stamp, Book)>,
    /// Full readings of a sheet by books no longer on the shelf.
    earlier_reads: usize,
}

/// What tells a file changed on disk.
#[derive(Debug, PartialEq)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Result<Stamp> {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(path, e))?;
        Ok(Stamp {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

impl Shelf {
    /// A shelf that keeps the book and the rows read from it between runs.
    pub fn keeping() -> Shelf {
        Shelf {
            keep: true,
            ..Shelf::default()
        }
    }

    /// The book of `path`: the one on the shelf while the file is unchanged, else opened.
    pub fn open(&mut self, path: &Path) -> Result<&mut Book> {
        let stamp = Stamp::of(path)?;
        if !matches!(&self.book, Some((kept, _)) if *kept == stamp) {
            let mut book = Book::open(path)?;
            book.keep_rows = self.keep;
            self.put_stamped(stamp, book);
        }
        self.book()
    }

    /// The book last opened or put.
    pub fn book(&mut self) -> Result<&mut Book> {
        match &mut self.book {
            Some((_, book)) => Ok(book),
            None => Err(unreadable(
                Path::new(""),
                std::io::Error::other("没有打开的文件"),
            )),
        }
    }

    /// Puts a book that is no file's (pasted rows) on the shelf, for this run: it is never
    /// taken again (no file has its stamp).
    pub fn put(&mut self, book: Book) -> &mut Book {
        let stamp = Stamp {
            path: PathBuf::new(),
            len: u64::MAX,
            modified: None,
        };
        self.put_stamped(stamp, book)
    }

    fn put_stamped(&mut self, stamp: Stamp, book: Book) -> &mut Book {
        self.clear();
        &mut self.book.insert((stamp, book)).1
    }

    /// Lets the book and its rows go (the import is written).
    pub fn clear(&mut self) {
        if let Some((_, book)) = self.book.take() {
            self.earlier_reads += book.sheet_reads;
        }
    }

    /// How many times a sheet was read in full from a file, by every book of this shelf.
    pub fn sheet_reads(&self) -> usize {
        self.earlier_reads + self.book.as_ref().map_or(0, |(_, b)| b.sheet_reads)
    }
}

/// The rows of a sheet as read (merged values filled in), packed into one buffer: a
/// 100,000-row county sheet takes some 20 MB instead of the hundreds that cells would.
#[derive(Debug, Default)]
pub struct Packed {
    /// The first row packed (the row after the header).
    pub first: usize,
    bytes: Vec<u8>,
    /// Each row's index in the sheet and where its cells end in `bytes`.
    rows: Vec<(usize, usize)>,
}

const EMPTY: u8 = 0;
const TEXT: u8 = 1;
const NUMBER: u8 = 2;
const DATE: u8 = 3;
const DATE_TIME: u8 = 4;
const BOOL: u8 = 5;
const ERROR: u8 = 6;

impl Packed {
    pub fn new(first: usize) -> Packed {
        Packed {
            first,
            ..Packed::default()
        }
    }

    pub fn push(&mut self, row: usize, cells: &[RawCell]) {
        let b = &mut self.bytes;
        for cell in cells {
            match cell {
                RawCell::Empty => b.push(EMPTY),
                RawCell::Text(t) => push_text(b, TEXT, t),
                RawCell::Error(t) => push_text(b, ERROR, t),
                RawCell::Number(n) => {
                    b.push(NUMBER);
                    b.extend_from_slice(&n.to_le_bytes());
                }
                RawCell::Date(d) => {
                    b.push(DATE);
                    b.extend_from_slice(&d.num_days_from_ce().to_le_bytes());
                }
                RawCell::DateTime(t) => {
                    let t = t.and_utc();
                    b.push(DATE_TIME);
                    b.extend_from_slice(&t.timestamp().to_le_bytes());
                    b.extend_from_slice(&t.timestamp_subsec_nanos().to_le_bytes());
                }
                RawCell::Bool(v) => b.extend_from_slice(&[BOOL, u8::from(*v)]),
            }
        }
        self.rows.push((row, self.bytes.len()));
    }

    /// The rows in order, as they were pushed.
    pub fn rows(&self) -> impl Iterator<Item = (usize, Vec<RawCell>)> + '_ {
        let mut start = 0;
        self.rows.iter().map(move |&(row, end)| {
            let cells = unpack(&self.bytes[start..end]);
            start = end;
            (row, cells)
        })
    }
}

fn push_text(b: &mut Vec<u8>, tag: u8, text: &str) {
    b.push(tag);
    b.extend_from_slice(&(text.len() as u32).to_le_bytes());
    b.extend_from_slice(text.as_bytes());
}

/// The cells of one packed row (bytes `Packed::push` wrote).
fn unpack(mut b: &[u8]) -> Vec<RawCell> {
    fn take<const N: usize>(b: &mut &[u8]) -> [u8; N] {
        let mut out = [0; N];
        let n = N.min(b.len());
        out[..n].copy_from_slice(&b[..n]);
        *b = &b[n..];
        out
    }
    let mut cells = Vec::new();
    while let Some((&tag, rest)) = b.split_first() {
        b = rest;
        let cell = match tag {
            TEXT | ERROR => {
                let len = (u32::from_le_bytes(take(&mut b)) as usize).min(b.len());
                let text = String::from_utf8_lossy(&b[..len]).into_owned();
                b = &b[len..];
                if tag == TEXT {
                    RawCell::Text(text)
                } else {
                    RawCell::Error(text)
                }
            }
            NUMBER => RawCell::Number(f64::from_le_bytes(take(&mut b))),
            DATE => NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(take(&mut b)))
                .map_or(RawCell::Empty, RawCell::Date),
            DATE_TIME => {
                let secs = i64::from_le_bytes(take(&mut b));
                let nanos = u32::from_le_bytes(take(&mut b));
                DateTime::from_timestamp(secs, nanos)
                    .map_or(RawCell::Empty, |t| RawCell::DateTime(t.naive_utc()))
            }
            BOOL => RawCell::Bool(take::<1>(&mut b)[0] != 0),
            _ => RawCell::Empty,
        };
        cells.push(cell);
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_pushed() {
        let date = NaiveDate::from_ymd_opt(2022, 1, 23).unwrap();
        let rows = vec![
            (3, vec![]),
            (
                4,
                vec![
                    RawCell::Text("张三".into()),
                    RawCell::Empty,
                    RawCell::Number(37.25),
                    RawCell::Date(date),
                    RawCell::DateTime(date.and_hms_nano_opt(8, 30, 5, 123).unwrap()),
                    RawCell::Bool(true),
                    RawCell::Error("#N/A".into()),
                    RawCell::Text(String::new()),
                ],
            ),
            (9, vec![RawCell::Number(-0.0), RawCell::Bool(false)]),
        ];
        let mut packed = Packed::new(3);
        for (r, cells) in &rows {
            packed.push(*r, cells);
        }
        let back: Vec<_> = packed.rows().collect();
        assert_eq!(back, rows);
    }
}
