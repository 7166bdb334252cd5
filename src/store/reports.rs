//! The rows of report templates: one SELECT per row source, whose columns are picked by
//! field key from the catalog below. The catalog is the only place that knows how a form's
//! column is read from the ledger; templates name fields, never SQL.

use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::counts;
use super::Store;
use crate::error::{Code, Error, Result};
use crate::model::cell::{Cell, FieldKind};
use crate::model::values::{UNVACCINATED_REASONS, VACCINE_PLACES};

/// A field a template column can show.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// What the field counts or shows, for the form's footnote (口径). `{epoch}` stands for
    /// the epidemic's start date.
    pub definition: Option<&'static str>,
    #[serde(skip)]
    sql: String,
}

impl FieldInfo {
    fn defined(mut self, definition: &'static str) -> FieldInfo {
        self.definition = Some(definition);
        self
    }
}

/// A row source, as the template editor lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub key: &'static str,
    pub label: &'static str,
    /// What the date range of a report applies to.
    pub date_meaning: &'static str,
}

/// Which records a report takes (besides the date range and village chosen when running it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TemplateFilter {
    /// Record kinds: 返乡/外来/来访, 密接/次密接, 居家隔离医学观察 …
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// Record status: 已返/将返, 在管/已解除, 放行/劝返/移交村(社区), 常住/外出 …
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    /// Persons with any of these tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Leave out rows where all of these fields are 0 (e.g. households with no returnee).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nonzero: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortKey {
    pub field: String,
    #[serde(default)]
    pub descending: bool,
}

/// What a report asks of the store.
pub struct RowQuery<'a> {
    pub source: &'a str,
    pub fields: &'a [String],
    pub filter: &'a TemplateFilter,
    pub sort: &'a [SortKey],
    pub from: Option<NaiveDate>,
    /// The report day: the end of the range, and "today" for ages and day counts.
    pub day: NaiveDate,
    /// The epidemic's start: 累计 counts from it.
    pub epoch: NaiveDate,
    /// Only records of this place and the places under it (a township, village, grid or group).
    pub place_id: Option<i64>,
}

enum DateRule {
    None,
    /// Rows whose date lies in the range.
    Column(&'static str),
    /// Periods that overlap the range.
    Overlap {
        start: &'static str,
        end: &'static str,
    },
}

struct Source {
    info: SourceInfo,
    from: &'static str,
    base_where: &'static str,
    date: DateRule,
    kind: Option<&'static str>,
    status: Option<String>,
    person: Option<&'static str>,
    /// The place a record belongs to (a household's place, a checkpoint's, a village).
    place: &'static str,
    order: &'static str,
    /// True for a row shown only when one of its numbers is not zero (the 未分村 row of the
    /// per-village forms).
    optional_row: Option<&'static str>,
    fields: Vec<FieldInfo>,
}

/// The village, township and grid of every place, computed once per query. Places nest at
/// most five deep (县 › 乡镇 › 村 › 网格 › 联户组: `add_place` puts a level only under a
/// higher one), so five joins reach every ancestor (`tests/store.rs` builds the deepest tree).
/// A recursive walk of the tree cost 17 ms a query on a township's 1,700 places.
pub(super) const PLACE_INFO: &str = "WITH RECURSIVE place_info AS MATERIALIZED (
        SELECT p0.id AS place_id,
          CASE '村' WHEN p0.level THEN p0.id WHEN p1.level THEN p1.id WHEN p2.level THEN p2.id WHEN p3.level THEN p3.id WHEN p4.level THEN p4.id END AS village_id,
          CASE '村' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS village,
          CASE '乡镇' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS township,
          CASE '网格' WHEN p0.level THEN p0.name WHEN p1.level THEN p1.name WHEN p2.level THEN p2.name WHEN p3.level THEN p3.name WHEN p4.level THEN p4.name END AS grid
        FROM places p0 LEFT JOIN places p1 ON p1.id = p0.parent_id LEFT JOIN places p2 ON p2.id = p1.parent_id
          LEFT JOIN places p3 ON p3.id = p2.parent_id LEFT JOIN places p4 ON p4.id = p3.parent_id
    )";

const PERSON_JOIN: &str = "LEFT JOIN households h ON h.id = p.household_id LEFT JOIN place_info vo ON vo.place_id = h.place_id";

/// Persons of village `v` (for the per-village counts), alias `m`.
const VILLAGE_PERSONS: &str = "persons m LEFT JOIN households mh ON mh.id = m.household_id LEFT JOIN place_info mp ON mp.place_id = mh.place_id
    WHERE mp.village_id IS v.id AND m.archived_at IS NULL";

fn field(key: &str, label: &str, kind: FieldKind, sql: &str) -> FieldInfo {
    FieldInfo {
        key: key.into(),
        label: label.into(),
        kind,
        definition: None,
        sql: sql.into(),
    }
}

fn common_fields() -> Vec<FieldInfo> {
    vec![
        field("row_number", "序号", FieldKind::RowNumber, "NULL"),
        field("blank", "（空白列）", FieldKind::Text, "''"),
    ]
}

