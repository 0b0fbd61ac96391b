//! Walks the parsed formula and builds [`Block`]s: sequences with TeX-like
//! automatic spacing, groups, fractions and binomials. Scripts, roots and
//! accents live in `scripts.rs`; delimiters and matrices in `matrix.rs`.
//!
//! One walker serves both modes: [`Ctx::display`] allows 2-D layout, and
//! when it is off every construct collapses to a single row.

use super::super::style::{Line, Style};
use super::super::symbols::Class;
use super::ast::Node;
use super::layout::Block;
use super::{matrix, scripts};

/// How a sub-formula is being laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ctx {
    /// 2-D layout allowed (stacked fractions, tall brackets, raised scripts).
    pub display: bool,
    /// Display style proper: big-operator limits go above and below.
    pub limits: bool,
    /// Script style: no spaces around binary operators and relations.
    pub tight: bool,
}

impl Ctx {
    pub const DISPLAY: Ctx = Ctx {
        display: true,
        limits: true,
        tight: false,
    };
    pub const INLINE: Ctx = Ctx {
        display: false,
        limits: false,
        tight: false,
    };
    /// Scripts and limits: always one compact row.
    pub const SCRIPT: Ctx = Ctx {
        display: false,
        limits: false,
        tight: true,
    };

    /// Numerators, denominators and matrix cells: still 2-D in display
    /// mode, but big operators keep their limits at the side (TeX's text
    /// style), and inline fractions are written compactly.
    pub fn inner(self) -> Ctx {
        Ctx {
            display: self.display,
            limits: false,
            tight: self.tight || !self.display,
        }
    }
}

/// Spacing classes seen from the left and from the right of a node.
fn classes(node: &Node, ctx: Ctx) -> Option<(Class, Class)> {
    let inner = if ctx.display {
        Class::Inner
    } else {
        Class::Ord
    };
    Some(match node {
        Node::Atom { class, .. } => (*class, *class),
        Node::Space(_) => return None,
        Node::Scripts { base, .. } => classes(base, ctx).unwrap_or((Class::Ord, Class::Ord)),
        Node::Stack { base, .. } => match base.as_ref() {
            // `\overset{!}{=}` is still a relation.
            Node::Group(nodes) if nodes.len() == 1 => nodes
                .first()
                .and_then(|n| classes(n, ctx))
                .unwrap_or((Class::Ord, Class::Ord)),
            other => classes(other, ctx).unwrap_or((Class::Ord, Class::Ord)),
        },
        Node::Frac { .. } | Node::Binom { .. } => (inner, inner),
        Node::Matrix(_) => (Class::Inner, Class::Inner),
        Node::Delimited { .. } => (Class::Open, Class::Close),
        Node::Group(_) | Node::Sqrt { .. } | Node::Accent { .. } => (Class::Ord, Class::Ord),
    })
}

/// Columns of automatic space between two atoms (TeX's inter-atom table,
/// with every kind of space rounded to one column).
fn space_between(left: Class, right: Class, tight: bool) -> usize {
    use Class::*;
    let op_space = matches!(
        (left, right),
        (Op, Ord | Op | Inner) | (Ord | Close | Inner, Op)
    );
    if tight {
        return usize::from(op_space);
    }
    let space = match (left, right) {
        (Bin, _) | (_, Bin) => true,
        (Rel, Rel) | (Rel, Close | Punct) | (Open, Rel) => false,
        (Rel, _) | (_, Rel) => true,
        (Punct, _) => true,
        (Inner, Ord | Open | Inner) | (Ord | Close, Inner) => true,
        _ => op_space,
    };
    usize::from(space)
}

