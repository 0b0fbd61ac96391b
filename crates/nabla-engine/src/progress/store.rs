//! The progress database on disk: where it is (the platform's data
//! directory, or `--progress FILE`), opening it safely, and the queue of
//! writes. Each change is applied to the in-memory view at once and queued;
//! [`Store::save`] writes the queue in one short transaction (an insert per
//! answer, never a rewrite), so the tutor can draw the verdict first and
//! save right after, and a crash loses at most what was not yet saved.
//!
//! Opening never fails: a missing file is a fresh start (created at the
//! first save, mode 0600); a JSON file of an earlier release is imported
//! and kept aside, renamed; a file that is corrupt, unreadable or from a
//! newer nabla is moved aside (never deleted) with a message saying where it
//! went; a FIFO, a device or a folder is never opened and never replaced. A
//! symlink is followed: the database is its target.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;

use super::db::{self, Event, SCHEMA_VERSION, Unusable};
use super::history::{self, LoggedAttempt, LoggedReview};
use super::import::{Unreadable, looks_like_json, parse_json};
use super::{Attempt, Progress, QuizRecord, Rating, now};
use crate::file::{PROGRESS_FILE_LIMIT, ReadError, read_regular};

/// The database's name inside the data directory.
pub const FILE_NAME: &str = "progress.db";

/// The JSON file earlier releases kept in the data directory; imported once.
pub const LEGACY_FILE_NAME: &str = "progress.json";

/// Where the path is not given and no data directory can be found (no home
/// directory), progress is kept in this file in the current directory.
pub const FALLBACK_PATH: &str = "nabla-progress.db";

/// The first bytes of every SQLite database.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A student's progress: the view, the file it lives in, and the writes
/// not yet saved.
pub struct Store {
    pub path: PathBuf,
    progress: Progress,
    pending: Vec<Event>,
    /// Opened at the first save when there was no file yet.
    conn: Option<Connection>,
    /// Why nothing may be saved at `path` (it is not a regular file).
    refused: Option<String>,
    /// `PRAGMA data_version` when the view was last read or written.
    seen: Option<i64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("pending", &self.pending.len())
            .field("open", &self.conn.is_some())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A store with fresh progress at `path`; nothing is read or written
    /// until the first save.
    pub fn new(path: PathBuf) -> Store {
        Store {
            path,
            progress: Progress::new(),
            pending: Vec::new(),
            conn: None,
            refused: None,
            seen: None,
        }
    }

    /// The progress as of the last save or refresh, with the changes since.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Opens the database (default: the platform data dir, e.g.
    /// ~/.local/share/nabla/progress.db, or `path` when given). The second
    /// value is a message for the user when something had to be done about
    /// the file: imported, moved aside, refused. Never panics.
    pub fn open(path: Option<&Path>) -> (Store, Option<String>) {
        let mut notes = Vec::new();
        let (path, legacy) = match path {
            Some(p) => (p.to_path_buf(), None),
            None => match Store::default_path() {
                Some(p) => {
                    let legacy = p.with_file_name(LEGACY_FILE_NAME);
                    (p, Some(legacy))
                }
                None => {
                    notes.push(format!(
                        "No data directory was found for this user, so progress is kept in {FALLBACK_PATH} in the current folder."
                    ));
                    (PathBuf::from(FALLBACK_PATH), None)
                }
            },
        };
        let mut store = Store::new(path);
        let target = link_target(&store.path);
        remove_stale_temp_files(&target);
        // The default database does not exist yet but an earlier release's
        // JSON file sits beside it: bring it in.
        if let Some(legacy) = legacy
            && fs::symlink_metadata(&target).is_err()
            && fs::metadata(&legacy).is_ok_and(|m| m.is_file())
        {
            store.take_json(&legacy, &target, &mut notes);
        }
        store.open_target(&target, &mut notes);
        let message = (!notes.is_empty()).then(|| notes.join("\n"));
        (store, message)
    }

