//! The one error type of the core. Every error says, in Chinese, what went wrong and what to
//! do; `code()` gives the UI and scripts a stable key to branch on, never a message to match.
//! The codes are listed once, in [`Code`], and the README's table of codes is checked against
//! that list by a test.

use std::path::Path;

use crate::validate::FieldProblem;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether an I/O error says the disk is full (ENOSPC on Linux, ERROR_DISK_FULL and
/// ERROR_HANDLE_DISK_FULL on Windows).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || if cfg!(windows) {
            matches!(e.raw_os_error(), Some(39) | Some(112))
        } else {
            e.raw_os_error() == Some(28)
        }
}

/// Declares the stable error codes once: the enum, its text and the list of all of them.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $text:literal,)*) => {
        /// The stable error codes. A code names the kind of failure, never one message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// What the code means, for the README's table.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),*),)*
                }
            }
        }
    };
}

codes! {
    /// No ledger at the given path; run `init` first (or check the path).
    LedgerMissing = "ledger_missing",
    /// The ledger file is damaged; restore a backup.
    LedgerDamaged = "ledger_damaged",
    /// Another program holds the ledger; close it and retry.
    LedgerLocked = "ledger_locked",
    /// The ledger is protected: say who you are (operator and passphrase, or the recovery code).
    LedgerProtected = "ledger_protected",
    /// A wrong operator name, passphrase or recovery code, or a key file that does not fit; nothing was opened.
    KeyWrong = "key_wrong",
    /// The audit trail does not hold: a row was changed, removed or inserted afterwards.
    AuditBroken = "audit_broken",
    /// The ledger or its folder cannot be written (read-only medium or permissions).
    LedgerReadOnly = "ledger_read_only",
    /// The ledger was written by a newer gridledger.
    LedgerNewer = "ledger_newer",
    /// The file is not a gridledger ledger (another program's database, or not SQLite).
    NotALedger = "not_a_ledger",
    /// No data folder could be found or made for the default ledger.
    DataDir = "data_dir",
    /// A file could not be read (missing, no permission).
    FileUnreadable = "file_unreadable",
    /// The file is empty.
    FileEmpty = "file_empty",
    /// The user stopped a long import or preview; nothing was written.
    Cancelled = "cancelled",
    /// The file is not a spreadsheet gridledger can read.
    FileNotSpreadsheet = "file_not_spreadsheet",
    /// The spreadsheet has an opening password.
    FileEncrypted = "file_encrypted",
    /// The spreadsheet is damaged or incomplete.
    FileDamaged = "file_damaged",
    /// The spreadsheet is larger than an import may take (a zip bomb, or millions of rows).
    FileTooLarge = "file_too_large",
    /// A CSV changes its text encoding part way through.
    FileMixedEncoding = "file_mixed_encoding",
    /// A CSV has a quote that is never closed.
    FileUnclosedQuote = "file_unclosed_quote",
    /// The named worksheet is not in the file.
    SheetMissing = "sheet_missing",
    /// No header row was recognised in the sheet.
    HeaderNotFound = "header_not_found",
    /// The header has more columns than any real form (over 1,000).
    HeaderTooWide = "header_too_wide",
    /// A column the record type needs is not in the sheet.
    ColumnMissing = "column_missing",
    /// One field was given to two columns, or a column to an unknown field.
    ColumnMapping = "column_mapping",
    /// No such record type to import as.
    TargetUnknown = "target_unknown",
    /// The sheet's columns fit more than one record type (or none well): choose one.
    TargetAmbiguous = "target_ambiguous",
    /// No saved column mapping has that name.
    MappingUnknown = "mapping_unknown",
    /// A place named in a sheet or an option is not in the ledger.
    PlaceUnknown = "place_unknown",
    /// Values that cannot be saved; each problem names its field.
    ValueInvalid = "value_invalid",
    /// The record does not exist (or was archived).
    NotFound = "not_found",
    /// The action conflicts with the ledger's state (a second review decision, a demo into a
    /// ledger that already holds data).
    Conflict = "conflict",
    /// An output file already exists and `--force` was not given.
    FileExists = "file_exists",
    /// A file could not be written (no permission, folder missing).
    WriteFailed = "write_failed",
    /// The disk is full: free some space or save somewhere else; nothing was left half-written.
    DiskFull = "disk_full",
    /// A report template file or template is not valid.
    TemplateInvalid = "template_invalid",
    /// No template with that id.
    TemplateUnknown = "template_unknown",
    /// A command-line or window argument is not valid.
    ArgumentInvalid = "argument_invalid",
    /// The forms disagree on a shared count (`check forms`).
    FormsDisagree = "forms_disagree",
    /// The ledger holds values older versions let in (`check ledger`).
    LedgerImplausible = "ledger_implausible",
    /// An unexpected database failure; nothing was changed.
    Internal = "internal",
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Anything refused with a code and a message that says what to do.
    #[error("{message}")]
    Refused { code: Code, message: String },

    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldProblem>),

    /// A question only the user can answer (which kind of sheet this is): `choices` are the
    /// answers, each a problem whose `field` is the choice's key.
    #[error("{message}")]
    Choose {
        code: Code,
        message: String,
        choices: Vec<FieldProblem>,
    },

    #[error("找不到{what}（编号 {id}），可能已归档或不存在")]
    NotFound { what: &'static str, id: i64 },

    /// A database failure that is not the user's doing. The message never carries SQLite's
    /// own text; `detail()` keeps it for logs.
    #[error("{message}")]
    Sqlite {
        code: Code,
        message: String,
        source: rusqlite::Error,
    },
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
    pub fn refused(code: Code, message: impl Into<String>) -> Error {
        Error::Refused {
            code,
            message: message.into(),
        }
    }

    /// One field problem as an error.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldProblem::error(field, code, message)])
    }

    /// A file that could not be written, named, with what to do.
    pub fn write_failed(path: &Path, source: std::io::Error) -> Error {
        if is_disk_full(&source) {
            return Error::disk_full(path);
        }
        let what = match source.kind() {
            std::io::ErrorKind::PermissionDenied => "没有写入权限，请换一个文件夹",
            std::io::ErrorKind::NotFound => "所在文件夹不存在",
            _ => "请确认磁盘可写、文件没有被 Excel/WPS 打开",
        };
        Error::refused(
            Code::WriteFailed,
            format!("无法写出文件 {}：{what}（{source}）", path.display()),
        )
    }

    /// The disk `path` is on is full (`disk_full`); nothing half-written is left under its name.
    pub fn disk_full(path: &Path) -> Error {
        Error::refused(
            Code::DiskFull,
            format!(
                "磁盘已满，文件 {} 没有写出（也没有留下写了一半的文件）：请删去不用的文件腾出空间，或换一个磁盘（如 U 盘）保存",
                path.display()
            ),
        )
    }

    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> Code {
        match self {
            Error::Refused { code, .. }
            | Error::Sqlite { code, .. }
            | Error::Choose { code, .. } => *code,
            Error::Invalid(_) => Code::ValueInvalid,
            Error::NotFound { .. } => Code::NotFound,
        }
    }

    /// The field problems of an `Invalid` error, empty otherwise.
    pub fn problems(&self) -> &[FieldProblem] {
        match self {
            Error::Invalid(problems) => problems,
            Error::Choose { choices, .. } => choices,
            _ => &[],
        }
    }

    /// The underlying cause, for logs (never shown as the message).
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::Sqlite { source, .. } => Some(source.to_string()),
            _ => None,
        }
    }

    /// Maps a SQLite failure at a ledger file to what a user can act on.
    pub fn ledger(path: &Path, source: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as E;
        let file = path.display();
        let (code, message) = match source.sqlite_error_code() {
            Some(E::DatabaseBusy | E::DatabaseLocked) => (
                Code::LedgerLocked,
                format!("账本 {file} 正被另一个程序使用（可能另开了一个网格一本账）。请关闭它后重试；数据未被改动。"),
            ),
            Some(E::ReadOnly) => (
                Code::LedgerReadOnly,
                format!("账本 {file} 所在位置只读（只读U盘、光盘或没有写入权限）。请把账本复制到可写的文件夹（如“文档”）再打开。"),
            ),
            Some(E::PermissionDenied | E::CannotOpen) if read_only(path) => (
                Code::LedgerReadOnly,
                format!("账本 {file} 所在位置只读（只读U盘、光盘或没有写入权限）。请把账本复制到可写的文件夹（如“文档”）再打开。"),
            ),
            Some(E::DatabaseCorrupt) => (
                Code::LedgerDamaged,
                format!("账本 {file} 已损坏。请不要继续写入：关闭程序，用最近的备份替换这个文件；如无备份请联系技术支持。"),
            ),
            Some(E::NotADatabase) => (
                Code::NotALedger,
                format!("文件 {file} 不是网格一本账的账本（也可能已严重损坏）。请用 --db 指定正确的文件；如果它是加密的账本，请把它旁边的钥匙文件（{file}.key）放回原处，或用恢复码打开（--recovery-code）。"),
            ),
            Some(E::DiskFull) => (
                Code::WriteFailed,
                format!("磁盘已满，无法写入账本 {file}。请清理磁盘后重试；数据未被改动。"),
            ),
            Some(E::CannotOpen) => (
                Code::LedgerMissing,
                format!("无法打开账本 {file}：文件夹不存在或无法访问。请检查路径。"),
            ),
            _ => (
                Code::Internal,
                format!("账本 {file} 操作失败，数据未被改动。如反复出现，请备份账本文件后联系技术支持。"),
            ),
        };
        Error::Sqlite {
            code,
            message,
            source,
        }
    }
}

