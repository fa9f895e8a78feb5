//! Order-sensitive aggregates see the order of a sorted input, as Spark's do.
//!
//! `string_agg(x, ',')` over `(SELECT ... ORDER BY y)`, or `df.orderBy("y").groupBy("k")
//! .agg(...)`, aggregates in `y` order in Spark, which aggregates rows in the order its sorted
//! input delivers them. DataFusion's physical optimizer drops a sort no operator above it
//! requires, so the order is stated where it matters: an order-sensitive aggregate of
//! DataFusion's (`array_agg`, `first_value`, `last_value`, `string_agg`) without an ORDER BY of
//! its own takes the sort keys of the input it reads, when the nodes between keep those
//! columns. (`collect_list`, from datafusion-spark, does not take an ordering yet.)

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Aggregate, Expr, LogicalPlan, SortExpr};

/// The aggregates whose result depends on the order of their input rows.
const ORDER_SENSITIVE: &[&str] = &["array_agg", "first_value", "last_value", "string_agg"];

/// Gives the order-sensitive aggregates of every `Aggregate` of `plan` the order of its input
/// (a planned SQL query).
pub fn aggregates_in_input_order(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| match node {
        LogicalPlan::Aggregate(aggregate) => ordered(aggregate),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// The same for `plan`'s top node only (a DataFrame's new aggregation: what is below it was
/// given its order when it was built).
pub fn aggregate_in_input_order(plan: LogicalPlan) -> Result<LogicalPlan> {
    match plan {
        LogicalPlan::Aggregate(aggregate) => ordered(aggregate).map(|t| t.data),
        other => Ok(other),
    }
}

fn ordered(aggregate: Aggregate) -> Result<Transformed<LogicalPlan>> {
    let Some(keys) = input_order(&aggregate.input) else {
        return Ok(Transformed::no(LogicalPlan::Aggregate(aggregate)));
    };
    let mut changed = false;
    let aggr_expr: Vec<Expr> = aggregate
        .aggr_expr
        .iter()
        .map(|e| {
            let (inner, alias) = match e {
                Expr::Alias(a) => (a.expr.as_ref(), Some(a.name.clone())),
                other => (other, None),
            };
            match inner {
                Expr::AggregateFunction(AggregateFunction { func, params })
                    if params.order_by.is_empty() && ORDER_SENSITIVE.contains(&func.name()) =>
                {
                    changed = true;
                    let mut f = AggregateFunction { func: func.clone(), params: params.clone() };
                    f.params.order_by = keys.clone();
                    // The aggregate keeps the name the plan above it reads.
                    let name = alias.unwrap_or_else(|| e.schema_name().to_string());
                    Expr::AggregateFunction(f).alias(name)
                }
                _ => e.clone(),
            }
        })
        .collect();
    if !changed {
        return Ok(Transformed::no(LogicalPlan::Aggregate(aggregate)));
    }
    let rebuilt = Aggregate::try_new(aggregate.input, aggregate.group_expr, aggr_expr)?;
    Ok(Transformed::yes(LogicalPlan::Aggregate(rebuilt)))
}

/// The sort keys of the rows `plan` delivers, as columns of its output: a `Sort` of columns
/// under projections, aliases and filters that pass those columns through.
fn input_order(plan: &LogicalPlan) -> Option<Vec<SortExpr>> {
    match plan {
        LogicalPlan::Sort(sort) if sort.fetch.is_none() => sort
            .expr
            .iter()
            .map(|s| match &s.expr {
                Expr::Column(_) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        LogicalPlan::Filter(f) => input_order(&f.input),
        LogicalPlan::SubqueryAlias(a) => {
            let keys = input_order(&a.input)?;
            keys.into_iter().map(|k| requalified(k, |c| Some(Column::new(Some(a.alias.clone()), c.name.clone())))).collect()
        }
        LogicalPlan::Projection(p) => {
            let keys = input_order(&p.input)?;
            keys.into_iter()
                .map(|k| {
                    requalified(k, |c| {
                        p.expr.iter().zip(p.schema.columns()).find_map(|(e, out)| match e {
                            Expr::Column(col) if col == c => Some(out),
                            Expr::Alias(a) if matches!(a.expr.as_ref(), Expr::Column(col) if col == c) => Some(out),
                            _ => None,
                        })
                    })
                })
                .collect()
        }
        _ => None,
    }
}

fn requalified(key: SortExpr, map: impl Fn(&Column) -> Option<Column>) -> Option<SortExpr> {
    match &key.expr {
        Expr::Column(c) => Some(SortExpr { expr: Expr::Column(map(c)?), ..key }),
        _ => None,
    }
}
