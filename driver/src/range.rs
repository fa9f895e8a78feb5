//! `spark.range(...)` and SQL's `range(...)` table function: one `id` bigint column.

use std::sync::Arc;

use datafusion::arrow::array::Int64Array;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{ScalarValue, plan_err};
use datafusion::datasource::provider_as_source;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use datafusion::physical_expr::{EquivalenceProperties, Partitioning};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, SendableRecordBatchStream};

use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::session::Session;

const BATCH_ROWS: u64 = 8192;

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false)]))
}

/// A range's rows and how they split into partitions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RangeSpec {
    pub(crate) start: i64,
    pub(crate) step: i64,
    pub(crate) count: u64,
    pub(crate) partitions: usize,
}

impl RangeSpec {
    fn new(start: i64, end: i64, step: i64, partitions: usize) -> Result<Self> {
        if step == 0 {
            return Err(DriverError::IllegalArgument("The step of range() cannot be 0".into()));
        }
        let count = if (step > 0 && start < end) || (step < 0 && start > end) {
            ((i128::from(end) - i128::from(start)).unsigned_abs().div_ceil(i128::from(step).unsigned_abs())) as u64
        } else {
            0
        };
        let partitions = (partitions.max(1) as u64).min(count.max(1)) as usize;
        Ok(Self { start, step, count, partitions })
    }

    /// Row positions of partition `p`, split evenly as Spark's range splits them.
    fn slice(&self, p: usize) -> (u64, u64) {
        let n = self.partitions as u64;
        (self.count * p as u64 / n, self.count * (p as u64 + 1) / n)
    }
}

/// `range` as a table: rows are generated as tasks read them, never held whole.
#[derive(Debug)]
pub struct RangeTable {
    spec: RangeSpec,
}

#[async_trait::async_trait]
impl TableProvider for RangeTable {
    fn schema(&self) -> SchemaRef {
        schema()
    }

    fn table_type(&self) -> datafusion::datasource::TableType {
        datafusion::datasource::TableType::Temporary
    }

    async fn scan(
        &self,
        _state: &dyn datafusion::catalog::Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let keep = projection.is_none_or(|p| !p.is_empty());
        Ok(Arc::new(RangeExec::new(self.spec, keep)))
    }
}

#[derive(Debug)]
pub(crate) struct RangeExec {
    pub(crate) spec: RangeSpec,
    /// False for `count(*)`-style scans that need rows but no columns.
    pub(crate) with_id: bool,
    properties: Arc<PlanProperties>,
}

impl RangeExec {
    pub(crate) fn new(spec: RangeSpec, with_id: bool) -> Self {
        let s = if with_id { schema() } else { Arc::new(Schema::empty()) };
        let properties = PlanProperties::new(
            EquivalenceProperties::new(s),
            Partitioning::UnknownPartitioning(spec.partitions),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Self { spec, with_id, properties: Arc::new(properties) }
    }
}

impl DisplayAs for RangeExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "RangeExec: start={}, step={}, rows={}, partitions={}",
            self.spec.start, self.spec.step, self.spec.count, self.spec.partitions
        )
    }
}

impl ExecutionPlan for RangeExec {
    fn name(&self) -> &str {
        "RangeExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    ember_executor::leaf_plan_methods!();

    fn execute(&self, partition: usize, _ctx: Arc<TaskContext>) -> datafusion::common::Result<SendableRecordBatchStream> {
        let (lo, hi) = self.spec.slice(partition);
        let spec = self.spec;
        let out_schema = self.properties.eq_properties.schema().clone();
        let with_id = self.with_id;
        let schema_for_batches = Arc::clone(&out_schema);
        let batches = (lo..hi).step_by(BATCH_ROWS as usize).map(move |i| {
            let j = (i + BATCH_ROWS).min(hi);
            if with_id {
                let values: Int64Array = (i..j).map(|k| spec.start.wrapping_add((k as i64).wrapping_mul(spec.step))).collect();
                RecordBatch::try_new(Arc::clone(&schema_for_batches), vec![Arc::new(values)]).map_err(Into::into)
            } else {
                let options = datafusion::arrow::record_batch::RecordBatchOptions::new().with_row_count(Some((j - i) as usize));
                RecordBatch::try_new_with_options(Arc::clone(&schema_for_batches), vec![], &options).map_err(Into::into)
            }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(out_schema, futures::stream::iter(batches))))
    }
}

/// `spark.range(start, end, step, numPartitions)`.
pub fn range(session: &Arc<Session>, start: i64, end: i64, step: i64, partitions: usize) -> Result<DataFrame> {
    let table = RangeTable { spec: RangeSpec::new(start, end, step, partitions)? };
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
        let spec = RangeSpec::new(start, end, step, parts).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
        Ok(Arc::new(RangeTable { spec }))
    }
}
