//! Declarations ("given"): names with a symbolic shape and properties,
//! `A: m x n`, `x: n`, `S: n x n symmetric`, `A, B: n x n`, `s: scalar`.

use std::fmt;

use super::error::{ErrorKind, ExprError, Span};
use super::limits::{MAX_DECL_CHARS, MAX_DECLS, MAX_DIM};

/// One dimension of a shape: a symbol sampled per trial, a fixed size, or (only
/// while inferring, and for names never declared) an unknown.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Sym(String),
    Lit(usize),
    /// An inference variable that nothing pinned down; printed as `?`.
    Var(u32),
    /// A product of sizes (`m·n`, the length of vec(X) for X m×n), kept in
    /// one normal form (`Dim::product`): symbols sorted, at most one literal
    /// factor, first, and never a lone factor — so equal products are equal.
    Prod(Vec<Dim>),
}

impl Dim {
    pub fn one() -> Dim {
        Dim::Lit(1)
    }

    pub fn is_one(&self) -> bool {
        *self == Dim::Lit(1)
    }

    /// `a·b` in normal form, or None when a factor is still an inference
    /// variable (a product of unknown sizes cannot be unified soundly).
    pub fn product(a: &Dim, b: &Dim) -> Option<Dim> {
        let mut lit = 1usize;
        let mut syms: Vec<Dim> = Vec::new();
        for d in [a, b] {
            let factors = match d {
                Dim::Prod(fs) => fs.clone(),
                other => vec![other.clone()],
            };
            for f in factors {
                match f {
                    Dim::Lit(n) => lit = lit.checked_mul(n)?,
                    Dim::Sym(_) => syms.push(f),
                    Dim::Var(_) | Dim::Prod(_) => return None,
                }
            }
        }
        syms.sort_by_key(|d| d.to_string());
        let mut factors = Vec::with_capacity(syms.len() + 1);
        if lit != 1 || syms.is_empty() {
            factors.push(Dim::Lit(lit));
        }
        factors.extend(syms);
        Some(if factors.len() == 1 {
            factors.remove(0)
        } else {
            Dim::Prod(factors)
        })
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Sym(s) => f.write_str(s),
            Dim::Lit(n) => write!(f, "{n}"),
            Dim::Var(_) => f.write_str("?"),
            Dim::Prod(fs) => {
                for (i, d) in fs.iter().enumerate() {
                    if i > 0 {
                        f.write_str("·")?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
        }
    }
}

/// A symbolic shape, rows × columns. Vectors are columns (n×1), scalars 1×1.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    pub rows: Dim,
    pub cols: Dim,
}

impl Shape {
    pub fn new(rows: Dim, cols: Dim) -> Self {
        Shape { rows, cols }
    }

    pub fn scalar() -> Self {
        Shape::new(Dim::one(), Dim::one())
    }

    pub fn is_scalar(&self) -> bool {
        self.rows.is_one() && self.cols.is_one()
    }

    pub fn is_square(&self) -> bool {
        self.rows == self.cols
    }

    /// A column or row vector (but not a scalar).
    pub fn is_vector(&self) -> bool {
        !self.is_scalar() && (self.cols.is_one() || self.rows.is_one())
    }

    pub fn transposed(&self) -> Shape {
        Shape::new(self.cols.clone(), self.rows.clone())
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A product in parentheses: (m·n)×p, not m·n×p.
        let side = |d: &Dim| match d {
            Dim::Prod(_) => format!("({d})"),
            _ => d.to_string(),
        };
        write!(f, "{}×{}", side(&self.rows), side(&self.cols))
    }
}

/// Properties that random instances honour; they never change a derivative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Property {
    Symmetric,
    Spd,
    Diagonal,
    Orthogonal,
    Positive,
    Onehot,
    Probability,
}

