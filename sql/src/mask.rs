//! Spark's `mask(str[, upper[, lower[, digit[, other]]]])`: each upper-case letter, lower-case
//! letter and digit replaced by its class's character (`X`, `x` and `n` unless given), other
//! characters by `other` (kept unless given). A NULL replacement keeps that class as it is.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StringArray, StringBuilder};
use datafusion::common::Result;

use crate::udfs::strings;

/// The defaults Spark shows for left-out replacements (`mask(s, X, x, n, NULL)`).
pub const DEFAULTS: [Option<char>; 4] = [Some('X'), Some('x'), Some('n'), None];

/// `mask(...)` over columns.
pub fn mask(a: &[ArrayRef]) -> Result<ArrayRef> {
    let input = strings(&a[0])?;
    let replacements: Vec<Option<StringArray>> = (1..5).map(|k| a.get(k).map(strings).transpose()).collect::<Result<_>>()?;
    let mut out = StringBuilder::new();
    for i in 0..input.len() {
        if input.is_null(i) {
            out.append_null();
            continue;
        }
        let with: Vec<Option<char>> = replacements
            .iter()
            .zip(DEFAULTS)
            .map(|(given, default)| match given {
                Some(r) if r.is_null(i) => None,
                Some(r) => r.value(i).chars().next(),
                None => default,
            })
            .collect();
        let masked: String = input
            .value(i)
            .chars()
            .map(|c| {
                let class = if c.is_uppercase() {
                    0
                } else if c.is_lowercase() {
                    1
                } else if c.is_ascii_digit() {
                    2
                } else {
                    3
                };
                with[class].unwrap_or(c)
            })
            .collect();
        out.append_value(masked);
    }
    Ok(Arc::new(out.finish()))
}
