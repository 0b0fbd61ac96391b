//! Drawing trial instances from F's own domain, and only from F: values of
//! both signs over a wide range (`sample::Values::Real`); where F is
//! undefined, non-finite or ill-conditioned at a draw, the draw is repaired
//! entry by entry (a sign flipped, a magnitude doubled or halved, where that
//! brings it nearer F's domain) or redrawn,
//! within a budget that shrinks as the matrices grow. An answer never takes
//! part: it is judged on whatever points F allows.
//!
//! Successive trials vary what a wrong answer could hide behind: every size
//! symbol changes parity from one trial to the next, every other trial
//! reverses the order of the sizes, each `det(…)` of F is steered to the
//! other sign than in the trial before, and the second and fourth trials put an entry of
//! every `relu`/`abs` argument just below, then just above, its kink (when
//! F's domain allows it).

use std::collections::HashMap;

use nalgebra::DMatrix;
use rand::RngExt;

use super::condition::{self, Fault, Health};
use super::tape::Tape;
use super::{Problem, ProblemError};
use crate::expr::Property;
use crate::expr::eval::Sizes;
use crate::sample::{self, Instance, Rng, Values};

/// Work allowed for drawing one instance (see `eval_budget`).
const WORK: f64 = 2e9;
/// Evaluations allowed per instance, whatever the sizes.
const MIN_EVALS: usize = 6;
const MAX_EVALS: usize = 20_000;
/// How often one move may be repeated on one entry in a row.
const MAX_REPEATS: usize = 40;
/// Beyond this many entries a draw is redrawn rather than repaired entry by
/// entry (each try costs a whole evaluation).
const MAX_REPAIR_ENTRIES: usize = 4096;
/// Moves tried on an entry when steering it toward a kink: coarse ones to
/// get there, fine ones to land in the band.
const STEER_FACTORS: [f64; 7] = [-1.0, 2.0, 0.5, 1.25, 0.8, 1.03, 0.97];
/// Passes of entry-by-entry repair over a draw (each pass must get closer).
const REPAIR_PASSES: usize = 12;

/// The trials of one grading, in order: each trial's sizes and det signs
/// are chosen against the trial before.
#[derive(Clone)]
pub struct TrialPlan<'p> {
    problem: &'p Problem,
    /// The previous trial's sizes and det values.
    prev: Option<(Sizes, Vec<f64>)>,
    index: usize,
}

/// A drawn instance with the tape of F on it: the walk that judged the
/// draw recorded it, and reverse mode uses it as its forward pass.
pub struct Drawn {
    pub instance: Instance,
    pub tape: Tape,
}

impl<'p> TrialPlan<'p> {
    /// The next trial's instance.
    pub fn next_instance(&mut self, rng: &mut Rng) -> Result<Drawn, ProblemError> {
        let found = self.problem.draw(rng, self.prev.as_ref(), self.index)?;
        self.prev = Some((found.inst.sizes.clone(), found.health.dets));
        self.index += 1;
        Ok(Drawn {
            instance: found.inst,
            tape: found.tape,
        })
    }
}

/// A candidate instance, judged.
#[derive(Clone)]
struct Candidate {
    inst: Instance,
    health: Health,
    tape: Tape,
}

