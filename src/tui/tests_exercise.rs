//! Exercise-screen tests: one key sequence per kind of exercise, as a student
//! would type it, and snapshots of the screen.

use nabla_engine::grade::Verdict;
use nabla_engine::lesson::exercise::{find, problem};
use nabla_engine::lesson::grading::shown_choice;
use nabla_engine::lesson::instance::compute_instance;

use super::action::Action;
use super::app::App;
use super::exercise::Preview;
use super::tests::{app, lesson, press, screen};

/// Opens exercise `id` (LESSON/EXERCISE) the way a student does: the lesson,
/// `e`, then PgDn to it.
fn open(id: &str) -> App {
    open_at(id, (80, 24))
}

fn open_at(id: &str, size: (u16, u16)) -> App {
    let (l, x) = id.split_once('/').unwrap();
    let mut a = app(lesson(l), size);
    press(&mut a, "e");
    let index = a
        .course
        .lessons
        .iter()
        .find(|le| le.id() == l)
        .unwrap()
        .data
        .exercises
        .iter()
        .position(|e| e.id.get_ref() == x)
        .unwrap();
    for _ in 0..index {
        press(&mut a, "<PgDn>");
    }
    assert_eq!(a.exercise().unwrap().id(&a.course), id);
    a
}

fn verdict(a: &App) -> Option<Verdict> {
    a.exercise()?.outcome.as_ref().map(|o| o.grade.verdict)
}

#[test]
fn derive_wrong_then_right() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "2 A x");
    assert!(matches!(
        &a.exercise().unwrap().preview,
        Preview::Reading {
            fits: Some(true),
            ..
        }
    ));
    press(&mut a, "<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert_eq!(e.attempts, 1);
    assert!(
        e.outcome.as_ref().unwrap().feedback.is_some(),
        "the lesson's known mistake is recognised"
    );
    insta::assert_snapshot!("exercise_derive_wrong_80x24", screen(&a));
    press(&mut a, "<C-u>(A + A')x<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(verdict(&a), Some(Verdict::Correct));
    assert!(e.solved);
    assert_eq!(e.attempts, 2);
    assert!(screen(&a).contains("Worked solution"));
}

#[test]
fn unreadable_input_costs_no_attempt_and_letters_are_typed() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "q?(A + ) x");
    let e = a.exercise().unwrap();
    assert!(!a.quit && !a.help, "q and ? are typed into the answer box");
    assert_eq!(e.input.text(), "q?(A + ) x");
    assert!(matches!(e.preview, Preview::Error { .. }));
    press(&mut a, "<Enter>");
    assert_eq!(a.exercise().unwrap().attempts, 0);
    assert!(
        a.notice
            .as_deref()
            .is_some_and(|n| n.contains("no attempt"))
    );
    insta::assert_snapshot!("exercise_parse_error_80x24", screen(&a));
}

