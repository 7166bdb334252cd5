//! The event records of the ledger: arrivals, isolation periods, daily health checks, tests,
//! vaccinations, cases and contacts, checkpoints and their stops, visit notes. Each struct is
//! what the store writes and reads back; each `from_values` is the one place its rules live
//! (a value in its list, dates in order, a fever flagged), whichever door the values came
//! through: a form, a command, a sheet, or the sample generator.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input::Values;
use crate::validate::FieldProblem;

mod arrival;
mod checkpoint;
mod contact;
mod health;
mod isolation;
mod testing;
mod visit;

pub use arrival::*;
pub use checkpoint::*;
pub use contact::*;
pub use health::*;
pub use isolation::*;
pub use testing::*;
pub use visit::*;

/// Who last changed a record and when, and whether it is archived (never deleted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Stamp {
    pub created_at: String,
    pub updated_at: String,
    pub updated_by: Option<String>,
    pub archived_at: Option<String>,
}

type Problems = Vec<FieldProblem>;

/// A record built from values, with the warnings its rules raised (shown, not blocking).
pub type Built<T> = Result<(T, Problems), Problems>;

fn finish<T>(value: T, problems: Problems) -> Built<T> {
    if problems
        .iter()
        .any(|p| p.severity == crate::validate::Severity::Error)
    {
        Err(problems)
    } else {
        Ok((value, problems))
    }
}

/// A required value that `Values::require` has already reported when missing.
fn required_date(v: &Values, key: &str) -> NaiveDate {
    v.date(key).unwrap_or(crate::validate::EARLIEST_DATE)
}

fn choice_or(v: &Values, key: &str, default: &str) -> String {
    v.text(key).unwrap_or_else(|| default.to_string())
}

/// A thing that happened (a reading, a sample, a visit) cannot be dated after today.
fn not_after_today(v: &Values, key: &str, label: &str, today: NaiveDate, problems: &mut Problems) {
    if let Some(d) = v.date(key).filter(|d| *d > today) {
        problems.push(FieldProblem::error(
            key,
            "date_in_future",
            format!("{label} {d} 晚于今天，请核对"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields;
    use crate::model::input::Mode;
    use crate::model::input::{read_typed, Values};
    use std::collections::BTreeMap;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn typed(table: &'static [fields::Field], pairs: &[(&str, &str)]) -> Values {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        read_typed(table, &map, today())
    }

    #[test]
    fn an_isolation_cannot_end_before_it_starts() {
        let v = typed(
            fields::ISOLATION,
            &[
                ("start_date", "2026-11-20"),
                ("planned_end_date", "2026-11-10"),
            ],
        );
        let problems = Isolation::from_values(&v, 1).unwrap_err();
        assert_eq!(problems[0].code, "end_before_start");
        let v = typed(
            fields::ISOLATION,
            &[("start_date", "2026-11-20"), ("test_days", "1、4，7")],
        );
        let i = Isolation::from_values(&v, 1).unwrap().0;
        assert_eq!(
            i.planned_end_date, "2026-12-03",
            "14 days, the start day counted"
        );
        assert_eq!(i.test_days.as_deref(), Some("1,4,7"));
        assert_eq!(i.test_dates()[2].to_string(), "2026-11-26");
        let v = typed(
            fields::ISOLATION,
            &[("start_date", "2026-11-20"), ("test_days", "1,20")],
        );
        assert_eq!(
            Isolation::from_values(&v, 1).unwrap_err()[0].code,
            "test_days_invalid"
        );
    }

    #[test]
    fn an_arrival_in_the_future_is_announced_not_returned() {
        let v = typed(fields::ARRIVAL, &[("arrival_date", "2026-12-01")]);
        assert_eq!(
            Arrival::from_values(&v, 1, today()).unwrap().0.status,
            "将返"
        );
        let v = typed(
            fields::ARRIVAL,
            &[("arrival_date", "2026-12-01"), ("status", "已返")],
        );
        assert_eq!(
            Arrival::from_values(&v, 1, today()).unwrap_err()[0].code,
            "returned_in_future"
        );
    }

    #[test]
    fn a_fever_is_flagged_and_unknown_symptoms_go_to_the_note() {
        let v = typed(
            fields::HEALTH_CHECK,
            &[
                ("check_date", "2026-11-22"),
                ("pm_temperature", "37.4"),
                ("symptoms", "干咳、头痛"),
            ],
        );
        let (c, warnings) = HealthCheck::from_values(&v, 1, today()).unwrap();
        assert_eq!(warnings[0].code, "symptom_other");
        assert!(c.symptoms.fever && c.symptoms.dry_cough);
        assert!(c.abnormal());
        assert_eq!(c.note.as_deref(), Some("症状：头痛"));
        let v = typed(fields::HEALTH_CHECK, &[("check_date", "2026-11-22")]);
        assert_eq!(
            HealthCheck::from_values(&v, 1, today()).unwrap_err()[0].code,
            "reading_empty"
        );
        let v = typed(
            fields::HEALTH_CHECK,
            &[("check_date", "2026-11-23"), ("am_temperature", "36.5")],
        );
        assert_eq!(
            HealthCheck::from_values(&v, 1, today()).unwrap_err()[0].code,
            "date_in_future"
        );
    }

    #[test]
    fn a_second_contact_must_hang_on_a_first_one() {
        let v = typed(fields::CONTACT, &[("level", "次密接")]);
        assert_eq!(
            Contact::from_values(&v, 3, 1, 1, 1, today(), Mode::Strict).unwrap_err()[0].code,
            "second_contact_without_contact"
        );
        assert!(Contact::from_values(&v, 3, 1, 1, 2, today(), Mode::Strict).is_ok());
        let v = typed(fields::CONTACT, &[("level", "密接")]);
        assert_eq!(
            Contact::from_values(&v, 1, 1, 1, 1, today(), Mode::Strict).unwrap_err()[0].code,
            "contact_is_case"
        );
    }

    #[test]
    fn handing_over_needs_a_village() {
        let v = typed(
            fields::CHECKPOINT_STOP,
            &[
                ("checkpoint_name", "东口"),
                ("checked_at", "2026-11-22 08:30"),
                ("name", "赵六"),
                ("disposal", "移交村"),
            ],
        );
        let now = today().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(
            CheckpointCheck::from_values(&v, 1, None, vec![], now).unwrap_err()[0].code,
            "hand_off_without_village"
        );
        let (c, _) = CheckpointCheck::from_values(&v, 1, Some(7), vec![], now).unwrap();
        assert_eq!(
            (c.disposal.as_str(), c.handed_to_place_id),
            ("移交村(社区)", Some(7))
        );
        assert_eq!(c.checked_at, "2026-11-22 08:30");
    }
}