impl Problem {
    /// The trials of one grading (see the module header).
    pub fn trial_plan(&self) -> TrialPlan<'_> {
        TrialPlan {
            problem: self,
            prev: None,
            index: 0,
        }
    }

    /// One random instance on which F (and every definition) is defined and
    /// well-conditioned.
    pub fn sample(&self, rng: &mut Rng) -> Result<Instance, ProblemError> {
        self.draw(rng, None, 0).map(|c| c.inst)
    }

    /// Whether F and the definitions are defined and well-conditioned on `inst`.
    pub fn well_conditioned(&self, inst: &Instance) -> bool {
        self.record_checked(inst).is_some()
    }

    /// The tape of F on `inst` when F and the definitions are defined and
    /// well-conditioned there (the definitions' values already in `inst`).
    pub fn record_checked(&self, inst: &Instance) -> Option<Tape> {
        let mut inst = inst.clone();
        let (tape, health) = self.judge(&mut inst);
        health.ok().then_some(tape)
    }

    /// Computes the defined names on `inst` and judges F there, recording its
    /// tape. A definition that breaks its domain still gets a (repaired)
    /// value, so the count of faults stays a useful measure of how far the
    /// draw is from F's domain.
    fn judge(&self, inst: &mut Instance) -> (Tape, Health) {
        let mut total = Health::default();
        for (i, t) in &self.definitions {
            let (tape, h) = condition::record(t, &inst.sizes, &inst.values);
            let value = tape.into_value(&inst.values);
            inst.values[*i] = value;
            merge(&mut total, h);
        }
        let (tape, h) = condition::record_for(&self.f.typed, &inst.sizes, &inst.values, self.wrt);
        merge(&mut total, h);
        (tape, total)
    }

    fn candidate(&self, mut inst: Instance) -> Candidate {
        let (tape, health) = self.judge(&mut inst);
        Candidate { inst, health, tape }
    }

    fn draw(
        &self,
        rng: &mut Rng,
        prev: Option<&(Sizes, Vec<f64>)>,
        index: usize,
    ) -> Result<Candidate, ProblemError> {
        let mut evals = 0;
        let mut budget = MAX_EVALS;
        let mut faults: HashMap<Fault, usize> = HashMap::new();
        let mut fallback: Option<Candidate> = None;
        let mut draws = 0;
        while evals < budget {
            if crate::cancel::requested() {
                return Err(ProblemError::plain(crate::cancel::CANCELLED));
            }
            let sizes = match prev {
                None => sample::sample_sizes(&self.decls, rng),
                Some((p, _)) => sample::sizes_after(&self.decls, p, index % 2 == 1, rng),
            };
            let values = sample::sample_values(&self.decls, &sizes, Values::Real, rng);
            let inst = Instance { sizes, values };
            if draws == 0 {
                budget = eval_budget(&inst);
            }
            draws += 1;
            let mut found = self.candidate(inst);
            evals += 1;
            if !found.health.ok() {
                self.repair(&mut found, rng, &mut evals, budget);
            }
            if !found.health.ok() {
                if let Some(f) = found.health.first {
                    *faults.entry(f).or_default() += 1;
                }
                continue;
            }
            let wanted = prev.map_or(&[][..], |(_, dets)| dets.as_slice());
            if other_signs(wanted, &found.health.dets) && kink_gap(index, &found.health.kinks) > 0.0
            {
                self.steer_to_kinks(&mut found, index, rng, &mut evals, budget);
            }
            if other_signs(wanted, &found.health.dets)
                && kink_gap(index, &found.health.kinks) == 0.0
            {
                return Ok(found);
            }
            // Right domain, same det signs as before: keep looking a while.
            if fallback.is_none() {
                fallback = Some(found);
            }
            if evals * 2 >= budget {
                break;
            }
        }
        if let Some(found) = fallback {
            return Ok(found);
        }
        Err(self.no_instance(&faults, draws))
    }

    /// Moves entries (keeping declared structure) while that brings the draw
    /// nearer F's domain: a sign flipped, a magnitude doubled or halved. A
    /// narrow domain such as `log(x − 2)` or `sqrt(s − 100)` is reached this
    /// way; the moves are judged by F's faults alone.
    fn repair(&self, found: &mut Candidate, rng: &mut Rng, evals: &mut usize, budget: usize) {
        let mut groups = self.flip_groups(&found.inst);
        if groups.iter().map(Vec::len).sum::<usize>() > MAX_REPAIR_ENTRIES {
            return;
        }
        for _ in 0..REPAIR_PASSES {
            shuffle(&mut groups, rng);
            let before = found.health.clone();
            for g in &groups {
                // The first move that helps is repeated while it helps
                // (doubling 3 up to 96 for sqrt(s − 100)).
                'moves: for factor in [-1.0, 2.0, 0.5] {
                    let mut helped = false;
                    for _ in 0..MAX_REPEATS {
                        if *evals >= budget || found.health.ok() {
                            return;
                        }
                        let mut tried = found.inst.clone();
                        scale(&mut tried, g, factor);
                        let tried = self.candidate(tried);
                        *evals += 1;
                        if !tried.health.better_than(&found.health) {
                            break;
                        }
                        *found = tried;
                        helped = true;
                        if factor < 0.0 {
                            break;
                        }
                    }
                    if helped {
                        break 'moves;
                    }
                }
            }
            if !found.health.better_than(&before) {
                return;
            }
        }
    }

    /// Moves entries, keeping F defined, until an entry of every kink's
    /// argument sits on the side trial `index` wants — also for kinks beyond
    /// the drawn magnitudes (`relu(x − 5)`, `abs(s − 0.01)`).
    fn steer_to_kinks(
        &self,
        found: &mut Candidate,
        index: usize,
        rng: &mut Rng,
        evals: &mut usize,
        budget: usize,
    ) {
        let mut groups = self.flip_groups(&found.inst);
        if groups.iter().map(Vec::len).sum::<usize>() > MAX_REPAIR_ENTRIES {
            return;
        }
        let mut gap = kink_gap(index, &found.health.kinks);
        for _ in 0..REPAIR_PASSES * 2 {
            shuffle(&mut groups, rng);
            let before = gap;
            for g in &groups {
                for factor in STEER_FACTORS {
                    if *evals >= budget || gap == 0.0 {
                        return;
                    }
                    let mut tried = found.inst.clone();
                    scale(&mut tried, g, factor);
                    let tried = self.candidate(tried);
                    *evals += 1;
                    let now = kink_gap(index, &tried.health.kinks);
                    if tried.health.ok() && now < gap {
                        *found = tried;
                        gap = now;
                        break;
                    }
                }
            }
            if gap >= before {
                return;
            }
        }
    }

    /// Sets of entries whose signs can flip together without breaking a
    /// declared property: any entry of an unconstrained name, a mirrored pair
    /// (or a diagonal entry) of a symmetric one, a diagonal entry of a
    /// diagonal one. Names defined by others are not drawn, so not flipped.
    fn flip_groups(&self, inst: &Instance) -> Vec<Vec<(usize, usize, usize)>> {
        let mut groups = Vec::new();
        for (k, d) in self.decls.entries.iter().enumerate() {
            if self.definitions.iter().any(|(i, _)| *i == k) {
                continue;
            }
            let (r, c) = inst.values[k].shape();
            let symmetric = d.has(Property::Symmetric);
            let diagonal = d.has(Property::Diagonal);
            let free = d
                .props
                .iter()
                .all(|p| *p == Property::Symmetric || *p == Property::Diagonal);
            if !free {
                continue;
            }
            for i in 0..r {
                for j in 0..c {
                    if diagonal && i != j {
                        continue;
                    }
                    if symmetric && j < i {
                        continue;
                    }
                    let mut g = vec![(k, i, j)];
                    if symmetric && i != j {
                        g.push((k, j, i));
                    }
                    groups.push(g);
                }
            }
        }
        groups
    }

    /// Names the part of F that no draw could satisfy.
    fn no_instance(&self, faults: &HashMap<Fault, usize>, draws: usize) -> ProblemError {
        let worst = faults
            .iter()
            .max_by_key(|(f, n)| (**n, std::cmp::Reverse(f.span.start)))
            .map(|(f, _)| *f);
        let Some(f) = worst else {
            return ProblemError::plain(
                "F has no usable instance: no random draw keeps it defined",
            );
        };
        let part: String = self
            .f_text
            .chars()
            .skip(f.span.start)
            .take(f.span.end.saturating_sub(f.span.start))
            .collect();
        let part = part.trim();
        let place = if part.is_empty() {
            "F".to_string()
        } else if part == self.f_text.trim() {
            format!("F = {part}")
        } else {
            format!("{part} in F")
        };
        ProblemError::plain(format!(
            "F has no usable instance: {place} takes {} at every point tried ({draws} random draws of both signs, repaired where possible). Declare names positive or spd where F needs it.",
            f.what
        ))
    }
}

