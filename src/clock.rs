//! The one clock: what day and time it is for the ledger. Every rule that asks "is this in the
//! future?", every report day that defaults to today and every hand-off stamped "now" reads
//! it through `Store::today` and `Store::now`, never the wall clock directly, so a test (or a
//! training session replaying a past day) can fix it.
//!
//! Stamps of when a row was written (`created_at`, `updated_at`) are facts about the file,
//! not about the ledger's day: SQLite writes those from the machine's clock.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The environment variable that fixes the clock: `2026-11-22` (noon of that day) or
/// `2026-11-22 08:30`. Tests of the command line and the window set it; so can a trainer.
pub const NOW_ENV: &str = "GRIDLEDGER_NOW";

/// The time of day a clock fixed to a date alone stands at: noon is far from both midnights,
/// so nothing typed "this morning" or "tonight" falls on another day.
pub const FIXED_TIME_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The machine's local clock.
    #[default]
    System,
    /// A fixed moment.
    Fixed(NaiveDateTime),
}

impl Clock {
    /// A clock fixed at noon of `day`.
    pub fn day(day: NaiveDate) -> Clock {
        Clock::Fixed(day.and_time(FIXED_TIME_OF_DAY))
    }

    /// The clock `GRIDLEDGER_NOW` names, or the system's. A value that cannot be read is
    /// ignored with a line on standard error (a typo must not stop a cadre's work).
    pub fn from_env() -> Clock {
        match std::env::var(NOW_ENV) {
            Ok(text) if !text.trim().is_empty() => Clock::parse(&text).unwrap_or_else(|| {
                eprintln!("{NOW_ENV}=“{text}” 无法识别（应为 2026-11-22 或 2026-11-22 08:30），按系统时间");
                Clock::System
            }),
            _ => Clock::System,
        }
    }

    /// `2026-11-22`, `2026-11-22 08:30`, `2026-11-22T08:30:00`.
    pub fn parse(text: &str) -> Option<Clock> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Clock::day(day));
        }
        [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(Clock::Fixed)
    }

    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => *t,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reads_dates_and_times() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(Clock::parse("2026-11-22"), Some(Clock::day(day)));
        assert_eq!(
            Clock::parse(" 2026-11-22 08:30 ").unwrap().now(),
            day.and_hms_opt(8, 30, 0).unwrap()
        );
        assert_eq!(Clock::parse("2026-11-22T23:59:59").unwrap().today(), day);
        assert_eq!(Clock::parse("22/11/2026"), None);
        assert_eq!(Clock::day(day).now().time(), FIXED_TIME_OF_DAY);
    }
}
