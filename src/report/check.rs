//! `check forms`: the counts that two forms share, recomputed from the forms themselves (the
//! templates as the ledger holds them, a township's edited copies included) and compared.
//! The clinic's number and the township's must match; when they do not, this says where.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::prepared::{epoch, Prepared};
use super::{template, Cell, ReportParams};
use crate::error::Result;
use crate::store::Store;

/// One count as a form gives it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Side {
    pub template_id: String,
    /// The form's name (as the ledger holds it).
    pub form: String,
    /// Which column or measure: 在管居家隔离, 行数 …
    pub measure: String,
    /// None when the form no longer has that column (a township edited it away).
    pub value: Option<f64>,
}

/// A count two forms share, and whether they agree.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    pub what: String,
    pub left: Side,
    pub right: Side,
    pub agree: bool,
}

/// The verdict of `check forms` for a report day (and a place, when given).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FormsCheck {
    pub day: NaiveDate,
    pub epoch: NaiveDate,
    pub village: Option<String>,
    pub pairs: Vec<Agreement>,
}

impl FormsCheck {
    pub fn disagreements(&self) -> impl Iterator<Item = &Agreement> {
        self.pairs.iter().filter(|p| !p.agree)
    }

    /// The pairs one form takes part in (the check shown before exporting it).
    pub fn of_form(&self, template_id: &str) -> Vec<&Agreement> {
        self.pairs
            .iter()
            .filter(|p| p.left.template_id == template_id || p.right.template_id == template_id)
            .collect()
    }
}

/// What to measure on a form.
enum Measure<'a> {
    /// How many rows it has.
    Rows,
    /// The sum of columns showing these fields.
    Sum(&'a [&'a str]),
    /// Rows plus the sum of a column (卡口人次: each stop plus its passengers).
    RowsPlus(&'a str),
    /// Rows whose column showing this field is not empty (车次: stops with a plate).
    Filled(&'a str),
}

fn measure(
    store: &Store,
    id: &str,
    params: &ReportParams,
    what: Measure,
    label: &str,
) -> Result<Side> {
    let template = template(store, id)?;
    let prepared = Prepared::new(store, &template, params)?;
    let column = |field: &str| template.columns.iter().position(|c| c.field == field);
    let columns: Option<Vec<usize>> = match &what {
        Measure::Rows => Some(Vec::new()),
        Measure::Sum(fields) => fields.iter().map(|f| column(f)).collect(),
        Measure::RowsPlus(field) | Measure::Filled(field) => column(field).map(|c| vec![c]),
    };
    let Some(columns) = columns else {
        return Ok(Side {
            template_id: template.id.clone(),
            form: template.name.clone(),
            measure: label.into(),
            value: None,
        });
    };
    let mut value = 0.0;
    let tally = prepared.rows(store, |cells| {
        match &what {
            Measure::Rows => {}
            Measure::Sum(_) | Measure::RowsPlus(_) => {
                value += columns
                    .iter()
                    .map(|c| cells[*c].number().unwrap_or(0.0))
                    .sum::<f64>();
            }
            Measure::Filled(_) => {
                if !matches!(cells[columns[0]], Cell::Empty) {
                    value += 1.0;
                }
            }
        }
        Ok(())
    })?;
    if matches!(what, Measure::Rows | Measure::RowsPlus(_)) {
        value += tally.rows as f64;
    }
    Ok(Side {
        template_id: template.id.clone(),
        form: template.name.clone(),
        measure: label.into(),
        value: Some(value),
    })
}

/// Recomputes every count two forms share for the report day `day`.
pub fn check_forms(store: &Store, day: NaiveDate, village: Option<&str>) -> Result<FormsCheck> {
    let epoch = epoch(store, day)?;
    let year_start = NaiveDate::from_ymd_opt(day.year(), 1, 1)
        .unwrap_or(day)
        .max(epoch);
    let params = |from: Option<NaiveDate>| ReportParams {
        from,
        to: Some(day),
        village: village.map(String::from),
        mask: false,
    };
    let on_day = params(Some(day));
    let to_date = params(Some(epoch));
    let this_year = params(Some(year_start));
    let whole = params(None);
    let pair = |what: &str, left: Side, right: Side| Agreement {
        what: what.into(),
        agree: left.value.is_some() && left.value == right.value,
        left,
        right,
    };
    let m =
        |id: &str, p: &ReportParams, what: Measure, label: &str| measure(store, id, p, what, label);
    let months: Vec<String> = (1..=12).map(|n| format!("returnees_month:{n}")).collect();
    let month_refs: Vec<&str> = months.iter().map(String::as_str).collect();
    let pairs = vec![
        pair(
            "在管居家隔离人数",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["home_isolation"]),
                "在管居家隔离",
            )?,
            m("home_isolation", &whole, Measure::Rows, "名单行数")?,
        ),
        pair(
            "当日新增来(返)乡人数",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["new_arrivals"]),
                "新增来(返)乡",
            )?,
            m("returnees", &on_day, Measure::Rows, "当日名单行数")?,
        ),
        pair(
            "累计来(返)乡人数",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["total_arrivals"]),
                "累计来(返)乡",
            )?,
            m(
                "returnees",
                &to_date,
                Measure::Rows,
                "自疫情起始日的名单行数",
            )?,
        ),
        pair(
            "今年各月来(返)乡人数之和",
            m(
                "returnee_stats",
                &whole,
                Measure::Sum(&month_refs),
                "1–12月之和",
            )?,
            m(
                "returnees",
                &this_year,
                Measure::Rows,
                "今年（自起始日）的名单行数",
            )?,
        ),
        pair(
            "户籍人口",
            m(
                "returnee_stats",
                &whole,
                Measure::Sum(&["registered_persons"]),
                "户籍人口",
            )?,
            m(
                "vaccination_stats",
                &whole,
                Measure::Sum(&["registered_persons"]),
                "户籍人口",
            )?,
        ),
        pair(
            "总户数",
            m(
                "returnee_stats",
                &whole,
                Measure::Sum(&["households"]),
                "总户数",
            )?,
            m(
                "vaccination_stats",
                &whole,
                Measure::Sum(&["households"]),
                "总户数",
            )?,
        ),
        pair(
            "当日新增密接和次密接",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["new_close_contacts", "new_second_contacts"]),
                "新增密接+次密接",
            )?,
            m("close_contacts", &on_day, Measure::Rows, "当日名单行数")?,
        ),
        pair(
            "当日卡口检查人次",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["checkpoint_people"]),
                "卡口检查人次",
            )?,
            m(
                "checkpoint_checks",
                &on_day,
                Measure::RowsPlus("passenger_count"),
                "检查行数+随车人数",
            )?,
        ),
        pair(
            "当日卡口检查车次",
            m(
                "daily_report",
                &whole,
                Measure::Sum(&["checkpoint_vehicles"]),
                "卡口检查车次",
            )?,
            m(
                "checkpoint_checks",
                &on_day,
                Measure::Filled("plate"),
                "有车牌的行数",
            )?,
        ),
    ];
    Ok(FormsCheck {
        day,
        epoch,
        village: village.map(String::from),
        pairs,
    })
}
