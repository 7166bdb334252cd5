//! The sample village: a realistic, generated ledger (石桥村 with four grids, about 300
//! households and 1,000 persons, returnees, isolations with daily checks, a case with its
//! contact chain, a checkpoint with its checks) so a newcomer sees a working ledger at once.
//! Every record goes through the same entry functions and rules as a cadre's forms.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::entry::{self, Reading, RecordInput, Traveller};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::Store;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub households: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            households: 300,
            seed: 20200123,
        }
    }
}

/// What the sample holds.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DemoReport {
    pub households: usize,
    pub persons: usize,
    pub arrivals: usize,
    pub isolations: usize,
    pub health_checks: usize,
    pub contacts: usize,
    pub checkpoint_checks: usize,
}

const SURNAMES: &[&str] = &[
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
/// The county of the sample village (长沙市宁乡市) and where returnees come back from.
const HOME_CODE: &str = "430182";
const ORIGINS: &[(&str, &str)] = &[
    ("440305", "广东省深圳市南山区"),
    ("440106", "广东省广州市天河区"),
    ("330106", "浙江省杭州市西湖区"),
    ("310115", "上海市浦东新区"),
    ("320505", "江苏省苏州市虎丘区"),
    ("420106", "湖北省武汉市武昌区"),
    ("110105", "北京市朝阳区"),
    ("440524", "广东省汕头市潮阳县"),
];

struct Gen {
    rng: fastrand::Rng,
    today: NaiveDate,
    batch: i64,
    used_ids: std::collections::HashSet<String>,
}

impl Gen {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    fn given_name(&mut self, male: bool) -> String {
        let chars = if male { MALE_CHARS } else { FEMALE_CHARS };
        let len = if self.chance(70) { 2 } else { 1 };
        (0..len).map(|_| *self.pick(chars)).collect()
    }

    fn birth(&mut self, min_age: i32, max_age: i32) -> NaiveDate {
        let age = self.rng.i32(min_age..=max_age);
        let start = NaiveDate::from_ymd_opt(self.today.year() - age - 1, 1, 1).unwrap();
        start + Duration::days(self.rng.i64(0..365))
    }

    /// A valid, unique resident ID for a birth date and sex.
    fn resident_id(&mut self, code: &str, birth: NaiveDate, male: bool) -> String {
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

    fn phone(&mut self) -> String {
        let prefix = *self.pick(&[
            "138", "139", "136", "150", "151", "152", "158", "186", "187", "177", "199", "135",
        ]);
        format!("{prefix}{:08}", self.rng.u32(0..100_000_000))
    }

    fn day(&self, days_ago: i64) -> String {
        (self.today - Duration::days(days_ago)).to_string()
    }
}

/// Fills an empty ledger with the sample village, in one transaction.
pub fn fill(store: &mut Store, options: DemoOptions) -> Result<DemoReport> {
    if !store.is_empty()? {
        return Err(Error::refused(
            crate::error::Code::Conflict,
            "账本中已有数据：示例村只能载入空账本。请用 --db 指定一个新文件再试。",
        ));
    }
    let store = &*store;
    store.in_transaction(|| {
        let batch = store.begin_batch(
            "示例",
            None,
            Some("示例村：石桥村（生成数据，可随时新建空账本替换）"),
        )?;
        let mut gen = Gen {
            rng: fastrand::Rng::with_seed(options.seed),
            today: store.today(),
            batch,
            used_ids: Default::default(),
        };
        store.set_hand_batch(batch);
        build(store, &mut gen, options)
    })
}

fn build(store: &Store, gen: &mut Gen, options: DemoOptions) -> Result<DemoReport> {
    let mut report = DemoReport::default();
    let place =
        |parent: Option<i64>, level: &str, name: &str, code: &str, leader: &str, phone: &str| {
            store.add_place(&PlaceInput {
                parent_id: parent,
                level: level.into(),
                name: name.into(),
                code: code.into(),
                leader_name: leader.into(),
                leader_phone: phone.into(),
            })
        };
    let town = place(
        None,
        "乡镇",
        "青山镇",
        "430182101",
        "周建国",
        "0731-87654321",
    )?;
    let village = place(
        Some(town.id),
        "村",
        "石桥村",
        "430182101201",
        "刘德华",
        "13907310001",
    )?;
    let mut groups = Vec::new();
    for (g, grid_name) in ["第一网格", "第二网格", "第三网格", "第四网格"]
        .iter()
        .enumerate()
    {
        let leader = format!("{}{}", gen.pick(SURNAMES), gen.given_name(g % 2 == 0));
        let phone = gen.phone();
        let grid = place(Some(village.id), "网格", grid_name, "", &leader, &phone)?;
        let group_count = options.households.div_ceil(40).max(1);
        for n in 1..=group_count {
            let head = format!("{}{}", gen.pick(SURNAMES), gen.given_name(true));
            let phone = gen.phone();
            groups.push(
                place(
                    Some(grid.id),
                    "联户组",
                    &format!("第{n}联户组"),
                    "",
                    &head,
                    &phone,
                )?
                .id,
            );
        }
    }

    let mut residents: Vec<(i64, i64)> = Vec::new(); // (person id, household id)
    let mut adults: Vec<i64> = Vec::new();
    for h in 0..options.households {
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

    returnees(store, gen, &adults, &mut report)?;
    contact_chain(store, gen, &residents, &adults, &mut report)?;
    checkpoint(store, gen, &residents, village.id, &mut report)?;
    for (n, (person_id, household_id)) in residents.iter().step_by(25).enumerate() {
        let (situation, needs, outcome) = [
            (
                "家中老人身体尚可，已告知防护要点",
                "需要代购药品",
                "已联系村医送药上门",
            ),
            ("家中无返乡人员，已张贴告知书", "无", "无"),
            (
                "儿子下周从深圳返乡",
                "询问返乡报备流程",
                "已告知提前三天报备",
            ),
            ("独居老人，行动不便", "生活物资", "已安排联户长每日探视"),
        ][n % 4];
        save_input(
            store,
            RecordInput {
                kind: Some(Entity::VisitNote),
                person_id: Some(*person_id),
                household_id: Some(*household_id),
                values: [
                    ("visit_date", gen.day((n % 20) as i64)),
                    ("worker_name", "刘德华".into()),
                    ("method", if n % 3 == 0 { "电话" } else { "入户" }.into()),
                    ("situation", situation.into()),
                    ("needs", needs.into()),
                    ("outcome", outcome.into()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                ..Default::default()
            },
        )?;
    }
    Ok(report)
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

/// Saves a record through the same entry function a cadre's form uses.
fn save(
    store: &Store,
    kind: Entity,
    person: Option<i64>,
    values: &[(&str, String)],
) -> Result<i64> {
    save_input(
        store,
        RecordInput {
            kind: Some(kind),
            person_id: person,
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            ..Default::default()
        },
    )
}

fn save_input(store: &Store, input: RecordInput) -> Result<i64> {
    Ok(entry::save(store, &input)?.id)
}

fn vaccinate(store: &Store, gen: &mut Gen, person_id: i64) -> Result<()> {
    let doses = if gen.chance(70) { 3 } else { 2 };
    for dose in 1..=doses {
        let days_ago = 700 - dose * 60 + gen.rng.i64(0..30);
        let place_kind = if gen.chance(85) { "本地" } else { "异地" };
        let name = (*gen.pick(&["北京生物", "科兴中维", "智飞龙科马"])).to_string();
        save(
            store,
            Entity::Vaccination,
            Some(person_id),
            &[
                ("dose", dose.to_string()),
                ("vaccine_date", gen.day(days_ago)),
                ("place_kind", place_kind.into()),
                ("vaccine_name", name),
            ],
        )?;
    }
    Ok(())
}

fn returnees(store: &Store, gen: &mut Gen, adults: &[i64], report: &mut DemoReport) -> Result<()> {
    let chosen: Vec<i64> = adults.iter().copied().filter(|_| gen.chance(7)).collect();
    for person_id in chosen {
        let (_, address) = *gen.pick(ORIGINS);
        let days_ago = gen.rng.i64(-3..28);
        let risk = *gen.pick(&["低", "低", "低", "中", "高"]);
        let transport = *gen.pick(&[
            "高铁/火车",
            "高铁/火车",
            "自驾车",
            "大巴车/长途客车",
            "飞机",
            "网约车",
        ]);
        let transport_no = match transport {
            "高铁/火车" => format!("G{}", gen.rng.u32(1000..2000)),
            "飞机" => format!("CZ{}", gen.rng.u32(3000..4000)),
            "自驾车" => format!("湘A{:05}", gen.rng.u32(0..100000)),
            _ => String::new(),
        };
        let reason = (*gen.pick(&["探亲", "春节返乡", "务工结束", "休假"])).to_string();
        let arrival_id = save(
            store,
            Entity::Arrival,
            Some(person_id),
            &[
                ("kind", "返乡".into()),
                ("arrival_date", gen.day(days_ago)),
                ("origin", address.into()),
                ("risk_level", risk.into()),
                ("transport", transport.into()),
                ("transport_no", transport_no),
                ("reason", reason),
                ("health_code", "绿码".into()),
            ],
        )?;
        report.arrivals += 1;
        if days_ago >= 0 && risk != "低" {
            let (kind, days) = if risk == "高" {
                ("居家隔离医学观察", 14)
            } else {
                ("居家健康监测", 7)
            };
            watch(
                store,
                gen,
                person_id,
                kind,
                days_ago,
                days,
                Cause::Arrival(arrival_id),
                report,
            )?;
        }
    }
    Ok(())
}

/// Why a sample period began.
enum Cause {
    Arrival(i64),
    Contact(i64),
}

/// An isolation or monitoring period that began `days_ago`, with a check for each day so far,
/// tests on days 1, 4 and 7 (scheduled by the period, sampled on their day), and its release
/// when it ended before today.
#[allow(clippy::too_many_arguments)] // reason: one call per cause; a struct would only rename the arguments
fn watch(
    store: &Store,
    gen: &mut Gen,
    person_id: i64,
    kind: &str,
    days_ago: i64,
    days: i64,
    cause: Cause,
    report: &mut DemoReport,
) -> Result<()> {
    let start = gen.today - Duration::days(days_ago);
    let planned_end = start + Duration::days(days - 1);
    let mut values = vec![
        ("kind", kind.to_string()),
        ("start_date", start.to_string()),
        ("planned_end_date", planned_end.to_string()),
        ("test_days", "1,4,7".into()),
        ("responsible", "村医 王建华".into()),
    ];
    if kind == "集中隔离" {
        values.push(("site_name", "青山镇集中隔离点（青山宾馆）".into()));
        values.push(("room_number", format!("{}", gen.rng.u32(201..320))));
    }
    let (arrival, contact) = match cause {
        Cause::Arrival(a) => (Some(a), None),
        Cause::Contact(c) => (None, Some(c)),
    };
    let isolation_id = save_input(
        store,
        RecordInput {
            kind: Some(Entity::Isolation),
            person_id: Some(person_id),
            cause_arrival_id: arrival,
            cause_contact_id: contact,
            values: values
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            ..Default::default()
        },
    )?;
    report.isolations += 1;
    let last = planned_end.min(gen.today);
    let mut day = start;
    while day <= last {
        let am = 36.0 + f64::from(gen.rng.u32(0..9)) / 10.0;
        let mut pm = 36.0 + f64::from(gen.rng.u32(0..9)) / 10.0;
        let fever = gen.chance(3);
        if fever {
            pm = 37.6;
        }
        let symptoms = if fever && gen.chance(50) {
            "发热、乏力"
        } else if fever {
            "发热"
        } else {
            "无"
        };
        entry::record_reading(
            store,
            &Reading {
                person_id,
                date: day.to_string(),
                am: format!("{am:.1}"),
                // Today's afternoon reading is not taken yet.
                pm: if day == gen.today {
                    String::new()
                } else {
                    format!("{pm:.1}")
                },
                symptoms: symptoms.into(),
            },
        )?;
        report.health_checks += 1;
        let n = (day - start).num_days() + 1;
        if [1, 4, 7].contains(&n) && day < gen.today {
            save(
                store,
                Entity::Test,
                Some(person_id),
                &[
                    ("sample_date", day.to_string()),
                    ("site", "青山镇卫生院".into()),
                    (
                        "result",
                        if day + Duration::days(1) >= gen.today {
                            "未出"
                        } else {
                            "阴性"
                        }
                        .into(),
                    ),
                ],
            )?;
        }
        day += Duration::days(1);
    }
    if planned_end < gen.today {
        entry::release(store, isolation_id, Some(&planned_end.to_string()))?;
    }
    Ok(())
}

/// A confirmed case, their household and two workmates as 密接, and the households of the
/// workmates as 次密接: a chain that can be walked both ways.
fn contact_chain(
    store: &Store,
    gen: &mut Gen,
    residents: &[(i64, i64)],
    adults: &[i64],
    report: &mut DemoReport,
) -> Result<()> {
    let Some(&(case_person, case_household)) = residents.iter().find(|(id, _)| {
        store
            .person(*id)
            .map(|p| p.relation_to_head.as_deref() == Some("户主"))
            .unwrap_or(false)
    }) else {
        return Ok(());
    };
    let case_id = save(
        store,
        Entity::Case,
        Some(case_person),
        &[
            ("kind", "确诊".into()),
            ("reported_date", gen.day(5)),
            ("code", "QS-2026-001".into()),
        ],
    )?;
    let household: Vec<i64> = residents
        .iter()
        .filter(|(id, h)| *h == case_household && *id != case_person)
        .map(|(id, _)| *id)
        .collect();
    for member in household {
        link(
            store,
            gen,
            Link {
                via: Via::Case(case_id),
                contact: member,
                level: "密接",
                relation: "家庭成员",
                way: "同处一室",
            },
            report,
        )?;
    }
    // Two grown-up workmates from other households.
    let workmates: Vec<(i64, i64)> = residents
        .iter()
        .filter(|(id, h)| *h != case_household && adults.contains(id))
        .skip(40)
        .step_by(97)
        .take(2)
        .copied()
        .collect();
    for (workmate, workmate_household) in workmates {
        let workmate_link = link(
            store,
            gen,
            Link {
                via: Via::Case(case_id),
                contact: workmate,
                level: "密接",
                relation: "同事",
                way: "同进餐",
            },
            report,
        )?;
        let second: Vec<i64> = residents
            .iter()
            .filter(|(id, h)| *h == workmate_household && *id != workmate)
            .map(|(id, _)| *id)
            .collect();
        for member in second {
            link(
                store,
                gen,
                Link {
                    via: Via::Contact(workmate_link),
                    contact: member,
                    level: "次密接",
                    relation: "家庭成员",
                    way: "同处一室",
                },
                report,
            )?;
        }
    }
    Ok(())
}

/// Whom a contact met: the case (a 密接), or a 密接 (a 次密接, by their contact record).
enum Via {
    Case(i64),
    Contact(i64),
}

/// One link of the sample's contact chain.
struct Link {
    via: Via,
    contact: i64,
    level: &'static str,
    relation: &'static str,
    way: &'static str,
}

/// Records a contact link and puts the contact under watch (集中隔离 for a 密接). Returns the
/// link's id.
fn link(store: &Store, gen: &mut Gen, l: Link, report: &mut DemoReport) -> Result<i64> {
    let exposure = if l.relation == "家庭成员" {
        "共同居住"
    } else {
        "工作接触"
    };
    let (case_id, source_contact_id) = match l.via {
        Via::Case(c) => (Some(c), None),
        Via::Contact(c) => (None, Some(c)),
    };
    let contact_id = save_input(
        store,
        RecordInput {
            kind: Some(Entity::Contact),
            person_id: Some(l.contact),
            case_id,
            source_contact_id,
            values: [
                ("level", l.level.to_string()),
                ("exposure_type", exposure.into()),
                ("relation", l.relation.into()),
                ("contact_way", l.way.into()),
                ("last_contact_date", gen.day(6)),
                ("found_date", gen.day(5)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            ..Default::default()
        },
    )?;
    report.contacts += 1;
    let (kind, days) = if l.level == "密接" {
        ("集中隔离", 10)
    } else {
        ("居家隔离医学观察", 7)
    };
    watch(
        store,
        gen,
        l.contact,
        kind,
        5,
        days,
        Cause::Contact(contact_id),
        report,
    )?;
    Ok(contact_id)
}

fn checkpoint(
    store: &Store,
    gen: &mut Gen,
    residents: &[(i64, i64)],
    village_id: i64,
    report: &mut DemoReport,
) -> Result<()> {
    let site = "石桥村东口卡口";
    let checkpoint_id = save(
        store,
        Entity::Checkpoint,
        None,
        &[
            ("name", site.into()),
            ("place", village_id.to_string()),
            ("address", "县道 X021 石桥村东入口".into()),
            ("unit", "石桥村村委会".into()),
            ("leader_name", "刘德华".into()),
            ("leader_phone", "13907310001".into()),
        ],
    )?;
    for n in 0..60 {
        let days_ago = (n % 3) as i64;
        // Today's stops happen before now, whenever the sample is made.
        let hour = if days_ago == 0 { 0 } else { 7 + n % 14 };
        let time = format!(
            "{} {:02}:{:02}",
            gen.day(days_ago),
            hour,
            gen.rng.u32(0..60)
        );
        let villager = (gen.chance(40) && !residents.is_empty())
            .then(|| residents[gen.rng.usize(..residents.len())].0);
        let driver = match villager {
            Some(id) => {
                let p = store.person(id)?;
                traveller(Some(id), &p.name, p.id_number, p.phone, None)
            }
            None => {
                let (code, _) = *gen.pick(ORIGINS);
                let male = gen.chance(60);
                let birth = gen.birth(20, 60);
                let name = format!("{}{}", gen.pick(SURNAMES), gen.given_name(male));
                let id = gen.resident_id(code, birth, male);
                traveller(None, &name, Some(id), Some(gen.phone()), None)
            }
        };
        let vehicle = gen.chance(80);
        let mut passengers = Vec::new();
        for _ in 0..if vehicle { gen.rng.usize(0..3) } else { 0 } {
            let rider = residents[gen.rng.usize(..residents.len())].0;
            let p = store.person(rider)?;
            passengers.push(traveller(
                Some(rider),
                &p.name,
                p.id_number,
                p.phone,
                Some("36.4"),
            ));
        }
        let temperature = if n == 17 {
            37.8
        } else {
            36.0 + f64::from(gen.rng.u32(0..9)) / 10.0
        };
        let disposal = match (n, temperature >= 37.3) {
            (_, true) => "移交村(社区)",
            (n, _) if n % 19 == 5 => "劝返",
            _ => "放行",
        };
        let mut values: Vec<(&str, String)> = vec![
            ("checked_at", time),
            (
                "origin",
                (*gen.pick(&["长沙市", "宁乡市城区", "益阳市", "深圳市", "湘潭市"])).into(),
            ),
            ("destination", "石桥村".into()),
            ("temperature", format!("{temperature:.1}")),
            ("health_code", "绿码".into()),
            ("disposal", disposal.into()),
        ];
        if vehicle {
            let plate = format!(
                "湘{}{:05}",
                gen.pick(&["A", "A", "B", "C", "F"]),
                gen.rng.u32(0..100000)
            );
            values.push(("plate", plate));
            values.push(("plate_kind", "小型汽车".into()));
            values.push((
                "vehicle_kind",
                (*gen.pick(&["私家车", "私家车", "货车", "大巴中巴"])).into(),
            ));
        }
        if disposal == "移交村(社区)" {
            values.push(("handed_to", village_id.to_string()));
        }
        save_input(
            store,
            RecordInput {
                kind: Some(Entity::CheckpointCheck),
                checkpoint_id: Some(checkpoint_id),
                driver: Some(driver),
                passengers,
                values: values
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                ..Default::default()
            },
        )?;
        report.checkpoint_checks += 1;
    }
    Ok(())
}

fn traveller(
    person_id: Option<i64>,
    name: &str,
    id_number: Option<String>,
    phone: Option<String>,
    temperature: Option<&str>,
) -> Traveller {
    let mut values = std::collections::BTreeMap::new();
    values.insert("name".to_string(), name.to_string());
    for (key, value) in [
        ("id_number", id_number),
        ("phone", phone),
        ("temperature", temperature.map(String::from)),
    ] {
        if let Some(v) = value {
            values.insert(key.to_string(), v);
        }
    }
    Traveller {
        person_id,
        register: false,
        values,
    }
}
