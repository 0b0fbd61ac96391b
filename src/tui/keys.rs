//! The keymap: one table that both dispatches keys and generates the help
//! overlay and the bottom bar, so what is shown is what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where the keys are pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Anywhere.
    Global,
    Home,
    Reader,
    Toc,
    /// An exercise: an answer box has focus, so letters are typed, not commands.
    Exercise,
    /// A report to read: the progress screen or a quiz summary.
    Report,
}

impl Context {
    /// Whether typed characters go to a text box here.
    pub fn has_text_focus(self) -> bool {
        self == Context::Exercise
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Key {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
    /// A key with Ctrl or Alt held (Ctrl-↓ or Alt-↓). Listed before the
    /// plain key's binding, since `Code` matches whatever is held.
    Held(KeyCode),
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in help: "j ↓".
    pub label: &'static str,
    pub desc: &'static str,
    pub action: Action,
    /// Shown in the bottom bar, in these few words.
    pub bar: Option<&'static str>,
}

use Context::*;
use Key::*;

pub static BINDINGS: &[Binding] = &[
    Binding {
        context: Home,
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓ j",
        desc: "next lesson",
        action: Action::Down,
        bar: None,
    },
    Binding {
        context: Home,
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "↑ k",
        desc: "previous lesson",
        action: Action::Up,
        bar: None,
    },
    Binding {
        context: Home,
        keys: &[Code(KeyCode::Home), Char('g')],
        label: "g",
        desc: "first lesson",
        action: Action::Top,
        bar: None,
    },
    Binding {
        context: Home,
        keys: &[Code(KeyCode::End), Char('G')],
        label: "G",
        desc: "last lesson",
        action: Action::Bottom,
        bar: None,
    },
    Binding {
        context: Home,
        keys: &[Code(KeyCode::Enter), Code(KeyCode::Right), Char('l')],
        label: "Enter",
        desc: "open the lesson",
        action: Action::Open,
        bar: Some("open"),
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓ j",
        desc: "scroll down",
        action: Action::Down,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "↑ k",
        desc: "scroll up",
        action: Action::Up,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::PageDown), Char(' ')],
        label: "PgDn Space",
        desc: "page down",
        action: Action::PageDown,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::PageUp), Char('b')],
        label: "PgUp b",
        desc: "page up",
        action: Action::PageUp,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::Home), Char('g')],
        label: "g",
        desc: "top",
        action: Action::Top,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Code(KeyCode::End), Char('G')],
        label: "G",
        desc: "bottom",
        action: Action::Bottom,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Char(']'), Char('n')],
        label: "] n",
        desc: "next section",
        action: Action::NextSection,
        bar: Some("section"),
    },
    Binding {
        context: Reader,
        keys: &[Char('['), Char('p')],
        label: "[ p",
        desc: "previous section",
        action: Action::PrevSection,
        bar: None,
    },
    Binding {
        context: Reader,
        keys: &[Char('t'), Code(KeyCode::Tab)],
        label: "t Tab",
        desc: "table of contents",
        action: Action::Toc,
        bar: Some("contents"),
    },
    Binding {
        context: Reader,
        keys: &[Char('r')],
        label: "r",
        desc: "reveal the next derivation step",
        action: Action::Reveal,
        bar: Some("reveal"),
    },
    Binding {
        context: Reader,
        keys: &[Char('R')],
        label: "R",
        desc: "reveal every derivation",
        action: Action::RevealAll,
        bar: None,
    },
    Binding {
        context: Toc,
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓ j",
        desc: "next entry",
        action: Action::Down,
        bar: None,
    },
    Binding {
        context: Toc,
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "↑ k",
        desc: "previous entry",
        action: Action::Up,
        bar: None,
    },
    Binding {
        context: Toc,
        keys: &[Char('t'), Code(KeyCode::Tab)],
        label: "t Tab",
        desc: "close the contents",
        action: Action::Toc,
        bar: None,
    },
    Binding {
        context: Toc,
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        desc: "jump there",
        action: Action::Open,
        bar: Some("jump"),
    },
    Binding {
        context: Reader,
        keys: &[Char('e')],
        label: "e",
        desc: "practise this lesson's exercises",
        action: Action::Practise,
        bar: Some("exercises"),
    },
    Binding {
        context: Home,
        keys: &[Char('e')],
        label: "e",
        desc: "practise the lesson's exercises",
        action: Action::Practise,
        bar: Some("exercises"),
    },
    Binding {
        context: Home,
        keys: &[Char('z')],
        label: "z",
        desc: "self-quiz across every lesson",
        action: Action::Quiz,
        bar: Some("quiz"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        desc: "grade the answer",
        action: Action::Submit,
        bar: Some("grade"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::F(2)), Ctrl('t')],
        label: "F2 Ctrl-T",
        desc: "show the next hint",
        action: Action::Hint,
        bar: Some("hint"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::F(3))],
        label: "F3",
        desc: "show the worked solution (gives up: press twice)",
        action: Action::Solution,
        bar: Some("solution"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::F(4)), Ctrl('n')],
        label: "F4 Ctrl-N",
        desc: "another one: a fresh random variant",
        action: Action::Another,
        bar: Some("another"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::PageDown)],
        label: "PgDn",
        desc: "next exercise",
        action: Action::NextExercise,
        bar: Some("next"),
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::PageUp)],
        label: "PgUp",
        desc: "previous exercise",
        action: Action::PrevExercise,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Held(KeyCode::Down)],
        label: "Ctrl-↓",
        desc: "scroll the exercise down (Alt-↓ too)",
        action: Action::Down,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Held(KeyCode::Up)],
        label: "Ctrl-↑",
        desc: "scroll the exercise up (Alt-↑ too)",
        action: Action::Up,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::Up)],
        label: "↑",
        desc: "earlier answer (history)",
        action: Action::HistoryPrev,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::Down)],
        label: "↓",
        desc: "later answer (history)",
        action: Action::HistoryNext,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Ctrl('u')],
        label: "Ctrl-U",
        desc: "clear the answer (up to the cursor)",
        action: Action::ClearInput,
        bar: None,
    },
    Binding {
        context: Home,
        keys: &[Char('p')],
        label: "p",
        desc: "your progress",
        action: Action::Progress,
        bar: Some("progress"),
    },
    Binding {
        context: Report,
        keys: &[Code(KeyCode::Down), Char('j')],
        label: "↓ j",
        desc: "scroll down",
        action: Action::Down,
        bar: None,
    },
    Binding {
        context: Report,
        keys: &[Code(KeyCode::Up), Char('k')],
        label: "↑ k",
        desc: "scroll up",
        action: Action::Up,
        bar: None,
    },
    Binding {
        context: Report,
        keys: &[Code(KeyCode::Enter)],
        label: "Enter",
        desc: "close",
        action: Action::Open,
        bar: Some("close"),
    },
    Binding {
        context: Exercise,
        keys: &[Ctrl('g'), Code(KeyCode::F(5))],
        label: "Ctrl-G F5",
        desc: "numbers: switch between a grid and a typed matrix",
        action: Action::ToggleGrid,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::Tab)],
        label: "Tab",
        desc: "grid: next cell",
        action: Action::NextCell,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::BackTab)],
        label: "Shift-Tab",
        desc: "grid: previous cell",
        action: Action::PrevCell,
        bar: None,
    },
    Binding {
        context: Exercise,
        keys: &[Code(KeyCode::F(6))],
        label: "F6",
        desc: "nabla's derivation, step by step (gives up: press twice)",
        action: Action::Derivation,
        bar: None,
    },
    Binding {
        context: Global,
        keys: &[Char('?'), Code(KeyCode::F(1))],
        label: "? F1",
        desc: "help: every key",
        action: Action::Help,
        bar: Some("help"),
    },
    Binding {
        context: Global,
        keys: &[Code(KeyCode::Esc)],
        label: "Esc",
        desc: "back",
        action: Action::Back,
        bar: Some("back"),
    },
    Binding {
        context: Global,
        keys: &[Char('q')],
        label: "q",
        desc: "quit",
        action: Action::Quit,
        bar: Some("quit"),
    },
    Binding {
        context: Global,
        keys: &[Ctrl('c')],
        label: "Ctrl-C",
        desc: "quit at once",
        action: Action::Quit,
        bar: None,
    },
];

