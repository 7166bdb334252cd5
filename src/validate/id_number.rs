//! Resident ID numbers (居民身份证号码) after GB 11643-1999: 6-digit address code, birth date
//! YYYYMMDD, 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check
//! character. A regex alone accepts invalid numbers; this checks the date and the check digit.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::normalize_key;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Gender {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn parse(text: &str) -> Option<Gender> {
        match super::normalize_key(text).as_str() {
            "男" | "男性" | "M" | "m" => Some(Gender::Male),
            "女" | "女性" | "F" | "f" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// A checked resident ID with what it tells about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidentId {
    /// The 18-character number, upper-case X.
    pub number: String,
    pub address_code: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    /// True when the input was a first-generation 15-digit number.
    pub upgraded_from_15: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("身份证号为空")]
    Empty,
    #[error("身份证号应为 18 位（或旧版 15 位），现为 {0} 位，请核对")]
    Length(usize),
    #[error("身份证号第 {position} 位“{found}”不是数字，只有最后一位可以是 X")]
    Character { position: usize, found: char },
    #[error("身份证号中的出生日期 {0} 不存在，请核对号码")]
    BirthDate(String),
    #[error("身份证号中的出生日期 {0} 晚于今天，请核对号码")]
    BirthDateInFuture(NaiveDate),
    #[error("身份证号校验位不符：最后一位应为 {expected}，现为 {found}，请逐位核对号码")]
    CheckDigit { expected: char, found: char },
}

impl IdError {
    /// A stable code for the UI and import reports.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "id_empty",
            IdError::Length(_) => "id_length",
            IdError::Character { .. } => "id_character",
            IdError::BirthDate(_) => "id_birth_date",
            IdError::BirthDateInFuture(_) => "id_birth_date_future",
            IdError::CheckDigit { .. } => "id_check_digit",
        }
    }
}

/// The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits of a resident ID,
/// which must be ASCII digits. Used to validate, and by the sample generator to make valid IDs.
pub fn check_character(first17: &str) -> char {
    check_char(first17.as_bytes())
}

fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize] as char
}

/// Checks and normalises a resident ID as typed or read from a sheet: NFKC, all white space
/// removed, x → X, 15 digits upgraded to 18. `today` bounds the birth date.
pub fn parse_resident_id(input: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
    let mut number = normalize_key(input).to_uppercase();
    if number.is_empty() {
        return Err(IdError::Empty);
    }
    for (i, c) in number.chars().enumerate() {
        // Only the 18th character may be the check letter X.
        if !(c.is_ascii_digit() || (i == 17 && c == 'X')) {
            return Err(IdError::Character {
                position: i + 1,
                found: c,
            });
        }
    }
    // All characters are ASCII from here on, so byte length is character count.
    let upgraded_from_15 = match number.len() {
        18 => false,
        15 => true,
        len => return Err(IdError::Length(len)),
    };
    if upgraded_from_15 {
        number.insert_str(6, "19");
        let check = check_char(number.as_bytes());
        number.push(check);
    }
    let bytes = number.as_bytes();
    let date_text = &number[6..14];
    let birth_date = NaiveDate::parse_from_str(date_text, "%Y%m%d")
        .map_err(|_| IdError::BirthDate(date_text.to_string()))?;
    if birth_date > today {
        return Err(IdError::BirthDateInFuture(birth_date));
    }
    if birth_date.year() < 1800 {
        return Err(IdError::BirthDate(date_text.to_string()));
    }
    let expected = check_char(&bytes[..17]);
    let found = bytes[17] as char;
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    let sequence_last = bytes[16] - b'0';
    let gender = if sequence_last % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(ResidentId {
        address_code: number[..6].to_string(),
        number,
        birth_date,
        gender,
        upgraded_from_15,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // The vectors of FORMS.md §6.
    #[test]
    fn valid_ids_derive_birth_date_and_gender() {
        let id = parse_resident_id("11010519491231002X", today()).unwrap();
        assert_eq!(
            (id.birth_date, id.gender),
            (date(1949, 12, 31), Gender::Female)
        );
        let id = parse_resident_id("440524188001010014", today()).unwrap();
        assert_eq!(
            (id.birth_date, id.gender, id.address_code.as_str()),
            (date(1880, 1, 1), Gender::Male, "440524")
        );
        let id = parse_resident_id("110101199003074477", today()).unwrap();
        assert_eq!((id.birth_date, id.gender), (date(1990, 3, 7), Gender::Male));
    }

    #[test]
    fn wrong_check_digit_names_the_expected_one() {
        let err = parse_resident_id("110101199003070830", today()).unwrap_err();
        assert_eq!(
            err,
            IdError::CheckDigit {
                expected: '9',
                found: '0'
            }
        );
        assert!(err.to_string().contains("应为 9"));
        assert_eq!(err.code(), "id_check_digit");
    }

    #[test]
    fn fifteen_digits_upgrade_to_eighteen() {
        let id = parse_resident_id("110105491231002", today()).unwrap();
        assert_eq!(id.number, "11010519491231002X");
        assert!(id.upgraded_from_15);
    }

    #[test]
    fn full_width_digits_spaces_and_lower_x_are_normalised() {
        let id = parse_resident_id(
            "\u{3000}１１０１０５ １９４９１２３１００２ｘ\u{00A0}",
            today(),
        )
        .unwrap();
        assert_eq!(id.number, "11010519491231002X");
        let id = parse_resident_id("11010519491231002x", today()).unwrap();
        assert_eq!(id.number, "11010519491231002X");
    }

    #[test]
    fn malformed_ids_say_what_is_wrong() {
        assert_eq!(parse_resident_id("", today()), Err(IdError::Empty));
        assert_eq!(
            parse_resident_id("1101051949123100", today()),
            Err(IdError::Length(16))
        );
        assert_eq!(
            parse_resident_id("1101051949123100XX", today()),
            Err(IdError::Character {
                position: 17,
                found: 'X'
            })
        );
        assert_eq!(
            parse_resident_id("110105194902300021", today()),
            Err(IdError::BirthDate("19490230".into()))
        );
        assert!(matches!(
            parse_resident_id("110105203001010011", today()),
            Err(IdError::BirthDateInFuture(_))
        ));
        // Scientific notation left by Excel is not a number we can read.
        assert!(matches!(
            parse_resident_id("4.40981E+17", today()),
            Err(IdError::Character { .. })
        ));
    }
}
