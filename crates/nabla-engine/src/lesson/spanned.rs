//! A value and the byte range of its lesson file it was read from.
//!
//! toml's own `Spanned` can only be deserialized by toml. The built-in course
//! is stored pre-parsed (`build.rs`, then `load::builtin`) in postcard, and the
//! spans must survive that trip: lint and the tutor's error messages point
//! into the lesson files with them. So this type reads through toml's
//! `Spanned` from TOML (a human-readable format) and as `(start, end, value)`
//! from a compact, non-human-readable one. It is included by path into
//! `build.rs`, so it uses nothing of the crate.

use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug)]
pub struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    pub fn new(span: Range<usize>, value: T) -> Self {
        Spanned { span, value }
    }

    /// The value's byte range in its file (for a string, with its quotes).
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = toml::Spanned::<T>::deserialize(d)?;
            Ok(Spanned::new(s.span(), s.into_inner()))
        } else {
            let (start, end, value) = <(usize, usize, T)>::deserialize(d)?;
            Ok(Spanned::new(start..end, value))
        }
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            // As toml's `Spanned` does: the span is where a value was read,
            // not part of the value.
            self.value.serialize(s)
        } else {
            (self.span.start, self.span.end, &self.value).serialize(s)
        }
    }
}
