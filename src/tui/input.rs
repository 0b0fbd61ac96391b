//! A one-line text box that edits the way a shell does (readline's keys:
//! words, kills and a yank), with its history, and the window of it that
//! fits a width in display columns (wide characters take two).

use nabla_engine::text::width::char_width;

#[derive(Clone, Debug, Default)]
pub struct Input {
    chars: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Where ↑/↓ is in the history (None: the line being typed).
    browsing: Option<usize>,
    /// The text the last kill took, for Ctrl-Y.
    killed: String,
}

/// Part of a word for Alt-B/F/D and Alt-Backspace: a name or a number.
/// (Ctrl-W, like readline's unix-word-rubout, stops at spaces instead.)
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Input {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn set(&mut self, text: &str) {
        self.chars = text.chars().collect();
        self.cursor = self.chars.len();
    }

    pub fn clear(&mut self) {
        self.set("");
        self.browsing = None;
    }

    pub fn insert(&mut self, c: char) {
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Where the word before the cursor starts (Alt-B).
    fn word_start(&self) -> usize {
        let mut i = self.cursor;
        while i > 0 && !is_word(self.chars[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.chars[i - 1]) {
            i -= 1;
        }
        i
    }

    /// Where the word after the cursor ends (Alt-F).
    fn word_end(&self) -> usize {
        let n = self.chars.len();
        let mut i = self.cursor;
        while i < n && !is_word(self.chars[i]) {
            i += 1;
        }
        while i < n && is_word(self.chars[i]) {
            i += 1;
        }
        i
    }

    pub fn word_left(&mut self) {
        self.cursor = self.word_start();
    }

    pub fn word_right(&mut self) {
        self.cursor = self.word_end();
    }

    /// Removes the characters `from..to` and keeps them for Ctrl-Y.
    fn kill(&mut self, from: usize, to: usize) {
        if from < to {
            self.killed = self.chars.drain(from..to).collect();
            self.cursor = from;
        }
    }

    /// Alt-Backspace: the word before the cursor.
    pub fn delete_word_back(&mut self) {
        self.kill(self.word_start(), self.cursor);
    }

    /// Alt-D: the word after the cursor.
    pub fn delete_word_forward(&mut self) {
        let end = self.word_end();
        self.kill(self.cursor, end);
    }

    /// Ctrl-W: back to the previous space, as in a shell.
    pub fn rubout_back(&mut self) {
        let mut i = self.cursor;
        while i > 0 && self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !self.chars[i - 1].is_whitespace() {
            i -= 1;
        }
        self.kill(i, self.cursor);
    }

    /// Ctrl-K: from the cursor to the end.
    pub fn kill_to_end(&mut self) {
        self.kill(self.cursor, self.chars.len());
    }

    /// Ctrl-U: from the start to the cursor (the whole line when the
    /// cursor is at its end, as it is after typing or ↑).
    pub fn kill_to_start(&mut self) {
        self.kill(0, self.cursor);
        if self.chars.is_empty() {
            self.browsing = None;
        }
    }

    /// Ctrl-Y: the last text killed, at the cursor.
    pub fn yank(&mut self) {
        let killed: Vec<char> = self.killed.chars().collect();
        let n = killed.len();
        self.chars.splice(self.cursor..self.cursor, killed);
        self.cursor += n;
    }

    /// The part of the line to show in `room` display columns, keeping the
    /// cursor in view: the first character shown, the text, and the
    /// cursor's column within it.
    pub fn window(&self, room: usize) -> Window {
        let room = room.max(1);
        // Start as far left as lets the cursor (one column for it) fit.
        let mut start = self.cursor;
        let mut before = 0;
        while start > 0 && before + char_width(self.chars[start - 1]) < room {
            start -= 1;
            before += char_width(self.chars[start]);
        }
        let mut text = String::new();
        let mut used = 0;
        for &c in &self.chars[start..] {
            let w = char_width(c);
            if used + w > room {
                break;
            }
            text.push(c);
            used += w;
        }
        Window {
            start,
            text,
            cursor_column: before,
        }
    }

    /// Display columns from the start of `window` to character `index` of
    /// the line (0 when `index` is scrolled off to the left).
    pub fn column_of(&self, window: &Window, index: usize) -> usize {
        let to = index.min(self.chars.len());
        if to <= window.start {
            return 0;
        }
        self.chars[window.start..to]
            .iter()
            .map(|&c| char_width(c))
            .sum()
    }

    /// Keeps a submitted answer for ↑ (no immediate duplicates).
    pub fn remember(&mut self, text: &str) {
        if !text.trim().is_empty() && self.history.last().is_none_or(|l| l != text) {
            self.history.push(text.to_string());
        }
        self.browsing = None;
    }

    pub fn previous(&mut self) {
        let n = self.history.len();
        if n == 0 {
            return;
        }
        let i = self.browsing.map_or(n - 1, |i| i.saturating_sub(1));
        self.browsing = Some(i);
        let t = self.history[i].clone();
        self.set(&t);
    }

    pub fn next(&mut self) {
        match self.browsing {
            Some(i) if i + 1 < self.history.len() => {
                self.browsing = Some(i + 1);
                let t = self.history[i + 1].clone();
                self.set(&t);
            }
            Some(_) => self.clear(),
            None => {}
        }
    }
}

/// What of a line is shown in the answer box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The index of the first character shown.
    pub start: usize,
    pub text: String,
    /// Display columns from the left of `text` to the cursor.
    pub cursor_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, cursor: usize) -> Input {
        let mut i = Input::default();
        i.set(text);
        i.cursor = cursor;
        i
    }

    #[test]
    fn words_are_names_and_numbers() {
        let mut i = at("W2' dz2 + b_1", 13);
        i.word_left();
        assert_eq!(i.cursor(), 10);
        i.word_left();
        assert_eq!(i.cursor(), 4);
        i.word_right();
        assert_eq!(i.cursor(), 7);
        i.delete_word_back();
        assert_eq!((i.text().as_str(), i.cursor()), ("W2'  + b_1", 4));
        i.delete_word_forward();
        assert_eq!((i.text().as_str(), i.cursor()), ("W2' ", 4));
    }

    #[test]
    fn ctrl_w_stops_at_spaces_and_ctrl_y_puts_it_back() {
        let mut i = at("A' (x + y)", 10);
        i.rubout_back();
        assert_eq!(i.text(), "A' (x + ");
        i.rubout_back();
        assert_eq!(i.text(), "A' (x ");
        i.yank();
        assert_eq!(i.text(), "A' (x + ");
    }

    #[test]
    fn kills_to_either_end_of_the_line() {
        let mut i = at("2 A x", 2);
        i.kill_to_end();
        assert_eq!((i.text().as_str(), i.cursor()), ("2 ", 2));
        let mut i = at("2 A x", 2);
        i.kill_to_start();
        assert_eq!((i.text().as_str(), i.cursor()), ("A x", 0));
        i.end();
        i.kill_to_start();
        assert_eq!(i.text(), "");
    }

    #[test]
    fn the_window_counts_wide_characters_as_two_columns() {
        // Six wide characters are twelve columns: in eight, the cursor at
        // the end and three characters before it (six columns, one left).
        let i = at("漢字漢字漢字", 6);
        let w = i.window(8);
        assert_eq!(w.text, "字漢字");
        assert_eq!(w.cursor_column, 6);
        assert_eq!(i.column_of(&w, 6), 6);
        // At the start, what fits from the left.
        let i = at("漢字漢字漢字", 0);
        let w = i.window(5);
        assert_eq!((w.start, w.text.as_str(), w.cursor_column), (0, "漢字", 0));
        assert_eq!(i.column_of(&w, 2), 4);
    }
}
