//! Properties of the expression language, over random input:
//!
//! - random well-formed trees print, parse back to the same tree, and print
//!   the same way again;
//! - random text (ASCII junk, the language's own tokens and Unicode
//!   characters) never panics in `parse`, `compile` or `Decls::parse`, and
//!   whatever parses reads back to the same tree;
//! - random well-shaped expressions have the symbolic shape they were built
//!   for, and evaluate on random sizes and values to a matrix of that size.

use nabla::expr::{
    BinOp, Decls, Dim, ErrorKind, Expr, ExprKind, Fill, Func, Sizes, Span, compile, eval, parse,
    print,
};
use nalgebra::DMatrix;
use proptest::prelude::*;

/// Every name has a different shape, so a misread shows as a shape error.
const G: &str = "A, B: n x n; x, y: n; s, t: scalar; M: m x n; b: m; r: 1 x n; C: n x m";
const NAMES: &[&str] = &["A", "B", "x", "y", "s", "t", "M", "b", "r", "C"];

fn decls() -> Decls {
    Decls::parse(G).unwrap()
}

// ------------------------------------------------------------------ trees

fn node(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..20).prop_map(f64::from),
        (0.0f64..1e6),
        Just(0.5),
        Just(1e-3),
        Just(1e-7),
        Just(2.5e20),
        Just(1e15),
    ]
}

fn dim() -> impl Strategy<Value = Dim> {
    prop_oneof![
        Just(Dim::Sym("n".into())),
        Just(Dim::Sym("m".into())),
        Just(Dim::Sym("k2".into())),
        (1usize..=12).prop_map(Dim::Lit),
    ]
}

/// `I`, `ones`, `zeros` as the parser builds them: unsized, or with sizes
/// (`I(n)` is n×n, `ones(n)` is n×1).
fn fill() -> impl Strategy<Value = Expr> {
    let kind = prop_oneof![Just(Fill::Identity), Just(Fill::Ones), Just(Fill::Zeros)];
    (kind, prop::option::of((dim(), dim()))).prop_map(|(f, size)| {
        let size = size.map(|(r, c)| match f {
            Fill::Identity => (r.clone(), r),
            _ => (r, c),
        });
        node(ExprKind::Fill(f, size))
    })
}

fn leaf(names: &'static [&'static str]) -> impl Strategy<Value = Expr> {
    prop_oneof![
        3 => number().prop_map(|v| node(ExprKind::Number(v))),
        4 => prop::sample::select(names).prop_map(|n| node(ExprKind::Name(n.to_string()))),
        1 => fill(),
    ]
}

/// Names that re-lex badly when printed carelessly: `T…` after `^` reads
/// as a transpose (`a^Tx` is `aᵀ·x`), `e…`/`E…` after a number reads as an
/// exponent (`2e2`), `inf`/`NaN` are what Rust prints for non-finite
/// numbers, and names of letters outside ASCII or with a subscript letter.
const TRICKY: &[&str] = &[
    "Tx", "T2", "T_a", "Ta", "TT", "e", "E", "e2", "ex", "Ex", "inf", "NaN", "nan", "Inf", "σx",
    "α", "xᵢ", "Ix", "onesx", "x",
];
const TRICKY_DECLS: &str =
    "Tx, T2, T_a, Ta, TT, e, E, e2, ex, Ex, inf, NaN, nan, Inf, σx, α, xᵢ, Ix, onesx, x: n";

/// Every function a call can produce (`transpose(A)` parses to a transpose
/// node, so it is not a call).
const FUNCS: &[Func] = &[
    Func::Tr,
    Func::Det,
    Func::Logdet,
    Func::Inv,
    Func::Diag,
    Func::Sum,
    Func::Exp,
    Func::Log,
    Func::Sqrt,
    Func::Abs,
    Func::Tanh,
    Func::Sigmoid,
    Func::Relu,
    Func::Softmax,
    Func::Norm,
];

