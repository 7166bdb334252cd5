//! A person as entered (`PersonInput`), as checked (`CleanPerson`) and as stored (`Person`).
//! `validate_person` is the one place where a person's fields are judged; the store, the CLI,
//! the desktop app and the importer all go through it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fields;
use super::input::{Context, Mode, RawCell, Values};
use super::values::*;
use crate::validate::{self, normalize_key, normalize_text, FieldProblem, Gender};

/// Declares the typed-text form of a record once: the struct (what the window and the
/// command line send) and access to its fields by key, so the field tables of
/// `model::fields` can drive forms, commands and the importer.
macro_rules! text_input {
    ($(#[$meta:meta])* pub struct $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            pub id: Option<i64>,
            pub household_id: Option<i64>,
            $(pub $field: String,)*
            pub tags: Vec<String>,
        }

        impl $name {
            /// The text fields, in declaration order.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            pub fn get(&self, key: &str) -> Option<&str> {
                match key {
                    $(stringify!($field) => Some(&self.$field),)*
                    _ => None,
                }
            }

            /// Sets a field by key; false for a key the struct does not have.
            pub fn set(&mut self, key: &str, value: String) -> bool {
                match key {
                    $(stringify!($field) => {
                        self.$field = value;
                        true
                    })*
                    _ => false,
                }
            }
        }
    };
}

text_input! {
    /// A person as typed into a form or given on the command line: every field is text as the
    /// user wrote it. `id` is set when editing. The fields are those of `fields::PERSON`.
    pub struct PersonInput {
        name, id_type, id_number, gender, birth_date, phone, hukou_code, hukou_address,
        current_address, relation_to_head, crowd_category, occupation, work_place,
        special_industry, residence_status, unvaccinated_reason, note,
    }
}

impl PersonInput {
    /// A stored person as the form shows them, to edit.
    pub fn of(person: &Person) -> PersonInput {
        let mut input = PersonInput {
            id: Some(person.id),
            household_id: person.household_id,
            tags: person.tags.clone(),
            ..Default::default()
        };
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(person) {
            for key in PersonInput::KEYS {
                if let Some(text) = map.get(*key).and_then(|v| v.as_str()) {
                    input.set(key, text.to_string());
                }
            }
        }
        input
    }
}

/// A person whose fields passed validation, normalised, ready for the store. Its fields are a
/// `Person`'s under the same names, so one is read as the other (`import::persons`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
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

// A sheet's values laid over a person the register has: the name, the document, the
// household and the 居住状态 stay the register's unless `import::persons` decides otherwise,
// and tags add up there.
crate::model::overlay::overlay_fields!(CleanPerson {
    keep: [
        id,
        household_id,
        name,
        id_type,
        id_number,
        residence_status,
        tags
    ],
    fields: [
        gender,
        birth_date,
        phone,
        hukou_code,
        hukou_address,
        current_address,
        relation_to_head,
        crowd_category,
        occupation,
        work_place,
        special_industry,
        unvaccinated_reason,
        note,
    ]
});

impl From<&Person> for CleanPerson {
    /// The person's fields as a sheet or a form gives them (to lay a sheet's values over).
    fn from(p: &Person) -> CleanPerson {
        CleanPerson {
            id: Some(p.id),
            household_id: p.household_id,
            name: p.name.clone(),
            gender: p.gender.clone(),
            birth_date: p.birth_date.as_deref().and_then(|d| d.parse().ok()),
            id_type: p.id_type.clone(),
            id_number: p.id_number.clone(),
            phone: p.phone.clone(),
            hukou_code: p.hukou_code.clone(),
            hukou_address: p.hukou_address.clone(),
            current_address: p.current_address.clone(),
            relation_to_head: p.relation_to_head.clone(),
            crowd_category: p.crowd_category.clone(),
            occupation: p.occupation.clone(),
            work_place: p.work_place.clone(),
            special_industry: p.special_industry.clone(),
            residence_status: p.residence_status.clone(),
            unvaccinated_reason: p.unvaccinated_reason.clone(),
            note: p.note.clone(),
            tags: p.tags.clone(),
        }
    }
}

/// A checked value with the warnings it raised (shown, but not blocking), and the original
/// text of values that were replaced (lenient reading only).
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub value: T,
    pub warnings: Vec<FieldProblem>,
    pub originals: Vec<(&'static str, String)>,
}

