//! Backups: whole copies of the ledger (`VACUUM INTO`, a consistent snapshot even while the
//! window writes), each checked with `integrity_check` before it counts, kept in a folder
//! beside the ledger on a rotation like Anki's: every backup of today and yesterday, then the
//! newest of each of 12 more days, 10 weeks and 9 months. One is taken before every import,
//! migration and restore, and by the window every 30 minutes when the ledger changed; an
//! optional second copy goes to a folder the user chose (a USB stick).
//!
//! A backup's name says when it was taken (the ledger's clock) and why:
//! `ledger_20261205_143000_导入前.db`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{Datelike, NaiveDateTime};
use rusqlite::OpenFlags;
use serde::Serialize;

use super::keys::{connect, DataKey};
use super::Store;
use crate::error::{Code, Error, Result};

/// The setting naming a second folder every backup is copied to (a USB stick).
pub const COPY_SETTING: &str = "backup_copy_dir";

/// How often the window backs up a ledger that changed.
pub const EVERY: Duration = Duration::from_secs(30 * 60);

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Timed,
    BeforeImport,
    BeforeMigration,
    BeforeRestore,
    BeforePurge,
    Asked,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::Timed => "定时",
            Reason::BeforeImport => "导入前",
            Reason::BeforeMigration => "升级前",
            Reason::BeforeRestore => "恢复前",
            Reason::BeforePurge => "清理前",
            Reason::Asked => "手动",
        }
    }
}

/// One backup file and what is in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Backup {
    pub path: PathBuf,
    /// When it was taken, on the ledger's clock (from its name).
    pub taken_at: NaiveDateTime,
    /// 定时, 导入前, 升级前, 恢复前 or 手动.
    pub reason: String,
    pub bytes: u64,
    /// Persons and households in it (not archived), to choose a backup by.
    pub persons: i64,
    pub households: i64,
    /// Why the second copy (the USB stick) was not made, when it was not: the backup itself
    /// is safe, and an import is never stopped for a stick left at home.
    pub copy_problem: Option<String>,
}

const STAMP: &str = "%Y%m%d_%H%M%S";

impl Store {
    /// The folder of this ledger's backups: `<ledger>_备份` beside it.
    pub fn backup_dir(&self) -> PathBuf {
        backup_dir(&self.path)
    }

    /// Takes a backup now, checks it, files it and prunes the folder by the rotation; copies
    /// it to the second folder when one is set.
    pub fn back_up(&self, reason: Reason) -> Result<Backup> {
        self.take_backup(reason, true)
    }

