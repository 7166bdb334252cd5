//! Finding the header of a sheet as clerks make them: title and 填报单位 rows above it, a
//! header of one to three rows with merged parents (a child column is keyed 父|子, e.g.
//! 外出情况|具体地址), a 填写说明 row under it; and telling data rows from blank rows, 合计/小计
//! rows and signature/stamp footers.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::read::{Grid, RawCell};
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

/// What a row below the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Data,
    Skip(Skip),
}

/// Why a row below the header is not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Blank,
    /// 合计 / 小计 / 总计, or a row of numbers alone under a table.
    Total,
    /// 填表人、审核人、盖章 … lines.
    Footer,
    /// 备注：… standing alone under the table.
    Note,
    /// 必填 / 可选 / 18位身份证号 / 格式: 2000-01-01 under a header.
    Instruction,
    /// A printed form's empty row: only its 序号.
    TemplateRow,
    /// The header again (a sheet printed with its header on every page).
    RepeatedHeader,
    /// The title of a table stacked below (所属楼层：6).
    TableTitle,
    /// A block of another table under this one (a COUNTIF 统计 by 部门), from its own header
    /// to the next blank row.
    Summary,
}

impl Skip {
    pub fn code(self) -> &'static str {
        match self {
            Skip::Blank => "blank",
            Skip::Total => "total",
            Skip::Footer => "footer",
            Skip::Note => "note",
            Skip::Instruction => "instruction",
            Skip::TemplateRow => "template_row",
            Skip::RepeatedHeader => "repeated_header",
            Skip::TableTitle => "table_title",
            Skip::Summary => "summary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Skip::Blank => "空行",
            Skip::Total => "合计行",
            Skip::Footer => "签字盖章行",
            Skip::Note => "表下的备注",
            Skip::Instruction => "填写说明行",
            Skip::TemplateRow => "空白的表格行（只有序号）",
            Skip::RepeatedHeader => "重复的表头",
            Skip::TableTitle => "表中的小标题",
            Skip::Summary => "表下另一张统计表",
        }
    }
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

/// What the classifier knows of the sheet besides a row.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// The header's texts by column (to see the header again).
    pub header: Vec<String>,
    /// Columns that hold a person's name (a row with one is never a footer).
    pub identity: Vec<usize>,
    /// Columns that hold an ID number.
    pub ids: Vec<usize>,
    /// The 序号 column, if any.
    pub sequence: Option<usize>,
}

impl Shape {
    pub fn of(layout: &Layout) -> Shape {
        let width = layout
            .columns
            .iter()
            .map(|c| c.index + c.span)
            .max()
            .unwrap_or(0);
        let mut header = vec![String::new(); width];
        for c in &layout.columns {
            header[c.index] = normal_header(&c.header);
        }
        Shape {
            header,
            identity: Vec::new(),
            ids: Vec::new(),
            sequence: layout
                .columns
                .iter()
                .find(|c| super::target::is_sequence_header(&c.key))
                .map(|c| c.index),
        }
    }
}

/// The words a totals row starts with.
const TOTALS: &[&str] = &["合计", "小计", "总计", "总数", "累计"];

/// Words of a footer line: who filled in, checked, signed or stamped the form.
const FOOTER: &[&str] = &[
    "填表人",
    "填报人",
    "审核人",
    "负责人：",
    "负责人:",
    "盖章",
    "签字",
    "签名",
    "制表",
    "审批人",
    "报告人",
    "统计人",
    "联系人：",
];

