//! Spark's SQL commands, run when `spark.sql` is called (as Spark runs them eagerly): views over
//! queries and files, caching, `SHOW`, `DESCRIBE`, `EXPLAIN`, `SET`/`RESET`, `USE`, `DROP`.
//! Each answers with the rows Spark's command returns, under Spark's column names.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::Column;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use ember_sql::parser::{CreateTempView, ExplainMode, ObjectKind, SetCommand, Statement, TableInfo, TableName, ViewBody};
use regex::Regex;

use crate::catalog;
use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result, schema_not_found};
use crate::local::string_rows;
use crate::read::{ReadRequest, load};
use crate::session::Session;
use crate::spark_sql::{query, table_named};

pub fn run(session: &Arc<Session>, statement: Statement, text: &str) -> Result<DataFrame> {
    match statement {
        Statement::Query(q) => query(session, *q, text),
        Statement::CreateTempView(v) => create_temp_view(session, v, text),
        Statement::CacheTable { name, lazy, query: body } => {
            let (global, short) = view_name(&name);
            let df = match body {
                Some(q) => query(session, *q, text)?,
                None => table_named(session, &name)?,
            };
            let cached = df.cache()?;
            catalog::create_view(session.ctx(), &short, cached.plan().clone(), true, global)?;
            if !lazy {
                cached.count()?;
            }
            if let Some(rel) = cached.cache_relation() {
                session.remember_cached_view(&short, rel);
            }
            empty(session)
        }
        Statement::UncacheTable { name, if_exists, at } => {
            let (global, short) = view_name(&name);
            if !session.uncache_view(&short)? && !if_exists && !catalog::view_exists(session.ctx(), &short, global)? {
                let err = crate::error::table_not_found(&name.to_string());
                return Err(match at {
                    Some(at) => err.at(at.line, at.pos),
                    None => err,
                });
            }
            empty(session)
        }
        Statement::ClearCache => {
            session.caches().clear();
            empty(session)
        }
        Statement::ShowTables { database, pattern, views_only } => show_tables(session, database, pattern, views_only),
        Statement::ShowDatabases { pattern } => {
            let mut names = vec![crate::session::DATABASE.to_string()];
            if let Some(like) = pattern.as_deref().and_then(like_regex) {
                names.retain(|n| like.is_match(n));
            }
            string_rows(session, &["namespace"], names.into_iter().map(|n| vec![Some(n)]).collect())
        }
        Statement::ShowFunctions { pattern, .. } => {
            let mut names: Vec<String> = ember_sql::functions::names().into_iter().map(str::to_string).collect();
            if let Some(like) = pattern.as_deref().and_then(like_regex) {
                names.retain(|n| like.is_match(n));
            }
            string_rows(session, &["function"], names.into_iter().map(|n| vec![Some(n)]).collect())
        }
        Statement::ShowColumns { table } => {
            let df = table_named(session, &table)?;
            let rows = df.schema().fields().iter().map(|f| vec![Some(f.name().clone())]).collect();
            string_rows(session, &["col_name"], rows)
        }
        Statement::ShowTableInfo { what, table } => {
            table_named(session, &table)?;
            let command = match what {
                TableInfo::CreateTable => "SHOW CREATE TABLE",
                TableInfo::Properties => "SHOW TBLPROPERTIES",
                TableInfo::Partitions => "SHOW PARTITIONS",
            };
            Err(DriverError::Analysis(format!(
                "[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] '{command}' expects a table. Please use ALTER VIEW instead. SQLSTATE: 42809"
            )))
        }
        Statement::DescribeTable { table, .. } => describe(session, &table_named(session, &table)?),
        Statement::DescribeQuery(q) => describe(session, &query(session, *q, text)?),
        Statement::DescribeFunction { name, .. } => {
            Err(DriverError::Unsupported(format!("DESCRIBE FUNCTION {name}: Ember does not have the usage text of Spark's functions yet.")))
        }
        Statement::Explain { mode, statement } => {
            let df = crate::spark_sql::run(session, *statement, text)?;
            let extended = matches!(mode, ExplainMode::Extended | ExplainMode::Formatted | ExplainMode::Cost);
            string_rows(session, &["plan"], vec![vec![Some(df.explain_string(extended)?)]])
        }
        Statement::Set(command) => set(session, command),
        Statement::Reset(key) => {
            if let Some(k) = key {
                session.conf_unset(&k);
            }
            empty(session)
        }
        Statement::Use(db) => {
            if !db.eq_ignore_ascii_case(crate::session::DATABASE) {
                return Err(schema_not_found(&db));
            }
            empty(session)
        }
        Statement::Drop { kind: ObjectKind::Database, name, if_exists } => {
            let db = name.name;
            if db.eq_ignore_ascii_case(crate::session::DATABASE) {
                return Err(DriverError::Analysis(format!(
                    "[UNSUPPORTED_FEATURE.DROP_DATABASE] The feature is not supported: Drop the default database `{db}`. SQLSTATE: 0A000"
                )));
            }
            if if_exists { empty(session) } else { Err(schema_not_found(&db)) }
        }
        Statement::Drop { name, if_exists, .. } => {
            let (global, short) = view_name(&name);
            if !catalog::drop_view(session.ctx(), &short, global)? && !if_exists {
                return Err(crate::error::drop_target_not_found(&name.to_string()));
            }
            let _ = session.uncache_view(&short);
            empty(session)
        }
        Statement::CreateTable(t) => Err(not_yet(&format!("CREATE TABLE {}", t.name))),
        Statement::Insert(i) => Err(not_yet(&format!("INSERT INTO {}", i.table))),
        Statement::CreateDatabase { name, .. } => Err(not_yet(&format!("CREATE DATABASE {name}"))),
        Statement::AddFiles(_) => Err(DriverError::Unsupported(
            "ADD FILE in SQL: Ember adds files from Python (SparkContext.addFile) or ember-submit --files.".to_string(),
        )),
    }
}

