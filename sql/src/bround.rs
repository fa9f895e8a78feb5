//! `bround(x[, d])`: `x` rounded to `d` decimal places (0 by default; negative rounds to tens,
//! hundreds, ...) with HALF_EVEN rounding, typed as `round` types its result.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct BRound {
    signature: Signature,
}

pub fn bround() -> Arc<ScalarUDF> {
    let signature = Signature::one_of(
        vec![datafusion::logical_expr::TypeSignature::Any(1), datafusion::logical_expr::TypeSignature::Any(2)],
        Volatility::Immutable,
    );
    Arc::new(ScalarUDF::new_from_impl(BRound { signature }))
}

/// `n` (scaled by 10^`scale`) rounded half to even at 10^`drop` of its units.
fn half_even(n: i128, drop: u32) -> Option<i128> {
    if drop == 0 {
        return Some(n);
    }
    let unit = 10i128.checked_pow(drop)?;
    let (q, r) = (n / unit, n % unit);
    let twice = r.abs() * 2;
    let up = twice > unit || (twice == unit && q % 2 != 0);
    Some(if up { q + n.signum() } else { q })
}

impl ScalarUDFImpl for BRound {
    fn name(&self) -> &str {
        "bround"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match &args[0] {
            t if t.is_integer() || matches!(t, DataType::Float32 | DataType::Float64 | DataType::Null) => Ok(t.clone()),
            DataType::Decimal128(p, s) => Ok(crate::udfs::rounded_decimal(*p, *s, 0)),
            other => plan_err!("bround expects a number, found {}", crate::types::sql_type(other)),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = args.arg_fields[0].data_type();
        let scale = match args.scalar_arguments.get(1) {
            None => 0,
            Some(Some(v)) => match v.cast_to(&DataType::Int32)? {
                ScalarValue::Int32(Some(n)) => n,
                _ => 0,
            },
            Some(None) => return plan_err!("bround: the scale must be a constant integer"),
        };
        let to = match input {
            DataType::Decimal128(p, s) => crate::udfs::rounded_decimal(*p, *s, scale),
            other => self.return_type(std::slice::from_ref(other))?,
        };
        Ok(Arc::new(Field::new(self.name(), to, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let values = args.args[0].to_array(rows)?;
        let scale = match args.args.get(1) {
            Some(ColumnarValue::Scalar(v)) => match v.cast_to(&DataType::Int32)? {
                ScalarValue::Int32(Some(n)) => n,
                _ => 0,
            },
            Some(ColumnarValue::Array(_)) => return plan_err!("bround: the scale must be a constant integer"),
            None => 0,
        };
        let to = args.return_field.data_type().clone();
        let out: ArrayRef = match (values.data_type(), &to) {
            (DataType::Float32 | DataType::Float64, _) => {
                let single = values.data_type() == &DataType::Float32;
                let v = cast(&values, &DataType::Float64)?;
                let rounded: Float64Array =
                    v.as_primitive::<Float64Type>().iter().map(|x| x.map(|x| crate::udfs::round_text(x, scale, single, true))).collect();
                cast(&(Arc::new(rounded) as ArrayRef), &to)?
            }
            (DataType::Decimal128(_, s), DataType::Decimal128(p, ts)) => {
                let s = i32::from(*s);
                // Round at `scale` places (or tens for a negative scale), then state the result at its type's scale.
                let drop = (s - scale).max(0) as u32;
                let back = (i32::from(*ts) - (s - drop as i32)).max(0) as u32;
                let rounded: Decimal128Array = values
                    .as_primitive::<Decimal128Type>()
                    .iter()
                    .map(|x| x.and_then(|n| half_even(n, drop)).and_then(|q| q.checked_mul(10i128.pow(back))))
                    .collect();
                Arc::new(rounded.with_precision_and_scale(*p, *ts)?)
            }
            (t, _) if t.is_integer() => {
                let drop = (-scale).max(0) as u32;
                let v = cast(&values, &DataType::Int64)?;
                let rounded: datafusion::arrow::array::Int64Array = v
                    .as_primitive::<Int64Type>()
                    .iter()
                    .map(|x| x.and_then(|n| half_even(i128::from(n), drop)).and_then(|q| i64::try_from(q * 10i128.pow(drop)).ok()))
                    .collect();
                cast(&(Arc::new(rounded) as ArrayRef), &to)?
            }
            _ => cast(&values, &to)?,
        };
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_go_to_even() {
        assert_eq!(half_even(25, 1), Some(2));
        assert_eq!(half_even(35, 1), Some(4));
        assert_eq!(half_even(-25, 1), Some(-2));
        assert_eq!(half_even(26, 1), Some(3));
        assert_eq!(crate::udfs::round_text(2.5, 0, false, true), 2.0);
        assert_eq!(crate::udfs::round_text(3.5, 0, false, true), 4.0);
    }
}
