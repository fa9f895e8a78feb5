//! Job and stage metrics the scheduler keeps for the driver (and later the UI).

use ember_planner::ExchangeKind;

#[derive(Debug, Clone)]
pub struct StageMetrics {
    pub stage: usize,
    pub kind: ExchangeKind,
    pub tasks: usize,
    pub failed_attempts: usize,
    pub rows: usize,
    pub bytes: usize,
    pub duration_ms: u128,
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
}