/// Whether the file (or, for a file yet to be made, its folder) cannot be written.
fn read_only(path: &Path) -> bool {
    let probe = if path.exists() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let refused = |e: std::io::Error| {
        e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30)
    };
    std::fs::metadata(&probe).is_ok_and(|m| m.permissions().readonly())
        || (path.exists()
            && std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .is_err_and(refused))
}

impl From<rusqlite::Error> for Error {
    /// A SQLite failure inside a store function: a CHECK the validation should have caught is
    /// reported as an invalid value, everything else as an internal failure.
    fn from(source: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode as E;
        let (code, message) = match source.sqlite_error_code() {
            Some(E::ConstraintViolation) => (
                Code::ValueInvalid,
                "有数值不符合账本的规则（如日期、长度或取值超出范围），未保存。请核对后重试。"
                    .to_string(),
            ),
            Some(E::DatabaseBusy | E::DatabaseLocked) => (
                Code::LedgerLocked,
                "账本正被另一个程序使用，请关闭它后重试；数据未被改动。".to_string(),
            ),
            Some(E::ReadOnly) => (
                Code::LedgerReadOnly,
                "账本所在位置只读，无法保存。请把账本复制到可写的文件夹再打开。".to_string(),
            ),
            Some(E::DatabaseCorrupt | E::NotADatabase) => (
                Code::LedgerDamaged,
                "账本文件已损坏。请关闭程序，用最近的备份替换账本文件。".to_string(),
            ),
            Some(E::DiskFull) => (
                Code::WriteFailed,
                "磁盘已满，无法保存。请清理磁盘后重试；数据未被改动。".to_string(),
            ),
            _ => (
                Code::Internal,
                "账本操作失败，数据未被改动。如反复出现，请备份账本文件后联系技术支持。"
                    .to_string(),
            ),
        };
        Error::Sqlite {
            code,
            message,
            source,
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
            code: error.code().as_str().into(),
            message: error.to_string(),
            problems: error.problems().to_vec(),
        }
    }
}

/// Kept for callers that name a path in a message.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
