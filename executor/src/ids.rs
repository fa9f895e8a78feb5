//! Identifiers shared by the scheduler and the executors.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// Names one set of partitions in the store: a stage's output or a cached DataFrame.
///
/// Ids are unique for the life of the process, so a freed dataset is never confused with a
/// later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatasetId(pub u64);

static NEXT_DATASET: AtomicU64 = AtomicU64::new(1);

impl DatasetId {
    pub fn next() -> Self {
        DatasetId(NEXT_DATASET.fetch_add(1, Ordering::Relaxed))
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
        write!(
            f,
            "job {} stage {} partition {} attempt {}",
            self.job, self.stage, self.partition, self.attempt
        )
    }
}
