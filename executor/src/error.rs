//! The executor's error type.

use datafusion::error::DataFusionError;

/// Why a task could not run or its output could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// The plan fragment failed while executing; the error is the engine's own.
    #[error(transparent)]
    Execution(#[from] DataFusionError),
    /// A task asked for a partition that no task produced (or that was freed).
    #[error("partition {partition} of dataset {dataset} is not in the partition store")]
    MissingPartition { dataset: u64, partition: usize },
}

pub type Result<T, E = ExecutorError> = std::result::Result<T, E>;

impl From<ExecutorError> for DataFusionError {
    fn from(e: ExecutorError) -> Self {
        match e {
            ExecutorError::Execution(inner) => inner,
            other => DataFusionError::External(Box::new(other)),
        }
    }
}