fn matches(k: Key, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match k {
        Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
        Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
        Key::Code(code) => ev.code == code,
        Key::Held(code) => {
            ev.code == code
                && ev
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        }
    }
}

/// The bindings that apply in `context`, its own first, then the global ones
/// (where a text box has focus, only the global keys that cannot be typed).
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    let typing = context.has_text_focus();
    BINDINGS
        .iter()
        .filter(move |b| b.context == context)
        .chain(BINDINGS.iter().filter(move |b| {
            b.context == Global && !(typing && b.keys.iter().all(|k| matches!(k, Key::Char(_))))
        }))
}

/// The keys of a binding that work in `context` (in a text box, letters type).
pub fn usable_keys(context: Context, b: &Binding) -> impl Iterator<Item = &Key> {
    b.keys.iter().filter(move |k| {
        !(context.has_text_focus() && b.context == Global && matches!(k, Key::Char(_)))
    })
}

pub fn action(context: Context, ev: &KeyEvent) -> Option<Action> {
    bindings(context)
        .find(|b| usable_keys(context, b).any(|k| matches(*k, ev)))
        .map(|b| b.action)
}

/// Editing keys of a text box, as a shell's line editor has them
/// (readline's defaults); the table does not list them one by one, the help
/// overlay names them in one line (`EDITING_KEYS`).
pub fn edit(ev: &KeyEvent) -> Option<Action> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    Some(match ev.code {
        KeyCode::Char(c) if !ctrl && !alt => Action::Type(c),
        KeyCode::Char(c) if ctrl && !alt => match c {
            'a' => Action::Home,
            'e' => Action::End,
            'b' => Action::Left,
            'f' => Action::Right,
            'd' => Action::Delete,
            'h' => Action::Backspace,
            'w' => Action::RuboutBack,
            'k' => Action::KillToEnd,
            'y' => Action::Yank,
            _ => return None,
        },
        KeyCode::Char(c) if alt && !ctrl => match c {
            'b' => Action::WordLeft,
            'f' => Action::WordRight,
            'd' => Action::DeleteWordForward,
            _ => return None,
        },
        KeyCode::Backspace if ctrl || alt => Action::DeleteWordBack,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left if ctrl || alt => Action::WordLeft,
        KeyCode::Right if ctrl || alt => Action::WordRight,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        _ => return None,
    })
}

/// The editing keys of `edit`, for the help overlay: (keys, what they do).
pub const EDITING_KEYS: &[(&str, &str)] = &[
    ("Ctrl-A/E", "start / end of the line (Home End)"),
    ("Alt-B/F", "a word back / forward (Ctrl-← Ctrl-→)"),
    ("Ctrl-W", "delete back to the previous space"),
    ("Alt-Bksp", "delete the word before (Alt-D: after)"),
    ("Ctrl-K", "delete to the end of the line"),
    ("Ctrl-Y", "put back what was deleted"),
];