/// Managed tables and databases come with Ember's persistent catalog; until then a statement
/// that needs one says so.
fn not_yet(what: &str) -> DriverError {
    DriverError::Unsupported(format!(
        "{what}: Ember has no persistent catalog of tables and databases yet; use CREATE TEMPORARY VIEW ... USING or AS SELECT."
    ))
}

/// A view's place in the catalog: (global?, lower-case name).
fn view_name(name: &TableName) -> (bool, String) {
    catalog::split_name(&name.to_string())
}

fn create_temp_view(session: &Arc<Session>, v: CreateTempView, text: &str) -> Result<DataFrame> {
    let (global, short) = (v.global, v.name.name.to_lowercase());
    if v.if_not_exists && catalog::view_exists(session.ctx(), &short, global)? {
        return empty(session);
    }
    match v.body {
        ViewBody::Using { format, schema, options } => {
            let mut options: HashMap<String, String> = options.into_iter().collect();
            let paths = options.remove("path").into_iter().collect();
            let df = load(session, ReadRequest { format, options, schema: schema.map(Arc::new), paths })?;
            // A USING view replaces an older one of the same name, as Spark's does.
            catalog::create_view(session.ctx(), &short, df.plan().clone(), true, global)?;
        }
        ViewBody::Query { columns, query: body } => {
            if v.replace && reads_itself(&body, &short) {
                return Err(crate::error::DriverError::analysis(format!(
                    "[RECURSIVE_VIEW] Recursive view `{short}` detected (cycle: `{short}` -> `{short}`). SQLSTATE: 42K0H"
                )));
            }
            let mut df = query(session, *body, text)?;
            if !columns.is_empty() {
                let items: Vec<Expr> = df
                    .df_schema()
                    .iter()
                    .zip(columns)
                    .map(|((q, f), n)| Expr::Column(Column::new(q.cloned(), f.name())).alias(n))
                    .collect();
                df = DataFrame::new(Arc::clone(session), LogicalPlanBuilder::from(df.plan().clone()).project(items)?.build()?);
            }
            catalog::create_view(session.ctx(), &short, df.plan().clone(), v.replace, global)?;
        }
    }
    empty(session)
}

