//! The driver's error type, classified the way PySpark names its exceptions.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use ember_scheduler::SchedulerError;
use ember_sql::SqlError;

/// A failure a user sees. [`DriverError::class`] is the PySpark exception it becomes.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DriverError {
    /// The program refers to something that does not exist or does not type-check.
    #[error("{0}")]
    Analysis(String),
    /// SQL or DDL text that does not parse.
    #[error("{0}")]
    Parse(String),
    /// An argument out of range or of the wrong kind.
    #[error("{0}")]
    IllegalArgument(String),
    /// A Python UDF raised; the message carries the Python traceback.
    #[error("{0}")]
    Python(String),
    /// A failure while the job ran (bad data in FAILFAST mode, a cast that cannot succeed).
    #[error("{0}")]
    Runtime(String),
    /// Something Ember does not do (yet); the message says what.
    #[error("{0}")]
    Unsupported(String),
}

pub type Result<T, E = DriverError> = std::result::Result<T, E>;

impl DriverError {
    /// The PySpark exception class name for this error.
    pub fn class(&self) -> &'static str {
        match self {
            DriverError::Analysis(_) => "AnalysisException",
            DriverError::Parse(_) => "ParseException",
            DriverError::IllegalArgument(_) => "IllegalArgumentException",
            DriverError::Python(_) => "PythonException",
            DriverError::Runtime(m) => runtime_class(m),
            DriverError::Unsupported(_) => "UnsupportedOperationException",
        }
    }

    /// The error [`DriverError::class`] named, with its message (an error from another process).
    pub fn from_class(class: &str, message: String) -> Self {
        match class {
            "AnalysisException" => DriverError::Analysis(message),
            "ParseException" => DriverError::Parse(message),
            "IllegalArgumentException" => DriverError::IllegalArgument(message),
            "PythonException" => DriverError::Python(message),
            "UnsupportedOperationException" => DriverError::Unsupported(message),
            _ => DriverError::Runtime(message),
        }
    }

    pub fn analysis(msg: impl Into<String>) -> Self {
        DriverError::Analysis(msg.into())
    }
}

/// Raised by a Python UDF (or any user code run inside a task); carried through DataFusion as
/// an external error so the driver can report it as PySpark's `PythonException`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserCodeError(pub String);

impl From<DataFusionError> for DriverError {
    fn from(e: DataFusionError) -> Self {
        classify(&e)
    }
}

impl From<SqlError> for DriverError {
    fn from(e: SqlError) -> Self {
        match e {
            SqlError::Parse { message, .. } => DriverError::Parse(message),
            SqlError::Analysis(message) => DriverError::Analysis(message),
            SqlError::Unsupported(message) => DriverError::Unsupported(message),
            SqlError::DataFusion(inner) => classify(&inner),
        }
    }
}

impl From<SchedulerError> for DriverError {
    fn from(e: SchedulerError) -> Self {
        match e {
            SchedulerError::Task(ember_executor::ExecutorError::Execution(inner)) => classify(&inner),
            SchedulerError::Task(ember_executor::ExecutorError::Remote { class, message }) => DriverError::from_class(&class, message),
            other => DriverError::Runtime(other.to_string()),
        }
    }
}

impl From<ember_executor::ExecutorError> for DriverError {
    fn from(e: ember_executor::ExecutorError) -> Self {
        SchedulerError::Task(e).into()
    }
}

impl From<ArrowError> for DriverError {
    fn from(e: ArrowError) -> Self {
        classify(&DataFusionError::ArrowError(Box::new(e), None))
    }
}

impl From<std::io::Error> for DriverError {
    fn from(e: std::io::Error) -> Self {
        DriverError::Runtime(e.to_string())
    }
}

