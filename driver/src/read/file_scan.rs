//! A scan over local files decoded by Ember's own readers (CSV, text): one partition per file,
//! with partition-directory values appended as constant columns.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{Session as CatalogSession, TableProvider};
use datafusion::common::stats::Precision;
use datafusion::common::{ScalarValue, Statistics};
use datafusion::datasource::TableType;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::{EquivalenceProperties, Partitioning};
use datafusion::physical_plan::StatisticsArgs;
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, SendableRecordBatchStream};
use futures::StreamExt;

use super::paths::{InputFile, NULL_PARTITION, PartitionColumn};

/// Turns one file into record batches of the data schema (without partition columns).
pub trait FileDecoder: fmt::Debug + Send + Sync {
    fn name(&self) -> &str;
    /// The options that rebuild this decoder in another process (see `cluster::codec`).
    fn options(&self) -> std::collections::HashMap<String, String>;
    fn decode(&self, file: &InputFile, schema: SchemaRef) -> Result<Box<dyn Iterator<Item = Result<RecordBatch>> + Send>>;
}

/// A table of files read by a [`FileDecoder`], one partition per group of files.
#[derive(Debug)]
pub struct FileTable {
    files: Arc<Vec<Vec<InputFile>>>,
    data_schema: SchemaRef,
    partitions: Vec<PartitionColumn>,
    schema: SchemaRef,
    decoder: Arc<dyn FileDecoder>,
}

impl FileTable {
    pub fn new(
        files: Vec<Vec<InputFile>>,
        data_schema: SchemaRef,
        partitions: Vec<PartitionColumn>,
        decoder: Arc<dyn FileDecoder>,
    ) -> Self {
        // A partition column that is also in the data keeps the data's values.
        let partitions: Vec<PartitionColumn> = partitions.into_iter().filter(|p| data_schema.field_with_name(&p.name).is_err()).collect();
        let mut fields: Vec<Field> = data_schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        for p in &partitions {
            fields.push(Field::new(&p.name, p.data_type.clone(), true));
        }
        let schema = Arc::new(Schema::new(fields));
        Self { files: Arc::new(files), data_schema, partitions, schema, decoder }
    }
}

#[async_trait]
impl TableProvider for FileTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        _state: &dyn CatalogSession,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(FileScanExec::from_parts(
            self.files.as_ref().clone(),
            Arc::clone(&self.data_schema),
            self.partitions.clone(),
            Arc::clone(&self.schema),
            projection.cloned(),
            Arc::clone(&self.decoder),
        )?))
    }
}

#[derive(Debug)]
pub struct FileScanExec {
    pub(crate) files: Arc<Vec<Vec<InputFile>>>,
    pub(crate) data_schema: SchemaRef,
    pub(crate) partitions: Vec<PartitionColumn>,
    pub(crate) full_schema: SchemaRef,
    pub(crate) projection: Option<Vec<usize>>,
    out_schema: SchemaRef,
    pub(crate) decoder: Arc<dyn FileDecoder>,
    properties: Arc<PlanProperties>,
}

impl FileScanExec {
    /// Rebuilds a scan from its parts (a plan shipped to an executor).
    pub(crate) fn from_parts(
        files: Vec<Vec<InputFile>>,
        data_schema: SchemaRef,
        partitions: Vec<PartitionColumn>,
        full_schema: SchemaRef,
        projection: Option<Vec<usize>>,
        decoder: Arc<dyn FileDecoder>,
    ) -> Result<Self> {
        let out_schema = match &projection {
            Some(p) => Arc::new(full_schema.project(p)?),
            None => Arc::clone(&full_schema),
        };
        let properties = PlanProperties::new(
            EquivalenceProperties::new(Arc::clone(&out_schema)),
            Partitioning::UnknownPartitioning(files.len().max(1)),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Ok(Self {
            files: Arc::new(files),
            data_schema,
            partitions,
            full_schema,
            projection,
            out_schema,
            decoder,
            properties: Arc::new(properties),
        })
    }
}

impl DisplayAs for FileScanExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let n: usize = self.files.iter().map(Vec::len).sum();
        write!(f, "FileScanExec: format={}, files={n}, partitions={}", self.decoder.name(), self.files.len())
    }
}

impl ExecutionPlan for FileScanExec {
    fn name(&self) -> &str {
        "FileScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    ember_executor::leaf_plan_methods!();

    /// File sizes as the size estimate, as Spark estimates file relations: it decides which
    /// side of a join is broadcast.
    fn statistics_from_inputs(&self, _inputs: &[Arc<Statistics>], args: &StatisticsArgs) -> Result<Arc<Statistics>> {
        let size = |f: &InputFile| std::fs::metadata(&f.path).map_or(0, |m| m.len() as usize);
        let bytes: usize = match args.partition() {
            Some(p) => self.files.get(p).map_or(0, |g| g.iter().map(size).sum()),
            None => self.files.iter().flatten().map(size).sum(),
        };
        Ok(Arc::new(Statistics::new_unknown(&self.out_schema).with_total_byte_size(Precision::Inexact(bytes))))
    }

    fn execute(&self, partition: usize, _context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let out_schema = Arc::clone(&self.out_schema);
        let group = self.files.get(partition).cloned().unwrap_or_default();
        let mut streams = Vec::with_capacity(group.len());
        for file in &group {
            let batches = self.decoder.decode(file, Arc::clone(&self.data_schema))?;
            let constants = partition_constants(file, &self.partitions)?;
            let full = Arc::clone(&self.full_schema);
            let projection = self.projection.clone();
            streams.push(futures::stream::iter(batches.map(move |b| {
                let b = b?;
                let mut columns: Vec<ArrayRef> = b.columns().to_vec();
                for value in &constants {
                    columns.push(value.to_array_of_size(b.num_rows())?);
                }
                let batch = RecordBatch::try_new(Arc::clone(&full), columns)?;
                match &projection {
                    Some(p) => Ok(batch.project(p)?),
                    None => Ok(batch),
                }
            })));
        }
        Ok(Box::pin(RecordBatchStreamAdapter::new(out_schema, futures::stream::iter(streams).flatten())))
    }
}

fn partition_constants(file: &InputFile, columns: &[PartitionColumn]) -> Result<Vec<ScalarValue>> {
    columns
        .iter()
        .map(|c| {
            let raw = file.partition_values.iter().find(|(k, _)| *k == c.name).map(|(_, v)| v.as_str());
            match raw {
                None | Some(NULL_PARTITION) => ScalarValue::try_from(&c.data_type),
                Some(v) => ScalarValue::Utf8(Some(v.to_string())).cast_to(&c.data_type),
            }
        })
        .collect::<Result<Vec<_>>>()
        .map_err(|e| DataFusionError::Execution(format!("bad partition value in {}: {e}", file.path.display())))
}

/// Ensures the data type is one a decoder can build (used for user-provided schemas).
pub fn is_supported(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Utf8
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Date32
            | DataType::Timestamp(_, _)
            | DataType::Decimal128(_, _)
            | DataType::Null
    )
}