/// Classifies a row below the header: data, or why not.
pub fn classify(cells: &[RawCell], shape: &Shape) -> RowKind {
    // Most rows name their person plainly: say so without looking further.
    let lead_total = cells.iter().find(|c| !c.is_empty()).is_some_and(|c| {
        let text = c.text();
        TOTALS.iter().any(|w| text.trim_start().starts_with(w))
    });
    if let Some(RawCell::Text(name)) = shape
        .identity
        .first()
        .and_then(|i| cells.get(*i))
        .filter(|_| !lead_total)
    {
        let name = name.trim();
        let header = shape.identity.first().and_then(|i| shape.header.get(*i));
        if looks_like_name(name)
            && !is_instruction_text(name)
            && !TOTALS.iter().any(|w| name.starts_with(w))
            && header.is_none_or(|h| *h != normal_header(name))
        {
            return RowKind::Data;
        }
    }
    let filled: Vec<(usize, &RawCell)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let Some(&(first_col, first)) = filled.first() else {
        return RowKind::Skip(Skip::Blank);
    };
    let texts: Vec<(usize, String)> = filled
        .iter()
        .map(|(i, c)| (*i, c.text().split_whitespace().collect::<String>()))
        .collect();
    // The header again.
    let same_as_header = texts
        .iter()
        .filter(|(i, t)| {
            shape
                .header
                .get(*i)
                .is_some_and(|h| !h.is_empty() && *h == normal_header(t))
        })
        .count();
    let header_width = shape.header.iter().filter(|h| !h.is_empty()).count();
    if same_as_header >= 2 && same_as_header * 5 >= header_width.min(texts.len()) * 3 {
        return RowKind::Skip(Skip::RepeatedHeader);
    }
    if let RawCell::Text(_) = first {
        let lead = &texts[0].1;
        if TOTALS.iter().any(|w| lead.starts_with(w)) {
            return RowKind::Skip(Skip::Total);
        }
    }
    let instruction_cells = texts.iter().filter(|(_, t)| is_instruction_text(t)).count();
    let identity_cell = texts
        .iter()
        .find(|(i, _)| shape.identity.contains(i) || shape.ids.contains(i));
    let names_someone = texts.iter().any(|(i, t)| {
        (shape.identity.contains(i) && looks_like_name(t))
            || (shape.ids.contains(i) && looks_like_id(t))
    });
    if instruction_cells >= 2
        || identity_cell.is_some_and(|(_, t)| is_instruction_text(t))
        || (instruction_cells == 1
            && texts.len() == 1
            && first_col != shape.sequence.unwrap_or(usize::MAX))
    {
        return RowKind::Skip(Skip::Instruction);
    }
    // A row that names someone is data, whatever else it says (a 备注 of 承诺书已签字).
    if names_someone {
        return RowKind::Data;
    }
    let numbers = filled
        .iter()
        .filter(|(_, c)| matches!(c, RawCell::Number(_)) || c.text().trim().parse::<f64>().is_ok())
        .count();
    if filled.len() == 1 && numbers == 1 && (Some(first_col) == shape.sequence || first_col == 0) {
        return RowKind::Skip(Skip::TemplateRow);
    }
    if numbers == filled.len() && !names_someone {
        // Numbers alone under the table: a totals row whose label was left out.
        let only_sequence = filled.iter().all(|(i, _)| Some(*i) == shape.sequence);
        if !only_sequence {
            return RowKind::Skip(Skip::Total);
        }
    }
    const NOTE: &[&str] = &["备注", "注：", "注:", "说明", "填表说明", "填报说明"];
    let distinct: std::collections::HashSet<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
    if distinct.len() == 1 {
        let lead = &texts[0].1;
        if NOTE.iter().any(|w| lead.starts_with(w)) {
            return RowKind::Skip(Skip::Note);
        }
        if FOOTER.iter().any(|w| lead.contains(w)) {
            return RowKind::Skip(Skip::Footer);
        }
        if matches!(first, RawCell::Text(_)) && !names_someone {
            return RowKind::Skip(Skip::TableTitle);
        }
    }
    // A signature line: labels waiting for a name (采样人员： 录入人员： 送检时间：).
    let labels_only = texts.iter().all(|(_, t)| t.ends_with(['：', ':']));
    let footer = labels_only
        || texts
            .iter()
            .any(|(_, t)| FOOTER.iter().any(|w| t.contains(w)));
    if footer && texts.len() <= 4 && !names_someone {
        return RowKind::Skip(Skip::Footer);
    }
    RowKind::Data
}

/// A header row of another table (部门 / 人数 / 就餐人次 under a roster): texts only, short,
/// with the words of a count, and not this table's header.
pub fn looks_like_other_header(cells: &[RawCell], shape: &Shape) -> bool {
    const COUNT_WORDS: &[&str] = &[
        "人数", "人次", "次数", "数量", "合计", "统计", "部门", "项目", "类别", "占比", "比例",
        "户数", "汇总",
    ];
    let texts: Vec<(usize, String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(i, c)| (i, c.text().trim().to_string()))
        .collect();
    texts.len() >= 2
        && cells
            .iter()
            .all(|c| c.is_empty() || matches!(c, RawCell::Text(_)))
        && texts.iter().all(|(_, t)| t.chars().count() <= 10)
        && texts
            .iter()
            .any(|(_, t)| COUNT_WORDS.iter().any(|w| t.contains(w)))
        && !texts
            .iter()
            .any(|(i, t)| shape.header.get(*i).is_some_and(|h| *h == normal_header(t)))
}

