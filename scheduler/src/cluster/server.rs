//! A scheduler process: the gRPC service plus a reaper for executors that stop heartbeating.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ember_executor::process::{MAX_MESSAGE_BYTES, incoming};
use ember_executor::wire::TaskEnv;
use ember_proto::scheduler_server::SchedulerServer;
use tokio::net::TcpListener;
use tonic::transport::Server;
use tracing::info;

use crate::cluster::registry::Registry;
use crate::cluster::service::SchedulerService;
use crate::error::{Result, SchedulerError};

#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    pub bind: SocketAddr,
    /// Host name in the printed `ember://` URL.
    pub advertise_host: String,
    /// An executor silent for this long is removed and its outputs recomputed elsewhere.
    pub executor_timeout: Duration,
    /// A driver silent for this long has its data freed.
    pub session_timeout: Duration,
}

/// Binds the scheduler's port; returns the listener and the `ember://host:port` URL.
pub async fn bind(opts: &SchedulerOptions) -> Result<(TcpListener, String)> {
    let listener = TcpListener::bind(opts.bind).await.map_err(|e| SchedulerError::Lost(format!("cannot listen on {}: {e}", opts.bind)))?;
    let port = listener.local_addr().map_err(|e| SchedulerError::Lost(e.to_string()))?.port();
    Ok((listener, format!("ember://{}:{port}", opts.advertise_host)))
}

/// Serves until the process is signalled to stop.
pub async fn serve(
    listener: TcpListener,
    opts: SchedulerOptions,
    env: Arc<dyn TaskEnv>,
    stop: futures::future::BoxFuture<'static, ()>,
) -> Result<()> {
    let registry = Arc::new(Registry::default());
    let service = Arc::new(SchedulerService::new(Arc::clone(&registry), env));
    let reaper = {
        let service = Arc::clone(&service);
        let (executor_timeout, session_timeout) = (opts.executor_timeout, opts.session_timeout);
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_millis(250));
            loop {
                ticker.tick().await;
                registry.expire(executor_timeout);
                service.expire_sessions(session_timeout);
            }
        })
    };
    let result = Server::builder()
        .tcp_nodelay(true)
        .add_service(
            SchedulerServer::from_arc(service).max_decoding_message_size(MAX_MESSAGE_BYTES).max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .serve_with_incoming_shutdown(incoming(listener), stop)
        .await;
    reaper.abort();
    info!("scheduler stopped");
    result.map_err(|e| SchedulerError::Lost(format!("scheduler server failed: {e}")))
}
