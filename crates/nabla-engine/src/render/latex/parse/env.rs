//! Paired constructs: `\left … \middle … \right` and `\begin{…} … \end{…}`
//! environments (matrices, cases, aligned, gathered, array), the latter
//! parsed into rows of cells.

use super::super::super::RenderError;
use super::super::super::style::Style;
use super::super::super::symbols;
use super::super::ast::{Align, Env, Matrix, Node};
use super::super::lexer::{Tok, Token};
use super::Parser;

impl Parser<'_> {
    /// The delimiter after `\left`, `\right`, `\middle` or `\big`.
    pub(super) fn delimiter(&mut self, after: &str) -> Result<&'static str, RenderError> {
        self.skip_spaces();
        let offset = self.offset();
        let delim = match self.next().map(|t| &t.tok) {
            Some(Tok::Char(c)) => symbols::delimiter_char(*c),
            Some(Tok::Command(name)) => symbols::delimiter_command(name),
            _ => None,
        };
        delim.ok_or_else(|| RenderError::new(format!("missing delimiter after \\{after}"), offset))
    }

    pub(super) fn left_right(&mut self, style: Style, offset: usize) -> Result<Node, RenderError> {
        let left = self.delimiter("left")?;
        let mut parts = Vec::new();
        let mut middles = Vec::new();
        self.enter(offset)?;
        loop {
            parts.push(self.seq(style, false)?);
            match self.next() {
                Some(Token {
                    tok: Tok::Command(c),
                    ..
                }) if c == "middle" => middles.push(self.delimiter("middle")?),
                Some(Token {
                    tok: Tok::Command(c),
                    ..
                }) if c == "right" => break,
                Some(token) => return Err(self.stray(token)),
                None => return Err(RenderError::new("\\left without matching \\right", offset)),
            }
        }
        self.leave();
        let right = self.delimiter("right")?;
        Ok(Node::Delimited {
            left,
            right,
            parts,
            middles,
        })
    }

    /// The text of a `{name}` argument of `\begin`/`\end`.
    fn env_name(&mut self, after: &str) -> Result<String, RenderError> {
        self.skip_spaces();
        let offset = self.offset();
        let mut name = String::new();
        if self.next().map(|t| &t.tok) != Some(&Tok::Open) {
            return Err(RenderError::new(
                format!("missing {{name}} after {after}"),
                offset,
            ));
        }
        loop {
            match self.next().map(|t| &t.tok) {
                Some(Tok::Char(c)) => name.push(*c),
                Some(Tok::Close) => return Ok(name),
                _ => return Err(RenderError::new(format!("malformed {after}{{…}}"), offset)),
            }
        }
    }

    pub(super) fn environment(&mut self, style: Style, offset: usize) -> Result<Node, RenderError> {
        let name = self.env_name("\\begin")?;
        let (env, mut align) = match name.as_str() {
            "matrix" | "smallmatrix" => (matrix("", ""), vec![Align::Center]),
            "pmatrix" => (matrix("(", ")"), vec![Align::Center]),
            "bmatrix" => (matrix("[", "]"), vec![Align::Center]),
            "Bmatrix" => (matrix("{", "}"), vec![Align::Center]),
            "vmatrix" => (matrix("|", "|"), vec![Align::Center]),
            "Vmatrix" => (matrix("‖", "‖"), vec![Align::Center]),
            "cases" | "dcases" => (Env::Cases, vec![Align::Left]),
            "aligned" | "align" | "align*" | "split" | "alignat" | "alignat*" => {
                (Env::Aligned, Vec::new())
            }
            "gathered" | "gather" | "gather*" => (Env::Gathered, vec![Align::Center]),
            "array" => (Env::Array, Vec::new()),
            _ => {
                return Err(RenderError::new(
                    format!("unsupported environment {name}"),
                    offset,
                ));
            }
        };
        if env == Env::Array {
            align = self.column_spec()?;
        }
        if name.starts_with("alignat") {
            // The column-count argument only matters to LaTeX.
            self.arg(style, "alignat")?;
        }
        self.enter(offset)?;
        let mut rows = vec![Vec::new()];
        loop {
            let cell = self.seq(style, false)?;
            if let Some(row) = rows.last_mut() {
                row.push(cell);
            }
            let Some(token) = self.next() else {
                return Err(RenderError::new(
                    format!("\\begin{{{name}}} without matching \\end{{{name}}}"),
                    offset,
                ));
            };
            match &token.tok {
                Tok::Align => {}
                Tok::Command(c) if c == "\\" => {
                    self.skip_row_spacing();
                    rows.push(Vec::new());
                }
                Tok::Command(c) if c == "end" => break,
                _ => return Err(self.stray(token)),
            }
        }
        self.leave();
        let end_offset = self.offset();
        let end = self.env_name("\\end")?;
        if end != name {
            return Err(RenderError::new(
                format!("\\begin{{{name}}} closed by \\end{{{end}}}"),
                end_offset,
            ));
        }
        // A trailing `\\` before `\end` does not start a new row.
        if rows.len() > 1 && rows.last().is_some_and(|r| r.iter().all(Vec::is_empty)) {
            rows.pop();
        }
        Ok(Node::Matrix(Matrix { env, rows, align }))
    }

    /// `[2pt]` after `\\` and `\hline` only matter on paper.
    fn skip_row_spacing(&mut self) {
        self.skip_spaces();
        if self.peek().is_some_and(|t| t.tok == Tok::Char('[')) {
            while let Some(token) = self.next() {
                if token.tok == Tok::Char(']') {
                    break;
                }
            }
        }
        loop {
            self.skip_spaces();
            match self.peek().map(|t| &t.tok) {
                Some(Tok::Command(c)) if c == "hline" => self.pos += 1,
                _ => break,
            }
        }
    }

    /// The `{lcr}` column spec of `array`; `|` rules are ignored.
    fn column_spec(&mut self) -> Result<Vec<Align>, RenderError> {
        self.skip_spaces();
        let offset = self.offset();
        let bad = || RenderError::new("array needs a column spec like {cc}", offset);
        if self.next().map(|t| &t.tok) != Some(&Tok::Open) {
            return Err(bad());
        }
        let mut align = Vec::new();
        loop {
            match self.next().map(|t| &t.tok) {
                Some(Tok::Char('l')) => align.push(Align::Left),
                Some(Tok::Char('c')) => align.push(Align::Center),
                Some(Tok::Char('r')) => align.push(Align::Right),
                Some(Tok::Char('|') | Tok::Space) => {}
                Some(Tok::Close) if !align.is_empty() => return Ok(align),
                _ => return Err(bad()),
            }
        }
    }
}

fn matrix(left: &'static str, right: &'static str) -> Env {
    Env::Matrix { left, right }
}