fn person_fields() -> Vec<FieldInfo> {
    use FieldKind::*;
    vec![
        field("name", "姓名", Text, "p.name"),
        field("gender", "性别", Text, "p.gender"),
        field("id_type", "证件类型", Text, "p.id_type"),
        field("id_number", "身份证号码", IdNumber, "p.id_number"),
        field("phone", "手机号码", Phone, "p.phone"),
        field("birth_date", "出生日期", Date, "p.birth_date"),
        field(
            "age",
            "年龄",
            Integer,
            "CASE WHEN p.birth_date IS NULL THEN NULL ELSE CAST(strftime('%Y', :day) AS INTEGER) - CAST(strftime('%Y', p.birth_date) AS INTEGER)
               - (strftime('%m-%d', :day) < strftime('%m-%d', p.birth_date)) END",
        ),
        field("hukou", "户籍所在地", Division, "coalesce(p.hukou_address, p.hukou_code)"),
        field("address", "现居住地址", Text, "coalesce(p.current_address, h.address, nullif(coalesce(h.door_name, '') || coalesce(h.door_number, ''), ''))"),
        field("door_name", "门牌名", Text, "h.door_name"),
        field("door_number", "门牌号", Text, "h.door_number"),
        field("village", "社区/村", Text, "vo.village"),
        field("township", "乡镇（街道）", Text, "vo.township"),
        field("grid", "网格", Text, "vo.grid"),
        field("relation_to_head", "与户主关系", Text, "p.relation_to_head"),
        field("crowd_category", "人群分类", Text, "p.crowd_category"),
        field("occupation", "职业", Text, "coalesce(p.occupation, p.crowd_category)"),
        field("work_place", "工作单位", Text, "p.work_place"),
        field("residence_status", "居住状态", Text, "p.residence_status"),
        field("special_industry", "特定行业", Text, "p.special_industry"),
        field("tags", "标签", Text, "(SELECT group_concat(tag, '、') FROM person_tags t WHERE t.person_id = p.id)"),
        // No test and no vaccination on record is 无记录: never 阴性, never 未接种.
        field(
            "test_result",
            "核酸检测结果",
            Text,
            &format!("coalesce((SELECT result FROM tests t WHERE t.person_id = p.id AND {} ORDER BY sample_date DESC, id DESC LIMIT 1), '无记录')", counts::sampled("t")),
        )
        .defined("核酸检测结果为报告日前最近一次已采样的结果，“无记录”表示台账中没有检测记录"),
        field("test_date", "核酸检测时间", Date, &format!("(SELECT max(sample_date) FROM tests t WHERE t.person_id = p.id AND {})", counts::sampled("t"))),
        field(
            "vaccination",
            "疫苗接种情况",
            Text,
            &format!(
                // One look at the person's doses (this column is on every row of a list).
                "coalesce((SELECT '已接种' || count(*) || '针' FROM vaccinations va WHERE va.person_id = p.id AND {given} HAVING count(*) > 0),
                  CASE WHEN p.unvaccinated_reason IS NOT NULL THEN '未接种（' || p.unvaccinated_reason || '）' ELSE '无记录' END)",
                given = counts::dose_given("va")
            ),
        )
        .defined("疫苗接种情况：“无记录”表示台账中既无接种记录、也无未接种原因，不等于未接种"),
        field("unvaccinated_reason", "未接种原因", Text, "p.unvaccinated_reason"),
        field("person_note", "人员备注", Text, "p.note"),
    ]
}

