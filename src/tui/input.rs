//! A one-line text box: the answer being typed, its cursor and its history.

#[derive(Clone, Debug, Default)]
pub struct Input {
    chars: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Where ↑/↓ is in the history (None: the line being typed).
    browsing: Option<usize>,
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
