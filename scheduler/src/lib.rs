//! Ember's scheduler: runs a job's stage DAG on executor slots.
//!
//! A stage is submitted when all its parents have finished; each of its partitions becomes a
//! task handed to an [`ExecutorBackend`]. The local backend runs tasks on slots inside the
//! driver process; the [`cluster`] backend ships the same task definitions to executor
//! processes, and re-runs the map tasks whose output died with an executor. Job, stage and task
//! metrics are kept for the driver to read. [`JobRunner`] is what a driver sees of either mode.

pub mod backend;
pub mod client;
pub mod cluster;
pub mod error;
pub mod job;
pub mod local;
pub mod metrics;
pub mod runner;

pub use backend::ExecutorBackend;
pub use client::ClusterClient;
pub use error::{Result, SchedulerError};
pub use job::{JobOutput, Scheduler};
pub use local::LocalBackend;
pub use metrics::{JobMetrics, StageMetrics, TaskRun};
pub use runner::JobRunner;