/// Maps an engine error to the exception a PySpark user would see for the same mistake.
pub fn classify(e: &DataFusionError) -> DriverError {
    if let Some(user) = find_user_error(e) {
        return DriverError::Python(user.0.clone());
    }
    if let Some(driver) = find_driver_error(e) {
        return driver.clone();
    }
    match e {
        DataFusionError::Context(_, inner) => classify(inner),
        DataFusionError::Shared(inner) => classify(inner),
        DataFusionError::Diagnostic(_, inner) => classify(inner),
        DataFusionError::Collection(errors) if !errors.is_empty() => classify(&errors[0]),
        DataFusionError::SchemaError(err, _) => schema_error(err),
        DataFusionError::SQL(err, _) => DriverError::Parse(format!("[PARSE_SYNTAX_ERROR] Syntax error: {err}")),
        DataFusionError::Plan(m) => plan_error(m),
        DataFusionError::NotImplemented(m) => DriverError::Unsupported(m.clone()),
        DataFusionError::Configuration(m) => DriverError::IllegalArgument(m.clone()),
        DataFusionError::ObjectStore(err) => DriverError::Analysis(format!("[PATH_NOT_FOUND] {err}")),
        other => {
            let message = strip_prefixes(&other.to_string());
            // A function's argument count is checked while its types are coerced.
            if let Some(e) = wrong_num_args(&message) {
                return e;
            }
            DriverError::Runtime(cast_invalid_input(&message).unwrap_or(message))
        }
    }
}

/// PySpark's exception for a failure while running, by Spark's error class: arithmetic and
/// malformed-input errors have classes of their own.
fn runtime_class(message: &str) -> &'static str {
    let class = message.strip_prefix('[').and_then(|m| m.split(']').next()).unwrap_or("");
    match class {
        "DIVIDE_BY_ZERO" | "ARITHMETIC_OVERFLOW" | "NUMERIC_VALUE_OUT_OF_RANGE" | "INTERVAL_DIVIDED_BY_ZERO" => "ArithmeticException",
        "CAST_INVALID_INPUT" if message.contains("to \"DATE\"") || message.contains("to \"TIMESTAMP") => "DateTimeException",
        "CAST_INVALID_INPUT" => "NumberFormatException",
        "INVALID_FORMAT.MISMATCH_INPUT" => "IllegalArgumentException",
        _ => "SparkRuntimeException",
    }
}

/// Spark's name for the Arrow type a string failed to parse as.
fn spark_cast_target(arrow: &str) -> String {
    match arrow {
        "Int8" => "TINYINT".into(),
        "Int16" => "SMALLINT".into(),
        "Int32" => "INT".into(),
        "Int64" => "BIGINT".into(),
        "Float32" => "FLOAT".into(),
        "Float64" => "DOUBLE".into(),
        "Date32" | "Date64" => "DATE".into(),
        "Boolean" => "BOOLEAN".into(),
        other => match other.strip_prefix("Decimal128(").and_then(|r| r.strip_suffix(')')) {
            Some(ps) => format!("DECIMAL({})", ps.replace(' ', "")),
            None if other.starts_with("Timestamp") => "TIMESTAMP".into(),
            None => other.to_uppercase(),
        },
    }
}

/// Spark's CAST_INVALID_INPUT for a string that does not parse as the type it is cast to (ANSI
/// mode), from DataFusion's cast and timestamp-parsing errors.
fn cast_invalid_input(message: &str) -> Option<String> {
    let (value, target) = if let Some(rest) = message.strip_prefix("Cast error: Cannot cast string '") {
        let (value, rest) = rest.rsplit_once("' to value of ")?;
        (value, spark_cast_target(rest.strip_suffix(" type")?))
    } else if let Some(rest) = message.strip_prefix("Parser error: Error parsing timestamp from '") {
        (rest.split_once("':")?.0, "TIMESTAMP".to_string())
    } else {
        return None;
    };
    Some(ember_sql::error::cast_invalid_input(value, &target))
}

fn plan_error(m: &str) -> DriverError {
    if let Some(name) = m.strip_prefix("Invalid function '").and_then(|r| r.split('\'').next()) {
        return DriverError::Analysis(format!(
            "[UNRESOLVED_ROUTINE] Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]. SQLSTATE: 42883"
        ));
    }
    if let Some(rest) = m.strip_prefix("Column in SELECT must be in GROUP BY or an aggregate function: ") {
        let column = rest.split('"').nth(1).unwrap_or_default();
        let column = column.rsplit('.').next().unwrap_or(column);
        return missing_aggregation(column);
    }
    if let Some(e) = wrong_num_args(m) {
        return e;
    }
    // DataFusion resolves `GROUP BY n` with this message.
    if let Some((n, max)) =
        m.strip_prefix("Cannot find column with position ").and_then(|r| r.split_once(" in SELECT clause. Valid columns: 1 to "))
    {
        return DriverError::Analysis(format!(
            "[GROUP_BY_POS_OUT_OF_RANGE] GROUP BY position {n} is not in select list (valid range is [1, {max}]). SQLSTATE: 42805"
        ));
    }
    // ... and `ORDER BY n` with this one.
    if let Some((n, max)) = m.strip_prefix("Order by column out of bounds, specified: ").and_then(|r| r.split_once(", max: ")) {
        return DriverError::Analysis(format!(
            "[ORDER_BY_POS_OUT_OF_RANGE] ORDER BY position {n} is not in select list (valid range is [1, {max}]). SQLSTATE: 42805"
        ));
    }
    if let Some(name) = m.strip_prefix("table '").and_then(|r| r.split('\'').next()) {
        return table_not_found(name);
    }
    if m.contains("table") && m.contains("not found") {
        return DriverError::Analysis(format!("[TABLE_OR_VIEW_NOT_FOUND] {m}"));
    }
    DriverError::Analysis(m.to_string())
}

