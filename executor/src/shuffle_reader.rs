//! `ShuffleReaderExec`: the leaf that stands where an exchange was cut out of a plan.
//!
//! A stage boundary replaces the exchange operator with this reader; at run time it streams the
//! partitions a parent stage left in executors' partition stores through the task's
//! [`crate::source::PartitionSource`]. Locally batches are shared, so a reduce task reading its
//! partition copies nothing.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::physical_expr::{EquivalenceProperties, Partitioning};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, SendableRecordBatchStream};

use futures::StreamExt;

use crate::ids::DatasetId;
use crate::source::{Piece, SourceHandle};

/// Which of a dataset's stored pieces an output partition of the reader returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadMode {
    /// Partition `p` is bucket `p` of every map output (the reduce side of an exchange).
    Reduce { num_maps: usize },
    /// Partition `p` gathers the logical buckets that map to it (see [`crate::layout`]): map by
    /// map, and within a map bucket by bucket — the order in which Spark's reducers fetch
    /// shuffle blocks, and so Spark's row order.
    SparkHash { num_maps: usize, logical: usize },
    /// Like `SparkHash`, with partition `p` reading the coalesced bucket range `ranges[p]`
    /// (chosen by the scheduler from the map outputs' sizes, as Spark's adaptive execution).
    Coalesced { num_maps: usize, ranges: Arc<Vec<Range<usize>>> },
    /// Partition `p` is map partition `p` as it was written (pass-through, cached data).
    PerMap,
    /// One partition holding every map's output in map order (coalesce to one partition).
    All { num_maps: usize },
    /// Like `All`, read by every task of the consuming stage (a join's broadcast build side):
    /// an executor fetches it once for all its tasks.
    Broadcast { num_maps: usize },
}

/// Reads a parent stage's output partitions from the partition store.
#[derive(Debug)]
pub struct ShuffleReaderExec {
    dataset: DatasetId,
    mode: ReadMode,
    schema: SchemaRef,
    properties: Arc<PlanProperties>,
}

impl ShuffleReaderExec {
    /// `partitioning` is what the cut exchange promised its parent (kept so that the operators
    /// above still see hash-partitioned or ordered input), and decides the reader's width.
    pub fn new(dataset: DatasetId, mode: ReadMode, schema: SchemaRef, partitioning: Partitioning) -> Self {
        let properties = PlanProperties::new(
            EquivalenceProperties::new(Arc::clone(&schema)),
            partitioning,
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Self { dataset, mode, schema, properties: Arc::new(properties) }
    }

    pub fn dataset(&self) -> DatasetId {
        self.dataset
    }

    pub fn mode(&self) -> &ReadMode {
        &self.mode
    }

    /// The same reader for a parent stage that ran `num_maps` tasks (parents can be coalesced
    /// after this reader was planned).
    pub fn with_num_maps(&self, num_maps: usize) -> Self {
        let (mode, partitioning) = match &self.mode {
            ReadMode::Reduce { .. } => (ReadMode::Reduce { num_maps }, self.properties.partitioning.clone()),
            ReadMode::SparkHash { logical, .. } => {
                (ReadMode::SparkHash { num_maps, logical: *logical }, self.properties.partitioning.clone())
            }
            ReadMode::Coalesced { ranges, .. } => {
                (ReadMode::Coalesced { num_maps, ranges: Arc::clone(ranges) }, self.properties.partitioning.clone())
            }
            ReadMode::All { .. } => (ReadMode::All { num_maps }, self.properties.partitioning.clone()),
            ReadMode::Broadcast { .. } => (ReadMode::Broadcast { num_maps }, self.properties.partitioning.clone()),
            ReadMode::PerMap => (ReadMode::PerMap, Partitioning::UnknownPartitioning(num_maps)),
        };
        Self::new(self.dataset, mode, Arc::clone(&self.schema), partitioning)
    }

    /// How many map outputs this reader expects.
    pub fn num_maps(&self) -> usize {
        match &self.mode {
            ReadMode::Reduce { num_maps }
            | ReadMode::SparkHash { num_maps, .. }
            | ReadMode::Coalesced { num_maps, .. }
            | ReadMode::All { num_maps }
            | ReadMode::Broadcast { num_maps } => *num_maps,
            ReadMode::PerMap => self.properties.partitioning.partition_count(),
        }
    }

    /// The same reader over coalesced bucket ranges: one output partition per range, still
    /// hash-partitioned on the same keys (each key's bucket lies in exactly one range).
    pub fn coalesced(&self, ranges: Arc<Vec<Range<usize>>>) -> Option<Self> {
        let ReadMode::SparkHash { num_maps, .. } = self.mode else {
            return None;
        };
        let n = ranges.len();
        let partitioning = match &self.properties.partitioning {
            Partitioning::Hash(keys, _) => Partitioning::Hash(keys.clone(), n),
            _ => Partitioning::UnknownPartitioning(n),
        };
        Some(Self::new(self.dataset, ReadMode::Coalesced { num_maps, ranges }, Arc::clone(&self.schema), partitioning))
    }

    /// The blocks partition `partition` reads, in order: which map outputs, and which of
    /// their buckets.
    pub fn pieces(&self, partition: usize) -> Vec<Piece> {
        let (num_maps, buckets) = match &self.mode {
            ReadMode::Reduce { num_maps } => (*num_maps, partition..partition + 1),
            ReadMode::SparkHash { num_maps, logical } => {
                let physical = self.properties.partitioning.partition_count();
                (*num_maps, crate::layout::logical_range(partition, *logical, physical))
            }
            ReadMode::Coalesced { num_maps, ranges } => (*num_maps, ranges.get(partition).cloned().unwrap_or(0..0)),
            ReadMode::All { num_maps } | ReadMode::Broadcast { num_maps } => (*num_maps, 0..1),
            ReadMode::PerMap => return vec![Piece { map: partition, buckets: 0..1 }],
        };
        if buckets.is_empty() {
            return Vec::new();
        }
        (0..num_maps).map(|map| Piece { map, buckets: buckets.clone() }).collect()
    }
}

impl DisplayAs for ShuffleReaderExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let mode = match self.mode {
            ReadMode::Reduce { .. } | ReadMode::SparkHash { .. } | ReadMode::Coalesced { .. } => "shuffle",
            ReadMode::PerMap => "pass-through",
            ReadMode::All { .. } => "gather",
            ReadMode::Broadcast { .. } => "broadcast",
        };
        write!(f, "ShuffleReaderExec: dataset={}, mode={mode}, partitions={}", self.dataset, self.properties.partitioning.partition_count())
    }
}

impl ExecutionPlan for ShuffleReaderExec {
    fn name(&self) -> &str {
        "ShuffleReaderExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    crate::leaf_plan_methods!();

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let source = context
            .session_config()
            .get_extension::<SourceHandle>()
            .ok_or_else(|| DataFusionError::Internal("no partition source in the task context".into()))?;
        let pieces = self.pieces(partition);
        let stream = match self.mode {
            ReadMode::Broadcast { .. } => source.0.read_broadcast(self.dataset, pieces),
            _ => source.0.read(self.dataset, pieces),
        };
        let stream = stream.map(|r| r.map_err(DataFusionError::from));
        Ok(Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.schema), stream)))
    }
}
