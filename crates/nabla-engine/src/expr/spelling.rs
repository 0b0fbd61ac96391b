//! The spellings students bring from LaTeX, NumPy and MATLAB, folded into
//! the lexer's tokens: `x^\top` and `X^{T}` are a transpose, `X^{-T}` and
//! `X⁻ᵀ` an inverse transpose, `\cdot` a product, `\odot` an entry-by-entry
//! product, `\frac`, `\|`, `\langle`, `\operatorname{tr}`, `np.exp`,
//! `np.linalg.inv`. The lexer asks here before it gives up on a character;
//! whatever is not recognised stays an error there.
//!
//! A backslash that starts no LaTeX command we know is MATLAB's left
//! division (`A\b`): a known command always wins, so `A\top` is not a
//! division by a name `top` (which could not be declared anyway: it would
//! read as the transpose).

use super::decl::{is_ident_continue, is_ident_start};
use super::lexer::Tok;

/// What a backslash at `i` starts: the token and where the input resumes.
/// `None` for a token-less command (`\left`, `\right`, `\,`): resume after it.
pub enum Backslash {
    Token(Tok, usize),
    Skip(usize),
    /// Ambiguous: refused with both readings.
    Refuse(&'static str),
}

/// The LaTeX word after a backslash at `i`, and where it ends.
fn word_at(chars: &[char], i: usize) -> (String, usize) {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    (chars[i..j].iter().collect(), j)
}

/// `{word}` at `i` (spaces allowed inside), with where it ends.
fn braced_word(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = i;
    let skip = |j: &mut usize| {
        while *j < chars.len() && chars[*j] == ' ' {
            *j += 1;
        }
    };
    if chars.get(j) != Some(&'{') {
        return None;
    }
    j += 1;
    skip(&mut j);
    let start = j;
    while j < chars.len() && (is_ident_continue(chars[j]) || chars[j] == '𝟙') {
        j += 1;
    }
    let word: String = chars[start..j].iter().collect();
    skip(&mut j);
    (chars.get(j) == Some(&'}') && !word.is_empty()).then(|| (word, j + 1))
}

/// Greek letters by their LaTeX names, for names such as `λ: scalar`
/// (typed `λ`, `lambda` or `\lambda`). σ is not here: it is the sigmoid.
const GREEK: [(&str, &str); 34] = [
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ε"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("vartheta", "θ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("rho", "ρ"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "φ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
];

/// The Greek letter a LaTeX name spells (`lambda` → `λ`).
pub fn greek_letter(word: &str) -> Option<&'static str> {
    GREEK.iter().find(|(w, _)| *w == word).map(|(_, l)| *l)
}

/// The other spellings of a name that is, or spells, a Greek letter:
/// `lambda` for `λ`, `λ` for `lambda`.
pub fn greek_spellings(name: &str) -> Vec<&'static str> {
    GREEK
        .iter()
        .filter_map(|(w, l)| {
            if *w == name {
                Some(*l)
            } else if *l == name {
                Some(*w)
            } else {
                None
            }
        })
        .collect()
}

/// LaTeX names of functions of the language, as the parser spells them.
fn latex_function(word: &str) -> Option<&'static str> {
    Some(match word {
        "log" | "ln" => "log",
        "exp" => "exp",
        "det" => "det",
        "tr" => "tr",
        "tanh" => "tanh",
        "sqrt" => "sqrt",
        "sigma" => "σ",
        "max" => "max",
        "diag" => "diag",
        _ => return None,
    })
}

