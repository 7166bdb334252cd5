//! 今日: what is due today, each line naming the person (and their grid) behind it, by the
//! same definitions the forms count with (`counts`): readings still missing from those under
//! watch, today's fevers and symptoms, periods ending today or overdue, tests due and
//! results still 未出, arrivals of the last three days not yet visited, checkpoint travellers
//! handed to the village and not yet handled, and whether today's 日报 went out.

use chrono::NaiveDate;
use rusqlite::Row;
use serde::Serialize;

use super::reports::{ExportRecord, PLACE_INFO};
use super::{counts, Store};
use crate::error::Result;

/// Who a line of the list is about.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Who {
    pub person_id: i64,
    pub name: String,
    pub phone: Option<String>,
    /// 东街12号.
    pub household: Option<String>,
    pub village: Option<String>,
    pub grid: Option<String>,
    /// Outside the logged-in 网格员's grid: theirs to look at, not to change.
    pub read_only: bool,
}

/// Someone under watch today, with today's readings so far (the temperature round's row).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Watched {
    #[serde(flatten)]
    pub who: Who,
    pub isolation_id: i64,
    pub kind: String,
    /// Day N of the period (day 1 is the start).
    pub day_number: i64,
    pub planned_end_date: String,
    pub check_id: Option<i64>,
    pub am_temperature: Option<f64>,
    pub pm_temperature: Option<f64>,
    pub symptoms: Vec<String>,
    pub abnormal: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ending {
    #[serde(flatten)]
    pub who: Who,
    pub isolation_id: i64,
    pub kind: String,
    pub start_date: String,
    pub planned_end_date: String,
    /// 0 when it ends today, else how many days past its planned end.
    pub overdue_days: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DueTest {
    #[serde(flatten)]
    pub who: Who,
    pub test_id: i64,
    pub kind: String,
    pub sample_date: String,
    pub site: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NewArrival {
    #[serde(flatten)]
    pub who: Who,
    pub arrival_id: i64,
    pub kind: String,
    pub arrival_date: String,
    pub origin: Option<String>,
}

/// A traveller a checkpoint handed to the village, not yet handled.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HandOff {
    pub check_id: i64,
    pub checkpoint: String,
    pub checked_at: String,
    pub name: String,
    pub phone: Option<String>,
    pub plate: Option<String>,
    pub temperature: Option<f64>,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub village: String,
    pub person_id: Option<i64>,
    /// The named passengers handed over with the driver, each with the temperature taken.
    pub passengers: Vec<Passenger>,
    /// Anyone in the vehicle at 37.3 ℃ or more.
    pub fever: bool,
}

/// A 密接 or 次密接 with no isolation or monitoring yet (`counts::awaiting_isolation`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AwaitingIsolation {
    #[serde(flatten)]
    pub who: Who,
    pub contact_id: i64,
    pub level: String,
    pub found_date: Option<String>,
    /// The case at the root of the chain.
    pub case_name: String,
}

/// A passenger of a hand-off.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Passenger {
    pub name: String,
    pub temperature: Option<f64>,
}

/// The today list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TodayList {
    pub day: NaiveDate,
    /// Everyone under watch today, with what today's readings say.
    pub watched: usize,
    /// Under watch, a reading still missing today (上午 or 下午).
    pub readings_missing: Vec<Watched>,
    /// Today's checks with a fever (≥ 37.3 ℃) or a symptom.
    pub fevers: Vec<Watched>,
    pub ending: Vec<Ending>,
    pub tests_due: Vec<DueTest>,
    pub results_pending: Vec<DueTest>,
    pub unvisited_arrivals: Vec<NewArrival>,
    pub hand_offs: Vec<HandOff>,
    /// 密接 and 次密接 still without an isolation or monitoring period.
    pub awaiting_isolation: Vec<AwaitingIsolation>,
    /// Today's 日报, if exported.
    pub daily_report: Option<ExportRecord>,
}

