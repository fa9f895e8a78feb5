//! JSON lines, with Spark's inference: every field seen anywhere, objects as structs,
//! integers as long, and fields in alphabetical order at every level.

use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema};
use datafusion::arrow::json::reader::infer_json_schema;
use datafusion::prelude::JsonReadOptions;

use super::ReadRequest;
use super::paths::{InputFile, partition_columns};
use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::session::Session;

pub fn read_json(session: &Arc<Session>, files: Vec<InputFile>, paths: &[String], req: &ReadRequest) -> Result<DataFrame> {
    let schema = match &req.schema {
        Some(s) => s.as_ref().clone(),
        None => infer(&files)?,
    };
    let (targets, is_dir) = super::listing_paths(&files, paths);
    let parts = if is_dir { partition_columns(&files) } else { vec![] };
    let data_schema =
        Schema::new(schema.fields().iter().filter(|f| !parts.iter().any(|p| &p.name == f.name())).cloned().collect::<Vec<_>>());
    let mut options = JsonReadOptions::default()
        .schema(&data_schema)
        .table_partition_cols(parts.iter().map(|p| (p.name.clone(), p.data_type.clone())).collect());
    options.file_extension = if is_dir { ".json" } else { "" };
    let df = session.block_on(session.ctx().read_json(targets, options))?;
    Ok(DataFrame::new(Arc::clone(session), df.into_unoptimized_plan()))
}

fn infer(files: &[InputFile]) -> Result<Schema> {
    let mut merged = Schema::empty();
    for f in files {
        let reader = BufReader::new(File::open(&f.path)?);
        let (schema, _) = infer_json_schema(reader, None)
            .map_err(|e| DriverError::Runtime(format!("cannot infer a schema from {}: {e}", f.path.display())))?;
        merged = Schema::try_merge([merged, schema])
            .map_err(|e| DriverError::Runtime(format!("incompatible JSON records in {}: {e}", f.path.display())))?;
    }
    let fields = sorted(merged.fields());
    Ok(Schema::new(fields))
}

fn sorted(fields: &Fields) -> Fields {
    let mut out: Vec<Field> = fields.iter().map(|f| f.as_ref().clone().with_data_type(sort_type(f.data_type()))).collect();
    out.sort_by(|a, b| a.name().cmp(b.name()));
    Fields::from(out)
}

fn sort_type(dt: &DataType) -> DataType {
    match dt {
        DataType::Struct(fields) => DataType::Struct(sorted(fields)),
        DataType::List(f) => DataType::List(Arc::new(f.as_ref().clone().with_data_type(sort_type(f.data_type())))),
        other => other.clone(),
    }
}
