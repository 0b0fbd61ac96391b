//! Unicode superscript and subscript forms. Only letters that have real
//! modifier-letter forms are listed (there is no superscript `q` or
//! subscript `y`, for example); anything else makes the caller lay the
//! script out on its own row instead.

/// Unicode superscript form of a character, if it has one. Already-raised
/// characters map to themselves, and subscript forms map to superscripts, so
/// a script nested in a superscript (`e^{z_i}` → `eᶻⁱ`) flattens to one level.
pub fn superscript(c: char) -> Option<char> {
    let s = match c {
        '0' | '₀' | '⁰' => '⁰',
        '1' | '₁' | '¹' => '¹',
        '2' | '₂' | '²' => '²',
        '3' | '₃' | '³' => '³',
        '4' | '₄' | '⁴' => '⁴',
        '5' | '₅' | '⁵' => '⁵',
        '6' | '₆' | '⁶' => '⁶',
        '7' | '₇' | '⁷' => '⁷',
        '8' | '₈' | '⁸' => '⁸',
        '9' | '₉' | '⁹' => '⁹',
        '+' | '₊' | '⁺' => '⁺',
        '-' | '−' | '₋' | '⁻' => '⁻',
        '=' | '₌' | '⁼' => '⁼',
        '(' | '₍' | '⁽' => '⁽',
        ')' | '₎' | '⁾' => '⁾',
        'a' | 'ₐ' | 'ᵃ' => 'ᵃ',
        'b' | 'ᵇ' => 'ᵇ',
        'c' | 'ᶜ' => 'ᶜ',
        'd' | 'ᵈ' => 'ᵈ',
        'e' | 'ₑ' | 'ᵉ' => 'ᵉ',
        'f' | 'ᶠ' => 'ᶠ',
        'g' | 'ᵍ' => 'ᵍ',
        'h' | 'ₕ' | 'ʰ' => 'ʰ',
        'i' | 'ᵢ' | 'ⁱ' => 'ⁱ',
        'j' | 'ⱼ' | 'ʲ' => 'ʲ',
        'k' | 'ₖ' | 'ᵏ' => 'ᵏ',
        'l' | 'ₗ' | 'ˡ' => 'ˡ',
        'm' | 'ₘ' | 'ᵐ' => 'ᵐ',
        'n' | 'ₙ' | 'ⁿ' => 'ⁿ',
        'o' | 'ₒ' | 'ᵒ' => 'ᵒ',
        'p' | 'ₚ' | 'ᵖ' => 'ᵖ',
        'r' | 'ᵣ' | 'ʳ' => 'ʳ',
        's' | 'ₛ' | 'ˢ' => 'ˢ',
        't' | 'ₜ' | 'ᵗ' => 'ᵗ',
        'u' | 'ᵤ' | 'ᵘ' => 'ᵘ',
        'v' | 'ᵥ' | 'ᵛ' => 'ᵛ',
        'w' | 'ʷ' => 'ʷ',
        'x' | 'ₓ' | 'ˣ' => 'ˣ',
        'y' | 'ʸ' => 'ʸ',
        'z' | 'ᶻ' => 'ᶻ',
        'A' | 'ᴬ' => 'ᴬ',
        'B' | 'ᴮ' => 'ᴮ',
        'D' | 'ᴰ' => 'ᴰ',
        'E' | 'ᴱ' => 'ᴱ',
        'G' | 'ᴳ' => 'ᴳ',
        'H' | 'ᴴ' => 'ᴴ',
        'I' | 'ᴵ' => 'ᴵ',
        'J' | 'ᴶ' => 'ᴶ',
        'K' | 'ᴷ' => 'ᴷ',
        'L' | 'ᴸ' => 'ᴸ',
        'M' | 'ᴹ' => 'ᴹ',
        'N' | 'ᴺ' => 'ᴺ',
        'O' | 'ᴼ' => 'ᴼ',
        'P' | 'ᴾ' => 'ᴾ',
        'R' | 'ᴿ' => 'ᴿ',
        // Both `^T` and `^\top` mean transpose.
        'T' | '⊤' | 'ᵀ' => 'ᵀ',
        'U' | 'ᵁ' => 'ᵁ',
        'V' | 'ⱽ' => 'ⱽ',
        'W' | 'ᵂ' => 'ᵂ',
        'α' | 'ᵅ' => 'ᵅ',
        'β' | 'ᵦ' | 'ᵝ' => 'ᵝ',
        'γ' | 'ᵧ' | 'ᵞ' => 'ᵞ',
        'δ' | 'ᵟ' => 'ᵟ',
        'ε' | 'ᵋ' => 'ᵋ',
        'θ' | 'ᶿ' => 'ᶿ',
        'φ' | 'ϕ' | 'ᵩ' | 'ᵠ' => 'ᵠ',
        'χ' | 'ᵪ' | 'ᵡ' => 'ᵡ',
        // `m \times n` as a superscript reads naturally as ᵐˣⁿ.
        '×' => 'ˣ',
        // Marks that already sit high.
        '′' => '′',
        '″' => '″',
        '*' | '∗' => '*',
        '⋆' => '⋆',
        '†' => '†',
        _ => return None,
    };
    Some(s)
}

