//! Loading a course: the lesson files built into the binary, or those of a
//! folder (`--lessons DIR`), ordered by their `order` field.
//!
//! The built-in course is parsed once, when nabla is built: `build.rs` checks
//! every file of `lessons/` against the schema and stores the parsed lessons
//! (postcard, spans included) next to their TOML text. Starting a command
//! then costs a deserialization of that compact form instead of a TOML parse
//! (about 1.9 ms, most of `nabla list`). A folder's lessons are parsed here,
//! at run time.

use std::path::Path;

use super::schema::{FORMAT, FormatOnly, LessonFile};
use super::source::{LessonError, SourceFile};
use crate::file::{LESSON_FILE_LIMIT, ReadError, read_regular};

/// The built-in course, embedded so nabla works from any directory:
/// `FILES`, the TOML text, and `COMPACT`, the same lessons parsed.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_course.rs"));
}

/// A parsed lesson and the file it came from.
#[derive(Clone, Debug)]
pub struct Lesson {
    pub file: SourceFile,
    pub data: LessonFile,
}

impl Lesson {
    pub fn id(&self) -> &str {
        self.data.id.get_ref()
    }

    pub fn title(&self) -> &str {
        self.data.title.get_ref()
    }
}

/// The lessons that loaded, in course order, and the errors of those that did not.
#[derive(Clone, Debug, Default)]
pub struct Course {
    pub lessons: Vec<Lesson>,
    pub errors: Vec<LessonError>,
}

impl Course {
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id() == id)
    }

    #[cfg(test)]
    fn from_files(files: Vec<SourceFile>) -> Course {
        Course::from_parsed(files.into_iter().map(parse_lesson))
    }

    /// The lessons in course order; a lesson whose id an earlier file has
    /// taken, and a file that did not parse, are errors.
    fn from_parsed(parsed: impl IntoIterator<Item = Result<Lesson, LessonError>>) -> Course {
        let mut course = Course::default();
        for parsed in parsed {
            match parsed {
                Ok(l) => {
                    if let Some(other) = course.lesson(l.id()) {
                        // Both files named: with packs layered on the course,
                        // the other may be a built-in lesson or another pack's.
                        let message = format!(
                            "lesson id '{}' is also used by {}: ids must be unique across the course and every lesson pack",
                            l.id(),
                            other.file.name
                        );
                        course
                            .errors
                            .push(l.file.error_in(&l.data.id.span(), message));
                    } else {
                        course.lessons.push(l);
                    }
                }
                Err(e) => course.errors.push(e),
            }
        }
        course.lessons.sort_by(|a, b| {
            a.data
                .order
                .cmp(&b.data.order)
                .then_with(|| a.id().cmp(b.id()))
        });
        course
    }
}

