//! Running the trials of one grading: each trial is drawn, its truth and the
//! answer's value computed and judged at once, and only what a later
//! diagnosis could need is kept.
//!
//! A small trial is kept whole. A large one (1024×1024 matrices are 8 MB
//! apiece) is kept whole only while the answer is failing — the diagnoses
//! then need it; a trial the answer fits leaves only the random state it was
//! drawn from (`Kept::Replay`), from which it is drawn again, bit for bit, in
//! the rare case that a later trial fails and the diagnoses ask for it. So a
//! correct answer on large matrices holds one trial at a time.

use nalgebra::DMatrix;

use super::compare::{self, Probed};
use super::swamp;
use crate::calculus::{Drawn, KINK_TRIALS, Problem, ProblemError, TrialPlan, rounding};
use crate::expr::{Compiled, ExprError, dense};
use crate::sample::{self, Instance, Rng};

use super::Options;

/// One trial: an instance, the probes of the true derivative, and the
/// answer's value on it, each with its rounding magnitudes.
pub(super) struct Trial {
    pub inst: Instance,
    pub seeds: Vec<DMatrix<f64>>,
    pub truth: Vec<DMatrix<f64>>,
    pub truth_mag: Vec<DMatrix<f64>>,
    pub answer: DMatrix<f64>,
    pub answer_mag: DMatrix<f64>,
}

impl Trial {
    /// Whether `candidate` (a value in the expected shape, derived from the
    /// answer so with the answer's magnitude `mag`) is the derivative here.
    pub fn fits(&self, problem: &Problem, candidate: &DMatrix<f64>, mag: &DMatrix<f64>) -> bool {
        agree(
            &self.inst,
            Probed {
                values: &problem.probe(candidate, &self.seeds),
                mags: &problem.probe_magnitude(mag, &self.seeds),
            },
            Probed {
                values: &self.truth,
                mags: &self.truth_mag,
            },
        )
    }

    pub fn error(&self, problem: &Problem) -> f64 {
        compare::relative_error(&problem.probe(&self.answer, &self.seeds), &self.truth)
    }

    /// The answer's own verdict on this trial.
    pub fn answer_fits(&self, problem: &Problem) -> bool {
        self.fits(problem, &self.answer, &self.answer_mag)
    }

    /// Whether the answer's transpose fits (the layout slip).
    pub fn transpose_fits(&self, problem: &Problem) -> bool {
        self.fits(
            problem,
            &dense::transpose(&self.answer),
            &dense::transpose(&self.answer_mag),
        )
    }

    /// How many entries the trial holds.
    fn entries(&self) -> usize {
        let sum = |ms: &[DMatrix<f64>]| ms.iter().map(|m| m.len()).sum::<usize>();
        sum(&self.inst.values) + sum(&self.seeds) + 2 * sum(&self.truth) + 2 * self.answer.len()
    }
}

/// `compare::agree`, with the allowance for rounding of this instance's sizes.
pub(super) fn agree(inst: &Instance, answer: Probed<'_>, truth: Probed<'_>) -> bool {
    compare::agree(answer, truth, compare::rounding_units(largest_side(inst)))
}

/// Beyond this side a default grading runs `LARGE_TRIALS` trials.
const LARGE_SIDE: usize = 512;
const LARGE_TRIALS: usize = 3;

/// Up to this many entries (2 MB) a trial is kept whole whatever happens.
const KEEP_ENTRIES: usize = 1 << 18;

fn largest_side(inst: &Instance) -> usize {
    inst.values
        .iter()
        .map(|v| v.nrows().max(v.ncols()))
        .max()
        .unwrap_or(1)
}

/// A trial as kept: whole, or the state to draw it again from.
enum Kept<'p> {
    Whole(Trial),
    Replay { rng: Rng, plan: TrialPlan<'p> },
}

/// The trials of a grading, each with the verdict of its `Judge`.
pub(super) struct Ran<'p> {
    kept: Vec<Kept<'p>>,
    pub judged: Vec<bool>,
    /// The largest relative error of the answer over the trials.
    pub worst: f64,
}

impl Ran<'_> {
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Every trial, whole: the ones kept as a replay are drawn again.
    pub fn whole(self, problem: &Problem, answer: &Compiled) -> Result<Vec<Trial>, ProblemError> {
        self.kept
            .into_iter()
            .map(|k| match k {
                Kept::Whole(t) => Ok(t),
                Kept::Replay { mut rng, mut plan } => {
                    let drawn = plan.next_instance(&mut rng)?;
                    match one_trial(problem, answer, drawn, &mut rng)? {
                        Outcome::Ran(t) => Ok(t),
                        // It was usable and defined the first time, on the
                        // same instance.
                        Outcome::AnswerUndefined(e) => Err(ProblemError {
                            message: format!("a trial drawn again differs: {}", e.message),
                            source: None,
                        }),
                        Outcome::TruthOverflows { .. } => Err(ProblemError {
                            message: "a trial drawn again differs: its derivative overflows"
                                .to_string(),
                            source: None,
                        }),
                    }
                }
            })
            .collect()
    }
}

