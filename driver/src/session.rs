//! A session: DataFusion state configured for Spark semantics, the catalog of temporary views,
//! and the engine (scheduler + executor backend) that runs its jobs.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::TaskContext;
use datafusion::execution::cache::cache_manager::CacheManagerConfig;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use ember_scheduler::{ClusterClient, JobMetrics, JobRunner, LocalBackend, Scheduler};
use parking_lot::RwLock;
use tokio::runtime::Runtime;

use crate::cache::{CacheRegistry, CachedRelation};
use crate::catalog;
use crate::cluster::env::extra_codecs;
use crate::cluster::{LocalCluster, ember_codec};
use crate::config::{Conf, EXECUTOR_MEMORY, Master, SHUFFLE_PARTITIONS, SPARK_DEFAULT_SHUFFLE_PARTITIONS};
use crate::error::{DriverError, Result};
use crate::resolve::FrameRegistry;
use ember_executor::{PartitionStore, ShuffleLayout};

/// The Spark default database name and Ember's catalog name (`spark_catalog`, as in Spark).
pub const CATALOG: &str = "spark_catalog";
pub const DATABASE: &str = ember_sql::constants::DEFAULT_SCHEMA;

/// One user session. Cheap to share: Python objects and DataFrames hold an `Arc<Session>`.
pub struct Session {
    ctx: SessionContext,
    /// Always `Some` until drop (see `Drop`).
    runtime: Option<Runtime>,
    /// Runs the session's jobs: the in-process scheduler, or a cluster's.
    engine: Arc<dyn JobRunner>,
    /// The processes of a `local-cluster` master, stopped when the session stops.
    local_cluster: parking_lot::Mutex<Option<LocalCluster>>,
    /// Task slots across the engine: Spark's default parallelism.
    slots: usize,
    master: Master,
    conf: RwLock<Conf>,
    frames: FrameRegistry,
    caches: CacheRegistry,
    /// Views made by `CACHE TABLE`, so `UNCACHE TABLE` can free them.
    cached_views: parking_lot::Mutex<std::collections::HashMap<String, Arc<CachedRelation>>>,
}

/// How hash exchanges are laid out and coalesced, from Spark's settings.
fn shuffle_layout(conf: &Conf, logical: usize, slots: usize, default_width: usize) -> ShuffleLayout {
    let mut layout = ShuffleLayout::spark(logical, slots, default_width);
    let off = |k: &str| conf.get(k).is_some_and(|v| v.trim().eq_ignore_ascii_case("false"));
    layout.coalesce = !off("spark.sql.adaptive.enabled") && !off("spark.sql.adaptive.coalescePartitions.enabled");
    layout
}

/// The last handle to a session can be released anywhere, including on one of its own task
/// threads (Python's garbage collector runs inside UDFs); the runtime is then shut down in the
/// background instead of being joined, which tokio forbids from async context.
impl Drop for Session {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_err() {
                rt.block_on(end_engine(&self.engine));
            }
            rt.shutdown_background();
        }
    }
}

/// Ends the engine's session, giving an unreachable cluster a moment at most.
async fn end_engine(engine: &Arc<dyn JobRunner>) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), engine.shutdown()).await;
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("session_id", &self.ctx.session_id()).field("master", &self.master).finish()
    }
}

/// Connects to (or starts) the engine a master names.
fn start_engine(master: &Master, conf: &Conf, runtime: &Runtime, session_id: &str) -> Result<(Arc<dyn JobRunner>, Option<LocalCluster>)> {
    let connect = |url: &str, executors: usize, wait: std::time::Duration| -> Result<Arc<dyn JobRunner>> {
        let client = runtime.block_on(ClusterClient::connect(
            url,
            ember_codec(extra_codecs()),
            conf.max_failures(),
            executors,
            wait,
            session_id.to_string(),
        ))?;
        Ok(Arc::new(client))
    };
    match master {
        Master::Local { slots } => {
            // `spark.executor.memory` bounds the in-process store too; beyond it, it spills.
            let backend = match conf.size_bytes(EXECUTOR_MEMORY)? {
                Some(budget) => {
                    let dir = std::env::temp_dir().join(format!("ember-local-{session_id}"));
                    LocalBackend::with_store(*slots, PartitionStore::with_budget(budget, dir)?)
                }
                None => LocalBackend::new(*slots),
            };
            let backend = Arc::new(backend);
            Ok((Arc::new(Scheduler::new(backend).with_max_failures(conf.max_failures())), None))
        }
        Master::Cluster { url } => Ok((connect(url, 1, std::time::Duration::from_secs(10))?, None)),
        Master::LocalCluster { workers, cores, memory_mb } => {
            // Spark's local-cluster gives executors `spark.executor.memory` when set.
            let memory = conf.size_bytes(EXECUTOR_MEMORY)?.unwrap_or(*memory_mb << 20);
            let cluster = LocalCluster::start(*workers, *cores, memory)?;
            let engine = connect(cluster.url(), *workers, std::time::Duration::from_secs(60))?;
            Ok((engine, Some(cluster)))
        }
    }
}

