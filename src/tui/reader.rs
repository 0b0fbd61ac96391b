//! The lesson reader: the lesson laid out as one scrolling document —
//! sections, then identities with their derivations revealed step by step,
//! then the exercises — with a table of contents to jump around.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph};

use super::action::Action;
use super::app::App;
use super::text::{clean, display_math, markdown, plain};
use super::theme::Theme;
use nabla_engine::lesson::Lesson;

/// A place the table of contents can jump to.
#[derive(Clone, Debug)]
pub struct Anchor {
    pub title: String,
    pub line: usize,
    /// The identity this anchor starts, if it is one.
    pub identity: Option<usize>,
}

/// The lesson drawn for one width.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub lines: Vec<Line<'static>>,
    pub anchors: Vec<Anchor>,
    pub width: usize,
}

pub struct ReaderState {
    pub lesson: usize,
    pub scroll: usize,
    /// How many derivation steps are shown, per identity.
    pub revealed: Vec<usize>,
    /// The selected entry while the table of contents is open.
    pub toc: Option<usize>,
    pub doc: Document,
}

/// Text is easier to read in a column of bounded width.
const MAX_TEXT_WIDTH: usize = 100;

pub fn text_width(app: &App) -> usize {
    (app.size.0 as usize)
        .saturating_sub(4)
        .clamp(10, MAX_TEXT_WIDTH)
}

/// Rows for the document: the screen less the title and key bars.
pub fn page_height(app: &App) -> usize {
    (app.size.1 as usize).saturating_sub(2).max(1)
}

impl ReaderState {
    pub fn new(app: &App, lesson: usize) -> ReaderState {
        let n = app.course.lessons[lesson].data.identities.len();
        let revealed = vec![0; n];
        let doc = layout(
            &app.course.lessons[lesson],
            app.theme,
            text_width(app),
            &revealed,
        );
        ReaderState {
            lesson,
            scroll: 0,
            revealed,
            toc: None,
            doc,
        }
    }

    /// Lays the document out again (new width, or more steps revealed),
    /// keeping the reader at the same place.
    pub fn relayout(mut self, app: &App) -> ReaderState {
        let anchor = self.current_anchor();
        let offset = anchor.map_or(0, |a| self.scroll.saturating_sub(self.doc.anchors[a].line));
        self.doc = layout(
            &app.course.lessons[self.lesson],
            app.theme,
            text_width(app),
            &self.revealed,
        );
        if let Some(a) = anchor.and_then(|a| self.doc.anchors.get(a)) {
            self.scroll = a.line + offset;
        }
        self.clamp(app);
        self
    }

    fn max_scroll(&self, app: &App) -> usize {
        self.doc.lines.len().saturating_sub(page_height(app))
    }

    fn clamp(&mut self, app: &App) {
        self.scroll = self.scroll.min(self.max_scroll(app));
    }

    /// The last anchor at or above the top third of the page.
    pub fn current_anchor(&self) -> Option<usize> {
        let probe = self.scroll + 2;
        self.doc.anchors.iter().rposition(|a| a.line <= probe)
    }

    /// The identity a reveal applies to: the one at the top of the page, or
    /// the first one visible on it.
    fn current_identity(&self, app: &App) -> Option<usize> {
        let bottom = self.scroll + page_height(app);
        let at_top = self
            .current_anchor()
            .and_then(|a| self.doc.anchors[a].identity);
        at_top.or_else(|| {
            self.doc
                .anchors
                .iter()
                .find(|a| a.identity.is_some() && a.line >= self.scroll && a.line < bottom)
                .and_then(|a| a.identity)
        })
    }

    pub fn update(mut self, app: &App, action: Action) -> Option<ReaderState> {
        let page = page_height(app);
        if let Some(sel) = self.toc {
            let n = self.doc.anchors.len();
            match action {
                Action::Down => self.toc = Some((sel + 1).min(n.saturating_sub(1))),
                Action::Up => self.toc = Some(sel.saturating_sub(1)),
                Action::Open => {
                    if let Some(a) = self.doc.anchors.get(sel) {
                        self.scroll = a.line;
                    }
                    self.toc = None;
                    self.clamp(app);
                }
                Action::Back | Action::Toc => self.toc = None,
                _ => {}
            }
            return Some(self);
        }
        let lesson = &app.course.lessons[self.lesson];
        match action {
            Action::Down => self.scroll += 1,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll += page.saturating_sub(2).max(1),
            Action::PageUp => {
                self.scroll = self.scroll.saturating_sub(page.saturating_sub(2).max(1))
            }
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = usize::MAX,
            Action::NextSection => {
                if let Some(a) = self.doc.anchors.iter().find(|a| a.line > self.scroll) {
                    self.scroll = a.line;
                }
            }
            Action::PrevSection => {
                if let Some(a) = self.doc.anchors.iter().rev().find(|a| a.line < self.scroll) {
                    self.scroll = a.line;
                }
            }
            Action::Toc => self.toc = Some(self.current_anchor().unwrap_or(0)),
            Action::Reveal => {
                if let Some(i) = self.current_identity(app) {
                    let total = lesson.data.identities[i].derivation.len();
                    self.revealed[i] = (self.revealed[i] + 1).min(total);
                    return Some(self.relayout(app));
                }
            }
            Action::RevealAll => {
                for (i, id) in lesson.data.identities.iter().enumerate() {
                    self.revealed[i] = id.derivation.len();
                }
                return Some(self.relayout(app));
            }
            Action::Back => return None,
            _ => {}
        }
        self.clamp(app);
        Some(self)
    }
}

