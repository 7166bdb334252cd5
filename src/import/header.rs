//! Finding the header of a sheet as clerks make them: title and 填报单位 rows above it, a
//! header of one to three rows with merged parents (a child column is keyed 父|子, e.g.
//! 外出情况|具体地址), a 填写说明 row under it; and telling data rows from blank rows, 合计/小计
//! rows and signature/stamp footers.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::read::Grid;
use super::target::{normal_header, Target};

/// The widest header a real form has; a wider one is refused (a sheet of 16,384 columns is a
/// mistake or an attack, and every column costs work on every row).
pub const MAX_COLUMNS: usize = 1000;

/// How far down a header is looked for.
const SEARCH_ROWS: usize = 25;

/// One column of the sheet's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetColumn {
    pub index: usize,
    /// The header path, normalised, joined by '|': 外出情况|具体地址.
    pub key: String,
    /// The header as it stands in the sheet (the lowest header cell), for messages.
    pub header: String,
    /// How many columns from `index` on are read as one value: a paper form writes an ID
    /// one digit per cell under one merged 公民身份号码.
    pub span: usize,
}

#[derive(Debug, Clone)]
pub struct Layout {
    /// Header rows, 0-based, inclusive.
    pub header_first: usize,
    pub header_last: usize,
    pub columns: Vec<SheetColumn>,
    /// The first row that may hold data (after any 填写说明 row).
    pub data_first: usize,
    /// Rows above the data that are not header: title, 填报单位, 填写说明.
    pub skipped_above: usize,
}

/// A grid with every merged range filled with its top-left value (for reading headers).
fn filled(grid: &Grid, rows: usize) -> Vec<Vec<String>> {
    let width = grid.width();
    let mut out: Vec<Vec<String>> = (0..rows.min(grid.rows.len()))
        .map(|r| {
            (0..width)
                .map(|c| grid.cell(r, c).text().trim().to_string())
                .collect()
        })
        .collect();
    for m in &grid.merges {
        if m.first_row >= out.len() {
            continue;
        }
        let value = grid
            .cell(m.first_row, m.first_col)
            .text()
            .trim()
            .to_string();
        for row in out.iter_mut().take(m.last_row + 1).skip(m.first_row) {
            for cell in row.iter_mut().take(m.last_col + 1).skip(m.first_col) {
                *cell = value.clone();
            }
        }
    }
    out
}

/// Every header word of every target, normalised once.
fn known_headers() -> &'static HashSet<String> {
    static KNOWN: OnceLock<HashSet<String>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        Target::ALL
            .iter()
            .flat_map(|t| t.fields())
            .flat_map(|f| f.synonyms.iter())
            .map(|s| normal_header(s))
            .collect()
    })
}

/// How many cells of a row name a known field of any target.
fn score(row: &[String]) -> usize {
    let known = known_headers();
    row.iter()
        .filter(|cell| !cell.is_empty() && cell.chars().count() <= 40)
        .filter(|cell| {
            let key = normal_header(cell);
            let bare = match key.rfind('(') {
                Some(i) if i > 0 && key.ends_with(')') => &key[..i],
                _ => key.as_str(),
            };
            known.contains(&key) || known.contains(bare) || super::target::is_sequence_header(&key)
        })
        .count()
}

fn looks_like_data(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 6 || text.parse::<f64>().is_ok()
}

/// A title (one text across the table) or a 填报单位/填报日期 line.
fn is_title_or_meta(row: &[String]) -> bool {
    let values: Vec<&String> = row.iter().filter(|c| !c.is_empty()).collect();
    let mut distinct = values.clone();
    distinct.dedup();
    distinct.len() <= 1
        || values.iter().any(|v| {
            [
                "填报单位",
                "填报人",
                "填报日期",
                "填报时间",
                "单位：",
                "单位:",
                "统计时间",
                "截止时间",
            ]
            .iter()
            .any(|w| v.contains(w))
        })
}

/// A row of instructions under a header: cells saying 必填/可选/格式…, or a 填写说明 line.
/// One such word in a row full of values is a value (a 备注 of 如：外出务工).
fn is_instruction(row: &[String]) -> bool {
    let cells: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    let matching = cells.iter().filter(|c| is_instruction_text(c)).count();
    if matching >= 2 || (matching == 1 && cells.len() <= 2) {
        return true;
    }
    cells.first().is_some_and(|c| {
        let c = c.trim();
        [
            "填写说明",
            "填表说明",
            "填报说明",
            "说明：",
            "说明:",
            "注：",
            "注:",
        ]
        .iter()
        .any(|w| c.starts_with(w))
    })
}

/// Why no header could be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoHeader {
    NotFound,
    TooWide(usize),
}

impl std::fmt::Display for NoHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            NoHeader::NotFound => write!(f, "前 {SEARCH_ROWS} 行中找不到表头（至少两个认识的列名，如 姓名、身份证号码、联系电话）"),
            NoHeader::TooWide(n) => write!(f, "表头有 {n} 列，超过 {MAX_COLUMNS} 列，不像一张登记表。请删去多余的列，或只复制需要的列到新表再导入"),
        }
    }
}

