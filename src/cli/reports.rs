//! Reports out on the command line: `report` (a template's xlsx from the ledger, or the list
//! of templates) and `template` (import, export and remove template files).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gridledger::error::Code;
use gridledger::files::IfExists;
use gridledger::store::Store;
use gridledger::{report, Error};

use super::{date_arg, output};

#[derive(Args)]
pub struct ReportArgs {
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

#[derive(Subcommand)]
pub enum TemplateCommand {
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

pub fn report(store: Store, args: ReportArgs, out: &output::Output) -> Result<(), Error> {
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

pub fn template(store: Store, command: TemplateCommand, out: &output::Output) -> Result<(), Error> {
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
            let file = gridledger::files::save(&file, if_exists, &[store.path()], |temp| {
                std::fs::write(temp, t.to_json()).map_err(|e| Error::write_failed(&file, e))
            })?;
            out.show(&serde_json::json!({ "id": t.id, "file": file }), || {
                format!("已导出模板 {} 到 {}", t.id, file.display())
            });
        }
    }
    Ok(())
}
