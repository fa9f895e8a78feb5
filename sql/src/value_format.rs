//! Rendering Arrow values as Spark renders them: `show()` cells, `CAST(x AS STRING)`, and
//! `spark-sql` output.

use crate::naming::{format_double, format_float};
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
    Field, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, IntervalMonthDayNanoType, IntervalUnit, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use datafusion::arrow::error::ArrowError;

/// The renderings Spark uses: `show()` (`NULL`, structs as `{1, a}`), Hive's text format in
/// `spark-sql` (`NULL`, structs as `{"a":1}`, strings quoted inside collections) and `to_json`
/// (JSON: null struct fields left out, timestamps as `2020-01-02T03:04:05.000Z`, binary as
/// base64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    Show,
    Hive,
    Json,
    /// `CAST(x AS STRING)`: as `show()`, but a NULL inside a collection is `null`.
    Cast,
}

/// Renders every value of a column.
pub fn format_column(array: &ArrayRef, style: ValueStyle) -> Result<Vec<String>, ArrowError> {
    (0..array.len()).map(|i| format_value(array.as_ref(), i, style, false)).collect()
}

/// Renders every value of a column, with the Spark type its field records where Arrow's type
/// cannot tell it (an `interval year` shows as `INTERVAL '1' YEAR`).
pub fn format_field_column(array: &ArrayRef, field: &Field, style: ValueStyle) -> Result<Vec<String>, ArrowError> {
    let recorded = field.metadata().get(crate::interval_literal::SPARK_TYPE);
    match (recorded, array.data_type(), style) {
        (Some(type_name), DataType::Interval(IntervalUnit::MonthDayNano), ValueStyle::Show | ValueStyle::Cast) => {
            let values = array.as_primitive::<IntervalMonthDayNanoType>();
            (0..array.len())
                .map(|i| {
                    if values.is_null(i) {
                        return Ok("NULL".to_string());
                    }
                    match crate::interval_literal::Interval::of_type(type_name, values.value(i)) {
                        Some(interval) => Ok(interval.name()),
                        None => format_value(array.as_ref(), i, style, false),
                    }
                })
                .collect()
        }
        _ => format_column(array, style),
    }
}

