//! Read-back: one canonical Unicode form of an expression, with the fewest
//! parentheses that still parse back to the same tree (`(A + Aᵀ)·x`).

use super::ast::{BinOp, Expr, ExprKind, Fill, Func};
use super::decl::Dim;
use super::lexer::to_superscript;

/// The canonical read-back of `e`.
pub fn print(e: &Expr) -> String {
    let mut out = String::new();
    write(e, 0, false, &mut out);
    out
}

/// Precedence of the node as printed: 1 sums, 2 products, 3 negation,
/// 4 powers, 5 postfix and atoms.
fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => op.precedence(),
        ExprKind::Neg(_) => 3,
        _ => 5,
    }
}

/// Writes `e`, in parentheses when it binds looser than `min`. `literal` is
/// set inside matrix literals, where juxtaposition would split entries.
fn write(e: &Expr, min: u8, literal: bool, out: &mut String) {
    if precedence(e) < min {
        out.push('(');
        write(e, 0, false, out);
        out.push(')');
        return;
    }
    match &e.kind {
        ExprKind::Number(v) => out.push_str(&format_number(*v)),
        ExprKind::Name(n) | ExprKind::Size(n) => out.push_str(n),
        ExprKind::Fill(fill, size) => write_fill(*fill, size.as_ref(), out),
        ExprKind::Commutation(m, n) => out.push_str(&format!("K({m}, {n})")),
        ExprKind::Matrix(rows) => {
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                for (j, entry) in row.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    let mut text = String::new();
                    write(entry, 0, true, &mut text);
                    if text.starts_with('[') {
                        // `[[1] + 1, 2]` would read as a list of rows.
                        out.push('(');
                        out.push_str(&text);
                        out.push(')');
                    } else {
                        out.push_str(&text);
                    }
                }
            }
            out.push(']');
        }
        ExprKind::Neg(a) => {
            out.push('-');
            write(a, 3, literal, out);
        }
        ExprKind::Transpose(a) => {
            // `1ᵀ` would read back as onesᵀ (the sum 𝟙ᵀx texts mean).
            if matches!(a.kind, ExprKind::Number(v) if v == 1.0) {
                out.push_str("(1)");
            } else {
                write(a, 5, literal, out);
            }
            out.push('ᵀ');
        }
        ExprKind::Call(Func::Norm, a) => {
            out.push('‖');
            write(a, 0, false, out);
            out.push('‖');
        }
        ExprKind::Call(f, a) => {
            out.push_str(f.name());
            out.push('(');
            write(a, 0, false, out);
            out.push(')');
        }
        ExprKind::Binary(op @ (BinOp::Pow | BinOp::ElemPow), base, exponent) => {
            write(base, 5, literal, out);
            match (op, integer_exponent(exponent)) {
                (BinOp::Pow, Some(k)) => out.push_str(&to_superscript(k)),
                _ => {
                    out.push_str(if *op == BinOp::Pow { "^" } else { ".^" });
                    let mut text = String::new();
                    if let ExprKind::Neg(inner) = &exponent.kind {
                        text.push('-');
                        write(inner, 4, literal, &mut text);
                    } else {
                        write(exponent, 4, literal, &mut text);
                    }
                    // `^T` is a transpose to the lexer: the power `a^(Tx)`
                    // written `a^Tx` would read back as `aᵀ·x`, and `a^-Tx`
                    // as `(a⁻¹)ᵀ·x`. (`.^Tx` is safe: `.^` is one token.)
                    // A number's transpose after a caret is the power's
                    // (`A^2'` is `(A²)ᵀ`), so the exponent `2ᵀ` keeps its
                    // parentheses, after either caret.
                    if number_then_transpose(&text) || (*op == BinOp::Pow && text.starts_with('T'))
                    {
                        out.push('(');
                        out.push_str(&text);
                        out.push(')');
                    } else if *op == BinOp::Pow && text.starts_with("-T") {
                        out.push_str("-(");
                        out.push_str(&text[1..]);
                        out.push(')');
                    } else {
                        out.push_str(&text);
                    }
                }
            }
        }
        ExprKind::Binary(op, a, b) => {
            let p = op.precedence();
            write(a, p, literal, out);
            let mut right = String::new();
            // A negated right operand reads better in parentheses: `a - (-b)`.
            let right_min = if matches!(b.kind, ExprKind::Neg(_)) {
                4
            } else {
                p + 1
            };
            write(b, right_min, literal, &mut right);
            out.push_str(match op {
                BinOp::Add => " + ",
                BinOp::Sub => " - ",
                BinOp::Mul if !literal && juxtaposes(a, &right) => "",
                BinOp::Mul => "·",
                BinOp::Hadamard => " ⊙ ",
                BinOp::Kron => " ⊗ ",
                BinOp::ElemDiv => " ./ ",
                BinOp::Div => "/",
                BinOp::Pow | BinOp::ElemPow => unreachable!("handled above"),
            });
            out.push_str(&right);
        }
    }
}