const OPS: &[BinOp] = &[
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Hadamard,
    BinOp::ElemDiv,
    BinOp::Div,
    BinOp::Pow,
    BinOp::ElemPow,
];

/// Any tree the parser can build, over the declared names.
fn tree() -> impl Strategy<Value = Expr> {
    tree_over(NAMES)
}

/// Any tree the parser can build, over `names`.
fn tree_over(names: &'static [&'static str]) -> impl Strategy<Value = Expr> {
    leaf(names).prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            1 => inner
                .clone()
                .prop_map(|a| node(ExprKind::Neg(Box::new(a)))),
            1 => inner
                .clone()
                .prop_map(|a| node(ExprKind::Transpose(Box::new(a)))),
            1 => (prop::sample::select(FUNCS), inner.clone())
                .prop_map(|(f, a)| node(ExprKind::Call(f, Box::new(a)))),
            3 => (prop::sample::select(OPS), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| node(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
            1 => (1usize..=3, 1usize..=3)
                .prop_flat_map(move |(r, c)| prop::collection::vec(
                    prop::collection::vec(inner.clone(), c),
                    r
                ))
                .prop_map(|rows| node(ExprKind::Matrix(rows))),
        ]
    })
}

proptest! {
    #[test]
    fn a_printed_tree_parses_back_to_the_same_tree(e in tree()) {
        let d = decls();
        let printed = print(&e);
        let back = parse(&printed, Some(&d));
        prop_assert!(back.is_ok(), "{printed}: {:?}", back.err().map(|e| e.message));
        let back = back.unwrap();
        prop_assert!(back.same_tree(&e), "{printed} reads back as {}", print(&back));
        // Printing is idempotent.
        prop_assert_eq!(print(&back), printed.clone());
        // Without declarations the reading is the same.
        let free = parse(&printed, None);
        prop_assert!(free.is_ok_and(|f| f.same_tree(&e)), "{}", printed);
    }

    #[test]
    fn a_printed_tree_of_tricky_names_parses_back_to_the_same_tree(e in tree_over(TRICKY)) {
        let d = Decls::parse(TRICKY_DECLS).unwrap();
        let printed = print(&e);
        for decls in [Some(&d), None] {
            let back = parse(&printed, decls);
            prop_assert!(back.is_ok(), "{printed}: {:?}", back.err().map(|e| e.message));
            let back = back.unwrap();
            prop_assert!(back.same_tree(&e), "{printed} reads back as {}", print(&back));
            prop_assert_eq!(print(&back), printed.clone());
        }
    }
}

/// Found by fuzzing: a power whose exponent is a name starting with `T`
/// printed as `a^Tx`, which reads back as a transpose.
#[test]
fn a_power_of_a_name_starting_with_t_reads_back_as_a_power() {
    for (src, read_as) in [
        ("a^a^ Tx", "a^a^(Tx)"),
        ("s^(Tx)", "s^(Tx)"),
        ("s^Tx²", "sᵀ·x²"),
        ("s^(Tx²)", "s^(Tx²)"),
        ("s^-Tx", "(s⁻¹)ᵀ·x"),
        ("s^-(Tx)", "s^-(Tx)"),
        ("s.^Tx", "s.^Tx"),
        ("s^(T2ᵀ)", "s^(T2ᵀ)"),
    ] {
        let e = parse(src, None).unwrap();
        assert_eq!(print(&e), read_as, "{src}");
        assert!(parse(read_as, None).unwrap().same_tree(&e), "{src}");
    }
    // With `Tx` declared, `s^Tx` is already a power; it reads back the same.
    let d = Decls::parse("s: scalar; Tx: scalar").unwrap();
    let c = compile("s^Tx", Some(&d)).unwrap();
    assert_eq!(c.read_as, "s^(Tx)");
    assert!(parse(&c.read_as, Some(&d)).unwrap().same_tree(&c.ast));
}

