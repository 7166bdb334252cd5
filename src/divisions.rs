//! Names of county-level division codes (GB/T 2260), for 户籍地 and 出发地. The data is the
//! MIT-licensed mumuy/data_location set in `data/divisions/`, embedded at compile time. Codes
//! inside old ID numbers may name counties that no longer exist (440524 潮阳县, now 440513):
//! they are found in the history list and followed to today's code, never rejected.

use std::collections::HashMap;
use std::sync::OnceLock;

struct Tables {
    current: HashMap<String, String>,
    history: HashMap<String, String>,
    successors: HashMap<String, Vec<String>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        current: serde_json::from_str(include_str!("../data/divisions/list.json"))
            .expect("list.json is valid"),
        history: serde_json::from_str(include_str!("../data/divisions/history.json"))
            .expect("history.json is valid"),
        successors: serde_json::from_str(include_str!("../data/divisions/diff.json"))
            .expect("diff.json is valid"),
    })
}

fn full_name(code: &str, names: &HashMap<String, String>) -> Option<String> {
    let county = names.get(code)?;
    let province = names.get(&format!("{}0000", &code[..2]));
    let city = names.get(&format!("{}00", &code[..4]));
    let mut parts: Vec<&str> = Vec::new();
    for part in [province, city].into_iter().flatten() {
        if part != county && !parts.contains(&part.as_str()) {
            parts.push(part);
        }
    }
    parts.push(county);
    Some(parts.concat())
}

/// Names a 6-digit division code: 110105 → "北京市朝阳区"; an abolished code is named with
/// today's successor: 440524 → "广东省汕头市潮阳县（今 广东省汕头市潮阳区）". None when unknown.
pub fn describe(code: &str) -> Option<String> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = tables();
    if t.current.contains_key(code) {
        return full_name(code, &t.current);
    }
    let old = full_name(code, &t.history)?;
    let now: Vec<String> = t
        .successors
        .get(code)
        .into_iter()
        .flatten()
        .filter_map(|c| full_name(c, &t.current))
        .collect();
    if now.is_empty() {
        Some(format!("{old}（已撤销）"))
    } else {
        Some(format!("{old}（今 {}）", now.join("、")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_abolished_codes_are_named() {
        assert_eq!(describe("110105").as_deref(), Some("北京市朝阳区"));
        let chaoyang = describe("440524").unwrap();
        assert!(chaoyang.starts_with("广东省汕头市潮阳县"), "{chaoyang}");
        assert!(chaoyang.contains("今 广东省汕头市潮阳区"), "{chaoyang}");
        assert_eq!(describe("999999"), None);
        assert_eq!(describe("11010"), None);
    }
}
