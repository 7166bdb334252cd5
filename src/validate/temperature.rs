//! Body temperatures in ℃: plausible between 34.0 and 43.0; 37.3 and above is fever.

use serde::Serialize;

use super::normalize_key;

pub const FEVER_THRESHOLD: f64 = 37.3;
const LOWEST: f64 = 34.0;
const HIGHEST: f64 = 43.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Temperature {
    pub celsius: f64,
    pub fever: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemperatureError {
    #[error("体温为空")]
    Empty,
    #[error("体温“{0}”不是数字，请填写如 36.5")]
    NotANumber(String),
    #[error("体温 {0} ℃ 不在 34.0–43.0 ℃ 之间，请核对")]
    OutOfRange(f64),
}

impl TemperatureError {
    pub fn code(&self) -> &'static str {
        match self {
            TemperatureError::Empty => "temperature_empty",
            TemperatureError::NotANumber(_) => "temperature_not_a_number",
            TemperatureError::OutOfRange(_) => "temperature_range",
        }
    }
}

/// Reads "36.5", "36.5℃", "36.5°C", "３６．５", "36,8" or "36。8", and "376" (the point
/// left out, as people type on a phone's number pad), and checks the range.
pub fn parse_temperature(input: &str) -> Result<Temperature, TemperatureError> {
    let key = normalize_key(input).replace([',', '，', '。'], ".");
    let number = key
        .trim_end_matches(['℃', 'C', 'c', '度'])
        .trim_end_matches('°');
    if number.is_empty() {
        return Err(TemperatureError::Empty);
    }
    let celsius: f64 = number
        .parse()
        .map_err(|_| TemperatureError::NotANumber(input.trim().to_string()))?;
    check_temperature(celsius)
}

/// The short form a cadre types on the round's grid or at the station: one digit is 36.x
/// (`5` → 36.5). Only for values typed by hand: a 5 in a sheet is a mistake, not a shorthand.
pub fn expand_typed_temperature(input: &str) -> String {
    let key = normalize_key(input);
    if key.len() == 1 && key.bytes().all(|b| b.is_ascii_digit()) {
        format!("36.{key}")
    } else {
        input.to_string()
    }
}

/// Checks a temperature already read as a number (a numeric spreadsheet cell). A whole
/// number from 340 to 430 is a reading with its point left out (376 → 37.6).
pub fn check_temperature(celsius: f64) -> Result<Temperature, TemperatureError> {
    let celsius = if celsius.fract() == 0.0 && (LOWEST * 10.0..=HIGHEST * 10.0).contains(&celsius) {
        celsius / 10.0
    } else {
        celsius
    };
    if !(LOWEST..=HIGHEST).contains(&celsius) {
        return Err(TemperatureError::OutOfRange(celsius));
    }
    // Round to one decimal as thermometers show it; 37.29999 from a float cell is 37.3.
    let celsius = (celsius * 10.0).round() / 10.0;
    Ok(Temperature {
        celsius,
        fever: celsius >= FEVER_THRESHOLD,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temperatures_in_typed_forms() {
        assert_eq!(
            parse_temperature("36.5").unwrap(),
            Temperature {
                celsius: 36.5,
                fever: false
            }
        );
        assert_eq!(
            parse_temperature("37.3℃").unwrap(),
            Temperature {
                celsius: 37.3,
                fever: true
            }
        );
        assert_eq!(parse_temperature("３６．８°C").unwrap().celsius, 36.8);
        assert!(parse_temperature("38度").unwrap().fever);
        assert!(check_temperature(37.29999).unwrap().fever);
    }

    #[test]
    fn a_reading_typed_without_its_point_is_read_the_same_at_every_door() {
        assert_eq!(parse_temperature("376").unwrap().celsius, 37.6);
        assert!(parse_temperature("376").unwrap().fever);
        assert_eq!(check_temperature(365.0).unwrap().celsius, 36.5);
        assert_eq!(parse_temperature("36,8").unwrap().celsius, 36.8);
        assert_eq!(expand_typed_temperature("5"), "36.5");
        assert_eq!(expand_typed_temperature("37.5"), "37.5");
    }

    #[test]
    fn implausible_temperatures_are_refused() {
        assert_eq!(
            parse_temperature("3655"),
            Err(TemperatureError::OutOfRange(3655.0))
        );
        assert_eq!(
            parse_temperature("450"),
            Err(TemperatureError::OutOfRange(450.0))
        );
        assert_eq!(
            parse_temperature("33.9"),
            Err(TemperatureError::OutOfRange(33.9))
        );
        assert_eq!(
            parse_temperature("正常").unwrap_err().code(),
            "temperature_not_a_number"
        );
        assert_eq!(parse_temperature(""), Err(TemperatureError::Empty));
    }
}