    /// Opens what is at `target` (the path with symlinks followed).
    fn open_target(&mut self, target: &Path, notes: &mut Vec<String>) {
        let shown = self.path.display().to_string();
        let meta = match fs::metadata(target) {
            Ok(m) => m,
            // Nothing there yet: created at the first save.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => {
                notes.push(format!(
                    "Your progress file {shown} could not be opened ({e}). nabla starts with fresh progress."
                ));
                return;
            }
        };
        if !meta.is_file() {
            let why = format!("{} is not a regular file", target.display());
            notes.push(format!(
                "Your progress file {shown} was not read ({why}). nabla starts with fresh progress, and will not save it there."
            ));
            self.refused = Some(format!("{why}: not saved there"));
            return;
        }
        let mut head = Vec::with_capacity(16);
        let read = fs::File::open(target).and_then(|f| f.take(16).read_to_end(&mut head));
        if let Err(e) = read {
            let what = self.moved(target, "corrupt");
            notes.push(format!(
                "Your progress file {shown} could not be opened ({e}). {what}"
            ));
            return;
        }
        if head.is_empty() || head.starts_with(SQLITE_MAGIC) {
            self.connect_existing(target, notes);
        } else if looks_like_json(&head) {
            self.take_json(target, target, notes);
            if fs::metadata(target).is_ok() {
                self.connect_existing(target, notes);
            }
        } else {
            let what = self.moved(target, "corrupt");
            notes.push(format!(
                "Your progress file {shown} could not be read (it is neither a nabla database nor a progress file). {what}"
            ));
        }
    }

    /// Connects to the database at `target` and reads the view; a corrupt or
    /// newer one is moved aside.
    fn connect_existing(&mut self, target: &Path, notes: &mut Vec<String>) {
        let shown = self.path.display().to_string();
        let opened = db::connect(target).and_then(|mut c| match db::load(&mut c) {
            Ok(p) => Ok((c, p)),
            Err(e) if db::is_busy(&e) => Err(Unusable::Busy(e.to_string())),
            Err(e) => Err(Unusable::Corrupt(e.to_string())),
        });
        match opened {
            Ok((conn, progress)) => {
                self.seen = db::data_version(&conn).ok();
                self.progress = progress;
                self.conn = Some(conn);
            }
            Err(Unusable::Corrupt(why)) => {
                let what = self.moved(target, "corrupt");
                notes.push(format!(
                    "Your progress file {shown} could not be read ({why}). {what}"
                ));
            }
            // In use, not broken: left where it is, and tried again at the
            // next save.
            Err(Unusable::Busy(why)) => {
                notes.push(format!(
                    "Your progress file {shown} is locked by another program ({why}); it is left as it is and tried again when your next answer is saved."
                ));
            }
            Err(Unusable::Newer(v)) => {
                let what = self.moved(target, "newer");
                notes.push(format!(
                    "Your progress file {shown} was written by a newer nabla (schema version {v}; this one reads version {SCHEMA_VERSION}). {what}"
                ));
            }
        }
    }

    /// Imports the JSON file at `json` into a new database at `target` (the
    /// same path, or the default database beside it). The database is built
    /// under a temporary name and renamed into place only when whole, after
    /// the JSON file is moved aside: a crash in between leaves the JSON file
    /// where it was, to be imported next time.
    fn take_json(&mut self, json: &Path, target: &Path, notes: &mut Vec<String>) {
        let shown = json.display().to_string();
        let progress = match read_regular(json, PROGRESS_FILE_LIMIT).map_err(|e| match e {
            ReadError::Io(e) => Unreadable::Corrupt(e.to_string()),
            other => Unreadable::Corrupt(other.to_string()),
        }) {
            Ok(bytes) => parse_json(&bytes),
            Err(e) => Err(e),
        };
        let progress = match progress {
            Ok(p) => p,
            Err(Unreadable::Corrupt(why)) => {
                let what = self.moved(json, "corrupt");
                notes.push(format!(
                    "Your progress file {shown} could not be read ({why}). {what}"
                ));
                return;
            }
            Err(Unreadable::Newer(v)) => {
                let what = self.moved(json, "newer");
                notes.push(format!(
                    "Your progress file {shown} was written by a newer nabla (format version {v}; this one reads version 1). {what}"
                ));
                return;
            }
        };
        let mode = file_mode(json);
        let built = (|| -> io::Result<PathBuf> {
            let temp = temp_name(target, "import")?;
            create_file(&temp, mode)?;
            let result = db::connect(&temp)
                .map_err(unusable_to_io)
                .and_then(|mut c| {
                    db::import(&mut c, &progress, &shown, now()).map_err(io::Error::other)?;
                    db::checkpoint(&c);
                    Ok(())
                });
            if let Err(e) = result {
                remove_db_files(&temp);
                return Err(e);
            }
            Ok(temp)
        })();
        let temp = match built {
            Ok(t) => t,
            Err(e) => {
                notes.push(format!(
                    "Your progress file {shown} could not be brought into the database ({e}); it is left as it is, and nabla starts with fresh progress."
                ));
                self.refused = (json == target)
                    .then(|| "the old progress file is still there: not saved over it".to_string());
                return;
            }
        };
        match set_aside(json, "imported") {
            Ok(aside) => match fs::rename(&temp, target) {
                Ok(()) => notes.push(format!(
                    "Your progress from {shown} was brought into the database {}; the JSON file was kept as {}.",
                    target.display(),
                    aside.display()
                )),
                Err(e) => {
                    remove_db_files(&temp);
                    notes.push(format!(
                        "Your progress from {shown} could not be put in place ({e}); the JSON file was kept as {}.",
                        aside.display()
                    ));
                }
            },
            // Another nabla imported it first: use its database.
            Err(_) => remove_db_files(&temp),
        }
    }

    /// Moves `file` aside and says so, in a sentence for the message.
    fn moved(&mut self, file: &Path, tag: &str) -> String {
        self.conn = None;
        match set_aside(file, tag) {
            Ok(aside) => format!(
                "It was moved to {} and nabla starts with fresh progress.",
                aside.display()
            ),
            Err(e) => {
                self.refused = Some(format!(
                    "the unreadable file could not be moved aside ({e}): not saved over it"
                ));
                format!(
                    "It could not be moved aside ({e}); nabla starts with fresh progress and will not save over it."
                )
            }
        }
    }

    fn queue(&mut self, e: Event) {
        apply(&mut self.progress, &e);
        self.pending.push(e);
    }

    /// A graded answer.
    pub fn record_attempt(&mut self, a: Attempt) {
        self.queue(Event::Attempt(a));
    }

    /// `shown` hints are now showing for the exercise.
    pub fn record_hint(&mut self, exercise: &str, shown: u32, at: i64) {
        self.queue(Event::Hint {
            exercise: exercise.to_string(),
            shown,
            at,
        });
    }

    /// The worked solution was shown.
    pub fn record_gave_up(&mut self, exercise: &str, at: i64) {
        self.queue(Event::Solution {
            exercise: exercise.to_string(),
            at,
        });
    }

    /// A go at the exercise is settled: schedule its next review.
    pub fn review(&mut self, exercise: &str, rating: Rating, at: i64) {
        self.queue(Event::Review {
            exercise: exercise.to_string(),
            rating,
            at,
        });
    }

    /// A lesson was read up to `position`; it is the one to continue.
    pub fn open_lesson(&mut self, lesson: &str, position: usize) {
        self.queue(Event::Lesson {
            lesson: lesson.to_string(),
            position,
        });
    }

    /// The lesson to continue, without a reading position.
    pub fn set_last_lesson(&mut self, lesson: &str) {
        self.queue(Event::LastLesson(lesson.to_string()));
    }

    pub fn record_quiz(&mut self, q: QuizRecord) {
        self.queue(Event::Quiz(q));
    }

    /// Whether there are changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Writes the changes since the last save in one transaction, creating
    /// the file (0600) and its folder if need be. On failure the changes
    /// stay queued for the next save.
    pub fn save(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.connection()?;
        let conn = self.conn.as_mut().expect("connected above");
        let cards = db::write(conn, &self.pending).map_err(io::Error::other)?;
        let version = db::data_version(conn).ok();
        self.pending.clear();
        for (id, card) in cards {
            self.progress.exercises.entry(id).or_default().card = Some(card);
        }
        // Another process wrote since we last looked: read the view again.
        if version != self.seen {
            self.reload()?;
        }
        Ok(())
    }

    /// Reads the view again if another process has written since (cheap
    /// when nobody has: one pragma), connecting first if the file has been
    /// created meanwhile.
    pub fn refresh(&mut self) -> io::Result<()> {
        if self.conn.is_none() {
            if self.refused.is_some() || fs::metadata(link_target(&self.path)).is_err() {
                return Ok(());
            }
            self.connection()?;
        }
        let Some(conn) = &self.conn else {
            return Ok(());
        };
        let version = db::data_version(conn).ok();
        if version != self.seen || version.is_none() {
            self.reload()?;
        }
        Ok(())
    }

    fn reload(&mut self) -> io::Result<()> {
        let Some(conn) = &mut self.conn else {
            return Ok(());
        };
        let mut p = db::load(conn).map_err(io::Error::other)?;
        self.seen = db::data_version(conn).ok();
        for e in &self.pending {
            apply(&mut p, e);
        }
        self.progress = p;
        Ok(())
    }

    /// The open connection, opening (and creating) the file if need be.
    fn connection(&mut self) -> io::Result<&mut Connection> {
        if let Some(why) = &self.refused {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, why.clone()));
        }
        if self.conn.is_none() {
            let target = link_target(&self.path);
            if fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{} is not a regular file: not saved there",
                        target.display()
                    ),
                ));
            }
            let fresh = fs::symlink_metadata(&target).is_err();
            if fresh {
                create_file(&target, 0o600)?;
            }
            let mut conn = db::connect(&target).map_err(unusable_to_io)?;
            // Another nabla may have created the file (and written to it)
            // since this one opened: read the view from it, whatever it was.
            let mut p = db::load(&mut conn).map_err(io::Error::other)?;
            for e in &self.pending {
                apply(&mut p, e);
            }
            self.progress = p;
            self.seen = db::data_version(&conn).ok();
            self.conn = Some(conn);
        }
        Ok(self.conn.as_mut().expect("connected above"))
    }

    /// Every graded answer, oldest first, of one lesson or all.
    pub fn history(&mut self, lesson: Option<&str>) -> io::Result<Vec<LoggedAttempt>> {
        self.save()?;
        match &self.conn {
            Some(c) => history::attempts(c, lesson).map_err(io::Error::other),
            None => Ok(Vec::new()),
        }
    }

    /// Every review, oldest first.
    pub fn reviews(&mut self) -> io::Result<Vec<LoggedReview>> {
        self.save()?;
        match &self.conn {
            Some(c) => history::reviews(c).map_err(io::Error::other),
            None => Ok(Vec::new()),
        }
    }

    /// Moves the database aside to `<file>.reset-<unix time>` (never
    /// deleting it; its WAL is folded in first so the copy is whole) and
    /// starts fresh progress; returns where the old file went, or `None`
    /// when there was no file.
    pub fn reset(&mut self) -> io::Result<Option<PathBuf>> {
        if let Some(c) = self.conn.take() {
            db::checkpoint(&c);
        }
        let target = link_target(&self.path);
        let aside = if fs::symlink_metadata(&target).is_ok() {
            Some(set_aside(&target, "reset")?)
        } else {
            None
        };
        self.progress = Progress::new();
        self.pending.clear();
        self.seen = None;
        Ok(aside)
    }

    /// `<data dir>/progress.db`, e.g. `~/.local/share/nabla/progress.db`
    /// on Linux; `None` when the platform has no home directory to offer.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "nabla").map(|d| d.data_dir().join(FILE_NAME))
    }
}

