//! Plain-ASCII output, for terminals and fonts without the Unicode the
//! renderer normally draws with (`--ascii`, `NABLA_ASCII=1`).
//!
//! The choice is per thread (whoever draws sets it; tests drawing in
//! parallel do not see each other's choice) and acts where text enters the
//! styled-line model ([`super::Line::push_str`]), so every width the layout
//! measures is the width of the ASCII that is finally shown: `∂` is `d`,
//! `Σ` is `sum`, `Aᵀ` is `A^T`, `x⁻¹` is `x^(-1)`, a fraction bar `-----`,
//! a tall bracket `[` on every row. [`fold_char`] is the one-for-one
//! version for text already laid out in cells (a terminal frame), where
//! nothing may change width.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

thread_local! {
    static ASCII: Cell<bool> = const { Cell::new(false) };
    /// Characters shown without a faithful ASCII form: folded to `?`, or
    /// cut to one cell (`α` as `a`), so tests can prove a screen had a real
    /// one for everything it shows.
    static UNFAITHFUL: RefCell<Vec<char>> = const { RefCell::new(Vec::new()) };
}

/// The characters this thread has shown without a faithful ASCII form
/// (`?` for want of one, or a spelled-out symbol cut to one cell by
/// [`fold_char`]) since the last call; resets the list.
pub fn take_unfaithful() -> Vec<char> {
    UNFAITHFUL.with(|u| std::mem::take(&mut *u.borrow_mut()))
}

fn unfaithful<T>(c: char, shown: T) -> T {
    UNFAITHFUL.with(|u| {
        let mut u = u.borrow_mut();
        // Bounded: a long run only needs to show which characters.
        if u.len() < 64 {
            u.push(c);
        }
    });
    shown
}

fn unknown(c: char) -> char {
    unfaithful(c, '?')
}

/// Draw with ASCII only on this thread (or with Unicode again).
pub fn set_ascii(on: bool) {
    ASCII.with(|a| a.set(on));
}

/// Whether this thread draws with ASCII only.
pub fn ascii() -> bool {
    ASCII.with(Cell::get)
}

/// Whether an environment variable's value asks for ASCII (`NABLA_ASCII`):
/// set and not empty, `0`, `false`, `no` or `off`.
pub fn env_asks_ascii(value: Option<&std::ffi::OsStr>) -> bool {
    let Some(v) = value.and_then(|v| v.to_str()) else {
        return value.is_some_and(|v| !v.is_empty());
    };
    let v = v.trim().to_ascii_lowercase();
    !(v.is_empty() || matches!(v.as_str(), "0" | "false" | "no" | "off"))
}

/// `text` in ASCII: symbols spelled out (`∂` → `d`, `≤` → `<=`, `α` →
/// `alpha`), runs of super/subscript characters written `^…`/`_…` (in
/// parentheses when longer than one character), combining marks dropped,
/// anything else without an ASCII form `?`.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        if let Some(b) = superscript_base(c) {
            push_script(&mut out, '^', b, &mut chars, superscript_base);
            continue;
        }
        if let Some(b) = subscript_base(c) {
            push_script(&mut out, '_', b, &mut chars, subscript_base);
            continue;
        }
        if is_combining(c) {
            continue;
        }
        match spelled(c) {
            Some(s) => push_spelled(&mut out, s, chars.peek().copied()),
            None => out.push(one_for_one(c).unwrap_or_else(|| unknown(c))),
        }
    }
    Cow::Owned(out)
}

/// A spelled-out symbol; a word (`in`, `x` for `×`, written ` in ` in the
/// table) is spaced from its neighbours only where they are not spaces
/// already, or edges: `x∈ℝ` → `x in R`, `A ∈ ℝ` → `A in R`, a lone `∈` →
/// `in` (the math layout spaces it itself).
fn push_spelled(out: &mut String, s: &str, next: Option<char>) {
    let glued = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "([{".contains(c));
    let mut word = s;
    if let Some(rest) = word.strip_prefix(' ') {
        if !glued(out.chars().next_back()) {
            out.push(' ');
        }
        word = rest;
    }
    match word.strip_suffix(' ') {
        Some(w) => {
            out.push_str(w);
            if !next.is_none_or(|c| c.is_whitespace() || ")]},.;:".contains(c)) {
                out.push(' ');
            }
        }
        None => out.push_str(word),
    }
}

