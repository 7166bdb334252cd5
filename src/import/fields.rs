//! What a sheet can be imported as (targets), the fields of each, and the header words real
//! forms use for them (FORMS.md §4): the synonym table behind automatic column mapping.

use serde::Serialize;

use crate::validate::normalize_key;

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Text,
    Name,
    IdNumber,
    Phone,
    Date,
    DateTime,
    Gender,
    Temperature,
    Plate,
    Integer,
    /// 是/否, √/×, 有/无, and 0/1 only with a legend in the header.
    YesNo,
    /// One of a value list, with synonyms (低龄 → 未成年).
    Choice(&'static [&'static str]),
    /// Free symptom text (发热、咳嗽 …).
    Symptoms,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: ValueKind,
    #[serde(skip)]
    pub synonyms: &'static [&'static str],
}

const fn f(
    key: &'static str,
    label: &'static str,
    kind: ValueKind,
    synonyms: &'static [&'static str],
) -> FieldDef {
    FieldDef {
        key,
        label,
        kind,
        synonyms,
    }
}

use crate::model::values::*;
use ValueKind::*;

/// Fields every person-linked sheet may carry.
const PERSON: &[FieldDef] = &[
    f(
        "name",
        "姓名",
        Name,
        &[
            "姓名",
            "名字",
            "人员姓名",
            "返乡人员姓名",
            "隔离人员姓名",
            "被检查人姓名",
            "密接姓名",
            "密切接触者姓名",
            "被监测人",
        ],
    ),
    f(
        "id_type",
        "证件类型",
        Choice(ID_TYPES),
        &["证件类型", "证件种类"],
    ),
    f(
        "id_number",
        "身份证号码",
        IdNumber,
        &[
            "身份证号码",
            "身份证号",
            "证件号码",
            "公民身份号码",
            "身份证",
            "证件号",
            "身份证件号码",
            "身份号码",
        ],
    ),
    f("gender", "性别", Gender, &["性别"]),
    f(
        "birth_date",
        "出生日期",
        Date,
        &["出生日期", "出生年月", "出生年月日", "生日"],
    ),
    f(
        "phone",
        "手机号码",
        Phone,
        &[
            "手机号码",
            "联系电话",
            "联系方式",
            "手机号",
            "电话",
            "手机",
            "联系手机",
            "电话号码",
        ],
    ),
    f(
        "hukou_address",
        "户籍地址",
        Text,
        &["户籍所在地", "户籍地址", "户籍地", "户籍"],
    ),
    f(
        "current_address",
        "现住址",
        Text,
        &[
            "现居住地址",
            "现住址",
            "家庭住址",
            "居住地址",
            "住址",
            "现居住地",
            "家庭地址",
        ],
    ),
    f("door_name", "门牌名", Text, &["门牌名", "街巷名"]),
    f("door_number", "门牌号", Text, &["门牌号", "门牌"]),
    f(
        "relation_to_head",
        "与户主关系",
        Choice(RELATIONS_TO_HEAD),
        &["与户主关系", "户主关系"],
    ),
    f(
        "crowd_category",
        "人群分类",
        Choice(CROWD_CATEGORIES),
        &["人群分类"],
    ),
    f("occupation", "职业", Text, &["职业"]),
    f("work_place", "工作单位", Text, &["工作单位", "单位"]),
    f(
        "unvaccinated_reason",
        "未接种原因",
        Choice(UNVACCINATED_REASONS),
        &["未接种原因"],
    ),
    f("note", "备注", Text, &["备注", "说明"]),
];

