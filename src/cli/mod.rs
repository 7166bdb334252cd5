//! Command-line parsing and output. Every command calls one core function and prints its
//! result, as text for people or, with `--json`, as one JSON document for scripts.

mod output;
mod records;

use records::{
    ArrivalFields, CaseFields, CheckpointCommand, ContactCommand, HealthCommand, IsolationCommand,
    Record, RecordCommand, TestFields, VaccinationFields, VisitFields,
};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use gridledger::error::Code;
use gridledger::files::IfExists;
use gridledger::model::{HouseholdInput, PersonInput, PlaceInput};
use gridledger::store::{default_db_path, Missing, Store};
use gridledger::{demo, import, report, validate, Error, ErrorReport};

#[derive(Parser)]
#[command(
    name = "gridledger",
    version,
    about = "网格一本账：离线的村级人员与防疫台账"
)]
struct Cli {
    /// 数据库文件（默认：环境变量 GRIDLEDGER_DB，或数据目录下的 gridledger/ledger.db）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// 以一个 JSON 文档输出结果（供脚本使用）
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 新建（或升级）账本数据库
    Init,
    /// 人员：登记、查找、查看
    #[command(subcommand)]
    Person(Box<PersonCommand>),
    /// 户：登记、列出、查看
    #[command(subcommand)]
    Household(HouseholdCommand),
    /// 地点：村、网格、联户组
    #[command(subcommand)]
    Place(PlaceCommand),
    /// 载入示例村（石桥村，约 300 户 1000 人），只用于空账本
    Demo {
        /// 户数
        #[arg(long, default_value_t = 300)]
        households: usize,
        /// 随机种子（相同种子生成相同数据）
        #[arg(long, default_value_t = 20200123)]
        seed: u64,
    },
    /// 账本概况：户数、人数、在管隔离、今日异常……
    Summary,
    /// 导入 Excel/WPS/CSV 表格（先用 --dry-run 预览）
    Import(ImportArgs),
    /// 今日待办：缺体温、发热、到期解除、待采样、未出结果、未走访的来返人员、卡口移交
    Today {
        /// 只看某村、网格（编号、区划代码或名称）
        #[arg(long)]
        place: Option<String>,
    },
    /// 来(返)乡、来访登记
    #[command(subcommand)]
    Arrival(Record<ArrivalFields>),
    /// 隔离与健康监测：开始、解除、修改
    #[command(subcommand)]
    Isolation(IsolationCommand),
    /// 每日健康监测：体温和症状
    #[command(subcommand)]
    Health(HealthCommand),
    /// 核酸、抗原检测
    #[command(subcommand)]
    Test(Record<TestFields>),
    /// 疫苗接种
    #[command(subcommand)]
    Vaccination(Record<VaccinationFields>),
    /// 病例
    #[command(subcommand)]
    Case(Record<CaseFields>),
    /// 密接、次密接
    #[command(subcommand)]
    Contact(ContactCommand),
    /// 卡口与卡口检查
    #[command(subcommand)]
    Checkpoint(CheckpointCommand),
    /// 走访记录
    #[command(subcommand)]
    Visit(Record<VisitFields>),
    /// 任何记录的归档、恢复与修改记录
    #[command(subcommand)]
    Record(RecordCommand),
    /// 导入时待核对的人（同名同生日等不确定的匹配）
    #[command(subcommand)]
    Review(ReviewCommand),
    /// 报表：按模板从账本生成 xlsx（--list 列出模板）
    Report(ReportArgs),
    /// 报表模板：导入、导出模板文件
    #[command(subcommand)]
    Template(TemplateCommand),
    /// 设置：填报单位（report_unit）、填报人（operator）、联系电话（report_phone）
    Setting {
        key: String,
        /// 新值；不给则显示当前值
        value: Option<String>,
    },
    /// 核验：一个值（身份证号、手机号、车牌号、体温、日期），整个账本（ledger），或各报表是否对得上（forms）
    Check {
        #[arg(value_enum)]
        kind: CheckKind,
        /// 要核验的值（ledger、forms 不需要）
        #[arg(required_if_eq_any = [("kind", "id"), ("kind", "phone"), ("kind", "plate"), ("kind", "temperature"), ("kind", "date")])]
        value: Option<String>,
        /// forms：报告日（默认今天）
        #[arg(long)]
        date: Option<String>,
        /// forms：只核对某村、网格或乡镇
        #[arg(long)]
        village: Option<String>,
    },
}

