//! Cached DataFrames: partitions computed once and kept in executor memory.
//!
//! A cached DataFrame's plan is a scan of a [`CachedRelation`]. The first job that scans it
//! computes the source plan as a job of its own and keeps the result dataset in the executor's
//! partition store; every later scan reads those partitions where they live.

use std::fmt;
use std::sync::{Arc, Weak};

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session as CatalogSession, TableProvider};
use datafusion::datasource::TableType;
use datafusion::datasource::provider_as_source;
use datafusion::error::{DataFusionError, Result as DFResult};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
use datafusion::physical_expr::Partitioning;
use datafusion::physical_plan::ExecutionPlan;
use ember_executor::{DatasetId, ReadMode, ShuffleReaderExec};
use parking_lot::Mutex;

use crate::error::Result;
use crate::session::Session;

/// The result partitions of a cached plan, once computed.
#[derive(Debug, Clone, Copy)]
struct Materialized {
    dataset: DatasetId,
    partitions: usize,
}

pub struct CachedRelation {
    session: Weak<Session>,
    source: LogicalPlan,
    schema: SchemaRef,
    state: tokio::sync::Mutex<Option<Materialized>>,
}

impl fmt::Debug for CachedRelation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedRelation").field("schema", &self.schema).finish()
    }
}

impl CachedRelation {
    pub fn new(session: &Arc<Session>, source: LogicalPlan) -> Arc<CachedRelation> {
        let schema = Arc::new(source.schema().as_arrow().clone());
        let rel = Arc::new(CachedRelation { session: Arc::downgrade(session), source, schema, state: tokio::sync::Mutex::new(None) });
        session.caches().register(&rel);
        rel
    }

    pub fn source_plan(&self) -> &LogicalPlan {
        &self.source
    }

    /// A logical scan of this relation, keeping the source's column qualifiers.
    pub fn scan_plan(self: &Arc<Self>) -> Result<LogicalPlan> {
        let source = provider_as_source(Arc::clone(self) as Arc<dyn TableProvider>);
        let scan = LogicalPlanBuilder::scan("__cached", source, None)?.build()?;
        // Re-qualify columns as the source had them, so `df["x"]` references still resolve.
        let items: Vec<Expr> = self
            .source
            .schema()
            .iter()
            .map(|(q, f)| {
                let c = Expr::Column(datafusion::common::Column::new(Some("__cached"), f.name()));
                match q {
                    Some(_) => c.alias_qualified(q.cloned(), f.name()),
                    None => c.alias(f.name()),
                }
            })
            .collect();
        Ok(LogicalPlanBuilder::from(scan).project(items)?.build()?)
    }

    /// Frees the cached partitions; a later scan recomputes them.
    pub fn release(&self) {
        if let (Ok(mut state), Some(session)) = (self.state.try_lock(), self.session.upgrade())
            && let Some(m) = state.take()
        {
            session.engine().free(m.dataset);
        }
    }

    async fn materialize(&self) -> DFResult<Materialized> {
        let mut state = self.state.lock().await;
        if let Some(m) = *state {
            return Ok(m);
        }
        let session = self
            .session
            .upgrade()
            .ok_or_else(|| DataFusionError::Execution("the session that cached this DataFrame has stopped".into()))?;
        let physical = session.physical_plan(&self.source).await.map_err(|e| DataFusionError::External(Box::new(e)))?;
        let output = session.engine().run(physical, session.task_context()).await?;
        let m = Materialized { dataset: output.dataset, partitions: output.partitions };
        *state = Some(m);
        Ok(m)
    }
}

#[async_trait]
impl TableProvider for CachedRelation {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        _state: &dyn CatalogSession,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> DFResult<Arc<dyn ExecutionPlan>> {
        let m = self.materialize().await?;
        let reader: Arc<dyn ExecutionPlan> = Arc::new(ShuffleReaderExec::new(
            m.dataset,
            ReadMode::PerMap,
            Arc::clone(&self.schema),
            Partitioning::UnknownPartitioning(m.partitions),
        ));
        match projection {
            Some(cols) if cols.len() != self.schema.fields().len() => {
                let exprs = cols
                    .iter()
                    .map(|i| {
                        let name = self.schema.field(*i).name().clone();
                        let col: Arc<dyn datafusion::physical_expr::PhysicalExpr> =
                            Arc::new(datafusion::physical_expr::expressions::Column::new(&name, *i));
                        (col, name)
                    })
                    .collect::<Vec<_>>();
                Ok(Arc::new(datafusion::physical_plan::projection::ProjectionExec::try_new(exprs, reader)?))
            }
            _ => Ok(reader),
        }
    }
}

/// The session's cached relations, for `clearCache()`.
#[derive(Debug, Default)]
pub struct CacheRegistry {
    relations: Mutex<Vec<Weak<CachedRelation>>>,
}

impl CacheRegistry {
    fn register(&self, rel: &Arc<CachedRelation>) {
        let mut all = self.relations.lock();
        all.retain(|w| w.strong_count() > 0);
        all.push(Arc::downgrade(rel));
    }

    pub fn clear(&self) {
        for rel in self.relations.lock().drain(..) {
            if let Some(rel) = rel.upgrade() {
                rel.release();
            }
        }
    }
}
