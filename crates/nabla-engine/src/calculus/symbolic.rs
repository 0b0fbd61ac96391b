//! Symbolic differentiation: the derivative of F as a simplified expression
//! of the language (`(A + Aᵀ)·x` for `xᵀ·A·x`), with the derivation's steps
//! in the tutorial's terms.
//!
//! It is reverse mode over the expression, as `reverse` does with numbers,
//! but with adjoints that are expressions (built and simplified by
//! `sym::Alg`): C = A·B gives Ā += C̄·Bᵀ and B̄ += Aᵀ·C̄ (the tutorial's
//! Part 5), tr gives c̄·I, det gives c̄·det(A)·inv(A)ᵀ, and so on.
//!
//! - F scalar: the gradient is the sum of the adjoints reaching X.
//! - X scalar, or F and X vectors: the seed is a placeholder ū; X̄ is then
//!   linear in ū, and `extract` reads the derivative off it (a Jacobian J
//!   from X̄ = Jᵀ·ū, dF/ds from s̄ = ⟨dF/ds, ū⟩).
//!
//! Special patterns (each an identity, documented where it is used):
//! `‖u‖ᵖ` gives p·‖u‖ᵖ⁻²·u at once (so `‖x - a‖²` gives `2(x - a)`), and
//! `log(softmax(z))` for a vector z gives z̄ = ḡ - softmax(z)·sum(ḡ), which
//! with the sum of a onehot or probability y being 1 turns the cross-entropy
//! `-yᵀ·log(softmax(z))` into `softmax(z) - y`. `abs` and `relu` have their
//! slopes `sign(u)` and `step(u)` (true off the kink, where nabla grades).
//! More patterns give textbook forms at once: `log|u|` gives ū ./ u (so
//! `log|det X|` gives `inv(X)ᵀ`), `log σ(u)` and `log(1 - σ(u))` give
//! 1 - σ(u) and -σ(u) (so the binary cross-entropy gives `σ(x) - y`, once
//! `distribute::distributed_if_shorter` multiplies out), and `log(yᵀ·softmax(z))`
//! with y onehot is the log-softmax rule (`softmax(z) - y`).
//!
//! `derive` checks its result against the numeric reverse mode on random
//! instances before returning it: a derivation is never shown wrong.

use nalgebra::DMatrix;

use crate::expr::ast::{BinOp, ExprKind};
use crate::expr::limits::MAX_EXPR_CHARS;
use crate::expr::print as printer;
use crate::expr::{
    Decls, ElemOp, Expr, Func, Op, Shape, Span, Typed, compile_expecting, eval, parse, print,
};
use crate::sample;

use super::distribute;
use super::extract;
use super::simplify::{self, show};
use super::sym::{Alg, Sym};
use super::{Kind, Layout, Problem};

/// A derivative worked out: the expression, its read-back, its shape, and
/// the steps that led to it (one line each).
#[derive(Clone, Debug)]
pub struct Derivation {
    /// The derivative, as `parse(text)` reads it.
    pub expr: Expr,
    /// The canonical read-back, e.g. `(A + Aᵀ)·x`.
    pub text: String,
    pub shape: Shape,
    pub steps: Vec<String>,
}

/// Most steps kept; a longer derivation ends with "…".
const MAX_STEPS: usize = 200;

/// ∂F/∂X for `problem`, simplified, with its steps; checked against the
/// numeric derivative on random instances. An error says plainly what is
/// not supported.
///
/// ```
/// use nabla_engine::calculus::symbolic::derive;
/// use nabla_engine::calculus::{Layout, Problem};
/// use nabla_engine::expr::Decls;
///
/// let decls = Decls::parse("A: n x n; x: n").unwrap();
/// let p = Problem::new(decls, "x' A x", Some("x"), Layout::Numerator).unwrap();
/// let d = derive(&p).unwrap();
/// assert_eq!(d.text, "(A + Aᵀ)·x");
/// assert!(!d.steps.is_empty());
/// ```
pub fn derive(problem: &Problem) -> Result<Derivation, String> {
    // As `check` does: an F that no instance keeps defined (`log(0)`,
    // `sqrt(-1 - xᵀ·x)`) has no derivative to show, whatever the rules say.
    let mut rng = sample::rng(SELF_CHECK_SEED);
    let first = problem.sample(&mut rng).map_err(|e| e.message)?;
    let d = derive_unchecked(problem)?;
    self_check(problem, &d, first, &mut rng)?;
    Ok(d)
}

/// The seed of the instances `derive` checks its result on.
const SELF_CHECK_SEED: u64 = 0x6465_7269_7665;

