//! Delimiters that grow to their content (`\left(`, matrix brackets drawn
//! with ⎡⎢⎣ pieces) and matrix-like environments: aligned, centred columns,
//! rows as tall as their tallest cell. Inline mode flattens a matrix to
//! `[a b; c d]`.

use super::super::style::Style;
use super::super::symbols;
use super::ast::{Align, Env, Matrix, Node};
use super::layout::Block;
use super::render::{Ctx, seq};

const MATH: Style = Style::MATH;

/// A delimiter drawn over `ascent` rows above and `descent` rows below the
/// baseline. Delimiters with no extensible form (⟨ ⟩) sit on the baseline.
pub fn delimiter(d: &str, ascent: usize, descent: usize) -> Block {
    let height = ascent + 1 + descent;
    let mut block = if d.is_empty() {
        Block::empty()
    } else if height == 1 {
        Block::text(d, MATH)
    } else if let Some(tall) = symbols::tall_delimiter(d) {
        let middle_row = (height - 1) / 2;
        let rows = (0..height)
            .map(|i| {
                let c = if i == 0 {
                    tall.top
                } else if i + 1 == height {
                    tall.bottom
                } else if i == middle_row {
                    tall.middle.unwrap_or(tall.extension)
                } else {
                    tall.extension
                };
                Block::text(&c.to_string(), MATH)
            })
            .collect();
        let mut block = Block::vstack(rows, 0);
        block.baseline = ascent;
        return block;
    } else {
        Block::text(d, MATH)
    };
    block.grow(ascent, descent);
    block
}

/// Surround `body` with delimiters of its height; `pad` adds a space inside
/// each non-empty delimiter.
pub fn wrap(left: &str, right: &str, mut body: Block, pad: bool) -> Block {
    let (ascent, descent) = (body.ascent(), body.descent());
    if pad {
        if !left.is_empty() {
            body.pad_left(1);
        }
        if !right.is_empty() {
            body.pad_right(1);
        }
    }
    let mut out = delimiter(left, ascent, descent);
    out.hcat(body);
    out.hcat(delimiter(right, ascent, descent));
    out
}

/// `\left … \middle … \right`.
pub fn delimited(
    left: &str,
    right: &str,
    parts: &[Vec<Node>],
    middles: &[&str],
    ctx: Ctx,
) -> Block {
    let blocks: Vec<Block> = parts.iter().map(|p| seq(p, ctx)).collect();
    let ascent = blocks.iter().map(Block::ascent).max().unwrap_or(0);
    let descent = blocks.iter().map(Block::descent).max().unwrap_or(0);
    let tall = ascent + descent > 0;
    let mut body = Block::empty();
    for (i, block) in blocks.into_iter().enumerate() {
        if i > 0 {
            // A `\middle|` separates like a relation: `{x ∈ ℝ | x > 0}`.
            let middle = middles.get(i - 1).copied().unwrap_or("");
            let mut bar = delimiter(middle, ascent, descent);
            if !middle.is_empty() {
                bar.pad_left(1);
                bar.pad_right(1);
            }
            body.hcat(bar);
        }
        body.hcat(block);
    }
    body.grow(ascent, descent);
    wrap(left, right, body, tall)
}

fn column_align(m: &Matrix, column: usize) -> Align {
    match m.env {
        // aligned pairs: right-aligned left side, left-aligned right side.
        Env::Aligned if column.is_multiple_of(2) => Align::Right,
        Env::Aligned => Align::Left,
        _ => m.align_of(column),
    }
}

/// Lay out one cell; the right-hand cells of `aligned` start with an empty
/// atom so a leading `=` is spaced as a relation (as TeX does).
fn cell(m: &Matrix, column: usize, nodes: &[Node], ctx: Ctx, after_empty: bool) -> Block {
    if m.env == Env::Aligned && !column.is_multiple_of(2) && !after_empty {
        let mut with_ord = vec![Node::Group(Vec::new())];
        with_ord.extend_from_slice(nodes);
        return seq(&with_ord, ctx);
    }
    seq(nodes, ctx)
}

fn delimiters(env: Env) -> (&'static str, &'static str) {
    match env {
        Env::Matrix { left, right } => (left, right),
        Env::Cases => ("{", ""),
        _ => ("", ""),
    }
}

/// Delimiters of the one-row form; inline cases need a closing brace.
fn flat_delimiters(env: Env) -> (&'static str, &'static str) {
    match env {
        Env::Cases => ("{", "}"),
        _ => delimiters(env),
    }
}

pub fn matrix(m: &Matrix, ctx: Ctx) -> Block {
    if !ctx.display {
        return flat(m);
    }
    let ctx = ctx.inner();
    let columns = m.columns();
    let cells: Vec<Vec<Block>> = m
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|c| {
                    row.get(c)
                        .map_or_else(Block::empty, |n| cell(m, c, n, ctx, false))
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            cells
                .iter()
                .filter_map(|row| row.get(c))
                .map(|b| b.width)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let gap = match m.env {
        Env::Matrix { .. } if m.rows.len() == 1 => 1,
        Env::Matrix { .. } | Env::Cases | Env::Array => 2,
        Env::Aligned | Env::Gathered => 0,
    };
    // Fractions in cells need air between rows or they run together.
    let spaced = cells.iter().flatten().any(|b| b.height() > 1);
    let mut rows = Vec::new();
    for (r, row) in cells.into_iter().enumerate() {
        let ascent = row.iter().map(Block::ascent).max().unwrap_or(0);
        let descent = row.iter().map(Block::descent).max().unwrap_or(0);
        let mut line = Block::empty();
        for (c, mut block) in row.into_iter().enumerate() {
            block.grow(ascent, descent);
            block.align_to(widths.get(c).copied().unwrap_or(0), column_align(m, c));
            if c > 0 {
                line.pad_right(gap);
            }
            line.hcat(block);
        }
        line.grow(ascent, descent);
        if spaced && r > 0 {
            rows.push(Block::space(line.width));
        }
        rows.push(line);
    }
    let mut grid = Block::vstack(rows, 0);
    grid.baseline = (grid.height() - 1) / 2;
    let (left, right) = delimiters(m.env);
    wrap(left, right, grid, true)
}

/// One-row form: `[a b; c d]`.
fn flat(m: &Matrix) -> Block {
    let (cell_ctx, column_sep) = match m.env {
        Env::Matrix { .. } | Env::Array => (Ctx::SCRIPT, " "),
        Env::Cases => (Ctx::INLINE, ", "),
        Env::Aligned | Env::Gathered => (Ctx::INLINE, ""),
    };
    let (left, right) = flat_delimiters(m.env);
    let mut out = Block::text(left, MATH);
    for (r, row) in m.rows.iter().enumerate() {
        if r > 0 {
            out.hcat(Block::text("; ", MATH));
        }
        let mut after_empty = true;
        for (c, nodes) in row.iter().enumerate() {
            if c > 0 && !column_sep.is_empty() {
                out.hcat(Block::text(column_sep, MATH));
            }
            let block = cell(m, c, nodes, cell_ctx, after_empty);
            after_empty = block.width == 0;
            out.hcat(block);
        }
    }
    out.hcat(Block::text(right, MATH));
    out
}
