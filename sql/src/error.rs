//! The SQL layer's error type.

use datafusion::error::DataFusionError;

#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    /// Text that is not valid Spark SQL or DDL; `position` is a character offset.
    #[error("{message}")]
    Parse { message: String, position: Option<usize> },
    /// A name or reference that does not resolve, found while parsing (Spark's `AnalysisException`).
    #[error("{0}")]
    Analysis(String),
    /// A statement or feature Spark has and Ember does not (yet); the message names it.
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
}

pub type Result<T, E = SqlError> = std::result::Result<T, E>;

impl SqlError {
    pub fn parse(message: impl Into<String>) -> Self {
        SqlError::Parse { message: message.into(), position: None }
    }
}
