//! Adapts the engine's rendered text (`nabla_engine::render`, pure and terminal-free)
//! to ratatui lines, mapping its style flags to the theme. Lesson text is
//! untrusted: each function here sanitises what it is given
//! (`nabla_engine::text::sanitize`) before laying it out, so widths are
//! measured on what will be drawn, and [`clean`] does the same for text
//! drawn as it is (titles, names). `super::view` sanitises the finished
//! frame once more, whatever a screen forgot.

use nabla_engine::render;
use nabla_engine::text::sanitize;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme::Theme;

pub fn style(theme: Theme, s: render::Style) -> Style {
    let mut out = Style::new();
    if s.code {
        out = out.patch(theme.code());
    }
    if s.quote {
        out = out.patch(theme.quote());
    }
    if s.heading > 0 {
        out = out.patch(theme.heading());
    }
    if s.bold {
        out = out.add_modifier(Modifier::BOLD);
    }
    if s.italic {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if s.dim {
        out = out.add_modifier(Modifier::DIM);
    }
    out
}

pub fn line(theme: Theme, l: &render::Line) -> Line<'static> {
    Line::from(
        l.spans
            .iter()
            .map(|s| Span::styled(s.text.clone(), style(theme, s.style)))
            .collect::<Vec<_>>(),
    )
}

/// Markdown with math at `width`; a fragment that cannot be drawn becomes a
/// plain notice, never raw LaTeX.
pub fn markdown(theme: Theme, md: &str, width: usize) -> Vec<Line<'static>> {
    match render::render_markdown(&sanitize(md), width) {
        Ok(lines) => lines.iter().map(|l| line(theme, l)).collect(),
        Err(e) => vec![Line::styled(
            format!("(this part cannot be drawn: {})", e.message),
            theme.bad(),
        )],
    }
}

/// Display math, centred in `width`.
pub fn display_math(theme: Theme, latex: &str, width: usize) -> Vec<Line<'static>> {
    match render::render_math(&sanitize(latex), true) {
        Ok(block) => {
            let w = block
                .lines
                .iter()
                .map(render::Line::width)
                .max()
                .unwrap_or(0);
            let pad = width.saturating_sub(w) / 2;
            block
                .lines
                .iter()
                .map(|l| {
                    let mut out = line(theme, l);
                    out.spans.insert(0, Span::raw(" ".repeat(pad)));
                    out
                })
                .collect()
        }
        Err(e) => vec![Line::styled(
            format!("(this formula cannot be drawn: {})", e.message),
            theme.bad(),
        )],
    }
}

/// Plain text of markdown, one line (for titles and list entries).
pub fn plain(md: &str) -> String {
    let md = sanitize(md);
    let text = render::markdown_to_plain(&md).unwrap_or_else(|_| md.into_owned());
    ascii_if_wanted(text)
}

/// Text drawn as it is (a title, a name, a notice), sanitised, and in
/// ASCII with `--ascii` (spelled out before layout, so widths hold).
pub fn clean(s: &str) -> String {
    ascii_if_wanted(sanitize(s).into_owned())
}

fn ascii_if_wanted(text: String) -> String {
    if render::charset::ascii() && !text.is_ascii() {
        render::charset::fold(&text).into_owned()
    } else {
        text
    }
}

/// Lines broken to fit `width` display columns: a line too long goes on
/// below, indented by `indent` columns, broken after a space where one is
/// near (else anywhere), styles kept. Lines that fit are left as they are.
/// For text laid out by the tutor itself (steps, derivations, read-backs);
/// `markdown` already wraps what it lays out.
pub fn fit(lines: Vec<Line<'static>>, width: usize, indent: usize) -> Vec<Line<'static>> {
    use nabla_engine::text::width::{char_width, str_width};
    let width = width.max(indent + 8);
    let mut out = Vec::new();
    for l in lines {
        if l.width() <= width {
            out.push(l);
            continue;
        }
        // The line as (character, style) cells, cut into rows.
        let cells: Vec<(char, Style)> = l
            .spans
            .iter()
            .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
            .collect();
        let mut start = 0;
        let mut first = true;
        while start < cells.len() {
            let room = if first { width } else { width - indent };
            let (mut end, mut used) = (start, 0);
            while end < cells.len() && used + char_width(cells[end].0) <= room {
                used += char_width(cells[end].0);
                end += 1;
            }
            if end < cells.len() {
                // Break after the last space in the row's second half.
                if let Some(space) = (start + (end - start) / 2..end)
                    .rev()
                    .find(|&i| cells[i].0 == ' ')
                {
                    end = space + 1;
                }
            }
            end = end.max(start + 1);
            let mut spans: Vec<Span<'static>> = Vec::new();
            if !first {
                spans.push(Span::raw(" ".repeat(indent)));
            }
            for &(c, style) in &cells[start..end] {
                match spans.last_mut() {
                    Some(s) if s.style == style => s.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            let row = Line::from(spans);
            debug_assert!(str_width(&row.to_string()) <= width);
            out.push(row);
            start = end;
            first = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_long_line_goes_on_below_indented_at_a_space() {
        let l = Line::from(vec![
            Span::raw("  1. "),
            Span::raw("d(bᵀAx) = bᵀA dx by the product rule"),
        ]);
        let out = fit(vec![l], 24, 5);
        assert_eq!(
            rows(&out),
            ["  1. d(bᵀAx) = bᵀA dx ", "     by the product rule"]
        );
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let out = fit(vec![Line::raw("漢字漢字漢字漢字漢字漢字")], 10, 0);
        assert_eq!(rows(&out), ["漢字漢字漢", "字漢字漢字", "漢字"]);
    }

    #[test]
    fn lines_that_fit_are_kept() {
        let out = fit(vec![Line::raw("short"), Line::default()], 10, 2);
        assert_eq!(rows(&out), ["short", ""]);
    }
}
