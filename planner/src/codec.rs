//! Shipping plans: a `datafusion_proto` extension codec for the operators the planner puts into
//! stage fragments (shuffle readers, reversed broadcast build sides).
//!
//! Other crates add codecs for their own operators (the driver's file scans and ranges, the
//! Python package's UDFs); a process combines them with [`EmberCodec`].

use std::ops::Range;
use std::sync::Arc;

use datafusion::arrow::datatypes::Schema;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties};
use datafusion_proto::physical_plan::from_proto::parse_protobuf_partitioning;
use datafusion_proto::physical_plan::to_proto::serialize_partitioning;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalPlanDecodeContext, PhysicalProtoConverterExtension};
use datafusion_proto::protobuf;
use ember_executor::{DatasetId, ReadMode, ShuffleReaderExec};
use ember_proto::shuffle_reader_node::Mode;
use ember_proto::{BucketRange, PlanExtension, ReverseNode, ShuffleReaderNode, plan_extension::Node};
use prost::Message;

use crate::reverse::ReverseExec;

fn bad(what: &str, e: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Internal(format!("cannot decode {what}: {e}"))
}

/// Encodes an Arrow schema as `datafusion_proto` bytes.
pub fn schema_to_bytes(schema: &Schema) -> Result<Vec<u8>> {
    Ok(protobuf::Schema::try_from(schema)?.encode_to_vec())
}

pub fn schema_from_bytes(bytes: &[u8]) -> Result<Schema> {
    let node = protobuf::Schema::decode(bytes).map_err(|e| bad("schema", e))?;
    Ok(Schema::try_from(&node)?)
}

/// Wraps one of Ember's nodes for an extension slot.
pub fn encode_extension(node: Node, buf: &mut Vec<u8>) -> Result<()> {
    PlanExtension { node: Some(node) }.encode(buf).map_err(|e| DataFusionError::Internal(e.to_string()))
}

pub fn decode_extension(buf: &[u8]) -> Result<Node> {
    PlanExtension::decode(buf).map_err(|e| bad("plan extension", e))?.node.ok_or_else(|| bad("plan extension", "empty"))
}

/// The planner's operators.
#[derive(Debug, Default)]
pub struct PlannerCodec;

impl PhysicalExtensionCodec for PlannerCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match decode_extension(buf)? {
            Node::Reverse(_) => {
                let input = inputs.first().ok_or_else(|| bad("ReverseExec", "no input"))?;
                Ok(Arc::new(ReverseExec::new(Arc::clone(input))))
            }
            Node::ShuffleReader(n) => {
                let schema = Arc::new(schema_from_bytes(&n.schema)?);
                let node = protobuf::Partitioning::decode(n.partitioning.as_slice()).map_err(|e| bad("partitioning", e))?;
                let decode_ctx = PhysicalPlanDecodeContext::new(ctx, self);
                let partitioning = parse_protobuf_partitioning(Some(&node), &decode_ctx, &schema, converter)?
                    .ok_or_else(|| bad("partitioning", "empty"))?;
                let num_maps = n.num_maps as usize;
                let mode = match Mode::try_from(n.mode).map_err(|e| bad("read mode", e))? {
                    Mode::Reduce => ReadMode::Reduce { num_maps },
                    Mode::SparkHash => ReadMode::SparkHash { num_maps, logical: n.logical as usize },
                    Mode::Coalesced => ReadMode::Coalesced {
                        num_maps,
                        ranges: Arc::new(n.ranges.iter().map(|r| r.start as usize..r.end as usize).collect()),
                    },
                    Mode::PerMap => ReadMode::PerMap,
                    Mode::All => ReadMode::All { num_maps },
                    Mode::Broadcast => ReadMode::Broadcast { num_maps },
                };
                Ok(Arc::new(ShuffleReaderExec::new(DatasetId(n.dataset), mode, schema, partitioning)))
            }
            _ => Err(DataFusionError::NotImplemented("not a planner operator".into())),
        }
    }

    fn try_encode(&self, node: Arc<dyn ExecutionPlan>, buf: &mut Vec<u8>, converter: &dyn PhysicalProtoConverterExtension) -> Result<()> {
        if node.downcast_ref::<ReverseExec>().is_some() {
            return encode_extension(Node::Reverse(ReverseNode {}), buf);
        }
        let Some(reader) = node.downcast_ref::<ShuffleReaderExec>() else {
            return Err(DataFusionError::NotImplemented(format!("{} is not a planner operator", node.name())));
        };
        let ranges = |r: &[Range<usize>]| r.iter().map(|r| BucketRange { start: r.start as u64, end: r.end as u64 }).collect();
        let (mode, logical, ranges) = match reader.mode() {
            ReadMode::Reduce { .. } => (Mode::Reduce, 0, Vec::new()),
            ReadMode::SparkHash { logical, .. } => (Mode::SparkHash, *logical, Vec::new()),
            ReadMode::Coalesced { ranges: r, .. } => (Mode::Coalesced, 0, ranges(r)),
            ReadMode::PerMap => (Mode::PerMap, 0, Vec::new()),
            ReadMode::All { .. } => (Mode::All, 0, Vec::new()),
            ReadMode::Broadcast { .. } => (Mode::Broadcast, 0, Vec::new()),
        };
        let partitioning = serialize_partitioning(node.output_partitioning(), self, converter)?.encode_to_vec();
        let n = ShuffleReaderNode {
            dataset: reader.dataset().0,
            mode: mode as i32,
            num_maps: reader.num_maps() as u64,
            logical: logical as u64,
            ranges,
            schema: schema_to_bytes(&node.schema())?,
            partitioning,
        };
        encode_extension(Node::ShuffleReader(n), buf)
    }
}

