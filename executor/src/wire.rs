//! Tasks on the wire: plans, output specs and session settings to and from `ember_proto`
//! messages. Plans and expressions are `datafusion_proto` bytes; Ember's own operators and
//! sources travel through the process's [`TaskEnv`] codec.

use std::fmt;
use std::sync::Arc;

use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionConfig;
use datafusion_proto::physical_plan::from_proto::{parse_physical_expr, parse_protobuf_partitioning};
use datafusion_proto::physical_plan::to_proto::{serialize_partitioning, serialize_physical_expr};
use datafusion_proto::physical_plan::{DefaultPhysicalProtoConverter, PhysicalExtensionCodec, PhysicalPlanDecodeContext};
use datafusion_proto::protobuf::{Partitioning as ProtoPartitioning, PhysicalExprNode};
use ember_proto as proto;
use prost::Message;
use tracing::warn;

use crate::error::{ExecutorError, Result};
use crate::ids::{DatasetId, TaskId};
use crate::layout::ShuffleLayout;
use crate::task::{OutputSpec, TaskDefinition, TaskStatus};

/// What a process needs to turn wire bytes back into runnable plans: every function a plan may
/// name, and a codec for every operator that is not DataFusion's own.
pub trait TaskEnv: fmt::Debug + Send + Sync {
    /// A task context configured by `settings`, with all of Ember's functions registered.
    fn task_context(&self, settings: &proto::SessionSettings) -> Result<Arc<TaskContext>>;
    fn codec(&self) -> &dyn PhysicalExtensionCodec;

    /// How a failure is reported across processes: an error class the driver understands and
    /// the message the user should see.
    fn classify(&self, err: &datafusion::error::DataFusionError) -> (String, String) {
        (String::new(), err.to_string())
    }
}

/// An error as it crosses to another process: (class, message).
pub fn describe(err: &ExecutorError, env: &dyn TaskEnv) -> (String, String) {
    match err {
        ExecutorError::Execution(e) => env.classify(e),
        ExecutorError::Remote { class, message } => (class.clone(), message.clone()),
        other => (String::new(), other.to_string()),
    }
}

fn rpc(what: &str, e: impl fmt::Display) -> ExecutorError {
    ExecutorError::Rpc(format!("{what}: {e}"))
}

pub fn encode_plan(plan: Arc<dyn ExecutionPlan>, codec: &dyn PhysicalExtensionCodec) -> Result<Vec<u8>> {
    Ok(datafusion_proto::bytes::physical_plan_to_bytes_with_extension_codec(plan, codec)?.to_vec())
}

pub fn decode_plan(bytes: &[u8], ctx: &TaskContext, codec: &dyn PhysicalExtensionCodec) -> Result<Arc<dyn ExecutionPlan>> {
    Ok(datafusion_proto::bytes::physical_plan_from_bytes_with_extension_codec(bytes, ctx, codec)?)
}

pub fn layout_to_proto(l: &ShuffleLayout) -> proto::ShuffleLayout {
    proto::ShuffleLayout {
        logical_partitions: l.logical_partitions as u64,
        default_width: l.default_width as u64,
        coalesce: l.coalesce,
        min_partitions: l.min_partitions as u64,
        advisory_bytes: l.advisory_bytes as u64,
        min_bytes: l.min_bytes as u64,
    }
}

pub fn layout_from_proto(l: &proto::ShuffleLayout) -> ShuffleLayout {
    ShuffleLayout {
        logical_partitions: l.logical_partitions as usize,
        default_width: l.default_width as usize,
        coalesce: l.coalesce,
        min_partitions: l.min_partitions as usize,
        advisory_bytes: l.advisory_bytes as usize,
        min_bytes: l.min_bytes as usize,
    }
}

/// The settings a session's plans need wherever they run.
pub fn settings_from_config(config: &SessionConfig, max_failures: u32) -> proto::SessionSettings {
    let options = config.options().entries().into_iter().filter_map(|e| e.value.map(|v| (e.key, v))).collect();
    let layout = config.get_extension::<ShuffleLayout>().map(|l| layout_to_proto(&l));
    proto::SessionSettings { options, layout, max_failures }
}

/// A session config carrying `settings` (options that no longer apply are skipped).
pub fn config_from_settings(settings: &proto::SessionSettings) -> SessionConfig {
    let mut config = SessionConfig::new();
    for (k, v) in &settings.options {
        if let Err(e) = config.options_mut().set(k, v) {
            warn!(key = %k, error = %e, "ignoring a session option the executor cannot apply");
        }
    }
    if let Some(layout) = &settings.layout {
        config = config.with_extension(Arc::new(layout_from_proto(layout)));
    }
    config
}

fn encode_output(output: &OutputSpec, codec: &dyn PhysicalExtensionCodec) -> Result<proto::OutputSpec> {
    use proto::output_spec::Kind;
    let converter = DefaultPhysicalProtoConverter {};
    let kind = match output {
        OutputSpec::PassThrough => Kind::PassThrough(proto::Empty {}),
        OutputSpec::Repartition(p) => Kind::Repartition(serialize_partitioning(p, codec, &converter)?.encode_to_vec()),
        OutputSpec::SparkHash { keys, logical } => Kind::SparkHash(proto::SparkHashOutput {
            keys: keys
                .iter()
                .map(|k| serialize_physical_expr(k, codec).map(|n| n.encode_to_vec()))
                .collect::<datafusion::error::Result<_>>()?,
            logical: *logical as u64,
        }),
    };
    Ok(proto::OutputSpec { kind: Some(kind) })
}

