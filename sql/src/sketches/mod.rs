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

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BinaryBuilder, BooleanArray};
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

/// Each row's sketch of a column read by `read`, NULL where NULL.
fn each<T>(values: &ArrayRef, read: impl Fn(&[u8]) -> Result<T>) -> Result<Vec<Option<T>>> {
    binaries(values)?.iter().map(|b| b.map(&read).transpose()).collect()
}

/// A binary operation on the sketches of two columns, row by row: `op` gets the row and both
/// images and returns the result's image; NULL where either input is NULL.
fn pairwise(args: &[ArrayRef], mut op: impl FnMut(usize, &[u8], &[u8]) -> Result<Vec<u8>>) -> Result<ArrayRef> {
    let (a, b) = (binaries(&args[0])?, binaries(&args[1])?);
    let mut out = BinaryBuilder::new();
    for i in 0..a.len() {
        if a.is_null(i) || b.is_null(i) {
            out.append_null();
        } else {
            out.append_value(op(i, a.value(i), b.value(i))?);
        }
    }
    Ok(Arc::new(out.finish()))
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
