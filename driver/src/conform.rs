//! A job's rows carry the schema its plan declares.
//!
//! Spark's result schema is the analyzed plan's, and `df.schema`, `toArrow()` and `collect()`
//! agree on it. DataFusion's optimizer and physical planner may hand back batches whose fields
//! differ from the logical plan's: nullability proved tighter at run time, field metadata
//! dropped, or a wider type where a rewrite nests an aggregate in another (the single-distinct
//! rewrite turns `sum(x)` into `sum(sum(x))`, and each `sum` widens a decimal's precision by 10).
//! Batches are relabelled (same type) or cast (different type) to the declared fields here.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};

/// Each batch with `declared`'s fields; a field declared non-null that holds nulls stays
/// nullable rather than lying about its data.
pub fn conform(batches: Vec<RecordBatch>, declared: &Schema) -> Result<Vec<RecordBatch>, ArrowError> {
    batches.into_iter().map(|b| conform_batch(b, declared)).collect()
}

fn conform_batch(batch: RecordBatch, declared: &Schema) -> Result<RecordBatch, ArrowError> {
    if batch.schema().fields() == declared.fields() || batch.num_columns() != declared.fields().len() {
        return Ok(batch);
    }
    let mut fields = Vec::with_capacity(declared.fields().len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(declared.fields().len());
    for (field, column) in declared.fields().iter().zip(batch.columns()) {
        let column = if column.data_type() == field.data_type() { Arc::clone(column) } else { cast(column, field.data_type())? };
        let field = if !field.is_nullable() && column.null_count() > 0 {
            Arc::new(Field::clone(field).with_nullable(true))
        } else {
            Arc::clone(field)
        };
        fields.push(field);
        columns.push(column);
    }
    let schema: SchemaRef = Arc::new(Schema::new_with_metadata(fields, declared.metadata().clone()));
    RecordBatch::try_new_with_options(schema, columns, &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())))
}
