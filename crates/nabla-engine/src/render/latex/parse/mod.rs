//! Recursive-descent parser from tokens to [`Node`]s. All validation
//! happens here (unknown commands, unbalanced braces, missing arguments,
//! mismatched environments, excessive nesting), each error carrying the byte
//! offset of the offending token.

mod env;
mod text;

use super::super::RenderError;
use super::super::style::Style;
use super::super::symbols::{self, Class};
use super::ast::Node;
use super::lexer::{Tok, Token, tokenize};

/// Deeper nesting than this is refused, so neither parsing nor layout can
/// overflow the stack on hostile input.
pub const MAX_DEPTH: usize = 64;

/// Parse a whole formula.
pub fn parse(src: &str) -> Result<Vec<Node>, RenderError> {
    let tokens = tokenize(src)?;
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        depth: 0,
        end: src.len(),
    };
    let nodes = parser.seq(Style::MATH, false)?;
    match parser.peek() {
        None => Ok(nodes),
        Some(tok) => Err(parser.stray(tok)),
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    depth: usize,
    /// Source length, the offset reported for "unexpected end" errors.
    end: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|t| t.tok == Tok::Space) {
            self.pos += 1;
        }
    }

    fn offset(&self) -> usize {
        self.peek().map_or(self.end, |t| t.offset)
    }

    fn enter(&mut self, offset: usize) -> Result<(), RenderError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RenderError::new("nested too deeply", offset));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The error for a terminator token found where it does not belong.
    fn stray(&self, token: &Token) -> RenderError {
        let message = match &token.tok {
            Tok::Close => "unbalanced braces: unexpected }".to_string(),
            Tok::Align => "& is only allowed inside a matrix environment".to_string(),
            Tok::Command(c) if c == "\\" => {
                "\\\\ is only allowed inside a matrix environment".to_string()
            }
            Tok::Command(c) if c == "end" => "\\end without matching \\begin".to_string(),
            Tok::Command(c) => format!("\\{c} without matching \\left"),
            Tok::Char(c) => format!("unexpected {c}"),
            _ => "unexpected token".to_string(),
        };
        RenderError::new(message, token.offset)
    }

    /// Parse items until a terminator (`}`, `&`, `\\`, `\end`, `\right`,
    /// `\middle`, end of input, or `]` when `bracket`), which is left for the
    /// caller to check.
    fn seq(&mut self, style: Style, bracket: bool) -> Result<Vec<Node>, RenderError> {
        self.enter(self.offset())?;
        let mut nodes = Vec::new();
        loop {
            self.skip_spaces();
            let Some(token) = self.peek() else { break };
            let stop = match &token.tok {
                Tok::Close | Tok::Align => true,
                Tok::Command(c) => matches!(c.as_str(), "\\" | "end" | "right" | "middle"),
                Tok::Char(']') => bracket,
                _ => false,
            };
            if stop {
                break;
            }
            nodes.push(self.item(style)?);
        }
        self.leave();
        Ok(nodes)
    }

    /// A braced group's contents; the `{` is the current token.
    fn group(&mut self, style: Style) -> Result<Vec<Node>, RenderError> {
        let open = self.offset();
        self.pos += 1;
        let nodes = self.seq(style, false)?;
        match self.next() {
            Some(Token {
                tok: Tok::Close, ..
            }) => Ok(nodes),
            Some(token) => Err(self.stray(token)),
            None => Err(RenderError::new("unbalanced braces: missing }", open)),
        }
    }

    /// One atom followed by its scripts.
    fn item(&mut self, style: Style) -> Result<Node, RenderError> {
        let mut base = match self.peek().map(|t| &t.tok) {
            // A script with no base (`{}^2` style) gets an empty one.
            Some(Tok::Sup | Tok::Sub) => Node::Group(Vec::new()),
            _ => self.atom(style)?,
        };
        let mut sup = None;
        let mut sub = None;
        loop {
            self.skip_spaces();
            let Some(token) = self.peek() else { break };
            match &token.tok {
                Tok::Sup | Tok::Sub => {
                    let is_sup = token.tok == Tok::Sup;
                    self.pos += 1;
                    let slot = if is_sup { &mut sup } else { &mut sub };
                    if slot.is_some() {
                        let what = if is_sup { "superscript" } else { "subscript" };
                        return Err(RenderError::new(format!("double {what}"), token.offset));
                    }
                    *slot = Some(self.arg(style, "^/_")?);
                }
                Tok::Command(c) if c == "limits" || c == "nolimits" => {
                    if let Node::Atom { limits, .. } = &mut base {
                        *limits = c == "limits";
                    }
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if sup.is_none() && sub.is_none() {
            return Ok(base);
        }
        Ok(Node::Scripts {
            base: Box::new(base),
            sup,
            sub,
        })
    }

    /// A required argument: a braced group or a single token.
    fn arg(&mut self, style: Style, of: &str) -> Result<Vec<Node>, RenderError> {
        self.skip_spaces();
        let offset = self.offset();
        let missing = || RenderError::new(format!("missing argument for {of}"), offset);
        let Some(token) = self.peek() else {
            return Err(missing());
        };
        match &token.tok {
            // The group's sequence counts the nesting level itself.
            Tok::Open => self.group(style),
            Tok::Close | Tok::Align | Tok::Sup | Tok::Sub => Err(missing()),
            Tok::Command(c) if matches!(c.as_str(), "\\" | "end" | "right" | "middle") => {
                Err(missing())
            }
            _ => {
                self.enter(offset)?;
                let node = self.atom(style)?;
                self.leave();
                Ok(vec![node])
            }
        }
    }

    fn atom(&mut self, style: Style) -> Result<Node, RenderError> {
        let offset = self.offset();
        let Some(token) = self.next() else {
            return Err(RenderError::new("unexpected end of formula", offset));
        };
        match &token.tok {
            Tok::Open => {
                self.pos -= 1;
                Ok(Node::Group(self.group(style)?))
            }
            Tok::Char(c) => char_atom(*c, style, offset),
            Tok::Command(name) => self.command(name, style, offset),
            _ => Err(self.stray(token)),
        }
    }

    fn command(&mut self, name: &str, style: Style, offset: usize) -> Result<Node, RenderError> {
        if let Some((text, class)) = symbols::symbol(name) {
            return Ok(atom(text, class, style));
        }
        if let Some((text, limits)) = symbols::big_operator(name) {
            return Ok(Node::Atom {
                text: text.to_string(),
                class: Class::Op,
                style,
                limits,
            });
        }
        if let Some((text, limits)) = symbols::function(name) {
            return Ok(Node::Atom {
                text: text.to_string(),
                class: Class::Op,
                style,
                limits,
            });
        }
        if let Some(width) = symbols::spacing(name) {
            return Ok(Node::Space(width));
        }
        if let Some((mark, accent)) = symbols::accent(name) {
            let body = self.arg(style, &format!("\\{name}"))?;
            return Ok(Node::Accent {
                mark,
                name: accent,
                body,
            });
        }
        if symbols::is_big_delimiter_size(name) {
            let delim = self.delimiter(name)?;
            let class = match name.chars().last() {
                Some('l') => Class::Open,
                Some('r') => Class::Close,
                Some('m') => Class::Rel,
                _ => Class::Ord,
            };
            return Ok(atom(delim, class, style));
        }
        let of = format!("\\{name}");
        let bold = Style {
            bold: true,
            ..style
        };
        match name {
            "frac" | "dfrac" | "tfrac" | "cfrac" => {
                let num = self.arg(style, &of)?;
                let den = self.arg(style, &of)?;
                Ok(Node::Frac { num, den })
            }
            "binom" | "dbinom" | "tbinom" => {
                let top = self.arg(style, &of)?;
                let bottom = self.arg(style, &of)?;
                Ok(Node::Binom { top, bottom })
            }
            "sqrt" => {
                self.skip_spaces();
                let index = if self.peek().is_some_and(|t| t.tok == Tok::Char('[')) {
                    let open = self.offset();
                    self.pos += 1;
                    let index = self.seq(style, true)?;
                    match self.next() {
                        Some(Token {
                            tok: Tok::Char(']'),
                            ..
                        }) => Some(index),
                        _ => return Err(RenderError::new("\\sqrt[ without matching ]", open)),
                    }
                } else {
                    None
                };
                let body = self.arg(style, &of)?;
                Ok(Node::Sqrt { index, body })
            }
            "mathbf" | "boldsymbol" | "bm" | "pmb" | "vec" | "mathbfit" => {
                Ok(Node::Group(self.arg(bold, &of)?))
            }
            "mathbb" | "mathcal" | "mathscr" => self.letters(name, style),
            "text" | "textrm" | "textup" | "textnormal" | "mathrm" | "mathup" | "mbox"
            | "mathsf" | "textsf" | "mathtt" | "texttt" => self.text(style, Class::Ord, &of),
            "textbf" => self.text(bold, Class::Ord, &of),
            "mathit" | "textit" | "emph" => {
                let italic = Style {
                    italic: true,
                    ..style
                };
                self.text(italic, Class::Ord, &of)
            }
            "operatorname" => {
                let limits = self.peek().is_some_and(|t| t.tok == Tok::Char('*'));
                if limits {
                    self.pos += 1;
                }
                let mut node = self.text(style, Class::Op, &of)?;
                if let Node::Atom { limits: l, .. } = &mut node {
                    *l = limits;
                }
                Ok(node)
            }
            "overset" | "stackrel" | "underset" => {
                let note = self.arg(style, &of)?;
                let base = Box::new(Node::Group(self.arg(style, &of)?));
                let (over, under) = if name == "underset" {
                    (None, Some(note))
                } else {
                    (Some(note), None)
                };
                Ok(Node::Stack { base, over, under })
            }
            "not" => {
                self.skip_spaces();
                let negated = match self.next().map(|t| &t.tok) {
                    Some(Tok::Char('=')) => "≠",
                    Some(Tok::Command(c)) if c == "in" => "∉",
                    Some(Tok::Command(c)) if c == "equiv" => "≢",
                    Some(Tok::Command(c)) if c == "subset" => "⊄",
                    _ => return Err(RenderError::new("unsupported use of \\not", offset)),
                };
                Ok(atom(negated, Class::Rel, style))
            }
            "left" => self.left_right(style, offset),
            "begin" => self.environment(style, offset),
            "displaystyle" | "textstyle" | "scriptstyle" | "nonumber" | "notag" | "limits"
            | "nolimits" => Ok(Node::Space(0)),
            _ => Err(RenderError::new(
                format!("unsupported command \\{name}"),
                offset,
            )),
        }
    }
}

fn atom(text: &str, class: Class, style: Style) -> Node {
    Node::Atom {
        text: text.to_string(),
        class,
        style,
        limits: false,
    }
}

fn char_atom(c: char, style: Style, offset: usize) -> Result<Node, RenderError> {
    match c {
        '$' | '#' | '%' => Err(RenderError::new(
            format!("unexpected {c} in math (write \\{c} for the symbol)"),
            offset,
        )),
        '~' => Ok(Node::Space(1)),
        c if c.is_control() => Err(RenderError::new("control character in math", offset)),
        c => {
            let mut text = String::new();
            text.push(symbols::char_glyph(c));
            Ok(atom(&text, symbols::char_class(c), style))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> (String, usize) {
        match parse(src) {
            Ok(nodes) => panic!("expected an error for {src:?}, got {nodes:?}"),
            Err(e) => (e.message, e.offset),
        }
    }

    #[test]
    fn unsupported_command_points_at_it() {
        assert_eq!(err(r"a + \foo{x}"), ("unsupported command \\foo".into(), 4));
    }

    #[test]
    fn unbalanced_braces() {
        assert_eq!(
            err(r"\frac{a}{b"),
            ("unbalanced braces: missing }".into(), 8)
        );
        assert_eq!(err("a}"), ("unbalanced braces: unexpected }".into(), 1));
    }

    #[test]
    fn structural_errors() {
        assert_eq!(err(r"x^2^3").0, "double superscript");
        assert_eq!(err(r"\frac{a}").0, "missing argument for \\frac");
        assert_eq!(err(r"\left( x").0, "\\left without matching \\right");
        assert_eq!(err(r"x \right)").0, "\\right without matching \\left");
        assert_eq!(
            err(r"\begin{bmatrix} a \end{pmatrix}").0,
            "\\begin{bmatrix} closed by \\end{pmatrix}"
        );
        assert_eq!(
            err(r"\begin{foo} a \end{foo}").0,
            "unsupported environment foo"
        );
        assert_eq!(
            err(r"a & b").0,
            "& is only allowed inside a matrix environment"
        );
        assert_eq!(err(r"\mathbb{A}").1, 8);
        assert_eq!(err(r"\text{\foo}").0, "unsupported command \\foo in \\text");
        assert_eq!(
            err("x$").0,
            "unexpected $ in math (write \\$ for the symbol)"
        );
    }

    #[test]
    fn nesting_is_limited() {
        let deep = format!("{}x{}", "{".repeat(200), "}".repeat(200));
        assert_eq!(err(&deep).0, "nested too deeply");
        let ok = format!("{}x{}", "{".repeat(20), "}".repeat(20));
        assert!(parse(&ok).is_ok());
        let fracs = r"\frac".repeat(100) + &"{a}".repeat(101);
        assert_eq!(err(&fracs).0, "nested too deeply");
    }

    #[test]
    fn matrix_rows_and_trailing_separator() {
        let nodes = parse(r"\begin{bmatrix} a & b \\ c & d \\ \end{bmatrix}").unwrap_or_default();
        let Some(Node::Matrix(m)) = nodes.first() else {
            panic!("not a matrix: {nodes:?}");
        };
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.columns(), 2);
    }
}
