//! The partition store: task outputs kept in Arrow memory.
//!
//! A dataset is a grid `[map partition][output bucket] -> batches`. Hash exchanges fill every
//! bucket of a map partition; pass-through outputs (coalesce, results, cached DataFrames) use
//! bucket 0 only. Batches are shared (`RecordBatch` clones are reference counts), so handing a
//! partition to the next stage copies nothing.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use parking_lot::RwLock;

use crate::ids::DatasetId;

/// One map task's output: a list of batches per output bucket.
pub type MapOutput = Vec<Vec<RecordBatch>>;

#[derive(Debug, Default)]
struct Dataset {
    /// Indexed by map partition; `None` until that map task finishes.
    maps: Vec<Option<Arc<MapOutput>>>,
}

/// Executor-local store of partitions, shared by every task slot of the executor.
#[derive(Debug, Default)]
pub struct PartitionStore {
    datasets: RwLock<HashMap<DatasetId, Dataset>>,
}

/// How tasks reach the store: it travels in the DataFusion session config as an extension.
pub type StoreHandle = Arc<PartitionStore>;

impl PartitionStore {
    pub fn new() -> StoreHandle {
        Arc::new(Self::default())
    }

    /// Records the output of one map task, replacing an earlier attempt's output.
    pub fn put(&self, dataset: DatasetId, map_partition: usize, output: MapOutput) {
        let mut datasets = self.datasets.write();
        let entry = datasets.entry(dataset).or_default();
        if entry.maps.len() <= map_partition {
            entry.maps.resize(map_partition + 1, None);
        }
        entry.maps[map_partition] = Some(Arc::new(output));
    }

    /// The batches of `bucket` written by one map partition, if that map task has finished.
    pub fn get(&self, dataset: DatasetId, map_partition: usize, bucket: usize) -> Option<Vec<RecordBatch>> {
        let datasets = self.datasets.read();
        let map = datasets.get(&dataset)?.maps.get(map_partition)?.as_ref()?;
        Some(map.get(bucket).cloned().unwrap_or_default())
    }

    /// How many map partitions of a dataset have been written (finished or not).
    pub fn num_maps(&self, dataset: DatasetId) -> usize {
        self.datasets.read().get(&dataset).map_or(0, |d| d.maps.len())
    }

    pub fn contains(&self, dataset: DatasetId) -> bool {
        self.datasets.read().contains_key(&dataset)
    }

    /// Frees a dataset's partitions (a finished job's shuffles, an unpersisted cache).
    pub fn remove(&self, dataset: DatasetId) {
        self.datasets.write().remove(&dataset);
    }

    /// Bytes of Arrow memory held, for metrics and the memory budget.
    pub fn memory_used(&self) -> usize {
        self.datasets
            .read()
            .values()
            .flat_map(|d| d.maps.iter().flatten())
            .flat_map(|m| m.iter().flatten())
            .map(RecordBatch::get_array_memory_size)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    fn batch(v: i32) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, false)]));
        RecordBatch::try_new(schema, vec![Arc::new(Int32Array::from(vec![v]))]).unwrap()
    }

    #[test]
    fn put_get_remove() {
        let store = PartitionStore::new();
        let ds = DatasetId::next();
        assert!(store.get(ds, 0, 0).is_none());
        store.put(ds, 1, vec![vec![batch(1)], vec![batch(2), batch(3)]]);
        assert!(store.get(ds, 0, 0).is_none(), "map 0 has not finished");
        assert_eq!(store.get(ds, 1, 1).unwrap().len(), 2);
        assert_eq!(store.get(ds, 1, 5).unwrap().len(), 0);
        assert!(store.memory_used() > 0);
        store.remove(ds);
        assert!(!store.contains(ds));
        assert_eq!(store.memory_used(), 0);
    }
}
