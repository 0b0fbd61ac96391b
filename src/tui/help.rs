//! The help overlay and the bottom key bar, both generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::keys::{Context, bindings};

pub fn overlay(app: &App, frame: &mut Frame, area: Rect) {
    let context = app.context();
    let typing = context.has_text_focus();
    let mut groups: Vec<Vec<Line>> = Vec::new();
    let mut last = None;
    for b in bindings(context) {
        if last != Some(b.context) {
            let heading = match b.context {
                Context::Global => "Everywhere",
                Context::Home => "Home",
                Context::Reader => "Reading a lesson",
                Context::Toc => "Table of contents",
                Context::Exercise => "Solving an exercise (letters go to the answer box)",
                Context::Report => "Progress and quiz summary",
            };
            groups.push(vec![Line::styled(heading, app.theme.heading())]);
            last = Some(b.context);
        }
        // Where letters are typed, a letter key does nothing: do not list it.
        let label: Vec<&str> = b
            .label
            .split(' ')
            .filter(|k| !(typing && b.context == Context::Global && k.chars().count() == 1))
            .collect();
        if let Some(g) = groups.last_mut() {
            g.push(Line::from(vec![
                Span::styled(format!("  {:<12}", label.join(" ")), app.theme.key()),
                Span::raw(b.desc),
            ]));
        }
    }
    if typing {
        let mut g = vec![Line::styled("Editing the answer", app.theme.heading())];
        for (keys, desc) in super::keys::EDITING_KEYS {
            g.push(Line::from(vec![
                Span::styled(format!("  {keys:<12}"), app.theme.key()),
                Span::raw(*desc),
            ]));
        }
        groups.push(g);
    }
    // Blank lines between groups only when there is room for them.
    let rows: usize = groups.iter().map(Vec::len).sum();
    let spacious = rows + groups.len() + 1 < area.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        if i > 0 && spacious {
            lines.push(Line::default());
        }
        lines.extend(g);
    }
    let w = area.width.min(76);
    let h = area.height.min(lines.len() as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Keys ")
                .title_bottom(Line::styled(" any key closes ", app.theme.dim())),
        ),
        popup,
    );
}

/// The keys that work here, on one line.
pub fn bar(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(n) = &app.notice {
        frame.render_widget(
            Paragraph::new(Line::styled(super::text::clean(n), app.theme.bad()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for b in bindings(app.context()) {
        let Some(words) = b.bar else { continue };
        let key = b
            .label
            .split(' ')
            .find(|k| !(app.context().has_text_focus() && k.chars().count() == 1))
            .unwrap_or(b.label);
        spans.push(Span::styled(key.to_string(), app.theme.key()));
        spans.push(Span::styled(format!(" {words}  "), app.theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