fn sources() -> Vec<Source> {
    use FieldKind::*;
    let with = |mut base: Vec<FieldInfo>, extra: Vec<FieldInfo>| {
        base.extend(extra);
        base
    };
    let person_based = || with(common_fields(), person_fields());
    let risky = "a.risk_level IN ('高', '中')";
    vec![
        Source {
            info: SourceInfo { key: "persons", label: "人员（花名册）", date_meaning: "不按日期筛选" },
            from: "persons p",
            base_where: "p.archived_at IS NULL",
            date: DateRule::None,
            kind: None,
            status: Some("p.residence_status".into()),
            person: Some("p.id"),
            place: "h.place_id",
            order: "vo.village, vo.grid, h.door_name, CAST(h.door_number AS INTEGER), h.id, p.relation_to_head IS NOT '户主', p.birth_date",
            optional_row: None,
            fields: person_based(),
        },
        Source {
            info: SourceInfo { key: "arrivals", label: "来（返）乡人员", date_meaning: "来（返）乡日期" },
            from: "arrivals a JOIN persons p ON p.id = a.person_id LEFT JOIN place_info dv ON dv.place_id = a.destination_place_id",
            base_where: "p.archived_at IS NULL AND a.archived_at IS NULL AND a.arrival_date <= :day",
            date: DateRule::Column("a.arrival_date"),
            kind: Some("a.kind"),
            status: Some("a.status".into()),
            person: Some("p.id"),
            // A person without a household belongs to the village their arrival names.
            place: "coalesce(h.place_id, a.destination_place_id)",
            order: "a.arrival_date, a.id",
            optional_row: None,
            fields: with(
                person_based().into_iter().filter(|f| f.key != "village").collect(),
                vec![
                    field("village", "社区/村", Text, "coalesce(vo.village, dv.village)"),
                    field("arrival_date", "来(返)乡日期", Date, "a.arrival_date"),
                    field("arrival_kind", "类型", Text, "a.kind"),
                    field("arrival_status", "人员状态", Text, "a.status"),
                    field("origin", "出发地", Division, "coalesce(a.origin_address, a.origin_code)"),
                    field("risk_level", "风险等级", Text, "a.risk_level"),
                    field("from_risk_area", "是否从中高风险区来(返)乡", Text, &format!("CASE WHEN {risky} THEN '是' ELSE '否' END")),
                    field("transport", "交通工具", Text, "a.transport"),
                    field("transport_no", "车次/航班/车牌号", Text, "a.transport_no"),
                    field("route", "行程逗留地点", Text, "a.route"),
                    field("reason", "返乡原因", Text, "a.reason"),
                    field("destination", "目的地所属村(社区)", Text, "coalesce(dv.village, (SELECT name FROM places WHERE id = a.destination_place_id), vo.village)"),
                    field("health_code", "健康码", Text, "a.health_code"),
                    field("days_since_arrival", "返乡天数", Integer, "CAST(julianday(:day) - julianday(a.arrival_date) AS INTEGER)"),
                    field("arrival_note", "备注", Text, "a.note"),
                    field("local_epidemic_yes", "当地疫情：有", Text, &format!("CASE WHEN {risky} THEN '√' ELSE '' END")),
                    field("local_epidemic_no", "当地疫情：无", Text, &format!("CASE WHEN {risky} THEN '' ELSE '√' END")),
                    field(
                        "max_temperature",
                        "返乡后最高体温",
                        Temperature,
                        "(SELECT nullif(max(max(coalesce(c.am_temperature, 0), coalesce(c.pm_temperature, 0))), 0) FROM health_checks c
                           WHERE c.person_id = a.person_id AND c.check_date >= a.arrival_date)",
                    ),
                    field(
                        "cough",
                        "咳嗽",
                        Text,
                        "CASE WHEN EXISTS (SELECT 1 FROM health_checks c WHERE c.person_id = a.person_id AND c.check_date >= a.arrival_date AND c.dry_cough)
                              THEN '有' ELSE '无' END",
                    ),
                    field(
                        "observation",
                        "医学观察",
                        Text,
                        "(SELECT i.kind FROM isolations i WHERE i.person_id = a.person_id AND i.start_date >= a.arrival_date ORDER BY i.start_date LIMIT 1)",
                    ),
                    field(
                        "observation_days",
                        "观察日期与天数",
                        Text,
                        "(SELECT i.start_date || ' 起，第 ' || CAST(julianday(min(:day, coalesce(i.released_date, :day))) - julianday(i.start_date) + 1 AS INTEGER) || ' 天'
                          FROM isolations i WHERE i.person_id = a.person_id AND i.start_date >= a.arrival_date ORDER BY i.start_date LIMIT 1)",
                    ),
                ],
            ),
        },
        Source {
            info: SourceInfo { key: "isolations", label: "隔离与健康监测", date_meaning: "与所选日期有交叠的隔离期" },
            from: "isolations i JOIN persons p ON p.id = i.person_id",
            base_where: "p.archived_at IS NULL AND i.archived_at IS NULL",
            date: DateRule::Overlap { start: "i.start_date", end: "coalesce(i.released_date, i.planned_end_date)" },
            kind: Some("i.kind"),
            status: Some(under_watch_status()),
            person: Some("p.id"),
            place: "h.place_id",
            order: "i.start_date, i.id",
            optional_row: None,
            fields: with(
                person_based(),
                vec![
                    field("isolation_kind", "隔离方式", Text, "i.kind"),
                    field(
                        "isolation_place",
                        "隔离地址",
                        Text,
                        "coalesce(i.site_name || coalesce(' ' || i.room_number || '室', ''), i.address, p.current_address, h.address)",
                    ),
                    field("start_date", "开始隔离时间", Date, "i.start_date"),
                    field("planned_end_date", "结束隔离时间", Date, "i.planned_end_date"),
                    field("released_date", "解除日期", Date, "i.released_date"),
                    field("isolation_status", "状态", Text, &under_watch_status()),
                    field(
                        "isolation_day",
                        "隔离第几天",
                        Integer,
                        "CAST(julianday(min(:day, coalesce(i.released_date, :day))) - julianday(i.start_date) + 1 AS INTEGER)",
                    ),
                    field(
                        "tested",
                        "是否核酸检测",
                        Text,
                        &format!("CASE WHEN EXISTS (SELECT 1 FROM tests t WHERE t.person_id = i.person_id AND t.sample_date >= i.start_date AND {}) THEN '是' ELSE '否' END", counts::sampled("t")),
                    ),
                    field("isolation_test_date", "核酸检测时间", Date, &format!("(SELECT max(sample_date) FROM tests t WHERE t.person_id = i.person_id AND t.sample_date >= i.start_date AND {})", counts::sampled("t"))),
                    field(
                        "isolation_test_result",
                        "核酸检测结果",
                        Text,
                        &format!("(SELECT result FROM tests t WHERE t.person_id = i.person_id AND t.sample_date >= i.start_date AND {} ORDER BY t.sample_date DESC, t.id DESC LIMIT 1)", counts::sampled("t")),
                    ),
                    field("responsible", "医学观察实施责任人", Text, "i.responsible"),
                ]
                .into_iter()
                .chain(day_fields())
                .collect(),
            ),
        },
        Source {
            info: SourceInfo { key: "health_checks", label: "每日健康监测", date_meaning: "监测日期" },
            from: "health_checks c JOIN persons p ON p.id = c.person_id LEFT JOIN isolations i ON i.id = c.isolation_id",
            base_where: "p.archived_at IS NULL AND c.archived_at IS NULL",
            date: DateRule::Column("c.check_date"),
            kind: Some("i.kind"),
            status: Some(abnormal_status()),
            person: Some("p.id"),
            place: "h.place_id",
            order: "p.id, c.check_date",
            optional_row: None,
            fields: with(
                person_based(),
                vec![
                    field("check_date", "监测日期", Date, "c.check_date"),
                    field("check_day", "第几天", Integer, "CASE WHEN i.start_date IS NULL THEN NULL ELSE CAST(julianday(c.check_date) - julianday(i.start_date) + 1 AS INTEGER) END"),
                    field("am_temperature", "上午体温", Temperature, "c.am_temperature"),
                    field("pm_temperature", "下午体温", Temperature, "c.pm_temperature"),
                    field("symptoms", "症状", Text, SYMPTOM_TEXT),
                    field("abnormal", "是否异常", Text, &abnormal_status()),
                    field("checker", "监测人", Text, "c.checker"),
                    field("isolation_kind", "隔离方式", Text, "i.kind"),
                ],
            ),
        },
        Source {
            info: SourceInfo { key: "contacts", label: "密接与次密接", date_meaning: "发现时间" },
            from: "contacts k JOIN persons p ON p.id = k.contact_person_id JOIN persons src ON src.id = k.source_person_id
                   JOIN cases cs ON cs.id = k.case_id JOIN persons cp ON cp.id = cs.person_id",
            base_where: "p.archived_at IS NULL AND k.archived_at IS NULL AND cs.archived_at IS NULL",
            date: DateRule::Column("k.found_date"),
            kind: Some("k.level"),
            status: None,
            person: Some("p.id"),
            place: "h.place_id",
            order: "k.found_date, k.level, k.id",
            optional_row: None,
            fields: with(
                person_based(),
                vec![
                    field("contact_level", "接触类型", Text, "k.level"),
                    field("found_date", "发现时间", Date, "k.found_date"),
                    field("case_name", "关联病例", Text, "cp.name"),
                    field("case_kind", "病例类型", Text, "cs.kind"),
                    field("source_name", "接触对象", Text, "src.name"),
                    field("exposure_type", "暴露类型", Text, "k.exposure_type"),
                    field("contact_relation", "与病人关系", Text, "k.relation"),
                    field("contact_way", "接触方式", Text, "k.contact_way"),
                    field("last_contact_date", "最后接触日期", Date, "k.last_contact_date"),
                ],
            ),
        },
        Source {
            info: SourceInfo { key: "checkpoint_checks", label: "卡口检查", date_meaning: "检查日期" },
            from: "checkpoint_checks x JOIN checkpoints k ON k.id = x.checkpoint_id LEFT JOIN place_info ko ON ko.place_id = k.place_id",
            base_where: "x.archived_at IS NULL",
            date: DateRule::Column("substr(x.checked_at, 1, 10)"),
            kind: None,
            status: Some("x.disposal".into()),
            person: None,
            place: "k.place_id",
            order: "x.checked_at, x.id",
            optional_row: None,
            fields: with(
                common_fields(),
                vec![
                    field("checkpoint_name", "卡口名称", Text, "k.name"),
                    field("checked_at", "检查时间", DateTime, "x.checked_at"),
                    field("name", "被检查人姓名", Text, "x.name"),
                    field("id_number", "身份证号", IdNumber, "x.id_number"),
                    field("phone", "联系方式", Phone, "x.phone"),
                    field("plate", "车牌号", Text, "x.plate"),
                    field("plate_kind", "号牌种类", Text, "x.plate_kind"),
                    field("vehicle_kind", "车辆类别", Text, "x.vehicle_kind"),
                    field("passenger_count", "随车人数", Integer, "x.passenger_count"),
                    field(
                        "passengers",
                        "随车人员",
                        Text,
                        "(SELECT group_concat(q.name || coalesce(' ' || printf('%.1f℃', q.temperature), ''), '、')
                          FROM (SELECT name, temperature FROM checkpoint_passengers WHERE check_id = x.id ORDER BY id) q)",
                    ),
                    field("origin", "出发地", Text, "x.origin"),
                    field("destination", "目的地", Text, "x.destination"),
                    field("temperature", "体温", Temperature, "x.temperature"),
                    field("health_code", "健康码", Text, "x.health_code"),
                    field("disposal", "处置", Text, "x.disposal"),
                    field("village", "社区/村", Text, "ko.village"),
                ],
            ),
        },
        Source {
            info: SourceInfo { key: "households", label: "户", date_meaning: "返乡人数按来（返）乡日期统计" },
            from: "households h LEFT JOIN place_info vo ON vo.place_id = h.place_id",
            base_where: "h.archived_at IS NULL",
            date: DateRule::None,
            kind: None,
            status: Some("h.housing_use".into()),
            person: None,
            place: "h.place_id",
            order: "vo.village, vo.grid, h.door_name, CAST(h.door_number AS INTEGER), h.door_number, h.id",
            optional_row: None,
            fields: with(
                common_fields(),
                vec![
                    field("door_name", "门牌名", Text, "h.door_name"),
                    field("door_number", "门牌号", Text, "h.door_number"),
                    field("address", "地址", Text, "h.address"),
                    field("head_name", "户主姓名", Text, "(SELECT name FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL)"),
                    field("head_phone", "联系方式", Phone, "(SELECT phone FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL)"),
                    field("member_count", "户内人数", Integer, "(SELECT count(*) FROM persons WHERE household_id = h.id AND archived_at IS NULL)"),
                    field(
                        "returnee_count",
                        "返乡人员数量",
                        Integer,
                        &format!(
                            "(SELECT count(*) FROM arrivals a JOIN persons m ON m.id = a.person_id WHERE m.household_id = h.id AND m.archived_at IS NULL
                               AND {} AND (:from IS NULL OR a.arrival_date >= :from))",
                            counts::arrived("a")
                        ),
                    ),
                    field("housing_use", "住房使用情况", Text, "h.housing_use"),
                    field("tenant_name", "承租人", Text, "h.tenant_name"),
                    field("village", "社区/村", Text, "vo.village"),
                    field("grid", "网格", Text, "vo.grid"),
                    field("township", "乡镇（街道）", Text, "vo.township"),
                ],
            ),
        },
        Source {
            info: SourceInfo { key: "villages", label: "各村统计（每村一行）", date_meaning: "统计区间，截止日为报告日" },
            // Every village, and a last row for what belongs to none (persons without a
            // household, checkpoints without a village), so the rows add up to the ledger.
            from: "(SELECT id, name FROM places WHERE level = '村' UNION ALL SELECT NULL, '未分村（社区）') v
                   LEFT JOIN place_info vi ON vi.place_id = v.id",
            base_where: "1",
            date: DateRule::None,
            kind: None,
            status: None,
            person: None,
            place: "v.id",
            order: "v.id IS NULL, v.name",
            optional_row: Some("v.id IS NULL"),
            fields: with(common_fields(), village_fields()),
        },
    ]
}

