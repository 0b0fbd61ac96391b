//! What a shown instance of a compute exercise must tell apart.
//!
//! A compute answer is graded on one instance only, so the instance decides
//! what the grader can see. On a symmetric `A`, `2Ax` gives the numbers of
//! `(A + Aᵀ)x`; with `s = 1`, `2a` gives those of `2sa`. A tutor that says
//! "Correct" to the mistake it teaches is broken, so an instance is shown only
//! if, with the grader's own closeness test (`grading::all_close` and the
//! exercise's `tolerance`), the answer's numbers differ from
//!
//! - every known mistake of the exercise, and from the slips the grader
//!   diagnoses by itself ([`Slip`]: the transpose, minus, half and twice the
//!   answer), the answer itself not being all zero;
//! - and the known mistakes differ from those slips and from each other, so
//!   the feedback a student gets names the mistake they made;
//!
//! and no square matrix comes out symmetric unless declared so (that alone
//! hides every symmetric-only shortcut), and no scalar is 0 or ±1 (which
//! hide factors and signs).
//!
//! Some coincidences hold on every instance, because the exercise is written
//! that way: a mistake that *is* a slip (`x - a` for `2(x - a)`, always half),
//! or an answer that is symmetric whatever the numbers (`diag(y)`). No draw
//! can avoid those; they are [`Separation::structural`], left out of the
//! judgement of an instance, and `lint` reports the ones that are authoring
//! errors.

use nalgebra::DMatrix;

use super::grading::all_close;
use super::schema::Exercise;
use crate::calculus::Problem;
use crate::expr::{Compiled, Property, compile, eval};
use crate::grade::{TOLERANCE, relative_error};
use crate::sample::{self, Instance};

/// A slip the compute grader diagnoses without the lesson's help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slip {
    /// The layout slip: the answer's transpose.
    Transpose,
    /// Minus the answer.
    Sign,
    /// Half the answer: a factor 2 forgotten (from a square, say).
    Half,
    /// Twice the answer: a factor 2 too many (the ½ of ½‖r‖² forgotten).
    Twice,
}

impl Slip {
    pub const ALL: [Slip; 4] = [Slip::Transpose, Slip::Sign, Slip::Half, Slip::Twice];

    /// The slip's numbers, given the answer's (none for the transpose of a
    /// scalar, which is the scalar).
    pub fn apply(self, r: &DMatrix<f64>) -> Option<DMatrix<f64>> {
        match self {
            Slip::Transpose if r.len() == 1 => None,
            Slip::Transpose => Some(r.transpose()),
            Slip::Sign => Some(-r),
            Slip::Half => Some(r * 0.5),
            Slip::Twice => Some(r * 2.0),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Slip::Transpose => "the answer's transpose (the layout slip)",
            Slip::Sign => "minus the answer",
            Slip::Half => "half the answer",
            Slip::Twice => "twice the answer",
        }
    }
}

/// One way an instance fails to tell answers apart. Mistakes are numbered as
/// in the exercise's `mistakes`, declarations as in its `given`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clash {
    /// The answer is all zero (and so is every slip of it).
    ZeroAnswer,
    /// A known mistake gives the answer's numbers: it would be graded correct.
    Mistake(usize),
    /// A slip gives the answer's numbers (a square answer equal to its
    /// transpose hides the layout slip).
    Slip(Slip),
    /// A known mistake gives a slip's numbers: its feedback would answer a
    /// student who made the slip.
    MistakeAsSlip(usize, Slip),
    /// Two known mistakes give the same numbers: the first one's feedback
    /// would answer both.
    Mistakes(usize, usize),
    /// A square matrix not declared symmetric comes out symmetric, which
    /// hides every answer right only for symmetric matrices.
    Symmetric(usize),
    /// A scalar comes out 0, 1 or −1, which hide factors and signs.
    Scalar(usize),
}

impl Clash {
    /// The clash in words, naming the exercise's own mistakes and names.
    pub fn describe(self, p: &Problem, ex: &Exercise) -> String {
        let mistake = |i: usize| {
            ex.mistakes
                .get(i)
                .map_or_else(String::new, |m| format!("`{}`", m.answer.get_ref()))
        };
        let name = |i: usize| {
            p.decls
                .entries
                .get(i)
                .map_or_else(String::new, |d| format!("`{}`", d.name))
        };
        match self {
            Clash::ZeroAnswer => "the answer is all zero".to_string(),
            Clash::Mistake(i) => format!("the mistake {} gives the answer's numbers", mistake(i)),
            Clash::Slip(s) => format!("{} gives the answer's numbers", s.describe()),
            Clash::MistakeAsSlip(i, s) => format!(
                "the mistake {} gives the numbers of {}",
                mistake(i),
                s.describe()
            ),
            Clash::Mistakes(i, j) => format!(
                "the mistakes {} and {} give the same numbers",
                mistake(i),
                mistake(j)
            ),
            Clash::Symmetric(i) => format!(
                "{} comes out symmetric though it is not declared `symmetric`",
                name(i)
            ),
            Clash::Scalar(i) => format!("the scalar {} comes out 0, 1 or -1", name(i)),
        }
    }
}

