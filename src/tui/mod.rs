//! The tutor: a ratatui application in The Elm Architecture — one model
//! (`app::App`), one action enum, `update` apart from `view`, one module per
//! screen. The engine (the `nabla-engine` crate) does the math; this module
//! only draws it and turns keys into actions.

pub mod action;
pub mod app;
pub mod exercise;
pub mod exercise_view;
pub mod grid;
pub mod hangup;
pub mod help;
pub mod home;
pub mod input;
pub mod keys;
pub mod progress_view;
pub mod quiz;
pub mod reader;
pub mod record;
pub mod screen;
pub mod signals;
pub mod text;
pub mod theme;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ascii;
#[cfg(test)]
mod tests_exercise;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_progress;

use std::io;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::{Frame, Terminal};

use action::Action;
use app::App;
use screen::Screen;

/// Below this the layout cannot work; a notice asks for more room instead.
pub const MIN_SIZE: (u16, u16) = (44, 12);

/// Runs the tutor until the user quits. The terminal is restored on every
/// exit: normal, error, panic (ratatui's hook restores it first), or one of
/// the signals of `signals` (saved and restored, then the signal ends it).
pub fn run(mut app: App) -> io::Result<()> {
    let signals = signals::Signals::catch()?;
    app.background = true;
    let mut terminal = ratatui::init();
    let size = terminal.size().unwrap_or_default();
    app.update(Action::Resize(size.width, size.height));
    // Hidden: NABLA_EXIT_AFTER_FIRST_FRAME=1 returns right after the first
    // frame is drawn. It exists only to measure start-up to first frame in a
    // pseudo-terminal (docs/performance.md, "Rendering").
    let first_frame_only =
        std::env::var_os("NABLA_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1");
    let result = event_loop(&mut terminal, &mut app, first_frame_only, &signals);
    // The last change (the key that quit, or one before a terminal error)
    // is written too; a failure then can only be told on stderr.
    let failed = app.flush();
    ratatui::restore();
    if failed && let Some(n) = &app.notice {
        use std::io::Write as _;
        let _ = writeln!(io::stderr(), "nabla: {}", nabla_engine::text::sanitize(n));
    }
    if let Some(signal) = signals.arrived() {
        // The terminal shows the cursor again when dropped; before the
        // signal ends the process, not after.
        drop(terminal);
        signals.end_with(signal);
    }
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    first_frame_only: bool,
    signals: &signals::Signals,
) -> io::Result<()> {
    while !app.quit {
        present(terminal, app)?;
        if first_frame_only {
            return Ok(());
        }
        // Wait for an event, looking for a signal every `POLL`, and for the
        // grading in flight (if any) more often.
        let mut finished = false;
        loop {
            let wait = if app.grading.is_some() {
                GRADING_POLL
            } else {
                signals::POLL
            };
            // Wait on the terminal ourselves: crossterm's reader spins
            // forever (unkillable but by SIGKILL) once the terminal is gone
            // (a closed window, a killed tmux), so it only ever reads a
            // terminal that has something to read and is still there.
            if hangup::wait(wait) == hangup::Tty::Gone {
                return Ok(());
            }
            if event::poll(Duration::ZERO)? {
                break;
            }
            if signals.arrived().is_some() {
                return Ok(());
            }
            if app.poll_grading(Duration::ZERO) {
                finished = true;
                break;
            }
        }
        if signals.arrived().is_some() {
            return Ok(());
        }
        if finished {
            continue;
        }
        match event::read()? {
            // Key releases and repeats are reported by some terminals; only
            // presses are actions.
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                handle_key(app, &k);
                // Most gradings take well under a millisecond: wait a
                // little, so their verdict is in the very next frame and
                // "Grading…" is only seen when it takes longer.
                app.poll_grading(GRADING_FIRST_WAIT);
            }
            Event::Resize(w, h) => app.update(Action::Resize(w, h)),
            _ => {}
        }
    }
    Ok(())
}

/// How long Enter waits for its grading before drawing "Grading…".
const GRADING_FIRST_WAIT: Duration = Duration::from_millis(30);

/// How often the event loop looks for a grading's result while one runs.
const GRADING_POLL: Duration = Duration::from_millis(10);

