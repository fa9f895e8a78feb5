//! `local[N]`: N executor slots inside the driver process sharing one partition store.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use ember_executor::context::with_extension;
use ember_executor::source::{LocalSource, SourceHandle};
use ember_executor::{DatasetId, ExecutorError, PartitionStore, StoreHandle, TaskDefinition, TaskStatus, spawn_task};
use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::Semaphore;

use crate::backend::ExecutorBackend;

/// In-process executor: tasks run on the driver's runtime, bounded by a slot semaphore, and
/// hand partitions to the next stage through a shared in-memory store.
#[derive(Debug)]
pub struct LocalBackend {
    slots: usize,
    permits: Arc<Semaphore>,
    store: StoreHandle,
}

impl LocalBackend {
    pub fn new(slots: usize) -> Self {
        Self::with_store(slots, PartitionStore::new())
    }

    /// Slots over a given store (one with a memory budget, so local jobs spill too).
    pub fn with_store(slots: usize, store: StoreHandle) -> Self {
        let slots = slots.max(1);
        Self { slots, permits: Arc::new(Semaphore::new(slots)), store }
    }

    pub fn store(&self) -> &StoreHandle {
        &self.store
    }
}

impl ExecutorBackend for LocalBackend {
    fn slots(&self) -> usize {
        self.slots
    }

    fn launch(&self, task: TaskDefinition, ctx: Arc<TaskContext>) -> BoxFuture<'static, Result<TaskStatus, ExecutorError>> {
        let permits = Arc::clone(&self.permits);
        let store = Arc::clone(&self.store);
        let ctx = self.task_context(ctx);
        async move {
            let _permit = permits
                .acquire_owned()
                .await
                .map_err(|e| ExecutorError::Execution(datafusion::error::DataFusionError::External(Box::new(e))))?;
            // A cancelled job (its future dropped) stops its running tasks too.
            spawn_task(task, ctx, store).await
        }
        .boxed()
    }

    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'static, Result<Vec<RecordBatch>, ExecutorError>> {
        futures::future::ready(self.store.require(dataset, partition, 0..1)).boxed()
    }

    fn free(&self, dataset: DatasetId) {
        self.store.remove(dataset);
    }

    fn lost_maps(&self, dataset: DatasetId, num_maps: usize) -> Vec<usize> {
        (0..num_maps).filter(|m| !matches!(self.store.get(dataset, *m, 0), Ok(Some(_)))).collect()
    }

    fn task_context(&self, base: Arc<TaskContext>) -> Arc<TaskContext> {
        with_extension(&base, Arc::new(SourceHandle(Arc::new(LocalSource(Arc::clone(&self.store))))))
    }
}
