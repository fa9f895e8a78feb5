//! Spark's `/` when a decimal meets a decimal or an integer: an exact quotient, rounded half
//! away from zero to a scale the operand types decide.
//!
//! Spark types `decimal(p1, s1) / decimal(p2, s2)` as scale `max(6, s1 + p2 + 1)` and precision
//! `p1 - s1 + s2 + scale`; past 38 digits the precision is 38 and the scale gives way to the
//! integral digits down to `min(scale, 6)` (`spark.sql.decimalOperations.allowPrecisionLoss`,
//! on by default). Integers take part as decimals of their width (`int` as `decimal(10, 0)`,
//! `bigint` as `decimal(20, 0)`), an integer literal as a decimal of its digits (`3` is
//! `decimal(1, 0)`, see [`literal_as_decimal`]). A quotient that does not fit is Spark's ANSI overflow error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, DecimalType, i256};
use datafusion::common::{Result, ScalarValue, exec_err};

const MAX_PRECISION: u8 = 38;
const MINIMUM_ADJUSTED_SCALE: i8 = 6;

/// The decimal an operand counts as, or `None` when it makes the division a double one.
fn as_decimal(t: &DataType) -> Option<(u8, i8)> {
    match t {
        DataType::Decimal128(p, s) => Some((*p, *s)),
        t => integer_width(t).map(|p| (p, 0)),
    }
}

/// An integer literal beside a decimal, as the decimal of its digits Spark makes of it (`3`
/// is `decimal(1, 0)`). Decided when the division is planned: once constants are folded, a
/// literal cannot be told from a cast one (`CAST(5 AS BIGINT)` counts as `decimal(20, 0)`).
pub fn literal_as_decimal(v: &ScalarValue) -> Option<ScalarValue> {
    let v = match v {
        ScalarValue::Int8(Some(v)) => i64::from(*v),
        ScalarValue::Int16(Some(v)) => i64::from(*v),
        ScalarValue::Int32(Some(v)) => i64::from(*v),
        ScalarValue::Int64(Some(v)) => *v,
        _ => return None,
    };
    let digits = (v.unsigned_abs().checked_ilog10().unwrap_or(0) + 1) as u8;
    Some(ScalarValue::Decimal128(Some(i128::from(v)), digits, 0))
}

fn integer_width(t: &DataType) -> Option<u8> {
    match t {
        DataType::Int8 => Some(3),
        DataType::Int16 => Some(5),
        DataType::Int32 => Some(10),
        DataType::Int64 => Some(20),
        _ => None,
    }
}

/// The result type of a decimal division, or `None` when Spark divides these as doubles
/// (no decimal among them, or a double, float or string beside one).
pub fn result_type(left: &DataType, right: &DataType) -> Option<(u8, i8)> {
    if !matches!(left, DataType::Decimal128(..)) && !matches!(right, DataType::Decimal128(..)) {
        return None;
    }
    let (p1, s1) = as_decimal(left)?;
    let (p2, s2) = as_decimal(right)?;
    let (p1, s1, p2, s2) = (i32::from(p1), i32::from(s1), i32::from(p2), i32::from(s2));
    let scale = i32::from(MINIMUM_ADJUSTED_SCALE).max(s1 + p2 + 1);
    let precision = p1 - s1 + s2 + scale;
    Some(adjust(precision, scale))
}

/// Spark's `DecimalType.adjustPrecisionScale` for a non-negative scale.
fn adjust(precision: i32, scale: i32) -> (u8, i8) {
    let max = i32::from(MAX_PRECISION);
    if precision <= max {
        return (precision as u8, scale as i8);
    }
    let integral = precision - scale;
    let min_scale = scale.min(i32::from(MINIMUM_ADJUSTED_SCALE));
    (MAX_PRECISION, (max - integral).max(min_scale) as i8)
}

