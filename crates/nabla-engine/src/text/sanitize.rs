//! The one sanitiser: every string from a lesson file or a user passes
//! through [`sanitize`] before it leaves the program — the command line's
//! stdout and stderr, `--json` strings, and the tutor's screen. A lesson
//! pack is untrusted input; what it says must not be able to drive the
//! student's terminal (set the clipboard with OSC 52, retitle the window,
//! plant hyperlinks, ring the bell, reorder text with bidi overrides) or
//! throw off the width of what is drawn.
//!
//! What [`sanitize`] does, character by character:
//!
//! | input | output |
//! |---|---|
//! | `\n` | kept |
//! | `\t` | four spaces |
//! | `\r\n` | `\n` |
//! | a terminal escape sequence: ESC or a C1 introducer (U+009B CSI, U+009D OSC, U+0090 DCS, U+0098 SOS, U+009E PM, U+009F APC) and everything up to the sequence's end (final byte, or BEL / ST for OSC, DCS and the other string sequences) | one U+FFFD `�` |
//! | any other C0 control (U+0000–U+001F, a lone `\r` included), DEL (U+007F), C1 control (U+0080–U+009F) | U+FFFD `�` |
//! | bidi controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 | U+FFFD `�` |
//! | line and paragraph separators U+2028, U+2029; interlinear annotation U+FFF9–U+FFFB | U+FFFD `�` |
//! | zero-width characters: U+200B–U+200D (ZWSP, ZWNJ, ZWJ), U+2060–U+2064, U+206A–U+206F, U+FEFF, U+00AD (soft hyphen), U+034F, U+115F, U+1160, U+3164, U+180B–U+180F, variation selectors U+FE00–U+FE0F and U+E0100–U+E01EF, tags U+E0000–U+E007F | removed |
//! | everything else | kept |
//!
//! Every replaced thing is one visible column wide (`�`), so a reader sees
//! that something was there and layouts measured after sanitising are
//! right. Zero-width characters are dropped rather than shown: they are
//! invisible by design, harmless to read, but a terminal joins or shapes
//! cells with them (a ZWJ left stray characters until a full redraw). The
//! cost is that emoji ZWJ sequences fall apart into their parts.
//!
//! An incomplete sequence (an OSC with no BEL or ST after it, a CSI with
//! no final byte) loses only its introducer: without the ESC the rest is
//! inert text, and a careless `ESC ]` must not swallow the rest of a prompt.
//!
//! The result is idempotent (`sanitize(sanitize(s)) == sanitize(s)`) and
//! the input is returned borrowed when nothing needs changing.

use std::borrow::Cow;

/// The replacement for a control, a bidi control or a whole escape sequence.
pub const REPLACEMENT: char = '\u{FFFD}';

/// What kind of unsafe character a character is, for [`sanitize`] and
/// for lint's warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// ESC, or a C1 character that introduces a sequence (CSI, OSC, DCS, …).
    Escape,
    /// Any other C0 control except `\n` and `\t`, DEL, or a C1 control.
    Control,
    /// A bidirectional formatting control.
    Bidi,
    /// A line or paragraph separator or an interlinear annotation mark.
    Separator,
    /// A zero-width character (joiner, space, variation selector, …).
    ZeroWidth,
}

impl Unsafe {
    /// A short description, for messages ("a bidi control").
    pub fn describe(self) -> &'static str {
        match self {
            Unsafe::Escape => "a terminal escape character",
            Unsafe::Control => "a control character",
            Unsafe::Bidi => "a bidirectional-text control",
            Unsafe::Separator => "a Unicode line separator",
            Unsafe::ZeroWidth => "a zero-width character",
        }
    }
}

/// The class of `c` when [`sanitize`] changes it; `None` for `\n`, `\t`
/// and every safe character.
pub fn classify(c: char) -> Option<Unsafe> {
    match c {
        '\n' | '\t' => None,
        '\u{1B}' | '\u{90}' | '\u{98}' | '\u{9B}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => {
            Some(Unsafe::Escape)
        }
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Some(Unsafe::Control),
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some(Unsafe::Bidi),
        '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' => Some(Unsafe::Separator),
        '\u{00AD}'
        | '\u{034F}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{E0000}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}' => Some(Unsafe::ZeroWidth),
        _ => None,
    }
}

