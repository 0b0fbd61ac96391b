//! The parsed form of a math formula. Parsing validates everything, so the
//! layout code that walks this tree cannot fail.

use super::super::style::Style;
use super::super::symbols::Class;

/// One node of a formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Text drawn as-is: a letter, digit, symbol, operator or function name.
    Atom {
        text: String,
        class: Class,
        style: Style,
        /// For big operators and `\max`-like functions: limits go above and
        /// below in display style.
        limits: bool,
    },
    /// A braced group; it behaves as one ordinary atom.
    Group(Vec<Node>),
    Frac {
        num: Vec<Node>,
        den: Vec<Node>,
    },
    /// `\binom{n}{k}`.
    Binom {
        top: Vec<Node>,
        bottom: Vec<Node>,
    },
    Scripts {
        base: Box<Node>,
        sup: Option<Vec<Node>>,
        sub: Option<Vec<Node>>,
    },
    /// `\overset`/`\underset`/`\stackrel`: annotations centred over/under.
    Stack {
        base: Box<Node>,
        over: Option<Vec<Node>>,
        under: Option<Vec<Node>>,
    },
    Sqrt {
        index: Option<Vec<Node>>,
        body: Vec<Node>,
    },
    Accent {
        /// Combining mark for a single character.
        mark: char,
        /// Name used in the prefix form for longer bodies (`hat(AB)`).
        name: &'static str,
        body: Vec<Node>,
    },
    /// `\left … \middle … \right`: `parts` are separated by `middles`.
    Delimited {
        left: &'static str,
        right: &'static str,
        parts: Vec<Vec<Node>>,
        middles: Vec<&'static str>,
    },
    Matrix(Matrix),
    /// Explicit horizontal space, in columns.
    Space(usize),
}

/// Column alignment in matrix-like environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Which environment a [`Matrix`] came from; decides delimiters and gaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Env {
    /// `matrix`, `pmatrix`, `bmatrix`, … with their delimiters.
    Matrix {
        left: &'static str,
        right: &'static str,
    },
    /// `cases`: a left brace, left-aligned columns.
    Cases,
    /// `aligned`/`align*`: right/left column pairs, no gap.
    Aligned,
    /// `gathered`: one centred column.
    Gathered,
    /// `array` with an explicit column spec.
    Array,
}

/// A grid of cells from a matrix-like environment.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub env: Env,
    pub rows: Vec<Vec<Vec<Node>>>,
    /// Alignment per column; the last entry repeats for extra columns.
    pub align: Vec<Align>,
}

impl Matrix {
    pub fn align_of(&self, column: usize) -> Align {
        self.align
            .get(column)
            .or(self.align.last())
            .copied()
            .unwrap_or(Align::Center)
    }

    pub fn columns(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}
