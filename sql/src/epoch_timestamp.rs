//! `timestamp_seconds(n)`, `timestamp_millis(n)` and `timestamp_micros(n)`: the instant `n`
//! units after the epoch, as Spark's TIMESTAMP. Seconds may have a fraction (a decimal or a
//! double), kept to the microsecond; a value beyond the range of timestamps is an overflow.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use crate::types::{UTC, timestamp_type};

/// The three functions.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        crate::udfs::udf("timestamp_seconds", &[1], timestamp_type(), |a| micros_of(&a[0], 1_000_000)),
        crate::udfs::udf("timestamp_millis", &[1], timestamp_type(), |a| micros_of(&a[0], 1_000)),
        crate::udfs::udf("timestamp_micros", &[1], timestamp_type(), |a| micros_of(&a[0], 1)),
    ]
}

fn overflow() -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(
        "[ARITHMETIC_OVERFLOW] long overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003"
            .into(),
    )
}

/// Each value times `per_unit` microseconds.
fn micros_of(values: &ArrayRef, per_unit: i64) -> Result<ArrayRef> {
    let micros: Vec<Option<i64>> = match values.data_type() {
        DataType::Float32 | DataType::Float64 => {
            let v = cast(values, &DataType::Float64)?;
            v.as_primitive::<Float64Type>()
                .iter()
                .map(|x| x.map(|x| x * per_unit as f64).filter(|m| m.is_finite() && m.abs() < 9.2e18).map(|m| m as i64))
                .collect()
        }
        DataType::Decimal128(_, scale) => {
            let scale = u32::try_from(*scale).unwrap_or(0);
            let divisor = 10i128.pow(scale);
            let v = values.as_primitive::<Decimal128Type>();
            v.iter()
                .map(|x| x.map(|u| i64::try_from(u * i128::from(per_unit) / divisor).map_err(|_| overflow())).transpose())
                .collect::<Result<_>>()?
        }
        DataType::Null
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => {
            let v = cast(values, &DataType::Int64)?;
            v.as_primitive::<Int64Type>()
                .iter()
                .map(|x| x.map(|x| x.checked_mul(per_unit).ok_or_else(overflow)).transpose())
                .collect::<Result<_>>()?
        }
        other => return exec_err!("expected a number of units since the epoch, found {}", crate::types::sql_type(other)),
    };
    Ok(Arc::new(TimestampMicrosecondArray::from(micros).with_timezone(UTC)))
}
