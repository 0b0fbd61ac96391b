//! Turns text into tokens, folding every spelling of an operator into one
//! token (`'` `^T` `ᵀ` `.T` are all `Transpose`; `*` `@` `·` are all `Mul`).

use super::decl::{is_ident_continue, is_ident_start};
use super::error::{ExprError, Span};
use super::spelling::{self, Backslash};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    Ident(String),
    Plus,
    Minus,
    /// `*`, `@`, `·`
    Mul,
    /// `.*`, `⊙`, `∘`
    Hadamard,
    /// `./`
    ElemDiv,
    /// `/`
    Slash,
    /// `^`
    Caret,
    /// `.^`
    DotCaret,
    /// `'`, `ᵀ`, `.T`, `^T`
    Transpose,
    /// A run of superscript characters: `²` is `^2`, `⁻¹` is `^-1`.
    Superscript(i64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Semicolon,
    /// `‖` or `||` or `\|`
    NormBar,
    /// A norm's subscript after its closing bar: `'2'` (`_2`) or `'F'` (`_F`).
    NormSub(char),
    /// NumPy's `**`: an entry-by-entry power.
    StarStar,
    /// `X^-T`, `X^{-T}`, `X⁻ᵀ`: the transpose of the inverse.
    InvTranspose,
    /// LaTeX's `\frac`.
    Frac,
    /// MATLAB's left division `A\b`.
    Backslash,
    /// `⊗`, `\otimes`.
    Kron,
    /// `:`, the Frobenius inner product `A : B`.
    Colon,
    /// `⟨` and `⟩` (`\langle`, `\rangle`).
    LAngle,
    RAngle,
    /// A method call after a dot: `A.dot(x)`.
    Method(String),
    /// A quoted word, as in `norm(X, 'fro')`.
    Str(String),
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// Whether white space precedes the token (matrix literals split elements on it).
    pub space_before: bool,
}

pub fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Num(n) => format!("the number {n}"),
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Plus => "'+'".into(),
        Tok::Minus => "'-'".into(),
        Tok::Mul => "'*'".into(),
        Tok::Hadamard => "'.*'".into(),
        Tok::ElemDiv => "'./'".into(),
        Tok::Slash => "'/'".into(),
        Tok::Caret => "'^'".into(),
        Tok::DotCaret => "'.^'".into(),
        Tok::Transpose => "a transpose".into(),
        Tok::Superscript(_) => "a superscript".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::LBracket => "'['".into(),
        Tok::RBracket => "']'".into(),
        Tok::Comma => "','".into(),
        Tok::Semicolon => "';'".into(),
        Tok::NormBar => "'‖'".into(),
        Tok::NormSub(c) => format!("the subscript _{c}"),
        Tok::StarStar => "'**'".into(),
        Tok::InvTranspose => "an inverse transpose".into(),
        Tok::Frac => "'\\frac'".into(),
        Tok::Backslash => "'\\'".into(),
        Tok::Kron => "'⊗'".into(),
        Tok::Colon => "':'".into(),
        Tok::LAngle => "'⟨'".into(),
        Tok::RAngle => "'⟩'".into(),
        Tok::Method(m) => format!("'.{m}'"),
        Tok::Str(w) => format!("'{w}'"),
        Tok::Eof => "the end of the input".into(),
    }
}

