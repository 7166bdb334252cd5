//! A day's health check: temperatures and the six symptoms.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;
use crate::model::input::Values;
use crate::validate::{FieldProblem, FEVER_THRESHOLD};

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
            .map(|n| n.chars().take(crate::model::fields::NOTE_MAX).collect());
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
