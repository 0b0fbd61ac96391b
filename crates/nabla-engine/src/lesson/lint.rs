//! `nabla lint`: everything an instructor needs checked before a student sees
//! a lesson — the schema, unique ids, every expression parsed and well
//! shaped, every `result` and reference `answer` the true derivative (graded
//! over many random instances, with the engine cross-checked by finite
//! differences), every known mistake really wrong, every compute exercise's
//! shown numbers able to expose its mistakes (`separate`), no mistake's
//! feedback giving the answer away (`coaching`), hints present, and
//! every piece of Markdown and LaTeX drawable by the tutor's renderer.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use nalgebra::DMatrix;
use rand::RngExt;

use super::backprop;
use super::coaching;
use super::exercise::{Located, kind_of, layout_of};
use super::grading::read_choice;
use super::instance::{BUDGET, draws, range_of};
use super::load::{Lesson, parse_schema};
use super::schema::{Exercise, Given, Kind, Mistake};
use super::separate::{Clash, Separation, Slip};
use super::source::{LessonError, SourceFile};
use super::spanned::Spanned;
use crate::calculus::{Problem, finite_diff, reverse, tape};
use crate::expr::decl::parse_shape;
use crate::expr::{Decls, ExprError, compile_expecting};
use crate::grade::{self, Options, Verdict};
use crate::render::{check_markdown, render_math};
use crate::sample;

/// Seeds each answer is graded with (each runs the default number of trials).
const SEEDS: u64 = 3;

/// The fewest of `BUDGET` draws that must give a compute exercise's instance
/// that can be shown. A seed then misses within its budget with a chance of
/// about e^-25 (the draws are independent); fewer, and some seeds of some
/// students would have nothing to show.
const MIN_SEPARATED: usize = 25;

/// Lints lesson files as a course: each file, then what spans files. A file
/// with a field over its length limit (`limits`) gets an error for each such
/// field and no further checks (they would render and grade the long text).
pub fn lint_files(files: Vec<SourceFile>) -> Vec<LessonError> {
    lint_on(&[], files)
}

/// `lint_files` of a lesson pack on top of the lessons it builds on, given
/// as `(lesson id, file name)` (the built-in course, earlier packs): those
/// are not linted again, but an id of theirs used in `files` is an error
/// naming both files, as `--lessons` would refuse it.
pub fn lint_on(base: &[(String, String)], files: Vec<SourceFile>) -> Vec<LessonError> {
    let mut errors = Vec::new();
    let mut seen: Vec<(String, String)> = base.to_vec();
    for file in files {
        match parse_schema(file) {
            Err(e) => errors.push(e),
            Ok(lesson) => {
                let too_long = super::limits::check(&lesson);
                if !too_long.is_empty() {
                    errors.extend(too_long);
                    continue;
                }
                if let Some((_, other)) = seen.iter().find(|(id, _)| id == lesson.id()) {
                    errors.push(lesson.file.error_in(
                        &lesson.data.id.span(),
                        format!("lesson id '{}' is also used by {other}", lesson.id()),
                    ));
                }
                seen.push((lesson.id().to_string(), lesson.file.name.clone()));
                errors.extend(lint_lesson(&lesson));
            }
        }
    }
    errors
}

struct Linter<'a> {
    file: &'a SourceFile,
    errors: Vec<LessonError>,
}

