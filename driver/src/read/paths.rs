//! Finding input files as Spark does: files, directories (recursively), globs; names that
//! start with `_` or `.` (`_SUCCESS`, `.crc`) are skipped; `col=value` directories are
//! partition columns.

use std::path::{Path, PathBuf};

use datafusion::arrow::datatypes::DataType;

use crate::error::{DriverError, Result};

/// One input file and the partition values its directories give it.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub partition_values: Vec<(String, String)>,
}

/// A partition column found in directory names, with the type Spark would infer for it.
#[derive(Debug, Clone)]
pub struct PartitionColumn {
    pub name: String,
    pub data_type: DataType,
}

/// Expands `paths` into the files to read. A path that matches nothing is an error naming it.
pub fn list_files(paths: &[String]) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    for raw in paths {
        let p = raw.strip_prefix("file://").unwrap_or(raw);
        let matches: Vec<PathBuf> = if p.contains(['*', '?', '[']) {
            glob::glob(p)
                .map_err(|e| DriverError::IllegalArgument(format!("bad glob pattern '{raw}': {e}")))?
                .filter_map(std::result::Result::ok)
                .collect()
        } else if Path::new(p).exists() {
            vec![PathBuf::from(p)]
        } else {
            vec![]
        };
        if matches.is_empty() {
            return Err(path_not_found(p));
        }
        for m in matches {
            if m.is_dir() {
                walk(&m, &m, &mut files)?;
            } else {
                files.push(InputFile { path: m, partition_values: vec![] });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Spark's error for an input path that does not exist.
pub fn path_not_found(p: &str) -> DriverError {
    let abs = std::path::absolute(p).unwrap_or_else(|_| PathBuf::from(p));
    DriverError::Analysis(format!("[PATH_NOT_FOUND] Path does not exist: file:{}. SQLSTATE: 42K03", abs.display()))
}

fn hidden(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('.')
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<InputFile>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if hidden(&name) {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out)?;
        } else {
            let partition_values = path
                .strip_prefix(root)
                .ok()
                .and_then(Path::parent)
                .map(|rel| {
                    rel.components()
                        .filter_map(|c| c.as_os_str().to_str()?.split_once('=').map(|(k, v)| (k.to_string(), unescape(v))))
                        .collect()
                })
                .unwrap_or_default();
            out.push(InputFile { path, partition_values });
        }
    }
    Ok(())
}

/// Partition directory values are URL-escaped by writers (`a%20b`); Spark's default
/// `__HIVE_DEFAULT_PARTITION__` stands for NULL and is kept as is here.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let bytes = v.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&v[i + 1..i + 3], 16)
        {
            out.push(b as char);
            i += 3;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

/// The partition columns of a file set, with Spark's inferred types (int, long, double,
/// else string), in directory order.
pub fn partition_columns(files: &[InputFile]) -> Vec<PartitionColumn> {
    let Some(first) = files.iter().find(|f| !f.partition_values.is_empty()) else {
        return vec![];
    };
    first
        .partition_values
        .iter()
        .map(|(name, _)| {
            let values: Vec<&str> = files
                .iter()
                .filter_map(|f| f.partition_values.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()))
                .filter(|v| *v != NULL_PARTITION)
                .collect();
            let data_type = if values.iter().all(|v| v.parse::<i32>().is_ok()) {
                DataType::Int32
            } else if values.iter().all(|v| v.parse::<i64>().is_ok()) {
                DataType::Int64
            } else if values.iter().all(|v| v.parse::<f64>().is_ok()) {
                DataType::Float64
            } else {
                DataType::Utf8
            };
            PartitionColumn { name: name.clone(), data_type }
        })
        .collect()
}

/// How Spark writes a NULL partition value.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Spark's file partitions: files sorted by size (largest first), packed into partitions of
/// about `max(4 MiB, total / parallelism)` bytes (at most 128 MiB), each file also costing
/// 4 MiB to open. Rows then come out in the order Spark reads them.
pub fn spark_file_partitions(files: Vec<InputFile>, parallelism: usize) -> Vec<Vec<InputFile>> {
    const MAX_SPLIT: u64 = 128 << 20;
    const OPEN_COST: u64 = 4 << 20;
    let size = |f: &InputFile| std::fs::metadata(&f.path).map_or(0, |m| m.len());
    let mut sized: Vec<(u64, InputFile)> = files.into_iter().map(|f| (size(&f), f)).collect();
    let total: u64 = sized.iter().map(|(s, _)| s + OPEN_COST).sum();
    let per_core = total / parallelism.max(1) as u64;
    let max_split = MAX_SPLIT.min(OPEN_COST.max(per_core));
    // A stable sort keeps the listing order among files of equal size, as Spark's does.
    sized.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
    let mut partitions = Vec::new();
    let mut current: Vec<InputFile> = Vec::new();
    let mut current_size = 0;
    for (len, file) in sized {
        if current_size + len > max_split && !current.is_empty() {
            partitions.push(std::mem::take(&mut current));
            current_size = 0;
        }
        current_size += len + OPEN_COST;
        current.push(file);
    }
    if !current.is_empty() {
        partitions.push(current);
    }
    partitions
}
