//! `SELECT s.*` where `s` is a struct column (or `t.s.*`, `s.inner.*`): Spark expands it into
//! one column per field, named after the field. A qualifier that names a relation of the
//! `FROM` (`t.*`) stays the relation's star, as Spark resolves it first; anything else is a
//! struct, whose fields are known only by planning it, which the caller does ([`SchemaOf`]).

use std::ops::ControlFlow;

use datafusion::arrow::datatypes::DataType;
use datafusion::sql::sqlparser::ast::{
    Expr, Ident, ObjectName, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, Spanned, Statement, TableFactor, VisitorMut,
};

use super::rewrite::{SchemaOf, each_select, from_clause, visit, with_clause};
use crate::error::{Result, SqlError};
use crate::parser::parse_error::Position;

/// Expands every struct star of a statement.
pub fn rewrite_statement(statement: &mut Statement, schema_of: SchemaOf<'_>) -> Result<()> {
    visit(statement, &mut Rewriter { schema_of })
}

struct Rewriter<'a> {
    schema_of: SchemaOf<'a>,
}

impl VisitorMut for Rewriter<'_> {
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        let with = with_clause(query);
        match each_select(&mut query.body, &mut |s| expand(s, &with, self.schema_of)) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }
}

fn expand(select: &mut Select, with: &str, schema_of: SchemaOf<'_>) -> Result<()> {
    if !select.projection.iter().any(|item| struct_star(item, select).is_some()) {
        return Ok(());
    }
    let from = from_clause(select);
    let mut items = Vec::with_capacity(select.projection.len());
    for item in &select.projection {
        let Some(name) = struct_star(item, select) else {
            items.push(item.clone());
            continue;
        };
        let parts: Vec<Ident> = name.0.iter().filter_map(|p| p.as_ident().cloned()).collect();
        let written: Vec<String> = parts.iter().map(|p| p.value.clone()).collect();
        let base = if parts.len() == 1 { Expr::Identifier(parts[0].clone()) } else { Expr::CompoundIdentifier(parts.clone()) };
        let at = Position::from_location(name.span().start);
        let fields = match schema_of(&format!("{with}SELECT {base}{from}")) {
            Ok(schema) => match schema.fields().first().map(|f| f.data_type().clone()) {
                Some(DataType::Struct(fields)) => fields.iter().map(|f| f.name().clone()).collect::<Vec<_>>(),
                _ => return Err(located(not_a_struct(&written), at)),
            },
            Err(_) => {
                let columns = schema_of(&format!("{with}SELECT *{from}"))
                    .map(|s| s.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>())
                    .unwrap_or_default();
                return Err(located(cannot_resolve(&written, &columns), at));
            }
        };
        for field in fields {
            let mut path = parts.clone();
            path.push(Ident::with_quote('`', field.clone()));
            items.push(SelectItem::ExprWithAlias { expr: Expr::CompoundIdentifier(path), alias: Ident::with_quote('`', field) });
        }
    }
    select.projection = items;
    Ok(())
}

/// The name before `.*` when it is not a relation of the select's `FROM`.
fn struct_star<'a>(item: &'a SelectItem, select: &Select) -> Option<&'a ObjectName> {
    let SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), _) = item else {
        return None;
    };
    let written: Vec<&str> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.as_str()).collect();
    let factors = select.from.iter().flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
    let same = |a: &[&str], b: &[&str]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y));
    let names_relation = factors.into_iter().any(|f| match f {
        TableFactor::Table { name: table, alias: None, .. } => {
            let parts: Vec<&str> = table.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.as_str()).collect();
            // `t.*` and `db.t.*` both name table `db.t`.
            (1..=parts.len()).any(|n| same(&parts[parts.len() - n..], &written))
        }
        _ => relation_alias(f).is_some_and(|a| same(&[a], &written)),
    });
    (!names_relation).then_some(name)
}

fn relation_alias(factor: &TableFactor) -> Option<&str> {
    match factor {
        TableFactor::Table { alias, .. }
        | TableFactor::Derived { alias, .. }
        | TableFactor::TableFunction { alias, .. }
        | TableFactor::Function { alias, .. }
        | TableFactor::UNNEST { alias, .. } => alias.as_ref().map(|a| a.name.value.as_str()),
        _ => None,
    }
}

fn located(e: SqlError, at: Option<Position>) -> SqlError {
    match (e, at) {
        (SqlError::Analysis(m), Some(p)) => SqlError::Analysis(format!("{m}{}", p.suffix())),
        (e, _) => e,
    }
}

/// Spark's error for `x.*` where `x` (written as `parts`) is no struct.
pub fn not_a_struct(parts: &[String]) -> SqlError {
    let names: Vec<&str> = parts.iter().map(String::as_str).collect();
    SqlError::Analysis(format!("Can only star expand struct data types. Attribute: `List({})`.", names.join(", ")))
}

/// Spark's error for `x.*` where `x` (written as `parts`) is neither a relation nor a column
/// of the input, whose `columns` are listed (quoted).
pub fn cannot_resolve(parts: &[String], columns: &[String]) -> SqlError {
    let name: Vec<String> = parts.iter().map(|p| format!("`{p}`")).collect();
    SqlError::Analysis(format!(
        "[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve {}.* given input columns {}. Please check that the specified table or struct exists and is accessible in the input columns. SQLSTATE: 42704",
        name.join("."),
        columns.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::datatypes::{Field, Fields, Schema};

    use super::*;
    use crate::parser::Statement as Parsed;

    fn rewritten(sql: &str) -> Result<String> {
        let Ok(Parsed::Query(mut q)) = crate::parser::parse_statement(sql) else { unreachable!("{sql}") };
        let schema_of = |text: &str| -> Result<datafusion::arrow::datatypes::SchemaRef> {
            let s = Fields::from(vec![Field::new("a", DataType::Int32, true), Field::new("b", DataType::Utf8, true)]);
            let field = if text.contains("SELECT s ") {
                Field::new("s", DataType::Struct(s), true)
            } else {
                Field::new("id", DataType::Int32, true)
            };
            if text.contains("nosuch") {
                return Err(SqlError::Analysis("unresolved".into()));
            }
            Ok(Arc::new(Schema::new(vec![field])))
        };
        rewrite_statement(&mut q, &schema_of)?;
        Ok(q.to_string())
    }

    #[test]
    fn a_struct_star_becomes_its_fields_and_a_relation_star_stays() {
        assert_eq!(rewritten("SELECT s.* FROM t").unwrap(), "SELECT s.`a` AS `a`, s.`b` AS `b` FROM t");
        assert_eq!(rewritten("SELECT t.* FROM t").unwrap(), "SELECT t.* FROM t");
        assert_eq!(rewritten("SELECT x.* FROM db.t AS x").unwrap(), "SELECT x.* FROM db.t AS x");
        assert!(rewritten("SELECT id.* FROM t").unwrap_err().to_string().starts_with("Can only star expand struct data types"));
        assert!(
            rewritten("SELECT nosuch.* FROM t")
                .unwrap_err()
                .to_string()
                .starts_with("[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `nosuch`.* given input columns `id`.")
        );
    }
}
