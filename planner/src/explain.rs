//! Rendering a stage DAG for `explain()`.

use datafusion::physical_plan::displayable;

use crate::stages::StageDag;

/// The physical plan stage by stage, parents first, so the cuts are visible.
pub fn render_stages(dag: &StageDag) -> String {
    let mut out = String::new();
    for stage in &dag.stages {
        let kind = stage.kind.name();
        let parents = if stage.parents.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = stage.parents.iter().map(|p| p.to_string()).collect();
            format!(", reads stage {}", ids.join(", "))
        };
        out.push_str(&format!("Stage {} ({kind}, {} tasks, writes dataset {}{parents})\n", stage.id, stage.num_tasks(), stage.dataset));
        for line in displayable(stage.plan.as_ref()).indent(false).to_string().lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
