//! Pinyin of a name, for search: 张三 → "zs" (initials) and "zhangsan" (whole). The first
//! character is read as a surname, because many surnames are read differently from the common
//! word (单 Shàn, 曾 Zēng, 仇 Qiú), and cadres type what they say.

use pinyin::ToPinyin;

/// Surnames whose reading differs from the character's most common reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('解', "xie"),
    ('朴', "piao"),
    ('乐', "yue"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('覃', "qin"),
    ('盖', "ge"),
    ('种', "chong"),
    ('秘', "bi"),
    ('尉', "yu"),
    ('召', "shao"),
    ('万', "wan"),
    ('长', "chang"),
    ('重', "chong"),
    ('柏', "bai"),
    ('隗', "wei"),
];

/// The syllables of a name: each Chinese character's pinyin without tones (the first read
/// as a surname), each run of ASCII letters and digits lower-cased; ·, spaces and the rest
/// skipped.
fn syllables(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase().to_string());
            continue;
        }
        if i == 0 {
            if let Some((_, reading)) = SURNAME_READINGS.iter().find(|(s, _)| *s == c) {
                out.push(reading.to_string());
                continue;
            }
        }
        if let Some(p) = c.to_pinyin() {
            out.push(p.plain().to_string());
        }
    }
    out
}

/// Lower-case initials of each Chinese character, and lower-case ASCII letters and digits as
/// they are: 张三 → "zs".
pub fn name_initials(name: &str) -> String {
    syllables(name)
        .iter()
        .filter_map(|s| s.chars().next())
        .collect()
}

/// The whole pinyin of a name, without tones or spaces: 王伟 → "wangwei".
pub fn name_pinyin(name: &str) -> String {
    syllables(name).concat()
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
    fn whole_pinyin_for_search_by_full_pinyin() {
        assert_eq!(name_pinyin("王伟"), "wangwei");
        assert_eq!(name_pinyin("单田芳"), "shantianfang");
        assert_eq!(name_pinyin("欧阳娜娜"), "ouyangnana");
    }

    #[test]
    fn latin_letters_and_separators() {
        assert_eq!(name_initials("阿依古丽·买买提"), "ayglmmt");
        assert_eq!(name_initials("John Smith"), "johnsmith");
    }
}
