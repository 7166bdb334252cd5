//! Reading one cell as a field's value, through the core's validators: names and text
//! folded (NFKC, every kind of space), dates in every form of FORMS.md §6 (date cells, Excel
//! serials, 2020.1.23, 2020年1月23日, 20200123, 1月23日), IDs checked and never "repaired" when
//! Excel truncated them, phones, plates, temperatures, 是/否 and 0/1 with a legend, and value
//! synonyms (低龄 → 未成年).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::fields::ValueKind;
use super::read::RawCell;
use crate::validate::{self, normalize_key, normalize_name, normalize_text};

/// A field value after reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Number(f64),
    Bool(bool),
}

impl Value {
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Date(d) => d.to_string(),
            Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Value::Number(n) => format!("{n:.1}"),
            Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        }
    }
}

/// Why a cell could not be read, with a stable code.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub code: String,
    pub message: String,
    /// A warning keeps the value; an error drops the row.
    pub warning: bool,
}

fn error(code: &str, message: impl Into<String>) -> CellProblem {
    CellProblem {
        code: code.into(),
        message: message.into(),
        warning: false,
    }
}

fn warning(code: &str, message: impl Into<String>) -> CellProblem {
    CellProblem {
        code: code.into(),
        message: message.into(),
        warning: true,
    }
}

/// What reading needs to know besides the cell.
pub struct Context<'a> {
    pub today: NaiveDate,
    /// The year for dates written without one (1月23日).
    pub default_year: i32,
    /// The column's header text, which may carry a 0/1 legend ("是否发热(1=是,0=否)").
    pub header: &'a str,
}

/// Value synonyms seen on real sheets, by target value.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("未成年", &["低龄", "未满18岁", "儿童"]),
    ("哺乳期", &["哺乳"]),
    ("因病", &["疾病", "禁忌症", "身体原因"]),
    ("高龄", &["年龄大", "老年"]),
    ("居家隔离医学观察", &["居家隔离", "居家医学观察"]),
    ("集中隔离", &["集中隔离医学观察", "集中"]),
    ("居家健康监测", &["健康监测", "居家监测"]),
    ("阴性", &["阴", "-"]),
    ("阳性", &["阳", "+"]),
    ("未出", &["待出", "未出结果", "检测中"]),
    ("高铁/火车", &["高铁", "火车", "动车", "铁路"]),
    (
        "大巴车/长途客车",
        &["大巴", "大巴车", "长途客车", "客车", "汽车"],
    ),
    ("自驾车", &["自驾", "私家车"]),
    ("飞机", &["航班", "民航"]),
    ("网约车", &["出租车", "滴滴"]),
    ("已返", &["已返乡", "已到达", "已回"]),
    ("将返", &["拟返乡", "未返", "计划返乡"]),
    ("移交村(社区)", &["移交村", "移交社区", "移交", "转交村"]),
    ("劝返", &["劝离"]),
    ("放行", &["通行", "正常通行"]),
    ("密接", &["密切接触者", "密接者"]),
    ("次密接", &["次密切接触者", "密接的密接"]),
    ("本地", &["本县", "本镇", "本村"]),
    ("异地", &["外地"]),
    ("户主", &["本人"]),
    ("子女", &["儿子", "女儿", "子", "女"]),
    ("配偶", &["妻子", "丈夫", "妻", "夫"]),
    ("父母", &["父亲", "母亲", "父", "母"]),
    ("高", &["高风险"]),
    ("中", &["中风险"]),
    ("低", &["低风险"]),
    ("私家车", &["小轿车", "轿车"]),
    ("绿码", &["绿"]),
    ("黄码", &["黄"]),
    ("红码", &["红"]),
];

