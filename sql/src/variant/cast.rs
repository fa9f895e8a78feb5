//! Casts between variants and Spark's other types, as Spark's `VariantGet.cast` and
//! `castToVariant` do them.
//!
//! Out of a variant: a scalar is taken at its own type (an integer as BIGINT, a decimal at its
//! digits) and cast to the target as Spark's TRY cast would; an object or array becomes a string
//! as its JSON, an ARRAY, a MAP with string keys or a STRUCT (fields by name). A value that does
//! not cast is `INVALID_VARIANT_CAST`, or NULL for the `try_` forms. A variant null is SQL NULL.
//!
//! Into a variant: integers as the narrowest integer, decimals, floats, strings, binaries, dates
//! and timestamps as themselves, arrays element by element; structs and maps become objects only
//! through `to_variant_object`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray, new_null_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;

use super::builder::{Builder, digits};
use super::json::{date_text, strip_zeros, to_json};
use super::value::{List, Object, Value, Variant};
use super::{ColumnBuilder, is_variant, rebuilt};
use crate::naming::{format_double, format_float};
use crate::value_format::format_decimal;
use crate::value_format::format_timestamp_micros;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Spark's error for a variant value that does not cast to `target`.
fn invalid_cast(v: Variant<'_>, target: &DataType) -> DataFusionError {
    let text = to_json(v).unwrap_or_default();
    DataFusionError::Execution(format!(
        "[INVALID_VARIANT_CAST] The variant value `{text}` cannot be cast into `\"{}\"`. Please use `try_variant_get` instead. SQLSTATE: \
         22023",
        crate::types::sql_type(target)
    ))
}

/// Whether Spark casts a variant to `target` (checked when the call is analyzed).
pub(super) fn check_target(target: &DataType) -> Result<()> {
    let ok = match target {
        _ if is_variant(target) => true,
        DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Utf8
        | DataType::Binary
        | DataType::Date32
        | DataType::Timestamp(TimeUnit::Microsecond, _)
        | DataType::Null => true,
        DataType::List(f) => return check_target(f.data_type()),
        DataType::Struct(fields) => return fields.iter().try_for_each(|f| check_target(f.data_type())),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 && kv[0].data_type() == &DataType::Utf8 => return check_target(kv[1].data_type()),
            _ => false,
        },
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        plan_err!(
            "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve due to data type mismatch: cannot cast \"VARIANT\" to \"{}\". \
             SQLSTATE: 42K09",
            crate::types::sql_type(target)
        )
    }
}

