//! The sample's people: names, birth dates, resident IDs and phones drawn by the seeded
//! generator, the members of each household (a family, an elderly person living alone, or
//! tenants from elsewhere), and the households and persons written through the same rules
//! as a cadre's forms, each resident vaccinated unless they have a reason not to be.

use chrono::{Datelike, Duration, NaiveDate};

use super::events::vaccinate;
use super::{DemoReport, Gen, HOME_CODE, ORIGINS};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;

/// The surnames and the characters of given names the sample's people are named from.
pub(super) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "欧阳", "单",
];
const MALE_CHARS: &[char] = &[
    '伟', '强', '磊', '军', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫',
    '波', '斌', '宇', '浩', '凯', '健', '俊', '帆', '建', '国', '志', '文', '林', '海', '德', '春',
    '福', '生', '永', '成', '龙', '山', '三', '四',
];
const FEMALE_CHARS: &[char] = &[
    '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '桂', '兰', '萍', '红', '燕',
    '梅', '琳', '婷', '雪', '慧', '洁', '颖', '倩', '佳', '月', '凤', '翠', '珍', '莲',
];
/// The streets of 石桥村, whose doors the households are numbered along.
const STREETS: &[&str] = &[
    "东街",
    "西街",
    "南巷",
    "北巷",
    "河沿路",
    "新村路",
    "后山",
    "前进路",
    "学堂巷",
    "桥头",
];

/// What a sample person is made of.
impl Gen {
    pub(super) fn given_name(&mut self, male: bool) -> String {
        let chars = if male { MALE_CHARS } else { FEMALE_CHARS };
        let len = if self.chance(70) { 2 } else { 1 };
        (0..len).map(|_| *self.pick(chars)).collect()
    }

    /// A birth date of someone between `min_age` and `max_age` years old.
    pub(super) fn birth(&mut self, min_age: i32, max_age: i32) -> NaiveDate {
        let age = self.rng.i32(min_age..=max_age);
        let start = NaiveDate::from_ymd_opt(self.today.year() - age - 1, 1, 1).unwrap();
        start + Duration::days(self.rng.i64(0..365))
    }