/// Several codecs as one: a node or function is encoded by the first codec that accepts it,
/// tagged with that codec's position so the receiving process asks the same one. Unlike
/// DataFusion's composed codec, a function is only tagged when a codec actually wrote bytes
/// for it; built-in functions stay encoded by name.
#[derive(Debug)]
pub struct EmberCodec {
    codecs: Vec<Arc<dyn PhysicalExtensionCodec>>,
}

impl EmberCodec {
    /// Every process of a cluster must list the same codecs in the same order.
    pub fn new(codecs: Vec<Arc<dyn PhysicalExtensionCodec>>) -> Self {
        Self { codecs }
    }

    fn tagged<'a>(&'a self, buf: &'a [u8]) -> Result<(&'a dyn PhysicalExtensionCodec, &'a [u8])> {
        let (tag, rest) = buf.split_first().ok_or_else(|| bad("extension", "empty"))?;
        let codec = self
            .codecs
            .get(usize::from(*tag))
            .ok_or_else(|| bad("extension", format!("codec {tag} is not known to this process (is it started with the same packages?)")))?;
        Ok((codec.as_ref(), rest))
    }
}

impl PhysicalExtensionCodec for EmberCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let (codec, rest) = self.tagged(buf)?;
        codec.try_decode(rest, inputs, ctx, converter)
    }

    fn try_encode(&self, node: Arc<dyn ExecutionPlan>, buf: &mut Vec<u8>, converter: &dyn PhysicalProtoConverterExtension) -> Result<()> {
        for (tag, codec) in self.codecs.iter().enumerate() {
            let mut data = vec![tag as u8];
            if codec.try_encode(Arc::clone(&node), &mut data, converter).is_ok() {
                buf.extend(data);
                return Ok(());
            }
        }
        Err(DataFusionError::NotImplemented(format!("{} cannot be sent to another process", node.name())))
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<datafusion::logical_expr::ScalarUDF>> {
        if buf.is_empty() {
            return Err(DataFusionError::Plan(format!("function {name} is not registered in this process")));
        }
        let (codec, rest) = self.tagged(buf)?;
        codec.try_decode_udf(name, rest)
    }

    fn try_encode_udf(&self, node: &datafusion::logical_expr::ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        for (tag, codec) in self.codecs.iter().enumerate() {
            let mut data = Vec::new();
            codec.try_encode_udf(node, &mut data)?;
            if !data.is_empty() {
                buf.push(tag as u8);
                buf.extend(data);
                return Ok(());
            }
        }
        Ok(())
    }
}
