//! The JSON progress file of earlier releases (format version 1: one
//! snapshot of totals per exercise, rewritten whole at every save), read
//! once so that a student's progress comes along into the database. The
//! store moves the file aside afterwards (renamed, never deleted).

use super::Progress;

/// The only JSON format version nabla ever wrote.
pub const JSON_VERSION: u64 = 1;

/// Why a JSON file cannot be imported.
#[derive(Debug, PartialEq)]
pub enum Unreadable {
    Corrupt(String),
    Newer(u64),
}

/// Whether these bytes look like a JSON file (rather than a database or
/// something else): the first non-blank byte opens an object.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

/// Reads a JSON progress file: JSON, a known format version, the right
/// types. Fields it does not know are ignored, missing ones default.
pub fn parse_json(bytes: &[u8]) -> Result<Progress, Unreadable> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Unreadable::Corrupt(if bytes.iter().all(u8::is_ascii_whitespace) {
            "it is empty".to_string()
        } else {
            format!("it is not valid JSON: {e}")
        })
    })?;
    let version = match value.get("version") {
        Some(v) => v.as_u64().ok_or_else(|| {
            Unreadable::Corrupt(format!("its format version is not a whole number: {v}"))
        })?,
        None => return Err(Unreadable::Corrupt("it has no format version".to_string())),
    };
    if version > JSON_VERSION {
        return Err(Unreadable::Newer(version));
    }
    if version < JSON_VERSION {
        return Err(Unreadable::Corrupt(format!(
            "format version {version} is not one nabla has written"
        )));
    }
    serde_json::from_value(value)
        .map_err(|e| Unreadable::Corrupt(format!("its contents do not fit: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sorted_into_good_corrupt_and_newer() {
        assert!(parse_json(br#"{"version": 1}"#).is_ok());
        assert_eq!(
            parse_json(b""),
            Err(Unreadable::Corrupt("it is empty".to_string()))
        );
        for bad in [
            &b"{\"version\": 1, \"exer"[..],
            b"[1, 2]",
            br#"{"version": "1"}"#,
            br#"{"version": 0}"#,
            br#"{"version": 1, "exercises": {"a/b": {"attempts": "many"}}}"#,
        ] {
            assert!(matches!(parse_json(bad), Err(Unreadable::Corrupt(_))));
        }
        assert_eq!(parse_json(br#"{"version": 7}"#), Err(Unreadable::Newer(7)));
        assert!(looks_like_json(b"  \n{"));
        assert!(!looks_like_json(b"SQLite format 3\0"));
    }
}