const ARRIVAL: &[FieldDef] = &[
    f(
        "arrival_date",
        "来(返)乡日期",
        Date,
        &[
            "来(返)乡日期",
            "返乡日期",
            "返乡时间",
            "来(返)乡时间",
            "来乡日期",
            "到达日期",
            "到达时间",
            "抵达时间",
            "返回时间",
            "返回情况|返回时间",
            "返回日期",
        ],
    ),
    f(
        "arrival_kind",
        "类型",
        Choice(ARRIVAL_KINDS),
        &["人员类型", "来访类型"],
    ),
    f(
        "arrival_status",
        "人员状态",
        Choice(ARRIVAL_STATUSES),
        &["人员状态", "是否已返"],
    ),
    f(
        "origin",
        "出发地",
        Text,
        &[
            "出发地",
            "从何地返乡",
            "来源地",
            "来自",
            "外出情况|具体地址",
            "具体地址",
            "返乡前所在地",
            "从何地来",
        ],
    ),
    f(
        "risk_level",
        "风险等级",
        Choice(RISK_LEVELS),
        &["风险等级", "出发地风险等级"],
    ),
    f(
        "from_risk_area",
        "是否从中高风险区来(返)乡",
        YesNo,
        &[
            "是否从中高风险区来(返)乡",
            "是否来自中高风险地区",
            "是否从中高风险区返乡",
        ],
    ),
    f(
        "transport",
        "交通工具",
        Choice(TRANSPORTS),
        &["交通工具", "交通方式", "返回情况|交通工具"],
    ),
    f(
        "transport_no",
        "车次/航班/车牌号",
        Text,
        &[
            "车次/航班/车牌号",
            "车次",
            "航班号",
            "车次航班号",
            "车次/航班号",
        ],
    ),
    f(
        "route",
        "行程逗留地点",
        Text,
        &[
            "行程逗留地点",
            "停留地点",
            "途经地",
            "停留地点与时间",
            "返回情况|停留地点与时间",
            "旅居史",
        ],
    ),
    f(
        "reason",
        "返乡原因",
        Text,
        &["返乡原因", "事由", "来访原因"],
    ),
];

const ISOLATION: &[FieldDef] = &[
    f(
        "isolation_kind",
        "隔离方式",
        Choice(ISOLATION_KINDS),
        &["隔离方式", "隔离类型", "管控措施", "管控方式"],
    ),
    f(
        "isolation_address",
        "隔离地址",
        Text,
        &["隔离地址", "居家隔离地址"],
    ),
    f(
        "site_name",
        "隔离点",
        Text,
        &["隔离点", "隔离点名称", "集中隔离点"],
    ),
    f("room_number", "房间号", Text, &["房间号", "房号"]),
    f(
        "start_date",
        "开始隔离时间",
        Date,
        &[
            "开始隔离时间",
            "隔离开始时间",
            "开始隔离日期",
            "隔离开始日期",
            "开始日期",
            "开始时间",
        ],
    ),
    f(
        "planned_end_date",
        "结束隔离时间",
        Date,
        &[
            "结束隔离时间",
            "解除隔离时间",
            "隔离结束时间",
            "结束日期",
            "预计解除时间",
            "解除日期",
        ],
    ),
    f(
        "responsible",
        "责任人",
        Text,
        &["责任人", "医学观察实施责任人", "包保责任人"],
    ),
];

const HEALTH_CHECK: &[FieldDef] = &[
    f(
        "check_date",
        "监测日期",
        Date,
        &["监测日期", "日期", "检测日期", "测量日期"],
    ),
    f(
        "am_temperature",
        "上午体温",
        Temperature,
        &["上午体温", "体温|上午", "上午", "早上体温", "晨检体温"],
    ),
    f(
        "pm_temperature",
        "下午体温",
        Temperature,
        &["下午体温", "体温|下午", "下午", "晚上体温", "午检体温"],
    ),
    f(
        "temperature",
        "体温",
        Temperature,
        &["体温", "体温(℃)", "体温℃"],
    ),
    f(
        "symptoms",
        "症状",
        Symptoms,
        &["症状", "有无症状", "症状体征", "异常症状"],
    ),
    f("checker", "监测人", Text, &["监测人", "测量人", "检测人"]),
];

