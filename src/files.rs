//! Writing a file a user keeps (a report, a template, a problem list): it is written under a
//! hidden temporary name beside its final name and moved into place only where no file is,
//! so an earlier file is never replaced (unless the user asks to) and a failure never leaves
//! half a file under the real name. A temporary file a crash or a kill left behind is removed
//! by the next save into the same folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Code, Error, Result};

/// A temporary file is made readable by its owner alone; a report or a problem list is for
/// the colleague on the same laptop too (rw-r--r--, as any file the user saves).
fn readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Refuses an output path that is one of `inputs`, or a ledger's `-wal` or `-shm` beside
/// one (`argument_invalid`): `report -o ledger.db --force` must not replace the ledger, nor
/// `import a.xlsx --problems a.xlsx --force` the sheet it reads.
pub fn never_over(output: &Path, inputs: &[&Path]) -> Result<()> {
    let out = comparable(output);
    for input in inputs {
        let name = input.as_os_str().to_string_lossy();
        for (candidate, what) in [
            (input.to_path_buf(), "正在使用的文件"),
            (PathBuf::from(format!("{name}-wal")), "账本的日志文件"),
            (PathBuf::from(format!("{name}-shm")), "账本的共享内存文件"),
        ] {
            if comparable(&candidate) == out {
                return Err(Error::refused(
                    Code::ArgumentInvalid,
                    format!(
                        "输出文件 {} 是{what}（{}），不能写在它上面：请换一个文件名",
                        output.display(),
                        input.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses an output name whose extension is not the format written (`-o 日报.csv` for an
/// xlsx): a file that lies about its kind opens as garbage (`argument_invalid`).
pub fn require_extension(path: &Path, extension: &str) -> Result<()> {
    let given = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if given == extension {
        return Ok(());
    }
    let fixed = path.with_extension(extension);
    Err(Error::refused(
        Code::ArgumentInvalid,
        format!(
            "写出的是 .{extension} 文件，文件名 {} 的扩展名不符：请改为 {}",
            path.display(),
            fixed.display()
        ),
    ))
}

/// A path as it can be compared with another: made absolute through its folder (the file
/// itself may not exist yet), symbolic links followed.
fn comparable(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// What to do when the file's name is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Refuse (`file_exists`): the command line without `--force`.
    Refuse,
    /// Take the next free name: 日报.xlsx, 日报 (2).xlsx, 日报 (3).xlsx … (the desktop app).
    Number,
    /// Replace it (`--force`).
    Replace,
}

const TEMP_PREFIX: &str = ".gridledger-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file older than this was left by a crash: nothing writes that long.
const STALE: Duration = Duration::from_secs(10 * 60);

/// Writes a file through `write` (given the temporary path) and moves it to `path`, or to
/// the next free name. Returns where it went. `inputs` are the files the command reads (the
/// ledger, a sheet being imported): the output is never one of them, `--force` or not.
pub fn save(
    path: &Path,
    if_exists: IfExists,
    inputs: &[&Path],
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    never_over(path, inputs)?;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    // The app writes into folders of its own and makes them; a folder the user named that
    // is not there is most likely a typo: said, not made.
    if !dir.exists() && if_exists != IfExists::Number {
        return Err(Error::refused(
            Code::WriteFailed,
            format!(
                "文件夹 {} 不存在，{} 没有写出：请检查路径是否写错，或先建立这个文件夹",
                dir.display(),
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::write_failed(&dir, e))?;
    if if_exists == IfExists::Refuse && path.exists() {
        return Err(exists(path));
    }
    let temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)
        .map_err(|e| Error::write_failed(path, e))?;
    // Ages are read on the folder's own clock (a shared folder's may differ from ours): the
    // time our new file was made is its "now".
    if let Ok(now) = temp.as_file().metadata().and_then(|m| m.modified()) {
        sweep(&dir, now, temp.path());
    }
    // On failure `temp` is dropped, which removes the half-written file; the message names
    // the file the user asked for, never the hidden temporary one.
    write(temp.path()).map_err(|e| match e {
        Error::Refused { code, message } => Error::Refused {
            code,
            message: message.replace(
                &temp.path().display().to_string(),
                &path.display().to_string(),
            ),
        },
        other => other,
    })?;
    readable_by_others(temp.path());
    match if_exists {
        IfExists::Replace => {
            temp.persist(path)
                .map_err(|e| Error::write_failed(path, e.error))?;
            Ok(path.to_path_buf())
        }
        IfExists::Refuse => match temp.persist_noclobber(path) {
            Ok(_) => Ok(path.to_path_buf()),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
            Err(e) => Err(Error::write_failed(path, e.error)),
        },
        IfExists::Number => {
            let mut temp = temp;
            for n in 1.. {
                let candidate = numbered(path, n);
                match temp.persist_noclobber(&candidate) {
                    Ok(_) => return Ok(candidate),
                    Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temp = e.file,
                    Err(e) => return Err(Error::write_failed(&candidate, e.error)),
                }
            }
            unreachable!("an unbounded range ends only by returning")
        }
    }
}

/// Writes `path` through `write`, which is handed a writer that keeps the first error of the
/// file (a full disk) instead of returning it, then says that error. An xlsx writer told of a
/// failed write tries to finish its archive again as it is dropped and prints the library's
/// own line to the terminal; told nothing, it finishes quietly, and the error is ours to say.
pub fn write_quietly<E>(
    path: &Path,
    write: impl FnOnce(&mut Quiet) -> std::result::Result<(), E>,
) -> Result<std::result::Result<(), E>> {
    let file = std::fs::File::create(path).map_err(|e| Error::write_failed(path, e))?;
    let mut quiet = Quiet {
        file: std::io::BufWriter::new(file),
        error: None,
    };
    let written = write(&mut quiet);
    let Quiet { file, error } = quiet;
    if let Some(e) = error {
        return Err(Error::write_failed(path, e));
    }
    let file = file
        .into_inner()
        .map_err(|e| Error::write_failed(path, e.into_error()))?;
    file.sync_all().map_err(|e| Error::write_failed(path, e))?;
    Ok(written)
}

/// A file that keeps its first write error (see `write_quietly`).
pub struct Quiet {
    file: std::io::BufWriter<std::fs::File>,
    error: Option<std::io::Error>,
}

impl std::io::Write for Quiet {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_none() {
            if let Err(e) = self.file.write_all(buf) {
                self.error = Some(e);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_none() {
            if let Err(e) = self.file.flush() {
                self.error = Some(e);
            }
        }
        Ok(())
    }
}

/// 日报.xlsx for 1, 日报 (2).xlsx for 2, …
pub fn numbered(path: &Path, n: usize) -> PathBuf {
    if n <= 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem} ({n}).{}", ext.to_string_lossy()),
        None => format!("{stem} ({n})"),
    };
    path.with_file_name(name)
}

fn exists(path: &Path) -> Error {
    Error::refused(
        Code::FileExists,
        format!(
            "{} 已存在，没有覆盖。请换一个文件名，或加 --force 覆盖它。",
            path.display()
        ),
    )
}

/// Removes temporary files a crash or a kill left in `dir`: those more than `STALE` older
/// than `now` (as the folder's clock tells it), never `ours`.
/// Removes what killed saves left in `dir` (hidden temporary files older than ten minutes),
/// as the app starts: a folder nobody saves into again is cleaned too. Ages are read on the
/// folder's clock, through a file made there for the purpose.
pub fn sweep_folder(dir: &Path) {
    let Ok(probe) = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
    else {
        return;
    };
    if let Ok(now) = probe.as_file().metadata().and_then(|m| m.modified()) {
        sweep(dir, now, probe.path());
    }
}

fn sweep(dir: &Path, now: SystemTime, ours: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) || entry.path() == ours {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A name a file may have on every system the app runs on (Windows forbids \ / : * ? " < > |).
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !"\\/:*?\"<>|".contains(*c) && !c.is_control())
        .collect();
    let trimmed = cleaned.trim().trim_end_matches('.').to_string();
    if trimmed.is_empty() {
        "未命名".into()
    } else {
        trimmed.chars().take(80).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(text: &'static str) -> impl FnOnce(&Path) -> Result<()> {
        move |p: &Path| std::fs::write(p, text).map_err(|e| Error::write_failed(p, e))
    }

    #[test]
    fn an_existing_file_is_never_replaced_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("日报.xlsx");
        std::fs::write(&path, "old").unwrap();
        let error = save(&path, IfExists::Refuse, &[], write_text("new")).unwrap_err();
        assert_eq!(error.code(), Code::FileExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let second = save(&path, IfExists::Number, &[], write_text("new")).unwrap();
        assert_eq!(second, dir.path().join("日报 (2).xlsx"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let third = save(&path, IfExists::Number, &[], write_text("newer")).unwrap();
        assert_eq!(third, dir.path().join("日报 (3).xlsx"));
        save(&path, IfExists::Replace, &[], write_text("forced")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "forced");
    }

    #[test]
    fn a_failed_write_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("问题.xlsx");
        let error = save(&path, IfExists::Refuse, &[], |p| {
            std::fs::write(p, "half").unwrap();
            Err(Error::refused(Code::WriteFailed, "disk full"))
        })
        .unwrap_err();
        assert_eq!(error.code(), Code::WriteFailed);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_is_swept_at_start_without_a_save_and_keeps_what_is_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".gridledger-old.tmp");
        std::fs::write(&stale, "left by a kill").unwrap();
        let written = std::fs::metadata(&stale).unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(written - Duration::from_secs(3600))
            .unwrap();
        let fresh = dir.path().join(".gridledger-new.tmp");
        std::fs::write(&fresh, "being written").unwrap();
        let kept = dir.path().join("日报.xlsx");
        std::fs::write(&kept, "a report").unwrap();
        sweep_folder(dir.path());
        assert!(!stale.exists());
        assert!(fresh.exists() && kept.exists());
        // The probe it made to read the folder's clock is gone too.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_saved_file_is_readable_by_the_colleague_on_the_same_laptop() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = save(
            &dir.path().join("日报.xlsx"),
            IfExists::Refuse,
            &[],
            write_text("x"),
        )
        .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[test]
    fn a_full_disk_has_its_own_code_and_names_the_file_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("日报.xlsx");
        let error = save(&path, IfExists::Refuse, &[], |temp| {
            Err(Error::write_failed(
                temp,
                std::io::Error::from_raw_os_error(28),
            ))
        })
        .unwrap_err();
        assert_eq!(error.code(), Code::DiskFull);
        let message = error.to_string();
        assert!(
            message.contains("日报.xlsx") && !message.contains(TEMP_PREFIX),
            "{message}"
        );
        assert!(!message.contains("Excel"), "{message}");
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing half-written"
        );
    }

    #[test]
    fn stale_temporary_files_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".gridledger-abc.tmp");
        std::fs::write(&stale, "left by a kill").unwrap();
        // An hour before now on the folder's clock (not the process's: the test runs under
        // faketime too).
        let written = std::fs::metadata(&stale).unwrap().modified().unwrap();
        let old = written - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let fresh = dir.path().join(".gridledger-def.tmp");
        std::fs::write(&fresh, "being written").unwrap();
        save(
            &dir.path().join("x.json"),
            IfExists::Refuse,
            &[],
            write_text("{}"),
        )
        .unwrap();
        assert!(!stale.exists());
        assert!(
            fresh.exists(),
            "a file another process may be writing stays"
        );
    }

    #[test]
    fn names_are_safe_on_windows() {
        assert_eq!(safe_name("日报:11/23*"), "日报1123");
        assert_eq!(safe_name("  ..  "), "未命名");
    }

    /// A full disk (`/dev/full` fails every write with ENOSPC) is said as `disk_full`, and
    /// the xlsx writer saw no error, so it has nothing to retry and print as it is dropped.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_said_once_as_disk_full() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write(0, 0, "张三").unwrap();
        let error =
            write_quietly(Path::new("/dev/full"), |file| book.save_to_writer(file)).unwrap_err();
        assert_eq!(error.code(), Code::DiskFull);
    }
}
