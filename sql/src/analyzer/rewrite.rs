//! What the syntax-tree rewrites of the analyzer share: running a rewriting visitor over a
//! statement, the columns a relation has (known only by planning it, which the caller does),
//! and building the syntax they rewrite into from SQL text.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Query, Select, SetExpr, Statement, VisitMut, VisitorMut};

use crate::error::{Result, SqlError};
use crate::parser::Statement as Parsed;

/// The output column names of a relation, given as SQL text (`t`, `(SELECT ...) AS s`).
pub type ColumnsOf<'a> = &'a dyn Fn(&str) -> Result<Vec<String>>;

/// The output schema of a query given as SQL text: it is planned (for the types of columns).
pub type SchemaOf<'a> = &'a dyn Fn(&str) -> Result<datafusion::arrow::datatypes::SchemaRef>;

/// Runs a rewriting visitor over a statement; the first error it stops at is the result.
pub fn visit(statement: &mut Statement, visitor: &mut impl VisitorMut<Break = SqlError>) -> Result<()> {
    match statement.visit(visitor) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// The query SQL text `text` parses to (`what` names the rewrite, for the message).
pub fn parse_query(text: &str, what: &str) -> Result<Query> {
    match crate::parser::parse_statement(text)? {
        Parsed::Query(statement) => match *statement {
            Statement::Query(q) => Ok(*q),
            other => Err(SqlError::Analysis(format!("{what} rewrote into a statement that is not a query: {other}"))),
        },
        _ => Err(SqlError::Analysis(format!("{what} rewrote into a statement that is not a query: {text}"))),
    }
}

/// A name as a backquoted identifier.
pub fn quoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Spark's syntax Ember does not plan yet.
pub fn unsupported(what: &str) -> SqlError {
    SqlError::Unsupported(format!("{what} is not supported yet."))
}

/// Runs `f` on each select of a query body (both sides of set operations).
pub fn each_select(body: &mut SetExpr, f: &mut dyn FnMut(&mut Select) -> Result<()>) -> Result<()> {
    match body {
        SetExpr::Select(s) => f(s),
        SetExpr::SetOperation { left, right, .. } => {
            each_select(left, f)?;
            each_select(right, f)
        }
        _ => Ok(()),
    }
}

/// Runs `f` on every select of a statement, in every query it holds (subqueries, CTEs, both
/// sides of set operations); the first error stops it.
pub fn each_select_of(statement: &mut Statement, f: &mut dyn FnMut(&mut Select) -> Result<()>) -> Result<()> {
    visit(statement, &mut EachSelect { f })
}

struct EachSelect<'a> {
    f: &'a mut dyn FnMut(&mut Select) -> Result<()>,
}

impl VisitorMut for EachSelect<'_> {
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        match each_select(&mut query.body, self.f) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }
}

/// A query's `WITH` clause as text to put before a query planned in its scope (`""` if none).
pub fn with_clause(query: &Query) -> String {
    query.with.as_ref().map(|w| format!("{w} ")).unwrap_or_default()
}

/// A select's `FROM` clause as text (` FROM a JOIN b ON ...`, `""` if none), to plan an
/// expression of the select over the same relations.
pub fn from_clause(select: &Select) -> String {
    let from: Vec<String> = select.from.iter().map(ToString::to_string).collect();
    if from.is_empty() { String::new() } else { format!(" FROM {}", from.join(", ")) }
}
