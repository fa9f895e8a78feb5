//! The partition store: task outputs kept in Arrow memory, spilled to disk over budget.
//!
//! A dataset is a grid `[map partition][output bucket] -> batches`. Hash exchanges fill every
//! bucket of a map partition; pass-through outputs (coalesce, results, cached DataFrames) use
//! bucket 0 only. Batches are shared (`RecordBatch` clones are reference counts), so handing a
//! partition to the next stage copies nothing.
//!
//! With a memory budget (`--memory` / `spark.executor.memory`), a put that takes the store over
//! budget spills the largest in-memory map outputs to Arrow IPC files (see [`crate::spill`]);
//! reads of a spilled output load it back transparently. Nothing is ever refused for memory.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use datafusion::arrow::record_batch::RecordBatch;
use parking_lot::RwLock;
use tracing::debug;

use crate::error::{ExecutorError, Result};
use crate::ids::DatasetId;
use crate::spill::{SpillDir, SpilledOutput};

/// One map task's output: a list of batches per output bucket.
pub type MapOutput = Vec<Vec<RecordBatch>>;

#[derive(Debug, Clone)]
enum Stored {
    Memory { output: Arc<MapOutput>, bytes: usize },
    Spilled(Arc<SpilledOutput>),
}

#[derive(Debug, Default)]
struct Dataset {
    /// Indexed by map partition; `None` until that map task finishes.
    maps: Vec<Option<Stored>>,
}

/// Executor-local store of partitions, shared by every task slot of the executor.
#[derive(Debug, Default)]
pub struct PartitionStore {
    datasets: RwLock<HashMap<DatasetId, Dataset>>,
    /// Bytes of Arrow memory held by in-memory outputs.
    memory: AtomicUsize,
    /// Bytes written to spill files over the store's life (a metric; freeing does not lower it).
    spilled: AtomicUsize,
    budget: Option<usize>,
    spill_dir: Option<SpillDir>,
}

/// How tasks reach the store: it travels in the DataFusion session config as an extension.
pub type StoreHandle = Arc<PartitionStore>;

fn output_bytes(output: &MapOutput) -> usize {
    output.iter().flatten().map(RecordBatch::get_array_memory_size).sum()
}

impl PartitionStore {
    /// A store without a memory budget (local mode: the driver process's memory is the limit).
    pub fn new() -> StoreHandle {
        Arc::new(Self::default())
    }

    /// A store that keeps at most `budget` bytes in memory and spills the rest under `dir`.
    pub fn with_budget(budget: usize, dir: PathBuf) -> Result<StoreHandle> {
        let spill_dir = SpillDir::create(dir)?;
        Ok(Arc::new(Self { budget: Some(budget), spill_dir: Some(spill_dir), ..Self::default() }))
    }

    /// Records the output of one map task, replacing an earlier attempt's output.
    pub fn put(&self, dataset: DatasetId, map_partition: usize, output: MapOutput) -> Result<()> {
        let bytes = output_bytes(&output);
        let replaced = {
            let mut datasets = self.datasets.write();
            let entry = datasets.entry(dataset).or_default();
            if entry.maps.len() <= map_partition {
                entry.maps.resize(map_partition + 1, None);
            }
            entry.maps[map_partition].replace(Stored::Memory { output: Arc::new(output), bytes })
        };
        self.memory.fetch_add(bytes, Ordering::Relaxed);
        if let Some(old) = replaced {
            self.forget(&old);
        }
        self.enforce_budget()
    }

    /// Spills the largest in-memory outputs until the store is within budget.
    fn enforce_budget(&self) -> Result<()> {
        let (Some(budget), Some(dir)) = (self.budget, &self.spill_dir) else {
            return Ok(());
        };
        while self.memory.load(Ordering::Relaxed) > budget {
            let victim = {
                let datasets = self.datasets.read();
                datasets
                    .iter()
                    .flat_map(|(id, d)| {
                        d.maps.iter().enumerate().filter_map(move |(m, s)| match s {
                            Some(Stored::Memory { output, bytes }) => Some((*id, m, Arc::clone(output), *bytes)),
                            _ => None,
                        })
                    })
                    .max_by_key(|(_, _, _, bytes)| *bytes)
            };
            let Some((dataset, map, output, bytes)) = victim else {
                return Ok(());
            };
            // Written outside the lock: readers keep using the in-memory copy meanwhile.
            let spilled = dir.write(dataset, map, &output)?;
            let mut datasets = self.datasets.write();
            let slot = datasets.get_mut(&dataset).and_then(|d| d.maps.get_mut(map));
            let unchanged = matches!(slot.as_deref(), Some(Some(Stored::Memory { output: o, .. })) if Arc::ptr_eq(o, &output));
            match slot {
                Some(slot) if unchanged => {
                    *slot = Some(Stored::Spilled(Arc::new(spilled)));
                    self.memory.fetch_sub(bytes, Ordering::Relaxed);
                    self.spilled.fetch_add(bytes, Ordering::Relaxed);
                    debug!(%dataset, map, bytes, "spilled map output");
                }
                // Freed or replaced while it was being written: drop the file.
                _ => spilled.delete(),
            }
        }
        Ok(())
    }

