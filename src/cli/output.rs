//! How the CLI prints: one JSON document with `--json`, readable Chinese text otherwise.

use gridledger::model::{HouseholdDetail, HouseholdSummary, Person, PersonProfile};
use gridledger::store::{
    AwaitingIsolation, DueTest, Ending, HandOff, LedgerSummary, NewArrival, PersonHit, TodayList,
    Watched, Who,
};
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `describe` makes.
    pub fn show<T: Serialize>(&self, value: &T, describe: impl FnOnce() -> String) {
        let text = if self.json {
            serde_json::to_string_pretty(value)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        } else {
            describe()
        };
        print_line(&text);
    }
}

/// Prints a line on stdout. When the reader has gone (`gridledger … | head`), the command
/// stops quietly instead of panicking: what it had to do is done.
pub fn print_line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Prints a line on stderr, ignoring a closed stderr.
pub fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
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
    lines.extend(d.read_only.clone());
    lines.join("\n")
}

pub fn profile_text(p: &PersonProfile) -> String {
    let person = &p.person;
    let mut lines = vec![person_line(person)];
    lines.extend(p.read_only.clone());
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

/// A progress line on a terminal (stderr), redrawn in place; silent when not a terminal.
pub struct Progress {
    shown: bool,
    last: usize,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            shown: enabled && std::io::stderr().is_terminal(),
            last: usize::MAX,
        }
    }

    pub fn show(&mut self, done: usize, total: usize) {
        if !self.shown || total == 0 {
            return;
        }
        let percent = done * 100 / total;
        if percent == self.last {
            return;
        }
        self.last = percent;
        let filled = percent / 4;
        use std::io::Write;
        let _ = write!(
            std::io::stderr().lock(),
            "\r导入中 [{}{}] {percent:>3}%  {done}/{total} 行",
            "#".repeat(filled),
            " ".repeat(25 - filled.min(25))
        );
    }

    pub fn finish(&self) {
        if self.shown && self.last != usize::MAX {
            say("");
        }
    }
}

pub fn import_text(r: &gridledger::import::ImportReport) -> String {
    let mut lines = vec![format!(
        "{}《{}》工作表“{}”，按{}：新增 {}，更新 {}，未变 {}，待核对 {}，人员已登记但记录未写入 {} 行，未导入 {} 行，跳过 {} 行（标题、说明、空行、合计、落款，见下）",
        if r.dry_run { "预览（未写入）" } else { "已导入" },
        r.file,
        r.sheet,
        r.target_label,
        r.inserted,
        r.updated,
        r.unchanged,
        r.review,
        r.partial_rows,
        r.rejected_rows,
        r.skipped_rows
    )];
    for n in &r.notices {
        lines.push(format!("注意：{}", n.message));
    }
    if !r.other_sheets.is_empty() {
        let named: Vec<String> = r
            .other_sheets
            .iter()
            .map(|o| {
                let mut about = vec![o.target_label.clone().unwrap_or_else(|| "类型待定".into())];
                about.push(format!("约 {} 行", o.rows));
                if o.same_header {
                    about.push("表头相同".into());
                }
                format!("“{}”（{}）", o.name, about.join("，"))
            })
            .collect();
        lines.push(format!(
            "注意：工作簿中另有 {} 张带表头的工作表没有导入：{}。用 --sheet 表名 单独导入，或 --sheet all 一起导入",
            named.len(),
            named.join("、")
        ));
    }
    if !r.unknown_places.is_empty() {
        lines.push(format!(
            "台账中没有这些地点（{} 处，共 {} 行未导入）：先在户籍登记中建立，或加 --create-places（全部）/ --create-place 路径（逐个）让导入新建",
            r.unknown_places.len(),
            r.unknown_places.iter().map(|u| u.rows).sum::<usize>()
        ));
        for u in r.unknown_places.iter().take(50) {
            lines.push(format!(
                "  {}（{}，{} 行）{}",
                u.path,
                u.level,
                u.rows,
                u.suggestion
                    .as_ref()
                    .map(|s| format!("  是否为 {s}？"))
                    .unwrap_or_default()
            ));
        }
        if r.unknown_places.len() > 50 {
            lines.push(format!("  ……另有 {} 处", r.unknown_places.len() - 50));
        }
    }
    if !r.places_created.is_empty() {
        lines.push(format!(
            "{}地点 {} 处：",
            if r.dry_run { "将新建" } else { "新建" },
            r.places_created.len()
        ));
        for c in r.places_created.iter().take(50) {
            lines.push(format!("  {}（{}，{} 行）", c.path, c.level, c.rows));
        }
        if r.places_created.len() > 50 {
            lines.push(format!("  ……另有 {} 处", r.places_created.len() - 50));
        }
    }
    for h in r.households.iter().take(20) {
        lines.push(format!(
            "  户 {}{}（{}）：{} → {}",
            h.label,
            if h.new_household { "（新户）" } else { "" },
            h.place,
            if h.before.is_empty() {
                "—".to_string()
            } else {
                h.before.join("、")
            },
            h.after.join("、")
        ));
    }
    if let Some(file) = &r.problems_file {
        lines.push(format!("问题清单：{file}"));
    }
    let mapped: Vec<String> = r
        .columns
        .iter()
        .map(|c| {
            format!(
                "{}→{}",
                c.header,
                c.field_label.as_deref().unwrap_or("（不导入）")
            )
        })
        .collect();
    lines.push(format!("列：{}", mapped.join("，")));
    for c in r.columns.iter().filter(|c| c.field.is_none()) {
        if let Some(note) = &c.note {
            lines.push(format!("  未导入的列“{}”：{note}", c.header));
        }
    }
    for s in r.skipped.iter().take(100) {
        lines.push(format!("  跳过第 {} 行（{}）：{}", s.row, s.label, s.text));
    }
    if r.skipped.len() > 100 {
        lines.push(format!(
            "  ……另有 {} 行跳过，见 --json",
            r.skipped.len() - 100
        ));
    }
    for p in &r.problems {
        lines.push(format!(
            "  第 {} 行 {}“{}”：{}{}",
            p.row,
            p.column,
            p.value,
            p.message,
            if p.warning {
                "（提醒，已导入）"
            } else {
                "（未导入）"
            }
        ));
    }
    if r.review > 0 {
        lines.push(
            "有待核对的人：用 gridledger review list 查看，review merge/new/ignore 处理".into(),
        );
    }
    lines.join("\n")
}

