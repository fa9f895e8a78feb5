//! Running one job: the stage DAG loop.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::ExecutionPlanProperties;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::physical_plan::sorts::sort_preserving_merge::SortPreservingMergeExec;
use ember_executor::{DatasetId, ExecutorError, TaskDefinition, TaskId, TaskStatus};
use ember_executor::{ReadMode, ShuffleLayout, ShuffleReaderExec};
use ember_planner::{StageDag, split_into_stages_with};
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use parking_lot::Mutex;
use tracing::{info, warn};

use crate::backend::ExecutorBackend;
use crate::error::{Result, SchedulerError};
use crate::metrics::{JobMetrics, StageMetrics, TaskRun};

/// A finished job: its result partitions are still held by the backend until freed.
#[derive(Debug)]
pub struct JobOutput {
    pub dataset: DatasetId,
    pub partitions: usize,
    pub metrics: JobMetrics,
}

/// Schedules jobs onto an [`ExecutorBackend`].
#[derive(Debug)]
pub struct Scheduler {
    backend: Arc<dyn ExecutorBackend>,
    next_job: AtomicU64,
    max_failures: u32,
    history: Mutex<VecDeque<JobMetrics>>,
}

const HISTORY: usize = 64;

impl Scheduler {
    pub fn new(backend: Arc<dyn ExecutorBackend>) -> Self {
        Self { backend, next_job: AtomicU64::new(0), max_failures: 4, history: Mutex::new(VecDeque::new()) }
    }

    /// `spark.task.maxFailures`: attempts per task before the job fails.
    pub fn with_max_failures(mut self, n: u32) -> Self {
        self.max_failures = n.max(1);
        self
    }

    pub fn backend(&self) -> &Arc<dyn ExecutorBackend> {
        &self.backend
    }

    /// Metrics of the most recent jobs, newest last.
    pub fn recent_jobs(&self) -> Vec<JobMetrics> {
        self.history.lock().iter().cloned().collect()
    }

    /// Runs a physical plan; the result stays in the backend under `JobOutput::dataset`.
    pub async fn run(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> Result<JobOutput> {
        let layout = ctx.session_config().get_extension::<ShuffleLayout>().map(|l| *l);
        let dag = split_into_stages_with(plan, layout)?;
        self.run_dag(dag, ctx).await
    }

    /// Runs a stage DAG: a stage starts as soon as its parents are done, and its tasks compete
    /// for the backend's slots with those of any other ready stage.
    pub async fn run_dag(&self, dag: StageDag, ctx: Arc<TaskContext>) -> Result<JobOutput> {
        self.run_dag_with(dag, ctx, self.max_failures).await
    }

    /// [`Scheduler::run_dag`] with a job-specific `spark.task.maxFailures`.
    pub async fn run_dag_with(&self, dag: StageDag, ctx: Arc<TaskContext>, max_failures: u32) -> Result<JobOutput> {
        let job = self.next_job.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        let n = dag.stages.len();
        if n == 0 {
            return Err(SchedulerError::Lost("empty stage DAG".into()));
        }
        // Every dataset of the job is freed if the job is abandoned midway (the driver went
        // away); on success only the intermediate ones are.
        let mut guard = FreeOnDrop { backend: Arc::clone(&self.backend), datasets: dag.stages.iter().map(|s| s.dataset).collect() };
        let mut run = JobRun::new(job, &dag, &ctx, max_failures.max(1));
        let outcome = run.drive(&*self.backend, &ctx).await;
        let result_dataset = dag.stages[n - 1].dataset;
        let job_metrics = JobMetrics { job, stages: run.metrics.clone(), duration_ms: start.elapsed().as_millis() };
        {
            let mut history = self.history.lock();
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back(job_metrics.clone());
        }
        outcome?;
        if run.remaining.iter().any(|r| *r > 0) {
            return Err(SchedulerError::Lost(format!("job {job} ended with unfinished stages")));
        }
        guard.datasets.retain(|d| *d != result_dataset);
        Ok(JobOutput { dataset: result_dataset, partitions: run.widths[n - 1], metrics: job_metrics })
    }
}

/// Frees datasets when dropped: a job's shuffle outputs die with it.
struct FreeOnDrop {
    backend: Arc<dyn ExecutorBackend>,
    datasets: Vec<DatasetId>,
}

impl Drop for FreeOnDrop {
    fn drop(&mut self) {
        for d in &self.datasets {
            self.backend.free(*d);
        }
    }
}

type Running = FuturesUnordered<BoxFuture<'static, (TaskDefinition, std::result::Result<TaskStatus, ExecutorError>)>>;

/// The state of one job's DAG while it runs.
struct JobRun<'a> {
    job: u64,
    dag: &'a StageDag,
    max_failures: u32,
    layout: Option<ShuffleLayout>,
    /// Tasks of each stage not yet finished; a stage is done at zero.
    remaining: Vec<usize>,
    started: Vec<bool>,
    metrics: Vec<StageMetrics>,
    stage_start: Vec<Instant>,
    /// Plans and widths as run: a stage reading Spark-hash shuffles is coalesced when its
    /// parents finish (see `coalesce_stage`).
    plans: Vec<Arc<dyn ExecutionPlan>>,
    widths: Vec<usize>,
    bucket_bytes: Vec<Vec<usize>>,
    /// Map tasks being re-run because their output was lost, by (stage, partition).
    recomputing: HashSet<(usize, usize)>,
    /// The job's result is totally sorted, so shuffle partition boundaries cannot show in it.
    sorted_result: bool,
    /// Tasks that lost an input, waiting for its stage to be complete again.
    parked: Vec<TaskDefinition>,
    running: Running,
}

