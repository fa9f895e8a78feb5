//! Spark's `get_json_object(json, path)`: the value at a JSON path (`$.a.b[0]`, `$['a b']`,
//! `$.a[*].b`), as text.
//!
//! A string value comes back unquoted; objects and arrays as compact JSON in their original key
//! order, with fractional numbers written as Java writes doubles (`1.50` is `1.5`), as Spark's
//! Jackson-based implementation does. Malformed JSON, a malformed path or a missing value give
//! NULL, as does a JSON `null`.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use super::value::{Json, Parser, write, write_number};

/// One step of a path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Wildcard,
}

fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            if key.is_empty() {
                return None;
            }
            steps.push(if key == "*" { Step::Wildcard } else { Step::Key(key.to_string()) });
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']")?;
            steps.push(Step::Key(r[..end].to_string()));
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inside = r[..end].trim();
            steps.push(if inside == "*" { Step::Wildcard } else { Step::Index(inside.parse().ok()?) });
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

fn select<'a>(value: &'a Json, steps: &[Step], out: &mut Vec<&'a Json>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(value);
        return;
    };
    match (step, value) {
        (Step::Key(k), Json::Obj(fields)) => {
            if let Some((_, v)) = fields.iter().find(|(name, _)| name == k) {
                select(v, rest, out);
            }
        }
        (Step::Index(i), Json::Arr(items)) => {
            if let Some(v) = items.get(*i) {
                select(v, rest, out);
            }
        }
        (Step::Wildcard, Json::Arr(items)) => items.iter().for_each(|v| select(v, rest, out)),
        (Step::Wildcard, Json::Obj(fields)) => fields.iter().for_each(|(_, v)| select(v, rest, out)),
        _ => {}
    }
}

/// The text `get_json_object` returns for one document and path.
fn extract(json: &str, path: &str) -> Option<String> {
    let steps = parse_path(path.trim())?;
    let document = Parser::new(json).value(0)?;
    let mut found = Vec::new();
    select(&document, &steps, &mut found);
    let value = match found.as_slice() {
        [] => return None,
        [one] => (*one).clone(),
        many => Json::Arr(many.iter().map(|v| (*v).clone()).collect()),
    };
    match value {
        Json::Null => None,
        Json::Str(s) => Some(s),
        Json::Num(n) => {
            let mut out = String::new();
            write_number(&n, &mut out);
            Some(out)
        }
        other => {
            let mut out = String::new();
            write(&other, &mut out);
            Some(out)
        }
    }
}

/// `get_json_object(json, path)` over columns.
pub fn get_json_object(a: &[ArrayRef]) -> Result<ArrayRef> {
    let docs = cast(&a[0], &DataType::Utf8)?;
    let paths = cast(&a[1], &DataType::Utf8)?;
    let (docs, paths) = (docs.as_string::<i32>(), paths.as_string::<i32>());
    let out: StringArray =
        (0..docs.len()).map(|i| if docs.is_null(i) || paths.is_null(i) { None } else { extract(docs.value(i), paths.value(i)) }).collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_spark_returns_them() {
        // Expected values from spark-sql 4.
        let doc = r#"{"a":{"b":[1,{"c":"x y"}], "d": true}, "e":null, "f":"q\"t"}"#;
        assert_eq!(extract(doc, "$.a").as_deref(), Some(r#"{"b":[1,{"c":"x y"}],"d":true}"#));
        assert_eq!(extract(r#"{"a":{"b":[1,{"c":"x y"}]}}"#, "$.a.b[1].c").as_deref(), Some("x y"));
        assert_eq!(extract(r#"{"a":{"b":[1,2]}}"#, "$.a.b[0]").as_deref(), Some("1"));
        assert_eq!(extract(r#"{"a":1}"#, "$.z"), None);
        assert_eq!(extract(r#"{"e":null}"#, "$.e"), None);
        assert_eq!(extract(r#"{"f":"q\"t"}"#, "$.f").as_deref(), Some("q\"t"));
        assert_eq!(extract("not json", "$.a"), None);
        assert_eq!(extract(r#"{"a":[{"b":1},{"b":2}]}"#, "$.a[*].b").as_deref(), Some("[1,2]"));
        assert_eq!(extract(r#"{"a":1.50}"#, "$.a").as_deref(), Some("1.5"));
        assert_eq!(extract("[1,2]", "$[1]").as_deref(), Some("2"));
        assert_eq!(extract(r#"{"a b":3}"#, "$['a b']").as_deref(), Some("3"));
        assert_eq!(extract(r#"{"a":{"x":1}}"#, "$").as_deref(), Some(r#"{"a":{"x":1}}"#));
        assert_eq!(extract(r#"{"a":"ü\u00e9"}"#, "$.a").as_deref(), Some("üé"));
        assert_eq!(extract(r#"{"a":1}"#, "a"), None, "a path starts at $");
    }
}
