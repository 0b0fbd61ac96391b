//! Lint's warnings about characters a student will not see as written:
//! every control character, escape sequence, bidi control and zero-width
//! character in a lesson file that the sanitiser (`crate::text::sanitize`)
//! replaces or removes — written raw, or as a TOML escape (`\u001b`, `\e`,
//! `\x07`, `\b`, `\f`, `\r`) in a basic string — each at its
//! `file:line:column`. They are warnings, not errors: the lesson is safe to
//! show either way, but its author should know what the student sees.

use super::source::{LessonError, SourceFile};
use crate::text::{Unsafe, classify};

/// At most this many warnings per file; one more says how many were left out.
pub const MAX_WARNINGS: usize = 50;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    Comment,
    Basic,
    MultiBasic,
    Literal,
    MultiLiteral,
}

/// Warnings, in file order, for every character of `file` that the
/// sanitiser would change (`\n`, tabs and a CR before LF aside).
pub fn warnings(file: &SourceFile) -> Vec<LessonError> {
    let mut found: Vec<(usize, char, bool)> = Vec::new();
    let mut more = 0usize;
    let mut note = |at: usize, c: char, escaped: bool| {
        if found.len() < MAX_WARNINGS {
            found.push((at, c, escaped));
        } else {
            more += 1;
        }
    };
    let text = &file.text;
    let bytes = text.as_bytes();
    let mut state = State::Normal;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let len = c.len_utf8();
        let rest = &text[i..];
        // Raw characters, wherever they are (comments, keys, strings).
        let raw_unsafe = classify(c).is_some()
            && !(c == '\r' && rest[1..].starts_with('\n'))
            && !(c == '\u{FEFF}' && i == 0);
        if raw_unsafe {
            note(i, c, false);
        }
        match state {
            State::Normal => match c {
                '#' => state = State::Comment,
                '"' if rest.starts_with("\"\"\"") => {
                    state = State::MultiBasic;
                    i += 3;
                    continue;
                }
                '"' => state = State::Basic,
                '\'' if rest.starts_with("'''") => {
                    state = State::MultiLiteral;
                    i += 3;
                    continue;
                }
                '\'' => state = State::Literal,
                _ => {}
            },
            State::Comment => {
                if c == '\n' {
                    state = State::Normal;
                }
            }
            State::Basic | State::MultiBasic => {
                let multi = state == State::MultiBasic;
                if c == '\\' {
                    let (decoded, used) = escape(&rest[1..]);
                    if let Some(d) = decoded
                        && classify(d).is_some()
                    {
                        note(i, d, true);
                    }
                    i += 1 + used;
                    continue;
                }
                if multi && rest.starts_with("\"\"\"") {
                    // Up to two more quotes belong to the string.
                    let mut end = i + 3;
                    while end < i + 5 && bytes.get(end) == Some(&b'"') {
                        end += 1;
                    }
                    state = State::Normal;
                    i = end;
                    continue;
                }
                if !multi && (c == '"' || c == '\n') {
                    state = State::Normal;
                }
            }
            State::Literal => {
                if c == '\'' || c == '\n' {
                    state = State::Normal;
                }
            }
            State::MultiLiteral => {
                if rest.starts_with("'''") {
                    let mut end = i + 3;
                    while end < i + 5 && bytes.get(end) == Some(&b'\'') {
                        end += 1;
                    }
                    state = State::Normal;
                    i = end;
                    continue;
                }
            }
        }
        i += len;
    }
    let mut out: Vec<LessonError> = found
        .into_iter()
        .map(|(at, c, escaped)| file.error_at(at, message(c, escaped)))
        .collect();
    if more > 0
        && let Some(last) = out.last()
    {
        let mut e = last.clone();
        e.message = format!(
            "warning: and {more} more such character{} in this file (only the first {MAX_WARNINGS} are listed)",
            if more == 1 { "" } else { "s" }
        );
        out.push(e);
    }
    out
}

/// The character a TOML escape (after its backslash) stands for, when it is
/// one the sanitiser may change, and how many bytes the escape takes.
fn escape(after: &str) -> (Option<char>, usize) {
    let hex = |n: usize| -> (Option<char>, usize) {
        let digits = after.get(1..1 + n);
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => (char::from_u32(v), 1 + n),
            None => (None, 1),
        }
    };
    match after.chars().next() {
        Some('u') => hex(4),
        Some('U') => hex(8),
        Some('x') => hex(2),
        Some('e') => (Some('\u{1B}'), 1),
        Some('b') => (Some('\u{8}'), 1),
        Some('f') => (Some('\u{C}'), 1),
        Some('r') => (Some('\r'), 1),
        Some(c) => (None, c.len_utf8()),
        None => (None, 0),
    }
}

fn message(c: char, escaped: bool) -> String {
    let class = classify(c).expect("only unsafe characters are noted");
    let how = if escaped {
        "written as an escape"
    } else {
        "in the file"
    };
    let seen = match class {
        Unsafe::Escape => "students see it, and the escape sequence it starts, as one �",
        Unsafe::ZeroWidth => "nabla removes it before showing the text",
        Unsafe::Control | Unsafe::Bidi | Unsafe::Separator => "students see it as �",
    };
    format!(
        "warning: {} (U+{:04X}) {how}: {seen}",
        class.describe(),
        u32::from(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Vec<(usize, usize, String)> {
        let f = SourceFile {
            name: "x.toml".into(),
            text: text.into(),
        };
        warnings(&f)
            .into_iter()
            .map(|e| (e.line, e.column, e.message))
            .collect()
    }

    #[test]
    fn raw_and_escaped_characters_are_located() {
        let w = at("title = \"a\\u001B]0;x\\u0007 b\u{202E}\"\n# ok \u{200D}\nbody = '\\u001b'\n");
        let places: Vec<(usize, usize)> = w.iter().map(|(l, c, _)| (*l, *c)).collect();
        // The two escapes and the raw override on line 1, the raw ZWJ in the
        // comment; `\u001b` in a literal string is six plain characters.
        assert_eq!(places, [(1, 11), (1, 21), (1, 29), (2, 6)], "{w:?}");
        assert!(
            w[0].2.contains("U+001B") && w[0].2.contains("escape"),
            "{}",
            w[0].2
        );
        assert!(w[2].2.contains("U+202E") && w[2].2.contains("bidirectional"));
        assert!(w[3].2.contains("zero-width"));
    }

    #[test]
    fn multi_line_strings_and_line_endings() {
        let w = at("a = \"\"\"\nx\\e[1m \\\n  y\"\"\"\r\nb = '''\u{7}'''\n");
        let places: Vec<(usize, usize)> = w.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(places, [(2, 2), (4, 8)], "{w:?}");
        assert!(at("x = 1\r\n\u{FEFF}").len() == 1);
        assert!(at("\u{FEFF}x = 1\r\n").is_empty());
    }

    #[test]
    fn warnings_are_capped() {
        let w = at(&"\u{200B}".repeat(500));
        assert_eq!(w.len(), MAX_WARNINGS + 1);
        assert!(
            w[MAX_WARNINGS].2.contains("450 more"),
            "{}",
            w[MAX_WARNINGS].2
        );
    }
}
