//! The forms that count per place (日报, 返乡人员统计, 疫苗接种统计): a row per village of the
//! ledger, county or township chosen, with a 未分村 row for what belongs to none of them (a
//! person without a household, a household kept on the township itself); or the one row of
//! the village, grid or 联户组 chosen. Everything under a row's place counts in it, however
//! deep it hangs. Each count is built from its one definition in `counts` and says whether it
//! counts persons (人, each once) or events (人次).

use super::{field, Count, DateRule, FieldInfo, Source, SourceInfo, Sql};
use crate::model::cell::FieldKind;
use crate::model::values::{CASE_KINDS, UNVACCINATED_REASONS, VACCINE_PLACES};
use crate::store::counts;

/// The rows: the places at the level of the report (`:unit_level`) within its place, then
/// the 未分村 row (village rows only).
pub(super) fn source() -> Source {
    Source {
        info: SourceInfo {
            key: "villages",
            label: "各村统计（每村一行；选网格或联户组时为该地一行）",
            date_meaning: "统计区间，截止日为报告日",
        },
        from: "(SELECT p.id, CASE WHEN p.level = '村' THEN p.name ELSE coalesce(pi.village || '/', '') || p.name END AS name
                  FROM places p LEFT JOIN place_info pi ON pi.place_id = p.id
                 WHERE p.level = :unit_level AND (:place IS NULL OR p.id IN (SELECT id FROM under))
                UNION ALL SELECT NULL, '未分村（社区）' WHERE :unit_level = '村') v
               LEFT JOIN place_info vi ON vi.place_id = v.id",
        base_where: "1",
        date: DateRule::None,
        kind: None,
        status: None,
        person: None,
        // The rows are the report's place already.
        scope: "1",
        order: "v.id IS NULL, v.name",
        optional_row: Some("v.id IS NULL"),
        fields: fields(),
    }
}

/// Each place within the report's, and the row it counts in: its ancestor at the level of
/// the rows (NULL: the 未分村 row). An item without a place (place 0) counts in the 未分村 row
/// of a whole ledger's report.
pub(super) fn unit_of(level: &str) -> String {
    let column = match level {
        "网格" => "grid_id",
        "联户组" => "group_id",
        _ => "village_id",
    };
    format!(
        "unit_of(place_id, unit_id) AS MATERIALIZED (
           SELECT place_id, {column} FROM place_info WHERE :place IS NULL OR place_id IN (SELECT id FROM under)
           UNION ALL SELECT 0, NULL WHERE :place IS NULL)"
    )
}

/// Where a person `m` lives (an archived household is none).
const HOUSEHOLD: &str =
    "LEFT JOIN households mh ON mh.id = m.household_id AND mh.archived_at IS NULL";

/// `from` joined to the person `m` whose record it is (`person` names them) and their home.
fn of_person(from: &str, person: &str) -> String {
    format!("{from} JOIN persons m ON m.id = {person} {HOUSEHOLD}")
}

fn count(
    key: &str,
    label: &str,
    from: &str,
    place: &str,
    condition: &str,
    count: &str,
) -> FieldInfo {
    FieldInfo {
        sql: Sql::Count(Count {
            from: from.into(),
            place: place.into(),
            condition: condition.into(),
            count: count.into(),
        }),
        ..field(key, label, FieldKind::Integer, "")
    }
}

/// Persons (each once) who meet `cond`.
fn persons(key: &str, label: &str, cond: &str) -> FieldInfo {
    count(
        key,
        label,
        &format!("persons m {HOUSEHOLD}"),
        "mh.place_id",
        &format!("m.archived_at IS NULL AND {cond}"),
        "count(*)",
    )
}

/// Persons (each once) with an arrival that meets `cond`. An arrival belongs to the place
/// of the person's household or, without one, to the place it names.
fn arrivals(key: &str, label: &str, cond: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person("arrivals a", "a.person_id"),
        "coalesce(mh.place_id, a.destination_place_id)",
        &format!("m.archived_at IS NULL AND {cond}"),
        "count(DISTINCT a.person_id)",
    )
}

/// Persons (each once) with a period that meets `cond`.
fn periods(key: &str, label: &str, cond: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person("isolations i", "i.person_id"),
        "mh.place_id",
        &format!("m.archived_at IS NULL AND {cond}"),
        "count(DISTINCT i.person_id)",
    )
}

