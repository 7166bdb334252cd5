//! The value lists of the forms (FORMS.md §3, §5), in one place. The schema's CHECKs hold the
//! same lists; `tests/schema.rs` inserts every value here to prove the two agree, and the UI
//! fills its drop-downs from `value_lists()` so it never offers a value the store refuses.

use serde::Serialize;

pub const GENDERS: &[&str] = &["男", "女"];
pub const ID_TYPES: &[&str] = &[
    "居民身份证",
    "护照",
    "军官证",
    "港澳居民居住证",
    "台湾居民居住证",
    "港澳居民来往内地通行证",
    "台湾居民来往内地通行证",
    "出入境通行证",
];
pub const RELATIONS_TO_HEAD: &[&str] = &[
    "户主",
    "配偶",
    "子女",
    "父母",
    "祖父母",
    "孙子女",
    "兄弟姐妹",
    "儿媳",
    "女婿",
    "其他亲属",
    "租户",
    "其他",
];
pub const CROWD_CATEGORIES: &[&str] = &[
    "幼托儿童",
    "散居儿童",
    "学生",
    "教师",
    "保育员及保姆",
    "餐饮食品业",
    "商业服务",
    "医务人员",
    "工人",
    "民工",
    "农民",
    "牧民",
    "渔(船)民",
    "干部职员",
    "离退人员",
    "家务及待业",
    "其他",
    "不详",
];
pub const SPECIAL_INDUSTRIES: &[&str] = &[
    "疫情防控或医护",
    "农贸市场",
    "物流快递",
    "进出口或冷链",
    "其他",
    "否",
];
pub const RESIDENCE_STATUSES: &[&str] = &["常住", "外出", "外来", "已迁出", "已故"];
pub const UNVACCINATED_REASONS: &[&str] = &[
    "未成年",
    "因病",
    "外出",
    "怀孕",
    "哺乳期",
    "高龄",
    "失联",
    "其他",
];
pub const HOUSING_USES: &[&str] = &["自住", "出租", "空置"];
pub const PLACE_LEVELS: &[&str] = &["县", "乡镇", "村", "网格", "联户组"];
pub const COMMON_TAGS: &[&str] = &[
    "独居老人",
    "困难群体",
    "外出务工",
    "孕产妇",
    "特定行业从业人员",
    "慢性病",
    "残疾人",
    "留守儿童",
];
pub const ARRIVAL_KINDS: &[&str] = &["返乡", "外来", "来访"];
pub const ARRIVAL_STATUSES: &[&str] = &["已返", "将返"];
pub const RISK_LEVELS: &[&str] = &["高", "中", "低"];
pub const TRANSPORTS: &[&str] = &[
    "飞机",
    "高铁/火车",
    "大巴车/长途客车",
    "网约车",
    "自驾车",
    "其他",
];
pub const HEALTH_CODES: &[&str] = &["绿码", "黄码", "红码"];
pub const ISOLATION_KINDS: &[&str] = &["居家隔离医学观察", "集中隔离", "居家健康监测"];
pub const TEST_KINDS: &[&str] = &["核酸", "抗原"];
pub const TEST_RESULTS: &[&str] = &["阴性", "阳性", "未出"];
pub const VACCINE_PLACES: &[&str] = &["本地", "异地"];
pub const CASE_KINDS: &[&str] = &["确诊", "无症状感染者", "疑似"];
pub const CONTACT_LEVELS: &[&str] = &["密接", "次密接", "一般接触"];
pub const CONTACT_RELATIONS: &[&str] = &["家庭成员", "医务人员", "同学", "同事", "其他"];
pub const PLATE_KINDS: &[&str] = &[
    "小型汽车",
    "大型汽车",
    "小型新能源汽车",
    "大型新能源汽车",
    "香港出入境车",
    "澳门出入境车",
    "使馆汽车",
    "领馆汽车",
    "挂车",
    "教练汽车",
    "警用汽车",
];
pub const VEHICLE_KINDS: &[&str] = &["私家车", "大巴中巴", "货车", "其他"];
pub const DISPOSALS: &[&str] = &["放行", "劝返", "移交村(社区)"];
pub const VISIT_METHODS: &[&str] = &["入户", "电话"];

/// The lists the register's forms offer, by field name.
#[derive(Debug, Clone, Serialize)]
pub struct ValueLists {
    pub gender: &'static [&'static str],
    pub id_type: &'static [&'static str],
    pub relation_to_head: &'static [&'static str],
    pub crowd_category: &'static [&'static str],
    pub special_industry: &'static [&'static str],
    pub residence_status: &'static [&'static str],
    pub unvaccinated_reason: &'static [&'static str],
    pub housing_use: &'static [&'static str],
    pub tags: &'static [&'static str],
}

pub fn value_lists() -> ValueLists {
    ValueLists {
        gender: GENDERS,
        id_type: ID_TYPES,
        relation_to_head: RELATIONS_TO_HEAD,
        crowd_category: CROWD_CATEGORIES,
        special_industry: SPECIAL_INDUSTRIES,
        residence_status: RESIDENCE_STATUSES,
        unvaccinated_reason: UNVACCINATED_REASONS,
        housing_use: HOUSING_USES,
        tags: COMMON_TAGS,
    }
}
