//! The driver's side of cluster mode: submits jobs to a scheduler process and reads their
//! results straight from the executors over Flight.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::physical_plan::PhysicalExtensionCodec;
use ember_executor::flight::FlightPool;
use ember_executor::process::MAX_MESSAGE_BYTES;
use ember_executor::source::Piece;
use ember_executor::{DatasetId, ExecutorError, wire};
use ember_proto::scheduler_client::SchedulerClient;
use ember_proto::{Empty, FreeDatasetsRequest, Location, SessionRequest, SubmitJobRequest};
use futures::FutureExt;
use futures::future::BoxFuture;
use parking_lot::Mutex;
use tonic::transport::{Channel, Endpoint};
use tracing::{debug, info};

use crate::error::{Result, SchedulerError};
use crate::job::JobOutput;
use crate::metrics::JobMetrics;
use crate::runner::JobRunner;

/// `ember://host:port` → `http://host:port`.
pub fn scheduler_endpoint(url: &str) -> Result<String> {
    let rest =
        url.strip_prefix("ember://").ok_or_else(|| SchedulerError::Lost(format!("'{url}' is not a scheduler URL (ember://host:port)")))?;
    Ok(format!("http://{rest}"))
}

/// A driver's connection to a cluster.
#[derive(Debug)]
pub struct ClusterClient {
    url: String,
    scheduler: SchedulerClient<Channel>,
    codec: Arc<dyn PhysicalExtensionCodec>,
    pool: Arc<FlightPool>,
    locations: Mutex<HashMap<DatasetId, Vec<Location>>>,
    history: Mutex<VecDeque<JobMetrics>>,
    slots: usize,
    max_failures: u32,
    session_id: String,
    /// Tells the scheduler this driver is alive (see `KeepSession`).
    keepalive: tokio::task::JoinHandle<()>,
}

impl Drop for ClusterClient {
    fn drop(&mut self) {
        self.keepalive.abort();
    }
}

/// How often a driver tells the scheduler it is alive.
const KEEPALIVE: Duration = Duration::from_secs(2);

fn unreachable(url: &str, e: impl std::fmt::Display) -> SchedulerError {
    SchedulerError::Lost(format!("cannot reach the scheduler at {url}: {e}"))
}

impl ClusterClient {
    /// Connects to the scheduler at `url` and waits (up to `wait`) until `min_executors` have
    /// registered, so the session knows its parallelism.
    pub async fn connect(
        url: &str,
        codec: Arc<dyn PhysicalExtensionCodec>,
        max_failures: u32,
        min_executors: usize,
        wait: Duration,
        session_id: String,
    ) -> Result<Self> {
        let endpoint = scheduler_endpoint(url)?;
        let channel = Endpoint::from_shared(endpoint)
            .map_err(|e| unreachable(url, e))?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .connect_lazy();
        let mut scheduler =
            SchedulerClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES).max_encoding_message_size(MAX_MESSAGE_BYTES);
        let deadline = Instant::now() + wait;
        let state = loop {
            match scheduler.cluster_state(Empty {}).await {
                Ok(s) if s.get_ref().executors.len() >= min_executors || Instant::now() > deadline => break s.into_inner(),
                Ok(_) => {}
                Err(e) if Instant::now() > deadline => return Err(unreachable(url, e.message())),
                Err(_) => {}
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let slots = state.executors.iter().filter_map(|e| e.info.as_ref()).map(|i| i.cores as usize).sum::<usize>();
        info!(url, executors = state.executors.len(), slots, "connected to the cluster");
        let keepalive = {
            let mut client = scheduler.clone();
            let session_id = session_id.clone();
            tokio::spawn(async move {
                let mut ticker = tokio::time::interval(KEEPALIVE);
                loop {
                    ticker.tick().await;
                    let _ = client.keep_session(SessionRequest { session_id: session_id.clone() }).await;
                }
            })
        };
        Ok(Self {
            keepalive,
            url: url.to_string(),
            scheduler,
            codec,
            pool: FlightPool::new(),
            locations: Mutex::new(HashMap::new()),
            history: Mutex::new(VecDeque::new()),
            slots: slots.max(1),
            max_failures,
            session_id,
        })
    }

    async fn submit(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> Result<JobOutput> {
        let settings = wire::settings_from_config(ctx.session_config(), self.max_failures);
        let plan = wire::encode_plan(plan, self.codec.as_ref())?;
        let request = SubmitJobRequest { session_id: self.session_id.clone(), plan, settings: Some(settings) };
        let mut client = self.scheduler.clone();
        let response = client.submit_job(request).await.map_err(|status| match status.code() {
            tonic::Code::Unavailable => unreachable(&self.url, status.message()),
            _ => SchedulerError::Task(ExecutorError::Remote {
                class: String::from_utf8_lossy(status.details()).into_owned(),
                message: status.message().to_string(),
            }),
        })?;
        let response = response.into_inner();
        let metrics = response.metrics.as_ref().map(JobMetrics::from_proto).unwrap_or_default();
        let dataset = DatasetId(response.dataset);
        let partitions = response.partitions.len();
        self.locations.lock().insert(dataset, response.partitions);
        {
            let mut history = self.history.lock();
            if history.len() == 64 {
                history.pop_front();
            }
            history.push_back(metrics.clone());
        }
        debug!(%dataset, partitions, "job finished on the cluster");
        Ok(JobOutput { dataset, partitions, metrics })
    }
}

impl JobRunner for ClusterClient {
    fn run(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> BoxFuture<'_, Result<JobOutput>> {
        self.submit(plan, ctx).boxed()
    }

    fn fetch(&self, dataset: DatasetId, partition: usize) -> BoxFuture<'_, Result<Vec<RecordBatch>>> {
        let location = self.locations.lock().get(&dataset).and_then(|l| l.get(partition).cloned());
        async move {
            let location = location.ok_or(ExecutorError::MissingPartition { dataset: dataset.0, partition })?;
            Ok(self.pool.fetch(&location, dataset, &Piece { map: partition, buckets: 0..1 }).await?)
        }
        .boxed()
    }

    fn free(&self, dataset: DatasetId) {
        self.locations.lock().remove(&dataset);
        let mut client = self.scheduler.clone();
        let session_id = self.session_id.clone();
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            // Outside the session's runtime (a drop during shutdown): the scheduler frees the
            // session's data when the driver disconnects.
            return;
        };
        handle.spawn(async move {
            let _ = client.free_datasets(FreeDatasetsRequest { datasets: vec![dataset.0], session_id }).await;
        });
    }

    fn recent_jobs(&self) -> Vec<JobMetrics> {
        self.history.lock().iter().cloned().collect()
    }

    fn slots(&self) -> usize {
        self.slots
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        async move {
            self.keepalive.abort();
            let mut client = self.scheduler.clone();
            let request = SessionRequest { session_id: self.session_id.clone() };
            if let Err(e) = client.end_session(request).await {
                debug!(error = %e.message(), "could not end the session on the scheduler");
            }
        }
        .boxed()
    }
}