/// Lays out a whole lesson for `width` columns.
pub fn layout(lesson: &Lesson, theme: Theme, width: usize, revealed: &[usize]) -> Document {
    let mut doc = Document {
        width,
        ..Document::default()
    };
    let d = &lesson.data;
    let anchor = |doc: &mut Document, title: String, identity: Option<usize>| {
        doc.anchors.push(Anchor {
            title,
            line: doc.lines.len(),
            identity,
        });
    };
    if let Some(s) = &d.summary {
        doc.lines.extend(
            markdown(theme, s.get_ref(), width)
                .into_iter()
                .map(|l| l.patch_style(theme.dim())),
        );
        doc.lines.push(Line::default());
    }
    for s in &d.sections {
        anchor(&mut doc, clean(s.title.get_ref()), None);
        doc.lines
            .push(Line::styled(clean(s.title.get_ref()), theme.heading()));
        doc.lines.push(Line::default());
        doc.lines.extend(markdown(theme, s.body.get_ref(), width));
        doc.lines.push(Line::default());
    }
    for (i, id) in d.identities.iter().enumerate() {
        anchor(&mut doc, clean(id.name.get_ref()), Some(i));
        doc.lines
            .push(Line::styled(clean(id.name.get_ref()), theme.heading()));
        doc.lines.push(Line::default());
        doc.lines
            .extend(display_math(theme, id.statement.get_ref(), width));
        doc.lines.push(Line::default());
        if let Some(n) = &id.note {
            doc.lines.extend(markdown(theme, n.get_ref(), width));
            doc.lines.push(Line::default());
        }
        let steps = &id.derivation;
        let shown = revealed.get(i).copied().unwrap_or(0).min(steps.len());
        if !steps.is_empty() {
            let status = if shown == steps.len() {
                format!(
                    "Derivation ({} step{})",
                    steps.len(),
                    if steps.len() == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "Derivation: {shown} of {} steps shown (r reveals the next)",
                    steps.len()
                )
            };
            doc.lines.push(Line::styled(status, theme.dim()));
            for (k, step) in steps.iter().take(shown).enumerate() {
                let mut body = markdown(theme, step.get_ref(), width.saturating_sub(4));
                for (j, l) in body.iter_mut().enumerate() {
                    let lead = if j == 0 {
                        format!("{:>2}. ", k + 1)
                    } else {
                        "    ".to_string()
                    };
                    l.spans.insert(0, Span::styled(lead, theme.dim()));
                }
                doc.lines.extend(body);
            }
            doc.lines.push(Line::default());
        }
    }
    if !d.exercises.is_empty() {
        anchor(&mut doc, "Exercises".to_string(), None);
        doc.lines.push(Line::styled("Exercises", theme.heading()));
        doc.lines.push(Line::styled(
            "Press e to practise them here, one after another (PgDn moves on).",
            theme.dim(),
        ));
        doc.lines.push(Line::default());
        for ex in &d.exercises {
            doc.lines.push(Line::from(vec![
                Span::raw("• "),
                Span::raw(plain(ex.title.get_ref())),
                Span::styled(
                    format!(
                        "  ({}, {}/{})",
                        ex.kind.get_ref(),
                        lesson.id(),
                        ex.id.get_ref()
                    ),
                    theme.dim(),
                ),
            ]));
        }
        doc.lines.push(Line::default());
    }
    doc
}

pub fn view(app: &App, r: &ReaderState, frame: &mut Frame, area: Rect) {
    let lesson = &app.course.lessons[r.lesson];
    let [top, body] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(area);
    let total = r.doc.lines.len().max(1);
    let pct = ((r.scroll + page_height(app)).min(total) * 100) / total;
    let where_ = r
        .current_anchor()
        .map(|a| r.doc.anchors[a].title.clone())
        .unwrap_or_default();
    let title = Line::from(vec![
        Span::styled(format!(" {} ", clean(lesson.title())), app.theme.title()),
        Span::styled(format!(" {where_} · {pct}%"), app.theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(title), top);
    let left = body.x + (body.width.saturating_sub(r.doc.width as u16)) / 2;
    let text_area = Rect {
        x: left.max(body.x),
        width: body.width.min(r.doc.width as u16 + 1),
        ..body
    };
    let visible: Vec<Line> = r
        .doc
        .lines
        .iter()
        .skip(r.scroll)
        .take(body.height as usize)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), text_area);
    if let Some(sel) = r.toc {
        toc_view(app, r, sel, frame, body);
    }
}

fn toc_view(app: &App, r: &ReaderState, sel: usize, frame: &mut Frame, area: Rect) {
    let w = area.width.min(48);
    let h = area.height.min(r.doc.anchors.len() as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y,
        width: w,
        height: h,
    };
    let items: Vec<ListItem> = r
        .doc
        .anchors
        .iter()
        .map(|a| ListItem::new(a.title.clone()))
        .collect();
    let list = List::new(items)
        .block(Block::bordered().title(" Contents "))
        .highlight_style(app.theme.selected());
    let mut state = ListState::default().with_selected(Some(sel));
    frame.render_widget(Clear, popup);
    frame.render_stateful_widget(list, popup, &mut state);
}
