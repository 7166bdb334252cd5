//! Place names as villages write them. Grids and groups are numbered, and one place is written
//! many ways: 第1网格 = 第一网格 = 第１网格 = 第01网格, 3组 = 第三组 = 第三村民小组, but never
//! 第1网格 = 第11网格. `canonical` gives the one key all of a place's spellings share (and that
//! no other place shares); `split_path` cuts a whole path written in one cell
//! (居仁街道北羊村第1网格) into its levels; `PlaceBook` finds a place of the ledger by any of
//! its spellings, under a parent, and suggests the nearest one for a misspelt name.

use std::collections::HashMap;

use super::household::Place;
use super::values::PLACE_LEVELS;
use crate::validate::normalize_text;

/// The key every spelling of a place shares: NFKC, no spaces, numbers in Arabic digits
/// without leading zeros or a 第 before them, and the long forms of a level's word folded
/// (村民小组 → 组, 村民委员会 → 村, 居民委员会 → 社区).
pub fn canonical(name: &str) -> String {
    let text: String = normalize_text(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    let mut text = arabic_numbers(&text);
    for (long, short) in [
        ("村民小组", "组"),
        ("居民小组", "组"),
        ("小组", "组"),
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ] {
        if let Some(stem) = text.strip_suffix(long) {
            // 石桥村村委会 is 石桥村, not 石桥村村.
            text = if stem.ends_with(short) {
                stem.to_string()
            } else {
                format!("{stem}{short}")
            };
            break;
        }
    }
    // 第 before a number says nothing: 第3组 = 3组.
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| !(**c == '第' && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())))
        .map(|(_, c)| *c)
        .collect()
}

/// Numbers in a name written in Chinese (十二, 二十一, 一百零五, 两) or with leading zeros,
/// as plain Arabic digits: 三栋 → 3栋, 第十二网格 → 第12网格.
pub fn arabic_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let trimmed = digits.trim_start_matches('0');
            out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
            continue;
        }
        if chinese_digit(c).is_some() || c == '十' || c == '百' {
            let start = i;
            while i < chars.len()
                && (chinese_digit(chars[i]).is_some() || matches!(chars[i], '十' | '百'))
            {
                i += 1;
            }
            match chinese_number(&chars[start..i]) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.extend(&chars[start..i]),
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 十二 → 12, 二十一 → 21, 一百零五 → 105, 三 → 3, 二〇二二 → 2022; None for what is not a
/// number.
fn chinese_number(chars: &[char]) -> Option<u32> {
    if !chars.iter().any(|c| matches!(c, '十' | '百')) {
        // Digits in a row read one by one.
        return chars
            .iter()
            .try_fold(0u32, |n, c| Some(n.checked_mul(10)? + chinese_digit(*c)?));
    }
    let mut total = 0;
    let mut digit: Option<u32> = None;
    for c in chars {
        match c {
            '百' => total += digit.take().unwrap_or(1) * 100,
            '十' => total += digit.take().unwrap_or(1) * 10,
            '零' | '〇' => {}
            c => digit = Some(chinese_digit(*c)?),
        }
    }
    Some(total + digit.unwrap_or(0))
}

/// The words a name of each level ends with, longest first.
const SUFFIXES: &[(&str, &[&str])] = &[
    ("乡镇", &["街道办事处", "街道", "镇", "乡"]),
    (
        "村",
        &["村民委员会", "居民委员会", "村委会", "居委会", "社区", "村"],
    ),
    ("网格", &["网格"]),
    ("联户组", &["村民小组", "联户组", "小组", "组"]),
];

/// The level a name's ending says (石桥村 → 村, 第3网格 → 网格), if any.
pub fn level_of(name: &str) -> Option<&'static str> {
    SUFFIXES
        .iter()
        .find(|(_, words)| words.iter().any(|w| name.ends_with(w) && name != *w))
        .map(|(level, _)| *level)
}