/// Persons (each once) with an abnormal daily check that meets `cond`.
fn abnormal(key: &str, label: &str, cond: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person("health_checks c", "c.person_id"),
        "mh.place_id",
        &format!(
            "m.archived_at IS NULL AND {cond} AND {}",
            counts::abnormal("c")
        ),
        "count(DISTINCT c.person_id)",
    )
}

/// Persons (each once) found to be contacts of level `level` between `:start` and the day.
fn contacts(key: &str, label: &str, level: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person(
            "contacts k JOIN cases ks ON ks.id = k.case_id AND ks.archived_at IS NULL",
            "k.contact_person_id",
        ),
        "mh.place_id",
        &format!(
            "m.archived_at IS NULL AND k.level = '{level}' AND {}",
            counts::contact_found_between("k", ":start")
        ),
        "count(DISTINCT k.contact_person_id)",
    )
}

/// Persons (each once) with a case of kind `kind` reported between `:start` and the day.
fn cases(key: &str, label: &str, kind: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person("cases s", "s.person_id"),
        "mh.place_id",
        &format!(
            "m.archived_at IS NULL AND s.kind = '{kind}' AND {}",
            counts::case_reported_between("s", ":start")
        ),
        "count(DISTINCT s.person_id)",
    )
}

/// Checkpoint stops between `:start` and the day, counted by `how`.
fn stops(key: &str, label: &str, how: &str) -> FieldInfo {
    count(
        key,
        label,
        "checkpoint_checks x JOIN checkpoints ck ON ck.id = x.checkpoint_id",
        "ck.place_id",
        &counts::stop_between("x", ":start"),
        how,
    )
}

/// Doses `dose` given to registered persons (each person once), `cond` on the dose.
fn doses(key: &str, label: &str, dose: i64, cond: &str) -> FieldInfo {
    count(
        key,
        label,
        &of_person("vaccinations va", "va.person_id"),
        "mh.place_id",
        &format!(
            "{} AND va.dose = {dose} AND {}{cond}",
            counts::registered("m"),
            counts::dose_given("va")
        ),
        "count(DISTINCT va.person_id)",
    )
}

