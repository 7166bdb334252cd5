//! The register on the command line: `person` (add, find, show, archive, restore),
//! `household` (add, list, show) and `place` (add, list). A person's options are made from the
//! person's field table, as the window's form is.

use clap::{Args, Subcommand};
use gridledger::model::{HouseholdInput, PersonInput, PlaceInput};
use gridledger::store::Store;
use gridledger::Error;

use super::{output, records};

#[derive(Subcommand)]
pub enum PersonCommand {
    /// 登记一个人
    Add(Box<PersonArgs>),
    /// 按姓名、拼音首字母（如 zs）、身份证号（或末几位）、手机号查找
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// 查看一个人的全部信息
    Show { id: i64 },
    /// 归档一个人（不删除，可恢复）
    Archive { id: i64 },
    /// 恢复已归档的人
    Restore { id: i64 },
}

/// A person's fields, every one of `model::fields::PERSON` (the same the window's form has).
#[derive(Args)]
pub struct PersonArgs {
    #[command(flatten)]
    fields: records::PersonFields,
    /// 所属户的编号（见 household list）
    #[arg(long)]
    household: Option<i64>,
    /// 标签（可多次）：独居老人、困难群体……
    #[arg(long = "tag")]
    tags: Vec<String>,
}

#[derive(Subcommand)]
pub enum HouseholdCommand {
    /// 登记一户
    Add {
        /// 所属村、网格或联户组的编号（见 place list）
        #[arg(long)]
        place: i64,
        #[arg(long)]
        door_name: Option<String>,
        #[arg(long)]
        door_number: Option<String>,
        #[arg(long)]
        address: Option<String>,
        /// 住房使用情况：自住、出租、空置
        #[arg(long = "use")]
        housing_use: Option<String>,
    },
    /// 列出户（某地点及其下级）
    List {
        #[arg(long)]
        place: Option<i64>,
    },
    /// 查看一户及其成员
    Show { id: i64 },
}

#[derive(Subcommand)]
pub enum PlaceCommand {
    /// 新增地点
    Add {
        /// 层级：县、乡镇、村、网格、联户组
        #[arg(long)]
        level: String,
        #[arg(long)]
        name: String,
        /// 上级地点编号
        #[arg(long)]
        parent: Option<i64>,
        /// 区划代码
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        leader: Option<String>,
        #[arg(long)]
        leader_phone: Option<String>,
    },
    /// 列出全部地点
    List,
    /// 查找地点：路径中含全部词的（如 “石桥 45” 找到 石桥村/第45网格）
    Find {
        /// 要找的词（可以几个，空格分开）
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// 只要这一层级（可多次）：县、乡镇、村、网格、联户组
        #[arg(long)]
        level: Vec<String>,
        /// 最多列出几处
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub fn person(store: Store, command: PersonCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        PersonCommand::Add(a) => {
            let mut input = PersonInput {
                household_id: a.household,
                tags: a.tags,
                ..Default::default()
            };
            for (key, value) in a.fields.0 {
                input.set(&key, value);
            }
            let saved = store.save_person(&input)?;
            for w in &saved.warnings {
                output::say(&format!("提醒：{}", w.message));
            }
            out.show(&saved, || {
                format!("已登记：{}", output::person_line(&saved.person))
            });
        }
        PersonCommand::Find { query, limit } => {
            let hits = store.find_persons(&query, limit)?;
            out.show(&hits, || output::hits_text(&hits));
        }
        PersonCommand::Show { id } => {
            let profile = store.person_profile(id)?;
            out.show(&profile, || output::profile_text(&profile));
        }
        PersonCommand::Archive { id } => {
            store.archive_person(id)?;
            out.show(&serde_json::json!({ "archived": id }), || {
                format!("已归档人员 {id}（可用 person restore {id} 恢复）")
            });
        }
        PersonCommand::Restore { id } => {
            store.restore_person(id)?;
            out.show(&serde_json::json!({ "restored": id }), || {
                format!("已恢复人员 {id}")
            });
        }
    }
    Ok(())
}

pub fn household(
    store: Store,
    command: HouseholdCommand,
    out: &output::Output,
) -> Result<(), Error> {
    match command {
        HouseholdCommand::Add {
            place,
            door_name,
            door_number,
            address,
            housing_use,
        } => {
            let saved = store.save_household(&HouseholdInput {
                place_id: Some(place),
                door_name: door_name.unwrap_or_default(),
                door_number: door_number.unwrap_or_default(),
                address: address.unwrap_or_default(),
                housing_use: housing_use.unwrap_or_default(),
                ..Default::default()
            })?;
            out.show(&saved, || {
                format!(
                    "已登记户 {}：{}（{}）",
                    saved.id,
                    saved.label(),
                    saved.place_path
                )
            });
        }
        HouseholdCommand::List { place } => {
            let list = store.households(place, false)?;
            out.show(&list, || output::households_text(&list));
        }
        HouseholdCommand::Show { id } => {
            let detail = store.household(id)?;
            out.show(&detail, || output::household_text(&detail));
        }
    }
    Ok(())
}

pub fn place(store: Store, command: PlaceCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        PlaceCommand::Add {
            level,
            name,
            parent,
            code,
            leader,
            leader_phone,
        } => {
            let place = store.add_place(&PlaceInput {
                parent_id: parent,
                level,
                name,
                code: code.unwrap_or_default(),
                leader_name: leader.unwrap_or_default(),
                leader_phone: leader_phone.unwrap_or_default(),
            })?;
            out.show(&place, || {
                format!("已新增{} {}：{}", place.level, place.id, place.path)
            });
        }
        PlaceCommand::List | PlaceCommand::Find { .. } => {
            let places = match command {
                PlaceCommand::Find { text, level, limit } => {
                    store.find_places(&text.join(" "), &level, limit)?
                }
                _ => store.places()?,
            };
            out.show(&places, || {
                places
                    .iter()
                    .map(|p| format!("{:>5}  {:<4} {}", p.id, p.level, p.path))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
