//! `date - date`: in Spark the interval between the two (`DATE'2024-03-01' - DATE'2024-01-01'`
//! is `INTERVAL '60' DAY`), where DataFusion answers a number of days. The interval is a
//! duration in microseconds, Ember's type for Spark's day-time intervals, and prints as Spark
//! prints one (`60 00:00:00.000000000` in spark-sql). Named `(a - b)` ([`crate::naming`]).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{AsArray, DurationMicrosecondArray};
use datafusion::arrow::compute::kernels::arity::try_binary;
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, FieldRef, TimeUnit};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The registered name.
pub const SUBTRACT_DATES: &str = "spark_subtract_dates";

const MICROS_PER_DAY: i64 = 86_400_000_000;

#[derive(Debug, PartialEq, Eq, Hash)]
struct SubtractDates {
    signature: Signature,
}

impl ScalarUDFImpl for SubtractDates {
    fn name(&self) -> &str {
        SUBTRACT_DATES
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        if args.len() != 2 {
            return plan_err!("date subtraction takes 2 dates, got {}", args.len());
        }
        Ok(vec![DataType::Date32, DataType::Date32])
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Duration(TimeUnit::Microsecond))
    }

    /// Spark's type is `interval day`: whole days ([`crate::interval_literal::SPARK_TYPE`]).
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let nullable = args.arg_fields.iter().any(|f| f.is_nullable());
        let field = Field::new(SUBTRACT_DATES, DataType::Duration(TimeUnit::Microsecond), nullable);
        Ok(Arc::new(field.with_metadata([(crate::interval_literal::SPARK_TYPE.to_string(), "interval day".to_string())].into())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = crate::columnar::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [left, right] = arrays.as_slice() else {
            return plan_err!("date subtraction takes 2 dates");
        };
        // Dates far outside Spark's years 1 to 9999 can be too far apart for microseconds.
        let days: DurationMicrosecondArray = try_binary(left.as_primitive::<Date32Type>(), right.as_primitive::<Date32Type>(), |l, r| {
            (i64::from(l) - i64::from(r))
                .checked_mul(MICROS_PER_DAY)
                .ok_or_else(|| ArrowError::ComputeError("date subtraction overflows".into()))
        })?;
        crate::columnar::answer(Arc::new(days), scalar)
    }
}

static UDF: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| Arc::new(ScalarUDF::new_from_impl(SubtractDates { signature: Signature::user_defined(Volatility::Immutable) })));

/// The function, for sessions and executors to find by name.
pub fn subtract_dates_udf() -> Arc<ScalarUDF> {
    Arc::clone(&UDF)
}

/// `left - right` of two dates.
pub fn subtract_dates(left: Expr, right: Expr) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(subtract_dates_udf(), vec![left, right]))
}
