//! `IN`, `NOT IN` and `EXISTS` subqueries where a value is wanted rather than a row filter: a
//! select list (`SELECT id, dept IN (SELECT ...)`), a `CASE` branch. DataFusion decorrelates
//! predicate subqueries only inside filters; in a projection they reach the physical planner,
//! which refuses them.
//!
//! Spark answers these with an existence join, whose value is what a `WHERE` would decide for
//! the row, never NULL:
//!
//! - `x IN (q)` is true when some row of `q` equals `x` for certain (a NULL on either side is
//!   false);
//! - `x NOT IN (q)` is true when every row of `q` differs from `x` for certain: false when `x`
//!   is NULL and `q` has rows, or `q` holds a NULL;
//! - `[NOT] EXISTS (q)` is whether `q` has rows.
//!
//! Each subquery becomes a mark join below the projection (DataFusion's own decorrelation,
//! given the expression as a filter would hold it), and the expression reads the mark.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Column, Result, plan_err};
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::utils::{conjunction, split_conjunction_owned};
use datafusion::logical_expr::{Expr, Filter, LogicalPlan, LogicalPlanBuilder, Projection, Subquery, exists, in_subquery, not};
use datafusion::optimizer::decorrelate_predicate_subquery::DecorrelatePredicateSubquery;
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The optimizer rule; it runs before DataFusion's decorrelation of filters.
#[derive(Debug, Default)]
pub struct SelectListSubqueries;

impl OptimizerRule for SelectListSubqueries {
    fn name(&self) -> &str {
        "ember_select_list_subqueries"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::TopDown)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        match plan {
            LogicalPlan::Projection(projection) => rewrite_projection(projection, config),
            LogicalPlan::Filter(filter) => rewrite_filter(filter),
            other => Ok(Transformed::no(other)),
        }
    }
}

/// A filter's `NOT IN` inside a larger condition (`a = 1 OR x NOT IN (q)`), which DataFusion
/// would answer by a plain mark (TRUE for a NULL `x`), spelled with Spark's value. A conjunct
/// that is the subquery alone is DataFusion's (a null-aware anti join).
fn rewrite_filter(filter: Filter) -> Result<Transformed<LogicalPlan>> {
    let conjuncts = split_conjunction_owned(filter.predicate.clone());
    if !conjuncts.iter().any(|c| !is_whole_predicate(c) && has_not_in(c)) {
        return Ok(Transformed::no(LogicalPlan::Filter(filter)));
    }
    let conjuncts =
        conjuncts.into_iter().map(|c| if is_whole_predicate(&c) { Ok(c) } else { spark_semantics(c) }).collect::<Result<Vec<_>>>()?;
    let Some(predicate) = conjunction(conjuncts) else {
        return Ok(Transformed::no(LogicalPlan::Filter(filter)));
    };
    Filter::try_new(predicate, filter.input).map(|f| Transformed::yes(LogicalPlan::Filter(f)))
}

/// A conjunct DataFusion turns into a semi or anti join.
fn is_whole_predicate(e: &Expr) -> bool {
    match e {
        Expr::Not(inner) => matches!(inner.as_ref(), Expr::InSubquery(_) | Expr::Exists(_)),
        other => matches!(other, Expr::InSubquery(_) | Expr::Exists(_)),
    }
}