/// The columns of `Who`, for a query with persons `p`, households `h`, place info `vo`.
const WHO: &str = "p.id, p.name, p.phone, nullif(coalesce(h.door_name, '') || coalesce(h.door_number, ''), ''), vo.village, vo.grid";

/// Persons `p` of the place `:place` and everything under it (all when it is NULL).
const IN_PLACE: &str = "(:place IS NULL OR h.place_id IN (SELECT id FROM under))";

fn under(place: Option<i64>) -> &'static str {
    if place.is_some() {
        ", under(id) AS (SELECT :place UNION ALL SELECT x.id FROM places x JOIN under ON x.parent_id = under.id)"
    } else {
        ", under(id) AS (SELECT NULL WHERE 0)"
    }
}

impl Store {
    /// The person the `WHO` columns from `first` on name.
    fn listed(&self, r: &Row, first: usize) -> rusqlite::Result<Who> {
        let person_id = r.get(first)?;
        Ok(Who {
            person_id,
            name: r.get(first + 1)?,
            phone: r.get(first + 2)?,
            household: r.get(first + 3)?,
            village: r.get(first + 4)?,
            grid: r.get(first + 5)?,
            read_only: self.is_outside_grid(person_id)?,
        })
    }

    /// Runs a today query with the parameters it names (`:day`, `:place`).
    fn today_rows<T>(
        &self,
        sql: &str,
        day: NaiveDate,
        place: Option<i64>,
        mut map: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        use rusqlite::types::Value;
        let mut stmt = self.conn.prepare_cached(sql)?;
        for (name, value) in [
            (":day", Value::Text(day.to_string())),
            (":place", place.map_or(Value::Null, Value::Integer)),
        ] {
            if let Some(i) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(i, value)?;
            }
        }
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(map(row)?);
        }
        Ok(out)
    }

    /// Everyone under watch on the day (the temperature round), in a place or everywhere,
    /// by grid, household and name; one row a person (their latest period under watch).
    pub fn watch_list(&self, day: NaiveDate, place: Option<i64>) -> Result<Vec<Watched>> {
        let sql = format!(
            "{PLACE_INFO}{under} SELECT {WHO}, i.id, i.kind, CAST(julianday(:day) - julianday(i.start_date) + 1 AS INTEGER),
                 i.planned_end_date, c.id, c.am_temperature, c.pm_temperature,
                 c.fever, c.dry_cough, c.fatigue, c.sore_throat, c.smell_taste_loss, c.diarrhea
             FROM (SELECT person_id, max(id) AS id FROM isolations i WHERE {watched} GROUP BY person_id) latest
             JOIN isolations i ON i.id = latest.id JOIN persons p ON p.id = i.person_id AND p.archived_at IS NULL
             LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id
             LEFT JOIN health_checks c ON c.person_id = p.id AND c.check_date = :day AND c.archived_at IS NULL
             WHERE {IN_PLACE}
             ORDER BY vo.village, vo.grid, h.door_name, CAST(h.door_number AS INTEGER), h.door_number, p.name, p.id",
            under = under(place),
            watched = counts::under_watch("i"),
        );
        self.today_rows(&sql, day, place, |r| {
            let flags: Vec<bool> = (13..19)
                .map(|i| r.get::<_, Option<bool>>(i).map(|b| b.unwrap_or(false)))
                .collect::<rusqlite::Result<_>>()?;
            let symptoms = crate::model::Symptoms {
                fever: flags[0],
                dry_cough: flags[1],
                fatigue: flags[2],
                sore_throat: flags[3],
                smell_taste_loss: flags[4],
                diarrhea: flags[5],
            };
            let am: Option<f64> = r.get(11)?;
            let pm: Option<f64> = r.get(12)?;
            let fever = [am, pm]
                .iter()
                .flatten()
                .any(|t| *t >= crate::validate::FEVER_THRESHOLD);
            Ok(Watched {
                who: self.listed(r, 0)?,
                isolation_id: r.get(6)?,
                kind: r.get(7)?,
                day_number: r.get(8)?,
                planned_end_date: r.get(9)?,
                check_id: r.get(10)?,
                am_temperature: am,
                pm_temperature: pm,
                symptoms: symptoms.names().into_iter().map(String::from).collect(),
                abnormal: fever || symptoms.any(),
            })
        })
    }

    /// What is due today in a place (or everywhere).
    pub fn today_list(&self, place: Option<i64>) -> Result<TodayList> {
        let day = self.today();
        let watched = self.watch_list(day, place)?;
        let readings_missing: Vec<Watched> = watched
            .iter()
            .filter(|w| w.am_temperature.is_none() || w.pm_temperature.is_none())
            .cloned()
            .collect();
        let fevers: Vec<Watched> = watched.iter().filter(|w| w.abnormal).cloned().collect();
        Ok(TodayList {
            day,
            watched: watched.len(),
            readings_missing,
            fevers,
            ending: self.periods_ending(day, place)?,
            tests_due: self.tests_where(
                "t.status = '待采样' AND t.sample_date <= :day",
                day,
                place,
            )?,
            results_pending: self.tests_where(
                &format!("{} AND t.result = '未出'", counts::sampled("t")),
                day,
                place,
            )?,
            unvisited_arrivals: self.unvisited_arrivals(day, place)?,
            hand_offs: self.hand_offs(day, place)?,
            awaiting_isolation: self.awaiting_isolation(day, place)?,
            daily_report: self.last_export("daily_report", day)?,
        })
    }

    /// Periods under watch whose planned end is today or past, the longest overdue first.
    fn periods_ending(&self, day: NaiveDate, place: Option<i64>) -> Result<Vec<Ending>> {
        let u = under(place);
        let sql = format!(
            "{PLACE_INFO}{u} SELECT {WHO}, i.id, i.kind, i.start_date, i.planned_end_date,
                 CAST(julianday(:day) - julianday(i.planned_end_date) AS INTEGER)
             FROM isolations i JOIN persons p ON p.id = i.person_id AND p.archived_at IS NULL
             LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id
             WHERE {} AND i.planned_end_date <= :day AND {IN_PLACE}
             ORDER BY i.planned_end_date, p.name",
            counts::under_watch("i")
        );
        self.today_rows(&sql, day, place, |r| {
            Ok(Ending {
                who: self.listed(r, 0)?,
                isolation_id: r.get(6)?,
                kind: r.get(7)?,
                start_date: r.get(8)?,
                planned_end_date: r.get(9)?,
                overdue_days: r.get(10)?,
            })
        })
    }

    /// Tests of persons in the place that meet `condition` (on `t`), by sample date.
    fn tests_where(
        &self,
        condition: &str,
        day: NaiveDate,
        place: Option<i64>,
    ) -> Result<Vec<DueTest>> {
        let u = under(place);
        let sql = format!(
            "{PLACE_INFO}{u} SELECT {WHO}, t.id, t.kind, t.sample_date, t.site
             FROM tests t JOIN persons p ON p.id = t.person_id AND p.archived_at IS NULL
             LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id
             WHERE t.archived_at IS NULL AND {condition} AND {IN_PLACE}
             ORDER BY t.sample_date, p.name"
        );
        self.today_rows(&sql, day, place, |r| {
            Ok(DueTest {
                who: self.listed(r, 0)?,
                test_id: r.get(6)?,
                kind: r.get(7)?,
                sample_date: r.get(8)?,
                site: r.get(9)?,
            })
        })
    }

    /// Arrivals of the last three days that no visit note has followed (of the person, or
    /// of their household) since they came.
    fn unvisited_arrivals(&self, day: NaiveDate, place: Option<i64>) -> Result<Vec<NewArrival>> {
        let u = under(place);
        let sql = format!(
            "{PLACE_INFO}{u} SELECT {WHO}, a.id, a.kind, a.arrival_date, coalesce(a.origin_address, a.origin_code)
             FROM arrivals a JOIN persons p ON p.id = a.person_id AND p.archived_at IS NULL
             LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id
             WHERE {} AND a.arrival_date > date(:day, '-3 days') AND {IN_PLACE}
               AND NOT EXISTS (SELECT 1 FROM visit_notes n WHERE n.archived_at IS NULL AND n.visit_date >= a.arrival_date
                               AND (n.person_id = p.id OR (p.household_id IS NOT NULL AND n.household_id = p.household_id)))
             ORDER BY a.arrival_date, p.name",
            counts::arrived("a")
        );
        self.today_rows(&sql, day, place, |r| {
            Ok(NewArrival {
                who: self.listed(r, 0)?,
                arrival_id: r.get(6)?,
                kind: r.get(7)?,
                arrival_date: r.get(8)?,
                origin: r.get(9)?,
            })
        })
    }

    /// 密接 and 次密接 of the place without an isolation, one row a person (their earliest
    /// link), the longest waiting first.
    fn awaiting_isolation(
        &self,
        day: NaiveDate,
        place: Option<i64>,
    ) -> Result<Vec<AwaitingIsolation>> {
        let u = under(place);
        let sql = format!(
            "{PLACE_INFO}{u} SELECT {WHO}, k.id, k.level, k.found_date, cp.name
             FROM (SELECT k.contact_person_id AS person_id, min(k.id) AS id FROM contacts k
                     JOIN cases s ON s.id = k.case_id AND s.archived_at IS NULL
                    WHERE {} GROUP BY k.contact_person_id) first
             JOIN contacts k ON k.id = first.id JOIN cases s ON s.id = k.case_id JOIN persons cp ON cp.id = s.person_id
             JOIN persons p ON p.id = k.contact_person_id AND p.archived_at IS NULL
             LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id
             WHERE {IN_PLACE}
             ORDER BY k.found_date, p.name, p.id",
            counts::awaiting_isolation("k")
        );
        self.today_rows(&sql, day, place, |r| {
            Ok(AwaitingIsolation {
                who: self.listed(r, 0)?,
                contact_id: r.get(6)?,
                level: r.get(7)?,
                found_date: r.get(8)?,
                case_name: r.get(9)?,
            })
        })
    }

    /// Travellers a checkpoint handed to a village in the place, not yet handled.
    fn hand_offs(&self, day: NaiveDate, place: Option<i64>) -> Result<Vec<HandOff>> {
        let u = under(place);
        let place_filter = if place.is_some() {
            "x.handed_to_place_id IN (SELECT id FROM under)"
        } else {
            ":place IS NULL"
        };
        let sql = format!(
            "{PLACE_INFO}{u} SELECT x.id, k.name, x.checked_at, x.name, x.phone, x.plate, x.temperature, x.origin, x.destination,
                 pl.name, x.person_id,
                 (SELECT json_group_array(json_object('name', name, 'temperature', temperature))
                    FROM (SELECT name, temperature FROM checkpoint_passengers cp WHERE cp.check_id = x.id ORDER BY cp.id))
             FROM checkpoint_checks x JOIN checkpoints k ON k.id = x.checkpoint_id JOIN places pl ON pl.id = x.handed_to_place_id
             WHERE x.archived_at IS NULL AND x.handled_at IS NULL AND x.disposal = '移交村(社区)' AND {place_filter}
             ORDER BY x.checked_at"
        );
        self.today_rows(&sql, day, place, |r| {
            let passengers: Vec<Passenger> = r
                .get::<_, Option<String>>(11)?
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            let driver: Option<f64> = r.get(6)?;
            let fever = driver
                .into_iter()
                .chain(passengers.iter().filter_map(|p| p.temperature))
                .any(|t| t >= crate::validate::FEVER_THRESHOLD);
            Ok(HandOff {
                check_id: r.get(0)?,
                checkpoint: r.get(1)?,
                checked_at: r.get(2)?,
                name: r.get(3)?,
                phone: r.get(4)?,
                plate: r.get(5)?,
                temperature: r.get(6)?,
                origin: r.get(7)?,
                destination: r.get(8)?,
                village: r.get(9)?,
                person_id: r.get(10)?,
                passengers,
                fever,
            })
        })
    }
}
