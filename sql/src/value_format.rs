//! Rendering Arrow values as Spark renders them: `show()` cells, `CAST(x AS STRING)`, and
//! `spark-sql` output.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::arrow::error::ArrowError;
use crate::naming::{format_double, format_float};

/// The two renderings Spark uses: `show()` (`NULL`, structs as `{1, a}`) and Hive's text
/// format in `spark-sql` (`NULL`, structs as `{"a":1}`, strings quoted inside collections).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    Show,
    Hive,
}

/// Renders every value of a column.
pub fn format_column(array: &ArrayRef, style: ValueStyle) -> Result<Vec<String>, ArrowError> {
    (0..array.len()).map(|i| format_value(array.as_ref(), i, style, false)).collect()
}

fn format_value(array: &dyn Array, i: usize, style: ValueStyle, nested: bool) -> Result<String, ArrowError> {
    if array.is_null(i) {
        return Ok(if nested && style == ValueStyle::Hive { "null".into() } else { "NULL".into() });
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
        DataType::Decimal128(_, scale) => {
            format_decimal(array.as_primitive::<Decimal128Type>().value(i), *scale)
        }
        DataType::Utf8 => quote_if(array.as_string::<i32>().value(i), style, nested),
        DataType::LargeUtf8 => quote_if(array.as_string::<i64>().value(i), style, nested),
        DataType::Utf8View => quote_if(array.as_string_view().value(i), style, nested),
        DataType::Binary => format_binary(array.as_binary::<i32>().value(i)),
        DataType::LargeBinary => format_binary(array.as_binary::<i64>().value(i)),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(i);
            let date = chrono::DateTime::from_timestamp(i64::from(days) * 86_400, 0)
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| days.to_string());
            if nested && style == ValueStyle::Hive { format!("\"{date}\"") } else { date }
        }
        DataType::Timestamp(unit, _) => {
            let micros = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(i).saturating_mul(1_000_000),
                TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().value(i).saturating_mul(1_000),
                TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().value(i),
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(i) / 1_000,
            };
            let ts = format_timestamp_micros(micros);
            if nested && style == ValueStyle::Hive { format!("\"{ts}\"") } else { ts }
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => {
            let values = match array.data_type() {
                DataType::List(_) => array.as_list::<i32>().value(i),
                DataType::LargeList(_) => array.as_list::<i64>().value(i),
                _ => array.as_fixed_size_list().value(i),
            };
            let items: Result<Vec<String>, ArrowError> =
                (0..values.len()).map(|j| format_value(values.as_ref(), j, style, true)).collect();
            match style {
                ValueStyle::Show => format!("[{}]", items?.join(", ")),
                ValueStyle::Hive => format!("[{}]", items?.join(",")),
            }
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut parts = Vec::with_capacity(fields.len());
            for (j, f) in fields.iter().enumerate() {
                let v = format_value(s.column(j).as_ref(), i, style, true)?;
                parts.push(match style {
                    ValueStyle::Show => v,
                    ValueStyle::Hive => format!("\"{}\":{v}", f.name()),
                });
            }
            match style {
                ValueStyle::Show => format!("{{{}}}", parts.join(", ")),
                ValueStyle::Hive => format!("{{{}}}", parts.join(",")),
            }
        }
        DataType::Map(_, _) => {
            let m = array.as_map();
            let entries = m.value(i);
            let (keys, values) = (entries.column(0), entries.column(1));
            let mut parts = Vec::with_capacity(entries.len());
            for j in 0..entries.len() {
                let k = format_value(keys.as_ref(), j, style, true)?;
                let v = format_value(values.as_ref(), j, style, true)?;
                parts.push(match style {
                    ValueStyle::Show => format!("{k} -> {v}"),
                    ValueStyle::Hive => format!("{k}:{v}"),
                });
            }
            match style {
                ValueStyle::Show => format!("{{{}}}", parts.join(", ")),
                ValueStyle::Hive => format!("{{{}}}", parts.join(",")),
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

fn quote_if(s: &str, style: ValueStyle, nested: bool) -> String {
    if nested && style == ValueStyle::Hive {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
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