impl<'a> JobRun<'a> {
    fn new(job: u64, dag: &'a StageDag, ctx: &TaskContext, max_failures: u32) -> Self {
        let n = dag.stages.len();
        Self {
            job,
            dag,
            max_failures,
            layout: ctx.session_config().get_extension::<ShuffleLayout>().map(|l| *l),
            remaining: dag.stages.iter().map(|s| s.num_tasks()).collect(),
            started: vec![false; n],
            metrics: dag
                .stages
                .iter()
                .map(|s| StageMetrics { stage: s.id, kind: s.kind, tasks: s.num_tasks(), ..StageMetrics::default() })
                .collect(),
            stage_start: vec![Instant::now(); n],
            plans: dag.stages.iter().map(|s| Arc::clone(&s.plan)).collect(),
            widths: dag.stages.iter().map(|s| s.num_tasks()).collect(),
            bucket_bytes: vec![Vec::new(); n],
            recomputing: HashSet::new(),
            sorted_result: dag.stages.last().is_some_and(|s| is_sorted_result(&s.plan)),
            parked: Vec::new(),
            running: FuturesUnordered::new(),
        }
    }

    fn task(&self, stage: usize, partition: usize, attempt: u32) -> TaskDefinition {
        let s = &self.dag.stages[stage];
        TaskDefinition {
            id: TaskId { job: self.job, stage, partition, attempt },
            plan: Arc::clone(&self.plans[stage]),
            output: s.output.clone(),
            dataset: s.dataset,
            num_tasks: self.widths[stage],
        }
    }

    fn launch(&self, backend: &dyn ExecutorBackend, ctx: &Arc<TaskContext>, task: TaskDefinition) {
        let fut = backend.launch(task.clone(), Arc::clone(ctx));
        self.running.push(async move { (task, fut.await) }.boxed());
    }

    fn parents_done(&self, stage: usize) -> bool {
        self.dag.stages[stage].parents.iter().all(|p| self.remaining[*p] == 0)
    }

    /// Starts every stage whose parents are done, rewriting its readers for the widths its
    /// parents actually ran with.
    fn start_ready_stages(&mut self, backend: &dyn ExecutorBackend, ctx: &Arc<TaskContext>) -> Result<()> {
        for stage in &self.dag.stages {
            let id = stage.id;
            if self.started[id] || !self.parents_done(id) {
                continue;
            }
            self.started[id] = true;
            self.stage_start[id] = Instant::now();
            if let Some(plan) = with_parent_widths(&self.plans[id], &stage.parents, self.dag, &self.widths)? {
                self.set_plan(id, plan);
            }
            if let Some(layout) = self.layout.filter(|l| l.coalesce)
                && let Some(plan) =
                    coalesce_stage(&self.plans[id], &stage.parents, self.dag, &self.bucket_bytes, &layout, self.sorted_result)?
            {
                self.set_plan(id, plan);
            }
            info!(job = self.job, stage = id, tasks = self.widths[id], "submitting stage");
            for partition in 0..self.widths[id] {
                self.launch(backend, ctx, self.task(id, partition, 0));
            }
        }
        Ok(())
    }

