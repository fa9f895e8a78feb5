//! The scheduler's gRPC service: executors register and heartbeat, drivers submit jobs.

use std::collections::VecDeque;
use std::sync::Arc;

use ember_executor::DatasetId;
use ember_executor::wire::{self, TaskEnv};
use ember_proto::scheduler_server::Scheduler as SchedulerRpc;
use ember_proto::{
    ClusterStateResponse, Empty, FreeDatasetsRequest, HeartbeatRequest, HeartbeatResponse, RegisterExecutorRequest,
    RegisterExecutorResponse, SessionRequest, SubmitJobRequest, SubmitJobResponse,
};
use parking_lot::Mutex;
use tonic::{Request, Response, Status};
use tracing::{info, warn};

use crate::backend::ExecutorBackend;
use crate::cluster::backend::ClusterBackend;
use crate::cluster::lineage::{Lineage, Recipe};
use crate::cluster::registry::Registry;
use crate::cluster::sessions::Sessions;
use crate::error::SchedulerError;
use crate::job::{JobOutput, Scheduler};

/// How often executors heartbeat.
pub const HEARTBEAT_INTERVAL_MS: u64 = 500;

#[derive(Debug)]
pub struct SchedulerService {
    registry: Arc<Registry>,
    scheduler: Arc<Scheduler>,
    env: Arc<dyn TaskEnv>,
    sessions: Arc<Sessions>,
    lineage: Lineage,
    /// Metrics of recent jobs of every driver, for `ClusterState`.
    history: Mutex<VecDeque<ember_proto::JobMetrics>>,
}

impl SchedulerService {
    pub fn new(registry: Arc<Registry>, env: Arc<dyn TaskEnv>) -> Self {
        let backend: Arc<dyn ExecutorBackend> = Arc::new(ClusterBackend::new(Arc::clone(&registry), Arc::clone(&env)));
        Self {
            registry,
            scheduler: Arc::new(Scheduler::new(backend)),
            env,
            sessions: Arc::new(Sessions::default()),
            lineage: Lineage::default(),
            history: Mutex::new(VecDeque::new()),
        }
    }

    fn free(&self, dataset: DatasetId) {
        self.lineage.forget(dataset);
        self.scheduler.backend().free(dataset);
    }

    /// Runs a job; when it needs part of a kept dataset that died with an executor, that
    /// dataset is computed again from its own job (its lineage) and the job runs again.
    fn run_with_lineage(
        &self,
        dag: ember_planner::StageDag,
        ctx: Arc<datafusion::execution::TaskContext>,
        max_failures: u32,
    ) -> futures::future::BoxFuture<'_, Result<JobOutput, SchedulerError>> {
        use futures::FutureExt;
        async move {
            let mut rebuilt = std::collections::HashSet::new();
            loop {
                let err = match self.scheduler.run_dag_with(dag.clone(), Arc::clone(&ctx), max_failures).await {
                    Err(SchedulerError::Task(e)) => e,
                    other => return other,
                };
                let lost = err.lost_map().map(|(d, _)| DatasetId(d)).filter(|d| !rebuilt.contains(d));
                let Some((dataset, recipe)) = lost.and_then(|d| self.lineage.get(d).map(|r| (d, r))) else {
                    return Err(SchedulerError::Task(err));
                };
                warn!(%dataset, "kept data was lost with an executor; recomputing it from its lineage");
                rebuilt.insert(dataset);
                self.run_with_lineage(recipe.dag.clone(), Arc::clone(&recipe.ctx), recipe.max_failures).await?;
            }
        }
        .boxed()
    }

    /// Frees what sessions whose driver stopped calling still hold.
    pub fn expire_sessions(&self, timeout: std::time::Duration) {
        for (session, datasets) in self.sessions.expire(timeout) {
            warn!(%session, datasets = datasets.len(), "driver went silent; freeing its data");
            for d in datasets {
                self.free(d);
            }
        }
    }
}

/// A failed job as the driver receives it: the message, with the error's class in the details.
fn failed(err: SchedulerError, env: &dyn TaskEnv) -> Status {
    let (class, message) = match &err {
        SchedulerError::Task(e) => wire::describe(e, env),
        other => (String::new(), other.to_string()),
    };
    Status::with_details(tonic::Code::Aborted, message, class.into_bytes().into())
}