impl Linter<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(self.file.error_in(&span, message));
    }

    /// An error in an expression string, pointing at the character it names.
    fn expr_error(&mut self, field: &Spanned<String>, what: &str, e: &ExprError) {
        let err = self.file.error_inside(
            &field.span(),
            field.get_ref(),
            e.span.start,
            format!("{what}: {}", e.message),
        );
        self.errors.push(err);
    }

    fn markdown(&mut self, field: &Spanned<String>, what: &str) {
        for e in check_markdown(field.get_ref()) {
            let chars = field
                .get_ref()
                .get(..e.offset)
                .map_or(0, |s| s.chars().count());
            let err = self.file.error_inside(
                &field.span(),
                field.get_ref(),
                chars,
                format!("{what}: {}", e.message),
            );
            self.errors.push(err);
        }
    }

    fn math(&mut self, field: &Spanned<String>, what: &str) {
        if let Err(e) = render_math(field.get_ref(), true) {
            let chars = field
                .get_ref()
                .get(..e.offset)
                .map_or(0, |s| s.chars().count());
            let err = self.file.error_inside(
                &field.span(),
                field.get_ref(),
                chars,
                format!("{what}: {}", e.message),
            );
            self.errors.push(err);
        }
    }

    fn decls(&mut self, given: &Spanned<Given>) -> Option<Decls> {
        match given.get_ref().to_decls() {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("given: {}", e.message);
                let err = match given.get_ref() {
                    Given::Text(text) => {
                        self.file
                            .error_inside(&given.span(), text, e.span.start, message)
                    }
                    Given::Table(_) => self.table_decl_error(&given.span(), e.span.start, message),
                };
                self.errors.push(err);
                None
            }
        }
    }

    /// Points a `given = { ... }` error at the declaration that fails: into
    /// its value, or at its name when the value is fine. The table's entries
    /// are located by reading its source again; failing that, the table.
    fn table_decl_error(
        &self,
        span: &Range<usize>,
        inner_chars: usize,
        message: String,
    ) -> LessonError {
        #[derive(serde::Deserialize)]
        struct Entries {
            // toml's own `Spanned`: a map key needs its ordering.
            v: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
        }
        const LEAD: &str = "v = ";
        let raw = self.file.text.get(span.clone()).unwrap_or("");
        let Ok(entries) = toml::from_str::<Entries>(&format!("{LEAD}{raw}")) else {
            return self.file.error_in(span, message);
        };
        let shift =
            |s: Range<usize>| span.start + s.start - LEAD.len()..span.start + s.end - LEAD.len();
        let bad = entries.v.iter().find(|(k, v)| {
            Decls::from_pairs([(k.get_ref().as_str(), v.get_ref().as_str())]).is_err()
        });
        match bad {
            Some((_, v)) if Decls::from_pairs([("a", v.get_ref().as_str())]).is_err() => self
                .file
                .error_inside(&shift(v.span()), v.get_ref(), inner_chars, message),
            Some((k, _)) => self.file.error_in(&shift(k.span()), message),
            None => self.file.error_in(span, message),
        }
    }

    /// Builds ∂f/∂wrt, reporting where it goes wrong.
    fn problem(
        &mut self,
        given: &Spanned<Given>,
        f: &Spanned<String>,
        wrt: &Spanned<String>,
        layout: Option<&Spanned<String>>,
    ) -> Option<Problem> {
        let decls = self.decls(given)?;
        if let Err(e) = crate::expr::compile(f.get_ref(), Some(&decls)) {
            self.expr_error(f, "f", &e);
            return None;
        }
        if decls.get(wrt.get_ref()).is_none() {
            self.at(
                wrt.span(),
                format!(
                    "wrt: '{}' is not declared in `given` ({})",
                    wrt.get_ref(),
                    decls.name_list()
                ),
            );
            return None;
        }
        let layout = match layout_of(layout.map(|l| l.get_ref().as_str())) {
            Ok(l) => l,
            Err(m) => {
                if let Some(l) = layout {
                    self.at(l.span(), m);
                }
                return None;
            }
        };
        match Problem::new(decls, f.get_ref(), Some(wrt.get_ref()), layout) {
            // Too large to grade: said with the estimate, and not graded
            // here either (lint grades every answer on many seeds).
            Ok(p) => match crate::calculus::cost::grading(&p.f.typed, &p.decls).refusal("f") {
                Some(why) => {
                    self.at(f.span(), why);
                    None
                }
                None => Some(p),
            },
            Err(e) => {
                self.at(f.span(), e.message);
                None
            }
        }
    }

    /// The reference answer must be graded correct on every seed.
    fn must_be_correct(&mut self, p: &Problem, answer: &Spanned<String>, what: &str) -> bool {
        if let Err(e) = compile_expecting(answer.get_ref(), Some(&p.decls), Some(&p.expected)) {
            self.expr_error(answer, what, &e);
            return false;
        }
        for seed in 0..SEEDS {
            match grade::grade(
                p,
                answer.get_ref(),
                &Options {
                    seed,
                    ..Options::default()
                },
            ) {
                Ok(g) if g.verdict == Verdict::Correct => {}
                Ok(g) => {
                    self.at(
                        answer.span(),
                        format!("{what} is not ∂f/∂{}: {}", p.wrt_name(), g.message),
                    );
                    return false;
                }
                Err(e) => {
                    self.at(
                        answer.span(),
                        format!("{what} cannot be graded: {}", e.message),
                    );
                    return false;
                }
            }
        }
        true
    }

    /// The reference answer must agree with nabla's own derivation (where nabla
    /// can derive it: what it cannot derive is still graded numerically).
    fn agrees_with_derived(&mut self, p: &Problem, answer: &Spanned<String>, what: &str) {
        let Ok(derived) = crate::calculus::symbolic::derive(p) else {
            return;
        };
        let Ok(reference) = compile_expecting(answer.get_ref(), Some(&p.decls), Some(&p.expected))
        else {
            return;
        };
        if !super::grading::equivalent(p, &reference, &derived.text, 0) {
            self.at(
                answer.span(),
                format!(
                    "{what} disagrees with nabla's derivation, {}: please report this",
                    derived.text
                ),
            );
        }
    }

    /// A known mistake must parse and be wrong on some instance of every seed.
    fn must_be_wrong(&mut self, p: &Problem, m: &Mistake, reference: Option<&Spanned<String>>) {
        if let Err(e) = compile_expecting(m.answer.get_ref(), Some(&p.decls), Some(&p.expected)) {
            self.expr_error(&m.answer, "mistake", &e);
            return;
        }
        if reference.is_some_and(|r| r.get_ref().trim() == m.answer.get_ref().trim()) {
            self.at(
                m.answer.span(),
                "this mistake is the reference answer itself",
            );
            return;
        }
        for seed in 0..SEEDS {
            if let Ok(g) = grade::grade(
                p,
                m.answer.get_ref(),
                &Options {
                    seed,
                    ..Options::default()
                },
            ) && g.verdict == Verdict::Correct
            {
                self.at(
                    m.answer.span(),
                    "this mistake is graded correct: it gives the answer on every instance, so it is not a mistake",
                );
                return;
            }
        }
        self.markdown(&m.feedback, "feedback");
    }

    /// Cross-checks the engine's derivative of f against finite differences
    /// (a failure here is a bug in nabla, reported where it shows).
    fn engine_agrees(&mut self, p: &Problem, f: &Spanned<String>) {
        let mut rng = sample::rng(7);
        for _ in 0..2 {
            let Ok(inst) = p.sample(&mut rng) else {
                self.at(f.span(), "no random instance keeps f defined (declare names positive or spd where f needs it)");
                return;
            };
            let x = &inst.values[p.wrt];
            let v = DMatrix::from_fn(x.nrows(), x.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let (Ok(t), Ok(fd)) = (
                tape::record(&p.f.typed, &inst.sizes, &inst.values),
                finite_diff::directional(&p.f.typed, &inst.sizes, &inst.values, p.wrt, &v),
            ) else {
                continue;
            };
            let fbar = DMatrix::from_fn(fd.nrows(), fd.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let Ok(g) = reverse::vjp(&p.f.typed, &t, &inst.values, fbar.clone(), p.wrt, x.shape())
            else {
                continue;
            };
            let (exact, approx) = (g.dot(&v), fbar.dot(&fd));
            if (exact - approx).abs() > 1e-4 * exact.abs().max(1.0) {
                self.at(
                    f.span(),
                    format!("nabla's derivative of f disagrees with finite differences ({exact} vs {approx}): please report this"),
                );
                return;
            }
        }
    }

    fn hints(&mut self, hints: &[Spanned<String>], at: Range<usize>) {
        if hints.is_empty() {
            self.at(at, "add at least one hint (`hints = ['...']`)");
        }
        for h in hints {
            self.markdown(h, "hint");
        }
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn lint_lesson(lesson: &Lesson) -> Vec<LessonError> {
    let mut l = Linter {
        file: &lesson.file,
        errors: Vec::new(),
    };
    let d = &lesson.data;
    if !valid_id(d.id.get_ref()) {
        l.at(
            d.id.span(),
            format!(
                "lesson id '{}' may use only a-z, 0-9 and '-'",
                d.id.get_ref()
            ),
        );
    }
    if d.title.get_ref().trim().is_empty() {
        l.at(d.title.span(), "the title is empty");
    }
    if let Some(s) = &d.summary {
        l.markdown(s, "summary");
    }
    for s in &d.sections {
        l.markdown(&s.body, "section");
    }
    for id in &d.identities {
        l.math(&id.statement, "statement");
        for step in &id.derivation {
            l.markdown(step, "derivation");
        }
        if let Some(n) = &id.note {
            l.markdown(n, "note");
        }
        if let Some(p) = l.problem(&id.given, &id.f, &id.wrt, id.layout.as_ref()) {
            if l.must_be_correct(&p, &id.result, "result") {
                l.agrees_with_derived(&p, &id.result, "result");
            }
            l.engine_agrees(&p, &id.f);
        }
    }
    let mut ids = HashSet::new();
    for ex in &d.exercises {
        if !valid_id(ex.id.get_ref()) {
            l.at(
                ex.id.span(),
                format!(
                    "exercise id '{}' may use only a-z, 0-9 and '-'",
                    ex.id.get_ref()
                ),
            );
        }
        if !ids.insert(ex.id.get_ref().clone()) {
            l.at(
                ex.id.span(),
                format!(
                    "exercise id '{}' is used twice in this lesson",
                    ex.id.get_ref()
                ),
            );
        }
        lint_exercise(&mut l, ex);
        lint_feedback_holds_back(&mut l, Located { lesson, ex });
    }
    l.errors
}

/// A known mistake's feedback is shown on the first miss, so it must not
/// hold a right answer (the tutor would hold it back: `coaching`).
fn lint_feedback_holds_back(l: &mut Linter<'_>, loc: Located<'_>) {
    let whole = loc.ex.mistakes.iter().map(|m| (None, m));
    let steps = loc
        .ex
        .steps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.mistakes.iter().map(move |m| (Some(i), m)));
    for (step, m) in whole.chain(steps) {
        if let Some(f) = coaching::gives_away(loc, 1, step, m.feedback.get_ref()) {
            let why = if loc.kind() == Ok(Kind::Choice) {
                "is the right choice"
            } else {
                "is graded correct"
            };
            l.at(
                m.feedback.span(),
                format!(
                    "this feedback gives the answer away (`{f}` {why}): say what is wrong and where to look; the answer belongs in the hints and the solution, which the tutor shows later"
                ),
            );
        }
    }
}

fn lint_exercise(l: &mut Linter<'_>, ex: &Exercise) {
    let kind = match kind_of(ex) {
        Ok(k) => k,
        Err(m) => {
            l.at(ex.kind.span(), m);
            return;
        }
    };
    l.markdown(&ex.prompt, "prompt");
    l.hints(&ex.hints, ex.id.span());
    match &ex.solution {
        Some(s) => l.markdown(s, "solution"),
        None => l.at(ex.id.span(), "add a worked `solution`"),
    }
    // Fields that do not belong to the kind are mistakes worth pointing at.
    let misplaced: [(&str, bool, Option<Range<usize>>); 9] = [
        (
            "shape_preview",
            matches!(kind, Kind::Shape | Kind::Choice),
            ex.shape_preview.as_ref().map(Spanned::span),
        ),
        (
            "name",
            kind == Kind::Choice,
            ex.name.as_ref().map(Spanned::span),
        ),
        (
            "choices",
            kind != Kind::Choice,
            ex.choices.first().map(Spanned::span),
        ),
        (
            "shuffle",
            kind != Kind::Choice,
            ex.shuffle.as_ref().map(Spanned::span),
        ),
        (
            "let",
            kind != Kind::Derive,
            ex.aliases.as_ref().map(Spanned::span),
        ),
        (
            "range",
            kind != Kind::Compute,
            ex.range.as_ref().map(Spanned::span),
        ),
        (
            "tolerance",
            kind != Kind::Compute,
            ex.tolerance.as_ref().map(Spanned::span),
        ),
        (
            "forward",
            kind != Kind::Backprop,
            ex.forward.first().map(Spanned::span),
        ),
        (
            "step",
            kind != Kind::Backprop,
            ex.steps.first().map(|s| s.wrt.span()),
        ),
    ];
    for (field, wrong_kind, span) in misplaced {
        if let (true, Some(span)) = (wrong_kind, span) {
            l.at(
                span,
                format!("`{field}` does not belong to a {} exercise", kind.name()),
            );
        }
    }
    let missing = |l: &mut Linter<'_>, field: &str| {
        l.at(
            ex.kind.span(),
            format!("a {} exercise needs `{field}`", kind.name()),
        );
    };
    match kind {
        Kind::Derive | Kind::Compute | Kind::Shape => {
            let (Some(given), Some(f), Some(wrt)) = (&ex.given, &ex.f, &ex.wrt) else {
                for (name, present) in [
                    ("given", ex.given.is_some()),
                    ("f", ex.f.is_some()),
                    ("wrt", ex.wrt.is_some()),
                ] {
                    if !present {
                        missing(l, name);
                    }
                }
                return;
            };
            let Some(answer) = &ex.answer else {
                missing(l, "answer");
                return;
            };
            let Some(p) = l.problem(given, f, wrt, ex.layout.as_ref()) else {
                return;
            };
            l.engine_agrees(&p, f);
            if kind == Kind::Shape {
                lint_shape(l, &p, answer, &ex.mistakes);
                return;
            }
            let correct = l.must_be_correct(&p, answer, "answer");
            if correct && kind == Kind::Derive {
                l.agrees_with_derived(&p, answer, "answer");
            }
            for m in &ex.mistakes {
                l.must_be_wrong(&p, m, Some(answer));
            }
            if kind == Kind::Compute {
                if let Some(r) = &ex.range
                    && r.get_ref()[0] > r.get_ref()[1]
                {
                    l.at(r.span(), "range is [low, high] with low ≤ high");
                }
                lint_shown(l, &p, ex, answer);
            }
        }
        Kind::Choice => {
            if ex.choices.len() < 2 {
                l.at(
                    ex.kind.span(),
                    "a choice exercise needs at least two `choices`",
                );
            }
            for c in &ex.choices {
                l.markdown(c, "choice");
            }
            let right = match &ex.answer {
                None => {
                    missing(l, "answer");
                    return;
                }
                Some(a) => match read_choice(a.get_ref(), ex.choices.len()) {
                    Some(n) => n,
                    None => {
                        l.at(
                            a.span(),
                            format!(
                                "answer must be the number of a choice, 1 to {}",
                                ex.choices.len()
                            ),
                        );
                        return;
                    }
                },
            };
            for m in &ex.mistakes {
                match read_choice(m.answer.get_ref(), ex.choices.len()) {
                    None => l.at(
                        m.answer.span(),
                        format!(
                            "a mistake names a choice by number, 1 to {}",
                            ex.choices.len()
                        ),
                    ),
                    Some(n) if n == right => {
                        l.at(m.answer.span(), "this mistake is the right choice")
                    }
                    Some(_) => l.markdown(&m.feedback, "feedback"),
                }
            }
        }
        Kind::Backprop => lint_backprop(l, ex),
    }
}

/// A compute exercise's shown instances: whether they exist, and tell the
/// answer from every known mistake and slip (see `separate`). What no draw
/// can avoid is an authoring error; what draws avoid too rarely, a `range`
/// too narrow.
fn lint_shown(l: &mut Linter<'_>, p: &Problem, ex: &Exercise, answer: &Spanned<String>) {
    let sep = Separation::new(p, ex);
    // A mistake equal to the answer on every instance is `must_be_wrong`'s;
    // a mistake that is a slip on every instance is fine (it teaches it).
    if sep.structural().contains(&Clash::ZeroAnswer) {
        l.at(
            answer.span(),
            "the derivative is zero on every instance, so the numbers shown cannot tell any answer from it",
        );
    } else if sep.structural().contains(&Clash::Slip(Slip::Transpose)) {
        l.at(
            answer.span(),
            "the answer is its own transpose on every instance, so the layout slip (typing the transpose) is graded correct: ask for a derivative that is not symmetric",
        );
    }
    // One long stream of draws rather than a few seeds: it measures how
    // often an instance can be shown, which a few seeds would only sample.
    let (_, tally) = draws(p, ex, &sep, 0, BUDGET, false);
    if tally.defined == 0 {
        l.at(ex.kind.span(), tally.failure(p, ex));
        return;
    }
    if tally.separated >= MIN_SEPARATED {
        return;
    }
    let Some((clash, n)) = tally.culprit() else {
        return;
    };
    let message = if tally.separated == 0 {
        tally.failure(p, ex)
    } else {
        let (lo, hi) = range_of(ex);
        format!(
            "only {} of {} draws with entries in [{lo}, {hi}] tell the answer from every known mistake and slip, too few for every seed to find one: in {n}, {}; widen `range`",
            tally.separated,
            tally.defined,
            clash.describe(p, ex)
        )
    };
    let mistake = |i: usize| ex.mistakes.get(i).map(|m| m.answer.span());
    let span = match clash {
        Clash::Mistake(i) | Clash::MistakeAsSlip(i, _) | Clash::Mistakes(_, i) => mistake(i),
        Clash::ZeroAnswer | Clash::Slip(_) => None,
        Clash::Symmetric(_) | Clash::Scalar(_) => ex
            .range
            .as_ref()
            .map(Spanned::span)
            .or_else(|| ex.given.as_ref().map(Spanned::span)),
    };
    l.at(span.unwrap_or_else(|| answer.span()), message);
}

fn lint_shape(l: &mut Linter<'_>, p: &Problem, answer: &Spanned<String>, mistakes: &[Mistake]) {
    match parse_shape(answer.get_ref()) {
        Err(e) => l.expr_error(answer, "answer", &e),
        Ok(s) if s != p.expected => l.at(
            answer.span(),
            format!("the derivative is {}, not {s}", p.expected),
        ),
        Ok(_) => {}
    }
    for m in mistakes {
        match parse_shape(m.answer.get_ref()) {
            Err(e) => l.expr_error(&m.answer, "mistake", &e),
            Ok(s) if s == p.expected => l.at(m.answer.span(), "this mistake is the right shape"),
            Ok(_) => l.markdown(&m.feedback, "feedback"),
        }
    }
}

fn lint_backprop(l: &mut Linter<'_>, ex: &Exercise) {
    if ex.forward.is_empty() {
        l.at(
            ex.kind.span(),
            "a backprop exercise needs `forward`, the forward pass",
        );
    }
    if ex.steps.is_empty() {
        l.at(
            ex.kind.span(),
            "a backprop exercise needs at least one `[[exercise.step]]`",
        );
    }
    if ex.answer.is_some() {
        l.at(
            ex.kind.span(),
            "a backprop exercise has an `answer` per step, not one for the whole",
        );
    }
    let (Some(f), Some(given)) = (&ex.f, &ex.given) else {
        l.at(
            ex.kind.span(),
            "a backprop exercise needs `given` and `f` (the loss)",
        );
        return;
    };
    // The declarations, each forward line and the loss, located where they
    // go wrong (the steps below would only say that their network fails).
    let Some(mut decls) = l.decls(given) else {
        return;
    };
    for line in &ex.forward {
        let (name, src) = match backprop::split_definition(line.get_ref()) {
            Ok(d) => d,
            Err(m) => {
                l.at(line.span(), m);
                return;
            }
        };
        if decls.get(name).is_some() {
            l.at(
                line.span(),
                format!("forward: '{name}' is already declared"),
            );
            return;
        }
        match crate::expr::compile(src, Some(&decls)) {
            Ok(c) => decls.entries.push(crate::expr::Decl {
                name: name.to_string(),
                shape: c.shape().clone(),
                props: Vec::new(),
            }),
            Err(e) => {
                let line_text = line.get_ref();
                let lead = line_text
                    .find(src)
                    .map_or(0, |at| line_text[..at].chars().count());
                let err = l.file.error_inside(
                    &line.span(),
                    line_text,
                    lead + e.span.start,
                    format!("forward '{name}': {}", e.message),
                );
                l.errors.push(err);
                return;
            }
        }
    }
    if let Err(e) = crate::expr::compile(f.get_ref(), Some(&decls)) {
        l.expr_error(f, "f", &e);
        return;
    }
    for (i, s) in ex.steps.iter().enumerate() {
        if let Some(p) = &s.prompt {
            l.markdown(p, "step prompt");
        }
        l.hints(&s.hints, s.wrt.span());
        match backprop::step_problem(ex, i) {
            Err(m) => {
                l.at(s.wrt.span(), m);
                return;
            }
            Ok(p) => {
                if l.must_be_correct(&p, &s.answer, "answer") {
                    l.agrees_with_derived(&p, &s.answer, "answer");
                }
                for m in &s.mistakes {
                    l.must_be_wrong(&p, m, Some(&s.answer));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::separate::tests::compute_lesson;

    fn messages(fields: &str, mistakes: &[&str]) -> Vec<String> {
        lint_lesson(&compute_lesson(fields, mistakes))
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    #[test]
    fn an_exercise_that_separates_only_rarely_is_reported() {
        // Six 2×2 matrices of 0s and 1s, each symmetric half the time: about
        // one draw in 64 can be shown, too few for every seed to find one.
        let m = messages(
            "given = \"A, B, C, D, E, G: 2 x 2; x: 2\"\nf = \"x' (A + B + C + D + E + G) x\"\nwrt = \"x\"\nanswer = \"(A + B + C + D + E + G + A' + B' + C' + D' + E' + G') x\"\nrange = [0, 1]",
            &[],
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("only "), "{m:?}");
        assert!(m[0].contains("comes out symmetric"), "{m:?}");
    }

    #[test]
    fn a_derivative_zero_everywhere_is_reported_once() {
        let m = messages(
            "given = { b = \"2\", x = \"2\" }\nf = \"b' x - x' b\"\nwrt = \"x\"\nanswer = \"0 b\"",
            &[],
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("zero on every instance"), "{m:?}");
    }

    #[test]
    fn an_exercise_that_separates_lints_clean() {
        let m = messages(
            "given = { A = \"2 x 2\", x = \"2\" }\nf = \"x' A x\"\nwrt = \"x\"\nanswer = \"(A + A') x\"",
            &["2 A x", "A x", "x' (A + A')"],
        );
        assert_eq!(m, Vec::<String>::new());
    }
}
