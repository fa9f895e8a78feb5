//! The cluster backend: the scheduler's [`ExecutorBackend`] over executor processes.

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use ember_executor::flight::FlightPool;
use ember_executor::source::Piece;
use ember_executor::wire::{self, TaskEnv};
use ember_executor::{DatasetId, ExecutorError, ReadMode, ShuffleReaderExec, TaskDefinition, TaskStatus};
use ember_proto::task_result::Outcome;
use ember_proto::{DatasetLocations, FreeDatasetsRequest, SessionSettings};
use futures::FutureExt;
use futures::future::BoxFuture;
use tracing::{debug, warn};

use crate::backend::ExecutorBackend;
use crate::cluster::registry::Registry;

/// Ships tasks to registered executors and remembers where their outputs live.
#[derive(Debug)]
pub struct ClusterBackend {
    registry: Arc<Registry>,
    env: Arc<dyn TaskEnv>,
    pool: Arc<FlightPool>,
}

impl ClusterBackend {
    pub fn new(registry: Arc<Registry>, env: Arc<dyn TaskEnv>) -> Self {
        Self { registry, env, pool: FlightPool::new() }
    }

    pub fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }
}

/// Datasets a plan reads, and the one whose map `partition` a pass-through read of this task
/// would consume (the locality preference).
fn inputs(plan: &Arc<dyn ExecutionPlan>) -> (BTreeSet<DatasetId>, Option<DatasetId>) {
    let mut all = BTreeSet::new();
    let mut per_map = None;
    let _ = plan.apply(|node| {
        if let Some(r) = node.downcast_ref::<ShuffleReaderExec>() {
            all.insert(r.dataset());
            if matches!(r.mode(), ReadMode::PerMap) {
                per_map = Some(r.dataset());
            }
        }
        Ok(TreeNodeRecursion::Continue)
    });
    (all, per_map)
}

impl ExecutorBackend for ClusterBackend {
    fn slots(&self) -> usize {
        self.registry.total_cores().max(1)
    }

    fn launch(&self, task: TaskDefinition, ctx: Arc<TaskContext>) -> BoxFuture<'static, Result<TaskStatus, ExecutorError>> {
        let registry = Arc::clone(&self.registry);
        let env = Arc::clone(&self.env);
        async move {
            let (datasets, per_map) = inputs(&task.plan);
            let preferred = per_map.and_then(|d| registry.holder(d, task.id.partition));
            let locations = datasets.iter().map(|d| DatasetLocations { dataset: d.0, maps: registry.locations(*d) }).collect();
            let settings = ctx
                .session_config()
                .get_extension::<SessionSettings>()
                .map(|s| (*s).clone())
                .unwrap_or_else(|| wire::settings_from_config(ctx.session_config(), 0));
            let request = wire::encode_task(&task, settings, locations, env.codec())?;
            let mut slot = registry.acquire(preferred.as_deref()).await?;
            debug!(task = %task.id, executor = %slot.executor, "launching task");
            let response = slot.client.clone().launch_task(request).await;
            slot.finished = response.is_ok();
            match response.map(|r| r.into_inner().outcome) {
                Ok(Some(Outcome::Success(s))) => {
                    registry.record_output(task.dataset, task.id.partition, &slot.executor);
                    let mut status = wire::status_from_proto(&s);
                    status.executor = Some(slot.executor.clone());
                    Ok(status)
                }
                Ok(Some(Outcome::Failure(f))) => {
                    let err = wire::failure_from_proto(&f);
                    if let ExecutorError::FetchFailed { executor, .. } = &err
                        && !executor.is_empty()
                        && executor != &slot.executor
                    {
                        // The holder did not serve its output: it is gone or broken.
                        registry.remove(executor, "a map output it holds could not be fetched");
                    }
                    Err(err)
                }
                Ok(None) => Err(ExecutorError::Rpc(format!("executor {} sent an empty task result", slot.executor))),
                Err(status) => {
                    registry.remove(&slot.executor, &format!("task call failed: {}", status.message()));
                    Err(ExecutorError::ExecutorLost { executor: slot.executor.clone(), message: status.message().to_string() })
                }
            }
        }
        .boxed()
    }

    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'static, Result<Vec<RecordBatch>, ExecutorError>> {
        let location = self.registry.locations(dataset).get(partition).cloned().unwrap_or_default();
        let pool = Arc::clone(&self.pool);
        async move { pool.fetch(&location, dataset, &Piece { map: partition, buckets: 0..1 }).await }.boxed()
    }

    fn free(&self, dataset: DatasetId) {
        let holders = self.registry.forget(dataset);
        if holders.is_empty() {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            warn!(%dataset, "cannot free a dataset outside the scheduler's runtime");
            return;
        };
        handle.spawn(async move {
            for mut client in holders {
                if let Err(e) = client.free_datasets(FreeDatasetsRequest { datasets: vec![dataset.0], session_id: String::new() }).await {
                    debug!(%dataset, error = %e, "freeing a dataset failed");
                }
            }
        });
    }

    fn lost_maps(&self, dataset: DatasetId, num_maps: usize) -> Vec<usize> {
        self.registry.lost_maps(dataset, num_maps)
    }

    fn task_context(&self, base: Arc<TaskContext>) -> Arc<TaskContext> {
        base
    }
}
