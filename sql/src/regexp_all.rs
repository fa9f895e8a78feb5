//! Spark's `regexp_substr(str, regexp)` (the first match, NULL when none) and
//! `regexp_extract_all(str, regexp[, idx])` (group `idx`, 1 when left out, of every match).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type};
use datafusion::common::{Result, exec_err};

use crate::udfs::{RegexCache, pattern_at, strings};

/// `regexp_substr(str, regexp)` over columns.
pub fn regexp_substr(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (s, p) = (strings(&a[0])?, strings(&a[1])?);
    let mut cache = RegexCache::new();
    let mut out = StringBuilder::new();
    for i in 0..s.len() {
        match pattern_at(&p, i) {
            Some(pattern) if !s.is_null(i) => out.append_option(cache.get(pattern)?.find(s.value(i)).map(|m| m.as_str())),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `regexp_extract_all(str, regexp[, idx])` over columns.
pub fn regexp_extract_all(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (s, p) = (strings(&a[0])?, strings(&a[1])?);
    let idx = match a.get(2) {
        Some(idx) => Some(cast(idx, &DataType::Int64)?.as_primitive::<Int64Type>().clone()),
        None => None,
    };
    let mut cache = RegexCache::new();
    let mut out = ListBuilder::new(StringBuilder::new()).with_field(Field::new("element", DataType::Utf8, true));
    for i in 0..s.len() {
        let group = match &idx {
            Some(g) if g.is_null(i) => None,
            Some(g) => Some(g.value(i)),
            None => Some(1),
        };
        let (Some(pattern), Some(group), false) = (pattern_at(&p, i), group, s.is_null(i)) else {
            out.append(false);
            continue;
        };
        let re = cache.get(pattern)?;
        let groups = re.captures_len() - 1;
        let Some(group) = usize::try_from(group).ok().filter(|g| *g <= groups) else {
            return exec_err!(
                "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` in `regexp_extract_all` is invalid: Expects group index between 0 and {groups}, but got {group}. SQLSTATE: 22023"
            );
        };
        for captures in re.captures_iter(s.value(i)) {
            out.values().append_value(captures.get(group).map_or("", |m| m.as_str()));
        }
        out.append(true);
    }
    Ok(Arc::new(out.finish()))
}