impl Property {
    pub const ALL: [Property; 7] = [
        Property::Symmetric,
        Property::Spd,
        Property::Diagonal,
        Property::Orthogonal,
        Property::Positive,
        Property::Onehot,
        Property::Probability,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::Symmetric => "symmetric",
            Property::Spd => "spd",
            Property::Diagonal => "diagonal",
            Property::Orthogonal => "orthogonal",
            Property::Positive => "positive",
            Property::Onehot => "onehot",
            Property::Probability => "probability",
        }
    }

    fn parse(word: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.name() == word)
    }

    /// Whether a property makes the matrix symmetric (used by the
    /// `symmetric_only` diagnosis, which must not flag what is already given).
    pub fn implies_symmetric(self) -> bool {
        matches!(
            self,
            Property::Symmetric | Property::Spd | Property::Diagonal
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    pub name: String,
    pub shape: Shape,
    pub props: Vec<Property>,
}

impl Decl {
    pub fn has(&self, p: Property) -> bool {
        self.props.contains(&p)
    }

    /// The declaration written back in the contract's syntax (`m x n symmetric`).
    pub fn spec(&self) -> String {
        let mut s = if self.shape.is_scalar() {
            "scalar".to_string()
        } else if self.shape.cols.is_one() {
            self.shape.rows.to_string()
        } else {
            format!("{} x {}", self.shape.rows, self.shape.cols)
        };
        for p in &self.props {
            s.push(' ');
            s.push_str(p.name());
        }
        s
    }
}

/// Words an expression reserves besides the function names (`func::FUNCS`).
/// (`eye` is MATLAB's and NumPy's `I`.)
const RESERVED_WORDS: &[&str] = &["I", "eye", "ones", "zeros", "T"];

/// Whether `name` is a word of the language, which no declaration may use:
/// every spelling of every function, `I`, `eye`, `ones`, `zeros` and `T`.
pub fn is_reserved(name: &str) -> bool {
    RESERVED_WORDS.contains(&name) || super::func::spellings().any(|s| s == name)
}

/// Every reserved word, functions first.
pub fn reserved_words() -> Vec<&'static str> {
    super::func::spellings()
        .chain(RESERVED_WORDS.iter().copied())
        .collect()
}

/// An ordered set of declarations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decls {
    pub entries: Vec<Decl>,
}

