//! `date_add(start, days)` and `date_sub(start, days)` with the argument casts Spark applies:
//! a string or timestamp start is read as a date (`date_add('2024-01-31', 2)`), a string count
//! as an int. datafusion-spark computes them but only takes a `date` and an `int`; an integer
//! literal is a `bigint` while DataFusion plans a statement (Ember narrows it to Spark's `int`
//! afterwards), so a wider integer count is narrowed here too and fails when it does not fit.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// datafusion-spark's function, with Spark's argument casts in front.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DateShift {
    inner: Arc<ScalarUDF>,
    signature: Signature,
}

impl ScalarUDFImpl for DateShift {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let [start, days] = args else {
            return plan_err!("{} takes 2 arguments, got {}", self.name(), args.len());
        };
        let start = match start {
            DataType::Date32 | DataType::Null => DataType::Date32,
            DataType::Date64 | DataType::Timestamp(..) | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Date32,
            other => return plan_err!("{}: the first argument must be a date, not {other}", self.name()),
        };
        let days = match days {
            DataType::Int8 | DataType::Int16 | DataType::Int32 => days.clone(),
            DataType::Null | DataType::Int64 | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Int32,
            other => return plan_err!("{}: the second argument must be an int, not {other}", self.name()),
        };
        Ok(vec![start, days])
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.inner.invoke_with_args(args)
    }
}

fn shift(inner: Arc<ScalarUDF>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(DateShift { inner, signature: Signature::user_defined(Volatility::Immutable) }))
}

static DATE_ADD: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::date_add()));
static DATE_SUB: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::date_sub()));

/// Spark's `date_add`.
pub fn date_add() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_ADD)
}

/// Spark's `date_sub`.
pub fn date_sub() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_SUB)
}
