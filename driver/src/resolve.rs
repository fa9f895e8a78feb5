//! Column resolution with Spark's rules.
//!
//! Spark resolves names case-insensitively, reports the columns that exist when a name is
//! unknown, and lets `df["x"]` name "the `x` of that DataFrame" even after a join where both
//! sides have an `x`. A column taken from a DataFrame carries the qualifier `__df<N>`; the
//! session remembers which fields DataFrame N had, so the reference survives later plans.

use std::collections::HashMap;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DFSchema, TableReference};
use datafusion::logical_expr::Expr;
use datafusion::logical_expr::expr::Alias;
use datafusion::prelude::get_field;
use parking_lot::Mutex;

use crate::error::{DriverError, Result, unresolved_column};

const DF_PREFIX: &str = "__df";

/// Marks an expression given as SQL text (`functions.expr`, `selectExpr`, `filter("...")`):
/// it is parsed against the schema of the DataFrame that uses it, as Spark resolves it.
const SQL_TEXT_PREFIX: &str = "$ember_sql:";

/// An expression to be parsed from `text` when a DataFrame resolves it.
pub fn sql_text_expr(text: &str) -> Expr {
    Expr::Placeholder(datafusion::logical_expr::expr::Placeholder { id: format!("{SQL_TEXT_PREFIX}{text}"), field: None })
}

/// The SQL text of an expression made by [`sql_text_expr`].
pub fn as_sql_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Placeholder(p) => p.id.strip_prefix(SQL_TEXT_PREFIX),
        _ => None,
    }
}

/// The qualifier that ties a column reference to DataFrame `id`.
pub fn frame_qualifier(id: u64) -> String {
    format!("{DF_PREFIX}{id}")
}

fn frame_id(relation: &TableReference) -> Option<u64> {
    relation.table().strip_prefix(DF_PREFIX).and_then(|n| n.parse().ok())
}

/// A field as (qualifier, name).
type FieldRef = (Option<TableReference>, String);

/// The fields each DataFrame that handed out a column reference had, by DataFrame id.
#[derive(Debug, Default)]
pub struct FrameRegistry {
    fields: Mutex<HashMap<u64, Vec<FieldRef>>>,
}

impl FrameRegistry {
    pub fn remember(&self, id: u64, schema: &DFSchema) {
        let mut fields = self.fields.lock();
        fields.entry(id).or_insert_with(|| schema.iter().map(|(q, f)| (q.cloned(), f.name().clone())).collect());
    }

    fn fields_of(&self, id: u64) -> Vec<FieldRef> {
        self.fields.lock().get(&id).cloned().unwrap_or_default()
    }
}

