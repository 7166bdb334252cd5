//! Reading one cell as one kind of field (`fields::Kind`): text and names folded, resident
//! IDs (never "repaired" when Excel truncated them), phones, dates and date-times in every
//! form with their year assumed when left out, sex as written or as the national code,
//! temperatures, plates, counts, 是/否 with a 0/1 legend, list values with their synonyms,
//! and references to other records.

use chrono::{Datelike, Duration, NaiveDate};

use super::{error, warning, CellProblem, Context, RawCell, Value};
use crate::model::fields::Kind;
use crate::validate::{self, normalize_key, normalize_name, normalize_note, normalize_text};

/// Value synonyms seen on real sheets, by target value.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("未成年", &["低龄", "未满18岁", "儿童"]),
    ("哺乳期", &["哺乳"]),
    ("因病", &["疾病", "禁忌症", "身体原因"]),
    ("高龄", &["年龄大", "老年"]),
    ("居家隔离医学观察", &["居家隔离", "居家医学观察"]),
    ("集中隔离", &["集中隔离医学观察", "集中"]),
    ("居家健康监测", &["健康监测", "居家监测"]),
    ("阴性", &["阴", "-", "(-)"]),
    ("阳性", &["阳", "+", "(+)"]),
    ("未出", &["待出", "未出结果", "检测中"]),
    ("高铁/火车", &["高铁", "火车", "动车", "铁路"]),
    (
        "大巴车/长途客车",
        &["大巴", "大巴车", "长途客车", "客车", "汽车"],
    ),
    ("自驾车", &["自驾", "私家车"]),
    ("飞机", &["航班", "民航"]),
    ("网约车", &["出租车", "滴滴"]),
    ("已返", &["已返乡", "已到达", "已回", "是"]),
    ("将返", &["拟返乡", "未返", "计划返乡", "否"]),
    ("移交村(社区)", &["移交村", "移交社区", "移交", "转交村"]),
    ("劝返", &["劝离"]),
    ("放行", &["通行", "正常通行"]),
    ("密接", &["密切接触者", "密接者"]),
    ("次密接", &["次密切接触者", "密接的密接"]),
    ("本地", &["本县", "本镇", "本村"]),
    ("异地", &["外地"]),
    ("户主", &["本人"]),
    (
        "子女",
        &["儿子", "女儿", "子", "女", "长子", "次子", "长女", "次女"],
    ),
    ("配偶", &["妻子", "丈夫", "妻", "夫"]),
    ("父母", &["父亲", "母亲", "父", "母"]),
    ("孙子女", &["孙子", "孙女"]),
    ("高", &["高风险"]),
    ("中", &["中风险"]),
    ("低", &["低风险"]),
    ("私家车", &["小轿车", "轿车"]),
    ("绿码", &["绿"]),
    ("黄码", &["黄"]),
    ("红码", &["红"]),
    ("否", &["不是", "无"]),
];