/// `is_declared` lets `^T` followed by letters be split correctly: in `a^Tx`
/// the `T` is a transpose unless `Tx` itself is a declared name.
pub fn lex(chars: &[char], is_declared: &dyn Fn(&str) -> bool) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    let at = |k: usize| chars.get(k).copied();
    while i < n {
        let c = chars[i];
        let space_before = i > 0 && chars[i - 1].is_whitespace();
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if c.is_ascii_digit()
            || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let (value, next) = lex_number(chars, i)?;
            i = next;
            Tok::Num(value)
        } else if is_ident_start(c) {
            while i < n && is_ident_continue(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match spelling::numpy_name(chars, &word, i) {
                Some((name, end)) => {
                    i = end;
                    Tok::Ident(name)
                }
                None => Tok::Ident(word),
            }
        } else if c == '\\' {
            match spelling::backslash(chars, i) {
                Backslash::Skip(end) => {
                    i = end;
                    continue;
                }
                Backslash::Token(tok, end) => {
                    i = end;
                    tok
                }
                Backslash::Refuse(message) => {
                    return Err(ExprError::syntax(message, Span::new(start, start + 2)));
                }
            }
        } else if (c == '\'' || c == '"')
            && matches!(
                out.last(),
                Some(Token {
                    tok: Tok::Comma,
                    ..
                })
            )
            && let Some((word, end)) = quoted(chars, i)
        {
            i = end;
            Tok::Str(word)
        } else {
            i += 1;
            match c {
                '+' => Tok::Plus,
                '-' | '−' => Tok::Minus,
                '*' if at(i) == Some('*') => {
                    i += 1;
                    Tok::StarStar
                }
                '*' | '@' | '·' | '⋅' => Tok::Mul,
                '{' => Tok::LParen,
                '}' => Tok::RParen,
                ':' => Tok::Colon,
                '⟨' => Tok::LAngle,
                '⟩' => Tok::RAngle,
                '⊗' => Tok::Kron,
                '𝟙' => Tok::Ident("ones".into()),
                '⊙' | '∘' => Tok::Hadamard,
                '/' => Tok::Slash,
                '\'' | 'ᵀ' | '’' | '′' => Tok::Transpose,
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                ',' => Tok::Comma,
                ';' => Tok::Semicolon,
                '‖' => Tok::NormBar,
                '|' if at(i) == Some('|') => {
                    i += 1;
                    Tok::NormBar
                }
                '⁻' if at(i) == Some('ᵀ') => {
                    i += 1;
                    Tok::InvTranspose
                }
                '|' => {
                    return Err(ExprError::syntax(
                        "a single '|' is not an operator: write ||x|| or ‖x‖ for a norm, abs(x) for absolute values",
                        Span::new(start, i),
                    ));
                }
                '^' if at(i) == Some('T') && transpose_t_at(chars, i, is_declared) => {
                    i += 1;
                    Tok::Transpose
                }
                '^' if let Some((tok, end)) =
                    spelling::after_caret(chars, i, &|k| transpose_t_at(chars, k, is_declared)) =>
                {
                    i = end;
                    tok
                }
                '^' => Tok::Caret,
                '.' => match at(i) {
                    Some('*') => {
                        i += 1;
                        Tok::Hadamard
                    }
                    Some('/') => {
                        i += 1;
                        Tok::ElemDiv
                    }
                    Some('^') => {
                        i += 1;
                        Tok::DotCaret
                    }
                    Some('T') if transpose_t_at(chars, i, is_declared) => {
                        i += 1;
                        Tok::Transpose
                    }
                    Some(l) if l.is_ascii_alphabetic() && method_at(chars, i).is_some() => {
                        let (name, end) = method_at(chars, i).expect("just matched");
                        i = end;
                        Tok::Method(name)
                    }
                    _ => {
                        return Err(ExprError::syntax(
                            "a '.' must start '.*', './', '.^' or '.T'",
                            Span::new(start, i),
                        ));
                    }
                },
                '⁻' | '⁰' | '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' =>
                {
                    i = start;
                    let (value, next) = lex_superscript(chars, i)?;
                    i = next;
                    Tok::Superscript(value)
                }
                _ => {
                    return Err(ExprError::syntax(
                        format!("unexpected character '{c}'"),
                        Span::new(start, i),
                    ));
                }
            }
        };
        let is_bar = tok == Tok::NormBar;
        out.push(Token {
            tok,
            span: Span::new(start, i),
            space_before,
        });
        // `‖x‖_2`, `‖X‖_F`: a subscript can only follow a bar.
        if is_bar && let Some((sub, end)) = spelling::norm_subscript(chars, i) {
            out.push(Token {
                tok: Tok::NormSub(sub),
                span: Span::new(i, end),
                space_before: false,
            });
            i = end;
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::new(n, n),
        space_before: n > 0 && chars[n - 1].is_whitespace(),
    });
    Ok(out)
}

/// `.dot(`: a method NumPy users call on arrays (`A.dot(x)`); the name and
/// where it ends (before the parenthesis).
fn method_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    let name: String = chars[i..j].iter().collect();
    (name == "dot" && chars.get(j) == Some(&'(')).then_some((name, j))
}

/// `'fro'` or `"fro"` at `i`: the word and where the closing quote ends.
fn quoted(chars: &[char], i: usize) -> Option<(String, usize)> {
    let q = chars[i];
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_alphanumeric() {
        j += 1;
    }
    (j > i + 1 && chars.get(j) == Some(&q)).then(|| (chars[i + 1..j].iter().collect(), j + 1))
}

/// Whether the `T` at `i` (after `^` or `.`) is a transpose rather than the
/// start of a name: it is, unless the word starting there is a declared name.
fn transpose_t_at(chars: &[char], i: usize, is_declared: &dyn Fn(&str) -> bool) -> bool {
    let mut j = i;
    while j < chars.len() && is_ident_continue(chars[j]) {
        j += 1;
    }
    let word: String = chars[i..j].iter().collect();
    word == "T" || !is_declared(&word)
}

