//! `local-cluster[W,C,M]`: a real scheduler and W executor processes on 127.0.0.1, started for
//! one session and stopped with it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;
use tracing::{info, warn};

use crate::error::{DriverError, Result};

/// How to start a cluster process: a command prefix taking `scheduler ...` or `executor ...`.
/// The Python package sets it to its interpreter (`python -m ember.cluster`), so executors can
/// run Python UDFs; otherwise the `ember-scheduler` / `ember-executor` binaries are used.
static LAUNCHER: RwLock<Option<Vec<String>>> = RwLock::new(None);

pub fn set_launcher(command: Vec<String>) {
    *LAUNCHER.write() = Some(command);
}

/// Where the `ember-*` binaries are: `EMBER_BIN_DIR`, next to this program (or one level up,
/// for test binaries in `target/*/deps`), or on the `PATH`.
fn binary(name: &str) -> PathBuf {
    let candidates = std::env::var_os("EMBER_BIN_DIR").map(PathBuf::from).into_iter().chain(
        std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)).into_iter().flat_map(|d| {
            let up = d.parent().map(Path::to_path_buf);
            std::iter::once(d).chain(up)
        }),
    );
    for dir in candidates {
        let path = dir.join(name);
        if path.is_file() {
            return path;
        }
    }
    PathBuf::from(name)
}

fn command(role: &str) -> Command {
    let mut c = match LAUNCHER.read().as_ref() {
        Some(prefix) if !prefix.is_empty() => {
            let mut c = Command::new(&prefix[0]);
            c.args(&prefix[1..]).arg(role);
            c
        }
        _ => Command::new(binary(&format!("ember-{role}"))),
    };
    // The processes share the driver's terminal: only problems, unless asked for more.
    if std::env::var_os("EMBER_LOG").is_none() {
        c.env("EMBER_LOG", "warn");
    }
    // Their own process group: Ctrl-C at the terminal (which `ember-sql` turns into cancelling
    // the running statement) must not reach and kill the cluster.
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    c
}

/// The processes of a local cluster. Dropping it stops them (SIGTERM, then SIGKILL).
#[derive(Debug)]
pub struct LocalCluster {
    url: String,
    children: Vec<Child>,
}

impl LocalCluster {
    /// `memory` is each executor's store budget in bytes.
    pub fn start(workers: usize, cores: usize, memory: usize) -> Result<Self> {
        let mut cluster = LocalCluster { url: String::new(), children: Vec::new() };
        // Children exit when this process goes away and their stdin closes.
        let mut scheduler = command("scheduler")
            .args(["--host", "127.0.0.1", "--port", "0", "--exit-with-parent"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| DriverError::Runtime(format!("cannot start the scheduler: {e}")))?;
        let stdout = scheduler.stdout.take();
        cluster.children.push(scheduler);
        cluster.url = read_url(stdout)?;
        for _ in 0..workers {
            let child = command("executor")
                .args(["--scheduler", &cluster.url, "--host", "127.0.0.1", "--port", "0", "--exit-with-parent"])
                .args(["--cores", &cores.to_string(), "--memory", &format!("{memory}b")])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .map_err(|e| DriverError::Runtime(format!("cannot start an executor: {e}")))?;
            cluster.children.push(child);
        }
        info!(url = %cluster.url, workers, cores, memory, "local cluster started");
        Ok(cluster)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Process ids: the scheduler first, then the executors.
    pub fn pids(&self) -> Vec<u32> {
        self.children.iter().map(Child::id).collect()
    }
}

/// The scheduler prints its `ember://` URL as its first line.
fn read_url(stdout: Option<std::process::ChildStdout>) -> Result<String> {
    let stdout = stdout.ok_or_else(|| DriverError::Runtime("the scheduler has no stdout".into()))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next();
        let _ = tx.send(first);
        // Keep draining so the scheduler never blocks on a full pipe.
        for _ in lines {}
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Some(Ok(line))) if line.starts_with("ember://") => Ok(line.trim().to_string()),
        Ok(other) => Err(DriverError::Runtime(format!("the scheduler did not start: {other:?}"))),
        Err(_) => Err(DriverError::Runtime("the scheduler did not print its URL within 60 s".into())),
    }
}

impl Drop for LocalCluster {
    fn drop(&mut self) {
        // Executors first, so none is mid-registration when the scheduler goes.
        for child in self.children.iter_mut().rev() {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        for child in self.children.iter_mut().rev() {
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                    _ => {
                        warn!(pid = child.id(), "cluster process did not stop; killing it");
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
    }
}
