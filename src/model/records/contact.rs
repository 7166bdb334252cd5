//! Cases and the links of their contact chains.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::{Mode, Values};
use crate::model::values::*;
use crate::validate::FieldProblem;

/// 病例.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Case {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub reported_date: String,
    pub code: Option<String>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl Case {
    pub fn from_values(v: &Values, person_id: i64, today: NaiveDate) -> Built<Case> {
        let mut problems = Vec::new();
        not_after_today(v, "reported_date", "报告日期", today, &mut problems);
        finish(
            Case {
                person_id,
                kind: choice_or(v, "kind", CASE_KINDS[0]),
                reported_date: required_date(v, "reported_date").to_string(),
                code: v.text("code"),
                note: v.text("note"),
                ..Default::default()
            },
            problems,
        )
    }
}

/// 接触: one link of a chain, from `source_person_id` to `contact_person_id`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Contact {
    pub id: i64,
    pub case_id: i64,
    pub source_person_id: i64,
    pub contact_person_id: i64,
    pub level: String,
    pub exposure_type: Option<String>,
    pub relation: Option<String>,
    pub contact_way: Option<String>,
    pub last_contact_date: Option<String>,
    pub found_date: Option<String>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl Contact {
    /// A link from values read through `fields::CONTACT`, once the door has found the case
    /// (and its person) and whom the contact met. A 密接 met the case's person; a 次密接 met
    /// someone else (a 密接); nobody is their own contact; the last contact is not after
    /// the day it was found.
    pub fn from_values(
        v: &Values,
        contact_person_id: i64,
        case_id: i64,
        case_person_id: i64,
        source_person_id: i64,
        today: NaiveDate,
        mode: Mode,
    ) -> Built<Contact> {
        let mut problems = Vec::new();
        let level = choice_or(v, "level", CONTACT_LEVELS[0]);
        if contact_person_id == source_person_id || contact_person_id == case_person_id {
            problems.push(FieldProblem::error(
                "contact_person_id",
                "contact_is_case",
                "接触者就是病例或其所接触的人本人，请核对",
            ));
        }
        if level == "次密接" && source_person_id == case_person_id {
            // Typed by hand the 密接 is chosen; a sheet rarely names them, and the person is
            // kept under the case until someone does.
            let message = "次密接应关联到一名密接（他接触的那个人），而不是病例本人";
            problems.push(match mode {
                Mode::Strict => FieldProblem::error(
                    "source_person_id",
                    "second_contact_without_contact",
                    message,
                ),
                Mode::Lenient => FieldProblem::warning(
                    "source_name",
                    "second_contact_without_contact",
                    format!("{message}：表中没有注明，暂挂在病例下，请补上"),
                ),
            });
        }
        not_after_today(v, "found_date", "发现日期", today, &mut problems);
        not_after_today(v, "last_contact_date", "最后接触日期", today, &mut problems);
        let found = v.date("found_date").unwrap_or(today);
        let last = v.date("last_contact_date");
        if let Some(last) = last.filter(|last| *last > found) {
            problems.push(FieldProblem::error(
                "last_contact_date",
                "last_contact_after_found",
                format!("最后接触日期 {last} 晚于发现日期 {found}，请核对"),
            ));
        }
        finish(
            Contact {
                case_id,
                source_person_id,
                contact_person_id,
                level,
                exposure_type: v.text("exposure_type"),
                relation: v.text("relation"),
                contact_way: v.text("contact_way"),
                last_contact_date: last.map(|d| d.to_string()),
                found_date: Some(found.to_string()),
                note: v.text("note"),
                ..Default::default()
            },
            problems,
        )
    }
}

/// A contact link with the names at both ends, for the person page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactLink {
    #[serde(flatten)]
    pub contact: Contact,
    pub source_name: String,
    pub contact_name: String,
    pub case_person_id: i64,
    pub case_person_name: String,
    pub case_kind: String,
}
