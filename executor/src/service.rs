//! The executor's control service: the scheduler launches tasks and frees datasets here.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::context::with_extension;
use ember_proto::executor_server::Executor;
use ember_proto::{self as proto, task_result::Outcome};
use tokio::sync::Semaphore;
use tonic::{Request, Response, Status};
use tracing::debug;

use crate::error::ExecutorError;
use crate::flight::{BroadcastCache, FlightPool, RemoteSource};
use crate::ids::DatasetId;
use crate::source::SourceHandle;
use crate::store::StoreHandle;
use crate::task::spawn_task;
use crate::wire::{self, TaskEnv};

/// Runs tasks on this process's slots and writes their output into its store.
#[derive(Debug, Clone)]
pub struct ExecutorService {
    id: String,
    store: StoreHandle,
    pool: Arc<FlightPool>,
    broadcasts: Arc<BroadcastCache>,
    env: Arc<dyn TaskEnv>,
    slots: Arc<Semaphore>,
    running: Arc<AtomicU32>,
}

impl ExecutorService {
    pub fn new(id: String, store: StoreHandle, env: Arc<dyn TaskEnv>, cores: usize) -> Self {
        Self {
            id,
            store,
            pool: FlightPool::new(),
            broadcasts: BroadcastCache::new(),
            env,
            slots: Arc::new(Semaphore::new(cores.max(1))),
            running: Arc::new(AtomicU32::new(0)),
        }
    }

    pub fn running_tasks(&self) -> u32 {
        self.running.load(Ordering::Relaxed)
    }

    async fn run(&self, req: proto::TaskRequest) -> Result<proto::TaskSuccess, ExecutorError> {
        let (task, ctx) = wire::decode_task(&req, self.env.as_ref())?;
        let locations: HashMap<DatasetId, Vec<proto::Location>> = req.inputs.into_iter().map(|d| (DatasetId(d.dataset), d.maps)).collect();
        let source =
            RemoteSource::new(self.id.clone(), Arc::clone(&self.store), Arc::clone(&self.pool), locations, Arc::clone(&self.broadcasts));
        let remote = source.remote_bytes();
        let ctx = with_extension(&ctx, Arc::new(SourceHandle(Arc::new(source))));
        let _permit = self.slots.acquire().await.map_err(|e| ExecutorError::Rpc(e.to_string()))?;
        let _running = Running::start(&self.running);
        let store = Arc::clone(&self.store);
        debug!(task = %task.id, "running task");
        // A task call the scheduler drops (its job was cancelled) stops the task.
        let mut status = spawn_task(task, ctx, store).await?;
        status.remote_bytes = remote.load(Ordering::Relaxed);
        Ok(wire::status_to_proto(&status))
    }
}

/// Counts a running task for as long as it lives, however its call ends.
struct Running(Arc<AtomicU32>);

impl Running {
    fn start(count: &Arc<AtomicU32>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Running(Arc::clone(count))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[tonic::async_trait]
impl Executor for ExecutorService {
    async fn launch_task(&self, request: Request<proto::TaskRequest>) -> Result<Response<proto::TaskResult>, Status> {
        let outcome = match self.run(request.into_inner()).await {
            Ok(success) => Outcome::Success(success),
            Err(e) => Outcome::Failure(wire::failure_to_proto(&e, &self.id, self.env.as_ref())),
        };
        Ok(Response::new(proto::TaskResult { outcome: Some(outcome) }))
    }

    async fn free_datasets(&self, request: Request<proto::FreeDatasetsRequest>) -> Result<Response<proto::Empty>, Status> {
        for d in request.into_inner().datasets {
            self.store.remove(DatasetId(d));
            self.broadcasts.remove(DatasetId(d));
        }
        debug!(memory_used = self.store.memory_used(), "freed datasets");
        Ok(Response::new(proto::Empty {}))
    }
}
