//! Sheets in on the command line: `import` (a file read into the ledger, or previewed with
//! `--dry-run`) and `review` (the persons an import could not match for sure).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gridledger::error::Code;
use gridledger::files::IfExists;
use gridledger::store::{Reason, Store};
use gridledger::{import, Error};

use super::output;

#[derive(Args)]
pub struct ImportArgs {
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
pub enum ReviewCommand {
    /// 列出待核对的人
    List,
    /// 确认是同一人：把表中的信息并入台账中的这个人
    Merge { id: i64 },
    /// 不是同一人：作为新人登记
    New { id: i64 },
    /// 忽略这一行
    Ignore { id: i64 },
}

pub fn import(store: Store, args: ImportArgs, out: &output::Output) -> Result<(), Error> {
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
    if !options.dry_run {
        store.back_up_before(Reason::BeforeImport)?;
    }
    let mut bar = output::Progress::new(!out.json);
    if options.sheet.as_deref() == Some("all") {
        if problems.is_some() {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                "--sheet all 时不能同时写问题清单：请逐个工作表（--sheet 表名）导出问题清单",
            ));
        }
        let reports = import::import_sheets(
            &store,
            &args.file,
            &import::ImportOptions {
                sheet: None,
                ..options
            },
            &mut |done, total| bar.show(done, total),
        )?;
        bar.finish();
        out.show(&reports, || {
            reports
                .iter()
                .map(output::import_text)
                .collect::<Vec<_>>()
                .join("\n\n")
        });
        return Ok(());
    }
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

pub fn review(store: Store, command: ReviewCommand, out: &output::Output) -> Result<(), Error> {
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