/// Spark's error for a selected expression that is neither grouped nor aggregated.
fn missing_aggregation(shown: &str) -> DriverError {
    DriverError::Analysis(format!(
        "[MISSING_AGGREGATION] The non-aggregating expression \"{shown}\" is based on columns which are not participating in the \
         GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({shown})\" \
         if you do not care which of the values within a group is returned. SQLSTATE: 42803"
    ))
}

/// Spark's error for a query that mixes aggregates and other columns without `GROUP BY`.
pub fn missing_group_by() -> DriverError {
    DriverError::Analysis(
        "[MISSING_GROUP_BY] The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using \
         OVER clauses. SQLSTATE: 42803"
            .into(),
    )
}

/// (function, expected, given) from DataFusion's messages for a call with the wrong number of
/// arguments.
/// Spark's WRONG_NUM_ARGS for DataFusion's ways of saying a call has the wrong number of
/// arguments: `Function 'f' expects N arguments but received M`, `'f' does not support zero
/// arguments` (with the candidate signatures, whose lengths are the counts Spark lists), and
/// a coercion that found `f takes N arguments, got M`.
fn wrong_num_args(m: &str) -> Option<DriverError> {
    let (name, expected, got) = wrong_arity(m).or_else(|| zero_arguments(m)).or_else(|| coercion_arity(m))?;
    Some(DriverError::Analysis(ember_sql::error::wrong_num_args(&name, &expected, got)))
}

fn wrong_arity(m: &str) -> Option<(String, String, String)> {
    let rest = m.strip_prefix("Function '").or_else(|| m.strip_prefix("The function '"))?;
    let (name, rest) = rest.split_once('\'')?;
    let rest = rest.strip_prefix(" expects ").or_else(|| rest.strip_prefix(" expected "))?;
    let (expected, got) = rest.split_once(" arguments but received ")?;
    let got = got.split_whitespace().next()?.trim_end_matches('.');
    (expected.parse::<usize>().is_ok() && got.parse::<usize>().is_ok()).then(|| (name.into(), expected.into(), got.into()))
}

fn zero_arguments(m: &str) -> Option<(String, String, String)> {
    let rest = m.strip_prefix('\'')?;
    let (name, rest) = rest.split_once('\'')?;
    if !rest.starts_with(" does not support zero arguments") {
        return None;
    }
    let mut counts: Vec<usize> = m
        .lines()
        .filter_map(|l| {
            l.trim().strip_prefix(name)?.strip_prefix('(')?.strip_suffix(')').map(|a| a.split(", ").filter(|x| !x.is_empty()).count())
        })
        .collect();
    counts.sort_unstable();
    counts.dedup();
    let expected = match counts.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        many => format!("[{}]", many.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    };
    Some((name.into(), expected, "0".into()))
}

fn coercion_arity(m: &str) -> Option<(String, String, String)> {
    let (_, inner) = m.split_once(" coercion failed with: ")?;
    let inner = inner.strip_prefix("Error during planning: ").unwrap_or(inner);
    let (name, rest) = inner.split_once(" takes ")?;
    let (expected, rest) = rest.split_once(" arguments, got ")?;
    let got: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (expected.parse::<usize>().is_ok() && !got.is_empty()).then(|| (name.into(), expected.into(), got))
}