/// Reads a cell as a field of `kind`. `Ok(None)` for an empty cell.
pub fn read(
    cell: &RawCell,
    kind: ValueKind,
    cx: &Context,
) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    if cell.is_empty() {
        return Ok((None, None));
    }
    let text = cell.text();
    let ok = |v: Value| Ok((Some(v), None));
    match kind {
        ValueKind::Text => ok(Value::Text(normalize_text(&text))),
        ValueKind::Name => ok(Value::Text(normalize_name(&text))),
        ValueKind::IdNumber => id_number(cell, cx),
        ValueKind::Phone => {
            let text = match cell {
                RawCell::Number(n) => format!("{n:.0}"),
                _ => text,
            };
            match validate::parse_phone(&text) {
                Ok(p) => Ok((
                    Some(Value::Text(p.number)),
                    p.warning.map(|w| warning("phone_prefix", w)),
                )),
                Err(e) => Err(error(e.code(), e.to_string())),
            }
        }
        ValueKind::Date => date(cell, cx).map(|(d, w)| (Some(Value::Date(d)), w)),
        ValueKind::DateTime => match cell {
            RawCell::DateTime(t) => ok(Value::DateTime(*t)),
            _ => {
                // "2026-11-22 09:30", or a date alone (time unknown: 00:00).
                let t = normalize_text(&text);
                let (day, time) = t.split_once(' ').unwrap_or((&t, ""));
                let (d, w) = date(&RawCell::Text(day.to_string()), cx)?;
                let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
                    .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
                    .unwrap_or(chrono::NaiveTime::MIN);
                Ok((Some(Value::DateTime(d.and_time(time))), w))
            }
        },
        ValueKind::Gender => match validate::Gender::parse(&text) {
            Some(g) => ok(Value::Text(g.as_str().into())),
            None => Err(error(
                "gender_unknown",
                format!("性别“{}”无法识别，应为 男 或 女", text.trim()),
            )),
        },
        ValueKind::Temperature => {
            let t = match cell {
                RawCell::Number(n) => validate::check_temperature(*n),
                _ => validate::parse_temperature(&text),
            };
            t.map(|t| (Some(Value::Number(t.celsius)), None))
                .map_err(|e| error(e.code(), e.to_string()))
        }
        ValueKind::Plate => match validate::parse_plate(&text) {
            Ok(p) => Ok((
                Some(Value::Text(p.number)),
                p.warning.map(|w| warning("plate_unusual", w)),
            )),
            Err(e) => Err(error(e.code(), e.to_string())),
        },
        ValueKind::Integer => integer(&text),
        ValueKind::YesNo => yes_no(cell, cx.header),
        ValueKind::Choice(list) => choice(&text, list),
        ValueKind::Symptoms => ok(Value::Text(normalize_text(&text))),
    }
}

/// A resident ID typed into a General cell becomes a number: Excel keeps 15 significant
/// digits, so an 18-digit ID has lost its last digits for good. Flag it; never "repair" it
/// (the check digit can pass by chance).
fn id_number(
    cell: &RawCell,
    cx: &Context,
) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let truncated = || {
        error(
            "id_truncated",
            "身份证号被 Excel 截断（存成了数字，末几位已丢失），无法还原，请重新采集该人的身份证号",
        )
    };
    let text = match cell {
        RawCell::Number(n) => {
            let digits = format!("{n:.0}");
            if digits.len() >= 16 {
                return Err(truncated());
            }
            digits
        }
        other => other.text(),
    };
    let key = normalize_key(&text).to_uppercase();
    if key.contains("E+") {
        return Err(truncated());
    }
    match validate::parse_resident_id(&key, cx.today) {
        Ok(id) => Ok((Some(Value::Text(id.number)), None)),
        // Other documents (passports …) are kept as typed; the row's id_type decides later.
        Err(e) if key.chars().any(|c| c.is_ascii_alphabetic() && c != 'X') => {
            let _ = e;
            Ok((Some(Value::Text(key)), None))
        }
        Err(e) => Err(error(e.code(), e.to_string())),
    }
}

/// Excel's day 0 in the 1900 system (with its 1900-02-29 bug folded in).
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d + Duration::days(n.trunc() as i64))
}

fn date(cell: &RawCell, cx: &Context) -> Result<(NaiveDate, Option<CellProblem>), CellProblem> {
    match cell {
        RawCell::Date(d) => Ok((*d, None)),
        RawCell::DateTime(t) => Ok((t.date(), None)),
        // 20200123 typed as a number, or an Excel serial in a General cell.
        RawCell::Number(n) if (19_000_101.0..=21_001_231.0).contains(n) => {
            date(&RawCell::Text(format!("{n:.0}")), cx)
        }
        RawCell::Number(n) if (20_000.0..=80_000.0).contains(n) => excel_serial(*n)
            .map(|d| (d, None))
            .ok_or_else(|| error("date_unrecognised", "日期数字无法识别")),
        _ => match validate::parse_date(&cell.text(), cx.default_year) {
            Ok(parsed) if parsed.year_assumed => Ok((
                parsed.date,
                Some(warning(
                    "date_year_assumed",
                    format!(
                        "“{}”没有写年份，按 {} 年计",
                        cell.text().trim(),
                        parsed.date.year()
                    ),
                )),
            )),
            Ok(parsed) => Ok((parsed.date, None)),
            Err(e) => Err(error(e.code(), e.to_string())),
        },
    }
}