#[derive(Args)]
struct ReportArgs {
    /// 模板编号（见 --list）
    #[arg(required_unless_present = "list")]
    template: Option<String>,
    /// 列出全部模板
    #[arg(long)]
    list: bool,
    /// 开始日期
    #[arg(long)]
    from: Option<String>,
    /// 截止日期（报告日），默认今天
    #[arg(long)]
    to: Option<String>,
    /// 只出某村、网格或乡镇（编号、区划代码或名称）
    #[arg(long)]
    village: Option<String>,
    /// 身份证号、手机号打码（公示用）
    #[arg(long)]
    mask: bool,
    /// 输出的 xlsx 文件（已存在时不覆盖，除非加 --force）
    #[arg(short = 'o', long = "output", required_unless_present = "list")]
    output: Option<PathBuf>,
    /// 覆盖已存在的输出文件
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// 要导入的文件：.xlsx、.xls、.ods、.csv
    file: PathBuf,
    /// 工作表名称（默认：第一个有表头的工作表）
    #[arg(long)]
    sheet: Option<String>,
    /// 表格类型：persons、arrivals、isolations、health_checks、tests、vaccinations、contacts、checkpoint_checks
    #[arg(long = "as", value_name = "TARGET")]
    target: Option<String>,
    /// 使用（并保存为）这个名字的列对应关系
    #[arg(long)]
    mapping: Option<String>,
    /// 指定某列对应的字段，如 --column "联系方式=phone"，--column "备注=" 表示不导入该列（可多次）
    #[arg(long = "column", value_name = "列=字段")]
    columns: Vec<String>,
    /// 表中没有这一列时，每行都取这个值，如 --set "check_date=2026-11-23"（可多次）
    #[arg(long = "set", value_name = "字段=值")]
    fixed: Vec<String>,
    /// 只检查和统计，不写入
    #[arg(long)]
    dry_run: bool,
    /// 没写年份的日期（如 1月23日）按这一年
    #[arg(long)]
    year: Option<i32>,
    /// 表中没写所属村的行归入这个村（社区）、网格或乡镇（编号、区划代码或名称）
    #[arg(long)]
    village: Option<String>,
    /// 表中写的村、网格、联户组在台账中没有时，新建它们（不加时这些行不导入，并列出来）
    #[arg(long)]
    create_places: bool,
    /// 只新建这一个地点（预览列出的路径，如 青山镇/石桥村/第3网格；可多次）
    #[arg(long, value_name = "路径")]
    create_place: Vec<String>,
    /// 把问题清单写成 xlsx，改好后可重新导入（文件已存在时不覆盖，除非加 --force）
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
    /// 覆盖已存在的问题清单文件
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum ReviewCommand {
    /// 列出待核对的人
    List,
    /// 确认是同一人：把表中的信息并入台账中的这个人
    Merge { id: i64 },
    /// 不是同一人：作为新人登记
    New { id: i64 },
    /// 忽略这一行
    Ignore { id: i64 },
}

#[derive(Subcommand)]
enum TemplateCommand {
    /// 导入模板文件（JSON），同编号的模板被替换
    Import { file: PathBuf },
    /// 把一个模板导出为文件，可发给其他村（文件已存在时不覆盖，除非加 --force）
    Export {
        id: String,
        file: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// 删除本账本中的模板（改过的内置模板恢复原样）
    Remove { id: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckKind {
    Id,
    Phone,
    Plate,
    Temperature,
    Date,
    /// 账本文件是否完好，有没有旧版本放进来的不合规的值
    Ledger,
    /// 各报表共有的数字是否一致
    Forms,
}

#[derive(Subcommand)]
enum PersonCommand {
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
struct PersonArgs {
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
enum HouseholdCommand {
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
enum PlaceCommand {
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
}

/// Runs the CLI and returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let json = cli.json;
    match execute(cli) {
        Ok(()) => 0,
        Err(error) => {
            if json {
                let report = ErrorReport::from(&error);
                output::print_line(&serde_json::json!({ "error": report }).to_string());
            }
            output::say(&format!(
                "错误：{}（{}）",
                error.to_string().replace('\n', " "),
                error.code().as_str()
            ));
            if let (Some(detail), Some(_)) = (error.detail(), std::env::var_os("GRIDLEDGER_DEBUG"))
            {
                output::say(&format!("详情：{detail}"));
            }
            2
        }
    }
}

/// Opens the ledger the command names. Only `init` and `demo` make a new one: a mistyped
/// `--db` must never start an empty ledger that then reports 零报告.
fn open(db: Option<PathBuf>) -> Result<Store, Error> {
    open_with(db, Missing::Refuse)
}

fn open_with(db: Option<PathBuf>, missing: Missing) -> Result<Store, Error> {
    let path = match db {
        Some(path) => path,
        None => default_db_path()?,
    };
    Store::open_with(&path, missing)
}

fn execute(cli: Cli) -> Result<(), Error> {
    let out = output::Output { json: cli.json };
    match cli.command {
        Command::Init => {
            let store = open_with(cli.db, Missing::Create)?;
            let info = serde_json::json!({ "path": store.path(), "schema_version": store.schema_version()? });
            out.show(&info, || {
                format!(
                    "账本已就绪：{}（数据版本 {}）",
                    store.path().display(),
                    info["schema_version"]
                )
            });
        }
        Command::Person(command) => person(open(cli.db)?, *command, &out)?,
        Command::Household(command) => household(open(cli.db)?, command, &out)?,
        Command::Place(command) => place(open(cli.db)?, command, &out)?,
        Command::Demo { households, seed } => {
            let mut store = open_with(cli.db, Missing::Create)?;
            let report = demo::fill(&mut store, demo::DemoOptions { households, seed })?;
            out.show(&report, || {
                format!(
                    "已载入示例村：{} 户，{} 人，返乡 {} 人次，隔离/监测 {} 人次，健康监测 {} 条，密接/次密接 {} 人，卡口检查 {} 次",
                    report.households, report.persons, report.arrivals, report.isolations, report.health_checks, report.contacts, report.checkpoint_checks
                )
            });
        }
        Command::Summary => {
            let summary = open(cli.db)?.summary()?;
            out.show(&summary, || output::summary_text(&summary));
        }
        Command::Today { place } => records::today(&open(cli.db)?, place.as_deref(), &out)?,
        Command::Arrival(c) => records::arrival(&open(cli.db)?, c, &out)?,
        Command::Isolation(c) => records::isolation(&open(cli.db)?, c, &out)?,
        Command::Health(c) => records::health(&open(cli.db)?, c, &out)?,
        Command::Test(c) => records::test(&open(cli.db)?, c, &out)?,
        Command::Vaccination(c) => records::vaccination(&open(cli.db)?, c, &out)?,
        Command::Case(c) => records::case(&open(cli.db)?, c, &out)?,
        Command::Contact(c) => records::contact(&open(cli.db)?, c, &out)?,
        Command::Checkpoint(c) => records::checkpoint(&open(cli.db)?, c, &out)?,
        Command::Visit(c) => records::visit(&open(cli.db)?, c, &out)?,
        Command::Record(c) => records::records(&open(cli.db)?, c, &out)?,
        Command::Check {
            kind: CheckKind::Ledger,
            ..
        } => check_ledger(&open(cli.db)?, &out)?,
        Command::Check {
            kind: CheckKind::Forms,
            date,
            village,
            ..
        } => check_forms(&open(cli.db)?, date.as_deref(), village.as_deref(), &out)?,
        Command::Check { kind, value, .. } => {
            check(kind, value.as_deref().unwrap_or_default(), &out)?
        }
        Command::Report(args) => report(open(cli.db)?, args, &out)?,
        Command::Import(args) => import(open(cli.db)?, args, &out)?,
        Command::Review(command) => review(open(cli.db)?, command, &out)?,
        Command::Template(command) => template(open(cli.db)?, command, &out)?,
        Command::Setting { key, value } => {
            let store = open(cli.db)?;
            if let Some(value) = value {
                store.set_setting(&key, &value)?;
            }
            let current = store.setting(&key)?;
            out.show(&serde_json::json!({ "key": key, "value": current }), || {
                format!("{key} = {}", current.clone().unwrap_or_default())
            });
        }
    }
    Ok(())
}

fn person(store: Store, command: PersonCommand, out: &output::Output) -> Result<(), Error> {
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

fn household(store: Store, command: HouseholdCommand, out: &output::Output) -> Result<(), Error> {
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

fn place(store: Store, command: PlaceCommand, out: &output::Output) -> Result<(), Error> {
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
        PlaceCommand::List => {
            let places = store.places()?;
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

fn date_arg(text: Option<&str>, what: &str) -> Result<Option<chrono::NaiveDate>, Error> {
    let Some(text) = text else { return Ok(None) };
    let today = gridledger::clock::Clock::from_env().today();
    let parsed = validate::parse_date(text, chrono::Datelike::year(&today))
        .and_then(|d| validate::plausible_date(d.date, today, false))
        .map_err(|e| Error::refused(Code::ArgumentInvalid, format!("{what}：{e}")))?;
    Ok(Some(parsed))
}

fn import(store: Store, args: ImportArgs, out: &output::Output) -> Result<(), Error> {
    let mut columns = std::collections::BTreeMap::new();
    for pair in &args.columns {
        let (column, field) = pair.split_once('=').ok_or_else(|| {
            Error::refused(
                Code::ArgumentInvalid,
                format!("--column “{pair}” 应写成 列名=字段"),
            )
        })?;
        columns.insert(
            gridledger::import::normal_header(column),
            field.trim().to_string(),
        );
    }
    let mut fixed = std::collections::BTreeMap::new();
    for pair in &args.fixed {
        let (field, value) = pair.split_once('=').ok_or_else(|| {
            Error::refused(
                Code::ArgumentInvalid,
                format!("--set “{pair}” 应写成 字段=值"),
            )
        })?;
        fixed.insert(field.trim().to_string(), value.to_string());
    }
    let options = import::ImportOptions {
        sheet: args.sheet,
        target: args.target,
        mapping_name: args.mapping,
        columns,
        dry_run: args.dry_run,
        default_year: args.year,
        village: args.village,
        create_places: args.create_places,
        places_to_create: args.create_place,
        fixed,
        ..Default::default()
    };
    let problems = args.problems.map(|path| import::ProblemsFile {
        path,
        if_exists: if args.force {
            IfExists::Replace
        } else {
            IfExists::Refuse
        },
    });
    let mut bar = output::Progress::new(!out.json);
    let report = import::import_file(
        &store,
        &args.file,
        &options,
        problems.as_ref(),
        &mut |done, total| bar.show(done, total),
    )?;
    bar.finish();
    out.show(&report, || output::import_text(&report));
    Ok(())
}

fn review(store: Store, command: ReviewCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        ReviewCommand::List => {
            let items = store.open_reviews()?;
            out.show(&items, || output::reviews_text(&items));
        }
        ReviewCommand::Merge { id } => {
            let person = import::resolve_review(&store, id, import::ReviewDecision::Merge)?;
            out.show(
                &serde_json::json!({ "review": id, "person": person }),
                || format!("已并入台账中的人员 {}", person.unwrap_or_default()),
            );
        }
        ReviewCommand::New { id } => {
            let person = import::resolve_review(&store, id, import::ReviewDecision::New)?;
            out.show(
                &serde_json::json!({ "review": id, "person": person }),
                || format!("已作为新人员 {} 登记", person.unwrap_or_default()),
            );
        }
        ReviewCommand::Ignore { id } => {
            import::resolve_review(&store, id, import::ReviewDecision::Ignore)?;
            out.show(&serde_json::json!({ "review": id }), || {
                "已忽略".to_string()
            });
        }
    }
    Ok(())
}

fn report(store: Store, args: ReportArgs, out: &output::Output) -> Result<(), Error> {
    if args.list {
        let list: Vec<_> = report::templates(&store)?
            .iter()
            .map(|(t, builtin)| t.summary(*builtin))
            .collect();
        out.show(&list, || {
            list.iter()
                .map(|t| {
                    format!(
                        "{:<22} {}{}",
                        t.id,
                        t.name,
                        if t.builtin { "" } else { "（本账本）" }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
        return Ok(());
    }
    let (Some(id), Some(output)) = (args.template, args.output) else {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            "请给出模板编号和 -o 输出文件",
        ));
    };
    let template = report::template(&store, &id)?;
    let params = report::ReportParams {
        from: date_arg(args.from.as_deref(), "开始日期")?,
        to: date_arg(args.to.as_deref(), "截止日期")?,
        village: args.village,
        mask: args.mask,
    };
    let if_exists = if args.force {
        IfExists::Replace
    } else {
        IfExists::Refuse
    };
    let summary = report::export_xlsx(&store, &template, &params, &output, if_exists)?;
    out.show(&summary, || {
        format!(
            "已导出《{}》：{} 行{}，文件 {}",
            template.name,
            summary.rows,
            if summary.zero_report {
                "（零报告）"
            } else {
                ""
            },
            summary.path.display()
        )
    });
    Ok(())
}

fn template(store: Store, command: TemplateCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        TemplateCommand::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                Error::refused(
                    Code::FileUnreadable,
                    format!("无法读取模板文件 {}：{e}", file.display()),
                )
            })?;
            let t = report::import_template(&store, &text)?;
            out.show(&t.summary(false), || {
                format!("已导入模板 {}：{}", t.id, t.name)
            });
        }
        TemplateCommand::Remove { id } => {
            report::remove_template(&store, &id)?;
            let restored = report::builtin_template(&id).is_some();
            out.show(
                &serde_json::json!({ "removed": id, "builtin_restored": restored }),
                || {
                    if restored {
                        format!("已恢复内置模板 {id}")
                    } else {
                        format!("已删除模板 {id}")
                    }
                },
            );
        }
        TemplateCommand::Export { id, file, force } => {
            let t = report::template(&store, &id)?;
            let if_exists = if force {
                IfExists::Replace
            } else {
                IfExists::Refuse
            };
            let file = gridledger::files::save(&file, if_exists, |temp| {
                std::fs::write(temp, t.to_json()).map_err(|e| Error::write_failed(&file, e))
            })?;
            out.show(&serde_json::json!({ "id": t.id, "file": file }), || {
                format!("已导出模板 {} 到 {}", t.id, file.display())
            });
        }
    }
    Ok(())
}

fn check_ledger(store: &Store, out: &output::Output) -> Result<(), Error> {
    let verdict = store.check_ledger()?;
    out.show(&verdict, || output::ledger_check_text(&verdict));
    if !verdict.damage.is_empty() {
        return Err(Error::refused(
            Code::LedgerDamaged,
            format!(
                "账本已损坏（{} 处）：请用最近的备份替换账本文件",
                verdict.damage.len()
            ),
        ));
    }
    if !verdict.problems.is_empty() {
        return Err(Error::refused(
            Code::LedgerImplausible,
            format!(
                "账本中有 {} 条记录含不合规的值（旧版本录入），请逐条核对修改",
                verdict.problems.len()
            ),
        ));
    }
    Ok(())
}

fn check(kind: CheckKind, value: &str, out: &output::Output) -> Result<(), Error> {
    let today = gridledger::clock::Clock::from_env().today();
    let refused = |code: &str, message: String| {
        Error::Invalid(vec![validate::FieldProblem::error("value", code, message)])
    };
    match kind {
        CheckKind::Id => {
            let id = validate::parse_resident_id(value, today)
                .map_err(|e| refused(e.code(), e.to_string()))?;
            let place = gridledger::divisions::describe(&id.address_code)
                .unwrap_or_else(|| "（未知区划）".into());
            out.show(&id, || {
                format!(
                    "有效：{}，{}，出生 {}，户籍地 {}",
                    id.number,
                    id.gender.as_str(),
                    id.birth_date,
                    place
                )
            });
        }
        CheckKind::Phone => {
            let phone =
                validate::parse_phone(value).map_err(|e| refused(e.code(), e.to_string()))?;
            out.show(&phone, || {
                format!(
                    "有效：{}{}",
                    phone.number,
                    phone
                        .warning
                        .as_deref()
                        .map(|w| format!("（{w}）"))
                        .unwrap_or_default()
                )
            });
        }
        CheckKind::Plate => {
            let plate =
                validate::parse_plate(value).map_err(|e| refused(e.code(), e.to_string()))?;
            out.show(&plate, || {
                format!(
                    "{}{}",
                    plate.number,
                    plate
                        .warning
                        .as_deref()
                        .map(|w| format!("（{w}）"))
                        .unwrap_or_default()
                )
            });
        }
        CheckKind::Temperature => {
            let t =
                validate::parse_temperature(value).map_err(|e| refused(e.code(), e.to_string()))?;
            out.show(&t, || {
                format!(
                    "{} ℃{}",
                    t.celsius,
                    if t.fever {
                        "，发热（≥37.3 ℃）"
                    } else {
                        ""
                    }
                )
            });
        }
        CheckKind::Ledger | CheckKind::Forms => {}
        CheckKind::Date => {
            let d = validate::parse_date(value, chrono::Datelike::year(&today))
                .map_err(|e| refused(e.code(), e.to_string()))?;
            let json = serde_json::json!({ "date": d.date, "year_assumed": d.year_assumed });
            out.show(&json, || {
                format!(
                    "{}{}",
                    d.date,
                    if d.year_assumed {
                        "（未写年份，按今年计）"
                    } else {
                        ""
                    }
                )
            });
        }
    }
    Ok(())
}

fn check_forms(
    store: &Store,
    date: Option<&str>,
    village: Option<&str>,
    out: &output::Output,
) -> Result<(), Error> {
    let day = date_arg(date, "报告日")?.unwrap_or_else(|| store.today());
    let verdict = report::check_forms(store, day, village)?;
    out.show(&verdict, || output::forms_check_text(&verdict));
    if verdict.disagreements().next().is_some() {
        return Err(Error::refused(
            Code::FormsDisagree,
            format!(
                "{day} 的报表有 {} 处对不上，见上面的清单",
                verdict.disagreements().count()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command and option is well formed (no two options of a command share a name),
    /// which clap otherwise only finds when that command is run.
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
