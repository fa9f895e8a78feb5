//! Repeated sort keys dropped, and nothing else.
//!
//! DataFusion's `eliminate_duplicated_expr` also drops the sort keys that its functional
//! dependencies say the keys before them determine. Those dependencies can be wrong: in
//! DataFusion 55, `ORDER BY a.p, b.r` over `GROUP BY a.p, b.r` of `a CROSS JOIN b LEFT JOIN s`
//! lost `b.r`, and a lost sort key is a wrong row order. This rule takes its place: a sort keeps
//! every key but the repeated ones; everything else is DataFusion's rule's.

use datafusion::common::Result;
use datafusion::common::tree_node::Transformed;
use datafusion::logical_expr::{LogicalPlan, Sort, SortExpr};
use datafusion::optimizer::eliminate_duplicated_expr::EliminateDuplicatedExpr;
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The rule, in the place of DataFusion's `eliminate_duplicated_expr`.
#[derive(Debug, Default)]
pub struct RepeatedSortKeys;

impl OptimizerRule for RepeatedSortKeys {
    fn name(&self) -> &str {
        "ember_repeated_sort_keys"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::TopDown)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Sort(sort) = plan else {
            return EliminateDuplicatedExpr::new().rewrite(plan, config);
        };
        // The first of the keys on one expression decides; the others cannot change the order.
        let mut kept: Vec<SortExpr> = Vec::with_capacity(sort.expr.len());
        for key in &sort.expr {
            if !kept.iter().any(|k| k.expr == key.expr) {
                kept.push(key.clone());
            }
        }
        if kept.len() == sort.expr.len() {
            return Ok(Transformed::no(LogicalPlan::Sort(sort)));
        }
        Ok(Transformed::yes(LogicalPlan::Sort(Sort { expr: kept, input: sort.input, fetch: sort.fetch })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{LogicalPlanBuilder, col, lit};
    use datafusion::optimizer::OptimizerContext;

    #[test]
    fn it_stands_in_for_datafusions_rule() {
        let names: Vec<String> = crate::select_subquery::optimizer_rules().iter().map(|r| r.name().to_string()).collect();
        assert!(names.iter().any(|n| n == "ember_repeated_sort_keys"));
        assert!(!names.iter().any(|n| n == "eliminate_duplicated_expr"));
    }

    #[test]
    fn only_repeated_keys_go() {
        let plan = LogicalPlanBuilder::empty(true)
            .project(vec![lit(1).alias("a"), lit(2).alias("b")])
            .and_then(|b| b.sort(vec![col("a").sort(true, true), col("b").sort(true, true), col("a").sort(false, false)]))
            .and_then(LogicalPlanBuilder::build)
            .unwrap();
        let out = RepeatedSortKeys.rewrite(plan, &OptimizerContext::new()).unwrap().data;
        let LogicalPlan::Sort(sort) = out else { unreachable!() };
        assert_eq!(sort.expr, vec![col("a").sort(true, true), col("b").sort(true, true)]);
    }
}
