//! `spark.sql(...)`: Spark's own statements handled here, everything else planned by
//! DataFusion from Spark-normalized text, with output columns named the way Spark names them.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::common::Column;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
use datafusion::sql::parser::Statement;
use regex::Regex;

use crate::catalog;
use crate::dataframe::DataFrame;
use crate::error::{DriverError, Result};
use crate::local::string_rows;
use crate::read::sql_paths::{PathTables, names_files};
use crate::read::{ReadRequest, load};
use crate::session::Session;

/// A statement pattern; the patterns are literals, checked by this file's tests, so `None`
/// (an invalid pattern) only means "never matches".
struct Pattern(LazyLock<Option<Regex>>);

impl Pattern {
    fn captures<'t>(&self, text: &'t str) -> Option<regex::Captures<'t>> {
        self.0.as_ref().and_then(|r| r.captures(text))
    }

    fn is_match(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|r| r.is_match(text))
    }

    fn captures_iter<'t>(&self, text: &'t str) -> Vec<regex::Captures<'t>> {
        self.0.as_ref().map(|r| r.captures_iter(text).collect()).unwrap_or_default()
    }
}

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        static $name: Pattern = Pattern(LazyLock::new(|| Regex::new($re).ok()));
    };
}

pattern!(CREATE_VIEW_USING, r"(?is)^CREATE\s+(OR\s+REPLACE\s+)?(GLOBAL\s+)?TEMP(?:ORARY)?\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?([`\w.]+)\s*(\((.*?)\))?\s*USING\s+(\w+)\s*(?:OPTIONS\s*\((.*)\))?\s*$");
pattern!(CREATE_VIEW_AS, r"(?is)^CREATE\s+(OR\s+REPLACE\s+)?(GLOBAL\s+)?TEMP(?:ORARY)?\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?([`\w.]+)\s*(?:\(([^)]*)\))?\s*AS\s+(.*)$");
pattern!(CACHE_TABLE, r"(?is)^CACHE\s+(LAZY\s+)?TABLE\s+([`\w.]+)(?:\s+(?:AS\s+)?(.*))?$");
pattern!(UNCACHE_TABLE, r"(?is)^UNCACHE\s+TABLE\s+(IF\s+EXISTS\s+)?([`\w.]+)\s*$");
pattern!(CLEAR_CACHE, r"(?is)^CLEAR\s+CACHE\s*$");
pattern!(SHOW_TABLES, r"(?is)^SHOW\s+TABLES(?:\s+(?:FROM|IN)\s+([`\w]+))?(?:\s+(?:LIKE\s+)?'([^']*)')?\s*$");
pattern!(SHOW_DATABASES, r"(?is)^SHOW\s+(?:DATABASES|SCHEMAS|NAMESPACES)\s*$");
pattern!(DESCRIBE, r"(?is)^(?:DESCRIBE|DESC)(?:\s+TABLE)?(?:\s+EXTENDED|\s+FORMATTED)?\s+([`\w.]+)\s*$");
pattern!(SET, r"(?is)^SET(?:\s+(-v)|\s+([^=]+?)(?:\s*=\s*(.*?))?)?\s*$");
pattern!(RESET, r"(?is)^RESET(?:\s+(.*))?$");
pattern!(DROP_VIEW, r"(?is)^DROP\s+(?:VIEW|TABLE)\s+(IF\s+EXISTS\s+)?([`\w.]+)\s*$");
pattern!(EXPLAIN, r"(?is)^EXPLAIN(?:\s+(EXTENDED|FORMATTED|CODEGEN|COST|SIMPLE))?\s+(.*)$");
pattern!(USE, r"(?is)^USE\s+([`\w]+)\s*$");
pattern!(OPTION_PAIR, r#"(?s)\s*([`'"]?)([\w.]+)([`'"]?)\s*(?:=\s*)?(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+?))\s*(?:,|$)"#);

/// Runs one SQL statement. Queries stay lazy; commands run now and return their output.
pub fn sql(session: &Arc<Session>, text: &str) -> Result<DataFrame> {
    let normalized = ember_sql::lexer::normalize_quotes(text);
    let stmt = normalized.trim().trim_end_matches(';').trim();
    if let Some(c) = CREATE_VIEW_USING.captures(stmt) {
        let name = c.get(4).map_or("", |m| m.as_str());
        let (global, short) = (c.get(2).is_some(), catalog::split_name(name).1);
        let mut options = parse_options(c.get(8).map_or("", |m| m.as_str()));
        let format = c.get(7).map_or("", |m| m.as_str()).to_string();
        let schema = match c.get(6) {
            Some(s) if !s.as_str().trim().is_empty() => Some(Arc::new(ember_sql::parse_ddl_schema(s.as_str())?)),
            _ => None,
        };
        let path = options.remove("path").into_iter().collect();
        if c.get(3).is_some() && catalog::view_exists(session.ctx(), &short, global)? {
            return empty(session);
        }
        let df = load(session, ReadRequest { format, options, schema, paths: path })?;
        // A USING view replaces an older one of the same name, as Spark's does.
        catalog::create_view(session.ctx(), &short, df.plan().clone(), true, global)?;
        return empty(session);
    }
    if let Some(c) = CREATE_VIEW_AS.captures(stmt) {
        let name = c.get(4).map_or("", |m| m.as_str());
        let (global, short) = (c.get(2).is_some(), catalog::split_name(name).1);
        if c.get(3).is_some() && catalog::view_exists(session.ctx(), &short, global)? {
            return empty(session);
        }
        let mut df = sql(session, c.get(6).map_or("", |m| m.as_str()))?;
        if let Some(cols) = c.get(5) {
            let names: Vec<String> = cols.as_str().split(',').map(|s| s.trim().trim_matches('`').to_string()).collect();
            let items: Vec<Expr> = df
                .df_schema()
                .iter()
                .zip(names)
                .map(|((q, f), n)| Expr::Column(Column::new(q.cloned(), f.name())).alias(n))
                .collect();
            df = DataFrame::new(Arc::clone(session), LogicalPlanBuilder::from(df.plan().clone()).project(items)?.build()?);
        }
        catalog::create_view(session.ctx(), &short, df.plan().clone(), c.get(1).is_some(), global)?;
        return empty(session);
    }
    if let Some(c) = CACHE_TABLE.captures(stmt) {
        let name = c.get(2).map_or("", |m| m.as_str());
        let (global, short) = catalog::split_name(name);
        let df = match c.get(3) {
            Some(q) if !q.as_str().trim().is_empty() => sql(session, q.as_str())?,
            _ => table(session, name)?,
        };
        let cached = df.cache()?;
        catalog::create_view(session.ctx(), &short, cached.plan().clone(), true, global)?;
        if c.get(1).is_none() {
            cached.count()?;
        }
        if let Some(rel) = cached.cache_relation() {
            session.remember_cached_view(&short, rel);
        }
        return empty(session);
    }
    if let Some(c) = UNCACHE_TABLE.captures(stmt) {
        let name = c.get(2).map_or("", |m| m.as_str());
        let short = catalog::split_name(name).1;
        if !session.uncache_view(&short)? && c.get(1).is_none() && !catalog::view_exists(session.ctx(), &short, false)? {
            return Err(crate::error::table_not_found(name));
        }
        return empty(session);
    }
    if CLEAR_CACHE.is_match(stmt) {
        session.caches().clear();
        return empty(session);
    }
    if let Some(c) = SHOW_TABLES.captures(stmt) {
        let db = c.get(1).map(|m| m.as_str().trim_matches('`').to_string());
        let global = db.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(catalog::GLOBAL_TEMP));
        let like = c.get(2).and_then(|m| like_regex(m.as_str()));
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
        return typed_show_tables(session, rows);
    }
    if SHOW_DATABASES.is_match(stmt) {
        return string_rows(session, &["namespace"], vec![vec![Some(crate::session::DATABASE.to_string())]]);
    }
    if let Some(c) = DESCRIBE.captures(stmt) {
        let df = table(session, c.get(1).map_or("", |m| m.as_str()))?;
        let rows = df
            .schema()
            .fields()
            .iter()
            .map(|f| vec![Some(f.name().clone()), Some(ember_sql::simple_string(f.data_type())), None])
            .collect();
        return string_rows(session, &["col_name", "data_type", "comment"], rows);
    }
    if let Some(c) = SET.captures(stmt) {
        return set(session, c.get(2).map(|m| m.as_str().trim()), c.get(3).map(|m| m.as_str().trim()));
    }
    if let Some(c) = RESET.captures(stmt) {
        if let Some(k) = c.get(1) {
            session.conf_unset(k.as_str().trim());
        }
        return empty(session);
    }
    if let Some(c) = DROP_VIEW.captures(stmt) {
        let name = c.get(2).map_or("", |m| m.as_str());
        let (global, short) = catalog::split_name(name);
        if !catalog::drop_view(session.ctx(), &short, global)? && c.get(1).is_none() {
            return Err(crate::error::table_not_found(name));
        }
        let _ = session.uncache_view(&short);
        return empty(session);
    }
    if let Some(c) = EXPLAIN.captures(stmt) {
        let mode = c.get(1).map(|m| m.as_str().to_ascii_uppercase());
        let df = sql(session, c.get(2).map_or("", |m| m.as_str()))?;
        let text = df.explain_string(matches!(mode.as_deref(), Some("EXTENDED") | Some("FORMATTED") | Some("COST")))?;
        return string_rows(session, &["plan"], vec![vec![Some(text)]]);
    }
    if let Some(c) = USE.captures(stmt) {
        let db = c.get(1).map_or("", |m| m.as_str()).trim_matches('`');
        if !db.eq_ignore_ascii_case(crate::session::DATABASE) {
            return Err(DriverError::Analysis(format!("[SCHEMA_NOT_FOUND] The schema `{db}` cannot be found.")));
        }
        return empty(session);
    }
    query(session, stmt, text)
}