/// `s` made safe to print to a terminal (see the module's table).
///
/// ```
/// use nabla_engine::text::sanitize;
/// assert_eq!(sanitize("plain text\n"), "plain text\n");
/// assert_eq!(sanitize("\u{1b}]52;c;aGk=\u{7}copied"), "\u{FFFD}copied");
/// assert_eq!(sanitize("\u{1b}[31mred"), "\u{FFFD}red");
/// assert_eq!(sanitize("abc\u{202E}def"), "abc\u{FFFD}def");
/// assert_eq!(sanitize("a\u{200D}b\tc"), "ab    c");
/// ```
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\t' || classify(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut ends = Terminators::default();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let len = c.len_utf8();
        match c {
            '\t' => out.push_str("    "),
            '\r' if s[i + len..].starts_with('\n') => {}
            _ => match classify(c) {
                None => out.push(c),
                Some(Unsafe::ZeroWidth) => {}
                Some(Unsafe::Escape) => {
                    out.push(REPLACEMENT);
                    i += sequence_len(s, i, &mut ends);
                    continue;
                }
                Some(_) => out.push(REPLACEMENT),
            },
        }
        i += len;
    }
    Cow::Owned(out)
}

/// Whether `s` is unchanged by [`sanitize`].
pub fn is_clean(s: &str) -> bool {
    matches!(sanitize(s), Cow::Borrowed(_))
}

/// The shapes of escape sequence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sequence {
    /// CSI: parameters, intermediates and a final byte.
    Csi,
    /// OSC, DCS, SOS, PM, APC: a body ended by BEL or ST.
    Text,
    /// Any other ESC: intermediates and a final byte.
    Other,
}

/// The byte length of the escape sequence starting at `s[at]` (ESC or a C1
/// introducer), the introducer included. A sequence that is not complete
/// (no final byte, no terminator) is only its introducer: the rest is left
/// as text, inert without the ESC.
fn sequence_len(s: &str, at: usize, ends: &mut Terminators) -> usize {
    let bytes = s.as_bytes();
    // The introducer's length, and what follows it.
    let (intro, kind) = if bytes[at] == 0x1B {
        match bytes.get(at + 1) {
            Some(b'[') => (2, Sequence::Csi),
            Some(b']' | b'P' | b'X' | b'^' | b'_') => (2, Sequence::Text),
            Some(0x20..=0x7E) => (1, Sequence::Other),
            _ => return 1,
        }
    } else if bytes[at + 1] == 0x9B {
        // A two-byte C1 introducer (U+0090 … U+009F: C2 90 … C2 9F).
        (2, Sequence::Csi)
    } else {
        (2, Sequence::Text)
    };
    let body = at + intro;
    let short = if bytes[at] == 0x1B { 1 } else { 2 };
    let run = |from: usize, range: std::ops::RangeInclusive<u8>| {
        let mut j = from;
        while bytes.get(j).is_some_and(|b| range.contains(b)) {
            j += 1;
        }
        j
    };
    match kind {
        Sequence::Csi => {
            // Parameters, intermediates, a final byte.
            let j = run(run(body, 0x30..=0x3F), 0x20..=0x2F);
            if bytes.get(j).is_some_and(|b| (0x40..=0x7E).contains(b)) {
                j + 1 - at
            } else {
                short
            }
        }
        Sequence::Other => {
            // Intermediates and a final byte (ESC ( B, ESC 7, ESC c, …).
            let j = run(body, 0x20..=0x2F);
            if bytes.get(j).is_some_and(|b| (0x30..=0x7E).contains(b)) {
                j + 1 - at
            } else {
                short
            }
        }
        Sequence::Text => match ends.find(s, body) {
            Some((end, term_len)) => end + term_len - at,
            None => short,
        },
    }
}

/// Finds where string sequences end, remembering the last answer so that a
/// text full of unterminated introducers is still read once (not once per
/// introducer).
#[derive(Default)]
struct Terminators {
    /// `(from, found)`: the first terminator at or after `from`.
    last: Option<(usize, Option<(usize, usize)>)>,
}

