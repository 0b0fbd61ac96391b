//! Drawing the exercise screen: prompt, declared shapes, numbers, steps,
//! hints, the grade and the solution above; the answer box and its live
//! read-back below.

use nabla_engine::grade::Verdict;
use nabla_engine::lesson::Kind;
use nabla_engine::lesson::coaching::{self, Coaching};
use nabla_engine::render::render_math;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::exercise::{ExerciseState, Preview, located};
use super::text::{markdown, plain};

fn blank(out: &mut Vec<Line<'static>>) {
    out.push(Line::default());
}

/// `A ∈ ℝᵐˣⁿ (symmetric)` for each declared name.
fn shapes_line(
    app: &App,
    given: &std::collections::BTreeMap<String, String>,
) -> Vec<Line<'static>> {
    let mut spans = vec![Span::styled("Given ", app.theme.dim())];
    for (i, (name, spec)) in given.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(",  "));
        }
        let mut words = spec.split_whitespace().peekable();
        let dims: Vec<&str> = {
            let mut d = Vec::new();
            if let Some(first) = words.next() {
                d.push(first);
                if words.peek() == Some(&"x") {
                    words.next();
                    if let Some(c) = words.next() {
                        d.push(c);
                    }
                }
            }
            d
        };
        let props: Vec<&str> = words.collect();
        let space = match dims.as_slice() {
            ["scalar"] => "\\mathbb{R}".to_string(),
            [n] => format!("\\mathbb{{R}}^{{{n}}}"),
            [m, n] => format!("\\mathbb{{R}}^{{{m} \\times {n}}}"),
            _ => spec.clone(),
        };
        let math = render_math(&format!("{name} \\in {space}"), false)
            .ok()
            .and_then(|b| b.lines.first().map(|l| l.plain_text()))
            .unwrap_or_else(|| format!("{name}: {spec}"));
        spans.push(Span::raw(math));
        if !props.is_empty() {
            spans.push(Span::styled(
                format!(" ({})", props.join(", ")),
                app.theme.dim(),
            ));
        }
    }
    vec![Line::from(spans)]
}

/// A matrix of numbers as a bracketed grid, wrong entries marked.
fn grid(app: &App, name: &str, rows: &[Vec<f64>], wrong: &[(usize, usize)]) -> Vec<Line<'static>> {
    use nabla_engine::render::grid::{brackets, number_cells};
    let (cells, widths) = number_cells(rows, nabla_engine::expr::print::format_number);
    let n = cells.len();
    let label = format!("  {name} = ");
    cells
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (open, close) = brackets(n, i);
            let lead = if i == (n - 1) / 2 {
                label.clone()
            } else {
                " ".repeat(label.chars().count())
            };
            let mut spans = vec![Span::raw(lead), Span::raw(format!("{open} "))];
            for (j, c) in r.iter().enumerate() {
                let style = if wrong.contains(&(i + 1, j + 1)) {
                    app.theme.bad()
                } else {
                    ratatui::style::Style::new()
                };
                spans.push(Span::styled(format!("{c:>w$}", w = widths[j]), style));
                spans.push(Span::raw(if j + 1 < r.len() { "  " } else { " " }));
            }
            spans.push(Span::raw(close.to_string()));
            Line::from(spans)
        })
        .collect()
}

