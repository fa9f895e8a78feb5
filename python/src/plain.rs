//! What Python sees of Arrow data: `string`/`binary`, never their view layouts; intervals in
//! the one layout pyarrow reads.
//!
//! Parquet scans produce `Utf8View`/`BinaryView` columns (faster to filter, group and join on),
//! but PySpark hands programs plain `string`/`binary` Arrow data (`toArrow`, pandas conversion,
//! Arrow-based UDFs), and code written against it expects those types. Results, schemas and UDF
//! arguments are converted as they cross into Python.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, IntervalUnit, Schema};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::RecordBatch;

fn plain_field(field: &FieldRef) -> FieldRef {
    let data_type = plain_type(field.data_type());
    if &data_type == field.data_type() {
        return Arc::clone(field);
    }
    let mut metadata = field.metadata().clone();
    // The interval's kind, which the month-day-nanosecond type no longer tells.
    if let DataType::Interval(IntervalUnit::YearMonth) = field.data_type() {
        metadata.entry(SPARK_TYPE.to_string()).or_insert_with(|| "interval year to month".to_string());
    }
    Arc::new(Field::new(field.name(), data_type, field.is_nullable()).with_metadata(metadata))
}

/// Where a field records its Spark type when Arrow's cannot tell it.
const SPARK_TYPE: &str = ember_sql::interval_literal::SPARK_TYPE;

/// `data_type` with every view type (at any depth) replaced by its plain counterpart.
pub fn plain_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Utf8View => DataType::Utf8,
        DataType::BinaryView => DataType::Binary,
        // pyarrow cannot read year-month intervals; the month-day-nanosecond kind it can.
        DataType::Interval(IntervalUnit::YearMonth) => DataType::Interval(IntervalUnit::MonthDayNano),
        DataType::List(f) => DataType::List(plain_field(f)),
        DataType::LargeList(f) => DataType::LargeList(plain_field(f)),
        DataType::FixedSizeList(f, n) => DataType::FixedSizeList(plain_field(f), *n),
        DataType::Struct(fields) => DataType::Struct(fields.iter().map(plain_field).collect()),
        DataType::Map(f, sorted) => DataType::Map(plain_field(f), *sorted),
        other => other.clone(),
    }
}

pub fn plain_schema(schema: &Schema) -> Schema {
    Schema::new_with_metadata(schema.fields().iter().map(plain_field).collect::<Vec<_>>(), schema.metadata().clone())
}

pub fn plain_array(array: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    let data_type = plain_type(array.data_type());
    if &data_type == array.data_type() { Ok(Arc::clone(array)) } else { cast(array, &data_type) }
}

pub fn plain_batch(batch: &RecordBatch) -> Result<RecordBatch, ArrowError> {
    let schema = plain_schema(batch.schema_ref());
    if &schema == batch.schema_ref().as_ref() {
        return Ok(batch.clone());
    }
    let columns = batch.columns().iter().map(plain_array).collect::<Result<Vec<_>, _>>()?;
    RecordBatch::try_new(Arc::new(schema), columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, ListArray, StringViewArray};

    #[test]
    fn views_become_plain_at_any_depth() {
        let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8View, true)));
        assert_eq!(plain_type(&list), DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))));
        let strings: ArrayRef = Arc::new(StringViewArray::from(vec![Some("a"), None]));
        let plain = plain_array(&strings).unwrap();
        assert_eq!(plain.data_type(), &DataType::Utf8);
        assert_eq!(plain.null_count(), 1);
        let nested: ArrayRef = Arc::new(ListArray::new(
            Arc::new(Field::new("item", DataType::Utf8View, true)),
            datafusion::arrow::buffer::OffsetBuffer::from_lengths([2]),
            strings,
            None,
        ));
        assert_eq!(plain_array(&nested).unwrap().data_type(), &list_of_utf8());
    }

    fn list_of_utf8() -> DataType {
        DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
    }
}
