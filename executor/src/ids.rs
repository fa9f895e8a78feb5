//! Identifiers shared by the scheduler and the executors.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Names one set of partitions in the store: a stage's output or a cached DataFrame.
///
/// Ids are unique for the life of the process, so a freed dataset is never confused with a
/// later one, and across processes: the top 24 bits are drawn at random per process, because
/// drivers (cached DataFrames) and the cluster scheduler (stage outputs) both name datasets
/// that end up in the same executors' stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatasetId(pub u64);

static NEXT_DATASET: AtomicU64 = AtomicU64::new(0);
static PREFIX: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mixed = (nanos ^ (u64::from(std::process::id()) << 20)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 40) << 40
});

impl DatasetId {
    pub fn next() -> Self {
        DatasetId(*PREFIX | (NEXT_DATASET.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

impl fmt::Display for DatasetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A task is one attempt at one partition of one stage of one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId {
    pub job: u64,
    pub stage: usize,
    pub partition: usize,
    pub attempt: u32,
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {} stage {} partition {} attempt {}", self.job, self.stage, self.partition, self.attempt)
    }
}