fn fields() -> Vec<FieldInfo> {
    use FieldKind::*;
    let watched = counts::under_watch_between("i", ":start");
    let registered = counts::registered("m");
    let no_dose = format!(
        "NOT EXISTS (SELECT 1 FROM vaccinations va WHERE va.person_id = m.id AND {})",
        counts::dose_given("va")
    );
    let mut fields = vec![
        field("row_number", "序号", RowNumber, "NULL"),
        field("blank", "（空白列）", Text, "''"),
        field("village", "社区/村", Text, "v.name"),
        field("township", "乡镇（街道）", Text, "vi.township"),
        field("unit_id", "地点编号", Text, "CAST(v.id AS TEXT)"),
        count("households", "总户数", "households hh", "hh.place_id", "hh.archived_at IS NULL", "count(*)"),
        persons("registered_persons", "户籍人口（常住+外出）", &registered)
            .defined("户籍人口为居住状态是常住或外出的登记人员，不含外来、已迁出、已故"),
        persons("resident_persons", "常住人口（常住+外来）", &counts::resident("m"))
            .defined("常住人口为居住状态是常住或外来的登记人员"),
        arrivals(
            "returnees_total",
            "来(返)乡人数（所选区间）",
            &counts::arrived_between("a", "coalesce(:from, :epoch)"),
        )
        .ranged(),
        abnormal("abnormal_total", "累计异常人数", "c.check_date >= :epoch AND c.check_date <= :day")
            .defined("累计异常人数为自{epoch}至报告日有过体温≥37.3℃或症状的人数（每人计一次）"),
        abnormal(
            "abnormal_14d",
            "14天内异常人数",
            "c.check_date > date(:day, '-14 days') AND c.check_date <= :day",
        ),
        arrivals("new_arrivals", "新增来(返)乡人数", &counts::arrived_between("a", ":start"))
            .defined("新增来(返)乡人数为统计区间（未选开始日期时为报告日当天）内到达、状态为已返的返乡和外来人员，每人计一次（不含来访和将返）")
            .ranged(),
        arrivals("total_arrivals", "累计来(返)乡人数", &counts::arrived_to_date("a"))
            .defined("累计来(返)乡人数为自{epoch}（疫情起始日期）至报告日到达的已返返乡和外来人员，每人计一次"),
        periods(
            "home_isolation",
            "在管居家隔离人数",
            &format!("i.kind = '居家隔离医学观察' AND {watched}"),
        )
        .defined("在管为统计区间内（未选开始日期时为报告日）已开始、尚未解除的隔离或监测（逾期未解除的仍计在管），每人计一次；居家隔离只计居家隔离医学观察，不含居家健康监测")
        .ranged(),
        periods("central_isolation", "在管集中隔离人数", &format!("i.kind = '集中隔离' AND {watched}")).ranged(),
        periods("health_monitoring", "在管居家健康监测人数", &format!("i.kind = '居家健康监测' AND {watched}")).ranged(),
        periods("under_watch", "在管隔离/监测人数", &watched).ranged(),
        periods("released_today", "解除人数", &counts::released_between("i", ":start"))
            .defined("解除人数为解除日期在统计区间内（未选开始日期时为报告日）的隔离或监测人数")
            .ranged(),
        abnormal("abnormal_today", "发热/异常人数", "c.check_date >= :start AND c.check_date <= :day")
            .defined("发热/异常为统计区间内（未选开始日期时为报告日）体温≥37.3℃或有症状的人数，每人计一次")
            .ranged(),
        contacts("new_close_contacts", "新增密接人数", "密接")
            .defined("新增密接、次密接为发现（判定）日期在统计区间内的人数，同一人与几个病例有关联也只计一次")
            .ranged(),
        contacts("new_second_contacts", "新增次密接人数", "次密接").ranged(),
        stops(
            "checkpoint_people",
            "卡口检查人次",
            "count(*) + coalesce(sum(x.passenger_count), 0)",
        )
        .defined("卡口人次为统计区间内每次检查的被检查人加随车人员（同一人过两次计两人次），车次为有车牌的检查次数")
        .ranged(),
        stops("checkpoint_vehicles", "卡口检查车次", "count(x.plate)").ranged(),
        persons(
            "unvaccinated_total",
            "未接种人数（户籍人口）",
            &format!("{registered} AND m.unvaccinated_reason IS NOT NULL AND {no_dose}"),
        )
        .defined("未接种人数为户籍人口中登记了未接种原因、且没有接种记录的人"),
    ];
    for kind in CASE_KINDS {
        fields.push(
            cases(&format!("new_cases:{kind}"), &format!("新增{kind}人数"), kind)
                .defined("新增病例为报告日期在统计区间内（未选开始日期时为报告日）的确诊病例、无症状感染者和疑似病例，各类每人计一次")
                .ranged(),
        );
    }
    for month in 1..=12 {
        fields.push(
            arrivals(
                &format!("returnees_month:{month}"),
                &format!("{month}月来(返)乡人数"),
                &format!(
                    "{} AND CAST(strftime('%m', a.arrival_date) AS INTEGER) = {month}",
                    counts::arrived_between(
                        "a",
                        "max(coalesce(:from, :epoch), :epoch, strftime('%Y-01-01', :day))"
                    )
                ),
            )
            .defined("各月来(返)乡人数为报告日所在年份各月到达的已返返乡和外来人员，每人每月计一次，不早于{epoch}（和所选开始日期），不晚于报告日")
            .ranged(),
        );
    }
    for (dose, name) in [(1, "第一针"), (2, "第二针"), (3, "加强针")] {
        fields.push(
            doses(&format!("dose:{dose}:total"), &format!("{name}接种人数"), dose, "")
                .defined("接种人数只计户籍人口中报告日前已接种的人，每人每针计一次；没有登记接种地点的计入“不详”"),
        );
        for place in VACCINE_PLACES {
            fields.push(doses(
                &format!("dose:{dose}:{place}"),
                &format!("{name}{place}接种人数"),
                dose,
                &format!(" AND va.place_kind = '{place}'"),
            ));
        }
        fields.push(doses(
            &format!("dose:{dose}:不详"),
            &format!("{name}接种地点不详人数"),
            dose,
            " AND va.place_kind IS NULL",
        ));
    }
    for reason in UNVACCINATED_REASONS {
        fields.push(persons(
            &format!("unvaccinated:{reason}"),
            &format!("未接种（{reason}）"),
            &format!("{registered} AND m.unvaccinated_reason = '{reason}' AND {no_dose}"),
        ));
    }
    fields
}