/// The days of a period as column groups (第1天 … 第21天 of the health log kept one row per
/// person): the morning and afternoon temperature and the symptoms of day N of the period.
fn day_fields() -> Vec<FieldInfo> {
    use FieldKind::*;
    let mut fields = Vec::new();
    for n in 1..=21 {
        let day = format!(
            "c.person_id = i.person_id AND c.check_date = date(i.start_date, '+{} days') AND c.archived_at IS NULL AND c.check_date <= :day",
            n - 1
        );
        fields.push(field(
            &format!("day_am:{n}"),
            &format!("第{n}天上午体温"),
            Temperature,
            &format!("(SELECT am_temperature FROM health_checks c WHERE {day})"),
        ));
        fields.push(field(
            &format!("day_pm:{n}"),
            &format!("第{n}天下午体温"),
            Temperature,
            &format!("(SELECT pm_temperature FROM health_checks c WHERE {day})"),
        ));
        fields.push(field(
            &format!("day_symptoms:{n}"),
            &format!("第{n}天症状"),
            Text,
            &format!("(SELECT {SYMPTOM_TEXT} FROM health_checks c WHERE {day})"),
        ));
    }
    fields
}

/// The symptoms of a check `c` as the forms write them (无 when none).
const SYMPTOM_TEXT: &str = "coalesce(nullif(rtrim(CASE WHEN c.fever THEN '发热、' ELSE '' END || CASE WHEN c.dry_cough THEN '干咳、' ELSE '' END
   || CASE WHEN c.fatigue THEN '乏力、' ELSE '' END || CASE WHEN c.sore_throat THEN '咽痛、' ELSE '' END
   || CASE WHEN c.smell_taste_loss THEN '嗅(味)觉减退、' ELSE '' END || CASE WHEN c.diarrhea THEN '腹泻、' ELSE '' END, '、'), ''), '无')";

