//! `backup`: a backup now, the list of backups, or the ledger put back as a backup has it
//! (after a backup of the ledger as it is).

use std::path::PathBuf;

use clap::Subcommand;
use gridledger::store::{Backup, Reason, Store};
use gridledger::Error;

use super::output;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// 列出这个账本的备份（最新的在前）：时间、原因、人数、户数
    List,
    /// 用一个备份恢复账本（先自动备份当前账本，可再恢复回来）
    Restore {
        /// 备份文件（backup list 列出的路径）
        file: PathBuf,
    },
}

/// `backup --plain -o FILE`: a copy that is not encrypted, after saying what that means.
pub fn plain(store: &Store, file: &std::path::Path, out: &output::Output) -> Result<(), Error> {
    store.may(gridledger::store::Duty::PlainCopy)?;
    output::say("注意：这份副本没有加密，任何拿到它的人都能读到其中所有人的身份证号、电话和健康信息。请只交给需要的人，用完即删。这次导出会记入审计记录。");
    let written = store.write_plain_copy(file)?;
    let shown = serde_json::json!({ "path": written });
    out.show(&shown, || {
        format!("已写出不加密的副本：{}", written.display())
    });
    Ok(())
}

pub fn backup(
    mut store: Store,
    command: Option<BackupCommand>,
    out: &output::Output,
) -> Result<(), Error> {
    match command {
        None => {
            let taken = store.back_up(Reason::Asked)?;
            out.show(&taken, || format!("已备份：{}", line(&taken)));
        }
        Some(BackupCommand::List) => {
            let all = store.backups()?;
            out.show(&all, || {
                if all.is_empty() {
                    return format!("还没有备份（备份放在 {}）", store.backup_dir().display());
                }
                let mut text = vec![format!(
                    "{} 个备份，在 {}：",
                    all.len(),
                    store.backup_dir().display()
                )];
                text.extend(all.iter().map(line));
                text.join("\n")
            });
        }
        Some(BackupCommand::Restore { file }) => {
            let before = store.restore_backup(&file)?;
            out.show(&before, || {
                format!(
                    "已按备份 {} 恢复账本。恢复前的账本也已备份：{}",
                    file.display(),
                    line(&before)
                )
            });
        }
    }
    Ok(())
}

fn line(b: &Backup) -> String {
    let mut text = format!(
        "{}（{}）{} 人，{} 户，{:.1} MB：{}",
        b.taken_at.format("%Y-%m-%d %H:%M:%S"),
        b.reason,
        b.persons,
        b.households,
        b.bytes as f64 / 1_048_576.0,
        b.path.display()
    );
    if let Some(problem) = &b.copy_problem {
        text.push_str(&format!("\n注意：{problem}"));
    }
    text
}
