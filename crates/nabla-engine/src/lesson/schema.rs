//! The lesson file format (see `docs/authoring.md`): strict serde structs —
//! an unknown field, a missing field or a wrong type is an error at
//! `file:line:column` — with the span of every value lint may complain about.
//!
//! The one definition of the format: `build.rs` includes this file by path to
//! check the built-in course and store it pre-parsed (serialized), and
//! `load` reads that form back. So this module uses nothing of the crate but
//! `spanned` (also included by path); methods that need the engine live
//! beside their users (`Given::to_decls` in `exercise`).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::spanned::Spanned;

/// The newest format this build reads.
pub const FORMAT: i64 = 1;

#[derive(Clone, Debug, Deserialize, Serialize)]
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
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct FormatOnly {
    pub format: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: Spanned<String>,
    pub body: Spanned<String>,
}

/// Declarations: `"A: m x n; x: n"` or `{ A = "m x n", x = "n" }`.
#[derive(Debug, Serialize, Clone)]
pub enum Given {
    Text(String),
    Table(BTreeMap<String, String>),
}

/// TOML says which `Given` it is by the value's type (untagged); a compact
/// form cannot be read that way (it has no types to look at), so there the
/// variant is tagged, as `Given` is serialized.
impl<'de> Deserialize<'de> for Given {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(
            untagged,
            expecting = "`given` is a string like \"A: m x n; x: n\" or a table of strings like { A = \"m x n\", x = \"n\" }"
        )]
        enum Written {
            Text(String),
            Table(BTreeMap<String, String>),
        }
        #[derive(Deserialize)]
        enum Tagged {
            Text(String),
            Table(BTreeMap<String, String>),
        }
        Ok(if d.is_human_readable() {
            match Written::deserialize(d)? {
                Written::Text(t) => Given::Text(t),
                Written::Table(m) => Given::Table(m),
            }
        } else {
            match Tagged::deserialize(d)? {
                Tagged::Text(t) => Given::Text(t),
                Tagged::Table(m) => Given::Table(m),
            }
        })
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Deserialize, Serialize)]
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
    /// What the prompt calls F (`r`, `y`, `L`): the grader's messages say
    /// it instead of "F" ("the Jacobian of y by x is …"). Backprop
    /// exercises are "the loss" when absent.
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub layout: Option<Spanned<String>>,
    #[serde(default)]
    pub answer: Option<Spanned<String>>,
    /// `derive`: names an answer may use for longer expressions
    /// (`let = { p = "softmax(z)" }`), shown with the prompt; each stands for
    /// its expression on every instance.
    #[serde(default, rename = "let")]
    pub aliases: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub choices: Vec<Spanned<String>>,
    /// `choice`: whether the choices are shown in an order of their own on
    /// each instance (true when absent); false keeps the file's order, for
    /// choices that refer to each other ("both of the above").
    #[serde(default)]
    pub shuffle: Option<Spanned<bool>>,
    /// `derive`, `compute`, `backprop`: whether the answer box marks the
    /// answer's shape as the one asked for (✓) or not (✗) while it is typed
    /// (true when absent); false where the shape is what the exercise
    /// teaches (a Jacobian's layout), so the mark would give it away.
    #[serde(default)]
    pub shape_preview: Option<Spanned<bool>>,
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
    /// Wrong answers to a step before the tutor shows the answer (3 when
    /// absent; 0: only when the student asks). See `coaching`.
    #[serde(default)]
    pub reveal_after: Option<Spanned<u32>>,
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Mistake>,
}

/// One step of a `backprop` exercise: the gradient by one name.
#[derive(Clone, Debug, Deserialize, Serialize)]
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

#[derive(Clone, Debug, Deserialize, Serialize)]
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
