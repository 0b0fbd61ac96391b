//! The progress file: versioned JSON at the platform's data directory (or a
//! path given with `--progress`), written atomically — a temp file in the same
//! directory, fsync, rename, fsync of the directory — so a crash or `kill -9`
//! leaves either the old file or the new one, never half of one.
//!
//! Opening never fails: a missing file is a fresh start, and a file that is
//! corrupt, unreadable or from a newer nabla is moved aside (never deleted)
//! with a message saying where it went.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::{Progress, VERSION, now};
use crate::file::{PROGRESS_FILE_LIMIT, ReadError, read_regular};

/// The file name inside the data directory.
pub const FILE_NAME: &str = "progress.json";

/// Where the path is not given and no data directory can be found (no home
/// directory), progress is kept in this file in the current directory.
pub const FALLBACK_PATH: &str = "nabla-progress.json";

/// A progress record and the file it lives in.
#[derive(Clone, Debug)]
pub struct Store {
    pub path: PathBuf,
    pub progress: Progress,
}

/// Why a file's contents cannot be used.
enum Unusable {
    Corrupt(String),
    Newer(u64),
}

impl Store {
    /// A store with fresh progress at `path`; nothing is read or written.
    pub fn new(path: PathBuf) -> Store {
        Store {
            path,
            progress: Progress::new(),
        }
    }

    /// Opens the file (default: the platform data dir, e.g. ~/.local/share/nabla/progress.json,
    /// or `path` when given). A missing file is a fresh start. A corrupt file, or one with a
    /// newer version, is moved aside to `<file>.corrupt-<unix time>` / `<file>.newer-<unix time>`
    /// and the second value is a message for the user saying what happened and where the
    /// old file is. Never panics.
    pub fn open(path: Option<&Path>) -> (Store, Option<String>) {
        let mut notes = Vec::new();
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => Store::default_path().unwrap_or_else(|| {
                notes.push(format!(
                    "No data directory was found for this user, so progress is kept in {FALLBACK_PATH} in the current folder."
                ));
                PathBuf::from(FALLBACK_PATH)
            }),
        };
        remove_stale_temp_files(&path);
        let shown = path.display().to_string();
        // Only a regular file, and at most PROGRESS_FILE_LIMIT bytes: a FIFO
        // or a device is never opened (it could hang or never end).
        let progress = match read_regular(&path, PROGRESS_FILE_LIMIT) {
            Ok(bytes) => match parse(&bytes) {
                Ok(p) => p,
                Err(Unusable::Corrupt(why)) => {
                    notes.push(format!(
                        "Your progress file {shown} could not be read ({why}). {}",
                        moved(&path, "corrupt")
                    ));
                    Progress::new()
                }
                Err(Unusable::Newer(v)) => {
                    notes.push(format!(
                        "Your progress file {shown} was written by a newer nabla (format version {v}; this one reads version {VERSION}). {}",
                        moved(&path, "newer")
                    ));
                    Progress::new()
                }
            },
            Err(e) if e.is_not_found() => Progress::new(),
            Err(e @ ReadError::TooLarge(_)) => {
                // Kept, not overwritten: moved aside like a corrupt file.
                notes.push(format!(
                    "Your progress file {shown} was not read ({e}). {}",
                    moved(&path, "corrupt")
                ));
                Progress::new()
            }
            Err(e @ ReadError::NotAFile(_)) => {
                notes.push(format!(
                    "Your progress file {shown} was not read ({e}). nabla starts with fresh progress."
                ));
                Progress::new()
            }
            Err(ReadError::Io(e)) => {
                // A file we may not read is moved aside like a corrupt one; a
                // folder (a wrong --progress) is left where it is, and saving
                // will fail and say so.
                let what_next = if fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                    moved(&path, "corrupt")
                } else {
                    "nabla starts with fresh progress.".to_string()
                };
                notes.push(format!(
                    "Your progress file {shown} could not be opened ({e}). {what_next}"
                ));
                Progress::new()
            }
        };
        let message = (!notes.is_empty()).then(|| notes.join("\n"));
        (Store { path, progress }, message)
    }

    /// Writes atomically: a temp file in the same directory, fsync, rename (and fsync the
    /// directory on unix). Creates the directory if needed. The file is always
    /// written at the current [`VERSION`].
    pub fn save(&self) -> io::Result<()> {
        let mut bytes = if self.progress.version == VERSION {
            serde_json::to_vec_pretty(&self.progress)
        } else {
            let mut p = self.progress.clone();
            p.version = VERSION;
            serde_json::to_vec_pretty(&p)
        }
        .map_err(io::Error::other)?;
        bytes.push(b'\n');
        write_atomically(&self.path, &bytes)
    }

    /// Moves the file aside to `<file>.reset-<unix time>` (never deleting it)
    /// and starts fresh progress; returns where the old file went, or `None`
    /// when there was no file. Nothing is written until [`Store::save`].
    pub fn reset(&mut self) -> io::Result<Option<PathBuf>> {
        let aside = if fs::symlink_metadata(&self.path).is_ok() {
            Some(set_aside(&self.path, "reset")?)
        } else {
            None
        };
        self.progress = Progress::new();
        Ok(aside)
    }

    /// `<data dir>/progress.json`, e.g. `~/.local/share/nabla/progress.json`
    /// on Linux; `None` when the platform has no home directory to offer.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "nabla").map(|d| d.data_dir().join(FILE_NAME))
    }
}