fn integer(text: &str) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_key(text);
    if key.contains("加强") {
        return Ok((Some(Value::Number(3.0)), None));
    }
    let chinese = [('一', 1.0), ('二', 2.0), ('三', 3.0), ('四', 4.0)];
    if let Some((_, n)) = chinese.iter().find(|(c, _)| key.contains(*c)) {
        return Ok((Some(Value::Number(*n)), None));
    }
    let digits: String = key
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits
        .parse::<f64>()
        .map(|n| (Some(Value::Number(n.trunc())), None))
        .map_err(|_| error("not_a_number", format!("“{}”不是数字", text.trim())))
}

/// 是/否 and friends. A bare 0/1 means nothing without a legend: some sheets code 0 = 是.
fn yes_no(
    cell: &RawCell,
    header: &str,
) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_key(&cell.text());
    let yes = ["是", "√", "✓", "有", "Y", "y", "YES", "yes", "对"];
    let no = ["否", "×", "✗", "无", "N", "n", "NO", "no", "没有", "不是"];
    if yes.contains(&key.as_str()) {
        return Ok((Some(Value::Bool(true)), None));
    }
    if no.contains(&key.as_str()) {
        return Ok((Some(Value::Bool(false)), None));
    }
    if key == "0" || key == "1" {
        return match legend(header) {
            Some((one_is_yes, _)) => Ok((Some(Value::Bool((key == "1") == one_is_yes)), None)),
            None => Err(error("yes_no_without_legend", format!("“{key}”没有图例，无法判断是“是”还是“否”：请在表头注明（如 1=是 0=否）或改填 是/否"))),
        };
    }
    Err(error(
        "yes_no_unknown",
        format!("“{}”应为 是 或 否", cell.text().trim()),
    ))
}

/// Reads a legend such as "(1=是,0=否)", "（0是 1否）" from a header: (1 means yes, found).
fn legend(header: &str) -> Option<(bool, bool)> {
    let key = normalize_key(header);
    for (i, c) in key.char_indices() {
        if c == '1' || c == '0' {
            let rest: String = key[i + 1..]
                .chars()
                .skip_while(|c| matches!(c, '=' | '-' | ':' | '：' | '为'))
                .take(1)
                .collect();
            match (c, rest.as_str()) {
                ('1', "是") | ('0', "否") => return Some((true, true)),
                ('1', "否") | ('0', "是") => return Some((false, true)),
                _ => {}
            }
        }
    }
    None
}