/// The trials, or the first point of F's domain where the answer is not
/// defined.
pub(super) enum Trials<'p> {
    Ran(Ran<'p>),
    Undefined(ExprError),
}

/// How a grading judges each trial as it is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Judge {
    /// The answer has the expected shape: does it fit (and how far off is it)?
    Answer,
    /// The answer has the transposed shape: does its transpose fit?
    Transposed,
}

/// Runs the trials of grading `answer`, judging each as it is drawn.
pub(super) fn run<'p>(
    problem: &'p Problem,
    answer: &Compiled,
    opts: &Options,
    judge: Judge,
) -> Result<Trials<'p>, ProblemError> {
    let mut rng = sample::rng(opts.seed);
    let mut plan = problem.trial_plan();
    // Near-kink trials need room: a default grading of an F with kinks runs
    // more trials (an explicit small count is left as asked).
    let mut count = if problem.has_kinks() && opts.trials >= Options::default().trials {
        opts.trials.max(KINK_TRIALS)
    } else {
        opts.trials.max(1)
    };
    let mut ran = Ran {
        kept: Vec::with_capacity(count),
        judged: Vec::with_capacity(count),
        worst: 0.0,
    };
    let mut overflows = 0;
    let mut all_bound_only = true;
    while ran.kept.len() < count {
        if crate::cancel::requested() {
            return Err(ProblemError {
                message: crate::cancel::CANCELLED.to_string(),
                source: None,
            });
        }
        let before = (rng.clone(), plan.clone());
        let drawn = plan.next_instance(&mut rng)?;
        // Matrices this large cost seconds a trial, and coincidences between
        // a wrong answer and the truth grow rarer with the size: a default
        // grading runs the contract's minimum of 3 trials there.
        if ran.kept.is_empty()
            && largest_side(&drawn.instance) > LARGE_SIDE
            && opts.trials == Options::default().trials
        {
            count = count.min(LARGE_TRIALS);
        }
        let trial = match one_trial(problem, answer, drawn, &mut rng)? {
            Outcome::Ran(t) => t,
            Outcome::AnswerUndefined(e) => return Ok(Trials::Undefined(e)),
            Outcome::TruthOverflows { bound_only } => {
                overflows += 1;
                all_bound_only &= bound_only;
                if overflows > MAX_TRUTH_OVERFLOWS {
                    let message = if all_bound_only {
                        // Not the derivative's fault, the grader's: with an
                        // infinite bound any answer would pass, so none is
                        // graded.
                        format!(
                            "F has no usable instance for grading: at every one of {overflows} points tried F's derivative is finite, but the bound on its rounding error is not (beyond ±1.8e308), so no answer could be told right or wrong there; huge constants (1e300) or steep powers (.^1e30) cause this"
                        )
                    } else {
                        format!(
                            "F's derivative is not a finite number (it overflows beyond ±1.8e308, or is undefined) at every one of {overflows} points tried where F itself is finite"
                        )
                    };
                    return Err(ProblemError {
                        message,
                        source: None,
                    });
                }
                continue;
            }
        };
        let fits = match judge {
            Judge::Answer => {
                ran.worst = ran.worst.max(trial.error(problem));
                trial.answer_fits(problem)
            }
            Judge::Transposed => trial.transpose_fits(problem),
        };
        let failing = !fits || ran.judged.iter().any(|j| !j);
        ran.judged.push(fits);
        ran.kept
            .push(if failing || trial.entries() <= KEEP_ENTRIES {
                Kept::Whole(trial)
            } else {
                Kept::Replay {
                    rng: before.0,
                    plan: before.1,
                }
            });
    }
    Ok(Trials::Ran(ran))
}

/// How many drawn instances may be passed over, in one grading, because the
/// truth overflows there.
const MAX_TRUTH_OVERFLOWS: usize = 64;

/// What one drawn instance gave.
enum Outcome {
    Ran(Trial),
    /// The answer is undefined (or overflows) on this instance of F's domain.
    AnswerUndefined(ExprError),
    /// F is finite here but its derivative, or the rounding bound on it, is
    /// not a finite number: the instance cannot judge anything, so it is drawn
    /// again. (Steep F such as `0.05/0.56.^(512‖1./a‖³)`: reverse mode
    /// passes through an adjoint beyond 1e308 even where the gradient is
    /// finite.) This depends on F and the instance alone, never on the answer.
    /// `bound_only`: the derivative is finite, only its rounding bound is not.
    TruthOverflows {
        bound_only: bool,
    },
}

