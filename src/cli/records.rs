//! The day's work on the command line: one command per record kind, whose options are made
//! from the record's field table (`model::fields`), so the command line offers exactly the
//! fields the window's forms do and judges them through the same `entry` functions.

use std::collections::BTreeMap;

use clap::{Arg, ArgMatches, Args, Command as ClapCommand, FromArgMatches, Subcommand};
use gridledger::entry::{self, Reading, RecordInput, Traveller};
use gridledger::error::Code;
use gridledger::model::fields::{self, Field};
use gridledger::model::Entity;
use gridledger::store::Store;
use gridledger::Error;

use super::output;

/// The short names people type for some fields (`--am` for 上午体温).
fn alias(key: &str) -> Option<&'static str> {
    Some(match key {
        "am_temperature" => "am",
        "pm_temperature" => "pm",
        "symptoms" => "symptom",
        "arrival_date" | "check_date" | "sample_date" | "visit_date" | "reported_date" => "date",
        "start_date" => "start",
        "planned_end_date" => "end",
        "transport_no" => "no",
        // A person's, as `person add` has always taken them.
        "id_number" => "id",
        "birth_date" => "birth",
        "relation_to_head" => "relation",
        "current_address" => "address",
        "crowd_category" => "crowd",
        "residence_status" => "residence",
        _ => return None,
    })
}

fn add_field_args(mut cmd: ClapCommand, table: &'static [Field]) -> ClapCommand {
    for f in table
        .iter()
        .filter(|f| f.entry && f.kind != fields::Kind::Reference)
    {
        let mut help = f.label.to_string();
        if let fields::Kind::Choice(list) = f.kind {
            help.push_str(&format!("：{}", list.join("、")));
        }
        if !f.hint.is_empty() {
            help.push_str(&format!("（{}）", f.hint));
        }
        let mut arg = Arg::new(f.key)
            .long(f.key.replace('_', "-"))
            .value_name(f.label)
            .help(help);
        if let Some(a) = alias(f.key) {
            arg = arg.visible_alias(a);
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

fn field_values(m: &ArgMatches, table: &'static [Field]) -> BTreeMap<String, String> {
    table
        .iter()
        .filter(|f| f.entry && f.kind != fields::Kind::Reference)
        .filter_map(|f| {
            m.get_one::<String>(f.key)
                .map(|v| (f.key.to_string(), v.clone()))
        })
        .collect()
}

/// Declares a set of options made from a field table.
macro_rules! field_args {
    ($name:ident, $table:expr) => {
        #[derive(Debug, Clone, Default)]
        pub struct $name(pub BTreeMap<String, String>);

        impl FromArgMatches for $name {
            fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
                Ok($name(field_values(m, $table)))
            }
            fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
                self.0.extend(field_values(m, $table));
                Ok(())
            }
        }

        impl Args for $name {
            fn augment_args(cmd: ClapCommand) -> ClapCommand {
                add_field_args(cmd, $table)
            }
            fn augment_args_for_update(cmd: ClapCommand) -> ClapCommand {
                add_field_args(cmd, $table)
            }
        }
    };
}

field_args!(PersonFields, fields::PERSON);
field_args!(ArrivalFields, fields::ARRIVAL);
field_args!(IsolationFields, fields::ISOLATION);
field_args!(TestFields, fields::TEST);
field_args!(VaccinationFields, fields::VACCINATION);
field_args!(CaseFields, fields::CASE);
field_args!(ContactFields, fields::CONTACT);
field_args!(CheckpointFields, fields::CHECKPOINT);
field_args!(VisitFields, fields::VISIT);

/// A record kind's add and edit commands.
#[derive(Subcommand)]
pub enum Record<F: Args + FromArgMatches + Clone + Send + Sync + 'static> {
    /// 登记（PERSON 可以是人员编号、身份证号、姓名或手机号）
    Add {
        person: String,
        #[command(flatten)]
        fields: F,
    },
    /// 修改一条记录（只改给出的项）
    Edit {
        id: i64,
        #[command(flatten)]
        fields: F,
    },
}

#[derive(Subcommand)]
pub enum IsolationCommand {
    /// 开始隔离或健康监测（可用 --test-days 1,4,7 排核酸）
    Start {
        person: String,
        #[command(flatten)]
        fields: IsolationFields,
    },
    /// 解除（默认今天）
    End {
        id: i64,
        #[arg(long)]
        date: Option<String>,
    },
    /// 修改一段隔离
    Edit {
        id: i64,
        #[command(flatten)]
        fields: IsolationFields,
    },
}

