//! Fetching blocks from other executors, and the cluster's [`PartitionSource`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::{FlightClient, Ticket};

use crate::process::MAX_MESSAGE_BYTES;
use datafusion::arrow::record_batch::RecordBatch;
use ember_proto::{FetchTicket, Location};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use parking_lot::Mutex;
use prost::Message;
use tonic::transport::{Channel, Endpoint};

use crate::error::{ExecutorError, Result};
use crate::ids::DatasetId;
use crate::source::{PartitionSource, Piece};
use crate::store::StoreHandle;

/// Blocks fetched at once by one reader: enough to hide a round trip, few enough that a
/// reader does not hold many blocks in memory (Spark bounds this by bytes in flight).
const FETCHES_IN_FLIGHT: usize = 4;

/// HTTP/2 receive windows of a peer connection (see [`FlightPool::channel`]).
const STREAM_WINDOW: u32 = 2 << 20;
const CONNECTION_WINDOW: u32 = 256 << 20;

/// The bytes of a received batch's values. Its arrays are slices of the one message they were
/// decoded from, so their memory size would count that whole message once per column.
fn wire_bytes(batch: &RecordBatch) -> usize {
    batch.columns().iter().map(|c| c.to_data().get_slice_memory_size().unwrap_or_else(|_| c.get_array_memory_size())).sum()
}

/// One lazily connected gRPC channel per peer, shared by every task of the process.
#[derive(Debug, Default)]
pub struct FlightPool {
    channels: Mutex<HashMap<String, Channel>>,
}

/// `http://host:port` of a peer.
pub fn endpoint_url(host: &str, port: u32) -> String {
    format!("http://{host}:{port}")
}

impl FlightPool {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The channel to `url`, created on first use (connection happens on the first call).
    pub fn channel(&self, url: &str) -> Result<Channel> {
        let mut channels = self.channels.lock();
        if let Some(c) = channels.get(url) {
            return Ok(c.clone());
        }
        let channel = Endpoint::from_shared(url.to_string())
            .map_err(|e| ExecutorError::Rpc(format!("bad peer address {url}: {e}")))?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            // Blocks requested ahead are read one after another, so their unread data sits in
            // the connection's window meanwhile: each stream may hold little of it, and the
            // connection room for many, or the block being read could starve.
            .initial_stream_window_size(STREAM_WINDOW)
            .initial_connection_window_size(CONNECTION_WINDOW)
            .connect_lazy();
        channels.insert(url.to_string(), channel.clone());
        Ok(channel)
    }

    /// Starts fetching one block: resolves once the holder answers, then yields its batches as
    /// they arrive (HTTP/2 flow control keeps the sender from running ahead of the reader).
    pub async fn open(&self, location: &Location, dataset: DatasetId, piece: &Piece) -> Result<BoxStream<'static, Result<RecordBatch>>> {
        let url = endpoint_url(&location.host, location.port);
        let (executor, map) = (location.executor_id.clone(), piece.map);
        let failed = move |message: String| ExecutorError::FetchFailed { dataset: dataset.0, map, executor: executor.clone(), message };
        let channel = self.channel(&url)?;
        let ticket = FetchTicket {
            dataset: dataset.0,
            map_partition: piece.map as u64,
            bucket_start: piece.buckets.start as u64,
            bucket_end: piece.buckets.end as u64,
        };
        // Batches of wide rows can exceed gRPC's default 4 MiB message limit.
        let inner = FlightServiceClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES);
        let mut client = FlightClient::new_from_inner(inner);
        let stream = client.do_get(Ticket::new(ticket.encode_to_vec())).await.map_err(|e| failed(e.to_string()))?;
        Ok(stream.map_err(move |e| failed(e.to_string())).boxed())
    }

    /// Fetches one block whole (a job's result partition, read by the driver).
    pub async fn fetch(&self, location: &Location, dataset: DatasetId, piece: &Piece) -> Result<Vec<RecordBatch>> {
        self.open(location, dataset, piece).await?.try_collect().await
    }
}