/// Finds the header, or says why none was found.
pub fn detect(grid: &Grid) -> Result<Layout, NoHeader> {
    for row in grid.rows.iter().take(SEARCH_ROWS) {
        let filled = row.iter().filter(|c| !c.is_empty()).count();
        if filled > MAX_COLUMNS {
            return Err(NoHeader::TooWide(filled));
        }
    }
    let rows = filled(grid, SEARCH_ROWS);
    let (best, best_score) = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i, score(r)))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, 0));
    if best_score < 2 {
        return Err(NoHeader::NotFound);
    }
    let width = grid.width();
    // Parent rows above: header-like rows that are not titles.
    let mut first = best;
    while first > 0 {
        let above = &rows[first - 1];
        if is_title_or_meta(above)
            || above.iter().all(String::is_empty)
            || above.iter().any(|c| looks_like_data(c))
        {
            break;
        }
        first -= 1;
    }
    // Child rows below: header text under parents, with no data in them.
    let mut last = best;
    while last + 1 < rows.len() {
        let below = &rows[last + 1];
        let cells: Vec<&String> = below.iter().filter(|c| !c.is_empty()).collect();
        // Without merge information a parent is followed by empty cells its children fill.
        let mut above = rows[last].clone();
        for c in 1..width {
            if above[c].is_empty() && !below[c].is_empty() {
                above[c] = above[c - 1].clone();
            }
        }
        let is_child_row = !cells.is_empty()
            && !is_instruction(below)
            && !cells.iter().any(|c| looks_like_data(c))
            && (0..width).any(|c| !below[c].is_empty() && below[c] != above[c])
            && (0..width)
                .all(|c| below[c].is_empty() || below[c] == above[c] || is_parent(&above, c));
        if !is_child_row {
            break;
        }
        last += 1;
    }
    let block: Vec<Vec<String>> = (first..=last)
        .map(|r| fill_parents(&rows, r, last))
        .collect();
    let mut columns = Vec::new();
    for c in 0..width {
        let mut path: Vec<String> = Vec::new();
        for row in &block {
            let text = &row[c];
            if !text.is_empty() && path.last() != Some(text) {
                path.push(text.clone());
            }
        }
        if path.is_empty() {
            continue;
        }
        let header = path.last().cloned().unwrap_or_default();
        let key = path
            .iter()
            .map(|p| normal_header(p))
            .collect::<Vec<_>>()
            .join("|");
        columns.push(SheetColumn {
            index: c,
            key,
            header,
            span: 1,
        });
    }
    let columns = join_split_cells(columns, grid, first, last);
    let mut data_first = last + 1;
    while data_first < grid.rows.len()
        && is_instruction(
            &grid.rows[data_first]
                .iter()
                .map(|c| c.text())
                .collect::<Vec<_>>(),
        )
    {
        data_first += 1;
    }
    Ok(Layout {
        header_first: first,
        header_last: last,
        columns,
        skipped_above: first + (data_first - last - 1),
        data_first,
    })
}

/// A cell in a header row that spans more than its own column (merged, or followed by empty
/// cells that the row below fills): a parent.
fn is_parent(row: &[String], c: usize) -> bool {
    !row[c].is_empty()
        && ((c > 0 && row[c - 1] == row[c])
            || (c + 1 < row.len() && (row[c + 1] == row[c] || row[c + 1].is_empty())))
}

/// A header row where parents without merge information are filled to the right over the
/// columns their children occupy (sheets from .ods and CSV carry no merges).
fn fill_parents(rows: &[Vec<String>], r: usize, last: usize) -> Vec<String> {
    let mut row = rows[r].clone();
    if r == last {
        return row;
    }
    for c in 1..row.len() {
        let child_below = rows[r + 1..=last].iter().any(|b| !b[c].is_empty());
        if row[c].is_empty() && !row[c - 1].is_empty() && child_below {
            row[c] = row[c - 1].clone();
        }
    }
    row
}

/// Columns that share one header key side by side, under a header merged across them, are one
/// value written cell by cell (an 18-digit ID, one digit per cell): they are read as one.
fn join_split_cells(
    columns: Vec<SheetColumn>,
    grid: &Grid,
    first: usize,
    last: usize,
) -> Vec<SheetColumn> {
    let merged_across = |a: usize, b: usize| {
        grid.merges.iter().any(|m| {
            m.first_row >= first && m.first_row <= last && m.first_col <= a && m.last_col >= b
        })
    };
    let mut out: Vec<SheetColumn> = Vec::new();
    let mut i = 0;
    while i < columns.len() {
        let mut j = i + 1;
        while j < columns.len()
            && columns[j].key == columns[i].key
            && columns[j].index == columns[j - 1].index + 1
        {
            j += 1;
        }
        let run = j - i;
        let joined =
            run >= 2 && (merged_across(columns[i].index, columns[j - 1].index) || run >= 6);
        if joined {
            let mut c = columns[i].clone();
            c.span = run;
            out.push(c);
        } else {
            out.extend(columns[i..j].iter().cloned());
        }
        i = j;
    }
    out
}

