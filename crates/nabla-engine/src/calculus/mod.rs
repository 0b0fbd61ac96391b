//! Differentiation: the true derivative of F by a declared variable, from F
//! alone. Reverse mode (`reverse`) is the truth; forward mode with dual
//! numbers (`forward`) serves derivatives by a scalar; central finite
//! differences (`finite_diff`) are the independent cross-check.

pub mod condition;
pub mod cost;
mod distribute;
mod draw;
mod extract;
pub mod finite_diff;
pub mod forward;
pub mod hessian;
pub mod needs;
pub mod reverse;
pub mod rounding;
pub mod second;
mod simplify;
mod sym;
pub mod symbolic;
pub mod tape;
pub mod vec_jacobian;

use nalgebra::DMatrix;
use rand::RngExt;

use crate::expr::eval::shape_size;
use crate::expr::{Compiled, Decls, Dim, ExprError, Shape, Typed, compile};
use crate::sample::{self, Instance, Rng};

pub use draw::{Drawn, KINK_TRIALS, TrialPlan};

/// How a Jacobian is laid out: numerator (rows follow F, the default) or
/// denominator (rows follow X).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    #[default]
    Numerator,
    Denominator,
}

/// What kind of derivative a problem asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// F scalar: the gradient, with X's shape.
    Gradient,
    /// X scalar (F not): the derivative, with F's shape.
    ByScalar,
    /// Neither scalar: the Jacobian ∂vec(F)/∂vec(X) (for vectors, the usual one).
    Jacobian,
    /// F scalar, X a vector (n×1): the Hessian ∂²F/∂x∂xᵀ, n×n (`--order 2`).
    Hessian,
}

/// A problem that cannot be graded: F does not parse, X is not declared, the
/// derivative is not one nabla handles.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemError {
    pub message: String,
    /// The text the error points into, and the error, for a caret report.
    pub source: Option<(String, ExprError)>,
}

impl ProblemError {
    fn plain(message: impl Into<String>) -> Self {
        ProblemError {
            message: message.into(),
            source: None,
        }
    }

    fn in_text(what: &str, text: &str, e: ExprError) -> Self {
        ProblemError {
            message: format!("{what}: {}", e.message),
            source: Some((text.to_string(), e)),
        }
    }

    /// The message, with the offending text and a caret when there is one.
    pub fn report(&self) -> String {
        match &self.source {
            Some((text, e)) => format!("{}\n{}", self.message, e.with_caret(text)),
            None => self.message.clone(),
        }
    }
}

impl std::fmt::Display for ProblemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// ∂F/∂X, ready to be evaluated on random instances.
#[derive(Clone, Debug)]
pub struct Problem {
    pub decls: Decls,
    pub f: Compiled,
    pub wrt: usize,
    pub layout: Layout,
    pub kind: Kind,
    /// The derivative's symbolic shape.
    pub expected: Shape,
    /// F as written, to name the part of it that breaks (`draw`).
    pub f_text: String,
    /// Names whose value is computed from others (a backprop exercise's
    /// forward pass), in the order they are evaluated: `(name index, value)`.
    pub definitions: Vec<(usize, Typed)>,
    /// What messages call F: "F", or the name an exercise gives it (`r`, `L`).
    pub f_name: String,
}

