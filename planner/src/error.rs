//! The planner's error type.

use datafusion::error::DataFusionError;

#[derive(Debug, thiserror::Error)]
pub enum PlannerError {
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
}

pub type Result<T, E = PlannerError> = std::result::Result<T, E>;
