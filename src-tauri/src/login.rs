//! The login commands: who is using the laptop. A protected ledger stays locked until an
//! operator logs in (or the recovery code is typed), and locks again when the window has been
//! idle (the window calls `lock`); a plaintext ledger is protected at its first open in the
//! window (`protect_ledger`, before anything of it shows). Each
//! command calls the core; the waits after wrong tries are the core's (`keys::wait_after`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use gridledger::error::Code;
use gridledger::store::keys::{self, Operator, RecoveryCode, Role};
use gridledger::store::{Duty, Missing, Soundness, Store, Unlock, LOCK_MINUTES_SETTING};
use gridledger::{Error, ErrorReport};
use serde::Serialize;

use crate::commands::with;
use tauri::State;

use crate::{Ledger, Opened, Tries};

type Reply<T> = Result<T, ErrorReport>;

fn report(e: Error) -> ErrorReport {
    ErrorReport::from(&e)
}

#[derive(Serialize)]
pub struct LockStatus {
    /// open, locked or failed.
    state: &'static str,
    /// Whether the ledger is encrypted (a plaintext one is protected before the window shows it).
    protected: bool,
    /// Who may log in (names and roles only).
    operators: Vec<Operator>,
    /// Who is logged in.
    login: Option<Operator>,
    /// Minutes of no use before the window locks (the 自动锁定 setting; 0: never).
    lock_minutes: f64,
    /// What the logged-in operator may not do, with why: the window shows why where those
    /// buttons would be.
    cannot: BTreeMap<Duty, String>,
}

const DEFAULT_LOCK_MINUTES: f64 = 10.0;

#[tauri::command]
pub async fn lock_status(ledger: State<'_, Ledger>) -> Reply<LockStatus> {
    enum Seen {
        Open(Arc<Mutex<Store>>),
        Locked(std::path::PathBuf),
        Failed,
    }
    let seen = ledger.0.when_settled(|state| match state {
        Opened::Open(store) => Seen::Open(store.clone()),
        Opened::Locked(path) => Seen::Locked(path.clone()),
        _ => Seen::Failed,
    });
    match seen {
        Seen::Open(store) => {
            let store = store.lock().unwrap_or_else(|p| p.into_inner());
            let lock_minutes = store
                .setting(LOCK_MINUTES_SETTING)
                .ok()
                .flatten()
                .and_then(|m| m.trim().parse::<f64>().ok())
                .filter(|m| m.is_finite() && *m >= 0.0)
                .unwrap_or(DEFAULT_LOCK_MINUTES);
            Ok(LockStatus {
                state: "open",
                protected: store.is_protected(),
                operators: store.operators().unwrap_or_default(),
                login: store.login().cloned(),
                lock_minutes,
                cannot: store.refusals(),
            })
        }
        Seen::Locked(path) => Ok(LockStatus {
            state: "locked",
            protected: true,
            operators: keys::KeyFile::read(&path)
                .ok()
                .flatten()
                .map(|f| f.operators())
                .unwrap_or_default(),
            login: None,
            lock_minutes: DEFAULT_LOCK_MINUTES,
            cannot: BTreeMap::new(),
        }),
        Seen::Failed => Ok(LockStatus {
            state: "failed",
            protected: false,
            operators: Vec::new(),
            login: None,
            lock_minutes: 0.0,
            cannot: BTreeMap::new(),
        }),
    }
}

/// Logs in with an operator's passphrase, or with the recovery code (`recovery`, when given).
/// After five wrong tries each further try waits longer; a try made too soon is refused
/// without looking at the passphrase.
#[tauri::command]
pub async fn unlock(
    ledger: State<'_, Ledger>,
    tries: State<'_, Tries>,
    name: String,
    passphrase: String,
    recovery: Option<String>,
) -> Reply<Operator> {
    let path = ledger.0.when_settled(|state| match state {
        Opened::Locked(path) => Some(path.clone()),
        _ => None,
    });
    let Some(path) = path else {
        return Err(report(Error::refused(
            Code::Conflict,
            "账本已经打开，不用再登录。",
        )));
    };
    {
        let (_, until) = *tries.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(left) = until.and_then(|u| u.checked_duration_since(std::time::Instant::now()))
        {
            return Err(report(Error::refused(
                Code::KeyWrong,
                format!(
                    "密码或恢复码错了太多次，请等 {} 秒再试。",
                    left.as_secs() + 1
                ),
            )));
        }
    }
    let how = match recovery.filter(|c| !c.trim().is_empty()) {
        Some(code) => Unlock::Recovery(RecoveryCode::parse(&code).map_err(report)?),
        None => Unlock::Operator { name, passphrase },
    };
    let opened = Store::open_as(&path, Missing::Refuse, Soundness::default(), Some(&how));
    let mut counted = tries.0.lock().unwrap_or_else(|p| p.into_inner());
    match opened {
        Ok(store) => {
            *counted = (0, None);
            let login = store
                .login()
                .cloned()
                .expect("a protected ledger has a login");
            ledger.0.set(Opened::Open(Arc::new(Mutex::new(store))));
            Ok(login)
        }
        Err(e) if e.code() == Code::KeyWrong => {
            counted.0 += 1;
            let wait = keys::wait_after(counted.0);
            counted.1 = (!wait.is_zero()).then(|| std::time::Instant::now() + wait);
            let mut reply = report(e);
            if !wait.is_zero() {
                reply.message = format!(
                    "{} 已错 {} 次，请等 {} 秒再试。",
                    reply.message,
                    counted.0,
                    wait.as_secs()
                );
            }
            Err(reply)
        }
        Err(e) => Err(report(e)),
    }
}