/// Whether a view's new definition reads the view itself (not a CTE of the same name): Spark
/// refuses to replace a view so, where a session would otherwise read the old definition.
fn reads_itself(body: &datafusion::sql::sqlparser::ast::Statement, view: &str) -> bool {
    use datafusion::sql::sqlparser::ast::{Statement, visit_relations};
    if let Statement::Query(q) = body
        && q.with.as_ref().is_some_and(|w| w.cte_tables.iter().any(|c| c.alias.name.value.eq_ignore_ascii_case(view)))
    {
        return false;
    }
    visit_relations(body, |r| {
        let parts: Vec<&str> = r.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.as_str()).collect();
        if parts.len() == 1 && parts[0].eq_ignore_ascii_case(view) {
            return std::ops::ControlFlow::Break(());
        }
        std::ops::ControlFlow::Continue(())
    })
    .is_break()
}

fn show_tables(session: &Arc<Session>, database: Option<String>, pattern: Option<String>, views_only: bool) -> Result<DataFrame> {
    let global = database.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(catalog::GLOBAL_TEMP));
    if let Some(db) = database.as_deref().filter(|d| !global && !d.eq_ignore_ascii_case(crate::session::DATABASE)) {
        return Err(schema_not_found(db));
    }
    let like = pattern.as_deref().and_then(like_regex);
    let mut rows = Vec::new();
    if global {
        for v in catalog::list_views(session.ctx(), true)? {
            rows.push(vec![Some(catalog::GLOBAL_TEMP.to_string()), Some(v), Some("true".to_string())]);
        }
    }
    for v in catalog::list_views(session.ctx(), false)? {
        rows.push(vec![Some(String::new()), Some(v), Some("true".to_string())]);
    }
    if let Some(like) = like {
        rows.retain(|r| r[1].as_deref().is_some_and(|n| like.is_match(n)));
    }
    let name = if views_only { "viewName" } else { "tableName" };
    let df = string_rows(session, &["namespace", name, "isTemporary"], rows)?;
    let items = vec![
        Expr::Column(Column::new_unqualified("namespace")),
        Expr::Column(Column::new_unqualified(name)),
        datafusion::logical_expr::cast(
            Expr::Column(Column::new_unqualified("isTemporary")),
            datafusion::arrow::datatypes::DataType::Boolean,
        )
        .alias("isTemporary"),
    ];
    df.select(items)
}

/// `DESCRIBE`: a row per column (name, Spark type, comment).
fn describe(session: &Arc<Session>, df: &DataFrame) -> Result<DataFrame> {
    let rows =
        df.schema().fields().iter().map(|f| vec![Some(f.name().clone()), Some(ember_sql::simple_string(f.data_type())), None]).collect();
    string_rows(session, &["col_name", "data_type", "comment"], rows)
}

/// `SET k=v`, `SET k`, `SET` / `SET -v` (every key).
fn set(session: &Arc<Session>, command: SetCommand) -> Result<DataFrame> {
    match command {
        SetCommand::Put(k, v) => {
            session.conf_set(&k, &v)?;
            string_rows(session, &["key", "value"], vec![vec![Some(k), Some(v)]])
        }
        SetCommand::Get(k) => {
            let v = session.conf_value(&k).unwrap_or_else(|| "<undefined>".to_string());
            string_rows(session, &["key", "value"], vec![vec![Some(k), Some(v)]])
        }
        SetCommand::All | SetCommand::Verbose => {
            let rows = session.conf_all().into_iter().map(|(k, v)| vec![Some(k), Some(v)]).collect();
            string_rows(session, &["key", "value"], rows)
        }
    }
}

/// Spark's `SHOW ... LIKE` patterns: `*` is any run of characters, `|` separates alternatives,
/// case-insensitively.
fn like_regex(pattern: &str) -> Option<Regex> {
    let alternatives: Vec<String> = pattern.split('|').map(|p| regex::escape(p.trim()).replace("\\*", ".*")).collect();
    Regex::new(&format!("(?i)^(?:{})$", alternatives.join("|"))).ok()
}

pub(crate) fn empty(session: &Arc<Session>) -> Result<DataFrame> {
    Ok(DataFrame::new(Arc::clone(session), LogicalPlanBuilder::empty(false).build()?))
}
