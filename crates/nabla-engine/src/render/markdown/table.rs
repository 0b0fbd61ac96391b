//! Markdown tables: cells are collected as single styled lines (inline math
//! included), then drawn with box-drawing borders, columns sized to their
//! widest cell. A table wider than the space it is drawn in has its widest
//! columns narrowed and their cells wrapped (inline math kept whole, inline
//! code kept whole where the column has room for it), down to each column's
//! longest unbreakable word; only a table that cannot fit even then is drawn
//! wider, for the front end to clip or scroll.

use pulldown_cmark::Alignment;

use super::super::style::{Line, Style};
use super::wrap::{Piece, wrap};

#[derive(Debug, Default)]
pub struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Line>>,
    header_rows: usize,
    current: Vec<Line>,
}

const BORDER: Style = Style {
    bold: false,
    italic: false,
    code: false,
    math: false,
    heading: 0,
    quote: false,
    dim: true,
};

impl Table {
    pub fn new(aligns: Vec<Alignment>) -> Table {
        Table {
            aligns,
            ..Table::default()
        }
    }

    pub fn push_cell(&mut self, cell: Line) {
        self.current.push(cell);
    }

    /// Finish a row; header cells are drawn bold.
    pub fn end_row(&mut self, header: bool) {
        let mut row = std::mem::take(&mut self.current);
        if header {
            for cell in &mut row {
                cell.restyle(|s| Style { bold: true, ..s });
            }
            self.header_rows += 1;
        }
        self.rows.push(row);
    }

    fn widths(&self) -> Vec<usize> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(Line::width)
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// Plain form for `markdown_to_plain`: one row per line, ` | ` between
    /// cells.
    pub fn plain(&self) -> Vec<Line> {
        self.rows
            .iter()
            .map(|row| {
                let mut line = Line::new();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        line.push_str(" | ", Style::default());
                    }
                    line.append(cell);
                }
                line
            })
            .collect()
    }

    /// Column widths that fit `width` columns in all (borders included) where
    /// the cells' words allow.
    fn fitted_widths(&self, width: usize) -> Vec<usize> {
        let mut widths = self.widths();
        let borders = 3 * widths.len() + 1;
        let fits = |w: &[usize]| w.iter().sum::<usize>() + borders <= width;
        // The narrowest each column may get: its longest word.
        let floors: Vec<usize> = (0..widths.len())
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .flat_map(cell_pieces)
                    .map(|piece| unbreakable_width(&piece))
                    .max()
                    .unwrap_or(0)
                    .min(widths[c])
            })
            .collect();
        // Narrow the widest column that can give, one column at a time.
        while !fits(&widths) {
            let Some(c) = (0..widths.len())
                .filter(|&c| widths[c] > floors[c])
                .max_by_key(|&c| widths[c])
            else {
                break;
            };
            widths[c] -= 1;
        }
        widths
    }

    /// Box-drawn form, within `width` columns where the words allow.
    pub fn draw(&self, width: usize) -> Vec<Line> {
        let widths = self.fitted_widths(width);
        let rule = |left: &str, mid: &str, right: &str| {
            let mut line = Line::new();
            line.push_str(left, BORDER);
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    line.push_str(mid, BORDER);
                }
                line.push_str(&"─".repeat(w + 2), BORDER);
            }
            line.push_str(right, BORDER);
            line
        };
        let mut out = vec![rule("┌", "┬", "┐")];
        for (r, row) in self.rows.iter().enumerate() {
            if r > 0 && r == self.header_rows {
                out.push(rule("├", "┼", "┤"));
            }
            // Each cell as the lines it wraps to; the row is as tall as its
            // tallest cell.
            let cells: Vec<Vec<Line>> = widths
                .iter()
                .enumerate()
                .map(|(c, &w)| match row.get(c) {
                    Some(cell) if cell.width() > w => wrap(&cell_pieces(cell), w),
                    Some(cell) => vec![cell.clone()],
                    None => Vec::new(),
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut line = Line::new();
                for (c, width) in widths.iter().enumerate() {
                    line.push_str(if c == 0 { "│ " } else { " │ " }, BORDER);
                    let empty = Line::new();
                    let cell = cells[c].get(k).unwrap_or(&empty);
                    let extra = width.saturating_sub(cell.width());
                    let left = match self.aligns.get(c) {
                        Some(Alignment::Center) => extra / 2,
                        Some(Alignment::Right) => extra,
                        _ => 0,
                    };
                    line.pad(left, Style::default());
                    line.append(cell);
                    line.pad(extra - left, Style::default());
                }
                line.push_str(" │", BORDER);
                out.push(line);
            }
        }
        out.push(rule("└", "┴", "┘"));
        out
    }
}