/// Whether a period is under watch on the report day, as the lists show it.
fn under_watch_status() -> String {
    format!(
        "CASE WHEN {} THEN '在管' ELSE '已解除' END",
        counts::under_watch("i")
    )
}

/// Whether a check is abnormal, as the health log shows it.
fn abnormal_status() -> String {
    format!(
        "CASE WHEN {} THEN '异常' ELSE '正常' END",
        counts::abnormal("c")
    )
}

/// The per-village counts, each built from the one definition in `counts`. Keys with a
/// parameter (month, dose, reason) are listed expanded.
fn village_fields() -> Vec<FieldInfo> {
    use FieldKind::*;
    let count = |key: &str, label: &str, sql: String| field(key, label, Integer, &sql);
    let persons_where = |cond: &str| format!("(SELECT count(*) FROM {VILLAGE_PERSONS} AND {cond})");
    // An arrival belongs to the village of the person's household, or (without one) to the
    // village the arrival names.
    let arrivals_where = |cond: &str| {
        format!(
            "(SELECT count(*) FROM arrivals a JOIN persons m ON m.id = a.person_id LEFT JOIN households mh ON mh.id = m.household_id
               LEFT JOIN place_info mp ON mp.place_id = mh.place_id LEFT JOIN place_info dp ON dp.place_id = a.destination_place_id
             WHERE coalesce(mp.village_id, dp.village_id) IS v.id AND m.archived_at IS NULL AND {cond})"
        )
    };
    let checks_abnormal = |cond: &str| {
        format!(
            "(SELECT count(DISTINCT c.person_id) FROM health_checks c JOIN {VILLAGE_PERSONS} AND c.person_id = m.id AND {cond} AND {})",
            counts::abnormal("c")
        )
    };
    let isolations_where = |cond: &str| {
        format!("(SELECT count(*) FROM isolations i JOIN {VILLAGE_PERSONS} AND i.person_id = m.id AND {cond})")
    };
    let watched = counts::under_watch("i");
    let contacts_where = |cond: &str| {
        format!(
            "(SELECT count(*) FROM contacts k JOIN cases ks ON ks.id = k.case_id AND ks.archived_at IS NULL JOIN {VILLAGE_PERSONS}
               AND k.contact_person_id = m.id AND {cond})"
        )
    };
    let stops = format!(
        "FROM checkpoint_checks x JOIN checkpoints ck ON ck.id = x.checkpoint_id LEFT JOIN place_info cp ON cp.place_id = ck.place_id
         WHERE cp.village_id IS v.id AND {}",
        counts::stop_on_day("x")
    );
    let no_dose = format!(
        "NOT EXISTS (SELECT 1 FROM vaccinations va WHERE va.person_id = m.id AND {})",
        counts::dose_given("va")
    );
    let registered = counts::registered("m");
    let mut fields = vec![
        field("village", "社区/村", Text, "v.name"),
        field("township", "乡镇（街道）", Text, "vi.township"),
        count(
            "households",
            "总户数",
            "(SELECT count(*) FROM households hh LEFT JOIN place_info hp ON hp.place_id = hh.place_id WHERE hp.village_id IS v.id AND hh.archived_at IS NULL)".into(),
        ),
        count("registered_persons", "户籍人口（常住+外出）", persons_where(&registered))
            .defined("户籍人口为居住状态是常住或外出的登记人员，不含外来、已迁出、已故"),
        count("resident_persons", "常住人口（常住+外来）", persons_where(&counts::resident("m")))
            .defined("常住人口为居住状态是常住或外来的登记人员"),
        count(
            "returnees_total",
            "来(返)乡人数（所选区间）",
            arrivals_where(&format!("{} AND a.arrival_date >= coalesce(:from, :epoch)", counts::arrived("a"))),
        ),
        count(
            "abnormal_total",
            "累计异常人数",
            checks_abnormal("c.check_date >= :epoch AND c.check_date <= :day"),
        )
        .defined("累计异常人数为自{epoch}至报告日有过体温≥37.3℃或症状的人数（每人计一次）"),
        count("abnormal_14d", "14天内异常人数", checks_abnormal("c.check_date > date(:day, '-14 days') AND c.check_date <= :day")),
        count("new_arrivals", "新增来(返)乡", arrivals_where(&counts::arrived_on_day("a")))
            .defined("新增来(返)乡为报告日当天到达、状态为已返的返乡和外来人员（不含来访和将返）"),
        count("total_arrivals", "累计来(返)乡", arrivals_where(&counts::arrived_to_date("a")))
            .defined("累计来(返)乡为自{epoch}（疫情起始日期）至报告日到达的已返返乡和外来人员"),
        count("home_isolation", "在管居家隔离", isolations_where(&format!("i.kind = '居家隔离医学观察' AND {watched}")))
            .defined("在管为报告日已开始、尚未解除的隔离或监测（逾期未解除的仍计在管）；居家隔离只计居家隔离医学观察，不含居家健康监测"),
        count("central_isolation", "在管集中隔离", isolations_where(&format!("i.kind = '集中隔离' AND {watched}"))),
        count("health_monitoring", "在管居家健康监测", isolations_where(&format!("i.kind = '居家健康监测' AND {watched}"))),
        count("under_watch", "在管隔离/监测", isolations_where(&watched)),
        count("released_today", "当日解除", isolations_where(&counts::released_on_day("i")))
            .defined("当日解除为解除日期是报告日的隔离或监测"),
        count("abnormal_today", "发热/异常人数", checks_abnormal("c.check_date = :day"))
            .defined("发热/异常为报告日体温≥37.3℃或有症状的人数"),
        count(
            "new_close_contacts",
            "新增密接",
            contacts_where(&format!("k.level = '密接' AND {}", counts::contact_found_on_day("k"))),
        )
        .defined("新增密接、次密接为发现（判定）日期是报告日的人数"),
        count(
            "new_second_contacts",
            "新增次密接",
            contacts_where(&format!("k.level = '次密接' AND {}", counts::contact_found_on_day("k"))),
        ),
        count(
            "checkpoint_people",
            "卡口检查人次",
            format!("((SELECT count(*) {stops}) + (SELECT coalesce(sum(x.passenger_count), 0) {stops}))"),
        )
        .defined("卡口人次为报告日检查的被检查人加随车人员，车次为有车牌的检查次数"),
        count("checkpoint_vehicles", "卡口检查车次", format!("(SELECT count(*) {stops} AND x.plate IS NOT NULL)")),
        count(
            "unvaccinated_total",
            "未接种人数（户籍人口）",
            persons_where(&format!("{registered} AND m.unvaccinated_reason IS NOT NULL AND {no_dose}")),
        )
        .defined("未接种人数为户籍人口中登记了未接种原因、且没有接种记录的人"),
    ];
    for month in 1..=12 {
        fields.push(
            count(
                &format!("returnees_month:{month}"),
                &format!("{month}月来(返)乡人数"),
                arrivals_where(&format!(
                    "{} AND a.arrival_date >= max(:epoch, strftime('%Y-01-01', :day)) AND CAST(strftime('%m', a.arrival_date) AS INTEGER) = {month}",
                    counts::arrived("a")
                )),
            )
            .defined("各月来(返)乡人数为报告日所在年份各月到达的已返返乡和外来人员，不早于{epoch}，不晚于报告日"),
        );
    }
    for (dose, name) in [(1, "第一针"), (2, "第二针"), (3, "加强针")] {
        let doses = |cond: &str| {
            format!(
                "(SELECT count(*) FROM vaccinations va JOIN {VILLAGE_PERSONS} AND va.person_id = m.id AND {registered} AND va.dose = {dose} AND {}{cond})",
                counts::dose_given("va")
            )
        };
        fields.push(
            count(
                &format!("dose:{dose}:total"),
                &format!("{name}接种总数"),
                doses(""),
            )
            .defined("接种针次只计户籍人口，报告日前已接种的"),
        );
        for place in VACCINE_PLACES {
            fields.push(count(
                &format!("dose:{dose}:{place}"),
                &format!("{name}{place}接种"),
                doses(&format!(" AND va.place_kind = '{place}'")),
            ));
        }
    }
    for reason in UNVACCINATED_REASONS {
        fields.push(count(
            &format!("unvaccinated:{reason}"),
            &format!("未接种（{reason}）"),
            persons_where(&format!(
                "{registered} AND m.unvaccinated_reason = '{reason}' AND {no_dose}"
            )),
        ));
    }
    fields
}

