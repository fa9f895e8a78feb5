//! `df.write`: Spark's output layout — a directory of `part-NNNNN-<uuid>-c000.<ext>` files plus
//! `_SUCCESS`, `col=value` subdirectories for `partitionBy`, and save modes.
//!
//! Files are written into a hidden staging directory beside the target and moved into place
//! only when every file is complete, so a failed write leaves no half-written output.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, UInt32Array};
use datafusion::arrow::compute::take_record_batch;
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};
use datafusion::arrow::json::LineDelimitedWriter;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::format::{ValueStyle, format_column};
use crate::read::paths::NULL_PARTITION;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    ErrorIfExists,
    Overwrite,
    Append,
    Ignore,
}

impl SaveMode {
    pub fn parse(s: &str) -> Result<SaveMode> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "error" | "errorifexists" | "default" => SaveMode::ErrorIfExists,
            "overwrite" => SaveMode::Overwrite,
            "append" => SaveMode::Append,
            "ignore" => SaveMode::Ignore,
            other => {
                return Err(DriverError::IllegalArgument(format!(
                    "Unknown save mode: {other}. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'."
                )));
            }
        })
    }
}

#[derive(Debug, Clone)]
pub struct WriteRequest {
    pub format: String,
    pub mode: SaveMode,
    pub options: HashMap<String, String>,
    pub partition_by: Vec<String>,
    pub path: String,
}

pub fn save(df: &DataFrame, req: &WriteRequest) -> Result<()> {
    let target = PathBuf::from(req.path.strip_prefix("file://").unwrap_or(&req.path));
    let format = Format::parse(&req.format, &req.options)?;
    if target.exists() {
        match req.mode {
            SaveMode::ErrorIfExists => {
                let abs = std::path::absolute(&target).unwrap_or(target.clone());
                return Err(DriverError::Analysis(format!(
                    "[PATH_ALREADY_EXISTS] Path file:{} already exists. Set mode as \"overwrite\" to overwrite the existing path.",
                    abs.display()
                )));
            }
            SaveMode::Ignore => return Ok(()),
            SaveMode::Overwrite | SaveMode::Append => {}
        }
    }
    let schema = df.schema();
    let mut part_idx = Vec::new();
    for name in &req.partition_by {
        let idx = schema
            .fields()
            .iter()
            .position(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| crate::error::unresolved_column(name, &df.columns().iter().map(|c| format!("`{c}`")).collect::<Vec<_>>()))?;
        part_idx.push(idx);
    }
    if part_idx.len() == schema.fields().len() && !part_idx.is_empty() {
        return Err(DriverError::Analysis("[ALL_PARTITION_COLUMNS_NOT_ALLOWED] Cannot use all columns for partition columns.".into()));
    }
    if let Format::Text = format {
        let data_cols = schema.fields().len() - part_idx.len();
        let all_strings = schema.fields().iter().enumerate().all(|(i, f)| part_idx.contains(&i) || f.data_type() == &DataType::Utf8);
        if data_cols != 1 || !all_strings {
            return Err(DriverError::Analysis(format!(
                "Text data source supports only a single column of string type, and you have {data_cols} columns."
            )));
        }
    }

    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let job_id = uuid::Uuid::new_v4();
    let staging = parent.join(format!(".{}-ember-staging-{job_id}", target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    let result = write_staging(df, &staging, &schema, &part_idx, &format, job_id).and_then(|_| commit(&staging, &target, req.mode));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_staging(df: &DataFrame, staging: &Path, schema: &SchemaRef, part_idx: &[usize], format: &Format, job: uuid::Uuid) -> Result<()> {
    fs::create_dir_all(staging)?;
    let session = df.session();
    let output = session.block_on(async {
        let physical = session.physical_plan(df.plan()).await?;
        Ok::<_, DriverError>(session.engine().run(physical, session.task_context()).await?)
    })?;
    let data_schema = Arc::new(Schema::new(
        schema.fields().iter().enumerate().filter(|(i, _)| !part_idx.contains(i)).map(|(_, f)| f.as_ref().clone()).collect::<Vec<_>>(),
    ));
    let mut wrote_any = false;
    let result = (|| -> Result<()> {
        for p in 0..output.partitions {
            let batches = session.block_on(session.engine().fetch(output.dataset, p))?;
            if batches.iter().all(|b| b.num_rows() == 0) {
                continue;
            }
            let name = format!("part-{p:05}-{job}-c000{}", format.extension());
            if part_idx.is_empty() {
                format.write(&staging.join(&name), &data_schema, &batches)?;
            } else {
                for (dir, group) in split_by_partition(&batches, schema, part_idx)? {
                    let d = staging.join(dir);
                    fs::create_dir_all(&d)?;
                    format.write(&d.join(&name), &data_schema, &group)?;
                }
            }
            wrote_any = true;
        }
        if !wrote_any && part_idx.is_empty() {
            // An empty result still leaves one file carrying the schema, as Spark does.
            format.write(&staging.join(format!("part-00000-{job}-c000{}", format.extension())), &data_schema, &[])?;
        }
        Ok(())
    })();
    session.engine().free(output.dataset);
    result?;
    File::create(staging.join("_SUCCESS"))?;
    Ok(())
}

/// Groups rows by their partition-column values: `k1=v1/k2=v2` -> rows without those columns.
fn split_by_partition(batches: &[RecordBatch], schema: &SchemaRef, part_idx: &[usize]) -> Result<BTreeMap<String, Vec<RecordBatch>>> {
    let mut out: BTreeMap<String, Vec<RecordBatch>> = BTreeMap::new();
    let keep: Vec<usize> = (0..schema.fields().len()).filter(|i| !part_idx.contains(i)).collect();
    for batch in batches {
        let rendered: Vec<Vec<String>> = part_idx.iter().map(|i| render_partition(batch.column(*i))).collect::<Result<_>>()?;
        let mut rows: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for r in 0..batch.num_rows() {
            let dir: Vec<String> =
                part_idx.iter().zip(&rendered).map(|(i, vals)| format!("{}={}", schema.field(*i).name(), vals[r])).collect();
            rows.entry(dir.join("/")).or_default().push(r as u32);
        }
        for (dir, idx) in rows {
            let taken = take_record_batch(batch, &UInt32Array::from(idx))?;
            out.entry(dir).or_default().push(taken.project(&keep)?);
        }
    }
    Ok(out)
}

fn render_partition(col: &ArrayRef) -> Result<Vec<String>> {
    let values = format_column(col, ValueStyle::Show)?;
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, v)| if col.is_null(i) { NULL_PARTITION.to_string() } else { escape_partition(&v) })
        .collect())
}

