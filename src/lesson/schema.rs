//! The lesson file format (see `docs/authoring.md`): strict serde structs —
//! an unknown field, a missing field or a wrong type is an error at
//! `file:line:column` — with the span of every value lint may complain about.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The newest format this build reads.
pub const FORMAT: i64 = 1;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    pub format: Spanned<i64>,
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub order: i64,
    #[serde(default)]
    pub summary: Option<Spanned<String>>,
    #[serde(default, rename = "section")]
    pub sections: Vec<Section>,
    #[serde(default, rename = "identity")]
    pub identities: Vec<Identity>,
    #[serde(default, rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

/// Only `format` is read first, so a file from a newer nabla is refused with
/// a clear message rather than with whatever field it added.
#[derive(Clone, Debug, Deserialize)]
pub struct FormatOnly {
    pub format: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: Spanned<String>,
    pub body: Spanned<String>,
}

/// Declarations: `"A: m x n; x: n"` or `{ A = "m x n", x = "n" }`.
#[derive(Debug, Deserialize, Clone)]
#[serde(
    untagged,
    expecting = "`given` is a string like \"A: m x n; x: n\" or a table of strings like { A = \"m x n\", x = \"n\" }"
)]
pub enum Given {
    Text(String),
    Table(BTreeMap<String, String>),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub name: Spanned<String>,
    pub statement: Spanned<String>,
    pub given: Spanned<Given>,
    pub f: Spanned<String>,
    pub wrt: Spanned<String>,
    pub result: Spanned<String>,
    #[serde(default)]
    pub derivation: Vec<Spanned<String>>,
    #[serde(default)]
    pub layout: Option<Spanned<String>>,
    /// Shown under the statement (e.g. "the special case of symmetric A").
    #[serde(default)]
    pub note: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub title: Spanned<String>,
    pub prompt: Spanned<String>,
    #[serde(default)]
    pub given: Option<Spanned<Given>>,
    #[serde(default)]
    pub f: Option<Spanned<String>>,
    #[serde(default)]
    pub wrt: Option<Spanned<String>>,
    #[serde(default)]
    pub layout: Option<Spanned<String>>,
    #[serde(default)]
    pub answer: Option<Spanned<String>>,
    #[serde(default)]
    pub choices: Vec<Spanned<String>>,
    /// `compute`: the integer range of the random entries.
    #[serde(default)]
    pub range: Option<Spanned<[i64; 2]>>,
    /// `compute`: how close each entry must be.
    #[serde(default)]
    pub tolerance: Option<Spanned<f64>>,
    /// `backprop`: the forward pass, `"name = expression"` in order.
    #[serde(default)]
    pub forward: Vec<Spanned<String>>,
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub hints: Vec<Spanned<String>>,
    #[serde(default)]
    pub solution: Option<Spanned<String>>,
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Mistake>,
}

/// One step of a `backprop` exercise: the gradient by one name.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub wrt: Spanned<String>,
    #[serde(default)]
    pub prompt: Option<Spanned<String>>,
    pub answer: Spanned<String>,
    #[serde(default)]
    pub hints: Vec<Spanned<String>>,
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Mistake>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    pub answer: Spanned<String>,
    pub feedback: Spanned<String>,
}

/// The kinds of exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Derive,
    Compute,
    Shape,
    Choice,
    Backprop,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Derive,
        Kind::Compute,
        Kind::Shape,
        Kind::Choice,
        Kind::Backprop,
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Derive => "derive",
            Kind::Compute => "compute",
            Kind::Shape => "shape",
            Kind::Choice => "choice",
            Kind::Backprop => "backprop",
        }
    }
}

impl Given {
    /// The declarations as `(name, spec)` text pairs, in a stable order.
    pub fn to_decls(&self) -> Result<crate::expr::Decls, crate::expr::ExprError> {
        match self {
            Given::Text(t) => crate::expr::Decls::parse(t),
            Given::Table(m) => {
                crate::expr::Decls::from_pairs(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            }
        }
    }
}