/// Reads a cell as a field of `kind`. `Ok(None)` for an empty cell.
pub fn read(
    cell: &RawCell,
    kind: Kind,
    cx: &Context,
) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    if cell.is_empty() {
        return Ok((None, None));
    }
    if let RawCell::Error(e) = cell {
        return Err(error(
            "formula_error",
            format!("单元格是公式的错误值 {e}（公式没有算出结果，多是查找不到）：请在原表中改正或填上值"),
        ));
    }
    let text = cell.text();
    let ok = |v: Value| Ok((Some(v), None));
    match kind {
        Kind::Text(_) => ok(Value::Text(normalize_note(&text))),
        Kind::Name if text.chars().any(validate::is_bidi_control) => Err(error(
            "name_control",
            "姓名中有改变文字方向的隐藏字符（会让姓名显示成另一个样子）：请重新输入姓名",
        )),
        Kind::Name => ok(Value::Text(normalize_name(&text))),
        Kind::PlaceName | Kind::Place => ok(Value::Text(normalize_text(&text))),
        Kind::IdNumber => id_number(cell, cx),
        Kind::Phone => {
            let text = match cell {
                RawCell::Number(n) if n.abs() < 1e15 => format!("{n:.0}"),
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
        Kind::Date | Kind::BirthDate => {
            let (d, w) = date(cell, cx)?;
            validate::plausible_date(d, cx.today, kind == Kind::BirthDate)
                .map_err(|e| error(e.code(), e.to_string()))?;
            Ok((Some(Value::Date(d)), w))
        }
        Kind::DateTime => {
            let (t, w) = match cell {
                RawCell::DateTime(t) => (*t, None),
                RawCell::Text(text) => {
                    // "2026-11-22 09:30", "2022年10月23日8时", or a date alone (time unknown).
                    let (d, time) =
                        validate::parse_date_time(&text_short(text, 40), cx.default_year)
                            .map_err(|e| error(e.code(), e.to_string()))?;
                    let w = d.year_assumed.then(|| year_assumed(text, d.date));
                    (d.date.and_time(time.unwrap_or(chrono::NaiveTime::MIN)), w)
                }
                other => {
                    let (d, w) = date(other, cx)?;
                    (d.and_time(chrono::NaiveTime::MIN), w)
                }
            };
            validate::plausible_date(t.date(), cx.today, false)
                .map_err(|e| error(e.code(), e.to_string()))?;
            Ok((Some(Value::DateTime(t)), w))
        }
        Kind::Gender => gender(&text),
        Kind::Temperature => {
            let t = match cell {
                RawCell::Number(n) => validate::check_temperature(*n),
                _ => validate::parse_temperature(&text),
            };
            t.map(|t| (Some(Value::Number(t.celsius)), None))
                .map_err(|e| error(e.code(), e.to_string()))
        }
        Kind::Plate => match validate::parse_plate(&text) {
            Ok(p) => Ok((
                Some(Value::Text(p.number)),
                p.warning.map(|w| warning("plate_unusual", w)),
            )),
            Err(e) => Err(error(e.code(), e.to_string())),
        },
        Kind::Integer(min, max) => integer(&text, min, max),
        Kind::YesNo => yes_no(cell, cx.header),
        Kind::Choice(list) => choice(&text, list),
        Kind::Symptoms => ok(Value::Text(normalize_text(&text))),
        Kind::Reference => {
            let key = normalize_key(&text);
            match key.parse::<i64>() {
                Ok(n) if n > 0 => ok(Value::Number(n as f64)),
                _ => Err(error(
                    "reference_invalid",
                    format!("“{}”不是记录编号", cell.text_short(20)),
                )),
            }
        }
    }
}

/// Sex as written, or as the national code GB/T 2261.1 (0 未知, 1 男, 2 女, 9 未说明): the
/// codes 0 and 9 say the sex is not known, which is not a mistake.
fn gender(text: &str) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_key(text);
    match key.as_str() {
        "1" => return Ok((Some(Value::Text("男".into())), None)),
        "2" => return Ok((Some(Value::Text("女".into())), None)),
        "0" | "9" | "未知" | "未说明" | "不详" => return Ok((None, None)),
        _ => {}
    }
    match validate::Gender::parse(&key) {
        Some(g) => Ok((Some(Value::Text(g.as_str().into())), None)),
        None => Err(error(
            "gender_unknown",
            format!("性别“{}”无法识别，应为 男 或 女", text.trim()),
        )),
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
            if !n.is_finite() || n.abs() >= 1e15 {
                return Err(truncated());
            }
            format!("{n:.0}")
        }
        other => other.text(),
    };
    let key = normalize_key(&text).to_uppercase();
    if key.contains("E+") {
        return Err(truncated());
    }
    if key.chars().count() > 30 {
        return Err(error(
            "id_length",
            format!("证件号码有 {} 个字符，太长，请核对", key.chars().count()),
        ));
    }
    match validate::parse_resident_id(&key, cx.today) {
        Ok(id) => Ok((Some(Value::Text(id.number)), None)),
        // Other documents (passports …) are kept as typed; the person's id_type decides.
        Err(_) if key.chars().any(|c| c.is_ascii_alphabetic() && c != 'X') => {
            Ok((Some(Value::Text(key)), None))
        }
        Err(e) => Err(error(e.code(), e.to_string())),
    }
}

/// A date from Excel's serial number in the 1900 system: day 1 is 1900-01-01, and day 60 the
/// 1900-02-29 that never was (Lotus's leap-year bug, kept by Excel): None, never 02-28.
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let day = n.trunc() as i64;
    match day {
        60 => None,
        ..60 => NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_signed(Duration::days(day)),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(day)),
    }
}

