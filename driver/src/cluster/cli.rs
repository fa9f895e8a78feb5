//! `ember-scheduler` and `ember-executor`: command lines of the cluster processes (also
//! reachable as `python -m ember.cluster scheduler|executor ...`).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use datafusion_proto::physical_plan::PhysicalExtensionCodec;
use ember_executor::process::{ExecutorOptions, run_executor, shutdown_signal};
use ember_scheduler::cluster::{SchedulerOptions, bind, serve};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::cluster::env::EmberTaskEnv;
use crate::command;
use crate::config::parse_size;

/// Ember's scheduler: executors register here and drivers submit jobs here.
#[derive(Debug, Parser)]
#[command(name = "ember-scheduler", version)]
struct SchedulerArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7077)]
    port: u16,
    /// Host name in the printed ember:// URL (default: the listen address, or 127.0.0.1).
    #[arg(long)]
    advertise_host: Option<String>,
    /// Seconds without a heartbeat after which an executor is removed.
    #[arg(long, default_value_t = 10)]
    executor_timeout: u64,
    /// Stop when standard input closes (used by local-cluster).
    #[arg(long, hide = true)]
    exit_with_parent: bool,
}

/// An Ember executor: runs tasks and serves its partitions over Arrow Flight.
#[derive(Debug, Parser)]
#[command(name = "ember-executor", version)]
struct ExecutorArgs {
    /// The scheduler's URL, ember://host:port.
    #[arg(long)]
    scheduler: String,
    /// Task slots.
    #[arg(long, default_value_t = 1)]
    cores: usize,
    /// Memory for stored partitions (512m, 2g); beyond it partitions spill to disk.
    #[arg(long, default_value = "1g")]
    memory: String,
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Host name other processes use to reach this executor.
    #[arg(long)]
    advertise_host: Option<String>,
    /// Directory for spill files.
    #[arg(long)]
    local_dir: Option<PathBuf>,
    /// Stop when standard input closes (used by local-cluster).
    #[arg(long, hide = true)]
    exit_with_parent: bool,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("EMBER_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// SIGTERM, Ctrl-C, or (with `exit_with_parent`) standard input reaching its end.
fn stop_signal(exit_with_parent: bool) -> BoxFuture<'static, ()> {
    if !exit_with_parent {
        return shutdown_signal().boxed();
    }
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        let _ = tx.send(());
    });
    async move {
        tokio::select! {
            _ = shutdown_signal() => {}
            _ = rx => {}
        }
    }
    .boxed()
}

fn advertised(host: IpAddr, explicit: Option<String>) -> String {
    explicit.unwrap_or_else(|| if host.is_unspecified() { "127.0.0.1".to_string() } else { host.to_string() })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("ember").build().map_err(|e| e.to_string())
}

/// Runs `ember-scheduler` with `args` (the program name first); returns the exit code.
pub fn scheduler_main(args: Vec<String>, extra_codecs: Vec<Arc<dyn PhysicalExtensionCodec>>) -> i32 {
    let args: SchedulerArgs = match command::parse(args) {
        Ok(a) => a,
        Err(code) => return code,
    };
    init_logging();
    let result = (|| -> Result<(), String> {
        let env = Arc::new(EmberTaskEnv::new(extra_codecs).map_err(|e| e.to_string())?);
        let opts = SchedulerOptions {
            bind: SocketAddr::new(args.host, args.port),
            advertise_host: advertised(args.host, args.advertise_host),
            executor_timeout: Duration::from_secs(args.executor_timeout.max(1)),
            session_timeout: Duration::from_secs(30),
        };
        runtime()?.block_on(async move {
            let (listener, url) = bind(&opts).await.map_err(|e| e.to_string())?;
            // The URL on stdout is how `local-cluster` and scripts learn the port.
            println!("{url}");
            tracing::info!(%url, "scheduler started");
            serve(listener, opts, env, stop_signal(args.exit_with_parent)).await.map_err(|e| e.to_string())
        })
    })();
    command::finish("ember-scheduler", result)
}

/// Runs `ember-executor` with `args` (the program name first); returns the exit code.
pub fn executor_main(args: Vec<String>, extra_codecs: Vec<Arc<dyn PhysicalExtensionCodec>>) -> i32 {
    let args: ExecutorArgs = match command::parse(args) {
        Ok(a) => a,
        Err(code) => return code,
    };
    init_logging();
    let result = (|| -> Result<(), String> {
        let memory =
            parse_size(&args.memory).ok_or_else(|| format!("--memory must be a size such as 512m or 2g, got '{}'", args.memory))?;
        let scheduler_url = ember_scheduler::client::scheduler_endpoint(&args.scheduler).map_err(|e| e.to_string())?;
        let env = Arc::new(EmberTaskEnv::new(extra_codecs).map_err(|e| e.to_string())?);
        let opts = ExecutorOptions {
            scheduler_url,
            bind: SocketAddr::new(args.host, args.port),
            advertise_host: advertised(args.host, args.advertise_host),
            cores: args.cores.max(1),
            memory,
            local_dir: args.local_dir.unwrap_or_else(std::env::temp_dir),
        };
        runtime()?.block_on(run_executor(opts, env, stop_signal(args.exit_with_parent))).map_err(|e| e.to_string())
    })();
    command::finish("ember-executor", result)
}
