//! `nabla progress [--reset] [--export json]`: a summary of the student's
//! progress per lesson of the course, the whole record as JSON, or a fresh
//! start (the old file moved aside, never deleted). Uses the global
//! `--progress FILE`; messages about a damaged file go to stderr.

use std::process::ExitCode;

use nabla_engine::lesson::exercise::Located;
use nabla_engine::progress::{self, Progress, Store};

use super::args::{ExportFormat, Global, ProgressArgs};
use super::output::{BAD_INPUT, OK, exit, load_course};

pub fn run(global: &Global, args: &ProgressArgs) -> ExitCode {
    let (mut store, message) = Store::open(global.progress.as_deref());
    if let Some(m) = message {
        tell!("nabla: {m}");
    }
    if args.reset {
        return reset(&mut store);
    }
    if let Some(ExportFormat::Json) = args.export {
        match serde_json::to_string_pretty(&store.progress) {
            Ok(text) => say!("{text}"),
            Err(e) => {
                tell!("nabla: could not export the progress: {e}");
                return exit(BAD_INPUT);
            }
        }
        return exit(OK);
    }
    summary(global, &store);
    exit(OK)
}

fn reset(store: &mut Store) -> ExitCode {
    let shown = store.path.display().to_string();
    let aside = match store.reset() {
        Ok(aside) => aside,
        Err(e) => {
            tell!("nabla: could not move the progress file {shown} aside: {e}");
            return exit(BAD_INPUT);
        }
    };
    if let Err(e) = store.save() {
        tell!("nabla: could not write the progress file {shown}: {e}");
        return exit(BAD_INPUT);
    }
    match aside {
        Some(old) => say!(
            "Progress reset. The old progress was moved to {} (delete it yourself if you do not want it).",
            old.display()
        ),
        None => say!("There was no progress to reset; {shown} now holds fresh progress."),
    }
    exit(OK)
}

fn summary(global: &Global, store: &Store) {
    let p = &store.progress;
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
            plural(attempts, "attempt")
        );
        let mistakes = p.diagnosis_totals(ids.iter().map(String::as_str));
        if !mistakes.is_empty() {
            let top: Vec<String> = mistakes
                .iter()
                .take(3)
                .map(|(d, n)| format!("{} ×{n}", diagnosis_name(d)))
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
            plural(u32::try_from(elsewhere).unwrap_or(u32::MAX), "exercise")
        );
    }
    say!("");

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
fn plural(n: u32, word: &str) -> String {
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
    plural(u32::try_from(n).unwrap_or(u32::MAX), unit)
}

fn ago(secs: i64) -> String {
    if secs < 60 {
        "just now".to_string()
    } else {
        format!("{} ago", span(secs))
    }
}

/// The diagnosis codes in a student's words.
fn diagnosis_name(code: &str) -> &str {
    match code {
        "transpose" => "transposed",
        "sign" => "sign",
        "scale" => "constant factor",
        "symmetric_only" => "assumed symmetric",
        "known_mistake" => "known mistake",
        "wrong_shape" => "wrong shape",
        "incorrect" => "other",
        other => other,
    }
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
}
