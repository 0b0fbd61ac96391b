//! Build step: the built-in course (`lessons/*.toml`) is checked and stored
//! pre-parsed, so no command parses TOML when it starts.
//!
//! Every lesson file is parsed here with the crate's own schema (included by
//! path, the one definition of the format); a file that does not parse stops
//! the build with `file:line:column: message` and the source line, as
//! `nabla lint` prints it. The parsed lessons are written to `$OUT_DIR` in
//! postcard, with their spans, and `src/lesson/load.rs` embeds that and
//! the TOML text itself (still needed for spans: lint and error messages
//! quote the source line).
//!
//! Only parsing is checked here; `nabla lint` checks the mathematics.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The included modules are shared with the library, which uses all of them;
// this script uses only what it needs.
#[allow(dead_code)]
#[path = "src/lesson/schema.rs"]
mod schema;
#[allow(dead_code)]
#[path = "src/lesson/source.rs"]
mod source;
#[allow(dead_code)]
#[path = "src/lesson/spanned.rs"]
mod spanned;
// `source` quotes lines through the sanitiser.
#[allow(dead_code, unused_imports)]
#[path = "src/text/mod.rs"]
mod text;

use schema::{FORMAT, LessonFile};
use source::SourceFile;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    // The course stays at the repository root (`nabla lint`, the docs and the
    // tests read it there), two levels above this crate.
    let lessons = manifest.join("../../lessons");
    // A directory is watched whole: any file added, removed or changed in it.
    println!("cargo::rerun-if-changed=../../lessons");
    for f in ["schema.rs", "source.rs", "spanned.rs"] {
        println!("cargo::rerun-if-changed=src/lesson/{f}");
    }
    println!("cargo::rerun-if-changed=src/text");

    let mut paths: Vec<PathBuf> = std::fs::read_dir(&lessons)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", lessons.display()))
        .map(|e| e.expect("a readable lessons/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    paths.sort();

    let mut parsed: Vec<LessonFile> = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        let file = SourceFile {
            name: format!("lessons/{}", path.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {} as UTF-8: {e}", path.display())),
        };
        match parse(&file) {
            Ok(l) => parsed.push(l),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        // Cargo shows a failed build script's stderr; a panic would add a
        // backtrace that says nothing about the lesson.
        for e in &errors {
            eprintln!("{e}\n");
        }
        eprintln!(
            "error: {} built-in lesson file(s) in lessons/ do not parse (see above); \
             nabla embeds the course, so it does not build until they do",
            errors.len()
        );
        std::process::exit(1);
    }

    let compact = postcard::to_allocvec(&parsed).expect("the lessons serialize");
    std::fs::write(out.join("builtin-course.postcard"), compact).expect("OUT_DIR is writable");

    let mut code = String::from(
        "/// The built-in lesson files, `(name, TOML text)`, sorted by name: the\n\
         /// order of `COMPACT`'s lessons.\n\
         pub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy();
        let _ = writeln!(
            code,
            "    (\"lessons/{name}\", include_str!({:?})),",
            path_str(path)
        );
    }
    code.push_str(
        "];\n\n\
         /// The same lessons parsed, a postcard `Vec<LessonFile>`.\n\
         pub static COMPACT: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/builtin-course.postcard\"));\n",
    );
    std::fs::write(out.join("builtin_course.rs"), code).expect("OUT_DIR is writable");
}

/// As `load::parse_lesson` reads a file: the schema, then the format version.
fn parse(file: &SourceFile) -> Result<LessonFile, source::LessonError> {
    let data = toml::from_str::<LessonFile>(&file.text).map_err(|e| {
        let message = e
            .message()
            .trim()
            .replace("expected i64", "expected a whole number")
            .replace("expected f64", "expected a number");
        file.error_at(e.span().map_or(0, |s| s.start), message)
    })?;
    let format = *data.format.get_ref();
    if !(1..=FORMAT).contains(&format) {
        return Err(file.error_in(
            &data.format.span(),
            format!("format {format}: this nabla reads format 1 to {FORMAT}"),
        ));
    }
    Ok(data)
}

fn path_str(p: &Path) -> String {
    p.to_str()
        .unwrap_or_else(|| panic!("{} is not a UTF-8 path", p.display()))
        .to_string()
}
