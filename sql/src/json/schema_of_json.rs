//! Spark's `schema_of_json(json)`: the type Spark infers for a JSON document, written as
//! Spark writes types in SQL (`STRUCT<a: BIGINT, b: ARRAY<DOUBLE>>`).
//!
//! As Spark infers: integers are BIGINT (DECIMAL when they do not fit), other numbers DOUBLE,
//! `null` STRING, objects structs with their fields sorted by name; an array's element type
//! is the widest of its elements' (BIGINT and DOUBLE are DOUBLE, structs merge their fields,
//! anything else that differs is STRING), and an empty array is an array of STRING.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, exec_err};

use super::value::{Json, Parser};

/// `schema_of_json(json)` over a column of texts.
pub fn schema_of_json(a: &[ArrayRef]) -> Result<ArrayRef> {
    let texts = cast(&a[0], &DataType::Utf8)?;
    let texts = texts.as_string::<i32>();
    let mut out = Vec::with_capacity(texts.len());
    for i in 0..texts.len() {
        if texts.is_null(i) {
            out.push(None);
            continue;
        }
        let Some(document) = Parser::new(texts.value(i)).document() else {
            return exec_err!(
                "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in schema inference. Parse Mode: FAILFAST. SQLSTATE: 22023"
            );
        };
        out.push(Some(crate::types::sql_type(&finish(infer_nullable(&document)))));
    }
    Ok(Arc::new(StringArray::from(out)))
}

fn infer(value: &Json) -> DataType {
    match value {
        Json::Null | Json::Str(_) => DataType::Utf8,
        Json::Bool(_) => DataType::Boolean,
        Json::Num(n) if n.contains(['.', 'e', 'E']) => DataType::Float64,
        Json::Num(n) if n.parse::<i64>().is_ok() => DataType::Int64,
        Json::Num(n) => DataType::Decimal128(u8::try_from(n.trim_start_matches('-').len()).unwrap_or(38).min(38), 0),
        Json::Arr(items) => {
            let element = items.iter().map(infer_nullable).reduce(|a, b| merge(&a, &b)).unwrap_or(DataType::Null);
            DataType::List(Arc::new(Field::new("element", element, true)))
        }
        Json::Obj(members) => {
            let mut fields: Vec<(String, DataType)> = Vec::new();
            for (name, v) in members {
                let t = infer_nullable(v);
                match fields.iter_mut().find(|(n, _)| n == name) {
                    Some((_, existing)) => *existing = merge(existing, &t),
                    None => fields.push((name.clone(), t)),
                }
            }
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            DataType::Struct(fields.into_iter().map(|(n, t)| Field::new(n, t, true)).collect::<Fields>())
        }
    }
}

/// An element's or member's type, where `null` says nothing yet (it merges into anything).
fn infer_nullable(value: &Json) -> DataType {
    if matches!(value, Json::Null) { DataType::Null } else { infer(value) }
}

/// A type where what was only ever `null` is STRING.
fn finish(dt: DataType) -> DataType {
    match dt {
        DataType::Null => DataType::Utf8,
        DataType::List(f) => DataType::List(Arc::new(Field::new("element", finish(f.data_type().clone()), true))),
        DataType::Struct(fields) => {
            DataType::Struct(fields.iter().map(|f| Field::new(f.name(), finish(f.data_type().clone()), true)).collect::<Fields>())
        }
        other => other,
    }
}

/// The type both `a` and `b` fit, as Spark's inference widens.
fn merge(a: &DataType, b: &DataType) -> DataType {
    match (a, b) {
        (DataType::Null, t) | (t, DataType::Null) => t.clone(),
        (x, y) if x == y => x.clone(),
        (
            DataType::Int64 | DataType::Float64 | DataType::Decimal128(..),
            DataType::Int64 | DataType::Float64 | DataType::Decimal128(..),
        ) => DataType::Float64,
        (DataType::List(x), DataType::List(y)) => {
            DataType::List(Arc::new(Field::new("element", merge(x.data_type(), y.data_type()), true)))
        }
        (DataType::Struct(x), DataType::Struct(y)) => {
            let mut fields: Vec<(String, DataType)> = x.iter().map(|f| (f.name().clone(), f.data_type().clone())).collect();
            for f in y {
                match fields.iter_mut().find(|(n, _)| n == f.name()) {
                    Some((_, t)) => *t = merge(t, f.data_type()),
                    None => fields.push((f.name().clone(), f.data_type().clone())),
                }
            }
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            DataType::Struct(fields.into_iter().map(|(n, t)| Field::new(n, t, true)).collect::<Fields>())
        }
        _ => DataType::Utf8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> String {
        let a: ArrayRef = Arc::new(StringArray::from(vec![text]));
        schema_of_json(&[a]).map(|r| r.as_string::<i32>().value(0).to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn infers_as_spark_infers() {
        // Expected values from PySpark 4.
        assert_eq!(schema(r#"[{"col":0}]"#), "ARRAY<STRUCT<col: BIGINT>>");
        assert_eq!(
            schema(r#"{"a":1, "b":[1.5], "c":{"d":"x"}, "e":null, "f":true, "g":12345678901}"#),
            "STRUCT<a: BIGINT, b: ARRAY<DOUBLE>, c: STRUCT<d: STRING>, e: STRING, f: BOOLEAN, g: BIGINT>"
        );
    }
}
