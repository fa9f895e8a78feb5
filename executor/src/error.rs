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
    /// A map output could not be fetched from the executor holding it: that executor is gone
    /// or lost the output, and the map task must run again.
    #[error("could not fetch map output {map} of dataset {dataset} from executor {executor}: {message}")]
    FetchFailed { dataset: u64, map: usize, executor: String, message: String },
    /// The executor running a task stopped answering; the task can run elsewhere.
    #[error("executor {executor} was lost: {message}")]
    ExecutorLost { executor: String, message: String },
    /// Writing or reading a spill file failed.
    #[error("spill: {0}")]
    Spill(String),
    /// A message between processes could not be encoded, decoded or delivered.
    #[error("{0}")]
    Rpc(String),
    /// A task failed in another process; `class` names the error as the driver reports it
    /// (see [`crate::wire::TaskEnv::classify`]).
    #[error("{message}")]
    Remote { class: String, message: String },
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

impl ExecutorError {
    /// The executor error behind a DataFusion error, if the failure was a lost or missing
    /// partition: operators wrap their inputs' errors (joins share build-side errors, streams
    /// add context), so the cause is searched for through every layer.
    pub fn lost_input(err: &DataFusionError) -> Option<&ExecutorError> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<ExecutorError>()
                && matches!(found, ExecutorError::MissingPartition { .. } | ExecutorError::FetchFailed { .. })
            {
                return Some(found);
            }
            current = match e.downcast_ref::<DataFusionError>() {
                Some(DataFusionError::External(inner)) => Some(inner.as_ref()),
                Some(DataFusionError::Shared(inner)) => Some(inner.as_ref()),
                Some(DataFusionError::Context(_, inner)) => Some(inner.as_ref()),
                _ => e.source(),
            };
        }
        None
    }

    /// Whether running the task again (after re-creating lost inputs) can succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ExecutorError::Execution(e) => Self::lost_input(e).is_some(),
            ExecutorError::MissingPartition { .. } | ExecutorError::FetchFailed { .. } | ExecutorError::ExecutorLost { .. } => true,
            ExecutorError::Spill(_) | ExecutorError::Rpc(_) | ExecutorError::Remote { .. } => false,
        }
    }

    /// The lost map output (dataset, map partition) this error reports, if any.
    pub fn lost_map(&self) -> Option<(u64, usize)> {
        let err = match self {
            ExecutorError::Execution(e) => Self::lost_input(e)?,
            other => other,
        };
        match err {
            ExecutorError::MissingPartition { dataset, partition } => Some((*dataset, *partition)),
            ExecutorError::FetchFailed { dataset, map, .. } => Some((*dataset, *map)),
            _ => None,
        }
    }
}
