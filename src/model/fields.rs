//! Every field of every record, declared once: its key (the column it is stored in), its
//! label on the forms, how a value is read and judged (`Kind`), whether it is required, and
//! the header words real sheets use for it. The entry forms, the command line, the importer
//! and the validation all read these tables; `tests/schema.rs` checks the lengths and lists
//! against the schema's CHECKs.

use serde::Serialize;

use super::values::*;

/// Length limits, the same as the schema's CHECKs.
pub const NAME_MAX: usize = 50;
pub const PLACE_NAME_MAX: usize = 60;
pub const NOTE_MAX: usize = 500;
pub const ADDRESS_MAX: usize = 200;
pub const SHORT_MAX: usize = 100;

/// How a field's value is read and judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "arg")]
pub enum Kind {
    /// Free text up to this many characters (control characters other than line breaks
    /// and tabs are dropped).
    Text(usize),
    /// A person's name: no control or zero-width characters, at most `NAME_MAX` characters,
    /// a space between two Chinese characters dropped (张 三 → 张三).
    Name,
    /// A place's or checkpoint's name, at most `PLACE_NAME_MAX` characters, no control or
    /// zero-width characters.
    PlaceName,
    IdNumber,
    Phone,
    /// A date of an event: from 1900-01-01 to a year after the report day.
    Date,
    /// A birth date: from 1900-01-01 to the report day.
    BirthDate,
    /// A date with a time of day (检查时间).
    DateTime,
    /// 男/女, and the national codes of GB/T 2261.1 (1 男, 2 女, 0 未知, 9 未说明).
    Gender,
    Temperature,
    Plate,
    /// A whole number within the range (针次 1–4, 随车人数 0–99).
    Integer(i64, i64),
    /// 是/否, √/×, 有/无, and 0/1 only with a legend in the header.
    YesNo,
    /// One of a value list, with synonyms (低龄 → 未成年).
    Choice(&'static [&'static str]),
    /// Symptom words (发热、干咳 …) or 无.
    Symptoms,
    /// A place of the ledger by name, path (石桥村/第一网格) or division code.
    Place,
    /// A record of the ledger by its number (a person, a case, a checkpoint).
    Reference,
}

/// One field of a record.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The value a choice takes when the sheet or form leaves it blank.
    pub default: Option<&'static str>,
    /// A hint shown in the form and the command's help (格式、例子).
    pub hint: &'static str,
    /// False for columns only a sheet has (是否从中高风险区来(返)乡 → 风险等级): the entry form
    /// and the command line do not offer them.
    pub entry: bool,
    /// Header words of real sheets (FORMS.md §4, §7.9).
    #[serde(skip)]
    pub synonyms: &'static [&'static str],
}

impl Field {
    const fn new(key: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            key,
            label,
            kind,
            required: false,
            default: None,
            hint: "",
            entry: true,
            synonyms: &[],
        }
    }
    const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    const fn default(mut self, value: &'static str) -> Field {
        self.default = Some(value);
        self
    }
    const fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }
    const fn sheet_only(mut self) -> Field {
        self.entry = false;
        self
    }
    const fn headers(mut self, synonyms: &'static [&'static str]) -> Field {
        self.synonyms = synonyms;
        self
    }

    /// The longest text the field holds, for the kinds that hold text.
    pub fn max_len(&self) -> Option<usize> {
        match self.kind {
            Kind::Text(n) => Some(n),
            Kind::Name => Some(NAME_MAX),
            Kind::PlaceName => Some(PLACE_NAME_MAX),
            _ => None,
        }
    }

    /// An identity field: a problem with it refuses the whole row of a sheet (a person
    /// cannot be kept without a name or with an ID that fails its check).
    pub fn is_identity(&self) -> bool {
        matches!(self.key, "name" | "id_number")
    }
}

use Kind::*;

const fn f(key: &'static str, label: &'static str, kind: Kind) -> Field {
    Field::new(key, label, kind)
}

