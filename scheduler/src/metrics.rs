//! Job and stage metrics the scheduler keeps for the driver (and later the UI).

use ember_planner::ExchangeKind;

#[derive(Debug, Clone)]
pub struct StageMetrics {
    pub stage: usize,
    pub kind: ExchangeKind,
    pub tasks: usize,
    pub failed_attempts: usize,
    pub rows: usize,
    /// Bytes the stage's tasks wrote.
    pub bytes: usize,
    pub duration_ms: u128,
    /// Bytes the stage's tasks fetched from other executors (over Flight).
    pub remote_bytes: usize,
    /// Bytes executors spilled to disk to store the stage's output.
    pub spilled_bytes: usize,
    /// Tasks re-run because an executor holding their output was lost.
    pub recomputed_tasks: usize,
    /// Executors that ran the stage's tasks (cluster mode).
    pub executors: Vec<String>,
    /// Every task attempt, in the order they ended.
    pub task_runs: Vec<TaskRun>,
}

/// One attempt of one task.
#[derive(Debug, Clone, Default)]
pub struct TaskRun {
    pub partition: usize,
    pub attempt: u32,
    /// The executor that ran it (cluster mode).
    pub executor: Option<String>,
    pub duration_ms: u128,
    pub rows: usize,
    pub bytes: usize,
    pub remote_bytes: usize,
    /// Why the attempt failed, if it did.
    pub error: Option<String>,
}

impl Default for StageMetrics {
    fn default() -> Self {
        Self {
            stage: 0,
            kind: ExchangeKind::Result,
            tasks: 0,
            failed_attempts: 0,
            rows: 0,
            bytes: 0,
            duration_ms: 0,
            remote_bytes: 0,
            spilled_bytes: 0,
            recomputed_tasks: 0,
            executors: Vec::new(),
            task_runs: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct JobMetrics {
    pub job: u64,
    pub stages: Vec<StageMetrics>,
    pub duration_ms: u128,
}

impl JobMetrics {
    /// Bytes written by exchanges (everything but the result stage).
    pub fn shuffled_bytes(&self) -> usize {
        self.stages.iter().filter(|s| s.kind != ExchangeKind::Result).map(|s| s.bytes).sum()
    }

    /// Bytes moved between executors over Flight.
    pub fn remote_bytes(&self) -> usize {
        self.stages.iter().map(|s| s.remote_bytes).sum()
    }

    pub fn spilled_bytes(&self) -> usize {
        self.stages.iter().map(|s| s.spilled_bytes).sum()
    }

    pub fn to_proto(&self) -> ember_proto::JobMetrics {
        ember_proto::JobMetrics {
            job: self.job,
            duration_ms: self.duration_ms as u64,
            stages: self
                .stages
                .iter()
                .map(|s| ember_proto::StageMetrics {
                    stage: s.stage as u64,
                    kind: s.kind.name().to_string(),
                    tasks: s.tasks as u64,
                    failed_attempts: s.failed_attempts as u64,
                    rows: s.rows as u64,
                    bytes: s.bytes as u64,
                    duration_ms: s.duration_ms as u64,
                    remote_bytes: s.remote_bytes as u64,
                    spilled_bytes: s.spilled_bytes as u64,
                    recomputed_tasks: s.recomputed_tasks as u64,
                    executors: s.executors.clone(),
                    task_runs: s
                        .task_runs
                        .iter()
                        .map(|t| ember_proto::TaskRun {
                            partition: t.partition as u64,
                            attempt: t.attempt,
                            executor: t.executor.clone().unwrap_or_default(),
                            duration_ms: t.duration_ms as u64,
                            rows: t.rows as u64,
                            bytes: t.bytes as u64,
                            remote_bytes: t.remote_bytes as u64,
                            error: t.error.clone().unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn from_proto(m: &ember_proto::JobMetrics) -> Self {
        JobMetrics {
            job: m.job,
            duration_ms: u128::from(m.duration_ms),
            stages: m
                .stages
                .iter()
                .map(|s| StageMetrics {
                    stage: s.stage as usize,
                    kind: ExchangeKind::from_name(&s.kind),
                    tasks: s.tasks as usize,
                    failed_attempts: s.failed_attempts as usize,
                    rows: s.rows as usize,
                    bytes: s.bytes as usize,
                    duration_ms: u128::from(s.duration_ms),
                    remote_bytes: s.remote_bytes as usize,
                    spilled_bytes: s.spilled_bytes as usize,
                    recomputed_tasks: s.recomputed_tasks as usize,
                    executors: s.executors.clone(),
                    task_runs: s
                        .task_runs
                        .iter()
                        .map(|t| TaskRun {
                            partition: t.partition as usize,
                            attempt: t.attempt,
                            executor: Some(t.executor.clone()).filter(|e| !e.is_empty()),
                            duration_ms: u128::from(t.duration_ms),
                            rows: t.rows as usize,
                            bytes: t.bytes as usize,
                            remote_bytes: t.remote_bytes as usize,
                            error: Some(t.error.clone()).filter(|e| !e.is_empty()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