/// Spark's message for a missing table or view (a query adds where it was named).
pub fn table_not_found(name: &str) -> DriverError {
    let short = name.rsplit('.').next().unwrap_or(name).replace('`', "");
    DriverError::Analysis(format!(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{short}` cannot be found. Verify the spelling and correctness of the schema and catalog.\n\
         Search path: [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`].\n\
         If you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\n\
         To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01"
    ))
}

/// Spark's message when `DROP VIEW | TABLE` names nothing: the name as the catalog resolved it.
pub fn drop_target_not_found(name: &str) -> DriverError {
    let short = name.rsplit('.').next().unwrap_or(name).replace('`', "");
    DriverError::Analysis(format!(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `spark_catalog`.`default`.`{short}` cannot be found. Verify the spelling and correctness of the schema and catalog.\n\
         Search path: [`spark_catalog`.`default`].\n\
         If you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\n\
         To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01"
    ))
}

/// Spark's message for a database that does not exist.
pub fn schema_not_found(db: &str) -> DriverError {
    DriverError::Analysis(format!(
        "[SCHEMA_NOT_FOUND] The schema `spark_catalog`.`{db}` cannot be found. Verify the spelling and correctness of the schema and catalog.\n\
         If you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\n\
         To tolerate the error on drop use DROP SCHEMA IF EXISTS. SQLSTATE: 42704"
    ))
}

impl DriverError {
    /// Spark's `; line L pos P` after an analysis error's message: where the statement named
    /// what did not resolve.
    pub fn at(self, line: usize, pos: usize) -> DriverError {
        match self {
            DriverError::Analysis(m) => DriverError::Analysis(format!("{m}; line {line} pos {pos}")),
            other => other,
        }
    }
}

fn schema_error(err: &SchemaError) -> DriverError {
    match err {
        SchemaError::FieldNotFound { field, valid_fields } => {
            let candidates: Vec<(Option<String>, String)> = valid_fields
                .iter()
                .map(|c| (c.relation.as_ref().map(|r| r.table().to_string()).filter(|t| !t.starts_with("__")), c.name.clone()))
                .collect();
            let written: Vec<String> = field.relation.iter().map(|r| r.table().to_string()).chain([field.name.clone()]).collect();
            unresolved_column(&written.join("`.`"), &suggestions(&written.join("."), &candidates))
        }
        other => DriverError::Analysis(other.to_string()),
    }
}

/// Spark's AMBIGUOUS_REFERENCE: `name` matches a column of several relations, listed as
/// `` `rel`.`col` `` in sorted order (as spark-sql 4 prints them, whichever side each is on).
pub fn ambiguous_reference(name: &str, candidates: &[String]) -> DriverError {
    let mut sorted = candidates.to_vec();
    sorted.sort();
    DriverError::Analysis(format!(
        "[AMBIGUOUS_REFERENCE] Reference `{name}` is ambiguous, could be: [{}]. SQLSTATE: 42704",
        sorted.join(", ")
    ))
}

/// The columns Spark proposes for the unresolved reference `written` (as the query wrote it,
/// `t.c` or `c`): at most five of the `(qualifier, name)` candidates, nearest first by edit
/// distance to their quoted names. Candidates lose their qualifier when the reference has one
/// part and all come from one relation; ties are in column name order, then the relations' order.
pub fn suggestions(written: &str, candidates: &[(Option<String>, String)]) -> Vec<String> {
    let qualifiers: std::collections::HashSet<&Option<String>> = candidates.iter().map(|(q, _)| q).collect();
    let strip = !written.contains('.') && qualifiers.len() == 1;
    let mut by_name: Vec<&(Option<String>, String)> = candidates.iter().collect();
    by_name.sort_by(|a, b| a.1.cmp(&b.1));
    let mut quoted: Vec<String> = by_name
        .into_iter()
        .map(|(q, n)| match q {
            Some(q) if !strip => format!("`{q}`.`{n}`"),
            _ => format!("`{n}`"),
        })
        .collect();
    quoted.dedup();
    quoted.sort_by_key(|c| datafusion::common::utils::datafusion_strsim::levenshtein(c, written));
    quoted.truncate(5);
    quoted
}

/// Spark's UNRESOLVED_COLUMN message, listing the columns that do exist (when any do).
pub fn unresolved_column(name: &str, available: &[String]) -> DriverError {
    if available.is_empty() {
        return DriverError::Analysis(format!(
            "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `{name}` cannot be resolved. SQLSTATE: 42703"
        ));
    }
    DriverError::Analysis(format!(
        "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `{name}` cannot be resolved. Did you mean one of the following? [{}]. SQLSTATE: 42703",
        available.join(", ")
    ))
}

