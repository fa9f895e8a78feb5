//! Spark's `from_json(json, schema[, options])`: JSON text read into the type a schema names —
//! a DDL field list (`a INT, b STRING`), `struct<...>`, `array<...>` or `map<string, ...>`.
//!
//! Spark's default mode, PERMISSIVE, never fails a row: a field whose value does not convert
//! (`"x"` or `1.5` for an INT) is NULL and the other fields keep theirs; an array or map with
//! one bad element is NULL as a whole; a malformed document is a struct of NULLs (a NULL for
//! an array or map schema); an empty or NULL text is NULL. Field names match exactly. A STRING
//! field takes any JSON value, objects and arrays as their compact text. With the option
//! `mode` `FAILFAST`, a malformed document is an error instead.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, TimeUnit};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

use super::value::{Json, Parser, write};

pub const NAME: &str = "from_json";

/// Spark's `from_json`.
pub fn from_json() -> Arc<ScalarUDF> {
    let signature = Signature::one_of(vec![TypeSignature::Any(2), TypeSignature::Any(3)], Volatility::Immutable);
    Arc::new(ScalarUDF::new_from_impl(FromJson { signature }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FromJson {
    signature: Signature,
}

/// The type a schema text names: a DDL field list is a struct.
pub fn schema_type(text: &str) -> Result<DataType> {
    if let Ok(dt @ (DataType::Struct(_) | DataType::List(_) | DataType::Map(..))) = crate::types::parse_data_type(text) {
        return Ok(dt);
    }
    let schema = crate::types::parse_ddl_schema(text).map_err(|e| datafusion::error::DataFusionError::Plan(e.to_string()))?;
    Ok(DataType::Struct(schema.fields().clone()))
}

fn schema_argument(args: &ReturnFieldArgs) -> Result<DataType> {
    match args.scalar_arguments.get(1).copied().flatten() {
        Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))) => schema_type(s),
        Some(other) => plan_err!(
            "[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema \"{other}\" is not a valid schema string. The input expression must be string literal and not null. SQLSTATE: 42K07"
        ),
        None => plan_err!(
            "[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema is not a valid schema string. The input expression must be string literal and not null. SQLSTATE: 42K07"
        ),
    }
}

impl ScalarUDFImpl for FromJson {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{NAME} is typed by its schema argument")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::new(Field::new(NAME, schema_argument(&args)?, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let fail_fast = match args.args.get(2) {
            Some(ColumnarValue::Scalar(options)) => fail_fast(options)?,
            Some(ColumnarValue::Array(_)) => return exec_err!("{NAME}: the options must be a constant map"),
            None => false,
        };
        let target = args.return_field.data_type().clone();
        let texts = args.args[0].to_array(args.number_rows)?;
        let texts = cast(&texts, &DataType::Utf8)?;
        let texts = texts.as_string::<i32>();
        let mut rows = Vec::with_capacity(texts.len());
        for i in 0..texts.len() {
            rows.push(if texts.is_null(i) { ScalarValue::try_from(&target)? } else { read(texts.value(i), &target, fail_fast)? });
        }
        Ok(ColumnarValue::Array(array_of(rows, &target)?))
    }
}

/// Whether the options ask for FAILFAST; any option but `mode` is refused by name.
fn fail_fast(options: &ScalarValue) -> Result<bool> {
    let ScalarValue::Map(map) = options else {
        return exec_err!("[INVALID_OPTIONS.NON_MAP_FUNCTION] Must use the `map()` function for options. SQLSTATE: 42K06");
    };
    let mut fail_fast = false;
    if map.is_empty() || map.is_null(0) {
        return Ok(false);
    }
    let entries = map.value(0);
    let keys = cast(entries.column(0), &DataType::Utf8)?;
    let values = cast(entries.column(1), &DataType::Utf8)?;
    let (keys, values) = (keys.as_string::<i32>(), values.as_string::<i32>());
    for i in 0..keys.len() {
        let value = if values.is_null(i) { "" } else { values.value(i) };
        match keys.value(i).to_ascii_lowercase().as_str() {
            "mode" if value.eq_ignore_ascii_case("FAILFAST") => fail_fast = true,
            "mode" if value.eq_ignore_ascii_case("PERMISSIVE") => fail_fast = false,
            "mode" => {
                return exec_err!(
                    "[PARSE_MODE_UNSUPPORTED] The function `{NAME}` doesn't support the {value} mode. Acceptable modes are PERMISSIVE and FAILFAST. SQLSTATE: 42601"
                );
            }
            other => return exec_err!("{NAME}: the JSON option `{other}` is not supported by Ember"),
        }
    }
    Ok(fail_fast)
}