#[test]
fn keys_behind_the_too_small_notice_are_neither_typed_nor_graded() {
    let mut a = open("scalar-by-vector/quadratic-form");
    a.update(Action::Resize(30, 8));
    assert!(screen(&a).contains("Terminal too small"));
    press(&mut a, "(A + A')x<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(e.input.text(), "", "nothing typed blind");
    assert_eq!(e.attempts, 0, "nothing graded blind");
    // Back to a usable size, typing works again; q still quits when small.
    a.update(Action::Resize(80, 24));
    press(&mut a, "x");
    assert_eq!(a.exercise().unwrap().input.text(), "x");
    a.update(Action::Resize(30, 8));
    press(&mut a, "q");
    assert!(a.quit, "q quits behind the notice, as it says");
}

#[test]
fn a_quick_grading_is_done_at_once_even_in_the_tutor() {
    let mut a = open("scalar-by-vector/quadratic-form");
    a.background = true;
    press(&mut a, "2 A x<Enter>");
    assert!(a.grading.is_none(), "tutor-size: graded in place");
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
}

#[test]
fn a_long_grading_runs_aside_and_esc_gives_up_on_it() {
    // tr(A X B) with 700×700 matrices: a tenth of a second or more.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/slow-lesson");
    let course = nabla_engine::lesson::load::course(Some(std::path::Path::new(dir)));
    assert!(course.errors.is_empty(), "{:?}", course.errors);
    let mut a = App::new(
        course,
        lesson("slow"),
        super::theme::Theme { color: false },
        (80, 24),
    );
    a.background = true;
    press(&mut a, "e");
    press(&mut a, "B A<Enter>");
    assert!(a.grading.is_some(), "the grading runs on another thread");
    assert!(screen(&a).contains("Grading…"), "and says so");
    // Keys other than Esc and Ctrl-C wait: the answer stays as graded.
    press(&mut a, "y");
    assert_eq!(a.exercise().unwrap().input.text(), "B A");
    assert!(a.poll_grading(std::time::Duration::from_secs(120)));
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert_eq!(a.exercise().unwrap().attempts, 1);
    assert!(!screen(&a).contains("Grading…"));

    // Esc while a grading runs: nothing counted, the result dropped, and the
    // grading thread told to stop (the engine's own test shows it does).
    press(&mut a, "<C-u>A' B'<Enter>");
    let flag = a.grading.as_ref().expect("grading").cancel.clone();
    assert!(!flag.is_cancelled());
    press(&mut a, "<Esc>");
    assert!(flag.is_cancelled());
    assert!(a.grading.is_none());
    assert_eq!(
        a.exercise().unwrap().attempts,
        1,
        "no attempt for a cancelled grading"
    );
    assert!(screen(&a).contains("Grading cancelled"));
    assert!(!a.poll_grading(std::time::Duration::from_millis(50)));
}

#[test]
fn the_preview_flags_a_wrong_shape_before_grading() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "x'(A + A')");
    assert!(matches!(
        &a.exercise().unwrap().preview,
        Preview::Reading {
            fits: Some(false),
            ..
        }
    ));
    // It says the shape does not fit, not which shape would (issue 15).
    let s = screen(&a);
    assert!(s.contains("✗ not the shape asked for"), "{s}");
    assert!(!s.contains("the answer is n×1"), "{s}");
}