/// Reads a progress file's bytes: JSON, a known format version, the right types.
fn parse(bytes: &[u8]) -> Result<Progress, Unusable> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Unusable::Corrupt(if bytes.iter().all(u8::is_ascii_whitespace) {
            "it is empty".to_string()
        } else {
            format!("it is not valid JSON: {e}")
        })
    })?;
    let version = match value.get("version") {
        Some(v) => v.as_u64().ok_or_else(|| {
            Unusable::Corrupt(format!("its format version is not a whole number: {v}"))
        })?,
        None => return Err(Unusable::Corrupt("it has no format version".to_string())),
    };
    if version > u64::from(VERSION) {
        return Err(Unusable::Newer(version));
    }
    if version < u64::from(VERSION) {
        return Err(Unusable::Corrupt(format!(
            "format version {version} is not one nabla has written"
        )));
    }
    let mut progress: Progress = serde_json::from_value(value)
        .map_err(|e| Unusable::Corrupt(format!("its contents do not fit: {e}")))?;
    progress.version = VERSION;
    Ok(progress)
}

/// Moves the file aside and says so, in a sentence for the message.
fn moved(path: &Path, tag: &str) -> String {
    match set_aside(path, tag) {
        Ok(aside) => format!(
            "It was moved to {} and nabla starts with fresh progress.",
            aside.display()
        ),
        Err(e) => format!(
            "It could not be moved aside ({e}); nabla starts with fresh progress, which will replace it when saved."
        ),
    }
}

/// Renames `path` to `<path>.<tag>-<unix time>` (with `-2`, `-3`… when that
/// is taken); falls back to a copy when the rename is refused.
fn set_aside(path: &Path, tag: &str) -> io::Result<PathBuf> {
    let stamp = now();
    let mut aside = None;
    for n in 1..1000 {
        let mut name: OsString = path.as_os_str().to_owned();
        name.push(format!(".{tag}-{stamp}"));
        if n > 1 {
            name.push(format!("-{n}"));
        }
        let candidate = PathBuf::from(name);
        if fs::symlink_metadata(&candidate).is_err() {
            aside = Some(candidate);
            break;
        }
    }
    let aside = aside.ok_or_else(|| io::Error::other("too many files set aside already"))?;
    match fs::rename(path, &aside) {
        Ok(()) => Ok(aside),
        Err(rename_err) => match fs::copy(path, &aside) {
            Ok(_) => Ok(aside),
            Err(_) => Err(rename_err),
        },
    }
}

/// The directory a file lives in (`.` for a bare file name).
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The prefix of this file's temp files: `.<name>.tmp-`.
fn temp_prefix(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    Some(format!(".{name}.tmp-"))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Temp file, write, fsync, rename over `path`, fsync the directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Write through a symlink to its target rather than replacing the link,
    // a dangling one included (its target is created).
    let target = link_target(path);
    // Never replace what is not a progress file: a FIFO, a device, a folder.
    if fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file: not saved there",
                target.display()
            ),
        ));
    }
    let dir = dir_of(&target);
    let prefix = temp_prefix(&target).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file name", target.display()),
        )
    })?;
    fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        "{prefix}{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        keep_mode(&file, &target)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    // Make the rename itself durable. Some file systems refuse to fsync a
    // directory; the new file is in place by now either way.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Where a save of `path` writes: `path` itself, or the file a symlink (a
