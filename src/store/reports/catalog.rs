//! The lists a template can be laid over: persons, arrivals, periods, daily checks, contacts,
//! checkpoint stops and households, each with the fields its columns can show. A list keeps
//! the records of the place it is limited to and of every place under it.

use super::{field, DateRule, FieldInfo, Source, SourceInfo};
use crate::model::cell::FieldKind;
use crate::store::counts;

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
        // The ledger's own number of the person: the window opens their page from a row.
        field("person_id", "人员编号", Text, "CAST(p.id AS TEXT)"),
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

/// A case's own fields and what its chain holds on the report day: how many persons it has
/// as 密接 and 次密接 (each once), and how many of them still await an isolation.
fn case_fields() -> Vec<FieldInfo> {
    use FieldKind::*;
    let linked = |cond: &str| {
        format!(
            "(SELECT count(DISTINCT k.contact_person_id) FROM contacts k JOIN persons kp ON kp.id = k.contact_person_id
               WHERE k.case_id = s.id AND kp.archived_at IS NULL AND k.archived_at IS NULL
                 AND coalesce(k.found_date, :day) <= :day AND {cond})"
        )
    };
    vec![
        field("case_kind", "病例类型", Text, "s.kind"),
        field("reported_date", "报告日期", Date, "s.reported_date"),
        field("case_code", "病例编号", Text, "s.code"),
        field("case_note", "病例备注", Text, "s.note"),
        field("case_close_contacts", "密接人数", Integer, &linked("k.level = '密接'")),
        field("case_second_contacts", "次密接人数", Integer, &linked("k.level = '次密接'")),
        field(
            "case_awaiting_isolation",
            "待隔离人数",
            Integer,
            &linked(&counts::awaiting_isolation("k")),
        )
        .defined("待隔离人数为该病例的密接、次密接中，到报告日还没有隔离或健康监测（或在判定前已解除）的人数"),
    ]
}

/// The lists: a row per record (or per household).
pub(super) fn lists() -> Vec<Source> {
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
            scope: "h.place_id IN (SELECT id FROM under)",
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
            scope: "coalesce(h.place_id, a.destination_place_id) IN (SELECT id FROM under)",
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
            date: DateRule::Overlap { start: "i.start_date", released: "i.released_date" },
            kind: Some("i.kind"),
            status: Some(under_watch_status()),
            person: Some("p.id"),
            scope: "h.place_id IN (SELECT id FROM under)",
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
            scope: "h.place_id IN (SELECT id FROM under)",
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
            info: SourceInfo { key: "cases", label: "病例", date_meaning: "报告日期" },
            from: "cases s JOIN persons p ON p.id = s.person_id",
            base_where: "p.archived_at IS NULL AND s.archived_at IS NULL AND s.reported_date <= :day",
            date: DateRule::Column("s.reported_date"),
            kind: Some("s.kind"),
            status: None,
            person: Some("p.id"),
            scope: "h.place_id IN (SELECT id FROM under)",
            order: "s.reported_date DESC, s.id DESC",
            optional_row: None,
            fields: with(person_based(), case_fields()),
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
            scope: "h.place_id IN (SELECT id FROM under)",
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
            scope: "k.place_id IN (SELECT id FROM under)",
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
        households(),
    ]
}

/// One row per household, and a 未分户 row for the returnees the ledger keeps in no
/// household (none, or an archived one), shown when it counts someone: every 合计 adds up
/// to the ledger.
fn households() -> Source {
    use FieldKind::*;
    let returned = counts::returned_home_between("a", "coalesce(:from, :epoch)");
    // A person without a household returned to the place their arrival names.
    let returnees = format!(
        "CASE WHEN h.id IS NOT NULL THEN
           (SELECT count(DISTINCT a.person_id) FROM arrivals a JOIN persons m ON m.id = a.person_id
             WHERE m.household_id = h.id AND m.archived_at IS NULL AND {returned})
         ELSE
           (SELECT count(DISTINCT a.person_id) FROM arrivals a JOIN persons m ON m.id = a.person_id
              LEFT JOIN households mh ON mh.id = m.household_id AND mh.archived_at IS NULL
             WHERE mh.id IS NULL AND m.archived_at IS NULL AND {returned}
               AND (:place IS NULL OR a.destination_place_id IN (SELECT id FROM under)))
         END"
    );
    Source {
        info: SourceInfo { key: "households", label: "户", date_meaning: "返乡人数按来（返）乡日期统计，默认自疫情起始日期" },
        from: "(SELECT id, place_id, door_name, door_number, address, housing_use, tenant_name FROM households WHERE archived_at IS NULL
                UNION ALL SELECT NULL, NULL, '未分户', NULL, NULL, NULL, NULL) h
               LEFT JOIN place_info vo ON vo.place_id = h.place_id",
        base_where: "1",
        date: DateRule::None,
        kind: None,
        status: Some("h.housing_use".into()),
        person: None,
        scope: "(h.id IS NULL OR h.place_id IN (SELECT id FROM under))",
        order: "h.id IS NULL, vo.village, vo.grid, h.door_name, CAST(h.door_number AS INTEGER), h.door_number, h.id",
        optional_row: Some("h.id IS NULL"),
        fields: [
            common_fields(),
            vec![
                field("door_name", "门牌名", Text, "h.door_name"),
                field("door_number", "门牌号", Text, "h.door_number"),
                field("address", "地址", Text, "h.address"),
                field("head_name", "户主姓名", Text, "(SELECT name FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL)"),
                field("head_phone", "联系方式", Phone, "(SELECT phone FROM persons WHERE household_id = h.id AND relation_to_head = '户主' AND archived_at IS NULL)"),
                field("member_count", "户内人数", Integer, "(SELECT count(*) FROM persons WHERE household_id = h.id AND archived_at IS NULL)"),
                field("returnee_count", "返乡人数", Integer, &returnees)
                    .defined("返乡人数为自{epoch}（或所选开始日期）至报告日返乡、状态为已返的本户人数（每人计一次，不含外来和来访）；不在任何户的返乡人员计入“未分户”行")
                    .ranged(),
                field("housing_use", "住房使用情况", Text, "h.housing_use"),
                field("tenant_name", "承租人", Text, "h.tenant_name"),
                field("village", "社区/村", Text, "vo.village"),
                field("grid", "网格", Text, "vo.grid"),
                field("township", "乡镇（街道）", Text, "vo.township"),
                field("household_id", "户编号", Text, "CAST(h.id AS TEXT)"),
            ],
        ]
        .concat(),
    }
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

/// Whether a period is under watch in the report's range (on the report day when it has
/// none), as the lists show it and the 在管 counts count it.
fn under_watch_status() -> String {
    format!(
        "CASE WHEN {} THEN '在管' ELSE '已解除' END",
        counts::under_watch_between("i", ":start")
    )
}

/// Whether a check is abnormal, as the health log shows it.
fn abnormal_status() -> String {
    format!(
        "CASE WHEN {} THEN '异常' ELSE '正常' END",
        counts::abnormal("c")
    )
}
