//! Command-line parsing and output. Every command calls one core function and prints its
//! result, as text for people or, with `--json`, as one JSON document for scripts.
//!
//! This file holds the command line itself (`Cli`, `Command`), opening the ledger and the
//! dispatch of each command; the commands live by group: `register` (person, household,
//! place), `records` (the day's work and today), `imports` (import, review), `reports`
//! (report, template), `checks` (check), and `output` (text or `--json`).

mod backups;
mod checks;
mod imports;
mod operators;
mod output;
mod records;
mod register;
mod reports;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use gridledger::error::Code;
use gridledger::store::{default_db_path, Missing, Store};
use gridledger::{demo, validate, Error, ErrorReport};

use backups::BackupCommand;
use checks::{AuditCommand, CheckKind};
use imports::{ImportArgs, ReviewCommand};
use operators::OperatorCommand;
use records::{
    ArrivalFields, CaseFields, CheckpointCommand, ContactCommand, HealthCommand, IsolationCommand,
    Record, RecordCommand, TestFields, VaccinationFields, VisitFields,
};
use register::{HouseholdCommand, PersonCommand, PlaceCommand};
use reports::{ReportArgs, TemplateCommand};

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

    /// 操作人：加密的账本用此操作员登录（密码在提示时输入，或用环境变量 GRIDLEDGER_PASSPHRASE）；也是写入审计记录的姓名（默认：环境变量 GRIDLEDGER_OPERATOR，否则为“填报人”设置）
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,

    /// 用恢复码打开加密的账本（忘了密码或丢了钥匙文件时）
    #[arg(long, global = true, value_name = "CODE")]
    recovery_code: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 新建（或升级）账本数据库；给出 --operator 和密码时新建加密的账本，此人为村管理员
    Init,
    /// 加密一个未加密的账本（连同它的备份），--operator 为第一位村管理员；显示一次恢复码
    Protect,
    /// 操作员：list 列出；add 姓名 --role 角色 添加或重设密码；remove 删除；passwd 改自己的密码
    #[command(subcommand)]
    Operator(OperatorCommand),
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
    /// 备份：立即备份账本；list 列出备份；restore 文件 用备份恢复；--plain -o 文件 写出不加密的副本（村管理员）
    Backup {
        #[command(subcommand)]
        action: Option<BackupCommand>,
        /// 写出一份不加密的副本给其他软件用（只有村管理员能做；记入审计记录），与 -o 一起用
        #[arg(long, requires = "output")]
        plain: bool,
        /// 不加密副本的文件名
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// 审计记录：verify 核验整条记录链是否被改动；list 列出（--person 只看某人）
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// 清理（疫情结束后）：删除某日之前的体温、检测、已结束的隔离和密接记录，户籍登记不动（先自动备份；--dry-run 只统计）
    Purge {
        /// 删除这一天之前（不含这一天）的记录，如 2026-06-01
        #[arg(long)]
        before: String,
        /// 只统计会删除多少条，不删除
        #[arg(long)]
        dry_run: bool,
    },
    /// 设置：填报单位（report_unit）、填报人（operator）、联系电话（report_phone）、自动锁定分钟数（lock_minutes）、第二份备份文件夹（backup_copy_dir）……（给错的名称会列出全部）
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
        /// forms：只核对某乡镇、村、网格或联户组
        #[arg(long)]
        village: Option<String>,
        /// forms：统计区间的开始日期（默认只看报告日）
        #[arg(long)]
        from: Option<String>,
    },
}

/// Runs the CLI and returns the process exit code.
pub fn run() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    // `--version` says the schema this release writes too (what an upgrade will bring a
    // ledger to).
    let command = in_chinese(Cli::command().version(gridledger::version_text()));
    let cli = match command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return argument_error(&e),
    };
    let json = cli.json;
    match execute(cli) {
        Ok(()) => 0,
        Err(error) => fail(&error, json),
    }
}

/// The help in Chinese, for the command and every subcommand: clap's headings (Usage,
/// Options, Commands, Arguments), its `[OPTIONS]` and the words of its help and version flags
/// are English. `gridledger 命令 --help` is the way to a command's help (no `help` command).
fn in_chinese(command: clap::Command) -> clap::Command {
    // The options every command takes (--db, --json, --operator …) under their own heading,
    // after the command's own.
    let command = command
        .disable_help_subcommand(true)
        .mut_args(|arg| arg.help_heading("通用选项"));
    let mut command = chinese_words(command)
        .mut_arg("help", |arg| arg.help_heading("通用选项"))
        .mut_arg("version", |arg| arg.help_heading("通用选项"));
    // Usage lines are made once the whole tree is built (global options propagated, each
    // subcommand named with its parents), then said with 选项 for OPTIONS.
    command.build();
    chinese_usage(command)
}

