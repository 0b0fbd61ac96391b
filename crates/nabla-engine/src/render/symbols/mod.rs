//! Lookup tables from LaTeX commands and characters to Unicode: symbols
//! with their TeX spacing class, upright function names, big operators,
//! spacing commands, growable delimiters, accents, blackboard/calligraphic
//! letters and Unicode super/subscript forms.
//!
//! The super/subscript tables live in [`scripts`].
//!
//! Only characters that common monospace terminal fonts carry (DejaVu Sans
//! Mono, Menlo, Consolas, …) are used; e.g. `\mathbf` is a style flag rather
//! than the Mathematical Alphanumeric block, which many fonts lack.

mod scripts;

pub use scripts::{subscript, superscript};

/// TeX's atom classes; they decide the automatic spacing between atoms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Ordinary: variables, digits, most symbols.
    Ord,
    /// Big operators and function names (Σ, log).
    Op,
    /// Binary operators (+, ×, ⊙).
    Bin,
    /// Relations (=, ≤, →, ∈).
    Rel,
    Open,
    Close,
    /// Punctuation (comma, semicolon).
    Punct,
    /// Stacked fractions and matrices (spaced from their neighbours).
    Inner,
}

/// A command that stands for one symbol, with its spacing class.
pub fn symbol(name: &str) -> Option<(&'static str, Class)> {
    use Class::*;
    let entry = match name {
        // Lower-case Greek.
        "alpha" => ("α", Ord),
        "beta" => ("β", Ord),
        "gamma" => ("γ", Ord),
        "delta" => ("δ", Ord),
        "epsilon" => ("ϵ", Ord),
        "varepsilon" => ("ε", Ord),
        "zeta" => ("ζ", Ord),
        "eta" => ("η", Ord),
        "theta" => ("θ", Ord),
        "vartheta" => ("ϑ", Ord),
        "iota" => ("ι", Ord),
        "kappa" => ("κ", Ord),
        "lambda" => ("λ", Ord),
        "mu" => ("μ", Ord),
        "nu" => ("ν", Ord),
        "xi" => ("ξ", Ord),
        "omicron" => ("ο", Ord),
        "pi" => ("π", Ord),
        "varpi" => ("ϖ", Ord),
        "rho" => ("ρ", Ord),
        "varrho" => ("ϱ", Ord),
        "sigma" => ("σ", Ord),
        "varsigma" => ("ς", Ord),
        "tau" => ("τ", Ord),
        "upsilon" => ("υ", Ord),
        "phi" => ("ϕ", Ord),
        "varphi" => ("φ", Ord),
        "chi" => ("χ", Ord),
        "psi" => ("ψ", Ord),
        "omega" => ("ω", Ord),
        // Upper-case Greek (the Latin-looking ones too, as KaTeX allows).
        "Alpha" => ("Α", Ord),
        "Beta" => ("Β", Ord),
        "Gamma" => ("Γ", Ord),
        "Delta" => ("Δ", Ord),
        "Epsilon" => ("Ε", Ord),
        "Zeta" => ("Ζ", Ord),
        "Eta" => ("Η", Ord),
        "Theta" => ("Θ", Ord),
        "Iota" => ("Ι", Ord),
        "Kappa" => ("Κ", Ord),
        "Lambda" => ("Λ", Ord),
        "Mu" => ("Μ", Ord),
        "Nu" => ("Ν", Ord),
        "Xi" => ("Ξ", Ord),
        "Omicron" => ("Ο", Ord),
        "Pi" => ("Π", Ord),
        "Rho" => ("Ρ", Ord),
        "Sigma" => ("Σ", Ord),
        "Tau" => ("Τ", Ord),
        "Upsilon" => ("Υ", Ord),
        "Phi" => ("Φ", Ord),
        "Chi" => ("Χ", Ord),
        "Psi" => ("Ψ", Ord),
        "Omega" => ("Ω", Ord),
        // Ordinary symbols.
        "partial" => ("∂", Ord),
        "nabla" => ("∇", Ord),
        "infty" => ("∞", Ord),
        "forall" => ("∀", Ord),
        "exists" => ("∃", Ord),
        "nexists" => ("∄", Ord),
        "emptyset" | "varnothing" => ("∅", Ord),
        "top" => ("⊤", Ord),
        "bot" => ("⊥", Ord),
        "prime" => ("′", Ord),
        "ell" => ("ℓ", Ord),
        "hbar" => ("ℏ", Ord),
        "Re" => ("ℜ", Ord),
        "Im" => ("ℑ", Ord),
        "neg" | "lnot" => ("¬", Ord),
        "cdots" | "dotsb" | "dotsm" => ("⋯", Ord),
        "ldots" | "dots" | "dotsc" => ("…", Ord),
        "vdots" => ("⋮", Ord),
        "ddots" => ("⋱", Ord),
        "|" | "Vert" => ("‖", Ord),
        "vert" => ("|", Ord),
        "angle" => ("∠", Ord),
        "triangle" => ("△", Ord),
        "dagger" => ("†", Ord),
        "#" => ("#", Ord),
        "$" => ("$", Ord),
        "%" => ("%", Ord),
        "&" => ("&", Ord),
        "_" => ("_", Ord),
        "checkmark" => ("✓", Ord),
        // Binary operators.
        "pm" => ("±", Bin),
        "mp" => ("∓", Bin),
        "times" => ("×", Bin),
        "div" => ("÷", Bin),
        "cdot" => ("·", Bin),
        "circ" => ("∘", Bin),
        "odot" => ("⊙", Bin),
        "otimes" => ("⊗", Bin),
        "oplus" => ("⊕", Bin),
        "ominus" => ("⊖", Bin),
        "star" => ("⋆", Bin),
        "ast" => ("∗", Bin),
        "bullet" => ("∙", Bin),
        "cap" => ("∩", Bin),
        "cup" => ("∪", Bin),
        "wedge" | "land" => ("∧", Bin),
        "vee" | "lor" => ("∨", Bin),
        "setminus" => ("∖", Bin),
        // Relations.
        "in" => ("∈", Rel),
        "notin" => ("∉", Rel),
        "ni" => ("∋", Rel),
        "subset" => ("⊂", Rel),
        "subseteq" => ("⊆", Rel),
        "supset" => ("⊃", Rel),
        "supseteq" => ("⊇", Rel),
        "to" | "rightarrow" => ("→", Rel),
        "leftarrow" | "gets" => ("←", Rel),
        "leftrightarrow" => ("↔", Rel),
        "Rightarrow" | "implies" => ("⇒", Rel),
        "Leftarrow" => ("⇐", Rel),
        "Leftrightarrow" | "iff" => ("⇔", Rel),
        "mapsto" => ("↦", Rel),
        "longrightarrow" => ("⟶", Rel),
        "longmapsto" => ("⟼", Rel),
        "approx" => ("≈", Rel),
        "sim" => ("∼", Rel),
        "simeq" => ("≃", Rel),
        "cong" => ("≅", Rel),
        "neq" | "ne" => ("≠", Rel),
        "le" | "leq" => ("≤", Rel),
        "ge" | "geq" => ("≥", Rel),
        "ll" => ("≪", Rel),
        "gg" => ("≫", Rel),
        "equiv" => ("≡", Rel),
        "propto" => ("∝", Rel),
        "mid" => ("|", Rel),
        "parallel" => ("‖", Rel),
        "perp" => ("⊥", Rel),
        "coloneqq" => ("≔", Rel),
        "triangleq" => ("≜", Rel),
        "preceq" => ("⪯", Rel),
        "succeq" => ("⪰", Rel),
        // Delimiters used without \left/\right.
        "langle" => ("⟨", Open),
        "rangle" => ("⟩", Close),
        "lVert" => ("‖", Open),
        "rVert" => ("‖", Close),
        "lvert" => ("|", Open),
        "rvert" => ("|", Close),
        "lfloor" => ("⌊", Open),
        "rfloor" => ("⌋", Close),
        "lceil" => ("⌈", Open),
        "rceil" => ("⌉", Close),
        "{" | "lbrace" => ("{", Open),
        "}" | "rbrace" => ("}", Close),
        "lbrack" => ("[", Open),
        "rbrack" => ("]", Close),
        // Punctuation.
        "colon" => (":", Punct),
        _ => return None,
    };
    Some(entry)
}

