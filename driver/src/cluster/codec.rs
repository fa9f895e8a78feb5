//! Shipping the driver's own scans (`range`, CSV and text files) to executors, and the
//! DataFusion built-ins that Spark's functions shadow by name.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::DataType;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::{SessionStateDefaults, TaskContext};
use datafusion::logical_expr::ScalarUDF;
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use datafusion_proto::protobuf::ArrowType;
use ember_planner::codec::{decode_extension, encode_extension, schema_from_bytes, schema_to_bytes};
use ember_proto::plan_extension::Node;
use ember_proto::{FileGroup, FileScanNode, RangeNode};
use prost::Message;

use crate::range::{RangeExec, RangeSpec};
use crate::read::csv::CsvDecoder;
use crate::read::file_scan::{FileDecoder, FileScanExec};
use crate::read::paths::{InputFile, PartitionColumn};
use crate::read::text::TextDecoder;

/// DataFusion's own scalar functions whose names Spark's versions take over in Ember's
/// registry. The optimizer can still leave DataFusion's version in a plan (Spark's
/// `date_part` simplifies to it), and a function shipped by name would come back as Spark's.
static SHADOWED: LazyLock<HashMap<String, Arc<ScalarUDF>>> = LazyLock::new(|| {
    let spark: HashSet<String> = datafusion_spark::all_default_scalar_functions()
        .iter()
        .chain(ember_sql::functions::ember_scalars().iter())
        .flat_map(|f| std::iter::once(f.name().to_string()).chain(f.aliases().iter().cloned()))
        .collect();
    SessionStateDefaults::default_scalar_functions()
        .into_iter()
        .filter(|f| spark.contains(f.name()))
        .map(|f| (f.name().to_string(), f))
        .collect()
});

/// Marks a function shipped as "DataFusion's built-in of this name".
const BUILTIN: &[u8] = b"datafusion";

/// Shadowed DataFusion built-ins (see [`SHADOWED`]).
#[derive(Debug, Default)]
pub struct BuiltinCodec;

impl PhysicalExtensionCodec for BuiltinCodec {
    fn try_decode(
        &self,
        _buf: &[u8],
        _inputs: &[Arc<dyn ExecutionPlan>],
        _ctx: &TaskContext,
        _converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Err(DataFusionError::NotImplemented("the built-in codec ships functions only".into()))
    }

    fn try_encode(
        &self,
        _node: Arc<dyn ExecutionPlan>,
        _buf: &mut Vec<u8>,
        _converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        Err(DataFusionError::NotImplemented("the built-in codec ships functions only".into()))
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        // A `try_*` wrapper travels as the name of what it wraps.
        if let Some(wrapped) = ember_sql::try_eval::encode(node) {
            buf.extend_from_slice(&wrapped);
            return Ok(());
        }
        if SHADOWED.get(node.name()).is_some_and(|builtin| builtin.as_ref() == node) {
            buf.extend_from_slice(BUILTIN);
        }
        Ok(())
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        if let Some(f) = ember_sql::try_eval::decode(name, buf, ember_sql::functions::find_scalar) {
            return Ok(f);
        }
        match SHADOWED.get(name) {
            Some(f) if buf == BUILTIN => Ok(Arc::clone(f)),
            _ => Err(bad("function", format!("{name} is not a DataFusion built-in"))),
        }
    }
}

fn bad(what: &str, e: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Internal(format!("cannot decode {what}: {e}"))
}

/// The driver's operators.
#[derive(Debug, Default)]
pub struct DriverCodec;

fn decoder(format: &str, options: &std::collections::HashMap<String, String>) -> Result<Arc<dyn FileDecoder>> {
    match format {
        "csv" => Ok(Arc::new(CsvDecoder::new(options.clone()).map_err(|e| bad("CSV options", e))?)),
        "text" => Ok(Arc::new(TextDecoder)),
        other => Err(bad("file scan", format!("unknown format {other}"))),
    }
}

impl PhysicalExtensionCodec for DriverCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        _inputs: &[Arc<dyn ExecutionPlan>],
        _ctx: &TaskContext,
        _converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match decode_extension(buf)? {
            Node::Range(r) => {
                let spec = RangeSpec { start: r.start, step: r.step, count: r.count, partitions: r.partitions as usize };
                Ok(Arc::new(RangeExec::new(spec, r.with_id)))
            }
            Node::FileScan(f) => {
                let groups = f
                    .groups
                    .iter()
                    .map(|g| {
                        g.files
                            .iter()
                            .map(|file| InputFile {
                                path: PathBuf::from(&file.path),
                                partition_values: file.partition_keys.iter().cloned().zip(file.partition_values.iter().cloned()).collect(),
                            })
                            .collect()
                    })
                    .collect();
                let partitions = f
                    .partition_columns
                    .iter()
                    .map(|c| {
                        let t = ArrowType::decode(c.data_type.as_slice()).map_err(|e| bad("partition column type", e))?;
                        Ok(PartitionColumn { name: c.name.clone(), data_type: DataType::try_from(&t)? })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let projection = f.has_projection.then(|| f.projection.iter().map(|i| *i as usize).collect());
                Ok(Arc::new(FileScanExec::from_parts(
                    groups,
                    Arc::new(schema_from_bytes(&f.data_schema)?),
                    partitions,
                    Arc::new(schema_from_bytes(&f.full_schema)?),
                    projection,
                    decoder(&f.format, &f.options)?,
                )?))
            }
            _ => Err(DataFusionError::NotImplemented("not a driver operator".into())),
        }
    }

    fn try_encode(&self, node: Arc<dyn ExecutionPlan>, buf: &mut Vec<u8>, _converter: &dyn PhysicalProtoConverterExtension) -> Result<()> {
        if let Some(r) = node.downcast_ref::<RangeExec>() {
            let s = r.spec;
            let n = RangeNode { start: s.start, step: s.step, count: s.count, partitions: s.partitions as u64, with_id: r.with_id };
            return encode_extension(Node::Range(n), buf);
        }
        let Some(scan) = node.downcast_ref::<FileScanExec>() else {
            return Err(DataFusionError::NotImplemented(format!("{} is not a driver operator", node.name())));
        };
        let groups = scan
            .files
            .iter()
            .map(|g| FileGroup {
                files: g
                    .iter()
                    .map(|f| ember_proto::InputFile {
                        path: f.path.to_string_lossy().into_owned(),
                        partition_keys: f.partition_values.iter().map(|(k, _)| k.clone()).collect(),
                        partition_values: f.partition_values.iter().map(|(_, v)| v.clone()).collect(),
                    })
                    .collect(),
            })
            .collect();
        let partition_columns = scan
            .partitions
            .iter()
            .map(|c| {
                Ok(ember_proto::PartitionColumn { name: c.name.clone(), data_type: ArrowType::try_from(&c.data_type)?.encode_to_vec() })
            })
            .collect::<Result<Vec<_>>>()?;
        let n = FileScanNode {
            format: scan.decoder.name().to_string(),
            options: scan.decoder.options(),
            groups,
            data_schema: schema_to_bytes(&scan.data_schema)?,
            full_schema: schema_to_bytes(&scan.full_schema)?,
            partition_columns,
            has_projection: scan.projection.is_some(),
            projection: scan.projection.iter().flatten().map(|i| *i as u64).collect(),
        };
        encode_extension(Node::FileScan(n), buf)
    }
}