/// Random real instances a coincidence must survive to count as structural.
const STRUCTURAL_TRIALS: usize = 3;

/// The judge of an exercise's shown instances.
pub struct Separation {
    tol: f64,
    /// The known mistakes that are expressions (as the grader compiles
    /// them), with their index in the exercise.
    mistakes: Vec<(usize, Compiled)>,
    /// The coincidences that hold on every instance.
    structural: Vec<Clash>,
}

impl Separation {
    pub fn new(p: &Problem, ex: &Exercise) -> Separation {
        let mistakes = ex
            .mistakes
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Some((i, compile(m.answer.get_ref(), Some(&p.decls)).ok()?)))
            .collect();
        let mut sep = Separation {
            tol: tolerance_of(ex),
            mistakes,
            structural: Vec::new(),
        };
        sep.structural = sep.find_structural(p);
        sep
    }

    /// The coincidences no instance can avoid: those that hold on a few
    /// random real instances (the same expression, numerically). Real values
    /// rather than whole numbers, so that a coincidence of small integers is
    /// not taken for one of the exercise.
    fn find_structural(&self, p: &Problem) -> Vec<Clash> {
        let same = |a: &DMatrix<f64>, b: &DMatrix<f64>| {
            a.shape() == b.shape()
                && relative_error(std::slice::from_ref(a), std::slice::from_ref(b)) <= TOLERANCE
        };
        let mut rng = sample::rng(0x5eed_5e9a);
        let mut common: Option<Vec<Clash>> = None;
        for _ in 0..STRUCTURAL_TRIALS {
            let Ok(inst) = p.sample(&mut rng) else {
                return Vec::new();
            };
            let Ok(r) = p.derivative(&inst) else {
                return Vec::new();
            };
            let here = self.value_clashes(&inst, &r, &same);
            common = Some(match common {
                None => here,
                Some(c) => c.into_iter().filter(|x| here.contains(x)).collect(),
            });
        }
        common.unwrap_or_default()
    }

    /// The coincidences that hold on every instance (see the module header).
    pub fn structural(&self) -> &[Clash] {
        &self.structural
    }

    /// What instance `inst`, whose answer is `r`, fails to tell apart; empty
    /// when it may be shown. Structural coincidences are left out.
    pub fn clashes(&self, p: &Problem, inst: &Instance, r: &DMatrix<f64>) -> Vec<Clash> {
        let tol = self.tol;
        let same = |a: &DMatrix<f64>, b: &DMatrix<f64>| all_close(a, b, tol);
        let mut out: Vec<Clash> = self
            .value_clashes(inst, r, &same)
            .into_iter()
            .filter(|c| !self.structural.contains(c))
            .collect();
        for (i, (d, v)) in p.decls.entries.iter().zip(&inst.values).enumerate() {
            let declared = d.props.iter().any(|q| q.implies_symmetric());
            if v.is_square() && v.nrows() > 1 && !declared && *v == v.transpose() {
                out.push(Clash::Symmetric(i));
            }
            // A one-hot or probability scalar is 1 by definition.
            let forced = d.has(Property::Onehot) || d.has(Property::Probability);
            if v.len() == 1 && !forced && [0.0, 1.0, -1.0].contains(&v[0]) {
                out.push(Clash::Scalar(i));
            }
        }
        out
    }

    /// The coincidences of values on `inst`, under the closeness test `same`
    /// (its first argument plays the typed numbers, the second the truth).
    fn value_clashes(
        &self,
        inst: &Instance,
        r: &DMatrix<f64>,
        same: &dyn Fn(&DMatrix<f64>, &DMatrix<f64>) -> bool,
    ) -> Vec<Clash> {
        let mut out = Vec::new();
        if same(&DMatrix::zeros(r.nrows(), r.ncols()), r) {
            out.push(Clash::ZeroAnswer);
        }
        let slips: Vec<(Slip, DMatrix<f64>)> = Slip::ALL
            .iter()
            .filter_map(|&s| Some((s, s.apply(r)?)))
            .collect();
        for (s, v) in &slips {
            if same(v, r) {
                out.push(Clash::Slip(*s));
            }
        }
        // A mistake that cannot be evaluated here gives no numbers to clash.
        let values: Vec<(usize, DMatrix<f64>)> = self
            .mistakes
            .iter()
            .filter_map(|(i, c)| Some((*i, eval(&c.typed, &inst.sizes, &inst.values).ok()?)))
            .collect();
        for (k, (i, m)) in values.iter().enumerate() {
            if same(m, r) {
                out.push(Clash::Mistake(*i));
            }
            for (s, v) in &slips {
                if same(m, v) {
                    out.push(Clash::MistakeAsSlip(*i, *s));
                }
            }
            for (j, n) in &values[k + 1..] {
                if same(n, m) {
                    out.push(Clash::Mistakes(*i, *j));
                }
            }
        }
        out
    }
}

