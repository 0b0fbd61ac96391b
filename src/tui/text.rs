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
