//! Spill files: one Arrow IPC file per spilled map output, batches in bucket order, with an
//! index of which batches belong to which bucket so a reader loads only its buckets.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::ops::Range;
use std::path::PathBuf;

use datafusion::arrow::ipc::reader::FileReader;
use datafusion::arrow::ipc::writer::FileWriter;
use datafusion::arrow::record_batch::RecordBatch;
use tracing::warn;

use crate::error::{ExecutorError, Result};
use crate::ids::DatasetId;
use crate::store::MapOutput;

/// The directory an executor spills into; removed with everything in it when dropped.
#[derive(Debug)]
pub struct SpillDir {
    path: PathBuf,
}

fn io_error(what: &str, path: &std::path::Path, e: impl std::fmt::Display) -> ExecutorError {
    ExecutorError::Spill(format!("{what} {}: {e}", path.display()))
}

impl SpillDir {
    pub fn create(path: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(&path).map_err(|e| io_error("cannot create spill directory", &path, e))?;
        Ok(Self { path })
    }

    /// Writes one map output to its own file.
    pub fn write(&self, dataset: DatasetId, map: usize, output: &MapOutput) -> Result<SpilledOutput> {
        let mut buckets = Vec::with_capacity(output.len());
        let mut next = 0;
        for bucket in output {
            buckets.push(next..next + bucket.len());
            next += bucket.len();
        }
        let Some(schema) = output.iter().flatten().next().map(RecordBatch::schema) else {
            return Ok(SpilledOutput { path: None, buckets });
        };
        let path = self.path.join(format!("{dataset}-{map}-{}.arrow", uuid_suffix()));
        let file = File::create(&path).map_err(|e| io_error("cannot create spill file", &path, e))?;
        let mut writer = FileWriter::try_new(BufWriter::new(file), &schema).map_err(|e| io_error("cannot write", &path, e))?;
        for batch in output.iter().flatten() {
            writer.write(batch).map_err(|e| io_error("cannot write", &path, e))?;
        }
        writer.finish().map_err(|e| io_error("cannot write", &path, e))?;
        Ok(SpilledOutput { path: Some(path), buckets })
    }
}

fn uuid_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.path) {
            warn!(path = %self.path.display(), error = %e, "could not remove spill directory");
        }
    }
}

/// A map output on disk.
#[derive(Debug)]
pub struct SpilledOutput {
    /// `None` when the output had no rows at all.
    path: Option<PathBuf>,
    /// Batch index range of each bucket in the file.
    buckets: Vec<Range<usize>>,
}

impl SpilledOutput {
    /// Loads the batches of a range of buckets, in order.
    pub fn read(&self, buckets: Range<usize>) -> Result<Vec<RecordBatch>> {
        let Some(path) = &self.path else {
            return Ok(Vec::new());
        };
        let wanted: Vec<Range<usize>> = buckets.filter_map(|b| self.buckets.get(b).cloned()).filter(|r| !r.is_empty()).collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let file = File::open(path).map_err(|e| io_error("cannot open spill file", path, e))?;
        let mut reader = FileReader::try_new(BufReader::new(file), None).map_err(|e| io_error("cannot read", path, e))?;
        let mut out = Vec::new();
        for range in wanted {
            reader.set_index(range.start).map_err(|e| io_error("cannot read", path, e))?;
            for _ in range {
                match reader.next() {
                    Some(batch) => out.push(batch.map_err(|e| io_error("cannot read", path, e))?),
                    None => return Err(io_error("truncated spill file", path, "fewer batches than indexed")),
                }
            }
        }
        Ok(out)
    }

    /// Removes the file (the output was freed or replaced).
    pub fn delete(&self) {
        if let Some(path) = &self.path
            && let Err(e) = std::fs::remove_file(path)
        {
            warn!(path = %path.display(), error = %e, "could not remove spill file");
        }
    }
}
