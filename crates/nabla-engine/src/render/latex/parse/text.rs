//! Arguments read as text rather than math: `\text{…}`, `\mathrm{…}`,
//! `\operatorname{…}`, and the letter-mapping fonts `\mathbb`/`\mathcal`.

use super::super::super::RenderError;
use super::super::super::style::Style;
use super::super::super::symbols::{self, Class};
use super::super::ast::Node;
use super::super::lexer::Tok;
use super::{MAX_DEPTH, Parser, atom};

impl Parser<'_> {
    /// `\mathbb{R}`, `\mathcal{L}`: letters mapped one by one.
    pub(super) fn letters(&mut self, command: &str, style: Style) -> Result<Node, RenderError> {
        let chars = self.raw_text(&format!("\\{command}"))?;
        let mut text = String::new();
        let mut italic = false;
        for (c, offset) in chars {
            let mapped = if command == "mathbb" {
                symbols::blackboard(c).ok_or_else(|| {
                    RenderError::new(
                        format!("\\mathbb{{{c}}} is not supported (only N, Z, Q, R, C)"),
                        offset,
                    )
                })?
            } else if c.is_ascii_alphabetic() {
                symbols::calligraphic(c).unwrap_or_else(|| {
                    italic = true;
                    c
                })
            } else {
                return Err(RenderError::new(
                    format!("\\{command} takes letters only"),
                    offset,
                ));
            };
            text.push(mapped);
        }
        let style = Style {
            italic: style.italic || italic,
            ..style
        };
        Ok(atom(&text, Class::Ord, style))
    }

    /// Upright text for `\text`, `\mathrm`, `\operatorname`, … (spaces kept).
    pub(super) fn text(
        &mut self,
        style: Style,
        class: Class,
        of: &str,
    ) -> Result<Node, RenderError> {
        let text: String = self.raw_text(of)?.into_iter().map(|(c, _)| c).collect();
        Ok(atom(&text, class, style))
    }

    /// The characters of a text argument (braced or a single token), with
    /// their offsets. Symbol and spacing commands are allowed inside.
    fn raw_text(&mut self, of: &str) -> Result<Vec<(char, usize)>, RenderError> {
        self.skip_spaces();
        let start = self.offset();
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(token) = self.next() else {
                let message = if depth > 0 {
                    "unbalanced braces: missing }".to_string()
                } else {
                    format!("missing argument for {of}")
                };
                return Err(RenderError::new(message, start));
            };
            match &token.tok {
                Tok::Open => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(RenderError::new("nested too deeply", token.offset));
                    }
                }
                Tok::Close if depth == 0 => return Err(self.stray(token)),
                Tok::Close => depth -= 1,
                Tok::Char(c) => out.push((*c, token.offset)),
                Tok::Space if depth > 0 => out.push((' ', token.offset)),
                Tok::Space => continue,
                Tok::Command(name) => {
                    if let Some(n) = symbols::spacing(name) {
                        out.extend(std::iter::repeat_n((' ', token.offset), n));
                    } else if let Some((text, _)) = symbols::symbol(name) {
                        out.extend(text.chars().map(|c| (c, token.offset)));
                    } else {
                        return Err(RenderError::new(
                            format!("unsupported command \\{name} in {of}"),
                            token.offset,
                        ));
                    }
                }
                Tok::Sup | Tok::Sub | Tok::Align => {
                    return Err(RenderError::new(
                        format!("unexpected {} in {of}", tok_char(&token.tok)),
                        token.offset,
                    ));
                }
            }
            if depth == 0 {
                return Ok(out);
            }
        }
    }
}

fn tok_char(tok: &Tok) -> char {
    match tok {
        Tok::Sup => '^',
        Tok::Sub => '_',
        _ => '&',
    }
}
