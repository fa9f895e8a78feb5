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
use datafusion::arrow::datatypes::{Field, FieldRef, Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};

/// Every batch with `declared`'s fields. A field declared non-null that holds nulls in any
/// batch is nullable in all of them rather than lying about its data, so the batches still
/// share one schema.
pub fn conform(batches: Vec<RecordBatch>, declared: &Schema) -> Result<Vec<RecordBatch>, ArrowError> {
    let width = declared.fields().len();
    if batches.iter().all(|b| b.schema().fields() == declared.fields() || b.num_columns() != width) {
        return Ok(batches);
    }
    let holds_nulls = |i: usize| batches.iter().any(|b| b.num_columns() == width && b.column(i).null_count() > 0);
    let fields: Vec<FieldRef> = declared
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| if !f.is_nullable() && holds_nulls(i) { Arc::new(Field::clone(f).with_nullable(true)) } else { Arc::clone(f) })
        .collect();
    let schema: SchemaRef = Arc::new(Schema::new_with_metadata(fields, declared.metadata().clone()));
    batches.into_iter().map(|b| conform_batch(b, &schema)).collect()
}

fn conform_batch(batch: RecordBatch, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
    if batch.num_columns() != schema.fields().len() {
        return Ok(batch);
    }
    let columns = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(
            |(field, column)| {
                if column.data_type() == field.data_type() { Ok(Arc::clone(column)) } else { cast(column, field.data_type()) }
            },
        )
        .collect::<Result<Vec<ArrayRef>, ArrowError>>()?;
    RecordBatch::try_new_with_options(Arc::clone(schema), columns, &RecordBatchOptions::new().with_row_count(Some(batch.num_rows())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, Decimal128Array, Int32Array};
    use datafusion::arrow::datatypes::DataType;

    fn batch(fields: Vec<Field>, columns: Vec<ArrayRef>) -> RecordBatch {
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn batches_take_the_declared_fields() -> Result<(), ArrowError> {
        let wide = Decimal128Array::from(vec![1234]).with_precision_and_scale(27, 2)?;
        let got = batch(
            vec![Field::new("n", DataType::Int32, false), Field::new("s", DataType::Decimal128(27, 2), true)],
            vec![Arc::new(Int32Array::from(vec![1])), Arc::new(wide)],
        );
        let declared = Schema::new(vec![Field::new("n", DataType::Int32, true), Field::new("s", DataType::Decimal128(17, 2), true)]);
        let out = conform(vec![got], &declared)?;
        assert_eq!(out[0].schema().as_ref(), &declared);
        assert_eq!(out[0].column(1).data_type(), &DataType::Decimal128(17, 2));
        Ok(())
    }

    #[test]
    fn a_non_null_field_holding_nulls_is_nullable_in_every_batch() -> Result<(), ArrowError> {
        let field = Field::new("n", DataType::Int32, true);
        let with_null = batch(vec![field.clone()], vec![Arc::new(Int32Array::from(vec![Some(1), None]))]);
        let without = batch(vec![field], vec![Arc::new(Int32Array::from(vec![2]))]);
        let declared = Schema::new(vec![Field::new("n", DataType::Int32, false)]);
        let out = conform(vec![without, with_null], &declared)?;
        assert!(out.iter().all(|b| b.schema().field(0).is_nullable()));
        assert_eq!(out[0].schema(), out[1].schema());
        Ok(())
    }
}