/// Upright operator names: `(text, limits)`, where `limits` means the
/// sub/superscripts go below/above in display style (like `\max_x`).
pub fn function(name: &str) -> Option<(&'static str, bool)> {
    let entry = match name {
        "log" => ("log", false),
        "ln" => ("ln", false),
        "lg" => ("lg", false),
        "exp" => ("exp", false),
        "sin" => ("sin", false),
        "cos" => ("cos", false),
        "tan" => ("tan", false),
        "cot" => ("cot", false),
        "sec" => ("sec", false),
        "csc" => ("csc", false),
        "arcsin" => ("arcsin", false),
        "arccos" => ("arccos", false),
        "arctan" => ("arctan", false),
        "sinh" => ("sinh", false),
        "cosh" => ("cosh", false),
        "tanh" => ("tanh", false),
        "coth" => ("coth", false),
        "det" => ("det", true),
        "tr" | "trace" => ("tr", false),
        "diag" => ("diag", false),
        "rank" => ("rank", false),
        "sgn" | "sign" => ("sgn", false),
        "dim" => ("dim", false),
        "ker" => ("ker", false),
        "deg" => ("deg", false),
        "arg" => ("arg", false),
        "vec" => ("vec", false),
        "max" => ("max", true),
        "min" => ("min", true),
        "sup" => ("sup", true),
        "inf" => ("inf", true),
        "lim" => ("lim", true),
        "limsup" => ("lim sup", true),
        "liminf" => ("lim inf", true),
        "argmax" => ("argmax", true),
        "argmin" => ("argmin", true),
        "Pr" => ("Pr", true),
        "gcd" => ("gcd", true),
        _ => return None,
    };
    Some(entry)
}