/// Lay out a sequence of nodes side by side.
pub fn seq(nodes: &[Node], ctx: Ctx) -> Block {
    let mut atoms: Vec<Option<(Class, Class)>> = nodes.iter().map(|n| classes(n, ctx)).collect();
    reclassify_binary(&mut atoms);
    let mut out = Block::empty();
    // Right-hand class of the previous atom, cleared by explicit spaces so
    // `a\,+\,b` does not get doubled spacing.
    let mut prev: Option<Class> = None;
    let mut prev_limits = false;
    let mut prev_sign = false;
    for (i, (node, class)) in nodes.iter().zip(atoms.iter().copied()).enumerate() {
        // A unary sign hugs what follows, even a big operator: `−Σₖ`.
        let sign = matches!(
            node,
            Node::Atom {
                class: Class::Bin,
                ..
            }
        ) && class.is_some_and(|c| c.0 == Class::Ord);
        let mut block = node_block(node, ctx);
        if !ctx.display && matches!(node, Node::Frac { .. }) && crowded(nodes, &atoms, i) {
            // `(1/2)(x + y)`, not `1/2(x + y)`.
            block = parenthesize(block, true);
        }
        let limits = scripts::is_limits(node, ctx);
        match class {
            None => prev = None,
            // A prime is a superscript in TeX (`f'` is `f^{\prime}`): it
            // hugs what it follows, even an operator name (`tanh′(z)`), and
            // leaves that atom's class to space what comes next.
            Some(_) if prev.is_some() && is_prime(node) => {}
            Some((left, right)) => {
                let mut gap = prev.map_or(0, |p| space_between(p, left, ctx.tight));
                if prev_sign {
                    gap = 0;
                }
                // Centred limits already bring their own margins, unless
                // limits wider than their operator reach the neighbour.
                if ((prev_limits && ends_blank(&out)) || (limits && starts_blank(&block)))
                    && !touches(&out, &block)
                {
                    gap = 0;
                }
                if gap == 0 && out.open_script && starts_alphanumeric(&block) {
                    gap = 1;
                }
                out.pad_right(gap);
                prev = Some(right);
            }
        }
        prev_limits = limits;
        prev_sign = sign;
        out.hcat(block);
    }
    out
}

/// Whether the atom at `i` has a neighbour that would run into a one-line
/// fraction and change how it reads (anything but operators, relations,
/// punctuation and brackets facing it).
fn crowded(nodes: &[Node], atoms: &[Option<(Class, Class)>], i: usize) -> bool {
    use Class::*;
    // A sign in front (`−x²/2`) is no neighbour to bracket against.
    let before = atoms.get(..i).and_then(|a| {
        a.iter()
            .zip(nodes)
            .rev()
            .find(|(c, _)| c.is_some())
            .filter(|(_, n)| !matches!(n, Node::Atom { class: Bin, .. }))
            .and_then(|(c, _)| *c)
    });
    let after = atoms.get(i + 1..).and_then(|a| a.iter().find_map(|c| *c));
    matches!(before.map(|c| c.1), Some(Ord | Close | Inner | Op))
        || matches!(after.map(|c| c.0), Some(Ord | Open | Inner | Op))
}

/// `'`, `\prime` and doubled primes, as drawn.
fn is_prime(node: &Node) -> bool {
    matches!(node, Node::Atom { text, class: Class::Ord, .. }
        if !text.is_empty() && text.chars().all(|c| matches!(c, '′' | '″' | '‴')))
}

/// Whether `right` placed directly after `left` would leave two characters
/// side by side on some row (rows matched by their height over the
/// baseline), so they would read as one word: `i=1` under a Σ running into
/// the denominator of the fraction beside it.
fn touches(left: &Block, right: &Block) -> bool {
    let above = left.ascent().min(right.ascent());
    let below = left.descent().min(right.descent());
    (0..above + below + 1).any(|k| {
        let row = |b: &Block| b.rows.get(b.baseline + k - above).map(Line::plain_text);
        let (Some(l), Some(r)) = (row(left), row(right)) else {
            return false;
        };
        l.ends_with(|c: char| c != ' ') && r.starts_with(|c: char| c != ' ')
    })
}

