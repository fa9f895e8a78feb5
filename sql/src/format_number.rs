//! Spark's `format_number(x, d)`: `x` written with `d` decimal places and thousands grouped
//! (`12,332.1235`), or by a Java `DecimalFormat` pattern given as a string (`'#,##0.00'`).
//!
//! Rounding is Java's default, half-even, applied to the exact value: a DOUBLE's binary value
//! (`2.675D` is 2.67499..., so `2.67`), a DECIMAL's digits. A negative `d` gives NULL.
//! Patterns are read for what Spark's examples use: digits (`0` always shown, `#` when
//! needed), one `.`, and `,` grouping by the digits after the last comma.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type};
use datafusion::common::{Result, exec_err};

/// How to write a number: the `DecimalFormat` settings Ember reads from `d` or a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Format {
    min_int: usize,
    min_frac: usize,
    max_frac: usize,
    grouping: Option<usize>,
}

impl Format {
    fn places(d: i64) -> Option<Format> {
        let d = usize::try_from(d).ok()?;
        Some(Format { min_int: 1, min_frac: d, max_frac: d, grouping: Some(3) })
    }

    fn pattern(p: &str) -> Format {
        if p.is_empty() {
            return Format { min_int: 1, min_frac: 0, max_frac: 0, grouping: Some(3) };
        }
        let (int, frac) = p.split_once('.').unwrap_or((p, ""));
        let grouping = int.rfind(',').map(|i| int[i + 1..].chars().filter(|c| matches!(c, '0' | '#')).count()).filter(|g| *g > 0);
        Format {
            min_int: int.chars().filter(|c| *c == '0').count(),
            min_frac: frac.chars().filter(|c| *c == '0').count(),
            max_frac: frac.chars().filter(|c| matches!(c, '0' | '#')).count(),
            grouping,
        }
    }

    /// `fixed` (digits, optionally `-` and `.`, already rounded to `max_frac` places) written
    /// out.
    fn write(&self, fixed: &str) -> String {
        let (negative, digits) = fixed.strip_prefix('-').map_or((false, fixed), |d| (true, d));
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut frac = frac.to_string();
        while frac.len() > self.min_frac && frac.ends_with('0') {
            frac.pop();
        }
        let int = int.trim_start_matches('0');
        let int = if int.len() < self.min_int { format!("{}{int}", "0".repeat(self.min_int - int.len())) } else { int.to_string() };
        let int = match self.grouping {
            Some(size) => group(&int, size),
            None => int,
        };
        let sign = if negative { "-" } else { "" };
        if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
    }
}

fn group(int: &str, size: usize) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::with_capacity(int.len() + int.len() / size);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(size) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

/// A decimal's unscaled `value` at `scale`, rounded half-even to `places` fraction digits.
fn decimal_fixed(value: i128, scale: i8, places: usize) -> String {
    let scale = usize::try_from(scale).unwrap_or(0);
    let negative = value < 0;
    let magnitude = value.unsigned_abs();
    let digits = if scale > places {
        let drop = u32::try_from(scale - places).unwrap_or(u32::MAX);
        let divisor = 10u128.checked_pow(drop);
        match divisor {
            Some(divisor) => {
                let (q, r) = (magnitude / divisor, magnitude % divisor);
                let half = divisor / 2;
                let up = r > half || (r == half && q % 2 == 1);
                (q + u128::from(up)).to_string()
            }
            None => "0".to_string(),
        }
    } else {
        format!("{magnitude}{}", "0".repeat(places - scale))
    };
    let digits = if digits.len() <= places { format!("{}{digits}", "0".repeat(places + 1 - digits.len())) } else { digits };
    let (int, frac) = digits.split_at(digits.len() - places);
    let sign = if negative { "-" } else { "" };
    if places == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
}