/// The row sources templates can use.
pub fn report_sources() -> Vec<SourceInfo> {
    sources().into_iter().map(|s| s.info).collect()
}

/// The fields of a row source, or None for an unknown source.
pub fn report_fields(source: &str) -> Option<Vec<FieldInfo>> {
    sources()
        .into_iter()
        .find(|s| s.info.key == source)
        .map(|s| s.fields)
}

impl Store {
    /// Streams the rows of a report, one `Vec<Cell>` per record in the order of `q.fields`
    /// (with `RowNumber` fields left empty for the caller to count). Rows where every
    /// `nonzero` field is 0 are skipped.
    pub fn report_rows(
        &self,
        q: &RowQuery,
        mut each: impl FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<()> {
        let source = sources()
            .into_iter()
            .find(|s| s.info.key == q.source)
            .ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("报表数据来源“{}”不存在", q.source),
                )
            })?;
        let lookup = |key: &str| {
            source.fields.iter().find(|f| f.key == key).ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("报表字段“{key}”不存在（数据来源 {}）", q.source),
                )
            })
        };
        let mut selected = Vec::new();
        for key in q.fields.iter().chain(&q.filter.nonzero) {
            selected.push(lookup(key)?);
        }
        let mut conditions = vec![source.base_where.to_string()];
        match source.date {
            DateRule::None => {}
            DateRule::Column(col) => conditions.push(format!(
                "(:from IS NULL OR {col} >= :from) AND {col} <= :day"
            )),
            DateRule::Overlap { start, end } => conditions.push(format!(
                "{start} <= :day AND (:from IS NULL OR {end} >= :from)"
            )),
        }
        if q.place_id.is_some() {
            conditions.push(format!("{} IN (SELECT id FROM under)", source.place));
        }
        let list_condition =
            |expr: Option<&str>, param: &str, values: &[String], conditions: &mut Vec<String>| {
                if let (Some(expr), false) = (expr, values.is_empty()) {
                    conditions.push(format!("{expr} IN (SELECT value FROM json_each({param}))"));
                }
            };
        list_condition(source.kind, ":kinds", &q.filter.kinds, &mut conditions);
        list_condition(
            source.status.as_deref(),
            ":statuses",
            &q.filter.statuses,
            &mut conditions,
        );
        if !q.filter.tags.is_empty() {
            let person = source.person.ok_or_else(|| {
                Error::refused(
                    Code::TemplateInvalid,
                    format!("数据来源“{}”不能按人员标签筛选", source.info.label),
                )
            })?;
            conditions.push(format!("EXISTS (SELECT 1 FROM person_tags tg WHERE tg.person_id = {person} AND tg.tag IN (SELECT value FROM json_each(:tags)))"));
        }
        let mut order: Vec<String> = Vec::new();
        for key in q.sort {
            order.push(format!(
                "{} {}",
                lookup(&key.field)?.sql,
                if key.descending { "DESC" } else { "ASC" }
            ));
        }
        order.push(source.order.to_string());
        let person_join = if source.person.is_some() {
            PERSON_JOIN
        } else {
            ""
        };
        let under = if q.place_id.is_some() {
            ", under(id) AS (SELECT id FROM places WHERE id = :place UNION ALL SELECT p.id FROM places p JOIN under ON p.parent_id = under.id)"
        } else {
            ""
        };
        let mut columns: Vec<&str> = selected.iter().map(|f| f.sql.as_str()).collect();
        if let Some(optional) = source.optional_row {
            columns.push(optional);
        }
        let sql = format!(
            "{PLACE_INFO}{under} SELECT {} FROM {} {person_join} WHERE {} ORDER BY {}",
            columns.join(",\n "),
            source.from,
            conditions.join(" AND "),
            order.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let json = |v: &[String]| serde_json::to_string(v).expect("strings serialise");
        let params: [(&str, Value); 7] = [
            (":epoch", Value::Text(q.epoch.to_string())),
            (
                ":from",
                q.from
                    .map(|d| d.to_string())
                    .map_or(Value::Null, Value::Text),
            ),
            (":day", Value::Text(q.day.to_string())),
            (":place", q.place_id.map_or(Value::Null, Value::Integer)),
            (":kinds", Value::Text(json(&q.filter.kinds))),
            (":statuses", Value::Text(json(&q.filter.statuses))),
            (":tags", Value::Text(json(&q.filter.tags))),
        ];
        for (name, value) in params {
            if let Some(index) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(index, value)?;
            }
        }
        let shown = q.fields.len();
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(selected.len());
            for (i, f) in selected.iter().enumerate() {
                cells.push(to_cell(row.get_ref(i)?, f.kind));
            }
            if !q.filter.nonzero.is_empty()
                && cells[shown..]
                    .iter()
                    .all(|c| c.number().unwrap_or(0.0) == 0.0)
            {
                continue;
            }
            let optional = source.optional_row.is_some()
                && row.get::<_, Option<bool>>(selected.len())?.unwrap_or(false);
            if optional
                && cells[..shown]
                    .iter()
                    .all(|c| c.number().unwrap_or(0.0) == 0.0)
            {
                continue;
            }
            cells.truncate(shown);
            each(cells)?;
        }
        Ok(())
    }
}

