//! The shape of a function's answer. DataFusion folds constant expressions by calling a function
//! with scalar arguments and expects a scalar back, so a function that computes over arrays gives
//! its one-row result back as a scalar when every argument was one.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::ColumnarValue;

/// Whether every argument is a scalar (so the answer is one too).
pub fn all_scalar(args: &[ColumnarValue]) -> bool {
    args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)))
}

/// `out` as the function's answer: its one value as a scalar when the arguments were scalars.
pub fn answer(out: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    if scalar && out.len() == 1 {
        return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?));
    }
    Ok(ColumnarValue::Array(out))
}
