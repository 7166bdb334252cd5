//! Dates as people type them into forms: 2020-01-23, 2020/1/23, 2020.1.23, 20200123,
//! 2020年1月23日, and 1月23日 or 11.23 with no year, which is resolved against a year the
//! caller gives (the report's year) and flagged so the user is told. A date may carry a time
//! of day, as systems export it: 2022-10-23 18:30:55, 2022/10/23 18:30, 2022-10-23T18:30,
//! 2022年10月23日8时, 2022年10月23日8时30分, 2022年10月23日 8:30.

use chrono::{NaiveDate, NaiveTime};

use super::normalize_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: NaiveDate,
    /// True when the text had no year and `default_year` was used.
    pub year_assumed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日期为空")]
    Empty,
    #[error("“{0}”不是可识别的日期，请写成 2020-01-23 或 2020年1月23日")]
    Unrecognised(String),
    #[error("日期“{0}”不存在（如 2 月 30 日），请核对")]
    Impossible(String),
    #[error("日期 {date} 不在 {from} 到 {to} 之间，请核对年份")]
    Implausible {
        date: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl DateError {
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Empty => "date_empty",
            DateError::Unrecognised(_) => "date_unrecognised",
            DateError::Impossible(_) => "date_impossible",
            DateError::Implausible { .. } => "date_implausible",
        }
    }
}

/// No date in the ledger is earlier than this (the schema's CHECKs say the same).
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// Checks that a date is plausible: from 1900-01-01 to a year after the report day for an
/// event (a planned return, a planned release), to the report day itself for a birth.
pub fn plausible_date(
    date: NaiveDate,
    report_day: NaiveDate,
    birth: bool,
) -> Result<NaiveDate, DateError> {
    let latest = if birth {
        report_day
    } else {
        report_day
            .checked_add_signed(chrono::Duration::days(365))
            .unwrap_or(report_day)
    };
    if date < EARLIEST_DATE || date > latest {
        return Err(DateError::Implausible {
            date,
            from: EARLIEST_DATE,
            to: latest,
        });
    }
    Ok(date)
}

/// Parses a typed date, with or without a time of day (the time is dropped: a date field
/// takes the day of 2022-10-23 18:30). `default_year` resolves 1月23日 and 11.23.
pub fn parse_date(input: &str, default_year: i32) -> Result<ParsedDate, DateError> {
    parse_date_time(input, default_year).map(|(date, _)| date)
}

/// Parses a typed date and the time of day it may carry.
pub fn parse_date_time(
    input: &str,
    default_year: i32,
) -> Result<(ParsedDate, Option<NaiveTime>), DateError> {
    let text = crate::validate::normalize_text(input);
    let (day, time) = split_time(&text);
    let time = match time {
        None => None,
        Some(t) => {
            Some(parse_time(t).ok_or_else(|| DateError::Unrecognised(input.trim().to_string()))?)
        }
    };
    Ok((parse_day(day, input, default_year)?, time))
}

/// Cuts a date-time into its day and its time: at a space or a T after the day, or after
/// the 日 of a Chinese date (2022年10月23日8时).
fn split_time(text: &str) -> (&str, Option<&str>) {
    if let Some(i) = text.find('日') {
        let rest = text[i + '日'.len_utf8()..].trim();
        if !rest.is_empty() {
            return (&text[..i + '日'.len_utf8()], Some(rest));
        }
    }
    if let Some(i) = text.find([' ', 'T']) {
        let rest = text[i + 1..].trim();
        if !rest.is_empty() {
            return (text[..i].trim(), Some(rest));
        }
    }
    (text, None)
}

