//! Local relations: DataFrames over batches the driver already holds (`createDataFrame`, the
//! results of commands like `SHOW TABLES`).

use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::LogicalPlanBuilder;

use crate::dataframe::DataFrame;
use crate::error::Result;
use crate::session::Session;

/// Wraps batches as a DataFrame: one partition per batch (the caller slices its data into
/// as many batches as it wants partitions), at most `partitions` of them.
pub fn local_relation(session: &Arc<Session>, schema: SchemaRef, batches: Vec<RecordBatch>, partitions: usize) -> Result<DataFrame> {
    let n = partitions.max(1).min(batches.len().max(1));
    let mut parts: Vec<Vec<RecordBatch>> = vec![Vec::new(); n];
    let total = batches.len();
    for (i, b) in batches.into_iter().enumerate() {
        // Contiguous runs of batches per partition keep the rows in order across partitions.
        parts[i * n / total.max(1)].push(b);
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
    let columns: Vec<ArrayRef> =
        (0..names.len()).map(|i| Arc::new(rows.iter().map(|r| r[i].clone()).collect::<StringArray>()) as ArrayRef).collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
    local_relation(session, schema, vec![batch], 1)
}
