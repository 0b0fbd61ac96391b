//! The home screen: the course's lessons in order, with the selected lesson's
//! summary.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::app::App;
use super::text::{clean, plain};

/// At most this many skipped files are named on the home screen.
const SKIPPED_SHOWN: usize = 3;

pub fn view(app: &App, frame: &mut Frame, area: Rect) {
    let skipped = skipped_lines(app);
    let [head, list_area, skipped_area, summary_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(skipped.len() as u16),
        Constraint::Length(5),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(skipped), skipped_area);
    let head_text = vec![
        Line::from(vec![
            // The logo is a symbol ASCII does not have.
            Span::styled(
                if nabla_engine::render::charset::ascii() {
                    " nabla "
                } else {
                    " ∇ nabla "
                },
                app.theme.title(),
            ),
            Span::styled(
                "— matrix calculus, one derivative at a time",
                app.theme.dim(),
            ),
        ]),
        continue_line(app),
    ];
    frame.render_widget(Paragraph::new(head_text), head);
    if app.course.lessons.is_empty() {
        frame.render_widget(
            Paragraph::new("No lessons could be loaded. Run `nabla lint` (with the same --lessons DIR) to see why.")
                .block(Block::bordered().title(" Lessons ")),
            list_area,
        );
        return;
    }
    let items: Vec<ListItem> = app
        .course
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let n = l.data.exercises.len();
            let status = match app.completion(i) {
                Some((done, total)) => format!("   {done}/{total} solved"),
                None => format!("   {n} exercise{}", if n == 1 { "" } else { "s" }),
            };
            ListItem::new(Line::from(vec![
                Span::raw(format!(" {i}  {}", clean(l.title()))),
                Span::styled(status, app.theme.dim()),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(Block::bordered().title(" Lessons "))
        .highlight_style(app.theme.selected())
        .highlight_symbol("▸");
    let mut state = ListState::default().with_selected(Some(app.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
    if let Some(l) = app.course.lessons.get(app.selected) {
        let summary = l
            .data
            .summary
            .as_ref()
            .map(|s| plain(s.get_ref()))
            .unwrap_or_default();
        let text = vec![
            Line::styled(clean(l.title()), app.theme.heading()),
            Line::raw(summary),
        ];
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }),
            summary_area.inner(ratatui::layout::Margin::new(1, 0)),
        );
    }
}

/// One line per lesson file that did not load (the first few), saying
/// which and why: the rest of the course is there, and this says what is
/// missing from it.
fn skipped_lines(app: &App) -> Vec<Line<'static>> {
    let errors = &app.course.errors;
    let mut lines: Vec<Line<'static>> = errors
        .iter()
        .take(SKIPPED_SHOWN)
        .map(|e| {
            Line::from(vec![
                Span::styled(" Skipped ", app.theme.bad()),
                Span::styled(e.one_line(), app.theme.dim()),
            ])
        })
        .collect();
    if errors.len() > SKIPPED_SHOWN {
        lines.push(Line::styled(
            format!(
                " … and {} more skipped files: `nabla lint` lists them all",
                errors.len() - SKIPPED_SHOWN
            ),
            app.theme.dim(),
        ));
    }
    lines
}

/// "Continue: <lesson>" when the student has read before.
fn continue_line(app: &App) -> Line<'static> {
    let last = app
        .store
        .as_ref()
        .and_then(|s| s.progress().last_lesson.as_deref());
    let mut spans = match last.and_then(|id| app.course.lesson(id)) {
        Some(l) => vec![
            Span::styled(" Continue where you left off: ", app.theme.dim()),
            Span::raw(clean(l.title())),
            Span::styled(" (Enter)", app.theme.dim()),
        ],
        None => Vec::new(),
    };
    let due = app.due_count();
    if due > 0 {
        spans.push(Span::styled(
            format!("   {due} review{} due (z)", if due == 1 { "" } else { "s" }),
            app.theme.key(),
        ));
    }
    Line::from(spans)
}
