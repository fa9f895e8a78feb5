//! Where a shuffle reader gets its pieces: the executor's own store, or (in a cluster) the
//! stores of the executors that ran the map tasks, over Arrow Flight.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use futures::StreamExt;
use futures::stream::BoxStream;

use crate::error::Result;
use crate::ids::DatasetId;
use crate::store::PartitionStore;

/// Buckets `buckets` of map output `map`: one block of a shuffle read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub map: usize,
    pub buckets: Range<usize>,
}

/// Reads stored partitions for a task.
pub trait PartitionSource: fmt::Debug + Send + Sync {
    /// Streams the batches of `pieces` of `dataset`, piece after piece in the given order.
    fn read(&self, dataset: DatasetId, pieces: Vec<Piece>) -> BoxStream<'static, Result<RecordBatch>>;

    /// Reads a broadcast dataset, which every task of a stage reads whole; a source may keep
    /// one copy per process instead of fetching it per task.
    fn read_broadcast(&self, dataset: DatasetId, pieces: Vec<Piece>) -> BoxStream<'static, Result<RecordBatch>> {
        self.read(dataset, pieces)
    }
}

/// How a task's plan finds its [`PartitionSource`]: a session-config extension.
#[derive(Debug, Clone)]
pub struct SourceHandle(pub Arc<dyn PartitionSource>);

/// The store itself is the source in local mode: batches are handed over without copying.
#[derive(Debug)]
pub struct LocalSource(pub Arc<PartitionStore>);

impl PartitionSource for LocalSource {
    fn read(&self, dataset: DatasetId, pieces: Vec<Piece>) -> BoxStream<'static, Result<RecordBatch>> {
        let store = Arc::clone(&self.0);
        futures::stream::iter(pieces)
            .map(move |piece| match store.require(dataset, piece.map, piece.buckets) {
                Ok(batches) => futures::stream::iter(batches.into_iter().map(Ok)).boxed(),
                Err(e) => futures::stream::once(async move { Err(e) }).boxed(),
            })
            .flatten()
            .boxed()
    }
}
