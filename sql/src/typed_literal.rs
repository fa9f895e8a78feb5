//! Spark's typed numeric literals: `1.0D` (DOUBLE), `2.5F` (FLOAT), `10L` (BIGINT), `3S`
//! (SMALLINT), `1Y` (TINYINT), `1.50BD` (DECIMAL(3,2)), and numbers with an exponent (`1e20`,
//! a DOUBLE where DataFusion would read a decimal).
//!
//! The lexer ([`crate::lexer::normalize_quotes`]) rewrites each as a call of
//! [`TYPED_LITERAL`]`('1.0', 'double')`, which the planner folds into a constant of that type;
//! the call is named as Spark names the literal (`1.0`, `1.0E20`, `1.50`).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::naming::{format_double, format_float};
use crate::value_format::format_decimal;

pub const TYPED_LITERAL: &str = "spark_typed_literal";

/// The call that stands for a number written with a type suffix (or an exponent), if it is one.
pub fn rewrite(number: &str, suffix: &str) -> Option<String> {
    let type_name = match suffix.to_ascii_uppercase().as_str() {
        "D" => "double".to_string(),
        "F" => "float".to_string(),
        "L" => "bigint".to_string(),
        "S" => "smallint".to_string(),
        "Y" => "tinyint".to_string(),
        "BD" => {
            let (p, s) = decimal_shape(number)?;
            format!("decimal({p},{s})")
        }
        "" if number.contains(['e', 'E']) => "double".to_string(),
        _ => return None,
    };
    Some(format!("{TYPED_LITERAL}('{number}', '{type_name}')"))
}

/// Precision and scale of a decimal literal as written (`1.50` is (3, 2), `0.5` is (1, 1)).
fn decimal_shape(number: &str) -> Option<(usize, usize)> {
    if number.contains(['e', 'E']) {
        return None;
    }
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let int_digits = int.trim_start_matches('0').len();
    let precision = (int_digits + frac.len()).max(frac.len()).max(1);
    (precision <= 38).then_some((precision, frac.len()))
}

fn target_type(name: &str) -> Option<DataType> {
    Some(match name {
        "double" => DataType::Float64,
        "float" => DataType::Float32,
        "bigint" => DataType::Int64,
        "int" => DataType::Int32,
        "smallint" => DataType::Int16,
        "date" => DataType::Date32,
        "timestamp" => crate::types::timestamp_type(),
        "timestamp_ntz" => crate::types::timestamp_ntz_type(),
        "tinyint" => DataType::Int8,
        other => {
            let inner = other.strip_prefix("decimal(")?.strip_suffix(')')?;
            let (p, s) = inner.split_once(',')?;
            DataType::Decimal128(p.trim().parse().ok()?, s.trim().parse().ok()?)
        }
    })
}

/// The literal's value in its type.
fn value(number: &str, data_type: &DataType) -> Result<ScalarValue> {
    let bad = || datafusion::error::DataFusionError::Plan(format!("[INVALID_NUMERIC_LITERAL] The numeric literal {number} is invalid."));
    Ok(match data_type {
        DataType::Float64 => ScalarValue::Float64(Some(number.parse().map_err(|_| bad())?)),
        DataType::Float32 => ScalarValue::Float32(Some(number.parse().map_err(|_| bad())?)),
        DataType::Int64 => ScalarValue::Int64(Some(number.parse().map_err(|_| bad())?)),
        DataType::Int32 => ScalarValue::Int32(Some(number.parse().map_err(|_| bad())?)),
        DataType::Int16 => ScalarValue::Int16(Some(number.parse().map_err(|_| bad())?)),
        DataType::Int8 => ScalarValue::Int8(Some(number.parse().map_err(|_| bad())?)),
        DataType::Decimal128(p, s) => {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            ScalarValue::Decimal128(Some(digits.parse().map_err(|_| bad())?), *p, *s)
        }
        DataType::Date32 | DataType::Timestamp(..) => {
            // The parser has refused a value Spark does not read (INVALID_TYPED_LITERAL).
            let invalid = || datafusion::error::DataFusionError::Plan(format!("{TYPED_LITERAL}: invalid {data_type} '{number}'"));
            match data_type {
                DataType::Date32 => {
                    let date = crate::datetime_cast::read_date(number).ok_or_else(invalid)?;
                    let days = (date - chrono::DateTime::UNIX_EPOCH.date_naive()).num_days();
                    ScalarValue::Date32(Some(i32::try_from(days).map_err(|_| invalid())?))
                }
                DataType::Timestamp(_, Some(zone)) => ScalarValue::TimestampMicrosecond(
                    Some(crate::datetime_cast::read_timestamp(number).ok_or_else(invalid)?),
                    Some(Arc::clone(zone)),
                ),
                _ => ScalarValue::TimestampMicrosecond(Some(crate::datetime_cast::read_timestamp_ntz(number).ok_or_else(invalid)?), None),
            }
        }
        other => return plan_err!("{TYPED_LITERAL}: unsupported type {other}"),
    })
}