/// The files of the built-in course, named as in the source tree and sorted
/// by name (their TOML text, for lint).
pub fn builtin_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(name, text)| SourceFile {
            name: (*name).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// The built-in course, from the form `build.rs` parsed it into: no TOML is
/// read here.
pub fn builtin() -> Course {
    let data: Vec<LessonFile> = postcard::from_bytes(embedded::COMPACT)
        .expect("the built-in course was serialized by build.rs with the same schema");
    assert_eq!(
        data.len(),
        embedded::FILES.len(),
        "one parsed lesson per file"
    );
    Course::from_parsed(
        builtin_files()
            .into_iter()
            .zip(data)
            .map(|(file, data)| Ok(Lesson { file, data })),
    )
}

/// An error about a whole file (one that could not be read), at 1:1.
fn file_error(path: &Path, message: String) -> LessonError {
    LessonError {
        file: path.display().to_string(),
        line: 1,
        column: 1,
        message,
        source_line: String::new(),
        source_skip: 0,
    }
}

/// Reads one file, if it is a regular file of at most
/// [`LESSON_FILE_LIMIT`] bytes of UTF-8; anything else is an error located
/// at 1:1 (or, for text that is not UTF-8, at the first byte that is not).
pub fn read_file(path: &Path) -> Result<SourceFile, LessonError> {
    read_as(path, path)
}

/// `read_file` of `path`, named `shown` in messages.
fn read_as(path: &Path, shown: &Path) -> Result<SourceFile, LessonError> {
    let name = shown.display().to_string();
    let bytes = read_regular(path, LESSON_FILE_LIMIT).map_err(|e| {
        file_error(
            shown,
            match e {
                ReadError::Io(e) => format!("cannot read the file: {e}"),
                e => format!("not read: {e}"),
            },
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { name, text }),
        // TOML is UTF-8; point at the first byte that is not.
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let file = SourceFile {
                name,
                text: String::from_utf8_lossy(&bytes[..good]).into_owned(),
            };
            Err(file.error_at(
                good,
                "the file is not UTF-8 text here: save it as UTF-8 (TOML requires it)",
            ))
        }
    }
}

/// The `.toml` files of a folder (not recursive), sorted by name, each read
/// or the reason it could not be: one bad file is one error, and the rest
/// still load. A symbolic link is followed only when it leads to a file
/// inside the folder (checked on its canonical path, which is then what is
/// read); a link out of the folder is an error that names the link, never
/// its target's contents. The outer error: the folder itself cannot be read.
pub fn folder_files(dir: &Path) -> Result<Vec<Result<SourceFile, LessonError>>, LessonError> {
    let folder_error =
        |e: std::io::Error| file_error(dir, format!("cannot read the lesson folder: {e}"));
    let entries = std::fs::read_dir(dir).map_err(folder_error)?;
    let inside = dir.canonicalize().map_err(folder_error)?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    Ok(paths.iter().map(|p| folder_file(p, &inside)).collect())
}

/// One `.toml` entry of a folder whose canonical path is `inside`.
fn folder_file(path: &Path, inside: &Path) -> Result<SourceFile, LessonError> {
    let link = std::fs::symlink_metadata(path)
        .map_err(|e| file_error(path, format!("cannot read the file: {e}")))?
        .file_type()
        .is_symlink();
    if !link {
        return read_as(path, path);
    }
    match path.canonicalize() {
        Ok(target) if target.starts_with(inside) => read_as(&target, path),
        Ok(_) => Err(file_error(
            path,
            "not read: it is a symbolic link to a file outside the lesson folder, and nabla does not follow those".to_string(),
        )),
        Err(e) => Err(file_error(
            path,
            format!("not read: it is a symbolic link that leads nowhere ({e})"),
        )),
    }
}

/// The course of a folder; a folder that cannot be read is one error, and
/// so is each file that cannot be read or does not load.
pub fn folder(dir: &Path) -> Course {
    match folder_files(dir) {
        Ok(files) => Course::from_parsed(files.into_iter().map(|f| f.and_then(parse_lesson))),
        Err(e) => Course {
            lessons: Vec::new(),
            errors: vec![e],
        },
    }
}

/// A course in layers: the built-in lessons (unless `builtin` is false),
/// then each folder's, in the order given (`--lessons A --lessons B`). A
/// lesson whose id an earlier layer has taken is an error naming both
/// files; the earlier lesson is kept.
pub fn layered(builtin: bool, dirs: &[&Path]) -> Course {
    let mut parsed: Vec<Result<Lesson, LessonError>> = Vec::new();
    if builtin {
        parsed.extend(self::builtin().lessons.into_iter().map(Ok));
    }
    for dir in dirs {
        match folder_files(dir) {
            Ok(files) => parsed.extend(
                files
                    .into_iter()
                    // The built-in lesson itself (a pack made by copying
                    // lessons/, or nabla's own lessons/ folder) is no clash.
                    .filter(|f| !(builtin && f.as_ref().is_ok_and(is_builtin_text)))
                    .map(|f| f.and_then(parse_lesson)),
            ),
            Err(e) => parsed.push(Err(e)),
        }
    }
    Course::from_parsed(parsed)
}

/// Whether `file` holds exactly the text of a built-in lesson file: the same
/// lesson, not another one with its id.
pub fn is_builtin_text(file: &SourceFile) -> bool {
    embedded::FILES.iter().any(|(_, text)| *text == file.text)
}

/// The built-in lesson files whose text one of `files` holds exactly.
pub fn builtin_names_among(files: &[SourceFile]) -> Vec<String> {
    embedded::FILES
        .iter()
        .filter(|(_, text)| files.iter().any(|f| f.text == *text))
        .map(|(name, _)| (*name).to_string())
        .collect()
}

/// The built-in course, or the folder's when one is given.
///
/// ```
/// let course = nabla_engine::lesson::load::course(None);
/// assert!(course.errors.is_empty());
/// assert!(course.lesson("backprop").is_some());
/// ```
pub fn course(dir: Option<&Path>) -> Course {
    match dir {
        Some(d) => folder(d),
        None => builtin(),
    }
}

/// Parses one lesson file: the format version first (a newer one is refused
/// plainly), then the whole schema, then the length of every text field
/// (`limits`; the first field too long is the error).
pub fn parse_lesson(file: SourceFile) -> Result<Lesson, LessonError> {
    let lesson = parse_schema(file)?;
    match super::limits::check(&lesson).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(lesson),
    }
}

