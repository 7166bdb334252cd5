//! The event records of the ledger: arrivals, isolation periods, daily health checks, tests,
//! vaccinations, cases and contacts, checkpoints and their stops, visit notes. Each struct is
//! what the store writes and reads back; each `from_values` is the one place its rules live
//! (a value in its list, dates in order, a fever flagged), whichever door the values came
//! through: a form, a command, a sheet, or the sample generator.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::input::{Mode, Values};
use super::values::*;
use crate::validate::{FieldProblem, FEVER_THRESHOLD};

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

/// The symptom words of the forms, with the words sheets use for each.
const SYMPTOM_WORDS: &[(&str, &[&str])] = &[
    ("发热", &["发热", "发烧"]),
    ("干咳", &["干咳", "咳嗽", "咳"]),
    ("乏力", &["乏力", "无力"]),
    ("咽痛", &["咽痛", "咽喉痛", "嗓子痛", "喉咙痛"]),
    (
        "嗅(味)觉减退",
        &["嗅(味)觉减退", "嗅觉减退", "味觉减退", "嗅觉", "味觉"],
    ),
    ("腹泻", &["腹泻", "拉肚子"]),
];

impl Symptoms {
    /// The symptoms present, in the words of the forms.
    pub fn names(&self) -> Vec<&'static str> {
        self.flags()
            .into_iter()
            .zip(SYMPTOM_WORDS)
            .filter_map(|(present, (name, _))| present.then_some(*name))
            .collect()
    }

    fn flags(&self) -> [bool; 6] {
        [
            self.fever,
            self.dry_cough,
            self.fatigue,
            self.sore_throat,
            self.smell_taste_loss,
            self.diarrhea,
        ]
    }

    pub fn any(&self) -> bool {
        self.flags().iter().any(|f| *f)
    }

    /// Reads symptom words ("发热、干咳", "咳嗽", "无"); returns the words it did not know.
    pub fn parse(text: &str) -> (Symptoms, Vec<String>) {
        let mut s = Symptoms::default();
        let mut unknown = Vec::new();
        for word in text
            .split(['、', ',', '，', ';', '；', ' ', '/', '+'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            if matches!(word, "无" | "无症状" | "正常" | "否" | "-") {
                continue;
            }
            let word = word.replace('（', "(").replace('）', ")");
            match SYMPTOM_WORDS
                .iter()
                .position(|(_, words)| words.iter().any(|w| word.contains(w)))
            {
                Some(0) => s.fever = true,
                Some(1) => s.dry_cough = true,
                Some(2) => s.fatigue = true,
                Some(3) => s.sore_throat = true,
                Some(4) => s.smell_taste_loss = true,
                Some(5) => s.diarrhea = true,
                _ => unknown.push(word),
            }
        }
        (s, unknown)
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
    #[serde(flatten)]
    pub stamp: Stamp,
    /// Whether the reading said what the symptoms are (无 included): a reading that leaves
    /// them blank keeps the day's (`kinds::health`). Not stored.
    #[serde(skip)]
    pub symptoms_given: bool,
}

impl HealthCheck {
    /// A check from values read through `fields::HEALTH_CHECK`: a reading of 37.3 ℃ or more
    /// is a fever whatever the symptom column says; symptom words outside the six are kept
    /// in the note. The period it belongs to is found by the store.
    pub fn from_values(v: &Values, person_id: i64, today: NaiveDate) -> Built<HealthCheck> {
        let mut problems = Vec::new();
        not_after_today(v, "check_date", "监测日期", today, &mut problems);
        let am = v.number("am_temperature").or(v.number("temperature"));
        let pm = v.number("pm_temperature");
        let (mut symptoms, unknown) = Symptoms::parse(&v.text("symptoms").unwrap_or_default());
        symptoms.fever |= [am, pm].iter().flatten().any(|t| *t >= FEVER_THRESHOLD);
        let mut note = v.text("note");
        if !unknown.is_empty() {
            let words = unknown.join("、");
            problems.push(FieldProblem::warning(
                "symptoms",
                "symptom_other",
                format!("症状“{words}”不在六项症状之中，已记入备注"),
            ));
            note = Some(match note {
                Some(n) => format!("{n}；症状：{words}"),
                None => format!("症状：{words}"),
            })
            .map(|n| n.chars().take(super::fields::NOTE_MAX).collect());
        }
        if am.is_none() && pm.is_none() && !v.contains("symptoms") {
            // A sheet's reading that could not be read (45.5, 三十九) is why the row is empty:
            // it is refused for that, as a typed one is.
            let unread = v.dropped.iter().find(|(key, _)| {
                matches!(*key, "am_temperature" | "pm_temperature" | "temperature")
            });
            problems.push(match unread {
                Some((key, why)) => FieldProblem::error(key, &why.code, why.message.clone()),
                None => FieldProblem::error(
                    "am_temperature",
                    "reading_empty",
                    "请填写上午或下午体温（或症状）",
                ),
            });
        }
        finish(
            HealthCheck {
                person_id,
                check_date: required_date(v, "check_date").to_string(),
                am_temperature: am,
                pm_temperature: pm,
                symptoms,
                symptoms_given: v.contains("symptoms"),
                checker: v.text("checker"),
                note,
                ..Default::default()
            },
            problems,
        )
    }

    /// A temperature of 37.3 ℃ or more, or any symptom.
    pub fn abnormal(&self) -> bool {
        self.symptoms.any()
            || [self.am_temperature, self.pm_temperature]
                .iter()
                .flatten()
                .any(|t| *t >= FEVER_THRESHOLD)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields;
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