/// Each row's variant cast to `target`; `fail` raises on a value that does not cast.
pub(super) fn from_variants(rows: &[Option<Variant<'_>>], target: &DataType, fail: bool) -> Result<ArrayRef> {
    // A variant null is SQL NULL at every level, except where the target is a variant.
    let rows: Vec<Option<Variant<'_>>> =
        if is_variant(target) { rows.to_vec() } else { rows.iter().map(|r| r.filter(|v| !v.is_null().unwrap_or(false))).collect() };
    let invalid = |v: Variant<'_>| if fail { Err(invalid_cast(v, target)) } else { Ok(()) };
    match target {
        _ if is_variant(target) => {
            let mut out = ColumnBuilder::new();
            for row in &rows {
                out.append_option(row.map(rebuilt).transpose()?);
            }
            out.finish()
        }
        DataType::List(field) => {
            let mut children = Vec::new();
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(rows.len());
            for row in &rows {
                let list = container(*row, as_array, invalid)?;
                if let Some(list) = list {
                    for i in 0..list.len() {
                        children.push(Some(list.get(i)?));
                    }
                }
                valid.push(list.is_some());
                offsets.push(children.len() as i32);
            }
            let values = from_variants(&children, field.data_type(), fail)?;
            Ok(Arc::new(ListArray::try_new(Arc::clone(field), OffsetBuffer::new(offsets.into()), values, nulls(valid))?))
        }
        DataType::Struct(fields) => {
            let mut columns: Vec<Vec<Option<Variant<'_>>>> = vec![Vec::with_capacity(rows.len()); fields.len()];
            let mut valid = Vec::with_capacity(rows.len());
            for row in &rows {
                let object = container(*row, as_object, invalid)?;
                for (f, column) in fields.iter().zip(columns.iter_mut()) {
                    column.push(match &object {
                        Some(o) => o.get(f.name())?,
                        None => None,
                    });
                }
                valid.push(object.is_some());
            }
            let arrays = fields.iter().zip(&columns).map(|(f, c)| from_variants(c, f.data_type(), fail)).collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(StructArray::try_new(fields.clone(), arrays, nulls(valid))?))
        }
        DataType::Map(entries, sorted) => {
            let DataType::Struct(kv) = entries.data_type() else {
                return exec_err!("a map's entries are a struct");
            };
            let mut keys: Vec<String> = Vec::new();
            let mut values = Vec::new();
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(rows.len());
            for row in &rows {
                let object = container(*row, as_object, invalid)?;
                if let Some(o) = object {
                    for i in 0..o.len() {
                        let (k, v) = o.field(i)?;
                        keys.push(k.to_string());
                        values.push(Some(v));
                    }
                }
                valid.push(object.is_some());
                offsets.push(keys.len() as i32);
            }
            let key_array: ArrayRef = Arc::new(datafusion::arrow::array::StringArray::from(keys));
            let value_array = from_variants(&values, kv[1].data_type(), fail)?;
            let entries_array = StructArray::try_new(kv.clone(), vec![key_array, value_array], None)?;
            Ok(Arc::new(MapArray::try_new(Arc::clone(entries), OffsetBuffer::new(offsets.into()), entries_array, nulls(valid), *sorted)?))
        }
        DataType::Null => Ok(new_null_array(target, rows.len())),
        _ => {
            let mut values = Vec::with_capacity(rows.len());
            for row in &rows {
                let cast = match row {
                    Some(v) => match scalar(*v, target)? {
                        Some(value) => Some(value),
                        None => {
                            invalid(*v)?;
                            None
                        }
                    },
                    None => None,
                };
                values.push(cast.unwrap_or(ScalarValue::try_from(target)?));
            }
            if values.is_empty() {
                return Ok(new_null_array(target, 0));
            }
            Ok(ScalarValue::iter_to_array(values)?)
        }
    }
}

/// The row's array or object, as `pick` takes it; a value of another kind is `invalid` (an error,
/// or NULL for the `try_` forms), a missing one NULL.
fn container<'a, T>(
    row: Option<Variant<'a>>,
    pick: fn(Value<'a>) -> Option<T>,
    invalid: impl Fn(Variant<'a>) -> Result<()>,
) -> Result<Option<T>> {
    let Some(v) = row else { return Ok(None) };
    match pick(v.get()?) {
        Some(c) => Ok(Some(c)),
        None => invalid(v).map(|()| None),
    }
}

fn as_array(v: Value<'_>) -> Option<List<'_>> {
    if let Value::Array(list) = v { Some(list) } else { None }
}

fn as_object(v: Value<'_>) -> Option<Object<'_>> {
    if let Value::Object(object) = v { Some(object) } else { None }
}

fn nulls(valid: Vec<bool>) -> Option<NullBuffer> {
    let n = NullBuffer::from(valid);
    (n.null_count() > 0).then_some(n)
}

/// A scalar variant value cast to an atomic `target` as Spark's TRY cast from the value's own
/// type; `None` where it does not cast.
fn scalar(v: Variant<'_>, target: &DataType) -> Result<Option<ScalarValue>> {
    Ok(match v.get()? {
        Value::Object(_) | Value::Array(_) => (target == &DataType::Utf8).then(|| ScalarValue::Utf8(to_json(v).ok())),
        Value::Null => Some(ScalarValue::try_from(target)?),
        Value::Boolean(b) => match target {
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(b.to_string()))),
            DataType::Date32 | DataType::Timestamp(..) | DataType::Binary => None,
            _ => numeric(i128::from(b), 0, target),
        },
        Value::Long(l, _) => match target {
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(l.to_string()))),
            DataType::Timestamp(_, zone) => l.checked_mul(1_000_000).map(|us| ScalarValue::TimestampMicrosecond(Some(us), zone.clone())),
            _ => numeric(i128::from(l), 0, target),
        },
        Value::Decimal(unscaled, scale) => {
            let (unscaled, scale) = strip_zeros(unscaled, scale);
            match target {
                DataType::Utf8 => Some(ScalarValue::Utf8(Some(format_decimal(unscaled, scale as i8)))),
                DataType::Float32 | DataType::Float64 => {
                    floating(format_decimal(unscaled, scale as i8).parse().unwrap_or(f64::NAN), target)
                }
                DataType::Timestamp(_, zone) => {
                    let micros = rescale(unscaled, scale, 6).and_then(|m| i64::try_from(m).ok());
                    micros.map(|us| ScalarValue::TimestampMicrosecond(Some(us), zone.clone()))
                }
                _ => numeric(unscaled, scale, target),
            }
        }
        Value::Double(d) => match target {
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(format_double(d)))),
            _ => floating(d, target),
        },
        Value::Float(f) => match target {
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(format_float(f)))),
            _ => floating(f64::from(f), target),
        },
        Value::String(s) => string(s, target),
        Value::Binary(b) => match target {
            DataType::Binary => Some(ScalarValue::Binary(Some(b.to_vec()))),
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(String::from_utf8_lossy(b).into_owned()))),
            _ => None,
        },
        Value::Date(days) => match target {
            DataType::Date32 => Some(ScalarValue::Date32(Some(days))),
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(date_text(days)))),
            DataType::Timestamp(_, zone) => Some(ScalarValue::TimestampMicrosecond(Some(i64::from(days) * MICROS_PER_DAY), zone.clone())),
            _ => None,
        },
        Value::Timestamp(us) | Value::TimestampNtz(us) => match target {
            DataType::Timestamp(_, zone) => Some(ScalarValue::TimestampMicrosecond(Some(us), zone.clone())),
            DataType::Date32 => Some(ScalarValue::Date32(Some(us.div_euclid(MICROS_PER_DAY) as i32))),
            DataType::Utf8 => Some(ScalarValue::Utf8(Some(format_timestamp_micros(us)))),
            DataType::Int64 => Some(ScalarValue::Int64(Some(us.div_euclid(1_000_000)))),
            _ => None,
        },
    })
}

