//! The executors a scheduler knows, their free slots, and where every map output lives.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ember_executor::flight::client::endpoint_url;
use ember_executor::{DatasetId, ExecutorError};
use ember_proto::executor_client::ExecutorClient;
use ember_proto::{ExecutorInfo, ExecutorState, HeartbeatRequest, Location};
use parking_lot::Mutex;
use tokio::sync::Notify;
use tonic::transport::{Channel, Endpoint};
use tracing::{info, warn};

use ember_executor::process::MAX_MESSAGE_BYTES;

#[derive(Debug)]
struct Member {
    info: ExecutorInfo,
    client: ExecutorClient<Channel>,
    free: usize,
    last_seen: Instant,
    memory_used: u64,
    spilled_bytes: u64,
    running_tasks: u32,
    tasks_finished: u64,
}

#[derive(Debug, Default)]
struct Inner {
    executors: BTreeMap<String, Member>,
    /// For each dataset, which executor holds each map partition.
    outputs: HashMap<DatasetId, Vec<Option<String>>>,
}

/// A slot taken on an executor, given back when dropped — also when the task's call is
/// abandoned midway (a cancelled job), which would otherwise leave the slot taken for good.
#[derive(Debug)]
pub struct Slot {
    pub executor: String,
    pub client: ExecutorClient<Channel>,
    registry: Arc<Registry>,
    /// Whether the executor answered the task call (counted as a finished task).
    pub finished: bool,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.release(self);
    }
}

/// How long a task waits for an executor when the cluster has none at all.
pub const NO_EXECUTORS_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Registry {
    inner: Mutex<Inner>,
    changed: Notify,
}

fn location(info: &ExecutorInfo) -> Location {
    Location { executor_id: info.id.clone(), host: info.host.clone(), port: info.port }
}

