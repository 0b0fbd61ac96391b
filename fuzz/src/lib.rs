//! What the fuzz targets share: the limits that keep one input cheap.
//!
//! A target must never time out on an input that is merely legitimately
//! slow (a 2048×2048 determinant is allowed, and slow). So the targets that
//! evaluate (check, derive, lessons) skip inputs that write a large whole
//! number, where a size could be: sizes then stay symbolic, and symbols are
//! drawn small (2..=7, a few more with many symbols).

/// Largest whole number an evaluating target accepts anywhere in its input.
pub const MAX_LITERAL: u64 = 16;

/// Whether every whole number written in `text` is at most [`MAX_LITERAL`].
/// The digits of a fraction or of an exponent (`0.001`, `1e300`) are not a
/// whole number of their own, so constants of any size still get through.
pub fn small_numbers(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let part_of_a_number = start > 0 && matches!(chars[start - 1], '.' | 'e' | 'E');
        if part_of_a_number {
            continue;
        }
        let digits: String = chars[start..i].iter().collect();
        match digits.parse::<u64>() {
            Ok(v) if v <= MAX_LITERAL => {}
            _ => return false,
        }
    }
    // Superscript powers are whole numbers too (`A¹⁰⁰⁰⁰`).
    superscripts_small(&chars)
}

fn is_superscript_digit(c: char) -> bool {
    "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c)
}

/// No run of two or more superscript digits (a power of 10 or more).
fn superscripts_small(chars: &[char]) -> bool {
    !chars
        .windows(2)
        .any(|w| is_superscript_digit(w[0]) && is_superscript_digit(w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_whole_numbers_are_refused() {
        assert!(small_numbers("A: n x n; x: 3"));
        assert!(small_numbers("1e300*x + 0.0001 x + x²"));
        assert!(small_numbers("16"));
        assert!(!small_numbers("A: 2048 x 2048"));
        assert!(!small_numbers("I(17)"));
        assert!(!small_numbers("x^100"));
        assert!(!small_numbers("A¹⁰"));
        assert!(!small_numbers("99999999999999999999999"));
    }
}