fn choice(text: &str, list: &[&str]) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_text(text)
        .replace(['（', '）'], "()")
        .replace('（', "(")
        .replace('）', ")");
    let key = key.trim().to_string();
    if let Some(v) = list.iter().find(|v| **v == key) {
        return Ok((Some(Value::Text(v.to_string())), None));
    }
    for (target, words) in SYNONYMS {
        if list.contains(target) && words.contains(&key.as_str()) {
            return Ok((Some(Value::Text(target.to_string())), None));
        }
    }
    // A value that contains exactly one list entry ("居家隔离医学观察(14天)").
    let containing: Vec<&&str> = list.iter().filter(|v| key.contains(**v)).collect();
    if containing.len() == 1 {
        return Ok((Some(Value::Text(containing[0].to_string())), None));
    }
    Err(error(
        "not_in_list",
        format!("“{key}”不是可选值：{}", list.join("、")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        Context {
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            default_year: 2026,
            header: "",
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_in_every_form() {
        let d = |cell: RawCell| read(&cell, ValueKind::Date, &cx()).unwrap().0.unwrap();
        assert_eq!(
            d(RawCell::Number(43853.0)),
            ymd(2020, 1, 23),
            "an Excel serial"
        );
        assert_eq!(d(RawCell::Number(20200123.0)), ymd(2020, 1, 23));
        assert_eq!(
            d(RawCell::Date(NaiveDate::from_ymd_opt(2020, 1, 23).unwrap())),
            ymd(2020, 1, 23)
        );
        for text in ["2020.1.23", "2020年1月23日", "2020/01/23", "20200123"] {
            assert_eq!(d(RawCell::Text(text.into())), ymd(2020, 1, 23), "{text}");
        }
        let (value, problem) =
            read(&RawCell::Text("1月23日".into()), ValueKind::Date, &cx()).unwrap();
        assert_eq!(value.unwrap(), ymd(2026, 1, 23));
        assert!(problem.unwrap().warning);
        assert_eq!(
            read(&RawCell::Text("2021-02-30".into()), ValueKind::Date, &cx())
                .unwrap_err()
                .code,
            "date_impossible"
        );
    }

    #[test]
    fn ids_truncated_by_excel_are_flagged_never_repaired() {
        let problem = read(
            &RawCell::Number(440524188001010000.0),
            ValueKind::IdNumber,
            &cx(),
        )
        .unwrap_err();
        assert_eq!(problem.code, "id_truncated");
        assert_eq!(
            read(
                &RawCell::Text("4.40524E+17".into()),
                ValueKind::IdNumber,
                &cx()
            )
            .unwrap_err()
            .code,
            "id_truncated"
        );
        // A 15-digit old ID survives as a number and is upgraded.
        let (v, _) = read(
            &RawCell::Number(110105491231002.0),
            ValueKind::IdNumber,
            &cx(),
        )
        .unwrap();
        assert_eq!(v.unwrap(), Value::Text("11010519491231002X".into()));
        let (v, _) = read(
            &RawCell::Text("１１０１０５１９４９１２３１００２ｘ\u{3000}".into()),
            ValueKind::IdNumber,
            &cx(),
        )
        .unwrap();
        assert_eq!(v.unwrap(), Value::Text("11010519491231002X".into()));
        assert_eq!(
            read(
                &RawCell::Text("110101199003070830".into()),
                ValueKind::IdNumber,
                &cx()
            )
            .unwrap_err()
            .code,
            "id_check_digit"
        );
    }

    #[test]
    fn yes_no_needs_a_legend_for_zero_and_one() {
        let yn = |text: &str, header: &str| {
            let cx = Context { header, ..cx() };
            read(&RawCell::Text(text.into()), ValueKind::YesNo, &cx).map(|(v, _)| v.unwrap())
        };
        assert_eq!(yn("√", ""), Ok(Value::Bool(true)));
        assert_eq!(yn("否", ""), Ok(Value::Bool(false)));
        assert_eq!(yn("1", "是否中高风险(1=是,0=否)"), Ok(Value::Bool(true)));
        assert_eq!(
            yn("0", "是否中高风险（0是 1否）"),
            Ok(Value::Bool(true)),
            "a sheet that codes 0 = 是"
        );
        assert_eq!(
            yn("1", "是否中高风险").unwrap_err().code,
            "yes_no_without_legend"
        );
    }

    #[test]
    fn value_synonyms_and_lists() {
        let choice = |text: &str, list| {
            read(&RawCell::Text(text.into()), ValueKind::Choice(list), &cx())
                .map(|(v, _)| v.unwrap().as_text())
        };
        use crate::model::values::*;
        assert_eq!(choice("低龄", UNVACCINATED_REASONS).unwrap(), "未成年");
        assert_eq!(choice("哺乳", UNVACCINATED_REASONS).unwrap(), "哺乳期");
        assert_eq!(choice("高铁", TRANSPORTS).unwrap(), "高铁/火车");
        assert_eq!(
            choice("居家隔离医学观察（14天）", ISOLATION_KINDS).unwrap(),
            "居家隔离医学观察"
        );
        assert_eq!(choice("坐船", TRANSPORTS).unwrap_err().code, "not_in_list");
    }

    #[test]
    fn phones_temperatures_and_doses() {
        assert_eq!(
            read(&RawCell::Number(13800138000.0), ValueKind::Phone, &cx())
                .unwrap()
                .0
                .unwrap(),
            Value::Text("13800138000".into())
        );
        assert_eq!(
            read(
                &RawCell::Text("36.8℃".into()),
                ValueKind::Temperature,
                &cx()
            )
            .unwrap()
            .0
            .unwrap(),
            Value::Number(36.8)
        );
        assert_eq!(
            read(&RawCell::Number(365.0), ValueKind::Temperature, &cx())
                .unwrap_err()
                .code,
            "temperature_range"
        );
        assert_eq!(
            read(&RawCell::Text("加强针".into()), ValueKind::Integer, &cx())
                .unwrap()
                .0
                .unwrap(),
            Value::Number(3.0)
        );
        assert_eq!(
            read(&RawCell::Text("第二针".into()), ValueKind::Integer, &cx())
                .unwrap()
                .0
                .unwrap(),
            Value::Number(2.0)
        );
    }
}
