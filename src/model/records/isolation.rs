//! Isolation and health monitoring periods, and their scheduled test days.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::model::values::*;
use crate::validate::FieldProblem;

/// 隔离 / 健康监测 period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Isolation {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub address: Option<String>,
    pub site_name: Option<String>,
    pub room_number: Option<String>,
    pub start_date: String,
    pub planned_end_date: String,
    pub released_date: Option<String>,
    pub test_days: Option<String>,
    pub responsible: Option<String>,
    pub arrival_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// The days of a standard period: 14 for isolation, 7 for health monitoring.
pub fn standard_days(kind: &str) -> i64 {
    if kind == "居家健康监测" {
        7
    } else {
        14
    }
}

impl Isolation {
    /// A period from values read through `fields::ISOLATION`: it ends a standard period after
    /// its start unless told otherwise, and never before it starts; its test days ("1,4,7")
    /// lie within it.
    pub fn from_values(v: &Values, person_id: i64) -> Built<Isolation> {
        let mut problems = Vec::new();
        let kind = choice_or(v, "kind", ISOLATION_KINDS[0]);
        let start = required_date(v, "start_date");
        let end = v
            .date("planned_end_date")
            .unwrap_or_else(|| start + Duration::days(standard_days(&kind) - 1));
        if end < start {
            problems.push(FieldProblem::error(
                "planned_end_date",
                "end_before_start",
                format!("解除日期 {end} 早于开始日期 {start}，请核对"),
            ));
        }
        let length = (end - start).num_days() + 1;
        let test_days = match v.text("test_days") {
            None => None,
            Some(text) => match parse_test_days(&text, length) {
                Ok(days) => Some(days),
                Err(message) => {
                    problems.push(FieldProblem::error(
                        "test_days",
                        "test_days_invalid",
                        message,
                    ));
                    None
                }
            },
        };
        finish(
            Isolation {
                person_id,
                kind,
                address: v.text("address"),
                site_name: v.text("site_name"),
                room_number: v.text("room_number"),
                start_date: start.to_string(),
                planned_end_date: end.to_string(),
                test_days,
                responsible: v.text("responsible"),
                note: v.text("note"),
                ..Default::default()
            },
            problems,
        )
    }

    /// The scheduled test dates of the period (day 1 is the start date).
    pub fn test_dates(&self) -> Vec<NaiveDate> {
        let Ok(start) = NaiveDate::parse_from_str(&self.start_date, "%Y-%m-%d") else {
            return Vec::new();
        };
        self.test_days
            .as_deref()
            .map(|days| {
                days.split(',')
                    .filter_map(|d| d.parse::<i64>().ok())
                    .map(|d| start + Duration::days(d - 1))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// "1,4,7", "1、4、7" or "第1天 第4天" → "1,4,7", each day within the period.
fn parse_test_days(text: &str, length: i64) -> Result<String, String> {
    let mut days: Vec<i64> = Vec::new();
    for part in text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
    {
        match part.parse::<i64>() {
            Ok(d) if (1..=length).contains(&d) => days.push(d),
            _ => {
                return Err(format!(
                    "检测安排“{text}”中的第 {part} 天不在隔离期（共 {length} 天）内"
                ))
            }
        }
    }
    if days.is_empty() {
        return Err(format!("检测安排“{text}”应写成 1,4,7"));
    }
    days.sort_unstable();
    days.dedup();
    Ok(days
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(","))
}