/// The backslash at `i` (`chars[i] == '\\'`).
pub fn backslash(chars: &[char], i: usize) -> Backslash {
    let next = chars.get(i + 1).copied();
    match next {
        Some('|') => return Backslash::Token(Tok::NormBar, i + 2),
        Some(',' | ';' | '!') => return Backslash::Skip(i + 2),
        Some(' ') => {
            return Backslash::Refuse(
                "'\\ ' is a space in LaTeX but a left division in MATLAB: write A\\b (no space) for inv(A)·b, or A b for the product",
            );
        }
        _ => {}
    }
    let (word, end) = word_at(chars, i + 1);
    let tok = match word.as_str() {
        "top" | "intercal" => Tok::Transpose,
        "cdot" => Tok::Mul,
        "odot" | "circ" => Tok::Hadamard,
        "otimes" => Tok::Kron,
        "frac" | "dfrac" | "tfrac" => Tok::Frac,
        "langle" => Tok::LAngle,
        "rangle" => Tok::RAngle,
        "left" | "right" | "big" | "Big" | "bigl" | "bigr" => return Backslash::Skip(end),
        "operatorname" | "mathrm" | "text" | "mathbf" | "mathbb" | "boldsymbol" => {
            // A name, or the `1` of the ones vector: `\operatorname{1tr}` is
            // neither (it would read back as 1·tr).
            let named = |w: &str| w.starts_with(is_ident_start) || w == "1" || w == "𝟙";
            return match braced_word(chars, end).filter(|(w, _)| named(w)) {
                Some((w, after)) => {
                    let w = match w.as_str() {
                        "1" | "𝟙" => "ones".to_string(),
                        "I" => "I".to_string(),
                        _ => latex_function(&w).map_or(w, str::to_string),
                    };
                    Backslash::Token(Tok::Ident(w), after)
                }
                None => Backslash::Token(Tok::Backslash, i + 1),
            };
        }
        w => match latex_function(w).or_else(|| greek_letter(w)) {
            Some(name) => Tok::Ident(name.to_string()),
            None => return Backslash::Token(Tok::Backslash, i + 1),
        },
    };
    Backslash::Token(tok, end)
}

/// A transpose or an inverse transpose written after `^` at `i - 1`
/// (`chars[i]` follows the caret): `^\top`, `^{T}`, `^{\top}`, `^-T`,
/// `^{-T}`, `^{-\top}`. `is_t` says whether a `T` at a position is the
/// transpose (not the start of a declared name).
pub fn after_caret(chars: &[char], i: usize, is_t: &dyn Fn(usize) -> bool) -> Option<(Tok, usize)> {
    let braced = chars.get(i) == Some(&'{');
    let mut j = if braced { i + 1 } else { i };
    let inverse = chars.get(j) == Some(&'-');
    if inverse {
        j += 1;
    }
    let end = if chars.get(j) == Some(&'T') && (braced || is_t(j)) {
        j + 1
    } else if chars.get(j) == Some(&'\\') {
        let (word, end) = word_at(chars, j + 1);
        if word != "top" && word != "intercal" {
            return None;
        }
        end
    } else {
        return None;
    };
    let end = if braced {
        if chars.get(end) != Some(&'}') {
            return None;
        }
        end + 1
    } else {
        end
    };
    let tok = if inverse {
        Tok::InvTranspose
    } else {
        Tok::Transpose
    };
    Some((tok, end))
}

/// `np.exp`, `numpy.linalg.inv`, `np.linalg.norm`: the function's name
/// without the module, when the identifier `word` ending at `i` is `np` or
/// `numpy` followed by `.name`. Returns the name and where it ends.
pub fn numpy_name(chars: &[char], word: &str, i: usize) -> Option<(String, usize)> {
    if word != "np" && word != "numpy" {
        return None;
    }
    let mut at = i;
    loop {
        if chars.get(at) != Some(&'.') || !chars.get(at + 1).is_some_and(|&c| is_ident_start(c)) {
            return None;
        }
        let start = at + 1;
        let mut j = start;
        while j < chars.len() && is_ident_continue(chars[j]) {
            j += 1;
        }
        let name: String = chars[start..j].iter().collect();
        if name == "linalg" {
            at = j;
            continue;
        }
        // `np.T` is not NumPy's; leave it to the transpose rules.
        return (name != "T").then_some((name, j));
    }
}

/// A norm's subscript right after its closing bar: `_2`, `_F`, `_{2}`,
/// `_{F}`, `₂`. The subscript character (`'2'` or `'F'`) and where it ends.
pub fn norm_subscript(chars: &[char], i: usize) -> Option<(char, usize)> {
    match chars.get(i) {
        Some('₂') => return Some(('2', i + 1)),
        Some('_') => {}
        _ => return None,
    }
    let (inner, end) = if chars.get(i + 1) == Some(&'{') {
        let (w, end) = braced_word(chars, i + 1)?;
        (w, end)
    } else {
        let c = *chars.get(i + 1)?;
        (c.to_string(), i + 2)
    };
    match inner.as_str() {
        "2" => Some(('2', end)),
        "F" | "fro" => Some(('F', end)),
        _ => None,
    }
}
