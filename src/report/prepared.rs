//! A template checked against the ledger and ready to run: its columns' kinds, the report
//! day and range, the place, the meta line and the footnotes; its rows streamed from the
//! store numbered and masked, with the totals and the zero-report state they add up to. The
//! preview (`run.rs`) and the xlsx writer (`xlsx.rs`) both take a `Prepared`; neither knows
//! the other.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::layout::{header_depth, header_layout, HeaderCell};
use super::{Cell, FieldKind, Template};
use crate::error::{Code, Error, Result};
use crate::model::cell::{mask_id_number, mask_phone};
use crate::store::{report_fields, source_is_ranged, RowQuery, Store};

/// What the user chooses when running a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportParams {
    pub from: Option<NaiveDate>,
    /// The report day (the end of the range); today when None.
    pub to: Option<NaiveDate>,
    /// A village, grid or township by id, division code or name; everywhere when None.
    pub village: Option<String>,
    /// Mask ID numbers and phones for public posting.
    pub mask: bool,
}

/// 填报单位 / 填报人 / 联系电话 on the left of the meta row, 填报日期 on the right, so a narrow
/// table never cuts the date off.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Meta {
    pub left: String,
    pub right: String,
}

/// A template checked against the ledger and ready to run.
pub struct Prepared<'t> {
    pub template: &'t Template,
    pub kinds: Vec<FieldKind>,
    fields: Vec<String>,
    from: Option<NaiveDate>,
    pub day: NaiveDate,
    pub epoch: NaiveDate,
    place_id: Option<i64>,
    mask: bool,
    pub meta: Option<Meta>,
    pub definitions: Option<String>,
    pub header: Vec<HeaderCell>,
    pub header_rows: usize,
}

impl<'t> Prepared<'t> {
    pub fn new(
        store: &Store,
        template: &'t Template,
        params: &ReportParams,
    ) -> Result<Prepared<'t>> {
        template.check()?;
        let catalog = report_fields(&template.source).unwrap_or_default();
        let info: Vec<&crate::store::FieldInfo> = template
            .columns
            .iter()
            .filter_map(|c| catalog.iter().find(|f| f.key == c.field))
            .collect();
        if info.len() != template.columns.len() {
            return Err(Error::refused(
                Code::TemplateInvalid,
                format!("模板“{}”的字段不存在", template.name),
            ));
        }
        let kinds = info.iter().map(|f| f.kind).collect();
        let day = params.to.unwrap_or_else(|| store.today());
        let epoch = epoch(store, day)?;
        let epoch_text = chinese_date(epoch);
        let mut definitions: Vec<String> = Vec::new();
        // The range used is on the form; a form that cannot use one says so.
        if let Some(from) = params.from {
            let ranged = source_is_ranged(&template.source) || info.iter().any(|f| f.ranged);
            definitions.push(if ranged {
                format!("统计区间为{}至{}", chinese_date(from), chinese_date(day))
            } else {
                format!(
                    "本表不按开始日期统计（所选开始日期{}未用），数字均截至{}",
                    chinese_date(from),
                    chinese_date(day)
                )
            });
        }
        for d in info.iter().filter_map(|f| f.definition) {
            let d = d.replace("{epoch}", &epoch_text);
            if !definitions.contains(&d) {
                definitions.push(d);
            }
        }
        if let Some(from) = params.from.filter(|from| *from > day) {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!("开始日期 {from} 晚于截止日期 {day}，请调换"),
            ));
        }
        let place_id = match params
            .village
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => Some(store.report_place_id(v)?),
            None => None,
        };
        let meta = if template.meta {
            Some(meta_line(store, day, place_id)?)
        } else {
            None
        };
        Ok(Prepared {
            template,
            kinds,
            fields: template.columns.iter().map(|c| c.field.clone()).collect(),
            from: params.from,
            day,
            epoch,
            definitions: (!definitions.is_empty())
                .then(|| format!("注：{}。", definitions.join("；"))),
            place_id,
            mask: params.mask,
            meta,
            header: header_layout(template)
                .map_err(|e| Error::refused(Code::TemplateInvalid, e))?,
            header_rows: header_depth(template),
        })
    }

    /// Streams finished rows (numbered, masked) and returns the totals and zero-report state.
    pub fn rows(
        &self,
        store: &Store,
        mut each: impl FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<Tally> {
        let query = RowQuery {
            source: &self.template.source,
            fields: &self.fields,
            filter: &self.template.filter,
            sort: &self.template.sort,
            from: self.from,
            day: self.day,
            epoch: self.epoch,
            place_id: self.place_id,
        };
        let mut tally = Tally {
            rows: 0,
            sums: vec![0.0; self.kinds.len()],
            any_count: false,
        };
        store.report_rows(&query, |mut cells| {
            tally.rows += 1;
            for (i, (cell, kind)) in cells.iter_mut().zip(&self.kinds).enumerate() {
                match kind {
                    FieldKind::RowNumber => *cell = Cell::Number(tally.rows as f64),
                    FieldKind::Integer => {
                        let n = cell.number().unwrap_or(0.0);
                        tally.sums[i] += n;
                        tally.any_count |= n != 0.0;
                    }
                    FieldKind::IdNumber if self.mask => mask_cell(cell, mask_id_number),
                    FieldKind::Phone if self.mask => mask_cell(cell, mask_phone),
                    _ => {}
                }
            }
            each(cells)
        })?;
        Ok(tally)
    }

    /// The 合计 row: sums under count columns, the word 合计 in the first column.
    pub fn totals(&self, tally: &Tally) -> Option<Vec<Cell>> {
        if !self.template.totals {
            return None;
        }
        let mut row: Vec<Cell> = self
            .kinds
            .iter()
            .zip(&tally.sums)
            .map(|(kind, sum)| {
                if *kind == FieldKind::Integer {
                    Cell::Number(*sum)
                } else {
                    Cell::Empty
                }
            })
            .collect();
        if let Some(first) = row.first_mut() {
            *first = Cell::Text("合计".into());
        }
        Some(row)
    }

    /// The zero-report text when nothing happened: no rows, or (for counting templates) every
    /// count 0. A zero report is still a report: it is written, saying so.
    pub fn zero_report(&self, tally: &Tally) -> Option<String> {
        let counts = self.kinds.contains(&FieldKind::Integer) && self.template.source == "villages";
        let zero = tally.rows == 0 || (counts && !tally.any_count);
        zero.then(|| match self.template.zero_report.trim() {
            "" => "无新增，零报告".to_string(),
            text => text.to_string(),
        })
    }
}

