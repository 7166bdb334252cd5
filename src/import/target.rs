//! What a sheet can be imported as: a typed `Target` per record kind, the fields each takes
//! (the record's own from `model::fields`, then the person's, the place's and the door), and
//! how a column's header is matched to a field through the header words of those tables.

use serde::{Deserialize, Serialize};

use crate::model::fields::{self, Field};
use crate::validate::normalize_key;

/// A kind of record a sheet can be imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Persons,
    Arrivals,
    Isolations,
    HealthChecks,
    Tests,
    Vaccinations,
    Contacts,
    CheckpointChecks,
}

/// The door fields of a person's household (a sheet's 门牌名 / 门牌号).
const DOOR: &[&str] = &[
    "door_name",
    "door_number",
    "building",
    "unit",
    "room",
    "head_name",
    "family_size",
];

impl Target {
    pub const ALL: &'static [Target] = &[
        Target::Persons,
        Target::Arrivals,
        Target::Isolations,
        Target::HealthChecks,
        Target::Tests,
        Target::Vaccinations,
        Target::Contacts,
        Target::CheckpointChecks,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Target::Persons => "persons",
            Target::Arrivals => "arrivals",
            Target::Isolations => "isolations",
            Target::HealthChecks => "health_checks",
            Target::Tests => "tests",
            Target::Vaccinations => "vaccinations",
            Target::Contacts => "contacts",
            Target::CheckpointChecks => "checkpoint_checks",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Persons => "人员（户籍登记）",
            Target::Arrivals => "来（返）乡人员",
            Target::Isolations => "隔离与健康监测",
            Target::HealthChecks => "每日健康监测",
            Target::Tests => "核酸检测",
            Target::Vaccinations => "疫苗接种",
            Target::Contacts => "密接与次密接",
            Target::CheckpointChecks => "卡口检查",
        }
    }

    /// The kind of record each row writes (none for a roll of persons).
    pub fn entity(self) -> Option<crate::model::Entity> {
        use crate::model::Entity;
        match self {
            Target::Persons => None,
            Target::Arrivals => Some(Entity::Arrival),
            Target::Isolations => Some(Entity::Isolation),
            Target::HealthChecks => Some(Entity::HealthCheck),
            Target::Tests => Some(Entity::Test),
            Target::Vaccinations => Some(Entity::Vaccination),
            Target::Contacts => Some(Entity::Contact),
            Target::CheckpointChecks => Some(Entity::CheckpointCheck),
        }
    }

    pub fn find(key: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.key() == key)
    }

    /// The record's own fields (none for a roll of persons).
    pub fn own(self) -> &'static [Field] {
        self.entity().map(|e| e.fields()).unwrap_or(&[])
    }

    /// Whether each row names a person of the register (a checkpoint's traveller is kept as
    /// seen and only linked).
    pub fn has_person(self) -> bool {
        self != Target::CheckpointChecks
    }

    /// Every field this target can take, each key once: its own first (a 备注 column is the
    /// record's note), then the person's, the door and the place.
    pub fn fields(self) -> Vec<&'static Field> {
        let own = self.own();
        let mut all: Vec<&'static Field> = own.iter().collect();
        if self.has_person() {
            all.extend(
                fields::PERSON
                    .iter()
                    .filter(|f| !own.iter().any(|o| o.key == f.key)),
            );
            all.extend(fields::HOUSEHOLD.iter().filter(|f| DOOR.contains(&f.key)));
        }
        all.extend(
            fields::PLACE
                .iter()
                .filter(|f| !own.iter().any(|o| o.key == f.key)),
        );
        all
    }

    pub fn field(self, key: &str) -> Option<&'static Field> {
        self.fields().into_iter().find(|f| f.key == key)
    }

    /// Fields a sheet must have a column for.
    pub fn required(self) -> Vec<&'static Field> {
        let own: Vec<&'static Field> = self.own().iter().filter(|f| f.required).collect();
        if self.has_person() {
            let mut all = vec![&fields::PERSON[0]];
            all.extend(own);
            all
        } else {
            own
        }
    }

    /// The fields whose columns speak for this target, with their weight: a record's own
    /// fields (its defining date twice over); for a roll of persons, what only a roll has
    /// (与户主关系, 户主, 家庭总人口数, 人群分类 …; 户籍地 and 现住址 a little, as every
    /// sheet of persons has them). 姓名, 证件号码, 手机 and 备注 tell nothing.
    fn evidence(self) -> Vec<(&'static Field, f64)> {
        if self == Target::Persons {
            let basic = [
                "name",
                "id_type",
                "id_number",
                "gender",
                "birth_date",
                "phone",
                "note",
            ];
            let weight = |key: &str| match key {
                "relation_to_head" | "head_name" | "family_size" => ROLL,
                "hukou_code" | "hukou_address" | "current_address" | "door_name"
                | "door_number" | "building" | "unit" | "room" => 0.5,
                _ => 1.0,
            };
            return fields::PERSON
                .iter()
                .filter(|f| !basic.contains(&f.key))
                .chain(fields::HOUSEHOLD.iter().filter(|f| DOOR.contains(&f.key)))
                .map(|f| (f, weight(f.key)))
                .collect();
        }
        self.own()
            .iter()
            .filter(|f| !fields::PERSON.iter().any(|p| p.key == f.key) || !self.has_person())
            .filter(|f| !matches!(f.key, "note" | "name" | "id_number" | "phone"))
            .map(|f| (f, if f.required { 2.0 } else { 1.0 }))
            .collect()
    }

    /// Which target a sheet is, from its header keys (and the fields given a fixed value):
    /// the columns that speak for each, weighed, and whether the best is clear enough to
    /// take without asking.
    pub fn detect(keys: &[(String, String)], fixed: &[&str]) -> Detection {
        let mut candidates: Vec<Candidate> = Target::ALL
            .iter()
            .map(|t| t.candidate(keys, fixed))
            .collect();
        score_candidates(&mut candidates, fixed);
        candidates.retain(|c| c.score > 0.0 || c.target == Target::Persons);
        candidates.sort_by(|a, b| {
            b.missing
                .is_empty()
                .cmp(&a.missing.is_empty())
                .then(b.score.total_cmp(&a.score))
        });
        let best = best_target(&candidates, keys);
        candidates.sort_by(|a, b| {
            (Some(b.target) == best)
                .cmp(&(Some(a.target) == best))
                .then(b.missing.is_empty().cmp(&a.missing.is_empty()))
                .then(b.score.total_cmp(&a.score))
        });
        Detection {
            target: best,
            candidates,
        }
    }

    /// This target as a sheet's candidate, not yet scored: the headers of the columns that
    /// speak for it (each field once), and the required fields it has neither a column nor a
    /// fixed value for.
    fn candidate(self, keys: &[(String, String)], fixed: &[&str]) -> Candidate {
        let mut columns = Vec::new();
        let mut fields_seen: Vec<&str> = Vec::new();
        for (key, header) in keys {
            if let Some((f, _)) = self
                .evidence()
                .into_iter()
                .find(|(f, _)| !fields_seen.contains(&f.key) && matches_header(f, key))
            {
                fields_seen.push(f.key);
                columns.push((key.clone(), header.clone(), f.key));
            }
        }
        let missing: Vec<&'static str> = self
            .required()
            .iter()
            .filter(|f| {
                !fixed.contains(&f.key)
                    && !keys.iter().any(|(k, _)| {
                        self.fields()
                            .iter()
                            .any(|g| g.key == f.key && matches_header(g, k))
                    })
            })
            .map(|f| f.label)
            .collect();
        Candidate {
            target: self,
            label: self.label(),
            score: 0.0,
            columns: columns.into_iter().map(|(_, h, _)| h).collect(),
            column_keys: keys
                .iter()
                .filter(|(k, _)| self.evidence().iter().any(|(f, _)| matches_header(f, k)))
                .map(|(k, _)| k.clone())
                .collect(),
            missing,
        }
    }
}