fn lex_number(chars: &[char], mut i: usize) -> Result<(f64, usize), ExprError> {
    let start = i;
    let digit_at = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_digit());
    while digit_at(i) {
        i += 1;
    }
    // A '.' belongs to the number only before a digit, so `2.*x` is `2 .* x`.
    if chars.get(i) == Some(&'.') && digit_at(i + 1) {
        i += 1;
        while digit_at(i) {
            i += 1;
        }
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let sign = matches!(chars.get(i + 1), Some('+' | '-'));
        let first = if sign { i + 2 } else { i + 1 };
        if digit_at(first) {
            i = first;
            while digit_at(i) {
                i += 1;
            }
        }
    }
    let text: String = chars[start..i].iter().collect();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((v, i)),
        _ => Err(ExprError::syntax(
            format!("'{text}' is not a number nabla can use"),
            Span::new(start, i),
        )),
    }
}

fn lex_superscript(chars: &[char], mut i: usize) -> Result<(i64, usize), ExprError> {
    let start = i;
    let negative = chars.get(i) == Some(&'⁻');
    if negative {
        i += 1;
    }
    let mut value: i64 = 0;
    let mut digits = 0;
    let mut too_large = false;
    while let Some(d) = chars.get(i).and_then(|&c| superscript_digit(c)) {
        match value.checked_mul(10).and_then(|v| v.checked_add(d)) {
            Some(v) => value = v,
            None => too_large = true,
        }
        digits += 1;
        i += 1;
    }
    if too_large {
        return Err(ExprError::syntax(
            "this superscript power is too large to be a number nabla can use",
            Span::new(start, i),
        ));
    }
    if digits == 0 {
        return Err(ExprError::syntax(
            "a superscript minus must be followed by superscript digits (⁻¹)",
            Span::new(start, i),
        ));
    }
    Ok((if negative { -value } else { value }, i))
}

fn superscript_digit(c: char) -> Option<i64> {
    "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c).map(|p| p as i64)
}

pub fn to_superscript(k: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if k < 0 {
        s.push('⁻');
    }
    for d in k.unsigned_abs().to_string().bytes() {
        s.push(DIGITS[(d - b'0') as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let chars: Vec<char> = s.chars().collect();
        lex(&chars, &|_| false)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn every_transpose_spelling_is_one_token() {
        for s in ["A'", "A^T", "Aᵀ", "A.T"] {
            assert_eq!(
                toks(s),
                vec![Tok::Ident("A".into()), Tok::Transpose, Tok::Eof],
                "{s}"
            );
        }
    }

    #[test]
    fn transpose_t_followed_by_a_name() {
        let chars: Vec<char> = "a^Tx".chars().collect();
        let t: Vec<Tok> = lex(&chars, &|n| n == "a" || n == "x")
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(
            t,
            vec![
                Tok::Ident("a".into()),
                Tok::Transpose,
                Tok::Ident("x".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn product_spellings() {
        for s in ["A*x", "A@x", "A·x"] {
            assert_eq!(toks(s)[1], Tok::Mul, "{s}");
        }
        for s in ["x.*y", "x⊙y", "x∘y"] {
            assert_eq!(toks(s)[1], Tok::Hadamard, "{s}");
        }
        assert_eq!(toks("x./y")[1], Tok::ElemDiv);
        assert_eq!(toks("x.^2")[1], Tok::DotCaret);
        assert_eq!(
            toks("2.*x"),
            vec![
                Tok::Num(2.0),
                Tok::Hadamard,
                Tok::Ident("x".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(toks("0.5")[0], Tok::Num(0.5));
        assert_eq!(toks("1e-3")[0], Tok::Num(1e-3));
        assert_eq!(toks(".5")[0], Tok::Num(0.5));
        assert_eq!(
            toks("2x"),
            vec![Tok::Num(2.0), Tok::Ident("x".into()), Tok::Eof]
        );
    }

    #[test]
    fn norms_and_superscripts() {
        assert_eq!(toks("||x||")[0], Tok::NormBar);
        assert_eq!(toks("‖x‖")[0], Tok::NormBar);
        assert_eq!(toks("A⁻¹")[1], Tok::Superscript(-1));
        assert_eq!(toks("x²")[1], Tok::Superscript(2));
        assert_eq!(to_superscript(-12), "⁻¹²");
    }

    #[test]
    fn junk_is_an_error_with_a_span() {
        let chars: Vec<char> = "x $ y".chars().collect();
        let err = lex(&chars, &|_| false).unwrap_err();
        assert_eq!(err.span, Span::new(2, 3));
        assert!(lex(&"|x|".chars().collect::<Vec<_>>(), &|_| false).is_err());
        assert!(lex(&"x.y".chars().collect::<Vec<_>>(), &|_| false).is_err());
    }
}