    /// `back_up`, with the rotation's pruning or without (a restore prunes only once the
    /// backup it restores from has been read: the rotation could have its turn on it).
    fn take_backup(&self, reason: Reason, pruned: bool) -> Result<Backup> {
        if self.in_memory() {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                "这个账本只在内存中（测试用），没有文件可备份",
            ));
        }
        let dir = self.backup_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::write_failed(&dir, e))?;
        let now = self.now();
        let stem = stem(&self.path);
        // Written under a name of this process's own (the app and a command may back up the
        // same ledger in the same second), then given its name without replacing another's.
        let temp = dir.join(format!(
            ".{stem}.{}.{}.backup.tmp",
            std::process::id(),
            TEMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let name = |n: u32| {
            let numbered = if n > 1 {
                format!(" ({n})")
            } else {
                String::new()
            };
            dir.join(format!(
                "{stem}_{}_{}{numbered}.db",
                now.format(STAMP),
                reason.label()
            ))
        };
        // Writes the new file only (the guard against unnamed writes is off for it).
        let written = self
            .unguarded(|| {
                self.conn
                    .execute("VACUUM INTO ?1", [temp.to_string_lossy()])
            })
            .map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                failed(&name(1), e)
            });
        written?;
        if let Err(e) = check_sound(&temp, self.key.as_ref()) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        let path = give_name(&temp, name)?;
        if pruned {
            prune(&dir, stem, now);
        }
        self.copy_key_file();
        let mut backup = describe(&path, self.key.as_ref())?;
        if let Some(copy) = self.setting(COPY_SETTING)?.filter(|d| !d.trim().is_empty()) {
            if let Err(e) = copy_to(&path, Path::new(copy.trim()), stem, now) {
                backup.copy_problem = Some(e.to_string());
            }
        }
        Ok(backup)
    }

    /// Backs up when the ledger changed since its newest backup and that is at least `every`
    /// old, by the files' own times (`now` is the file system's clock, as the window reads
    /// it). Returns the backup taken, if one was.
    pub fn back_up_if_due(&self, now: SystemTime, every: Duration) -> Result<Option<Backup>> {
        if self.in_memory() {
            return Ok(None);
        }
        let due = match self.newest_backup_time() {
            None => true,
            Some(newest) => {
                self.changed_since(newest)
                    && now.duration_since(newest).unwrap_or_default() >= every
            }
        };
        if !due {
            return Ok(None);
        }
        self.back_up(Reason::Timed).map(Some)
    }

    /// Backs up before a change that cannot be undone otherwise (an import), unless the
    /// newest backup already holds the ledger as it is (a clerk importing twenty files in a
    /// row gets one backup, not twenty copies of the same ledger).
    pub fn back_up_before(&self, reason: Reason) -> Result<Option<Backup>> {
        if self.in_memory() {
            return Ok(None);
        }
        match self.newest_backup_time() {
            Some(newest) if !self.changed_since(newest) => Ok(None),
            _ => self.back_up(reason).map(Some),
        }
    }

    /// A ledger held in memory (tests) has no file and no backups.
    fn in_memory(&self) -> bool {
        self.path == Path::new(":memory:")
    }

    /// When the newest backup was written (the file's own time).
    fn newest_backup_time(&self) -> Option<SystemTime> {
        self.backup_files()
            .ok()?
            .iter()
            .filter_map(|p| p.metadata().and_then(|m| m.modified()).ok())
            .max()
    }

    /// Whether the ledger's file (or its write-ahead log) may have been written after `time`.
    /// A file's time has the kernel clock's grain (a few milliseconds): a write in the same
    /// tick as the backup counts as after it (one backup too many, never one too few).
    fn changed_since(&self, time: SystemTime) -> bool {
        [self.path.clone(), wal_of(&self.path)]
            .iter()
            .filter_map(|p| p.metadata().and_then(|m| m.modified()).ok())
            .any(|written| written >= time)
    }

    /// This ledger's backups, newest first.
    pub fn backups(&self) -> Result<Vec<Backup>> {
        // Two taken in one second (a clock fixed for training) are told apart by the
        // time their files were written.
        let mut all: Vec<(Backup, Option<SystemTime>)> = self
            .backup_files()?
            .iter()
            .filter_map(|p| {
                let written = p.metadata().and_then(|m| m.modified()).ok();
                describe(p, self.key.as_ref()).ok().map(|b| (b, written))
            })
            .collect();
        all.sort_by(|(a, a_written), (b, b_written)| {
            (b.taken_at, b_written).cmp(&(a.taken_at, a_written))
        });
        Ok(all.into_iter().map(|(b, _)| b).collect())
    }

    fn backup_files(&self) -> Result<Vec<PathBuf>> {
        Ok(files_of(&self.backup_dir(), stem(&self.path))
            .into_iter()
            .map(|(path, _)| path)
            .collect())
    }

    /// Puts the ledger back as `backup` has it, after backing up the ledger as it is now
    /// (returned, so it can be undone). The backup is checked first; a ledger from a newer
    /// version, or a file that is not a ledger, is refused and nothing changes.
    pub fn restore_backup(&mut self, backup: &Path) -> Result<Backup> {
        self.may(super::Duty::Restore)?;
        check_sound(backup, self.key.as_ref())?;
        let source = connect(backup, OpenFlags::SQLITE_OPEN_READ_ONLY, self.key.as_ref())
            .map_err(|e| unreadable(backup, e))?;
        let (application_id, version): (i64, i64) = source
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| unreadable(backup, e))?;
        if application_id != super::APPLICATION_ID
            || !(1..=super::SCHEMA_VERSION).contains(&version)
        {
            return Err(Error::refused(
                Code::NotALedger,
                format!(
                    "{} 不是本程序能恢复的账本备份（数据版本 {version}），账本未作改动。",
                    backup.display()
                ),
            ));
        }
        let before = self.take_backup(Reason::BeforeRestore, false)?;
        {
            let copy = rusqlite::backup::Backup::new(&source, &mut self.conn)
                .map_err(|e| failed(&self.path, e))?;
            copy.run_to_completion(1024, Duration::ZERO, None)
                .map_err(|e| failed(&self.path, e))?;
        }
        self.conn
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(|e| failed(&self.path, e))?;
        self.migrate(version)?;
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| failed(&self.path, e))?;
        self.check_tables()?;
        prune(&self.backup_dir(), stem(&self.path), self.now());
        self.log_event(
            "恢复备份",
            &format!(
                "用备份 {} 恢复；恢复前的账本已备份为 {}",
                file_name(backup),
                file_name(&before.path)
            ),
        )?;
        Ok(before)
    }
}

