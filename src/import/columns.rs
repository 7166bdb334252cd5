//! Which column of a sheet is read as which field: the user's choice, else the mapping saved
//! for this header, else the header words of the field tables; a field is taken by the first
//! column that names it. Every column that is not read says why (a field another kind of
//! sheet has, a row number, a header the ledger does not know), and every field the target
//! fills with a default for lack of a column is said too — nothing is invented in silence.

use std::collections::BTreeMap;

use super::header::{Layout, SheetColumn};
use super::read::RawCell;
use super::report::{ColumnPlan, Notice};
use super::target::{is_sequence_header, matches_header, Target};
use crate::error::{Code, Error, Result};
use crate::model::fields::Field;

/// A column as a row is read through it.
#[derive(Debug, Clone)]
pub struct Column {
    pub index: usize,
    /// Columns read as one value from `index` on (an ID one digit per cell).
    pub span: usize,
    pub header: String,
    pub field: &'static Field,
    /// The value every row takes for a field the sheet has no column for (the round's day,
    /// the station's checkpoint).
    pub fixed: Option<RawCell>,
}

impl Column {
    /// The cell of a row this column reads: the fixed value, one cell, or the cells of a
    /// split value joined.
    pub fn cell(&self, cells: &[RawCell]) -> RawCell {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        if self.span <= 1 {
            return cells.get(self.index).cloned().unwrap_or(RawCell::Empty);
        }
        let joined: String = (self.index..self.index + self.span)
            .filter_map(|i| cells.get(i))
            .map(|c| c.text().trim().to_string())
            .collect();
        if joined.is_empty() {
            RawCell::Empty
        } else {
            RawCell::Text(joined)
        }
    }
}

/// The columns a sheet is read through, and how each of its columns is read.
pub struct Mapping {
    pub columns: Vec<Column>,
    pub plans: Vec<ColumnPlan>,
    /// Fields the target fills with their default for every row.
    pub defaulted: Vec<&'static Field>,
}

/// Maps a sheet's columns to a target's fields. `chosen` is the user's (column key → field
/// key, "" to leave a column out), `saved` the mapping remembered for this header.
pub fn map(
    layout: &Layout,
    target: Target,
    chosen: &BTreeMap<String, String>,
    saved: &BTreeMap<String, String>,
    fixed: &BTreeMap<String, String>,
    where_: &str,
) -> Result<Mapping> {
    let mut taken: Vec<&str> = Vec::new();
    let mut columns = Vec::new();
    let mut plans = Vec::new();
    for column in &layout.columns {
        let field = match chosen.get(&column.key).or_else(|| saved.get(&column.key)) {
            Some(key) if key.is_empty() => None,
            Some(key) => Some(target.field(key).ok_or_else(|| {
                Error::refused(
                    Code::ColumnMapping,
                    format!(
                        "“{}”列指定的字段“{key}”不属于{}",
                        column.header,
                        target.label()
                    ),
                )
            })?),
            None => target
                .fields()
                .into_iter()
                .find(|f| !taken.contains(&f.key) && matches_header(f, &column.key)),
        };
        if let Some(f) = field {
            if taken.contains(&f.key) {
                return Err(Error::refused(
                    Code::ColumnMapping,
                    format!("字段“{}”被指定给了两列，请只保留一列", f.label),
                ));
            }
            taken.push(f.key);
            columns.push(Column {
                index: column.index,
                span: column.span,
                header: column.header.clone(),
                field: f,
                fixed: None,
            });
        }
        plans.push(ColumnPlan {
            key: column.key.clone(),
            header: column.header.clone(),
            index: column.index,
            span: column.span,
            field: field.map(|f| f.key.to_string()),
            field_label: field.map(|f| f.label.to_string()),
            note: match field {
                Some(_) => None,
                None => Some(why_not(column, target, chosen.contains_key(&column.key))),
            },
        });
    }
    let width = layout
        .columns
        .iter()
        .map(|c| c.index + c.span)
        .max()
        .unwrap_or(0);
    for (key, value) in fixed {
        let field = target.field(key).ok_or_else(|| {
            Error::refused(
                Code::ColumnMapping,
                format!("字段“{key}”不属于{}", target.label()),
            )
        })?;
        if !taken.contains(&field.key) {
            taken.push(field.key);
            columns.push(Column {
                index: width + columns.len(),
                span: 1,
                header: field.label.to_string(),
                field,
                fixed: Some(RawCell::Text(value.clone())),
            });
        }
    }
    let missing: Vec<&str> = target
        .required()
        .iter()
        .filter(|f| !taken.contains(&f.key))
        .map(|f| f.label)
        .collect();
    if !missing.is_empty() {
        return Err(Error::refused(
            Code::ColumnMissing,
            format!(
                "{where_}按“{}”导入缺少必需的列：{}。请在导入向导中指定对应的列，或用 --as 选择其他表格类型",
                target.label(),
                missing.join("、")
            ),
        ));
    }
    let defaulted = target
        .own()
        .iter()
        .filter(|f| f.default.is_some() && !taken.contains(&f.key))
        .collect();
    Ok(Mapping {
        columns,
        plans,
        defaulted,
    })
}

/// Why a column is not read.
fn why_not(column: &SheetColumn, target: Target, left_out: bool) -> String {
    if left_out {
        return "已选择不导入".into();
    }
    if is_sequence_header(&column.key) {
        return "序号，不导入".into();
    }
    let elsewhere: Vec<&str> = Target::ALL
        .iter()
        .filter(|t| **t != target)
        .filter(|t| t.fields().iter().any(|f| matches_header(f, &column.key)))
        .map(|t| t.label())
        .collect();
    if elsewhere.is_empty() {
        "不认识这一列，未导入（可在导入向导中指定它对应的项）".into()
    } else {
        format!(
            "按“{}”导入时没有这一项（{}有），未导入",
            target.label(),
            elsewhere.join("、")
        )
    }
}

/// A notice for each field the target filled with its default for want of a column: a
/// default that means something (未出, 密接, 放行, 返乡) is said, with the rows it concerns.
pub fn defaults_notices(defaulted: &[&'static Field], rows: usize) -> Vec<Notice> {
    defaulted
        .iter()
        .filter(|_| rows > 0)
        .map(|f| Notice {
            code: "default_assumed".into(),
            message: format!(
                "表中没有“{}”一列：{rows} 行都按“{}”记录，如不对请在导入向导中指定这一列",
                f.label,
                f.default.unwrap_or_default()
            ),
            rows,
        })
        .collect()
}
