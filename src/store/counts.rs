//! One definition per count. What 已返, 在管, 新增, 累计 and 户籍人口 mean is written here once, as
//! SQL conditions over a table alias; every form (store/reports/), the 总览 (summary.rs) and
//! the today list (today.rs) use these, so two forms can never count the same thing two ways.
//!
//! The parameters every condition may use: `:day` is the report day (nothing after it
//! counts), `:epoch` the epidemic's start (累计 counts from it, never from a form's own
//! start date). A condition "between" two days takes them as SQL expressions: a form passes
//! `:start` (the first day of its range, the report day when none) and `:day`; the today
//! list passes `:day` twice.

/// The setting that holds the epidemic's start date (累计 counts from it).
pub const EPOCH_SETTING: &str = "epidemic_start";

/// An arrival `a` that counts as having come: 返乡 or 外来 (not a 来访 visit), 已返 (a 将返
/// announcement never counts as returned), on or before the report day, not archived.
pub fn arrived(a: &str) -> String {
    format!(
        "({a}.kind = '返乡' OR {a}.kind = '外来') AND {a}.status = '已返' AND {a}.archived_at IS NULL AND {a}.arrival_date <= :day"
    )
}

/// An arrival that came between `start` and the report day (新增; the report day alone by
/// default).
pub fn arrived_between(a: &str, start: &str) -> String {
    format!("{} AND {a}.arrival_date >= {start}", arrived(a))
}

/// A 返乡 (a person of here coming home; not 外来, not 来访) between `start` and the report
/// day.
pub fn returned_home_between(a: &str, start: &str) -> String {
    format!("{} AND {a}.kind = '返乡'", arrived_between(a, start))
}

/// An arrival that came on the report day.
pub fn arrived_on_day(a: &str) -> String {
    arrived_between(a, ":day")
}

/// An arrival that came from the epidemic's start to the report day (累计).
pub fn arrived_to_date(a: &str) -> String {
    arrived_between(a, ":epoch")
}

/// An isolation or monitoring period `i` under watch (在管) on some day from `start` to the
/// report day: started by then, and not released before `start` is over (a period past its
/// planned end but not released is still 在管).
pub fn under_watch_between(i: &str, start: &str) -> String {
    format!(
        "{i}.archived_at IS NULL AND {i}.start_date <= :day AND ({i}.released_date IS NULL OR {i}.released_date > {start})"
    )
}

/// A period under watch on the report day.
pub fn under_watch(i: &str) -> String {
    under_watch_between(i, ":day")
}

/// A period released (解除) between `start` and the report day.
pub fn released_between(i: &str, start: &str) -> String {
    format!(
        "{i}.archived_at IS NULL AND {i}.released_date >= {start} AND {i}.released_date <= :day"
    )
}

/// A daily check `c` with a temperature of 37.3 ℃ or more, or any symptom (异常).
pub fn abnormal(c: &str) -> String {
    format!(
        "{c}.archived_at IS NULL AND ({c}.am_temperature >= {t} OR {c}.pm_temperature >= {t} OR {c}.fever OR {c}.dry_cough
         OR {c}.fatigue OR {c}.sore_throat OR {c}.smell_taste_loss OR {c}.diarrhea)",
        t = crate::validate::FEVER_THRESHOLD
    )
}

/// 户籍人口: persons `m` registered here — 常住 and 外出 (working away), not 外来, not moved
/// out or deceased, not archived.
pub fn registered(m: &str) -> String {
    format!(
        "{m}.archived_at IS NULL AND ({m}.residence_status = '常住' OR {m}.residence_status = '外出')"
    )
}

/// 常住人口: persons living here — 常住 and 外来.
pub fn resident(m: &str) -> String {
    format!(
        "{m}.archived_at IS NULL AND ({m}.residence_status = '常住' OR {m}.residence_status = '外来')"
    )
}

/// A dose `va` given by the report day (a dose without a date counts as given).
pub fn dose_given(va: &str) -> String {
    format!("{va}.archived_at IS NULL AND ({va}.vaccine_date IS NULL OR {va}.vaccine_date <= :day)")
}

/// A contact link `k` found (判定) between `start` and the report day (新增密接/次密接).
pub fn contact_found_between(k: &str, start: &str) -> String {
    format!("{k}.archived_at IS NULL AND {k}.found_date >= {start} AND {k}.found_date <= :day")
}

/// A case `s` reported (确诊, 无症状感染者 or 疑似 as its kind says) between `start` and the
/// report day (新增病例).
pub fn case_reported_between(s: &str, start: &str) -> String {
    format!(
        "{s}.archived_at IS NULL AND {s}.reported_date >= {start} AND {s}.reported_date <= :day"
    )
}

/// A 密接 or 次密接 link `k`, found by the report day, whose person has no isolation or
/// monitoring period that began by the report day and was still open when they were found
/// (待隔离): the today list names them and the case list counts them.
pub fn awaiting_isolation(k: &str) -> String {
    format!(
        "{k}.archived_at IS NULL AND ({k}.level = '密接' OR {k}.level = '次密接')
         AND coalesce({k}.found_date, :day) <= :day
         AND NOT EXISTS (SELECT 1 FROM isolations wi WHERE wi.person_id = {k}.contact_person_id
               AND wi.archived_at IS NULL AND wi.start_date <= :day
               AND (wi.released_date IS NULL OR wi.released_date >= coalesce({k}.found_date, :day)))"
    )
}

/// A checkpoint stop `x` between `start` and the report day.
pub fn stop_between(x: &str, start: &str) -> String {
    format!(
        "{x}.archived_at IS NULL AND substr({x}.checked_at, 1, 10) >= {start} AND substr({x}.checked_at, 1, 10) <= :day"
    )
}

/// A checkpoint stop `x` on the report day.
pub fn stop_on_day(x: &str) -> String {
    stop_between(x, ":day")
}

/// A test `t` sampled by the report day (a 待采样 test scheduled from a period is not a test
/// yet, and its 未出 is not a result). The unary `+` keeps SQLite from looking tests up by
/// status when the query looks up one person's tests: SQLite 3.40 chose the status index for
/// the 来(返)乡人员登记表's latest-test column and took 150 s for 100,000 rows.
pub fn sampled(t: &str) -> String {
    format!("{t}.archived_at IS NULL AND +{t}.status = '已采样' AND {t}.sample_date <= :day")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fever_threshold_is_the_validators() {
        assert!(super::abnormal("c").contains(">= 37.3"));
    }
}
