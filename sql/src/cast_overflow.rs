//! Spark's `CAST` of a number to an integer type that cannot hold it: in ANSI mode (Spark 4's
//! default) `[CAST_OVERFLOW] The value 300 of the type "INT" cannot be cast to "TINYINT" due to
//! an overflow. Use `try_cast` ...`, the value written as a Spark literal of its type (`300S`,
//! `3000000000L`, `1.0E20D`, `12345.6BD`). DataFusion's cast fails with arrow's text, which
//! names neither the value's type nor `try_cast`.
//!
//! An explicit cast that can overflow (to a narrower integer, or from a fractional number) is
//! planned as one of this module's functions, one per target type; it casts as arrow does
//! (truncating fractions, as Spark does) and reports the first value that did not fit. Named
//! as the `CAST` it stands for ([`crate::naming`]).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type};
use datafusion::common::{DFSchema, Result, exec_err, plan_err};
use datafusion::logical_expr::expr::{Cast, ScalarFunction};
use datafusion::logical_expr::{ColumnarValue, Expr, ExprSchemable, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

const TARGETS: [(DataType, &str); 4] = [
    (DataType::Int8, "spark_cast_tinyint"),
    (DataType::Int16, "spark_cast_smallint"),
    (DataType::Int32, "spark_cast_int"),
    (DataType::Int64, "spark_cast_bigint"),
];

static UDFS: LazyLock<Vec<Arc<ScalarUDF>>> = LazyLock::new(|| {
    TARGETS
        .iter()
        .map(|(target, name)| {
            Arc::new(ScalarUDF::new_from_impl(OverflowCast {
                name,
                target: target.clone(),
                signature: Signature::user_defined(Volatility::Immutable),
            }))
        })
        .collect()
});

/// The functions, for sessions and executors to find by name.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    UDFS.clone()
}

/// The cast a call of one of these functions stands for, for its name.
pub fn as_cast(name: &str, args: &[Expr]) -> Option<Expr> {
    let (target, _) = TARGETS.iter().find(|(_, n)| *n == name)?;
    let [arg] = args else {
        return None;
    };
    Some(Expr::Cast(Cast::new(Box::new(arg.clone()), target.clone())))
}

/// `cast` as Spark's checked cast when it can overflow; `None` keeps DataFusion's.
pub fn checked(cast: &Cast, schema: &DFSchema) -> Option<Expr> {
    let target = cast.field.data_type();
    let (_, udf) = TARGETS.iter().zip(UDFS.iter()).find(|((t, _), _)| t == target)?;
    let source = cast.expr.get_type(schema).ok()?;
    if !can_overflow(&source, target) {
        return None;
    }
    Some(Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(udf), vec![(*cast.expr).clone()])))
}

fn width(t: &DataType) -> Option<u8> {
    Some(match t {
        DataType::Int8 => 1,
        DataType::Int16 => 2,
        DataType::Int32 => 4,
        DataType::Int64 => 8,
        _ => return None,
    })
}

fn can_overflow(source: &DataType, target: &DataType) -> bool {
    match (width(source), width(target)) {
        (Some(s), Some(t)) => s > t,
        _ => matches!(source, DataType::Float32 | DataType::Float64 | DataType::Decimal128(..)),
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct OverflowCast {
    name: &'static str,
    target: DataType,
    signature: Signature,
}

impl ScalarUDFImpl for OverflowCast {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [t] if width(t).is_some() || matches!(t, DataType::Float32 | DataType::Float64 | DataType::Decimal128(..)) => {
                Ok(vec![t.clone()])
            }
            _ => plan_err!("{} casts one number, not {args:?}", self.name),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [value] = args.args.as_slice() else {
            return exec_err!("{} casts one value", self.name);
        };
        let scalar = matches!(value, ColumnarValue::Scalar(_));
        let input = value.to_array(if scalar { 1 } else { args.number_rows })?;
        // A value that does not fit is NULL here; it was not NULL before.
        let out = cast_with_options(&input, &self.target, &CastOptions { safe: true, ..Default::default() })?;
        if out.null_count() != input.null_count()
            && let Some(i) = (0..input.len()).find(|&i| input.is_valid(i) && out.is_null(i))
        {
            return exec_err!(
                "[CAST_OVERFLOW] The value {} of the type \"{}\" cannot be cast to \"{}\" due to an overflow. Use `try_cast` to \
                 tolerate overflow and return NULL instead. SQLSTATE: 22003",
                spark_literal(&input, i),
                crate::types::simple_string(input.data_type()).to_uppercase(),
                crate::types::simple_string(&self.target).to_uppercase()
            );
        }
        crate::columnar::answer(out, scalar)
    }
}

/// A value as Spark writes a literal of its type in messages.
fn spark_literal(array: &ArrayRef, i: usize) -> String {
    match array.data_type() {
        DataType::Int8 => format!("{}Y", array.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => format!("{}S", array.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(i).to_string(),
        DataType::Int64 => format!("{}L", array.as_primitive::<Int64Type>().value(i)),
        DataType::Float32 => crate::naming::format_float(array.as_primitive::<Float32Type>().value(i)),
        DataType::Float64 => {
            let v = array.as_primitive::<Float64Type>().value(i);
            let text = crate::naming::format_double(v);
            if v.is_finite() { format!("{text}D") } else { text }
        }
        DataType::Decimal128(_, scale) => {
            format!("{}BD", crate::value_format::format_decimal(array.as_primitive::<Decimal128Type>().value(i), *scale))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::Field;

    fn cast_to_tinyint(values: Vec<Option<i32>>) -> Result<ColumnarValue> {
        let rows = values.len();
        let f = &UDFS[0];
        f.invoke_with_args(ScalarFunctionArgs {
            args: vec![ColumnarValue::Array(Arc::new(Int32Array::from(values)))],
            arg_fields: vec![Arc::new(Field::new("a", DataType::Int32, true))],
            number_rows: rows,
            return_field: Arc::new(Field::new("r", DataType::Int8, true)),
            config_options: Arc::new(Default::default()),
        })
    }

    #[test]
    fn the_first_value_that_does_not_fit_is_reported() {
        let err = cast_to_tinyint(vec![Some(1), None, Some(300)]).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("[CAST_OVERFLOW] The value 300 of the type \"INT\" cannot be cast to \"TINYINT\""), "{err}");
        assert!(cast_to_tinyint(vec![Some(-128), None, Some(127)]).is_ok());
    }

    #[test]
    fn only_casts_that_can_overflow_are_checked() {
        assert!(can_overflow(&DataType::Int64, &DataType::Int32));
        assert!(can_overflow(&DataType::Float64, &DataType::Int64));
        assert!(!can_overflow(&DataType::Int32, &DataType::Int64));
        assert!(!can_overflow(&DataType::Utf8, &DataType::Int32));
    }
}