/// Shows the model, then writes the progress behind it: the frame (a
/// verdict, say) never waits for the progress file's fsync, and the file is
/// written before the loop waits for the next key, so a crash loses at most
/// the answer in flight. A save that fails is told in a second frame.
pub fn present<B: Backend>(terminal: &mut Terminal<B>, app: &mut App) -> Result<(), B::Error> {
    terminal.draw(|f| view(app, f))?;
    if app.flush() {
        terminal.draw(|f| view(app, f))?;
    }
    Ok(())
}

/// A key press: its action in the current context. While help is shown,
/// any key closes it, bound or not.
pub fn handle_key(app: &mut App, key: &crossterm::event::KeyEvent) {
    // While a grading runs, Esc gives up on it and Ctrl-C quits; other keys
    // wait (the answer being graded stays as it is).
    if app.grading.is_some() {
        if key.code == crossterm::event::KeyCode::Esc {
            app.cancel_grading();
        } else if matches!(keys::action(keys::Context::Global, key), Some(Action::Quit))
            && key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
        {
            app.update(Action::Quit);
        }
        return;
    }
    // Behind the "terminal too small" notice nothing is shown, so nothing
    // is typed or graded blind: only the keys that quit work there.
    if app.size.0 < MIN_SIZE.0 || app.size.1 < MIN_SIZE.1 {
        if matches!(keys::action(keys::Context::Global, key), Some(Action::Quit)) {
            app.update(Action::Quit);
        }
        return;
    }
    let context = app.context();
    let action = keys::action(context, key)
        .or_else(|| context.has_text_focus().then(|| keys::edit(key)).flatten());
    match action {
        Some(a) => app.update(a),
        None if app.help => app.help = false,
        None => {}
    }
}

pub fn view(app: &App, frame: &mut Frame) {
    draw(app, frame);
    sanitize_frame(frame);
}

/// The last line of defence: every cell of the finished frame through the
/// sanitiser (`nabla_engine::text::sanitize`), whatever a screen drew
/// unsanitised (lesson text is sanitised before layout in `text`; this
/// catches anything else, such as a character typed into an answer).
/// ratatui already drops cells holding C0 or C1 controls; this also
/// removes bidi controls and the zero-width characters a cell can carry
/// after its first character (a ZWJ would join it to the next cell).
///
/// With `--ascii`, every cell is also folded to one ASCII character: text
/// the renderer laid out is ASCII already (`render::charset`), and this
/// catches the tutor's own borders, marks and separators without changing
/// any width.
fn sanitize_frame(frame: &mut Frame) {
    let ascii = nabla_engine::render::charset::ascii();
    for cell in &mut frame.buffer_mut().content {
        let symbol = cell.symbol();
        if !nabla_engine::text::is_clean(symbol) {
            let clean = nabla_engine::text::sanitize(symbol).into_owned();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
        if ascii && !cell.symbol().is_ascii() {
            let c = cell
                .symbol()
                .chars()
                .next()
                .map_or(' ', nabla_engine::render::charset::fold_char);
            cell.set_char(c);
        }
    }
}

fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(app, frame, area);
        return;
    }
    // A notice longer than the screen is wide wraps onto up to three rows.
    let bar_rows = app.notice.as_ref().map_or(1, |n| {
        let width = (area.width as usize).max(1);
        nabla_engine::text::width::str_width(n)
            .div_ceil(width)
            .clamp(1, 3) as u16
    });
    let [main, bar] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(bar_rows)]).areas(area);
    match app.screens.top() {
        Some(Screen::Progress { scroll }) => progress_view::view(app, *scroll, frame, main),
        Some(Screen::Summary(s)) => quiz::view(app, s, frame, main),
        Some(Screen::Exercise(e)) => exercise_view::view(app, e, frame, main),
        Some(Screen::Reader(r)) => reader::view(app, r, frame, main),
        None => home::view(app, frame, main),
    }
    help::bar(app, frame, bar);
    if app.help {
        help::overlay(app, frame, main);
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", app.theme.bad()),
        Line::raw(format!(
            "{}×{} here; nabla needs {}×{}. Enlarge the window, or press q to quit.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        )),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