/// Numbers no input can produce print as nothing that reads back as a
/// name, alone or against what they scale.
#[test]
fn non_finite_numbers_never_print_as_names() {
    use nabla::expr::print::format_number;
    let x = || Box::new(node(ExprKind::Name("a".into())));
    for v in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
        let text = format_number(v);
        assert!(parse(&text, None).is_err(), "{text}");
        let scaled = node(ExprKind::Binary(
            BinOp::Mul,
            Box::new(node(ExprKind::Number(v))),
            x(),
        ));
        let printed = print(&scaled);
        assert!(parse(&printed, None).is_err(), "{printed}");
        assert!(
            !printed.contains("infa") && !printed.contains("NaNa"),
            "{printed}"
        );
    }
}

// ------------------------------------------------------------ random text

/// The language's own characters, and a few it refuses.
const UNICODE: &[char] = &[
    'ᵀ', '·', '⊙', '∘', '‖', '⁻', '¹', '²', '³', '⁰', 'σ', '×', '−', '⋅', '’', '′', 'é', 'α', 'Σ',
    '∇', '\u{0}', '\u{200b}', '\u{301}', '🙂', '\n', '\t',
];

fn junk() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => (0x20u8..0x7f).prop_map(char::from),
            1 => prop::sample::select(UNICODE),
        ],
        0..48,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// Fragments of the language: random sequences of these reach much deeper
/// into the parser than random characters.
const TOKENS: &[&str] = &[
    "A",
    "B",
    "x",
    "y",
    "s",
    "t",
    "M",
    "b",
    "r",
    "C",
    "Ax",
    "xy",
    "AB",
    "q",
    "T",
    "I",
    "ones",
    "zeros",
    "(n)",
    "(m, n)",
    "(0)",
    "(3)",
    "tr",
    "trace",
    "det",
    "logdet",
    "inv",
    "diag",
    "sum",
    "exp",
    "log",
    "sqrt",
    "abs",
    "tanh",
    "sigmoid",
    "sigma",
    "σ",
    "relu",
    "softmax",
    "norm",
    "transpose",
    "(",
    ")",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    ";",
    "'",
    "ᵀ",
    "^T",
    ".T",
    "^",
    ".^",
    "^-",
    "*",
    "@",
    "·",
    ".*",
    "⊙",
    "∘",
    "./",
    "/",
    "+",
    "-",
    "−",
    "‖",
    "||",
    "|",
    "²",
    "⁻¹",
    "2",
    "0",
    "0.5",
    "1e-3",
    ".5",
    "1/2",
    "1e400",
    // The LaTeX, NumPy and MATLAB spellings (`expr::spelling`).
    "\\top",
    "^{T}",
    "^{-1}",
    "^-T",
    "⁻ᵀ",
    "**",
    "\\frac",
    "{",
    "}",
    ":",
    "⟨",
    "⟩",
    "\\langle",
    "np.",
    "np.linalg.",
    "\\|",
    "_2",
    "_F",
    ".dot(",
    "'fro'",
    "\\cdot",
    "\\odot",
    "\\",
    "\\operatorname{tr}",
    "max",
    "outer",
    "logsumexp",
    "eye",
    "n",
    "1'",
    " ",
    " ",
    " ",
    "\n",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|ts| ts.concat())
}

/// Fragments of declarations.
const DECL_TOKENS: &[&str] = &[
    "A",
    "x",
    "B",
    "s",
    "tr",
    "I",
    "2A",
    "α",
    ":",
    ":",
    ",",
    ";",
    "\n",
    " ",
    "x",
    "×",
    "*",
    "n",
    "m",
    "N",
    "3",
    "0",
    "99999",
    "1",
    "scalar",
    "symmetric",
    "spd",
    "diagonal",
    "orthogonal",
    "positive",
    "onehot",
    "probability",
    "hermitian",
    "3x4",
    "n x n",
    "m x n",
];

fn decl_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(DECL_TOKENS), 0..16).prop_map(|ts| ts.concat())
}