#[test]
fn compute_with_the_numbers_shown() {
    let mut a = open("scalar-by-vector/quadratic-compute");
    let e = a.exercise().unwrap();
    let course = &a.course;
    let loc = find(course, "scalar-by-vector/quadratic-compute").unwrap();
    let p = problem(loc.ex).unwrap();
    let inst = compute_instance(&p, loc.ex, e.seed).unwrap();
    let d = p.derivative(&inst).unwrap();
    let literal = |m: &nalgebra::DMatrix<f64>| {
        let rows: Vec<String> = (0..m.nrows())
            .map(|i| {
                m.row(i)
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        format!("[{}]", rows.join("; "))
    };
    let mut wrong = d.clone();
    wrong[(1, 0)] += 1.0;
    press(&mut a, &format!("{}<Enter>", literal(&wrong)));
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert_eq!(
        a.exercise()
            .unwrap()
            .outcome
            .as_ref()
            .unwrap()
            .wrong_entries,
        vec![(2, 1)]
    );
    insta::assert_snapshot!("exercise_compute_wrong_entry_80x24", screen(&a));
    press(&mut a, &format!("<C-u>{}<Enter>", literal(&d)));
    assert_eq!(verdict(&a), Some(Verdict::Correct));
}

/// The solution of a compute exercise works the reference answer out on
/// the numbers shown: A + Aᵀ, then (A + Aᵀ)x, whose value is the answer.
#[test]
fn a_compute_solution_is_worked_out_on_the_numbers_shown() {
    let mut a = open_at("scalar-by-vector/quadratic-compute", (120, 40));
    let before = screen(&a);
    assert!(!before.contains("On your numbers"), "{before}");
    press(&mut a, "<F3><F3>");
    let e = a.exercise().unwrap();
    assert!(e.solution);
    let loc = find(&a.course, "scalar-by-vector/quadratic-compute").unwrap();
    let p = problem(loc.ex).unwrap();
    let d = p
        .derivative(&compute_instance(&p, loc.ex, e.seed).unwrap())
        .unwrap();
    let shown = screen(&a);
    assert!(shown.contains("On your numbers"), "{shown}");
    assert!(shown.contains("A + Aᵀ = "), "{shown}");
    let answer_line = shown
        .lines()
        .find(|l| l.contains("(A + Aᵀ)·x = "))
        .unwrap_or_else(|| panic!("{shown}"));
    // The row the label stands on holds one of the gradient's entries.
    let entries: Vec<String> = d.iter().map(|v| v.to_string()).collect();
    assert!(
        entries
            .iter()
            .any(|v| answer_line.contains(&format!(" {v} "))),
        "{answer_line} holds none of {entries:?}"
    );
}

#[test]
fn shape_and_choice_kinds() {
    let mut a = open("notation/gradient-shape");
    let loc = find(&a.course, "notation/gradient-shape").unwrap();
    let want = problem(loc.ex).unwrap().expected;
    press(&mut a, &format!("{} x {}<Enter>", want.cols, want.rows));
    assert_ne!(
        verdict(&a),
        Some(Verdict::Correct),
        "the transposed shape is wrong"
    );
    press(
        &mut a,
        &format!("<C-u>{} x {}<Enter>", want.rows, want.cols),
    );
    assert_eq!(verdict(&a), Some(Verdict::Correct));

    let mut a = open("notation/which-layout");
    let loc = find(&a.course, "notation/which-layout").unwrap();
    // The student types the number the instance shows the choice at.
    let seed = a.exercise().unwrap().seed;
    let file: usize = loc.ex.answer.as_ref().unwrap().get_ref().parse().unwrap();
    let right = shown_choice(loc.ex, seed, file).unwrap().to_string();
    let wrong = if right == "1" { "2" } else { "1" };
    insta::assert_snapshot!("exercise_choice_80x24", screen(&a));
    press(&mut a, &format!("{wrong}<Enter>"));
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    press(&mut a, &format!("<C-u>{right}<Enter>"));
    assert_eq!(verdict(&a), Some(Verdict::Correct));
}

#[test]
fn backprop_step_by_step() {
    let mut a = open("backprop/two-layer-classifier");
    let loc = find(&a.course, "backprop/two-layer-classifier").unwrap();
    let answers: Vec<String> = loc
        .ex
        .steps
        .iter()
        .map(|s| s.answer.get_ref().clone())
        .collect();
    press(&mut a, "y - p<Enter>");
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert_eq!(a.exercise().unwrap().step, 0);
    for (i, ans) in answers.iter().enumerate() {
        press(&mut a, &format!("<C-u>{ans}<Enter>"));
        assert_eq!(verdict(&a), Some(Verdict::Correct), "step {}", i + 1);
        if i == 2 {
            insta::assert_snapshot!("exercise_backprop_step4_80x24", screen(&a));
        }
    }
    assert!(a.exercise().unwrap().solved);
}

#[test]
fn hints_solution_history_and_another_variant() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "<F2><F2><F2><F2>");
    let hints = a.course.lessons[1]
        .data
        .exercises
        .iter()
        .find(|e| e.id.get_ref() == "quadratic-form")
        .unwrap()
        .hints
        .len();
    assert_eq!(a.exercise().unwrap().hints, hints, "hints stop at the last");
    assert!(screen(&a).contains("Hint 1:"));
    press(&mut a, "2x<Enter><C-u>");
    press(&mut a, "<Up>");
    assert_eq!(
        a.exercise().unwrap().input.text(),
        "2x",
        "↑ recalls the last answer"
    );
    // Giving up asks first (issue 15): one F3 only asks.
    press(&mut a, "<F3>");
    assert!(!a.exercise().unwrap().solution);
    assert!(screen(&a).contains("giving up"), "{}", screen(&a));
    press(&mut a, "<F3>");
    assert!(a.exercise().unwrap().solution);
    let seed = a.exercise().unwrap().seed;
    press(&mut a, "<F4>");
    let e = a.exercise().unwrap();
    assert_ne!(e.seed, seed, "another one is a fresh variant");
    assert!(e.outcome.is_none() && e.hints == 0 && !e.solution);
}