/// The backup folder of the ledger at `ledger`.
pub fn backup_dir(ledger: &Path) -> PathBuf {
    let dir = ledger.parent().unwrap_or(Path::new("."));
    dir.join(format!("{}_备份", stem(ledger)))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn stem(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("账本")
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The backups of ledger `stem` in `dir`, with when each was taken (from its name).
fn files_of(dir: &Path, stem: &str) -> Vec<(PathBuf, NaiveDateTime)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(stem)?.strip_prefix('_')?;
            let stamp = rest.get(..15)?;
            let taken = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
            name.ends_with(".db").then(|| (e.path(), taken))
        })
        .collect()
}

/// Which of backups taken at `times` the rotation keeps at `now`: every one of today and
/// yesterday; of older ones, the newest of each of 12 days, then of each of 10 ISO weeks
/// not kept already, then of each of 9 months not kept already.
pub fn keep(times: &[NaiveDateTime], now: NaiveDateTime) -> Vec<bool> {
    const DAYS: usize = 12;
    const WEEKS: usize = 10;
    const MONTHS: usize = 9;
    let yesterday = now.date().pred_opt().unwrap_or(now.date());
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|a, b| times[*b].cmp(&times[*a]));
    let mut kept = vec![false; times.len()];
    let (mut days, mut weeks, mut months) = (HashSet::new(), HashSet::new(), HashSet::new());
    let (mut daily, mut weekly, mut monthly) = (0, 0, 0);
    for i in order {
        let day = times[i].date();
        let week = (day.iso_week().year(), day.iso_week().week());
        let month = (day.year(), day.month());
        let keep = if day >= yesterday {
            true
        } else if daily < DAYS {
            let new = !days.contains(&day);
            daily += usize::from(new);
            new
        } else if weekly < WEEKS {
            let new = !weeks.contains(&week);
            weekly += usize::from(new);
            new
        } else if monthly < MONTHS {
            let new = !months.contains(&month);
            monthly += usize::from(new);
            new
        } else {
            false
        };
        if keep {
            kept[i] = true;
            days.insert(day);
            weeks.insert(week);
            months.insert(month);
        }
    }
    kept
}