/// 18:30:55, 18:30, 8:30, 8时, 8时30分, 8点, 8点30分, 8时30分15秒.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim().trim_end_matches(['秒']);
    let parts: Vec<&str> = text
        .split([':', '：', '时', '点', '分'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    match numbers.as_slice() {
        [h] => NaiveTime::from_hms_opt(*h, 0, 0),
        [h, m] => NaiveTime::from_hms_opt(*h, *m, 0),
        [h, m, s] => NaiveTime::from_hms_opt(*h, *m, *s),
        _ => None,
    }
}

fn parse_day(day: &str, input: &str, default_year: i32) -> Result<ParsedDate, DateError> {
    let key = normalize_key(day);
    if key.is_empty() {
        return Err(DateError::Empty);
    }
    let unrecognised = || DateError::Unrecognised(input.trim().to_string());
    // Eight digits: 20200123.
    if key.len() == 8 && key.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&key[..4], &key[4..6], &key[6..]);
        return make(
            input,
            y.parse().unwrap(),
            m.parse().unwrap(),
            d.parse().unwrap(),
            false,
        );
    }
    // Everything else: runs of digits separated by - / . 年 月 日 (and a trailing 日 or 号).
    let body = key.trim_end_matches(['日', '号']);
    let parts: Vec<&str> = body.split(['-', '/', '.', '年', '月']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 4)
    {
        return Err(unrecognised());
    }
    let numbers: Vec<u32> = parts.iter().map(|p| p.parse().unwrap()).collect();
    match numbers.as_slice() {
        [y, m, d] if parts[0].len() == 4 => make(input, *y as i32, *m, *d, false),
        [m, d] if key.contains('月') && !key.contains('年') => {
            make(input, default_year, *m, *d, true)
        }
        // 11.23: a month and a day, as clerks type them.
        [m, d] if key.contains('.') && parts[0].len() <= 2 => {
            make(input, default_year, *m, *d, true)
        }
        _ => Err(unrecognised()),
    }
}

fn make(
    input: &str,
    year: i32,
    month: u32,
    day: u32,
    year_assumed: bool,
) -> Result<ParsedDate, DateError> {
    NaiveDate::from_ymd_opt(year, month, day)
        .map(|date| ParsedDate { date, year_assumed })
        .ok_or_else(|| DateError::Impossible(input.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_typed_form_of_forms_md() {
        for typed in [
            "2020-01-23",
            "2020/1/23",
            "2020.1.23",
            "20200123",
            "2020年1月23日",
            "２０２０年１月２３日",
            " 2020-1-23 ",
        ] {
            assert_eq!(
                parse_date(typed, 2026),
                Ok(ParsedDate {
                    date: ymd(2020, 1, 23),
                    year_assumed: false
                }),
                "{typed}"
            );
        }
    }

    #[test]
    fn month_and_day_take_the_given_year_and_say_so() {
        assert_eq!(
            parse_date("1月23日", 2022),
            Ok(ParsedDate {
                date: ymd(2022, 1, 23),
                year_assumed: true
            })
        );
    }

    #[test]
    fn date_times_as_systems_export_them() {
        let at = |text: &str| {
            let (d, t) = parse_date_time(text, 2026).unwrap();
            (
                d.date.to_string(),
                t.map(|t| t.format("%H:%M:%S").to_string()),
            )
        };
        let day_time = |d: &str, t: &str| (d.to_string(), Some(t.to_string()));
        assert_eq!(
            at("2022-10-23 18:30:55"),
            day_time("2022-10-23", "18:30:55")
        );
        assert_eq!(at("2022/10/23 18:30"), day_time("2022-10-23", "18:30:00"));
        assert_eq!(at("2022-10-23T08:05"), day_time("2022-10-23", "08:05:00"));
        assert_eq!(at("2022年10月23日8时"), day_time("2022-10-23", "08:00:00"));
        assert_eq!(
            at("2022年10月23日8时30分"),
            day_time("2022-10-23", "08:30:00")
        );
        assert_eq!(at("2022年10月23日"), ("2022-10-23".to_string(), None));
        assert_eq!(
            parse_date("2022-10-23 18:30:55", 2026).unwrap().date,
            ymd(2022, 10, 23)
        );
        // A month and a day: the year given, and said.
        assert_eq!(
            parse_date("11.23", 2022),
            Ok(ParsedDate {
                date: ymd(2022, 11, 23),
                year_assumed: true
            })
        );
        assert_eq!(parse_date("12.5", 2026).unwrap().date, ymd(2026, 12, 5));
    }

    #[test]
    fn impossible_and_unreadable_dates() {
        assert_eq!(
            parse_date("2021-02-29", 2026).unwrap_err().code(),
            "date_impossible"
        );
        assert_eq!(
            parse_date("20211301", 2026).unwrap_err().code(),
            "date_impossible"
        );
        assert_eq!(
            parse_date("明天", 2026).unwrap_err().code(),
            "date_unrecognised"
        );
        assert_eq!(
            parse_date("1/23", 2026).unwrap_err().code(),
            "date_unrecognised"
        );
        assert_eq!(
            parse_date("1990.1", 2026).unwrap_err().code(),
            "date_unrecognised"
        );
        assert_eq!(
            parse_date("2022-10-23 25:00", 2026).unwrap_err().code(),
            "date_unrecognised"
        );
        assert_eq!(parse_date("", 2026), Err(DateError::Empty));
    }
}
