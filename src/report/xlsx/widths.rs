//! How wide each column is and how the table lies on A4 landscape: the least width a column
//! takes (its kind, its header wrapped at five characters), the widest it grows for its text,
//! the height a wrapped text needs, and the print layout decided on the first rows — one page
//! wide (text columns giving way first) or across pages with the key columns repeated and no
//! header group cut by a page break.

use super::super::layout::HeaderCell;
use super::super::FieldKind;

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
pub const LINE_HEIGHT: f64 = 16.0;
/// The narrowest a text column is made to fit a table onto one page.
const TEXT_FLOOR: f64 = 12.0;

/// The widest table (column units, padding included) one page holds at `MIN_SCALE`.
fn page_capacity() -> f64 {
    PAGE_WIDTH_UNITS * 100.0 / f64::from(MIN_SCALE)
}

/// Display width in Excel's column units: a Chinese character is about two. A digit of 宋体
/// is about 1.05 units; the CJK fonts LibreOffice puts in its place where 宋体 is missing are
/// a little wider, so a digit counts 1.15 and an 18-digit ID never wraps there either.
pub fn text_width(text: &str) -> f64 {
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

/// The height (points) of a row whose text wraps across `width` column units.
pub fn wrapped_height(text: &str, width: f64) -> f64 {
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

/// The height of each header row: every header cell's text wrapped across the least widths
/// of the columns it spans; a cell over several rows may use their heights together.
pub fn header_heights(cells: &[HeaderCell], rows: usize, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![LINE_HEIGHT + 4.0; rows];
    let mut cells: Vec<&HeaderCell> = cells.iter().collect();
    // Single-row cells first, then the taller ones take what is still missing.
    cells.sort_by_key(|c| c.last_row - c.row);
    for cell in cells {
        let last = cell.last_col.min(widths.len().saturating_sub(1));
        let width: f64 = widths[cell.col.min(last)..=last]
            .iter()
            .map(|w| w + COLUMN_PADDING)
            .sum();
        let need = wrapped_height(&cell.text, width) + 4.0;
        let have: f64 = heights[cell.row..=cell.last_row].iter().sum();
        if need > have {
            heights[cell.last_row] += need - have;
        }
    }
    heights
}

/// How a table lies on paper, decided once its first rows are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Fit the width of the table onto one page (at `MIN_SCALE` or more); otherwise print at
    /// `MIN_SCALE` across pages.
    pub one_page_wide: bool,
    /// The last column printed on the first page: the title, 填报单位 and the notes lie over
    /// the columns up to it.
    pub span_last: u16,
    /// The first column of 填报单位 and the notes: after the repeated key columns on a table
    /// printed across pages (a page repeating them would print the lines' first characters).
    pub line_first: u16,
    /// Columns repeated on every page when printed across pages (序号 to 姓名).
    pub repeat_columns: Option<(u16, u16)>,
    /// The first column of each page after the first.
    pub breaks: Vec<u32>,
}

/// The columns of a table as it is written: their least widths, the widest each may grow
/// (`caps`), and their widths so far.
pub struct Columns {
    pub least: Vec<f64>,
    caps: Vec<f64>,
    pub widths: Vec<f64>,
    /// Whether a column's text may wrap to make room (text without a width the template fixes).
    shrinks: Vec<bool>,
    /// A width the template fixes, which wins.
    fixed: Vec<Option<f64>>,
}

impl Columns {
    /// The columns of a template: `(kind, last header text, fixed width)` each.
    pub fn new(columns: &[(FieldKind, &str, Option<f64>)]) -> Columns {
        let least: Vec<f64> = columns
            .iter()
            .map(|(kind, header, _)| min_width(*kind, header))
            .collect();
        let caps = columns
            .iter()
            .zip(&least)
            .map(|((kind, _, fixed), least)| {
                // Only text grows a column: numbers and dates keep their least width.
                let grows = matches!(
                    kind,
                    FieldKind::Text | FieldKind::Division | FieldKind::IdNumber | FieldKind::Phone
                );
                fixed.unwrap_or(if grows {
                    least.max(max_width(*kind))
                } else {
                    *least
                })
            })
            .collect();
        Columns {
            widths: least.clone(),
            least,
            caps,
            shrinks: columns
                .iter()
                .map(|(kind, _, fixed)| {
                    fixed.is_none() && matches!(kind, FieldKind::Text | FieldKind::Division)
                })
                .collect(),
            fixed: columns.iter().map(|c| c.2).collect(),
        }
    }

    /// Takes the widths of a row's texts (0 for a cell without text) into the columns'.
    pub fn learn(&mut self, texts: &[f64]) {
        for (col, width) in texts.iter().enumerate().take(self.caps.len()) {
            self.widths[col] = self.widths[col].max((width + 1.0).min(self.caps[col]));
        }
    }

    /// The height a row of these text widths needs, wrapped at the columns' caps (None: one
    /// line). A column ends at least as wide as the widest text up to its cap, so a text wider
    /// than its cap wraps there and the others fit on one line.
    pub fn height(&self, texts: &[f64]) -> Option<f64> {
        let lines = texts
            .iter()
            .zip(&self.caps)
            .map(|(width, cap)| lines_of(*width, *cap))
            .fold(1.0, f64::max);
        (lines > 1.0).then_some(LINE_HEIGHT * lines)
    }

    /// The widths as written: a width the template fixes wins.
    pub fn written(&self) -> Vec<f64> {
        self.widths
            .iter()
            .zip(&self.fixed)
            .map(|(width, fixed)| fixed.unwrap_or(*width))
            .collect()
    }

    /// Decides the layout on the widths of the rows seen so far, and keeps the rows to come
    /// to it: on one page, text columns give way (their caps narrowed, never below what the
    /// rows seen need) so the table stays within the page; across pages, columns keep the
    /// widths seen. `key` is the last key column; `groups` the header groups a page break
    /// must not cut, as (first, last) column.
    pub fn layout(&mut self, key: Option<u16>, groups: &[(usize, usize)]) -> Layout {
        let capacity = page_capacity();
        let last = self.widths.len().saturating_sub(1) as u16;
        // Text columns give way first (wrapping onto more lines), down to a floor.
        let floors: Vec<f64> = self
            .least
            .iter()
            .zip(&self.shrinks)
            .map(|(least, shrinks)| {
                if *shrinks {
                    least.max(TEXT_FLOOR)
                } else {
                    *least
                }
            })
            .collect();
        let narrowed = fit(&self.written(), &floors, &self.shrinks, capacity);
        if total(&narrowed) <= capacity {
            for (col, width) in narrowed.iter().enumerate() {
                if self.shrinks[col] {
                    self.widths[col] = self.widths[col].min(*width).max(self.least[col]);
                }
            }
            // The rows to come may widen a column only as far as the page allows.
            self.caps = fit(&self.caps, &self.widths, &self.shrinks, capacity);
            return Layout {
                one_page_wide: true,
                span_last: last,
                line_first: 0,
                repeat_columns: None,
                breaks: Vec::new(),
            };
        }
        // Across pages the columns keep the widths their text asked for (narrowing them would
        // only wrap more), and the rows to come wrap at them: the pages planned are the pages
        // printed.
        for (cap, width) in self.caps.iter_mut().zip(&self.widths) {
            *cap = *width;
        }
        let widths = self.written();
        let breaks = page_breaks(&widths, key, groups, capacity);
        let span_last = breaks.first().map_or(last, |b| (*b - 1) as u16);
        let line_first = match key {
            Some(k) if k < span_last => k + 1,
            _ => 0,
        };
        Layout {
            one_page_wide: false,
            span_last,
            line_first,
            repeat_columns: key.map(|k| (0, k)),
            breaks,
        }
    }
}

fn total(widths: &[f64]) -> f64 {
    widths.iter().map(|w| w + COLUMN_PADDING).sum()
}

/// `widths` narrowed where they may shrink, the widest first, a unit at a time and never below
/// `floors`, until the table fits `capacity` or nothing can give.
fn fit(widths: &[f64], floors: &[f64], shrinks: &[bool], capacity: f64) -> Vec<f64> {
    let mut widths = widths.to_vec();
    let mut sum = total(&widths);
    while sum > capacity {
        let widest = (0..widths.len())
            .filter(|&i| shrinks[i] && widths[i] > floors[i])
            .max_by(|&a, &b| widths[a].total_cmp(&widths[b]));
        let Some(i) = widest else { break };
        let step = (widths[i] - floors[i]).min(1.0);
        widths[i] -= step;
        sum -= step;
    }
    widths
}

/// Where the pages of a table too wide for one begin: each page holds the columns that fit
/// beside the repeated key columns, and a page begins at a header group's first column rather
/// than inside it.
fn page_breaks(
    widths: &[f64],
    key: Option<u16>,
    groups: &[(usize, usize)],
    capacity: f64,
) -> Vec<u32> {
    let key_width = key.map_or(0.0, |k| total(&widths[..=usize::from(k)]));
    let mut breaks = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (col, width) in widths.iter().enumerate() {
        let room = if start == 0 {
            capacity
        } else {
            capacity - key_width
        };
        used += width + COLUMN_PADDING;
        if used <= room || col == start {
            continue;
        }
        // Break before `col`, or before the group it lies in when that leaves the page a
        // column of its own.
        let at = groups
            .iter()
            .find(|(first, last)| *first < col && col <= *last && *first > start)
            .map_or(col, |(first, _)| *first);
        breaks.push(at as u32);
        start = at;
        used = widths[at..=col].iter().map(|w| w + COLUMN_PADDING).sum();
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::super::cells::BODY_SIZE;
    use super::*;

    fn columns(kinds: &[FieldKind]) -> Columns {
        let specs: Vec<(FieldKind, &str, Option<f64>)> =
            kinds.iter().map(|k| (*k, "列", None)).collect();
        Columns::new(&specs)
    }

    #[test]
    fn a_narrow_table_fits_one_page_and_a_wide_one_repeats_its_key_columns() {
        let mut narrow = columns(&[FieldKind::RowNumber, FieldKind::Text, FieldKind::IdNumber]);
        let layout = narrow.layout(Some(1), &[]);
        assert!(layout.one_page_wide);
        assert_eq!(layout.span_last, 2);
        let mut wide = columns(&[FieldKind::Date; 20]);
        let layout = wide.layout(Some(1), &[]);
        assert!(!layout.one_page_wide);
        assert_eq!(layout.repeat_columns, Some((0, 1)));
        assert!(!layout.breaks.is_empty());
        // Fitting onto one page never takes the text below 9 pt.
        assert!(BODY_SIZE * f64::from(MIN_SCALE) / 100.0 >= 9.0);
    }

    #[test]
    fn text_columns_give_way_before_a_table_is_split() {
        let mut table = columns(&[
            FieldKind::IdNumber,
            FieldKind::Phone,
            FieldKind::Date,
            FieldKind::Date,
            FieldKind::Date,
            FieldKind::Text,
            FieldKind::Text,
            FieldKind::Text,
            FieldKind::Text,
        ]);
        // Long addresses in the four text columns: 26 units each.
        let address = text_width(&"长".repeat(20));
        table.learn(&[0.0, 0.0, 0.0, 0.0, 0.0, address, address, address, address]);
        assert!(total(&table.written()) > page_capacity());
        // The text columns wrap to make it one page wide.
        let layout = table.layout(None, &[]);
        assert!(layout.one_page_wide);
        assert!(total(&table.written()) <= page_capacity());
        let mut table = columns(&[FieldKind::IdNumber, FieldKind::Date, FieldKind::Text]);
        table.learn(&[0.0, 0.0, address]);
        let layout = table.layout(None, &[]);
        assert!(layout.one_page_wide);
        // A later row's long text wraps within the cap: the table stays one page wide.
        let long = [0.0, 0.0, text_width(&"长".repeat(60))];
        assert!(table.height(&long).is_some());
        table.learn(&long);
        assert!(total(&table.written()) <= page_capacity());
    }

    #[test]
    fn a_page_break_never_cuts_a_header_group() {
        let widths = vec![6.0; 40];
        let breaks = page_breaks(&widths, Some(1), &[(20, 24)], page_capacity());
        assert!(!breaks.is_empty());
        for b in &breaks {
            assert!(
                !(21..=24).contains(b),
                "a break at {b} cuts the group 20–24: {breaks:?}"
            );
        }
    }

    #[test]
    fn a_long_text_wraps_at_its_column_s_largest_width() {
        assert_eq!(lines_of(text_width("东街3号"), 26.0), 1.0);
        assert_eq!(lines_of(0.0, 6.0), 1.0);
        assert_eq!(
            lines_of(text_width(&"字".repeat(30)), 26.0),
            (66.0f64 / 25.0).ceil()
        );
    }

    #[test]
    fn header_rows_are_as_tall_as_their_wrapped_texts() {
        let cells = vec![
            HeaderCell {
                row: 0,
                col: 0,
                last_row: 1,
                last_col: 0,
                text: "社区/村".into(),
            },
            HeaderCell {
                row: 0,
                col: 1,
                last_row: 0,
                last_col: 2,
                text: "新增密接/次密接（人）".into(),
            },
            HeaderCell {
                row: 1,
                col: 1,
                last_row: 1,
                last_col: 1,
                text: "密接".into(),
            },
            HeaderCell {
                row: 1,
                col: 2,
                last_row: 1,
                last_col: 2,
                text: "次密接".into(),
            },
        ];
        let heights = header_heights(&cells, 2, &[8.0, 6.0, 7.6]);
        // 23 units over two narrow columns: two lines in the first row.
        assert!(heights[0] >= 2.0 * LINE_HEIGHT, "{heights:?}");
        assert!(heights[1] >= LINE_HEIGHT);
    }
}
