//! `date_add(start, days)`, `date_sub(start, days)`, `add_months(start, months)` and
//! `trunc(date, format)` with the argument casts Spark applies: a string or timestamp start is
//! read as a date (`date_add('2024-01-31', 2)`, `trunc(ts, 'MM')`), a string count as an int. datafusion-spark computes them but only takes a `date` and an `int`; an integer
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
    /// Whether the second argument is a count (an int) rather than a format (a string).
    counted: bool,
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
        if !self.counted {
            return Ok(vec![start, DataType::Utf8]);
        }
        let days = match days {
            DataType::Int8 | DataType::Int16 | DataType::Int32 => days.clone(),
            DataType::Null | DataType::Int64 | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Int32,
            other => return plan_err!("{}: the second argument must be an int, not {other}", self.name()),
        };
        Ok(vec![start, days])
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.inner.return_type(args)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.inner.invoke_with_args(args)
    }

    /// datafusion-spark plans `add_months` and `trunc` as other functions once typed.
    fn simplify(
        &self,
        args: Vec<datafusion::logical_expr::Expr>,
        info: &datafusion::logical_expr::simplify::SimplifyContext,
    ) -> Result<datafusion::logical_expr::simplify::ExprSimplifyResult> {
        self.inner.simplify(args, info)
    }
}

fn shift(inner: Arc<ScalarUDF>, counted: bool) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(DateShift { inner, signature: Signature::user_defined(Volatility::Immutable), counted }))
}

static DATE_ADD: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::date_add(), true));
static DATE_SUB: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::date_sub(), true));
static ADD_MONTHS: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::add_months(), true));
static TRUNC: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| shift(datafusion_spark::function::datetime::trunc(), false));

/// Spark's `add_months`.
pub fn add_months() -> Arc<ScalarUDF> {
    Arc::clone(&ADD_MONTHS)
}

/// Spark's `trunc` (of a date).
pub fn trunc() -> Arc<ScalarUDF> {
    Arc::clone(&TRUNC)
}

/// Spark's `date_add`.
pub fn date_add() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_ADD)
}

/// Spark's `date_sub`.
pub fn date_sub() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_SUB)
}
