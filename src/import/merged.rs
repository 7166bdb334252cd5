//! Merged cells below the header. A roll that merges 门牌名, 户主 or 所属村 over a family's
//! rows means that value for every row it covers, though the file stores it in the top row
//! only: `FillDown` gives each covered row the value of its range, as a clerk reads it.

use crate::model::RawCell;

/// A merged range, rows and columns counted from 0, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// Fills the cells of merged ranges that span rows, row by row, in order.
pub struct FillDown {
    /// Ranges spanning rows, from the first data row on, by their first row.
    ranges: Vec<Merge>,
    next: usize,
    /// Ranges begun above the current row: (column, last row, value).
    open: Vec<(usize, usize, RawCell)>,
}

impl FillDown {
    /// The ranges of `merges` that cover more than one row from row `first` on.
    pub fn new(merges: &[Merge], first: usize) -> FillDown {
        let mut ranges: Vec<Merge> = merges
            .iter()
            .filter(|m| m.first_row >= first && m.last_row > m.first_row)
            .copied()
            .collect();
        ranges.sort_by_key(|m| m.first_row);
        FillDown {
            ranges,
            next: 0,
            open: Vec::new(),
        }
    }

    /// Whether there is anything to fill (most sheets merge nothing below the header).
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Gives row `row` (rows come in order, blank ones included) the values of the ranges
    /// over it. A covered cell that holds a value of its own keeps it.
    pub fn apply(&mut self, row: usize, cells: &mut Vec<RawCell>) {
        self.open.retain(|(_, last, _)| *last >= row);
        for (col, _, value) in &self.open {
            if cells.get(*col).is_none_or(RawCell::is_empty) {
                if cells.len() <= *col {
                    cells.resize(col + 1, RawCell::Empty);
                }
                cells[*col] = value.clone();
            }
        }
        while let Some(m) = self.ranges.get(self.next).filter(|m| m.first_row <= row) {
            self.next += 1;
            let value = cells.get(m.first_col).cloned().unwrap_or(RawCell::Empty);
            if m.first_row == row && !value.is_empty() {
                self.open.push((m.first_col, m.last_row, value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawCell {
        RawCell::Text(s.into())
    }

    #[test]
    fn a_range_over_rows_fills_each_of_them_and_stops_after_its_last() {
        // 门牌名 (column 1) merged over rows 3–5; column 0 merged over one row and two
        // columns (nothing to fill); a range in the header (row 0–1) left alone.
        let merges = [
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: 0,
            },
            Merge {
                first_row: 3,
                first_col: 1,
                last_row: 5,
                last_col: 1,
            },
            Merge {
                first_row: 4,
                first_col: 2,
                last_row: 4,
                last_col: 3,
            },
        ];
        let mut fill = FillDown::new(&merges, 2);
        let mut rows = [
            vec![text("张三"), text("东街")],
            vec![text("李四"), text("东街"), text("8号")],
            vec![text("李小四")],
            vec![],
            vec![text("王五")],
        ];
        for (i, cells) in rows.iter_mut().enumerate() {
            fill.apply(i + 2, cells);
        }
        assert_eq!(rows[0], vec![text("张三"), text("东街")]);
        assert_eq!(rows[1][1], text("东街"));
        assert_eq!(rows[2], vec![text("李小四"), text("东街")]);
        assert_eq!(rows[3], vec![RawCell::Empty, text("东街")]);
        assert_eq!(rows[4], vec![text("王五")]);
    }

    #[test]
    fn a_covered_cell_with_its_own_value_keeps_it() {
        let merges = [Merge {
            first_row: 1,
            first_col: 0,
            last_row: 2,
            last_col: 0,
        }];
        let mut fill = FillDown::new(&merges, 1);
        let mut top = vec![text("一组")];
        let mut below = vec![text("二组")];
        fill.apply(1, &mut top);
        fill.apply(2, &mut below);
        assert_eq!(below, vec![text("二组")]);
    }
}
