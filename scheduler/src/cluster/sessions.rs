//! Driver sessions and the datasets they hold, so that a driver that ends — or dies — leaves
//! nothing behind on the executors.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use ember_executor::DatasetId;
use parking_lot::Mutex;

#[derive(Debug)]
struct Entry {
    last_seen: Instant,
    datasets: HashSet<DatasetId>,
}

#[derive(Debug, Default)]
pub struct Sessions {
    inner: Mutex<HashMap<String, Entry>>,
}

impl Sessions {
    /// Marks a session alive.
    pub fn touch(&self, session: &str) {
        let mut inner = self.inner.lock();
        inner
            .entry(session.to_string())
            .and_modify(|e| e.last_seen = Instant::now())
            .or_insert_with(|| Entry { last_seen: Instant::now(), datasets: HashSet::new() });
    }

    /// Records a dataset a session's job left on the executors (a result, a cache).
    pub fn hold(&self, session: &str, dataset: DatasetId) {
        self.touch(session);
        if let Some(e) = self.inner.lock().get_mut(session) {
            e.datasets.insert(dataset);
        }
    }

    pub fn release(&self, session: &str, dataset: DatasetId) {
        if let Some(e) = self.inner.lock().get_mut(session) {
            e.datasets.remove(&dataset);
        }
    }

    /// Forgets a session; returns what it still held.
    pub fn end(&self, session: &str) -> Vec<DatasetId> {
        self.inner.lock().remove(session).map(|e| e.datasets.into_iter().collect()).unwrap_or_default()
    }

    /// Ends sessions silent for longer than `timeout`; returns them with what they held.
    pub fn expire(&self, timeout: Duration) -> Vec<(String, Vec<DatasetId>)> {
        let mut inner = self.inner.lock();
        let stale: Vec<String> = inner.iter().filter(|(_, e)| e.last_seen.elapsed() > timeout).map(|(k, _)| k.clone()).collect();
        stale.into_iter().filter_map(|k| inner.remove(&k).map(|e| (k, e.datasets.into_iter().collect()))).collect()
    }
}