const TEST: &[FieldDef] = &[
    f(
        "sample_date",
        "采样日期",
        Date,
        &[
            "采样日期",
            "核酸检测时间",
            "采样时间",
            "检测时间",
            "核酸采样日期",
        ],
    ),
    f(
        "test_kind",
        "检测类型",
        Choice(TEST_KINDS),
        &["检测类型", "检测方式"],
    ),
    f("site", "检测点", Text, &["检测点", "采样点", "检测机构"]),
    f(
        "result",
        "检测结果",
        Choice(TEST_RESULTS),
        &["核酸检测结果", "检测结果", "结果", "核酸结果"],
    ),
];

const VACCINATION: &[FieldDef] = &[
    f(
        "dose",
        "针次",
        Integer,
        &["针次", "剂次", "第几针", "接种针次"],
    ),
    f("vaccine_date", "接种日期", Date, &["接种日期", "接种时间"]),
    f(
        "place_kind",
        "接种地点",
        Choice(VACCINE_PLACES),
        &["接种地点", "本地/异地"],
    ),
    f(
        "vaccine_name",
        "疫苗名称",
        Text,
        &["疫苗名称", "疫苗厂家", "生产企业", "疫苗种类"],
    ),
];

const CONTACT: &[FieldDef] = &[
    f(
        "contact_level",
        "接触类型",
        Choice(CONTACT_LEVELS),
        &["接触类型", "密接类型", "人员类别", "判定类别"],
    ),
    f(
        "case_name",
        "关联病例",
        Name,
        &["关联病例", "病例姓名", "关联确诊病例", "关联病例姓名"],
    ),
    f("contact_way", "接触方式", Text, &["接触方式"]),
    f(
        "contact_relation",
        "与病人关系",
        Choice(CONTACT_RELATIONS),
        &["与病人关系", "与病例关系"],
    ),
    f("exposure_type", "暴露类型", Text, &["暴露类型"]),
    f(
        "last_contact_date",
        "最后接触日期",
        Date,
        &[
            "最后接触日期",
            "末次接触时间",
            "最后接触时间",
            "末次接触日期",
        ],
    ),
    f(
        "found_date",
        "发现时间",
        Date,
        &["发现时间", "判定时间", "发现日期"],
    ),
];

const CHECKPOINT: &[FieldDef] = &[
    f(
        "checkpoint_name",
        "卡口名称",
        Text,
        &["卡口名称", "卡口", "检查点", "卡点名称"],
    ),
    f(
        "checked_at",
        "检查时间",
        DateTime,
        &["检查时间", "登记时间", "通行时间", "检查日期"],
    ),
    f("plate", "车牌号", Plate, &["车牌号", "车牌", "车牌号码"]),
    f("plate_kind", "号牌种类", Choice(PLATE_KINDS), &["号牌种类"]),
    f(
        "vehicle_kind",
        "车辆类别",
        Choice(VEHICLE_KINDS),
        &["车辆类别", "车辆类型", "车型"],
    ),
    f(
        "passenger_count",
        "随车人数",
        Integer,
        &["随车人数", "乘车人数", "车上人数"],
    ),
    f(
        "check_origin",
        "出发地",
        Text,
        &["出发地", "来自", "始发地"],
    ),
    f("destination", "目的地", Text, &["目的地", "去往", "前往地"]),
    f("check_temperature", "体温", Temperature, &["体温"]),
    f(
        "health_code",
        "健康码",
        Choice(HEALTH_CODES),
        &["健康码", "健康码颜色"],
    ),
    f(
        "disposal",
        "处置",
        Choice(DISPOSALS),
        &["处置", "处置情况", "处理结果", "处置措施"],
    ),
];

/// A kind of record a sheet can be imported as.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub key: &'static str,
    pub label: &'static str,
    /// Fields that make a sheet this target (used to guess the target).
    #[serde(skip)]
    own: &'static [FieldDef],
    /// Whether the person fields apply.
    pub has_person: bool,
    /// Own fields that must be mapped.
    pub required: &'static [&'static str],
}