fn to_cell(value: rusqlite::types::ValueRef, kind: FieldKind) -> Cell {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Cell::Empty,
        ValueRef::Integer(n) => Cell::Number(n as f64),
        ValueRef::Real(n) => Cell::Number(n),
        ValueRef::Blob(_) => Cell::Empty,
        ValueRef::Text(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            match kind {
                FieldKind::Date => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map(Cell::Date)
                    .unwrap_or_else(|_| Cell::Text(text.into_owned())),
                FieldKind::DateTime => {
                    chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M")
                        .map(Cell::DateTime)
                        .unwrap_or_else(|_| Cell::Text(text.into_owned()))
                }
                FieldKind::Division
                    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Cell::Text(
                        crate::divisions::describe(&text).unwrap_or_else(|| text.into_owned()),
                    )
                }
                _ if text.is_empty() => Cell::Empty,
                _ => Cell::Text(text.into_owned()),
            }
        }
    }
}

/// Report templates saved in the ledger.
impl Store {
    pub fn saved_templates(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM report_templates ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn save_template_json(&self, id: &str, name: &str, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO report_templates (id, name, json) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, json = excluded.json,
                updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')",
            [id, name, json],
        )?;
        Ok(())
    }

    /// Removes a saved template (true if there was one). A built-in it replaced comes back.
    pub fn delete_template(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM report_templates WHERE id = ?1", [id])?
            > 0)
    }

    /// Finds the place a report is limited to, by id, division code or name (a village first
    /// when names repeat), for `--village`.
    pub fn report_place_id(&self, id_or_code: &str) -> Result<i64> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT id FROM places WHERE code = ?1 OR CAST(id AS TEXT) = ?1 OR name = ?1
                 ORDER BY code = ?1 DESC, CAST(id AS TEXT) = ?1 DESC, level = '村' DESC LIMIT 1",
                [id_or_code],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::refused(
                    Code::PlaceUnknown,
                    format!(
                        "找不到村（社区）或网格“{id_or_code}”：请用 place list 查看编号或区划代码"
                    ),
                )
            })
    }
}

