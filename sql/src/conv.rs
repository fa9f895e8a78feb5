//! Spark's `conv(num, from_base, to_base)`: the number written in `num` (digits of
//! `from_base`, read up to the first that is not one) rewritten in `to_base`, through a 64-bit
//! integer as Spark's `NumberConverter` does: unsigned for a positive `to_base` (`conv('-1',
//! 10, 16)` is `FFFFFFFFFFFFFFFF`), signed for a negative one. Bases outside 2..=36 give NULL;
//! a number beyond 64 bits is Spark's ANSI overflow error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

/// `conv`.
pub fn conv() -> Arc<ScalarUDF> {
    crate::udfs::udf("conv", &[3], DataType::Utf8, evaluate)
}

fn evaluate(a: &[ArrayRef]) -> Result<ArrayRef> {
    let numbers = crate::udfs::strings(&a[0])?;
    let from = cast(&a[1], &DataType::Int32)?;
    let to = cast(&a[2], &DataType::Int32)?;
    let (from, to) = (from.as_primitive::<Int32Type>(), to.as_primitive::<Int32Type>());
    let mut out = Vec::with_capacity(numbers.len());
    for i in 0..numbers.len() {
        if numbers.is_null(i) || from.is_null(i) || to.is_null(i) {
            out.push(None);
            continue;
        }
        out.push(convert(numbers.value(i), from.value(i), to.value(i))?);
    }
    Ok(Arc::new(StringArray::from(out)))
}

/// One number, or `None` where Spark answers NULL.
fn convert(text: &str, from: i32, to: i32) -> Result<Option<String>> {
    if !(2..=36).contains(&from) || !(2..=36).contains(&to.unsigned_abs()) || text.is_empty() {
        return Ok(None);
    }
    let (mut negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let radix = from as u64;
    let mut value: u64 = 0;
    for c in digits.chars() {
        let Some(d) = c.to_digit(36).map(u64::from).filter(|d| *d < radix) else { break };
        value = match value.checked_mul(radix).and_then(|v| v.checked_add(d)) {
            Some(v) => v,
            None => {
                return exec_err!(
                    "[ARITHMETIC_OVERFLOW] Overflow in function conv(). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to \
                     bypass this error. SQLSTATE: 22003"
                );
            }
        };
    }
    let mut signed = value as i64;
    if negative && to > 0 {
        signed = if signed < 0 { -1 } else { -signed };
    }
    if to < 0 && signed < 0 {
        signed = signed.wrapping_neg();
        negative = true;
    }
    let mut rest = signed as u64;
    let radix = u64::from(to.unsigned_abs());
    let mut shown = Vec::new();
    loop {
        let d = (rest % radix) as u32;
        shown.push(std::char::from_digit(d, 36).map_or('0', |c| c.to_ascii_uppercase()));
        rest /= radix;
        if rest == 0 {
            break;
        }
    }
    if negative && to < 0 {
        shown.push('-');
    }
    Ok(Some(shown.into_iter().rev().collect()))
}

#[cfg(test)]
mod tests {
    use super::convert;

    #[test]
    fn converts_as_spark() {
        assert_eq!(convert("100", 2, 10).ok().flatten().as_deref(), Some("4"));
        assert_eq!(convert("-10", 16, -10).ok().flatten().as_deref(), Some("-16"));
        assert_eq!(convert("-1", 10, 16).ok().flatten().as_deref(), Some("FFFFFFFFFFFFFFFF"));
        assert_eq!(convert("12z", 10, 2).ok().flatten().as_deref(), Some("1100"));
        assert_eq!(convert("1", 1, 10).ok().flatten(), None);
    }
}