impl Decls {
    pub fn get(&self, name: &str) -> Option<&Decl> {
        self.entries.iter().find(|d| d.name == name)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|d| d.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|d| d.name.as_str())
    }

    /// The dimension symbols in order of first appearance.
    pub fn symbols(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &self.entries {
            for dim in [&d.shape.rows, &d.shape.cols] {
                if let Dim::Sym(s) = dim
                    && !out.contains(s)
                {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    /// The declarations written back as one text (`A: m x n; x: n`), one
    /// `name: spec` per name, which `Decls::parse` reads back to the same
    /// declarations.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .entries
            .iter()
            .map(|d| format!("{}: {}", d.name, d.spec()))
            .collect();
        parts.join("; ")
    }

    /// The length limit holds for the write-back too: `A, B: n x n` writes
    /// back as `A: n x n; B: n x n`, so a text under the limit can write
    /// back over it. Accepting it would accept declarations whose own
    /// write-back (shown to a student, passed on as `--given`) is refused.
    fn within_write_back_limit(self, typed: usize) -> Result<Decls, ExprError> {
        let written = self.text().chars().count();
        if written > MAX_DECL_CHARS {
            return Err(decl_error(
                format!(
                    "the declarations are {written} characters long as nabla writes them back (one `name: shape` per name); the limit is {MAX_DECL_CHARS}"
                ),
                Span::new(0, typed),
            ));
        }
        Ok(self)
    }

    /// `"A, x"`: for messages that list what is declared.
    pub fn name_list(&self) -> String {
        self.names().collect::<Vec<_>>().join(", ")
    }

    /// Parses `A: m x n; x: n` (separated by `;` or newlines). Spans in the
    /// error are character offsets into `text`.
    ///
    /// ```
    /// use nabla_engine::expr::Decls;
    ///
    /// let d = Decls::parse("S: n x n symmetric; x: n").unwrap();
    /// assert_eq!(d.name_list(), "S, x");
    /// assert!(Decls::parse("A: n x").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Decls, ExprError> {
        if text.chars().count() > MAX_DECL_CHARS {
            return Err(decl_error(
                format!("declarations are limited to {MAX_DECL_CHARS} characters"),
                Span::new(0, 0),
            ));
        }
        let mut decls = Decls::default();
        let mut offset = 0usize; // in chars
        for part in text.split([';', '\n']) {
            let len = part.chars().count();
            if !part.trim().is_empty() {
                decls.add_statement(part, offset)?;
            }
            offset += len + 1;
        }
        decls.within_write_back_limit(text.chars().count())
    }

    /// Builds declarations from `(name, spec)` pairs, as a lesson's
    /// `given = { A = "m x n" }` table gives them.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Decls, ExprError> {
        let mut decls = Decls::default();
        for (name, spec) in pairs {
            let (shape, props) = parse_spec(spec, 0)
                .map_err(|e| decl_error(format!("{name}: {}", e.message), e.span))?;
            decls.push(name.trim(), shape, props, Span::new(0, 0))?;
        }
        decls.within_write_back_limit(0)
    }

    fn add_statement(&mut self, stmt: &str, offset: usize) -> Result<(), ExprError> {
        let whole = Span::new(offset, offset + stmt.chars().count());
        let Some(colon) = stmt.find(':') else {
            return Err(decl_error(
                format!(
                    "'{}' is not a declaration: write NAME: SHAPE, like 'A: m x n' or 'x: n'",
                    stmt.trim()
                ),
                whole,
            ));
        };
        let names_part = &stmt[..colon];
        let colon_chars = names_part.chars().count();
        let spec_offset = offset + colon_chars + 1;
        let (shape, props) = parse_spec(&stmt[colon + 1..], spec_offset)?;
        let mut name_offset = offset;
        for raw in names_part.split(',') {
            let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
            let name = raw.trim();
            let span = Span::new(
                name_offset + lead,
                name_offset + lead + name.chars().count(),
            );
            self.push(name, shape.clone(), props.clone(), span)?;
            name_offset += raw.chars().count() + 1;
        }
        Ok(())
    }

    fn push(
        &mut self,
        name: &str,
        shape: Shape,
        props: Vec<Property>,
        span: Span,
    ) -> Result<(), ExprError> {
        if name.is_empty() {
            return Err(decl_error("a name is missing before ':'", span));
        }
        if !is_identifier(name) {
            return Err(decl_error(
                format!("'{name}' is not a valid name: use letters, then letters, digits or '_'"),
                span,
            ));
        }
        if is_reserved(name) {
            return Err(decl_error(
                format!("'{name}' is a reserved word and cannot be declared"),
                span,
            ));
        }
        if self.get(name).is_some() {
            return Err(decl_error(format!("'{name}' is declared twice"), span));
        }
        // `I(n)` is the n×n identity, or `I·n` when n is a name: a word that
        // is both could not be written back unambiguously.
        let sizes_named = |d: &Dim| matches!(d, Dim::Sym(s) if s == name);
        let own = [&shape.rows, &shape.cols]
            .into_iter()
            .find_map(|d| match d {
                Dim::Sym(s) if self.get(s).is_some() || s == name => Some(s.clone()),
                _ => None,
            });
        let used = self
            .entries
            .iter()
            .any(|d| sizes_named(&d.shape.rows) || sizes_named(&d.shape.cols));
        if let Some(both) = own.or_else(|| used.then(|| name.to_string())) {
            return Err(decl_error(
                format!(
                    "'{both}' is both a name and a size: use another letter for one of them (in I({both}) or ones({both}) it could mean either)"
                ),
                span,
            ));
        }
        if self.entries.len() >= MAX_DECLS {
            return Err(decl_error(
                format!("at most {MAX_DECLS} names can be declared"),
                span,
            ));
        }
        for p in &props {
            check_property_fits(name, *p, &shape, span)?;
        }
        self.entries.push(Decl {
            name: name.to_string(),
            shape,
            props,
        });
        Ok(())
    }
}

