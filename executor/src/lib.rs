//! Ember's executor: runs tasks (one stage fragment over one partition) and keeps every task's
//! output partitions as Arrow record batches in a [`PartitionStore`], where the next stage's
//! tasks — and cached DataFrames — read them without copying.

pub mod error;
pub mod ids;
pub mod layout;
pub mod leaf;
pub mod shuffle_reader;
pub mod spark_hash;
pub mod store;
pub mod task;

pub use error::{ExecutorError, Result};
pub use ids::{DatasetId, TaskId};
pub use layout::ShuffleLayout;
pub use shuffle_reader::{ReadMode, ShuffleReaderExec};
pub use store::{PartitionStore, StoreHandle};
pub use task::{OutputSpec, TaskDefinition, TaskStatus, run_task};