/// Checks every field of a person typed by hand (strict: every bad value is an error). On
/// success the warnings travel with the clean value; on failure every problem (errors and
/// warnings) is returned, each naming its field.
pub fn validate_person(
    input: &PersonInput,
    today: NaiveDate,
) -> Result<Checked<CleanPerson>, Vec<FieldProblem>> {
    let cx = Context::new(today);
    let mut values = Values::new();
    for field in fields::PERSON {
        let text = input.get(field.key).unwrap_or_default();
        values.read(field, &RawCell::Text(text.to_string()), &cx, Mode::Strict);
    }
    person_from_values(
        values,
        input.id,
        input.household_id,
        &input.tags,
        today,
        Mode::Strict,
    )
}

/// Judges a person from values already read through `fields::PERSON` (by a form, or by the
/// importer from a sheet's cells). `mode` says whether a mismatch between the ID and the
/// sex or birth date given is an error (typed by hand) or a warning where the ID wins (a
/// sheet).
pub fn person_from_values(
    mut values: Values,
    id: Option<i64>,
    household_id: Option<i64>,
    tags: &[String],
    today: NaiveDate,
    mode: Mode,
) -> Result<Checked<CleanPerson>, Vec<FieldProblem>> {
    values.require(fields::PERSON);
    let mut problems = std::mem::take(&mut values.problems);
    let identity = read_identity(&values, today, mode, &mut problems);
    let hukou_code = read_hukou_code(&values, identity.hukou_from_id, mode, &mut problems);

    let name = values.text("name").unwrap_or_default();
    if let Some(why) = suspicious_name(&name) {
        problems.push(FieldProblem::warning(
            "name",
            "name_suspicious",
            format!("姓名“{name}”{why}，不像真实姓名：请核对这一行是不是人员"),
        ));
    }
    let tags = clean_tags(tags, &values);

    if problems
        .iter()
        .any(|p| p.severity == validate::Severity::Error)
    {
        return Err(problems);
    }
    let person = CleanPerson {
        id,
        household_id,
        name,
        gender: identity.gender.map(|g| g.as_str().to_string()),
        birth_date: identity.birth_date,
        id_type: identity.id_type,
        id_number: identity.id_number,
        phone: values.text("phone"),
        hukou_code,
        hukou_address: values.text("hukou_address"),
        current_address: values.text("current_address"),
        relation_to_head: values.text("relation_to_head"),
        crowd_category: values.text("crowd_category"),
        occupation: values.text("occupation"),
        work_place: values.text("work_place"),
        special_industry: values.text("special_industry"),
        residence_status: values
            .text("residence_status")
            .unwrap_or_else(|| RESIDENCE_STATUSES[0].to_string()),
        unvaccinated_reason: values.text("unvaccinated_reason"),
        note: values.text("note"),
        tags,
    };
    Ok(Checked {
        value: person,
        warnings: problems,
        originals: values.originals,
    })
}

/// What a person's document fields say: the document, the number (a resident ID checked and
/// its sex and birth date compared with those given), and the division code it carries.
struct Identity {
    id_type: String,
    gender: Option<Gender>,
    birth_date: Option<NaiveDate>,
    id_number: Option<String>,
    /// The address code of a resident ID: the 户籍地 when none is given.
    hukou_from_id: Option<String>,
}

