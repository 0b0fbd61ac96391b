//! Symbolic shape inference: checks that every operation fits and gives every
//! node a shape in dimension symbols (n×1, m×n, 1×1). Sizes of `I`, `ones` and
//! `zeros` written without arguments are inferred from context by unification.

use super::ast::{BinOp, Expr, ExprKind, Fill, Func};
use super::decl::{Decls, Dim, Shape};
use super::error::{ErrorKind, ExprError, Span};
use super::limits::MAX_MATRIX_POWER;
use super::print::print;
use super::typed::{ElemOp, Op, Typed};

/// Shape-checks `e`. With declarations every name must be declared; without,
/// each name gets an unknown shape that the expression may pin down (for
/// `nabla parse` with no `--given`), printed with `?` where it cannot.
pub fn check(e: &Expr, decls: Option<&Decls>) -> Result<Typed, ExprError> {
    check_expecting(e, decls, None)
}

/// Like `check`, with the shape the whole expression should have (an answer's
/// expected shape), which fixes sizes nothing else fixes: a bare `I` graded as
/// ∂tr(X)/∂X is n×n. A mismatch is not an error here; the caller compares.
pub fn check_expecting(
    e: &Expr,
    decls: Option<&Decls>,
    expected: Option<&Shape>,
) -> Result<Typed, ExprError> {
    let mut inf = Infer {
        decls,
        bindings: Vec::new(),
        undeclared: Vec::new(),
        fills: Vec::new(),
    };
    let typed = inf.check(e)?;
    if let Some(want) = expected {
        let got = inf.resolve_shape(&typed.shape);
        let open = |d: &Dim| matches!(d, Dim::Var(_));
        // Only dimensions still open are pinned; fixed ones stay as they are.
        if open(&got.rows) {
            inf.unify(&got.rows, &want.rows);
        }
        if open(&got.cols) {
            inf.unify(&got.cols, &want.cols);
        }
    }
    inf.settle_fills()?;
    Ok(inf.finish(typed))
}

struct Infer<'a> {
    decls: Option<&'a Decls>,
    /// Union-find style bindings of inference variables (index = var id).
    bindings: Vec<Option<Dim>>,
    /// Names seen without declarations, with their inferred shapes.
    undeclared: Vec<(String, Shape)>,
    /// `I`/`ones`/`zeros` whose size came from context.
    fills: Vec<(Fill, Shape, Span)>,
}