/// `derive` without the numeric cross-check (for tests of the rules themselves).
pub fn derive_unchecked(problem: &Problem) -> Result<Derivation, String> {
    let decls = &problem.decls;
    let alg = Alg::new(decls);
    let f = &problem.f.typed;
    let x_name = problem.wrt_name().to_string();
    let f_text = print(&problem.f.ast);
    let seeded = problem.kind != Kind::Gradient;
    let lhs = if seeded {
        "∂L".to_string()
    } else if f_text.chars().count() <= 24 {
        match problem.f.ast.kind {
            ExprKind::Call(..) | ExprKind::Name(_) => format!("∂ {f_text}"),
            _ => format!("∂({f_text})"),
        }
    } else {
        "∂F".to_string()
    };
    let mut d = Deriver {
        alg,
        decls,
        wrt: problem.wrt,
        x_name: x_name.clone(),
        multi: count_uses(f, problem.wrt) > 1,
        lhs,
        contributions: Vec::new(),
        steps: Vec::new(),
    };
    if d.lhs == "∂F" {
        d.step(format!("let F = {f_text}"));
    }
    let seed = if seeded {
        d.step(format!(
            "seed: L = ⟨ū, F⟩ for any ū of F's shape ({}), so ∂L/∂F = ū",
            f.shape
        ));
        alg.seed(f.shape.clone())
    } else {
        alg.num(1.0)
    };
    d.backward(f, seed, "", true)?;
    let x_shape = decls.entries[problem.wrt].shape.clone();
    // Tidier contributions (fewer transposes) first: `A·x + Aᵀ·x`.
    d.contributions.sort_by_key(Sym::transposes);
    let shown: Vec<String> = d.contributions.iter().map(|c| show(&alg, c)).collect();
    let total = alg.add(std::mem::take(&mut d.contributions), x_shape.clone());
    let grad_lhs = format!("{}/∂{x_name}", d.lhs);
    if shown.len() > 1 {
        d.step(format!(
            "sum the contributions: {grad_lhs} = {}",
            shown.join(" + ")
        ));
    }
    let before = if shown.is_empty() {
        "0".to_string()
    } else {
        shown.join(" + ")
    };
    let result = match problem.kind {
        Kind::Gradient => total,
        // `hessian_derive` differentiates the derived gradient once more.
        Kind::Hessian => {
            return Err(
                "a Hessian is derived as the Jacobian of the gradient (derive_hessian)".into(),
            );
        }
        Kind::ByScalar => {
            let r = extract::by_scalar(&alg, &total)?;
            d.step(format!(
                "derivative by a scalar: {grad_lhs} = ⟨ū, dF/d{x_name}⟩ for every ū, so dF/d{x_name} = {}",
                show(&alg, &r)
            ));
            r
        }
        Kind::Jacobian => {
            let column = if x_shape.cols.is_one() {
                total
            } else {
                alg.transpose(total)
            };
            let k = if f.shape.cols.is_one() {
                f.shape.rows.clone()
            } else {
                f.shape.cols.clone()
            };
            let m = extract::jacobian_t(&alg, &column, &k)?;
            let j = alg.transpose(m.clone());
            d.step(format!(
                "Jacobian: {grad_lhs} = Jᵀ·ū for every ū, with Jᵀ = {}, so J = {}",
                show(&alg, &m),
                show(&alg, &j)
            ));
            match problem.layout {
                Layout::Numerator => j,
                Layout::Denominator => {
                    d.step(format!(
                        "denominator layout: the transpose, {}",
                        show(&alg, &m)
                    ));
                    m
                }
            }
        }
    };
    if result.has_seed() {
        return Err("nabla derive could not eliminate the seed ū (please report)".to_string());
    }
    if result.shape != problem.expected {
        return Err(format!(
            "nabla derive produced a {} result where {} is expected (please report)",
            result.shape, problem.expected
        ));
    }
    let result = distribute::distributed_if_shorter(&alg, &result);
    let sized = simplify::to_expr(&alg, &simplify::factor(&alg, &result, simplify::BUDGET));
    let written = simplify::settle_fills(&sized, decls, &problem.expected);
    if let Some(v) = non_finite_constant(&written) {
        return Err(format!(
            "the derivative's constants multiply to {}, which is not a number nabla can use (beyond ±1.8e308): scale F's constants down",
            printer::format_number(v)
        ));
    }
    let text = print(&written);
    let length = text.chars().count();
    if length > MAX_EXPR_CHARS {
        return Err(format!(
            "the derivative is {length} characters long written out, more than the {MAX_EXPR_CHARS} an expression may have: nabla derive cannot show it"
        ));
    }
    let expr = parse(&text, Some(decls)).map_err(|e| {
        format!(
            "nabla derive wrote {text}, which does not read back: {} (please report)",
            e.message
        )
    })?;
    if problem.kind == Kind::Gradient && before != text {
        d.step(format!("simplify: {before} = {text}"));
    }
    let mut steps = d.steps;
    if steps.len() > MAX_STEPS {
        steps.truncate(MAX_STEPS);
        steps.push("…".to_string());
    }
    Ok(Derivation {
        expr,
        text,
        shape: problem.expected.clone(),
        steps,
    })
}

