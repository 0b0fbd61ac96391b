//! Unicode superscript and subscript forms. Only letters that have real
//! modifier-letter forms are listed (there is no superscript `q` or
//! subscript `y`, for example), and script characters themselves have none:
//! Unicode has one level of scripts, so a script inside a script (`e^{x_i}`)
//! flattened into it would misread (`eˣⁱ` is e^{xi}). Either way the caller
//! lays the script out on its own row or as `^(…)`/`_(…)` instead.

/// Unicode superscript form of a character, if it has one (marks that
/// already sit high, like primes, map to themselves).
pub fn superscript(c: char) -> Option<char> {
    let s = match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'a' => 'ᵃ',
        'b' => 'ᵇ',
        'c' => 'ᶜ',
        'd' => 'ᵈ',
        'e' => 'ᵉ',
        'f' => 'ᶠ',
        'g' => 'ᵍ',
        'h' => 'ʰ',
        'i' => 'ⁱ',
        'j' => 'ʲ',
        'k' => 'ᵏ',
        'l' => 'ˡ',
        'm' => 'ᵐ',
        'n' => 'ⁿ',
        'o' => 'ᵒ',
        'p' => 'ᵖ',
        'r' => 'ʳ',
        's' => 'ˢ',
        't' => 'ᵗ',
        'u' => 'ᵘ',
        'v' => 'ᵛ',
        'w' => 'ʷ',
        'x' => 'ˣ',
        'y' => 'ʸ',
        'z' => 'ᶻ',
        'A' => 'ᴬ',
        'B' => 'ᴮ',
        'D' => 'ᴰ',
        'E' => 'ᴱ',
        'G' => 'ᴳ',
        'H' => 'ᴴ',
        'I' => 'ᴵ',
        'J' => 'ᴶ',
        'K' => 'ᴷ',
        'L' => 'ᴸ',
        'M' => 'ᴹ',
        'N' => 'ᴺ',
        'O' => 'ᴼ',
        'P' => 'ᴾ',
        'R' => 'ᴿ',
        // Both `^T` and `^\top` mean transpose.
        'T' | '⊤' => 'ᵀ',
        'U' => 'ᵁ',
        'V' => 'ⱽ',
        'W' => 'ᵂ',
        'α' => 'ᵅ',
        'β' => 'ᵝ',
        'γ' => 'ᵞ',
        'δ' => 'ᵟ',
        'ε' => 'ᵋ',
        'θ' => 'ᶿ',
        'φ' | 'ϕ' => 'ᵠ',
        'χ' => 'ᵡ',
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

/// Unicode subscript form of a character, if it has one.
pub fn subscript(c: char) -> Option<char> {
    let s = match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        // A comma already sits low: `Σᵢ,ⱼ`.
        ',' => ',',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        'β' => 'ᵦ',
        'γ' => 'ᵧ',
        'ρ' => 'ᵨ',
        'φ' | 'ϕ' => 'ᵩ',
        'χ' => 'ᵪ',
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
    fn scripts_have_no_script_forms_of_their_own() {
        for c in ['ᵢ', 'ⁱ', '²', '₂', 'ᵀ', '⁻'] {
            assert_eq!(superscript(c), None, "{c}");
            assert_eq!(subscript(c), None, "{c}");
        }
        assert_eq!(subscript('y'), None);
        assert_eq!(superscript('′'), Some('′'));
    }
}
