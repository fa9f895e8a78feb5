//! `spark.range(...)` and SQL's `range(...)` table function: one `id` bigint column.

use std::sync::Arc;

use datafusion::arrow::array::Int64Array;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{ScalarValue, plan_err};
use datafusion::datasource::MemTable;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};

use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::session::Session;

const BATCH_ROWS: u64 = 8192;

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false)]))
}

/// The numbers `start, start + step, ...` below `end` (above it for a negative step), split
/// evenly over `partitions` partitions.
pub fn range_table(start: i64, end: i64, step: i64, partitions: usize) -> Result<MemTable> {
    if step == 0 {
        return Err(DriverError::IllegalArgument("The step of range() cannot be 0".into()));
    }
    let schema = schema();
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
            let j = (i + BATCH_ROWS).min(hi);
            let values: Int64Array = (i..j).map(|k| start + (k as i64) * step).collect();
            batches.push(RecordBatch::try_new(Arc::clone(&schema), vec![Arc::new(values)])?);
            i = j;
        }
        parts.push(batches);
    }
    Ok(MemTable::try_new(schema, parts)?)
}

/// `spark.range(start, end, step, numPartitions)`.
pub fn range(session: &Arc<Session>, start: i64, end: i64, step: i64, partitions: usize) -> Result<DataFrame> {
    let table = range_table(start, end, step, partitions)?;
    let plan = LogicalPlanBuilder::scan("range", provider_as_source(Arc::new(table)), None)?.build()?;
    Ok(DataFrame::new(Arc::clone(session), plan))
}

/// SQL's `range(end)`, `range(start, end[, step[, numPartitions]])`.
#[derive(Debug)]
pub struct RangeFunction {
    pub default_partitions: usize,
}

impl TableFunctionImpl for RangeFunction {
    fn call_with_args(&self, args: TableFunctionArgs) -> datafusion::common::Result<Arc<dyn TableProvider>> {
        let mut values = Vec::new();
        for e in args.exprs() {
            let v = match e {
                Expr::Literal(v, _) => v.clone(),
                Expr::Negative(inner) => match inner.as_ref() {
                    Expr::Literal(v, _) => v.arithmetic_negate()?,
                    _ => return plan_err!("range() takes integer literals"),
                },
                _ => return plan_err!("range() takes integer literals"),
            };
            let v = match v.cast_to(&DataType::Int64)? {
                ScalarValue::Int64(Some(v)) => v,
                _ => return plan_err!("range() takes integer literals"),
            };
            values.push(v);
        }
        let (start, end, step, parts) = match values.as_slice() {
            [end] => (0, *end, 1, self.default_partitions),
            [start, end] => (*start, *end, 1, self.default_partitions),
            [start, end, step] => (*start, *end, *step, self.default_partitions),
            [start, end, step, n] => (*start, *end, *step, (*n).max(1) as usize),
            _ => return plan_err!("range() takes 1 to 4 arguments"),
        };
        let table = range_table(start, end, step, parts).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
        Ok(Arc::new(table))
    }
}
