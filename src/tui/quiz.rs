//! Self-quiz: exercises drawn across lessons, one after another, and the
//! summary at the end — score, time, per topic, and what to review.

use std::collections::BTreeMap;
use std::time::Instant;

use nabla_engine::lesson::Course;
use nabla_engine::lesson::grading::Outcome;
use nabla_engine::progress::MistakeKind;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::App;

/// How one exercise of the quiz went.
#[derive(Clone, Debug, Default)]
pub struct Item {
    pub id: String,
    pub solved: bool,
    pub first_time: bool,
    pub gave_up: bool,
    /// Diagnosis codes of the wrong answers given.
    pub diagnoses: Vec<String>,
}

pub struct Quiz {
    /// Full exercise ids, in the order asked.
    pub ids: Vec<String>,
    pub position: usize,
    pub started: Instant,
    pub items: Vec<Item>,
}

impl Quiz {
    pub fn new(ids: Vec<String>) -> Quiz {
        Quiz {
            ids,
            position: 0,
            started: Instant::now(),
            items: Vec::new(),
        }
    }

    /// The record of exercise `id`, created on first use.
    pub fn item(&mut self, id: &str) -> &mut Item {
        let i = match self.items.iter().position(|it| it.id == id) {
            Some(i) => i,
            None => {
                self.items.push(Item {
                    id: id.to_string(),
                    ..Item::default()
                });
                self.items.len() - 1
            }
        };
        &mut self.items[i]
    }
}

/// The kind a wrong answer is remembered by, as progress counts it
/// (`MistakeKind::of`: the engine's diagnosis before the lesson's known
/// mistake, then the verdict).
pub fn diagnosis_code(o: &Outcome) -> Option<String> {
    MistakeKind::of(o).map(|k| k.code().to_string())
}

/// What the student sees when a quiz ends.
#[derive(Clone, Debug)]
pub struct Summary {
    pub asked: usize,
    pub solved: usize,
    pub first_time: usize,
    pub seconds: u64,
    /// Lesson title → (right first time, asked).
    pub per_topic: Vec<(String, usize, usize)>,
    /// Exercises to review, with what went wrong.
    pub review: Vec<(String, String)>,
}

impl Summary {
    pub fn of(q: &Quiz, course: &Course) -> Summary {
        let item = |id: &str| {
            q.items
                .iter()
                .find(|it| it.id == id)
                .cloned()
                .unwrap_or_default()
        };
        let mut topics: BTreeMap<usize, (String, usize, usize)> = BTreeMap::new();
        let mut review = Vec::new();
        for id in &q.ids {
            let it = item(id);
            let lesson = id.split('/').next().unwrap_or("");
            let (order, title) = course
                .lessons
                .iter()
                .enumerate()
                .find(|(_, l)| l.id() == lesson)
                .map_or((usize::MAX, lesson.to_string()), |(i, l)| {
                    (i, super::text::clean(l.title()))
                });
            let entry = topics.entry(order).or_insert((title, 0, 0));
            entry.2 += 1;
            if it.first_time {
                entry.1 += 1;
            } else {
                let why = if !it.solved && it.diagnoses.is_empty() {
                    if it.gave_up {
                        "gave up".to_string()
                    } else {
                        "skipped".to_string()
                    }
                } else if it.diagnoses.is_empty() {
                    "needed hints".to_string()
                } else {
                    let mut d = it.diagnoses.clone();
                    d.dedup();
                    let words: Vec<&str> = d.iter().map(|k| MistakeKind::words(k)).collect();
                    words.join(", ")
                };
                review.push((id.clone(), why));
            }
        }
        Summary {
            asked: q.ids.len(),
            solved: q.items.iter().filter(|i| i.solved).count(),
            first_time: q.items.iter().filter(|i| i.first_time).count(),
            seconds: q.started.elapsed().as_secs(),
            per_topic: topics.into_values().collect(),
            review,
        }
    }
}

pub fn view(app: &App, s: &Summary, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let mut lines = vec![
        Line::styled("Quiz finished", t.title()),
        Line::default(),
        Line::from(vec![
            Span::styled("Score  ", t.dim()),
            Span::styled(
                format!("{} of {} right first time", s.first_time, s.asked),
                t.heading(),
            ),
            Span::raw(format!("   ({} solved in the end)", s.solved)),
        ]),
        Line::from(vec![
            Span::styled("Time   ", t.dim()),
            Span::raw(format!("{}m {:02}s", s.seconds / 60, s.seconds % 60)),
        ]),
        Line::default(),
        Line::styled("Per topic", t.heading()),
    ];
    for (title, right, asked) in &s.per_topic {
        lines.push(Line::raw(format!("  {right}/{asked}  {title}")));
    }
    lines.push(Line::default());
    if s.review.is_empty() {
        lines.push(Line::styled(
            "Nothing to review: every answer was right the first time.",
            t.ok(),
        ));
    } else {
        lines.push(Line::styled("To review", t.heading()));
        for (id, why) in &s.review {
            lines.push(Line::from(vec![
                Span::raw(format!("  {id}  ")),
                Span::styled(format!("({why})"), t.dim()),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled("Enter or Esc: back to the lessons.", t.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Self-quiz ")),
        area,
    );
}
