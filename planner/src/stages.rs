//! Cutting a physical plan into stages.

use std::sync::Arc;

use datafusion::physical_expr::Partitioning;
use datafusion::physical_plan::coalesce_partitions::CoalescePartitionsExec;
use datafusion::physical_plan::joins::{HashJoinExec, NestedLoopJoinExec, PartitionMode};
use datafusion::physical_plan::repartition::RepartitionExec;
use datafusion::physical_plan::sorts::sort_preserving_merge::SortPreservingMergeExec;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties};
use ember_executor::{DatasetId, OutputSpec, ReadMode, ShuffleLayout, ShuffleReaderExec};

use crate::error::Result;

/// Why a stage boundary exists; shown by `explain` and reported in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeKind {
    /// Rows are redistributed by hash of keys (or round-robin) across `n` partitions.
    Shuffle,
    /// All partitions are gathered into one (global sort merge, final aggregate, limit).
    Gather,
    /// Every task of the consuming stage reads the whole output (build side of a join).
    Broadcast,
    /// The job's result, fetched by the driver.
    Result,
}

impl ExchangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ExchangeKind::Shuffle => "shuffle",
            ExchangeKind::Gather => "gather",
            ExchangeKind::Broadcast => "broadcast",
            ExchangeKind::Result => "result",
        }
    }

    /// The kind named by [`ExchangeKind::name`] (metrics from another process).
    pub fn from_name(name: &str) -> Self {
        match name {
            "shuffle" => ExchangeKind::Shuffle,
            "gather" => ExchangeKind::Gather,
            "broadcast" => ExchangeKind::Broadcast,
            _ => ExchangeKind::Result,
        }
    }
}

/// One stage: a plan fragment run once per partition.
#[derive(Debug, Clone)]
pub struct Stage {
    pub id: usize,
    pub plan: Arc<dyn ExecutionPlan>,
    pub output: OutputSpec,
    pub dataset: DatasetId,
    /// Stages whose output this stage reads; they must finish first.
    pub parents: Vec<usize>,
    pub kind: ExchangeKind,
}

impl Stage {
    pub fn num_tasks(&self) -> usize {
        self.plan.output_partitioning().partition_count()
    }
}

/// Stages in an order where every parent comes before its children; the last is the result.
#[derive(Debug, Clone)]
pub struct StageDag {
    pub stages: Vec<Stage>,
}

impl StageDag {
    pub fn result_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }
}

/// Splits `plan` into a stage DAG. The result stage's tasks write pass-through output that the
/// driver reads partition by partition in order.
pub fn split_into_stages(plan: Arc<dyn ExecutionPlan>) -> Result<StageDag> {
    split_into_stages_with(plan, None)
}

/// Like [`split_into_stages`], with hash exchanges laid out in Spark's logical partitions (so
/// rows come back in Spark's order) when `layout` is given.
pub fn split_into_stages_with(plan: Arc<dyn ExecutionPlan>, layout: Option<ShuffleLayout>) -> Result<StageDag> {
    let mut cutter = Cutter { stages: Vec::new(), layout };
    let (root, parents) = cutter.cut(plan)?;
    cutter.push(root, OutputSpec::PassThrough, parents, ExchangeKind::Result);
    Ok(StageDag { stages: cutter.stages })
}

struct Cutter {
    stages: Vec<Stage>,
    layout: Option<ShuffleLayout>,
}

impl Cutter {
    fn push(&mut self, plan: Arc<dyn ExecutionPlan>, output: OutputSpec, parents: Vec<usize>, kind: ExchangeKind) -> (usize, DatasetId) {
        let id = self.stages.len();
        let dataset = DatasetId::next();
        self.stages.push(Stage { id, plan, output, dataset, parents, kind });
        (id, dataset)
    }