/// One trial on a drawn instance: the truth, then the answer (F's tape is
/// dropped first).
fn one_trial(
    problem: &Problem,
    answer: &Compiled,
    drawn: Drawn,
    rng: &mut Rng,
) -> Result<Outcome, ProblemError> {
    let Drawn {
        instance: inst,
        mut tape,
    } = drawn;
    let seeds = problem.seeds(&inst, rng);
    let cannot = |e: ExprError| ProblemError {
        message: format!("F cannot be differentiated here: {}", e.message),
        source: None,
    };
    let mut truth = problem
        .true_probes_on(&inst, &tape, &seeds)
        .map_err(cannot)?;
    let mut truth_mag = problem
        .truth_magnitudes_on(&inst, &mut tape, &seeds)
        .map_err(cannot)?;
    drop(tape);
    let finite = |ms: &[DMatrix<f64>]| ms.iter().all(|m| m.iter().all(|x| x.is_finite()));
    if !finite(&truth) || !finite(&truth_mag) {
        return Ok(Outcome::TruthOverflows {
            bound_only: finite(&truth),
        });
    }
    let units = compare::rounding_units(largest_side(&inst));
    if swamp::swamped(&truth, &truth_mag, units)
        && let Some((t, m)) = swamp::resolve(problem, &inst, &seeds, &truth, &truth_mag, units)
    {
        (truth, truth_mag) = (t, m);
    }
    Ok(match evaluate(answer, &inst) {
        Ok((value, mag)) => Outcome::Ran(Trial {
            inst,
            seeds,
            truth,
            truth_mag,
            answer: value,
            answer_mag: mag,
        }),
        Err(e) => Outcome::AnswerUndefined(e),
    })
}

/// The answer's value on `inst` with its rounding magnitude, or where it is
/// undefined or not finite.
pub(super) fn evaluate(
    answer: &Compiled,
    inst: &Instance,
) -> Result<(DMatrix<f64>, DMatrix<f64>), ExprError> {
    let tape = rounding::record_root(&answer.typed, &inst.sizes, &inst.values)?;
    let mag = tape.magnitude(&inst.values).into_owned();
    let value = tape.into_value(&inst.values);
    if value.iter().any(|x| !x.is_finite()) {
        return Err(ExprError::eval(
            "it is not finite there (it overflows)",
            answer.typed.span,
        ));
    }
    Ok((value, mag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculus::Layout;
    use crate::expr::{Decls, compile_expecting};

    #[test]
    fn a_cancelled_grading_ends_with_an_error_saying_so() {
        use crate::cancel::{CANCELLED, Cancel};
        let decls = Decls::parse("x: n").unwrap();
        let problem = Problem::new(decls, "x' x", Some("x"), Layout::Numerator).unwrap();
        let flag = Cancel::new();
        let graded = flag.scope(|| crate::grade::grade(&problem, "2x", &Options::default()));
        assert!(graded.is_ok(), "not cancelled: graded");
        // Cancelled from another thread while it runs: 200,000 trials take
        // many seconds, so a grading that ignored the flag would end with a
        // verdict, not the error.
        let endless = Options {
            trials: 200_000,
            ..Options::default()
        };
        let worker = {
            let flag = flag.clone();
            let problem = problem.clone();
            std::thread::spawn(move || flag.scope(|| crate::grade::grade(&problem, "2x", &endless)))
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        flag.cancel();
        let e = worker.join().unwrap().unwrap_err();
        assert_eq!(e.message, CANCELLED);
    }

    #[test]
    fn a_large_trial_the_answer_fits_is_drawn_again_bit_for_bit() {
        // 600×600: above KEEP_ENTRIES, so the fitting trials are replays.
        let decls = Decls::parse("A: 600 x 600; x: 600").unwrap();
        let problem = Problem::new(decls, "x' A x", Some("x"), Layout::Numerator).unwrap();
        let answer =
            compile_expecting("(A + A') x", Some(&problem.decls), Some(&problem.expected)).unwrap();
        let opts = Options::default();
        let Trials::Ran(ran) = run(&problem, &answer, &opts, Judge::Answer).unwrap() else {
            panic!("the answer is defined everywhere");
        };
        assert!(ran.judged.iter().all(|&f| f));
        assert!(ran.kept.iter().all(|k| matches!(k, Kept::Replay { .. })));
        let again = ran.whole(&problem, &answer).unwrap();
        // The same instances as a fresh plan draws from the same seed.
        let mut rng = sample::rng(opts.seed);
        let mut plan = problem.trial_plan();
        for t in &again {
            let drawn = plan.next_instance(&mut rng).unwrap();
            let _ = problem.seeds(&drawn.instance, &mut rng);
            assert_eq!(t.inst.values, drawn.instance.values);
            assert!(t.answer_fits(&problem));
        }
    }
}