impl Session {
    pub fn new(conf: Conf) -> Result<Arc<Session>> {
        conf.check()?;
        let master = conf.master()?;
        let threads = match &master {
            Master::Local { slots } => *slots,
            _ => std::thread::available_parallelism().map_or(2, |n| n.get()),
        };
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(threads.max(1)).thread_name("ember-task").enable_all().build()?;
        let session_id = uuid::Uuid::new_v4().to_string();
        let (engine, local_cluster) = start_engine(&master, &conf, &runtime, &session_id)?;
        let slots = engine.slots();
        let partitions = conf.shuffle_partitions(slots)?;
        let layout = shuffle_layout(&conf, conf.spark_shuffle_partitions()?, slots, partitions);
        let config = SessionConfig::new()
            .with_extension(Arc::new(layout))
            .with_target_partitions(partitions)
            .with_default_catalog_and_schema(CATALOG, DATABASE)
            .with_create_default_catalog_and_schema(true)
            .with_information_schema(true)
            // Exchanges are stage boundaries; a round-robin one after every scan would only
            // add a stage. Scans are already split into `target_partitions` pieces.
            .with_round_robin_repartition(false)
            // A task runs one partition of its own copy of a stage's plan (and a retry runs it
            // again), so every file range must belong to exactly one partition: no stealing
            // of sibling partitions' files at run time.
            .set_bool("datafusion.execution.enable_file_stream_work_stealing", false)
            // A join's dynamic filter waits until every partition of its plan instance has
            // built its side; a task runs only one partition of its instance, so that wait
            // would never end on a cluster (and would hold a slot locally).
            .set_bool("datafusion.optimizer.enable_join_dynamic_filter_pushdown", false)
            // DataFusion moves struct-field reads below the filters above them (to read nested
            // columns early); a read of an expression that can fail, Spark's `a[0].f`, would then
            // run on rows the `WHERE` removes. Spark evaluates a select list after its filter.
            .set_bool("datafusion.optimizer.enable_leaf_expression_pushdown", false)
            // Spark's session time zone, in which `current_timestamp()` is a TIMESTAMP (an instant).
            .set_str("datafusion.execution.time_zone", ember_sql::types::UTC)
            // Spark sorts NULLs first ascending and last descending.
            .set_str("datafusion.sql_parser.default_null_ordering", "nulls_min")
            .set_bool("datafusion.sql_parser.map_string_types_to_utf8view", false)
            .set_bool("datafusion.execution.parquet.schema_force_view_types", true)
            // Spark writes TIMESTAMPs to Parquet as INT96 microsecond instants.
            .set_str("datafusion.execution.parquet.coerce_int96", "us")
            .set_str("datafusion.execution.parquet.coerce_int96_tz", ember_sql::types::UTC)
            .set_bool("datafusion.sql_parser.enable_ident_normalization", false)
            // A derived table's ORDER BY is kept, as Spark keeps it: `string_agg` over
            // `(SELECT ... ORDER BY x)` aggregates in that order (`ember_sql::input_order`).
            .set_bool("datafusion.sql_parser.enable_subquery_sort_elimination", false)
            // Spark reads `1.5` as decimal(2,1).
            .set_bool("datafusion.sql_parser.parse_float_as_decimal", true)
            // Spark broadcasts a join side estimated under `spark.sql.autoBroadcastJoinThreshold`.
            .set_usize("datafusion.optimizer.hash_join_single_partition_threshold", conf.broadcast_threshold())
            .set_usize("datafusion.optimizer.hash_join_single_partition_threshold_rows", usize::MAX / 2);
        // Directories are listed afresh on every read: files appear and vanish between jobs
        // (writes, appends, overwrites), and Spark never serves a stale listing.
        let runtime_env =
            RuntimeEnvBuilder::new().with_cache_manager(CacheManagerConfig::default().with_list_files_cache_limit(0)).build_arc()?;
        // `datafusion.*` keys in the Spark conf tune the engine underneath directly.
        let mut config = config;
        for (k, v) in conf.all().iter().filter(|(k, _)| k.starts_with("datafusion.")) {
            config.options_mut().set(k, v).map_err(DriverError::from)?;
        }
        let mut state = SessionStateBuilder::new()
            .with_session_id(session_id)
            .with_config(config)
            .with_runtime_env(runtime_env)
            .with_default_features()
            .with_expr_planners(ember_sql::functions::expr_planners())
            .with_type_planner(Arc::new(ember_sql::type_planner::SparkTypePlanner))
            .with_optimizer_rules(ember_sql::select_subquery::optimizer_rules())
            .with_physical_optimizer_rules(ember_planner::join_sides::physical_optimizer_rules())
            .build();
        ember_sql::functions::install(&mut state)?;
        let ctx = SessionContext::new_with_state(state);
        catalog::install(&ctx)?;
        // Spark's `range` (column `id`) replaces DataFusion's (column `value`); relation names
        // are lower-cased before planning, as Spark resolves them case-insensitively.
        ctx.register_udtf("range", Arc::new(crate::range::RangeFunction { default_partitions: slots }));
        ctx.register_udtf("variant_explode", Arc::new(ember_sql::variant::VariantExplode { outer: false }));
        ctx.register_udtf("variant_explode_outer", Arc::new(ember_sql::variant::VariantExplode { outer: true }));
        tracing::debug!(?master, partitions, "session started");
        Ok(Arc::new(Session {
            ctx,
            runtime: Some(runtime),
            engine,
            local_cluster: parking_lot::Mutex::new(local_cluster),
            slots,
            master,
            conf: RwLock::new(conf),
            frames: FrameRegistry::default(),
            caches: CacheRegistry::default(),
            cached_views: parking_lot::Mutex::new(std::collections::HashMap::new()),
        }))
    }

