//! `date_add(start, days)`, `date_sub(start, days)`, `add_months(start, months)`,
//! `trunc(date, format)`, `next_day(date, day)` and `last_day(date)` with the argument casts
//! Spark applies: a string or timestamp start is
//! read as a date (`date_add('2024-01-31', 2)`, `trunc(ts, 'MM')`), a string count as an int. datafusion-spark computes them but only takes a `date` and an `int`; an integer
//! literal is a `bigint` while DataFusion plans a statement (Ember narrows it to Spark's `int`
//! afterwards), so a wider integer count is narrowed here too and fails when it does not fit.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;

/// Spark's casts in front of a date and a count (`date_add`, `date_sub`, `add_months`).
fn counted(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    casts(name, args, true)
}

/// Spark's casts in front of a date and a format (`trunc`).
fn formatted(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    casts(name, args, false)
}

/// Spark's cast in front of a date alone (`last_day`).
fn dated(name: &str, args: &[DataType]) -> Result<Vec<DataType>> {
    let [start] = args else {
        return plan_err!("{name} takes 1 arguments, got {}", args.len());
    };
    Ok(vec![date_of(name, start)?])
}

/// A date argument: strings and timestamps are read as dates.
fn date_of(name: &str, start: &DataType) -> Result<DataType> {
    match start {
        DataType::Date32
        | DataType::Null
        | DataType::Date64
        | DataType::Timestamp(..)
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View => Ok(DataType::Date32),
        other => plan_err!("{name}: the first argument must be a date, not {other}"),
    }
}

/// `counted`: whether the second argument is a count (an int) rather than a format (a string).
fn casts(name: &str, args: &[DataType], counted: bool) -> Result<Vec<DataType>> {
    let [start, days] = args else {
        return plan_err!("{name} takes 2 arguments, got {}", args.len());
    };
    let start = date_of(name, start)?;
    if !counted {
        return Ok(vec![start, DataType::Utf8]);
    }
    let days = match days {
        DataType::Int8 | DataType::Int16 | DataType::Int32 => days.clone(),
        DataType::Null | DataType::Int64 | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Int32,
        other => return plan_err!("{name}: the second argument must be an int, not {other}"),
    };
    Ok(vec![start, days])
}

static DATE_ADD: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::date_add(), counted));
static DATE_SUB: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::date_sub(), counted));
static ADD_MONTHS: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::add_months(), counted));
static TRUNC: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::trunc(), formatted));
static NEXT_DAY: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::next_day(), formatted));
static LAST_DAY: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| crate::wrapped::with_casts(datafusion_spark::function::datetime::last_day(), dated));

/// Spark's `next_day`.
pub fn next_day() -> Arc<ScalarUDF> {
    Arc::clone(&NEXT_DAY)
}

/// Spark's `weekday` and `monthname` of a date, a timestamp or a date string.
pub fn weekday() -> Arc<ScalarUDF> {
    crate::wrapped::with_casts(datafusion_spark::function::datetime::weekday(), dated)
}

/// Spark's `monthname`, likewise.
pub fn monthname() -> Arc<ScalarUDF> {
    crate::wrapped::with_casts(datafusion_spark::function::datetime::monthname(), dated)
}

/// Spark's `last_day`.
pub fn last_day() -> Arc<ScalarUDF> {
    Arc::clone(&LAST_DAY)
}

/// Spark's `add_months`.
pub fn add_months() -> Arc<ScalarUDF> {
    Arc::clone(&ADD_MONTHS)
}

/// Spark's `trunc` (of a date).
pub fn trunc() -> Arc<ScalarUDF> {
    Arc::clone(&TRUNC)
}

/// Spark's `date_add`.
pub fn date_add() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_ADD)
}

/// Spark's `date_sub`.
pub fn date_sub() -> Arc<ScalarUDF> {
    Arc::clone(&DATE_SUB)
}
