//! Spark's `date_trunc(fmt, ts)` over what Spark casts to a timestamp first: a date
//! (`date_trunc('MONTH', order_date)` is the timestamp `2024-04-01 00:00:00`) or a string.
//! The truncation is datafusion-spark's, which takes timestamps only.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::{DataType, FieldRef, TimeUnit};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct DateTrunc {
    inner: Arc<ScalarUDF>,
    signature: Signature,
}

static UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| {
    let inner = datafusion_spark::function::datetime::date_trunc();
    Arc::new(ScalarUDF::new_from_impl(DateTrunc { inner, signature: Signature::user_defined(Volatility::Immutable) }))
});

/// The function, replacing datafusion-spark's by name.
pub fn date_trunc() -> Arc<ScalarUDF> {
    Arc::clone(&UDF)
}

impl ScalarUDFImpl for DateTrunc {
    fn name(&self) -> &str {
        "date_trunc"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Spark's implicit casts: the format a string, the value a timestamp.
    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let [_, value] = args else {
            return plan_err!("date_trunc takes a format and a timestamp, got {} arguments", args.len());
        };
        let value = match value {
            DataType::Timestamp(_, _) => value.clone(),
            _ => DataType::Timestamp(TimeUnit::Microsecond, None),
        };
        Ok(vec![DataType::Utf8, value])
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.get(1) {
            Some(t) => Ok(t.clone()),
            None => plan_err!("date_trunc takes a format and a timestamp"),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.inner.invoke_with_args(args)
    }

    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        self.inner.simplify(args, info)
    }
}
