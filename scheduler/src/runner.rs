//! What a driver needs from the engine that runs its jobs, whichever mode it is in.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use ember_executor::DatasetId;
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::error::{Result, SchedulerError};
use crate::job::{JobOutput, Scheduler};
use crate::metrics::JobMetrics;

/// Runs jobs and serves their results: the in-process [`Scheduler`] in local mode, a
/// [`crate::client::ClusterClient`] talking to a scheduler process in cluster mode.
pub trait JobRunner: Send + Sync + std::fmt::Debug {
    /// Runs a physical plan; its result partitions stay where they were computed.
    fn run(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> BoxFuture<'_, Result<JobOutput>>;

    /// Reads one result partition of a finished job (or a cached DataFrame).
    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'_, Result<Vec<RecordBatch>>>;

    /// Frees a dataset's partitions wherever they are held.
    fn free(&self, dataset: DatasetId);

    /// Metrics of the most recent jobs, newest last.
    fn recent_jobs(&self) -> Vec<JobMetrics>;

    /// Total task slots, Spark's default parallelism.
    fn slots(&self) -> usize;

    /// The session is over: free everything it still holds.
    fn shutdown(&self) -> BoxFuture<'_, ()> {
        futures::future::ready(()).boxed()
    }
}

impl dyn JobRunner {
    /// Runs a plan and returns all result batches in partition order, freeing the result.
    /// A result partition lost before it was read (its executor died) makes the job run once
    /// more.
    pub async fn collect(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> Result<Vec<RecordBatch>> {
        let mut rerun = false;
        loop {
            let output = self.run(Arc::clone(&plan), Arc::clone(&ctx)).await?;
            let fetched = self.fetch_all(&output).await;
            self.free(output.dataset);
            match fetched {
                Err(SchedulerError::Task(e)) if e.is_retryable() && !rerun => {
                    tracing::warn!(error = %e, "a result partition was lost before it was read; running the job again");
                    rerun = true;
                }
                other => return other,
            }
        }
    }

    async fn fetch_all(&self, output: &JobOutput) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        for p in 0..output.partitions {
            out.extend(self.fetch(output.dataset, p).await?);
        }
        Ok(out)
    }
}

impl JobRunner for Scheduler {
    fn run(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> BoxFuture<'_, Result<JobOutput>> {
        Scheduler::run(self, plan, ctx).boxed()
    }

    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'_, Result<Vec<RecordBatch>>> {
        let fut = self.backend().fetch(dataset, partition);
        async move { Ok(fut.await?) }.boxed()
    }

    fn free(&self, dataset: DatasetId) {
        self.backend().free(dataset);
    }

    fn recent_jobs(&self) -> Vec<JobMetrics> {
        Scheduler::recent_jobs(self)
    }

    fn slots(&self) -> usize {
        self.backend().slots()
    }
}
