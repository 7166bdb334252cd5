//! Phone numbers: an 11-digit mobile starting with 1 (with +86/0086 and separators accepted),
//! or a fixed line with its area code, as 联系电话 columns carry both.

use serde::Serialize;

use super::normalize_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PhoneKind {
    Mobile,
    Landline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    /// `13800138000` for a mobile, `0755-12345678` for a fixed line.
    pub number: String,
    pub kind: PhoneKind,
    /// Set when the number is well-formed but unusual (a mobile prefix not in 13–19).
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("电话号码为空")]
    Empty,
    #[error("电话号码含有“{0}”，只能填数字")]
    Character(char),
    #[error("手机号码应为 11 位，现为 {0} 位，请核对")]
    Length(usize),
}

impl PhoneError {
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "phone_empty",
            PhoneError::Character(_) => "phone_character",
            PhoneError::Length(_) => "phone_length",
        }
    }
}

/// Checks and normalises a phone number.
pub fn parse_phone(input: &str) -> Result<Phone, PhoneError> {
    let key = normalize_key(input);
    if key.is_empty() {
        return Err(PhoneError::Empty);
    }
    let mut digits = String::with_capacity(key.len());
    for (i, c) in key.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            '-' | '(' | ')' | '（' | '）' | '.' | '·' => {}
            _ => return Err(PhoneError::Character(c)),
        }
    }
    let national = if let Some(rest) = digits.strip_prefix("0086") {
        rest
    } else if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else {
        &digits
    };
    if national.starts_with('1') {
        if national.len() != 11 {
            return Err(PhoneError::Length(national.len()));
        }
        let second = national.as_bytes()[1];
        let warning = (!(b'3'..=b'9').contains(&second))
            .then(|| format!("手机号码 {national} 的号段不常见，请核对"));
        return Ok(Phone {
            number: national.to_string(),
            kind: PhoneKind::Mobile,
            warning,
        });
    }
    if national.starts_with('0') && (10..=12).contains(&national.len()) {
        // Area codes are 3 digits (010, 020–029) or 4 digits (0xxx).
        let area_len = if national.as_bytes()[1] == b'1' || national.as_bytes()[1] == b'2' {
            3
        } else {
            4
        };
        let number = format!("{}-{}", &national[..area_len], &national[area_len..]);
        return Ok(Phone {
            number,
            kind: PhoneKind::Landline,
            warning: None,
        });
    }
    Err(PhoneError::Length(national.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_every_typed_form() {
        for typed in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "008613800138000",
            "8613800138000",
            "１３８００１３８０００",
        ] {
            let phone = parse_phone(typed).unwrap();
            assert_eq!(phone.number, "13800138000", "{typed}");
            assert_eq!(phone.kind, PhoneKind::Mobile);
            assert_eq!(phone.warning, None);
        }
    }

    #[test]
    fn unusual_prefix_warns_but_is_kept() {
        let phone = parse_phone("12345678901").unwrap();
        assert!(phone.warning.unwrap().contains("号段"));
    }

    #[test]
    fn landlines_keep_their_area_code() {
        assert_eq!(
            parse_phone("0755-12345678").unwrap().number,
            "0755-12345678"
        );
        assert_eq!(parse_phone("010 87654321").unwrap().number, "010-87654321");
        assert_eq!(parse_phone("(0311)8765432").unwrap().number, "0311-8765432");
    }

    #[test]
    fn bad_phones_are_refused() {
        assert_eq!(parse_phone(""), Err(PhoneError::Empty));
        assert_eq!(parse_phone("1380013800"), Err(PhoneError::Length(10)));
        assert_eq!(parse_phone("138001380001"), Err(PhoneError::Length(12)));
        assert_eq!(parse_phone("1.38E+10"), Err(PhoneError::Character('E')));
        assert_eq!(parse_phone("无"), Err(PhoneError::Character('无')));
    }
}