/// A whole path written in one cell, cut into its levels from the top: 居仁街道北羊村第1网格
/// → [乡镇 居仁街道, 村 北羊村, 网格 第1网格]. Slashes and spaces cut too (石桥村/第一网格).
/// A name with fewer than two recognisable levels is returned whole, with the level its
/// ending says.
pub fn split_path(text: &str) -> Vec<(Option<&'static str>, String)> {
    let text = normalize_text(text);
    let parts: Vec<&str> = text
        .split(['/', '／', '>', '＞', '|', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        return parts.into_iter().flat_map(|p| split_path(p)).collect();
    }
    let whole = text.trim().to_string();
    // No real path is this long; a cell of thousands of characters is not one.
    if whole.chars().count() > 100 {
        return vec![(None, whole)];
    }
    let chars: Vec<char> = whole.chars().collect();
    let offsets: Vec<usize> = whole
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(whole.len()))
        .collect();
    let rank_of = |level: &str| SUFFIXES.iter().position(|(l, _)| *l == level);
    let mut cuts: Vec<(usize, &'static str)> = Vec::new();
    let mut rank = 0;
    let mut start = 0;
    for i in 0..chars.len() {
        let rest = &whole[offsets[i + 1]..];
        // Cut only where what follows is itself a place of a lower level: 新镇村 and
        // 石桥村村委会 are one name each.
        let Some(rest_rank) = level_of(rest).and_then(rank_of) else {
            continue;
        };
        let here = &whole[offsets[start]..offsets[i + 1]];
        let ends =
            SUFFIXES
                .iter()
                .enumerate()
                .take(rest_rank)
                .skip(rank)
                .find(|(_, (_, words))| {
                    words
                        .iter()
                        .any(|w| here.ends_with(w) && here.len() > w.len())
                });
        if let Some((r, (level, _))) = ends {
            cuts.push((i + 1, *level));
            rank = r + 1;
            start = i + 1;
        }
    }
    if cuts.is_empty() {
        return vec![(level_of(&whole), whole)];
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (to, level) in &cuts {
        out.push((Some(*level), chars[from..*to].iter().collect()));
        from = *to;
    }
    let rest: String = chars[from..].iter().collect();
    out.push((level_of(&rest), rest));
    out
}

/// "石桥村(330110001001)" or a bare division code: (name, code). Digits inside a name are
/// part of it (第1网格 stays 第1网格).
pub fn name_and_code(text: &str) -> (String, Option<String>) {
    let text = normalize_text(text);
    let is_code = |s: &str| [6, 9, 12].contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if is_code(&text) {
        return (text.clone(), Some(text));
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let (Some(a), true) = (text.rfind(open), text.ends_with(close)) {
            let inner = &text[a + open.len_utf8()..text.len() - close.len_utf8()];
            if is_code(inner.trim()) {
                return (text[..a].trim().to_string(), Some(inner.trim().to_string()));
            }
        }
    }
    (text, None)
}

/// The places of a ledger, found by any spelling of their names.
#[derive(Debug, Clone, Default)]
pub struct PlaceBook {
    places: Vec<Place>,
    by_id: HashMap<i64, usize>,
    /// (level, canonical name) → indexes into `places`.
    by_name: HashMap<(String, String), Vec<usize>>,
    by_code: HashMap<String, Vec<usize>>,
}

/// What looking a name up found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    One(i64),
    Many(Vec<i64>),
    None,
}

impl PlaceBook {
    pub fn new(places: Vec<Place>) -> PlaceBook {
        let mut book = PlaceBook::default();
        for p in places {
            book.add(p);
        }
        book
    }

    /// Adds a place (one the import just created).
    pub fn add(&mut self, place: Place) {
        let i = self.places.len();
        self.by_id.insert(place.id, i);
        self.by_name
            .entry((place.level.clone(), canonical(&place.name)))
            .or_default()
            .push(i);
        if let Some(code) = &place.code {
            self.by_code.entry(code.clone()).or_default().push(i);
        }
        self.places.push(place);
    }

    pub fn get(&self, id: i64) -> Option<&Place> {
        self.by_id.get(&id).map(|i| &self.places[*i])
    }

    pub fn all(&self) -> &[Place] {
        &self.places
    }

    /// Whether `place` is `ancestor` or lies under it.
    pub fn is_under(&self, place: i64, ancestor: i64) -> bool {
        let mut current = Some(place);
        let mut steps = 0;
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            steps += 1;
            if steps > PLACE_LEVELS.len() + 2 {
                return false;
            }
            current = self.get(id).and_then(|p| p.parent_id);
        }
        false
    }

    /// The place of `level` at or above `place` (its village, its township).
    pub fn ancestor_at(&self, place: i64, level: &str) -> Option<i64> {
        let mut current = Some(place);
        let mut steps = 0;
        while let Some(id) = current {
            let p = self.get(id)?;
            if p.level == level {
                return Some(id);
            }
            steps += 1;
            if steps > PLACE_LEVELS.len() + 2 {
                return None;
            }
            current = p.parent_id;
        }
        None
    }

    /// A place of `level` (any level when None) by name, code or "name(code)", under
    /// `parent` when given.
    pub fn find(&self, level: Option<&str>, name: &str, parent: Option<i64>) -> Found {
        let (bare, code) = name_and_code(name);
        let key = canonical(&bare);
        let mut hits: Vec<usize> = Vec::new();
        match level {
            Some(level) => {
                if let Some(found) = self.by_name.get(&(level.to_string(), key.clone())) {
                    hits.extend(found);
                }
            }
            None => {
                for l in PLACE_LEVELS {
                    if let Some(found) = self.by_name.get(&(l.to_string(), key.clone())) {
                        hits.extend(found);
                    }
                }
            }
        }
        if let Some(code) = &code {
            if let Some(found) = self.by_code.get(code) {
                hits.extend(
                    found
                        .iter()
                        .filter(|i| level.is_none_or(|l| self.places[**i].level == l)),
                );
            }
        }
        hits.sort_unstable();
        hits.dedup();
        let ids: Vec<i64> = hits
            .into_iter()
            .map(|i| self.places[i].id)
            .filter(|id| parent.is_none_or(|p| self.is_under(*id, p) && *id != p))
            .collect();
        match ids.as_slice() {
            [] => Found::None,
            [one] => Found::One(*one),
            _ => Found::Many(ids),
        }
    }

    /// The place of the ledger nearest to a name it does not have, at the same level: one
    /// character off (石桥材 → 石桥村), or the same sound (石乔村 → 石桥村).
    pub fn suggest(&self, level: &str, name: &str) -> Option<&Place> {
        let key = canonical(name);
        let sound = crate::initials::name_pinyin(&key);
        let key_chars: Vec<char> = key.chars().collect();
        self.places
            .iter()
            .filter(|p| p.level == level)
            .map(|p| {
                let theirs: Vec<char> = canonical(&p.name).chars().collect();
                let distance = edit_distance(&key_chars, &theirs);
                let same_sound =
                    !sound.is_empty() && crate::initials::name_pinyin(&p.name) == sound;
                (p, if same_sound { 0 } else { distance })
            })
            .filter(|(_, d)| *d <= 1 && key_chars.len() >= 2)
            .min_by_key(|(p, d)| (*d, p.id))
            .map(|(p, _)| p)
    }
}

