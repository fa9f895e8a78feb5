//! Spark's JSON functions.

pub mod from_json;
pub mod outer;
pub mod path;
pub mod schema_of_json;
pub(crate) mod value;

/// Spark's FAILFAST error for JSON text that does not read: the record as Spark shows it
/// (`from_json` shows `[null]`, `parse_json` the text).
pub(crate) fn malformed_record(record: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: {record}.\nParse Mode: \
         FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023"
    ))
}
