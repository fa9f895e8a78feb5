//! The elements of a batch of arrays laid out for a lambda: one row per element, with the
//! element's position in its array and the row of the array it came from.
//!
//! Spark's higher-order functions evaluate their lambda once per element; evaluating it once
//! over all elements of the batch at a time is the columnar equivalent. A lambda may also read
//! columns of the row (`transform(a, x -> x + k)`), which are repeated once per element.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, ListArray, UInt32Array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::take_arrays;
use datafusion::common::{Result, exec_datafusion_err};
use datafusion::logical_expr::LambdaArgument;

/// The elements of the arrays of one batch.
pub(crate) struct Elements {
    /// The arrays, as given (their nulls are the result's).
    pub list: ListArray,
    /// Every element, array after array.
    pub values: ArrayRef,
    /// Where each array's elements start in `values` (from 0).
    pub offsets: OffsetBuffer<i32>,
}

impl Elements {
    pub fn of(array: &ArrayRef) -> Result<Self> {
        let list = array.as_list_opt::<i32>().ok_or_else(|| exec_datafusion_err!("expected an array, got {}", array.data_type()))?.clone();
        let (start, length, offsets) = from_zero(list.offsets());
        let values = list.values().slice(start, length);
        Ok(Self { list, values, offsets })
    }

    /// The row each element belongs to.
    pub fn rows(&self) -> UInt32Array {
        rows(&self.offsets)
    }

    /// Each element's 0-based position in its array (Spark's `(x, i) -> ...`).
    pub fn positions(&self) -> Int32Array {
        let mut positions = Vec::with_capacity(self.values.len());
        for w in self.offsets.windows(2) {
            positions.extend(0..(w[1] - w[0]));
        }
        Int32Array::from(positions)
    }

    /// The lambda's value for every element, given `(element, position)`.
    pub fn apply(&self, lambda: &LambdaArgument) -> Result<ArrayRef> {
        let values = || Ok(Arc::clone(&self.values));
        let positions = || Ok(Arc::new(self.positions()) as ArrayRef);
        let rows = self.rows();
        lambda.evaluate(&[&values, &positions], |captured| Ok(take_arrays(captured, &rows, None)?))?.into_array(self.values.len())
    }

    /// The `(start, end)` of each row's elements in `values`.
    pub fn ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        ranges(&self.offsets)
    }
}

/// Where the runs of `offsets` (a list's or a map's) start and how long they are all
/// together, and the offsets counted from the first run's start (for the sliced values).
pub(crate) fn from_zero(offsets: &OffsetBuffer<i32>) -> (usize, usize, OffsetBuffer<i32>) {
    let start = offsets[0] as usize;
    let length = offsets[offsets.len() - 1] as usize - start;
    (start, length, offsets.clone().subtract(offsets[0]))
}

/// The row of each value under offsets counted from zero.
pub(crate) fn rows(offsets: &OffsetBuffer<i32>) -> UInt32Array {
    offsets.windows(2).enumerate().flat_map(|(row, w)| std::iter::repeat_n(row as u32, (w[1] - w[0]) as usize)).collect()
}

/// The `(start, end)` of each row's values under offsets counted from zero.
pub(crate) fn ranges(offsets: &OffsetBuffer<i32>) -> impl Iterator<Item = (usize, usize)> + '_ {
    offsets.windows(2).map(|w| (w[0] as usize, w[1] as usize))
}
