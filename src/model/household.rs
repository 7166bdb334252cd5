//! Households (户) and the places they sit in (村 → 网格 → 联户组).

use serde::{Deserialize, Serialize};

use super::person::non_empty;
use super::values::{HOUSING_USES, PLACE_LEVELS};
use crate::validate::{normalize_text, FieldProblem};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub name: String,
    pub code: Option<String>,
    pub leader_name: Option<String>,
    pub leader_phone: Option<String>,
    /// The names from the top of the tree down to this place, joined: 青山镇/石桥村/第一网格.
    pub path: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaceInput {
    pub parent_id: Option<i64>,
    pub level: String,
    pub name: String,
    pub code: String,
    pub leader_name: String,
    pub leader_phone: String,
}

/// Where a level may sit: each level directly under the one above it, or deeper levels
/// skipped when a village does not use them (a household group may sit directly in a village).
pub fn level_rank(level: &str) -> Option<usize> {
    PLACE_LEVELS.iter().position(|l| *l == level)
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdInput {
    pub id: Option<i64>,
    pub place_id: Option<i64>,
    pub door_name: String,
    pub door_number: String,
    pub address: String,
    pub housing_use: String,
    pub tenant_name: String,
    pub tenant_phone: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CleanHousehold {
    pub id: Option<i64>,
    pub place_id: i64,
    pub door_name: Option<String>,
    pub door_number: Option<String>,
    pub address: Option<String>,
    pub housing_use: String,
    pub tenant_name: Option<String>,
    pub tenant_phone: Option<String>,
    pub note: Option<String>,
}

pub fn validate_household(input: &HouseholdInput) -> Result<CleanHousehold, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let place_id = input.place_id;
    if place_id.is_none() {
        problems.push(FieldProblem::error(
            "place_id",
            "place_missing",
            "请选择所属村、网格或联户组",
        ));
    }
    let door_name = non_empty(normalize_text(&input.door_name));
    let door_number = non_empty(normalize_text(&input.door_number));
    let address = non_empty(normalize_text(&input.address));
    if door_name.is_none() && door_number.is_none() && address.is_none() {
        problems.push(FieldProblem::error(
            "door_number",
            "door_missing",
            "请至少填写门牌名、门牌号或地址之一",
        ));
    }
    let housing_use = match normalize_text(&input.housing_use) {
        t if t.is_empty() => HOUSING_USES[0].to_string(),
        t if HOUSING_USES.contains(&t.as_str()) => t,
        t => {
            problems.push(FieldProblem::error(
                "housing_use",
                "not_in_list",
                format!("住房使用情况“{t}”不是可选值：自住、出租、空置"),
            ));
            t
        }
    };
    let mut tenant_phone = None;
    let phone_text = normalize_text(&input.tenant_phone);
    if !phone_text.is_empty() {
        match crate::validate::parse_phone(&phone_text) {
            Ok(p) => tenant_phone = Some(p.number),
            Err(e) => problems.push(FieldProblem::error("tenant_phone", e.code(), e.to_string())),
        }
    }
    let tenant_name = non_empty(normalize_text(&input.tenant_name));
    if housing_use == "出租" && tenant_name.is_none() {
        problems.push(FieldProblem::warning(
            "tenant_name",
            "tenant_missing",
            "出租房请填写承租人",
        ));
    }
    if problems
        .iter()
        .any(|p| p.severity == crate::validate::Severity::Error)
    {
        return Err(problems);
    }
    Ok(CleanHousehold {
        id: input.id,
        place_id: place_id.unwrap_or_default(),
        door_name,
        door_number,
        address,
        housing_use,
        tenant_name,
        tenant_phone,
        note: non_empty(input.note.trim().to_string()),
    })
}

/// A household as listed in the register: where it is, who heads it, how many live there.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HouseholdSummary {
    pub id: i64,
    pub place_id: i64,
    pub place_path: String,
    pub door_name: Option<String>,
    pub door_number: Option<String>,
    pub address: Option<String>,
    pub housing_use: String,
    pub tenant_name: Option<String>,
    pub tenant_phone: Option<String>,
    pub note: Option<String>,
    pub head_name: Option<String>,
    pub head_phone: Option<String>,
    pub member_count: i64,
    pub archived_at: Option<String>,
}

impl HouseholdSummary {
    /// 东街12号, or the address when there is no door plate.
    pub fn label(&self) -> String {
        household_label(
            self.door_name.as_deref(),
            self.door_number.as_deref(),
            self.address.as_deref(),
        )
    }
}

pub fn household_label(
    door_name: Option<&str>,
    door_number: Option<&str>,
    address: Option<&str>,
) -> String {
    let door = format!("{}{}", door_name.unwrap_or(""), door_number.unwrap_or(""));
    if door.is_empty() {
        address.unwrap_or("").to_string()
    } else {
        door
    }
}

/// A household with its members, for the household page.
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdDetail {
    pub household: HouseholdSummary,
    pub members: Vec<super::Person>,
    /// Why the logged-in operator may only look at it (a 网格员 outside their grid).
    pub read_only: Option<String>,
}
