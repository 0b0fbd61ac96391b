//! One table entry per function of the language (`FUNCS`): its canonical
//! name, every other spelling, whether it applies entry by entry, and the
//! line the documentation's function table shows for it.
//!
//! Everything that used to keep its own list of function names reads this
//! table instead: the parser (`Func::from_name`), the read-back
//! (`Func::name`), the reserved words a declaration may not use
//! (`decl::is_reserved`), and the table in `docs/expressions.md` (a test
//! compares it with `docs_table`). What a function *does* — its shape rule,
//! its value in f64 and dual numbers, its numeric adjoint (`reverse`), its
//! symbolic rule (`symbolic`), its rounding magnitude and cost — lives in
//! one `match` arm per module, and every such `match` is exhaustive, so a new
//! `Func` variant is a compile error until each of them says what it does.
//! The numeric and the symbolic adjoint are written separately on purpose:
//! `derive` checks the one against the other on random instances.

use super::ast::Func;

/// What the language knows about one function.
#[derive(Clone, Copy, Debug)]
pub struct FuncSpec {
    pub func: Func,
    /// The spelling the read-back uses.
    pub name: &'static str,
    /// Other spellings that mean the same function.
    pub aliases: &'static [&'static str],
    /// A function of one number, applied to every entry.
    pub elementwise: bool,
    /// The documentation's row: how it is called, what it takes, what it gives.
    pub doc: (&'static str, &'static str, &'static str),
}

/// Every function, in the order the documentation lists them.
pub const FUNCS: &[FuncSpec] = &[
    FuncSpec {
        func: Func::Tr,
        name: "tr",
        aliases: &["trace"],
        elementwise: false,
        doc: ("`tr(A)`, `trace(A)`", "a square matrix", "its trace, 1×1"),
    },
    FuncSpec {
        func: Func::Det,
        name: "det",
        aliases: &[],
        elementwise: false,
        doc: ("`det(A)`", "a square matrix", "its determinant, 1×1"),
    },
    FuncSpec {
        func: Func::Logdet,
        name: "logdet",
        aliases: &[],
        elementwise: false,
        doc: ("`logdet(A)`", "a square matrix", "log \\|det A\\|, 1×1"),
    },
    FuncSpec {
        func: Func::Inv,
        name: "inv",
        aliases: &[],
        elementwise: false,
        doc: ("`inv(A)`", "a square matrix", "its inverse"),
    },
    FuncSpec {
        func: Func::Diag,
        name: "diag",
        aliases: &[],
        elementwise: false,
        doc: (
            "`diag(v)`, `diag(A)`",
            "a vector (column or row), or a square matrix",
            "the diagonal matrix with v on its diagonal; the column vector of A's diagonal",
        ),
    },
    FuncSpec {
        func: Func::Sum,
        name: "sum",
        aliases: &[],
        elementwise: false,
        doc: ("`sum(A)`", "anything", "the sum of all entries, 1×1"),
    },
    FuncSpec {
        func: Func::Norm,
        name: "norm",
        aliases: &[],
        elementwise: false,
        doc: (
            "`norm(A)`",
            "anything",
            "2-norm of a vector, Frobenius norm of a matrix",
        ),
    },
    FuncSpec {
        func: Func::Exp,
        name: "exp",
        aliases: &[],
        elementwise: true,
        doc: ("`exp(A)`", "anything", "eˣ of every entry"),
    },
    FuncSpec {
        func: Func::Log,
        name: "log",
        aliases: &[],
        elementwise: true,
        doc: ("`log(A)`", "anything", "the natural log of every entry"),
    },
    FuncSpec {
        func: Func::Sqrt,
        name: "sqrt",
        aliases: &[],
        elementwise: true,
        doc: ("`sqrt(A)`", "anything", "the square root of every entry"),
    },
    FuncSpec {
        func: Func::Abs,
        name: "abs",
        aliases: &[],
        elementwise: true,
        doc: ("`abs(A)`", "anything", "\\|x\\| of every entry"),
    },
    FuncSpec {
        func: Func::Tanh,
        name: "tanh",
        aliases: &[],
        elementwise: true,
        doc: ("`tanh(A)`", "anything", "tanh of every entry"),
    },
    FuncSpec {
        func: Func::Sigmoid,
        name: "σ",
        aliases: &["sigmoid", "sigma"],
        elementwise: true,
        doc: (
            "`sigmoid(x)`, `sigma(x)`, `σ(x)`",
            "anything",
            "1/(1 + e⁻ˣ) on every entry",
        ),
    },
    FuncSpec {
        func: Func::Relu,
        name: "relu",
        aliases: &[],
        elementwise: true,
        doc: ("`relu(A)`", "anything", "max(0, x) of every entry"),
    },
    FuncSpec {
        func: Func::Step,
        name: "step",
        aliases: &["heaviside"],
        elementwise: true,
        doc: (
            "`step(A)`, `heaviside(A)`",
            "anything",
            "1 where the entry is > 0, else 0 (the slope of relu)",
        ),
    },
    FuncSpec {
        func: Func::Sign,
        name: "sign",
        aliases: &[],
        elementwise: true,
        doc: (
            "`sign(A)`",
            "anything",
            "-1, 0 or 1 by the entry's sign (the slope of abs)",
        ),
    },
    FuncSpec {
        func: Func::Softmax,
        name: "softmax",
        aliases: &[],
        elementwise: false,
        doc: (
            "`softmax(x)`, `softmax(A)`",
            "a vector, or a matrix",
            "the softmax of the vector; of each column of the matrix separately",
        ),
    },
    FuncSpec {
        func: Func::Transpose,
        name: "transpose",
        aliases: &[],
        elementwise: false,
        doc: ("`transpose(A)`", "anything", "`Aᵀ`"),
    },
    FuncSpec {
        func: Func::Vec,
        name: "vec",
        aliases: &[],
        elementwise: false,
        doc: (
            "`vec(A)`",
            "anything",
            "A's columns stacked into one column, (m·n)×1",
        ),
    },
    FuncSpec {
        func: Func::Mean,
        name: "mean",
        aliases: &[],
        elementwise: false,
        doc: (
            "`mean(A)`",
            "anything",
            "the mean of all entries, `sum(A)` over their number, 1×1",
        ),
    },
];