fn date(cell: &RawCell, cx: &Context) -> Result<(NaiveDate, Option<CellProblem>), CellProblem> {
    match cell {
        RawCell::Date(d) => Ok((*d, None)),
        RawCell::DateTime(t) => Ok((t.date(), None)),
        // 20200123 typed as a number, or an Excel serial in a General cell.
        RawCell::Number(n) if (19_000_101.0..=21_001_231.0).contains(n) => {
            date(&RawCell::Text(format!("{n:.0}")), cx)
        }
        RawCell::Number(n) if (60.0..61.0).contains(n) => Err(error(
            "date_impossible",
            "日期数字 60 是 Excel 的 1900年2月29日，这一天并不存在：请在原表中改写这个日期",
        )),
        RawCell::Number(n) if (1.0..=80_000.0).contains(n) => excel_serial(*n)
            .map(|d| (d, None))
            .ok_or_else(|| error("date_unrecognised", "日期数字无法识别")),
        RawCell::Number(n) => Err(error(
            "date_unrecognised",
            format!("“{n}”不是可识别的日期，请写成 2020-01-23"),
        )),
        _ => match validate::parse_date(&cell.text_short(40), cx.default_year) {
            Ok(parsed) if parsed.year_assumed => {
                Ok((parsed.date, Some(year_assumed(&cell.text(), parsed.date))))
            }
            Ok(parsed) => Ok((parsed.date, None)),
            Err(e) => Err(error(e.code(), e.to_string())),
        },
    }
}

/// The warning that a date was written without its year.
fn year_assumed(text: &str, date: NaiveDate) -> CellProblem {
    warning(
        "date_year_assumed",
        format!(
            "“{}”没有写年份，按 {} 年计",
            text_short(text, 20).trim(),
            date.year()
        ),
    )
}

fn text_short(text: &str, max: usize) -> String {
    RawCell::Text(text.to_string()).text_short(max)
}

fn integer(
    text: &str,
    min: i64,
    max: i64,
) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_key(text);
    let n = if key.contains("加强") {
        Some(3)
    } else if let Some((_, n)) = [('一', 1), ('二', 2), ('三', 3), ('四', 4)]
        .iter()
        .find(|(c, _)| key.contains(*c))
    {
        Some(*n)
    } else {
        let digits: String = key
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .take(12)
            .collect();
        digits.parse::<f64>().ok().map(|n| n.trunc() as i64)
    };
    match n {
        Some(n) if (min..=max).contains(&n) => Ok((Some(Value::Number(n as f64)), None)),
        Some(n) => Err(error("number_range", format!("{n} 不在 {min}–{max} 之间"))),
        None => Err(error("not_a_number", format!("“{}”不是数字", text.trim()))),
    }
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
            Some(one_is_yes) => Ok((Some(Value::Bool((key == "1") == one_is_yes)), None)),
            None => Err(error("yes_no_without_legend", format!("“{key}”没有图例，无法判断是“是”还是“否”：请在表头注明（如 1=是 0=否）或改填 是/否"))),
        };
    }
    Err(error(
        "yes_no_unknown",
        format!("“{}”应为 是 或 否", cell.text_short(20).trim()),
    ))
}

/// Reads a legend such as "(1=是,0=否)", "（0是 1否）" from a header: whether 1 means yes.
fn legend(header: &str) -> Option<bool> {
    let key = normalize_key(header);
    for (i, c) in key.char_indices() {
        if c == '1' || c == '0' {
            let rest: String = key[i + 1..]
                .chars()
                .skip_while(|c| matches!(c, '=' | '-' | ':' | '：' | '为'))
                .take(1)
                .collect();
            match (c, rest.as_str()) {
                ('1', "是") | ('0', "否") => return Some(true),
                ('1', "否") | ('0', "是") => return Some(false),
                _ => {}
            }
        }
    }
    None
}

fn choice(text: &str, list: &[&str]) -> Result<(Option<Value>, Option<CellProblem>), CellProblem> {
    let key = normalize_text(text).replace('（', "(").replace('）', ")");
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
        format!("“{}”不是可选值：{}", short(&key, 20), list.join("、")),
    ))
}