impl Terminators {
    /// The first BEL, ST (ESC \ or U+009C), or other ESC, CAN or SUB (which
    /// end a sequence without being part of it) at or after `from`: its
    /// offset and how many bytes of it belong to the sequence.
    fn find(&mut self, s: &str, from: usize) -> Option<(usize, usize)> {
        if let Some((start, found)) = self.last
            && start <= from
            && found.is_none_or(|(end, _)| from <= end)
        {
            return found;
        }
        let bytes = s.as_bytes();
        let mut found = None;
        let mut j = from;
        while j < bytes.len() {
            match bytes[j] {
                0x07 => {
                    found = Some((j, 1));
                    break;
                }
                0x1B if bytes.get(j + 1) == Some(&b'\\') => {
                    found = Some((j, 2));
                    break;
                }
                0x1B | 0x18 | 0x1A => {
                    found = Some((j, 0));
                    break;
                }
                0xC2 if bytes.get(j + 1) == Some(&0x9C) => {
                    found = Some((j, 2));
                    break;
                }
                _ => j += 1,
            }
        }
        self.last = Some((from, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "\u{FFFD}";

    #[test]
    fn plain_text_is_borrowed() {
        let s = "∂f/∂x = 2Ax, x̂ and naïve\nnext line";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_one_mark() {
        let cases = [
            ("\u{1b}]52;c;SGVsbG8=\u{7}after", format!("{R}after")),
            ("\u{1b}]0;pwned\u{1b}\\after", format!("{R}after")),
            (
                "\u{1b}]8;;https://evil.example\u{7}link\u{1b}]8;;\u{7}",
                format!("{R}link{R}"),
            ),
            ("\u{1b}[31;1mred\u{1b}[0m", format!("{R}red{R}")),
            ("\u{1b}[?1049h", R.to_string()),
            ("\u{1b}Pq#0;2;0;0;0\u{1b}\\x", format!("{R}x")),
            ("\u{1b}(Bx", format!("{R}x")),
            ("\u{1b}cx", format!("{R}x")),
            ("\u{9b}31mx", format!("{R}x")),
            ("\u{9d}0;t\u{9c}x", format!("{R}x")),
            ("end\u{1b}", format!("end{R}")),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
    }

    #[test]
    fn an_incomplete_sequence_loses_only_its_introducer() {
        assert_eq!(
            sanitize("\u{1b}]0;title and more"),
            format!("{R}]0;title and more")
        );
        assert_eq!(sanitize("'\u{1b}'\n"), format!("'{R}'\n"));
        assert_eq!(sanitize("\u{1b}[31"), format!("{R}[31"));
        assert_eq!(sanitize("\u{9d}0;t"), format!("{R}0;t"));
        // An ESC inside ends the body; the ESC starts a sequence of its own.
        assert_eq!(sanitize("\u{1b}]0;t\u{1b}[1mx"), format!("{R}{R}x"));
    }

    #[test]
    fn many_unterminated_introducers_are_read_in_linear_time() {
        // C1 OSC introducers, none of them ever terminated.
        let s = "\u{9d}".repeat(200_000);
        let t = std::time::Instant::now();
        let out = sanitize(&s);
        assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
        assert_eq!(out, R.repeat(200_000));
    }

    #[test]
    fn controls_bidi_and_separators_become_marks() {
        assert_eq!(
            sanitize("a\u{7}b\u{0}c\u{7f}d\u{85}e"),
            format!("a{R}b{R}c{R}d{R}e")
        );
        assert_eq!(
            sanitize("x\u{202E}y\u{2066}z\u{200F}"),
            format!("x{R}y{R}z{R}")
        );
        assert_eq!(sanitize("a\rb\r\nc\u{2028}"), format!("a{R}b\nc{R}"));
    }

    #[test]
    fn zero_width_characters_are_dropped_and_tabs_expanded() {
        assert_eq!(sanitize("a\u{200D}b\u{200B}c\u{FEFF}d\u{FE0F}e"), "abcde");
        assert_eq!(sanitize("\tx"), "    x");
    }

    #[test]
    fn the_result_is_clean_and_sanitising_is_idempotent() {
        let mut every = String::new();
        for c in (0u32..0x3000)
            .chain(0xE0000..0xE0200)
            .filter_map(char::from_u32)
        {
            every.push(c);
            every.push('x');
        }
        let once = sanitize(&every).into_owned();
        assert!(once.chars().all(|c| c == '\n' || classify(c).is_none()));
        assert!(!once.contains('\t'));
        assert_eq!(sanitize(&once), once);
    }
}
