//! Session configuration: the `spark.*` keys users already set, and Ember's own `ember.*` keys.

use std::collections::BTreeMap;

use crate::error::{DriverError, Result};

pub const MASTER: &str = "spark.master";
pub const APP_NAME: &str = "spark.app.name";
pub const SHUFFLE_PARTITIONS: &str = "spark.sql.shuffle.partitions";
pub const MAX_FAILURES: &str = "spark.task.maxFailures";

/// Spark's default `spark.sql.shuffle.partitions`: the logical layout of hash exchanges.
pub const SPARK_DEFAULT_SHUFFLE_PARTITIONS: usize = 200;

/// Where tasks run, from `spark.master`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Master {
    /// `local`, `local[N]`, `local[*]` or no master at all: N slots in this process.
    Local { slots: usize },
}

impl Master {
    pub fn parse(text: &str) -> Result<Master> {
        let t = text.trim();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if t.is_empty() || t == "local[*]" || t == "local[*,*]" {
            return Ok(Master::Local { slots: cores });
        }
        if t == "local" {
            return Ok(Master::Local { slots: 1 });
        }
        if let Some(inner) = t.strip_prefix("local[").and_then(|r| r.strip_suffix(']')) {
            let first = inner.split(',').next().unwrap_or(inner).trim();
            if first == "*" {
                return Ok(Master::Local { slots: cores });
            }
            return match first.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Master::Local { slots: n }),
                _ => Err(DriverError::IllegalArgument(format!("Invalid master URL: {t}: expected local[N] with N > 0 or local[*]"))),
            };
        }
        Err(DriverError::IllegalArgument(format!(
            "Could not parse Master URL: '{t}'. Ember runs local, local[N] and local[*] masters."
        )))
    }

    pub fn slots(&self) -> usize {
        match self {
            Master::Local { slots } => *slots,
        }
    }
}

/// Key/value settings of a session, with Spark's defaults where Ember needs them.
#[derive(Debug, Clone, Default)]
pub struct Conf {
    values: BTreeMap<String, String>,
}

impl Conf {
    pub fn new(values: impl IntoIterator<Item = (String, String)>) -> Self {
        Self { values: values.into_iter().collect() }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.values.insert(key.to_string(), value.to_string());
    }

    pub fn unset(&mut self, key: &str) {
        self.values.remove(key);
    }

    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    pub fn master(&self) -> Result<Master> {
        Master::parse(self.get(MASTER).unwrap_or("local[*]"))
    }

    /// `spark.sql.shuffle.partitions`; when unset, one partition per task slot (Spark's 200 is
    /// tuned for clusters and adaptive coalescing, and would only add overhead here).
    pub fn shuffle_partitions(&self, slots: usize) -> Result<usize> {
        match self.get(SHUFFLE_PARTITIONS) {
            None => Ok(slots.max(1)),
            Some(v) => v.trim().parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                DriverError::IllegalArgument(format!("{SHUFFLE_PARTITIONS} must be a positive integer, got '{v}'"))
            }),
        }
    }

    /// The logical partition count of hash exchanges, as Spark would use it (see
    /// `ember_executor::layout`): the configured value, or Spark's default of 200.
    pub fn spark_shuffle_partitions(&self) -> Result<usize> {
        match self.get(SHUFFLE_PARTITIONS) {
            None => Ok(SPARK_DEFAULT_SHUFFLE_PARTITIONS),
            Some(_) => self.shuffle_partitions(1),
        }
    }

    /// `spark.sql.autoBroadcastJoinThreshold` in bytes (10 MiB; -1 disables broadcasts).
    pub fn broadcast_threshold(&self) -> usize {
        match self.get("spark.sql.autoBroadcastJoinThreshold").map(str::trim) {
            Some(v) if v.starts_with('-') => 0,
            Some(v) => v.parse().unwrap_or(10 << 20),
            None => 10 << 20,
        }
    }

    pub fn max_failures(&self) -> u32 {
        self.get(MAX_FAILURES).and_then(|v| v.trim().parse().ok()).unwrap_or(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masters() {
        assert_eq!(Master::parse("local").unwrap(), Master::Local { slots: 1 });
        assert_eq!(Master::parse("local[3]").unwrap(), Master::Local { slots: 3 });
        assert!(Master::parse("local[0]").is_err());
        assert!(Master::parse("yarn").is_err());
    }
}
