//! The grid editor for matrix answers: one cell per entry of the expected
//! shape, Tab and the arrows move between cells, and the grid becomes the
//! matrix literal `[a, b; c, d]` that the typed form would be.

#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<String>,
    /// The cell being edited, row-major.
    pub at: usize,
}

impl Grid {
    pub fn new(rows: usize, cols: usize) -> Grid {
        let (rows, cols) = (rows.max(1), cols.max(1));
        Grid {
            rows,
            cols,
            cells: vec![String::new(); rows * cols],
            at: 0,
        }
    }

    /// `"2×3"` → a 2×3 grid (the shapes `nabla show` reports).
    pub fn for_shape(shape: &str) -> Option<Grid> {
        let (r, c) = shape.split_once('×')?;
        let (r, c): (usize, usize) = (r.trim().parse().ok()?, c.trim().parse().ok()?);
        // Grids beyond this are easier typed as literals.
        (r * c <= 64).then(|| Grid::new(r, c))
    }

    pub fn type_char(&mut self, c: char) {
        // A space or comma moves on, as it would separate entries in a literal.
        if c == ' ' || c == ',' || c == ';' {
            self.next();
        } else if let Some(cell) = self.cells.get_mut(self.at) {
            cell.push(c);
        }
    }

    pub fn backspace(&mut self) {
        if let Some(cell) = self.cells.get_mut(self.at)
            && cell.pop().is_none()
            && self.at > 0
        {
            self.at -= 1;
        }
    }

    pub fn next(&mut self) {
        self.at = (self.at + 1).min(self.cells.len() - 1);
    }

    pub fn prev(&mut self) {
        self.at = self.at.saturating_sub(1);
    }

    pub fn up(&mut self) {
        if self.at >= self.cols {
            self.at -= self.cols;
        }
    }

    pub fn down(&mut self) {
        if self.at + self.cols < self.cells.len() {
            self.at += self.cols;
        }
    }

    pub fn is_complete(&self) -> bool {
        self.cells.iter().all(|c| !c.trim().is_empty())
    }

    /// The matrix literal the grid spells.
    pub fn literal(&self) -> String {
        let rows: Vec<String> = self
            .cells
            .chunks(self.cols)
            .map(|r| r.iter().map(|c| c.trim()).collect::<Vec<_>>().join(", "))
            .collect();
        format!("[{}]", rows.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_moving_spell_a_literal() {
        let mut g = Grid::for_shape("2×2").unwrap();
        for c in "1 -2".chars() {
            g.type_char(c);
        }
        g.down();
        g.type_char('4');
        g.prev();
        g.type_char('3');
        assert!(g.is_complete());
        assert_eq!(g.literal(), "[1, -2; 3, 4]");
    }

    #[test]
    fn movement_stays_inside_and_backspace_steps_back() {
        let mut g = Grid::new(2, 1);
        g.up();
        g.prev();
        assert_eq!(g.at, 0);
        g.down();
        g.down();
        assert_eq!(g.at, 1);
        g.backspace();
        assert_eq!(g.at, 0, "backspace in an empty cell goes back one");
        assert!(!g.is_complete());
        assert!(Grid::for_shape("9×9").is_none(), "large answers are typed");
    }
}