impl Problem {
    /// Sets up ∂F/∂X. `wrt` may be left out when F uses exactly one name.
    ///
    /// ```
    /// use nabla_engine::calculus::{Layout, Problem};
    /// use nabla_engine::expr::Decls;
    ///
    /// let decls = Decls::parse("A: n x n; x: n").unwrap();
    /// let p = Problem::new(decls, "x' A x", Some("x"), Layout::Numerator).unwrap();
    /// assert_eq!(p.expected.to_string(), "n×1"); // a gradient has x's shape
    /// ```
    pub fn new(
        decls: Decls,
        f: &str,
        wrt: Option<&str>,
        layout: Layout,
    ) -> Result<Problem, ProblemError> {
        let compiled = compile(f, Some(&decls)).map_err(|e| ProblemError::in_text("F", f, e))?;
        let wrt_name = match wrt {
            Some(w) => w.trim().to_string(),
            None => {
                let names = compiled.ast.names();
                match names.as_slice() {
                    [only] => only.clone(),
                    [] => {
                        return Err(ProblemError::plain(
                            "F uses no declared name, so there is nothing to differentiate by",
                        ));
                    }
                    _ => {
                        return Err(ProblemError::plain(format!(
                            "F uses {}: say which to differentiate by with --wrt",
                            names.join(", ")
                        )));
                    }
                }
            }
        };
        let Some(wrt) = decls.index_of(&wrt_name) else {
            return Err(ProblemError::plain(format!(
                "--wrt {wrt_name}: '{wrt_name}' is not declared (the declared names are {})",
                decls.name_list()
            )));
        };
        let f_shape = compiled.shape().clone();
        let x_shape = decls.entries[wrt].shape.clone();
        let (kind, expected) = expected_shape(&f_shape, &x_shape, layout).ok_or_else(|| {
            ProblemError::plain(format!(
                "∂F/∂{wrt_name} with F {f_shape} and {wrt_name} {x_shape}: the sizes must be known to lay out ∂vec(F)/∂vec({wrt_name})"
            ))
        })?;
        Ok(Problem {
            decls,
            f: compiled,
            wrt,
            layout,
            kind,
            expected,
            f_text: f.to_string(),
            definitions: Vec::new(),
            f_name: "F".to_string(),
        })
    }

    /// Sets up the Hessian ∂²F/∂x∂xᵀ of a scalar F by a column vector x:
    /// n×n, entry (i, j) = ∂²F/∂xᵢ∂xⱼ (the same in either layout).
    pub fn hessian(decls: Decls, f: &str, wrt: Option<&str>) -> Result<Problem, ProblemError> {
        let mut p = Problem::new(decls, f, wrt, Layout::Numerator)?;
        let x = p.decls.entries[p.wrt].shape.clone();
        if p.kind != Kind::Gradient || !x.cols.is_one() || x.rows.is_one() {
            return Err(ProblemError::plain(format!(
                "--order 2 asks for a Hessian: F must be a scalar and {} a column vector, but F is {} and {} is {x}",
                p.wrt_name(),
                p.f.shape(),
                p.wrt_name()
            )));
        }
        p.kind = Kind::Hessian;
        p.expected = Shape::new(x.rows.clone(), x.rows);
        Ok(p)
    }

    /// Adds names defined by expressions of earlier names; every sampled
    /// instance computes their values in order.
    pub fn with_definitions(mut self, definitions: Vec<(usize, Typed)>) -> Problem {
        self.definitions = definitions;
        self
    }

    /// Names F as the exercise does in messages to the student ("the
    /// Jacobian of y by x"); an empty name keeps "F".
    pub fn named(mut self, name: &str) -> Problem {
        if !name.trim().is_empty() {
            self.f_name = name.trim().to_string();
        }
        self
    }

    /// Computes the defined names' values on `inst` (no-op without definitions).
    pub fn complete(&self, inst: &mut Instance) -> Result<(), ExprError> {
        for (i, t) in &self.definitions {
            let v = crate::expr::eval(t, &inst.sizes, &inst.values)?;
            inst.values[*i] = v;
        }
        Ok(())
    }

    /// The size of X on an instance.
    pub fn x_size(&self, inst: &Instance) -> (usize, usize) {
        inst.values[self.wrt].shape()
    }

    pub fn wrt_name(&self) -> &str {
        &self.decls.entries[self.wrt].name
    }

