//! `nabla progress [--history [--lesson L] [--json]] [--export json|csv]
//! [--reset [--yes]]`: a summary per lesson of the course with the mistakes
//! counted by kind, the log of past attempts, the whole log exported, or a
//! fresh start (the old database moved aside, never deleted). Uses the
//! global `--progress FILE`; messages about a damaged file go to stderr.
//! Everything printed goes through the sanitiser (`say!`, `print_json`):
//! exercise ids come from lesson packs.

use std::io::IsTerminal;
use std::process::ExitCode;

use nabla_engine::lesson::exercise::Located;
use nabla_engine::progress::history::{LoggedAttempt, LoggedReview};
use nabla_engine::progress::{self, MistakeKind, Progress, Store};
use serde_json::{Value, json};

use super::args::{ExportFormat, Global, ProgressArgs};
use super::output::{BAD_INPUT, OK, exit, load_course, print_json};

pub fn run(global: &Global, args: &ProgressArgs) -> ExitCode {
    let (mut store, message) = Store::open(global.progress.as_deref());
    if let Some(m) = message {
        tell!("nabla: {m}");
    }
    if args.reset {
        return reset(&mut store, args.yes);
    }
    if args.history {
        return history(&mut store, args.lesson.as_deref(), args.json);
    }
    match args.export {
        Some(format) => export(&mut store, format),
        None => {
            summary(global, &store);
            exit(OK)
        }
    }
}

fn reset(store: &mut Store, yes: bool) -> ExitCode {
    let shown = store.path.display().to_string();
    if !yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            tell!(
                "nabla: --reset moves your progress in {shown} aside; not on a terminal, so it needs --yes to go ahead."
            );
            return exit(BAD_INPUT);
        }
        tell!("Move the progress in {shown} aside and start afresh? [y/N] ");
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_err()
            || !matches!(line.trim(), "y" | "Y" | "yes" | "Yes")
        {
            say!("Nothing was changed.");
            return exit(OK);
        }
    }
    match store.reset() {
        Ok(Some(old)) => say!(
            "Progress reset. The old progress was moved to {} (delete it yourself if you do not want it).",
            old.display()
        ),
        Ok(None) => say!("There was no progress to reset in {shown}."),
        Err(e) => {
            tell!("nabla: could not move the progress file {shown} aside: {e}");
            return exit(BAD_INPUT);
        }
    }
    exit(OK)
}

fn history(store: &mut Store, lesson: Option<&str>, as_json: bool) -> ExitCode {
    let attempts = match store.history(lesson) {
        Ok(a) => a,
        Err(e) => {
            tell!("nabla: could not read the history: {e}");
            return exit(BAD_INPUT);
        }
    };
    if as_json {
        print_json(&json!({
            "schema_version": 1,
            "attempts": attempts.iter().map(attempt_json).collect::<Vec<_>>(),
        }));
        return exit(OK);
    }
    if attempts.is_empty() {
        say!(
            "No attempts recorded yet{}.",
            lesson.map_or(String::new(), |l| format!(" in {l}"))
        );
        return exit(OK);
    }
    for a in &attempts {
        say!("{}", history_line(a));
    }
    say!("{}.", plural(attempts.len() as u64, "attempt"));
    exit(OK)
}

/// One attempt on one line: when, which, how it went, what was typed.
fn history_line(la: &LoggedAttempt) -> String {
    let a = &la.attempt;
    let step = a.step.map_or(String::new(), |s| format!(" step {}", s + 1));
    let verdict = match a.kind {
        None if a.correct => "right".to_string(),
        None => "wrong".to_string(),
        Some(k) => kind_phrase(k),
    };
    let mut help = Vec::new();
    if a.hints > 0 {
        help.push(plural(u64::from(a.hints), "hint"));
    }
    if a.solution {
        help.push("solution shown".to_string());
    }
    if let Some(ms) = a.millis {
        help.push(format!("{:.1} s", ms as f64 / 1000.0));
    }
    let help = if help.is_empty() {
        String::new()
    } else {
        format!("  ({})", help.join(", "))
    };
    format!(
        "{}  {}{step}  {verdict}: {}{help}",
        utc(a.at),
        a.exercise,
        a.answer
    )
}