/// Everything above the answer box.
pub fn content(app: &App, e: &ExerciseState, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let ex = located(&app.course, e.lesson, e.index).ex;
    let shown = match &e.shown {
        Ok(s) => s,
        Err(m) => {
            out.push(Line::styled(
                format!("This exercise cannot be shown: {m}"),
                app.theme.bad(),
            ));
            return out;
        }
    };
    out.extend(markdown(app.theme, ex.prompt.get_ref(), width));
    blank(&mut out);
    if !shown.given.is_empty() {
        out.extend(shapes_line(app, &shown.given));
        blank(&mut out);
    }
    if let Some(aliases) = &shown.aliases {
        let names: Vec<String> = aliases.iter().map(|(n, s)| format!("{n} = {s}")).collect();
        out.push(Line::from(vec![
            Span::styled("Names you may use  ", app.theme.dim()),
            Span::styled(names.join(",  "), app.theme.code()),
        ]));
        blank(&mut out);
    }
    if let Some(values) = &shown.values {
        for (name, rows) in values {
            out.extend(grid(app, name, rows, &[]));
            blank(&mut out);
        }
    }
    if let Some(choices) = &shown.choices {
        // In the instance's order, as the engine numbers them for grading.
        let order = nabla_engine::lesson::grading::choice_order(ex, e.seed);
        for (i, c) in order.iter().filter_map(|&k| ex.choices.get(k)).enumerate() {
            let mut body = markdown(app.theme, c.get_ref(), width.saturating_sub(5));
            for (j, l) in body.iter_mut().enumerate() {
                let lead = if j == 0 {
                    format!("  {}. ", i + 1)
                } else {
                    "     ".to_string()
                };
                l.spans.insert(0, Span::styled(lead, app.theme.key()));
            }
            out.extend(body);
        }
        debug_assert_eq!(choices.len(), ex.choices.len());
        blank(&mut out);
    }
    if let Some(forward) = &shown.forward {
        out.push(Line::styled("Forward pass", app.theme.heading()));
        for l in forward {
            out.push(Line::styled(format!("    {l}"), app.theme.code()));
        }
        blank(&mut out);
    }
    if let Some(steps) = &shown.steps {
        out.push(Line::styled("Steps", app.theme.heading()));
        for (i, s) in steps.iter().enumerate() {
            let (mark, style) = if i < e.step || (e.solved && i == e.step) {
                ("✓", app.theme.dim())
            } else if i == e.step {
                ("▸", app.theme.key())
            } else {
                (" ", app.theme.dim())
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {mark} {}. ", i + 1), style),
                Span::styled(format!("{}   ({})", s.prompt, s.expected_shape), style),
            ]));
        }
        blank(&mut out);
    }
    for (i, h) in ex.hints.iter().take(e.hints).enumerate() {
        let mut body = markdown(app.theme, h.get_ref(), width.saturating_sub(8));
        for (j, l) in body.iter_mut().enumerate() {
            let lead = if j == 0 {
                format!("Hint {}: ", i + 1)
            } else {
                "        ".to_string()
            };
            l.spans.insert(0, Span::styled(lead, app.theme.key()));
        }
        out.extend(body);
    }
    if e.kind == Some(Kind::Backprop)
        && let Some(step) = ex.steps.get(e.step)
    {
        for (i, h) in step
            .hints
            .iter()
            .take(e.hints.saturating_sub(ex.hints.len()))
            .enumerate()
        {
            out.push(Line::from(vec![
                Span::styled(format!("Step hint {}: ", i + 1), app.theme.key()),
                Span::raw(plain(h.get_ref())),
            ]));
        }
    }
    if e.hints > 0 {
        blank(&mut out);
    }
    if let Some(o) = &e.outcome {
        let g = &o.grade;
        let (mark, style) = match g.verdict {
            Verdict::Correct => ("✓ ", app.theme.ok()),
            _ => ("✗ ", app.theme.bad()),
        };
        let mut head = vec![Span::styled(
            format!("{mark}{}", verdict_words(g.verdict)),
            style,
        )];
        if let Some(d) = g.diagnosis {
            head.push(Span::styled(
                format!("  [{}]", ExerciseState::diagnosis_words(d)),
                app.theme.dim(),
            ));
        }
        let missed = matches!(g.verdict, Verdict::WrongShape | Verdict::Incorrect);
        // After a miss the engine's stepped feedback decides what is shown.
        let coaching = e.coaching.as_ref().filter(|_| missed);
        let feedback = match coaching {
            Some(c) => c.feedback.as_ref(),
            None => o.feedback.as_ref(),
        };
        if o.feedback.is_some() {
            head.push(Span::styled("  [a known mistake]", app.theme.dim()));
        }
        out.push(Line::from(head));
        if !e.graded.is_empty() && g.verdict != Verdict::InvalidAnswer {
            out.push(Line::styled(
                format!("  your answer: {}", g.read_as.clone().unwrap_or_default()),
                app.theme.dim(),
            ));
        }
        for l in markdown(app.theme, &g.message, width.saturating_sub(2)) {
            let mut l = l;
            l.spans.insert(0, Span::raw("  "));
            out.push(l);
        }
        if let Some(f) = feedback {
            for mut l in markdown(app.theme, f, width.saturating_sub(2)) {
                l.spans.insert(0, Span::raw("  "));
                out.push(l);
            }
        }
        if let Some(c) = coaching {
            let step = (e.kind == Some(Kind::Backprop)).then_some(e.step);
            let more_hints = coaching::hints_available(ex, step) > e.hints;
            for line in coaching_lines(e, c, more_hints) {
                for mut l in markdown(app.theme, &line, width.saturating_sub(2)) {
                    l.spans.insert(0, Span::raw("  "));
                    l.spans
                        .iter_mut()
                        .for_each(|s| s.style = s.style.patch(app.theme.dim()));
                    out.push(l);
                }
            }
        }
        if !o.wrong_entries.is_empty()
            && let Ok(v) =
                nabla_engine::expr::compile(&e.graded, Some(&nabla_engine::expr::Decls::default()))
            && let Ok(m) =
                nabla_engine::expr::eval(&v.typed, &nabla_engine::expr::Sizes::new(), &[])
        {
            let rows = nabla_engine::lesson::instance::rows(&m);
            out.extend(grid(app, "yours", &rows, &o.wrong_entries));
        }
        blank(&mut out);
    }
    if e.solution || e.solved {
        if let Some(s) = &ex.solution {
            out.push(Line::styled("Worked solution", app.theme.heading()));
            out.extend(markdown(app.theme, s.get_ref(), width));
            blank(&mut out);
        }
        if !e.worked.is_empty() {
            out.push(Line::styled("On your numbers", app.theme.heading()));
            for step in &e.worked {
                out.extend(grid(app, &step.expr, &step.rows, &[]));
            }
            blank(&mut out);
        }
        match &e.derivation {
            Some(Ok((result, steps))) => {
                out.push(Line::styled("nabla's derivation", app.theme.heading()));
                for (i, step) in steps.iter().enumerate() {
                    out.push(Line::from(vec![
                        Span::styled(format!("{:>3}. ", i + 1), app.theme.dim()),
                        Span::raw(step.clone()),
                    ]));
                }
                out.push(Line::from(vec![
                    Span::styled("  result: ", app.theme.dim()),
                    Span::styled(result.clone(), app.theme.heading()),
                ]));
                blank(&mut out);
            }
            Some(Err(m)) => {
                out.push(Line::styled(
                    format!("nabla cannot derive this one: {m}"),
                    app.theme.dim(),
                ));
                blank(&mut out);
            }
            None => {}
        }
        if e.solved {
            let next = if matches!(e.kind, Some(Kind::Derive | Kind::Backprop)) {
                "Solved. F6: nabla's derivation · F4: another variant · PgDn: next"
            } else {
                "Solved. F4: another variant · PgDn: next exercise · Esc: back"
            };
            out.push(Line::styled(next, app.theme.dim()));
        }
    }
    out
}

