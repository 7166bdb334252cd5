//! 核酸/抗原 tests and vaccine doses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::model::values::*;

/// 核酸 / 抗原.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Test {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    /// 待采样 (scheduled from a period) or 已采样.
    pub status: String,
    pub sample_date: String,
    pub site: Option<String>,
    pub result: String,
    pub isolation_id: Option<i64>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl Default for Test {
    /// A sampled 核酸 test whose result is not out yet.
    fn default() -> Test {
        Test {
            id: 0,
            person_id: 0,
            kind: TEST_KINDS[0].into(),
            status: "已采样".into(),
            sample_date: String::new(),
            site: None,
            result: "未出".into(),
            isolation_id: None,
            stamp: Stamp::default(),
        }
    }
}

impl Test {
    pub fn from_values(v: &Values, person_id: i64, today: NaiveDate) -> Built<Test> {
        let mut problems = Vec::new();
        not_after_today(v, "sample_date", "采样日期", today, &mut problems);
        finish(
            Test {
                person_id,
                kind: choice_or(v, "kind", TEST_KINDS[0]),
                status: "已采样".into(),
                sample_date: required_date(v, "sample_date").to_string(),
                site: v.text("site"),
                result: choice_or(v, "result", "未出"),
                ..Default::default()
            },
            problems,
        )
    }
}

/// 疫苗: one dose.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Vaccination {
    pub id: i64,
    pub person_id: i64,
    pub dose: i64,
    pub vaccine_date: Option<String>,
    pub place_kind: Option<String>,
    pub vaccine_name: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

crate::model::overlay::overlay_fields!(Vaccination {
    keep: [id, person_id, stamp],
    fields: [dose, vaccine_date, place_kind, vaccine_name]
});

impl Vaccination {
    pub fn from_values(v: &Values, person_id: i64) -> Built<Vaccination> {
        finish(
            Vaccination {
                person_id,
                dose: v.number("dose").unwrap_or(1.0) as i64,
                vaccine_date: v.date("vaccine_date").map(|d| d.to_string()),
                place_kind: v.text("place_kind"),
                vaccine_name: v.text("vaccine_name"),
                ..Default::default()
            },
            Vec::new(),
        )
    }
}
