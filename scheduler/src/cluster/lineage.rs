//! How each dataset a session keeps on the executors (a cached DataFrame) was computed, so
//! that it can be computed again when an executor holding part of it is lost.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::execution::TaskContext;
use ember_executor::DatasetId;
use ember_planner::StageDag;
use parking_lot::Mutex;

/// A job as it was submitted: running it again rewrites its result dataset.
#[derive(Debug)]
pub struct Recipe {
    pub dag: StageDag,
    pub ctx: Arc<TaskContext>,
    pub max_failures: u32,
}

#[derive(Debug, Default)]
pub struct Lineage {
    recipes: Mutex<HashMap<DatasetId, Arc<Recipe>>>,
}

impl Lineage {
    pub fn record(&self, dataset: DatasetId, recipe: Recipe) {
        self.recipes.lock().insert(dataset, Arc::new(recipe));
    }

    pub fn get(&self, dataset: DatasetId) -> Option<Arc<Recipe>> {
        self.recipes.lock().get(&dataset).cloned()
    }

    pub fn forget(&self, dataset: DatasetId) {
        self.recipes.lock().remove(&dataset);
    }
}
