//! A workbook kept open between the previews of one import. The wizard plans a sheet again
//! after each decision (a column mapped, places confirmed) and once more to write it; the
//! sheet is read from the file once: the book stays open, and the rows of a sheet read in
//! full are kept, packed, until the import is written or another file is picked. A file
//! changed on disk in between (its size or time) is read again.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::limits::unreadable;
use super::read::Book;
use crate::error::Result;

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
