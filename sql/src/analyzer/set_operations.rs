//! `INTERSECT ALL` and `EXCEPT ALL` with Spark's multiset semantics: a row present `l` times on
//! the left and `r` times on the right appears `min(l, r)` times in `INTERSECT ALL` and
//! `max(l - r, 0)` times in `EXCEPT ALL`. DataFusion plans both as a semi/anti join, which keeps
//! every left copy of a row the right side has (or lacks) at all.
//!
//! Each side numbers the copies of its rows (`row_number()` over a partition of all columns),
//! so that the `k`-th copy of a row is a distinct row; the distinct `INTERSECT`/`EXCEPT` of the
//! numbered sides then keeps exactly the copies Spark keeps. The DataFrame API
//! (`intersectAll`, `exceptAll`) builds the plan with [`set_operation_all`]; SQL text marks the
//! right side of each `ALL` operation ([`mark_statement`]) so that [`replace_marked`] can find
//! the join DataFusion planned for it.

use std::ops::ControlFlow;

use datafusion::common::Result as DfResult;
use datafusion::common::tree_node::Transformed;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, JoinType, LogicalPlan, LogicalPlanBuilder};
use datafusion::sql::sqlparser::ast::{Query, SetExpr, SetOperator, SetQuantifier, Statement, VisitorMut};

use crate::analyzer::rewrite::{parse_query, visit};
use crate::error::{Result, SqlError};

/// The alias that marks the right side of an `INTERSECT ALL` / `EXCEPT ALL` in SQL text.
const MARK: &str = "__ember_set_all";
/// The column that numbers the copies of a row.
const COPY: &str = "__ember_copy";

/// `left INTERSECT ALL right` (or `EXCEPT ALL` when `except`), by position, as Spark computes it.
pub fn set_operation_all(left: LogicalPlan, right: LogicalPlan, except: bool) -> DfResult<LogicalPlan> {
    // The result keeps the left side's column names and qualifiers, as the plan above reads them.
    let names: Vec<_> = left.schema().iter().map(|(q, f)| (q.cloned(), f.name().clone())).collect();
    let (left, right) = (numbered(left)?, numbered(right)?);
    let both = if except { LogicalPlanBuilder::except(left, right, false)? } else { LogicalPlanBuilder::intersect(left, right, false)? };
    let columns: Vec<Expr> =
        both.schema().columns().into_iter().zip(names).map(|(c, (q, name))| Expr::Column(c).alias_qualified(q, name)).collect();
    LogicalPlanBuilder::from(both).project(columns)?.build()
}

/// `plan` with a last column numbering the copies of each row from 1.
fn numbered(plan: LogicalPlan) -> DfResult<LogicalPlan> {
    let columns: Vec<Expr> = plan.schema().columns().into_iter().map(Expr::Column).collect();
    let copy = row_number().partition_by(columns).build()?.alias(COPY);
    LogicalPlanBuilder::from(plan).window(vec![copy])?.build()
}

/// Marks the right side of every `INTERSECT ALL` / `EXCEPT ALL` of a statement (it becomes
/// `SELECT * FROM (right) AS __ember_set_all`), for [`replace_marked`] once DataFusion planned it.
pub fn mark_statement(statement: &mut Statement) -> Result<()> {
    visit(statement, &mut Marker)
}

struct Marker;

impl VisitorMut for Marker {
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        match mark(&mut query.body) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }
}

/// Marks the `ALL` operations of one query body; nested queries are marked when visited.
fn mark(body: &mut SetExpr) -> Result<()> {
    let SetExpr::SetOperation { op, set_quantifier, left, right } = body else {
        return Ok(());
    };
    mark(left)?;
    if matches!(op, SetOperator::Intersect | SetOperator::Except | SetOperator::Minus) && *set_quantifier == SetQuantifier::All {
        let wrapped = parse_query(&format!("SELECT * FROM ({right}) AS {MARK}"), "INTERSECT ALL / EXCEPT ALL")?;
        **right = SetExpr::Query(Box::new(wrapped));
        Ok(())
    } else {
        mark(right)
    }
}

/// Replaces the semi (anti) join DataFusion planned for each marked `INTERSECT ALL`
/// (`EXCEPT ALL`) with [`set_operation_all`]; the result has the join's schema.
pub fn replace_marked(plan: LogicalPlan) -> DfResult<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let LogicalPlan::Join(join) = &node else {
            return Ok(Transformed::no(node));
        };
        let except = match join.join_type {
            JoinType::LeftSemi => false,
            JoinType::LeftAnti => true,
            _ => return Ok(Transformed::no(node)),
        };
        if !is_marked(&join.right) {
            return Ok(Transformed::no(node));
        }
        let replaced = set_operation_all(join.left.as_ref().clone(), join.right.as_ref().clone(), except)?;
        Ok(Transformed::yes(replaced))
    })
    .map(|t| t.data)
}

fn is_marked(plan: &LogicalPlan) -> bool {
    match plan {
        LogicalPlan::SubqueryAlias(alias) => alias.alias.table() == MARK,
        LogicalPlan::Projection(p) => is_marked(&p.input),
        _ => false,
    }
}
