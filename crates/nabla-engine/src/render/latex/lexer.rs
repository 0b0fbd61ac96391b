//! Tokenizer for the LaTeX math subset: commands, braces, script markers,
//! alignment tabs, whitespace and plain characters, each with the byte
//! offset where it starts so errors can point into the source.

use super::super::RenderError;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// `\name` (letters) or `\c` (one non-letter, e.g. `\\`, `\|`, `\,`).
    Command(String),
    Open,
    Close,
    Sup,
    Sub,
    /// `&`
    Align,
    /// A run of whitespace (significant only inside `\text{…}`).
    Space,
    Char(char),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub offset: usize,
}

/// Split `src` into tokens. The only lexical error is a lone trailing `\`.
pub fn tokenize(src: &str) -> Result<Vec<Token>, RenderError> {
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let tok = match c {
            '\\' => {
                let mut name = String::new();
                match chars.next() {
                    Some((_, c)) if c.is_ascii_alphabetic() => {
                        name.push(c);
                        while let Some(&(_, c)) = chars.peek() {
                            if !c.is_ascii_alphabetic() {
                                break;
                            }
                            name.push(c);
                            chars.next();
                        }
                    }
                    // Whitespace after a backslash is the control space `\ `.
                    Some((_, c)) if c.is_whitespace() => name.push(' '),
                    Some((_, c)) => name.push(c),
                    None => return Err(RenderError::new("trailing backslash", offset)),
                }
                Tok::Command(name)
            }
            '{' => Tok::Open,
            '}' => Tok::Close,
            '^' => Tok::Sup,
            '_' => Tok::Sub,
            '&' => Tok::Align,
            c if c.is_whitespace() => {
                while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                    chars.next();
                }
                Tok::Space
            }
            c => Tok::Char(c),
        };
        tokens.push(Token { tok, offset });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn commands_and_symbols() {
        assert_eq!(
            toks(r"\frac{a}{b}"),
            vec![
                Tok::Command("frac".into()),
                Tok::Open,
                Tok::Char('a'),
                Tok::Close,
                Tok::Open,
                Tok::Char('b'),
                Tok::Close
            ]
        );
        assert_eq!(
            toks(r"x^2_\alpha \\ \,"),
            vec![
                Tok::Char('x'),
                Tok::Sup,
                Tok::Char('2'),
                Tok::Sub,
                Tok::Command("alpha".into()),
                Tok::Space,
                Tok::Command("\\".into()),
                Tok::Space,
                Tok::Command(",".into())
            ]
        );
    }

    #[test]
    fn offsets_are_bytes() {
        let tokens = tokenize("α \\foo").unwrap_or_default();
        assert_eq!(tokens.last().map(|t| t.offset), Some(3));
    }

    #[test]
    fn trailing_backslash_is_an_error() {
        let err = tokenize("x\\").err();
        assert_eq!(err.map(|e| e.offset), Some(1));
    }
}