/// `spark.table(name)` / `FROM name`: a view, with Spark's message when it does not exist.
pub fn table(session: &Arc<Session>, name: &str) -> Result<DataFrame> {
    let (global, short) = catalog::split_name(name);
    if !catalog::view_exists(session.ctx(), &short, global)? {
        return Err(crate::error::table_not_found(name));
    }
    let qualified = if global { format!("{}.`{short}`", catalog::GLOBAL_TEMP) } else { format!("`{short}`") };
    // `short` is already the lower-case catalog name.
    query(session, &format!("SELECT * FROM {qualified}"), name)
}

fn empty(session: &Arc<Session>) -> Result<DataFrame> {
    Ok(DataFrame::new(Arc::clone(session), LogicalPlanBuilder::empty(false).build()?))
}

fn typed_show_tables(session: &Arc<Session>, rows: Vec<Vec<Option<String>>>) -> Result<DataFrame> {
    let df = string_rows(session, &["namespace", "tableName", "isTemporary"], rows)?;
    let items = vec![
        Expr::Column(Column::new_unqualified("namespace")),
        Expr::Column(Column::new_unqualified("tableName")),
        datafusion::logical_expr::cast(Expr::Column(Column::new_unqualified("isTemporary")), datafusion::arrow::datatypes::DataType::Boolean)
            .alias("isTemporary"),
    ];
    df.select(items)
}

