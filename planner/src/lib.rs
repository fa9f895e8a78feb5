//! Ember's planner: turns an optimized DataFusion physical plan into a DAG of stages.
//!
//! Every exchange — a hash or round-robin repartition, a coalesce to one partition, the build
//! side of a broadcast join, the inputs of a sort-preserving merge — becomes a stage boundary.
//! The child side becomes a stage whose tasks write their output into the partition store; the
//! exchange is replaced by a [`ShuffleReaderExec`](ember_executor::ShuffleReaderExec) that reads it.
//! [`codec`] ships those fragments to executor processes.

pub mod codec;
pub mod error;
pub mod explain;
pub mod join_sides;
pub mod resort;
pub mod reverse;
pub mod stages;
pub mod yielding;

pub use error::{PlannerError, Result};
pub use stages::{ExchangeKind, Stage, StageDag, split_into_stages, split_into_stages_with};
