//! Session configuration: the `spark.*` keys users already set, and Ember's own `ember.*` keys.

use std::collections::BTreeMap;

use crate::error::{DriverError, Result};

pub const MASTER: &str = "spark.master";
pub const APP_NAME: &str = "spark.app.name";
pub const SHUFFLE_PARTITIONS: &str = "spark.sql.shuffle.partitions";
pub const MAX_FAILURES: &str = "spark.task.maxFailures";
pub const EXECUTOR_MEMORY: &str = "spark.executor.memory";
pub const SESSION_TIME_ZONE: &str = "spark.sql.session.timeZone";

/// Names of UTC that `spark.sql.session.timeZone` may be given: Ember computes TIMESTAMPs in
/// UTC only, so another zone is refused rather than ignored.
const UTC_NAMES: [&str; 9] = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "+00:00", "-00:00", "UTC+0", "GMT+0"];

/// `spark.sql.session.timeZone` set to `value`: accepted when it is UTC.
pub fn check_session_time_zone(value: &str) -> Result<()> {
    let value = value.trim();
    if UTC_NAMES.iter().any(|n| n.eq_ignore_ascii_case(value)) {
        return Ok(());
    }
    Err(DriverError::IllegalArgument(format!(
        "{SESSION_TIME_ZONE}={value} is not supported: Ember reads, computes and shows TIMESTAMPs in UTC only for now; set {SESSION_TIME_ZONE} to UTC"
    )))
}

/// Spark's default `spark.sql.shuffle.partitions`: the logical layout of hash exchanges.
pub const SPARK_DEFAULT_SHUFFLE_PARTITIONS: usize = 200;

/// Where tasks run, from `spark.master`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Master {
    /// `local`, `local[N]`, `local[*]` or no master at all: N slots in this process.
    Local { slots: usize },
    /// `ember://host:port`: a running scheduler and its executors.
    Cluster { url: String },
    /// `local-cluster[W,C,M]`: a scheduler and W executor processes of C cores and M MiB
    /// each, started on 127.0.0.1 for this session and stopped with it.
    LocalCluster { workers: usize, cores: usize, memory_mb: usize },
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
        if let Some(rest) = t.strip_prefix("ember://") {
            let valid = rest.rsplit_once(':').is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok());
            if !valid {
                return Err(DriverError::IllegalArgument(format!("Invalid master URL: {t}: expected ember://host:port")));
            }
            return Ok(Master::Cluster { url: t.to_string() });
        }
        if let Some(inner) = t.strip_prefix("local-cluster[").and_then(|r| r.strip_suffix(']')) {
            let parts: Vec<Option<usize>> = inner.split(',').map(|p| p.trim().parse::<usize>().ok().filter(|n| *n > 0)).collect();
            return match parts.as_slice() {
                [Some(workers), Some(cores), Some(memory_mb)] => {
                    Ok(Master::LocalCluster { workers: *workers, cores: *cores, memory_mb: *memory_mb })
                }
                _ => Err(DriverError::IllegalArgument(format!(
                    "Invalid master URL: {t}: expected local-cluster[workers,cores,memoryMiB] with positive numbers"
                ))),
            };
        }
        Err(DriverError::IllegalArgument(format!(
            "Could not parse Master URL: '{t}'. Ember runs local, local[N], local[*], local-cluster[W,C,M] and ember://host:port masters."
        )))
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

    /// Refuses settings Ember cannot honor (see [`check_session_time_zone`]).
    pub fn check(&self) -> Result<()> {
        self.get(SESSION_TIME_ZONE).map_or(Ok(()), check_session_time_zone)
    }

    pub fn master(&self) -> Result<Master> {
        Master::parse(self.get(MASTER).unwrap_or("local[*]"))
    }

    /// `spark.sql.shuffle.partitions`; when unset, one partition per task slot (Spark's 200 is
    /// tuned for clusters and adaptive coalescing, and would only add overhead here).
    pub fn shuffle_partitions(&self, slots: usize) -> Result<usize> {
        match self.get(SHUFFLE_PARTITIONS) {
            None => Ok(slots.max(1)),
            Some(v) => v
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| DriverError::IllegalArgument(format!("{SHUFFLE_PARTITIONS} must be a positive integer, got '{v}'"))),
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

    /// A size setting such as `spark.executor.memory` (`512m`, `2g`, plain bytes), in bytes.
    pub fn size_bytes(&self, key: &str) -> Result<Option<usize>> {
        self.get(key)
            .map(|v| {
                parse_size(v).ok_or_else(|| DriverError::IllegalArgument(format!("{key} must be a size such as 512m or 2g, got '{v}'")))
            })
            .transpose()
    }

    pub fn max_failures(&self) -> u32 {
        self.get(MAX_FAILURES).and_then(|v| v.trim().parse().ok()).unwrap_or(4)
    }
}

/// Spark's size strings (`spark.executor.memory`): a number with a unit `k`, `m`, `g`, `t`
/// (optionally followed by `b`), or `b` for bytes; a bare number is MiB, as Spark reads it.
pub fn parse_size(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: usize = digits.parse().ok()?;
    let shift = match unit {
        "" | "m" | "mb" => 20,
        "b" => 0,
        "k" | "kb" => 10,
        "g" | "gb" => 30,
        "t" | "tb" => 40,
        _ => return None,
    };
    n.checked_mul(1usize << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_time_zones() {
        for utc in ["UTC", "utc", "Etc/UTC", "GMT", "Z", "+00:00"] {
            assert!(check_session_time_zone(utc).is_ok(), "{utc}");
        }
        let refused = check_session_time_zone("America/Los_Angeles").unwrap_err().to_string();
        assert!(refused.contains("spark.sql.session.timeZone=America/Los_Angeles is not supported"), "{refused}");
        assert!(Conf::new([(SESSION_TIME_ZONE.to_string(), "+08:00".to_string())]).check().is_err());
    }

    #[test]
    fn masters() {
        assert_eq!(Master::parse("local").unwrap(), Master::Local { slots: 1 });
        assert_eq!(Master::parse("local[3]").unwrap(), Master::Local { slots: 3 });
        assert!(Master::parse("local[0]").is_err());
        assert!(Master::parse("yarn").is_err());
        assert_eq!(Master::parse("ember://127.0.0.1:7077").unwrap(), Master::Cluster { url: "ember://127.0.0.1:7077".into() });
        assert!(Master::parse("ember://nohost").is_err());
        assert_eq!(Master::parse("local-cluster[2,1,1024]").unwrap(), Master::LocalCluster { workers: 2, cores: 1, memory_mb: 1024 });
        assert!(Master::parse("local-cluster[2,0,1024]").is_err());
        assert_eq!(parse_size("512m"), Some(512 << 20));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("1024"), Some(1024 << 20));
        assert_eq!(parse_size("100b"), Some(100));
        assert_eq!(parse_size("lots"), None);
    }
}
