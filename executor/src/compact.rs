//! Map outputs that own their strings.
//!
//! Arrow's view layouts (`Utf8View`/`BinaryView`, what Parquet scans produce) keep long values in
//! shared data buffers. Splitting a batch into shuffle buckets, or filtering it, leaves every piece
//! pointing at all of the original buffers: the store would count (and spill) them once per
//! piece, and Arrow IPC — Flight and spill files — writes a view array's buffers whole, so each
//! bucket would ship every value of the batch it came from. Pieces whose buffers are mostly
//! unused are compacted to hold only their own values.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;

use crate::error::Result;

/// Shared buffers up to this size are left alone: copying would cost more than it saves.
const SLACK_BYTES: usize = 32 * 1024;

/// Whether `held` bytes of buffers for `used` bytes of values are worth compacting: more than a
/// third unused (a batch split in two buckets leaves each piece half its buffers).
fn wasteful(held: usize, used: usize) -> bool {
    held > SLACK_BYTES && held > used + used / 2
}

fn compact_column(column: &ArrayRef) -> Option<ArrayRef> {
    match column.data_type() {
        DataType::Utf8View => {
            let a = column.as_string_view();
            let held: usize = a.data_buffers().iter().map(|b| b.len()).sum();
            wasteful(held, a.total_buffer_bytes_used()).then(|| Arc::new(a.gc()) as ArrayRef)
        }
        DataType::BinaryView => {
            let a = column.as_binary_view();
            let held: usize = a.data_buffers().iter().map(|b| b.len()).sum();
            wasteful(held, a.total_buffer_bytes_used()).then(|| Arc::new(a.gc()) as ArrayRef)
        }
        _ => None,
    }
}

/// `batch` with its view columns compacted where they hold mostly other batches' values.
pub fn compact(batch: RecordBatch) -> Result<RecordBatch> {
    let compacted: Vec<Option<ArrayRef>> = batch.columns().iter().map(compact_column).collect();
    if compacted.iter().all(Option::is_none) {
        return Ok(batch);
    }
    let columns = compacted.into_iter().zip(batch.columns()).map(|(c, old)| c.unwrap_or_else(|| Arc::clone(old))).collect();
    Ok(RecordBatch::try_new(batch.schema(), columns).map_err(datafusion::error::DataFusionError::from)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringViewArray;
    use datafusion::arrow::datatypes::{Field, Schema};

    #[test]
    fn slices_of_long_strings_are_compacted_and_short_or_tight_ones_are_not() {
        let values: Vec<String> = (0..4000).map(|i| format!("a value long enough to live in a buffer {i}")).collect();
        let array: ArrayRef = Arc::new(StringViewArray::from_iter_values(values.iter()));
        let schema = Arc::new(Schema::new(vec![Field::new("s", DataType::Utf8View, false)]));
        let batch = RecordBatch::try_new(schema, vec![array]).unwrap();
        let whole = compact(batch.clone()).unwrap();
        assert!(Arc::ptr_eq(whole.column(0), batch.column(0)), "a tight batch is kept as it is");
        let piece = batch.slice(10, 20);
        let small = compact(piece.clone()).unwrap();
        let held = |b: &RecordBatch| b.column(0).as_string_view().data_buffers().iter().map(|x| x.len()).sum::<usize>();
        assert!(held(&small) < held(&piece) / 50, "{} vs {}", held(&small), held(&piece));
        assert_eq!(small.column(0).as_string_view().value(0), values[10]);
    }
}