#[tonic::async_trait]
impl SchedulerRpc for SchedulerService {
    async fn register_executor(&self, request: Request<RegisterExecutorRequest>) -> Result<Response<RegisterExecutorResponse>, Status> {
        let info = request.into_inner().executor.ok_or_else(|| Status::invalid_argument("no executor info"))?;
        self.registry.register(info).map_err(|e| Status::invalid_argument(e.to_string()))?;
        Ok(Response::new(RegisterExecutorResponse { heartbeat_interval_ms: HEARTBEAT_INTERVAL_MS }))
    }

    async fn heartbeat(&self, request: Request<HeartbeatRequest>) -> Result<Response<HeartbeatResponse>, Status> {
        let known = self.registry.heartbeat(request.get_ref());
        Ok(Response::new(HeartbeatResponse { reregister: !known }))
    }

    async fn submit_job(&self, request: Request<SubmitJobRequest>) -> Result<Response<SubmitJobResponse>, Status> {
        let req = request.into_inner();
        self.sessions.touch(&req.session_id);
        let settings = req.settings.unwrap_or_default();
        let env = self.env.as_ref();
        let base = env.task_context(&settings).map_err(|e| failed(e.into(), env))?;
        let plan = wire::decode_plan(&req.plan, &base, env.codec()).map_err(|e| failed(e.into(), env))?;
        // Tasks carry the driver's settings unchanged.
        let ctx = ember_executor::context::with_extension(&base, Arc::new(settings.clone()));
        let layout = ctx.session_config().get_extension::<ember_executor::ShuffleLayout>().map(|l| *l);
        let dag = ember_planner::split_into_stages_with(plan, layout).map_err(|e| failed(e.into(), self.env.as_ref()))?;
        let max_failures = if settings.max_failures == 0 { 4 } else { settings.max_failures };
        let output = self.run_with_lineage(dag.clone(), Arc::clone(&ctx), max_failures).await.map_err(|e| failed(e, self.env.as_ref()))?;
        self.lineage.record(output.dataset, Recipe { dag, ctx, max_failures });
        let metrics = output.metrics.to_proto();
        info!(
            job = output.metrics.job,
            ms = output.metrics.duration_ms,
            shuffled = output.metrics.shuffled_bytes(),
            over_flight = output.metrics.remote_bytes(),
            spilled = output.metrics.spilled_bytes(),
            "job finished"
        );
        {
            let mut history = self.history.lock();
            if history.len() == 64 {
                history.pop_front();
            }
            history.push_back(metrics.clone());
        }
        self.sessions.hold(&req.session_id, output.dataset);
        let mut partitions = self.registry.locations(output.dataset);
        partitions.resize(output.partitions, Default::default());
        Ok(Response::new(SubmitJobResponse { dataset: output.dataset.0, partitions, metrics: Some(metrics) }))
    }

    async fn free_datasets(&self, request: Request<FreeDatasetsRequest>) -> Result<Response<Empty>, Status> {
        let req = request.into_inner();
        for d in req.datasets {
            self.sessions.release(&req.session_id, DatasetId(d));
            self.free(DatasetId(d));
        }
        Ok(Response::new(Empty {}))
    }

    async fn keep_session(&self, request: Request<SessionRequest>) -> Result<Response<Empty>, Status> {
        self.sessions.touch(&request.get_ref().session_id);
        Ok(Response::new(Empty {}))
    }

    async fn end_session(&self, request: Request<SessionRequest>) -> Result<Response<Empty>, Status> {
        let session = request.into_inner().session_id;
        let held = self.sessions.end(&session);
        info!(%session, datasets = held.len(), "session ended");
        for d in held {
            self.free(d);
        }
        Ok(Response::new(Empty {}))
    }

    async fn cluster_state(&self, _request: Request<Empty>) -> Result<Response<ClusterStateResponse>, Status> {
        Ok(Response::new(ClusterStateResponse { executors: self.registry.state(), jobs: self.history.lock().iter().cloned().collect() }))
    }
}