/// Levenshtein distance between two names, by character.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_places_keep_their_numbers() {
        assert_eq!(canonical("第1网格"), canonical("第一网格"));
        assert_eq!(canonical("第１网格"), canonical("第01网格"));
        assert_ne!(canonical("第1网格"), canonical("第11网格"));
        assert_ne!(canonical("第1网格"), canonical("第2网格"));
        assert_eq!(canonical("第十二网格"), "12网格");
        assert_eq!(canonical("二十一组"), "21组");
        assert_eq!(canonical("第三村民小组"), canonical("3组"));
        assert_eq!(canonical("一组"), canonical("1组"));
        assert_eq!(canonical("石桥村村民委员会"), canonical("石桥村"));
        assert_eq!(canonical("一百零五组"), "105组");
    }

    #[test]
    fn a_whole_path_in_one_cell_is_cut_into_levels() {
        let levels = |text: &str| {
            split_path(text)
                .into_iter()
                .map(|(l, n)| format!("{}:{n}", l.unwrap_or("?")))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            levels("居仁街道北羊村第1网格"),
            ["乡镇:居仁街道", "村:北羊村", "网格:第1网格"]
        );
        assert_eq!(levels("青山镇石桥村"), ["乡镇:青山镇", "村:石桥村"]);
        assert_eq!(levels("石桥村/第一网格"), ["村:石桥村", "网格:第一网格"]);
        assert_eq!(levels("第3网格"), ["网格:第3网格"]);
        assert_eq!(levels("新镇村"), ["村:新镇村"]);
        assert_eq!(levels("石桥村村委会"), ["村:石桥村村委会"]);
        assert_eq!(levels("北羊村三组"), ["村:北羊村", "联户组:三组"]);
    }

    #[test]
    fn codes_are_read_only_where_they_stand_alone() {
        assert_eq!(name_and_code("第1网格"), ("第1网格".into(), None));
        assert_eq!(
            name_and_code("石桥村(330110001001)"),
            ("石桥村".into(), Some("330110001001".into()))
        );
        assert_eq!(
            name_and_code("330110001"),
            ("330110001".into(), Some("330110001".into()))
        );
    }

    fn place(id: i64, parent: Option<i64>, level: &str, name: &str) -> Place {
        Place {
            id,
            parent_id: parent,
            level: level.into(),
            name: name.into(),
            code: None,
            leader_name: None,
            leader_phone: None,
            path: name.into(),
        }
    }

    #[test]
    fn the_book_finds_a_place_by_any_spelling_and_suggests_near_ones() {
        let book = PlaceBook::new(vec![
            place(1, None, "村", "石桥村"),
            place(2, Some(1), "网格", "第1网格"),
            place(3, Some(1), "网格", "第2网格"),
            place(4, Some(1), "网格", "第11网格"),
            place(5, None, "村", "北羊村"),
            place(6, Some(5), "网格", "第一网格"),
        ]);
        assert_eq!(book.find(Some("网格"), "第一网格", Some(1)), Found::One(2));
        assert_eq!(book.find(Some("网格"), "第11网格", Some(1)), Found::One(4));
        assert_eq!(
            book.find(Some("网格"), "第1网格", None),
            Found::Many(vec![2, 6])
        );
        assert_eq!(book.find(Some("网格"), "第3网格", Some(1)), Found::None);
        assert_eq!(book.suggest("村", "石桥材").map(|p| p.id), Some(1));
        assert_eq!(book.suggest("村", "石乔村").map(|p| p.id), Some(1));
        assert_eq!(book.suggest("村", "东山村"), None);
        assert_eq!(book.ancestor_at(6, "村"), Some(5));
    }
}
