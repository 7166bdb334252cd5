//! Checkpoints, their stops and the passengers of a stop.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::model::values::*;
use crate::validate::{FieldProblem, FEVER_THRESHOLD};

/// 卡口.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Checkpoint {
    pub id: i64,
    pub place_id: Option<i64>,
    pub name: String,
    pub address: Option<String>,
    pub unit: Option<String>,
    pub leader_name: Option<String>,
    pub leader_phone: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl Checkpoint {
    pub fn from_values(v: &Values, place_id: Option<i64>) -> Built<Checkpoint> {
        finish(
            Checkpoint {
                place_id,
                name: v.text("name").unwrap_or_default(),
                address: v.text("address"),
                unit: v.text("unit"),
                leader_name: v.text("leader_name"),
                leader_phone: v.text("leader_phone"),
                ..Default::default()
            },
            Vec::new(),
        )
    }
}

/// 随车人员.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Passenger {
    pub id: i64,
    pub person_id: Option<i64>,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub temperature: Option<f64>,
}

impl Passenger {
    pub fn from_values(v: &Values, person_id: Option<i64>) -> Built<Passenger> {
        finish(
            Passenger {
                person_id,
                name: v.text("name").unwrap_or_default(),
                id_number: v.text("id_number"),
                phone: v.text("phone"),
                temperature: v.number("temperature"),
                ..Default::default()
            },
            Vec::new(),
        )
    }
}

/// 卡口检查: one stop.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CheckpointCheck {
    pub id: i64,
    pub checkpoint_id: i64,
    pub checked_at: String,
    pub person_id: Option<i64>,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub plate: Option<String>,
    pub plate_kind: Option<String>,
    pub vehicle_kind: Option<String>,
    pub passenger_count: i64,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub temperature: Option<f64>,
    pub health_code: Option<String>,
    pub disposal: String,
    pub handed_to_place_id: Option<i64>,
    pub handled_at: Option<String>,
    pub handled_by: Option<String>,
    pub handled_note: Option<String>,
    pub shift: Option<String>,
    pub note: Option<String>,
    pub passengers: Vec<Passenger>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

impl CheckpointCheck {
    /// A stop from values read through `fields::CHECKPOINT_STOP`, once the door has found the
    /// checkpoint and the village a traveller is handed to. Handing over needs a village; a
    /// temperature of 37.3 ℃ or more is flagged.
    pub fn from_values(
        v: &Values,
        checkpoint_id: i64,
        handed_to_place_id: Option<i64>,
        passengers: Vec<Passenger>,
        now: chrono::NaiveDateTime,
    ) -> Built<CheckpointCheck> {
        let mut problems = Vec::new();
        if let Some(t) = v
            .date_time("checked_at")
            .filter(|t| *t > now + Duration::hours(1))
        {
            problems.push(FieldProblem::error(
                "checked_at",
                "date_in_future",
                format!("检查时间 {} 晚于现在，请核对", t.format("%Y-%m-%d %H:%M")),
            ));
        }
        let disposal = choice_or(v, "disposal", DISPOSALS[0]);
        if disposal == "移交村(社区)" && handed_to_place_id.is_none() {
            problems.push(FieldProblem::error(
                "handed_to",
                "hand_off_without_village",
                "处置为移交村(社区)时，请选择移交到哪个村（社区）",
            ));
        }
        if let Some(t) = v.number("temperature").filter(|t| *t >= FEVER_THRESHOLD) {
            problems.push(FieldProblem::warning(
                "temperature",
                "fever",
                format!("体温 {t} ℃，发热：请按规定处置（劝返或移交村）"),
            ));
        }
        let passenger_count = v
            .number("passenger_count")
            .map(|n| n as i64)
            .unwrap_or(passengers.len() as i64)
            .max(passengers.len() as i64);
        finish(
            CheckpointCheck {
                checkpoint_id,
                checked_at: v
                    .date_time("checked_at")
                    .unwrap_or(now)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                name: v.text("name").unwrap_or_default(),
                id_number: v.text("id_number"),
                phone: v.text("phone"),
                plate: v.text("plate"),
                plate_kind: v.text("plate_kind"),
                vehicle_kind: v.text("vehicle_kind"),
                passenger_count,
                origin: v.text("origin"),
                destination: v.text("destination"),
                temperature: v.number("temperature"),
                health_code: v.text("health_code"),
                handed_to_place_id: (disposal == "移交村(社区)")
                    .then_some(handed_to_place_id)
                    .flatten(),
                disposal,
                shift: v.text("shift"),
                note: v.text("note"),
                passengers,
                ..Default::default()
            },
            problems,
        )
    }
}

/// A checkpoint stop seen from one person: as the checked driver/walker or as a passenger.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckpointSighting {
    pub check_id: i64,
    pub checkpoint_name: String,
    pub checked_at: String,
    pub role: String,
    pub plate: Option<String>,
    pub temperature: Option<f64>,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub disposal: String,
}
