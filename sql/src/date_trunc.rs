//! Spark's `date_trunc(fmt, ts)` over what Spark casts to a timestamp first: a date
//! (`date_trunc('MONTH', order_date)` is the timestamp `2024-04-01 00:00:00`) or a string.
//! The truncation is datafusion-spark's, which takes timestamps only.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;

static UDF: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::date_trunc(), casts));

/// The function, replacing datafusion-spark's by name.
pub fn date_trunc() -> Arc<ScalarUDF> {
    Arc::clone(&UDF)
}

/// Spark's implicit casts: the format a string, the value a timestamp.
fn casts(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    let [_, value] = args else {
        return plan_err!("{name} takes a format and a timestamp, got {} arguments", args.len());
    };
    let value = match value {
        DataType::Timestamp(_, _) => value.clone(),
        _ => DataType::Timestamp(TimeUnit::Microsecond, None),
    };
    Ok(vec![DataType::Utf8, value])
}