    /// Random seeds F̄ for probing a Jacobian: unit vectors when F is short
    /// (so every row is compared), a few random directions otherwise.
    pub fn seeds(&self, inst: &Instance, rng: &mut Rng) -> Vec<DMatrix<f64>> {
        let (r, c) = shape_size(self.f.shape(), &inst.sizes).unwrap_or((1, 1));
        match self.kind {
            Kind::Gradient => vec![DMatrix::from_element(1, 1, 1.0)],
            Kind::ByScalar => vec![],
            // Every row on its own up to this many: a wrong entry of one row
            // is not mixed with large entries of others.
            Kind::Jacobian if r * c <= EXACT_JACOBIAN_ROWS => (0..r * c)
                .map(|k| {
                    let mut u = DMatrix::zeros(r, c);
                    u[k] = 1.0;
                    u
                })
                .collect(),
            Kind::Jacobian => (0..4)
                .map(|_| DMatrix::from_fn(r, c, |_, _| rng.random_range(-1.0..1.0)))
                .collect(),
            Kind::Hessian => {
                let (n, _) = self.x_size(inst);
                let unit = |k: usize| DMatrix::from_fn(n, 1, |i, _| f64::from(u8::from(i == k)));
                if n * n <= EXACT_JACOBIAN_ROWS {
                    // Every entry on its own: eᵢᵀ H eⱼ.
                    (0..n * n)
                        .map(|k| hessian::pair(&unit(k % n), &unit(k / n)))
                        .collect()
                } else {
                    (0..HESSIAN_RANDOM_PROBES)
                        .map(|_| {
                            let mut d =
                                || DMatrix::from_fn(n, 1, |_, _| rng.random_range(-1.0..1.0));
                            let u = d();
                            hessian::pair(&u, &d())
                        })
                        .collect()
                }
            }
        }
    }

    /// The same problem with F simplified (`symbolic::simplified`), for a
    /// truth that F's own rounding swamps; None for Hessians, for problems
    /// with defined names, and where simplifying is not possible.
    pub fn simplified(&self) -> Option<Problem> {
        if self.kind == Kind::Hessian || !self.definitions.is_empty() {
            return None;
        }
        let f = symbolic::simplified(&self.f.typed, &self.decls)?;
        Some(Problem { f, ..self.clone() })
    }

    /// The true derivative seen through `seeds` (see `probe`): reverse mode
    /// for gradients and Jacobians, forward mode for derivatives by a scalar.
    pub fn true_probes(
        &self,
        inst: &Instance,
        seeds: &[DMatrix<f64>],
    ) -> Result<Vec<DMatrix<f64>>, ExprError> {
        let tape = tape::record(&self.f.typed, &inst.sizes, &inst.values)?;
        self.true_probes_on(inst, &tape, seeds)
    }

    /// `true_probes` with F's tape on `inst` already recorded (by the draw).
    pub fn true_probes_on(
        &self,
        inst: &Instance,
        tape: &tape::Tape,
        seeds: &[DMatrix<f64>],
    ) -> Result<Vec<DMatrix<f64>>, ExprError> {
        match self.kind {
            Kind::Hessian => seeds
                .iter()
                .map(|s| {
                    let (u, v) = hessian::split(s);
                    let h = hessian::second_directional(
                        &self.f.typed,
                        &inst.sizes,
                        &inst.values,
                        self.wrt,
                        &u,
                        &v,
                    )?;
                    Ok(DMatrix::from_element(1, 1, h))
                })
                .collect(),
            Kind::ByScalar => {
                let one = DMatrix::from_element(1, 1, 1.0);
                Ok(vec![forward::jvp(
                    &self.f.typed,
                    &inst.sizes,
                    &inst.values,
                    self.wrt,
                    &one,
                )?])
            }
            Kind::Gradient | Kind::Jacobian => {
                let x_size = self.x_size(inst);
                seeds
                    .iter()
                    .map(|u| {
                        let g = reverse::vjp(
                            &self.f.typed,
                            tape,
                            &inst.values,
                            u.clone(),
                            self.wrt,
                            x_size,
                        )?;
                        Ok(if self.kind == Kind::Jacobian {
                            column(&g)
                        } else {
                            g
                        })
                    })
                    .collect()
            }
        }
    }

    /// How large the rounding error of each of `true_probes` can be: the
    /// magnitude of the terms reverse mode sums into it (`rounding`), with
    /// the seeds' magnitudes. For a derivative by a scalar, one bound for
    /// every entry (the sum over F's entries).
    pub fn truth_magnitudes(
        &self,
        inst: &Instance,
        seeds: &[DMatrix<f64>],
    ) -> Result<Vec<DMatrix<f64>>, ExprError> {
        let mut tape = tape::record(&self.f.typed, &inst.sizes, &inst.values)?;
        self.truth_magnitudes_on(inst, &mut tape, seeds)
    }