    pub fn ctx(&self) -> &SessionContext {
        &self.ctx
    }

    /// Which fields each DataFrame that handed out `df["x"]` references had.
    pub fn frames(&self) -> &FrameRegistry {
        &self.frames
    }

    pub fn caches(&self) -> &CacheRegistry {
        &self.caches
    }

    pub fn remember_cached_view(&self, name: &str, rel: Arc<CachedRelation>) {
        self.cached_views.lock().insert(name.to_ascii_lowercase(), rel);
    }

    pub fn is_view_cached(&self, name: &str) -> bool {
        self.cached_views.lock().contains_key(&name.to_ascii_lowercase())
    }

    /// Frees a `CACHE TABLE` view's partitions; returns whether it was cached.
    pub fn uncache_view(&self, name: &str) -> Result<bool> {
        match self.cached_views.lock().remove(&name.to_ascii_lowercase()) {
            Some(rel) => {
                rel.release();
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub fn master(&self) -> &Master {
        &self.master
    }

    /// Task slots of the engine (`spark.default.parallelism` when unset).
    pub fn default_parallelism(&self) -> usize {
        self.slots
    }

    /// The `ember://` URL of the cluster this session runs on, if any.
    pub fn cluster_url(&self) -> Option<String> {
        match (&self.master, self.local_cluster.lock().as_ref()) {
            (_, Some(c)) => Some(c.url().to_string()),
            (Master::Cluster { url }, None) => Some(url.clone()),
            _ => None,
        }
    }

    /// Process ids of a local cluster's scheduler and executors.
    pub fn local_cluster_pids(&self) -> Vec<u32> {
        self.local_cluster.lock().as_ref().map(LocalCluster::pids).unwrap_or_default()
    }

    pub fn conf_get(&self, key: &str) -> Option<String> {
        self.conf.read().get(key).map(str::to_string)
    }

    /// A setting as programs read it (`SET key`, `spark.conf.get`): its value if set, else the
    /// default Ember runs with where that differs from having none.
    pub fn conf_value(&self, key: &str) -> Option<String> {
        self.conf_get(key).or_else(|| match key {
            // One shuffle partition per slot unless set (Spark's fixed default is 200).
            "spark.sql.shuffle.partitions" => Some(self.default_parallelism().to_string()),
            _ => None,
        })
    }

    pub fn conf_all(&self) -> Vec<(String, String)> {
        self.conf.read().all().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Sets a runtime config key; `spark.sql.shuffle.partitions` changes later exchanges.
    pub fn conf_set(&self, key: &str, value: &str) -> Result<()> {
        if key == crate::config::SESSION_TIME_ZONE {
            crate::config::check_session_time_zone(value)?;
        }
        if key.starts_with("datafusion.") {
            self.ctx.state_ref().write().config_mut().options_mut().set(key, value)?;
        }
        if key == SHUFFLE_PARTITIONS {
            let mut probe = Conf::default();
            probe.set(key, value);
            let n = probe.shuffle_partitions(self.slots)?;
            let state = self.ctx.state_ref();
            let mut state = state.write();
            state.config_mut().options_mut().execution.target_partitions = n;
            let mut probe = self.conf.read().clone();
            probe.set(key, value);
            state.config_mut().set_extension(Arc::new(shuffle_layout(&probe, n, self.slots, n)));
        }
        self.conf.write().set(key, value);
        Ok(())
    }

    pub fn conf_unset(&self, key: &str) {
        if key == SHUFFLE_PARTITIONS {
            let state = self.ctx.state_ref();
            let mut state = state.write();
            state.config_mut().options_mut().execution.target_partitions = self.slots;
            let slots = self.slots;
            let layout = shuffle_layout(&self.conf.read(), SPARK_DEFAULT_SHUFFLE_PARTITIONS, slots, slots);
            state.config_mut().set_extension(Arc::new(layout));
        }
        self.conf.write().unset(key);
    }

    /// Runs `fut` on the session's runtime, blocking the caller.
    pub fn block_on<F: std::future::Future>(&self, fut: F) -> F::Output {
        match &self.runtime {
            Some(rt) => rt.block_on(fut),
            // Only reachable during drop, when nothing can call this.
            None => futures::executor::block_on(fut),
        }
    }

    pub fn engine(&self) -> &Arc<dyn JobRunner> {
        &self.engine
    }

    /// Metrics of the most recent jobs, newest last.
    pub fn recent_jobs(&self) -> Vec<JobMetrics> {
        self.engine.recent_jobs()
    }

    /// `plan` with its types coerced, so that its schema is the analyzed one Spark reports (until
    /// DataFusion's type coercion widens a `CASE`'s branches, the `CASE` has its first branch's
    /// type) and later transformations build on the right types. A plan the coercion refuses is
    /// kept as built: running it raises that error.
    pub fn coerce_types(&self, plan: LogicalPlan) -> LogicalPlan {
        use datafusion::optimizer::AnalyzerRule;
        let state = self.ctx.state();
        datafusion::optimizer::analyzer::type_coercion::TypeCoercion::new().analyze(plan.clone(), state.config_options()).unwrap_or(plan)
    }

    /// Parses a SQL expression (`functions.expr`, `selectExpr`) against a DataFrame's schema.
    pub fn parse_expr(&self, text: &str, schema: &datafusion::common::DFSchema) -> Result<datafusion::logical_expr::Expr> {
        let (mut parsed, alias) = ember_sql::parser::parse_expression(text)?;
        ember_sql::analyzer::syntax::rewrite_expr(&mut parsed);
        let with_alias = datafusion::sql::sqlparser::ast::ExprWithAlias { expr: parsed, alias };
        let expr = self.ctx.state().create_logical_expr_from_sql_expr(with_alias, schema)?;
        Ok(ember_sql::semantics::spark_expr_rewrite(expr, schema)?)
    }

    /// Optimizes a logical plan and builds its physical plan.
    pub async fn physical_plan(&self, plan: &LogicalPlan) -> Result<Arc<dyn ExecutionPlan>> {
        let state = self.ctx.state();
        let optimized = state.optimize(plan)?;
        // Scalar subqueries run first, as their own jobs (see `subquery`); their values are
        // then folded into the rest of the plan by a second optimization.
        let optimized = match crate::subquery::inline_scalar_subqueries(self, &optimized).await? {
            Some(inlined) => state.optimize(&inlined)?,
            None => optimized,
        };
        Ok(state.query_planner().create_physical_plan(&optimized, &state).await?)
    }

    pub fn task_context(&self) -> Arc<TaskContext> {
        self.ctx.task_ctx()
    }

    /// Runs a plan as one job and returns its rows in order.
    pub async fn collect_plan(&self, plan: &LogicalPlan) -> Result<Vec<RecordBatch>> {
        let physical = self.physical_plan(plan).await?;
        let batches = self.engine.collect(physical, self.task_context()).await?;
        Ok(crate::conform::conform(batches, plan.schema().as_arrow())?)
    }

    /// Blocking [`Session::collect_plan`].
    pub fn collect(&self, plan: &LogicalPlan) -> Result<Vec<RecordBatch>> {
        self.block_on(self.collect_plan(plan))
    }

    /// Frees cached partitions; the session's runtime stops when the last handle is dropped.
    pub fn stop(&self) {
        self.caches.clear();
        if tokio::runtime::Handle::try_current().is_err() {
            self.block_on(end_engine(&self.engine));
        }
        // A local cluster lives exactly as long as its session.
        drop(self.local_cluster.lock().take());
        tracing::debug!("session stopped");
    }
}
