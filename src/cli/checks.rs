//! `check` on the command line: one value (a resident ID, phone, plate, temperature or
//! date), the whole ledger file (`check ledger`), or whether the forms agree (`check forms`).

use gridledger::error::Code;
use gridledger::store::Store;
use gridledger::{report, validate, Error};

use super::{date_arg, output};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CheckKind {
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

pub fn check_ledger(store: &Store, out: &output::Output) -> Result<(), Error> {
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

pub fn check(kind: CheckKind, value: &str, out: &output::Output) -> Result<(), Error> {
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

/// `check forms`: every built-in form for a place and a range, against the ledger counted
/// again; `(from, to)` as typed.
pub fn check_forms(
    store: &Store,
    (from, to): (Option<&str>, Option<&str>),
    village: Option<&str>,
    out: &output::Output,
) -> Result<(), Error> {
    let day = date_arg(to, "报告日")?.unwrap_or_else(|| store.today());
    let params = report::ReportParams {
        from: date_arg(from, "开始日期")?,
        to: Some(day),
        village: village.map(String::from),
        mask: false,
    };
    let verdict = report::check_forms(store, &params)?;
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

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// 核验审计记录链：每一条都与封存时相符，前后相接，没有被改动、删除或插入
    Verify,
    /// 列出审计记录（最新的在最后）
    List {
        /// 只列出与这个人（人员编号）有关的记录
        #[arg(long)]
        person: Option<i64>,
        /// 最多列出几条（0 为全部）
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

/// `audit verify` and `audit list`.
pub fn audit(store: &Store, action: AuditCommand, out: &output::Output) -> Result<(), Error> {
    match action {
        AuditCommand::Verify => {
            let verdict = store.audit_verify()?;
            // A broken trail is an error (one document with --json: the error, naming it).
            if let Some(broken) = verdict.broken {
                return Err(Error::refused(
                    Code::AuditBroken,
                    format!("{broken}。账本可能被其他程序改动过：请用备份核对，并报告管理员"),
                ));
            }
            out.show(&verdict, || {
                let unsealed = if verdict.unsealed > 0 {
                    format!("；另有 {} 条是其他程序写入、尚未封存的", verdict.unsealed)
                } else {
                    String::new()
                };
                format!(
                    "审计记录完好：{} 条，由 {} 次保存封存，前后相接，各表的记录数都对得上{unsealed}。",
                    verdict.rows, verdict.seals
                )
            });
        }
        AuditCommand::List { person, limit } => {
            let rows = store.audit_list(&gridledger::store::audit::AuditFilter {
                person,
                from_seq: None,
                limit,
            })?;
            out.show(&rows, || {
                rows.iter()
                    .map(|r| {
                        format!(
                            "{:>6}  {}  {}  {} {}  {}{}",
                            r.seq,
                            r.at,
                            r.operator.as_deref().unwrap_or("（其他程序）"),
                            r.what,
                            r.record,
                            r.action,
                            output::audit_values(r)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