pub struct Tally {
    pub rows: usize,
    sums: Vec<f64>,
    any_count: bool,
}

fn mask_cell(cell: &mut Cell, mask: fn(&str) -> String) {
    if let Cell::Text(text) = cell {
        *text = mask(text);
    }
}

/// 填报单位 / 填报人 / 联系电话 and 填报日期, from settings; without a 填报单位 set, the ledger's
/// own name (its village, as the window's title shows it), never a blank; without a 填报人
/// set, the operator logged in (who is making the sheet). A sheet of one
/// place (a grid's, a village's of a township ledger) says which: 范围 and its path.
fn meta_line(store: &Store, day: NaiveDate, place: Option<i64>) -> Result<Meta> {
    let setting = |key: &str| -> Result<String> { Ok(store.setting(key)?.unwrap_or_default()) };
    let unit = Some(setting("report_unit")?)
        .filter(|u| !u.trim().is_empty())
        .map_or_else(|| store.ledger_title(), Ok)?;
    let filer = Some(setting("operator")?)
        .filter(|o| !o.trim().is_empty())
        .or_else(|| {
            store
                .login()
                .map(|login| login.name.clone())
                .filter(|name| name != crate::store::keys::RECOVERY_LOGIN)
        })
        .unwrap_or_default();
    let scope = match place {
        Some(id) => format!("　　范围：{}", store.place(id)?.path),
        None => String::new(),
    };
    Ok(Meta {
        left: format!(
            "填报单位：{}　　填报人：{}　　联系电话：{}{scope}",
            unit,
            filer,
            setting("report_phone")?,
        ),
        right: format!("填报日期：{}", chinese_date(day)),
    })
}

/// 2026年11月20日.
pub fn chinese_date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// The epidemic's start (the setting `epidemic_start`), or 1 January of the report day's
/// year when it was never set. 累计 counts from it.
pub fn epoch(store: &Store, day: NaiveDate) -> Result<NaiveDate> {
    let default = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    Ok(store
        .setting(crate::store::counts::EPOCH_SETTING)?
        .and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
        .filter(|d| *d <= day)
        .unwrap_or(default))
}