/// `unscaled × 10^-scale` at scale `to`, rounding half up; `None` on overflow.
fn rescale(unscaled: i128, scale: u8, to: u8) -> Option<i128> {
    if to >= scale {
        unscaled.checked_mul(10i128.checked_pow(u32::from(to - scale))?)
    } else {
        let divisor = 10i128.pow(u32::from(scale - to));
        let (q, r) = (unscaled / divisor, unscaled % divisor);
        Some(if r.abs() * 2 >= divisor { q + unscaled.signum() } else { q })
    }
}

/// An exact number (`unscaled × 10^-scale`) as a boolean, integer, floating or decimal target.
fn numeric(unscaled: i128, scale: u8, target: &DataType) -> Option<ScalarValue> {
    // Integers truncate toward zero, as Spark's casts do.
    let whole = unscaled / 10i128.pow(u32::from(scale));
    Some(match target {
        DataType::Boolean => ScalarValue::Boolean(Some(unscaled != 0)),
        DataType::Int8 => ScalarValue::Int8(Some(i8::try_from(whole).ok()?)),
        DataType::Int16 => ScalarValue::Int16(Some(i16::try_from(whole).ok()?)),
        DataType::Int32 => ScalarValue::Int32(Some(i32::try_from(whole).ok()?)),
        DataType::Int64 => ScalarValue::Int64(Some(i64::try_from(whole).ok()?)),
        DataType::Float32 | DataType::Float64 => return floating(format_decimal(unscaled, scale as i8).parse().ok()?, target),
        DataType::Decimal128(p, s) => {
            let to = u8::try_from(*s).ok()?;
            let v = rescale(unscaled, scale, to)?;
            (digits(v) <= u32::from(*p)).then_some(ScalarValue::Decimal128(Some(v), *p, *s))?
        }
        _ => return None,
    })
}

