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

/// Spark's CAST_INVALID_INPUT (ANSI mode): the string `value` does not parse as `target`
/// (`INT`, `DATE`, `TIMESTAMP`, ...), whether the cast was written or implicit.
pub fn cast_invalid_input(value: &str, target: &str) -> String {
    format!(
        "[CAST_INVALID_INPUT] The value '{value}' of the type \"STRING\" cannot be cast to \"{target}\" because it is malformed. \
         Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL \
         instead. SQLSTATE: 22018"
    )
}

/// Spark's WRONG_NUM_ARGS: `function` takes `expected` arguments (`2`, `[1, 2]`), not `given`.
pub fn wrong_num_args(function: &str, expected: &str, given: impl std::fmt::Display) -> String {
    format!(
        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{function}` requires {expected} parameters but the actual number is {given}. \
         Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605"
    )
}

impl SqlError {
    pub fn parse(message: impl Into<String>) -> Self {
        SqlError::Parse { message: message.into(), position: None }
    }
}
