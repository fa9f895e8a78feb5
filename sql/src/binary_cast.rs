//! Spark's refusal of casts to BINARY from anything but strings in ANSI mode (Ember's only
//! mode): `CAST(1 AS BINARY)` is `DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION` (integers cast to
//! bytes with ANSI off), `CAST(1.5 AS BINARY)` `CAST_WITHOUT_SUGGESTION`. Arrow would cast
//! numbers to their text's bytes.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, Result, plan_err};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan};

/// The first cast of `plan` to BINARY that Spark refuses, as its error.
pub fn refuse(plan: &LogicalPlan) -> Result<()> {
    plan.apply_with_subqueries(|node| {
        let schemas: Vec<_> = node.inputs().iter().map(|p| std::sync::Arc::clone(p.schema())).collect();
        node.apply_expressions(|e| refuse_in(e, &schemas).map(|_| TreeNodeRecursion::Continue))
    })
    .map(|_| ())
}

/// The first cast to BINARY in `expr` that Spark refuses, as its error; `schemas` are those of
/// the inputs `expr` reads (a DataFrame's `col.cast("binary")` is checked by itself).
pub fn refuse_in(expr: &Expr, schemas: &[std::sync::Arc<DFSchema>]) -> Result<()> {
    expr.apply(|e| {
        let Expr::Cast(Cast { expr, field }) = e else {
            return Ok(TreeNodeRecursion::Continue);
        };
        if !matches!(field.data_type(), DataType::Binary | DataType::LargeBinary | DataType::BinaryView) {
            return Ok(TreeNodeRecursion::Continue);
        }
        let Some(from) = schemas.iter().find_map(|s| expr.get_type(s).ok()) else {
            return Ok(TreeNodeRecursion::Continue);
        };
        if from.is_null() || matches!(from, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) || from == *field.data_type() {
            return Ok(TreeNodeRecursion::Continue);
        }
        let name = format!("CAST({} AS BINARY)", crate::naming::spark_sql_name(expr));
        let from = crate::types::sql_type(&from);
        if from_integer(&from) {
            return plan_err!(
                "[DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION] Cannot resolve \"{name}\" due to data type mismatch: cannot cast \"{from}\" to \"BINARY\" with ANSI mode on.\nIf you have to cast \"{from}\" to \"BINARY\", you can set \"spark.sql.ansi.enabled\" as 'false'. SQLSTATE: 42K09"
            );
        }
        plan_err!("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"{name}\" due to data type mismatch: cannot cast \"{from}\" to \"BINARY\". SQLSTATE: 42K09")
    })
    .map(|_| ())
}

fn from_integer(sql_type: &str) -> bool {
    matches!(sql_type, "TINYINT" | "SMALLINT" | "INT" | "BIGINT")
}