/// The first constant of `e` that is not finite (folding constants can
/// overflow: `1e200·1e200`).
fn non_finite_constant(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Number(v) => (!v.is_finite()).then_some(*v),
        ExprKind::Name(_) | ExprKind::Size(_) | ExprKind::Fill(..) | ExprKind::Commutation(..) => {
            None
        }
        ExprKind::Matrix(rows) => rows.iter().flatten().find_map(non_finite_constant),
        ExprKind::Neg(a) | ExprKind::Transpose(a) | ExprKind::Call(_, a) => non_finite_constant(a),
        ExprKind::Binary(_, a, b) => non_finite_constant(a).or_else(|| non_finite_constant(b)),
    }
}

/// The derivation's value against the numeric derivative, on `first` and
/// one more random instance (the second skipped if none can be drawn).
fn self_check(
    problem: &Problem,
    d: &Derivation,
    first: sample::Instance,
    rng: &mut sample::Rng,
) -> Result<(), String> {
    let compiled = compile_expecting(&d.text, Some(&problem.decls), Some(&problem.expected))
        .map_err(|e| {
            format!(
                "nabla derive wrote {}, which is not valid: {}",
                d.text, e.message
            )
        })?;
    if compiled.shape() != &problem.expected {
        return Err(format!(
            "nabla derive wrote {} with shape {}, not {} (please report)",
            d.text,
            compiled.shape(),
            problem.expected
        ));
    }
    let mut next = Some(first);
    for _ in 0..2 {
        let Some(inst) = next.take().or_else(|| problem.sample(rng).ok()) else {
            return Ok(());
        };
        let (Ok(truth), Ok(value)) = (
            problem.derivative(&inst),
            eval(&compiled.typed, &inst.sizes, &inst.values),
        ) else {
            return Ok(());
        };
        // Where a derivative overflows (F = (1e150·aᵀ·x)² is finite where
        // its gradient is not) there is nothing to compare.
        if !all_finite(&truth) || !all_finite(&value) {
            continue;
        }
        // Where F cancels huge terms (1e300·s·v − 1e300·s·v) its computed
        // derivative is rounding noise, and only a comparison that knows the
        // rounding (the grader's) can say whether the two agree.
        if !close(&value, &truth) && !graded_correct(problem, &d.text) {
            return Err(format!(
                "nabla derive worked out {} but it does not match the numeric derivative: this is a bug in nabla derive (please report it)",
                d.text
            ));
        }
    }
    Ok(())
}

/// Whether `check` grades `text` correct for `problem` (on the self-check's
/// seed).
fn graded_correct(problem: &Problem, text: &str) -> bool {
    let opts = crate::grade::Options {
        seed: SELF_CHECK_SEED,
        ..crate::grade::Options::default()
    };
    crate::grade::grade(problem, text, &opts)
        .is_ok_and(|g| g.verdict == crate::grade::Verdict::Correct)
}

fn all_finite(m: &DMatrix<f64>) -> bool {
    m.iter().all(|v| v.is_finite())
}

/// `a` within 1e-6 of `b`, relative to `b` (absolute below 1). Worked out
/// on both scaled by their largest entry, so that values near the top of
/// the range (1e300) do not overflow the norm and fail every comparison.
fn close(a: &DMatrix<f64>, b: &DMatrix<f64>) -> bool {
    if a.shape() != b.shape() {
        return false;
    }
    let scale = a.amax().max(b.amax());
    if scale == 0.0 {
        return true;
    }
    if !scale.is_finite() {
        return false;
    }
    let (a, b) = (a / scale, b / scale);
    let diff = (&a - &b).norm();
    diff.is_finite() && diff <= 1e-6 * b.norm().max(1.0 / scale)
}

fn count_uses(t: &Typed, var: usize) -> usize {
    usize::from(matches!(t.op, Op::Var(v) if v == var))
        + t.children()
            .iter()
            .map(|c| count_uses(c, var))
            .sum::<usize>()
}

struct Deriver<'a> {
    alg: Alg<'a>,
    decls: &'a Decls,
    wrt: usize,
    x_name: String,
    /// X occurs more than once: each adjoint reaching it is a contribution.
    multi: bool,
    /// `∂F`, `∂ tr(A·X·B)`, `∂L`: the left of every `…/∂u = …` line.
    lhs: String,
    contributions: Vec<Sym>,
    steps: Vec<String>,
}

/// The factors of a chain of matrix products, left to right.
fn chain_factors(t: &Typed) -> Vec<&Typed> {
    match &t.op {
        Op::MatMul(a, b) => {
            let mut v = chain_factors(a);
            v.extend(chain_factors(b));
            v
        }
        _ => vec![t],
    }
}

/// The rule the steps below a node that only passes its adjoint on (a sum,
/// difference, negation or transpose) are shown under: the rule that brought
/// the adjoint there, or the node's own where none did (at the top of F),
/// so no step is left without a name.
fn passed_on<'v>(via: &'v str, own: &'v str) -> &'v str {
    if via.is_empty() { own } else { via }
}

/// [`passed_on`] for a transpose (`uᵀ` or `transpose(u)`).
fn transposed(via: &str) -> &str {
    passed_on(via, "transpose (d(uᵀ) = (du)ᵀ)")
}