fn starts_alphanumeric(block: &Block) -> bool {
    block
        .baseline_text()
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

fn ends_blank(block: &Block) -> bool {
    block.width > 0 && block.baseline_text().ends_with(' ')
}

fn starts_blank(block: &Block) -> bool {
    block.width > 0 && block.baseline_text().starts_with(' ')
}

/// TeX rules 5 and 6: a binary operator with nothing sensible on its left
/// (start, another operator, a relation, an opening bracket, punctuation)
/// or right is unary and becomes ordinary, so `-x` and `(1 - x)` both read
/// right.
fn reclassify_binary(atoms: &mut [Option<(Class, Class)>]) {
    let present: Vec<usize> = (0..atoms.len())
        .filter(|&i| atoms.get(i).is_some_and(Option::is_some))
        .collect();
    let class_at = |atoms: &[Option<(Class, Class)>], i: Option<&usize>| {
        i.and_then(|&i| atoms.get(i).copied().flatten())
    };
    for (k, &i) in present.iter().enumerate() {
        if class_at(atoms, Some(&i)).map(|c| c.0) != Some(Class::Bin) {
            continue;
        }
        let before = k.checked_sub(1).and_then(|j| present.get(j));
        let left = class_at(atoms, before).map(|c| c.1);
        let right = class_at(atoms, present.get(k + 1)).map(|c| c.0);
        let unary = matches!(
            left,
            None | Some(Class::Bin | Class::Op | Class::Rel | Class::Open | Class::Punct)
        ) || matches!(right, None | Some(Class::Rel | Class::Close | Class::Punct));
        if unary && let Some(slot) = atoms.get_mut(i) {
            *slot = Some((Class::Ord, Class::Ord));
        }
    }
}

/// Lay out one node.
pub fn node_block(node: &Node, ctx: Ctx) -> Block {
    match node {
        Node::Atom { text, style, .. } => Block::text(text, *style),
        Node::Group(nodes) => seq(nodes, ctx),
        Node::Space(n) => Block::space(*n),
        Node::Frac { num, den } => fraction(num, den, ctx),
        Node::Binom { top, bottom } => binomial(top, bottom, ctx),
        Node::Scripts { base, sup, sub } => {
            scripts::scripts(base, sup.as_deref(), sub.as_deref(), ctx)
        }
        Node::Stack { base, over, under } => {
            scripts::stack(base, over.as_deref(), under.as_deref(), ctx)
        }
        Node::Sqrt { index, body } => scripts::sqrt(index.as_deref(), body, ctx),
        Node::Accent { mark, name, body } => scripts::accent(*mark, name, body, ctx),
        Node::Delimited {
            left,
            right,
            parts,
            middles,
        } => matrix::delimited(left, right, parts, middles, ctx),
        Node::Matrix(m) => matrix::matrix(m, ctx),
    }
}

fn fraction(num: &[Node], den: &[Node], ctx: Ctx) -> Block {
    let inner = ctx.inner();
    let top = seq(num, inner);
    let bottom = seq(den, inner);
    if ctx.display {
        let width = top.width.max(bottom.width).max(1);
        return Block::vstack(vec![top, Block::rule(width), bottom], 1);
    }
    let mut out = parenthesize(top, is_compound(num));
    out.hcat(Block::text("/", Style::MATH));
    out.hcat(parenthesize(bottom, is_compound(den)));
    out
}

fn binomial(top: &[Node], bottom: &[Node], ctx: Ctx) -> Block {
    let inner = ctx.inner();
    let top = seq(top, inner);
    let bottom = seq(bottom, inner);
    if ctx.display {
        let stacked = Block::vstack(vec![top, bottom], 0);
        return matrix::wrap("(", ")", stacked, false);
    }
    let mut out = Block::text("C(", Style::MATH);
    out.hcat(top);
    out.hcat(Block::text(", ", Style::MATH));
    out.hcat(bottom);
    out.hcat(Block::text(")", Style::MATH));
    out
}

/// Wrap a one-row block in parentheses when `needed` and it is not
/// already enclosed in one pair.
pub fn parenthesize(block: Block, needed: bool) -> Block {
    if !needed || enclosed(&block.baseline_text()) {
        return block;
    }
    let mut out = Block::text("(", Style::MATH);
    out.hcat(block);
    out.hcat(Block::text(")", Style::MATH));
    out
}

/// Whether `text` is one bracketed unit like `(a+b)` (not `(a)(b)`).
fn enclosed(text: &str) -> bool {
    if !(text.starts_with('(') && text.ends_with(')')) {
        return false;
    }
    let mut depth = 0i32;
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 && i < last {
            return false;
        }
    }
    true
}

/// Whether a one-line fraction part needs brackets: it has operators,
/// relations, punctuation, big operators, spaces or nested fractions at its
/// top level. Products like `∂x` or `ab` do not.
pub fn is_compound(nodes: &[Node]) -> bool {
    if let [Node::Group(inner)] = nodes {
        return is_compound(inner);
    }
    nodes.iter().enumerate().any(|(i, node)| match node {
        // A leading sign is unary: `−x/2`.
        Node::Atom {
            class: Class::Bin, ..
        } => i > 0,
        Node::Atom { class, text, .. } => {
            matches!(class, Class::Rel | Class::Punct | Class::Op) || text.contains(' ')
        }
        Node::Scripts { base, .. } => {
            matches!(
                base.as_ref(),
                Node::Atom {
                    class: Class::Op,
                    ..
                }
            )
        }
        Node::Frac { .. } | Node::Matrix(_) | Node::Binom { .. } => true,
        Node::Space(n) => *n > 0,
        Node::Group(inner) => is_compound(inner),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosed_detection() {
        assert!(enclosed("(a+b)"));
        assert!(!enclosed("(a)(b)"));
        assert!(!enclosed("a+b"));
    }

    #[test]
    fn spacing_table() {
        assert_eq!(space_between(Class::Ord, Class::Rel, false), 1);
        assert_eq!(space_between(Class::Rel, Class::Rel, false), 0);
        assert_eq!(space_between(Class::Ord, Class::Rel, true), 0);
        assert_eq!(space_between(Class::Op, Class::Ord, true), 1);
        assert_eq!(space_between(Class::Op, Class::Open, false), 0);
        assert_eq!(space_between(Class::Punct, Class::Ord, false), 1);
    }
}