/// Escapes characters that cannot appear in a directory name, as Hive/Spark do.
fn escape_partition(v: &str) -> String {
    let mut s = String::new();
    for c in v.chars() {
        if matches!(c, '"' | '#' | '%' | '\'' | '*' | '/' | ':' | '=' | '?' | '\\' | '\x7f' | '{' | '[' | ']' | '^') || (c as u32) < 0x20 {
            s.push_str(&format!("%{:02X}", c as u32));
        } else {
            s.push(c);
        }
    }
    s
}

fn commit(staging: &Path, target: &Path, mode: SaveMode) -> Result<()> {
    if target.exists() {
        match mode {
            SaveMode::Overwrite => {
                if target.is_dir() {
                    fs::remove_dir_all(target)?
                } else {
                    fs::remove_file(target)?
                }
            }
            SaveMode::Append => {
                move_contents(staging, target)?;
                fs::remove_dir_all(staging)?;
                return Ok(());
            }
            SaveMode::ErrorIfExists | SaveMode::Ignore => {}
        }
    }
    fs::rename(staging, target)?;
    Ok(())
}

fn move_contents(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            move_contents(&entry.path(), &dest)?;
        } else {
            fs::rename(entry.path(), dest)?;
        }
    }
    Ok(())
}

enum Format {
    Parquet,
    Csv { header: bool, sep: u8, null_value: String },
    Json,
    Text,
}

impl Format {
    fn parse(name: &str, options: &HashMap<String, String>) -> Result<Format> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "parquet" => Format::Parquet,
            "csv" => Format::Csv {
                header: options.get("header").is_some_and(|v| v.eq_ignore_ascii_case("true")),
                sep: options.get("sep").or_else(|| options.get("delimiter")).and_then(|s| s.bytes().next()).unwrap_or(b','),
                null_value: options.get("nullvalue").cloned().unwrap_or_default(),
            },
            "json" => Format::Json,
            "text" => Format::Text,
            other => {
                return Err(DriverError::Analysis(format!(
                    "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {other}. Ember writes csv, json, parquet and text."
                )));
            }
        })
    }

    fn extension(&self) -> &'static str {
        match self {
            Format::Parquet => ".snappy.parquet",
            Format::Csv { .. } => ".csv",
            Format::Json => ".json",
            Format::Text => ".txt",
        }
    }

    fn write(&self, path: &Path, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<()> {
        let file = File::create(path)?;
        match self {
            Format::Parquet => {
                let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
                let mut w = ArrowWriter::try_new(file, Arc::clone(schema), Some(props)).map_err(|e| DriverError::Runtime(e.to_string()))?;
                for b in batches {
                    w.write(b).map_err(|e| DriverError::Runtime(e.to_string()))?;
                }
                w.close().map_err(|e| DriverError::Runtime(e.to_string()))?;
            }
            Format::Json => {
                let mut w = LineDelimitedWriter::new(BufWriter::new(file));
                for b in batches {
                    w.write(b)?;
                }
                w.finish()?;
            }
            Format::Text => {
                let mut w = BufWriter::new(file);
                for b in batches {
                    let col = b.column(0).as_string::<i32>();
                    for v in col.iter().flatten() {
                        writeln!(w, "{v}")?;
                    }
                }
                w.flush()?;
            }
            Format::Csv { header, sep, null_value } => {
                let mut w = csv::WriterBuilder::new().delimiter(*sep).from_writer(BufWriter::new(file));
                let csv_err = |e: csv::Error| DriverError::Runtime(e.to_string());
                if *header {
                    w.write_record(schema.fields().iter().map(|f| f.name().as_str())).map_err(csv_err)?;
                }
                for b in batches {
                    let cols: Vec<Vec<String>> = b.columns().iter().map(|c| csv_column(c, null_value)).collect::<Result<_>>()?;
                    for r in 0..b.num_rows() {
                        w.write_record(cols.iter().map(|c| c[r].as_str())).map_err(csv_err)?;
                    }
                }
                w.flush()?;
            }
        }
        Ok(())
    }
}

/// CSV cells: Spark's value rendering, timestamps in ISO-8601 with milliseconds and zone.
fn csv_column(col: &ArrayRef, null_value: &str) -> Result<Vec<String>> {
    let values = format_column(col, ValueStyle::Show)?;
    let is_ts = matches!(col.data_type(), DataType::Timestamp(_, _));
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            if col.is_null(i) {
                null_value.to_string()
            } else if is_ts {
                iso_timestamp(&v)
            } else {
                v
            }
        })
        .collect())
}

fn iso_timestamp(shown: &str) -> String {
    let (base, frac) = shown.split_once('.').unwrap_or((shown, ""));
    let millis: String = format!("{frac:0<3}").chars().take(3).collect();
    format!("{}.{millis}Z", base.replacen(' ', "T", 1))
}