/// One text read into `target`.
fn read(text: &str, target: &DataType, fail_fast: bool) -> Result<ScalarValue> {
    if text.trim().is_empty() {
        return ScalarValue::try_from(target);
    }
    let converted = Parser::new(text).document().and_then(|doc| convert(&doc, target));
    match converted {
        Some(value) => Ok(value),
        None if fail_fast => Err(super::malformed_record("[null]")),
        // A document that does not read as a struct: every field NULL.
        None if let DataType::Struct(fields) = target => {
            struct_of(fields, fields.iter().map(|f| ScalarValue::try_from(f.data_type())).collect::<Result<_>>()?)
        }
        None => ScalarValue::try_from(target),
    }
}

/// A struct scalar of `values`, one per field.
fn struct_of(fields: &Fields, values: Vec<ScalarValue>) -> Result<ScalarValue> {
    let columns: Vec<ArrayRef> = values.iter().map(ScalarValue::to_array).collect::<Result<_>>()?;
    Ok(ScalarValue::Struct(Arc::new(StructArray::try_new(fields.clone(), columns, None)?)))
}

/// `value` as `target`; `None` when it does not convert.
fn convert(value: &Json, target: &DataType) -> Option<ScalarValue> {
    if let Json::Null = value {
        return ScalarValue::try_from(target).ok();
    }
    Some(match (target, value) {
        (DataType::Boolean, Json::Bool(b)) => ScalarValue::Boolean(Some(*b)),
        (DataType::Int8, Json::Num(n)) => ScalarValue::Int8(Some(n.parse().ok()?)),
        (DataType::Int16, Json::Num(n)) => ScalarValue::Int16(Some(n.parse().ok()?)),
        (DataType::Int32, Json::Num(n)) => ScalarValue::Int32(Some(n.parse().ok()?)),
        (DataType::Int64, Json::Num(n)) => ScalarValue::Int64(Some(n.parse().ok()?)),
        (DataType::Float32, _) => ScalarValue::Float32(Some(float(value)? as f32)),
        (DataType::Float64, _) => ScalarValue::Float64(Some(float(value)?)),
        (DataType::Decimal128(p, s), Json::Num(n)) => {
            let cast = ScalarValue::Utf8(Some(n.clone())).cast_to(&DataType::Decimal128(*p, *s)).ok()?;
            if cast.is_null() {
                return None;
            }
            cast
        }
        (DataType::Utf8, Json::Str(s)) => ScalarValue::Utf8(Some(s.clone())),
        (DataType::Utf8, other) => {
            let mut text = String::new();
            write(other, &mut text);
            ScalarValue::Utf8(Some(text))
        }
        (DataType::Date32, Json::Str(s)) => {
            let date = crate::datetime_cast::read_date(s)?;
            ScalarValue::Date32(Some(i32::try_from(date.signed_duration_since(chrono::NaiveDate::default()).num_days()).ok()?))
        }
        (DataType::Timestamp(TimeUnit::Microsecond, zone), Json::Str(s)) => {
            let micros =
                if zone.is_some() { crate::datetime_cast::read_timestamp(s)? } else { crate::datetime_cast::read_timestamp_ntz(s)? };
            ScalarValue::TimestampMicrosecond(Some(micros), zone.clone())
        }
        (DataType::List(field), Json::Arr(items)) => {
            let values: Vec<ScalarValue> = items.iter().map(|v| convert(v, field.data_type())).collect::<Option<_>>()?;
            let values = array_of(values, field.data_type()).ok()?;
            let offsets = OffsetBuffer::from_lengths([items.len()]);
            ScalarValue::List(Arc::new(ListArray::try_new(Arc::clone(field), offsets, values, None).ok()?))
        }
        (DataType::Struct(fields), Json::Obj(members)) => {
            let values = fields
                .iter()
                .map(|f| {
                    let found = members.iter().rev().find(|(k, _)| k == f.name()).map(|(_, v)| v);
                    // A field that does not convert is NULL; the others keep their values.
                    found.and_then(|v| convert(v, f.data_type())).map_or_else(|| ScalarValue::try_from(f.data_type()), Ok)
                })
                .collect::<Result<Vec<_>>>()
                .ok()?;
            struct_of(fields, values).ok()?
        }
        (DataType::Map(entries, sorted), Json::Obj(members)) => map_of(entries, *sorted, members)?,
        _ => return None,
    })
}