/// A double as a boolean, integer, floating, decimal or timestamp target.
fn floating(d: f64, target: &DataType) -> Option<ScalarValue> {
    let integral = |min: f64, max: f64| (d.is_finite() && d.trunc() >= min && d.trunc() <= max).then(|| d.trunc());
    Some(match target {
        DataType::Boolean => ScalarValue::Boolean(Some(d != 0.0)),
        DataType::Int8 => ScalarValue::Int8(Some(integral(f64::from(i8::MIN), f64::from(i8::MAX))? as i8)),
        DataType::Int16 => ScalarValue::Int16(Some(integral(f64::from(i16::MIN), f64::from(i16::MAX))? as i16)),
        DataType::Int32 => ScalarValue::Int32(Some(integral(f64::from(i32::MIN), f64::from(i32::MAX))? as i32)),
        DataType::Int64 => ScalarValue::Int64(Some(integral(i64::MIN as f64, i64::MAX as f64)? as i64)),
        DataType::Float32 => ScalarValue::Float32(Some(d as f32)),
        DataType::Float64 => ScalarValue::Float64(Some(d)),
        DataType::Decimal128(..) if d.is_finite() => return string(&format_double(d), target),
        DataType::Timestamp(_, zone) if d.is_finite() => {
            let us = d * 1e6;
            (us.abs() < 9.2e18).then(|| ScalarValue::TimestampMicrosecond(Some(us as i64), zone.clone()))?
        }
        _ => return None,
    })
}

/// A string cast as Spark casts text.
fn string(s: &str, target: &DataType) -> Option<ScalarValue> {
    let t = s.trim();
    Some(match target {
        DataType::Utf8 => ScalarValue::Utf8(Some(s.to_string())),
        DataType::Binary => ScalarValue::Binary(Some(s.as_bytes().to_vec())),
        DataType::Boolean => ScalarValue::Boolean(Some(match t.to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "1" => true,
            "f" | "false" | "n" | "no" | "0" => false,
            _ => return None,
        })),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            return numeric(i128::from(t.parse::<i64>().ok()?), 0, target);
        }
        DataType::Float32 | DataType::Float64 => return floating(java_double(t)?, target),
        DataType::Decimal128(..) => {
            let d = t.parse::<f64>().ok().filter(|d| d.is_finite())?;
            let (int, frac) = t.trim_start_matches('+').split_once('.').unwrap_or((t, ""));
            if t.contains(['e', 'E']) || !int.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()) {
                return numeric_of_double(d, target);
            }
            let scale = u8::try_from(frac.len()).ok().filter(|s| *s <= 38)?;
            return numeric(format!("{int}{frac}").parse().ok()?, scale, target);
        }
        DataType::Date32 => {
            let date = crate::datetime_cast::read_date(s)?;
            ScalarValue::Date32(Some((date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i32))
        }
        DataType::Timestamp(_, Some(zone)) => {
            ScalarValue::TimestampMicrosecond(Some(crate::datetime_cast::read_timestamp(s)?), Some(zone.clone()))
        }
        DataType::Timestamp(_, None) => ScalarValue::TimestampMicrosecond(Some(crate::datetime_cast::read_timestamp_ntz(s)?), None),
        _ => return None,
    })
}

/// Text read as a double the way Java's `Double.parseDouble` reads it (`Infinity`, `NaN`, a
/// trailing `d`/`f`).
fn java_double(t: &str) -> Option<f64> {
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    match t {
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ if t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') => None,
        _ => t.parse().ok(),
    }
}

/// A double with an exponent as a decimal: through its shortest text.
fn numeric_of_double(d: f64, target: &DataType) -> Option<ScalarValue> {
    let text = format!("{d}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let scale = u8::try_from(frac.len()).ok().filter(|s| *s <= 38)?;
    numeric(format!("{int}{frac}").parse().ok()?, scale, target)
}

/// Whether values of `dt` cast to a variant; `objects` allows structs and maps (Spark's
/// `to_variant_object`; a plain cast refuses them).
pub(super) fn castable_to_variant(dt: &DataType, objects: bool) -> bool {
    match dt {
        _ if is_variant(dt) => true,
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::Date32
        | DataType::Timestamp(TimeUnit::Microsecond, _) => true,
        DataType::List(f) | DataType::LargeList(f) => castable_to_variant(f.data_type(), objects),
        DataType::Struct(fields) => objects && fields.iter().all(|f| castable_to_variant(f.data_type(), objects)),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                objects
                    && matches!(kv[0].data_type(), DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
                    && castable_to_variant(kv[1].data_type(), objects)
            }
            _ => false,
        },
        _ => false,
    }
}