fn decl_error(message: impl Into<String>, span: Span) -> ExprError {
    ExprError::new(ErrorKind::Declaration, message, span)
}

/// Letters first, then letters, digits or underscores (Greek letters welcome).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_ident_start(c)) && chars.all(is_ident_continue)
}

pub fn is_ident_start(c: char) -> bool {
    // ᵀ is a letter to Unicode but an operator to us.
    c.is_alphabetic() && c != 'ᵀ'
}

pub fn is_ident_continue(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == '_'
}

/// Parses the part after the colon: `m x n symmetric`, `n`, `scalar`, `3×4`.
fn parse_spec(spec: &str, offset: usize) -> Result<(Shape, Vec<Property>), ExprError> {
    // Split into words with their char spans; `×` and `*` separate like ` x `.
    let mut words: Vec<(String, Span)> = Vec::new();
    let mut current = String::new();
    let mut start = 0usize;
    let flush =
        |current: &mut String, start: usize, end: usize, words: &mut Vec<(String, Span)>| {
            if !current.is_empty() {
                words.push((
                    std::mem::take(current),
                    Span::new(offset + start, offset + end),
                ));
            }
        };
    for (i, c) in spec.chars().enumerate() {
        if c.is_whitespace() || c == ',' {
            flush(&mut current, start, i, &mut words);
        } else if c == '×' || c == '*' {
            flush(&mut current, start, i, &mut words);
            words.push(("x".to_string(), Span::new(offset + i, offset + i + 1)));
        } else {
            if current.is_empty() {
                start = i;
            }
            current.push(c);
        }
    }
    let total = spec.chars().count();
    flush(&mut current, start, total, &mut words);
    // `3x4` written without spaces.
    let words: Vec<(String, Span)> = words
        .into_iter()
        .flat_map(|(w, sp)| split_compact_size(&w, sp))
        // "n by m", as it is said aloud, and `n \times m` as LaTeX writes it.
        .map(|(w, sp)| {
            if w == "by" || w == "\\times" {
                ("x".to_string(), sp)
            } else {
                (w, sp)
            }
        })
        .collect();

    let whole = Span::new(offset, offset + total);
    let Some((first, first_span)) = words.first() else {
        return Err(decl_error(
            "a shape is missing after ':' (write 'm x n', 'n' or 'scalar')",
            whole,
        ));
    };
    let (shape, rest) = if first == "scalar" {
        (Shape::scalar(), &words[1..])
    } else {
        let rows = parse_dim(first, *first_span)?;
        if words.get(1).is_some_and(|(w, _)| w == "x") {
            let Some((c, cspan)) = words.get(2) else {
                return Err(decl_error("a column size is missing after 'x'", words[1].1));
            };
            let cols = parse_dim(c, *cspan)?;
            (Shape::new(rows, cols), &words[3..])
        } else {
            (Shape::new(rows, Dim::one()), &words[1..])
        }
    };
    let mut props = Vec::new();
    for (w, sp) in rest {
        match Property::parse(w) {
            Some(p) if !props.contains(&p) => props.push(p),
            Some(_) => {}
            None => {
                let names: Vec<&str> = Property::ALL.iter().map(|p| p.name()).collect();
                return Err(decl_error(
                    format!(
                        "unknown property '{w}': the properties are {}",
                        names.join(", ")
                    ),
                    *sp,
                ));
            }
        }
    }
    Ok((shape, props))
}

fn split_compact_size(w: &str, sp: Span) -> Vec<(String, Span)> {
    // `3x4`, and `nxn`, `nx1`, `mxn` as students type shapes: each side a
    // number or a size symbol (never containing `x`, which separates).
    let size_like = |p: &str| {
        !p.is_empty()
            && (p.chars().all(|c| c.is_ascii_digit())
                || (parse_dim_symbol(p).is_some() && !p.contains('x')))
    };
    if let Some((a, b)) = w.split_once('x')
        && size_like(a)
        && size_like(b)
    {
        let la = a.chars().count();
        return vec![
            (a.to_string(), Span::new(sp.start, sp.start + la)),
            ("x".to_string(), Span::new(sp.start + la, sp.start + la + 1)),
            (b.to_string(), Span::new(sp.start + la + 1, sp.end)),
        ];
    }
    vec![(w.to_string(), sp)]
}