/// Scores each candidate by the weight of its columns. A column that speaks for several
/// targets (体温 for a round and a checkpoint) counts for each in part.
fn score_candidates(candidates: &mut [Candidate], fixed: &[&str]) {
    for i in 0..candidates.len() {
        let t = candidates[i].target;
        let evidence = t.evidence();
        let mut score = 0.0;
        for key in &candidates[i].column_keys {
            let weight = evidence
                .iter()
                .find(|(f, _)| matches_header(f, key))
                .map(|(_, w)| *w)
                .unwrap_or(0.0);
            let sharing = candidates
                .iter()
                .filter(|c| c.column_keys.contains(key))
                .count()
                .max(1);
            score += weight / sharing as f64;
        }
        // A value the user fixed for every row speaks for the target it belongs to.
        for key in fixed {
            if let Some((f, w)) = evidence.iter().find(|(f, _)| f.key == *key) {
                score += w;
                candidates[i]
                    .columns
                    .push(format!("{}（统一填写）", f.label));
            }
        }
        candidates[i].score = score;
    }
}

/// The target to take without asking, if the candidates (sorted usable first, then by
/// score) make one clear.
fn best_target(candidates: &[Candidate], keys: &[(String, String)]) -> Option<Target> {
    let persons_score = candidates
        .iter()
        .find(|c| c.target == Target::Persons)
        .map(|c| c.score)
        .unwrap_or(0.0);
    let records: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.target != Target::Persons)
        .collect();
    let usable: Vec<&Candidate> = records
        .iter()
        .copied()
        .filter(|c| c.missing.is_empty())
        .collect();
    let recognised = keys
        .iter()
        .filter(|(k, _)| {
            Target::ALL
                .iter()
                .any(|t| t.fields().iter().any(|f| matches_header(f, k)))
        })
        .count();
    let unrecognised = keys
        .iter()
        .filter(|(k, _)| !is_sequence_header(k))
        .count()
        .saturating_sub(recognised);
    match usable.as_slice() {
        // A record's defining columns are there: that record, unless another fits as
        // well, or the sheet is as clearly a household roll.
        [first, rest @ ..] => {
            let tie = rest
                .first()
                .is_some_and(|c| (c.score - first.score).abs() < 0.01);
            let roll = persons_score >= ROLL && persons_score >= first.score;
            (first.score >= 1.0 && !tie && !roll).then_some(first.target)
        }
        // No record can be made of it: a roll of persons, unless a record's columns are
        // there (its date missing) while nothing says roll, or only names are known.
        [] => {
            let record_evidence = records.iter().any(|c| c.score >= 0.5);
            let only_names = recognised <= 1 && unrecognised >= 3;
            let unsure = only_names || (record_evidence && persons_score < 1.0);
            (!unsure).then_some(Target::Persons)
        }
    }
}

