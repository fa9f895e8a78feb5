//! Temporary views (per session) and global temporary views (per process, under `global_temp`).

use std::sync::{Arc, LazyLock};

use datafusion::catalog::{MemorySchemaProvider, SchemaProvider, TableProvider};
use datafusion::datasource::ViewTable;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::SessionContext;

use crate::error::{DriverError, Result, table_not_found};
use crate::session::{CATALOG, DATABASE};

/// Spark's database of global temporary views, shared by every session of the process.
pub const GLOBAL_TEMP: &str = "global_temp";

static GLOBAL_VIEWS: LazyLock<Arc<MemorySchemaProvider>> = LazyLock::new(|| Arc::new(MemorySchemaProvider::new()));

/// Adds the `global_temp` database to a new session's catalog.
pub fn install(ctx: &SessionContext) -> Result<()> {
    let catalog = ctx.catalog(CATALOG).ok_or_else(|| DriverError::Runtime(format!("catalog {CATALOG} missing")))?;
    let shared: Arc<dyn SchemaProvider> = Arc::clone(&*GLOBAL_VIEWS) as Arc<dyn SchemaProvider>;
    catalog.register_schema(GLOBAL_TEMP, shared)?;
    Ok(())
}

fn views(ctx: &SessionContext, global: bool) -> Result<Arc<dyn SchemaProvider>> {
    if global {
        return Ok(Arc::clone(&*GLOBAL_VIEWS) as Arc<dyn SchemaProvider>);
    }
    ctx.catalog(CATALOG).and_then(|c| c.schema(DATABASE)).ok_or_else(|| DriverError::Runtime(format!("database {DATABASE} missing")))
}

/// Spark's view names are case-insensitive; they are kept lower-case, as Spark lists them.
fn normalize(name: &str) -> String {
    name.to_lowercase()
}

/// Registers `plan` as a view; `replace = false` fails if the name is taken, as Spark does.
pub fn create_view(ctx: &SessionContext, name: &str, plan: LogicalPlan, replace: bool, global: bool) -> Result<()> {
    let name = &normalize(name);
    let schema = views(ctx, global)?;
    if !replace && schema.table_exist(name) {
        let shown = if global { format!("`{GLOBAL_TEMP}`.`{name}`") } else { format!("`{name}`") };
        return Err(DriverError::Analysis(format!(
            "[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view {shown} because it already exists.\nChoose a different name, drop or replace the existing view. SQLSTATE: 42P07"
        )));
    }
    let view: Arc<dyn TableProvider> = Arc::new(ViewTable::new(plan, None));
    schema.deregister_table(name)?;
    schema.register_table(name.to_string(), view)?;
    Ok(())
}

/// Registers any table provider (a file source, a cached relation) under a view name.
pub fn register_provider(ctx: &SessionContext, name: &str, provider: Arc<dyn TableProvider>, global: bool) -> Result<()> {
    let name = &normalize(name);
    let schema = views(ctx, global)?;
    schema.deregister_table(name)?;
    schema.register_table(name.to_string(), provider)?;
    Ok(())
}

/// Drops a view; returns whether it existed.
pub fn drop_view(ctx: &SessionContext, name: &str, global: bool) -> Result<bool> {
    Ok(views(ctx, global)?.deregister_table(&normalize(name))?.is_some())
}

pub fn view_exists(ctx: &SessionContext, name: &str, global: bool) -> Result<bool> {
    Ok(views(ctx, global)?.table_exist(&normalize(name)))
}

/// View names, sorted as `SHOW TABLES` lists them.
pub fn list_views(ctx: &SessionContext, global: bool) -> Result<Vec<String>> {
    let mut names = views(ctx, global)?.table_names();
    names.sort();
    Ok(names)
}

/// Splits `global_temp.x` / `default.x` / `x` into (global?, name).
pub fn split_name(name: &str) -> (bool, String) {
    let unquoted = name.replace('`', "");
    match unquoted.split_once('.') {
        Some((db, rest)) if db.eq_ignore_ascii_case(GLOBAL_TEMP) => (true, rest.to_lowercase()),
        Some((db, rest)) if db.eq_ignore_ascii_case(DATABASE) => (false, rest.to_lowercase()),
        _ => (false, unquoted.to_lowercase()),
    }
}

/// The provider behind a view name, with Spark's error if there is none.
pub async fn lookup(ctx: &SessionContext, name: &str) -> Result<Arc<dyn TableProvider>> {
    let (global, short) = split_name(name);
    let schema = views(ctx, global)?;
    match schema.table(&short).await? {
        Some(t) => Ok(t),
        None => Err(table_not_found(name)),
    }
}