/// A run of script characters starting with `first` (already read) as
/// `^2` or `^(-1)`.
fn push_script(
    out: &mut String,
    mark: char,
    first: char,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    base: fn(char) -> Option<char>,
) {
    let mut run = String::from(first);
    while let Some(b) = chars.peek().copied().and_then(base) {
        run.push(b);
        chars.next();
    }
    out.push(mark);
    if run.len() == 1 {
        out.push_str(&run);
    } else {
        out.push('(');
        out.push_str(&run);
        out.push(')');
    }
}

/// One ASCII character for `c`, for text already laid out in cells: the
/// one-for-one forms (box drawing, brackets, dashes), else the first
/// character of the spelled-out form (`≤` → `<`), else `?`.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    // `Aᵀ` as `A'`, the language's own transpose, in one cell.
    if c == 'ᵀ' {
        return '\'';
    }
    if let Some(b) = superscript_base(c).or_else(|| subscript_base(c)) {
        return b;
    }
    if let Some(a) = one_for_one(c) {
        return a;
    }
    match spelled(c).map(str::trim) {
        Some(s) if s.len() == 1 => s.chars().next().unwrap_or(' '),
        Some(s) => unfaithful(c, s.chars().next().unwrap_or(' ')),
        None => unknown(c),
    }
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{20D0}'..='\u{20FF}' | '\u{FE0F}' | '\u{200D}')
}

/// Characters that keep their width (in [`fold`], only those not spelled
/// out in [`spelled`]): box drawing, tall-delimiter pieces,
/// dashes, quotes, bullets, accented Latin letters.
fn one_for_one(c: char) -> Option<char> {
    let a = match c {
        '─' | '━' | '┄' | '┈' | '╌' | '⎯' | '‐' | '‑' | '‒' | '–' | '−' | '⁃' => {
            '-'
        }
        '│' | '┃' | '┆' | '┊' | '╎' | '║' | '⎜' | '⎟' | '⎪' | '∣' | '¦' => '|',
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╰' | '╯' | '╔' | '╗'
        | '╚' | '╝' | '╠' | '╣' | '╦' | '╩' | '╬' => '+',
        '═' => '=',
        // Also spelled out (`--`, `ok`) where text is still being laid out.
        '—' | '―' => '-',
        '✓' | '✔' => '+',
        '✗' | '✘' | '✕' => 'x',
        '⎡' | '⎢' | '⎣' | '⟦' => '[',
        '⎤' | '⎥' | '⎦' | '⟧' => ']',
        '⎛' | '⎩' | '⎭' => '/',
        '⎝' | '⎧' | '⎫' => '\\',
        '⎞' => '\\',
        '⎠' => '/',
        '⎨' => '<',
        '⎬' => '>',
        '⌊' | '⌈' => '[',
        '⌋' | '⌉' => ']',
        '⟨' | '‹' | '«' => '<',
        '⟩' | '›' | '»' => '>',
        '‘' | '’' | '′' | '´' | '`' => '\'',
        '“' | '”' | '″' => '"',
        '•' | '∙' | '◆' | '■' | '▪' | '★' => '*',
        '◦' | '○' | '∘' | '●' => 'o',
        '▸' | '▶' | '►' | '❯' => '>',
        '◂' | '◀' | '◄' => '<',
        '█' | '▓' | '▒' | '░' => '#',
        '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => ' ',
        '⋅' | '·' | '∗' => '*',
        '÷' | '∕' => '/',
        '∖' => '\\',
        '‚' => ',',
        '¡' => '!',
        '¿' => '?',
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ñ' => 'N',
        'Ò'..='Ö' | 'Ø' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' => 'Y',
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' | 'ø' => 'o',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ℝ' => 'R',
        'ℕ' => 'N',
        'ℤ' => 'Z',
        'ℚ' => 'Q',
        'ℂ' => 'C',
        '𝟙' => '1',
        'ℓ' => 'l',
        'ℬ' => 'B',
        'ℰ' => 'E',
        'ℱ' => 'F',
        'ℋ' => 'H',
        'ℐ' => 'I',
        'ℒ' => 'L',
        'ℳ' => 'M',
        'ℛ' => 'R',
        '⊤' => 'T',
        _ => return None,
    };
    Some(a)
}

