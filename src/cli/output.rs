//! How the CLI prints: one JSON document with `--json`, readable Chinese text otherwise.

use gridledger::model::{HouseholdDetail, HouseholdSummary, Person, PersonProfile};
use gridledger::store::{LedgerSummary, PersonHit};
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `describe` makes.
    pub fn show<T: Serialize>(&self, value: &T, describe: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("ledger values serialise")
            );
        } else {
            println!("{}", describe());
        }
    }
}

fn or_dash(value: Option<&str>) -> &str {
    value.filter(|v| !v.is_empty()).unwrap_or("—")
}

pub fn person_line(p: &Person) -> String {
    format!(
        "{} {} {} {} 证件 {} 手机 {}",
        p.id,
        p.name,
        or_dash(p.gender.as_deref()),
        or_dash(p.birth_date.as_deref()),
        or_dash(p.id_number.as_deref()),
        or_dash(p.phone.as_deref())
    )
}

pub fn hits_text(hits: &[PersonHit]) -> String {
    if hits.is_empty() {
        return "没有找到。可以试试姓名的一部分、拼音首字母（如 zs）、身份证号末四位或手机号。"
            .into();
    }
    hits.iter()
        .map(|h| {
            format!(
                "{:>6}  {}  {}  {}  {}  {}  {}（按{}）",
                h.id,
                h.name,
                or_dash(h.gender.as_deref()),
                or_dash(h.birth_date.as_deref()),
                or_dash(h.id_number.as_deref()),
                or_dash(h.phone.as_deref()),
                or_dash(h.household_label.as_deref()),
                h.matched_by
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn households_text(list: &[HouseholdSummary]) -> String {
    if list.is_empty() {
        return "没有登记的户。".into();
    }
    list.iter()
        .map(|h| {
            format!(
                "{:>6}  {}  户主 {}  {} 人  {}  {}",
                h.id,
                h.label(),
                or_dash(h.head_name.as_deref()),
                h.member_count,
                h.housing_use,
                h.place_path
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn household_text(d: &HouseholdDetail) -> String {
    let mut lines = vec![format!(
        "户 {}：{}（{}），{}",
        d.household.id,
        d.household.label(),
        d.household.place_path,
        d.household.housing_use
    )];
    lines.extend(d.members.iter().map(|m| {
        format!(
            "  {} {}",
            or_dash(m.relation_to_head.as_deref()),
            person_line(m)
        )
    }));
    lines.join("\n")
}

pub fn profile_text(p: &PersonProfile) -> String {
    let person = &p.person;
    let mut lines = vec![person_line(person)];
    if let Some(age) = p.age {
        lines.push(format!("年龄：{age} 岁"));
    }
    if let Some(place) = &p.hukou_place {
        lines.push(format!("户籍地：{place}"));
    }
    if let Some(h) = &p.household {
        lines.push(format!(
            "所在户：{}（{}），户主 {}",
            h.label(),
            h.place_path,
            or_dash(h.head_name.as_deref())
        ));
    }
    if !person.tags.is_empty() {
        lines.push(format!("标签：{}", person.tags.join("、")));
    }
    for a in &p.arrivals {
        lines.push(format!(
            "{}：{} 自 {}（{}）",
            a.kind,
            a.arrival_date,
            or_dash(a.origin_address.as_deref()),
            a.status
        ));
    }
    for i in &p.isolations {
        lines.push(format!(
            "{}：{} 至 {}{}",
            i.kind,
            i.start_date,
            i.planned_end_date,
            if i.released_date.is_some() {
                "，已解除"
            } else {
                "，在管"
            }
        ));
    }
    if !p.health_checks.is_empty() {
        lines.push(format!("健康监测：{} 条", p.health_checks.len()));
    }
    for c in &p.cases {
        lines.push(format!("病例：{} {}", c.kind, c.reported_date));
    }
    for l in &p.exposed_by {
        lines.push(format!(
            "{}：接触 {}（关联病例 {}）",
            l.contact.level, l.source_name, l.case_person_name
        ));
    }
    for l in &p.exposed {
        lines.push(format!("其{}：{}", l.contact.level, l.contact_name));
    }
    for v in &p.vaccinations {
        lines.push(format!(
            "疫苗第{}针：{}",
            v.dose,
            or_dash(v.vaccine_date.as_deref())
        ));
    }
    for s in &p.checkpoint_sightings {
        lines.push(format!(
            "卡口：{} {}（{}）{}",
            s.checkpoint_name, s.checked_at, s.role, s.disposal
        ));
    }
    lines.join("\n")
}

pub fn summary_text(s: &LedgerSummary) -> String {
    format!(
        "户 {}，人 {}；近 14 天来返 {} 人次；在管隔离/监测 {}；今日异常 {}；病例 {}，密接/次密接 {}；今日卡口检查 {} 次",
        s.households, s.persons, s.arrivals_14_days, s.under_watch, s.abnormal_today, s.cases, s.contacts, s.checkpoint_checks_today
    )
}
