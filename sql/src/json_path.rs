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

use crate::naming::format_double;
use crate::value_format::json_string;

/// A parsed JSON value; objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    /// The number as written.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.text.len() && self.text[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Option<Json> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Some(value)
        } else {
            None
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > 256 {
            return None;
        }
        self.skip_ws();
        match *self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Obj(fields));
                }
                loop {
                    self.skip_ws();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    fields.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Json::Obj(fields));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Json::Str),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while self.at < self.text.len() && matches!(self.text[self.at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.at += 1;
                }
                let number = std::str::from_utf8(&self.text[start..self.at]).ok()?;
                number.parse::<f64>().ok()?;
                Some(Json::Num(number.to_string()))
            }
            _ => None,
        }
    }

    /// A string token starting at the current position, unescaped.
    fn string(&mut self) -> Option<String> {
        if self.text.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = *self.text.get(self.at)?;
            self.at += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.text.get(self.at)?;
                    self.at += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.text[self.at..].starts_with(b"\\u") {
                                self.at += 2;
                                let low = self.hex4()?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                            }
                            let c = char::from_u32(code)?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return None,
                    }
                }
                _ => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.text.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

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

fn write_number(n: &str, out: &mut String) {
    if n.contains(['.', 'e', 'E']) {
        match n.parse::<f64>() {
            Ok(f) => out.push_str(&format_double(f)),
            Err(_) => out.push_str(n),
        }
    } else {
        out.push_str(n);
    }
}

fn write(value: &Json, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => write_number(n, out),
        Json::Str(s) => out.push_str(&json_string(s)),
        Json::Arr(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        Json::Obj(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(k));
                out.push(':');
                write(v, out);
            }
            out.push('}');
        }
    }
}

/// The text `get_json_object` returns for one document and path.
fn extract(json: &str, path: &str) -> Option<String> {
    let steps = parse_path(path.trim())?;
    let document = Parser { text: json.as_bytes(), at: 0 }.value(0)?;
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
