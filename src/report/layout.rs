//! The header of a report: column header paths become a grid of cells with merged parents,
//! the same for the on-screen preview and the xlsx. ["外出情况", "具体地址"] and
//! ["外出情况", "外出日期"] side by side give one 外出情况 cell over two children; a short path
//! in a deep header runs down to the last header row.

use serde::Serialize;

use super::Template;

/// One header cell, rows counted from the first header row, columns from the first column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderCell {
    pub row: usize,
    pub col: usize,
    pub last_row: usize,
    pub last_col: usize,
    pub text: String,
}

/// Lays out the header; an error names a malformed column.
pub fn header_layout(template: &Template) -> Result<Vec<HeaderCell>, String> {
    let paths: Vec<&Vec<String>> = template.columns.iter().map(|c| &c.header).collect();
    if let Some(i) = paths.iter().position(|p| p.is_empty()) {
        return Err(format!("第 {} 列没有表头", i + 1));
    }
    let depth = paths.iter().map(|p| p.len()).max().unwrap_or(0);
    let mut cells = Vec::new();
    for level in 0..depth {
        let mut col = 0;
        while col < paths.len() {
            let path = paths[col];
            if path.len() <= level {
                col += 1; // covered by a cell above that runs down
                continue;
            }
            let ends_here = path.len() == level + 1;
            let mut last_col = col;
            if !ends_here {
                // Siblings under the same parent path merge into one parent cell.
                while last_col + 1 < paths.len() {
                    let next = paths[last_col + 1];
                    if next.len() > level + 1 && next[..=level] == path[..=level] {
                        last_col += 1;
                    } else {
                        break;
                    }
                }
            }
            let last_row = if ends_here { depth - 1 } else { level };
            cells.push(HeaderCell {
                row: level,
                col,
                last_row,
                last_col,
                text: path[level].clone(),
            });
            col = last_col + 1;
        }
    }
    Ok(cells)
}

/// How many header rows a template has.
pub fn header_depth(template: &Template) -> usize {
    template
        .columns
        .iter()
        .map(|c| c.header.len())
        .max()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Column;

    fn template(headers: &[&[&str]]) -> Template {
        Template {
            format: super::super::FORMAT.into(),
            version: 1,
            id: "t".into(),
            name: "t".into(),
            source: "arrivals".into(),
            title: String::new(),
            meta: false,
            columns: headers
                .iter()
                .map(|h| Column {
                    header: h.iter().map(|s| s.to_string()).collect(),
                    field: "name".into(),
                    width: None,
                })
                .collect(),
            filter: Default::default(),
            sort: vec![],
            totals: false,
            footer: vec![],
            zero_report: String::new(),
        }
    }

    fn cell(row: usize, col: usize, last_row: usize, last_col: usize, text: &str) -> HeaderCell {
        HeaderCell {
            row,
            col,
            last_row,
            last_col,
            text: text.into(),
        }
    }

    #[test]
    fn three_levels_like_the_sars_form() {
        let t = template(&[
            &["姓名"],
            &["外出情况", "具体地址"],
            &["外出情况", "当地疫情", "有"],
            &["外出情况", "当地疫情", "无"],
            &["医学观察"],
        ]);
        assert_eq!(
            header_layout(&t).unwrap(),
            vec![
                cell(0, 0, 2, 0, "姓名"),
                cell(0, 1, 0, 3, "外出情况"),
                cell(0, 4, 2, 4, "医学观察"),
                cell(1, 1, 2, 1, "具体地址"),
                cell(1, 2, 1, 3, "当地疫情"),
                cell(2, 2, 2, 2, "有"),
                cell(2, 3, 2, 3, "无"),
            ]
        );
    }

    #[test]
    fn equal_parents_that_are_not_adjacent_stay_apart() {
        let t = template(&[&["第一针", "总数"], &["姓名"], &["第一针", "本地"]]);
        let cells = header_layout(&t).unwrap();
        assert_eq!(cells.iter().filter(|c| c.text == "第一针").count(), 2);
    }
}
