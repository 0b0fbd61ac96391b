//! Sub/superscripts, limits over and under big operators, `\overset`,
//! square roots and accents.
//!
//! Scripts are always laid out as one compact row. When every character has
//! a Unicode super/subscript form they become those characters (`xᵢ²`,
//! `Aᵀ`, `A⁻¹`); otherwise display mode raises/lowers the row next to the
//! base and inline mode writes `x^(…)`/`x_(…)`. That one rule covers a
//! script inside a script too: its characters are scripts already and have
//! no second level of forms, so `e^{x_i}` is drawn `e^(xᵢ)`, never `eˣⁱ`.

use super::super::style::{Line, Style};
use super::super::symbols::{self, Class};
use super::ast::Node;
use super::layout::Block;
use super::matrix;
use super::render::{Ctx, node_block, parenthesize, seq};

const MATH: Style = Style::MATH;

/// Convert a one-row block to Unicode script characters, keeping styles;
/// `None` if it is taller or any character lacks a script form.
fn to_script(block: &Block, map: fn(char) -> Option<char>) -> Option<Line> {
    // ASCII has no script characters: `x^2`, `A^T`, `x_(ij)`.
    if block.height() != 1 || super::super::charset::ascii() {
        return None;
    }
    let mut line = Line::new();
    for span in &block.rows.first()?.spans {
        let text: Option<String> = span.text.chars().map(map).collect();
        line.push_str(&text?, span.style);
    }
    Some(line)
}

/// `^x` or `^(xy)` for scripts that have no Unicode form in inline mode.
fn marked(mark: &str, block: Block) -> Block {
    let mut out = Block::text(mark, MATH);
    if block.width <= 1 {
        out.hcat(block);
    } else {
        out.hcat(Block::text("(", MATH));
        out.hcat(block);
        out.hcat(Block::text(")", MATH));
    }
    out.open_script = true;
    out
}

/// Whether `node` is drawn with limits centred above/below in `ctx`.
pub fn is_limits(node: &Node, ctx: Ctx) -> bool {
    match node {
        Node::Scripts { base, .. } => ctx.display && ctx.limits && has_limits(base),
        Node::Stack { .. } => ctx.display,
        _ => false,
    }
}

fn has_limits(base: &Node) -> bool {
    matches!(
        base,
        Node::Atom {
            class: Class::Op,
            limits: true,
            ..
        }
    )
}

pub fn scripts(base: &Node, sup: Option<&[Node]>, sub: Option<&[Node]>, ctx: Ctx) -> Block {
    let sup = sup.map(|s| seq(s, Ctx::SCRIPT));
    let sub = sub.map(|s| seq(s, Ctx::SCRIPT));
    let mut base_block = node_block(base, ctx);
    if !ctx.display && matches!(base, Node::Frac { .. }) {
        base_block = parenthesize(base_block, true);
    }
    if ctx.display && ctx.limits && has_limits(base) {
        return over_under(base_block, sup, sub);
    }
    attach(base_block, sup, sub, ctx.display)
}

/// Put script rows next to `base`.
fn attach(base: Block, sup: Option<Block>, sub: Option<Block>, display: bool) -> Block {
    let sup_u = sup.as_ref().map(|b| to_script(b, symbols::superscript));
    let sub_u = sub.as_ref().map(|b| to_script(b, symbols::subscript));
    let converted = |s: &Option<Option<Line>>| !matches!(s, Some(None));
    let all_unicode = converted(&sup_u) && converted(&sub_u);
    // In ASCII a script raised beside its base would read as a separate
    // line of text, so it is written on the base row as `x^(…)` there too.
    let ascii = super::super::charset::ascii();
    if !display || ascii || (all_unicode && base.height() == 1) {
        // Everything on the base row: subscript first, as in `xᵢ²`.
        let mut out = base;
        for (script, unicode, mark) in [(sub, sub_u, "_"), (sup, sup_u, "^")] {
            match (script, unicode) {
                (_, Some(Some(line))) => out.hcat(Block::from_line(line)),
                (Some(block), _) => out.hcat(marked(mark, block)),
                _ => {}
            }
        }
        return out;
    }
    // A column to the right of the base, in the base's row coordinates:
    // Unicode scripts sit on its top/bottom row, others just outside it.
    let last = base.height() as isize - 1;
    let mut placed: Vec<(isize, Line)> = Vec::new();
    if let Some(block) = sup {
        match sup_u.flatten() {
            Some(line) => placed.push((0, line)),
            None => placed.push((-1, first_row(block))),
        }
    }
    if let Some(block) = sub {
        match sub_u.flatten() {
            Some(line) => placed.push((last, line)),
            None => placed.push((last + 1, first_row(block))),
        }
    }
    let top = placed.iter().map(|p| p.0).min().unwrap_or(0).min(0);
    let bottom = placed.iter().map(|p| p.0).max().unwrap_or(0).max(last);
    let width = placed.iter().map(|p| p.1.width()).max().unwrap_or(0);
    let mut column = Block::space(width);
    column.grow(
        base.baseline + (-top) as usize,
        (bottom - base.baseline as isize).max(0) as usize,
    );
    for (row, line) in placed {
        let index = (row - top) as usize;
        if let Some(slot) = column.rows.get_mut(index) {
            let mut line = line;
            let pad = width.saturating_sub(line.width());
            line.pad(pad, MATH);
            *slot = line;
        }
    }
    let mut out = base;
    out.hcat(column);
    out
}

