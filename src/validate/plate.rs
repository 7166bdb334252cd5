//! Vehicle plates (车牌号): province character, issuing letter, then 5 characters (6 for new
//! energy), with 挂/学/警/港/澳/领 suffixes and 使 plates. Plates are normalised and an odd one
//! is kept with a warning: a checkpoint must record what it saw, not what we expect.

use serde::Serialize;

use super::normalize_key;

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const SUFFIXES: &str = "挂学警港澳领试超";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plate {
    /// Upper-case, without spaces or separators: `京A12345`, `粤B D12345`→`粤BD12345`.
    pub number: String,
    pub new_energy: bool,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlateError {
    #[error("车牌号为空")]
    Empty,
}

impl PlateError {
    pub fn code(&self) -> &'static str {
        "plate_empty"
    }
}

fn is_serial_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

/// Normalises a plate and says whether it looks like a real one.
pub fn parse_plate(input: &str) -> Result<Plate, PlateError> {
    let number: String = normalize_key(input)
        .chars()
        .filter(|c| !matches!(c, '·' | '•' | '-' | '.' | '・'))
        .flat_map(char::to_uppercase)
        .collect();
    if number.is_empty() {
        return Err(PlateError::Empty);
    }
    let chars: Vec<char> = number.chars().collect();
    let (looks_right, new_energy) = classify(&chars);
    let warning = (!looks_right).then(|| format!("车牌号“{number}”格式不常见，请核对"));
    Ok(Plate {
        number,
        new_energy,
        warning,
    })
}

/// Returns (well-formed, new energy).
fn classify(chars: &[char]) -> (bool, bool) {
    // Embassy plates: 使 + 6 digits.
    if chars[0] == '使' {
        return (
            chars.len() == 7 && chars[1..].iter().all(char::is_ascii_digit),
            false,
        );
    }
    if chars.len() < 7
        || !PROVINCES.contains(chars[0])
        || !chars[1].is_ascii_uppercase()
        || matches!(chars[1], 'I' | 'O')
    {
        return (false, false);
    }
    let rest = &chars[2..];
    let (serial, suffix) = match rest.last() {
        Some(c) if SUFFIXES.contains(*c) => (&rest[..rest.len() - 1], true),
        _ => (rest, false),
    };
    let serial_ok = serial.iter().all(|c| is_serial_char(*c));
    match (serial.len(), suffix) {
        (5, _) => (serial_ok, false),
        (4, true) => (serial_ok, false),
        // New-energy plates: D or F first (small) or last (large), 6 characters.
        (6, false) => {
            let small = matches!(serial[0], 'D' | 'F');
            let large = matches!(serial[5], 'D' | 'F');
            (serial_ok && (small || large), true)
        }
        _ => (false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_plates_normalise_without_warning() {
        for (typed, want) in [
            ("京A12345", "京A12345"),
            ("京a·12345", "京A12345"),
            (" 粤 B 8X123 ", "粤B8X123"),
            ("冀Ａ１２３４５", "冀A12345"),
        ] {
            let plate = parse_plate(typed).unwrap();
            assert_eq!(plate.number, want);
            assert_eq!(plate.warning, None, "{typed}");
        }
    }

    #[test]
    fn new_energy_suffix_and_embassy_plates() {
        let plate = parse_plate("粤BD12345").unwrap();
        assert!(plate.new_energy && plate.warning.is_none());
        assert!(parse_plate("沪A1234挂").unwrap().warning.is_none());
        assert!(parse_plate("粤Z1234港").unwrap().warning.is_none());
        assert!(parse_plate("使014578").unwrap().warning.is_none());
    }

    #[test]
    fn odd_plates_warn_and_are_kept() {
        for odd in ["A12345", "京I12345", "京A1234", "京A12O45", "X12"] {
            let plate = parse_plate(odd).unwrap();
            assert!(plate.warning.is_some(), "{odd}");
        }
        assert_eq!(parse_plate(" "), Err(PlateError::Empty));
    }
}
