//! An executor process: serves Flight and the executor service on one port, registers with the
//! scheduler, heartbeats, and stops cleanly on SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use arrow_flight::flight_service_server::FlightServiceServer;
use ember_proto::executor_server::ExecutorServer;
use ember_proto::scheduler_client::SchedulerClient;
use ember_proto::{ExecutorInfo, HeartbeatRequest, RegisterExecutorRequest};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::{Channel, Server};
use tracing::{info, warn};

use crate::error::{ExecutorError, Result};
use crate::flight::FlightServer;
use crate::service::ExecutorService;
use crate::store::{PartitionStore, StoreHandle};
use crate::wire::TaskEnv;

/// How an executor process is started (`ember-executor` flags).
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// `http://host:port` of the scheduler.
    pub scheduler_url: String,
    /// Address to listen on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// Host name peers use to reach this executor.
    pub advertise_host: String,
    pub cores: usize,
    /// Memory budget of the partition store in bytes.
    pub memory: usize,
    /// Where spill files go (a fresh directory under it is used and removed at exit).
    pub local_dir: PathBuf,
}

/// Gives large messages room: a task carries its whole plan, local data included.
pub const MAX_MESSAGE_BYTES: usize = 1 << 30;

async fn connect(url: &str) -> Result<SchedulerClient<Channel>> {
    let mut last = String::new();
    // The scheduler may still be starting (local-cluster starts everything at once).
    for _ in 0..50 {
        match SchedulerClient::connect(url.to_string()).await {
            Ok(c) => return Ok(c.max_decoding_message_size(MAX_MESSAGE_BYTES).max_encoding_message_size(MAX_MESSAGE_BYTES)),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(ExecutorError::Rpc(format!("cannot reach the scheduler at {url}: {last}")))
}

/// Accepted connections with Nagle's algorithm off. Tonic's own `tcp_nodelay` only applies to
/// sockets it accepts itself; without this, small responses (task results, the last frame of a
/// block) wait for the peer's delayed ACK, about 40 ms each.
pub fn incoming(listener: TcpListener) -> impl futures::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use futures::TryStreamExt;
    TcpListenerStream::new(listener).map_ok(|stream| {
        if let Err(e) = stream.set_nodelay(true) {
            warn!(error = %e, "cannot disable Nagle's algorithm on a connection");
        }
        stream
    })
}

/// Resolves when the process is asked to stop.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs an executor until it is signalled to stop.
pub async fn run_executor(opts: ExecutorOptions, env: Arc<dyn TaskEnv>, stop: futures::future::BoxFuture<'static, ()>) -> Result<()> {
    let listener = TcpListener::bind(opts.bind).await.map_err(|e| ExecutorError::Rpc(format!("cannot listen on {}: {e}", opts.bind)))?;
    let port = listener.local_addr().map_err(|e| ExecutorError::Rpc(e.to_string()))?.port();
    let id = format!("exec-{}-{}", std::process::id(), port);
    let spill_dir = opts.local_dir.join(format!("ember-{id}-{}", uuid::Uuid::new_v4().simple()));
    let store: StoreHandle = PartitionStore::with_budget(opts.memory, spill_dir)?;
    let service = ExecutorService::new(id.clone(), Arc::clone(&store), env, opts.cores);
    let info = ExecutorInfo {
        id: id.clone(),
        host: opts.advertise_host.clone(),
        port: u32::from(port),
        cores: opts.cores as u32,
        memory_bytes: opts.memory as u64,
    };

    let server = Server::builder()
        .tcp_nodelay(true)
        .add_service(
            FlightServiceServer::new(FlightServer::new(Arc::clone(&store)))
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .add_service(
            ExecutorServer::new(service.clone()).max_decoding_message_size(MAX_MESSAGE_BYTES).max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .serve_with_incoming_shutdown(incoming(listener), stop);
    let server = tokio::spawn(server);

    let mut scheduler = connect(&opts.scheduler_url).await?;
    let interval = register(&mut scheduler, &info).await?;
    info!(executor = %id, port, cores = opts.cores, memory = opts.memory, scheduler = %opts.scheduler_url, "executor registered");

    let heartbeat = {
        let id = id.clone();
        let store = Arc::clone(&store);
        let service = service.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            loop {
                ticker.tick().await;
                let beat = HeartbeatRequest {
                    executor_id: id.clone(),
                    memory_used: store.memory_used() as u64,
                    spilled_bytes: store.spilled_bytes() as u64,
                    running_tasks: service.running_tasks(),
                };
                match scheduler.heartbeat(beat).await {
                    Ok(r) if r.get_ref().reregister => {
                        warn!(executor = %id, "the scheduler forgot this executor; registering again");
                        if let Err(e) = register(&mut scheduler, &info).await {
                            warn!(error = %e, "re-registration failed");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => warn!(error = %e, "heartbeat failed"),
                }
            }
        })
    };

    let served = server.await;
    heartbeat.abort();
    info!(executor = %id, "executor stopped");
    match served {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(ExecutorError::Rpc(format!("executor server failed: {e}"))),
        Err(e) => Err(ExecutorError::Rpc(format!("executor server panicked: {e}"))),
    }
}

async fn register(scheduler: &mut SchedulerClient<Channel>, info: &ExecutorInfo) -> Result<Duration> {
    let response = scheduler
        .register_executor(RegisterExecutorRequest { executor: Some(info.clone()) })
        .await
        .map_err(|e| ExecutorError::Rpc(format!("registration refused: {}", e.message())))?;
    Ok(Duration::from_millis(response.get_ref().heartbeat_interval_ms.max(100)))
}
