//! Visit notes, and the batches that wrote records (provenance).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::model::values::*;
use crate::validate::FieldProblem;

/// 走访.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct VisitNote {
    pub id: i64,
    pub visit_date: String,
    pub worker_name: Option<String>,
    pub household_id: Option<i64>,
    pub person_id: Option<i64>,
    pub method: String,
    pub situation: Option<String>,
    pub needs: Option<String>,
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl VisitNote {
    pub fn from_values(
        v: &Values,
        person_id: Option<i64>,
        household_id: Option<i64>,
        today: NaiveDate,
    ) -> Built<VisitNote> {
        let mut problems = Vec::new();
        not_after_today(v, "visit_date", "走访日期", today, &mut problems);
        if person_id.is_none() && household_id.is_none() {
            problems.push(FieldProblem::error(
                "person_id",
                "visit_without_target",
                "走访记录要对应一个人或一户",
            ));
        }
        finish(
            VisitNote {
                visit_date: required_date(v, "visit_date").to_string(),
                worker_name: v.text("worker_name"),
                household_id,
                person_id,
                method: choice_or(v, "method", VISIT_METHODS[0]),
                situation: v.text("situation"),
                needs: v.text("needs"),
                outcome: v.text("outcome"),
                ..Default::default()
            },
            problems,
        )
    }
}

/// A batch: the act that wrote records (provenance).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub source_file: Option<String>,
    pub operator: Option<String>,
    pub created_at: String,
    pub note: Option<String>,
}
