//! Greedy word wrapping of styled inline content.
//!
//! Text breaks at whitespace; inline math and inline code are unbreakable
//! units glued to any text touching them (`$x$,` never splits before the
//! comma). Only a unit wider than the whole line is broken: at its own
//! internal spaces, then code and plain text by characters (math never
//! inside a token).

use std::collections::VecDeque;

use super::super::style::{Line, Style, char_width};

/// One piece of inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Text that may break at its whitespace.
    Text(String, Style),
    /// Content that must stay on one line if at all possible (inline math,
    /// inline code).
    Unit(Line),
    /// A hard line break.
    Break,
}

#[derive(Debug)]
enum Token {
    Word {
        line: Line,
        /// The style of the whitespace before the word, if there was any
        /// (kept so headings and quotes are styled across their spaces).
        space: Option<Style>,
        splittable: bool,
    },
    Break,
}

/// Glue pieces into words (maximal runs without whitespace between them).
fn tokens(pieces: &[Piece]) -> VecDeque<Token> {
    let mut out = VecDeque::new();
    let mut word = Line::new();
    let mut space = None;
    let mut pending = None;
    let finish = |word: &mut Line, space: Option<Style>, out: &mut VecDeque<Token>| {
        if !word.spans.is_empty() {
            out.push_back(Token::Word {
                line: std::mem::take(word),
                space,
                splittable: true,
            });
        }
    };
    for piece in pieces {
        match piece {
            Piece::Text(text, style) => {
                for c in text.chars() {
                    if c.is_whitespace() {
                        finish(&mut word, space, &mut out);
                        pending = pending.or(Some(*style));
                    } else {
                        if word.spans.is_empty() {
                            space = pending.take();
                        }
                        word.push_char(c, *style);
                    }
                }
            }
            Piece::Unit(line) => {
                if word.spans.is_empty() {
                    space = pending.take();
                }
                word.append(line);
            }
            Piece::Break => {
                finish(&mut word, space, &mut out);
                out.push_back(Token::Break);
                pending = None;
            }
        }
    }
    finish(&mut word, space, &mut out);
    out
}

/// Split a line at its spaces (dropping them); each part but the first
/// remembers the style of the space before it.
fn split_spaces(line: &Line) -> Vec<(Line, Option<Style>)> {
    let mut parts = vec![(Line::new(), None)];
    let mut pending = None;
    for span in &line.spans {
        for c in span.text.chars() {
            if c == ' ' {
                pending = pending.or(Some(span.style));
            } else {
                if pending.is_some() && parts.last().is_some_and(|p| !p.0.spans.is_empty()) {
                    parts.push((Line::new(), pending));
                }
                pending = None;
                if let Some(part) = parts.last_mut() {
                    part.0.push_char(c, span.style);
                }
            }
        }
    }
    parts.retain(|p| !p.0.spans.is_empty());
    parts
}

/// Split plain text into chunks of at most `width` columns (at least one
/// character each, so this always makes progress).
fn chunks(line: &Line, width: usize) -> Vec<Line> {
    let mut parts = vec![Line::new()];
    let mut used = 0;
    for span in &line.spans {
        for c in span.text.chars() {
            let w = char_width(c);
            if used + w > width && used > 0 {
                parts.push(Line::new());
                used = 0;
            }
            if let Some(part) = parts.last_mut() {
                part.push_char(c, span.style);
            }
            used += w;
        }
    }
    parts
}

/// Break a word that is wider than the line into smaller words.
fn split_word(line: Line, space: Option<Style>, width: usize) -> Vec<Token> {
    let parts = split_spaces(&line);
    if parts.len() > 1 {
        return parts
            .into_iter()
            .enumerate()
            .map(|(i, (part, inner))| Token::Word {
                line: part,
                space: if i == 0 { space } else { inner },
                splittable: true,
            })
            .collect();
    }
    let has_math = line.spans.iter().any(|s| s.style.math);
    let pieces = if has_math {
        vec![line]
    } else {
        chunks(&line, width)
    };
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, part)| Token::Word {
            line: part,
            space: if i == 0 { space } else { None },
            splittable: false,
        })
        .collect()
}

/// Wrap pieces to `width` columns (at least 1). Returns no lines for
/// whitespace-only input.
pub fn wrap(pieces: &[Piece], width: usize) -> Vec<Line> {
    let width = width.max(1);
    let mut queue = tokens(pieces);
    let mut lines = Vec::new();
    let mut current = Line::new();
    let mut used = 0;
    let mut any = false;
    while let Some(token) = queue.pop_front() {
        let Token::Word {
            line,
            space,
            splittable,
        } = token
        else {
            lines.push(std::mem::take(&mut current));
            used = 0;
            continue;
        };
        any = true;
        let w = line.width();
        let sep = space.filter(|_| used > 0);
        let sep_width = usize::from(sep.is_some());
        if used + sep_width + w <= width {
            if let Some(style) = sep {
                current.push_char(' ', style);
            }
            current.append(&line);
            used += sep_width + w;
        } else if w > width && splittable {
            for token in split_word(line, space, width).into_iter().rev() {
                queue.push_front(token);
            }
        } else if used > 0 {
            lines.push(std::mem::take(&mut current));
            used = 0;
            queue.push_front(Token::Word {
                line,
                space: None,
                splittable,
            });
        } else {
            // Wider than an empty line and unsplittable: let it overflow.
            current.append(&line);
            used = w;
        }
    }
    if !current.spans.is_empty() {
        lines.push(current);
    }
    if !any {
        lines.clear();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string(), Style::default())
    }

    fn math(s: &str) -> Piece {
        Piece::Unit(Line::styled(s, Style::MATH))
    }

    fn show(pieces: &[Piece], width: usize) -> Vec<String> {
        wrap(pieces, width).iter().map(Line::plain_text).collect()
    }

    #[test]
    fn greedy_fill() {
        assert_eq!(
            show(&[text("the quick brown fox jumps over")], 10),
            vec!["the quick", "brown fox", "jumps over"]
        );
    }

    #[test]
    fn math_stays_glued_to_punctuation() {
        assert_eq!(
            show(&[text("so that "), math("a + b"), text(", done")], 13),
            vec!["so that", "a + b, done"]
        );
    }

    #[test]
    fn overlong_math_breaks_at_its_spaces_and_text_by_chars() {
        assert_eq!(
            show(&[math("aaaa = bbbb + cccc")], 11),
            vec!["aaaa = bbbb", "+ cccc"]
        );
        assert_eq!(show(&[text("abcdefghij")], 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(show(&[math("abcdefghij")], 4), vec!["abcdefghij"]);
    }

    #[test]
    fn hard_breaks_and_blank_input() {
        assert_eq!(
            show(&[text("a"), Piece::Break, text("b")], 10),
            vec!["a", "b"]
        );
        assert!(show(&[text("   ")], 10).is_empty());
        assert_eq!(show(&[text("x y")], 0), vec!["x", "y"]);
    }
}