    fn set_plan(&mut self, stage: usize, plan: Arc<dyn ExecutionPlan>) {
        self.widths[stage] = plan.output_partitioning().partition_count();
        self.plans[stage] = plan;
        self.remaining[stage] = self.widths[stage];
        self.metrics[stage].tasks = self.widths[stage];
    }

    /// Relaunches parked tasks whose inputs are complete again.
    fn resume_parked(&mut self, backend: &dyn ExecutorBackend, ctx: &Arc<TaskContext>) {
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.parked).into_iter().partition(|t| self.parents_done(t.id.stage));
        self.parked = waiting;
        for task in ready {
            self.launch(backend, ctx, task);
        }
    }

    fn finished(&mut self, task: &TaskDefinition, status: TaskStatus) {
        let sid = task.id.stage;
        let m = &mut self.metrics[sid];
        m.task_runs.push(TaskRun {
            partition: task.id.partition,
            attempt: task.id.attempt,
            executor: status.executor.clone(),
            duration_ms: status.elapsed_ms,
            rows: status.rows,
            bytes: status.bytes,
            remote_bytes: status.remote_bytes,
            error: None,
        });
        m.rows += status.rows;
        m.bytes += status.bytes;
        m.remote_bytes += status.remote_bytes;
        m.spilled_bytes += status.spilled_bytes;
        if let Some(e) = status.executor
            && !m.executors.contains(&e)
        {
            m.executors.push(e);
        }
        let acc = &mut self.bucket_bytes[sid];
        if acc.len() < status.bucket_bytes.len() {
            acc.resize(status.bucket_bytes.len(), 0);
        }
        // A recomputed map output replaces the lost one: count its sizes once.
        if !self.recomputing.remove(&(sid, task.id.partition)) {
            for (a, b) in acc.iter_mut().zip(&status.bucket_bytes) {
                *a += b;
            }
        }
        self.remaining[sid] -= 1;
        if self.remaining[sid] == 0 {
            self.metrics[sid].duration_ms = self.stage_start[sid].elapsed().as_millis();
            info!(job = self.job, stage = sid, ms = self.metrics[sid].duration_ms, "stage finished");
        }
    }

    /// A task lost an input: re-run the map tasks whose output is gone (lineage), and park the
    /// task until they are back.
    fn recover(
        &mut self,
        backend: &dyn ExecutorBackend,
        ctx: &Arc<TaskContext>,
        task: TaskDefinition,
        dataset: u64,
        map: usize,
    ) -> Result<()> {
        let Some(parent) = self.dag.stages.iter().find(|s| s.dataset.0 == dataset).map(|s| s.id) else {
            // Not produced by this job (a cached DataFrame whose executor died).
            return Err(SchedulerError::Task(ExecutorError::MissingPartition { dataset, partition: map }));
        };
        let mut lost = backend.lost_maps(self.dag.stages[parent].dataset, self.widths[parent]);
        if !lost.contains(&map) {
            lost.push(map);
        }
        let fresh: Vec<usize> = lost.into_iter().filter(|m| self.recomputing.insert((parent, *m))).collect();
        if !fresh.is_empty() {
            warn!(job = self.job, stage = parent, maps = ?fresh, "map outputs lost; recomputing them from lineage");
            self.remaining[parent] += fresh.len();
            self.metrics[parent].recomputed_tasks += fresh.len();
            for m in fresh {
                self.launch(backend, ctx, self.task(parent, m, 1));
            }
        }
        self.parked.push(task);
        Ok(())
    }

    async fn drive(&mut self, backend: &dyn ExecutorBackend, ctx: &Arc<TaskContext>) -> Result<()> {
        loop {
            self.start_ready_stages(backend, ctx)?;
            self.resume_parked(backend, ctx);
            let Some((task, result)) = self.running.next().await else {
                if self.parked.is_empty() {
                    return Ok(());
                }
                return Err(SchedulerError::Lost(format!("job {}: tasks wait for inputs no task is producing", self.job)));
            };
            let err = match result {
                Ok(status) => {
                    self.finished(&task, status);
                    continue;
                }
                Err(err) => err,
            };
            let sid = task.id.stage;
            self.metrics[sid].task_runs.push(TaskRun {
                partition: task.id.partition,
                attempt: task.id.attempt,
                error: Some(err.to_string()),
                ..TaskRun::default()
            });
            if !err.is_retryable() {
                return Err(err.into());
            }
            self.metrics[sid].failed_attempts += 1;
            if task.id.attempt + 1 >= self.max_failures {
                return Err(SchedulerError::TooManyFailures {
                    task: task.id.to_string(),
                    attempts: task.id.attempt + 1,
                    last: err.to_string(),
                });
            }
            let mut retry = task;
            retry.id.attempt += 1;
            match err.lost_map() {
                Some((dataset, map)) => {
                    warn!(task = %retry.id, error = %err, "task lost an input");
                    self.recover(backend, ctx, retry, dataset, map)?;
                }
                None => {
                    warn!(task = %retry.id, error = %err, "task failed; retrying");
                    self.launch(backend, ctx, retry);
                }
            }
        }
    }
}

