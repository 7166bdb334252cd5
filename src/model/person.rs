//! A person as entered (`PersonInput`), as checked (`CleanPerson`) and as stored (`Person`).
//! `validate_person` is the one place where a person's fields are judged; the store, the CLI,
//! the desktop app and the importer all go through it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::values::*;
use crate::validate::{self, normalize_key, normalize_name, normalize_text, FieldProblem, Gender};

/// A person as typed into a form or given on the command line: every field is text as the
/// user wrote it. `id` is set when editing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub id: Option<i64>,
    pub household_id: Option<i64>,
    pub name: String,
    pub gender: String,
    pub birth_date: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub hukou_code: String,
    pub hukou_address: String,
    pub current_address: String,
    pub relation_to_head: String,
    pub crowd_category: String,
    pub occupation: String,
    pub work_place: String,
    pub special_industry: String,
    pub residence_status: String,
    pub unvaccinated_reason: String,
    pub note: String,
    pub tags: Vec<String>,
}

/// A person whose fields passed validation, normalised, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanPerson {
    pub id: Option<i64>,
    pub household_id: Option<i64>,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub id_type: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub hukou_code: Option<String>,
    pub hukou_address: Option<String>,
    pub current_address: Option<String>,
    pub relation_to_head: Option<String>,
    pub crowd_category: Option<String>,
    pub occupation: Option<String>,
    pub work_place: Option<String>,
    pub special_industry: Option<String>,
    pub residence_status: String,
    pub unvaccinated_reason: Option<String>,
    pub note: Option<String>,
    pub tags: Vec<String>,
}

/// A person as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Person {
    pub id: i64,
    pub household_id: Option<i64>,
    pub name: String,
    pub name_initials: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub id_type: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub hukou_code: Option<String>,
    pub hukou_address: Option<String>,
    pub current_address: Option<String>,
    pub relation_to_head: Option<String>,
    pub crowd_category: Option<String>,
    pub occupation: Option<String>,
    pub work_place: Option<String>,
    pub special_industry: Option<String>,
    pub residence_status: String,
    pub unvaccinated_reason: Option<String>,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub batch_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub archived_at: Option<String>,
}

/// A checked value with the warnings it raised (shown, but not blocking).
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub value: T,
    pub warnings: Vec<FieldProblem>,
}

