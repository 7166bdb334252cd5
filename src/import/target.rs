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
const DOOR: &[&str] = &["door_name", "door_number"];

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

    pub fn find(key: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.key() == key)
    }

    /// The record's own fields (none for a roll of persons).
    pub fn own(self) -> &'static [Field] {
        match self {
            Target::Persons => &[],
            Target::Arrivals => fields::ARRIVAL,
            Target::Isolations => fields::ISOLATION,
            Target::HealthChecks => fields::HEALTH_CHECK,
            Target::Tests => fields::TEST,
            Target::Vaccinations => fields::VACCINATION,
            Target::Contacts => fields::CONTACT,
            Target::CheckpointChecks => fields::CHECKPOINT_STOP,
        }
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

    /// How many of the given header keys are this target's own fields (to guess the target).
    /// Fields every person sheet has (姓名, 证件号码, 备注 …) tell nothing and are not counted.
    pub fn own_score(self, keys: &[String]) -> usize {
        keys.iter()
            .filter(|k| {
                self.own()
                    .iter()
                    .filter(|f| !fields::PERSON.iter().any(|p| p.key == f.key))
                    .any(|f| matches_header(f, k))
            })
            .count()
    }

    /// The target a header most looks like: the one with the most own fields matched.
    pub fn guess(keys: &[String]) -> Target {
        Target::ALL
            .iter()
            .map(|t| (*t, t.own_score(keys)))
            .filter(|(_, s)| *s > 0)
            .max_by_key(|(_, s)| *s)
            .map(|(t, _)| t)
            .unwrap_or(Target::Persons)
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