    fn forget(&self, stored: &Stored) {
        match stored {
            Stored::Memory { bytes, .. } => {
                self.memory.fetch_sub(*bytes, Ordering::Relaxed);
            }
            Stored::Spilled(s) => s.delete(),
        }
    }

    fn stored(&self, dataset: DatasetId, map_partition: usize) -> Option<Stored> {
        let datasets = self.datasets.read();
        datasets.get(&dataset)?.maps.get(map_partition)?.clone()
    }

    /// The batches of `bucket` written by one map partition, if that map task has finished.
    pub fn get(&self, dataset: DatasetId, map_partition: usize, bucket: usize) -> Result<Option<Vec<RecordBatch>>> {
        self.get_range(dataset, map_partition, bucket..bucket + 1)
    }

    /// The batches of a range of buckets of one map output, bucket by bucket.
    pub fn get_range(&self, dataset: DatasetId, map_partition: usize, buckets: Range<usize>) -> Result<Option<Vec<RecordBatch>>> {
        match self.stored(dataset, map_partition) {
            None => Ok(None),
            Some(Stored::Memory { output, .. }) => Ok(Some(buckets.filter_map(|b| output.get(b)).flatten().cloned().collect())),
            Some(Stored::Spilled(spilled)) => spilled.read(buckets).map(Some),
        }
    }

    /// Like [`PartitionStore::get_range`], failing with `MissingPartition` when absent.
    pub fn require(&self, dataset: DatasetId, map_partition: usize, buckets: Range<usize>) -> Result<Vec<RecordBatch>> {
        self.get_range(dataset, map_partition, buckets)?
            .ok_or(ExecutorError::MissingPartition { dataset: dataset.0, partition: map_partition })
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
        let removed = self.datasets.write().remove(&dataset);
        for stored in removed.into_iter().flat_map(|d| d.maps).flatten() {
            self.forget(&stored);
        }
    }

    /// Bytes of Arrow memory held, for metrics and the memory budget.
    pub fn memory_used(&self) -> usize {
        self.memory.load(Ordering::Relaxed)
    }

    /// Bytes spilled to disk over the store's life.
    pub fn spilled_bytes(&self) -> usize {
        self.spilled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    fn batch(v: i32) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, false)]));
        RecordBatch::try_new(schema, vec![Arc::new(Int32Array::from(vec![v; 1000]))]).unwrap()
    }

    fn values(batches: &[RecordBatch]) -> Vec<i32> {
        batches.iter().map(|b| b.column(0).as_any().downcast_ref::<Int32Array>().unwrap().value(0)).collect()
    }

    #[test]
    fn put_get_remove() {
        let store = PartitionStore::new();
        let ds = DatasetId::next();
        assert!(store.get(ds, 0, 0).unwrap().is_none());
        store.put(ds, 1, vec![vec![batch(1)], vec![batch(2), batch(3)]]).unwrap();
        assert!(store.get(ds, 0, 0).unwrap().is_none(), "map 0 has not finished");
        assert_eq!(store.get(ds, 1, 1).unwrap().unwrap().len(), 2);
        assert_eq!(store.get(ds, 1, 5).unwrap().unwrap().len(), 0);
        assert!(store.memory_used() > 0);
        store.remove(ds);
        assert!(!store.contains(ds));
        assert_eq!(store.memory_used(), 0);
    }

    #[test]
    fn spills_over_budget_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let one = batch(0).get_array_memory_size();
        let store = PartitionStore::with_budget(one * 3, dir.path().join("spill")).unwrap();
        let ds = DatasetId::next();
        for map in 0..4 {
            store.put(ds, map, vec![vec![batch(map as i32)], vec![batch(10 + map as i32)]]).unwrap();
        }
        assert!(store.memory_used() <= one * 3, "{} > budget", store.memory_used());
        assert!(store.spilled_bytes() >= one * 4);
        for map in 0..4 {
            assert_eq!(values(&store.get_range(ds, map, 0..2).unwrap().unwrap()), vec![map as i32, 10 + map as i32]);
            assert_eq!(values(&store.get(ds, map, 1).unwrap().unwrap()), vec![10 + map as i32]);
        }
        store.remove(ds);
        assert_eq!(store.memory_used(), 0);
        assert_eq!(std::fs::read_dir(dir.path().join("spill")).unwrap().count(), 0, "spill files are deleted");
    }
}