#[test]
fn esc_leaves_the_exercise_and_editing_keys_work() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "ab<Left>x<BS><BS>c");
    assert_eq!(a.exercise().unwrap().input.text(), "cb");
    press(&mut a, "<Esc>");
    assert!(a.exercise().is_none() && a.reader().is_some() && !a.quit);
}

#[test]
fn the_answer_box_edits_like_a_shell() {
    let mut a = open("scalar-by-vector/quadratic-form");
    let text = |a: &App| a.exercise().unwrap().input.text();
    // Ctrl-W deletes back to the space, and is not giving up.
    press(&mut a, "(A + A') x<C-w>");
    assert_eq!(text(&a), "(A + A') ");
    let e = a.exercise().unwrap();
    assert!(!e.solution && e.derivation.is_none(), "Ctrl-W gave up");
    // Alt-Backspace deletes a word; Ctrl-Y puts the last deletion back.
    press(&mut a, "<M-BS>");
    assert_eq!(text(&a), "(A + ");
    press(&mut a, "<C-y>");
    assert_eq!(text(&a), "(A + A') ");
    // Ctrl-A / Ctrl-E and Home / End go to the ends, Ctrl-K kills to the end.
    press(&mut a, "<C-a>2 <C-e>x<Home><Del><Del><End><BS>");
    assert_eq!(text(&a), "(A + A') ");
    press(&mut a, "<C-a><M-f><M-f><C-k>");
    assert_eq!(text(&a), "(A + A");
    // Alt-B back a word, then Ctrl-U kills back to the start.
    press(&mut a, "<M-b><C-u>");
    assert_eq!(text(&a), "A");
    press(&mut a, "<C-e> + A')x<C-a>(<Enter>");
    assert_eq!(verdict(&a), Some(Verdict::Correct), "{}", screen(&a));
}

#[test]
fn scrolling_the_exercise_moved_off_the_editing_keys() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "<C-Down><C-Down>");
    assert_eq!(a.exercise().unwrap().scroll, 2);
    press(&mut a, "<C-Up>");
    assert_eq!(a.exercise().unwrap().scroll, 1);
    // Ctrl-D and Ctrl-E edit now: delete under the cursor, go to the end.
    press(&mut a, "ab<Left><Left><C-d><C-e>c");
    assert_eq!(a.exercise().unwrap().input.text(), "bc");
}

#[test]
fn the_caret_stands_under_wide_characters_by_their_width() {
    use nabla_engine::text::width::str_width;
    let mut a = open("scalar-by-vector/quadratic-form");
    // Two wide characters (four columns) and a space before the `$`.
    press(&mut a, "漢字 $");
    let s = screen(&a);
    let rows: Vec<&str> = s.lines().collect();
    let typed = rows
        .iter()
        .position(|r| r.contains("› 漢字"))
        .expect("the box");
    let dollar = str_width(&rows[typed][..rows[typed].find('$').expect("the $")]);
    let caret_row = rows[typed + 2];
    let caret = str_width(&caret_row[..caret_row.find('^').expect("a caret")]);
    assert_eq!(caret, dollar, "the caret is not under the $\n{s}");
}

#[test]
fn a_quiz_runs_through_its_exercises() {
    let mut a = app(super::app::Start::Home, (80, 24));
    press(&mut a, "z");
    let n = a.quiz.as_ref().unwrap().ids.len();
    assert_eq!(n, 10);
    assert!(screen(&a).contains("quiz 1/10"));
    for _ in 0..n {
        press(&mut a, "<PgDn>");
    }
    assert!(a.quiz.is_none() && a.exercise().is_none());
    let s = a.summary().expect("a summary at the end");
    assert_eq!(
        (s.asked, s.first_time, s.review.len()),
        (10, 0, 10),
        "all skipped: all to review"
    );
    assert!(screen(&a).contains("Quiz finished"));
    // Elapsed time varies from run to run; pin it for the snapshot.
    a.screens.summary_mut().unwrap().seconds = 75;
    insta::assert_snapshot!("quiz_summary_80x24", screen(&a));
    press(&mut a, "<Esc>");
    assert!(a.summary().is_none() && !a.quit);
}

