//! The matrix-expression language (see `docs/expressions.md`): declarations,
//! lexing, parsing, symbolic shapes, evaluation and the canonical read-back.
//!
//! Pure engine code: nothing here knows about terminals or the command line.

pub mod ast;
pub mod decl;
pub mod dense;
pub mod error;
pub mod eval;
pub mod func;
pub mod kron;
pub mod lexer;
pub mod limits;
pub mod linalg;
pub mod logsumexp;
pub mod parser;
pub mod power;
pub mod print;
pub mod shape;
pub mod spelling;
pub mod typed;

pub use ast::{BinOp, Expr, ExprKind, Fill, Func};
pub use decl::{Decl, Decls, Dim, Property, Shape};
pub use error::{ErrorKind, ExprError, Span};
pub use eval::{Sizes, eval};
pub use parser::parse;
pub use print::print;
pub use typed::{ElemOp, Op, Typed};

/// An expression parsed, shape-checked and read back.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub ast: Expr,
    pub typed: Typed,
    /// The canonical read-back, e.g. `(A + Aᵀ)·x`.
    pub read_as: String,
}

impl Compiled {
    pub fn shape(&self) -> &Shape {
        &self.typed.shape
    }
}

/// Parses and shape-checks `src` under `decls` (or with every name unknown).
///
/// ```
/// use nabla_engine::expr::{Decls, compile};
///
/// let decls = Decls::parse("A: n x n; x: n").unwrap();
/// let c = compile("x'Ax", Some(&decls)).unwrap();
/// assert_eq!(c.read_as, "xᵀ·A·x");
/// assert_eq!(c.shape().to_string(), "1×1");
///
/// // An error says what is wrong and where (character offsets).
/// let e = compile("x A", Some(&decls)).unwrap_err();
/// assert!(e.message.contains("cannot multiply"));
/// assert_eq!((e.span.start, e.span.end), (0, 3));
/// ```
pub fn compile(src: &str, decls: Option<&Decls>) -> Result<Compiled, ExprError> {
    compile_expecting(src, decls, None)
}

/// Like `compile`, with the shape the whole expression should have, which
/// fixes the size of a bare `I`, `ones` or `zeros` (see `shape::check_expecting`).
pub fn compile_expecting(
    src: &str,
    decls: Option<&Decls>,
    expected: Option<&Shape>,
) -> Result<Compiled, ExprError> {
    let ast = parse(src, decls)?;
    let typed = shape::check_expecting(&ast, decls, expected)?;
    let read_as = print(&ast);
    Ok(Compiled {
        ast,
        typed,
        read_as,
    })
}