/// Reads the document fields, adding a problem for a number that is not valid for its
/// document, and a mismatch between a resident ID and the sex or birth date given.
fn read_identity(
    values: &Values,
    today: NaiveDate,
    mode: Mode,
    problems: &mut Vec<FieldProblem>,
) -> Identity {
    let id_type = values
        .text("id_type")
        .unwrap_or_else(|| ID_TYPES[0].to_string());
    let mut gender = values.text("gender").and_then(|g| Gender::parse(&g));
    let mut birth_date = values.date("birth_date");
    let mut id_number = None;
    let mut hukou_from_id = None;
    if let Some(id_text) = values.text("id_number") {
        if id_type == ID_TYPES[0] {
            match validate::parse_resident_id(&id_text, today) {
                Ok(id) if validate::plausible_date(id.birth_date, today, true).is_err() => problems
                    .push(FieldProblem::error(
                        "id_number",
                        "id_birth_implausible",
                        format!(
                            "身份证号中的出生日期 {} 早于 1900 年，不可能是在世的人，请核对号码",
                            id.birth_date
                        ),
                    )),
                Ok(id) => {
                    cross_check(&id, &mut gender, &mut birth_date, problems, mode);
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
    Identity {
        id_type,
        gender,
        birth_date,
        id_number,
        hukou_from_id,
    }
}

/// The 户籍地 division code given (six digits), else the resident ID's. A malformed code is an
/// error when typed; from a sheet it is left out with a warning and the ID's is kept.
fn read_hukou_code(
    values: &Values,
    from_id: Option<String>,
    mode: Mode,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    match values.text("hukou_code").map(|c| normalize_key(&c)) {
        None => from_id,
        Some(c) if c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) => Some(c),
        Some(c) => {
            let problem = format!("户籍地区划代码“{c}”应为 6 位数字");
            if mode == Mode::Strict {
                problems.push(FieldProblem::error(
                    "hukou_code",
                    "hukou_code_format",
                    problem,
                ));
                None
            } else {
                problems.push(FieldProblem::warning(
                    "hukou_code",
                    "hukou_code_format",
                    format!("{problem}，此项未保存"),
                ));
                from_id
            }
        }
    }
}

/// The tags given, folded, cut to 20 characters, sorted and without duplicates, with
/// `ID_TO_RECHECK` added when the ID number a sheet gave could not be read.
fn clean_tags(tags: &[String], values: &Values) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .iter()
        .map(|t| normalize_text(t).chars().take(20).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect();
    if values.originals.iter().any(|(key, _)| *key == "id_number") {
        tags.push(ID_TO_RECHECK.to_string());
    }
    tags.sort();
    tags.dedup();
    tags
}

/// The tag of a person whose ID number a sheet gave unreadable (Excel truncated it): listed,
/// to be collected again.
pub const ID_TO_RECHECK: &str = "证件号需核对";

/// Why a name is not a person's: all digits ("23", a row number), or a system's login
/// (admin, test, 测试).
fn suspicious_name(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit()) {
        Some("全是数字")
    } else if [
        "admin",
        "administrator",
        "test",
        "root",
        "user",
        "测试",
        "管理员",
        "test1",
    ]
    .contains(&lower.as_str())
    {
        Some("是系统账号或测试用语")
    } else if !name.is_empty() && !name.chars().any(char::is_alphabetic) {
        Some("没有文字")
    } else {
        None
    }
}

/// The sex and birth date a resident ID encodes must agree with the ones the form gives; when
/// the form gives none, the ID's are taken. From a sheet a mismatch is a warning and the
/// ID's values are kept.
fn cross_check(
    id: &validate::ResidentId,
    gender: &mut Option<Gender>,
    birth: &mut Option<NaiveDate>,
    problems: &mut Vec<FieldProblem>,
    mode: Mode,
) {
    let mut flag = |field: &str, code: &str, message: String| {
        problems.push(if mode == Mode::Strict {
            FieldProblem::error(field, code, message)
        } else {
            FieldProblem::warning(field, code, format!("{message}（已按身份证号记录）"))
        })
    };
    match gender {
        Some(g) if *g != id.gender => flag(
            "gender",
            "gender_mismatch",
            format!(
                "性别“{}”与身份证号不符：号码显示为{}，请核对性别或号码",
                g.as_str(),
                id.gender.as_str()
            ),
        ),
        _ => {}
    }
    match birth {
        Some(d) if *d != id.birth_date => flag(
            "birth_date",
            "birth_date_mismatch",
            format!(
                "出生日期 {d} 与身份证号不符：号码显示为 {}，请核对",
                id.birth_date
            ),
        ),
        _ => {}
    }
    if mode == Mode::Lenient || gender.is_none() {
        *gender = Some(id.gender);
    }
    if mode == Mode::Lenient || birth.is_none() {
        *birth = Some(id.birth_date);
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
        let mut p = input("王五", "11010519491231002X");
        p.gender = "男".into();
        p.birth_date = "1949年12月30日".into();
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
    fn the_input_struct_has_exactly_the_fields_of_the_table() {
        let table: Vec<&str> = fields::PERSON.iter().map(|f| f.key).collect();
        assert_eq!(table, PersonInput::KEYS);
    }

    #[test]
    fn a_sheet_keeps_the_id_s_sex_when_its_own_disagrees() {
        let mut values = Values::new();
        let cx = Context::new(today());
        for (key, text) in [
            ("name", "王五"),
            ("id_number", "440524198001010013"),
            ("gender", "女"),
        ] {
            values.read(
                fields::field(fields::PERSON, key).unwrap(),
                &RawCell::Text(text.into()),
                &cx,
                Mode::Lenient,
            );
        }
        let checked = person_from_values(values, None, None, &[], today(), Mode::Lenient).unwrap();
        assert_eq!(checked.value.gender.as_deref(), Some("男"));
        assert_eq!(checked.warnings[0].code, "gender_mismatch");
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
