//! Telling a sheet's data rows from everything else under its header — blank rows, 合计 and
//! unlabelled totals, signature and stamp lines, notes, instruction rows, a printed form's
//! empty numbered rows, the header repeated on each page, the titles of tables stacked below —
//! each with its reason. A row that names someone is data, whatever else it holds.

use super::header::{is_instruction_text, Layout};
use super::read::RawCell;
use super::target::normal_header;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
