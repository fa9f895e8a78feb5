//! Uncorrelated scalar subqueries run first, as jobs of their own, and their values replace
//! them in the plan — as Spark runs them.
//!
//! DataFusion would evaluate them inside the physical plan, with the subquery's result shared
//! in memory between the operator that runs it and the expressions that read it. Once a plan
//! is cut into stages (and, in a cluster, shipped to other processes) those can end up in
//! different tasks, so Ember settles the values on the driver before the main job is planned.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::error::{DriverError, Result};
use crate::session::Session;

/// The uncorrelated scalar subqueries of `plan` (not those nested inside them).
fn scalar_subqueries(plan: &LogicalPlan) -> Result<Vec<Arc<LogicalPlan>>> {
    let mut found: Vec<Arc<LogicalPlan>> = Vec::new();
    plan.apply(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| {
                if let Expr::ScalarSubquery(sq) = e
                    && sq.outer_ref_columns.is_empty()
                    && !found.contains(&sq.subquery)
                {
                    found.push(Arc::clone(&sq.subquery));
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    })?;
    Ok(found)
}

/// The single value a scalar subquery produced: NULL for no rows, an error for several.
fn single_value(plan: &LogicalPlan, batches: &[RecordBatch]) -> Result<ScalarValue> {
    let field = plan.schema().field(0);
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    match rows {
        0 => Ok(ScalarValue::try_from(field.data_type())?),
        1 => {
            let batch = batches.iter().find(|b| b.num_rows() == 1).ok_or_else(|| DriverError::Runtime("lost a row".into()))?;
            Ok(ScalarValue::try_from_array(batch.column(0), 0)?)
        }
        _ => Err(DriverError::Runtime(ember_sql::scalar_subquery::TOO_MANY_ROWS.into())),
    }
}

/// Runs every uncorrelated scalar subquery of an optimized plan and puts its value in its
/// place. Returns `None` when the plan has none.
pub fn inline_scalar_subqueries<'a>(session: &'a Session, plan: &'a LogicalPlan) -> BoxFuture<'a, Result<Option<LogicalPlan>>> {
    async move {
        let subqueries = scalar_subqueries(plan)?;
        if subqueries.is_empty() {
            return Ok(None);
        }
        let mut values: HashMap<Arc<LogicalPlan>, ScalarValue> = HashMap::new();
        for sq in subqueries {
            // A subquery's own subqueries run first (inside `collect_plan`).
            let batches = session.collect_plan(&sq).await?;
            values.insert(Arc::clone(&sq), single_value(&sq, &batches)?);
        }
        let rewritten = plan.clone().transform_up(|node| {
            // A select list's `(SELECT max(x) FROM t)` keeps its column's name as a value.
            let names = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let name = names.save(&e);
                let inlined = e.transform_up(|e| match e {
                    Expr::ScalarSubquery(sq) => match values.get(&sq.subquery) {
                        Some(value) => Ok(Transformed::yes(Expr::Literal(value.clone(), None))),
                        None => Ok(Transformed::no(Expr::ScalarSubquery(sq))),
                    },
                    other => Ok(Transformed::no(other)),
                })?;
                Ok(inlined.update_data(|e| name.restore(e)))
            })
        })?;
        Ok(Some(rewritten.data))
    }
    .boxed()
}