/// chain of them) points to, whether or not that file exists yet.
fn link_target(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // A loop of links ends here too: the save then fails on the link itself.
    for _ in 0..40 {
        if !fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
            break;
        }
        let Ok(to) = fs::read_link(&p) else { break };
        p = if to.is_absolute() {
            to
        } else {
            dir_of(&p).join(to)
        };
    }
    p
}

/// Gives the new file the permissions of the one it replaces (a student's
/// 0600 stays 0600), and a new progress file 0600: it is nobody else's
/// business. Set on the open file, so the umask does not apply.
#[cfg(unix)]
fn keep_mode(file: &fs::File, target: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(target).map_or(0o600, |m| m.permissions().mode() & 0o7777);
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn keep_mode(_file: &fs::File, _target: &Path) -> io::Result<()> {
    Ok(())
}

/// Removes temp files left by a save that was killed mid-write (older than a
/// minute, so a save in progress elsewhere is left alone). Best effort.
fn remove_stale_temp_files(path: &Path) {
    let Some(prefix) = temp_prefix(path) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return;
    };
    let cutoff = SystemTime::now() - Duration::from_secs(60);
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < cutoff);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "nabla-store-unit-{}-{name}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn parse_sorts_files_into_good_corrupt_and_newer() {
        assert!(parse(br#"{"version": 1}"#).is_ok());
        assert!(matches!(parse(b""), Err(Unusable::Corrupt(m)) if m == "it is empty"));
        assert!(matches!(
            parse(b"{\"version\": 1, \"exer"),
            Err(Unusable::Corrupt(_))
        ));
        assert!(matches!(parse(b"[1, 2]"), Err(Unusable::Corrupt(_))));
        assert!(matches!(
            parse(br#"{"version": "1"}"#),
            Err(Unusable::Corrupt(_))
        ));
        assert!(matches!(
            parse(br#"{"version": 0}"#),
            Err(Unusable::Corrupt(_))
        ));
        assert!(matches!(
            parse(br#"{"version": 1, "exercises": {"a/b": {"attempts": "many"}}}"#),
            Err(Unusable::Corrupt(_))
        ));
        assert!(matches!(
            parse(br#"{"version": 7}"#),
            Err(Unusable::Newer(7))
        ));
    }

    #[test]
    fn a_bare_file_name_saves_in_the_current_folder_form() {
        assert_eq!(dir_of(Path::new("p.json")), Path::new("."));
        assert_eq!(dir_of(Path::new("/a/p.json")), Path::new("/a"));
        assert_eq!(temp_prefix(Path::new("/a/p.json")).unwrap(), ".p.json.tmp-");
    }

    #[test]
    fn set_aside_never_overwrites() {
        let dir = scratch("aside");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.json");
        fs::write(&file, "one").unwrap();
        let a = set_aside(&file, "reset").unwrap();
        fs::write(&file, "two").unwrap();
        let b = set_aside(&file, "reset").unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read_to_string(&a).unwrap(), "one");
        assert_eq!(fs::read_to_string(&b).unwrap(), "two");
        assert!(!file.exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn saving_creates_the_folder_and_follows_symlinks() {
        let dir = scratch("save");
        let file = dir.join("deep/er/p.json");
        let mut store = Store::new(file.clone());
        store.progress.record_answer("l/e", 1, true, None, 0, 5);
        store.save().unwrap();
        let (back, msg) = Store::open(Some(&file));
        assert_eq!(msg, None);
        assert_eq!(back.progress, store.progress);
        #[cfg(unix)]
        {
            let link = dir.join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let mut via_link = Store::open(Some(&link)).0;
            via_link.progress.record_hint("l/e", 3);
            via_link.save().unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(Store::open(Some(&file)).0.progress, via_link.progress);
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