fn has_not_in(e: &Expr) -> bool {
    let mut found = false;
    let _ = e.apply(|e| {
        found = match e {
            Expr::InSubquery(InSubquery { negated, .. }) => *negated,
            Expr::Not(inner) => matches!(inner.as_ref(), Expr::InSubquery(_)),
            _ => false,
        };
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found
}

/// A projection whose expressions read subqueries, over the existence joins that answer them.
fn rewrite_projection(projection: Projection, config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
    if !projection.expr.iter().any(has_predicate_subquery) {
        return Ok(Transformed::no(LogicalPlan::Projection(projection)));
    }
    let original = projection.clone();
    let mut input = Arc::unwrap_or_clone(projection.input);
    let mut exprs = Vec::with_capacity(projection.expr.len());
    for e in projection.expr {
        if !has_predicate_subquery(&e) {
            exprs.push(e);
            continue;
        }
        let name = e.name_for_alias()?;
        let Some((joined, value)) = existence_joins(input, spark_semantics(e)?, config)? else {
            // A subquery DataFusion cannot decorrelate: left for its planner to refuse.
            return Ok(Transformed::no(LogicalPlan::Projection(original)));
        };
        input = joined;
        exprs.push(value.alias_if_changed(name)?);
    }
    Projection::try_new(exprs, Arc::new(input)).map(|p| Transformed::yes(LogicalPlan::Projection(p)))
}

fn has_predicate_subquery(e: &Expr) -> bool {
    let mut found = false;
    let _ = e.apply(|e| {
        found = matches!(e, Expr::InSubquery(_) | Expr::Exists(_));
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found
}

/// `e` with every `NOT IN` (also written `NOT (x IN q)`) spelled by positive subqueries, whose
/// marks have Spark's values.
fn spark_semantics(e: Expr) -> Result<Expr> {
    // Spark removes double negations first: `NOT (x NOT IN q)` is `x IN q`.
    let e = e
        .transform_down(|e| match e {
            Expr::Not(inner) => match *inner {
                Expr::InSubquery(InSubquery { expr, subquery, negated: true }) => {
                    Ok(Transformed::yes(Expr::InSubquery(InSubquery { expr, subquery, negated: false })))
                }
                Expr::Not(twice) => Ok(Transformed::yes(*twice)),
                other => Ok(Transformed::no(not(other))),
            },
            other => Ok(Transformed::no(other)),
        })?
        .data;
    e.transform_up(|e| match e {
        Expr::Not(inner) => match *inner {
            Expr::InSubquery(InSubquery { expr, subquery, negated: false }) => Ok(Transformed::yes(not_in(*expr, subquery)?)),
            other => Ok(Transformed::no(not(other))),
        },
        Expr::InSubquery(InSubquery { expr, subquery, negated: true }) => Ok(Transformed::yes(not_in(*expr, subquery)?)),
        Expr::Exists(Exists { subquery, negated: true }) => Ok(Transformed::yes(not(Expr::Exists(Exists { subquery, negated: false })))),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// `x NOT IN q` by positive subqueries: `(x IN q) IS FALSE AND NOT (x IS NULL AND EXISTS q) AND
/// NOT EXISTS (q WHERE c IS NULL)` (`IS FALSE`, so that the rule does not meet a `NOT IN` again).
fn not_in(expr: Expr, subquery: Subquery) -> Result<Expr> {
    // The subquery's output column, as the filter above it reads it.
    let schema = subquery.subquery.schema();
    if schema.fields().is_empty() {
        return plan_err!("an IN subquery must return a column");
    }
    let column = Expr::Column(Column::from(schema.qualified_field(0)));
    let rows = Arc::clone(&subquery.subquery);
    let nulls = LogicalPlanBuilder::from(Arc::unwrap_or_clone(Arc::clone(&rows))).filter(column.is_null())?.build()?;
    let matched = in_subquery(expr.clone(), Arc::clone(&rows)).is_false();
    let null_probe = not(expr.is_null().and(exists(rows)));
    Ok(matched.and(null_probe).and(not(exists(Arc::new(nulls)))))
}

/// `input` joined to the mark of every subquery in `value`, and `value` reading the marks; `None`
/// when some subquery could not be decorrelated.
fn existence_joins(input: LogicalPlan, value: Expr, config: &dyn OptimizerConfig) -> Result<Option<(LogicalPlan, Expr)>> {
    // Held by a filter as a non-predicate (`IS NOT NULL`), each subquery becomes a mark join.
    let filter = LogicalPlan::Filter(Filter::try_new(value.is_not_null(), Arc::new(input))?);
    let rewritten = DecorrelatePredicateSubquery::new().rewrite(filter, config)?.data;
    let rewritten = match rewritten {
        LogicalPlan::Projection(p) => Arc::unwrap_or_clone(p.input),
        other => other,
    };
    let LogicalPlan::Filter(Filter { predicate: Expr::IsNotNull(value), input, .. }) = rewritten else {
        return Ok(None);
    };
    if has_predicate_subquery(&value) {
        return Ok(None);
    }
    Ok(Some((Arc::unwrap_or_clone(input), *value)))
}

/// The rule list of DataFusion's optimizer with Ember's rules placed where they must run.
pub fn optimizer_rules() -> Vec<Arc<dyn OptimizerRule + Send + Sync>> {
    let mut rules = datafusion::optimizer::Optimizer::new().rules;
    let at = rules.iter().position(|r| r.name() == "decorrelate_predicate_subquery").unwrap_or(0);
    rules.insert(at, Arc::new(SelectListSubqueries));
    rules.insert(0, Arc::new(crate::shift_default::ShiftDefaults));
    rules.insert(0, Arc::new(crate::datetime_cast::DatetimeCasts));
    for rule in rules.iter_mut() {
        if rule.name() == "eliminate_duplicated_expr" {
            *rule = Arc::new(crate::sort_keys::RepeatedSortKeys);
        }
    }
    rules
}

/// The outer columns a subquery reads, as Spark lists them in its name (`exists(dept)`).
pub fn outer_references(subquery: &Subquery) -> Vec<String> {
    subquery
        .outer_ref_columns
        .iter()
        .map(|e| match e {
            Expr::OuterReferenceColumn(_, c) => c.name.clone(),
            other => other.schema_name().to_string(),
        })
        .collect()
}