/// Nodes whose adjoint a step shows (sums, negation and transposes just pass it on).
fn shows_adjoint(t: &Typed) -> bool {
    matches!(
        t.op,
        Op::MatMul(..)
            | Op::Elem(ElemOp::Mul | ElemOp::Div | ElemOp::Pow, ..)
            | Op::MatPow(..)
            | Op::Call(..)
    )
}

impl Deriver<'_> {
    fn step(&mut self, line: String) {
        if self.steps.len() <= MAX_STEPS {
            self.steps.push(line);
        }
    }

    fn text(&self, t: &Typed) -> String {
        print(&typed_expr(t, self.decls))
    }

    /// How a line names a sub-expression: `x`, `tr(X)`, `(W·x + b)`.
    fn target(&self, t: &Typed) -> String {
        let e = typed_expr(t, self.decls);
        let s = print(&e);
        match e.kind {
            ExprKind::Name(_) | ExprKind::Call(..) => s,
            ExprKind::Transpose(ref a) if matches!(a.kind, ExprKind::Name(_)) => s,
            _ => format!("({s})"),
        }
    }

    fn backward(&mut self, t: &Typed, adj: Sym, via: &str, root: bool) -> Result<(), String> {
        if !t.uses_var(self.wrt) {
            return Ok(());
        }
        if !root && shows_adjoint(t) {
            let line = format!(
                "{via}: {}/∂{} = {}",
                self.lhs,
                self.target(t),
                show(&self.alg, &adj)
            );
            self.step(line);
        }
        let alg = self.alg;
        match &t.op {
            Op::Var(_) => {
                let op = if self.multi { "+=" } else { "=" };
                let via = if via.is_empty() { "start" } else { via };
                let line = format!(
                    "{via}: {}/∂{} {op} {}",
                    self.lhs,
                    self.x_name,
                    show(&alg, &adj)
                );
                self.step(line);
                self.contributions.push(adj);
            }
            Op::Const(_) | Op::Fill(_) | Op::Commutation(..) => {}
            Op::Kron(..) => return Err(not_yet("through a Kronecker product ⊗")),
            Op::Matrix(_) => {
                return Err(format!(
                    "F writes {} inside a matrix literal: nabla derive does not differentiate through matrix literals",
                    self.x_name
                ));
            }
            Op::Neg(a) => {
                let via = passed_on(via, "negation (d(-u) = -du)");
                self.backward(a, alg.neg(adj), via, false)?;
            }
            Op::Transpose(a) => self.backward(a, alg.transpose(adj), transposed(via), false)?,
            Op::MatMul(..) => self.chain(t, adj, via)?,
            Op::Elem(op, a, b) => self.elem(*op, a, b, adj, via)?,
            Op::MatPow(a, k) => self.matpow(a, *k, adj)?,
            Op::Call(f, a) => self.call(*f, a, adj, via)?,
        }
        Ok(())
    }

    /// C = F₁·F₂·…·Fₖ: F̄ᵢ = (F₁⋯Fᵢ₋₁)ᵀ·C̄·(Fᵢ₊₁⋯Fₖ)ᵀ.
    fn chain(&mut self, t: &Typed, adj: Sym, via: &str) -> Result<(), String> {
        let alg = self.alg;
        let factors = chain_factors(t);
        let prims = factors
            .iter()
            .map(|f| self.prim(f))
            .collect::<Result<Vec<_>, _>>()?;
        let using: Vec<usize> = (0..factors.len())
            .filter(|&i| factors[i].uses_var(self.wrt))
            .collect();
        let trace = via.starts_with("trace");
        let mut labels: Vec<String> = vec![String::new(); factors.len()];
        if using.len() > 1 {
            let written: Vec<String> = factors.iter().map(|f| self.factor_text(f)).collect();
            let terms: Vec<String> = using
                .iter()
                .map(|&i| {
                    let mut w = written.clone();
                    w[i] = self.differential(factors[i]);
                    w.join("·")
                })
                .collect();
            self.step(format!(
                "product rule: d({}) = {}",
                written.join("·"),
                terms.join(" + ")
            ));
            for &i in &using {
                let term = self.differential(factors[i]);
                labels[i] = if trace {
                    format!("trace identity, product rule ({term} term)")
                } else {
                    format!("product rule ({term} term)")
                };
            }
        } else {
            for &i in &using {
                labels[i] = if trace {
                    "trace identity".to_string()
                } else {
                    "chain rule / backprop equation".to_string()
                };
            }
        }
        for &i in &using {
            let label = std::mem::take(&mut labels[i]);
            let mut a = adj.clone();
            if let Some(l) = alg.product(prims[..i].iter().cloned()) {
                a = alg.mul(alg.transpose(l), a);
            }
            if let Some(r) = alg.product(prims[i + 1..].iter().cloned()) {
                a = alg.mul(a, alg.transpose(r));
            }
            self.backward(factors[i], a, &label, false)?;
        }
        Ok(())
    }

    /// A factor as a product writes it: `A`, `xᵀ`, `(W·x + b)`.
    fn factor_text(&self, t: &Typed) -> String {
        let e = typed_expr(t, self.decls);
        let s = print(&e);
        match e.kind {
            ExprKind::Binary(op, ..) if op.precedence() <= 2 => format!("({s})"),
            ExprKind::Neg(_) => format!("({s})"),
            _ => s,
        }
    }

    /// `dx`, `dxᵀ`, `d(W·x + b)`.
    fn differential(&self, t: &Typed) -> String {
        match &t.op {
            Op::Var(_) => format!("d{}", self.text(t)),
            Op::Transpose(a) if matches!(a.op, Op::Var(_)) => format!("d{}ᵀ", self.text(a)),
            _ => format!("d({})", self.text(t)),
        }
    }

    fn elem(
        &mut self,
        op: ElemOp,
        a: &Typed,
        b: &Typed,
        adj: Sym,
        via: &str,
    ) -> Result<(), String> {
        let alg = self.alg;
        let (sa, sb) = (a.shape.is_scalar(), b.shape.is_scalar());
        // A 1×1 operand broadcast over a matrix gets the sum of its adjoint.
        let reduce = |x: Sym, scalar: bool| {
            if scalar && !x.is_scalar() {
                alg.call(Func::Sum, x)
            } else {
                x
            }
        };
        let (ua, ub) = (a.uses_var(self.wrt), b.uses_var(self.wrt));
        match op {
            ElemOp::Add => {
                let via = passed_on(via, "sum rule (d(u + v) = du + dv)");
                self.backward(a, reduce(adj.clone(), sa), via, false)?;
                self.backward(b, reduce(adj, sb), via, false)?;
            }
            ElemOp::Sub => {
                let via = passed_on(via, "difference rule (d(u - v) = du - dv)");
                self.backward(a, reduce(adj.clone(), sa), via, false)?;
                self.backward(b, reduce(alg.neg(adj), sb), via, false)?;
            }
            ElemOp::Mul => {
                let label = if ua && ub {
                    "product rule"
                } else if sa || sb {
                    "scaling"
                } else {
                    "Hadamard product (C = A ⊙ B: Ā = C̄ ⊙ B)"
                };
                if ua {
                    let g = reduce(alg.had(adj.clone(), self.prim(b)?), sa);
                    self.backward(a, g, label, false)?;
                }
                if ub {
                    let g = reduce(alg.had(adj, self.prim(a)?), sb);
                    self.backward(b, g, label, false)?;
                }
            }
            ElemOp::Div => {
                let pb = self.prim(b)?;
                if ua {
                    let g = reduce(alg.ediv(adj.clone(), pb.clone()), sa);
                    self.backward(a, g, "quotient rule", false)?;
                }
                if ub {
                    // d(a/b) = -a·db/b²
                    let num = alg.had(adj, self.prim(a)?);
                    let g = alg.neg(alg.ediv(num, alg.epow(pb, alg.num(2.0))));
                    self.backward(b, reduce(g, sb), "quotient rule", false)?;
                }
            }
            ElemOp::Pow => {
                if let (Op::Call(Func::Norm, u), Some(p)) = (&a.op, constant(b))
                    && !ub
                {
                    // ‖u‖ᵖ: ū = p·‖u‖ᵖ⁻²·u (so ‖u‖² gives 2u).
                    let pu = self.prim(u)?;
                    let n = alg.call(Func::Norm, pu.clone());
                    let g = alg.mul(alg.mul(alg.scale(p, adj), alg.spow(n, p - 2.0)), pu);
                    let label = if p == 2.0 {
                        "square of a norm (∂‖u‖²/∂u = 2u)".to_string()
                    } else {
                        format!("power of a norm (∂‖u‖ᵖ/∂u = p·‖u‖ᵖ⁻²·u, p = {p})")
                    };
                    return self.backward(u, g, &label, false);
                }
                let (pa, pb) = (self.prim(a)?, self.prim(b)?);
                if ua {
                    let d = match pb.num_value() {
                        Some(p) => alg.scale(p, alg.epow(pa.clone(), alg.num(p - 1.0))),
                        None => {
                            let e1 = alg.add2(pb.clone(), alg.num(-1.0));
                            alg.had(pb.clone(), alg.epow(pa.clone(), e1))
                        }
                    };
                    let g = reduce(alg.had(adj.clone(), d), sa);
                    self.backward(a, g, "power rule", false)?;
                }
                if ub {
                    // d(aᵇ)/db = log(a)·aᵇ
                    let d = alg.had(alg.call(Func::Log, pa.clone()), alg.epow(pa, pb));
                    let g = reduce(alg.had(adj, d), sb);
                    self.backward(b, g, "power rule (exponent)", false)?;
                }
            }
        }
        Ok(())
    }

    /// C = Bᵐ: B̄ = Σᵢ (Bᵀ)ⁱ·C̄·(Bᵀ)ᵐ⁻¹⁻ⁱ; for B = A⁻¹, Ā = -Bᵀ·B̄·Bᵀ.
    fn matpow(&mut self, a: &Typed, k: i64, adj: Sym) -> Result<(), String> {
        if k == 0 {
            return Ok(());
        }
        let alg = self.alg;
        let pa = self.prim(a)?;
        let n = pa.shape.rows.clone();
        let base = if k < 0 { alg.call(Func::Inv, pa) } else { pa };
        let bt = alg.transpose(base);
        let m = k.unsigned_abs() as usize;
        let power = |j: usize| {
            alg.product(std::iter::repeat_n(bt.clone(), j))
                .unwrap_or_else(|| alg.identity(n.clone()))
        };
        let terms: Vec<Sym> = (0..m)
            .map(|i| alg.mul(alg.mul(power(i), adj.clone()), power(m - 1 - i)))
            .collect();
        let b_adj = alg.add(terms, adj.shape.clone());
        let a_adj = if k < 0 {
            alg.neg(alg.mul(alg.mul(bt.clone(), b_adj), bt))
        } else {
            b_adj
        };
        let label = if k < 0 {
            "power of the inverse (product rule, d inv(M) = -inv(M)·dM·inv(M))"
        } else {
            "matrix power (product rule)"
        };
        self.backward(a, a_adj, label, false)
    }

    fn call(&mut self, f: Func, a: &Typed, adj: Sym, via: &str) -> Result<(), String> {
        let alg = self.alg;
        // log(softmax(z)) for a vector z: z̄ = ḡ - softmax(z)·sum(ḡ).
        if f == Func::Log
            && let Op::Call(Func::Softmax, z) = &a.op
            && z.shape.is_vector()
        {
            let pz = self.prim(z)?;
            let p = alg.call(Func::Softmax, pz);
            let total = alg.call(Func::Sum, adj.clone());
            let g = alg.sub(adj, alg.mul(p, total));
            return self.backward(
                z,
                g,
                "softmax + cross-entropy (∂ log(softmax(z)) gives z̄ = ḡ - softmax(z)·sum(ḡ))",
                false,
            );
        }
        // log(yᵀ·softmax(z)) with y onehot is yᵀ·log(softmax(z)) (y picks
        // one entry): the log-softmax rule with ḡ = c̄·y, so the
        // cross-entropy -log(yᵀ·softmax(z)) gives softmax(z) - y.
        if f == Func::Log
            && let Op::MatMul(yt, p) = &a.op
            && let Op::Transpose(y) = &yt.op
            && let Op::Var(i) = y.op
            && self.decls.entries[i]
                .props
                .contains(&crate::expr::Property::Onehot)
            && let Op::Call(Func::Softmax, z) = &p.op
            && z.shape.is_vector()
            && y.shape == z.shape
        {
            let pz = self.prim(z)?;
            let py = self.prim(y)?;
            let g = alg.mul(py, adj);
            let sm = alg.call(Func::Softmax, pz);
            let total = alg.call(Func::Sum, g.clone());
            let zbar = alg.sub(g, alg.mul(sm, total));
            return self.backward(
                z,
                zbar,
                "onehot y: log(yᵀ·softmax(z)) = yᵀ·log(softmax(z)), so z̄ = ḡ - softmax(z)·sum(ḡ) with ḡ = c̄·y",
                false,
            );
        }
        // log σ(u) and log(1 - σ(u)), the two halves of the binary
        // cross-entropy: their slopes are 1 - σ(u) and -σ(u).
        if f == Func::Log {
            fn sigmoid_of(t: &Typed) -> Option<&Typed> {
                match &t.op {
                    Op::Call(Func::Sigmoid, u) => Some(u),
                    _ => None,
                }
            }
            if let Some(u) = sigmoid_of(a) {
                let s = alg.call(Func::Sigmoid, self.prim(u)?);
                let g = alg.had(adj, alg.sub(alg.num(1.0), s));
                return self.backward(u, g, "log σ(u), entry by entry (slope 1 - σ(u))", false);
            }
            if let Op::Elem(ElemOp::Sub, one, rest) = &a.op
                && constant(one) == Some(1.0)
                && let Some(u) = sigmoid_of(rest)
            {
                let s = alg.call(Func::Sigmoid, self.prim(u)?);
                let g = alg.neg(alg.had(adj, s));
                return self.backward(u, g, "log(1 - σ(u)), entry by entry (slope -σ(u))", false);
            }
        }
        // log|u|: d log|u| = du ./ u, and log|det(M)| = logdet(M), whose
        // adjoint is inv(M)ᵀ (the textbook X⁻ᵀ, not det·inv/|det|²).
        if f == Func::Log
            && let Op::Call(Func::Abs, u) = &a.op
        {
            if let Op::Call(Func::Det, m) = &u.op {
                let pm = self.prim(m)?;
                let g = alg.mul(adj, alg.transpose(alg.call(Func::Inv, pm)));
                return self.backward(m, g, "log |det| (∂ log|det(M)|/∂M = inv(M)ᵀ)", false);
            }
            let pu = self.prim(u)?;
            return self.backward(
                u,
                alg.ediv(adj, pu),
                "log |u|, entry by entry (d log|u| = du ./ u)",
                false,
            );
        }
        let pa = self.prim(a)?;
        let one = alg.num(1.0);
        let (g, label): (Sym, &str) = match f {
            Func::Vec | Func::Mean => return Err(not_yet(&format!("through {}", f.name()))),
            Func::Tr => (
                alg.mul(adj, alg.identity(pa.shape.rows.clone())),
                "trace (∂ tr(M)/∂M = I)",
            ),
            Func::Det => {
                let d = alg.call(Func::Det, pa.clone());
                let it = alg.transpose(alg.call(Func::Inv, pa));
                (
                    alg.mul(alg.mul(adj, d), it),
                    "determinant (∂det(M)/∂M = det(M)·inv(M)ᵀ)",
                )
            }
            Func::Logdet => (
                alg.mul(adj, alg.transpose(alg.call(Func::Inv, pa))),
                "log-determinant (∂logdet(M)/∂M = inv(M)ᵀ)",
            ),
            Func::Inv => {
                let ct = alg.transpose(alg.call(Func::Inv, pa));
                (
                    alg.neg(alg.mul(alg.mul(ct.clone(), adj), ct)),
                    "inverse (d inv(M) = -inv(M)·dM·inv(M))",
                )
            }
            Func::Diag => {
                let g = if pa.is_scalar() {
                    adj
                } else if pa.shape.cols.is_one() || !pa.shape.rows.is_one() {
                    alg.call(Func::Diag, adj)
                } else {
                    alg.transpose(alg.call(Func::Diag, adj))
                };
                (g, "diag")
            }
            Func::Sum => (
                alg.mul(adj, alg.ones(pa.shape.clone())),
                "sum of the entries (∂sum(M)/∂M = ones)",
            ),
            Func::Norm => {
                let n = alg.call(Func::Norm, pa.clone());
                (
                    alg.mul(adj, alg.mul(pa, alg.spow(n, -1.0))),
                    "norm (∂‖u‖/∂u = u/‖u‖)",
                )
            }
            Func::Exp => (
                alg.had(adj, alg.call(Func::Exp, pa)),
                "exp, entry by entry (d exp(u) = exp(u) ⊙ du)",
            ),
            Func::Log => (
                alg.ediv(adj, pa),
                "log, entry by entry (d log(u) = du ./ u)",
            ),
            Func::Sqrt => (
                alg.scale(0.5, alg.ediv(adj, alg.call(Func::Sqrt, pa))),
                "sqrt, entry by entry (d sqrt(u) = du ./ (2sqrt(u)))",
            ),
            Func::Abs => (
                alg.had(adj, alg.call(Func::Sign, pa)),
                "abs, entry by entry (its slope is sign(u))",
            ),
            Func::Relu => (
                alg.had(adj, alg.call(Func::Step, pa)),
                "relu, entry by entry (its slope is step(u): 1 where u > 0, else 0)",
            ),
            // Flat off the kink, where nabla grades: no contribution.
            Func::Step | Func::Sign => return Ok(()),
            Func::Tanh => {
                let t = alg.call(Func::Tanh, pa);
                let d = alg.sub(one, alg.epow(t, alg.num(2.0)));
                (alg.had(adj, d), "tanh, entry by entry (tanh' = 1 - tanh²)")
            }
            Func::Sigmoid => {
                let s = alg.call(Func::Sigmoid, pa);
                let d = alg.had(s.clone(), alg.sub(one, s));
                (
                    alg.had(adj, d),
                    "activation, entry by entry (σ'(u) = σ(u) ⊙ (1 - σ(u)))",
                )
            }
            Func::Softmax => {
                let p = alg.call(Func::Softmax, pa.clone());
                let weighted = alg.had(p.clone(), adj.clone());
                let g = if pa.shape.is_vector() {
                    // z̄ = p ⊙ (p̄ - pᵀ·p̄)
                    let dot = alg.call(Func::Sum, weighted);
                    alg.had(p, alg.sub(adj, dot))
                } else {
                    // column by column: Z̄ = P ⊙ (P̄ - ones·(P ⊙ P̄))
                    let m = pa.shape.rows.clone();
                    let sums = alg.mul(alg.ones(Shape::new(m.clone(), m)), weighted);
                    alg.had(p, alg.sub(adj, sums))
                };
                (g, "softmax (z̄ = p ⊙ (p̄ - pᵀ·p̄))")
            }
            Func::Transpose => (alg.transpose(adj), transposed(via)),
        };
        self.backward(a, g, label, false)
    }

    /// The value of a sub-expression of F, as a symbolic expression.
    fn prim(&self, t: &Typed) -> Result<Sym, String> {
        value_of(&self.alg, t)
    }
}