/// Checks every field of a person. On success the warnings travel with the clean value; on
/// failure every problem (errors and warnings) is returned, each naming its field.
pub fn validate_person(
    input: &PersonInput,
    today: NaiveDate,
) -> Result<Checked<CleanPerson>, Vec<FieldProblem>> {
    let mut problems = Vec::new();

    let name = normalize_name(&input.name);
    if name.is_empty() {
        problems.push(FieldProblem::error("name", "name_empty", "请填写姓名"));
    } else if name.chars().count() > 40 {
        problems.push(FieldProblem::error(
            "name",
            "name_too_long",
            "姓名超过 40 个字，请核对",
        ));
    }

    let id_type = match normalize_text(&input.id_type) {
        t if t.is_empty() => ID_TYPES[0].to_string(),
        t => one_of("id_type", "证件类型", t, ID_TYPES, &mut problems).unwrap_or_default(),
    };

    let mut gender = None;
    let gender_text = normalize_key(&input.gender);
    if !gender_text.is_empty() {
        match Gender::parse(&gender_text) {
            Some(g) => gender = Some(g),
            None => problems.push(FieldProblem::error(
                "gender",
                "gender_unknown",
                format!("性别“{gender_text}”无法识别，请选择男或女"),
            )),
        }
    }

    let mut birth_date = None;
    if !normalize_key(&input.birth_date).is_empty() {
        match validate::parse_date(&input.birth_date, today.year()) {
            Ok(parsed) if parsed.year_assumed => problems.push(FieldProblem::error(
                "birth_date",
                "birth_date_no_year",
                "出生日期须写明年份，如 1990-03-07",
            )),
            Ok(parsed) if parsed.date > today => problems.push(FieldProblem::error(
                "birth_date",
                "birth_date_future",
                "出生日期晚于今天，请核对",
            )),
            Ok(parsed) => birth_date = Some(parsed.date),
            Err(e) => problems.push(FieldProblem::error("birth_date", e.code(), e.to_string())),
        }
    }

    let mut id_number = None;
    let mut hukou_from_id = None;
    let id_text = normalize_key(&input.id_number).to_uppercase();
    if !id_text.is_empty() {
        if id_type == ID_TYPES[0] {
            match validate::parse_resident_id(&id_text, today) {
                Ok(id) => {
                    cross_check(&id, &mut gender, &mut birth_date, &mut problems);
                    hukou_from_id = Some(id.address_code.clone());
                    id_number = Some(id.number);
                }
                Err(e) => problems.push(FieldProblem::error("id_number", e.code(), e.to_string())),
            }
        } else if !(5..=30).contains(&id_text.chars().count()) {
            problems.push(FieldProblem::error(
                "id_number",
                "id_length",
                format!("{id_type}号码应为 5–30 个字符，请核对"),
            ));
        } else {
            id_number = Some(id_text);
        }
    }

    let mut phone = None;
    if !normalize_key(&input.phone).is_empty() {
        match validate::parse_phone(&input.phone) {
            Ok(p) => {
                if let Some(w) = &p.warning {
                    problems.push(FieldProblem::warning("phone", "phone_prefix", w.clone()));
                }
                phone = Some(p.number);
            }
            Err(e) => problems.push(FieldProblem::error("phone", e.code(), e.to_string())),
        }
    }

    let hukou_code = match normalize_key(&input.hukou_code) {
        c if c.is_empty() => hukou_from_id,
        c if c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) => Some(c),
        c => {
            problems.push(FieldProblem::error(
                "hukou_code",
                "hukou_code_format",
                format!("户籍地区划代码“{c}”应为 6 位数字"),
            ));
            None
        }
    };

    let relation_to_head = optional_choice(
        "relation_to_head",
        "与户主关系",
        &input.relation_to_head,
        RELATIONS_TO_HEAD,
        &mut problems,
    );
    let crowd_category = optional_choice(
        "crowd_category",
        "人群分类",
        &input.crowd_category,
        CROWD_CATEGORIES,
        &mut problems,
    );
    let special_industry = optional_choice(
        "special_industry",
        "特定行业",
        &input.special_industry,
        SPECIAL_INDUSTRIES,
        &mut problems,
    );
    let unvaccinated_reason = optional_choice(
        "unvaccinated_reason",
        "未接种原因",
        &input.unvaccinated_reason,
        UNVACCINATED_REASONS,
        &mut problems,
    );
    let residence_status = optional_choice(
        "residence_status",
        "居住状态",
        &input.residence_status,
        RESIDENCE_STATUSES,
        &mut problems,
    )
    .unwrap_or_else(|| RESIDENCE_STATUSES[0].to_string());

    let mut tags: Vec<String> = input
        .tags
        .iter()
        .map(|t| normalize_text(t))
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();

    if problems
        .iter()
        .any(|p| p.severity == validate::Severity::Error)
    {
        return Err(problems);
    }
    let person = CleanPerson {
        id: input.id,
        household_id: input.household_id,
        name,
        gender: gender.map(|g| g.as_str().to_string()),
        birth_date,
        id_type,
        id_number,
        phone,
        hukou_code,
        hukou_address: non_empty(normalize_text(&input.hukou_address)),
        current_address: non_empty(normalize_text(&input.current_address)),
        relation_to_head,
        crowd_category,
        occupation: non_empty(normalize_text(&input.occupation)),
        work_place: non_empty(normalize_text(&input.work_place)),
        special_industry,
        residence_status,
        unvaccinated_reason,
        note: non_empty(input.note.trim().to_string()),
        tags,
    };
    Ok(Checked {
        value: person,
        warnings: problems,
    })
}