fn decode_output(
    output: Option<&proto::OutputSpec>,
    plan: &Arc<dyn ExecutionPlan>,
    ctx: &TaskContext,
    codec: &dyn PhysicalExtensionCodec,
) -> Result<OutputSpec> {
    use proto::output_spec::Kind;
    let schema = plan.schema();
    match output.and_then(|o| o.kind.as_ref()) {
        None | Some(Kind::PassThrough(_)) => Ok(OutputSpec::PassThrough),
        Some(Kind::Repartition(bytes)) => {
            let node = ProtoPartitioning::decode(bytes.as_slice()).map_err(|e| rpc("bad partitioning", e))?;
            let decode_ctx = PhysicalPlanDecodeContext::new(ctx, codec);
            let p = parse_protobuf_partitioning(Some(&node), &decode_ctx, &schema, &DefaultPhysicalProtoConverter {})?
                .ok_or_else(|| rpc("bad partitioning", "empty"))?;
            Ok(OutputSpec::Repartition(p))
        }
        Some(Kind::SparkHash(h)) => {
            let keys = h
                .keys
                .iter()
                .map(|b| {
                    let node = PhysicalExprNode::decode(b.as_slice()).map_err(|e| rpc("bad hash key", e))?;
                    Ok(parse_physical_expr(&node, ctx, &schema, codec)?)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(OutputSpec::SparkHash { keys, logical: h.logical as usize })
        }
    }
}

/// Builds the message that ships `task` to an executor.
pub fn encode_task(
    task: &TaskDefinition,
    settings: proto::SessionSettings,
    inputs: Vec<proto::DatasetLocations>,
    codec: &dyn PhysicalExtensionCodec,
) -> Result<proto::TaskRequest> {
    Ok(proto::TaskRequest {
        job: task.id.job,
        stage: task.id.stage as u64,
        partition: task.id.partition as u64,
        attempt: task.id.attempt,
        plan: encode_plan(Arc::clone(&task.plan), codec)?,
        output: Some(encode_output(&task.output, codec)?),
        dataset: task.dataset.0,
        num_tasks: task.num_tasks as u64,
        settings: Some(settings),
        inputs,
    })
}

/// Turns a task message back into a runnable task and its context.
pub fn decode_task(req: &proto::TaskRequest, env: &dyn TaskEnv) -> Result<(TaskDefinition, Arc<TaskContext>)> {
    let settings = req.settings.clone().unwrap_or_default();
    let ctx = env.task_context(&settings)?;
    let plan = decode_plan(&req.plan, &ctx, env.codec())?;
    let output = decode_output(req.output.as_ref(), &plan, &ctx, env.codec())?;
    let task = TaskDefinition {
        id: TaskId { job: req.job, stage: req.stage as usize, partition: req.partition as usize, attempt: req.attempt },
        plan,
        output,
        dataset: DatasetId(req.dataset),
        num_tasks: req.num_tasks as usize,
    };
    Ok((task, ctx))
}

pub fn status_to_proto(s: &TaskStatus) -> proto::TaskSuccess {
    proto::TaskSuccess {
        rows: s.rows as u64,
        bytes: s.bytes as u64,
        elapsed_ms: s.elapsed_ms as u64,
        bucket_bytes: s.bucket_bytes.iter().map(|b| *b as u64).collect(),
        remote_bytes: s.remote_bytes as u64,
        spilled_bytes: s.spilled_bytes as u64,
    }
}

pub fn status_from_proto(s: &proto::TaskSuccess) -> TaskStatus {
    TaskStatus {
        rows: s.rows as usize,
        bytes: s.bytes as usize,
        elapsed_ms: u128::from(s.elapsed_ms),
        bucket_bytes: s.bucket_bytes.iter().map(|b| *b as usize).collect(),
        spilled_bytes: s.spilled_bytes as usize,
        remote_bytes: s.remote_bytes as usize,
        executor: None,
    }
}

/// How a task failure travels back: lost inputs are named so the scheduler can re-create them;
/// anything else carries the engine's message unchanged.
pub fn failure_to_proto(err: &ExecutorError, executor: &str, env: &dyn TaskEnv) -> proto::TaskFailure {
    use proto::task_failure::Kind;
    let lost_from = match err {
        ExecutorError::Execution(e) => ExecutorError::lost_input(e),
        other => Some(other),
    };
    match (err.lost_map(), lost_from) {
        (Some((dataset, map)), Some(ExecutorError::FetchFailed { executor: from, .. })) => proto::TaskFailure {
            kind: Kind::FetchFailed as i32,
            message: err.to_string(),
            dataset,
            map_partition: map as u64,
            executor_id: from.clone(),
            error_class: String::new(),
        },
        (Some((dataset, map)), _) => proto::TaskFailure {
            kind: Kind::FetchFailed as i32,
            message: err.to_string(),
            dataset,
            map_partition: map as u64,
            executor_id: executor.to_string(),
            error_class: String::new(),
        },
        _ => {
            let (error_class, message) = describe(err, env);
            proto::TaskFailure { kind: Kind::Fatal as i32, message, error_class, ..Default::default() }
        }
    }
}

pub fn failure_from_proto(f: &proto::TaskFailure) -> ExecutorError {
    if f.kind == proto::task_failure::Kind::FetchFailed as i32 {
        ExecutorError::FetchFailed {
            dataset: f.dataset,
            map: f.map_partition as usize,
            executor: f.executor_id.clone(),
            message: f.message.clone(),
        }
    } else {
        ExecutorError::Remote { class: f.error_class.clone(), message: f.message.clone() }
    }
}
