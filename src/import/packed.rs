//! The rows of a sheet read once and kept for the wizard's next plans (`Shelf`): packed into
//! one buffer, a byte for each cell's kind and then its value.

use chrono::{DateTime, Datelike, NaiveDate};

use crate::model::RawCell;

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