/// In an assignment, the tutor says when an answer is the last that counts
/// and when answers stop counting (they are still graded, for practice);
/// answers from earlier sessions count towards the limit.
#[test]
fn an_assignment_says_when_answers_stop_counting() {
    let id = "scalar-by-vector/quadratic-form";
    let mut a = app(super::app::Start::Home, (80, 24));
    a.fixed_seeds.insert(id.to_string(), 77);
    let mut rule = super::app::AttemptRule {
        limit: 3,
        ..Default::default()
    };
    rule.answered.insert((id.to_string(), None), 1);
    a.attempt_rule = Some(rule);
    a.start_quiz(vec![id.to_string()]);
    assert_eq!(a.exercise().unwrap().seed, 77);
    press(&mut a, "2 A x<Enter>");
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert!(a.notice.is_none(), "{:?}", a.notice);
    press(&mut a, "<C-u>A x<Enter>");
    let told = a.notice.clone().unwrap_or_default();
    assert!(told.contains("the last of the 3 answers"), "{told}");
    press(&mut a, "<C-u>(A + A') x<Enter>");
    assert_eq!(verdict(&a), Some(Verdict::Correct), "still graded");
    let told = a.notice.clone().unwrap_or_default();
    assert!(told.contains("does not count for the assignment"), "{told}");
    // Practice on another instance is not the assignment's business.
    let mut a = app(super::app::Start::Home, (80, 24));
    a.attempt_rule = Some(super::app::AttemptRule {
        limit: 1,
        ..Default::default()
    });
    a.start_quiz(vec![id.to_string()]);
    press(&mut a, "2 A x<Enter><C-u>A x<Enter>");
    assert!(a.notice.is_none(), "{:?}", a.notice);
}

#[test]
fn compute_answers_can_be_entered_in_a_grid() {
    let mut a = open("scalar-by-vector/quadratic-compute");
    let e = a.exercise().unwrap();
    let loc = find(&a.course, "scalar-by-vector/quadratic-compute").unwrap();
    let p = problem(loc.ex).unwrap();
    let d = p
        .derivative(&compute_instance(&p, loc.ex, e.seed).unwrap())
        .unwrap();
    press(&mut a, "<C-g>");
    assert!(
        a.exercise().unwrap().grid.is_some(),
        "Ctrl-G opens a grid of the expected shape"
    );
    press(&mut a, &format!("{}", d[(0, 0)]));
    assert!(
        matches!(a.exercise().unwrap().preview, Preview::Error { .. }),
        "an empty cell is pointed out"
    );
    press(&mut a, &format!("<Tab>{}<Enter>", d[(1, 0)]));
    assert_eq!(verdict(&a), Some(Verdict::Correct));
    insta::assert_snapshot!("exercise_compute_grid_80x24", screen(&a));
}

#[test]
fn every_derive_exercise_shows_nablas_derivation() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "<F6><F6>");
    let e = a.exercise().unwrap();
    assert!(
        e.solution,
        "seeing the derivation first counts as giving up"
    );
    let s = screen(&a);
    assert!(
        s.contains("nabla's derivation") && s.contains("(A + Aᵀ)·x"),
        "{s}"
    );
    insta::assert_snapshot!("exercise_derivation_80x24", s);
    // Every derive exercise of the course gets one.
    let course = nabla_engine::lesson::load::builtin();
    for loc in nabla_engine::lesson::exercise::all(&course) {
        if loc.kind() == Ok(nabla_engine::lesson::Kind::Derive) {
            let d = nabla_engine::lesson::kinds::derivation(loc, 0);
            assert!(d.is_ok(), "{}: {:?}", loc.id(), d.err());
        }
    }
    // And each step of a backprop exercise.
    let mut b = open("backprop/two-layer-classifier");
    press(&mut b, "<F6><F6>");
    assert!(screen(&b).contains("nabla's derivation"));
}

