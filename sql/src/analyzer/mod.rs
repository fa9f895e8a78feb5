//! Spark's semantics for parsed SQL, applied to SQL statements and expression strings alike
//! before DataFusion plans them ([`syntax`]: Spark's operators that DataFusion spells
//! differently).

pub mod coercion;
pub mod generators;
pub mod grouping_id;
pub mod lambda_fields;
pub mod lateral_alias;
pub mod missing_field;
pub mod names;
pub mod pivot;
pub mod position;
pub mod rewrite;
pub mod runtime_origin;
pub mod set_operations;
pub mod struct_star;
pub mod syntax;
pub mod tuple_in;
pub mod using_join;
pub mod using_star;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::sql::sqlparser::ast::Statement;

use crate::error::Result;

/// What the analyzer asks of the session while it rewrites a statement: rewrites such as
/// `PIVOT`, lateral aliases and struct stars depend on the columns and types of what is read.
pub trait Relations {
    /// The columns of a relation as written in a `FROM` clause (a table, a view, a
    /// parenthesized subquery).
    fn columns_of(&self, relation: &str) -> Result<Vec<String>>;

    /// The output schema of a query given as text.
    fn schema_of(&self, query: &str) -> Result<SchemaRef>;
}

/// Spark's rewrites of a parsed query before DataFusion plans it, in the order they build on
/// one another (operators first, then what needs the columns of relations).
pub fn analyze(statement: &mut Statement, relations: &dyn Relations) -> Result<()> {
    let columns_of = |relation: &str| relations.columns_of(relation);
    let schema_of = |query: &str| relations.schema_of(query);
    syntax::rewrite_statement(statement);
    grouping_id::rewrite_statement(statement);
    tuple_in::rewrite_statement(statement)?;
    set_operations::mark_statement(statement)?;
    generators::rewrite_statement(statement, &schema_of)?;
    pivot::rewrite_statement(statement, &columns_of)?;
    lateral_alias::rewrite_statement(statement, &columns_of)?;
    using_star::rewrite_statement(statement, &columns_of)?;
    struct_star::rewrite_statement(statement, &schema_of)
}
