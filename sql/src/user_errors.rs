//! Errors a query raises on purpose: `raise_error(message)` and `assert_true(condition[,
//! message])`, both Spark's `USER_RAISED_EXCEPTION`. Their type is `void` (NULL when
//! `assert_true` holds).
//!
//! `assert_true(c)`'s default message quotes the condition as Spark writes it
//! (`'(1 > 2)' is not true!`), which only the plan knows: [`default_message`] adds it as a
//! second argument when the call is analyzed, and the call keeps the name Spark gives it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, NullArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{Expr, ScalarUDF, lit};

/// The functions of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        crate::udfs::udf("raise_error", &[1], DataType::Null, raise_error),
        crate::udfs::udf("assert_true", &[1, 2], DataType::Null, assert_true),
    ]
}

fn raised(message: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!("[USER_RAISED_EXCEPTION] {message} SQLSTATE: P0001"))
}

fn raise_error(a: &[ArrayRef]) -> Result<ArrayRef> {
    let messages = crate::udfs::strings(&a[0])?;
    if !messages.is_empty() {
        return Err(raised(if messages.is_null(0) { "null" } else { messages.value(0) }));
    }
    Ok(Arc::new(NullArray::new(0)))
}

fn assert_true(a: &[ArrayRef]) -> Result<ArrayRef> {
    let conditions = cast(&a[0], &DataType::Boolean)?;
    let conditions = conditions.as_boolean();
    let messages = a.get(1).map(crate::udfs::strings).transpose()?;
    for i in 0..conditions.len() {
        if conditions.is_null(i) || !conditions.value(i) {
            let message = match &messages {
                Some(m) if !m.is_null(i) => m.value(i).to_string(),
                Some(_) => "null".to_string(),
                None => return exec_err!("assert_true is given its message when analyzed"),
            };
            return Err(raised(&message));
        }
    }
    Ok(Arc::new(NullArray::new(conditions.len())))
}

/// `assert_true(c)` with Spark's default message as its second argument.
pub fn default_message(f: ScalarFunction) -> Expr {
    match f.args.as_slice() {
        [condition] if f.func.name() == "assert_true" => {
            let message = format!("'{}' is not true!", crate::spark_name(condition));
            let args = vec![condition.clone(), lit(message)];
            Expr::ScalarFunction(ScalarFunction::new_udf(f.func, args))
        }
        _ => Expr::ScalarFunction(f),
    }
}
