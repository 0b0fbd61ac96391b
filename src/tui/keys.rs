//! The keymap: one table that both dispatches keys and generates the help
//! overlay and the bottom bar, so what is shown is what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Action;

/// Where the keys are pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Anywhere.
    Global,
    Home,
    Reader,
    Toc,
}

#[derive(Clone, Copy, Debug)]
pub enum Key {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
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
        bar: Some("page"),
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
        bar: Some("next section"),
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
        bar: Some("reveal step"),
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
    }
}

/// The bindings that apply in `context`, its own first, then the global ones.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context == context)
        .chain(BINDINGS.iter().filter(|b| b.context == Global))
}

pub fn action(context: Context, ev: &KeyEvent) -> Option<Action> {
    bindings(context)
        .find(|b| b.keys.iter().any(|k| matches(*k, ev)))
        .map(|b| b.action)
}