/// A cell of a name column that names a person: letters, no label like 填表人：. A name of
/// digits alone ("23") is kept as a row, to be warned about, when it is not a number.
fn looks_like_name(text: &str) -> bool {
    // Words that head a block of a sheet, never a person's name.
    const BLOCK_WORDS: &[&str] = &[
        "统计", "汇总", "部门", "附件", "附表", "说明", "备注", "注意", "分类", "项目", "姓名",
    ];
    let t = text.trim();
    !t.is_empty()
        && !BLOCK_WORDS.iter().any(|w| t.starts_with(w))
        && t.chars().count() <= 30
        && !t.contains(['：', ':'])
        && !FOOTER.iter().any(|w| t.contains(w))
        && t.chars().any(|c| c.is_alphabetic())
}

/// A cell of an ID column that could be an ID (six characters or more).
fn looks_like_id(text: &str) -> bool {
    text.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 6
}

/// A cell of an instruction row: 必填, 可选, 18位身份证号, 格式: 2000-01-01, 男/女, 如：.
fn is_instruction_text(text: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read::Merge;

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
    fn rows_that_are_not_data_say_why() {
        let row = |cells: &[&str]| {
            cells
                .iter()
                .map(|c| RawCell::Text(c.to_string()))
                .collect::<Vec<_>>()
        };
        let shape = Shape {
            header: vec![
                "序号".into(),
                "姓名".into(),
                "身份证号".into(),
                "备注".into(),
            ],
            identity: vec![1],
            ids: vec![2],
            sequence: Some(0),
        };
        let kind = |cells: &[&str]| classify(&row(cells), &shape);
        let skip = |s: Skip| RowKind::Skip(s);
        assert_eq!(kind(&["合计", "", "12"]), skip(Skip::Total));
        assert_eq!(kind(&["小 计", "3"]), skip(Skip::Total));
        assert_eq!(
            kind(&["", "", "12", "30"]),
            skip(Skip::Total),
            "numbers alone"
        );
        assert_eq!(kind(&["填表人：王五", "", "审核人："]), skip(Skip::Footer));
        assert_eq!(kind(&["社区(村)（盖章）"]), skip(Skip::Footer));
        assert_eq!(kind(&["采样人员：", "", "录入人员："]), skip(Skip::Footer));
        assert_eq!(
            kind(&["", "统计"]),
            skip(Skip::TableTitle),
            "统计 is no one's name"
        );
        assert_eq!(
            kind(&["备注：此表每日下午4点前报镇防控办。", "", ""]),
            skip(Skip::Note)
        );
        assert_eq!(kind(&["", "\u{3000}", ""]), skip(Skip::Blank));
        assert_eq!(kind(&["7"]), skip(Skip::TemplateRow));
        assert_eq!(kind(&["所属楼层：6"]), skip(Skip::TableTitle));
        assert_eq!(
            kind(&["序号", "姓名", "身份证号", "备注"]),
            skip(Skip::RepeatedHeader)
        );
        assert_eq!(
            kind(&["", "必填", "18位身份证号", "可选"]),
            skip(Skip::Instruction)
        );
        // A row that names someone is data, whatever its 备注 says.
        assert_eq!(kind(&["1", "张三", "", "承诺书已签字"]), RowKind::Data);
        assert_eq!(kind(&["2", "李四", "", "包保负责人：王五"]), RowKind::Data);
        assert_eq!(kind(&["3", "赵六", "", "如：外出务工"]), RowKind::Data);
        assert_eq!(kind(&["", "张三", "11010519491231002X"]), RowKind::Data);
        assert_eq!(kind(&["", "王五"]), RowKind::Data, "a name alone");
    }

    #[test]
    fn a_sheet_without_a_header_says_so() {
        let g = grid(&[&["hello", "world"], &["1", "2"]], &[]);
        assert_eq!(detect(&g).unwrap_err(), NoHeader::NotFound);
    }
}