impl Registry {
    pub fn register(&self, info: ExecutorInfo) -> Result<(), ExecutorError> {
        let url = endpoint_url(&info.host, info.port);
        let channel = Endpoint::from_shared(url.clone())
            .map_err(|e| ExecutorError::Rpc(format!("bad executor address {url}: {e}")))?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .connect_lazy();
        let client = ExecutorClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES).max_encoding_message_size(MAX_MESSAGE_BYTES);
        let member = Member {
            free: info.cores.max(1) as usize,
            info,
            client,
            last_seen: Instant::now(),
            memory_used: 0,
            spilled_bytes: 0,
            running_tasks: 0,
            tasks_finished: 0,
        };
        info!(executor = %member.info.id, address = %url, cores = member.info.cores, memory = member.info.memory_bytes, "executor joined");
        self.inner.lock().executors.insert(member.info.id.clone(), member);
        self.changed.notify_waiters();
        Ok(())
    }

    /// Records a heartbeat; `false` when the executor is unknown (it was removed).
    pub fn heartbeat(&self, beat: &HeartbeatRequest) -> bool {
        let mut inner = self.inner.lock();
        match inner.executors.get_mut(&beat.executor_id) {
            Some(m) => {
                m.last_seen = Instant::now();
                m.memory_used = beat.memory_used;
                m.spilled_bytes = beat.spilled_bytes;
                m.running_tasks = beat.running_tasks;
                true
            }
            None => false,
        }
    }

    /// Forgets an executor and every map output it held.
    pub fn remove(&self, id: &str, reason: &str) {
        let mut inner = self.inner.lock();
        if inner.executors.remove(id).is_none() {
            return;
        }
        let mut lost = 0;
        for maps in inner.outputs.values_mut() {
            for slot in maps.iter_mut() {
                if slot.as_deref() == Some(id) {
                    *slot = None;
                    lost += 1;
                }
            }
        }
        warn!(executor = %id, reason, lost_map_outputs = lost, "executor lost");
        drop(inner);
        self.changed.notify_waiters();
    }

    /// Removes executors whose last heartbeat is older than `timeout`.
    pub fn expire(&self, timeout: Duration) {
        let stale: Vec<String> = {
            let inner = self.inner.lock();
            inner.executors.values().filter(|m| m.last_seen.elapsed() > timeout).map(|m| m.info.id.clone()).collect()
        };
        for id in stale {
            self.remove(&id, &format!("no heartbeat for {} ms", timeout.as_millis()));
        }
    }

    pub fn total_cores(&self) -> usize {
        self.inner.lock().executors.values().map(|m| m.info.cores as usize).sum()
    }

    /// Takes a free slot, on `preferred` when it has one (the executor holding the task's
    /// input), otherwise on the executor with the most free slots. Waits while none is free;
    /// fails when no executor at all has been registered for [`NO_EXECUTORS_TIMEOUT`].
    pub async fn acquire(self: &Arc<Self>, preferred: Option<&str>) -> Result<Slot, ExecutorError> {
        let mut warned = Instant::now();
        let mut empty_since: Option<Instant> = None;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut inner = self.inner.lock();
                let pick = preferred
                    .filter(|p| inner.executors.get(*p).is_some_and(|m| m.free > 0))
                    .map(str::to_string)
                    .or_else(|| inner.executors.values().filter(|m| m.free > 0).max_by_key(|m| m.free).map(|m| m.info.id.clone()));
                if let Some(id) = pick
                    && let Some(m) = inner.executors.get_mut(&id)
                {
                    m.free -= 1;
                    return Ok(Slot { executor: id, client: m.client.clone(), registry: Arc::clone(self), finished: false });
                }
                if inner.executors.is_empty() {
                    let since = *empty_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > NO_EXECUTORS_TIMEOUT {
                        return Err(ExecutorError::Rpc(format!(
                            "no executor has been registered with the scheduler for {} s; start executors with ember-executor --scheduler <url>",
                            NO_EXECUTORS_TIMEOUT.as_secs()
                        )));
                    }
                    if warned.elapsed() > Duration::from_secs(10) {
                        warn!("no executors registered; waiting for one to run tasks");
                        warned = Instant::now();
                    }
                } else {
                    empty_since = None;
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), notified).await;
        }
    }

    fn release(&self, slot: &Slot) {
        let mut inner = self.inner.lock();
        if let Some(m) = inner.executors.get_mut(&slot.executor) {
            m.free += 1;
            if slot.finished {
                m.tasks_finished += 1;
            }
        }
        drop(inner);
        self.changed.notify_waiters();
    }

    pub fn record_output(&self, dataset: DatasetId, map: usize, executor: &str) {
        let mut inner = self.inner.lock();
        let maps = inner.outputs.entry(dataset).or_default();
        if maps.len() <= map {
            maps.resize(map + 1, None);
        }
        maps[map] = Some(executor.to_string());
    }

    /// Where each map output of `dataset` lives (an empty executor id where it is lost).
    pub fn locations(&self, dataset: DatasetId) -> Vec<Location> {
        let inner = self.inner.lock();
        let Some(maps) = inner.outputs.get(&dataset) else {
            return Vec::new();
        };
        maps.iter()
            .map(|holder| holder.as_ref().and_then(|id| inner.executors.get(id)).map_or_else(Location::default, |m| location(&m.info)))
            .collect()
    }

    /// The executor holding one map output, if it is alive.
    pub fn holder(&self, dataset: DatasetId, map: usize) -> Option<String> {
        let inner = self.inner.lock();
        let id = inner.outputs.get(&dataset)?.get(map)?.clone()?;
        inner.executors.contains_key(&id).then_some(id)
    }

    /// Map partitions of `dataset` (of `num_maps`) that no live executor holds.
    pub fn lost_maps(&self, dataset: DatasetId, num_maps: usize) -> Vec<usize> {
        (0..num_maps).filter(|m| self.holder(dataset, *m).is_none()).collect()
    }

    /// Forgets a dataset; returns clients of the executors that held part of it.
    pub fn forget(&self, dataset: DatasetId) -> Vec<ExecutorClient<Channel>> {
        let mut inner = self.inner.lock();
        let Some(maps) = inner.outputs.remove(&dataset) else {
            return Vec::new();
        };
        let mut holders: Vec<String> = maps.into_iter().flatten().collect();
        holders.sort();
        holders.dedup();
        holders.iter().filter_map(|id| inner.executors.get(id)).map(|m| m.client.clone()).collect()
    }

    pub fn state(&self) -> Vec<ExecutorState> {
        self.inner
            .lock()
            .executors
            .values()
            .map(|m| ExecutorState {
                info: Some(m.info.clone()),
                memory_used: m.memory_used,
                spilled_bytes: m.spilled_bytes,
                running_tasks: m.running_tasks,
                tasks_finished: m.tasks_finished,
            })
            .collect()
    }
}