/// Broadcast datasets this executor has fetched, shared by all its tasks until freed: a
/// broadcast build side crosses the network once per executor, not once per task.
#[derive(Debug, Default)]
pub struct BroadcastCache {
    entries: Mutex<HashMap<DatasetId, Arc<BroadcastCell>>>,
}

/// One broadcast dataset, fetched by the first task that needs it.
type BroadcastCell = tokio::sync::OnceCell<Arc<Vec<RecordBatch>>>;

impl BroadcastCache {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn cell(&self, dataset: DatasetId) -> Arc<BroadcastCell> {
        Arc::clone(self.entries.lock().entry(dataset).or_default())
    }

    pub fn remove(&self, dataset: DatasetId) {
        self.entries.lock().remove(&dataset);
    }
}

/// Reads a task's inputs in a cluster: blocks this executor holds come from its own store,
/// the rest from their holders over Flight, several at a time, delivered in order.
#[derive(Debug)]
pub struct RemoteSource {
    me: String,
    store: StoreHandle,
    pool: Arc<FlightPool>,
    locations: HashMap<DatasetId, Vec<Location>>,
    remote_bytes: Arc<AtomicUsize>,
    broadcasts: Arc<BroadcastCache>,
}

impl RemoteSource {
    pub fn new(
        me: String,
        store: StoreHandle,
        pool: Arc<FlightPool>,
        locations: HashMap<DatasetId, Vec<Location>>,
        broadcasts: Arc<BroadcastCache>,
    ) -> Self {
        Self { me, store, pool, locations, remote_bytes: Arc::new(AtomicUsize::new(0)), broadcasts }
    }

    /// Bytes fetched from other executors so far, shared with the caller for task metrics.
    pub fn remote_bytes(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.remote_bytes)
    }
}

impl PartitionSource for RemoteSource {
    fn read(&self, dataset: DatasetId, pieces: Vec<Piece>) -> BoxStream<'static, Result<RecordBatch>> {
        let me = self.me.clone();
        let store = Arc::clone(&self.store);
        let pool = Arc::clone(&self.pool);
        let counter = Arc::clone(&self.remote_bytes);
        let locations = self.locations.get(&dataset).cloned().unwrap_or_default();
        futures::stream::iter(pieces)
            .map(move |piece| {
                let location = locations.get(piece.map).cloned();
                let (me, store, pool, counter) = (me.clone(), Arc::clone(&store), Arc::clone(&pool), Arc::clone(&counter));
                async move {
                    let Some(location) = location else {
                        return Err(ExecutorError::FetchFailed {
                            dataset: dataset.0,
                            map: piece.map,
                            executor: "unknown".into(),
                            message: "no executor holds this map output".into(),
                        });
                    };
                    if location.executor_id == me {
                        let batches = store.require(dataset, piece.map, piece.buckets)?;
                        return Ok(futures::stream::iter(batches.into_iter().map(Ok)).boxed());
                    }
                    let stream = pool.open(&location, dataset, &piece).await?;
                    Ok(stream
                        .inspect_ok(move |b| {
                            counter.fetch_add(wire_bytes(b), Ordering::Relaxed);
                        })
                        .boxed())
                }
            })
            // Several blocks are requested at once; their batches are read in block order.
            .buffered(FETCHES_IN_FLIGHT)
            .try_flatten()
            .boxed()
    }

    fn read_broadcast(&self, dataset: DatasetId, pieces: Vec<Piece>) -> BoxStream<'static, Result<RecordBatch>> {
        let cell = self.broadcasts.cell(dataset);
        let fetch = self.read(dataset, pieces);
        let whole = async move { cell.get_or_try_init(|| async move { fetch.try_collect::<Vec<_>>().await.map(Arc::new) }).await.cloned() };
        futures::stream::once(whole)
            .map_ok(|batches| futures::stream::iter(batches.as_ref().clone().into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