/// Unicode subscript form of a character, if it has one (superscript forms
/// map down, mirroring [`superscript`]).
pub fn subscript(c: char) -> Option<char> {
    let s = match c {
        '0' | '⁰' | '₀' => '₀',
        '1' | '¹' | '₁' => '₁',
        '2' | '²' | '₂' => '₂',
        '3' | '³' | '₃' => '₃',
        '4' | '⁴' | '₄' => '₄',
        '5' | '⁵' | '₅' => '₅',
        '6' | '⁶' | '₆' => '₆',
        '7' | '⁷' | '₇' => '₇',
        '8' | '⁸' | '₈' => '₈',
        '9' | '⁹' | '₉' => '₉',
        '+' | '⁺' | '₊' => '₊',
        '-' | '−' | '⁻' | '₋' => '₋',
        '=' | '⁼' | '₌' => '₌',
        '(' | '⁽' | '₍' => '₍',
        ')' | '⁾' | '₎' => '₎',
        // A comma already sits low: `Σᵢ,ⱼ`.
        ',' => ',',
        'a' | 'ᵃ' | 'ₐ' => 'ₐ',
        'e' | 'ᵉ' | 'ₑ' => 'ₑ',
        'h' | 'ʰ' | 'ₕ' => 'ₕ',
        'i' | 'ⁱ' | 'ᵢ' => 'ᵢ',
        'j' | 'ʲ' | 'ⱼ' => 'ⱼ',
        'k' | 'ᵏ' | 'ₖ' => 'ₖ',
        'l' | 'ˡ' | 'ₗ' => 'ₗ',
        'm' | 'ᵐ' | 'ₘ' => 'ₘ',
        'n' | 'ⁿ' | 'ₙ' => 'ₙ',
        'o' | 'ᵒ' | 'ₒ' => 'ₒ',
        'p' | 'ᵖ' | 'ₚ' => 'ₚ',
        'r' | 'ʳ' | 'ᵣ' => 'ᵣ',
        's' | 'ˢ' | 'ₛ' => 'ₛ',
        't' | 'ᵗ' | 'ₜ' => 'ₜ',
        'u' | 'ᵘ' | 'ᵤ' => 'ᵤ',
        'v' | 'ᵛ' | 'ᵥ' => 'ᵥ',
        'x' | 'ˣ' | 'ₓ' => 'ₓ',
        'β' | 'ᵝ' | 'ᵦ' => 'ᵦ',
        'γ' | 'ᵞ' | 'ᵧ' => 'ᵧ',
        'ρ' | 'ᵨ' => 'ᵨ',
        'φ' | 'ϕ' | 'ᵠ' | 'ᵩ' => 'ᵩ',
        'χ' | 'ᵡ' | 'ᵪ' => 'ᵪ',
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_is_always_a_superscript() {
        assert_eq!(superscript('T'), Some('ᵀ'));
        assert_eq!(superscript('⊤'), Some('ᵀ'));
    }

    #[test]
    fn scripts_flatten_into_each_other() {
        assert_eq!(superscript('ᵢ'), Some('ⁱ'));
        assert_eq!(subscript('²'), Some('₂'));
        assert_eq!(subscript('y'), None);
    }
}