fn format_value(array: &dyn Array, i: usize, style: ValueStyle, nested: bool) -> Result<String, ArrowError> {
    // A NULL literal's array (type `void`) has no null buffer: its logical nulls tell.
    if array.is_null(i) || array.data_type() == &DataType::Null {
        return Ok(if nested && style != ValueStyle::Show { "null".into() } else { "NULL".into() });
    }
    // A variant shows, casts and nests in JSON as its JSON text.
    if crate::variant::is_variant(array.data_type()) {
        let s = array.as_struct();
        let v = crate::variant::Variant::new(s.column(0).as_binary::<i32>().value(i), s.column(1).as_binary::<i32>().value(i))
            .and_then(crate::variant::json::to_json);
        return v.map_err(|e| ArrowError::ExternalError(Box::new(e)));
    }
    if style == ValueStyle::Json
        && let Some(json) = json_scalar(array, i)
    {
        return Ok(json);
    }
    Ok(match array.data_type() {
        DataType::Boolean => array.as_boolean().value(i).to_string(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(i).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(i).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(i).to_string(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(i).to_string(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(i).to_string(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(i).to_string(),
        DataType::Float32 => format_float(array.as_primitive::<Float32Type>().value(i)),
        DataType::Float64 => format_double(array.as_primitive::<Float64Type>().value(i)),
        DataType::Decimal128(_, scale) => format_decimal(array.as_primitive::<Decimal128Type>().value(i), *scale),
        DataType::Utf8 => quote_if(array.as_string::<i32>().value(i), style, nested),
        DataType::LargeUtf8 => quote_if(array.as_string::<i64>().value(i), style, nested),
        DataType::Utf8View => quote_if(array.as_string_view().value(i), style, nested),
        // Hive's text format writes binary values as their bytes.
        DataType::Binary if style == ValueStyle::Hive => String::from_utf8_lossy(array.as_binary::<i32>().value(i)).into_owned(),
        DataType::LargeBinary if style == ValueStyle::Hive => String::from_utf8_lossy(array.as_binary::<i64>().value(i)).into_owned(),
        DataType::Binary => format_binary(array.as_binary::<i32>().value(i)),
        DataType::LargeBinary => format_binary(array.as_binary::<i64>().value(i)),
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = array.as_primitive::<IntervalMonthDayNanoType>().value(i);
            match style {
                ValueStyle::Hive => hive_interval(v.months, v.days, v.nanoseconds),
                ValueStyle::Show | ValueStyle::Cast => ansi_interval(v.months, v.days, v.nanoseconds),
                ValueStyle::Json => json_string(&ansi_interval(v.months, v.days, v.nanoseconds)),
            }
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            let months = array.as_primitive::<datafusion::arrow::datatypes::IntervalYearMonthType>().value(i);
            match style {
                ValueStyle::Hive => hive_interval(months, 0, 0),
                ValueStyle::Show | ValueStyle::Cast => ansi_interval(months, 0, 0),
                ValueStyle::Json => json_string(&ansi_interval(months, 0, 0)),
            }
        }
        // Spark's day-time intervals (`timestamp - timestamp`, `date - date`).
        DataType::Duration(unit) => {
            let nanos_per = match unit {
                TimeUnit::Second => 1_000_000_000,
                TimeUnit::Millisecond => 1_000_000,
                TimeUnit::Microsecond => 1_000,
                TimeUnit::Nanosecond => 1,
            };
            let value = match unit {
                TimeUnit::Second => array.as_primitive::<DurationSecondType>().value(i),
                TimeUnit::Millisecond => array.as_primitive::<DurationMillisecondType>().value(i),
                TimeUnit::Microsecond => array.as_primitive::<DurationMicrosecondType>().value(i),
                TimeUnit::Nanosecond => array.as_primitive::<DurationNanosecondType>().value(i),
            };
            let nanos = i128::from(value) * nanos_per;
            match style {
                ValueStyle::Hive => hive_day_time(nanos),
                ValueStyle::Show | ValueStyle::Cast => ansi_day_time(nanos),
                ValueStyle::Json => json_string(&ansi_day_time(nanos)),
            }
        }
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(i);
            chrono::DateTime::from_timestamp(i64::from(days) * 86_400, 0)
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| days.to_string())
        }
        DataType::Timestamp(unit, _) => format_timestamp_micros(timestamp_micros(array, i, unit)),
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => {
            let values = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(i),
                DataType::LargeList(_) => array.as_list::<i64>().value(i),
                _ => array.as_fixed_size_list().value(i),
            };
            let items: Result<Vec<String>, ArrowError> = (0..values.len()).map(|j| format_value(values.as_ref(), j, style, true)).collect();
            match style {
                ValueStyle::Show | ValueStyle::Cast => format!("[{}]", items?.join(", ")),
                ValueStyle::Hive | ValueStyle::Json => format!("[{}]", items?.join(",")),
            }
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut parts = Vec::with_capacity(fields.len());
            for (j, f) in fields.iter().enumerate() {
                if style == ValueStyle::Json && (s.column(j).is_null(i) || s.column(j).data_type() == &DataType::Null) {
                    continue;
                }
                let v = format_value(s.column(j).as_ref(), i, style, true)?;
                parts.push(match style {
                    ValueStyle::Show | ValueStyle::Cast => v,
                    ValueStyle::Hive => format!("\"{}\":{v}", f.name()),
                    ValueStyle::Json => format!("{}:{v}", json_string(f.name())),
                });
            }
            match style {
                ValueStyle::Show | ValueStyle::Cast => format!("{{{}}}", parts.join(", ")),
                ValueStyle::Hive | ValueStyle::Json => format!("{{{}}}", parts.join(",")),
            }
        }
        DataType::Map(_, _) => {
            let m = array.as_map();
            let entries = m.value(i);
            let (keys, values) = (entries.column(0), entries.column(1));
            let mut parts = Vec::with_capacity(entries.len());
            for j in 0..entries.len() {
                let k = match style {
                    // JSON object keys are strings, whatever the map's key type.
                    ValueStyle::Json => json_string(&format_value(keys.as_ref(), j, ValueStyle::Show, false)?),
                    _ => format_value(keys.as_ref(), j, style, true)?,
                };
                let v = format_value(values.as_ref(), j, style, true)?;
                parts.push(match style {
                    ValueStyle::Show | ValueStyle::Cast => format!("{k} -> {v}"),
                    ValueStyle::Hive | ValueStyle::Json => format!("{k}:{v}"),
                });
            }
            match style {
                ValueStyle::Show | ValueStyle::Cast => format!("{{{}}}", parts.join(", ")),
                ValueStyle::Hive | ValueStyle::Json => format!("{{{}}}", parts.join(",")),
            }
        }
        DataType::Null => "NULL".into(),
        DataType::Dictionary(_, _) => {
            let casted = datafusion::arrow::compute::cast(&array.slice(i, 1), &DataType::Utf8)?;
            format_value(casted.as_ref(), 0, style, nested)?
        }
        _ => {
            let casted = datafusion::arrow::compute::cast(&array.slice(i, 1), &DataType::Utf8)?;
            casted.as_string::<i32>().value(0).to_string()
        }
    })
}

