//! Running one task: execute a stage fragment for one partition and store what it produces.

use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::UInt32Array;
use datafusion::arrow::compute::take_record_batch;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::physical_expr::{Partitioning, PhysicalExpr};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::Time;
use datafusion::physical_plan::repartition::BatchPartitioner;
use futures::StreamExt;

use crate::compact::compact;
use crate::error::{ExecutorError, Result};
use crate::ids::{DatasetId, TaskId};
use crate::spark_hash;
use crate::store::{MapOutput, PartitionStore, StoreHandle};

/// Where a stage's output goes and how it is split.
#[derive(Debug, Clone)]
pub enum OutputSpec {
    /// Each task writes its whole output to bucket 0 (results, coalesce inputs, caches).
    PassThrough,
    /// Each task splits its output by this partitioning (round-robin exchange).
    Repartition(Partitioning),
    /// Each task hashes its output by Spark's hash of `keys` into `logical` ordered buckets
    /// (Spark's partitions), which readers gather into physical partitions.
    SparkHash { keys: Vec<Arc<dyn PhysicalExpr>>, logical: usize },
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
    /// Bytes written to each logical bucket of a Spark-hash exchange (Spark's MapStatus
    /// sizes), which the scheduler uses to coalesce small partitions.
    pub bucket_bytes: Vec<usize>,
    /// Bytes the store spilled to disk to make room for this output.
    pub spilled_bytes: usize,
    /// Bytes this task fetched from other executors.
    pub remote_bytes: usize,
    /// The executor that ran the task (cluster mode).
    pub executor: Option<String>,
}

/// Splits a batch by `pmod(spark_hash(keys), logical)`, keeping row order within each bucket:
/// one `take` in bucket order, then zero-copy slices.
fn split_by_spark_hash(batch: &RecordBatch, keys: &[Arc<dyn PhysicalExpr>], logical: usize) -> Result<Vec<(usize, RecordBatch)>> {
    let rows = batch.num_rows();
    let columns = keys.iter().map(|k| k.evaluate(batch).and_then(|v| v.into_array(rows))).collect::<datafusion::error::Result<Vec<_>>>()?;
    let hashes = spark_hash::hash_rows(&columns, rows)?;
    let targets: Vec<usize> = hashes.iter().map(|h| spark_hash::pmod(*h, logical)).collect();
    let mut counts = vec![0usize; logical];
    for t in &targets {
        counts[*t] += 1;
    }
    let mut offsets = vec![0usize; logical + 1];
    for i in 0..logical {
        offsets[i + 1] = offsets[i] + counts[i];
    }
    let mut order = vec![0u32; rows];
    let mut cursor = offsets.clone();
    for (row, t) in targets.iter().enumerate() {
        order[cursor[*t]] = row as u32;
        cursor[*t] += 1;
    }
    let sorted = take_record_batch(batch, &UInt32Array::from(order)).map_err(datafusion::error::DataFusionError::from)?;
    Ok((0..logical).filter(|l| counts[*l] > 0).map(|l| (l, sorted.slice(offsets[l], counts[l]))).collect())
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
                    let batch = compact(batch)?;
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
            let mut partitioner = BatchPartitioner::try_new(partitioning.clone(), Time::new(), task.id.partition, task.num_tasks)?;
            while let Some(batch) = stream.next().await {
                let batch = batch?;
                if batch.num_rows() == 0 {
                    continue;
                }
                partitioner.partition(batch, |bucket, piece| {
                    let piece = compact(piece)?;
                    status.rows += piece.num_rows();
                    status.bytes += piece.get_array_memory_size();
                    buckets[bucket].push(piece);
                    Ok(())
                })?;
            }
            buckets
        }
        OutputSpec::SparkHash { keys, logical } => {
            let mut buckets: MapOutput = vec![Vec::new(); *logical];
            status.bucket_bytes = vec![0; *logical];
            while let Some(batch) = stream.next().await {
                let batch = batch?;
                if batch.num_rows() == 0 {
                    continue;
                }
                status.rows += batch.num_rows();
                // Pieces are slices of one reordered batch; charge each its share of the bytes.
                let per_row = batch.get_array_memory_size().div_ceil(batch.num_rows());
                for (bucket, piece) in split_by_spark_hash(&batch, keys, *logical)? {
                    let piece = compact(piece)?;
                    let bytes = per_row * piece.num_rows();
                    status.bytes += bytes;
                    status.bucket_bytes[bucket] += bytes;
                    buckets[bucket].push(piece);
                }
            }
            buckets
        }
    };
    let spilled_before = store.spilled_bytes();
    store.put(task.dataset, task.id.partition, output)?;
    status.spilled_bytes = store.spilled_bytes().saturating_sub(spilled_before);
    status.elapsed_ms = start.elapsed().as_millis();
    Ok(status)
}

/// A spawned task that is aborted when its handle goes away unawaited.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// [`run_task`] on a task of its own (so a slot's work runs in parallel with its caller's), tied
/// to the returned future: dropping it — a cancelled job, a dropped task call — stops the task.
pub async fn spawn_task(task: TaskDefinition, ctx: Arc<TaskContext>, store: StoreHandle) -> Result<TaskStatus> {
    let mut handle = AbortOnDrop(tokio::spawn(async move { run_task(&task, ctx, &store).await }));
    match (&mut handle.0).await {
        Ok(result) => result,
        Err(join) => {
            Err(ExecutorError::Execution(datafusion::error::DataFusionError::Execution(format!("task panicked or was cancelled: {join}"))))
        }
    }
}
