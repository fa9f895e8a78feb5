//! Spark's `from_utc_timestamp(ts, tz)` and `to_utc_timestamp(ts, tz)`: they take and return a
//! TIMESTAMP. datafusion-spark's return the type they are given and read a string as a
//! TIMESTAMP_NTZ, so their input is cast to a TIMESTAMP first (the shift is the same).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;

/// `from_utc_timestamp`, replacing datafusion-spark's by name.
pub fn from_utc_timestamp() -> Arc<ScalarUDF> {
    crate::wrapped::with_casts(datafusion_spark::function::datetime::from_utc_timestamp(), casts)
}

/// `to_utc_timestamp`, replacing datafusion-spark's by name.
pub fn to_utc_timestamp() -> Arc<ScalarUDF> {
    crate::wrapped::with_casts(datafusion_spark::function::datetime::to_utc_timestamp(), casts)
}

fn casts(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    if args.len() != 2 {
        return plan_err!("{name} takes a timestamp and a time zone, got {} arguments", args.len());
    }
    Ok(vec![crate::types::timestamp_type(), DataType::Utf8])
}
