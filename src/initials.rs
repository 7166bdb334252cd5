//! Pinyin initials of a name, for search: 张三 → "zs". The first character is read as a
//! surname, because many surnames are read differently from the common word (单 Shàn, 曾 Zēng,
//! 仇 Qiú), and cadres type the initials they say.

use pinyin::ToPinyin;

/// Surnames whose reading differs from the character's most common reading.
const SURNAME_READINGS: &[(char, char)] = &[
    ('单', 's'),
    ('曾', 'z'),
    ('仇', 'q'),
    ('区', 'o'),
    ('查', 'z'),
    ('解', 'x'),
    ('朴', 'p'),
    ('乐', 'y'),
    ('缪', 'm'),
    ('翟', 'z'),
    ('覃', 'q'),
    ('盖', 'g'),
    ('种', 'c'),
    ('秘', 'b'),
    ('尉', 'y'),
    ('召', 's'),
    ('万', 'w'),
    ('长', 'c'),
    ('重', 'c'),
    ('柏', 'b'),
    ('隗', 'w'),
];

/// Lower-case initials of each Chinese character, and lower-case ASCII letters and digits as
/// they are; everything else (·, spaces) is skipped.
pub fn name_initials(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if i == 0 {
            if let Some((_, letter)) = SURNAME_READINGS.iter().find(|(s, _)| *s == c) {
                out.push(*letter);
                continue;
            }
        }
        if let Some(letter) = c.to_pinyin().and_then(|p| p.plain().chars().next()) {
            out.push(letter);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_common_names() {
        assert_eq!(name_initials("张三"), "zs");
        assert_eq!(name_initials("欧阳娜娜"), "oynn");
        assert_eq!(name_initials("吕梁"), "ll");
    }

    #[test]
    fn surnames_take_their_surname_reading() {
        assert_eq!(name_initials("单田芳"), "stf");
        assert_eq!(name_initials("曾国藩"), "zgf");
        // Not as a surname: 长 in the middle of a name reads as usual (zhang or chang).
        assert!(name_initials("王长").starts_with('w'));
    }

    #[test]
    fn latin_letters_and_separators() {
        assert_eq!(name_initials("阿依古丽·买买提"), "ayglmmt");
        assert_eq!(name_initials("John Smith"), "johnsmith");
    }
}