/// Big operators: `(symbol, limits)`; integrals keep their limits at the side.
pub fn big_operator(name: &str) -> Option<(&'static str, bool)> {
    let entry = match name {
        "sum" => ("Σ", true),
        "prod" => ("Π", true),
        "coprod" => ("∐", true),
        "bigcup" => ("⋃", true),
        "bigcap" => ("⋂", true),
        "bigoplus" => ("⊕", true),
        "bigotimes" => ("⊗", true),
        "int" => ("∫", false),
        "iint" => ("∬", false),
        "iiint" => ("∭", false),
        "oint" => ("∮", false),
        _ => return None,
    };
    Some(entry)
}

/// Explicit spacing commands, in columns.
pub fn spacing(name: &str) -> Option<usize> {
    match name {
        "quad" => Some(2),
        "qquad" => Some(4),
        "," | ":" | ";" | ">" | " " | "thinspace" | "medspace" | "thickspace" | "enspace" => {
            Some(1)
        }
        "!" | "negthinspace" => Some(0),
        _ => None,
    }
}

/// Commands that only change delimiter size; the terminal has one size.
pub fn is_big_delimiter_size(name: &str) -> bool {
    matches!(
        name,
        "big"
            | "Big"
            | "bigg"
            | "Bigg"
            | "bigl"
            | "Bigl"
            | "biggl"
            | "Biggl"
            | "bigr"
            | "Bigr"
            | "biggr"
            | "Biggr"
            | "bigm"
            | "Bigm"
    )
}

/// Commands accepted after `\left`/`\right` (besides plain characters).
pub fn delimiter_command(name: &str) -> Option<&'static str> {
    let d = match name {
        "{" | "lbrace" => "{",
        "}" | "rbrace" => "}",
        "|" | "Vert" | "lVert" | "rVert" => "‖",
        "vert" | "lvert" | "rvert" | "mid" => "|",
        "langle" => "⟨",
        "rangle" => "⟩",
        "lfloor" => "⌊",
        "rfloor" => "⌋",
        "lceil" => "⌈",
        "rceil" => "⌉",
        "lbrack" => "[",
        "rbrack" => "]",
        _ => return None,
    };
    Some(d)
}

/// Plain characters accepted as delimiters after `\left`/`\right`; `.` is
/// the invisible delimiter.
pub fn delimiter_char(c: char) -> Option<&'static str> {
    let d = match c {
        '(' => "(",
        ')' => ")",
        '[' => "[",
        ']' => "]",
        '|' => "|",
        '/' => "/",
        '<' => "⟨",
        '>' => "⟩",
        '.' => "",
        _ => return None,
    };
    Some(d)
}

/// The three pieces (top, extension, bottom) and middle piece used to draw a
/// delimiter taller than one row, or `None` if it cannot grow.
pub struct TallDelimiter {
    pub top: char,
    pub extension: char,
    pub middle: Option<char>,
    pub bottom: char,
}

