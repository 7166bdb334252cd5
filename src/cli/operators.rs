//! Unlocking a protected ledger from the command line, `protect` (encrypt a plaintext ledger
//! and make its first 村管理员) and `operator` (list, add, remove, passwd).
//!
//! The passphrase comes from `GRIDLEDGER_PASSPHRASE` (scripts) or is asked at the terminal
//! without echo; a new one from `GRIDLEDGER_NEW_PASSPHRASE` or asked twice.

use std::path::Path;

use clap::Subcommand;
use gridledger::error::Code;
use gridledger::store::keys::{self, RecoveryCode, Role};
use gridledger::store::{Soundness, Store, Unlock};
use gridledger::Error;
use serde::Serialize;

use super::output;

/// The environment variable a script gives the operator's passphrase in.
pub const PASSPHRASE_ENV: &str = "GRIDLEDGER_PASSPHRASE";
/// The environment variable a script gives a new passphrase in (`operator add`, `passwd`).
pub const NEW_PASSPHRASE_ENV: &str = "GRIDLEDGER_NEW_PASSPHRASE";

#[derive(Subcommand)]
pub enum OperatorCommand {
    /// 列出操作员和角色
    List,
    /// 添加操作员，或重设其角色和密码（忘了密码时）；只有村管理员能做
    Add {
        /// 姓名
        name: String,
        /// 角色：村管理员、网格员 或 镇文员
        #[arg(long, default_value = "网格员")]
        role: String,
        /// 网格员负责的网格（地点编号，见 place list）：查看网格外的人会记入审计记录
        #[arg(long)]
        grid: Option<i64>,
    },
    /// 删除操作员（最后一位村管理员不能删）
    Remove { name: String },
    /// 修改自己的密码
    Passwd,
}

/// How the command line unlocks the ledger at `path`: the recovery code when given, else the
/// operator and their passphrase when the ledger is protected (None: a plaintext ledger, or
/// no operator named, which the store then asks for).
pub fn unlock_for(
    path: &Path,
    operator: Option<&str>,
    recovery: Option<&str>,
) -> Result<Option<Unlock>, Error> {
    if let Some(code) = recovery {
        return Ok(Some(Unlock::Recovery(RecoveryCode::parse(code)?)));
    }
    let protected = keys::key_path(path).exists() || keys::is_encrypted(path);
    let Some(name) = operator.filter(|_| protected) else {
        return Ok(None);
    };
    let passphrase = passphrase(&format!("{name} 的密码："))?;
    Ok(Some(Unlock::Operator {
        name: name.to_string(),
        passphrase,
    }))
}

/// The passphrase of whoever works: from the environment, or asked at the terminal.
pub fn passphrase(prompt: &str) -> Result<String, Error> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    rpassword::prompt_password(prompt).map_err(|_| {
        Error::refused(
            Code::LedgerProtected,
            format!("需要密码：请在终端运行，或在环境变量 {PASSPHRASE_ENV} 中给出。"),
        )
    })
}

/// Whether a passphrase can be had without asking (the environment) or by asking (a terminal).
pub fn passphrase_available() -> bool {
    use std::io::IsTerminal;
    std::env::var_os(PASSPHRASE_ENV).is_some() || std::io::stdin().is_terminal()
}

/// A new passphrase: from the environment (`env`), or typed twice at the terminal.
pub fn new_passphrase(env: &str, whose: &str) -> Result<String, Error> {
    if let Ok(p) = std::env::var(env) {
        keys::check_passphrase(&p)?;
        return Ok(p);
    }
    let asked = |prompt: String| {
        rpassword::prompt_password(prompt).map_err(|_| {
            Error::refused(
                Code::ArgumentInvalid,
                format!("需要新密码：请在终端运行，或在环境变量 {env} 中给出。"),
            )
        })
    };
    let first = asked(format!(
        "{whose}的新密码（至少 {} 个字）：",
        keys::MIN_PASSPHRASE_CHARS
    ))?;
    keys::check_passphrase(&first)?;
    let second = asked("再输入一次：".to_string())?;
    if first != second {
        return Err(Error::refused(
            Code::ArgumentInvalid,
            "两次输入的密码不一样，没有设置。请重新运行。",
        ));
    }
    Ok(first)
}

/// What the command prints when a ledger was just protected.
#[derive(Serialize)]
pub struct Protected {
    pub path: std::path::PathBuf,
    pub administrator: String,
    pub key_file: std::path::PathBuf,
    pub recovery_code: String,
}

/// The words shown with a new recovery code.
pub fn recovery_text(p: &Protected) -> String {
    format!(
        "账本已加密：{}\n村管理员：{}\n钥匙文件：{}（与账本放在一起，备份时一起复制）\n\n恢复码：{}\n\n请把恢复码抄在纸上，保存在村委会：忘了密码或丢了钥匙文件时，只有它能打开账本。它只显示这一次。",
        p.path.display(),
        p.administrator,
        p.key_file.display(),
        p.recovery_code
    )
}

/// `protect`: encrypts a plaintext ledger, `operator` becoming its first 村管理员.
pub fn protect(path: &Path, operator: Option<&str>, out: &output::Output) -> Result<(), Error> {
    let admin = operator.ok_or_else(|| {
        Error::refused(
            Code::ArgumentInvalid,
            "请用 --operator 姓名 说明谁是第一位村管理员。",
        )
    })?;
    let passphrase = new_passphrase(PASSPHRASE_ENV, admin)?;
    let code = gridledger::store::protect(path, admin, &passphrase, Soundness::default())?;
    let shown = Protected {
        path: path.to_path_buf(),
        administrator: admin.to_string(),
        key_file: keys::key_path(path),
        recovery_code: code.to_string(),
    };
    out.show(&shown, || recovery_text(&shown));
    Ok(())
}

pub fn operator(store: Store, command: OperatorCommand, out: &output::Output) -> Result<(), Error> {
    match command {
        OperatorCommand::List => {
            let all = store.operators()?;
            out.show(&all, || {
                if all.is_empty() {
                    return "这个账本没有加密，没有操作员（用 gridledger protect --operator 姓名 加密）。"
                        .to_string();
                }
                all.iter()
                    .map(|o| format!("{}（{}）", o.name, o.role.label()))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        OperatorCommand::Add { name, role, grid } => {
            let role = Role::parse(&role)?;
            let passphrase = new_passphrase(NEW_PASSPHRASE_ENV, &name)?;
            store.set_operator_key(&name, role, grid, &passphrase)?;
            let shown = serde_json::json!({ "name": name, "role": role });
            out.show(&shown, || {
                format!("已设置操作员：{name}（{}）", role.label())
            });
        }
        OperatorCommand::Remove { name } => {
            store.remove_operator(&name)?;
            let shown = serde_json::json!({ "removed": name });
            out.show(&shown, || format!("已删除操作员：{name}"));
        }
        OperatorCommand::Passwd => {
            let login = store.login().cloned().ok_or_else(|| {
                Error::refused(Code::Conflict, "这个账本没有加密，没有密码可改。")
            })?;
            let present = passphrase(&format!("{} 现在的密码：", login.name))?;
            let new = new_passphrase(NEW_PASSPHRASE_ENV, &login.name)?;
            store.change_passphrase(&present, &new)?;
            let shown = serde_json::json!({ "name": login.name });
            out.show(&shown, || format!("{} 的密码已修改。", login.name));
        }
    }
    Ok(())
}