/// What comes next after a miss, in words: a held-back note, the hint just
/// opened, and how the answer can be seen.
fn coaching_lines(e: &ExerciseState, c: &Coaching, more_hints: bool) -> Vec<String> {
    let mut out = Vec::new();
    if c.held_back {
        out.push(
            "The lesson knows this mistake; what it says about it gives the answer away, so it comes with the answer."
                .to_string(),
        );
    }
    if let Some(n) = e.opened_hint {
        out.push(format!("Hint {n} is open above."));
    }
    if c.reveal {
        out.push(format!(
            "After {} wrong answers the worked solution is shown below: read it, then type the answer to finish.",
            e.step_wrong
        ));
    } else if !e.solution {
        let left = match c.misses_left {
            Some(1) => " (shown by itself after one more miss)".to_string(),
            Some(k) if k > 1 => format!(" (shown by itself after {k} more misses)"),
            _ => String::new(),
        };
        let hint = if more_hints { "F2: a hint · " } else { "" };
        out.push(format!("{hint}F3: the solution{left}"));
    }
    out
}

/// The title, the exercise's id and kind, and where it is in the lesson
/// (or the quiz).
fn header(app: &App, e: &ExerciseState) -> Line<'static> {
    let ex = located(&app.course, e.lesson, e.index).ex;
    let total = app.course.lessons[e.lesson].data.exercises.len();
    let mut title = vec![
        Span::styled(
            format!(" {} ", plain(ex.title.get_ref())),
            app.theme.title(),
        ),
        Span::styled(
            format!(
                " {} · {} · {}/{}",
                e.id(&app.course),
                ex.kind.get_ref(),
                e.index + 1,
                total
            ),
            app.theme.dim(),
        ),
    ];
    if let Some(q) = &app.quiz {
        // First: where the student is in the quiz matters most.
        title.insert(
            0,
            Span::styled(
                format!(" quiz {}/{} ", q.position + 1, q.ids.len()),
                app.theme.key(),
            ),
        );
    }
    Line::from(title)
}

fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Correct => "Correct",
        Verdict::Incorrect => "Not yet",
        Verdict::WrongShape => "Wrong shape",
        Verdict::InvalidAnswer => "Cannot read that",
    }
}