/// An answer that is undefined where F is fine (here: the log of x, which
/// has negative entries at some trial points) is graded incorrect, costs an
/// attempt, and the student is told what failed and where.
#[test]
fn an_answer_undefined_where_f_is_fine_is_wrong_and_says_where() {
    let mut a = open("scalar-by-vector/sum-exp");
    press(&mut a, "exp(log(x)) .* exp(x) ./ x<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(verdict(&a), Some(Verdict::Incorrect));
    assert_eq!(e.attempts, 1);
    let message = &e.outcome.as_ref().unwrap().grade.message;
    assert!(
        message.contains("not defined") && message.contains("log(x)"),
        "{message}"
    );
    assert!(screen(&a).contains("not defined"), "{}", screen(&a));
}

#[test]
fn a_missing_transpose_is_named_and_counted() {
    let mut a = open("scalar-by-vector/bilinear");
    // A is m×n and b has m entries: A b does not type-check.
    press(&mut a, "A b");
    assert!(matches!(
        a.exercise().unwrap().preview,
        Preview::Error { gradable: true, .. }
    ));
    press(&mut a, "<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(e.attempts, 1, "the slip counts as an attempt");
    let o = e.outcome.as_ref().expect("graded");
    assert_eq!(o.grade.verdict, Verdict::Incorrect);
    assert_eq!(
        o.grade.diagnosis,
        Some(nabla_engine::grade::Diagnosis::Transpose)
    );
    let s = screen(&a);
    assert!(s.contains("did you mean") && s.contains("Aᵀ·b?"), "{s}");
    // An answer no transpose rescues still costs nothing.
    press(&mut a, "<C-u>A + b<Enter>");
    assert_eq!(a.exercise().unwrap().attempts, 1);
}

#[test]
fn a_narrow_header_wraps_and_keeps_its_count() {
    let mut a = open("scalar-by-vector/bilinear");
    let exercises = &a.course.lessons[1].data.exercises;
    let at = exercises
        .iter()
        .position(|e| e.id.get_ref() == "bilinear")
        .unwrap();
    let count = format!("{}/{}", at + 1, exercises.len());
    a.update(Action::Resize(46, 20));
    let s = screen(&a);
    assert!(s.contains(&count), "the count {count} is cut\n{s}");
    assert!(s.contains("› "), "the answer box is still there\n{s}");
}

#[test]
fn feedback_comes_in_steps_and_the_answer_after_three_misses() {
    let mut a = open("scalar-by-vector/quadratic-form");
    press(&mut a, "2 A x<Enter>");
    let e = a.exercise().unwrap();
    let c = e.coaching.clone().expect("a miss is coached");
    assert!(
        c.feedback.is_some(),
        "the known mistake's feedback is shown"
    );
    assert_eq!((e.hints, e.solution), (0, false), "no hint, no answer yet");
    assert_eq!(c.misses_left, Some(2));
    let s = screen(&a);
    assert!(
        !s.contains("Worked solution") && !s.contains("Hint 1:"),
        "{s}"
    );
    assert!(s.contains("F2: a hint"), "{s}");

    press(&mut a, "<C-u>A x<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(
        (e.hints, e.solution),
        (1, false),
        "the second miss opens a hint"
    );
    let s = screen(&a);
    assert!(s.contains("Hint 1 is open above."), "{s}");

    press(&mut a, "<C-u>2 x<Enter>");
    let e = a.exercise().unwrap();
    assert!(e.solution, "the third miss shows the answer");
    assert!(e.coaching.as_ref().unwrap().reveal);
    press(&mut a, "<C-u>(A + A')x<Enter>");
    assert_eq!(verdict(&a), Some(Verdict::Correct));
    let e = a.exercise().unwrap();
    assert!(e.coaching.is_none());
    assert_eq!(
        e.ratings.rating(),
        nabla_engine::progress::schedule::Rating::Again,
        "solved after the answer was shown is not recalled"
    );
}

#[test]
fn a_right_answer_after_a_miss_clears_the_coaching_and_no_hint_opens_on_the_first_miss() {
    let mut a = open("scalar-by-vector/linear-flipped");
    press(&mut a, "a'<Enter>");
    let e = a.exercise().unwrap();
    assert_eq!(e.hints, 0);
    assert!(e.coaching.is_some());
    press(&mut a, "<C-u>a<Enter>");
    let e = a.exercise().unwrap();
    assert!(e.solved && e.coaching.is_none() && e.opened_hint.is_none());
}