fn strip_prefixes(s: &str) -> String {
    let mut s = s;
    for p in ["External error: ", "Execution error: ", "Arrow error: ", "Internal error: "] {
        while let Some(rest) = s.strip_prefix(p) {
            s = rest;
        }
    }
    s.to_string()
}

fn find_user_error(e: &DataFusionError) -> Option<&UserCodeError> {
    find_external(e, &|x| x.downcast_ref::<UserCodeError>().is_some()).and_then(|x| x.downcast_ref::<UserCodeError>())
}

fn find_driver_error(e: &DataFusionError) -> Option<&DriverError> {
    find_external(e, &|x| x.downcast_ref::<DriverError>().is_some()).and_then(|x| x.downcast_ref::<DriverError>())
}

type DynError = dyn std::error::Error + Send + Sync + 'static;

fn find_external<'a>(e: &'a DataFusionError, pred: &dyn Fn(&DynError) -> bool) -> Option<&'a DynError> {
    match e {
        DataFusionError::External(inner) => {
            if pred(inner.as_ref()) {
                return Some(inner.as_ref());
            }
            inner.downcast_ref::<DataFusionError>().and_then(|d| find_external(d, pred)).or_else(|| {
                inner.downcast_ref::<ember_executor::ExecutorError>().and_then(|x| match x {
                    ember_executor::ExecutorError::Execution(d) => find_external(d, pred),
                    _ => None,
                })
            })
        }
        DataFusionError::Context(_, inner) => find_external(inner, pred),
        DataFusionError::Shared(inner) => find_external(inner, pred),
        DataFusionError::Diagnostic(_, inner) => find_external(inner, pred),
        DataFusionError::ArrowError(inner, _) => match inner.as_ref() {
            ArrowError::ExternalError(x) => {
                if pred(x.as_ref()) {
                    Some(x.as_ref())
                } else {
                    x.downcast_ref::<DataFusionError>().and_then(|d| find_external(d, pred))
                }
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DataFusion's texts (55) and the counts spark-sql 4 printed for the same calls.
    #[test]
    fn wrong_argument_counts_are_spark_wrong_num_args() {
        let zero = "'substring' does not support zero arguments. No function matches the given name and argument types \
                    'substring()'. You might need to add explicit type casts.\n\tCandidate functions:\n\tsubstring(str: String, pos: \
                    Int64)\n\tsubstring(str: String, pos: Int64, length: Int64)\n\tsubstring(str: Binary, pos: Int64)";
        let e = wrong_num_args(zero).unwrap().to_string();
        assert!(
            e.starts_with("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `substring` requires [2, 3] parameters but the actual number is 0.")
        );
        let coerced = "Function 'date_add' user-defined coercion failed with: Error during planning: date_add takes 2 arguments, got 1. \
                       No function matches the given name and argument types 'date_add(Timestamp(µs))'.";
        let e = wrong_num_args(coerced).unwrap().to_string();
        assert!(e.starts_with("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `date_add` requires 2 parameters but the actual number is 1."));
        assert!(wrong_num_args("Function 'f' failed for another reason").is_none());
    }

    #[test]
    fn malformed_casts_are_spark_cast_invalid_input() {
        let e = DriverError::Runtime(cast_invalid_input("Cast error: Cannot cast string 'a' to value of Int32 type").unwrap());
        assert_eq!(e.class(), "NumberFormatException");
        assert!(e.to_string().starts_with(
            "[CAST_INVALID_INPUT] The value 'a' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed. Correct"
        ));
        let d = cast_invalid_input("Cast error: Cannot cast string '2020-13-45' to value of Date32 type").unwrap();
        assert_eq!(DriverError::Runtime(d).class(), "DateTimeException");
        let t =
            cast_invalid_input("Parser error: Error parsing timestamp from 'x': timestamp must contain at least 10 characters").unwrap();
        assert!(t.contains("The value 'x' of the type \"STRING\" cannot be cast to \"TIMESTAMP\""), "{t}");
        assert_eq!(DriverError::Runtime("[DIVIDE_BY_ZERO] Division by zero.".into()).class(), "ArithmeticException");
        assert_eq!(cast_invalid_input("Cast error: something else"), None);
    }
}