/// Runs every entry point on `src`; whatever parses must read back to the
/// same tree and (when it compiles) to the same shape.
fn survives(src: &str) -> Result<(), TestCaseError> {
    let d = decls();
    for decls in [Some(&d), None] {
        match parse(src, decls) {
            Ok(e) => {
                let printed = print(&e);
                let back = parse(&printed, decls);
                prop_assert!(
                    back.as_ref().is_ok_and(|b| b.same_tree(&e)),
                    "{src:?} reads as {printed:?}, which parses to {:?}",
                    back.map(|b| print(&b)).map_err(|e| e.message)
                );
                if let Ok(c) = compile(src, decls) {
                    let again = compile(&c.read_as, decls);
                    prop_assert!(again.is_ok(), "{src:?} → {}", c.read_as);
                    prop_assert_eq!(again.unwrap().shape().clone(), c.shape().clone());
                }
            }
            Err(e) => {
                prop_assert!(e.span.start <= e.span.end, "{src:?}: {:?}", e.span);
                prop_assert!(e.span.start <= src.chars().count(), "{src:?}: {:?}", e.span);
                prop_assert!(!e.message.is_empty());
                let _ = e.with_caret(src);
            }
        }
        if let Err(e) = compile(src, decls) {
            prop_assert!(e.kind != ErrorKind::Eval && e.kind != ErrorKind::Declaration);
            prop_assert!(e.span.start <= src.chars().count(), "{src:?}: {:?}", e.span);
            let _ = e.with_caret(src);
        }
    }
    if let Err(e) = Decls::parse(src) {
        prop_assert_eq!(e.kind, ErrorKind::Declaration);
        prop_assert!(e.span.end <= src.chars().count(), "{src:?}: {:?}", e.span);
        let _ = e.with_caret(src);
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_characters_never_panic(src in junk()) {
        survives(&src)?;
    }

    #[test]
    fn random_token_sequences_never_panic_and_read_back(src in token_soup()) {
        survives(&src)?;
    }

    #[test]
    fn random_declarations_never_panic(text in decl_soup()) {
        match Decls::parse(&text) {
            Ok(d) => {
                // Every declared name can be used on its own.
                for name in d.names() {
                    let c = compile(name, Some(&d));
                    prop_assert!(c.is_ok(), "{text:?}: {name}");
                    prop_assert_eq!(c.unwrap().shape().clone(), d.get(name).unwrap().shape.clone());
                }
            }
            Err(e) => {
                prop_assert_eq!(e.kind, ErrorKind::Declaration);
                prop_assert!(e.span.end <= text.chars().count(), "{text:?}: {:?}", e.span);
                let _ = e.with_caret(&text);
            }
        }
    }
}

// ------------------------------------------------- well-shaped expressions

/// A dimension of the declarations: n, m or 1.
#[derive(Clone, Copy, Debug, PartialEq)]
enum D {
    N,
    M,
    One,
}

impl D {
    fn text(self) -> &'static str {
        match self {
            D::N => "n",
            D::M => "m",
            D::One => "1",
        }
    }
}

type Sh = (D, D);

fn shape_text((r, c): Sh) -> String {
    format!("{}×{}", r.text(), c.text())
}

/// Declared names of exactly this shape.
fn names_of(shape: Sh) -> &'static [&'static str] {
    match shape {
        (D::N, D::N) => &["A", "B"],
        (D::N, D::One) => &["x", "y"],
        (D::One, D::One) => &["s", "t"],
        (D::M, D::N) => &["M"],
        (D::M, D::One) => &["b"],
        (D::One, D::N) => &["r"],
        (D::N, D::M) => &["C"],
        _ => &[],
    }
}

/// Random choices, drawn in turn (and round again when they run out).
struct Choices<'a> {
    values: &'a [u32],
    at: usize,
}

impl Choices<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let v = self.values[self.at % self.values.len()];
        self.at += 1;
        v as usize % n
    }

    fn dim(&mut self) -> D {
        DIMS[self.pick(3)]
    }
}

const DIMS: [D; 3] = [D::N, D::M, D::One];

