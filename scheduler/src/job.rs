//! Running one job: the stage DAG loop.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::ExecutionPlan;
use ember_executor::{DatasetId, ExecutorError, TaskDefinition, TaskId, TaskStatus};
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::physical_plan::ExecutionPlanProperties;
use ember_executor::{ReadMode, ShuffleLayout, ShuffleReaderExec};
use ember_planner::{StageDag, split_into_stages_with};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use parking_lot::Mutex;
use tracing::{debug, warn};

use crate::backend::ExecutorBackend;
use crate::error::{Result, SchedulerError};
use crate::metrics::{JobMetrics, StageMetrics};

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

    /// Runs a physical plan and returns all result batches in partition order.
    pub async fn collect(&self, plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> Result<Vec<RecordBatch>> {
        let output = self.run(plan, ctx).await?;
        let result = self.fetch_all(output.dataset, output.partitions).await;
        self.backend.free(output.dataset);
        result
    }

    /// Reads every partition of a pass-through dataset in order.
    pub async fn fetch_all(&self, dataset: DatasetId, partitions: usize) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        for p in 0..partitions {
            out.extend(self.backend.fetch(dataset, p).await?);
        }
        Ok(out)
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
        let job = self.next_job.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        let n = dag.stages.len();
        let mut remaining: Vec<usize> = dag.stages.iter().map(|s| s.num_tasks()).collect();
        let mut started = vec![false; n];
        let mut metrics: Vec<StageMetrics> = dag
            .stages
            .iter()
            .map(|s| StageMetrics {
                stage: s.id,
                kind: s.kind,
                tasks: s.num_tasks(),
                failed_attempts: 0,
                rows: 0,
                bytes: 0,
                duration_ms: 0,
            })
            .collect();
        let mut stage_start = vec![Instant::now(); n];
        // Plans and widths as run: a stage reading Spark-hash shuffles is coalesced when its
        // parents finish (see `coalesce_stage`).
        let mut plans: Vec<Arc<dyn ExecutionPlan>> = dag.stages.iter().map(|s| Arc::clone(&s.plan)).collect();
        let mut widths: Vec<usize> = dag.stages.iter().map(|s| s.num_tasks()).collect();
        let mut bucket_bytes: Vec<Vec<usize>> = vec![Vec::new(); n];
        let layout = ctx.session_config().get_extension::<ShuffleLayout>().map(|l| *l);
        let mut running = FuturesUnordered::new();

        let launch = |task: TaskDefinition, running: &mut FuturesUnordered<_>| {
            let fut = self.backend.launch(task.clone(), Arc::clone(&ctx));
            running.push(async move { (task, fut.await) });
        };

        let outcome: Result<()> = async {
            loop {
                for stage in &dag.stages {
                    let ready = stage.parents.iter().all(|p| remaining[*p] == 0);
                    if started[stage.id] || !ready {
                        continue;
                    }
                    started[stage.id] = true;
                    stage_start[stage.id] = Instant::now();
                    if let Some(plan) = with_parent_widths(&plans[stage.id], &stage.parents, &dag, &widths)? {
                        widths[stage.id] = plan.output_partitioning().partition_count();
                        plans[stage.id] = plan;
                        remaining[stage.id] = widths[stage.id];
                        metrics[stage.id].tasks = widths[stage.id];
                    }
                    if let Some(layout) = layout.filter(|l| l.coalesce)
                        && let Some(plan) = coalesce_stage(&plans[stage.id], &stage.parents, &dag, &bucket_bytes, &layout)? {
                            widths[stage.id] = plan.output_partitioning().partition_count();
                            plans[stage.id] = plan;
                            remaining[stage.id] = widths[stage.id];
                            metrics[stage.id].tasks = widths[stage.id];
                        }
                    let width = widths[stage.id];
                    debug!(job, stage = stage.id, tasks = width, "submitting stage");
                    for partition in 0..width {
                        let task = TaskDefinition {
                            id: TaskId { job, stage: stage.id, partition, attempt: 0 },
                            plan: Arc::clone(&plans[stage.id]),
                            output: stage.output.clone(),
                            dataset: stage.dataset,
                            num_tasks: width,
                        };
                        launch(task, &mut running);
                    }
                    if width == 0 {
                        remaining[stage.id] = 0;
                    }
                }
                let Some((task, result)) = running.next().await else {
                    break;
                };
                let sid = task.id.stage;
                match result {
                    Ok(TaskStatus { rows, bytes, bucket_bytes: buckets, .. }) => {
                        metrics[sid].rows += rows;
                        metrics[sid].bytes += bytes;
                        let acc = &mut bucket_bytes[sid];
                        if acc.len() < buckets.len() {
                            acc.resize(buckets.len(), 0);
                        }
                        for (a, b) in acc.iter_mut().zip(buckets) {
                            *a += b;
                        }
                        remaining[sid] -= 1;
                        if remaining[sid] == 0 {
                            metrics[sid].duration_ms = stage_start[sid].elapsed().as_millis();
                        }
                    }
                    Err(err) if is_retryable(&err) && task.id.attempt + 1 < self.max_failures => {
                        warn!(task = %task.id, error = %err, "task failed; retrying");
                        metrics[sid].failed_attempts += 1;
                        let mut retry = task;
                        retry.id.attempt += 1;
                        launch(retry, &mut running);
                    }
                    Err(err) if is_retryable(&err) => {
                        return Err(SchedulerError::TooManyFailures {
                            task: task.id.to_string(),
                            attempts: task.id.attempt + 1,
                            last: err.to_string(),
                        });
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            Ok(())
        }
        .await;
        drop(running);

        let result_stage = dag.stages.last().ok_or_else(|| SchedulerError::Lost("empty stage DAG".into()))?;
        // Intermediate shuffle partitions die with the job; only the result is kept.
        for stage in &dag.stages[..n - 1] {
            self.backend.free(stage.dataset);
        }
        let job_metrics = JobMetrics { job, stages: metrics, duration_ms: start.elapsed().as_millis() };
        {
            let mut history = self.history.lock();
            if history.len() == HISTORY {
                history.pop_front();
            }
            history.push_back(job_metrics.clone());
        }
        if let Err(e) = outcome {
            self.backend.free(result_stage.dataset);
            return Err(e);
        }
        if remaining.iter().any(|r| *r > 0) {
            return Err(SchedulerError::Lost(format!("job {job} ended with unfinished stages")));
        }
        Ok(JobOutput { dataset: result_stage.dataset, partitions: widths[n - 1], metrics: job_metrics })
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
            && let Some(w) = width_of(r.dataset()).filter(|w| *w != r.num_maps()) {
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
) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let mut readers: Vec<(DatasetId, usize)> = Vec::new();
    let mut other_partitioned = false;
    plan.apply(|node| {
        if let Some(r) = node.downcast_ref::<ShuffleReaderExec>() {
            match r.mode() {
                ReadMode::SparkHash { logical, .. } => readers.push((r.dataset(), *logical)),
                ReadMode::All { .. } => {}
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
    let ranges = Arc::new(layout.coalesce_ranges(&sizes));
    let rewritten = Arc::clone(plan)
        .transform_up(|node| {
            if let Some(r) = node.downcast_ref::<ShuffleReaderExec>()
                && let Some(c) = r.coalesced(Arc::clone(&ranges)) {
                    return Ok(Transformed::yes(Arc::new(c) as Arc<dyn ExecutionPlan>));
                }
            Ok(Transformed::no(node))
        })?
        .data;
    Ok(Some(rewritten))
}

/// Only failures of the machinery (a lost partition, a lost executor) are worth retrying;
/// an error from the plan itself (bad cast, a UDF that raises) would fail again.
fn is_retryable(err: &ExecutorError) -> bool {
    matches!(err, ExecutorError::MissingPartition { .. })
}