#[derive(Subcommand)]
pub enum HealthCommand {
    /// 记一次体温（上午、下午或两者）和症状；同一天再记会补上没填的项
    Add {
        person: String,
        #[arg(long)]
        am: Option<String>,
        #[arg(long)]
        pm: Option<String>,
        /// 症状：发热、干咳、乏力、咽痛、嗅(味)觉减退、腹泻，或 无（可多次）
        #[arg(long = "symptom")]
        symptoms: Vec<String>,
        /// 日期，默认今天
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ContactCommand {
    /// 登记密接（--to 病例）或次密接（--to 一名密接）
    Add {
        person: String,
        /// 接触的是谁：病例，或（次密接的）一名密接——人员编号、身份证号、姓名或手机号
        #[arg(long)]
        to: String,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// 修改一条接触关系
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ContactFields,
    },
}

#[derive(Subcommand)]
pub enum CheckpointCommand {
    /// 登记一个卡口
    Add {
        #[command(flatten)]
        fields: CheckpointFields,
    },
    /// 登记一次卡口检查：车辆、司机和随车人员
    Stop(Box<StopArgs>),
    /// 一个卡口今天的检查和人次、车次
    Day {
        site: String,
        #[arg(long)]
        shift: Option<String>,
    },
}

#[derive(Args)]
pub struct StopArgs {
    /// 卡口名称
    #[arg(long)]
    site: String,
    /// 被检查人（司机或步行者）："姓名[,证件号[,电话]]"
    #[arg(long)]
    driver: String,
    /// 随车人员："姓名[,证件号[,电话[,体温]]]"（可多次）
    #[arg(long = "passenger")]
    passengers: Vec<String>,
    /// 把不在台账中的人登记为外来人员（移交村时常用）
    #[arg(long)]
    register: bool,
    /// 车牌号
    #[arg(long)]
    plate: Option<String>,
    /// 号牌种类
    #[arg(long)]
    plate_kind: Option<String>,
    /// 车辆类别
    #[arg(long)]
    vehicle_kind: Option<String>,
    /// 体温
    #[arg(long)]
    temperature: Option<String>,
    /// 出发地
    #[arg(long)]
    origin: Option<String>,
    /// 目的地
    #[arg(long)]
    destination: Option<String>,
    /// 处置：放行、劝返、移交村(社区)
    #[arg(long)]
    disposal: Option<String>,
    /// 移交的村（社区）
    #[arg(long)]
    handed_to: Option<String>,
    /// 检查时间，默认现在
    #[arg(long)]
    at: Option<String>,
    /// 班次
    #[arg(long)]
    shift: Option<String>,
    /// 备注
    #[arg(long)]
    note: Option<String>,
}

#[derive(Subcommand)]
pub enum RecordCommand {
    /// 归档一条记录（不删除，可恢复）
    Archive { kind: String, id: i64 },
    /// 恢复归档的记录
    Restore { kind: String, id: i64 },
    /// 一条记录的修改记录（谁、何时、改了什么）
    History { kind: String, id: i64 },
}

/// Finds the person a command names: a record number, an ID number, a phone, or a name
/// that only one person has.
pub fn resolve_person(store: &Store, text: &str) -> Result<i64, Error> {
    let key = gridledger::validate::normalize_key(text);
    if !key.is_empty() && key.len() <= 9 && key.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(store.person(key.parse().unwrap_or_default())?.id);
    }
    let hits = store.find_persons(text, 6)?;
    let exact: Vec<_> = hits
        .iter()
        .filter(|h| {
            h.name == key
                || h.id_number.as_deref() == Some(key.to_uppercase().as_str())
                || h.phone.as_deref() == Some(key.as_str())
        })
        .collect();
    match (exact.as_slice(), hits.as_slice()) {
        ([one], _) => Ok(one.id),
        ([], [one]) => Ok(one.id),
        ([], []) => Err(Error::refused(
            Code::NotFound,
            format!("找不到“{text}”：请用 person find 查找，或先 person add 登记"),
        )),
        _ => Err(Error::refused(
            Code::ArgumentInvalid,
            format!(
                "“{text}”不止一人：{}。请用人员编号",
                hits.iter()
                    .map(|h| format!(
                        "{} {}{}",
                        h.id,
                        h.name,
                        h.household_label
                            .as_deref()
                            .map(|l| format!("（{l}）"))
                            .unwrap_or_default()
                    ))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )),
    }
}

fn entity(kind: &str) -> Result<Entity, Error> {
    Entity::from_key(kind).ok_or_else(|| {
        Error::refused(
            Code::ArgumentInvalid,
            format!(
                "没有“{kind}”这种记录；可选：{}",
                Entity::ALL
                    .iter()
                    .map(|e| e.key())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    })
}

/// Saves a record and prints it (warnings to stderr).
pub fn save(store: &Store, input: RecordInput, out: &output::Output) -> Result<(), Error> {
    let saved = entry::save(store, &input)?;
    for w in &saved.warnings {
        output::say(&format!("提醒：{}", w.message));
    }
    out.show(&saved, || {
        format!("已保存{} {}", saved.kind.label(), saved.id)
    });
    Ok(())
}

fn record(
    kind: Entity,
    person: Option<i64>,
    id: Option<i64>,
    values: BTreeMap<String, String>,
) -> RecordInput {
    RecordInput {
        kind: Some(kind),
        id,
        person_id: person,
        values,
        ..Default::default()
    }
}

/// The values an edit leaves as they were: the stored record's, laid under the new ones.
fn edit_values(
    store: &Store,
    kind: Entity,
    id: i64,
    new: BTreeMap<String, String>,
) -> Result<(Option<i64>, BTreeMap<String, String>), Error> {
    let (json, person) = match kind {
        Entity::Arrival => {
            let a = store.arrival(id)?;
            (serde_json::to_value(&a), Some(a.person_id))
        }
        Entity::Isolation => {
            let i = store.isolation(id)?;
            (serde_json::to_value(&i), Some(i.person_id))
        }
        Entity::Test => {
            let t = store.test(id)?;
            (serde_json::to_value(&t), Some(t.person_id))
        }
        Entity::Vaccination => {
            let v = store.vaccination(id)?;
            (serde_json::to_value(&v), Some(v.person_id))
        }
        Entity::Case => {
            let c = store.case(id)?;
            (serde_json::to_value(&c), Some(c.person_id))
        }
        Entity::Contact => {
            let c = store.contact(id)?;
            (serde_json::to_value(&c), Some(c.contact_person_id))
        }
        _ => return Ok((None, new)),
    };
    let mut values = BTreeMap::new();
    if let Ok(serde_json::Value::Object(map)) = json {
        for f in entry::form_fields(kind) {
            let stored = match (f.key, &map) {
                ("origin", m) => m.get("origin_address"),
                (key, m) => m.get(key),
            };
            match stored {
                Some(serde_json::Value::String(s)) => {
                    values.insert(f.key.to_string(), s.clone());
                }
                Some(serde_json::Value::Number(n)) => {
                    values.insert(f.key.to_string(), n.to_string());
                }
                _ => {}
            }
        }
    }
    values.extend(new);
    Ok((person, values))
}

pub fn arrival(
    store: &Store,
    command: Record<ArrivalFields>,
    out: &output::Output,
) -> Result<(), Error> {
    simple(store, Entity::Arrival, command.into_parts(store)?, out)
}

pub fn test(store: &Store, command: Record<TestFields>, out: &output::Output) -> Result<(), Error> {
    simple(store, Entity::Test, command.into_parts(store)?, out)
}

pub fn vaccination(
    store: &Store,
    command: Record<VaccinationFields>,
    out: &output::Output,
) -> Result<(), Error> {
    simple(store, Entity::Vaccination, command.into_parts(store)?, out)
}

pub fn case(store: &Store, command: Record<CaseFields>, out: &output::Output) -> Result<(), Error> {
    simple(store, Entity::Case, command.into_parts(store)?, out)
}

pub fn visit(
    store: &Store,
    command: Record<VisitFields>,
    out: &output::Output,
) -> Result<(), Error> {
    simple(store, Entity::VisitNote, command.into_parts(store)?, out)
}

/// (person, record id for an edit, values given)
type Parts = (Option<i64>, Option<i64>, BTreeMap<String, String>);

trait IntoParts {
    fn into_parts(self, store: &Store) -> Result<Parts, Error>;
}

macro_rules! into_parts {
    ($fields:ty) => {
        impl IntoParts for Record<$fields> {
            fn into_parts(self, store: &Store) -> Result<Parts, Error> {
                Ok(match self {
                    Record::Add { person, fields } => {
                        (Some(resolve_person(store, &person)?), None, fields.0)
                    }
                    Record::Edit { id, fields } => (None, Some(id), fields.0),
                })
            }
        }
    };
}
into_parts!(ArrivalFields);
into_parts!(TestFields);
into_parts!(VaccinationFields);
into_parts!(CaseFields);
into_parts!(VisitFields);

fn simple(
    store: &Store,
    kind: Entity,
    (person, id, values): Parts,
    out: &output::Output,
) -> Result<(), Error> {
    let (person, values) = match id {
        Some(id) => {
            let (stored_person, values) = edit_values(store, kind, id, values)?;
            (person.or(stored_person), values)
        }
        None => (person, values),
    };
    let mut input = record(kind, person, id, values);
    if kind == Entity::VisitNote {
        if let Some(id) = input.id {
            let n = store.visit_note(id)?;
            input.person_id = n.person_id;
            input.household_id = n.household_id;
        }
    }
    save(store, input, out)
}

pub fn isolation(
    store: &Store,
    command: IsolationCommand,
    out: &output::Output,
) -> Result<(), Error> {
    match command {
        IsolationCommand::Start { person, fields } => {
            let person = resolve_person(store, &person)?;
            save(
                store,
                record(Entity::Isolation, Some(person), None, fields.0),
                out,
            )
        }
        IsolationCommand::Edit { id, fields } => {
            let (person, values) = edit_values(store, Entity::Isolation, id, fields.0)?;
            save(
                store,
                record(Entity::Isolation, person, Some(id), values),
                out,
            )
        }
        IsolationCommand::End { id, date } => {
            entry::release(store, id, date.as_deref())?;
            let i = store.isolation(id)?;
            out.show(&i, || {
                format!(
                    "已解除{} {}（{} 起，{} 解除）",
                    i.kind,
                    id,
                    i.start_date,
                    i.released_date.clone().unwrap_or_default()
                )
            });
            Ok(())
        }
    }
}

pub fn health(store: &Store, command: HealthCommand, out: &output::Output) -> Result<(), Error> {
    let HealthCommand::Add {
        person,
        am,
        pm,
        symptoms,
        date,
    } = command;
    let reading = Reading {
        person_id: resolve_person(store, &person)?,
        date: date.unwrap_or_default(),
        am: am.unwrap_or_default(),
        pm: pm.unwrap_or_default(),
        symptoms: symptoms.join("、"),
    };
    let saved = entry::record_reading(store, &reading)?;
    for w in &saved.warnings {
        output::say(&format!("提醒：{}", w.message));
    }
    out.show(&saved, || {
        let t = |v: Option<f64>| v.map(|t| format!("{t}℃")).unwrap_or_else(|| "—".into());
        format!(
            "已记体温：上午 {}，下午 {}{}{}",
            t(saved.am_temperature),
            t(saved.pm_temperature),
            if saved.symptoms.is_empty() {
                String::new()
            } else {
                format!("，症状 {}", saved.symptoms.join("、"))
            },
            if saved.abnormal {
                "（异常，已列入今日名单）"
            } else {
                ""
            }
        )
    });
    Ok(())
}

pub fn contact(store: &Store, command: ContactCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        ContactCommand::Add { person, to, fields } => {
            let person = resolve_person(store, &person)?;
            let to = resolve_person(store, &to)?;
            let mut input = record(Entity::Contact, Some(person), None, fields.0);
            // Whom the contact met: a case (a 密接), or a 密接 (a 次密接).
            match store
                .cases_of(to)?
                .into_iter()
                .find(|c| c.stamp.archived_at.is_none())
            {
                Some(case) => input.case_id = Some(case.id),
                None => {
                    let link = store
                        .contact_links(to, true)?
                        .into_iter()
                        .next()
                        .ok_or_else(|| {
                            Error::refused(
                                Code::ArgumentInvalid,
                                "--to 应是一名病例，或一名已登记的密接（登记次密接时）",
                            )
                        })?;
                    input.source_contact_id = Some(link.contact.id);
                }
            }
            save(store, input, out)
        }
        ContactCommand::Edit { id, fields } => {
            let (person, values) = edit_values(store, Entity::Contact, id, fields.0)?;
            save(
                store,
                record(Entity::Contact, person, Some(id), values),
                out,
            )
        }
    }
}

/// "姓名,证件号,电话,体温" → a traveller.
fn traveller(text: &str, register: bool, with_temperature: bool) -> Traveller {
    let parts: Vec<&str> = text.split([',', '，']).map(str::trim).collect();
    let mut values = BTreeMap::new();
    let keys: &[&str] = if with_temperature {
        &["name", "id_number", "phone", "temperature"]
    } else {
        &["name", "id_number", "phone"]
    };
    for (key, value) in keys.iter().zip(parts) {
        if !value.is_empty() {
            values.insert(key.to_string(), value.to_string());
        }
    }
    Traveller {
        person_id: None,
        register,
        values,
    }
}

pub fn checkpoint(
    store: &Store,
    command: CheckpointCommand,
    out: &output::Output,
) -> Result<(), Error> {
    match command {
        CheckpointCommand::Add { fields } => {
            let saved = entry::save(store, &record(Entity::Checkpoint, None, None, fields.0))?;
            out.show(&saved, || format!("已登记卡口 {}", saved.id));
            Ok(())
        }
        CheckpointCommand::Stop(a) => {
            let a = *a;
            let mut values = BTreeMap::new();
            values.insert("checkpoint_name".to_string(), a.site.clone());
            for (key, value) in [
                ("plate", a.plate),
                ("plate_kind", a.plate_kind),
                ("vehicle_kind", a.vehicle_kind),
                ("temperature", a.temperature),
                ("origin", a.origin),
                ("destination", a.destination),
                ("disposal", a.disposal),
                ("handed_to", a.handed_to),
                ("checked_at", a.at),
                ("shift", a.shift),
                ("note", a.note),
            ] {
                if let Some(v) = value {
                    values.insert(key.to_string(), v);
                }
            }
            let input = RecordInput {
                kind: Some(Entity::CheckpointCheck),
                driver: Some(traveller(&a.driver, a.register, false)),
                passengers: a
                    .passengers
                    .iter()
                    .map(|p| traveller(p, a.register, true))
                    .collect(),
                values,
                ..Default::default()
            };
            save(store, input, out)
        }
        CheckpointCommand::Day { site, shift } => {
            let id = store
                .checkpoint_by_name(&site)?
                .ok_or_else(|| Error::refused(Code::NotFound, format!("没有名为“{site}”的卡口")))?;
            let day = store.station_day(id, store.today(), shift.as_deref())?;
            out.show(&day, || {
                format!(
                    "{} {}：{} 人次，{} 车次{}",
                    site,
                    day.day,
                    day.people,
                    day.vehicles,
                    day.shift
                        .as_deref()
                        .map(|s| format!(
                            "；{s}班 {} 人次，{} 车次",
                            day.shift_people, day.shift_vehicles
                        ))
                        .unwrap_or_default()
                )
            });
            Ok(())
        }
    }
}

pub fn records(store: &Store, command: RecordCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        RecordCommand::Archive { kind, id } => {
            let kind = entity(&kind)?;
            entry::archive(store, kind, id)?;
            out.show(&serde_json::json!({ "archived": id, "kind": kind }), || {
                format!(
                    "已归档{} {id}（可用 record restore {} {id} 恢复）",
                    kind.label(),
                    kind.key()
                )
            });
        }
        RecordCommand::Restore { kind, id } => {
            let kind = entity(&kind)?;
            entry::restore(store, kind, id)?;
            out.show(&serde_json::json!({ "restored": id, "kind": kind }), || {
                format!("已恢复{} {id}", kind.label())
            });
        }
        RecordCommand::History { kind, id } => {
            let kind = entity(&kind)?;
            let changes = store.changes_of(kind, id)?;
            out.show(&changes, || {
                if changes.is_empty() {
                    return "没有修改记录".into();
                }
                changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {} {}{}",
                            c.at,
                            c.operator.as_deref().unwrap_or("（未设置填报人）"),
                            c.action,
                            c.detail
                                .as_ref()
                                .map(|d| format!("：{d}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

pub fn today(store: &Store, place: Option<&str>, out: &output::Output) -> Result<(), Error> {
    let place = match place {
        Some(p) => Some(store.report_place_id(p)?),
        None => None,
    };
    let list = gridledger::report::today(store, place)?;
    out.show(&list, || output::today_text(&list));
    Ok(())
}