/// An event's effect on the view, as the database's triggers have it.
fn apply(p: &mut Progress, e: &Event) {
    match e {
        Event::Attempt(a) => p.apply(a),
        Event::Hint {
            exercise, shown, ..
        } => p.record_hint(exercise, *shown),
        Event::Solution { exercise, .. } => p.record_gave_up(exercise),
        Event::Review {
            exercise,
            rating,
            at,
        } => p.review(exercise, *rating, *at),
        Event::Lesson { lesson, position } => p.open_lesson(lesson, *position),
        Event::LastLesson(l) => p.last_lesson = Some(l.clone()),
        Event::Quiz(q) => p.record_quiz(q.clone()),
    }
}

fn unusable_to_io(u: Unusable) -> io::Error {
    match u {
        Unusable::Corrupt(why) | Unusable::Busy(why) => io::Error::other(why),
        Unusable::Newer(v) => {
            io::Error::other(format!("written by a newer nabla (schema version {v})"))
        }
    }
}

/// Renames `path` to `<path>.<tag>-<unix time>` (with `-2`, `-3`… when that
/// is taken), its WAL along with it; falls back to a copy when the rename is
/// refused. The shared-memory index (`-shm`) holds no data and is removed.
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
        Ok(()) => {}
        Err(rename_err) => {
            if fs::copy(path, &aside).is_err() {
                return Err(rename_err);
            }
        }
    }
    let wal = suffixed(path, "-wal");
    if fs::symlink_metadata(&wal).is_ok() {
        let _ = fs::rename(&wal, suffixed(&aside, "-wal"));
    }
    let _ = fs::remove_file(suffixed(path, "-shm"));
    Ok(aside)
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A database built under a temporary name and its WAL, gone.
fn remove_db_files(path: &Path) {
    let _ = fs::remove_file(path);
    let _ = fs::remove_file(suffixed(path, "-wal"));
    let _ = fs::remove_file(suffixed(path, "-shm"));
}

