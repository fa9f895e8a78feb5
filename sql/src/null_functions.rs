//! Spark's functions about NULL and zero: `nullifzero(x)` (NULL where `x` is 0),
//! `zeroifnull(x)` (0 where `x` is NULL; an untyped NULL is the INT 0) and `equal_null(a, b)`
//! (`a <=> b`: true when both are NULL, false when one is).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::compute::kernels::cmp::{eq, not_distinct};
use datafusion::arrow::compute::kernels::zip::zip;
use datafusion::arrow::compute::{is_null, nullif};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    NullIfZero,
    ZeroIfNull,
    EqualNull,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct NullFunction {
    kind: Kind,
    signature: Signature,
}

/// Every function of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    [Kind::NullIfZero, Kind::ZeroIfNull, Kind::EqualNull]
        .into_iter()
        .map(|kind| Arc::new(ScalarUDF::new_from_impl(NullFunction { kind, signature: Signature::user_defined(Volatility::Immutable) })))
        .collect()
}

impl ScalarUDFImpl for NullFunction {
    fn name(&self) -> &str {
        match self.kind {
            Kind::NullIfZero => "nullifzero",
            Kind::ZeroIfNull => "zeroifnull",
            Kind::EqualNull => "equal_null",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let arity = if self.kind == Kind::EqualNull { 2 } else { 1 };
        if args.len() != arity {
            return plan_err!("{}", crate::error::wrong_num_args(self.name(), &arity.to_string(), args.len()));
        }
        match (self.kind, args) {
            (Kind::EqualNull, [a, b]) => {
                let common = comparison_coercion(a, b).unwrap_or(DataType::Utf8);
                Ok(vec![common.clone(), common])
            }
            (Kind::NullIfZero | Kind::ZeroIfNull, [DataType::Null]) => Ok(vec![DataType::Int32]),
            (Kind::NullIfZero | Kind::ZeroIfNull, [t]) if t.is_numeric() => Ok(vec![t.clone()]),
            (Kind::NullIfZero | Kind::ZeroIfNull, [DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View]) => {
                Ok(vec![DataType::Float64])
            }
            (_, [t]) => plan_err!("{} takes a number, not {}", self.name(), crate::types::sql_type(t)),
            _ => plan_err!("{}: unexpected arguments", self.name()),
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::EqualNull => DataType::Boolean,
            _ => args.first().cloned().unwrap_or(DataType::Int32),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays: Vec<ArrayRef> = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<_>>()?;
        let out: ArrayRef = match self.kind {
            Kind::EqualNull => Arc::new(not_distinct(&arrays[0], &arrays[1])?),
            Kind::NullIfZero => {
                let zero = ScalarValue::Int32(Some(0)).cast_to(arrays[0].data_type())?.to_scalar()?;
                let is_zero: BooleanArray = eq(&arrays[0], &zero)?;
                nullif(&arrays[0], &is_zero)?
            }
            Kind::ZeroIfNull => {
                let zero = ScalarValue::Int32(Some(0)).cast_to(arrays[0].data_type())?.to_scalar()?;
                zip(&is_null(&arrays[0])?, &zero, &arrays[0])?
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}