/// A report written to a file, for the export log.
pub struct ExportLog<'a> {
    pub template_id: &'a str,
    pub template_name: &'a str,
    pub report_day: NaiveDate,
    pub from_day: Option<NaiveDate>,
    pub place: Option<&'a str>,
    pub path: &'a str,
    pub rows: usize,
    pub zero_report: bool,
}

/// An entry of the export log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportRecord {
    pub template_id: String,
    pub template_name: String,
    pub report_day: String,
    pub path: String,
    pub rows: i64,
    pub zero_report: bool,
    pub at: String,
}

impl Store {
    /// Notes a report written to a file (the today list asks whether the 日报 went out).
    pub fn log_export(&self, e: &ExportLog) -> Result<()> {
        let path: String = e.path.chars().take(1000).collect();
        let place: Option<String> = e.place.map(|p| p.chars().take(100).collect());
        self.conn.execute(
            "INSERT INTO exports (template_id, template_name, report_day, from_day, place, path, rows, zero_report, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                e.template_id,
                e.template_name.chars().take(100).collect::<String>(),
                e.report_day.to_string(),
                e.from_day.map(|d| d.to_string()),
                place,
                path,
                e.rows as i64,
                e.zero_report,
                self.setting("operator")?,
            ],
        )?;
        Ok(())
    }

    /// The latest export of a template for a report day, if any.
    pub fn last_export(&self, template_id: &str, day: NaiveDate) -> Result<Option<ExportRecord>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT template_id, template_name, report_day, path, rows, zero_report, at FROM exports
                 WHERE template_id = ?1 AND report_day = ?2 ORDER BY id DESC LIMIT 1",
                rusqlite::params![template_id, day.to_string()],
                |r| {
                    Ok(ExportRecord {
                        template_id: r.get(0)?,
                        template_name: r.get(1)?,
                        report_day: r.get(2)?,
                        path: r.get(3)?,
                        rows: r.get(4)?,
                        zero_report: r.get(5)?,
                        at: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }
}