    /// `truth_magnitudes` on F's tape (given magnitudes here if it has none).
    pub fn truth_magnitudes_on(
        &self,
        inst: &Instance,
        tape: &mut tape::Tape,
        seeds: &[DMatrix<f64>],
    ) -> Result<Vec<DMatrix<f64>>, ExprError> {
        if self.kind == Kind::Hessian {
            return self.hessian_magnitudes(inst, seeds);
        }
        rounding::annotate(&self.f.typed, tape, &inst.values)?;
        let tape = &*tape;
        let values = &inst.values;
        let x_size = self.x_size(inst);
        let vjp =
            |seed: DMatrix<f64>| rounding::vjp(&self.f.typed, tape, values, seed, self.wrt, x_size);
        match self.kind {
            Kind::ByScalar => {
                let (r, c) = tape.shape(values);
                if r * c > EXACT_JACOBIAN_ROWS {
                    // One bound for every entry: the sum over F's entries.
                    let total = vjp(DMatrix::from_element(r, c, 1.0))?;
                    return Ok(vec![DMatrix::from_element(r, c, total.sum())]);
                }
                let mut bound = DMatrix::zeros(r, c);
                for k in 0..r * c {
                    let mut u = DMatrix::zeros(r, c);
                    u[k] = 1.0;
                    bound[k] = vjp(u)?.sum();
                }
                Ok(vec![bound])
            }
            Kind::Hessian => unreachable!("hessian_magnitudes"),
            Kind::Gradient | Kind::Jacobian => seeds
                .iter()
                .map(|u| {
                    let g = vjp(u.abs())?;
                    Ok(if self.kind == Kind::Jacobian {
                        column(&g)
                    } else {
                        g
                    })
                })
                .collect(),
        }
    }

    /// The Hessian's rounding magnitude, normwise: every probe gets the
    /// largest |uᵀHv| of the trial (there is no running-error analysis of
    /// hyper-dual evaluation). An entry is then judged to a few hundred ulps
    /// of H's largest entry: a zero entry that rounds to 1e-17 passes, and a
    /// mistake smaller than ~1e-13 of the largest entry would too (see
    /// docs/grading.md, "Hessians").
    fn hessian_magnitudes(
        &self,
        inst: &Instance,
        seeds: &[DMatrix<f64>],
    ) -> Result<Vec<DMatrix<f64>>, ExprError> {
        let truth = self.true_probes(inst, seeds)?;
        let scale = truth.iter().fold(0.0f64, |m, t| m.max(t[(0, 0)].abs()));
        Ok(vec![DMatrix::from_element(1, 1, scale); truth.len()])
    }

    /// The magnitudes of a candidate's probes (see `probe`), from the
    /// magnitude of the candidate.
    pub fn probe_magnitude(&self, m: &DMatrix<f64>, seeds: &[DMatrix<f64>]) -> Vec<DMatrix<f64>> {
        let abs: Vec<DMatrix<f64>> = seeds.iter().map(|u| u.abs()).collect();
        self.probe(m, &abs)
    }

    /// A candidate derivative (the value of an answer, in the expected shape)
    /// seen through the same `seeds` as `true_probes`.
    pub fn probe(&self, m: &DMatrix<f64>, seeds: &[DMatrix<f64>]) -> Vec<DMatrix<f64>> {
        match self.kind {
            Kind::Gradient | Kind::ByScalar => vec![m.clone()],
            // uᵀ M v for each pair (the same in either layout).
            Kind::Hessian => seeds
                .iter()
                .map(|s| {
                    let (u, v) = hessian::split(s);
                    u.transpose() * m * v
                })
                .collect(),
            Kind::Jacobian => {
                // Jᵀu, with J in numerator layout.
                let jt = match self.layout {
                    Layout::Numerator => m.transpose(),
                    Layout::Denominator => m.clone(),
                };
                seeds.iter().map(|u| &jt * column(u)).collect()
            }
        }
    }

