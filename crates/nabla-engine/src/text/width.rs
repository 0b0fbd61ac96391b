//! Display columns, as the terminal (and ratatui, which uses the same
//! Unicode tables) will draw them: combining marks and zero-width
//! characters take none, East Asian wide characters and most emoji two,
//! everything else one. Text is measured after [`super::sanitize`], which
//! leaves no controls to measure.

use unicode_width::UnicodeWidthChar;

/// Display columns of one character.
pub fn char_width(c: char) -> usize {
    match c {
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{200B}'..='\u{200D}' => 0,
        c if c.is_control() => 0,
        c => c.width().unwrap_or(0),
    }
}

/// Display columns of a string.
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_of_marks_math_and_wide_characters() {
        assert_eq!(str_width("x\u{0302}y"), 2);
        assert_eq!(str_width("∂f/∂x₁ ⎡⎤ ∇"), 11);
        assert_eq!(str_width("a\u{200D}b"), 2);
        assert_eq!(str_width("漢字"), 4);
        assert_eq!(str_width("\u{FFFD}"), 1);
    }
}
