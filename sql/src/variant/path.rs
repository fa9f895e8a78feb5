//! Spark's variant paths: `$` followed by `.name`, `['name']`, `["name"]` or `[index]` segments.

use datafusion::common::Result;
use datafusion::error::DataFusionError;

use super::value::{Value, Variant};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

/// The segments of `path`, `None` when it is not a path.
pub(super) fn parse(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            segments.push(Segment::Key(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"');
            if let Some(q) = quote {
                let inner = &after[1..];
                let end = inner.find(q)?;
                segments.push(Segment::Key(inner[..end].to_string()));
                rest = inner[end + 1..].strip_prefix(']')?;
            } else {
                let end = after.find(']')?;
                let digits = &after[..end];
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                segments.push(Segment::Index(digits.parse().ok()?));
                rest = &after[end + 1..];
            }
        } else {
            return None;
        }
    }
    Some(segments)
}

/// Spark's error for a path `variant_get` cannot read.
pub(super) fn invalid_get_path(path: &str, function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[INVALID_VARIANT_GET_PATH] The path `{path}` is not a valid variant extraction path in ``{function}``.\nA valid path should \
         start with `$` and is followed by zero or more segments like `[123]`, `.name`, `['name']`, or `[\"name\"]`. SQLSTATE: 22023"
    ))
}

/// The value at `segments` inside `v`, `None` when there is none.
pub(super) fn find<'a>(v: Variant<'a>, segments: &[Segment]) -> Result<Option<Variant<'a>>> {
    let mut current = v;
    for segment in segments {
        let next = match (segment, current.get()?) {
            (Segment::Key(key), Value::Object(object)) => object.get(key)?,
            (Segment::Index(i), Value::Array(list)) if *i < list.len() => Some(list.get(*i)?),
            _ => None,
        };
        match next {
            Some(n) => current = n,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// The path text of the first `n` segments, as Spark quotes where a path fails (`$.a[0]`).
pub(super) fn prefix_text(segments: &[Segment], n: usize) -> String {
    let mut out = String::from("$");
    for s in &segments[..n] {
        match s {
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_spark_reads_them() {
        assert_eq!(parse("$"), Some(vec![]));
        assert_eq!(parse("$[\"a b\"].c[1]"), Some(vec![Segment::Key("a b".into()), Segment::Key("c".into()), Segment::Index(1)]));
        assert_eq!(parse("$['x'][0]"), Some(vec![Segment::Key("x".into()), Segment::Index(0)]));
        for bad in ["a", "$[-1]", "$.", "$[", "$x", "$['a]"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