/// The value at `row` rounded to `places` fraction digits, as fixed-point text.
fn fixed(values: &ArrayRef, row: usize, places: usize) -> Result<String> {
    Ok(match values.data_type() {
        DataType::Decimal128(_, scale) => decimal_fixed(values.as_primitive::<Decimal128Type>().value(row), *scale, places),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            let v = cast(&values.slice(row, 1), &DataType::Int64)?;
            decimal_fixed(i128::from(v.as_primitive::<Int64Type>().value(0)), 0, places)
        }
        _ => {
            let v = cast(&values.slice(row, 1), &DataType::Float64)?;
            format!("{:.*}", places, v.as_primitive::<Float64Type>().value(0))
        }
    })
}

/// `format_number(x, d)` over columns.
pub fn format_number(a: &[ArrayRef]) -> Result<ArrayRef> {
    let values = &a[0];
    if !(values.data_type().is_numeric() || values.data_type() == &DataType::Null) {
        return exec_err!("format_number takes a number, not {}", crate::types::sql_type(values.data_type()));
    }
    let formats: Vec<Option<Format>> = match a[1].data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let p = cast(&a[1], &DataType::Utf8)?;
            let p = p.as_string::<i32>();
            (0..p.len()).map(|i| (!p.is_null(i)).then(|| Format::pattern(p.value(i)))).collect()
        }
        _ => {
            let d = cast(&a[1], &DataType::Int64)?;
            d.as_primitive::<Int64Type>().iter().map(|d| d.and_then(Format::places)).collect()
        }
    };
    let mut out = Vec::with_capacity(values.len());
    for (row, format) in formats.iter().enumerate() {
        out.push(match format {
            Some(f) if !values.is_null(row) => Some(f.write(&fixed(values, row, f.max_frac)?)),
            _ => None,
        });
    }
    Ok(Arc::new(StringArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(values: ArrayRef, d: ArrayRef) -> Option<String> {
        let out = format_number(&[values, d]).ok()?;
        let s = out.as_string::<i32>();
        (!s.is_null(0)).then(|| s.value(0).to_string())
    }

    #[test]
    fn writes_as_spark_writes() {
        use datafusion::arrow::array::{Decimal128Array, Float64Array, Int32Array, Int64Array};
        let dec = |v: i128, p: u8, s: i8| -> ArrayRef {
            Arc::new(Decimal128Array::from(vec![v]).with_precision_and_scale(p, s).unwrap_or_else(|_| Decimal128Array::from(vec![v])))
        };
        let d = |n: i64| -> ArrayRef { Arc::new(Int64Array::from(vec![n])) };
        let dbl = |x: f64| -> ArrayRef { Arc::new(Float64Array::from(vec![x])) };
        let pat = |p: &str| -> ArrayRef { Arc::new(StringArray::from(vec![p])) };
        // Expected values from PySpark 4.
        assert_eq!(one(dec(12332123456, 11, 6), d(4)).as_deref(), Some("12,332.1235"));
        assert_eq!(one(dec(25, 2, 1), d(0)).as_deref(), Some("2"));
        assert_eq!(one(dec(15, 2, 1), d(0)).as_deref(), Some("2"));
        assert_eq!(one(dec(-12345678, 8, 4), d(2)).as_deref(), Some("-1,234.57"));
        assert_eq!(one(Arc::new(Int32Array::from(vec![1234])), d(3)).as_deref(), Some("1,234.000"));
        assert_eq!(one(dbl(0.125), d(2)).as_deref(), Some("0.12"));
        assert_eq!(one(dbl(2.675), d(2)).as_deref(), Some("2.67"));
        assert_eq!(one(dbl(-0.0001), d(2)).as_deref(), Some("-0.00"));
        assert_eq!(one(dbl(1e20), d(1)).as_deref(), Some("100,000,000,000,000,000,000.0"));
        assert_eq!(one(dbl(1.0), d(-1)), None);
        assert_eq!(one(dec(12332123456, 11, 6), pat("##################.###")).as_deref(), Some("12332.123"));
        assert_eq!(one(dec(123321, 6, 1), pat("#,##0.00")).as_deref(), Some("12,332.10"));
        assert_eq!(one(Arc::new(Int32Array::from(vec![5])), pat("000.0")).as_deref(), Some("005.0"));
    }
}