/// Symbols spelled with more than one character.
fn spelled(c: char) -> Option<&'static str> {
    let s = match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ϵ' | 'ε' => "eps",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "o",
        'π' | 'ϖ' => "pi",
        'ρ' | 'ϱ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'Γ' => "Gamma",
        'Δ' => "Delta",
        'Θ' => "Theta",
        'Λ' => "Lambda",
        'Ξ' => "Xi",
        'Π' | '∏' => "prod",
        'Σ' | '∑' => "sum",
        'Υ' => "Upsilon",
        'Φ' => "Phi",
        'Ψ' => "Psi",
        'Ω' => "Omega",
        '∂' => "d",
        '∇' => "grad",
        '∫' => "int",
        '∞' => "inf",
        '√' => "sqrt",
        '‖' => "||",
        '×' => " x ",
        '⊙' => ".*",
        '⊘' => "./",
        '⊗' => "(x)",
        '⊕' => "(+)",
        '±' => "+/-",
        '∓' => "-/+",
        '≤' | '⩽' => "<=",
        '≥' | '⩾' => ">=",
        '≠' => "!=",
        '≈' | '≃' | '≅' => "~=",
        '≡' | '≜' | '≔' => ":=",
        '∼' | '〜' => "~",
        '→' | '⟶' => "->",
        '←' | '⟵' => "<-",
        '↔' => "<->",
        '⇒' | '⟹' => "=>",
        '⇐' => "<=",
        '⇔' | '⟺' => "<=>",
        '↦' => "|->",
        '↑' => "^",
        '↓' => "v",
        '∈' => " in ",
        '∉' => " not in ",
        '⊂' | '⊆' => " subset ",
        '∀' => " for all ",
        '∃' => " exists ",
        '¬' => " not ",
        '∧' => " and ",
        '∨' => " or ",
        '∅' => "{}",
        '…' | '⋯' => "...",
        '⋮' => ":",
        '⋱' => "\\",
        '—' | '―' => "--",
        '✓' | '✔' => "ok",
        '✗' | '✘' | '✕' => "x",
        '⚠' => "!",
        '©' => "(c)",
        '°' => " deg",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        _ => return None,
    };
    Some(s)
}

/// The character a superscript form stands for (`²` → `2`, `ᵀ` → `T`).
fn superscript_base(c: char) -> Option<char> {
    let b = match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        '⁺' => '+',
        '⁻' => '-',
        '⁼' => '=',
        '⁽' => '(',
        '⁾' => ')',
        'ᵀ' => 'T',
        'ᵃ' => 'a',
        'ᵇ' => 'b',
        'ᶜ' => 'c',
        'ᵈ' => 'd',
        'ᵉ' => 'e',
        'ᶠ' => 'f',
        'ᵍ' => 'g',
        'ʰ' => 'h',
        'ⁱ' => 'i',
        'ʲ' => 'j',
        'ᵏ' => 'k',
        'ˡ' => 'l',
        'ᵐ' => 'm',
        'ⁿ' => 'n',
        'ᵒ' => 'o',
        'ᵖ' => 'p',
        'ʳ' => 'r',
        'ˢ' => 's',
        'ᵗ' => 't',
        'ᵘ' => 'u',
        'ᵛ' => 'v',
        'ʷ' => 'w',
        'ˣ' => 'x',
        'ʸ' => 'y',
        'ᶻ' => 'z',
        'ᴬ' => 'A',
        'ᴮ' => 'B',
        'ᴰ' => 'D',
        'ᴱ' => 'E',
        'ᴳ' => 'G',
        'ᴴ' => 'H',
        'ᴵ' => 'I',
        'ᴶ' => 'J',
        'ᴷ' => 'K',
        'ᴸ' => 'L',
        'ᴹ' => 'M',
        'ᴺ' => 'N',
        'ᴼ' => 'O',
        'ᴾ' => 'P',
        'ᴿ' => 'R',
        'ᵁ' => 'U',
        'ⱽ' => 'V',
        'ᵂ' => 'W',
        _ => return None,
    };
    Some(b)
}

