//! The scheduler's error type.

use datafusion::error::DataFusionError;
use ember_executor::ExecutorError;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    /// A task failed in a way no retry can fix; the job fails with the task's own error.
    #[error(transparent)]
    Task(#[from] ExecutorError),
    #[error(transparent)]
    Planner(#[from] ember_planner::PlannerError),
    /// A task kept failing after `spark.task.maxFailures` attempts.
    #[error("task {task} failed {attempts} times; most recent failure: {last}")]
    TooManyFailures { task: String, attempts: u32, last: String },
    #[error("the scheduler lost a task: {0}")]
    Lost(String),
}

impl From<DataFusionError> for SchedulerError {
    fn from(e: DataFusionError) -> Self {
        SchedulerError::Task(ExecutorError::Execution(e))
    }
}

impl From<SchedulerError> for DataFusionError {
    fn from(e: SchedulerError) -> Self {
        match e {
            SchedulerError::Task(inner) => inner.into(),
            other => DataFusionError::External(Box::new(other)),
        }
    }
}

pub type Result<T, E = SchedulerError> = std::result::Result<T, E>;
