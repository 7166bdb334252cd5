//! The event records of the ledger: arrivals, isolation periods, daily health checks, tests,
//! vaccinations, cases and contacts, checkpoints and their checks, visit notes. Each struct is
//! both what the store inserts (its `id` is then ignored) and what it reads back.

use serde::{Deserialize, Serialize};

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
}

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
}

/// The six symptoms a daily check asks about.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Symptoms {
    pub fever: bool,
    pub dry_cough: bool,
    pub fatigue: bool,
    pub sore_throat: bool,
    pub smell_taste_loss: bool,
    pub diarrhea: bool,
}

impl Symptoms {
    /// The symptoms present, in the words of the forms.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.fever, "发热"),
            (self.dry_cough, "干咳"),
            (self.fatigue, "乏力"),
            (self.sore_throat, "咽痛"),
            (self.smell_taste_loss, "嗅(味)觉减退"),
            (self.diarrhea, "腹泻"),
        ]
        .into_iter()
        .filter_map(|(present, name)| present.then_some(name))
        .collect()
    }
}

/// 健康监测: one day's check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct HealthCheck {
    pub id: i64,
    pub person_id: i64,
    pub isolation_id: Option<i64>,
    pub check_date: String,
    pub am_temperature: Option<f64>,
    pub pm_temperature: Option<f64>,
    pub symptoms: Symptoms,
    pub checker: Option<String>,
    pub note: Option<String>,
}

/// 核酸 / 抗原.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Test {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub sample_date: String,
    pub site: Option<String>,
    pub result: String,
    pub isolation_id: Option<i64>,
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
}

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
}

/// A contact link with the names at both ends, for the person page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactLink {
    #[serde(flatten)]
    pub contact: Contact,
    pub source_name: String,
    pub contact_name: String,
    pub case_person_name: String,
    pub case_kind: String,
}

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
    pub note: Option<String>,
    pub passengers: Vec<Passenger>,
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