/// The compute grader's tolerance for an exercise.
pub fn tolerance_of(ex: &Exercise) -> f64 {
    ex.tolerance.as_ref().map_or(1e-6, |t| *t.get_ref())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lesson::exercise::problem;
    use crate::lesson::load::{Lesson, parse_lesson};
    use crate::lesson::source::SourceFile;
    use crate::sample::Instance;

    /// A lesson with one compute exercise: `fields` are its TOML lines after
    /// `kind` (given, f, wrt, answer, range...), `mistakes` its mistakes.
    pub(crate) fn compute_lesson(fields: &str, mistakes: &[&str]) -> Lesson {
        let mut text = format!(
            "format = 1\nid = \"t\"\ntitle = \"T\"\norder = 1\n\n[[exercise]]\nid = \"ex\"\nkind = \"compute\"\ntitle = \"E\"\nprompt = \"P\"\nhints = [\"H\"]\nsolution = \"S\"\n{fields}\n"
        );
        for m in mistakes {
            text += &format!("\n[[exercise.mistake]]\nanswer = \"{m}\"\nfeedback = \"F\"\n");
        }
        parse_lesson(SourceFile {
            name: "t.toml".into(),
            text,
        })
        .unwrap()
    }

    fn instance(values: &[&[&[f64]]]) -> Instance {
        Instance {
            sizes: Default::default(),
            values: values
                .iter()
                .map(|rows| DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]))
                .collect(),
        }
    }

    /// The clashes of `inst` for the lesson's exercise.
    fn clashes(lesson: &Lesson, inst: &Instance) -> Vec<Clash> {
        let ex = &lesson.data.exercises[0];
        let p = problem(ex).unwrap();
        let r = p.derivative(inst).unwrap();
        Separation::new(&p, ex).clashes(&p, inst, &r)
    }

    const QUADRATIC: &str = "given = { A = \"2 x 2\", x = \"2\" }\nf = \"x' A x\"\nwrt = \"x\"\nanswer = \"(A + A') x\"";

    #[test]
    fn a_symmetric_a_hides_2ax_and_is_refused() {
        let l = compute_lesson(QUADRATIC, &["2 A x", "A x"]);
        let sym = instance(&[&[&[1.0, 2.0], &[2.0, 3.0]], &[&[1.0], &[-1.0]]]);
        let c = clashes(&l, &sym);
        assert!(c.contains(&Clash::Mistake(0)), "{c:?}");
        assert!(c.contains(&Clash::Symmetric(0)), "{c:?}");
        // `A x` is then half the answer: a student who forgot a factor 2
        // would be told about the other term.
        assert!(c.contains(&Clash::MistakeAsSlip(1, Slip::Half)), "{c:?}");
        let general = instance(&[&[&[1.0, 2.0], &[0.0, 3.0]], &[&[1.0], &[-1.0]]]);
        assert_eq!(clashes(&l, &general), []);
    }

    #[test]
    fn a_zero_answer_and_coinciding_mistakes_are_refused() {
        let l = compute_lesson(QUADRATIC, &["2 A x", "A x"]);
        let zero = instance(&[&[&[1.0, 2.0], &[0.0, 3.0]], &[&[0.0], &[0.0]]]);
        let c = clashes(&l, &zero);
        assert!(c.contains(&Clash::ZeroAnswer), "{c:?}");
        assert!(c.contains(&Clash::Slip(Slip::Sign)), "{c:?}");
        assert!(c.contains(&Clash::Mistakes(0, 1)), "{c:?}");
    }

    #[test]
    fn a_scalar_of_0_or_1_hides_a_factor() {
        let l = compute_lesson(
            "given = { a = \"2\", s = \"scalar\" }\nf = \"s^2 a\"\nwrt = \"s\"\nanswer = \"2 s a\"",
            &["2 a", "s^2 a"],
        );
        let a: &[&[f64]] = &[&[1.0], &[-2.0]];
        let c = clashes(&l, &instance(&[a, &[&[1.0]]]));
        assert!(
            c.contains(&Clash::Mistake(0)) && c.contains(&Clash::Scalar(1)),
            "{c:?}"
        );
        // s = 2: s² = 2s.
        let c = clashes(&l, &instance(&[a, &[&[2.0]]]));
        assert!(c.contains(&Clash::Mistake(1)), "{c:?}");
        // s = -2: s²a is minus the answer, and 2a minus half of it.
        let c = clashes(&l, &instance(&[a, &[&[-2.0]]]));
        assert!(c.contains(&Clash::MistakeAsSlip(1, Slip::Sign)), "{c:?}");
        assert_eq!(clashes(&l, &instance(&[a, &[&[3.0]]])), []);
    }

    #[test]
    fn closeness_is_the_graders_with_the_exercises_tolerance() {
        let fields =
            "given = \"x: 2; a: 2\"\nf = \"||x - a||^2\"\nwrt = \"x\"\nanswer = \"2 (x - a)\"";
        // x + a is 2(x - a) + (3a - x): within 10% of it when 3a ≈ x.
        let inst = instance(&[&[&[3.0], &[6.0]], &[&[1.0], &[2.1]]]);
        let strict = compute_lesson(fields, &["x + a"]);
        assert_eq!(clashes(&strict, &inst), []);
        let loose = compute_lesson(&format!("{fields}\ntolerance = 0.1"), &["x + a"]);
        let c = clashes(&loose, &inst);
        assert!(c.contains(&Clash::Mistake(0)), "{c:?}");
    }

    #[test]
    fn what_holds_on_every_instance_is_structural_and_not_held_against_one() {
        let l = compute_lesson(
            "given = \"x: 3; a: 3\"\nf = \"||x - a||^2\"\nwrt = \"x\"\nanswer = \"2 (x - a)\"",
            &["x - a", "2 (a - x)", "x - a + a - a"],
        );
        let ex = &l.data.exercises[0];
        let p = problem(ex).unwrap();
        let sep = Separation::new(&p, ex);
        for c in [
            Clash::MistakeAsSlip(0, Slip::Half),
            Clash::MistakeAsSlip(1, Slip::Sign),
            Clash::Mistakes(0, 2),
        ] {
            assert!(
                sep.structural().contains(&c),
                "{c:?}: {:?}",
                sep.structural()
            );
        }
        assert!(!sep.structural().contains(&Clash::ZeroAnswer));
        let inst = instance(&[&[&[1.0], &[0.0], &[2.0]], &[&[3.0], &[-1.0], &[2.0]]]);
        assert_eq!(clashes(&l, &inst), []);
        // An answer symmetric whatever the numbers hides the layout slip
        // structurally: lint's to report, no draw's to avoid.
        let l = compute_lesson(
            "given = { x = \"3\", y = \"3\" }\nf = \"x .* y\"\nwrt = \"x\"\nanswer = \"diag(y)\"",
            &[],
        );
        let ex = &l.data.exercises[0];
        let p = problem(ex).unwrap();
        let sep = Separation::new(&p, ex);
        assert_eq!(sep.structural(), [Clash::Slip(Slip::Transpose)]);
    }

    #[test]
    fn declared_symmetric_matrices_may_be_symmetric() {
        let l = compute_lesson(
            "given = { S = \"2 x 2 symmetric\", x = \"2\" }\nf = \"x' S x\"\nwrt = \"x\"\nanswer = \"2 S x\"",
            &[],
        );
        let inst = instance(&[&[&[1.0, 2.0], &[2.0, 3.0]], &[&[1.0], &[-1.0]]]);
        assert_eq!(clashes(&l, &inst), []);
    }

    #[test]
    fn the_transpose_of_a_scalar_is_no_slip() {
        let one = DMatrix::from_element(1, 1, 3.0);
        assert_eq!(Slip::Transpose.apply(&one), None);
        assert_eq!(
            Slip::Half.apply(&one),
            Some(DMatrix::from_element(1, 1, 1.5))
        );
    }
}