/// The fields of a person (户籍登记). Keys are the columns of `persons`.
pub const PERSON: &[Field] = &[
    f("name", "姓名", Name).required().headers(&[
        "姓名",
        "名字",
        "人员姓名",
        "返乡人员姓名",
        "隔离人员姓名",
        "被检查人姓名",
        "被检查人",
        "密接姓名",
        "密切接触者姓名",
        "被监测人",
        "户内成员姓名",
        "家庭成员",
        "成员姓名",
    ]),
    f("id_type", "证件类型", Choice(ID_TYPES))
        .default("居民身份证")
        .headers(&["证件类型", "证件种类"]),
    f("id_number", "证件号码", IdNumber)
        .hint("18 位身份证号，会校验末位")
        .headers(&[
            "身份证号码",
            "身份证号",
            "证件号码",
            "公民身份号码",
            "身份证",
            "证件号",
            "身份证件号码",
            "身份号码",
        ]),
    f("gender", "性别", Gender)
        .hint("男 / 女，身份证号可推出")
        .headers(&["性别"]),
    f("birth_date", "出生日期", BirthDate)
        .hint("如 1990-03-07")
        .headers(&["出生日期", "出生年月", "出生年月日", "生日"]),
    f("phone", "手机号码", Phone).headers(&[
        "手机号码",
        "联系电话",
        "联系方式",
        "手机号",
        "电话",
        "手机",
        "联系手机",
        "电话号码",
    ]),
    f("hukou_code", "户籍地区划代码", Text(6))
        .hint("6 位数字，身份证号可推出")
        .headers(&["户籍地代码", "户籍区划代码"]),
    f("hukou_address", "户籍地址", Text(ADDRESS_MAX)).headers(&[
        "户籍所在地",
        "户籍地址",
        "户籍地",
        "户籍",
    ]),
    f("current_address", "现住址", Text(ADDRESS_MAX)).headers(&[
        "现居住地址",
        "现居住地址|详细地址",
        "现住址|详细地址",
        "详细地址",
        "现住址",
        "家庭住址",
        "居住地址",
        "住址",
        "现居住地",
        "家庭地址",
        "现居地址",
        "现居住址",
    ]),
    f("relation_to_head", "与户主关系", Choice(RELATIONS_TO_HEAD)).headers(&[
        "与户主关系",
        "户主关系",
        "关系",
    ]),
    f("crowd_category", "人群分类", Choice(CROWD_CATEGORIES)).headers(&["人群分类"]),
    f("occupation", "职业", Text(SHORT_MAX)).headers(&["职业"]),
    f("work_place", "工作单位", Text(SHORT_MAX)).headers(&["工作单位", "单位"]),
    f("special_industry", "特定行业", Choice(SPECIAL_INDUSTRIES))
        .headers(&["特定行业", "是否特定行业"]),
    f("residence_status", "居住状态", Choice(RESIDENCE_STATUSES))
        .default("常住")
        .headers(&["居住状态", "人员状况", "在家情况"]),
    f(
        "unvaccinated_reason",
        "未接种原因",
        Choice(UNVACCINATED_REASONS),
    )
    .headers(&["未接种原因"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

/// Where a sheet's row belongs: the village, grid and household group it names, and its door.
pub const PLACE: &[Field] = &[
    f("township", "乡镇（街道）", Place).sheet_only().headers(&[
        "乡镇",
        "乡镇(街道)",
        "镇(街道)",
        "街道(乡镇)",
        "镇",
        "镇街",
        "街道",
        "所属乡镇",
        "责任街道",
    ]),
    f("village", "所属村（社区）", Place)
        .sheet_only()
        .headers(&[
            "所属村",
            "村(社区)",
            "社区/村",
            "村",
            "社区",
            "所属社区",
            "所属村(社区)",
            "村名",
            "责任社区",
            "目的地所属村(社区)",
        ]),
    f("grid", "网格", Place)
        .sheet_only()
        .headers(&["网格", "所属网格", "网格名称"]),
    f("group", "联户组", Place).sheet_only().headers(&[
        "联户组",
        "所属联户组",
        "联户",
        "组",
        "村民小组",
        "小组",
        "所属组",
        "组别",
    ]),
];

/// A household's door and its use.
pub const HOUSEHOLD: &[Field] = &[
    f("door_name", "门牌名", Text(60)).headers(&["门牌名", "街巷名", "街巷"]),
    f("door_number", "门牌号", Text(30)).headers(&["门牌号", "门牌", "房号"]),
    f("address", "地址", Text(ADDRESS_MAX)).headers(&["户地址", "房屋地址"]),
    f("housing_use", "住房使用情况", Choice(HOUSING_USES))
        .default("自住")
        .headers(&["住房使用情况", "房屋使用情况"]),
    f("tenant_name", "承租人", Text(NAME_MAX)).headers(&["承租人"]),
    f("tenant_phone", "承租人电话", Phone).headers(&["承租人电话"]),
    // A town's door is 楼栋 + 单元 + 房间 (三栋 二单元 301).
    f("building", "楼栋", Text(30)).sheet_only().headers(&[
        "楼栋",
        "楼栋号",
        "楼号",
        "栋",
        "幢",
        "楼幢",
    ]),
    f("unit", "单元", Text(30))
        .sheet_only()
        .headers(&["单元", "单元号"]),
    f("room", "房间", Text(30))
        .sheet_only()
        .headers(&["房间", "房间号", "室", "门牌室号"]),
    // A household roll names each member's head and the family's size.
    f("head_name", "户主姓名", Name)
        .sheet_only()
        .headers(&["户主", "户主姓名", "户主名"]),
    f("family_size", "家庭总人口数", Integer(1, 99))
        .sheet_only()
        .headers(&[
            "家庭总人口数",
            "家庭人口数",
            "家庭总人口",
            "户人口数",
            "家庭人数",
            "户内人数",
            "家庭成员数",
        ]),
];

pub const ARRIVAL: &[Field] = &[
    f("kind", "类型", Choice(ARRIVAL_KINDS))
        .default("返乡")
        .headers(&["人员类型", "来访类型", "类型"]),
    f("status", "人员状态", Choice(ARRIVAL_STATUSES))
        .default("已返")
        .hint("已返：已到本村；将返：报备了还没到")
        .headers(&["人员状态", "是否已返", "返乡状态"]),
    f("arrival_date", "来(返)乡日期", Date)
        .required()
        .headers(&[
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
        ]),
    f("origin", "出发地", Text(ADDRESS_MAX)).headers(&[
        "出发地",
        "从何地返乡",
        "来源地",
        "来自",
        "外出情况|具体地址",
        "具体地址",
        "返乡前所在地",
        "从何地来",
        "从何地返回",
        "从何地来(返)",
        "来自何地",
        "返回前所在地",
    ]),
    f("risk_level", "风险等级", Choice(RISK_LEVELS)).headers(&["风险等级", "出发地风险等级"]),
    f("from_risk_area", "是否从中高风险区来(返)乡", YesNo)
        .sheet_only()
        .headers(&[
            "是否从中高风险区来(返)乡",
            "是否来自中高风险地区",
            "是否从中高风险区返乡",
            "是否中高风险",
            "是否中高风险地区",
        ]),
    f("transport", "交通工具", Choice(TRANSPORTS)).headers(&[
        "交通工具",
        "交通方式",
        "返回情况|交通工具",
    ]),
    f("transport_no", "车次/航班/车牌号", Text(50)).headers(&[
        "车次/航班/车牌号",
        "车牌/车次",
        "车牌号/车次",
        "车次/车牌",
        "车次/车牌号",
        "车次",
        "航班号",
        "车次航班号",
        "车次/航班号",
    ]),
    f("route", "行程逗留地点", Text(NOTE_MAX)).headers(&[
        "行程逗留地点",
        "停留地点",
        "途经地",
        "停留地点与时间",
        "返回情况|停留地点与时间",
        "旅居史",
    ]),
    f("reason", "返乡原因", Text(ADDRESS_MAX)).headers(&["返乡原因", "事由"]),
    f("health_code", "健康码", Choice(HEALTH_CODES)).headers(&["健康码", "健康码颜色"]),
    f("host_person_id", "受访人", Reference).hint("来访：被访问的本村人员"),
    f("visit_reason", "来访原因", Text(ADDRESS_MAX)).headers(&["来访原因"]),
    f("proxy_name", "代理人", Text(NAME_MAX)).headers(&["代理人", "代登记人"]),
    f("proxy_phone", "代理人电话", Phone).headers(&["代理人电话"]),
    f("proxy_id_number", "代理人证件号", Text(30)).headers(&["代理人身份证号"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const ISOLATION: &[Field] = &[
    f("kind", "隔离方式", Choice(ISOLATION_KINDS))
        .default("居家隔离医学观察")
        .headers(&["隔离方式", "隔离类型", "管控措施", "管控方式"]),
    f("start_date", "开始日期", Date).required().headers(&[
        "开始隔离时间",
        "隔离开始时间",
        "开始隔离日期",
        "隔离开始日期",
        "开始日期",
        "开始时间",
        "观察开始日期",
    ]),
    f("planned_end_date", "计划解除日期", Date)
        .hint("空着按 14 天（健康监测 7 天）算")
        .headers(&[
            "结束隔离时间",
            "解除隔离时间",
            "隔离结束时间",
            "结束日期",
            "预计解除时间",
            "解除日期",
        ]),
    f("address", "隔离地址", Text(ADDRESS_MAX)).headers(&["隔离地址", "居家隔离地址"]),
    f("site_name", "隔离点", Text(SHORT_MAX)).headers(&["隔离点", "隔离点名称", "集中隔离点"]),
    f("room_number", "房间号", Text(30)).headers(&["房间号", "房号"]),
    f("test_days", "检测安排（第几天）", Text(SHORT_MAX)).hint("如 1,4,7：在这几天各排一次核酸"),
    f("responsible", "责任人", Text(NAME_MAX)).headers(&[
        "责任人",
        "医学观察实施责任人",
        "包保责任人",
    ]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const HEALTH_CHECK: &[Field] = &[
    f("check_date", "监测日期", Date).required().headers(&[
        "监测日期",
        "日期",
        "检测日期",
        "测量日期",
    ]),
    f("am_temperature", "上午体温", Temperature).headers(&[
        "上午体温",
        "体温|上午",
        "体温(上午)",
        "上午",
        "早上体温",
        "晨检体温",
    ]),
    f("pm_temperature", "下午体温", Temperature).headers(&[
        "下午体温",
        "体温|下午",
        "体温(下午)",
        "下午",
        "晚上体温",
        "午检体温",
    ]),
    f("temperature", "体温", Temperature)
        .sheet_only()
        .headers(&["体温", "体温(℃)", "体温℃"]),
    f("symptoms", "症状", Symptoms)
        .hint("发热、干咳、乏力、咽痛、嗅(味)觉减退、腹泻，或 无")
        .headers(&["症状", "有无症状", "症状体征", "异常症状"]),
    f("checker", "监测人", Text(NAME_MAX)).headers(&["监测人", "测量人", "检测人"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const TEST: &[Field] = &[
    f("kind", "检测类型", Choice(TEST_KINDS))
        .default("核酸")
        .headers(&["检测类型", "检测方式"]),
    f("sample_date", "采样日期", Date).required().headers(&[
        "采样日期",
        "核酸检测时间",
        "采样时间",
        "检测时间",
        "核酸采样日期",
    ]),
    f("site", "检测点", Text(SHORT_MAX)).headers(&[
        "检测点",
        "采样点",
        "采样地点",
        "检测地点",
        "检测机构",
    ]),
    f("result", "结果", Choice(TEST_RESULTS))
        .default("未出")
        .headers(&[
            "核酸检测结果",
            "检测结果",
            "结果",
            "核酸结果",
            "采样结果",
            "检测结论",
        ]),
];

pub const VACCINATION: &[Field] = &[
    f("dose", "针次", Integer(1, 4))
        .required()
        .hint("1、2、3（加强针）")
        .headers(&["针次", "剂次", "第几针", "接种针次"]),
    f("vaccine_date", "接种日期", Date).headers(&["接种日期", "接种时间"]),
    f("place_kind", "接种地点", Choice(VACCINE_PLACES)).headers(&["接种地点", "本地/异地"]),
    f("vaccine_name", "疫苗名称", Text(SHORT_MAX)).headers(&[
        "疫苗名称",
        "疫苗厂家",
        "生产企业",
        "疫苗种类",
    ]),
];

pub const CASE: &[Field] = &[
    f("kind", "病例类型", Choice(CASE_KINDS))
        .default("确诊")
        .headers(&["病例类型", "诊断类型"]),
    f("reported_date", "报告日期", Date)
        .required()
        .headers(&["报告日期", "诊断日期", "确诊日期"]),
    f("code", "病例编号", Text(50)).headers(&["病例编号"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const CONTACT: &[Field] = &[
    f("level", "接触类型", Choice(CONTACT_LEVELS))
        .default("密接")
        .headers(&["接触类型", "密接类型", "人员类别", "判定类别"]),
    f("case_name", "关联病例", Name).sheet_only().headers(&[
        "关联病例",
        "病例姓名",
        "关联确诊病例",
        "关联病例姓名",
    ]),
    f("source_name", "接触的密接", Name).sheet_only().headers(&[
        "关联密接",
        "密接姓名(上一代)",
        "接触的密接",
    ]),
    f("contact_way", "接触方式", Text(SHORT_MAX)).headers(&["接触方式"]),
    f("relation", "与病人关系", Choice(CONTACT_RELATIONS)).headers(&["与病人关系", "与病例关系"]),
    f("exposure_type", "暴露类型", Text(SHORT_MAX)).headers(&["暴露类型"]),
    f("last_contact_date", "最后接触日期", Date).headers(&[
        "最后接触日期",
        "末次接触时间",
        "最后接触时间",
        "末次接触日期",
    ]),
    f("found_date", "发现日期", Date)
        .hint("空着按今天")
        .headers(&["发现时间", "判定时间", "发现日期"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const CHECKPOINT: &[Field] = &[
    f("name", "卡口名称", PlaceName).required(),
    f("place", "所在村（社区）", Place).hint("卡口属于哪个村，日报按村统计人次车次"),
    f("address", "地址", Text(ADDRESS_MAX)),
    f("unit", "负责单位", Text(SHORT_MAX)),
    f("leader_name", "负责人", Text(NAME_MAX)),
    f("leader_phone", "负责人手机", Phone),
];

/// A checkpoint stop: the site, the time, the vehicle and the checked person (driver or
/// walker). Passengers are a list of their own (`PASSENGER`).
pub const CHECKPOINT_STOP: &[Field] = &[
    f("checkpoint_name", "卡口名称", PlaceName)
        .required()
        .headers(&["卡口名称", "卡口", "检查点", "卡点名称"]),
    f("checked_at", "检查时间", DateTime)
        .required()
        .hint("如 2026-11-23 08:30；空着按现在")
        .headers(&["检查时间", "登记时间", "通行时间", "检查日期"]),
    f("name", "被检查人姓名", Name).required().headers(&[
        "被检查人姓名",
        "姓名",
        "驾驶人",
        "驾驶员",
        "司机",
    ]),
    f("id_number", "证件号码", IdNumber).headers(&[
        "身份证号码",
        "身份证号",
        "证件号码",
        "公民身份号码",
        "身份证",
    ]),
    f("phone", "联系方式", Phone).headers(&["联系方式", "联系电话", "手机号码", "手机", "电话"]),
    f("plate", "车牌号", Plate).headers(&["车牌号", "车牌", "车牌号码"]),
    f("plate_kind", "号牌种类", Choice(PLATE_KINDS)).headers(&["号牌种类"]),
    f("vehicle_kind", "车辆类别", Choice(VEHICLE_KINDS)).headers(&["车辆类别", "车辆类型", "车型"]),
    f("passenger_count", "随车人数", Integer(0, 99))
        .sheet_only()
        .headers(&["随车人数", "乘车人数", "车上人数"]),
    f("origin", "出发地", Text(ADDRESS_MAX)).headers(&["出发地", "来自", "始发地"]),
    f("destination", "目的地", Text(ADDRESS_MAX)).headers(&["目的地", "去往", "前往地"]),
    f("temperature", "体温", Temperature).headers(&["体温"]),
    f("health_code", "健康码", Choice(HEALTH_CODES)).headers(&["健康码", "健康码颜色"]),
    f("disposal", "处置", Choice(DISPOSALS))
        .default("放行")
        .headers(&["处置", "处置情况", "处理结果", "处置措施"]),
    f("handed_to", "移交村（社区）", Place)
        .hint("处置为移交村(社区)时必填")
        .headers(&["移交村", "移交社区", "移交单位"]),
    f("shift", "班次", Text(30)).headers(&["班次"]),
    f("note", "备注", Text(NOTE_MAX)).headers(&["备注", "说明"]),
];

pub const PASSENGER: &[Field] = &[
    f("name", "姓名", Name).required(),
    f("id_number", "证件号码", IdNumber),
    f("phone", "联系方式", Phone),
    f("temperature", "体温", Temperature),
];

pub const VISIT: &[Field] = &[
    f("visit_date", "走访日期", Date).required(),
    f("method", "方式", Choice(VISIT_METHODS)).default("入户"),
    f("worker_name", "网格员", Text(NAME_MAX)),
    f("situation", "情况", Text(NOTE_MAX)),
    f("needs", "问题/需求", Text(NOTE_MAX)),
    f("outcome", "处理结果", Text(NOTE_MAX)),
];

/// A field of one table by key.
pub fn field(table: &'static [Field], key: &str) -> Option<&'static Field> {
    table.iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_each_table() {
        for table in [
            PERSON,
            PLACE,
            HOUSEHOLD,
            ARRIVAL,
            ISOLATION,
            HEALTH_CHECK,
            TEST,
            VACCINATION,
            CASE,
            CONTACT,
            CHECKPOINT,
            CHECKPOINT_STOP,
            PASSENGER,
            VISIT,
        ] {
            let mut keys: Vec<&str> = table.iter().map(|f| f.key).collect();
            keys.sort();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len(), "{keys:?}");
        }
    }

    #[test]
    fn defaults_are_in_their_lists() {
        for table in [
            PERSON,
            ARRIVAL,
            ISOLATION,
            TEST,
            CASE,
            CONTACT,
            CHECKPOINT_STOP,
            VISIT,
        ] {
            for f in table {
                if let (Some(d), Kind::Choice(list)) = (f.default, f.kind) {
                    assert!(list.contains(&d), "{}: {d}", f.key);
                }
            }
        }
    }
}
