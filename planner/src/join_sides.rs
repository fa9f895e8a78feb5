//! Which side of a broadcast hash join is built, as Spark chooses it.
//!
//! Both engines build the smaller side of an inner join, but Spark can only broadcast the
//! right side of a left outer, semi or anti join, and streams the left: rows come out in the
//! left side's order. DataFusion may build the left side instead (when it is the smaller), which
//! changes the row order users see. This rule, run right after DataFusion's join selection,
//! swaps such joins so the right side is built, and feeds every build side reversed, because
//! Spark's hash relation returns a key's matching rows newest first.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{JoinType, Result};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};

use crate::reverse::ReverseExec;
use crate::yielding::YieldingJoins;

#[derive(Debug, Default)]
pub struct SparkJoinSides;

impl PhysicalOptimizerRule for SparkJoinSides {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            let Some(join) = node.downcast_ref::<HashJoinExec>() else {
                return Ok(Transformed::no(node));
            };
            if *join.partition_mode() != PartitionMode::CollectLeft {
                return Ok(Transformed::no(node));
            }
            // A null-aware anti join (`NOT IN`) only exists as a left anti join: it stays as it is.
            let builds_left_of_left_join =
                matches!(join.join_type(), JoinType::Left | JoinType::LeftSemi | JoinType::LeftAnti) && !join.null_aware;
            let node = if builds_left_of_left_join { join.swap_inputs(PartitionMode::CollectLeft)? } else { node };
            Ok(Transformed::yes(reverse_build_side(node)?))
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_join_sides"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Feeds the build side of every collect-left hash join below `plan` reversed (see
/// [`ReverseExec`]), so matches come out in Spark's order.
fn reverse_build_side(plan: Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
    plan.transform_down(|node| {
        let Some(join) = node.downcast_ref::<HashJoinExec>() else {
            return Ok(Transformed::no(node));
        };
        if *join.partition_mode() != PartitionMode::CollectLeft || join.left().downcast_ref::<ReverseExec>().is_some() {
            return Ok(Transformed::no(node));
        }
        // A semi or anti join that returns only probe rows never shows the build side's order:
        // reversing it would only copy it.
        if matches!(join.join_type(), JoinType::RightSemi | JoinType::RightAnti) {
            return Ok(Transformed::no(node));
        }
        let reversed: Arc<dyn ExecutionPlan> = Arc::new(ReverseExec::new(Arc::clone(join.left())));
        #[expect(deprecated)]
        let rebuilt = Arc::clone(&node).with_new_children(vec![reversed, Arc::clone(join.right())])?;
        Ok(Transformed::new(rebuilt, true, datafusion::common::tree_node::TreeNodeRecursion::Jump))
    })
    .map(|t| t.data)
}

/// DataFusion's physical optimizer rules with [`SparkJoinSides`] right after join selection
/// (before distribution is enforced, so the swapped join still gets the inputs it needs), and
/// [`YieldingJoins`] once the plan's shape is final (before the sanity check).
pub fn physical_optimizer_rules() -> Vec<Arc<dyn PhysicalOptimizerRule + Send + Sync>> {
    let mut rules = datafusion::physical_optimizer::optimizer::PhysicalOptimizer::new().rules;
    let at = rules.iter().position(|r| r.name() == "join_selection").map_or(0, |i| i + 1);
    rules.insert(at, Arc::new(SparkJoinSides));
    let at = rules.iter().position(|r| r.name() == "SanityCheckPlan").unwrap_or(rules.len());
    rules.insert(at, Arc::new(YieldingJoins));
    rules
}
