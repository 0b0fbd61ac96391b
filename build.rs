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

use schema::{FORMAT, LessonFile};
use source::SourceFile;

fn main() {
    link_unwinder_statically();
    link_binary_statically();
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let lessons = root.join("lessons");
    // A directory is watched whole: any file added, removed or changed in it.
    println!("cargo::rerun-if-changed=lessons");
    for f in ["schema.rs", "source.rs", "spanned.rs"] {
        println!("cargo::rerun-if-changed=src/lesson/{f}");
    }

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

/// On Linux with glibc, the unwinder (`_Unwind_*`) is linked from libgcc's
/// static archive rather than from libgcc_s.so.1. Every start then skips
/// loading that library and its constructor, which probes the CPU with a
/// dozen `cpuid`s (each one a VM exit on a virtual machine): ~0.1–0.2 ms of a
/// ~1.3 ms `nabla check`. std still asks for `-lgcc_s`, but this archive
/// comes first on the link line, so the symbols are already defined there
/// and `--as-needed` (rustc's default) drops the shared library. Unwinding
/// itself is unchanged: the same libgcc code, linked in. The archive ships
/// with gcc, which Rust already needs on Linux to link.
fn link_unwinder_statically() {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !var("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static")
    {
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}

/// On Linux with glibc, the `nabla` binary is linked statically
/// (`-static-pie`, so it keeps address-space randomisation) when
/// `tools/linker.sh` is the linker (`.cargo/config.toml`) and a static libc
/// is installed (`libc.a`, from the C library's development package, which
/// gcc needs anyway on Debian and most distributions). The script turns the
/// rest of the link line static; this only asks for it, for the binaries
/// alone (tests, benches and proc macros link as before). Without `libc.a`,
/// or with `NABLA_LINK_DYNAMIC=1`, the binary is linked dynamically as
/// usual: start-up is ~0.3 ms slower, nothing else changes.
fn link_binary_statically() {
    println!("cargo::rerun-if-env-changed=NABLA_LINK_DYNAMIC");
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let ours = var("RUSTC_LINKER").ends_with("tools/linker.sh");
    if ours
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("NABLA_LINK_DYNAMIC") != "1"
        && static_libc_installed()
    {
        println!("cargo::rustc-link-arg-bins=-static-pie");
    }
}

/// Whether the C compiler finds `libc.a`: `cc -print-file-name` answers with
/// a full path when it does and with the bare name when it does not.
fn static_libc_installed() -> bool {
    let cc = std::env::var("NABLA_CC").unwrap_or_else(|_| "cc".into());
    std::process::Command::new(cc)
        .arg("-print-file-name=libc.a")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|p| Path::new(p.trim()).is_absolute() && Path::new(p.trim()).is_file())
}