/// Removes the backups of `stem` in `dir` the rotation does not keep. One that cannot be
/// removed (open in another program on Windows) stays until a later backup: a backup too
/// many harms nothing.
/// Numbers the temporary files of backups under way in this process.
static TEMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Moves a finished backup to the first of `name(1)`, `name(2)` … that no other backup has:
/// a hard link fails rather than replace a file another process just named so.
fn give_name(temp: &Path, name: impl Fn(u32) -> PathBuf) -> Result<PathBuf> {
    for n in 1..=1000 {
        let path = name(n);
        match std::fs::hard_link(temp, &path) {
            Ok(()) => {
                let _ = std::fs::remove_file(temp);
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // A file system without links (a FAT32 stick): a plain move to a free name.
            Err(_) if !path.exists() => {
                std::fs::rename(temp, &path).map_err(|e| Error::write_failed(&path, e))?;
                return Ok(path);
            }
            Err(_) => continue,
        }
    }
    let _ = std::fs::remove_file(temp);
    Err(Error::write_failed(
        &name(1),
        std::io::Error::other("同一秒内的备份已有 1000 份"),
    ))
}

fn prune(dir: &Path, stem: &str, now: NaiveDateTime) {
    remove_stale_temps(dir, stem);
    let files = files_of(dir, stem);
    let times: Vec<NaiveDateTime> = files.iter().map(|(_, t)| *t).collect();
    for ((path, _), keep) in files.iter().zip(keep(&times, now)) {
        if !keep {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Removes what backups cut short (a kill, a power cut) left behind: their temporary files,
/// named after the process that wrote them. Where the system tells which processes run
/// (Linux), a dead one's are removed at once; elsewhere once they are an hour old (a backup
/// under way in another process is younger).
fn remove_stale_temps(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{stem}.");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // `.{stem}.{pid}.{n}.backup.tmp`; an earlier release's was `.{stem}.backup.tmp`.
        let Some(middle) = name.strip_prefix(&prefix).and_then(|rest| {
            rest.strip_suffix(".backup.tmp")
                .or((rest == "backup.tmp").then_some(""))
        }) else {
            continue;
        };
        let pid = middle.split('.').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            // Left by an earlier release (no process named) or by this process.
            None => true,
            Some(pid) if pid == std::process::id() => true,
            // Linux says which processes run: a dead one's file goes, a live one's stays,
            // whatever the clocks say.
            Some(pid) if cfg!(target_os = "linux") => {
                !Path::new("/proc").join(pid.to_string()).exists()
            }
            Some(_) => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Copies a backup into the second folder (pruned by the same rotation). A folder that is
/// not there (the USB stick not plugged in) is said, with the backup already safe.
fn copy_to(backup: &Path, dir: &Path, stem: &str, now: NaiveDateTime) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::refused(
            Code::WriteFailed,
            format!(
                "第二份备份的文件夹 {} 不在（U 盘没有插上？），这次没有复制；插上后，下次备份会再复制",
                dir.display()
            ),
        ));
    }
    let Some(name) = backup.file_name() else {
        return Ok(());
    };
    let target = dir.join(name);
    std::fs::copy(backup, &target).map_err(|e| Error::write_failed(&target, e))?;
    prune(dir, stem, now);
    Ok(())
}

/// What a backup file holds: when, why, its size and counts.
fn describe(path: &Path, key: Option<&DataKey>) -> Result<Backup> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem_end = name.len().saturating_sub(".db".len());
    let body = &name[..stem_end];
    // <stem>_<YYYYMMDD>_<HHMMSS>_<reason>[ (n)]
    let mut parts = body.rsplitn(4, '_');
    let reason = parts.next().unwrap_or_default();
    let reason = reason.split(" (").next().unwrap_or(reason).to_string();
    let time = parts.next().unwrap_or_default();
    let day = parts.next().unwrap_or_default();
    let taken_at = NaiveDateTime::parse_from_str(&format!("{day}_{time}"), STAMP)
        .map_err(|_| unreadable(path, rusqlite::Error::InvalidQuery))?;
    let conn =
        connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY, key).map_err(|e| unreadable(path, e))?;
    let (persons, households) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM persons WHERE archived_at IS NULL),
                    (SELECT count(*) FROM households WHERE archived_at IS NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| unreadable(path, e))?;
    Ok(Backup {
        path: path.to_path_buf(),
        taken_at,
        reason,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        persons,
        households,
        copy_problem: None,
    })
}

/// A backup is only a backup when SQLite finds it whole.
fn check_sound(path: &Path, key: Option<&DataKey>) -> Result<()> {
    let conn =
        connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY, key).map_err(|e| unreadable(path, e))?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| unreadable(path, e))?;
    if verdict != "ok" {
        return Err(Error::refused(
            Code::LedgerDamaged,
            format!(
                "备份 {} 检查未通过（{verdict}），不能使用。",
                path.display()
            ),
        ));
    }
    Ok(())
}

fn failed(path: &Path, e: rusqlite::Error) -> Error {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return Error::disk_full(path);
    }
    Error::refused(
        Code::WriteFailed,
        format!(
            "备份没有完成（{}）：{e}。账本本身未受影响。",
            path.display()
        ),
    )
}