/// `parse_lesson` without the length limits (lint reports them all).
pub fn parse_schema(file: SourceFile) -> Result<Lesson, LessonError> {
    let toml_error = |file: &SourceFile, e: toml::de::Error| {
        let at = e.span().map_or(0, |s| s.start);
        // Rust's names for number types mean nothing to an instructor.
        let message = e
            .message()
            .trim()
            .replace("expected i64", "expected a whole number")
            .replace("expected f64", "expected a number");
        file.error_at(at, message)
    };
    // One full parse; only when it fails is `format` read on its own, so a
    // file from a newer nabla is refused for its version, not for whatever
    // field that version added.
    let parsed = toml::from_str::<LessonFile>(&file.text);
    let format = match &parsed {
        Ok(data) => Some(data.format.clone()),
        Err(_) => toml::from_str::<FormatOnly>(&file.text)
            .ok()
            .and_then(|h| h.format),
    };
    match &format {
        Some(f) if *f.get_ref() > FORMAT => {
            return Err(file.error_in(
                &f.span(),
                format!(
                    "this lesson is written in format {}, but this nabla reads format {FORMAT} at most: update nabla",
                    f.get_ref()
                ),
            ));
        }
        Some(f) if *f.get_ref() < 1 => {
            return Err(file.error_in(
                &f.span(),
                format!(
                    "format {} does not exist; write `format = {FORMAT}`",
                    f.get_ref()
                ),
            ));
        }
        _ => {}
    }
    match parsed {
        Ok(data) => Ok(Lesson { file, data }),
        // Well-formed TOML without a version: say that before anything else.
        Err(_) if format.is_none() && toml::from_str::<FormatOnly>(&file.text).is_ok() => {
            Err(file.error_at(0, "missing field `format` (write `format = 1` at the top)"))
        }
        Err(e) => Err(toml_error(&file, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_course_loads_in_order() {
        let c = builtin();
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let ids: Vec<&str> = c.lessons.iter().map(Lesson::id).collect();
        assert_eq!(
            ids,
            [
                "notation",
                "scalar-by-vector",
                "vector-by-vector",
                "scalar-by-matrix",
                "chain-rule",
                "backprop"
            ]
        );
    }

    #[test]
    fn the_stored_course_is_the_course_parsed_from_its_text() {
        // The pre-parsed form must be what parsing the TOML gives, spans
        // included (Debug shows every field and span).
        let stored = builtin();
        let parsed = Course::from_files(builtin_files());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(stored.lessons.len(), parsed.lessons.len());
        for (s, p) in stored.lessons.iter().zip(&parsed.lessons) {
            assert_eq!(s.file.name, p.file.name);
            assert_eq!(s.file.text, p.file.text);
            assert_eq!(
                format!("{:?}", s.data),
                format!("{:?}", p.data),
                "{}",
                s.file.name
            );
        }
    }

    #[test]
    fn a_newer_format_is_refused_plainly() {
        let f = SourceFile {
            name: "x.toml".into(),
            text: "format = 2\nid = \"x\"\nnew_field = 1\n".into(),
        };
        let e = parse_lesson(f).unwrap_err();
        assert!(e.message.contains("format 2"), "{}", e.message);
        assert_eq!((e.line, e.column), (1, 10));
    }

    #[test]
    fn unknown_fields_are_located() {
        let f = SourceFile {
            name: "x.toml".into(),
            text: "format = 1\nid = \"x\"\ntitle = \"t\"\norder = 1\ncolour = 3\n".into(),
        };
        let e = parse_lesson(f).unwrap_err();
        assert!(
            e.message.contains("unknown field `colour`"),
            "{}",
            e.message
        );
        assert_eq!(e.line, 5);
    }
}