    /// The whole derivative in the expected layout (one reverse pass per
    /// entry of F for a Jacobian: for small instances, exercises and tests).
    pub fn derivative(&self, inst: &Instance) -> Result<DMatrix<f64>, ExprError> {
        match self.kind {
            Kind::Gradient | Kind::ByScalar => {
                let seeds = self.seeds(inst, &mut sample::rng(0));
                Ok(self.true_probes(inst, &seeds)?.remove(0))
            }
            Kind::Hessian => {
                let (n, _) = self.x_size(inst);
                let mut h = DMatrix::zeros(n, n);
                for i in 0..n {
                    for j in 0..n {
                        let unit =
                            |k: usize| DMatrix::from_fn(n, 1, |r, _| f64::from(u8::from(r == k)));
                        h[(i, j)] = hessian::second_directional(
                            &self.f.typed,
                            &inst.sizes,
                            &inst.values,
                            self.wrt,
                            &unit(i),
                            &unit(j),
                        )?;
                    }
                }
                Ok(h)
            }
            Kind::Jacobian => {
                let (r, c) = shape_size(self.f.shape(), &inst.sizes).unwrap_or((1, 1));
                let tape = tape::record(&self.f.typed, &inst.sizes, &inst.values)?;
                let mut rows = Vec::with_capacity(r * c);
                for k in 0..r * c {
                    let mut u = DMatrix::zeros(r, c);
                    u[k] = 1.0;
                    rows.push(
                        column(&reverse::vjp(
                            &self.f.typed,
                            &tape,
                            &inst.values,
                            u,
                            self.wrt,
                            self.x_size(inst),
                        )?)
                        .transpose(),
                    );
                }
                let j = DMatrix::from_rows(
                    &rows
                        .iter()
                        .map(|r| r.row(0).into_owned())
                        .collect::<Vec<_>>(),
                );
                Ok(match self.layout {
                    Layout::Numerator => j,
                    Layout::Denominator => j.transpose(),
                })
            }
        }
    }
}

/// Up to this many entries of F, a Jacobian is probed row by row (and a
/// derivative by a scalar gets a rounding bound per entry).
const EXACT_JACOBIAN_ROWS: usize = 64;

/// Random direction pairs (u, v) per trial of a Hessian too large to probe
/// entry by entry: for a wrong H' each uᵀ(H' − H)v is nonzero with
/// probability 1, and eight of them must all vanish to pass.
const HESSIAN_RANDOM_PROBES: usize = 8;

/// A vector (row or column) as a column.
fn column(v: &DMatrix<f64>) -> DMatrix<f64> {
    DMatrix::from_column_slice(v.len(), 1, v.as_slice())
}

/// The length of vec(S): rows·cols.
fn vec_length(s: &Shape) -> Option<Dim> {
    Dim::product(&s.rows, &s.cols)
}

/// The kind and shape of ∂F/∂X. Past gradients and derivatives by a scalar
/// every derivative is a Jacobian in the vec convention: ∂vec(F)/∂vec(X),
/// (size of F)×(size of X) in numerator layout — for vectors the ordinary
/// Jacobian, for a matrix F or X the matrix whose rows follow vec(F) and
/// columns vec(X) (Magnus & Neudecker). None only when a size is unknown.
pub fn expected_shape(f: &Shape, x: &Shape, layout: Layout) -> Option<(Kind, Shape)> {
    if f.is_scalar() {
        return Some((Kind::Gradient, x.clone()));
    }
    if x.is_scalar() {
        return Some((Kind::ByScalar, f.clone()));
    }
    let (k, n) = (vec_length(f)?, vec_length(x)?);
    Some((
        Kind::Jacobian,
        match layout {
            Layout::Numerator => Shape::new(k, n),
            Layout::Denominator => Shape::new(n, k),
        },
    ))
}

/// d(xʸ)/dx = y·xʸ⁻¹, with the slope of x⁰ (the constant 1) taken as 0 at
/// x = 0 too, where the formula gives 0·∞ (fuzz finding: `(a'0x)^0`).
pub(crate) fn power_slope(x: f64, y: f64) -> f64 {
    if y == 0.0 { 0.0 } else { y * x.powf(y - 1.0) }
}