fn merge(total: &mut Health, h: Health) {
    total.violations += h.violations;
    total.distance += h.distance;
    if total.first.is_none() {
        total.first = h.first;
    }
    total.dets.extend(h.dets);
    total.kinks.extend(h.kinks);
}

/// Whether every det has the other sign than in the trial before (trivially
/// so for the first trial, or when F has no det).
fn other_signs(before: &[f64], now: &[f64]) -> bool {
    before.len() != now.len() || before.iter().zip(now).all(|(b, n)| b * n < 0.0)
}

/// How far a draw is from what trial `index` wants of F's kinks: trials 2
/// and 6 (1-based, then every eighth) an entry just below every kink, 4 and
/// 8 one just above — within the wide band, then the narrow one; the others
/// take what comes (0).
fn kink_gap(index: usize, kinks: &[[f64; 4]]) -> f64 {
    let band = match index % 8 {
        1 => 0,
        3 => 1,
        5 => 2,
        7 => 3,
        _ => return 0.0,
    };
    kinks.iter().map(|k| k[band]).sum()
}

impl Problem {
    /// Whether F has a kink (`relu`, `abs`, `step`, `sign`): its gradings then run extra
    /// trials near the kinks (`KINK_TRIALS`).
    pub fn has_kinks(&self) -> bool {
        fn any(t: &crate::expr::Typed) -> bool {
            matches!(
                t.op,
                crate::expr::Op::Call(
                    crate::expr::Func::Relu
                        | crate::expr::Func::Abs
                        | crate::expr::Func::Step
                        | crate::expr::Func::Sign,
                    _
                )
            ) || t.children().into_iter().any(any)
        }
        any(&self.f.typed) || self.definitions.iter().any(|(_, t)| any(t))
    }
}

/// Trials of a default grading when F has kinks: enough for each side of
/// each band (see `kink_gap`).
pub const KINK_TRIALS: usize = 9;

/// Evaluations allowed for one instance: `WORK` over a rough cost of one
/// evaluation — a vector costs its length, a matrix its entries times its
/// longer side (what a product or an inverse of it costs).
fn eval_budget(inst: &Instance) -> usize {
    let cost: f64 = inst
        .values
        .iter()
        .map(|v| {
            let (r, c) = (v.nrows() as f64, v.ncols() as f64);
            if r == 1.0 || c == 1.0 {
                r * c
            } else {
                r * c * r.max(c)
            }
        })
        .sum::<f64>()
        .max(1.0);
    ((WORK / cost) as usize).clamp(MIN_EVALS, MAX_EVALS)
}

fn scale(inst: &mut Instance, group: &[(usize, usize, usize)], factor: f64) {
    for &(k, i, j) in group {
        let v: &mut DMatrix<f64> = &mut inst.values[k];
        v[(i, j)] *= factor;
    }
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.random_range(0..=i));
    }
}