pub fn reviews_text(items: &[gridledger::store::ReviewItem]) -> String {
    if items.is_empty() {
        return "没有待核对的人。".into();
    }
    items
        .iter()
        .map(|i| {
            format!(
                "{:>5}  {} 第 {} 行：{} —— 台账中的 {}（{}，{}）。{}",
                i.id,
                i.source_file.as_deref().unwrap_or(""),
                i.row_number,
                i.incoming,
                i.candidate_name,
                i.candidate_id_number.as_deref().unwrap_or("无证件号"),
                i.candidate_birth_date.as_deref().unwrap_or("生日不详"),
                i.reason
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn ledger_check_text(c: &gridledger::store::LedgerCheck) -> String {
    if c.is_clean() {
        return "账本完好，所有记录都符合规则。".into();
    }
    let mut lines = Vec::new();
    for d in &c.damage {
        lines.push(format!("损坏：{d}"));
    }
    for p in &c.problems {
        let values: Vec<String> = p
            .values
            .iter()
            .map(|(field, value, why)| {
                if field.is_empty() {
                    why.clone()
                } else {
                    format!("{field}“{value}”{why}")
                }
            })
            .collect();
        lines.push(format!("{} {}：{}", p.what, p.id, values.join("；")));
    }
    lines.join("\n")
}

/// `check forms` as text: a line per form with how many of its numbers agree with the
/// ledger, then each that does not.
pub fn forms_check_text(c: &gridledger::report::FormsCheck) -> String {
    let value = |v: Option<f64>| {
        v.map(|n| format!("{n:.0}"))
            .unwrap_or_else(|| "（表中没有这一行）".into())
    };
    let range = match c.from {
        Some(from) => format!("{from} 至 {}", c.day),
        None => format!("{}", c.day),
    };
    let mut lines = vec![format!(
        "{range} 各报表与台账核对（累计自 {} 起）{}：{} 张表，{} 个数",
        c.epoch,
        c.village
            .as_deref()
            .map(|v| format!("，{v}"))
            .unwrap_or_default(),
        c.forms,
        c.pairs.len()
    )];
    let mut forms: Vec<&str> = Vec::new();
    for p in &c.pairs {
        if !forms.contains(&p.left.form.as_str()) {
            forms.push(&p.left.form);
        }
    }
    for form in forms {
        let of: Vec<_> = c.pairs.iter().filter(|p| p.left.form == form).collect();
        let wrong: Vec<_> = of.iter().filter(|p| !p.agree).collect();
        lines.push(if wrong.is_empty() {
            format!("  《{form}》{} 个数全部一致", of.len())
        } else {
            format!("  《{form}》{} 个数中 {} 个不一致：", of.len(), wrong.len())
        });
        for p in wrong {
            lines.push(format!(
                "    {}：表中 {}，台账 {}",
                p.what,
                value(p.left.value),
                value(p.right.value)
            ));
        }
    }
    lines.join("\n")
}

/// 今日 as text: a section per kind of work, each with its count and a line per item.
pub fn today_text(t: &TodayList) -> String {
    let mut lines = vec![format!("{} 今日待办（在管 {} 人）", t.day, t.watched)];
    let mut section = |title: &str, items: Vec<String>| {
        lines.push(format!(
            "{title}：{}",
            if items.is_empty() {
                "无".to_string()
            } else {
                items.len().to_string()
            }
        ));
        for i in items {
            lines.push(format!("  {i}"));
        }
    };
    // The urgent first: a fever, a traveller handed over, a contact not yet isolated.
    section("发热或有症状", t.fevers.iter().map(fever_line).collect());
    section(
        "卡口移交未处理",
        t.hand_offs.iter().map(hand_off_line).collect(),
    );
    section(
        "密接/次密接未隔离",
        t.awaiting_isolation.iter().map(awaiting_line).collect(),
    );
    section(
        "体温未测",
        t.readings_missing
            .iter()
            .map(missing_reading_line)
            .collect(),
    );
    section(
        "今日到期或逾期未解除",
        t.ending.iter().map(ending_line).collect(),
    );
    section("今日待采样", t.tests_due.iter().map(test_line).collect());
    section(
        "结果未出",
        t.results_pending.iter().map(test_line).collect(),
    );
    section(
        "近 3 天来返未走访",
        t.unvisited_arrivals.iter().map(arrival_line).collect(),
    );
    lines.push(match &t.daily_report {
        Some(r) if r.stale => format!(
            "今日日报已导出：{}（{}），但此后台账有变动，表中数字已不符，请重新导出",
            r.path, r.at
        ),
        Some(r) => format!("今日日报已导出：{}（{}）", r.path, r.at),
        None => "今日日报尚未导出".into(),
    });
    lines.join("\n")
}

fn awaiting_line(a: &AwaitingIsolation) -> String {
    format!(
        "{} {}（病例 {}{}）",
        who_text(&a.who),
        a.level,
        a.case_name,
        a.found_date
            .as_deref()
            .map(|d| format!("，{d} 判定"))
            .unwrap_or_default()
    )
}

/// Who a line of 今日 is about: the name, then the grid (or village) and the door.
fn who_text(w: &Who) -> String {
    format!(
        "{}（{}{}）",
        w.name,
        w.grid
            .as_deref()
            .or(w.village.as_deref())
            .unwrap_or("未分网格"),
        w.household
            .as_deref()
            .map(|h| format!(" {h}"))
            .unwrap_or_default()
    )
}

/// Someone under watch with a reading missing, and which (上午, 下午).
fn missing_reading_line(w: &Watched) -> String {
    let missing: Vec<&str> = [
        (w.am_temperature.is_none(), "上午"),
        (w.pm_temperature.is_none(), "下午"),
    ]
    .into_iter()
    .filter_map(|(m, s)| m.then_some(s))
    .collect();
    format!("{} 缺{}", who_text(&w.who), missing.join("、"))
}

/// Someone with a fever or a symptom today: both readings and the symptoms.
fn fever_line(w: &Watched) -> String {
    format!(
        "{} 上午{} 下午{} {}",
        who_text(&w.who),
        w.am_temperature
            .map(|t| format!("{t}℃"))
            .unwrap_or_else(|| "—".into()),
        w.pm_temperature
            .map(|t| format!("{t}℃"))
            .unwrap_or_else(|| "—".into()),
        w.symptoms.join("、")
    )
}

/// A period ending today, or overdue by how many days.
fn ending_line(e: &Ending) -> String {
    format!(
        "{} {} 编号{} 计划 {} 解除{}",
        who_text(&e.who),
        e.kind,
        e.isolation_id,
        e.planned_end_date,
        if e.overdue_days > 0 {
            format!("，已逾期 {} 天", e.overdue_days)
        } else {
            String::new()
        }
    )
}

/// A test due to be sampled, or sampled with its result not out.
fn test_line(x: &DueTest) -> String {
    format!("{} {} {}", who_text(&x.who), x.kind, x.sample_date)
}

/// An arrival not yet visited, with where they came from.
fn arrival_line(a: &NewArrival) -> String {
    format!(
        "{} {} {}{}",
        who_text(&a.who),
        a.kind,
        a.arrival_date,
        a.origin
            .as_deref()
            .map(|o| format!(" 自{o}"))
            .unwrap_or_default()
    )
}

/// A checkpoint's hand-off: the check, the driver and passengers with their temperatures,
/// and the village they were handed to.
fn hand_off_line(h: &HandOff) -> String {
    let temperature = |t: Option<f64>| t.map(|t| format!(" {t:.1}℃")).unwrap_or_default();
    format!(
        "{}编号{} {} {} {}{}{}{} → {}",
        if h.fever { "【发热】" } else { "" },
        h.check_id,
        h.checkpoint,
        h.checked_at,
        h.name,
        temperature(h.temperature),
        h.plate
            .as_deref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default(),
        if h.passengers.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = h
                .passengers
                .iter()
                .map(|p| format!("{}{}", p.name, temperature(p.temperature)))
                .collect();
            format!(" 随车 {}", names.join("、"))
        },
        h.village
    )
}

/// What a row of the audit trail changed, in a line: for a change the fields that differ,
/// old → new; for an insert or a delete the fields it held.
pub fn audit_values(row: &gridledger::store::audit::AuditRow) -> String {
    if row.purged.is_some() {
        return "  （内容已随清理删除）".into();
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "（空）".into());
    let changed: Vec<String> = row
        .changes
        .iter()
        .map(|c| match (row.old.is_some(), row.new.is_some()) {
            (true, true) => format!("{}：{} → {}", c.label, text(&c.before), text(&c.after)),
            (false, _) => format!("{}：{}", c.label, text(&c.after)),
            (_, false) => format!("{}：{}", c.label, text(&c.before)),
        })
        .collect();
    if changed.is_empty() {
        String::new()
    } else {
        format!("  {}", changed.join("；"))
    }
}
