//! The interface between the scheduler and wherever tasks run.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use ember_executor::{DatasetId, ExecutorError, TaskDefinition, TaskStatus};
use futures::future::BoxFuture;

/// Runs tasks and owns the partitions they produce.
///
/// The local backend implements it with in-process slots; a cluster backend implements it
/// with executor processes, so the scheduler's DAG logic is shared by every mode.
pub trait ExecutorBackend: Send + Sync + std::fmt::Debug {
    /// Total task slots: how many tasks may run at once.
    fn slots(&self) -> usize;

    /// Runs one task to completion. The future resolves when the task's output is stored.
    fn launch(&self, task: TaskDefinition, ctx: Arc<TaskContext>) -> BoxFuture<'static, Result<TaskStatus, ExecutorError>>;

    /// Reads one pass-through partition of a dataset (a job's result, a cached DataFrame).
    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'static, Result<Vec<RecordBatch>, ExecutorError>>;

    /// Frees a dataset's partitions wherever they are held.
    fn free(&self, dataset: DatasetId);

    /// Map partitions of `dataset` whose output is gone (their executor was lost); the
    /// scheduler re-runs the tasks that produced them.
    fn lost_maps(&self, dataset: DatasetId, num_maps: usize) -> Vec<usize>;

    /// The task context a plan needs to read stored partitions directly (cached scans).
    fn task_context(&self, base: Arc<TaskContext>) -> Arc<TaskContext>;
}
