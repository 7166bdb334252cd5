//! The one error type of the core. Every variant says, in Chinese, what went wrong and what to
//! do; `code()` gives the UI and scripts a stable key to branch on, never a message to match.

use std::path::PathBuf;

use crate::validate::FieldProblem;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("无法打开数据库文件 {path}：{source}。请确认该位置存在、有写入权限，且文件不是其他程序的文件。")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("数据库文件 {path} 由更新版本的网格一本账写入（数据版本 {found}），本程序只认识到版本 {supported}。请先升级网格一本账再打开它；文件未被改动。")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("文件 {path} 不是网格一本账的数据库（{detail}）。请用 --db 指定正确的文件。")]
    NotALedger { path: PathBuf, detail: String },

    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldProblem>),

    #[error("找不到{what}（编号 {id}），可能已归档或不存在")]
    NotFound { what: &'static str, id: i64 },

    #[error("{0}")]
    Refused(String),

    #[error("无法确定数据目录，请用 --db 或环境变量 GRIDLEDGER_DB 指定数据库文件")]
    NoDataDir,

    #[error("无法创建目录 {path}：{source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("数据库操作失败：{0}。数据未被改动；如反复出现，请备份数据库文件后联系技术支持。")]
    Sqlite(#[from] rusqlite::Error),
}

fn invalid_summary(problems: &[FieldProblem]) -> String {
    let errors: Vec<&str> = problems
        .iter()
        .filter(|p| p.severity == crate::validate::Severity::Error)
        .map(|p| p.message.as_str())
        .collect();
    format!("输入有误，未保存：{}", errors.join("；"))
}

impl Error {
    /// A stable key for the UI and for scripts reading `--json` errors.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Open { .. } => "db_open",
            Error::NewerSchema { .. } => "db_newer_schema",
            Error::NotALedger { .. } => "db_not_a_ledger",
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Refused(_) => "refused",
            Error::NoDataDir => "no_data_dir",
            Error::CreateDir { .. } => "create_dir",
            Error::Sqlite(_) => "db",
        }
    }

    /// The field problems of an `Invalid` error, empty otherwise.
    pub fn problems(&self) -> &[FieldProblem] {
        match self {
            Error::Invalid(problems) => problems,
            _ => &[],
        }
    }
}

/// The shape errors take across IPC and in `--json` output: `{code, message, problems}`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    pub problems: Vec<FieldProblem>,
}

impl From<&Error> for ErrorReport {
    fn from(error: &Error) -> ErrorReport {
        ErrorReport {
            code: error.code().into(),
            message: error.to_string(),
            problems: error.problems().to_vec(),
        }
    }
}