fn leaf_of(shape: Sh, ch: &mut Choices) -> String {
    let (r, c) = shape;
    let names = names_of(shape);
    let mut options: Vec<String> = vec![
        format!("ones({}, {})", r.text(), c.text()),
        format!("zeros({}, {})", r.text(), c.text()),
    ];
    for name in names {
        // Names are the likeliest leaves.
        options.extend([name.to_string(), name.to_string(), name.to_string()]);
    }
    if shape == (D::One, D::One) {
        let k = ch.pick(10);
        options.extend([k.to_string(), "0.5".into(), "[2]".into(), "1e-3".into()]);
    }
    if r == c && r != D::One {
        options.push(format!("I({})", r.text()));
    }
    let i = ch.pick(options.len());
    options.swap_remove(i)
}

/// An expression of `shape`, well shaped by construction, whose value stays
/// finite and inside every function's domain for entries in [-1, 1].
fn expr_of(shape: Sh, depth: u32, ch: &mut Choices) -> String {
    if depth == 0 {
        return leaf_of(shape, ch);
    }
    let (r, c) = shape;
    let d = depth - 1;
    let one = (D::One, D::One);
    // The general forms come first; the shape-specific ones follow.
    let general = 18;
    let mut specific = 0;
    if shape == one {
        specific = 11;
    } else if r == c {
        specific = 6;
    } else if c == D::One || r == D::One {
        specific = 2;
    }
    let k = ch.pick(general + specific);
    if k < general {
        return match k {
            0 => leaf_of(shape, ch),
            1 => format!("-({})", expr_of(shape, d, ch)),
            2 => format!("({})'", expr_of((c, r), d, ch)),
            3 => format!("transpose({})", expr_of((c, r), d, ch)),
            4 => format!("({}) + ({})", expr_of(shape, d, ch), expr_of(shape, d, ch)),
            5 => format!("({}) - ({})", expr_of(shape, d, ch), expr_of(shape, d, ch)),
            6 => format!("({}) .* ({})", expr_of(shape, d, ch), expr_of(shape, d, ch)),
            7 => format!(
                "({}) ./ (1 + abs({}))",
                expr_of(shape, d, ch),
                expr_of(shape, d, ch)
            ),
            8 => format!("({}) - ({})", expr_of(shape, d, ch), expr_of(one, d, ch)),
            9 => format!("({}) * ({})", expr_of(one, d, ch), expr_of(shape, d, ch)),
            10 => format!(
                "({}) / (2 + abs({}))",
                expr_of(shape, d, ch),
                expr_of(one, d, ch)
            ),
            11 => {
                // A product through any inner size; a 1×1 side scales.
                let inner = ch.dim();
                format!(
                    "({})({})",
                    expr_of((r, inner), d, ch),
                    expr_of((inner, c), d, ch)
                )
            }
            12 => {
                let f = ["tanh", "sigmoid", "sigma", "σ", "relu", "abs", "softmax"][ch.pick(7)];
                format!("{f}({})", expr_of(shape, d, ch))
            }
            13 => format!("exp(tanh({}))", expr_of(shape, d, ch)),
            14 => format!("sqrt(abs({}))", expr_of(shape, d, ch)),
            15 => format!("log(1 + abs({}))", expr_of(shape, d, ch)),
            16 => format!("({}).^2", expr_of(shape, d, ch)),
            // `zeros + s` takes its size from what it meets next: in
            // `(zeros + s) x` it is a row. Only where the shape is fixed.
            _ if shape == one => format!("zeros(1) + ({})", expr_of(shape, d, ch)),
            _ => format!("zeros + ({})", expr_of(shape, d, ch)),
        };
    }
    let k = k - general;
    if shape == one {
        match k {
            0 => {
                let n = [D::N, D::M][ch.pick(2)];
                format!("tr({})", expr_of((n, n), d, ch))
            }
            1 => format!("det({})", expr_of((D::N, D::N), d, ch)),
            2 => {
                let s = (ch.dim(), ch.dim());
                format!("sum({})", expr_of(s, d, ch))
            }
            3 => {
                let s = (ch.dim(), ch.dim());
                format!("‖{}‖", expr_of(s, d, ch))
            }
            4 => format!("norm({})^2", expr_of((D::M, D::N), d, ch)),
            5 => {
                let v = expr_of((D::N, D::One), d, ch);
                format!("({v})'({v})")
            }
            6 => format!("({})^2", expr_of(one, d, ch)),
            7 => format!("[({})]", expr_of(one, d, ch)),
            8 => "logdet(A A' + I)".to_string(),
            // (Sized here so that the unsized reading, `ones' x`, is covered
            // by a_sum_written_with_ones… in expr_contract.)
            9 => "ones(n)' x".to_string(),
            _ => "x' I x".to_string(),
        }
    } else if r == c {
        let name = if r == D::N { "A" } else { "C'" };
        match k {
            0 => format!("({})^2", expr_of(shape, d, ch)),
            1 => format!("({}) + I", expr_of(shape, d, ch)),
            2 => format!("I ({})", expr_of(shape, d, ch)),
            3 => format!("diag({})", expr_of((r, D::One), d, ch)),
            4 => format!("inv({name} ({name})' + I)"),
            _ => format!("({name} ({name})' + I)^-1"),
        }
    } else if c == D::One {
        match k {
            0 => format!("diag({})", expr_of((r, r), d, ch)),
            _ => format!("ones + {}", expr_of(shape, d, ch)),
        }
    } else {
        match k {
            0 => format!("ones' ({})", expr_of((c, c), d, ch)),
            _ => format!("({}) + ones", expr_of(shape, d, ch)),
        }
    }
}

