//! An exercise as the engine sees it: found by its `LESSON/EXERCISE` id, with
//! its declarations and the derivative problem it poses.

use super::load::{Course, Lesson};
use super::schema::{Exercise, Given, Kind};
use crate::calculus::{Layout, Problem};
use crate::expr::{Decls, ExprError};

/// An exercise and the lesson it belongs to.
#[derive(Clone, Copy)]
pub struct Located<'a> {
    pub lesson: &'a Lesson,
    pub ex: &'a Exercise,
}

impl Located<'_> {
    pub fn id(&self) -> String {
        format!("{}/{}", self.lesson.id(), self.ex.id.get_ref())
    }

    pub fn kind(&self) -> Result<Kind, String> {
        kind_of(self.ex)
    }
}

pub fn kind_of(ex: &Exercise) -> Result<Kind, String> {
    Kind::parse(ex.kind.get_ref()).ok_or_else(|| {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown kind '{}': the kinds are {}",
            ex.kind.get_ref(),
            kinds.join(", ")
        )
    })
}

/// Every exercise of the course, in order.
pub fn all(course: &Course) -> Vec<Located<'_>> {
    course
        .lessons
        .iter()
        .flat_map(|lesson| {
            lesson
                .data
                .exercises
                .iter()
                .map(move |ex| Located { lesson, ex })
        })
        .collect()
}

/// Finds `LESSON/EXERCISE`; the error says what exists.
pub fn find<'a>(course: &'a Course, id: &str) -> Result<Located<'a>, String> {
    let Some((lesson_id, ex_id)) = id.split_once('/') else {
        return Err(format!(
            "'{id}' is not an exercise id: write LESSON/EXERCISE, as `nabla list` shows them"
        ));
    };
    let lesson = course.lesson(lesson_id).ok_or_else(|| {
        let ids: Vec<&str> = course.lessons.iter().map(Lesson::id).collect();
        format!(
            "no lesson '{lesson_id}': the lessons are {}",
            ids.join(", ")
        )
    })?;
    let ex = lesson
        .data
        .exercises
        .iter()
        .find(|e| e.id.get_ref() == ex_id)
        .ok_or_else(|| {
            let ids: Vec<&str> = lesson
                .data
                .exercises
                .iter()
                .map(|e| e.id.get_ref().as_str())
                .collect();
            format!(
                "no exercise '{ex_id}' in lesson '{lesson_id}': its exercises are {}",
                ids.join(", ")
            )
        })?;
    Ok(Located { lesson, ex })
}

pub fn layout_of(value: Option<&str>) -> Result<Layout, String> {
    match value {
        None | Some("numerator") => Ok(Layout::Numerator),
        Some("denominator") => Ok(Layout::Denominator),
        Some(other) => Err(format!(
            "layout '{other}' is neither 'numerator' nor 'denominator'"
        )),
    }
}

impl Given {
    /// The declarations as `(name, spec)` text pairs, in a stable order.
    /// (Here, not in `schema`: `build.rs` includes the schema, not the engine.)
    pub fn to_decls(&self) -> Result<Decls, ExprError> {
        match self {
            Given::Text(t) => Decls::parse(t),
            Given::Table(m) => Decls::from_pairs(m.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        }
    }
}

pub fn decls_of(ex: &Exercise) -> Result<Decls, String> {
    match &ex.given {
        None => Ok(Decls::default()),
        Some(g) => g
            .get_ref()
            .to_decls()
            .map_err(|e| format!("given: {}", e.message)),
    }
}

/// The derivative a derive, compute or shape exercise asks for.
pub fn problem(ex: &Exercise) -> Result<Problem, String> {
    let name = ex.name.as_ref().map_or("", |n| n.get_ref().as_str());
    unnamed_problem(ex).map(|p| p.named(name))
}

fn unnamed_problem(ex: &Exercise) -> Result<Problem, String> {
    let mut decls = decls_of(ex)?;
    let f = ex.f.as_ref().ok_or("the exercise has no `f`")?;
    let wrt = ex.wrt.as_ref().map(|w| w.get_ref().as_str());
    let layout = layout_of(ex.layout.as_ref().map(|l| l.get_ref().as_str()))?;
    let Some(aliases) = ex.aliases.as_ref().filter(|a| !a.get_ref().is_empty()) else {
        return Problem::new(decls, f.get_ref(), wrt, layout).map_err(|e| e.message);
    };
    // The names become defined names (computed on every instance, as a
    // backprop exercise's forward names), and F is written without them.
    let (forward, definitions) = define_aliases(aliases.get_ref(), &mut decls)?;
    let ast =
        crate::expr::parse(f.get_ref(), Some(&decls)).map_err(|e| format!("f: {}", e.message))?;
    let expanded = crate::expr::print(&super::backprop::expand(&ast, &forward, ""));
    Problem::new(decls, &expanded, wrt, layout)
        .map(|p| p.with_definitions(definitions))
        .map_err(|e| e.message)
}

/// The names of an exercise's `let`, in an order where each is defined
/// before it is used (the table itself is sorted by name).
#[allow(clippy::type_complexity)]
fn define_aliases(
    aliases: &std::collections::BTreeMap<String, String>,
    decls: &mut Decls,
) -> Result<
    (
        Vec<(String, crate::expr::Expr)>,
        Vec<(usize, crate::expr::Typed)>,
    ),
    String,
> {
    let mut forward = Vec::new();
    let mut definitions = Vec::new();
    let mut pending: Vec<(&String, &String)> = aliases.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut last = String::new();
        pending.retain(|(name, src)| {
            if !crate::expr::decl::is_identifier(name) {
                last = format!("let: '{name}' is not a valid name");
                return true;
            }
            match super::backprop::define(decls, &mut definitions, name, src) {
                Ok(()) => {
                    if let Ok(ast) = crate::expr::parse(src, Some(decls)) {
                        forward.push(((*name).clone(), ast));
                    }
                    false
                }
                Err(e) => {
                    last = format!("let: {name} = {src}: {e}");
                    true
                }
            }
        });
        if pending.len() == before {
            return Err(last);
        }
    }
    Ok((forward, definitions))
}
