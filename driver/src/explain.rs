//! `explain()`: logical plans as Spark's headings name them, and the stage-split physical plan.

use datafusion::logical_expr::LogicalPlan;
use ember_planner::{explain::render_stages, split_into_stages};

use crate::error::Result;
use crate::session::Session;

pub fn explain(session: &Session, plan: &LogicalPlan, extended: bool) -> Result<String> {
    let state = session.ctx().state();
    let physical = session.block_on(session.physical_plan(plan))?;
    let dag = split_into_stages(physical).map_err(|e| crate::error::DriverError::Runtime(e.to_string()))?;
    let mut out = String::new();
    if extended {
        let analyzed = state.analyzer().execute_and_check(plan.clone(), state.config_options(), |_, _| {})?;
        let optimized = state.optimize(plan)?;
        out.push_str("== Parsed Logical Plan ==\n");
        out.push_str(&plan.display_indent().to_string());
        out.push_str("\n\n== Analyzed Logical Plan ==\n");
        out.push_str(&analyzed.display_indent().to_string());
        out.push_str("\n\n== Optimized Logical Plan ==\n");
        out.push_str(&optimized.display_indent().to_string());
        out.push_str("\n\n");
    }
    out.push_str("== Physical Plan ==\n");
    out.push_str(&render_stages(&dag));
    Ok(out)
}
