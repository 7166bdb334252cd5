//! The template file format (version 1), documented in docs/TEMPLATES.md. A template is a
//! JSON document a clerk can save, send to villages, and import unchanged.

use serde::{Deserialize, Serialize};

use crate::error::{Code, Error, Result};
use crate::store::{report_fields, SortKey, TemplateFilter};

pub const FORMAT: &str = "gridledger-report-template";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Always "gridledger-report-template": tells a template from any other JSON file.
    pub format: String,
    /// The format version; a newer one is refused with a message saying so.
    pub version: u32,
    /// A short stable key, e.g. "returnees"; used on the command line.
    pub id: String,
    /// The name on the sheet tab, the file name and the title: 来(返)乡人员登记表.
    pub name: String,
    /// Where the rows come from: persons, households, arrivals, isolations, health_checks,
    /// contacts, checkpoint_checks, or villages (one row per village with counts).
    pub source: String,
    /// The title row; empty uses `name`.
    #[serde(default)]
    pub title: String,
    /// Print the 填报单位 / 填报人 / 联系电话 / 填报日期 row (filled from settings).
    #[serde(default = "yes")]
    pub meta: bool,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub filter: TemplateFilter,
    #[serde(default)]
    pub sort: Vec<SortKey>,
    /// Add a 合计 row summing the number columns.
    #[serde(default)]
    pub totals: bool,
    /// Lines under the table: notes, signature and stamp lines.
    #[serde(default)]
    pub footer: Vec<String>,
    /// Printed when the report has no rows, or every count is 0 (零报告).
    #[serde(default)]
    pub zero_report: String,
}

fn yes() -> bool {
    true
}

/// One column: its header path from the top header row down (["外出情况", "具体地址"]
/// sits under a merged 外出情况), and the ledger field it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub header: Vec<String>,
    pub field: String,
    /// Column width in characters; by default from the header and the field's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
}

/// A template as listed: `report --list --json` prints these.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    pub source: String,
    pub builtin: bool,
}

impl Template {
    /// Reads a template file's text, checking its format, version, source and fields.
    pub fn from_json(text: &str) -> Result<Template> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::refused(
                Code::TemplateInvalid,
                format!(
                    "模板文件不是有效的 JSON（第 {} 行第 {} 列）：{e}",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            _ => {
                return Err(Error::refused(
                    Code::TemplateInvalid,
                    format!("这不是网格一本账的报表模板（缺少 \"format\": \"{FORMAT}\"）"),
                ))
            }
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > u64::from(FORMAT_VERSION) {
            return Err(Error::refused(Code::TemplateInvalid, format!("模板格式版本 {version} 比本程序支持的 {FORMAT_VERSION} 新，请升级网格一本账后再导入")));
        }
        let template: Template = serde_json::from_value(value)
            .map_err(|e| Error::refused(Code::TemplateInvalid, format!("模板内容有误：{e}")))?;
        template.check()?;
        Ok(template)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("templates serialise")
    }

    /// Checks that the source and every field exist and the header is well formed.
    pub fn check(&self) -> Result<()> {
        let fields = report_fields(&self.source).ok_or_else(|| {
            Error::refused(
                Code::TemplateInvalid,
                format!("模板“{}”的数据来源“{}”不存在", self.name, self.source),
            )
        })?;
        let known = |key: &str| fields.iter().any(|f| f.key == key);
        let mut problems = Vec::new();
        if self.id.trim().is_empty() || self.id.len() > 64 {
            problems.push("模板编号不能为空，且不超过 64 个字符".to_string());
        }
        if self.name.trim().is_empty() {
            problems.push("模板名称不能为空".to_string());
        }
        if self.columns.is_empty() {
            problems.push("模板至少要有一列".to_string());
        }
        for (i, c) in self.columns.iter().enumerate() {
            if c.header.is_empty() || c.header.iter().any(|h| h.trim().is_empty()) {
                problems.push(format!("第 {} 列的表头为空", i + 1));
            }
            if !known(&c.field) {
                problems.push(format!(
                    "第 {} 列“{}”的字段“{}”不存在",
                    i + 1,
                    c.header.join("|"),
                    c.field
                ));
            }
        }
        for key in self
            .sort
            .iter()
            .map(|s| &s.field)
            .chain(&self.filter.nonzero)
        {
            if !known(key) {
                problems.push(format!("排序或筛选用的字段“{key}”不存在"));
            }
        }
        if let Err(e) = super::layout::header_layout(self) {
            problems.push(e);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::refused(
                Code::TemplateInvalid,
                format!("模板“{}”有误：{}", self.name, problems.join("；")),
            ))
        }
    }

    pub fn title(&self) -> &str {
        if self.title.trim().is_empty() {
            &self.name
        } else {
            &self.title
        }
    }

    pub fn summary(&self, builtin: bool) -> TemplateSummary {
        TemplateSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            source: self.source.clone(),
            builtin,
        }
    }
}