/// A timestamp value in microseconds, whatever its unit.
fn timestamp_micros(array: &dyn Array, i: usize, unit: &TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(i).saturating_mul(1_000_000),
        TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(i).saturating_mul(1_000),
        TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().value(i),
        TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(i) / 1_000,
    }
}

/// JSON text for the scalar types whose JSON form differs from their Hive form: strings (escaped
/// as Jackson escapes them), dates and timestamps (quoted, ISO 8601 in UTC), binary (base64).
fn json_scalar(array: &dyn Array, i: usize) -> Option<String> {
    Some(match array.data_type() {
        DataType::Utf8 => json_string(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => json_string(array.as_string::<i64>().value(i)),
        DataType::Utf8View => json_string(array.as_string_view().value(i)),
        DataType::Binary => json_string(&base64(array.as_binary::<i32>().value(i))),
        DataType::LargeBinary => json_string(&base64(array.as_binary::<i64>().value(i))),
        DataType::BinaryView => json_string(&base64(array.as_binary_view().value(i))),
        DataType::Date32 => format!("\"{}\"", format_value(array, i, ValueStyle::Show, false).ok()?),
        DataType::Timestamp(unit, _) => {
            let ts = chrono::DateTime::from_timestamp_micros(timestamp_micros(array, i, unit))?;
            format!("\"{}\"", ts.format("%Y-%m-%dT%H:%M:%S%.3fZ"))
        }
        _ => return None,
    })
}

/// A JSON string literal, escaped as Jackson escapes (non-ASCII text is kept as it is).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn quote_if(s: &str, style: ValueStyle, nested: bool) -> String {
    // spark-sql quotes strings inside collections without escaping anything.
    if nested && style == ValueStyle::Hive { format!("\"{s}\"") } else { s.to_string() }
}

/// Hive's text of an interval: a year-month one as `Y-M`, a day-time one as
/// `D hh:mm:ss.nnnnnnnnn` (Spark's ANSI intervals are one kind or the other).
fn hive_interval(months: i32, days: i32, nanos: i64) -> String {
    if months != 0 && days == 0 && nanos == 0 {
        let sign = if months < 0 { "-" } else { "" };
        return format!("{sign}{}-{}", months.unsigned_abs() / 12, months.unsigned_abs() % 12);
    }
    hive_day_time(i128::from(days) * 86_400_000_000_000 + i128::from(nanos))
}

/// An interval as Spark's `show()` and `CAST(... AS STRING)` write it: `INTERVAL '1-2' YEAR TO
/// MONTH` or `INTERVAL '1 02:03:04.5' DAY TO SECOND` (the fields of the result types of
/// interval arithmetic; Ember's values do not keep a literal's narrower fields).
fn ansi_interval(months: i32, days: i32, nanos: i64) -> String {
    if months != 0 && days == 0 && nanos == 0 {
        let sign = if months < 0 { "-" } else { "" };
        return format!("INTERVAL '{sign}{}-{}' YEAR TO MONTH", months.unsigned_abs() / 12, months.unsigned_abs() % 12);
    }
    ansi_day_time(i128::from(days) * 86_400_000_000_000 + i128::from(nanos))
}

