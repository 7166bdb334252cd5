//! 来(返)乡 and 来访.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::model::values::*;
use crate::validate::FieldProblem;

/// 来(返)乡 / 来访.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Arrival {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub status: String,
    pub arrival_date: String,
    pub origin_code: Option<String>,
    pub origin_address: Option<String>,
    pub risk_level: Option<String>,
    pub transport: Option<String>,
    pub transport_no: Option<String>,
    pub route: Option<String>,
    pub reason: Option<String>,
    pub destination_place_id: Option<i64>,
    pub health_code: Option<String>,
    pub host_person_id: Option<i64>,
    pub visit_reason: Option<String>,
    pub proxy_name: Option<String>,
    pub proxy_phone: Option<String>,
    pub proxy_id_number: Option<String>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

crate::model::overlay::overlay_fields!(Arrival {
    keep: [id, person_id, stamp],
    fields: [
        kind,
        status,
        arrival_date,
        origin_code,
        origin_address,
        risk_level,
        transport,
        transport_no,
        route,
        reason,
        destination_place_id,
        health_code,
        host_person_id,
        visit_reason,
        proxy_name,
        proxy_phone,
        proxy_id_number,
        note,
    ]
});

impl Arrival {
    /// An arrival from values read through `fields::ARRIVAL`. The status follows the date
    /// when none is given (a future date is 将返), and 已返 with a future date is refused: a
    /// person cannot have come back tomorrow.
    pub fn from_values(v: &Values, person_id: i64, today: NaiveDate) -> Built<Arrival> {
        let mut problems = Vec::new();
        let date = required_date(v, "arrival_date");
        let status = match v.text("status") {
            Some(s) => s,
            None if date > today => "将返".to_string(),
            None => "已返".to_string(),
        };
        if status == "已返" && date > today && v.contains("arrival_date") {
            problems.push(FieldProblem::error(
                "status",
                "returned_in_future",
                format!("人员状态为已返，但来(返)乡日期 {date} 晚于今天：请改为将返，或核对日期"),
            ));
        }
        let origin = v.text("origin");
        // An origin written as a county code is kept as a code too.
        let origin_code = origin
            .as_deref()
            .filter(|o| o.len() == 6 && o.bytes().all(|b| b.is_ascii_digit()))
            .map(String::from);
        let risk_level = v.text("risk_level").or_else(|| {
            v.yes("from_risk_area")
                .and_then(|yes| yes.then(|| "中".to_string()))
        });
        finish(
            Arrival {
                person_id,
                kind: choice_or(v, "kind", ARRIVAL_KINDS[0]),
                status,
                arrival_date: date.to_string(),
                origin_code,
                origin_address: origin,
                risk_level,
                transport: v.text("transport"),
                transport_no: v.text("transport_no"),
                route: v.text("route"),
                reason: v.text("reason"),
                health_code: v.text("health_code"),
                host_person_id: v.number("host_person_id").map(|n| n as i64),
                visit_reason: v.text("visit_reason"),
                proxy_name: v.text("proxy_name"),
                proxy_phone: v.text("proxy_phone"),
                proxy_id_number: v.text("proxy_id_number"),
                note: v.text("note"),
                ..Default::default()
            },
            problems,
        )
    }
}