fn short(text: &str, max: usize) -> String {
    RawCell::Text(text.to_string()).text_short(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        Context::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
    }

    fn ymd(y: i32, m: u32, d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_in_every_form() {
        let d = |cell: RawCell| read(&cell, Kind::Date, &cx()).unwrap().0.unwrap();
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
        let (value, problem) = read(&RawCell::Text("1月23日".into()), Kind::Date, &cx()).unwrap();
        assert_eq!(value.unwrap(), ymd(2026, 1, 23));
        assert!(problem.unwrap().warning);
        assert_eq!(
            read(&RawCell::Text("2021-02-30".into()), Kind::Date, &cx())
                .unwrap_err()
                .code,
            "date_impossible"
        );
    }

    #[test]
    fn implausible_dates_are_refused_whatever_their_form() {
        for cell in [
            RawCell::Text("1026-11-10".into()),
            RawCell::Text("2028-01-01".into()),
            RawCell::Date(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap()),
        ] {
            assert_eq!(
                read(&cell, Kind::Date, &cx()).unwrap_err().code,
                "date_implausible",
                "{cell:?}"
            );
        }
        // A year ahead is plausible for a planned return; not for a birth.
        let next_year = RawCell::Text("2027-06-01".into());
        assert!(read(&next_year, Kind::Date, &cx()).is_ok());
        assert_eq!(
            read(&next_year, Kind::BirthDate, &cx()).unwrap_err().code,
            "date_implausible"
        );
    }

    #[test]
    fn ids_truncated_by_excel_are_flagged_never_repaired() {
        let problem = read(
            &RawCell::Number(440524188001010000.0),
            Kind::IdNumber,
            &cx(),
        )
        .unwrap_err();
        assert_eq!(problem.code, "id_truncated");
        assert_eq!(
            read(&RawCell::Text("4.40524E+17".into()), Kind::IdNumber, &cx())
                .unwrap_err()
                .code,
            "id_truncated"
        );
        let (v, _) = read(&RawCell::Number(110105491231002.0), Kind::IdNumber, &cx()).unwrap();
        assert_eq!(v.unwrap(), Value::Text("11010519491231002X".into()));
        let (v, _) = read(
            &RawCell::Text("１１０１０５１９４９１２３１００２ｘ\u{3000}".into()),
            Kind::IdNumber,
            &cx(),
        )
        .unwrap();
        assert_eq!(v.unwrap(), Value::Text("11010519491231002X".into()));
        assert_eq!(
            read(
                &RawCell::Text("110101199003070830".into()),
                Kind::IdNumber,
                &cx()
            )
            .unwrap_err()
            .code,
            "id_check_digit"
        );
    }

    #[test]
    fn national_sex_codes_are_understood() {
        let g = |text: &str| read(&RawCell::Text(text.into()), Kind::Gender, &cx()).map(|(v, _)| v);
        assert_eq!(g("1").unwrap(), Some(Value::Text("男".into())));
        assert_eq!(g("2").unwrap(), Some(Value::Text("女".into())));
        assert_eq!(g("9").unwrap(), None);
        assert_eq!(g("0").unwrap(), None);
        assert_eq!(g("男性").unwrap(), Some(Value::Text("男".into())));
        assert_eq!(g("3").unwrap_err().code, "gender_unknown");
    }

    #[test]
    fn yes_no_needs_a_legend_for_zero_and_one() {
        let yn = |text: &str, header: &str| {
            let cx = Context { header, ..cx() };
            read(&RawCell::Text(text.into()), Kind::YesNo, &cx).map(|(v, _)| v.unwrap())
        };
        assert_eq!(yn("√", ""), Ok(Value::Bool(true)));
        assert_eq!(yn("否", ""), Ok(Value::Bool(false)));
        assert_eq!(yn("1", "是否中高风险(1=是,0=否)"), Ok(Value::Bool(true)));
        assert_eq!(yn("0", "是否中高风险（0是 1否）"), Ok(Value::Bool(true)));
        assert_eq!(
            yn("1", "是否中高风险").unwrap_err().code,
            "yes_no_without_legend"
        );
    }

    #[test]
    fn value_synonyms_and_lists() {
        use crate::model::values::*;
        let choice = |text: &str, list| {
            read(&RawCell::Text(text.into()), Kind::Choice(list), &cx())
                .map(|(v, _)| v.unwrap().as_text())
        };
        assert_eq!(choice("低龄", UNVACCINATED_REASONS).unwrap(), "未成年");
        assert_eq!(choice("哺乳", UNVACCINATED_REASONS).unwrap(), "哺乳期");
        assert_eq!(choice("高铁", TRANSPORTS).unwrap(), "高铁/火车");
        assert_eq!(
            choice("居家隔离医学观察（14天）", ISOLATION_KINDS).unwrap(),
            "居家隔离医学观察"
        );
        assert_eq!(choice("坐船", TRANSPORTS).unwrap_err().code, "not_in_list");
    }
}