fn first_row(block: Block) -> Line {
    block.rows.into_iter().next().unwrap_or_default()
}

/// Limits centred above and below (display-style `\sum_{i=1}^{n}`).
fn over_under(base: Block, over: Option<Block>, under: Option<Block>) -> Block {
    let mut parts = Vec::new();
    let mut base_index = 0;
    if let Some(over) = over {
        parts.push(over);
        base_index = 1;
    }
    parts.push(base);
    if let Some(under) = under {
        parts.push(under);
    }
    Block::vstack(parts, base_index)
}

/// `\overset`/`\underset`: stacked in display mode, scripts inline.
pub fn stack(base: &Node, over: Option<&[Node]>, under: Option<&[Node]>, ctx: Ctx) -> Block {
    let over = over.map(|s| seq(s, Ctx::SCRIPT));
    let under = under.map(|s| seq(s, Ctx::SCRIPT));
    let base = node_block(base, ctx);
    if ctx.display {
        over_under(base, over, under)
    } else {
        attach(base, over, under, false)
    }
}

/// Whether a one-row body can follow `√` without brackets (`√2`, `√xᵢ`).
fn is_simple(block: &Block) -> bool {
    block.height() == 1
        && block.width > 0
        && block
            .baseline_text()
            .chars()
            .all(|c| c.is_alphanumeric() || super::super::style::char_width(c) == 0)
}

pub fn sqrt(index: Option<&[Node]>, body: &[Node], ctx: Ctx) -> Block {
    let body = seq(body, ctx);
    let mut out = match index.map(|i| seq(i, Ctx::SCRIPT)) {
        None => Block::empty(),
        Some(index) => match to_script(&index, symbols::superscript) {
            Some(line) => Block::from_line(line),
            None => marked("^", index),
        },
    };
    out.hcat(Block::text("√", MATH));
    if body.height() > 1 {
        out.hcat(matrix::wrap("(", ")", body, false));
    } else if is_simple(&body) {
        out.hcat(body);
    } else {
        out.hcat(Block::text("(", MATH));
        out.hcat(body);
        out.hcat(Block::text(")", MATH));
    }
    out
}

/// One character with a combining mark (`x̂`), a mark over every
/// character for bars (`A̅B̅`), else a prefix form (`hat(AB)`).
pub fn accent(mark: char, name: &str, body: &[Node], ctx: Ctx) -> Block {
    let mut block = seq(body, ctx);
    let text = block.baseline_text();
    let single = block.height() == 1 && block.width == 1;
    let barlike = matches!(name, "bar" | "underline") && block.height() == 1;
    if (single || barlike) && !text.is_empty() {
        if let Some(row) = block.rows.first_mut() {
            let mut marked = Line::new();
            for span in &row.spans {
                let mut text = String::new();
                for c in span.text.chars() {
                    text.push(c);
                    if c != ' ' && super::super::style::char_width(c) == 1 {
                        // Bars over several letters use the continuous overline.
                        let m = if single || mark != '\u{0304}' {
                            mark
                        } else {
                            '\u{0305}'
                        };
                        text.push(m);
                    }
                }
                marked.push_str(&text, span.style);
            }
            *row = marked;
        }
        block.remeasure();
        return block;
    }
    let mut out = Block::text(name, MATH);
    if block.height() > 1 {
        out.hcat(matrix::wrap("(", ")", block, false));
    } else {
        out.hcat(Block::text("(", MATH));
        out.hcat(block);
        out.hcat(Block::text(")", MATH));
    }
    out
}