/// A JSON number (or Spark's spellings of the non-finite doubles) as a double.
fn float(value: &Json) -> Option<f64> {
    match value {
        Json::Num(n) => n.parse().ok(),
        Json::Str(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" | "+Infinity" | "+INF" | "INF" => Some(f64::INFINITY),
            "-Infinity" | "-INF" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// `values` of type `dt` as an array (empty when there are none).
fn array_of(values: Vec<ScalarValue>, dt: &DataType) -> Result<ArrayRef> {
    if values.is_empty() { Ok(datafusion::arrow::array::new_empty_array(dt)) } else { ScalarValue::iter_to_array(values) }
}

/// An object as a map of its members; `None` when a key or value does not convert.
fn map_of(entries: &FieldRef, sorted: bool, members: &[(String, Json)]) -> Option<ScalarValue> {
    let DataType::Struct(kv) = entries.data_type() else {
        return None;
    };
    let (key_type, value_type) = (kv.first()?.data_type(), kv.get(1)?.data_type());
    let keys: Vec<ScalarValue> =
        members.iter().map(|(k, _)| ScalarValue::Utf8(Some(k.clone())).cast_to(key_type).ok()).collect::<Option<_>>()?;
    let values: Vec<ScalarValue> = members.iter().map(|(_, v)| convert(v, value_type)).collect::<Option<_>>()?;
    let columns = vec![array_of(keys, key_type).ok()?, array_of(values, value_type).ok()?];
    let struct_array = StructArray::try_new(kv.clone(), columns, None).ok()?;
    let offsets = OffsetBuffer::from_lengths([members.len()]);
    let map = MapArray::try_new(Arc::clone(entries), offsets, struct_array, None, sorted).ok()?;
    Some(ScalarValue::Map(Arc::new(map)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, schema: &str) -> String {
        let target = schema_type(schema).map_err(|e| e.to_string()).unwrap_or(DataType::Null);
        read(text, &target, false).map(|v| v.to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn reads_as_spark_reads() {
        // Expected values from PySpark 4.
        assert_eq!(one(r#"{"a":1, "b":0.8}"#, "a INT, b DOUBLE"), "{a:1,b:0.8}");
        assert_eq!(one(r#"{"a":1"#, "a INT"), "{a:}");
        assert_eq!(one(r#"{"a":"x", "b": 2}"#, "a INT, b INT"), "{a:,b:2}");
        assert_eq!(one(r#"{"a":{"c":1}, "b": [1,2]}"#, "a STRING, b STRING"), r#"{a:{"c":1},b:[1,2]}"#);
        assert_eq!(one("[1,2,3]", "ARRAY<INT>"), "[1, 2, 3]");
        assert_eq!(one(r#"{"A":1}"#, "a INT"), "{a:}");
        assert_eq!(one(r#"{"a":[1,"x"]}"#, "a ARRAY<INT>"), "{a:}");
        assert_eq!(one(r#"{"a":1.5}"#, "a DECIMAL(5,2)"), "{a:1.50}");
        assert_eq!(one("", "a INT"), "NULL");
    }
}