impl Infer<'_> {
    fn fresh(&mut self) -> Dim {
        self.bindings.push(None);
        Dim::Var(self.bindings.len() as u32 - 1)
    }

    fn resolve(&self, d: &Dim) -> Dim {
        let mut d = d.clone();
        while let Dim::Var(v) = d {
            match &self.bindings[v as usize] {
                Some(next) => d = next.clone(),
                None => break,
            }
        }
        d
    }

    fn resolve_shape(&self, s: &Shape) -> Shape {
        Shape::new(self.resolve(&s.rows), self.resolve(&s.cols))
    }

    fn unify(&mut self, a: &Dim, b: &Dim) -> bool {
        let (a, b) = (self.resolve(a), self.resolve(b));
        match (&a, &b) {
            _ if a == b => true,
            (Dim::Var(v), _) => {
                self.bindings[*v as usize] = Some(b);
                true
            }
            (_, Dim::Var(v)) => {
                self.bindings[*v as usize] = Some(a);
                true
            }
            _ => false,
        }
    }

    fn unify_shape(&mut self, a: &Shape, b: &Shape) -> bool {
        // Both halves are attempted so partial information still flows.
        let r = self.unify(&a.rows, &b.rows);
        let c = self.unify(&a.cols, &b.cols);
        r && c
    }

    fn is_scalar(&self, s: &Shape) -> bool {
        self.resolve_shape(s).is_scalar()
    }

    /// Unifies `a` with `b` only if all of it can be: a failed attempt binds
    /// nothing, so a size taken from context is not half-decided by a
    /// reading that is then dropped.
    fn try_unify_shape(&mut self, a: &Shape, b: &Shape) -> bool {
        let saved = self.bindings.clone();
        let ok = self.unify_shape(a, b);
        if !ok {
            self.bindings = saved;
        }
        ok
    }

    /// Makes `s` 1×1 if its open sizes allow it (all or nothing).
    fn try_make_scalar(&mut self, s: &Shape) -> bool {
        self.try_unify_shape(s, &Shape::scalar())
    }

    /// `A (m×n)`: how an operand is named in messages.
    fn describe(&self, e: &Expr, t: &Typed) -> String {
        format!("{} ({})", print(e), self.resolve_shape(&t.shape))
    }

    fn check(&mut self, e: &Expr) -> Result<Typed, ExprError> {
        let span = e.span;
        let (op, shape) = match &e.kind {
            ExprKind::Number(v) => (Op::Const(*v), Shape::scalar()),
            ExprKind::Name(name) => self.name(name, span)?,
            // n = sum(ones(n)): exact, constant, and every part of nabla
            // that knows sums and ones knows it.
            ExprKind::Size(n) => {
                let ones = Typed {
                    op: Op::Fill(Fill::Ones),
                    shape: Shape::new(Dim::Sym(n.clone()), Dim::one()),
                    span,
                };
                (Op::Call(Func::Sum, Box::new(ones)), Shape::scalar())
            }
            ExprKind::Fill(fill, size) => self.fill(*fill, size.as_ref(), span)?,
            ExprKind::Matrix(rows) => {
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut typed_row = Vec::with_capacity(row.len());
                    for entry in row {
                        let t = self.check(entry)?;
                        if !self.unify_shape(&t.shape, &Shape::scalar()) {
                            return Err(ExprError::shape(
                                format!(
                                    "matrix entries must be numbers, but {} is not 1×1",
                                    self.describe(entry, &t)
                                ),
                                entry.span,
                            ));
                        }
                        typed_row.push(t);
                    }
                    out.push(typed_row);
                }
                let shape = Shape::new(Dim::Lit(rows.len()), Dim::Lit(rows[0].len()));
                (Op::Matrix(out), shape)
            }
            ExprKind::Neg(a) => {
                let a = self.check(a)?;
                let shape = a.shape.clone();
                (Op::Neg(Box::new(a)), shape)
            }
            ExprKind::Transpose(a) => {
                let a = self.check(a)?;
                let shape = a.shape.transposed();
                (Op::Transpose(Box::new(a)), shape)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span)?,
            ExprKind::Call(f, a) => self.call(*f, a, span)?,
            ExprKind::Commutation(m, n) => {
                let mn = Dim::product(m, n).expect("parsed sizes are symbols or numbers");
                (
                    Op::Commutation(m.clone(), n.clone()),
                    Shape::new(mn.clone(), mn),
                )
            }
        };
        Ok(Typed { op, shape, span })
    }

    fn name(&mut self, name: &str, span: Span) -> Result<(Op, Shape), ExprError> {
        if let Some(decls) = self.decls {
            return match decls.index_of(name) {
                Some(i) => Ok((Op::Var(i), decls.entries[i].shape.clone())),
                None => Err(ExprError::new(
                    ErrorKind::Name,
                    format!(
                        "unknown name '{name}': the declared names are {}",
                        decls.name_list()
                    ),
                    span,
                )),
            };
        }
        if let Some(i) = self.undeclared.iter().position(|(n, _)| n == name) {
            return Ok((Op::Var(i), self.undeclared[i].1.clone()));
        }
        let shape = Shape::new(self.fresh(), self.fresh());
        self.undeclared.push((name.to_string(), shape.clone()));
        Ok((Op::Var(self.undeclared.len() - 1), shape))
    }

    fn fill(
        &mut self,
        fill: Fill,
        size: Option<&(Dim, Dim)>,
        span: Span,
    ) -> Result<(Op, Shape), ExprError> {
        if let Some((r, c)) = size {
            if let Some(decls) = self.decls {
                let symbols = decls.symbols();
                for d in [r, c] {
                    if let Dim::Sym(s) = d
                        && !symbols.contains(s)
                    {
                        return Err(ExprError::shape(
                            format!(
                                "the size '{s}' belongs to no declared name{}",
                                if symbols.is_empty() {
                                    String::new()
                                } else {
                                    format!(" (the sizes are {})", symbols.join(", "))
                                }
                            ),
                            span,
                        ));
                    }
                }
            }
            return Ok((Op::Fill(fill), Shape::new(r.clone(), c.clone())));
        }
        let shape = Shape::new(self.fresh(), self.fresh());
        if fill == Fill::Identity {
            self.unify(&shape.rows, &shape.cols);
        }
        self.fills.push((fill, shape.clone(), span));
        Ok((Op::Fill(fill), shape))
    }

    fn binary(
        &mut self,
        op: BinOp,
        ea: &Expr,
        eb: &Expr,
        span: Span,
    ) -> Result<(Op, Shape), ExprError> {
        let a = self.check(ea)?;
        let b = self.check(eb)?;
        match op {
            BinOp::Kron => {
                let (sa, sb) = (self.resolve_shape(&a.shape), self.resolve_shape(&b.shape));
                let shape = Dim::product(&sa.rows, &sb.rows)
                    .zip(Dim::product(&sa.cols, &sb.cols))
                    .map(|(r, c)| Shape::new(r, c));
                let Some(shape) = shape else {
                    return Err(ExprError::shape(
                        format!(
                            "the sizes of both sides of ⊗ must be known, but {} ⊗ {} leaves one open: write I(n), ones(m, n) with sizes",
                            self.describe(ea, &a),
                            self.describe(eb, &b)
                        ),
                        span,
                    ));
                };
                Ok((Op::Kron(Box::new(a), Box::new(b)), shape))
            }
            BinOp::Add | BinOp::Sub | BinOp::Hadamard | BinOp::ElemDiv | BinOp::ElemPow => {
                let elem = match op {
                    BinOp::Add => ElemOp::Add,
                    BinOp::Sub => ElemOp::Sub,
                    BinOp::Hadamard => ElemOp::Mul,
                    BinOp::ElemDiv => ElemOp::Div,
                    _ => ElemOp::Pow,
                };
                self.elementwise(elem, (ea, a), (eb, b), span)
            }
            BinOp::Div => {
                if !self.is_scalar(&b.shape) && !self.unify_shape(&b.shape, &Shape::scalar()) {
                    return Err(ExprError::shape(
                        format!(
                            "'/' divides by a number, but {} is not 1×1: for entry-by-entry division write ./",
                            self.describe(eb, &b)
                        ),
                        span,
                    ));
                }
                let shape = a.shape.clone();
                Ok((Op::Elem(ElemOp::Div, Box::new(a), Box::new(b)), shape))
            }
            BinOp::Mul => {
                if self.is_scalar(&a.shape) || self.is_scalar(&b.shape) {
                    return self.elementwise(ElemOp::Mul, (ea, a), (eb, b), span);
                }
                if !self.unify(&a.shape.cols, &b.shape.rows) {
                    let (ra, rb) = (self.resolve(&a.shape.cols), self.resolve(&b.shape.rows));
                    // `σ(x)(1 - σ(x))`: two operands of one shape were
                    // most likely meant entry by entry.
                    let (sa, sb) = (self.resolve_shape(&a.shape), self.resolve_shape(&b.shape));
                    let hint = if sa == sb {
                        let (pa, pb) = (operand(ea), operand(eb));
                        let dot = if sa.cols.is_one() {
                            format!("; for the inner product write {pa}ᵀ·{pb}")
                        } else {
                            String::new()
                        };
                        format!(": for the entry-by-entry product write {pa} .* {pb}{dot}")
                    } else {
                        String::new()
                    };
                    return Err(ExprError::shape(
                        format!(
                            "cannot multiply {} by {}: inner sizes {ra} and {rb} differ{hint}",
                            self.describe(ea, &a),
                            self.describe(eb, &b)
                        ),
                        span,
                    ));
                }
                let shape = Shape::new(a.shape.rows.clone(), b.shape.cols.clone());
                Ok((Op::MatMul(Box::new(a), Box::new(b)), shape))
            }
            BinOp::Pow => self.power((ea, a), (eb, b), span),
        }
    }

    fn elementwise(
        &mut self,
        op: ElemOp,
        (ea, a): (&Expr, Typed),
        (eb, b): (&Expr, Typed),
        span: Span,
    ) -> Result<(Op, Shape), ExprError> {
        let shape = if self.is_scalar(&a.shape) {
            b.shape.clone()
        } else if self.is_scalar(&b.shape) || self.try_unify_shape(&a.shape, &b.shape) {
            a.shape.clone()
        } else if self.try_make_scalar(&b.shape) {
            // Equal shapes are impossible, but a size taken from context can
            // make one side 1×1 (`r - ones'x`, `M - ones'x`): then it
            // broadcasts like any scalar, which is what those are written
            // to mean.
            a.shape.clone()
        } else if self.try_make_scalar(&a.shape) {
            b.shape.clone()
        } else {
            let what = match op {
                ElemOp::Add => "add",
                ElemOp::Sub => "subtract",
                ElemOp::Mul => "multiply entry by entry",
                ElemOp::Div => "divide entry by entry",
                ElemOp::Pow => "raise entry by entry",
            };
            let (da, db) = (self.describe(ea, &a), self.describe(eb, &b));
            let verb_phrase = match op {
                ElemOp::Sub => format!("cannot subtract {db} from {da}"),
                ElemOp::Pow => format!("cannot {what} {da} to {db}"),
                _ => format!("cannot {what} {da} and {db}"),
            };
            return Err(ExprError::shape(
                format!("{verb_phrase}: the shapes must be equal (or one side 1×1)"),
                span,
            ));
        };
        Ok((Op::Elem(op, Box::new(a), Box::new(b)), shape))
    }

    fn power(
        &mut self,
        (ea, a): (&Expr, Typed),
        (eb, b): (&Expr, Typed),
        span: Span,
    ) -> Result<(Op, Shape), ExprError> {
        // A vector or matrix has no power but a 1×1 value does, so a base
        // whose size is still open (`(ones' x)^2`) is taken to be 1×1.
        let open = |d: &Dim| matches!(d, Dim::Var(_)) || d.is_one();
        let s = self.resolve_shape(&a.shape);
        if open(&s.rows) && open(&s.cols) {
            self.unify_shape(&a.shape, &Shape::scalar());
        }
        if self.is_scalar(&a.shape) {
            if !self.unify_shape(&b.shape, &Shape::scalar()) {
                return Err(ExprError::shape(
                    format!(
                        "the exponent {} must be a number (1×1); for entry-by-entry powers write .^",
                        self.describe(eb, &b)
                    ),
                    span,
                ));
            }
            return Ok((
                Op::Elem(ElemOp::Pow, Box::new(a), Box::new(b)),
                Shape::scalar(),
            ));
        }
        let shape = self.resolve_shape(&a.shape);
        let name = operand(ea);
        let plain = print(ea);
        if shape.is_vector() {
            return Err(ExprError::shape(
                format!(
                    "{name} is a vector ({shape}), so {name}^… is not defined: for entry-by-entry powers write {name}.^2; for the squared length write {name}'{name} or ‖{plain}‖^2"
                ),
                span,
            ));
        }
        if !self.unify(&shape.rows, &shape.cols) {
            return Err(ExprError::shape(
                format!(
                    "matrix powers need a square matrix, but {} is not square: for entry-by-entry powers write .^",
                    self.describe(ea, &a)
                ),
                span,
            ));
        }
        let Some(k) = constant_integer(eb) else {
            return Err(ExprError::shape(
                format!(
                    "a matrix can only be raised to a whole number (A^2, A^-1); for entry-by-entry powers of {name} write .^"
                ),
                eb.span,
            ));
        };
        if k.abs() > MAX_MATRIX_POWER {
            return Err(ExprError::shape(
                format!("matrix powers are limited to ±{MAX_MATRIX_POWER}"),
                eb.span,
            ));
        }
        let shape = a.shape.clone();
        Ok((Op::MatPow(Box::new(a), k), shape))
    }

    fn call(&mut self, f: Func, ea: &Expr, span: Span) -> Result<(Op, Shape), ExprError> {
        let a = self.check(ea)?;
        let shape = match f {
            Func::Tr | Func::Det | Func::Logdet | Func::Inv => {
                let s = self.resolve_shape(&a.shape);
                if !self.unify(&s.rows, &s.cols) {
                    return Err(ExprError::shape(
                        format!(
                            "{} needs a square matrix, but {} is not square",
                            f.name(),
                            self.describe(ea, &a)
                        ),
                        span,
                    ));
                }
                if f == Func::Inv {
                    a.shape.clone()
                } else {
                    Shape::scalar()
                }
            }
            Func::Diag => {
                let mut s = self.resolve_shape(&a.shape);
                // diag reads a vector or a matrix, so it cannot pin an open
                // size itself; like anywhere else, a size nothing pins is 1.
                // So `diag(ones)` is I and `diag(A ones)` the diagonal matrix
                // of A's row sums, as written on paper. (Unifying the two
                // sides instead made `diag(ones) x` a shape error and
                // `diag(A ones)` the diagonal of an all-ones product.) One
                // open size shared by both sides (`diag(I)`) stays square.
                let open = |d: &Dim| matches!(d, Dim::Var(_));
                if s.rows != s.cols {
                    if open(&s.cols) {
                        self.unify(&s.cols, &Dim::one());
                    } else if open(&s.rows) {
                        self.unify(&s.rows, &Dim::one());
                    }
                    s = self.resolve_shape(&a.shape);
                }
                if s.is_scalar() {
                    Shape::scalar()
                } else if s.cols.is_one() {
                    Shape::new(s.rows.clone(), s.rows)
                } else if s.rows.is_one() {
                    Shape::new(s.cols.clone(), s.cols)
                } else if self.unify(&s.rows, &s.cols) {
                    Shape::new(s.rows, Dim::one())
                } else {
                    return Err(ExprError::shape(
                        format!(
                            "diag takes a vector (to make a diagonal matrix) or a square matrix (to take its diagonal), but {} is neither",
                            self.describe(ea, &a)
                        ),
                        span,
                    ));
                }
            }
            Func::Sum | Func::Norm => Shape::scalar(),
            Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Abs
            | Func::Tanh
            | Func::Sigmoid
            | Func::Relu
            | Func::Step
            | Func::Sign
            | Func::Softmax => a.shape.clone(),
            Func::Transpose => a.shape.transposed(),
            Func::Vec => {
                let s = self.resolve_shape(&a.shape);
                match Dim::product(&s.rows, &s.cols) {
                    Some(len) => Shape::new(len, Dim::one()),
                    None => {
                        return Err(ExprError::shape(
                            format!(
                                "vec needs the size of {} to be known: write ones(m, n), I(n) with sizes",
                                self.describe(ea, &a)
                            ),
                            span,
                        ));
                    }
                }
            }
            // sum(A) / sum(ones(shape of A)): the count is exact, constant,
            // and needs no rule of its own anywhere else (as for `x/n`).
            Func::Mean => {
                let ones = Typed {
                    op: Op::Fill(Fill::Ones),
                    shape: a.shape.clone(),
                    span,
                };
                let count = Typed {
                    op: Op::Call(Func::Sum, Box::new(ones)),
                    shape: Shape::scalar(),
                    span,
                };
                let total = Typed {
                    op: Op::Call(Func::Sum, Box::new(a)),
                    shape: Shape::scalar(),
                    span,
                };
                return Ok((
                    Op::Elem(ElemOp::Div, Box::new(total), Box::new(count)),
                    Shape::scalar(),
                ));
            }
        };
        if f == Func::Transpose {
            return Ok((Op::Transpose(Box::new(a)), shape));
        }
        Ok((Op::Call(f, Box::new(a)), shape))
    }

    /// `ones` and `zeros` whose size nothing fixed are vectors (`ones'x` sums
    /// x); an `I` whose size nothing fixed is an error.
    fn settle_fills(&mut self) -> Result<(), ExprError> {
        let fills = std::mem::take(&mut self.fills);
        for (fill, shape, span) in fills {
            let s = self.resolve_shape(&shape);
            let unknown = |d: &Dim| matches!(d, Dim::Var(_));
            match fill {
                Fill::Identity if unknown(&s.rows) && self.decls.is_some() => {
                    return Err(ExprError::shape(
                        "nothing here fixes the size of I: write I(n) with a size",
                        span,
                    ));
                }
                Fill::Ones | Fill::Zeros if self.decls.is_some() => {
                    if unknown(&s.rows) {
                        self.unify(&s.rows, &Dim::one());
                    }
                    if unknown(&s.cols) {
                        self.unify(&s.cols, &Dim::one());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Replaces inference variables by what they were bound to, everywhere.
    fn finish(&self, mut t: Typed) -> Typed {
        self.finish_in_place(&mut t);
        t
    }

    fn finish_in_place(&self, t: &mut Typed) {
        t.shape = self.resolve_shape(&t.shape);
        match &mut t.op {
            Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..) => {}
            Op::Matrix(rows) => rows
                .iter_mut()
                .flatten()
                .for_each(|e| self.finish_in_place(e)),
            Op::Neg(a) | Op::Transpose(a) | Op::MatPow(a, _) | Op::Call(_, a) => {
                self.finish_in_place(a)
            }
            Op::MatMul(a, b) | Op::Elem(_, a, b) | Op::Kron(a, b) => {
                self.finish_in_place(a);
                self.finish_in_place(b);
            }
        }
    }
}

/// An operand as a suggestion writes it: `x`, `σ(x)`, `(1 - σ(x))`.
fn operand(e: &Expr) -> String {
    let s = print(e);
    match e.kind {
        ExprKind::Binary(..) | ExprKind::Neg(_) => format!("({s})"),
        _ => s,
    }
}

/// The whole number an exponent spells (`2`, `-1`, `(3)`), if it is one.
fn constant_integer(e: &Expr) -> Option<i64> {
    let v = match &e.kind {
        ExprKind::Number(v) => *v,
        ExprKind::Neg(inner) => -(constant_integer(inner)? as f64),
        _ => return None,
    };
    (v.fract() == 0.0 && v.abs() < 1e9).then_some(v as i64)
}