fn text_arg(arg: Option<&ScalarValue>) -> Option<&str> {
    match arg {
        Some(ScalarValue::Utf8(Some(s)) | ScalarValue::Utf8View(Some(s)) | ScalarValue::LargeUtf8(Some(s))) => Some(s),
        _ => None,
    }
}

/// Spark's name for the literal a [`TYPED_LITERAL`] call stands for.
pub fn spark_literal_name(args: &[Expr]) -> Option<String> {
    let (Some(Expr::Literal(number, _)), Some(Expr::Literal(type_name, _))) = (args.first(), args.get(1)) else {
        return None;
    };
    let (number, type_name) = (text_arg(Some(number))?, text_arg(Some(type_name))?);
    Some(match value(number, &target_type(type_name)?).ok()? {
        ScalarValue::Float64(Some(v)) => format_double(v),
        ScalarValue::Float32(Some(v)) => format_float(v),
        ScalarValue::Decimal128(Some(v), _, s) => format_decimal(v, s),
        dated @ (ScalarValue::Date32(_) | ScalarValue::TimestampMicrosecond(..)) => crate::naming::literal(&dated),
        other => other.to_string(),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct TypedLiteral {
    signature: Signature,
}

pub fn udf() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(TypedLiteral { signature: Signature::any(2, Volatility::Immutable) }))
}

impl ScalarUDFImpl for TypedLiteral {
    fn name(&self) -> &str {
        TYPED_LITERAL
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{TYPED_LITERAL} takes its type from its arguments")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(data_type) = text_arg(args.scalar_arguments.get(1).copied().flatten()).and_then(target_type) else {
            return plan_err!("{TYPED_LITERAL} needs a constant type name");
        };
        Ok(Arc::new(Field::new(TYPED_LITERAL, data_type, false)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (Some(ColumnarValue::Scalar(number)), Some(ColumnarValue::Scalar(type_name))) = (args.args.first(), args.args.get(1)) else {
            return exec_err!("{TYPED_LITERAL} takes two constants");
        };
        let (Some(number), Some(data_type)) = (text_arg(Some(number)), text_arg(Some(type_name)).and_then(target_type)) else {
            return exec_err!("{TYPED_LITERAL} takes a number and a type name");
        };
        Ok(ColumnarValue::Scalar(value(number, &data_type)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_exponents_become_typed_calls() {
        assert_eq!(rewrite("1.0", "D").as_deref(), Some("spark_typed_literal('1.0', 'double')"));
        assert_eq!(rewrite("1e20", "").as_deref(), Some("spark_typed_literal('1e20', 'double')"));
        assert_eq!(rewrite("1.50", "bd").as_deref(), Some("spark_typed_literal('1.50', 'decimal(3,2)')"));
        assert_eq!(rewrite("0.5", "BD").as_deref(), Some("spark_typed_literal('0.5', 'decimal(1,1)')"));
        assert_eq!(rewrite("10", ""), None);
        assert_eq!(rewrite("1.5", ""), None);
        assert_eq!(value("1.50", &DataType::Decimal128(3, 2)).unwrap(), ScalarValue::Decimal128(Some(150), 3, 2));
    }
}
