//! Tasks that can be cancelled: operators that make many rows from few give the thread back.
//!
//! A task stops (its job cancelled, Ctrl-C in `ember-sql`, a lost driver) only when its future
//! next yields. DataFusion's operators yield when their input does, and DataFusion makes only
//! the leaves spend tokio's cooperative budget; a join whose build side is in memory can then
//! produce batch after batch (a cross join: billions of rows) within one poll, and the task can
//! neither be cancelled nor share its thread until the whole join is done. Putting a
//! `CooperativeExec` above every join makes each output batch spend the budget too.

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::coop::CooperativeExec;
use datafusion::physical_plan::joins::{
    CrossJoinExec, HashJoinExec, NestedLoopJoinExec, PiecewiseMergeJoinExec, SortMergeJoinExec, SymmetricHashJoinExec,
};
use datafusion::physical_plan::unnest::UnnestExec;

/// Operators whose output can outgrow their input without bound.
fn multiplies_rows(plan: &Arc<dyn ExecutionPlan>) -> bool {
    plan.downcast_ref::<NestedLoopJoinExec>().is_some()
        || plan.downcast_ref::<CrossJoinExec>().is_some()
        || plan.downcast_ref::<HashJoinExec>().is_some()
        || plan.downcast_ref::<SortMergeJoinExec>().is_some()
        || plan.downcast_ref::<SymmetricHashJoinExec>().is_some()
        || plan.downcast_ref::<PiecewiseMergeJoinExec>().is_some()
        || plan.downcast_ref::<UnnestExec>().is_some()
}

#[derive(Debug, Default)]
pub struct YieldingJoins;

impl PhysicalOptimizerRule for YieldingJoins {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            if multiplies_rows(&node) {
                Ok(Transformed::yes(Arc::new(CooperativeExec::new(node)) as Arc<dyn ExecutionPlan>))
            } else {
                Ok(Transformed::no(node))
            }
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "ember_yielding_joins"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::physical_plan::empty::EmptyExec;

    #[test]
    fn joins_are_wrapped_and_scans_are_not() {
        let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int64, false)]));
        let scan: Arc<dyn ExecutionPlan> = Arc::new(EmptyExec::new(Arc::clone(&schema)));
        let rule = YieldingJoins;
        let unchanged = rule.optimize(Arc::clone(&scan), &ConfigOptions::default()).unwrap();
        assert!(unchanged.downcast_ref::<EmptyExec>().is_some());
        let join: Arc<dyn ExecutionPlan> = Arc::new(CrossJoinExec::new(Arc::clone(&scan), scan));
        let wrapped = rule.optimize(join, &ConfigOptions::default()).unwrap();
        assert!(wrapped.downcast_ref::<CooperativeExec>().is_some());
        assert!(wrapped.children()[0].downcast_ref::<CrossJoinExec>().is_some());
    }
}
