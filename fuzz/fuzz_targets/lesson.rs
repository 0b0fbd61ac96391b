//! Fuzzes lesson loading and lint on a lesson file's text (what a stranger's
//! lesson pack hands nabla): `parse_lesson` never panics and locates its
//! errors inside the file; a lesson that parses is linted, and every lint
//! error is located inside the file too.
//!
//! Lint grades answers on drawn instances, so only cheap inputs are linted:
//! at most `MAX_LEN` bytes, and no whole number above 16 (see
//! `nabla_fuzz::small_numbers`), which keeps sizes symbolic and small.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nabla_engine::lesson::lint::lint_lesson;
use nabla_engine::lesson::load::parse_lesson;
use nabla_engine::lesson::{LessonError, SourceFile};

const MAX_LEN: usize = 4096;

fn located(e: &LessonError, text: &str) {
    let lines = text.split('\n').count();
    assert!(e.line >= 1 && e.line <= lines, "{text:?}: line {}", e.line);
    assert!(e.column >= 1, "{text:?}: column {}", e.column);
    assert!(!e.message.is_empty(), "{text:?}");
    assert!(!e.source_line.contains('\n'), "{text:?}");
    let _ = e.to_string();
}

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_LEN {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        name: "fuzz.toml".to_string(),
        text: text.to_string(),
    };
    match parse_lesson(file) {
        Err(e) => located(&e, text),
        Ok(lesson) => {
            if nabla_fuzz::small_numbers(text) {
                for e in lint_lesson(&lesson) {
                    located(&e, text);
                }
            }
        }
    }
});