/// The narrowest a piece can be wrapped to: a formula's whole width, a
/// word's for text and code (code moves down whole where it fits, but a
/// column may still be narrowed below it and break it at its spaces, as a
/// paragraph does with code wider than the line).
fn unbreakable_width(piece: &Piece) -> usize {
    let longest_word = |text: &str| {
        text.split_whitespace()
            .map(super::super::style::str_width)
            .max()
            .unwrap_or(0)
    };
    match piece {
        Piece::Unit(line) if line.spans.iter().any(|s| s.style.math) => line.width(),
        Piece::Unit(line) => longest_word(&line.plain_text()),
        Piece::Text(text, _) => longest_word(text),
        Piece::Break => 0,
    }
}

/// A cell's content as pieces to wrap: text breaks at its spaces, inline
/// math and inline code stay whole.
fn cell_pieces(cell: &Line) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for span in &cell.spans {
        let unit = span.style.math || span.style.code;
        match (unit, pieces.last_mut()) {
            // One formula is drawn as several spans: keep them one unit.
            (true, Some(Piece::Unit(line))) => line.push_str(&span.text, span.style),
            (true, _) => pieces.push(Piece::Unit(Line::styled(span.text.clone(), span.style))),
            (false, _) => pieces.push(Piece::Text(span.text.clone(), span.style)),
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_boxes_sized_to_content() {
        let mut table = Table::new(vec![Alignment::None, Alignment::Right]);
        table.push_cell(Line::styled("name", Style::default()));
        table.push_cell(Line::styled("n", Style::default()));
        table.end_row(true);
        table.push_cell(Line::styled("a", Style::default()));
        table.push_cell(Line::styled("10", Style::default()));
        table.end_row(false);
        let text: Vec<String> = table.draw(80).iter().map(Line::plain_text).collect();
        assert_eq!(
            text,
            vec![
                "┌──────┬────┐",
                "│ name │  n │",
                "├──────┼────┤",
                "│ a    │ 10 │",
                "└──────┴────┘",
            ]
        );
        let plain: Vec<String> = table.plain().iter().map(Line::plain_text).collect();
        assert_eq!(plain, vec!["name | n", "a | 10"]);
    }

    #[test]
    fn a_table_too_wide_wraps_its_widest_cells() {
        let mut table = Table::new(vec![Alignment::None, Alignment::None]);
        table.push_cell(Line::styled("key", Style::default()));
        table.push_cell(Line::styled("does", Style::default()));
        table.end_row(true);
        table.push_cell(Line::styled("F2", Style::default()));
        table.push_cell(Line::styled(
            "a hint: the next one each time it is pressed",
            Style::default(),
        ));
        table.end_row(false);
        let text: Vec<String> = table.draw(30).iter().map(Line::plain_text).collect();
        assert_eq!(
            text,
            vec![
                "┌─────┬──────────────────────┐",
                "│ key │ does                 │",
                "├─────┼──────────────────────┤",
                "│ F2  │ a hint: the next one │",
                "│     │ each time it is      │",
                "│     │ pressed              │",
                "└─────┴──────────────────────┘",
            ]
        );
        assert!(text.iter().all(|l| l.chars().count() <= 30));
        // A word longer than the room is never cut: the table grows instead.
        let mut long = Table::new(vec![Alignment::None]);
        long.push_cell(Line::styled("incomprehensibilities", Style::default()));
        long.end_row(false);
        let text: Vec<String> = long.draw(10).iter().map(Line::plain_text).collect();
        assert_eq!(text[1], "│ incomprehensibilities │");
    }
}
