//! Bounded reads of files nabla does not control (lesson files, the
//! progress file): only regular files, and at most a given number of bytes.
//! A FIFO, a device such as `/dev/zero`, a socket or a folder is refused
//! before it is opened (no read can hang on it or grow without end), and a
//! file larger than the limit is refused from its size without being read.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// The largest lesson file nabla reads (4 MiB; the built-in lessons are
/// under 50 KB each).
pub const LESSON_FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// The largest progress file nabla reads (64 MiB; a year of daily study
/// writes well under 1 MB).
pub const PROGRESS_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file system's own error (not found, permission denied, …).
    Io(io::Error),
    /// Not a regular file: "a folder", "a named pipe (FIFO)", …
    NotAFile(&'static str),
    /// Larger than the limit (in bytes).
    TooLarge(u64),
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotAFile(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(limit) => write!(
                f,
                "it is larger than {}, the most nabla reads",
                size_in_words(*limit)
            ),
        }
    }
}

/// "4 MB", "64 MB", "512 bytes".
pub fn size_in_words(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

/// What kind of thing a non-regular file is, in words.
fn kind_of(t: fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// The bytes of the regular file at `path` (symbolic links followed), if
/// it holds at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Looked at before opening: opening a FIFO for reading blocks until a
    // writer comes.
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    check(&meta, limit)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path become a FIFO between the look and the open, the
        // open returns at once instead of waiting for a writer (and the
        // check below refuses it). No effect on a regular file.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    check(&meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew since it was measured.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

fn check(meta: &fs::Metadata, limit: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("nabla-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn regular_files_within_the_limit_are_read() {
        let dir = scratch("ok");
        let p = dir.join("a.txt");
        fs::write(&p, "hello").unwrap();
        assert_eq!(read_regular(&p, 5).unwrap(), b"hello");
        assert!(matches!(read_regular(&p, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            read_regular(&dir, 100),
            Err(ReadError::NotAFile("a folder"))
        ));
        assert!(
            read_regular(&dir.join("missing"), 100)
                .unwrap_err()
                .is_not_found()
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let e = read_regular(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(e.to_string(), "it is a device, not a regular file");
        let dir = scratch("fifo");
        let fifo = dir.join("p");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_regular(&fifo, 100).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is a named pipe (FIFO), not a regular file"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_in_words(LESSON_FILE_LIMIT), "4 MB");
        assert_eq!(size_in_words(100), "100 bytes");
    }
}