/// `INTERVAL 'D hh:mm:ss[.fraction]' DAY TO SECOND` of `total` nanoseconds, to microseconds
/// without trailing zeros.
fn ansi_day_time(total: i128) -> String {
    let sign = if total < 0 { "-" } else { "" };
    let t = total.unsigned_abs() / 1_000;
    let (d, rest) = (t / 86_400_000_000, t % 86_400_000_000);
    let (h, rest) = (rest / 3_600_000_000, rest % 3_600_000_000);
    let (m, rest) = (rest / 60_000_000, rest % 60_000_000);
    let (sec, micros) = (rest / 1_000_000, rest % 1_000_000);
    let fraction = if micros == 0 { String::new() } else { format!(".{micros:06}").trim_end_matches('0').to_string() };
    format!("INTERVAL '{sign}{d} {h:02}:{m:02}:{sec:02}{fraction}' DAY TO SECOND")
}

/// `D hh:mm:ss.nnnnnnnnn` of a day-time interval of `total` nanoseconds.
fn hive_day_time(total: i128) -> String {
    let sign = if total < 0 { "-" } else { "" };
    let t = total.unsigned_abs();
    let (d, rest) = (t / 86_400_000_000_000, t % 86_400_000_000_000);
    let (h, rest) = (rest / 3_600_000_000_000, rest % 3_600_000_000_000);
    let (m, rest) = (rest / 60_000_000_000, rest % 60_000_000_000);
    let (sec, ns) = (rest / 1_000_000_000, rest % 1_000_000_000);
    format!("{sign}{d} {h:02}:{m:02}:{sec:02}.{ns:09}")
}

fn format_binary(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("[{}]", hex.join(" "))
}

/// A decimal with exactly `scale` fractional digits, as Java's `BigDecimal.toPlainString`.
pub fn format_decimal(v: i128, scale: i8) -> String {
    if scale <= 0 {
        let mut s = v.to_string();
        for _ in 0..(-scale) {
            s.push('0');
        }
        return s;
    }
    let neg = v < 0;
    let digits = v.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale - digits.len() + 1)) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{int}.{frac}", if neg { "-" } else { "" })
}

/// `yyyy-MM-dd HH:mm:ss[.ffffff]` with trailing zeros of the fraction dropped, as Spark does.
pub fn format_timestamp_micros(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let Some(dt) = chrono::DateTime::from_timestamp(secs, 0) else {
        return micros.to_string();
    };
    let base = dt.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string();
    if frac == 0 {
        base
    } else {
        let f = format!("{frac:06}");
        format!("{base}.{}", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array, Int32Array, ListArray, StringArray};
    use datafusion::arrow::datatypes::Int32Type as I32;
    use std::sync::Arc;

    #[test]
    fn intervals_show_as_ansi_literals() {
        assert_eq!(ansi_interval(0, 0, 6 * 3_600_000_000_000), "INTERVAL '0 06:00:00' DAY TO SECOND");
        assert_eq!(ansi_interval(0, -1, -1_500_000_000), "INTERVAL '-1 00:00:01.5' DAY TO SECOND");
        assert_eq!(ansi_interval(14, 0, 0), "INTERVAL '1-2' YEAR TO MONTH");
    }

    #[test]
    fn scalars_render_like_spark() {
        let a: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.0), None, Some(2.5e10)]));
        assert_eq!(format_column(&a, ValueStyle::Show).unwrap(), ["1.0", "NULL", "2.5E10"]);
        let s: ArrayRef = Arc::new(StringArray::from(vec!["x"]));
        assert_eq!(format_column(&s, ValueStyle::Show).unwrap(), ["x"]);
        let i: ArrayRef = Arc::new(Int32Array::from(vec![-3]));
        assert_eq!(format_column(&i, ValueStyle::Hive).unwrap(), ["-3"]);
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(format_timestamp_micros(1_500_000), "1970-01-01 00:00:01.5");
    }

    #[test]
    fn arrays_render_per_style() {
        let l: ArrayRef = Arc::new(ListArray::from_iter_primitive::<I32, _, _>(vec![Some(vec![Some(1), None])]));
        assert_eq!(format_column(&l, ValueStyle::Show).unwrap(), ["[1, NULL]"]);
        assert_eq!(format_column(&l, ValueStyle::Hive).unwrap(), ["[1,null]"]);
    }
}