/// `SET k=v`, `SET k`, `SET` / `SET -v` (every key).
fn set(session: &Arc<Session>, key: Option<&str>, value: Option<&str>) -> Result<DataFrame> {
    match (key, value) {
        (Some(k), Some(v)) => {
            session.conf_set(k, v)?;
            string_rows(session, &["key", "value"], vec![vec![Some(k.to_string()), Some(v.to_string())]])
        }
        (Some(k), None) => {
            let v = session.conf_value(k).unwrap_or_else(|| "<undefined>".to_string());
            string_rows(session, &["key", "value"], vec![vec![Some(k.to_string()), Some(v)]])
        }
        _ => {
            let rows = session.conf_all().into_iter().map(|(k, v)| vec![Some(k), Some(v)]).collect();
            string_rows(session, &["key", "value"], rows)
        }
    }
}

fn like_regex(pattern: &str) -> Option<Regex> {
    let alternatives: Vec<String> = pattern.split('|').map(|p| regex::escape(p.trim()).replace("\\*", ".*")).collect();
    Regex::new(&format!("(?i)^(?:{})$", alternatives.join("|"))).ok()
}

/// `OPTIONS (path '...', header 'true', 'k' = 'v')` into lower-cased keys.
fn parse_options(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in OPTION_PAIR.captures_iter(text) {
        let key = c.get(2).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let value = c.get(4).or_else(|| c.get(5)).or_else(|| c.get(6)).map_or("", |m| m.as_str());
        if !key.is_empty() {
            out.insert(key, value.replace("\\'", "'"));
        }
    }
    out
}

