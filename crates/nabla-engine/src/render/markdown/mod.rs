//! Markdown (pulldown-cmark with its math extension) to styled, wrapped
//! lines. The [`Writer`] consumes parser events, keeps a stack of
//! containers (block quotes, list items) that decide each line's prefix,
//! buffers inline content as [`wrap::Piece`]s and wraps it when a block
//! ends. The same writer, configured differently, produces the plain-text
//! form, and lint findings come from [`source`].

mod source;
mod table;
#[cfg(test)]
mod tests;
mod wrap;

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::style::{Line, Style};
use super::{RenderError, latex};
use table::Table;
use wrap::Piece;

/// Widths below this are raised to it: narrower output is unreadable and
/// tiny widths would make wrapping degenerate.
const MIN_WIDTH: usize = 10;

/// Widths above this are lowered to it, so rules and centring padding stay
/// bounded whatever the caller passes.
const MAX_WIDTH: usize = 4096;

/// Render Markdown to lines wrapped at `width` columns. Fails with the
/// first problem [`check`] would report, so raw LaTeX never reaches the
/// screen.
pub fn render(src: &str, width: usize) -> Result<Vec<Line>, RenderError> {
    let mut writer = Writer::new(src, width.clamp(MIN_WIDTH, MAX_WIDTH), false);
    writer.run();
    match writer.first_error() {
        Some(error) => Err(error),
        None => Ok(writer.out),
    }
}

/// Every math error plus stray `$` and LaTeX commands outside math.
pub fn check(src: &str) -> Vec<RenderError> {
    let mut writer = Writer::new(src, 80, false);
    writer.run();
    let mut errors = writer.errors;
    errors.sort_by_key(|e| e.offset);
    errors
}

/// One logical paragraph per line, math inline.
pub fn to_plain(src: &str) -> Result<String, RenderError> {
    let mut writer = Writer::new(src, usize::MAX / 4, true);
    writer.run();
    if let Some(error) = writer.first_error() {
        return Err(error);
    }
    let lines: Vec<String> = writer.out.iter().map(Line::plain_text).collect();
    Ok(lines.join("\n"))
}

/// The Markdown nabla reads (math and tables), here and wherever lesson
/// text is looked into.
pub(crate) fn options() -> Options {
    Options::ENABLE_MATH | Options::ENABLE_TABLES
}

/// Something that indents the lines inside it.
enum Container {
    Quote,
    Item { marker: String, used: bool },
}

struct Writer<'s> {
    src: &'s str,
    width: usize,
    /// Plain-text mode: no wrapping, no blank lines, math always inline.
    plain: bool,
    out: Vec<Line>,
    errors: Vec<RenderError>,
    containers: Vec<Container>,
    /// Next number of each open list (`None` for bullet lists).
    lists: Vec<Option<u64>>,
    pieces: Vec<Piece>,
    bold: usize,
    italic: usize,
    heading: u8,
    code_block: Option<String>,
    table: Option<Table>,
    /// Open links: destination and where their text starts in `pieces`.
    links: Vec<(String, usize)>,
    /// A blank line is due before the next block.
    need_blank: bool,
}

