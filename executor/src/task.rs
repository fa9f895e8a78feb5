//! Running one task: execute a stage fragment for one partition and store what it produces.

use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::physical_expr::Partitioning;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::Time;
use datafusion::physical_plan::repartition::BatchPartitioner;
use futures::StreamExt;

use crate::error::Result;
use crate::ids::{DatasetId, TaskId};
use crate::store::{MapOutput, PartitionStore};

/// Where a stage's output goes and how it is split.
#[derive(Debug, Clone)]
pub enum OutputSpec {
    /// Each task writes its whole output to bucket 0 (results, coalesce inputs, caches).
    PassThrough,
    /// Each task splits its output by this partitioning (hash or round-robin exchange).
    Repartition(Partitioning),
}

/// Everything an executor needs to run one task.
#[derive(Debug, Clone)]
pub struct TaskDefinition {
    pub id: TaskId,
    pub plan: Arc<dyn ExecutionPlan>,
    pub output: OutputSpec,
    /// The dataset this stage's tasks write into.
    pub dataset: DatasetId,
    /// How many tasks the stage has (round-robin start offsets depend on it).
    pub num_tasks: usize,
}

/// What a finished task reports back to the scheduler.
#[derive(Debug, Clone, Default)]
pub struct TaskStatus {
    pub rows: usize,
    pub bytes: usize,
    pub elapsed_ms: u128,
}

/// Executes a task to completion, writing its output partitions into `store`.
///
/// Output is only published when the task succeeds, so a failed attempt leaves nothing behind
/// and a retry writes a complete map output in its place.
pub async fn run_task(task: &TaskDefinition, ctx: Arc<TaskContext>, store: &PartitionStore) -> Result<TaskStatus> {
    let start = Instant::now();
    let mut stream = task.plan.execute(task.id.partition, ctx)?;
    let mut status = TaskStatus::default();
    let output: MapOutput = match &task.output {
        OutputSpec::PassThrough => {
            let mut batches: Vec<RecordBatch> = Vec::new();
            while let Some(batch) = stream.next().await {
                let batch = batch?;
                if batch.num_rows() > 0 {
                    status.rows += batch.num_rows();
                    status.bytes += batch.get_array_memory_size();
                    batches.push(batch);
                }
            }
            vec![batches]
        }
        OutputSpec::Repartition(partitioning) => {
            let n = partitioning.partition_count();
            let mut buckets: MapOutput = vec![Vec::new(); n];
            let mut partitioner =
                BatchPartitioner::try_new(partitioning.clone(), Time::new(), task.id.partition, task.num_tasks)?;
            while let Some(batch) = stream.next().await {
                let batch = batch?;
                if batch.num_rows() == 0 {
                    continue;
                }
                partitioner.partition(batch, |bucket, piece| {
                    status.rows += piece.num_rows();
                    status.bytes += piece.get_array_memory_size();
                    buckets[bucket].push(piece);
                    Ok(())
                })?;
            }
            buckets
        }
    };
    store.put(task.dataset, task.id.partition, output);
    status.elapsed_ms = start.elapsed().as_millis();
    Ok(status)
}
