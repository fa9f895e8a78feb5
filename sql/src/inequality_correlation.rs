//! Aggregated scalar subqueries correlated by more than equalities (`(SELECT count(*) FROM
//! sales x WHERE x.emp_id = s.emp_id AND x.sale_id < s.sale_id)`), which Spark 4 runs and
//! DataFusion leaves unplanned (it pulls only equalities above an aggregate).
//!
//! As Spark decorrelates them, the subquery is evaluated once per distinct combination of the
//! outer values it reads (their *domain*): the domain is left-joined to the subquery's input on
//! the correlated condition and aggregated per domain row. What remains correlated is equality
//! with the domain's columns, which DataFusion decorrelates. A marker column on the joined side
//! tells the rows a domain value matched from the one NULL row the left join adds, and every
//! aggregate counts only matched rows, so `count(*)` over no rows is 0 and `sum` NULL, as Spark
//! answers.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams};
use datafusion::logical_expr::utils::{conjunction, split_conjunction};
use datafusion::logical_expr::{
    Aggregate, BinaryExpr, Expr, JoinType, LogicalPlan, LogicalPlanBuilder, Operator, Projection, Subquery, col, lit,
};

const DOMAIN: &str = "__ember_domain";
const MATCHED: &str = "__ember_matched";

/// Rewrites every such subquery of `plan`, at any depth.
pub fn decorrelate(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let outer = match &node {
            LogicalPlan::Projection(p) => Arc::clone(&p.input),
            LogicalPlan::Filter(f) => Arc::clone(&f.input),
            _ => return Ok(Transformed::no(node)),
        };
        node.map_expressions(|e| {
            e.transform_up(|e| match e {
                Expr::ScalarSubquery(subquery) => match domain_form(&subquery, &outer)? {
                    Some(plan) => Ok(Transformed::yes(Expr::ScalarSubquery(Subquery { subquery: Arc::new(plan), ..subquery }))),
                    None => Ok(Transformed::no(Expr::ScalarSubquery(subquery))),
                },
                other => Ok(Transformed::no(other)),
            })
        })
    })
    .map(|t| t.data)
}

/// The outer columns an expression reads.
fn outer_columns(e: &Expr) -> Vec<(Column, Expr)> {
    let mut found: Vec<(Column, Expr)> = Vec::new();
    let _ = e.apply(|e| {
        if let Expr::OuterReferenceColumn(_, c) = e
            && !found.iter().any(|(seen, _)| seen == c)
        {
            found.push((c.clone(), e.clone()));
        }
        Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
    });
    found
}

/// `inner = outer` (either way round): the correlation DataFusion decorrelates itself.
fn is_equi_correlation(e: &Expr) -> bool {
    let Expr::BinaryExpr(BinaryExpr { left, op: Operator::Eq, right }) = e else {
        return false;
    };
    let outer_only = |e: &Expr| !outer_columns(e).is_empty() && e.column_refs().is_empty();
    let inner_only = |e: &Expr| outer_columns(e).is_empty();
    (outer_only(left) && inner_only(right)) || (inner_only(left) && outer_only(right))
}