/// The directory a file lives in (`.` for a bare file name).
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The prefix of this file's temp files: `.<name>.<what>-`.
fn temp_prefix(path: &Path, what: &str) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    Some(format!(".{name}.{what}-"))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn temp_name(target: &Path, what: &str) -> io::Result<PathBuf> {
    let prefix = temp_prefix(target, what).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file name", target.display()),
        )
    })?;
    Ok(dir_of(target).join(format!(
        "{prefix}{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    )))
}

/// Creates an empty file (and its folder) with `mode`, set on the open file
/// so the umask does not apply: a student's progress is nobody else's
/// business. SQLite gives its WAL the same mode. A file that appeared
/// meanwhile (another nabla) is left as it is.
fn create_file(path: &Path, mode: u32) -> io::Result<()> {
    fs::create_dir_all(dir_of(path))?;
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => set_mode(&f, mode),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn set_mode(f: &fs::File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_f: &fs::File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// The permission bits of an existing file (0600 when unknown), kept when
/// its contents move to a new file.
fn file_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).map_or(0o600, |m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

/// Where `path` really is: itself, or the file a symlink (a chain of them)
/// points to, whether or not that file exists yet. SQLite keeps its WAL
/// beside the database, so it is given the target, not the link.
fn link_target(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // A loop of links ends here too: opening then fails on the link itself.
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

/// Removes temp files left by a killed import or by the JSON saves of
/// earlier releases (older than a minute, so one in progress elsewhere is
/// left alone). Best effort.
fn remove_stale_temp_files(path: &Path) {
    let prefixes: Vec<String> = ["tmp", "import"]
        .iter()
        .filter_map(|w| temp_prefix(path, w))
        .collect();
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return;
    };
    let cutoff = SystemTime::now() - Duration::from_secs(60);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = prefixes.iter().any(|p| name.starts_with(p))
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
    fn a_bare_file_name_lives_in_the_current_folder() {
        assert_eq!(dir_of(Path::new("p.db")), Path::new("."));
        assert_eq!(dir_of(Path::new("/a/p.db")), Path::new("/a"));
        assert_eq!(
            temp_prefix(Path::new("/a/p.db"), "import").unwrap(),
            ".p.db.import-"
        );
    }

    #[test]
    fn set_aside_never_overwrites_and_takes_the_wal_along() {
        let dir = scratch("aside");
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.db");
        fs::write(&file, "one").unwrap();
        fs::write(suffixed(&file, "-wal"), "log").unwrap();
        let a = set_aside(&file, "reset").unwrap();
        fs::write(&file, "two").unwrap();
        let b = set_aside(&file, "reset").unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read_to_string(&a).unwrap(), "one");
        assert_eq!(fs::read_to_string(suffixed(&a, "-wal")).unwrap(), "log");
        assert_eq!(fs::read_to_string(&b).unwrap(), "two");
        assert!(!file.exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_view_kept_in_memory_is_the_one_read_back() {
        let dir = scratch("view");
        let file = dir.join("deep/er/p.db");
        let mut store = Store::new(file.clone());
        let mut a = Attempt {
            at: 5,
            exercise: "l/e".into(),
            lesson_file: Some("l.toml".into()),
            exercise_version: Some("00ff".into()),
            seed: u64::MAX,
            step: None,
            answer: "x'".into(),
            correct: false,
            completes: false,
            kind: Some(super::super::MistakeKind::Transpose),
            mistake: Some(0),
            hints: 1,
            solution: false,
            millis: Some(1200),
        };
        store.record_attempt(a.clone());
        a.correct = true;
        a.completes = true;
        a.kind = None;
        store.record_attempt(a);
        store.record_hint("l/f", 2, 6);
        store.record_gave_up("l/f", 7);
        store.review("l/f", Rating::Again, 7);
        store.open_lesson("l", 3);
        store.save().unwrap();
        let (back, msg) = Store::open(Some(&file));
        assert_eq!(msg, None);
        assert_eq!(back.progress(), store.progress());
        assert_eq!(back.progress().exercises["l/e"].last_seed, Some(u64::MAX));
        let _ = fs::remove_dir_all(&dir);
    }
}
