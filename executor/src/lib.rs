//! Ember's executor: runs tasks (one stage fragment over one partition) and keeps every task's
//! output partitions as Arrow record batches in a [`PartitionStore`], where the next stage's
//! tasks — and cached DataFrames — read them without copying.
//!
//! In a cluster the same pieces run in an executor process ([`process`]): tasks arrive over
//! gRPC ([`service`], decoded by [`wire`]), the store spills over its memory budget
//! ([`spill`]), and partitions move between executors over Arrow Flight ([`flight`]).

pub mod compact;
pub mod context;
pub mod error;
pub mod flight;
pub mod ids;
pub mod layout;
pub mod leaf;
pub mod process;
pub mod service;
pub mod shuffle_reader;
pub mod source;
pub mod spark_hash;
pub mod spill;
pub mod store;
pub mod task;
pub mod wire;

pub use error::{ExecutorError, Result};
pub use ids::{DatasetId, TaskId};
pub use layout::ShuffleLayout;
pub use shuffle_reader::{ReadMode, ShuffleReaderExec};
pub use store::{PartitionStore, StoreHandle};
pub use task::{OutputSpec, TaskDefinition, TaskStatus, run_task, spawn_task};