/// A query (or a DDL statement DataFusion runs itself).
fn query(session: &Arc<Session>, stmt: &str, original: &str) -> Result<DataFrame> {
    let state = session.ctx().state();
    let mut parsed =
        state.sql_to_statement(stmt, &datafusion::common::config::Dialect::Generic).map_err(|e| parse_error(&e.to_string(), original))?;
    let is_query = matches!(&parsed, Statement::Statement(s) if matches!(**s, datafusion::sql::sqlparser::ast::Statement::Query(_)));
    if is_query {
        lowercase_relations(&mut parsed);
    }
    // `format.`path`` relations, readable while the statement is planned.
    let _files = PathTables::register(session, &mut parsed)?;
    // Spark resolves column names case-insensitively: a name that only differs in case from an
    // existing column is corrected in the statement, which is then planned again.
    let mut attempts = 0;
    let mut hidden_names = false;
    let plan = loop {
        match session.block_on(state.statement_to_plan(parsed.clone())) {
            Ok(plan) => break plan,
            Err(e) => {
                // Spark lets several output columns share a name (`SELECT id, CAST(id AS
                // STRING)`); DataFusion does not, so they are planned under hidden names and
                // given their Spark names at the end.
                if !hidden_names && e.to_string().contains("Projections require unique expression names") {
                    hidden_names = true;
                    if alias_select_items(&mut parsed) {
                        continue;
                    }
                }
                let fix = case_fix(&e).filter(|_| attempts < 16);
                let Some((wrong, right)) = fix else {
                    return Err(e.into());
                };
                attempts += 1;
                recase_identifiers(&mut parsed, &wrong, &right);
            }
        }
    };
    if !is_query {
        // DDL/DML run now, as in Spark.
        let df = session.block_on(session.ctx().execute_logical_plan(plan))?;
        session.block_on(df.collect())?;
        return empty(session);
    }
    // Names come from the plan as written; the rewrite keeps DataFusion's names underneath.
    let names = output_names(&plan);
    let plan = ember_sql::semantics::spark_sql_rewrite(plan)?;
    Ok(DataFrame::new(Arc::clone(session), rename_outputs(plan, names)?))
}

/// An unknown column that matches exactly one existing column but for case: (as written, real).
fn case_fix(e: &datafusion::error::DataFusionError) -> Option<(String, String)> {
    use datafusion::error::DataFusionError as E;
    match e {
        E::SchemaError(err, _) => {
            let datafusion::common::SchemaError::FieldNotFound { field, valid_fields } = err.as_ref() else {
                return None;
            };
            let mut hits = valid_fields.iter().filter(|c| c.name.eq_ignore_ascii_case(&field.name) && c.name != field.name);
            let first = hits.next()?;
            if hits.any(|c| c.name != first.name) {
                return None;
            }
            Some((field.name.clone(), first.name.clone()))
        }
        E::Context(_, inner) | E::Diagnostic(_, inner) => case_fix(inner),
        E::Shared(inner) => case_fix(inner),
        E::Collection(errors) => errors.iter().find_map(case_fix),
        _ => None,
    }
}