/// Spellings that are not functions of their own but read as an expression
/// of the language (the read-back shows which): `outer(a, b)` is `a·bᵀ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sugar {
    /// `max(0, x)`, `maximum(0, x)`: `relu(x)`.
    Max,
    /// `outer(a, b)`: `a·bᵀ`.
    Outer,
    /// `dot(A, B)`, `matmul(A, B)`: `A·B`, as NumPy's `dot` of 2-D arrays.
    Dot,
    /// `logsumexp(z)`: `log(sum(exp(z)))`, evaluated stably.
    LogSumExp,
    /// `kron(A, B)`: `A ⊗ B`.
    Kron,
}

/// A spelling that reads as an expression of the language.
#[derive(Clone, Copy, Debug)]
pub struct SugarSpec {
    pub sugar: Sugar,
    pub names: &'static [&'static str],
    /// How many arguments it takes.
    pub arity: usize,
    /// The documentation's row, as for `FuncSpec::doc`.
    pub doc: (&'static str, &'static str, &'static str),
}

/// Every spelling that reads as another expression, in the docs' order.
pub const SUGAR: &[SugarSpec] = &[
    SugarSpec {
        sugar: Sugar::Max,
        names: &["max", "maximum"],
        arity: 2,
        doc: (
            "`max(0, x)`, `maximum(0, x)`",
            "0 and anything",
            "`relu(x)`",
        ),
    },
    SugarSpec {
        sugar: Sugar::Outer,
        names: &["outer"],
        arity: 2,
        doc: ("`outer(a, b)`", "two vectors", "`a·bᵀ`"),
    },
    SugarSpec {
        sugar: Sugar::Dot,
        names: &["dot", "matmul"],
        arity: 2,
        doc: (
            "`dot(A, B)`, `matmul(A, B)`, `A.dot(B)`",
            "two matrices",
            "`A·B` (for the inner product of vectors write `aᵀ·b`)",
        ),
    },
    SugarSpec {
        sugar: Sugar::LogSumExp,
        names: &["logsumexp"],
        arity: 1,
        doc: (
            "`logsumexp(z)`",
            "anything",
            "`log(sum(exp(z)))`, 1×1 (evaluated without overflow)",
        ),
    },
    SugarSpec {
        sugar: Sugar::Kron,
        names: &["kron"],
        arity: 2,
        doc: (
            "`kron(A, B)`, `A ⊗ B`",
            "any two matrices, A m×n and B p×q",
            "the Kronecker product, (m·p)×(n·q): block (i, j) is Aᵢⱼ·B",
        ),
    },
];

/// The sugar a name spells, if any.
pub fn sugar(name: &str) -> Option<&'static SugarSpec> {
    SUGAR.iter().find(|s| s.names.contains(&name))
}

/// The table entry of `f`.
pub fn spec(f: Func) -> &'static FuncSpec {
    FUNCS
        .iter()
        .find(|s| s.func == f)
        .expect("every function has a table entry (tested)")
}

/// The function a name calls, with every accepted spelling.
pub fn lookup(name: &str) -> Option<Func> {
    FUNCS
        .iter()
        .find(|s| s.name == name || s.aliases.contains(&name))
        .map(|s| s.func)
}

/// Every spelling of every function: all of them are reserved words.
pub fn spellings() -> impl Iterator<Item = &'static str> {
    FUNCS
        .iter()
        .flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied()))
        .chain(SUGAR.iter().flat_map(|s| s.names.iter().copied()))
}

/// The function table of `docs/expressions.md`, as Markdown.
pub fn docs_table() -> String {
    let mut out = String::from("| function | takes | gives |\n| --- | --- | --- |\n");
    for s in FUNCS {
        let (call, takes, gives) = s.doc;
        out.push_str(&format!("| {call} | {takes} | {gives} |\n"));
    }
    for s in SUGAR {
        let (call, takes, gives) = s.doc;
        out.push_str(&format!("| {call} | {takes} | {gives} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_names_one_function_and_each_function_has_one_entry() {
        let all: Vec<&str> = spellings().collect();
        for (i, s) in all.iter().enumerate() {
            assert!(!all[..i].contains(s), "{s} is spelled twice");
        }
        for (i, s) in FUNCS.iter().enumerate() {
            assert!(
                FUNCS[..i].iter().all(|o| o.func != s.func),
                "{:?} has two entries",
                s.func
            );
            assert_eq!(lookup(s.name), Some(s.func));
            assert_eq!(spec(s.func).name, s.name);
        }
    }

    #[test]
    fn the_docs_table_has_a_row_per_function() {
        let t = docs_table();
        assert_eq!(t.lines().count(), FUNCS.len() + SUGAR.len() + 2);
        assert!(t.contains("| `det(A)` | a square matrix | its determinant, 1×1 |"));
    }
}
