//! Task contexts that carry one more piece of Ember state (where partitions come from, the
//! driver's settings) as a session-config extension.

use std::any::Any;
use std::sync::Arc;

use datafusion::execution::TaskContext;

/// `ctx` with `extension` added to its session config; functions and runtime are shared.
pub fn with_extension<T: Any + Send + Sync>(ctx: &TaskContext, extension: Arc<T>) -> Arc<TaskContext> {
    Arc::new(TaskContext::new(
        ctx.task_id(),
        ctx.session_id(),
        ctx.session_config().clone().with_extension(extension),
        ctx.scalar_functions().clone(),
        ctx.higher_order_functions().clone(),
        ctx.aggregate_functions().clone(),
        ctx.window_functions().clone(),
        ctx.runtime_env(),
    ))
}