/// The value of an expression as a symbolic one (terms collected, constants
/// folded).
pub(crate) fn value_of(alg: &Alg, t: &Typed) -> Result<Sym, String> {
    Ok(match &t.op {
        Op::Const(v) => alg.num(*v),
        Op::Var(i) => alg.var(*i),
        Op::Fill(f) => alg.fill(*f, t.shape.clone()),
        Op::Matrix(rows) => {
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(
                    r.iter()
                        .map(|e| value_of(alg, e))
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            alg.matrix(out)
        }
        Op::Neg(a) => alg.neg(value_of(alg, a)?),
        Op::Transpose(a) => alg.transpose(value_of(alg, a)?),
        Op::MatMul(a, b) => alg.mul(value_of(alg, a)?, value_of(alg, b)?),
        Op::Elem(op, a, b) => {
            let (pa, pb) = (value_of(alg, a)?, value_of(alg, b)?);
            match op {
                ElemOp::Add => alg.add(vec![pa, pb], t.shape.clone()),
                ElemOp::Sub => alg.add(vec![pa, alg.neg(pb)], t.shape.clone()),
                ElemOp::Mul => alg.had(pa, pb),
                ElemOp::Div => alg.ediv(pa, pb),
                ElemOp::Pow => alg.epow(pa, pb),
            }
        }
        Op::MatPow(a, k) => {
            let pa = value_of(alg, a)?;
            let n = pa.shape.rows.clone();
            let base = if *k < 0 { alg.call(Func::Inv, pa) } else { pa };
            alg.product(std::iter::repeat_n(base, k.unsigned_abs() as usize))
                .unwrap_or_else(|| alg.identity(n))
        }
        Op::Call(f, a) => alg.call(*f, value_of(alg, a)?),
        Op::Kron(..) | Op::Commutation(..) => {
            return Err(not_yet("with ⊗ or K(m, n) inside F"));
        }
    })
}

/// F with its terms collected and its constants folded, compiled under the
/// declarations (`1e20(x'x − x'x) + x'𝟙` is `x'𝟙`): the same function, whose
/// computed derivative keeps no rounding of terms that cancel. None where the
/// symbolic rules do not cover F or the result does not compile back.
pub(crate) fn simplified(f: &Typed, decls: &Decls) -> Option<crate::expr::Compiled> {
    let alg = Alg::exact(decls);
    let sym = value_of(&alg, f).ok()?;
    let e = simplify::to_expr(&alg, &sym);
    let written = simplify::settle_fills(&e, decls, &f.shape);
    let text = print(&written);
    if text.chars().count() > MAX_EXPR_CHARS {
        return None;
    }
    compile_expecting(&text, Some(decls), Some(&f.shape)).ok()
}

/// What the symbolic rules do not cover yet: grading still does (reverse
/// mode knows ⊗, vec and K); only the written derivation is refused.
fn not_yet(what: &str) -> String {
    format!("nabla derive cannot yet differentiate {what}; nabla check still grades answers to it")
}

/// A constant number (`2`, `-1`), if `t` is one.
fn constant(t: &Typed) -> Option<f64> {
    match &t.op {
        Op::Const(v) => Some(*v),
        Op::Neg(a) => constant(a).map(|v| -v),
        _ => None,
    }
}

/// The expression of the language a typed tree was read from (for showing
/// sub-expressions of F in the steps).
fn typed_expr(t: &Typed, decls: &Decls) -> Expr {
    let ex = |kind| Expr::new(kind, Span::default());
    let bx = |t: &Typed| Box::new(typed_expr(t, decls));
    let kind = match &t.op {
        Op::Const(v) => ExprKind::Number(*v),
        Op::Var(i) => ExprKind::Name(decls.entries[*i].name.clone()),
        Op::Fill(f) => ExprKind::Fill(*f, None),
        Op::Matrix(rows) => ExprKind::Matrix(
            rows.iter()
                .map(|r| r.iter().map(|e| typed_expr(e, decls)).collect())
                .collect(),
        ),
        Op::Neg(a) => ExprKind::Neg(bx(a)),
        Op::Transpose(a) => ExprKind::Transpose(bx(a)),
        Op::MatMul(a, b) => ExprKind::Binary(BinOp::Mul, bx(a), bx(b)),
        Op::Elem(op, a, b) => {
            let scalar = a.shape.is_scalar() || b.shape.is_scalar();
            let op = match op {
                ElemOp::Add => BinOp::Add,
                ElemOp::Sub => BinOp::Sub,
                ElemOp::Mul if scalar => BinOp::Mul,
                ElemOp::Mul => BinOp::Hadamard,
                ElemOp::Div if b.shape.is_scalar() => BinOp::Div,
                ElemOp::Div => BinOp::ElemDiv,
                ElemOp::Pow if a.shape.is_scalar() && b.shape.is_scalar() => BinOp::Pow,
                ElemOp::Pow => BinOp::ElemPow,
            };
            ExprKind::Binary(op, bx(a), bx(b))
        }
        Op::MatPow(a, k) => {
            let e = if *k < 0 {
                ex(ExprKind::Neg(Box::new(ex(ExprKind::Number(-*k as f64)))))
            } else {
                ex(ExprKind::Number(*k as f64))
            };
            ExprKind::Binary(BinOp::Pow, bx(a), Box::new(e))
        }
        Op::Call(f, a) => ExprKind::Call(*f, bx(a)),
        Op::Kron(a, b) => ExprKind::Binary(BinOp::Kron, bx(a), bx(b)),
        Op::Commutation(m, n) => ExprKind::Commutation(m.clone(), n.clone()),
    };
    ex(kind)
}
