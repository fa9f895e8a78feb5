//! Local relations: DataFrames over batches the driver already holds (`createDataFrame`, the
//! results of commands like `SHOW TABLES`).

use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::logical_expr::{LogicalPlanBuilder};
use datafusion::datasource::provider_as_source;

use crate::dataframe::DataFrame;
use crate::error::Result;
use crate::session::Session;

/// Wraps batches as a DataFrame, spread over up to `partitions` partitions.
pub fn local_relation(session: &Arc<Session>, schema: SchemaRef, batches: Vec<RecordBatch>, partitions: usize) -> Result<DataFrame> {
    let n = partitions.max(1).min(batches.len().max(1));
    let mut parts: Vec<Vec<RecordBatch>> = vec![Vec::new(); n];
    for (i, b) in batches.into_iter().enumerate() {
        parts[i % n].push(b);
    }
    let table = MemTable::try_new(schema, parts)?;
    let plan = LogicalPlanBuilder::scan("local", provider_as_source(Arc::new(table)), None)?.build()?;
    Ok(DataFrame::new(Arc::clone(session), plan))
}

/// A one-partition relation of string columns, for command output.
pub fn string_rows(session: &Arc<Session>, names: &[&str], rows: Vec<Vec<Option<String>>>) -> Result<DataFrame> {
    use datafusion::arrow::array::{ArrayRef, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(names.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect::<Vec<_>>()));
    let columns: Vec<ArrayRef> = (0..names.len())
        .map(|i| Arc::new(rows.iter().map(|r| r[i].clone()).collect::<StringArray>()) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
    local_relation(session, schema, vec![batch], 1)
}

/// `spark.range(start, end, step)`: one `id` bigint column over `partitions` partitions.
pub fn range(session: &Arc<Session>, start: i64, end: i64, step: i64, partitions: usize) -> Result<DataFrame> {
    use datafusion::arrow::array::Int64Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false)]));
    let count = if (step > 0 && start < end) || (step < 0 && start > end) {
        ((i128::from(end) - i128::from(start)).unsigned_abs().div_ceil(i128::from(step).unsigned_abs())) as u64
    } else {
        0
    };
    let n = (partitions.max(1) as u64).min(count.max(1));
    let mut parts = Vec::with_capacity(n as usize);
    for p in 0..n {
        let (lo, hi) = (count * p / n, count * (p + 1) / n);
        let mut batches = Vec::new();
        let mut i = lo;
        while i < hi {
            let j = (i + 8192).min(hi);
            let values: Int64Array = (i..j).map(|k| start + (k as i64) * step).collect();
            batches.push(RecordBatch::try_new(Arc::clone(&schema), vec![Arc::new(values)])?);
            i = j;
        }
        parts.push(batches);
    }
    let table = MemTable::try_new(Arc::clone(&schema), parts)?;
    let plan = LogicalPlanBuilder::scan("range", provider_as_source(Arc::new(table)), None)?.build()?;
    Ok(DataFrame::new(Arc::clone(session), plan))
}