/// A numeric coefficient is written against what it scales (`2x`, `-2(x - a)`),
/// unless the next character would be read as part of the number. Never
/// against a norm: inside another norm `‖2‖x‖‖` cannot be read back.
fn juxtaposes(left: &Expr, right: &str) -> bool {
    // Only a finite number: `∞` stays apart from what it scales.
    let numeric = match &left.kind {
        ExprKind::Number(v) => v.is_finite(),
        ExprKind::Neg(inner) => matches!(inner.kind, ExprKind::Number(v) if v.is_finite()),
        _ => false,
    };
    numeric
        && right
            .chars()
            .next()
            .is_some_and(|c| (c.is_alphabetic() && c != 'e' && c != 'E') || c == '(')
}

/// Whether `text` (an exponent) starts with a number, optionally negated,
/// directly followed by a transpose (`2ᵀ`, `-2ᵀ⁰`, `2⁻ᵀ`): after a caret
/// the parser gives that transpose to the power, so the exponent needs
/// parentheses to keep it.
fn number_then_transpose(text: &str) -> bool {
    let rest = text.strip_prefix('-').unwrap_or(text);
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
        .unwrap_or(rest.len());
    digits > 0 && (rest[digits..].starts_with('ᵀ') || rest[digits..].starts_with("⁻ᵀ"))
}

/// `2` in `x^2` or `1` in `x^-1`, when small enough to write as a superscript.
fn integer_exponent(e: &Expr) -> Option<i64> {
    let (negative, inner) = match &e.kind {
        ExprKind::Neg(inner) => (true, inner.as_ref()),
        _ => (false, e),
    };
    match inner.kind {
        // `x^-0` keeps its minus: `x⁰` would read back without it.
        ExprKind::Number(v) if negative && v == 0.0 => None,
        ExprKind::Number(v) if v.fract() == 0.0 && v.abs() < 1e6 => {
            Some(if negative { -(v as i64) } else { v as i64 })
        }
        _ => None,
    }
}

fn write_fill(fill: Fill, size: Option<&(Dim, Dim)>, out: &mut String) {
    let name = match fill {
        Fill::Identity => "I",
        Fill::Ones => "ones",
        Fill::Zeros => "zeros",
    };
    out.push_str(name);
    match size {
        None => {}
        Some((r, _)) if fill == Fill::Identity => out.push_str(&format!("({r})")),
        Some((r, c)) if c.is_one() => out.push_str(&format!("({r})")),
        Some((r, c)) => out.push_str(&format!("({r}, {c})")),
    }
}

/// Shortest form that reads back to the same value: `2`, `0.5`, `1e-7`.
///
/// No input parses to a non-finite number (the lexer refuses `1e400`), but a
/// tree built by computation can hold one: it prints as `∞`, `-∞` or `⟨NaN⟩`,
/// none of which lexes, so such a read-back fails loudly when typed back
/// rather than reading as a name (`inf·a`, or `infa` glued to it).
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        "⟨NaN⟩".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "∞" } else { "-∞" }.to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}