/// Spark's table and view names are case-insensitive (views are kept lower-case).
fn lowercase_relations(statement: &mut Statement) {
    use datafusion::sql::sqlparser::ast::visit_relations_mut;
    let Statement::Statement(inner) = statement else {
        return;
    };
    let _ = visit_relations_mut(inner.as_mut(), |name| {
        if names_files(name) {
            return std::ops::ControlFlow::Continue(());
        }
        for part in name.0.iter_mut() {
            if let datafusion::sql::sqlparser::ast::ObjectNamePart::Identifier(id) = part {
                id.value = id.value.to_lowercase();
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
}

/// Prefix of the names select items are planned under when their Spark names repeat.
const HIDDEN_NAME: &str = "__ember_col";

/// Gives every unaliased item of a query's select list a hidden name (its Spark name is
/// restored from the expression by [`output_names`]). Returns whether anything changed.
fn alias_select_items(statement: &mut Statement) -> bool {
    use datafusion::sql::sqlparser::ast::{Ident, SelectItem, SetExpr, Statement as Sql};
    let Statement::Statement(inner) = statement else {
        return false;
    };
    let Sql::Query(query) = inner.as_mut() else {
        return false;
    };
    let SetExpr::Select(select) = query.body.as_mut() else {
        return false;
    };
    let mut changed = false;
    for (i, item) in select.projection.iter_mut().enumerate() {
        if let SelectItem::UnnamedExpr(expr) = item {
            *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias: Ident::new(format!("{HIDDEN_NAME}{i}")) };
            changed = true;
        }
    }
    changed
}

/// Renames unquoted identifiers `wrong` to `right` throughout a statement.
fn recase_identifiers(statement: &mut Statement, wrong: &str, right: &str) {
    use datafusion::sql::sqlparser::ast::{Expr as SqlExpr, visit_expressions_mut};
    let Statement::Statement(inner) = statement else {
        return;
    };
    let _ = visit_expressions_mut(inner.as_mut(), |e| {
        match e {
            SqlExpr::Identifier(id) if id.quote_style.is_none() && id.value == wrong => id.value = right.to_string(),
            SqlExpr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last_mut().filter(|p| p.quote_style.is_none() && p.value == wrong) {
                    last.value = right.to_string();
                }
            }
            _ => {}
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
}

/// Spark's ParseException text: the message, then the statement with a caret under the error.
fn parse_error(message: &str, sql: &str) -> DriverError {
    let position = message
        .split("Line: ")
        .nth(1)
        .and_then(|r| {
            let mut it = r.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
            Some((it.next()?.parse::<usize>().ok()?, r.split("Column: ").nth(1)?.split(|c: char| !c.is_ascii_digit()).next()?.parse::<usize>().ok()?))
        });
    let near = message.split("found: ").nth(1).map(|s| s.split(" at Line").next().unwrap_or(s).trim().to_string());
    let (line, col) = position.unwrap_or((1, 1));
    let near = near.unwrap_or_else(|| sql.split_whitespace().next().unwrap_or("").to_string());
    let mut out = format!(
        "\n[PARSE_SYNTAX_ERROR] Syntax error at or near '{near}'. SQLSTATE: 42601 (line {line}, pos {})\n\n== SQL ==\n",
        col.saturating_sub(1)
    );
    for (i, l) in sql.lines().enumerate() {
        out.push_str(l);
        out.push('\n');
        if i + 1 == line {
            out.push_str(&"-".repeat(col.saturating_sub(1)));
            out.push_str(&"^".repeat(3));
            out.push('\n');
        }
    }
    DriverError::Parse(out)
}

/// Renames a query's output columns to the names Spark would give them.
fn rename_outputs(plan: LogicalPlan, names: Vec<String>) -> Result<LogicalPlan> {
    let current: Vec<String> = plan.schema().fields().iter().map(|f| f.name().clone()).collect();
    if names == current || names.len() != current.len() {
        return Ok(plan);
    }
    // Spark allows duplicate output names; DataFusion only with distinct qualifiers.
    let qualifiers = crate::dataframe::duplicate_qualifiers(&names);
    let items: Vec<Expr> = plan
        .schema()
        .iter()
        .zip(names)
        .zip(qualifiers)
        .map(|(((q, f), n), hidden)| Expr::Column(Column::new(q.cloned(), f.name())).alias_qualified(hidden, n))
        .collect();
    Ok(LogicalPlanBuilder::from(plan).project(items)?.build()?)
}

fn output_names(plan: &LogicalPlan) -> Vec<String> {
    match plan {
        LogicalPlan::Projection(p) => p.expr.iter().map(|e| name_of(e, &p.input)).collect(),
        LogicalPlan::Sort(s) => output_names(&s.input),
        LogicalPlan::Limit(l) => output_names(&l.input),
        LogicalPlan::Filter(f) => output_names(&f.input),
        LogicalPlan::Distinct(datafusion::logical_expr::Distinct::All(input)) => output_names(input),
        LogicalPlan::Aggregate(a) => a.group_expr.iter().chain(&a.aggr_expr).map(|e| name_of(e, &a.input)).collect(),
        _ => plan.schema().fields().iter().map(|f| f.name().clone()).collect(),
    }
}

fn name_of(e: &Expr, input: &LogicalPlan) -> String {
    match e {
        // DataFusion's own alias for `count(*)`; Spark calls it `count(1)`.
        Expr::Alias(a) if a.name == "count(*)" => "count(1)".to_string(),
        Expr::Alias(a) if a.name.starts_with(HIDDEN_NAME) => name_of(&a.expr, input),
        Expr::Alias(a) => a.name.clone(),
        _ => {
            let inlined = e
                .clone()
                .transform_up(|x| match &x {
                    Expr::Column(c) => Ok(match origin(c, input) {
                        Some(o) => Transformed::yes(o),
                        None => Transformed::no(x),
                    }),
                    _ => Ok(Transformed::no(x)),
                })
                .map(|t| t.data)
                .unwrap_or_else(|_| e.clone());
            match &inlined {
                Expr::Column(c) => c.name.clone(),
                other => ember_sql::spark_name(other),
            }
        }
    }
}

/// The expression that produced column `c` below a projection (an aggregate or window).
fn origin(c: &Column, plan: &LogicalPlan) -> Option<Expr> {
    match plan {
        LogicalPlan::Aggregate(a) => a
            .group_expr
            .iter()
            .chain(&a.aggr_expr)
            .find(|e| !matches!(e, Expr::Column(_)) && e.schema_name().to_string() == c.name)
            .cloned()
            .map(|e| match e {
                Expr::Alias(a) if a.name == "count(*)" => *a.expr,
                Expr::Alias(a) => *a.expr,
                other => other,
            }),
        LogicalPlan::Window(w) => w
            .window_expr
            .iter()
            .find(|e| e.schema_name().to_string() == c.name)
            .cloned()
            .or_else(|| origin(c, &w.input)),
        LogicalPlan::Filter(f) => origin(c, &f.input),
        LogicalPlan::Sort(s) => origin(c, &s.input),
        LogicalPlan::Limit(l) => origin(c, &l.input),
        LogicalPlan::Projection(p) => p
            .expr
            .iter()
            .find(|e| !matches!(e, Expr::Column(_) | Expr::Alias(_)) && e.schema_name().to_string() == c.name)
            .cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let o = parse_options("path '/tmp/x.csv', header 'true', 'inferSchema' = \"true\"");
        assert_eq!(o.get("path").map(String::as_str), Some("/tmp/x.csv"));
        assert_eq!(o.get("header").map(String::as_str), Some("true"));
        assert_eq!(o.get("inferschema").map(String::as_str), Some("true"));
    }

    #[test]
    fn statements_match() {
        assert!(CREATE_VIEW_USING.is_match("CREATE TEMPORARY VIEW t USING csv OPTIONS (path 'x')"));
        assert!(CREATE_VIEW_AS.is_match("create or replace temp view t as select 1"));
        assert!(SHOW_TABLES.is_match("SHOW TABLES"));
        assert!(SET.is_match("SET spark.sql.shuffle.partitions=4"));
    }
}