impl<'s> Writer<'s> {
    fn new(src: &'s str, width: usize, plain: bool) -> Writer<'s> {
        Writer {
            src,
            width,
            plain,
            out: Vec::new(),
            errors: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            pieces: Vec::new(),
            bold: 0,
            italic: 0,
            heading: 0,
            code_block: None,
            table: None,
            links: Vec::new(),
            need_blank: false,
        }
    }

    fn first_error(&self) -> Option<RenderError> {
        self.errors.iter().min_by_key(|e| e.offset).cloned()
    }

    fn run(&mut self) {
        let parser = Parser::new_ext(self.src, options()).into_offset_iter();
        for (event, range) in parser {
            self.event(event, range);
        }
        self.flush();
    }

    /// The style of inline text at this point.
    fn style(&self) -> Style {
        let quote = self
            .containers
            .iter()
            .any(|c| matches!(c, Container::Quote));
        Style {
            bold: self.bold > 0 || self.heading > 0,
            italic: self.italic > 0,
            heading: self.heading,
            quote,
            ..Style::default()
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code_block {
                    code.push_str(&text);
                } else {
                    self.errors.extend(source::lint(self.src, range));
                    self.pieces
                        .push(Piece::Text(text.to_string(), self.style()));
                }
            }
            Event::Code(code) => {
                let style = Style {
                    code: true,
                    ..self.style()
                };
                // Code is typed as it stands, so a span broken at its
                // spaces would read as two things to type: it is one unit.
                self.pieces
                    .push(Piece::Unit(Line::styled(code.to_string(), style)));
            }
            Event::InlineMath(math) => self.math(&math, range, false),
            Event::DisplayMath(math) => self.math(&math, range, true),
            Event::Html(html) | Event::InlineHtml(html) => {
                let style = Style {
                    dim: true,
                    ..self.style()
                };
                self.pieces.push(Piece::Text(html.to_string(), style));
            }
            Event::SoftBreak => self.pieces.push(Piece::Text(" ".into(), self.style())),
            Event::HardBreak if self.plain => {
                self.pieces.push(Piece::Text(" ".into(), self.style()));
            }
            Event::HardBreak => self.pieces.push(Piece::Break),
            Event::Rule => {
                self.flush();
                if !self.plain {
                    self.start_block();
                    let rule = "─".repeat(self.avail());
                    let style = Style {
                        dim: true,
                        ..self.style()
                    };
                    self.emit(vec![Line::styled(rule, style)]);
                }
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.pieces.push(Piece::Text(mark.into(), self.style()));
            }
            Event::FootnoteReference(name) => {
                self.pieces
                    .push(Piece::Text(format!("[{name}]"), self.style()));
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = heading_level(level);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.start_block();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                // A list nested in an item hangs off the item's text.
                if !matches!(self.containers.last(), Some(Container::Item { .. })) {
                    self.start_block();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => ["• ", "◦ ", "▪ "][depth % 3].to_string(),
                };
                self.containers.push(Container::Item {
                    marker,
                    used: false,
                });
                self.need_blank = false;
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table = Some(Table::new(aligns));
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Link { dest_url, .. } => {
                self.links.push((dest_url.to_string(), self.pieces.len()))
            }
            Tag::Image { .. } => {
                let style = Style {
                    dim: true,
                    ..self.style()
                };
                self.pieces.push(Piece::Text("[image: ".into(), style));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = 0;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.containers.pop();
                self.need_blank = true;
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                self.code(&code);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.need_blank = true;
            }
            TagEnd::Item => {
                self.flush();
                if let Some(Container::Item { used: false, .. }) = self.containers.last() {
                    // An empty item still shows its marker.
                    self.emit(vec![Line::new()]);
                }
                self.containers.pop();
            }
            TagEnd::TableCell => {
                let pieces = std::mem::take(&mut self.pieces);
                let mut cell = Line::new();
                for line in wrap::wrap(&pieces, usize::MAX / 4) {
                    cell.append(&line);
                }
                if let Some(table) = &mut self.table {
                    table.push_cell(cell);
                }
            }
            TagEnd::TableHead => self.end_row(true),
            TagEnd::TableRow => self.end_row(false),
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.start_block();
                    let lines = if self.plain {
                        table.plain()
                    } else {
                        table.draw(self.avail())
                    };
                    self.emit(lines);
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => {
                let style = Style {
                    dim: true,
                    ..self.style()
                };
                self.pieces.push(Piece::Text("]".into(), style));
            }
            _ => {}
        }
    }

    fn end_row(&mut self, header: bool) {
        if let Some(table) = &mut self.table {
            table.end_row(header);
        }
    }

    /// Show a link's destination after its text unless they are the same.
    fn end_link(&mut self) {
        let Some((url, start)) = self.links.pop() else {
            return;
        };
        let text: String = self
            .pieces
            .get(start..)
            .unwrap_or_default()
            .iter()
            .map(|p| match p {
                Piece::Text(t, _) => t.clone(),
                Piece::Unit(line) => line.plain_text(),
                Piece::Break => String::new(),
            })
            .collect();
        if !url.is_empty() && text != url {
            let style = Style {
                dim: true,
                ..self.style()
            };
            self.pieces.push(Piece::Text(format!(" ({url})"), style));
        }
    }

    fn math(&mut self, math: &str, range: Range<usize>, display: bool) {
        // Tables and plain text have no room for 2-D math.
        let display = display && !self.plain && self.table.is_none();
        let block = match latex::render(math, display) {
            Ok(block) => block,
            Err(error) => {
                let base = source::math_offset(self.src, range, math);
                let offset = (base + error.offset).min(self.src.len());
                self.errors.push(RenderError::new(error.message, offset));
                let style = Style {
                    dim: true,
                    ..self.style()
                };
                self.pieces.push(Piece::Text(math.to_string(), style));
                return;
            }
        };
        let style = self.style();
        let mut lines = block.rows;
        for line in &mut lines {
            line.restyle(|s| s.merge(style));
        }
        if !display {
            let line = lines.into_iter().next().unwrap_or_default();
            self.pieces.push(Piece::Unit(line));
            return;
        }
        self.flush();
        self.start_block();
        let avail = self.avail();
        let indent = avail.saturating_sub(block.width) / 2;
        for line in &mut lines {
            let mut padded = Line::new();
            padded.pad(indent, Style::default());
            padded.append(line);
            *line = padded;
        }
        self.emit(lines);
    }

    fn code(&mut self, code: &str) {
        self.start_block();
        let style = Style {
            code: true,
            ..self.style()
        };
        let lines = code
            .trim_end_matches('\n')
            .split('\n')
            .map(|l| Line::styled(format!("  {}", l.replace('\t', "    ")), style))
            .collect();
        self.emit(lines);
    }

    /// Columns available inside the current containers.
    fn avail(&self) -> usize {
        let prefix: usize = self
            .containers
            .iter()
            .map(|c| match c {
                Container::Quote => 2,
                Container::Item { marker, .. } => super::style::str_width(marker),
            })
            .sum();
        self.width.saturating_sub(prefix).max(MIN_WIDTH)
    }

    /// Wrap and emit pending inline content as one block.
    fn flush(&mut self) {
        if self.pieces.is_empty() {
            return;
        }
        let pieces = std::mem::take(&mut self.pieces);
        let lines = wrap::wrap(&pieces, self.avail());
        if lines.is_empty() {
            return;
        }
        self.start_block();
        self.emit(lines);
    }

    /// Put the blank line due between blocks (never in plain mode).
    fn start_block(&mut self) {
        if self.need_blank && !self.plain && !self.out.is_empty() {
            let line = self.prefix(false);
            self.push_line(line);
        }
        self.need_blank = false;
    }

    /// Prefix of the next line; `consume` uses up unshown list markers.
    fn prefix(&mut self, consume: bool) -> Line {
        let quote = Style {
            quote: true,
            dim: true,
            ..Style::default()
        };
        let mut line = Line::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => line.push_str("│ ", quote),
                Container::Item { marker, used } if consume && !*used => {
                    *used = true;
                    line.push_str(marker, Style::default());
                }
                Container::Item { marker, .. } => {
                    line.pad(super::style::str_width(marker), Style::default());
                }
            }
        }
        line
    }

    fn emit(&mut self, lines: Vec<Line>) {
        for line in lines {
            let mut full = self.prefix(true);
            full.append(&line);
            self.push_line(full);
        }
        self.need_blank = true;
    }

    fn push_line(&mut self, mut line: Line) {
        line.trim_end();
        self.out.push(line);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