pub fn view(app: &App, e: &ExerciseState, frame: &mut Frame, area: Rect) {
    // The header wraps rather than lose its count at the right edge.
    let header = super::text::fit(vec![header(app, e)], area.width as usize, 1);
    let [top, body, input_area, preview_area] = Layout::vertical([
        Constraint::Length(header.len().min(3) as u16),
        Constraint::Min(1),
        Constraint::Length(e.grid.as_ref().map_or(3, |g| g.rows as u16 + 2)),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(header), top);
    let width = (body.width as usize).saturating_sub(2).clamp(10, 100);
    let lines = super::text::fit(content(app, e, width), width, 6);
    let max = lines.len().saturating_sub(body.height as usize);
    // Keep the newest part (the grade) in view unless the user scrolled.
    let scroll = e.scroll.min(max);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(body.height as usize)
        .collect();
    frame.render_widget(
        Paragraph::new(visible),
        body.inner(ratatui::layout::Margin::new(1, 0)),
    );
    // The answer box.
    let label = match e.kind {
        Some(Kind::Shape) => " Shape (like m x n) ",
        Some(Kind::Choice) => " Choice number ",
        Some(Kind::Compute) if e.grid.is_some() => {
            " Numbers: Tab to the next cell, Ctrl-G to type instead "
        }
        Some(Kind::Compute) => " Numbers (like [1, 2; 3, 4]; Ctrl-G for a grid) ",
        _ => " Answer ",
    };
    // Shared with the caret under a parse error in the preview below.
    let prompt = "› ";
    let prompt_width = nabla_engine::text::width::str_width(prompt);
    let room = (input_area.width as usize)
        .saturating_sub(prompt_width + 1)
        .max(1);
    let window = e.input.window(room);
    if let Some(g) = &e.grid {
        grid_box(app, g, frame, input_area);
    } else {
        let block = Block::default()
            .borders(Borders::TOP | Borders::BOTTOM)
            .title(label);
        let inner = block.inner(input_area);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(prompt, app.theme.key()),
                Span::raw(window.text.clone()),
            ]))
            .block(block),
            input_area,
        );
        if inner.width > 0 && inner.height > 0 && !app.help {
            let x = inner.x + (prompt_width + window.cursor_column) as u16;
            frame.set_cursor_position(Position::new(
                x.min(inner.right().saturating_sub(1)),
                inner.y,
            ));
        }
    }
    let preview = match &e.preview {
        Preview::Empty => vec![Line::styled(
            " Type your answer; Enter grades it. F1 lists every key.",
            app.theme.dim(),
        )],
        Preview::Reading {
            read_as,
            shape,
            fits,
        } => {
            let mut spans = vec![
                Span::styled(" read as  ", app.theme.dim()),
                Span::raw(read_as.clone()),
            ];
            if !shape.is_empty() {
                spans.push(Span::raw(format!("   {shape}")));
            }
            match fits {
                Some(true) => spans.push(Span::styled(" ✓", app.theme.ok())),
                // Whether the answer's shape fits, not what the shape
                // should be: working that out is part of the exercise.
                Some(false) => {
                    spans.push(Span::styled(" ✗ not the shape asked for", app.theme.bad()))
                }
                None => {}
            }
            vec![Line::from(spans)]
        }
        Preview::Error {
            message,
            start,
            end,
            ..
        } => {
            // In display columns, under the characters as the box shows them.
            let from = e.input.column_of(&window, *start);
            let to = e.input.column_of(&window, *end);
            vec![
                Line::styled(
                    format!(
                        "{}{}",
                        " ".repeat(prompt_width + from),
                        "^".repeat(to.saturating_sub(from).max(1))
                    ),
                    app.theme.bad(),
                ),
                Line::styled(format!(" {message}"), app.theme.bad()),
            ]
        }
    };
    frame.render_widget(Paragraph::new(preview), preview_area);
}

/// The grid editor: a bracketed grid of cells, the current one highlighted.
fn grid_box(app: &App, g: &super::grid::Grid, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .title(" Numbers: Tab to the next cell, Ctrl-G to type instead ");
    let inner = block.inner(area);
    let width = g
        .cells
        .iter()
        .map(|c| nabla_engine::text::width::str_width(c))
        .max()
        .unwrap_or(0)
        .max(4);
    let mut lines = Vec::new();
    let mut cursor = None;
    for r in 0..g.rows {
        let (open, close) = nabla_engine::render::grid::brackets(g.rows, r);
        let mut spans = vec![Span::raw(format!("  {open} "))];
        let mut col = 4;
        for c in 0..g.cols {
            let i = r * g.cols + c;
            let text = &g.cells[i];
            let style = if i == g.at {
                app.theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            if i == g.at {
                cursor = Some((col + nabla_engine::text::width::str_width(text), r));
            }
            let pad = width.saturating_sub(nabla_engine::text::width::str_width(text));
            spans.push(Span::styled(format!("{text}{}", " ".repeat(pad)), style));
            spans.push(Span::raw("  "));
            col += width + 2;
        }
        spans.push(Span::raw(close.to_string()));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if let Some((x, y)) = cursor
        && !app.help
        && inner.width > 0
        && (y as u16) < inner.height
    {
        let x = (inner.x + x as u16).min(inner.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + y as u16));
    }
}