pub fn tall_delimiter(d: &str) -> Option<TallDelimiter> {
    let (top, extension, middle, bottom) = match d {
        "(" => ('⎛', '⎜', None, '⎝'),
        ")" => ('⎞', '⎟', None, '⎠'),
        "[" => ('⎡', '⎢', None, '⎣'),
        "]" => ('⎤', '⎥', None, '⎦'),
        "{" => ('⎧', '⎪', Some('⎨'), '⎩'),
        "}" => ('⎫', '⎪', Some('⎬'), '⎭'),
        "⌊" => ('⎢', '⎢', None, '⎣'),
        "⌋" => ('⎥', '⎥', None, '⎦'),
        "⌈" => ('⎡', '⎢', None, '⎢'),
        "⌉" => ('⎤', '⎥', None, '⎥'),
        "|" => ('│', '│', None, '│'),
        "‖" => ('‖', '‖', None, '‖'),
        _ => return None,
    };
    Some(TallDelimiter {
        top,
        extension,
        middle,
        bottom,
    })
}

/// Accent commands and the combining mark they put on a single character.
pub fn accent(name: &str) -> Option<(char, &'static str)> {
    let entry = match name {
        "hat" | "widehat" => ('\u{0302}', "hat"),
        "bar" | "overline" => ('\u{0304}', "bar"),
        "tilde" | "widetilde" => ('\u{0303}', "tilde"),
        "dot" => ('\u{0307}', "dot"),
        "ddot" => ('\u{0308}', "ddot"),
        "check" => ('\u{030C}', "check"),
        "breve" => ('\u{0306}', "breve"),
        "underline" => ('\u{0332}', "underline"),
        _ => return None,
    };
    Some(entry)
}

/// `\mathbb` letters that have a Letterlike Symbols form.
pub fn blackboard(c: char) -> Option<char> {
    match c {
        'R' => Some('ℝ'),
        'N' => Some('ℕ'),
        'Z' => Some('ℤ'),
        'Q' => Some('ℚ'),
        'C' => Some('ℂ'),
        _ => None,
    }
}

/// `\mathcal` letters that have a Letterlike Symbols form; the others are
/// drawn as the plain letter in italic.
pub fn calligraphic(c: char) -> Option<char> {
    match c {
        'B' => Some('ℬ'),
        'E' => Some('ℰ'),
        'F' => Some('ℱ'),
        'H' => Some('ℋ'),
        'I' => Some('ℐ'),
        'L' => Some('ℒ'),
        'M' => Some('ℳ'),
        'R' => Some('ℛ'),
        _ => None,
    }
}

/// The spacing class of a plain character in math.
pub fn char_class(c: char) -> Class {
    match c {
        // Unicode operators typed directly are classed like their commands.
        '+' | '-' | '*' | '−' | '×' | '·' | '±' | '∓' | '⊙' | '⊗' | '⊕' | '∘' | '÷' => {
            Class::Bin
        }
        '=' | '<' | '>' | ':' | '≤' | '≥' | '≠' | '≈' | '≡' | '∝' | '∈' | '∉' | '→' | '←' | '⇒'
        | '⇔' | '↦' | '⊂' | '⊆' | '∼' => Class::Rel,
        '(' | '[' => Class::Open,
        ')' | ']' | '!' | '?' => Class::Close,
        ',' | ';' => Class::Punct,
        _ => Class::Ord,
    }
}

/// How a plain character is drawn in math (`-` is a real minus sign,
/// `'` a prime, `<`/`>` stay as they are).
pub fn char_glyph(c: char) -> char {
    match c {
        '-' => '−',
        '\'' => '′',
        '*' => '∗',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterlike_tables() {
        assert_eq!(blackboard('R'), Some('ℝ'));
        assert_eq!(blackboard('A'), None);
        assert_eq!(calligraphic('L'), Some('ℒ'));
        assert_eq!(calligraphic('A'), None);
    }

    #[test]
    fn greek_and_operators() {
        assert_eq!(symbol("alpha"), Some(("α", Class::Ord)));
        assert_eq!(symbol("Omega"), Some(("Ω", Class::Ord)));
        assert_eq!(symbol("odot"), Some(("⊙", Class::Bin)));
        assert_eq!(symbol("leq"), Some(("≤", Class::Rel)));
        assert_eq!(function("tanh"), Some(("tanh", false)));
        assert_eq!(big_operator("sum"), Some(("Σ", true)));
        assert_eq!(spacing("qquad"), Some(4));
    }
}
