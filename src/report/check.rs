//! `check forms`: every built-in form — as the ledger holds it, a township's edited copy
//! included — run for a report's place and range, and each of its numbers compared with the
//! ledger counted again from its raw tables (`recount.rs`): each count of a per-place form,
//! row by row; each household's 返乡人数; the rows of each list. A form that says what the
//! ledger does not hold, or leaves out what it does, is named with the cell that differs.

use chrono::NaiveDate;
use serde::Serialize;

use super::prepared::{epoch, Prepared};
use super::recount::{Recount, Span};
use super::{builtin_template, templates, Cell, Column, ReportParams, Template};
use crate::error::{Code, Error, Result};
use crate::store::Store;

/// One number as a form (or the ledger) gives it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Side {
    pub template_id: String,
    /// The form's name (as the ledger holds it), or 台账.
    pub form: String,
    /// Which row and column, or measure: 石桥村 在管居家隔离人数, 行数 …
    pub measure: String,
    /// None when the form has no such row.
    pub value: Option<f64>,
}

/// A number of a form beside the same number counted from the ledger.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    pub what: String,
    pub left: Side,
    pub right: Side,
    pub agree: bool,
}

/// The verdict of `check forms` for a report day, range and place.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FormsCheck {
    pub day: NaiveDate,
    pub from: Option<NaiveDate>,
    pub epoch: NaiveDate,
    pub village: Option<String>,
    /// How many forms were checked.
    pub forms: usize,
    pub pairs: Vec<Agreement>,
}

impl FormsCheck {
    pub fn disagreements(&self) -> impl Iterator<Item = &Agreement> {
        self.pairs.iter().filter(|p| !p.agree)
    }

    /// The numbers of one form (the check shown before exporting it).
    pub fn of_form(&self, template_id: &str) -> Vec<&Agreement> {
        self.pairs
            .iter()
            .filter(|p| p.left.template_id == template_id || p.right.template_id == template_id)
            .collect()
    }
}

/// Hands each row of a form, for a report's parameters, to `each`, as the preview and the
/// export make them (what `check forms` reads). Rows are never gathered: a county's list of
/// 100,000 returnees is counted as it streams past.
pub fn form_rows(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    each: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
) -> Result<()> {
    Prepared::new(store, template, params)?.rows(store, each)?;
    Ok(())
}

/// How the check reads a form's rows: `form_rows`, or in a test the same with a fault put in.
pub type FormReader<'a> =
    dyn FnMut(&Template, &ReportParams, &mut dyn FnMut(Vec<Cell>) -> Result<()>) -> Result<()> + 'a;

/// Checks every built-in form for the report's place and range.
pub fn check_forms(store: &Store, params: &ReportParams) -> Result<FormsCheck> {
    check_forms_with(store, params, &mut |t, p, each| {
        form_rows(store, t, p, each)
    })
}

/// Checks every built-in form, reading each through `run` (the report engine; a test puts
/// a fault into one count to see that the check notices).
pub fn check_forms_with(
    store: &Store,
    params: &ReportParams,
    run: &mut FormReader,
) -> Result<FormsCheck> {
    let recount = Recount::read(store)?;
    let span = span(store, params)?;
    let mut pairs = Vec::new();
    let mut forms = 0;
    for (template, _) in templates(store)? {
        if builtin_template(&template.id).is_none() {
            continue;
        }
        forms += 1;
        pairs.extend(check_one(&recount, &span, &template, params, run)?);
    }
    Ok(FormsCheck {
        day: span.day,
        from: span.from,
        epoch: span.epoch,
        village: params.village.clone(),
        forms,
        pairs,
    })
}

/// Checks one form, as edited or as the ledger holds it (the report page, before export).
pub fn check_form(store: &Store, template: &Template, params: &ReportParams) -> Result<FormsCheck> {
    let recount = Recount::read(store)?;
    let span = span(store, params)?;
    let pairs = check_one(&recount, &span, template, params, &mut |t, p, each| {
        form_rows(store, t, p, each)
    })?;
    Ok(FormsCheck {
        day: span.day,
        from: span.from,
        epoch: span.epoch,
        village: params.village.clone(),
        forms: 1,
        pairs,
    })
}

/// Refuses a 零报告 the ledger does not bear out: a per-place form whose every count is 0
/// is written only when the ledger, counted again, holds nothing for its place and range
/// (`forms_disagree` otherwise, naming what it holds).
pub fn zero_report_gate(store: &Store, template: &Template, params: &ReportParams) -> Result<()> {
    zero_report_gate_with(store, template, params, &mut |t, p, each| {
        form_rows(store, t, p, each)
    })
}

/// The gate before a 零报告, reading the form through `run` (a test makes a count wrong).
pub fn zero_report_gate_with(
    store: &Store,
    template: &Template,
    params: &ReportParams,
    run: &mut FormReader,
) -> Result<()> {
    let recount = Recount::read(store)?;
    let span = span(store, params)?;
    let differ: Vec<Agreement> = check_one(&recount, &span, template, params, run)?
        .into_iter()
        .filter(|p| !p.agree)
        .collect();
    if differ.is_empty() {
        return Ok(());
    }
    let mut holds: Vec<String> = recount
        .not_empty(&span)
        .iter()
        .map(|(what, n)| format!("{what} {n}"))
        .collect();
    if holds.is_empty() {
        holds = differ
            .iter()
            .take(3)
            .map(|p| format!("{} {}", p.what, p.right.value.unwrap_or(0.0)))
            .collect();
    }
    Err(Error::refused(
        Code::FormsDisagree,
        format!(
            "《{}》各项都是 0，但台账中这个范围有：{}。零报告没有写出：请运行“核对报表”（check forms）查看哪一格对不上。",
            template.name,
            holds.join("、")
        ),
    ))
}