/// A cell of an instruction row: 必填, 可选, 18位身份证号, 格式: 2000-01-01, 男/女, 如：.
pub(super) fn is_instruction_text(text: &str) -> bool {
    let t = text.trim();
    const WORDS: &[&str] = &[
        "必填",
        "选填",
        "可选",
        "非必填",
        "填写说明",
        "填表说明",
        "格式",
        "示例",
        "例：",
        "例:",
        "如：",
        "如:",
        "请填写",
        "请选择",
        "下拉选择",
        "（必填）",
        "(必填)",
    ];
    if WORDS.iter().any(|w| t.contains(w)) {
        return true;
    }
    // "18位身份证号", "11位手机号".
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() && t[digits.len()..].starts_with('位') {
        return true;
    }
    matches!(t, "男/女" | "是/否" | "男或女" | "是或否")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read::Merge;
    use crate::import::read::RawCell;

    fn grid(rows: &[&[&str]], merges: &[(usize, usize, usize, usize)]) -> Grid {
        Grid {
            sheet: "表1".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| {
                            if c.is_empty() {
                                RawCell::Empty
                            } else {
                                RawCell::Text(c.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            merges: merges
                .iter()
                .map(|&(a, b, c, d)| Merge {
                    first_row: a,
                    first_col: b,
                    last_row: c,
                    last_col: d,
                })
                .collect(),
        }
    }

    fn keys(layout: &Layout) -> Vec<&str> {
        layout.columns.iter().map(|c| c.key.as_str()).collect()
    }

    #[test]
    fn title_meta_and_instruction_rows_are_skipped() {
        let g = grid(
            &[
                &["来(返)乡人员登记表", "", ""],
                &["填报单位：石桥村", "", "填报日期：2026年11月22日"],
                &["姓名", "身份证号码", "联系电话"],
                &["填写说明：身份证号请填18位", "", ""],
                &["张三", "11010519491231002X", "13800138000"],
            ],
            &[(0, 0, 0, 2)],
        );
        let layout = detect(&g).unwrap();
        assert_eq!(
            (layout.header_first, layout.header_last, layout.data_first),
            (2, 2, 4)
        );
        assert_eq!(keys(&layout), ["姓名", "身份证号码", "联系电话"]);
        assert_eq!(layout.skipped_above, 3);
    }

    #[test]
    fn a_three_level_merged_header_gives_parent_child_keys() {
        let g = grid(
            &[
                &["姓名", "性别", "外出情况", "", "", "", "返回情况", ""],
                &[
                    "",
                    "",
                    "具体地址",
                    "外出日期",
                    "当地疫情",
                    "",
                    "返回时间",
                    "交通工具",
                ],
                &["", "", "", "", "有", "无", "", ""],
                &[
                    "李四",
                    "男",
                    "武汉",
                    "2020-01-10",
                    "√",
                    "",
                    "2020-01-20",
                    "火车",
                ],
            ],
            &[
                (0, 0, 2, 0),
                (0, 1, 2, 1),
                (0, 2, 0, 5),
                (1, 2, 2, 2),
                (1, 3, 2, 3),
                (1, 4, 1, 5),
                (0, 6, 0, 7),
                (1, 6, 2, 6),
                (1, 7, 2, 7),
            ],
        );
        let layout = detect(&g).unwrap();
        assert_eq!(
            (layout.header_first, layout.header_last, layout.data_first),
            (0, 2, 3)
        );
        assert_eq!(
            keys(&layout),
            [
                "姓名",
                "性别",
                "外出情况|具体地址",
                "外出情况|外出日期",
                "外出情况|当地疫情|有",
                "外出情况|当地疫情|无",
                "返回情况|返回时间",
                "返回情况|交通工具"
            ]
        );
    }

    #[test]
    fn parents_without_merge_information_fill_over_their_children() {
        // The same header read from CSV or .ods: no merges.
        let g = grid(
            &[
                &["姓名", "身份证号", "体温", ""],
                &["", "", "上午", "下午"],
                &["张三", "11010519491231002X", "36.5", "36.7"],
            ],
            &[],
        );
        let layout = detect(&g).unwrap();
        assert_eq!(
            keys(&layout),
            ["姓名", "身份证号", "体温|上午", "体温|下午"]
        );
        assert_eq!(layout.data_first, 2);
    }

    #[test]
    fn a_sheet_without_a_header_says_so() {
        let g = grid(&[&["hello", "world"], &["1", "2"]], &[]);
        assert_eq!(detect(&g).unwrap_err(), NoHeader::NotFound);
    }
}
