//! The 2-D box model: a [`Block`] is a rectangle of styled rows with a
//! baseline row. Blocks are joined side by side with their baselines lined
//! up (so `=` sits on a fraction's rule) or stacked vertically and centred
//! (fractions, limits). Every row of a block is padded to the block's width,
//! which keeps all the joining arithmetic trivial.

use super::super::style::{Line, Style};
use super::ast::Align;

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Never empty; every row is exactly `width` columns wide.
    pub rows: Vec<Line>,
    pub width: usize,
    pub baseline: usize,
    /// The block ends in an inline fallback script such as `_y`, so a
    /// following letter must be spaced off (`δ_y xᵀ`, not `δ_yxᵀ`).
    pub open_script: bool,
}

/// Padding is styled like the math around it so spans merge.
const PAD: Style = Style::MATH;

fn blank(width: usize) -> Line {
    let mut line = Line::new();
    line.pad(width, PAD);
    line
}

impl Block {
    /// Nothing: zero width, one row.
    pub fn empty() -> Block {
        Block {
            rows: vec![Line::new()],
            width: 0,
            baseline: 0,
            open_script: false,
        }
    }

    pub fn from_line(line: Line) -> Block {
        let width = line.width();
        Block {
            rows: vec![line],
            width,
            baseline: 0,
            open_script: false,
        }
    }

    pub fn text(text: &str, style: Style) -> Block {
        Block::from_line(Line::styled(text, style))
    }

    pub fn space(width: usize) -> Block {
        Block::from_line(blank(width))
    }

    /// A horizontal rule (fraction bar).
    pub fn rule(width: usize) -> Block {
        Block::text(&"─".repeat(width), PAD)
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// Rows above the baseline.
    pub fn ascent(&self) -> usize {
        self.baseline
    }

    /// Rows below the baseline.
    pub fn descent(&self) -> usize {
        self.rows.len().saturating_sub(self.baseline + 1)
    }

    /// The text of a one-row block (or the baseline row of a taller one).
    pub fn baseline_text(&self) -> String {
        self.rows
            .get(self.baseline)
            .map(Line::plain_text)
            .unwrap_or_default()
    }

    /// Add blank rows so the block has at least `ascent` rows above and
    /// `descent` rows below its baseline.
    pub fn grow(&mut self, ascent: usize, descent: usize) {
        let top = ascent.saturating_sub(self.ascent());
        let bottom = descent.saturating_sub(self.descent());
        if top > 0 {
            let mut rows = vec![blank(self.width); top];
            rows.append(&mut self.rows);
            self.rows = rows;
            self.baseline += top;
        }
        for _ in 0..bottom {
            self.rows.push(blank(self.width));
        }
    }

    /// Place `other` to the right, baselines aligned.
    pub fn hcat(&mut self, mut other: Block) {
        if other.width == 0 && other.height() == 1 {
            return;
        }
        let ascent = self.ascent().max(other.ascent());
        let descent = self.descent().max(other.descent());
        self.grow(ascent, descent);
        other.grow(ascent, descent);
        for (row, extra) in self.rows.iter_mut().zip(&other.rows) {
            row.append(extra);
        }
        self.width += other.width;
        if other.width > 0 {
            self.open_script = other.open_script;
        }
    }

    pub fn pad_left(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        for row in &mut self.rows {
            let mut padded = blank(n);
            padded.append(row);
            *row = padded;
        }
        self.width += n;
    }

    pub fn pad_right(&mut self, n: usize) {
        for row in &mut self.rows {
            row.pad(n, PAD);
        }
        self.width += n;
    }

    /// Widen to `width` columns, placing the content per `align`
    /// (centring puts the odd column on the right).
    pub fn align_to(&mut self, width: usize, align: Align) {
        let extra = width.saturating_sub(self.width);
        let left = match align {
            Align::Left => 0,
            Align::Center => extra / 2,
            Align::Right => extra,
        };
        self.pad_left(left);
        self.pad_right(extra - left);
    }

    /// Stack blocks vertically, each centred to the widest; the baseline is
    /// the baseline row of `parts[baseline_part]`.
    pub fn vstack(parts: Vec<Block>, baseline_part: usize) -> Block {
        let width = parts.iter().map(|b| b.width).max().unwrap_or(0);
        let mut rows = Vec::new();
        let mut baseline = 0;
        for (i, mut part) in parts.into_iter().enumerate() {
            part.align_to(width, Align::Center);
            if i == baseline_part {
                baseline = rows.len() + part.baseline;
            }
            rows.append(&mut part.rows);
        }
        if rows.is_empty() {
            return Block::empty();
        }
        Block {
            rows,
            width,
            baseline,
            open_script: false,
        }
    }

    /// Re-measure after rows were edited in place (e.g. combining marks).
    pub fn remeasure(&mut self) {
        self.width = self.rows.iter().map(Line::width).max().unwrap_or(0);
        let width = self.width;
        for row in &mut self.rows {
            let w = row.width();
            row.pad(width - w, PAD);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(b: &Block) -> Vec<String> {
        b.rows.iter().map(Line::plain_text).collect()
    }

    #[test]
    fn hcat_aligns_baselines() {
        let frac = Block::vstack(
            vec![
                Block::text("ab", PAD),
                Block::rule(3),
                Block::text("c", PAD),
            ],
            1,
        );
        let mut row = Block::text("x=", PAD);
        row.hcat(frac);
        assert_eq!(show(&row), vec!["  ab ", "x=───", "   c "]);
        assert_eq!(row.baseline, 1);
        assert_eq!(row.width, 5);
    }

    #[test]
    fn align_to_pads_both_sides() {
        let mut b = Block::text("ab", PAD);
        b.align_to(5, Align::Center);
        assert_eq!(show(&b), vec![" ab  "]);
        b.align_to(6, Align::Right);
        assert_eq!(show(&b), vec!["  ab  "]);
    }

    #[test]
    fn grow_keeps_baseline() {
        let mut b = Block::text("x", PAD);
        b.grow(2, 1);
        assert_eq!(b.height(), 4);
        assert_eq!(b.baseline, 2);
        assert_eq!(b.baseline_text(), "x");
    }
}