/// The sex and birth date a resident ID encodes must agree with the ones the form gives; when
/// the form gives none, the ID's are taken.
fn cross_check(
    id: &validate::ResidentId,
    gender: &mut Option<Gender>,
    birth: &mut Option<NaiveDate>,
    problems: &mut Vec<FieldProblem>,
) {
    match gender {
        Some(g) if *g != id.gender => problems.push(FieldProblem::error(
            "gender",
            "gender_mismatch",
            format!(
                "性别“{}”与身份证号不符：号码显示为{}，请核对性别或号码",
                g.as_str(),
                id.gender.as_str()
            ),
        )),
        _ => *gender = Some(id.gender),
    }
    match birth {
        Some(d) if *d != id.birth_date => problems.push(FieldProblem::error(
            "birth_date",
            "birth_date_mismatch",
            format!(
                "出生日期 {d} 与身份证号不符：号码显示为 {}，请核对",
                id.birth_date
            ),
        )),
        _ => *birth = Some(id.birth_date),
    }
}

fn optional_choice(
    field: &str,
    label: &str,
    text: &str,
    list: &[&str],
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    let text = normalize_text(text);
    if text.is_empty() {
        None
    } else {
        one_of(field, label, text, list, problems)
    }
}

fn one_of(
    field: &str,
    label: &str,
    text: String,
    list: &[&str],
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    if list.contains(&text.as_str()) {
        Some(text)
    } else {
        problems.push(FieldProblem::error(
            field,
            "not_in_list",
            format!(
                "{label}“{text}”不是可选值，请从以下选择：{}",
                list.join("、")
            ),
        ));
        None
    }
}

pub(crate) fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// Whole years between a birth date and a day.
pub fn age_on(birth_date: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth_date.year();
    if (day.month(), day.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn input(name: &str, id: &str) -> PersonInput {
        PersonInput {
            name: name.into(),
            id_number: id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_id_fills_gender_birth_date_and_hukou_code() {
        let p = validate_person(&input("张三", "11010519491231002X"), today())
            .unwrap()
            .value;
        assert_eq!(p.gender.as_deref(), Some("女"));
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(p.hukou_code.as_deref(), Some("110105"));
        assert_eq!(p.residence_status, "常住");
        assert_eq!(p.id_type, "居民身份证");
    }

    #[test]
    fn invalid_id_is_refused_on_its_field() {
        let problems = validate_person(&input("李四", "110101199003070830"), today()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].field.as_str(), problems[0].code.as_str()),
            ("id_number", "id_check_digit")
        );
    }

    #[test]
    fn gender_and_birth_date_are_cross_checked_against_the_id() {
        let mut p = input("王五", "440524188001010014");
        p.gender = "女".into();
        p.birth_date = "1880年1月2日".into();
        let problems = validate_person(&p, today()).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["gender_mismatch", "birth_date_mismatch"]);
    }

    #[test]
    fn other_documents_are_kept_as_typed_in_upper_case() {
        let mut p = input("Smith John", "e1234 5678");
        p.id_type = "护照".into();
        assert_eq!(
            validate_person(&p, today())
                .unwrap()
                .value
                .id_number
                .as_deref(),
            Some("E12345678")
        );
    }

    #[test]
    fn values_outside_the_lists_are_named() {
        let mut p = input("赵六", "");
        p.relation_to_head = "表哥".into();
        p.phone = "1380013800".into();
        let problems = validate_person(&p, today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["phone", "relation_to_head"]);
        assert!(problems[1].message.contains("户主"));
    }

    #[test]
    fn warnings_do_not_block() {
        let mut p = input("钱七", "");
        p.phone = "12345678901".into();
        let checked = validate_person(&p, today()).unwrap();
        assert_eq!(checked.warnings.len(), 1);
        assert_eq!(checked.value.phone.as_deref(), Some("12345678901"));
    }

    #[test]
    fn age_counts_whole_years() {
        let birth = NaiveDate::from_ymd_opt(1990, 3, 7).unwrap();
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()),
            35
        );
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()),
            36
        );
    }
}