/// The weight of what only a household roll has (与户主关系, 户主, 家庭总人口数).
const ROLL: f64 = 2.0;

/// A header of the row-number column (序号, 编号, No.), which says nothing of the target.
pub fn is_sequence_header(key: &str) -> bool {
    matches!(
        key,
        "序号" | "编号" | "No." | "NO." | "no" | "No" | "序" | "行号"
    )
}

/// A target a sheet could be, and the columns that speak for it.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub target: Target,
    pub label: &'static str,
    pub score: f64,
    /// The sheet's headers that speak for it.
    pub columns: Vec<String>,
    #[serde(skip)]
    column_keys: Vec<String>,
    /// Fields it needs that the sheet has no column for.
    pub missing: Vec<&'static str>,
}

/// What the columns say a sheet is: a clear target, or candidates to ask about.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub target: Option<Target>,
    pub candidates: Vec<Candidate>,
}

impl Detection {
    /// The question to put when the target is not clear, one line per candidate.
    pub fn question(&self) -> Vec<String> {
        self.candidates
            .iter()
            .take(4)
            .map(|c| {
                let mut line = format!("{}（{}）", c.label, c.target.key());
                if !c.columns.is_empty() {
                    line.push_str(&format!("：{}", c.columns.join("、")));
                }
                if !c.missing.is_empty() {
                    line.push_str(&format!("；缺少 {}", c.missing.join("、")));
                }
                line
            })
            .collect()
    }
}

/// A header as compared: NFKC, no spaces, Chinese brackets as ASCII, no trailing colon or
/// required-marks ("是否有症状(1=是 0=否)" still matches "是否有症状").
pub fn normal_header(text: &str) -> String {
    normalize_key(text)
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .filter(|c| !matches!(c, '：' | ':' | '*' | '★'))
        .collect()
}

/// Strips a trailing bracketed legend or unit: "体温(℃)" → "体温".
fn without_legend(key: &str) -> &str {
    match key.rfind('(') {
        Some(i) if i > 0 && key.ends_with(')') => &key[..i],
        _ => key,
    }
}

/// Does a column's header key (父|子, normalised) name this field?
pub fn matches_header(field: &Field, key: &str) -> bool {
    let last = key.rsplit('|').next().unwrap_or(key);
    field.synonyms.iter().any(|s| {
        let s = normal_header(s);
        s == key || (!s.contains('|') && (s == last || s == without_legend(last)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_their_synonyms() {
        let field = |k: &str| {
            Target::Arrivals
                .fields()
                .into_iter()
                .find(|f| matches_header(f, &normal_header(k)))
                .map(|f| f.key)
        };
        assert_eq!(field("身份证号码"), Some("id_number"));
        assert_eq!(field("公民身份号码"), Some("id_number"));
        assert_eq!(field("联系方式"), Some("phone"));
        assert_eq!(field("来（返）乡日期"), Some("arrival_date"));
        assert_eq!(field(" 返乡时间 "), Some("arrival_date"));
        assert_eq!(field("外出情况|具体地址"), Some("origin"));
        assert_eq!(field("姓 名"), Some("name"));
        assert_eq!(field("所属村"), Some("village"));
        assert_eq!(field("村（社区）"), Some("village"));
        assert_eq!(field("网格"), Some("grid"));
        assert_eq!(field("无关列"), None);
    }

    #[test]
    fn every_target_takes_each_field_key_once() {
        for t in Target::ALL {
            let mut keys: Vec<&str> = t.fields().iter().map(|f| f.key).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(n, keys.len(), "{t:?}");
            assert_eq!(Target::find(t.key()), Some(*t));
        }
    }
}