/// The character a subscript form stands for (`ᵢ` → `i`, `₂` → `2`).
fn subscript_base(c: char) -> Option<char> {
    let b = match c {
        '₀' => '0',
        '₁' => '1',
        '₂' => '2',
        '₃' => '3',
        '₄' => '4',
        '₅' => '5',
        '₆' => '6',
        '₇' => '7',
        '₈' => '8',
        '₉' => '9',
        '₊' => '+',
        '₋' => '-',
        '₌' => '=',
        '₍' => '(',
        '₎' => ')',
        'ₐ' => 'a',
        'ₑ' => 'e',
        'ₕ' => 'h',
        'ᵢ' => 'i',
        'ⱼ' => 'j',
        'ₖ' => 'k',
        'ₗ' => 'l',
        'ₘ' => 'm',
        'ₙ' => 'n',
        'ₒ' => 'o',
        'ₚ' => 'p',
        'ᵣ' => 'r',
        'ₛ' => 's',
        'ₜ' => 't',
        'ᵤ' => 'u',
        'ᵥ' => 'v',
        'ₓ' => 'x',
        _ => return None,
    };
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_spelled_out() {
        assert_eq!(fold("∂f/∂x = 2Aᵀx"), "df/dx = 2A^Tx");
        assert_eq!(fold("x⁻¹ ≤ ‖x‖²"), "x^(-1) <= ||x||^2");
        assert_eq!(fold("σ(zᵢ) → Σ"), "sigma(z_i) -> sum");
        assert_eq!(fold("plain"), "plain");
        assert_eq!(fold("x̂"), "x");
        take_unfaithful();
        assert_eq!(fold("中"), "?");
        assert_eq!(take_unfaithful(), ['中']);
        assert_eq!(fold("A ∈ ℝᵐˣⁿ, n×1, x∈S"), "A in R^(mxn), n x 1, x in S");
        assert_eq!(fold("∈"), "in");
    }

    #[test]
    fn every_fold_is_ascii() {
        for c in (0x80u32..0x3_0000).filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(fold(&s).is_ascii(), "{c:?} folds to {:?}", fold(&s));
            assert!(fold_char(c).is_ascii(), "{c:?}");
        }
    }

    #[test]
    fn one_for_one_keeps_box_drawing_shapes() {
        assert_eq!(
            "┌─┐│⎡⎢⎣⎤⎥⎦".chars().map(fold_char).collect::<String>(),
            "+-+|[[[]]]"
        );
        take_unfaithful();
        assert_eq!(fold_char('×'), 'x');
        assert_eq!(take_unfaithful(), []);
        assert_eq!(fold_char('≤'), '<');
        assert_eq!(take_unfaithful(), ['≤'], "cut to one cell is not faithful");
        assert_eq!(fold_char('ᵀ'), '\'');
    }

    #[test]
    fn the_choice_is_per_thread() {
        set_ascii(true);
        assert!(ascii());
        assert!(!std::thread::spawn(ascii).join().unwrap_or(true));
        set_ascii(false);
        assert!(!ascii());
    }

    #[test]
    fn the_variable_asks_unless_it_says_no() {
        use std::ffi::OsStr;
        assert!(env_asks_ascii(Some(OsStr::new("1"))));
        assert!(env_asks_ascii(Some(OsStr::new("yes"))));
        for no in ["", "0", "false", "No", "off"] {
            assert!(!env_asks_ascii(Some(OsStr::new(no))), "{no:?}");
        }
        assert!(!env_asks_ascii(None));
    }
}

#[cfg(test)]
mod drawn {
    use super::set_ascii;
    use crate::render::{render_markdown, render_math};

    fn draw(src: &str) -> Vec<String> {
        set_ascii(true);
        let block = render_math(src, true);
        set_ascii(false);
        let block = block.unwrap_or_else(|e| panic!("{src}: {e}"));
        block
            .lines
            .iter()
            .map(|l| l.plain_text().trim_end().to_string())
            .collect()
    }

    #[test]
    fn formulas_are_drawn_in_ascii() {
        let cases: [(&str, &[&str]); 5] = [
            (
                r"\frac{\partial f}{\partial x} = (A + A^T) x",
                &["df", "-- = (A + A^T)x", "dx"],
            ),
            (
                r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
                &["[ 1  2 ]", "[ 3  4 ]"],
            ),
            (
                r"\sum_{i=1}^{n} e^{x_i} \le \|x\|^2",
                &[" n", "sum e^(x_i) <= ||x||^2", "i=1"],
            ),
            (
                r"\sigma(z)\,(1 - \sigma(z)) \odot \delta",
                &["sigma(z) (1 - sigma(z)) .* delta"],
            ),
            (r"X^{-1} \otimes \nabla_W L", &["X^(-1) (x) grad_W L"]),
        ];
        for (src, want) in cases {
            assert_eq!(draw(src), want, "{src}");
        }
    }

    #[test]
    fn markdown_with_math_and_a_table_is_ascii() {
        let src = "The gradient $\\nabla_x f = 2A^\\top x$ — see:\n\n| rule | result |\n| --- | --- |\n| $x^\\top a$ | $a$ |\n";
        set_ascii(true);
        let lines = render_markdown(src, 40);
        set_ascii(false);
        let text: Vec<String> = lines
            .unwrap_or_default()
            .iter()
            .map(|l| l.plain_text())
            .collect();
        assert!(text.iter().all(|l| l.is_ascii()), "{text:#?}");
        assert!(text[0].contains("grad_x f = 2A^T x -- see:"), "{text:#?}");
        assert!(text.iter().any(|l| l.contains("| x^T a |")), "{text:#?}");
    }
}