    /// Rewrites `plan` with its exchanges replaced by readers, returning the stages it reads.
    fn cut(&mut self, plan: Arc<dyn ExecutionPlan>) -> Result<(Arc<dyn ExecutionPlan>, Vec<usize>)> {
        if let Some(repartition) = plan.downcast_ref::<RepartitionExec>() {
            let partitioning = repartition.partitioning().clone();
            let (child, parents) = self.cut(Arc::clone(repartition.input()))?;
            let num_maps = child.output_partitioning().partition_count();
            let schema = child.schema();
            let (output, mode) = match (&partitioning, self.layout) {
                (Partitioning::Hash(keys, n), Some(layout)) => {
                    // Spark's partition count, unless this exchange asked for another width
                    // (an explicit `repartition(n, cols)`).
                    let logical = if *n == layout.default_width { layout.logical_partitions.max(1) } else { *n };
                    (OutputSpec::SparkHash { keys: keys.clone(), logical }, ReadMode::SparkHash { num_maps, logical })
                }
                (Partitioning::Hash(keys, n), None) => {
                    (OutputSpec::SparkHash { keys: keys.clone(), logical: *n }, ReadMode::SparkHash { num_maps, logical: *n })
                }
                _ => (OutputSpec::Repartition(partitioning.clone()), ReadMode::Reduce { num_maps }),
            };
            let (stage, dataset) = self.push(child, output, parents, ExchangeKind::Shuffle);
            let reader = ShuffleReaderExec::new(dataset, mode, schema, partitioning);
            return Ok((Arc::new(reader), vec![stage]));
        }
        if let Some(coalesce) = plan.downcast_ref::<CoalescePartitionsExec>() {
            let (child, parents) = self.cut(Arc::clone(coalesce.input()))?;
            let fetch = coalesce.fetch();
            let gathered = self.gather(child, parents, ExchangeKind::Gather);
            return Ok(match fetch {
                // A coalesce with a fetch also limits; keep that on top of the one partition.
                Some(n) => (Arc::new(CoalescePartitionsExec::new(gathered.0).with_fetch(Some(n))), gathered.1),
                None => gathered,
            });
        }
        if let Some(merge) = plan.downcast_ref::<SortPreservingMergeExec>() {
            let (child, parents) = self.cut(Arc::clone(merge.input()))?;
            let num_maps = child.output_partitioning().partition_count();
            let schema = child.schema();
            let (stage, dataset) = self.push(child, OutputSpec::PassThrough, parents, ExchangeKind::Gather);
            let reader = Arc::new(ShuffleReaderExec::new(dataset, ReadMode::PerMap, schema, Partitioning::UnknownPartitioning(num_maps)));
            let merged = SortPreservingMergeExec::new(merge.expr().clone(), reader).with_fetch(merge.fetch());
            return Ok((Arc::new(merged), vec![stage]));
        }
        let broadcast_child = broadcast_child_index(&plan);
        let mut parents = Vec::new();
        let mut children = Vec::new();
        for (i, child) in plan.children().into_iter().enumerate() {
            let child = Arc::clone(child);
            if Some(i) == broadcast_child {
                // A build side under a plain coalesce is broadcast: every task reads it whole.
                let inner = match child.downcast_ref::<CoalescePartitionsExec>() {
                    Some(c) if c.fetch().is_none() => Arc::clone(c.input()),
                    _ => Arc::clone(&child),
                };
                if inner.output_partitioning().partition_count() > 1 {
                    let (inner, inner_parents) = self.cut(inner)?;
                    let (reader, stage) = self.gather(inner, inner_parents, ExchangeKind::Broadcast);
                    parents.extend(stage);
                    children.push(reader);
                    continue;
                }
            }
            {
                let (new_child, child_parents) = self.cut(child)?;
                parents.extend(child_parents);
                children.push(new_child);
            }
        }
        if children.is_empty() {
            return Ok((plan, parents));
        }
        #[expect(deprecated)]
        let rebuilt = Arc::clone(&plan).with_new_children(children)?;
        Ok((crate::resort::resort_unmet_orderings(rebuilt)?, parents))
    }

    /// Makes `child` a stage whose whole output one task reads.
    fn gather(&mut self, child: Arc<dyn ExecutionPlan>, parents: Vec<usize>, kind: ExchangeKind) -> (Arc<dyn ExecutionPlan>, Vec<usize>) {
        let num_maps = child.output_partitioning().partition_count();
        let schema = child.schema();
        let (stage, dataset) = self.push(child, OutputSpec::PassThrough, parents, kind);
        let mode = if kind == ExchangeKind::Broadcast { ReadMode::Broadcast { num_maps } } else { ReadMode::All { num_maps } };
        let reader = ShuffleReaderExec::new(dataset, mode, schema, Partitioning::UnknownPartitioning(1));
        (Arc::new(reader), vec![stage])
    }
}

/// The child a join collects whole (its build side), if the join is a broadcast join.
fn broadcast_child_index(plan: &Arc<dyn ExecutionPlan>) -> Option<usize> {
    if let Some(join) = plan.downcast_ref::<HashJoinExec>() {
        return (*join.partition_mode() == PartitionMode::CollectLeft).then_some(0);
    }
    if plan.downcast_ref::<NestedLoopJoinExec>().is_some() {
        return Some(0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::physical_expr::expressions::col;
    use datafusion::physical_plan::empty::EmptyExec;

    fn leaf(partitions: usize) -> Arc<dyn ExecutionPlan> {
        let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int64, true)]));
        Arc::new(EmptyExec::new(schema).with_partitions(partitions))
    }

    #[test]
    fn repartition_and_coalesce_become_stages() {
        let input = leaf(2);
        let key = col("a", &input.schema()).unwrap();
        let hashed: Arc<dyn ExecutionPlan> = Arc::new(RepartitionExec::try_new(input, Partitioning::Hash(vec![key], 3)).unwrap());
        let gathered: Arc<dyn ExecutionPlan> = Arc::new(CoalescePartitionsExec::new(hashed));
        let dag = split_into_stages(gathered).unwrap();
        let kinds: Vec<ExchangeKind> = dag.stages.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![ExchangeKind::Shuffle, ExchangeKind::Gather, ExchangeKind::Result]);
        assert_eq!(dag.stages[0].num_tasks(), 2);
        assert_eq!(dag.stages[1].num_tasks(), 3);
        assert_eq!(dag.stages[2].num_tasks(), 1);
        assert_eq!(dag.stages[2].parents, vec![1]);
        assert_eq!(dag.stages[1].parents, vec![0]);
    }

    #[test]
    fn plan_without_exchange_is_one_stage() {
        let dag = split_into_stages(leaf(4)).unwrap();
        assert_eq!(dag.stages.len(), 1);
        assert_eq!(dag.stages[0].num_tasks(), 4);
    }
}