    /// A valid, unique resident ID for a birth date and sex.
    pub(super) fn resident_id(&mut self, code: &str, birth: NaiveDate, male: bool) -> String {
        loop {
            let mut seq = self.rng.u32(0..1000);
            if (seq % 2 == 1) != male {
                seq = (seq + 1) % 1000;
            }
            let first17 = format!("{code}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", crate::validate::check_character(&first17));
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    pub(super) fn phone(&mut self) -> String {
        let prefix = *self.pick(&[
            "138", "139", "136", "150", "151", "152", "158", "186", "187", "177", "199", "135",
        ]);
        format!("{prefix}{:08}", self.rng.u32(0..100_000_000))
    }
}

/// Who lives in the sample village once its households are registered.
pub(super) struct Residents {
    /// (person id, household id) of everyone registered.
    pub all: Vec<(i64, i64)>,
    /// Those aged 18 or more.
    pub adults: Vec<i64>,
}

/// Registers `count` households on the streets of the village, spread over the 联户组
/// `groups`, and the members of every household that is not empty.
pub(super) fn households(
    store: &Store,
    gen: &mut Gen,
    groups: &[i64],
    count: usize,
    report: &mut DemoReport,
) -> Result<Residents> {
    let mut residents: Vec<(i64, i64)> = Vec::new(); // (person id, household id)
    let mut adults: Vec<i64> = Vec::new();
    for h in 0..count {
        let street = STREETS[h % STREETS.len()];
        let use_roll = gen.rng.u32(..100);
        let housing_use = match use_roll {
            0..=89 => "自住",
            90..=96 => "出租",
            _ => "空置",
        };
        let household = CleanHousehold {
            id: None,
            place_id: groups[h % groups.len()],
            door_name: Some(street.to_string()),
            door_number: Some(format!("{}号", h / STREETS.len() + 1)),
            address: Some(format!("青山镇石桥村{street}{}号", h / STREETS.len() + 1)),
            housing_use: housing_use.to_string(),
            tenant_name: None,
            tenant_phone: None,
            note: None,
        };
        let tenant = (housing_use == "出租").then(|| {
            (
                format!("{}{}", gen.pick(SURNAMES), gen.given_name(true)),
                gen.phone(),
            )
        });
        let household = CleanHousehold {
            tenant_name: tenant.as_ref().map(|t| t.0.clone()),
            tenant_phone: tenant.as_ref().map(|t| t.1.clone()),
            ..household
        };
        let household_id = store.write_household(&household, gen.batch)?;
        report.households += 1;
        if housing_use == "空置" {
            continue;
        }
        let surname = gen.pick(SURNAMES).to_string();
        let members = members_of(gen, &surname, housing_use == "出租");
        for m in members {
            let reason = unvaccinated_reason(gen, m.age);
            let input = PersonInput {
                unvaccinated_reason: reason.unwrap_or_default().into(),
                ..m.input(household_id)
            };
            let checked = validate_person(&input, gen.today).map_err(Error::Invalid)?;
            let id = store.write_person(&checked.value, gen.batch)?;
            report.persons += 1;
            residents.push((id, household_id));
            if m.age >= 18 {
                adults.push(id);
            }
            if reason.is_none() {
                vaccinate(store, gen, id)?;
            }
        }
    }
    Ok(Residents {
        all: residents,
        adults,
    })
}

struct Member {
    name: String,
    male: bool,
    birth: NaiveDate,
    age: i32,
    relation: &'static str,
    id_number: Option<String>,
    phone: Option<String>,
    hukou_code: &'static str,
    residence_status: &'static str,
    crowd_category: &'static str,
    tags: Vec<&'static str>,
}

impl Member {
    fn input(&self, household_id: i64) -> PersonInput {
        PersonInput {
            household_id: Some(household_id),
            name: self.name.clone(),
            gender: if self.male { "男" } else { "女" }.into(),
            id_number: self.id_number.clone().unwrap_or_default(),
            birth_date: if self.id_number.is_none() {
                self.birth.to_string()
            } else {
                String::new()
            },
            phone: self.phone.clone().unwrap_or_default(),
            hukou_code: self.hukou_code.into(),
            relation_to_head: self.relation.into(),
            crowd_category: self.crowd_category.into(),
            residence_status: self.residence_status.into(),
            tags: self.tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        }
    }
}

fn member(
    gen: &mut Gen,
    surname: &str,
    male: bool,
    relation: &'static str,
    min_age: i32,
    max_age: i32,
    hukou: &'static str,
) -> Member {
    let birth = gen.birth(min_age, max_age);
    let age = age_on(birth, gen.today);
    // Some small children have no ID number on file yet.
    let id_number = if age < 6 && gen.chance(40) {
        None
    } else {
        Some(gen.resident_id(hukou, birth, male))
    };
    let phone = (age >= 16 && gen.chance(90)).then(|| gen.phone());
    let crowd_category = match age {
        0..=2 => "散居儿童",
        3..=6 => "幼托儿童",
        7..=18 => "学生",
        60.. => {
            if gen.chance(50) {
                "农民"
            } else {
                "离退人员"
            }
        }
        _ => *gen.pick(&[
            "农民",
            "农民",
            "民工",
            "工人",
            "商业服务",
            "教师",
            "家务及待业",
            "干部职员",
        ]),
    };
    let residence_status = if (20..50).contains(&age) && gen.chance(25) {
        "外出"
    } else {
        "常住"
    };
    let mut tags = Vec::new();
    if residence_status == "外出" {
        tags.push("外出务工");
    }
    if gen.chance(4) {
        tags.push("困难群体");
    }
    if !male && (22..38).contains(&age) && gen.chance(6) {
        tags.push("孕产妇");
    }
    let name = format!("{surname}{}", gen.given_name(male));
    Member {
        name,
        male,
        birth,
        age,
        relation,
        id_number,
        phone,
        hukou_code: hukou,
        residence_status,
        crowd_category,
        tags,
    }
}

fn members_of(gen: &mut Gen, surname: &str, rented: bool) -> Vec<Member> {
    if rented {
        // Tenants from elsewhere: a worker, sometimes with a spouse.
        let (code, _) = *gen.pick(ORIGINS);
        let mut m = vec![member(gen, surname, true, "租户", 22, 50, code)];
        m[0].residence_status = "外来";
        if gen.chance(50) {
            let spouse_surname = *gen.pick(SURNAMES);
            let mut spouse = member(gen, spouse_surname, false, "租户", 22, 50, code);
            spouse.residence_status = "外来";
            m.push(spouse);
        }
        return m;
    }
    let shape = gen.rng.u32(..100);
    if shape < 10 {
        // An elderly person living alone.
        let male = gen.chance(40);
        let mut m = member(gen, surname, male, "户主", 70, 92, HOME_CODE);
        m.tags.push("独居老人");
        return vec![m];
    }
    let mut members = vec![member(gen, surname, true, "户主", 35, 70, HOME_CODE)];
    let head_age = members[0].age;
    let spouse_surname = gen.pick(SURNAMES).to_string();
    members.push(member(
        gen,
        &spouse_surname,
        false,
        "配偶",
        (head_age - 5).max(22),
        head_age + 2,
        HOME_CODE,
    ));
    let children = gen.rng.usize(1..=2) + usize::from(shape > 60);
    for _ in 0..children {
        let male = gen.chance(52);
        let (min, max) = ((head_age - 42).max(0), (head_age - 22).max(1));
        members.push(member(gen, surname, male, "子女", min, max, HOME_CODE));
    }
    if shape > 75 && head_age < 55 {
        members.push(member(
            gen,
            surname,
            true,
            "父母",
            head_age + 22,
            head_age + 32,
            HOME_CODE,
        ));
    }
    members
}

fn unvaccinated_reason(gen: &mut Gen, age: i32) -> Option<&'static str> {
    match age {
        ..=2 => Some("未成年"),
        85.. if gen.chance(60) => Some("高龄"),
        _ if gen.chance(5) => Some(*gen.pick(&["因病", "外出", "怀孕", "哺乳期", "失联", "其他"])),
        _ => None,
    }
}
