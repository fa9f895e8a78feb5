//! Spark's `locate(substr, str[, pos])` and `position(substr, str[, pos])` (also written
//! `position(substr IN str)`): the 1-based position of the first `substr` in `str` at or after
//! character `pos` (1 when left out), 0 when there is none.
//!
//! Spark's edge cases: a NULL `pos` answers 0 (not NULL), a NULL `substr` or `str` NULL, a
//! `pos` below 1 answers 0, and an empty `substr` is found at once (1).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::{Result, exec_err};

/// The evaluator shared by both names: `(substr, str[, pos])`.
pub fn locate(args: &[ArrayRef]) -> Result<ArrayRef> {
    let (Some(needle), Some(haystack)) = (args.first(), args.get(1)) else {
        return exec_err!("locate takes a substring, a string and an optional start");
    };
    let needle = cast(needle, &DataType::Utf8)?;
    let haystack = cast(haystack, &DataType::Utf8)?;
    let (needle, haystack) = (needle.as_string::<i32>(), haystack.as_string::<i32>());
    let start = match args.get(2) {
        Some(start) => Some(cast(start, &DataType::Int32)?),
        None => None,
    };
    let start = start.as_ref().map(|s| s.as_primitive::<Int32Type>());
    let found: Int32Array = (0..needle.len())
        .map(|i| {
            let from = match start {
                Some(s) if s.is_null(i) => return Some(0),
                Some(s) => s.value(i),
                None => 1,
            };
            if needle.is_null(i) || haystack.is_null(i) {
                return None;
            }
            Some(position(needle.value(i), haystack.value(i), from))
        })
        .collect();
    Ok(Arc::new(found))
}

/// The 1-based character position of `needle` in `haystack` at or after character `from`.
fn position(needle: &str, haystack: &str, from: i32) -> i32 {
    if from < 1 {
        return 0;
    }
    if needle.is_empty() {
        return 1;
    }
    let skip = usize::try_from(from - 1).unwrap_or(usize::MAX);
    let Some((offset, _)) = haystack.char_indices().nth(skip) else {
        return 0;
    };
    haystack[offset..].find(needle).map_or(0, |at| {
        let chars = haystack[..offset + at].chars().count();
        i32::try_from(chars + 1).unwrap_or(i32::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::position;

    #[test]
    fn positions_count_characters_from_one() {
        assert_eq!(position("l", "hello", 1), 3);
        assert_eq!(position("l", "hello", 4), 4);
        assert_eq!(position("l", "hello", 6), 0);
        assert_eq!(position("z", "hello", 1), 0);
        assert_eq!(position("l", "hello", 0), 0);
        assert_eq!(position("", "hello", 3), 1);
        assert_eq!(position("é", "aéé", 3), 3);
    }
}