/// Locks a protected ledger (the idle lock, or 锁定 in the header): it is closed, and opens
/// again only with a login. Waits for a command under way (an import) to finish first.
#[tauri::command]
pub async fn lock(ledger: State<'_, Ledger>) -> Reply<()> {
    let store = ledger.opened()?;
    let guard = store.lock().unwrap_or_else(|p| p.into_inner());
    if !guard.is_protected() {
        return Err(report(Error::refused(
            Code::Conflict,
            "账本没有加密，不能锁定：请先设置村管理员和密码。",
        )));
    }
    let path = guard.path().to_path_buf();
    drop(guard);
    ledger.0.set(Opened::Locked(path));
    Ok(())
}

#[derive(Serialize)]
pub struct Protected {
    login: Operator,
    recovery_code: String,
}

/// Protects the open plaintext ledger: encrypts it and its backups, `name` becoming its first
/// 村管理员 and logged in. The recovery code is returned to be shown once.
#[tauri::command]
pub async fn protect_ledger(
    ledger: State<'_, Ledger>,
    name: String,
    passphrase: String,
) -> Reply<Protected> {
    let store = ledger.opened()?;
    let guard = store.lock().unwrap_or_else(|p| p.into_inner());
    if guard.is_protected() {
        return Err(report(Error::refused(Code::Conflict, "账本已经加密。")));
    }
    keys::check_passphrase(&passphrase).map_err(report)?;
    let path = guard.path().to_path_buf();
    // Every other command waits while the ledger is closed, converted and opened again.
    ledger.0.set(Opened::Opening);
    drop(guard);
    drop(store);
    let protected = gridledger::store::protect(&path, &name, &passphrase, Soundness::default());
    let how = Unlock::Operator {
        name: name.clone(),
        passphrase,
    };
    let reopened = match &protected {
        Ok(_) => Store::open_as(&path, Missing::Refuse, Soundness::default(), Some(&how)),
        Err(_) => Store::open(&path),
    };
    match reopened {
        Ok(store) => {
            let login = store.login().cloned();
            ledger.0.set(Opened::Open(Arc::new(Mutex::new(store))));
            let code = protected.map_err(report)?;
            Ok(Protected {
                login: login.expect("a protected ledger has a login"),
                recovery_code: code.to_string(),
            })
        }
        Err(e) => {
            let reply = report(e);
            ledger.0.set(Opened::Failed(reply.clone()));
            Err(protected.err().map(report).unwrap_or(reply))
        }
    }
}

#[tauri::command]
pub async fn operators(ledger: State<'_, Ledger>) -> Reply<Vec<Operator>> {
    with(&ledger, |s| s.operators())
}

/// Adds an operator or sets their role and passphrase (a 村管理员's work).
#[tauri::command]
pub async fn save_operator(
    ledger: State<'_, Ledger>,
    name: String,
    role: Role,
    grid: Option<i64>,
    passphrase: String,
) -> Reply<Vec<Operator>> {
    with(&ledger, |s| {
        s.set_operator_key(&name, role, grid, &passphrase)?;
        s.operators()
    })
}

#[tauri::command]
pub async fn remove_operator(ledger: State<'_, Ledger>, name: String) -> Reply<Vec<Operator>> {
    with(&ledger, |s| {
        s.remove_operator(&name)?;
        s.operators()
    })
}

#[tauri::command]
pub async fn change_passphrase(
    ledger: State<'_, Ledger>,
    present: String,
    new: String,
) -> Reply<()> {
    with(&ledger, |s| s.change_passphrase(&present, &new))
}