/// Each row of `array` as a variant (`None` where NULL).
pub(super) fn to_variants(array: &ArrayRef) -> Result<ArrayRef> {
    let mut out = ColumnBuilder::new();
    let nulls = array.logical_nulls();
    for i in 0..array.len() {
        if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
            out.append_null();
            continue;
        }
        let mut b = Builder::new();
        append(&mut b, array.as_ref(), i)?;
        let (value, metadata) = b.finish()?;
        out.append(&value, &metadata);
    }
    out.finish()
}

/// Appends row `i` of `array` to `b`.
pub(super) fn append(b: &mut Builder, array: &dyn Array, i: usize) -> Result<()> {
    if array.is_null(i) {
        b.null();
        return Ok(());
    }
    let dt = array.data_type();
    if is_variant(dt) {
        let s = array.as_struct();
        let (value, metadata) = (s.column(0).as_binary::<i32>().value(i), s.column(1).as_binary::<i32>().value(i));
        return b.variant(Variant::new(value, metadata)?);
    }
    match dt {
        DataType::Null => b.null(),
        DataType::Boolean => b.boolean(array.as_boolean().value(i)),
        DataType::Int8 => b.long(i64::from(array.as_primitive::<Int8Type>().value(i))),
        DataType::Int16 => b.long(i64::from(array.as_primitive::<Int16Type>().value(i))),
        DataType::Int32 => b.long(i64::from(array.as_primitive::<Int32Type>().value(i))),
        DataType::Int64 => b.long(array.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => b.long(i64::from(array.as_primitive::<UInt8Type>().value(i))),
        DataType::UInt16 => b.long(i64::from(array.as_primitive::<UInt16Type>().value(i))),
        DataType::UInt32 => b.long(i64::from(array.as_primitive::<UInt32Type>().value(i))),
        DataType::UInt64 => b.long(i64::try_from(array.as_primitive::<UInt64Type>().value(i)).unwrap_or(i64::MAX)),
        DataType::Float32 => b.float(array.as_primitive::<Float32Type>().value(i)),
        DataType::Float64 => b.double(array.as_primitive::<Float64Type>().value(i)),
        DataType::Decimal128(_, scale) => b.decimal(array.as_primitive::<Decimal128Type>().value(i), u8::try_from(*scale).unwrap_or(0)),
        DataType::Utf8 => b.string(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => b.string(array.as_string::<i64>().value(i)),
        DataType::Utf8View => b.string(array.as_string_view().value(i)),
        DataType::Binary => b.binary(array.as_binary::<i32>().value(i)),
        DataType::LargeBinary => b.binary(array.as_binary::<i64>().value(i)),
        DataType::BinaryView => b.binary(array.as_binary_view().value(i)),
        DataType::Date32 => b.date(array.as_primitive::<Date32Type>().value(i)),
        DataType::Timestamp(TimeUnit::Microsecond, zone) => {
            b.timestamp(array.as_primitive::<TimestampMicrosecondType>().value(i), zone.is_some())
        }
        DataType::List(_) | DataType::LargeList(_) => {
            let items = match dt {
                DataType::List(_) => array.as_list::<i32>().value(i),
                _ => array.as_list::<i64>().value(i),
            };
            let start = b.position();
            let mut offsets = Vec::with_capacity(items.len());
            for j in 0..items.len() {
                offsets.push(b.position() - start);
                append(b, items.as_ref(), j)?;
            }
            b.finish_array(start, &offsets)?;
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let start = b.position();
            let mut entries = Vec::with_capacity(fields.len());
            for (f, column) in fields.iter().zip(s.columns()) {
                b.field(&mut entries, f.name(), start);
                append(b, column.as_ref(), i)?;
            }
            b.finish_object(start, entries)?;
        }
        DataType::Map(..) => {
            let entries = array.as_map().value(i);
            let keys = datafusion::arrow::compute::cast(entries.column(0), &DataType::Utf8)?;
            let keys = keys.as_string::<i32>();
            let start = b.position();
            let mut fields = Vec::with_capacity(entries.len());
            for j in 0..entries.len() {
                b.field(&mut fields, keys.value(j), start);
                append(b, entries.column(1).as_ref(), j)?;
            }
            b.finish_object(start, fields)?;
        }
        other => return exec_err!("cannot cast {} to VARIANT", crate::types::sql_type(other)),
    }
    Ok(())
}