fn size(d: D, n: usize, m: usize) -> usize {
    match d {
        D::N => n,
        D::M => m,
        D::One => 1,
    }
}

proptest! {
    #[test]
    fn well_shaped_expressions_evaluate_to_their_symbolic_size(
        rows in 0usize..3,
        cols in 0usize..3,
        depth in 0u32..=3,
        choices in prop::collection::vec(any::<u32>(), 1..64),
        n in 2usize..=5,
        m_offset in 1usize..=3,
        entries in prop::collection::vec(-1.0f64..1.0, 64),
    ) {
        let shape = (DIMS[rows], DIMS[cols]);
        let src = expr_of(shape, depth, &mut Choices { values: &choices, at: 0 });
        let m = if n + m_offset > 6 { n - 1 } else { n + m_offset };
        prop_assume!(m != n && m >= 2);
        let d = decls();
        let c = compile(&src, Some(&d));
        prop_assert!(c.is_ok(), "{src}: {:?}", c.err().map(|e| e.with_caret(&src)));
        let c = c.unwrap();
        prop_assert_eq!(c.shape().to_string(), shape_text(shape), "{}", src);
        // Its reading compiles to the same shape.
        let again = compile(&c.read_as, Some(&d)).map(|a| a.shape().to_string());
        prop_assert_eq!(again, Ok(shape_text(shape)), "{} read as {}", src, c.read_as);

        let sizes = Sizes::from([("n".to_string(), n), ("m".to_string(), m)]);
        let mut k = 0;
        let values: Vec<DMatrix<f64>> = d
            .entries
            .iter()
            .map(|decl| {
                let rows = nabla::expr::eval::dim_size(&decl.shape.rows, &sizes).unwrap();
                let cols = nabla::expr::eval::dim_size(&decl.shape.cols, &sizes).unwrap();
                DMatrix::from_fn(rows, cols, |_, _| {
                    k += 1;
                    entries[k % entries.len()]
                })
            })
            .collect();
        let v = eval(&c.typed, &sizes, &values);
        prop_assert!(v.is_ok(), "{src}: {:?}", v.err().map(|e| e.with_caret(&src)));
        let v = v.unwrap();
        prop_assert_eq!(
            v.shape(),
            (size(shape.0, n, m), size(shape.1, n, m)),
            "{}",
            src
        );
    }
}
