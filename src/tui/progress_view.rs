//! The progress screen: per lesson, the mistakes counted by kind, the
//! reviews due, the recent mistakes (only those still wrong or due again)
//! and the last quiz.

use nabla_engine::progress::{MistakeKind, Progress, now};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::App;

/// Mistake kinds in a student's words: the engine's, shared with `nabla
/// progress`, with a reminder of what each means.
pub fn skill_words(code: &str) -> String {
    let words = MistakeKind::words(code);
    match code {
        "transpose" => format!("{words} (the layout)"),
        "scale" => format!("{words} (a 2 here or there)"),
        "known_mistake" => format!("{words} (listed by the lesson)"),
        _ => words.to_string(),
    }
}

fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn lines(app: &App, p: &Progress) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut out = vec![Line::styled("By lesson", t.heading())];
    for (i, l) in app.course.lessons.iter().enumerate() {
        let (done, total) = app.completion(i).unwrap_or((0, l.data.exercises.len()));
        out.push(Line::from(vec![
            Span::raw(format!("  {} ", bar(done, total, 12))),
            Span::raw(format!("{done:>2}/{total:<3} ")),
            Span::raw(super::text::clean(l.title())),
        ]));
    }
    out.push(Line::default());
    out.push(Line::styled(
        "By skill: where answers went wrong",
        t.heading(),
    ));
    let ids: Vec<&str> = p.exercises.keys().map(String::as_str).collect();
    let totals = p.diagnosis_totals(ids);
    if totals.is_empty() {
        out.push(Line::styled("  nothing yet", t.dim()));
    }
    for (code, n) in totals {
        out.push(Line::raw(format!("  {} ×{n}", skill_words(&code))));
    }
    out.push(Line::default());
    let due = p.due(now());
    out.push(Line::styled(
        format!("Reviews due now: {}", due.len()),
        t.heading(),
    ));
    for id in due.iter().take(5) {
        out.push(Line::raw(format!("  {}", super::text::clean(id))));
    }
    if due.is_empty()
        && let Some((id, at)) = p.next_review(now())
    {
        let mins = (at - now()).max(0) / 60;
        let when = if mins < 1 {
            "under a minute".to_string()
        } else if mins < 120 {
            format!("{mins} min")
        } else if mins < 48 * 60 {
            format!("{} h", mins / 60)
        } else {
            format!("{} days", mins / 1440)
        };
        out.push(Line::styled(
            format!("  next: {} in {when}", super::text::clean(&id)),
            t.dim(),
        ));
    }
    out.push(Line::default());
    out.push(Line::styled("Recent mistakes", t.heading()));
    // Only what is still a mistake: the latest answer was wrong, or the
    // exercise missed before is due again.
    let recent = p.recent_mistakes(now());
    if recent.is_empty() {
        out.push(Line::styled("  none", t.dim()));
    }
    for (id, e) in recent.iter().take(5) {
        let why = match (&e.last_kind, e.last_correct) {
            (Some(k), Some(false)) => skill_words(k),
            (_, Some(false)) => "wrong".to_string(),
            _ => "due again".to_string(),
        };
        out.push(Line::from(vec![
            Span::raw(format!("  {}  ", super::text::clean(id))),
            Span::styled(format!("({why})"), t.dim()),
        ]));
    }
    if let Some(q) = p.quizzes.last() {
        out.push(Line::default());
        out.push(Line::styled(
            format!(
                "Last quiz: {} of {} right first time, in {}m {:02}s",
                q.correct_first_time,
                q.asked,
                q.seconds / 60,
                q.seconds % 60
            ),
            t.dim(),
        ));
    }
    out
}

pub fn view(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    let body = match &app.store {
        Some(store) => {
            let mut l = lines(app, store.progress());
            l.push(Line::default());
            l.push(Line::styled(
                format!("Kept in {}", store.path.display()),
                app.theme.dim(),
            ));
            l
        }
        None => vec![Line::raw("Progress is not being kept in this session.")],
    };
    let visible: Vec<Line> = body.into_iter().skip(scroll).collect();
    frame.render_widget(
        Paragraph::new(visible).block(Block::bordered().title(" Progress ")),
        area,
    );
}