fn chinese_words(mut command: clap::Command) -> clap::Command {
    use clap::{Arg, ArgAction};
    let has_version = command.get_version().is_some();
    command = command
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .mut_args(|arg| match arg.get_help_heading() {
            Some(_) => arg,
            None if arg.is_positional() => arg.help_heading("参数"),
            None => arg.help_heading("选项"),
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if has_version {
        command = command.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本（及账本数据版本）")
                .help_heading("选项"),
        );
    }
    command.mut_subcommands(chinese_words)
}

fn chinese_usage(mut command: clap::Command) -> clap::Command {
    let usage = command
        .render_usage()
        .to_string()
        .replacen("Usage: ", "", 1)
        .replace("[OPTIONS]", "[选项]");
    command.override_usage(usage).mut_subcommands(chinese_usage)
}

/// A command line clap could not read: help and version are printed as asked; a mistake is
/// said in Chinese with the argument and value it is about (and as JSON with `--json`).
fn argument_error(e: &clap::Error) -> i32 {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            2
        } else {
            0
        };
    }
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("参数 {arg} 的值“{value}”无效")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!("不认识的命令“{value}”"),
        ErrorKind::MissingSubcommand => "缺少要做的事（子命令）".to_string(),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        _ => "命令参数有误".to_string(),
    };
    let error = Error::refused(
        Code::ArgumentInvalid,
        format!("{message}。请在命令后加 --help 查看用法（如 gridledger person --help）"),
    );
    let json = std::env::args().any(|a| a == "--json");
    fail(&error, json)
}

/// Prints an error (and, with `--json`, its report on standard output); exit code 2.
fn fail(error: &Error, json: bool) -> i32 {
    if json {
        let report = ErrorReport::from(error);
        output::print_line(&serde_json::json!({ "error": report }).to_string());
    }
    output::say(&format!(
        "错误：{}（{}）",
        error.to_string().replace('\n', " "),
        error.code().as_str()
    ));
    if let (Some(detail), Some(_)) = (error.detail(), std::env::var_os("GRIDLEDGER_DEBUG")) {
        output::say(&format!("详情：{detail}"));
    }
    2
}

/// Who the command works as: `--operator` (or GRIDLEDGER_OPERATOR) and `--recovery-code`.
struct Login {
    operator: Option<String>,
    recovery: Option<String>,
}

/// The ledger the command names: `--db`, else the default.
fn ledger_path(db: Option<PathBuf>) -> Result<PathBuf, Error> {
    match db {
        Some(path) => Ok(path),
        None => default_db_path(),
    }
}

/// Opens the ledger the command names, unlocked as `login` says. Only `init` and `demo` make
/// a new one: a mistyped `--db` must never start an empty ledger that then reports 零报告.
/// A new one is protected when an operator is named and a passphrase can be had; its
/// recovery code is returned, to be shown once.
fn open_with(
    db: Option<PathBuf>,
    missing: Missing,
    login: &Login,
) -> Result<(Store, Option<operators::Protected>), Error> {
    let path = ledger_path(db)?;
    let soundness = gridledger::store::Soundness::default();
    if let (Missing::Create, false, Some(admin), None) =
        (missing, path.exists(), &login.operator, &login.recovery)
    {
        if operators::passphrase_available() {
            let passphrase = operators::new_passphrase(operators::PASSPHRASE_ENV, admin)?;
            let (store, code) = Store::create_protected(&path, admin, &passphrase, soundness)?;
            let shown = operators::Protected {
                path: path.clone(),
                administrator: admin.clone(),
                key_file: gridledger::store::keys::key_path(&path),
                recovery_code: code.to_string(),
            };
            return Ok((store, Some(shown)));
        }
    }
    let unlock =
        operators::unlock_for(&path, login.operator.as_deref(), login.recovery.as_deref())?;
    let store = Store::open_as(&path, missing, soundness, unlock.as_ref())?;
    store.set_operator(login.operator.clone());
    Ok((store, None))
}

