//! `spark.read`: CSV, JSON lines, Parquet and text from files, directories or globs, with
//! Spark's options, schema inference and partition discovery.

pub mod csv;
pub mod file_scan;
pub mod json;
pub mod paths;
pub mod sql_paths;
pub mod text;
pub mod values;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::LogicalPlanBuilder;
use datafusion::prelude::ParquetReadOptions;

use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::session::Session;
use file_scan::{FileTable, is_supported};
use paths::{InputFile, list_files, partition_columns, spark_file_partitions};

/// What `DataFrameReader` collected before `load()`.
#[derive(Debug, Clone, Default)]
pub struct ReadRequest {
    pub format: String,
    /// Option keys lower-cased: Spark's options are case-insensitive.
    pub options: HashMap<String, String>,
    pub schema: Option<SchemaRef>,
    pub paths: Vec<String>,
}

pub fn load(session: &Arc<Session>, req: ReadRequest) -> Result<DataFrame> {
    let mut paths = req.paths.clone();
    if paths.is_empty()
        && let Some(p) = req.options.get("path")
    {
        paths.push(p.clone());
    }
    if paths.is_empty() {
        return Err(DriverError::IllegalArgument("'path' is not specified".into()));
    }
    let files = list_files(&paths)?;
    match req.format.to_ascii_lowercase().as_str() {
        "csv" => read_csv(session, files, &req),
        "text" | "txt" => {
            let schema = Arc::new(Schema::new(vec![Field::new("value", DataType::Utf8, true)]));
            let parts = partition_columns(&files);
            let groups = spark_file_partitions(files, session.default_parallelism());
            scan_files(session, FileTable::new(groups, schema, parts, Arc::new(text::TextDecoder)))
        }
        "json" => json::read_json(session, files, &paths, &req),
        "parquet" => read_parquet(session, files, &paths, &req),
        other => Err(DriverError::Analysis(format!(
            "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {other}. Ember reads csv, json, parquet and text."
        ))),
    }
}

fn read_csv(session: &Arc<Session>, files: Vec<InputFile>, req: &ReadRequest) -> Result<DataFrame> {
    let decoder = csv::CsvDecoder::new(req.options.clone())?;
    let options = &decoder.options;
    let parts = partition_columns(&files);
    let schema = match &req.schema {
        Some(s) => {
            if let Some(f) = s.fields().iter().find(|f| !is_supported(f.data_type())) {
                return Err(DriverError::Analysis(format!(
                    "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the column `{}` of the type \"{}\".",
                    f.name(),
                    ember_sql::simple_string(f.data_type()).to_uppercase()
                )));
            }
            Arc::clone(s)
        }
        None => Arc::new(csv::resolve_schema(&files, options)?),
    };
    let groups = spark_file_partitions(files, session.default_parallelism());
    scan_files(session, FileTable::new(groups, schema, parts, Arc::new(decoder)))
}

pub(crate) fn scan_files(session: &Arc<Session>, table: FileTable) -> Result<DataFrame> {
    let plan = LogicalPlanBuilder::scan(next_scan_name(), provider_as_source(Arc::new(table)), None)?.build()?;
    Ok(DataFrame::new(Arc::clone(session), plan))
}

fn next_scan_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("scan{}", N.fetch_add(1, Ordering::Relaxed))
}

/// Where DataFusion should list from: the single directory given (so it sees partition
/// directories), or the individual files.
pub(crate) fn listing_paths(files: &[InputFile], paths: &[String]) -> (Vec<String>, bool) {
    let dir_root = paths.len() == 1 && std::path::Path::new(paths[0].strip_prefix("file://").unwrap_or(&paths[0])).is_dir();
    if dir_root {
        (vec![paths[0].strip_prefix("file://").unwrap_or(&paths[0]).to_string()], true)
    } else {
        (files.iter().map(|f| f.path.display().to_string()).collect(), false)
    }
}

fn read_parquet(session: &Arc<Session>, files: Vec<InputFile>, paths: &[String], req: &ReadRequest) -> Result<DataFrame> {
    let parts = partition_columns(&files);
    let (targets, is_dir) = listing_paths(&files, paths);
    let cols: Vec<(String, DataType)> = if is_dir { parts.iter().map(|p| (p.name.clone(), p.data_type.clone())).collect() } else { vec![] };
    let schema = req.schema.clone();
    let mut options = ParquetReadOptions::default().table_partition_cols(cols);
    options.file_extension = if is_dir { ".parquet" } else { "" };
    if let Some(s) = schema.as_deref() {
        options = options.schema(s);
    }
    let df = session.block_on(session.ctx().read_parquet(targets, options))?;
    let plan = df.into_unoptimized_plan();
    Ok(DataFrame::new(Arc::clone(session), plan))
}