pub const TARGETS: &[Target] = &[
    Target {
        key: "persons",
        label: "人员（户籍登记）",
        own: &[],
        has_person: true,
        required: &["name"],
    },
    Target {
        key: "arrivals",
        label: "来（返）乡人员",
        own: ARRIVAL,
        has_person: true,
        required: &["name", "arrival_date"],
    },
    Target {
        key: "isolations",
        label: "隔离与健康监测",
        own: ISOLATION,
        has_person: true,
        required: &["name", "start_date"],
    },
    Target {
        key: "health_checks",
        label: "每日健康监测",
        own: HEALTH_CHECK,
        has_person: true,
        required: &["name", "check_date"],
    },
    Target {
        key: "tests",
        label: "核酸检测",
        own: TEST,
        has_person: true,
        required: &["name", "sample_date"],
    },
    Target {
        key: "vaccinations",
        label: "疫苗接种",
        own: VACCINATION,
        has_person: true,
        required: &["name", "dose"],
    },
    Target {
        key: "contacts",
        label: "密接与次密接",
        own: CONTACT,
        has_person: true,
        required: &["name", "case_name"],
    },
    Target {
        key: "checkpoint_checks",
        label: "卡口检查",
        own: CHECKPOINT,
        has_person: false,
        required: &["checkpoint_name", "checked_at", "name"],
    },
];

/// The checkpoint target names its traveller with the person fields below only.
const CHECKPOINT_PERSON: &[&str] = &["name", "id_number", "phone", "id_type"];

impl Target {
    pub fn find(key: &str) -> Option<&'static Target> {
        TARGETS.iter().find(|t| t.key == key)
    }

    /// Every field of this target: its own, then the person fields.
    pub fn fields(&self) -> Vec<&'static FieldDef> {
        let person: Vec<&FieldDef> = if self.has_person {
            PERSON.iter().collect()
        } else {
            PERSON
                .iter()
                .filter(|p| CHECKPOINT_PERSON.contains(&p.key))
                .collect()
        };
        self.own.iter().chain(person).collect()
    }

    pub fn field(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields().into_iter().find(|f| f.key == key)
    }

    /// How many of the given header keys are this target's own fields (to guess the target).
    pub fn own_score(&self, keys: &[String]) -> usize {
        keys.iter()
            .filter(|k| self.own.iter().any(|f| matches_header(f, k)))
            .count()
    }
}

/// A header as compared: NFKC, no spaces, Chinese brackets as ASCII, no trailing colon or
/// legend in brackets ("是否有症状(1=是 0=否)" still matches "是否有症状").
pub fn normal_header(text: &str) -> String {
    let key: String = normalize_key(text)
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' | ':' | '*' | '★' => '\u{0}',
            c => c,
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    key
}

/// Strips a trailing bracketed legend or unit: "体温(℃)" → "体温".
fn without_legend(key: &str) -> &str {
    match key.rfind('(') {
        Some(i) if i > 0 && key.ends_with(')') => &key[..i],
        _ => key,
    }
}

/// Does a column's header key (父|子, normalised) name this field?
pub fn matches_header(field: &FieldDef, key: &str) -> bool {
    let last = key.rsplit('|').next().unwrap_or(key);
    field.synonyms.iter().any(|s| {
        let s = normal_header(s);
        s == key || (!s.contains('|') && (s == last || s == without_legend(last)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_their_synonyms() {
        let arrivals = Target::find("arrivals").unwrap();
        let field = |k: &str| {
            arrivals
                .fields()
                .into_iter()
                .find(|f| matches_header(f, &normal_header(k)))
                .map(|f| f.key)
        };
        assert_eq!(field("身份证号码"), Some("id_number"));
        assert_eq!(field("公民身份号码"), Some("id_number"));
        assert_eq!(field("联系方式"), Some("phone"));
        assert_eq!(field("来（返）乡日期"), Some("arrival_date"));
        assert_eq!(field(" 返乡时间 "), Some("arrival_date"));
        assert_eq!(field("外出情况|具体地址"), Some("origin"));
        assert_eq!(field("姓 名"), Some("name"));
        assert_eq!(field("无关列"), None);
    }
}