fn parse_dim(word: &str, span: Span) -> Result<Dim, ExprError> {
    if word.chars().all(|c| c.is_ascii_digit()) {
        return match word.parse::<usize>() {
            Ok(0) => Err(decl_error("a size must be at least 1", span)),
            Ok(n) if n <= MAX_DIM => Ok(Dim::Lit(n)),
            _ => Err(decl_error(format!("sizes are limited to {MAX_DIM}"), span)),
        };
    }
    parse_dim_symbol(word).ok_or_else(|| {
        decl_error(
            format!(
                "'{word}' is not a size: use a lowercase symbol like n or m, or a whole number"
            ),
            span,
        )
    })
}

/// A dimension symbol is a lowercase ASCII word (`n`, `m`, `k`, `d`, `n2`),
/// never `x`, which separates sizes.
pub fn parse_dim_symbol(word: &str) -> Option<Dim> {
    let mut chars = word.chars();
    let ok = matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && word != "x";
    ok.then(|| Dim::Sym(word.to_string()))
}

fn check_property_fits(
    name: &str,
    p: Property,
    shape: &Shape,
    span: Span,
) -> Result<(), ExprError> {
    let fits = match p {
        Property::Symmetric | Property::Spd | Property::Diagonal | Property::Orthogonal => {
            shape.is_square()
        }
        Property::Onehot | Property::Probability => shape.cols.is_one() || shape.rows.is_one(),
        Property::Positive => true,
    };
    if fits {
        Ok(())
    } else {
        let need = match p {
            Property::Onehot | Property::Probability => "a vector",
            _ => "a square matrix",
        };
        Err(decl_error(
            format!("'{}' needs {need}, but {name} is {shape}", p.name()),
            span,
        ))
    }
}