/// A kind in words, with the factor of a constant-factor slip.
fn kind_phrase(k: MistakeKind) -> String {
    let words = MistakeKind::words(k.code());
    match k.factor() {
        Some(f) if f.is_finite() => format!("{words} (×{})", trim_float(f)),
        _ => words.to_string(),
    }
}

fn trim_float(f: f64) -> String {
    let s = format!("{f:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One attempt as docs/json.md has it.
fn attempt_json(la: &LoggedAttempt) -> Value {
    let a = &la.attempt;
    json!({
        "id": la.id,
        "at": a.at,
        "exercise": a.exercise,
        "lesson_file": a.lesson_file,
        "exercise_version": a.exercise_version,
        "seed": a.seed,
        "step": a.step.map(|s| s + 1),
        "answer": a.answer,
        "correct": a.correct,
        "completes": a.completes,
        "kind": a.kind.map(MistakeKind::code),
        "factor": a.kind.and_then(MistakeKind::factor).filter(|f| f.is_finite()),
        "mistake": a.mistake,
        "hints": a.hints,
        "solution": a.solution,
        "millis": a.millis,
    })
}

fn review_json(r: &LoggedReview) -> Value {
    json!({"id": r.id, "at": r.at, "exercise": r.exercise, "rating": r.rating})
}

fn export(store: &mut Store, format: ExportFormat) -> ExitCode {
    let (attempts, reviews) = match store.history(None).and_then(|a| Ok((a, store.reviews()?))) {
        Ok(x) => x,
        Err(e) => {
            tell!("nabla: could not export the progress: {e}");
            return exit(BAD_INPUT);
        }
    };
    match format {
        ExportFormat::Json => {
            let p = store.progress();
            print_json(&json!({
                "schema_version": 1,
                "attempts": attempts.iter().map(attempt_json).collect::<Vec<_>>(),
                "reviews": reviews.iter().map(review_json).collect::<Vec<_>>(),
                "quizzes": serde_json::to_value(&p.quizzes).unwrap_or_default(),
                "exercises": serde_json::to_value(&p.exercises).unwrap_or_default(),
            }));
        }
        ExportFormat::Csv => {
            say!("{}", CSV_COLUMNS.join(","));
            for a in &attempts {
                let v = attempt_json(a);
                let row: Vec<String> = CSV_COLUMNS.iter().map(|c| csv_field(&v[*c])).collect();
                say!("{}", row.join(","));
            }
        }
    }
    exit(OK)
}

/// The columns of `--export csv`: one row per attempt, the fields of the
/// JSON attempt object.
const CSV_COLUMNS: [&str; 16] = [
    "id",
    "at",
    "exercise",
    "lesson_file",
    "exercise_version",
    "seed",
    "step",
    "answer",
    "correct",
    "completes",
    "kind",
    "factor",
    "mistake",
    "hints",
    "solution",
    "millis",
];

/// A CSV field (RFC 4180): empty for null, quoted when it holds a comma, a
/// quote or a line break.
fn csv_field(v: &Value) -> String {
    let s = match v {
        Value::Null => return String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn summary(global: &Global, store: &Store) {
    let p = store.progress();
    let now = progress::now();
    let course = load_course(global);
    say!("Progress file: {}", store.path.display());
    if p.exercises.is_empty() && p.quizzes.is_empty() {
        say!("No answers recorded yet.");
    }
    say!("");

    let mut in_course = std::collections::HashSet::new();
    for lesson in &course.lessons {
        let ids: Vec<String> = lesson
            .data
            .exercises
            .iter()
            .map(|ex| Located { lesson, ex }.id())
            .collect();
        in_course.extend(ids.iter().cloned());
        let (solved, total) = p.lesson_completion(lesson.id(), &ids);
        let attempts: u32 = ids
            .iter()
            .filter_map(|id| p.exercises.get(id))
            .map(|e| e.attempts)
            .sum();
        let opened = p.lessons.get(lesson.id()).is_some_and(|l| l.opened);
        let marker = if total > 0 && solved == total {
            "✓"
        } else if opened || attempts > 0 {
            "·"
        } else {
            " "
        };
        say!("{marker} {}  {}", lesson.id(), lesson.title());
        let mut line = format!(
            "    solved {solved}/{total}, {}",
            plural(u64::from(attempts), "attempt")
        );
        let mistakes = p.diagnosis_totals(ids.iter().map(String::as_str));
        if !mistakes.is_empty() {
            let top: Vec<String> = mistakes
                .iter()
                .take(3)
                .map(|(d, n)| format!("{} ×{n}", MistakeKind::words(d)))
                .collect();
            line.push_str(&format!("; most common mistakes: {}", top.join(", ")));
        }
        say!("{line}");
    }
    let elsewhere = p
        .exercises
        .keys()
        .filter(|id| !in_course.contains(*id))
        .count();
    if elsewhere > 0 {
        say!(
            "  (and {} from lessons not in this course)",
            plural(elsewhere as u64, "exercise")
        );
    }
    say!("");

    let all = p.diagnosis_totals(p.exercises.keys().map(String::as_str));
    if !all.is_empty() {
        let by_kind: Vec<String> = all
            .iter()
            .map(|(d, n)| format!("{} ×{n}", MistakeKind::words(d)))
            .collect();
        say!("Mistakes by kind: {}.", by_kind.join(", "));
    }
    reviews(p, now);
    match p.quizzes.last() {
        Some(q) => {
            let lessons = if q.lessons.is_empty() {
                String::new()
            } else {
                format!(" on {}", q.lessons.join(", "))
            };
            say!(
                "Last quiz: {}{lessons}: {} of {} right first time, in {}.",
                ago(now - q.finished_at),
                q.correct_first_time,
                q.asked,
                span(i64::from(q.seconds)),
            );
            if p.quizzes.len() > 1 {
                say!("Quizzes taken: {}.", p.quizzes.len());
            }
        }
        None => say!("No quiz taken yet (`nabla quiz`)."),
    }
}

fn reviews(p: &Progress, now: i64) {
    let due = p.due(now);
    if due.is_empty() {
        say!("No reviews due now.");
    } else {
        let mut shown: Vec<&str> = due.iter().take(5).map(String::as_str).collect();
        if due.len() > 5 {
            shown.push("…");
        }
        say!("Reviews due now: {} ({}).", due.len(), shown.join(", "));
    }
    if let Some((id, at)) = p.next_review(now) {
        say!("Next review: {id}, in {}.", span(at - now));
    }
}

/// "3 attempts", "1 attempt".
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A length of time in words: "40 seconds", "5 minutes", "3 hours", "2 days".
fn span(secs: i64) -> String {
    let s = secs.max(0);
    let (n, unit) = match s {
        0..60 => (s, "second"),
        60..3600 => (s / 60, "minute"),
        3600..86_400 => (s / 3600, "hour"),
        _ => (s / 86_400, "day"),
    };
    plural(u64::try_from(n).unwrap_or(0), unit)
}

fn ago(secs: i64) -> String {
    if secs < 60 {
        "just now".to_string()
    } else {
        format!("{} ago", span(secs))
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM` UTC (days to a civil date by Howard
/// Hinnant's algorithm: no date library for one line of output).
fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_times() {
        assert_eq!(span(1), "1 second");
        assert_eq!(span(125), "2 minutes");
        assert_eq!(span(7200), "2 hours");
        assert_eq!(span(3 * 86_400 + 5), "3 days");
        assert_eq!(ago(10), "just now");
        assert_eq!(ago(3600), "1 hour ago");
    }

    #[test]
    fn dates_and_csv_fields() {
        assert_eq!(utc(0), "1970-01-01 00:00");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00");
        assert_eq!(csv_field(&json!(null)), "");
        assert_eq!(csv_field(&json!("a,b")), "\"a,b\"");
        assert_eq!(csv_field(&json!("say \"x\"")), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field(&json!(3)), "3");
        assert_eq!(
            kind_phrase(MistakeKind::Scale { factor: 2.0 }),
            "constant factors (×2)"
        );
    }
}
