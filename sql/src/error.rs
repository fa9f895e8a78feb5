//! The SQL layer's error type.

use datafusion::error::DataFusionError;

#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    /// Text that is not valid Spark SQL or DDL; `position` is a character offset.
    #[error("{message}")]
    Parse { message: String, position: Option<usize> },
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
}

pub type Result<T, E = SqlError> = std::result::Result<T, E>;

impl SqlError {
    pub fn parse(message: impl Into<String>) -> Self {
        SqlError::Parse { message: message.into(), position: None }
    }
}