fn unreadable(path: &Path, e: rusqlite::Error) -> Error {
    Error::refused(
        Code::LedgerDamaged,
        format!("读不了备份 {}：{e}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration as Days, NaiveDate};

    fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
        day.and_hms_opt(hour, 0, 0).unwrap()
    }

    /// A backup another process has under way keeps its temporary file whatever the clocks
    /// say (the tests run with the clock at 23:30); a dead process's and an old release's go.
    #[cfg(target_os = "linux")]
    #[test]
    fn only_the_temporary_files_of_backups_cut_short_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, b"x").unwrap();
            path
        };
        // PID 1 always runs; no process has the largest PID Linux allows and more.
        let live = file(".l.1.0.backup.tmp");
        let dead = file(".l.4294967.3.backup.tmp");
        let old_release = file(".l.backup.tmp");
        let other_ledger = file(".m.4294967.0.backup.tmp");
        remove_stale_temps(dir.path(), "l");
        assert!(live.exists());
        assert!(!dead.exists());
        assert!(!old_release.exists());
        assert!(other_ledger.exists());
    }

    /// A backup every morning for 400 days and every hour of the last two: all of today and
    /// yesterday stay, then 12 days, 10 weeks and 9 months, each by its newest backup.
    #[test]
    fn the_rotation_keeps_two_days_whole_then_12_days_10_weeks_9_months() {
        let first = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        let today = first + Days::days(399);
        let mut times: Vec<NaiveDateTime> =
            (0..398).map(|d| at(first + Days::days(d), 10)).collect();
        for hour in 0..24 {
            times.push(at(today - Days::days(1), hour));
        }
        for hour in 0..12 {
            times.push(at(today, hour));
        }
        let now = at(today, 12);
        let kept = keep(&times, now);
        let kept_times: Vec<NaiveDateTime> = times
            .iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|(t, _)| *t)
            .collect();
        let recent = kept_times
            .iter()
            .filter(|t| t.date() >= today - Days::days(1))
            .count();
        assert_eq!(recent, 36, "every backup of today and yesterday");
        let older: Vec<&NaiveDateTime> = kept_times
            .iter()
            .filter(|t| t.date() < today - Days::days(1))
            .collect();
        assert_eq!(older.len(), 12 + 10 + 9);
        // The 12 days before yesterday, each kept.
        for d in 2..14 {
            assert!(
                older.iter().any(|t| t.date() == today - Days::days(d)),
                "day -{d}"
            );
        }
        // No week kept twice past the days, no month twice past the weeks.
        let weeks: HashSet<_> = older
            .iter()
            .map(|t| (t.date().iso_week().year(), t.date().iso_week().week()))
            .collect();
        assert!(weeks.len() >= 10 + 9);
        // The oldest kept is about a year back, not the very first backup.
        let oldest = older.iter().min().unwrap().date();
        assert!(
            oldest > first && oldest < today - Days::days(200),
            "{oldest}"
        );
        // Taken again with the same backups the rotation removes nothing more.
        let again: Vec<NaiveDateTime> = kept_times.clone();
        assert!(keep(&again, now).iter().all(|k| *k));
    }

    /// An in-memory ledger (the tests') is never backed up (into a folder named after it).
    #[test]
    fn a_ledger_in_memory_makes_no_backup_folder() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.back_up_before(Reason::BeforeImport).unwrap(), None);
        assert_eq!(
            store
                .back_up_if_due(SystemTime::now(), Duration::ZERO)
                .unwrap(),
            None
        );
        assert!(store.back_up(Reason::Asked).is_err());
    }

    #[test]
    fn a_day_later_yesterdays_extra_backups_go_but_its_newest_stays() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let times: Vec<NaiveDateTime> = (8..12).map(|h| at(day, h)).collect();
        assert!(keep(&times, at(day + Days::days(1), 9)).iter().all(|k| *k));
        assert_eq!(
            keep(&times, at(day + Days::days(2), 9)),
            [false, false, false, true]
        );
    }
}
