//! Matrices of numbers drawn as bracketed grids, the way a student writes them
//! on paper: entries right-aligned per column between tall brackets
//! (⎡ ⎢ ⎣ … ⎤ ⎥ ⎦), or `[ … ]` for a single row.

/// The bracket pair for row `i` of a matrix with `n` rows.
pub fn brackets(n: usize, i: usize) -> (char, char) {
    match (n, i) {
        (1, _) => ('[', ']'),
        (_, 0) => ('⎡', '⎤'),
        (n, i) if i + 1 == n => ('⎣', '⎦'),
        _ => ('⎢', '⎥'),
    }
}

/// The cells of a matrix of numbers as text, and each column's width.
pub fn number_cells(
    rows: &[Vec<f64>],
    format: impl Fn(f64) -> String,
) -> (Vec<Vec<String>>, Vec<usize>) {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|v| format(*v)).collect())
        .collect();
    let cols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths = (0..cols)
        .map(|j| {
            cells
                .iter()
                .map(|r| r.get(j).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(1)
        })
        .collect();
    (cells, widths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_grow_with_the_rows() {
        assert_eq!(brackets(1, 0), ('[', ']'));
        let three: Vec<(char, char)> = (0..3).map(|i| brackets(3, i)).collect();
        assert_eq!(three, [('⎡', '⎤'), ('⎢', '⎥'), ('⎣', '⎦')]);
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_entry() {
        let (cells, widths) =
            number_cells(&[vec![1.0, -20.0], vec![300.0, 4.0]], |v| v.to_string());
        assert_eq!(cells[1][0], "300");
        assert_eq!(widths, [3, 3]);
    }
}
