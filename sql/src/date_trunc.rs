//! Spark's `date_trunc(fmt, ts)` over what Spark casts to a timestamp first: a date
//! (`date_trunc('MONTH', order_date)` is the timestamp `2024-04-01 00:00:00`) or a string.
//! The truncation is datafusion-spark's, which takes timestamps only.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;

static UDF: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::date_trunc(), casts));

/// The function, replacing datafusion-spark's by name.
pub fn date_trunc() -> Arc<ScalarUDF> {
    Arc::clone(&UDF)
}

/// Spark's implicit casts: the format a string, the value a TIMESTAMP (a TIMESTAMP_NTZ too, so
/// the result is a TIMESTAMP as Spark's is).
fn casts(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    if args.len() != 2 {
        return plan_err!("{name} takes a format and a timestamp, got {} arguments", args.len());
    }
    Ok(vec![DataType::Utf8, crate::types::timestamp_type()])
}
