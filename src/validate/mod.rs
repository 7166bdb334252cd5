//! Validation and normalisation of the values every form carries: resident ID numbers, phones,
//! plates, temperatures and dates. Import, the desktop UI and the CLI all call these functions,
//! so a value is judged the same way wherever it enters the ledger.

mod date;
mod id_number;
mod phone;
mod plate;
mod temperature;

pub use date::{parse_date, parse_date_time, plausible_date, DateError, ParsedDate, EARLIEST_DATE};
pub use id_number::{check_character, parse_resident_id, Gender, IdError, ResidentId};
pub use phone::{parse_phone, Phone, PhoneError, PhoneKind};
pub use plate::{parse_plate, Plate, PlateError};
pub use temperature::{
    check_temperature, expand_typed_temperature, parse_temperature, Temperature, TemperatureError,
    FEVER_THRESHOLD,
};

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC of `input`, borrowed when it is already in that form (nearly every cell is: the
/// quick check reads it once instead of decomposing and recomposing each character).
fn nfkc(input: &str) -> Cow<'_, str> {
    if is_nfkc_quick(input.chars()) == IsNormalized::Yes {
        Cow::Borrowed(input)
    } else {
        Cow::Owned(input.nfkc().collect())
    }
}

/// Folds a typed or pasted value to one canonical form: NFKC (full-width digits and letters
/// become ASCII, ｘ becomes x) and every Unicode white space removed, including U+3000 and
/// NBSP, which a naive `trim` keeps. Use it for key fields (IDs, phones, plates), not for
/// names of places or free text, where inner spaces may matter.
pub fn normalize_key(input: &str) -> String {
    nfkc(input)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect()
}

/// Folds free text: NFKC, then leading and trailing white space of any kind removed and inner
/// runs of white space collapsed to one ASCII space. Use it for names and addresses.
pub fn normalize_text(input: &str) -> String {
    let mut folded = nfkc(input);
    if folded.chars().any(is_invisible) {
        folded = Cow::Owned(folded.chars().filter(|c| !is_invisible(*c)).collect());
    }
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds a person's name: like [`normalize_text`], but a space between two Chinese
/// characters is dropped (张 三 → 张三), as forms pad two-character names to align them.
/// Spaces between Latin words (foreign names) are kept.
pub fn normalize_name(input: &str) -> String {
    let text = normalize_text(input);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            if before.is_some_and(is_han) && after.is_some_and(is_han) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

/// Zero-width characters that copy-paste from web pages and chat apps leaves in cells, and
/// control characters (other than white space, which the callers fold): the schema refuses
/// both in names, and an export must never carry them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    ) || is_bidi_control(c)
        || (c.is_control() && !c.is_whitespace())
}

/// The characters that turn text around (U+202A–U+202E, U+2066–U+2069): U+202E then 五王
/// shows as 王五.
/// A name holding one is refused, and the schema refuses it in every name.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Folds a note or other multi-line free text: control and zero-width characters dropped,
/// line breaks and tabs kept, leading and trailing white space removed.
pub fn normalize_note(input: &str) -> String {
    input
        .chars()
        .filter(|c| !is_invisible(*c) && (!c.is_control() || matches!(c, '\n' | '\t')))
        .collect::<String>()
        .trim()
        .to_string()
}

/// True for CJK unified ideographs (the characters of Chinese names).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A problem with one field, as shown next to the field in the UI and in import reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldProblem {
    /// The field's key in the record (`id_number`, `phone`, …).
    pub field: String,
    /// A stable code the UI and tests branch on (`id_check_digit`, `phone_length`, …).
    pub code: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// A warning is shown but does not stop saving; an error does.
    pub severity: Severity,
    /// The person the problem names, when it names one (who already holds a document
    /// number), so the window opens them in one click, archived or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl FieldProblem {
    /// The problem naming a person (see `person_id`).
    pub fn naming(self, person_id: i64) -> FieldProblem {
        FieldProblem {
            person_id: Some(person_id),
            ..self
        }
    }

    pub fn error(field: &str, code: &str, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            severity: Severity::Error,
            person_id: None,
        }
    }

    pub fn warning(field: &str, code: &str, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            severity: Severity::Warning,
            person_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_key_strips_every_kind_of_space_and_folds_full_width() {
        assert_eq!(
            normalize_key("\u{3000}１１０１０５ 19491231002ｘ\u{00A0}"),
            "11010519491231002x"
        );
        assert_eq!(normalize_key("138\u{200B}0013\t8000"), "13800138000");
    }

    /// The quick path (text already in NFKC is borrowed) folds exactly as full NFKC does.
    #[test]
    fn folding_is_the_same_with_and_without_the_quick_path() {
        let slow = |s: &str| {
            let folded: String = s.nfkc().filter(|c| !is_invisible(*c)).collect();
            folded.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for text in [
            "石桥村 第1网格",
            "  东街\u{3000}８号 ",
            "张\u{200B}三",
            "Ａｂｃ\u{00A0}ｄｅｆ",
            "㈠组 ①号 ㎡",
            "e\u{0301}cole",
            "\u{FEFF}王五\t\n",
            "",
        ] {
            assert_eq!(normalize_text(text), slow(text), "{text:?}");
        }
    }

    #[test]
    fn normalize_name_joins_padded_chinese_names_but_not_latin_ones() {
        assert_eq!(normalize_name("张\u{3000}三"), "张三");
        assert_eq!(normalize_name("  王 小 明 "), "王小明");
        assert_eq!(normalize_name("John  Smith"), "John Smith");
        assert_eq!(normalize_name("阿依古丽·买买提"), "阿依古丽·买买提");
    }
}