fn execute(cli: Cli) -> Result<(), Error> {
    let out = output::Output { json: cli.json };
    // Every ledger the command opens is unlocked as, and writes its audit rows under, this
    // name.
    let login = Login {
        operator: cli
            .operator
            .clone()
            .or_else(|| std::env::var(gridledger::store::audit::OPERATOR_ENV).ok()),
        recovery: cli.recovery_code.clone(),
    };
    let open = |db: Option<PathBuf>| open_with(db, Missing::Refuse, &login).map(|(s, _)| s);
    match cli.command {
        Command::Init => {
            let (store, protected) = open_with(cli.db, Missing::Create, &login)?;
            let mut info = serde_json::json!({ "path": store.path(), "schema_version": store.schema_version()?, "protected": store.is_protected() });
            if let Some(p) = &protected {
                info["recovery_code"] = p.recovery_code.clone().into();
                info["key_file"] = serde_json::json!(p.key_file);
            }
            out.show(&info, || {
                let ready = format!(
                    "账本已就绪：{}（数据版本 {}）",
                    store.path().display(),
                    info["schema_version"]
                );
                match &protected {
                    Some(p) => format!("{ready}\n{}", operators::recovery_text(p)),
                    None if !store.is_protected() => format!("{ready}\n注意：账本没有加密。要加密，请运行 gridledger protect --operator 姓名。"),
                    None => ready,
                }
            });
        }
        Command::Protect => {
            let path = ledger_path(cli.db)?;
            operators::protect(&path, login.operator.as_deref(), &out)?;
        }
        Command::Operator(command) => operators::operator(open(cli.db)?, command, &out)?,
        Command::Person(command) => register::person(open(cli.db)?, *command, &out)?,
        Command::Household(command) => register::household(open(cli.db)?, command, &out)?,
        Command::Place(command) => register::place(open(cli.db)?, command, &out)?,
        Command::Demo { households, seed } => {
            let (mut store, protected) = open_with(cli.db, Missing::Create, &login)?;
            if let Some(p) = &protected {
                output::say(&operators::recovery_text(p));
            }
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
        } => checks::check_ledger(&open(cli.db)?, &out)?,
        Command::Check {
            kind: CheckKind::Forms,
            date,
            village,
            from,
            ..
        } => checks::check_forms(
            &open(cli.db)?,
            (from.as_deref(), date.as_deref()),
            village.as_deref(),
            &out,
        )?,
        Command::Check { kind, value, .. } => {
            checks::check(kind, value.as_deref().unwrap_or_default(), &out)?
        }
        Command::Report(args) => reports::report(open(cli.db)?, args, &out)?,
        Command::Import(args) => imports::import(open(cli.db)?, args, &out)?,
        Command::Review(command) => imports::review(open(cli.db)?, command, &out)?,
        Command::Template(command) => reports::template(open(cli.db)?, command, &out)?,
        Command::Backup {
            plain: true,
            output: Some(file),
            ..
        } => backups::plain(&open(cli.db)?, &file, &out)?,
        Command::Backup { action, .. } => backups::backup(open(cli.db)?, action, &out)?,
        Command::Audit { action } => checks::audit(&open(cli.db)?, action, &out)?,
        Command::Purge { before, dry_run } => {
            let store = open(cli.db)?;
            let before = date_arg(Some(&before), "--before")?.unwrap_or_else(|| store.today());
            let counts = store.purge_health_records(before, dry_run)?;
            out.show(&counts, || {
                format!(
                    "{}{} 之前的记录：体温 {} 条，检测 {} 条，隔离 {} 条，密接/次密接 {} 条，及其修改记录 {} 条。{}",
                    if dry_run { "将清理 " } else { "已清理 " },
                    counts.before,
                    counts.health_checks,
                    counts.tests,
                    counts.isolations,
                    counts.contacts,
                    counts.log_lines,
                    if dry_run {
                        "（预览，未删除；去掉 --dry-run 执行，执行前自动备份）"
                    } else {
                        "清理前的账本已备份（backup list 可见）。"
                    }
                )
            });
        }
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

/// A date given as an option (`--from`, `--to`, `--date`), held to plausible years.
fn date_arg(text: Option<&str>, what: &str) -> Result<Option<chrono::NaiveDate>, Error> {
    let Some(text) = text else { return Ok(None) };
    let today = gridledger::clock::Clock::from_env().today();
    let parsed = validate::parse_date(text, chrono::Datelike::year(&today))
        .and_then(|d| validate::plausible_date(d.date, today, false))
        .map_err(|e| Error::refused(Code::ArgumentInvalid, format!("{what}：{e}")))?;
    Ok(Some(parsed))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command and option is well formed (no two options of a command share a name),
    /// which clap otherwise only finds when that command is run.
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
        super::in_chinese(super::Cli::command()).debug_assert();
    }

    /// Every command's help, short and long, is in Chinese: none of clap's English headings,
    /// `[OPTIONS]` or flag descriptions, and each names the command with its parents.
    #[test]
    fn every_commands_help_is_in_chinese() {
        fn walk(command: &mut clap::Command, path: &str, seen: &mut usize) {
            for help in [
                command.render_help().to_string(),
                command.render_long_help().to_string(),
            ] {
                for english in [
                    "Usage",
                    "Options",
                    "Commands",
                    "Arguments",
                    "[OPTIONS]",
                    "Print",
                    "<COMMAND>",
                ] {
                    assert!(!help.contains(english), "{path}: {english}\n{help}");
                }
                assert!(help.contains(&format!("用法：{path}")), "{path}\n{help}");
                assert!(help.contains("显示帮助"), "{path}\n{help}");
            }
            *seen += 1;
            assert!(command.find_subcommand("help").is_none(), "{path}");
            for sub in command.get_subcommands_mut() {
                let path = format!("{path} {}", sub.get_name());
                walk(sub, &path, seen);
            }
        }
        let mut command = super::in_chinese(super::Cli::command());
        let mut seen = 0;
        walk(&mut command, "gridledger", &mut seen);
        assert!(seen > 60, "{seen} commands");
    }
}