/// Parses a shape as a student types it: `m x n`, `n×1`, `n` (a column),
/// `scalar`, `1 x n`. Properties are not part of a shape.
pub fn parse_shape(text: &str) -> Result<Shape, ExprError> {
    let (shape, props) = parse_spec(text, 0)?;
    if !props.is_empty() {
        return Err(decl_error(
            "a shape is sizes only, like 'm x n' or 'n'",
            Span::new(0, text.chars().count()),
        ));
    }
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym(s: &str) -> Dim {
        Dim::Sym(s.into())
    }

    #[test]
    fn every_declaration_form_of_the_contract() {
        let d =
            Decls::parse("A: m x n; x: n; r: 1 x n; s: scalar; S: n x n symmetric\nB, C: n x n")
                .unwrap();
        assert_eq!(d.get("A").unwrap().shape, Shape::new(sym("m"), sym("n")));
        assert_eq!(d.get("x").unwrap().shape, Shape::new(sym("n"), Dim::one()));
        assert_eq!(d.get("r").unwrap().shape, Shape::new(Dim::one(), sym("n")));
        assert!(d.get("s").unwrap().shape.is_scalar());
        assert_eq!(d.get("S").unwrap().props, vec![Property::Symmetric]);
        assert_eq!(d.get("B").unwrap().shape, d.get("C").unwrap().shape);
        assert_eq!(
            d.names().collect::<Vec<_>>(),
            ["A", "x", "r", "s", "S", "B", "C"]
        );
    }

    #[test]
    fn size_separators_and_property_lists() {
        for text in [
            "A: 3 × 4",
            "A: 3*4",
            "A: 3x4",
            "A: 3 x 4",
            "A: 3 by 4",
            "A: 3 \\times 4",
        ] {
            let d = Decls::parse(text).unwrap();
            assert_eq!(
                d.entries[0].shape,
                Shape::new(Dim::Lit(3), Dim::Lit(4)),
                "{text}"
            );
        }
        let d = Decls::parse("S: n x n symmetric, positive").unwrap();
        assert_eq!(
            d.entries[0].props,
            vec![Property::Symmetric, Property::Positive]
        );
        let d = Decls::parse(
            "y: k onehot; p: k probability; Q: n x n orthogonal; D: n x n diagonal; P: n x n spd",
        )
        .unwrap();
        assert_eq!(d.entries.len(), 5);
    }

    #[test]
    fn shapes_typed_without_spaces() {
        let n = || Dim::Sym("n".into());
        assert_eq!(parse_shape("nxn").unwrap(), Shape::new(n(), n()));
        assert_eq!(parse_shape("nx1").unwrap(), Shape::new(n(), Dim::one()));
        assert_eq!(parse_shape("1xn").unwrap(), Shape::new(Dim::one(), n()));
        assert_eq!(
            parse_shape("m by n").unwrap(),
            Shape::new(Dim::Sym("m".into()), n())
        );
    }

    #[test]
    fn table_form_from_a_lesson() {
        let d = Decls::from_pairs([("A", "m x n"), ("x", "n")]).unwrap();
        assert_eq!(d.symbols(), vec!["m".to_string(), "n".to_string()]);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases = [
            ("A m x n", "not a declaration"),
            ("A:", "shape is missing"),
            ("A: m x", "column size is missing"),
            ("A: M x n", "not a size"),
            ("A: 0 x 2", "at least 1"),
            ("A: 99999 x 2", "limited"),
            ("A: m x n symmetric", "needs a square matrix"),
            ("x: n x n onehot", "needs a vector"),
            ("A: n x n hermitian", "unknown property"),
            ("tr: n", "reserved"),
            ("A: n; A: m", "declared twice"),
            ("2A: n", "not a valid name"),
            (": n", "name is missing"),
            ("v: v", "both a name and a size"),
            ("n: scalar; x: n", "both a name and a size"),
            ("x: n; n: scalar", "both a name and a size"),
            ("A: m x n; m: n", "both a name and a size"),
        ];
        for (text, want) in cases {
            let err = Decls::parse(text).unwrap_err();
            assert!(err.message.contains(want), "{text}: {}", err.message);
            assert_eq!(err.kind, ErrorKind::Declaration);
        }
    }

    #[test]
    fn error_spans_point_at_the_culprit() {
        let text = "x: n; A: m x q symmetric";
        let err = Decls::parse(text).unwrap_err();
        let named: String = text
            .chars()
            .skip(err.span.start)
            .take(err.span.end - err.span.start)
            .collect();
        assert_eq!(named, "A");
        let err = Decls::parse("x: n; y: foo bar").unwrap_err();
        let named: String = "x: n; y: foo bar"
            .chars()
            .skip(err.span.start)
            .take(err.span.end - err.span.start)
            .collect();
        assert_eq!(named, "bar");
    }

    #[test]
    fn declarations_whose_write_back_is_over_the_limit_are_refused() {
        // Found by the `decls` fuzz target: `A, B: shape` writes back as one
        // `name: shape` per name, which can be longer than the text typed.
        let names: Vec<String> = (0..60).map(|i| format!("a{i:0>59}")).collect();
        let typed = format!("{}: n x n", names.join(", "));
        assert!(typed.chars().count() <= MAX_DECL_CHARS);
        let err = Decls::parse(&typed).unwrap_err();
        assert!(
            err.message.contains("as nabla writes them back"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Span::new(0, typed.chars().count()));
        let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "n x n")).collect();
        assert!(Decls::from_pairs(pairs).is_err());
        // Fewer names fit, and what is accepted writes back to itself.
        let fits = format!("{}: n x n", names[..50].join(", "));
        let d = Decls::parse(&fits).unwrap();
        assert_eq!(Decls::parse(&d.text()).unwrap().entries, d.entries);
    }

    #[test]
    fn spec_round_trips() {
        let d = Decls::parse("A: m x n; x: n; s: scalar; S: n x n spd").unwrap();
        let specs: Vec<String> = d.entries.iter().map(Decl::spec).collect();
        assert_eq!(specs, ["m x n", "n", "scalar", "n x n spd"]);
    }
}
