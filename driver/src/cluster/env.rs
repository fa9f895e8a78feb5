//! What a scheduler or executor process needs to run a driver's plans: Ember's functions and a
//! codec for every operator a plan may contain.

use std::sync::Arc;

use datafusion::execution::cache::cache_manager::CacheManagerConfig;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionState;
use datafusion::execution::{SessionStateBuilder, TaskContext};
use datafusion_proto::physical_plan::PhysicalExtensionCodec;
use ember_executor::Result as ExecResult;
use ember_executor::wire::{TaskEnv, config_from_settings};
use ember_planner::codec::{EmberCodec, PlannerCodec};
use ember_proto::SessionSettings;

use crate::cluster::codec::{BuiltinCodec, DriverCodec};
use crate::error::Result;

/// Functions and codecs shared by every task a process runs.
#[derive(Debug)]
pub struct EmberTaskEnv {
    state: SessionState,
    runtime: Arc<RuntimeEnv>,
    codec: Arc<dyn PhysicalExtensionCodec>,
}

/// Codecs other crates add for their own plan parts (the Python package's UDFs), used by
/// sessions and cluster processes started in this process.
static EXTRA_CODECS: parking_lot::RwLock<Vec<Arc<dyn PhysicalExtensionCodec>>> = parking_lot::RwLock::new(Vec::new());

pub fn register_codec(codec: Arc<dyn PhysicalExtensionCodec>) {
    EXTRA_CODECS.write().push(codec);
}

pub fn extra_codecs() -> Vec<Arc<dyn PhysicalExtensionCodec>> {
    EXTRA_CODECS.read().clone()
}

/// The codec for every operator Ember plans contain, plus `extra` (the Python package adds its
/// UDFs). Drivers and cluster processes must list codecs in the same order.
pub fn ember_codec(extra: Vec<Arc<dyn PhysicalExtensionCodec>>) -> Arc<dyn PhysicalExtensionCodec> {
    let mut codecs: Vec<Arc<dyn PhysicalExtensionCodec>> = vec![Arc::new(PlannerCodec), Arc::new(DriverCodec), Arc::new(BuiltinCodec)];
    codecs.extend(extra);
    Arc::new(EmberCodec::new(codecs))
}

impl EmberTaskEnv {
    pub fn new(extra_codecs: Vec<Arc<dyn PhysicalExtensionCodec>>) -> Result<Self> {
        // Files are listed afresh on every read, as on the driver.
        let runtime =
            RuntimeEnvBuilder::new().with_cache_manager(CacheManagerConfig::default().with_list_files_cache_limit(0)).build_arc()?;
        let mut state = SessionStateBuilder::new().with_runtime_env(Arc::clone(&runtime)).with_default_features().build();
        ember_sql::functions::install(&mut state)?;
        Ok(Self { state, runtime, codec: ember_codec(extra_codecs) })
    }
}

impl TaskEnv for EmberTaskEnv {
    fn task_context(&self, settings: &SessionSettings) -> ExecResult<Arc<TaskContext>> {
        let config = config_from_settings(settings);
        Ok(Arc::new(TaskContext::new(
            None,
            self.state.session_id().to_string(),
            config,
            self.state.scalar_functions().clone(),
            self.state.higher_order_functions().clone(),
            self.state.aggregate_functions().clone(),
            self.state.window_functions().clone(),
            Arc::clone(&self.runtime),
        )))
    }

    fn codec(&self) -> &dyn PhysicalExtensionCodec {
        self.codec.as_ref()
    }

    fn classify(&self, err: &datafusion::error::DataFusionError) -> (String, String) {
        let e = crate::error::classify(err);
        (e.class().to_string(), e.to_string())
    }
}
