//! Spark's sketch functions on Apache DataSketches, whose binary formats Spark's sketches use:
//! HyperLogLog ([`hll`]), Theta ([`theta`]), Tuple ([`tuple`]) and KLL quantiles ([`kll`]).

mod aggregate;
pub mod hll;
pub mod kll;
mod kll_query;
mod kll_summary;
pub mod theta;
pub mod tuple;

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BooleanArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};

/// Every sketch aggregate.
pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    let mut all = hll::aggregates();
    all.extend(theta::aggregates());
    all.extend(kll::aggregates());
    all.extend(tuple::aggregates());
    all
}

/// Every sketch scalar function.
pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    let mut all = hll::scalars();
    all.extend(theta::scalars());
    all.extend(kll::scalars());
    all.extend(tuple::scalars());
    all
}

/// An error of the sketch library that Spark's checks would have caught first (an argument out
/// of range), as an execution error.
fn library_error(e: datasketches::error::Error) -> DataFusionError {
    DataFusionError::Execution(e.to_string())
}

/// A column of sketches as binaries.
fn binaries(values: &ArrayRef) -> Result<BinaryArray> {
    Ok(cast(values, &DataType::Binary)?.as_binary::<i32>().clone())
}

/// A constant integer parameter.
fn constant_int(function: &str, value: Option<&ScalarValue>) -> Result<i64> {
    match value.map(|v| v.cast_to(&DataType::Int64)) {
        Some(Ok(ScalarValue::Int64(Some(n)))) => Ok(n),
        _ => exec_err!("{function}: the parameter must be a non-null integer constant"),
    }
}

/// A constant boolean parameter.
fn constant_bool(function: &str, value: Option<&ScalarValue>) -> Result<bool> {
    match value {
        Some(ScalarValue::Boolean(Some(b))) => Ok(*b),
        _ => exec_err!("{function}: the parameter must be a non-null boolean constant"),
    }
}

/// An optional boolean argument's column.
fn booleans(values: Option<&ArrayRef>) -> Result<Option<BooleanArray>> {
    values.map(|v| Ok(cast(v, &DataType::Boolean)?.as_boolean().clone())).transpose()
}

/// Row `i` of an optional boolean argument; false when absent or NULL.
fn flag(values: Option<&BooleanArray>, i: usize) -> bool {
    values.is_some_and(|b| b.is_valid(i) && b.value(i))
}