/// The subquery's plan in domain form, if it is an aggregate over a filter correlated by more
/// than equalities, reading only outer columns of `outer`.
fn domain_form(subquery: &Subquery, outer: &Arc<LogicalPlan>) -> Result<Option<LogicalPlan>> {
    // Projections over the aggregate are kept as they are.
    let mut projections: Vec<&Projection> = Vec::new();
    let mut node = subquery.subquery.as_ref();
    while let LogicalPlan::Projection(p) = node {
        projections.push(p);
        node = p.input.as_ref();
    }
    let LogicalPlan::Aggregate(aggregate) = node else {
        return Ok(None);
    };
    let LogicalPlan::Filter(filter) = aggregate.input.as_ref() else {
        return Ok(None);
    };
    if !aggregate.group_expr.is_empty() || aggregate.aggr_expr.iter().any(|e| !outer_columns(e).is_empty()) {
        return Ok(None);
    }
    let (correlated, local): (Vec<&Expr>, Vec<&Expr>) =
        split_conjunction(&filter.predicate).into_iter().partition(|c| !outer_columns(c).is_empty());
    if correlated.iter().all(|c| is_equi_correlation(c)) || has_outer_references(&filter.input) {
        return Ok(None);
    }
    let read = outer_columns(&filter.predicate);
    if read.iter().any(|(c, _)| !outer.schema().has_column(c)) {
        return Ok(None);
    }
    let domain_column = |i: usize| col(Column::new(Some(DOMAIN), format!("__d{i}")));
    let domain = LogicalPlanBuilder::from(Arc::unwrap_or_clone(Arc::clone(outer)))
        .project(read.iter().enumerate().map(|(i, (c, _))| Expr::Column(c.clone()).alias(format!("__d{i}"))))?
        .distinct()?
        .alias(DOMAIN)?
        .build()?;
    let mut input = LogicalPlanBuilder::from(Arc::unwrap_or_clone(Arc::clone(&filter.input)));
    if let Some(local) = conjunction(local.into_iter().cloned()) {
        input = input.filter(local)?;
    }
    let columns: Vec<Expr> = input.schema().columns().into_iter().map(Expr::Column).collect();
    let input = input.project(columns.into_iter().chain([lit(true).alias(MATCHED)]))?.build()?;
    let on = correlated.into_iter().map(|c| {
        c.clone()
            .transform(|e| match &e {
                Expr::OuterReferenceColumn(_, c) => {
                    let i = read.iter().position(|(r, _)| r == c).unwrap_or_default();
                    Ok(Transformed::yes(domain_column(i)))
                }
                _ => Ok(Transformed::no(e)),
            })
            .map(|t| t.data)
    });
    let on = on.collect::<Result<Vec<_>>>()?;
    let same_domain = read.iter().enumerate().map(|(i, (_, outer_ref))| domain_column(i).eq(outer_ref.clone()));
    let joined = LogicalPlanBuilder::from(domain)
        .join_on(input, JoinType::Left, on)?
        .filter(conjunction(same_domain).unwrap_or(lit(true)))?
        .build()?;
    let matched = col(MATCHED).is_not_null();
    let aggregates = aggregate
        .aggr_expr
        .iter()
        .zip(aggregate.schema.fields())
        .map(|(e, field)| only_matched(e, &matched).map(|e| e.alias(field.name())))
        .collect::<Result<Vec<_>>>()?;
    let mut plan = LogicalPlan::Aggregate(Aggregate::try_new(Arc::new(joined), vec![], aggregates)?);
    for p in projections.into_iter().rev() {
        plan = LogicalPlan::Projection(Projection::try_new(p.expr.clone(), Arc::new(plan))?);
    }
    Ok(Some(plan))
}

/// Whether a plan reads outer columns anywhere (a nested correlation is left alone).
fn has_outer_references(plan: &LogicalPlan) -> bool {
    plan.exists(|node| Ok(node.expressions().iter().any(|e| !outer_columns(e).is_empty()))).unwrap_or(true)
}

/// The aggregate over matched rows only (unnamed: the caller names it as before).
fn only_matched(e: &Expr, matched: &Expr) -> Result<Expr> {
    let inner = match e {
        Expr::Alias(a) => a.expr.as_ref(),
        other => other,
    };
    let Expr::AggregateFunction(AggregateFunction { func, params }) = inner else {
        return Ok(inner.clone());
    };
    let filter = match &params.filter {
        Some(f) => f.as_ref().clone().and(matched.clone()),
        None => matched.clone(),
    };
    let params = AggregateFunctionParams { filter: Some(Box::new(filter)), ..params.clone() };
    Ok(Expr::AggregateFunction(AggregateFunction { func: Arc::clone(func), params }))
}
