//! Markdown tables: cells are collected as single styled lines (inline math
//! included), then drawn with box-drawing borders, columns sized to their
//! widest cell. A table wider than the screen is still drawn whole; the
//! TUI clips or scrolls it.

use pulldown_cmark::Alignment;

use super::super::style::{Line, Style};

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

    /// Box-drawn form.
    pub fn draw(&self) -> Vec<Line> {
        let widths = self.widths();
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
            let mut line = Line::new();
            for (c, width) in widths.iter().enumerate() {
                line.push_str(if c == 0 { "│ " } else { " │ " }, BORDER);
                let empty = Line::new();
                let cell = row.get(c).unwrap_or(&empty);
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
        out.push(rule("└", "┴", "┘"));
        out
    }
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
        let text: Vec<String> = table.draw().iter().map(Line::plain_text).collect();
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
}