fn span(store: &Store, params: &ReportParams) -> Result<Span> {
    let day = params.to.unwrap_or_else(|| store.today());
    let place = match params
        .village
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(store.report_place_id(v)?),
        None => None,
    };
    Ok(Span {
        place,
        from: params.from,
        day,
        epoch: epoch(store, day)?,
    })
}

/// The template with one more column: the id of each row's place or household.
fn with_key(template: &Template, field: &str) -> Template {
    let mut keyed = template.clone();
    keyed.columns.push(Column {
        header: vec!["编号".into()],
        field: field.into(),
        width: None,
    });
    keyed.filter.nonzero.clear();
    keyed
}

fn number(cell: Option<&Cell>) -> f64 {
    cell.and_then(Cell::number).unwrap_or(0.0)
}

fn key_of(cell: Option<&Cell>) -> Option<i64> {
    match cell {
        Some(Cell::Text(t)) => t.parse().ok(),
        Some(Cell::Number(n)) => Some(*n as i64),
        _ => None,
    }
}

fn check_one(
    recount: &Recount,
    span: &Span,
    template: &Template,
    params: &ReportParams,
    run: &mut FormReader,
) -> Result<Vec<Agreement>> {
    let side = |template_id: &str, form: &str, measure: &str, value: Option<f64>| Side {
        template_id: template_id.into(),
        form: form.into(),
        measure: measure.into(),
        value,
    };
    let pair = |what: String, form: Option<f64>, ledger: f64| Agreement {
        agree: form == Some(ledger),
        left: side(&template.id, &template.name, &what, form),
        right: side("ledger", "台账", &what, Some(ledger)),
        what,
    };
    let label = |c: &Column| c.header.join("");
    let mut pairs = Vec::new();
    match template.source.as_str() {
        "villages" => {
            let key = template.columns.len();
            let mut expected = recount.unit_counts(span);
            let known = Recount::unit_keys();
            run(&with_key(template, "unit_id"), params, &mut |row| {
                let unit = key_of(row.get(key));
                let name = row.first().map(Cell::display).unwrap_or_default();
                let counted = expected.remove(&unit).unwrap_or_default();
                for (i, column) in template.columns.iter().enumerate() {
                    if known.contains(&column.field) {
                        pairs.push(pair(
                            format!("{name} {}", label(column)),
                            Some(number(row.get(i))),
                            counted.get(&column.field).copied().unwrap_or(0.0),
                        ));
                    }
                }
                Ok(())
            })?;
            // A row the ledger counts something in and the form does not show.
            for (unit, counted) in expected {
                for column in template.columns.iter().filter(|c| known.contains(&c.field)) {
                    let n = counted.get(&column.field).copied().unwrap_or(0.0);
                    if n != 0.0 {
                        let name = unit
                            .map_or("未分村（社区）".to_string(), |u| format!("地点 {u}"));
                        pairs.push(pair(
                            format!("{name} {}（表中没有这一行）", label(column)),
                            None,
                            n,
                        ));
                    }
                }
            }
        }
        "households" if template.columns.iter().any(|c| c.field == "returnee_count") => {
            let key = template.columns.len();
            let at = template
                .columns
                .iter()
                .position(|c| c.field == "returnee_count")
                .unwrap_or(0);
            let mut expected = recount.household_returnees(span);
            run(&with_key(template, "household_id"), params, &mut |row| {
                let household = key_of(row.get(key));
                let n = expected.remove(&household).unwrap_or(0.0);
                let name = household.map_or("未分户".to_string(), |h| format!("户 {h}"));
                pairs.push(pair(
                    format!("{name} 返乡人数"),
                    Some(number(row.get(at))),
                    n,
                ));
                Ok(())
            })?;
            for (household, n) in expected.into_iter().filter(|(_, n)| *n != 0.0) {
                let name = household.map_or("未分户".to_string(), |h| format!("户 {h}"));
                pairs.push(pair(format!("{name} 返乡人数（表中没有这一行）"), None, n));
            }
        }
        _ => {
            if let Some((count, second)) = recount.list(&template.id, span) {
                let passengers = template
                    .columns
                    .iter()
                    .position(|c| c.field == "passenger_count");
                let (mut rows, mut sum) = (0usize, 0.0);
                run(template, params, &mut |row| {
                    rows += 1;
                    sum += passengers.map_or(0.0, |at| number(row.get(at)));
                    Ok(())
                })?;
                pairs.push(pair("行数".into(), Some(rows as f64), count));
                if passengers.is_some() {
                    pairs.push(pair("随车人数之和".into(), Some(sum), second));
                }
            }
        }
    }
    Ok(pairs)
}
