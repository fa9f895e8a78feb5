//! A real cluster for tests: an `ember-scheduler` and `ember-executor` processes on
//! 127.0.0.1 with port 0, their logs in a temporary directory, all killed on drop.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TestCluster {
    pub url: String,
    scheduler: Child,
    pub executors: Vec<Child>,
    logs: tempfile::TempDir,
}

impl TestCluster {
    /// Starts a scheduler and `executors` executors of `cores` slots and `memory` each, and
    /// waits until all have registered.
    pub fn start(executors: usize, cores: usize, memory: &str) -> TestCluster {
        let logs = tempfile::tempdir().unwrap();
        let mut scheduler = Command::new(env!("CARGO_BIN_EXE_ember-scheduler"))
            .args(["--host", "127.0.0.1", "--port", "0", "--executor-timeout", "5"])
            .env("EMBER_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(File::create(logs.path().join("scheduler.log")).unwrap())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(scheduler.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let url = first.trim().to_string();
        assert!(url.starts_with("ember://127.0.0.1:"), "scheduler printed {url:?}");
        let mut cluster = TestCluster { url, scheduler, executors: Vec::new(), logs };
        for i in 0..executors {
            let child = Command::new(env!("CARGO_BIN_EXE_ember-executor"))
                .args(["--scheduler", &cluster.url, "--host", "127.0.0.1", "--port", "0"])
                .args(["--cores", &cores.to_string(), "--memory", memory])
                .env("EMBER_LOG", "info")
                .stdout(Stdio::null())
                .stderr(File::create(cluster.logs.path().join(format!("executor-{i}.log"))).unwrap())
                .spawn()
                .unwrap();
            cluster.executors.push(child);
        }
        cluster.wait_for_log("scheduler.log", "executor joined", executors);
        cluster
    }

    pub fn log_path(&self, name: &str) -> PathBuf {
        self.logs.path().join(name)
    }

    pub fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.log_path(name)).unwrap_or_default()
    }

    /// Waits until `name` contains `needle` at least `times` times.
    pub fn wait_for_log(&self, name: &str, needle: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.log(name).matches(needle).count() < times {
            assert!(Instant::now() < deadline, "no {times}x '{needle}' in {name}:\n{}", self.log(name));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM to every process, executors first; returns how each exited (scheduler last).
    pub fn terminate_all(&mut self) -> Vec<std::process::ExitStatus> {
        let mut statuses = Vec::new();
        for c in self.executors.iter_mut().chain(std::iter::once(&mut self.scheduler)) {
            Command::new("kill").args(["-TERM", &c.id().to_string()]).status().unwrap();
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if let Some(status) = c.try_wait().unwrap() {
                    statuses.push(status);
                    break;
                }
                assert!(Instant::now() < deadline, "process {} ignored SIGTERM", c.id());
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        statuses
    }

    /// SIGKILL: the executor vanishes without a word, as a crashed machine would.
    pub fn kill_executor(&mut self, i: usize) {
        self.executors[i].kill().unwrap();
        self.executors[i].wait().unwrap();
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        for c in self.executors.iter_mut().chain(std::iter::once(&mut self.scheduler)) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