/// `left / right` row by row as `decimal(precision, scale)`; NULL where either side is; Spark's
/// errors for a zero divisor and for a quotient wider than the type.
pub fn divide(left: &ArrayRef, right: &ArrayRef, precision: u8, scale: i8, divide_by_zero: &str) -> Result<ArrayRef> {
    let (l, s1) = decimal_array(left)?;
    let (r, s2) = decimal_array(right)?;
    let (l, r) = (l.as_primitive::<Decimal128Type>(), r.as_primitive::<Decimal128Type>());
    // quotient = l * 10^(scale - s1 + s2) / r, in 256 bits so the shifted dividend cannot wrap.
    let shift = i32::from(scale) - i32::from(s1) + i32::from(s2);
    let ten = i256::from_i128(10);
    let limit = ten.wrapping_pow(u32::from(precision));
    let mut out = Vec::with_capacity(l.len());
    for i in 0..l.len() {
        if l.is_null(i) || r.is_null(i) {
            out.push(None);
            continue;
        }
        let (a, b) = (i256::from_i128(l.value(i)), i256::from_i128(r.value(i)));
        if b == i256::ZERO {
            return exec_err!("{divide_by_zero}");
        }
        let (dividend, divisor) = if shift >= 0 {
            (a.checked_mul(ten.wrapping_pow(shift as u32)), b)
        } else {
            (Some(a), b.wrapping_mul(ten.wrapping_pow(shift.unsigned_abs())))
        };
        let q = dividend.and_then(|n| rounded_quotient(n, divisor)).filter(|q| q.wrapping_abs() < limit);
        match q.and_then(|q| q.to_i128()) {
            Some(q) => out.push(Some(q)),
            None => return exec_err!("{}", out_of_range(l.value(i), s1, r.value(i), s2, precision, scale)),
        }
    }
    Ok(Arc::new(Decimal128Array::from(out).with_precision_and_scale(precision, scale)?))
}

/// `n / d` rounded half away from zero.
fn rounded_quotient(n: i256, d: i256) -> Option<i256> {
    let q = n.checked_div(d)?;
    let r = n.checked_rem(d)?;
    if r.wrapping_abs().checked_mul(i256::from_i128(2))? >= d.wrapping_abs() {
        let away = if n.is_negative() != d.is_negative() { i256::MINUS_ONE } else { i256::ONE };
        q.checked_add(away)
    } else {
        Some(q)
    }
}

/// An operand as a decimal array and its scale (integers at scale 0).
fn decimal_array(a: &ArrayRef) -> Result<(ArrayRef, i8)> {
    match a.data_type() {
        DataType::Decimal128(_, s) => Ok((Arc::clone(a), *s)),
        _ => Ok((cast(a, &DataType::Decimal128(MAX_PRECISION, 0))?, 0)),
    }
}

fn out_of_range(a: i128, s1: i8, b: i128, s2: i8, precision: u8, scale: i8) -> String {
    let show = |v: i128, s: i8| Decimal128Type::format_decimal(v, MAX_PRECISION, s);
    format!(
        "[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION]  {} / {} cannot be represented as Decimal({precision}, {scale}). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return NULL instead. SQLSTATE: 22003",
        show(a, s1),
        show(b, s2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_result_types() {
        let d = |p, s| DataType::Decimal128(p, s);
        // sum(decimal(7,2)) / sum(decimal(7,2))
        assert_eq!(result_type(&d(17, 2), &d(17, 2)), Some((37, 20)));
        assert_eq!(result_type(&d(15, 4), &d(15, 4)), Some((35, 20)));
        // bigint / 3.0
        assert_eq!(result_type(&DataType::Int64, &d(2, 1)), Some((27, 6)));
        // decimal(7,2) / int literal 3, and / an int column
        assert_eq!(result_type(&d(7, 2), &d(1, 0)), Some((11, 6)));
        assert_eq!(literal_as_decimal(&ScalarValue::Int32(Some(-30))), Some(ScalarValue::Decimal128(Some(-30), 2, 0)));
        assert_eq!(result_type(&d(7, 2), &DataType::Int32), Some((18, 13)));
        // past 38 digits
        assert_eq!(result_type(&d(38, 2), &d(38, 2)), Some((38, 6)));
        assert_eq!(result_type(&DataType::Int64, &DataType::Int32), None);
        assert_eq!(result_type(&d(7, 2), &DataType::Float64), None);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let q = |n: i128, d: i128| rounded_quotient(i256::from_i128(n), i256::from_i128(d)).and_then(|q| q.to_i128());
        assert_eq!(q(71, 3), Some(24));
        assert_eq!(q(70, 3), Some(23));
        assert_eq!(q(-5, 2), Some(-3));
        assert_eq!(q(5, -2), Some(-3));
        assert_eq!(q(4, 3), Some(1));
    }
}