/// Whether a result stage's output is one totally ordered stream (a global sort or a merge of
/// sorted partitions, under projections).
fn is_sorted_result(plan: &Arc<dyn ExecutionPlan>) -> bool {
    let mut node = Arc::clone(plan);
    loop {
        if node.downcast_ref::<SortPreservingMergeExec>().is_some() {
            return true;
        }
        if node.downcast_ref::<SortExec>().is_some() {
            return node.output_partitioning().partition_count() == 1;
        }
        let passes_order = node.downcast_ref::<ProjectionExec>().is_some();
        match node.children().first() {
            Some(child) if passes_order => node = Arc::clone(child),
            _ => return false,
        }
    }
}

/// Points a stage's readers at the number of tasks its parents actually ran (a parent may
/// have been coalesced). Returns the rewritten plan when anything changed.
fn with_parent_widths(
    plan: &Arc<dyn ExecutionPlan>,
    parents: &[usize],
    dag: &StageDag,
    widths: &[usize],
) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let width_of = |dataset: DatasetId| parents.iter().find(|p| dag.stages[**p].dataset == dataset).map(|p| widths[*p]);
    let rewritten = Arc::clone(plan).transform_up(|node| {
        if let Some(r) = node.downcast_ref::<ShuffleReaderExec>()
            && let Some(w) = width_of(r.dataset()).filter(|w| *w != r.num_maps())
        {
            return Ok(Transformed::yes(Arc::new(r.with_num_maps(w)) as Arc<dyn ExecutionPlan>));
        }
        Ok(Transformed::no(node))
    })?;
    Ok(rewritten.transformed.then_some(rewritten.data))
}

/// Spark's adaptive coalescing: a stage whose shuffle inputs are all Spark-hash exchanges of
/// one logical width reads contiguous bucket ranges sized from its parents' outputs. Returns
/// the rewritten plan, or `None` when the stage has nothing to coalesce.
fn coalesce_stage(
    plan: &Arc<dyn ExecutionPlan>,
    parents: &[usize],
    dag: &StageDag,
    bucket_bytes: &[Vec<usize>],
    layout: &ShuffleLayout,
    balanced: bool,
) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let mut readers: Vec<(DatasetId, usize)> = Vec::new();
    let mut other_partitioned = false;
    plan.apply(|node| {
        if let Some(r) = node.downcast_ref::<ShuffleReaderExec>() {
            match r.mode() {
                ReadMode::SparkHash { logical, .. } => readers.push((r.dataset(), *logical)),
                ReadMode::All { .. } | ReadMode::Broadcast { .. } => {}
                _ => other_partitioned = true,
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    let Some((_, logical)) = readers.first().copied() else {
        return Ok(None);
    };
    if other_partitioned || readers.iter().any(|(_, l)| *l != logical) {
        return Ok(None);
    }
    let mut sizes = vec![0usize; logical];
    for p in parents {
        let parent = &dag.stages[*p];
        if readers.iter().any(|(d, _)| *d == parent.dataset) {
            for (s, b) in sizes.iter_mut().zip(&bucket_bytes[*p]) {
                *s += b;
            }
        }
    }
    let ranges = Arc::new(if balanced { layout.balanced_ranges(&sizes) } else { layout.coalesce_ranges(&sizes) });
    let rewritten = Arc::clone(plan)
        .transform_up(|node| {
            if let Some(r) = node.downcast_ref::<ShuffleReaderExec>()
                && let Some(c) = r.coalesced(Arc::clone(&ranges))
            {
                return Ok(Transformed::yes(Arc::new(c) as Arc<dyn ExecutionPlan>));
            }
            Ok(Transformed::no(node))
        })?
        .data;
    Ok(Some(rewritten))
}