/// Splits `a.b` into parts, honouring backticks (`` `a.b` `` is one name).
pub fn split_name(name: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in name.chars() {
        match c {
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

/// Parses SQL expression text against a schema (the session's SQL front end).
pub type SqlParser<'a> = &'a dyn Fn(&str, &DFSchema) -> Result<Expr>;

/// Resolves every column reference in `expr` against `schema`, parsing SQL text pieces.
pub fn resolve_expr(expr: Expr, schema: &DFSchema, frames: &FrameRegistry, parse: SqlParser<'_>) -> Result<Expr> {
    let mut failure: Option<DriverError> = None;
    let out = expr
        .transform_up(|e| match e {
            Expr::Placeholder(_) if as_sql_text(&e).is_some() => match parse(as_sql_text(&e).unwrap_or_default(), schema) {
                Ok(parsed) => Ok(Transformed::yes(parsed)),
                Err(err) => {
                    failure.get_or_insert(err);
                    Ok(Transformed::no(e))
                }
            },
            Expr::Column(c) => match resolve_column(&c, schema, frames) {
                Ok(resolved) => Ok(Transformed::yes(resolved)),
                Err(err) => {
                    failure.get_or_insert(err);
                    Ok(Transformed::no(Expr::Column(c)))
                }
            },
            other => Ok(Transformed::no(other)),
        })
        .map_err(DriverError::from)?
        .data;
    match failure {
        Some(err) => Err(err),
        // Lambdas' variables are typed by their functions' arguments, now resolved.
        None => Ok(ember_sql::lambda::resolve_lambdas(out, schema)?),
    }
}

fn resolve_column(c: &Column, schema: &DFSchema, frames: &FrameRegistry) -> Result<Expr> {
    if schema.has_column(c) {
        return Ok(Expr::Column(c.clone()));
    }
    if let Some(rel) = &c.relation {
        if let Some(id) = frame_id(rel) {
            // The same field in a plan built on top of DataFrame `id`.
            for (q, name) in frames.fields_of(id) {
                if name == c.name {
                    let candidate = Column::new(q.clone(), name.clone());
                    if schema.has_column(&candidate) {
                        return Ok(Expr::Column(candidate));
                    }
                }
            }
            return by_name(&c.name, schema, true);
        }
        // `a.b`: a table alias, or a struct column `a` with field `b`.
        let qualified: Vec<(Option<&TableReference>, &str)> = schema
            .iter()
            .filter(|(q, f)| q.is_some_and(|q| q.table().eq_ignore_ascii_case(rel.table())) && f.name().eq_ignore_ascii_case(&c.name))
            .map(|(q, f)| (q, f.name().as_str()))
            .collect();
        if let [(q, name)] = qualified.as_slice() {
            return Ok(Expr::Column(Column::new(q.cloned(), *name)));
        }
        if let Ok(Expr::Column(base)) = by_name(rel.table(), schema, false) {
            return Ok(get_field(Expr::Column(base), c.name.as_str()));
        }
        return Err(unknown(&c.flat_name(), schema));
    }
    // A dotted name in one identifier: struct field access on a column.
    let parts = split_name(&c.name);
    if parts.len() > 1
        && let Ok(mut e) = by_name(&parts[0], schema, false)
    {
        for field in &parts[1..] {
            e = get_field(e, field.as_str());
        }
        return Ok(e);
    }
    by_name(&c.name, schema, true)
}

/// Finds a field by name: exact match first, then case-insensitive, as Spark does by default.
fn by_name(name: &str, schema: &DFSchema, report: bool) -> Result<Expr> {
    let bare = name.trim_matches('`');
    for exact in [true, false] {
        let hits: Vec<(Option<&TableReference>, &String)> = schema
            .iter()
            .filter(|(_, f)| if exact { f.name() == bare } else { f.name().eq_ignore_ascii_case(bare) })
            .map(|(q, f)| (q, f.name()))
            .collect();
        match hits.as_slice() {
            [] => continue,
            [(q, n)] => return Ok(Expr::Column(Column::new(q.cloned(), n.as_str()))),
            many => {
                let options: Vec<String> = many
                    .iter()
                    .map(|(q, n)| match q {
                        Some(q) if !q.table().starts_with(DF_PREFIX) => format!("`{}`.`{n}`", q.table()),
                        _ => format!("`{n}`"),
                    })
                    .collect();
                return Err(crate::error::ambiguous_reference(bare, &options));
            }
        }
    }
    if report { Err(unknown(bare, schema)) } else { Err(DriverError::analysis(String::new())) }
}

fn unknown(name: &str, schema: &DFSchema) -> DriverError {
    let candidates: Vec<(Option<String>, String)> =
        schema.iter().map(|(q, f)| (q.map(|q| q.table().to_string()).filter(|t| !t.starts_with(DF_PREFIX)), f.name().clone())).collect();
    unresolved_column(name, &crate::error::suggestions(name, &candidates))
}

/// The output name of a select item: its alias, its column name, or Spark's generated name.
pub fn output_name(expr: &Expr) -> String {
    match expr {
        Expr::Alias(Alias { name, expr, .. }) => ember_sql::naming::called_name(name, expr).unwrap_or_else(|| name.clone()),
        Expr::Column(c) => c.name.clone(),
        other => ember_sql::spark_name(other),
    }
}

/// Gives a computed select item its Spark name; plain columns keep their qualifier.
pub fn named(expr: Expr) -> Expr {
    match expr {
        Expr::Alias(_) | Expr::Column(_) => expr,
        other => {
            let name = ember_sql::spark_name(&other);
            other.alias(name)
        }
    }
}
