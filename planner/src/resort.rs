//! Orderings an exchange cut no longer guarantees, sorted for again.
//!
//! DataFusion plans sorts knowing everything its exchanges keep: a `RepartitionExec` that
//! preserves order, or a column a filter made constant (a window partitioned by `(a, b, y)`
//! over rows where `y = 2000` needs its input sorted by `(a, b)` only). A stage boundary is a
//! [`ShuffleReaderExec`](ember_executor::ShuffleReaderExec) that knows none of that, and an
//! operator above it whose ordering requirement no longer holds would compute wrong answers
//! (or, for windows, refuse to run). Where that happens the operator gets the sort it needs:
//! an existing sort below it is widened to the requirement, otherwise one is added.

use std::sync::Arc;

use datafusion::physical_expr::{LexOrdering, PhysicalSortExpr};
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties};

use crate::error::Result;

/// `plan` with a sort under each child whose ordering requirement the child does not meet.
pub fn resort_unmet_orderings(plan: Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
    let requirements = plan.required_input_ordering();
    let mut changed = false;
    let mut children = Vec::with_capacity(requirements.len());
    for (child, requirement) in plan.children().into_iter().zip(requirements) {
        let child = Arc::clone(child);
        let Some(requirement) = requirement else {
            children.push(child);
            continue;
        };
        let requirement = requirement.into_single();
        if child.equivalence_properties().ordering_satisfy_requirement(requirement.clone())? {
            children.push(child);
            continue;
        }
        let Some(ordering) = LexOrdering::new(requirement.into_iter().map(PhysicalSortExpr::from)) else {
            children.push(child);
            continue;
        };
        let (input, fetch, preserve) = match child.downcast_ref::<SortExec>() {
            Some(sort) => (Arc::clone(sort.input()), sort.fetch(), sort.preserve_partitioning()),
            None => (child, None, true),
        };
        let sort = SortExec::new(ordering, input).with_preserve_partitioning(preserve).with_fetch(fetch);
        children.push(Arc::new(sort));
        changed = true;
    }
    if !changed {
        return Ok(plan);
    }
    #[expect(deprecated)]
    let rebuilt = plan.with_new_children(children)?;
    Ok(rebuilt)
}
