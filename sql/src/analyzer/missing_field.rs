//! Spark's `FIELD_NOT_FOUND` for `s.nosuch`: the struct's fields are listed, and the error is
//! placed where the access was written. DataFusion's planner only says which field it did
//! not find, so the access is looked up in the statement and its struct planned again.

use std::ops::ControlFlow;

use datafusion::arrow::datatypes::DataType;
use datafusion::sql::sqlparser::ast::{Expr, Ident, Query, SetExpr, Spanned, Statement, Visit, Visitor, visit_expressions};

use super::rewrite::{SchemaOf, from_clause, with_clause};
use crate::parser::parse_error::Position;

/// Spark's message for a struct with `fields` that has no field `field`.
pub fn message(field: &str, fields: &[String]) -> String {
    let fields: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    format!("[FIELD_NOT_FOUND] No such struct field `{field}` in {}. SQLSTATE: 42704", fields.join(", "))
}

/// The field DataFusion's planner reports missing (`Field x not found in struct`).
pub fn missing_field(error: &str) -> Option<&str> {
    let rest = &error[error.find("Field ")? + "Field ".len()..];
    rest.strip_suffix(" not found in struct").or_else(|| rest.split_once(" not found in struct").map(|(f, _)| f))
}

/// The `FIELD_NOT_FOUND` error (with `; line L pos P`) of the first access to the missing
/// `field` in `statement` whose struct lacks it.
pub fn field_not_found(statement: &Statement, field: &str, schema_of: SchemaOf<'_>) -> Option<String> {
    let mut finder = Finder { field, schema_of, found: None };
    let _ = statement.visit(&mut finder);
    finder.found
}

struct Finder<'a> {
    field: &'a str,
    schema_of: SchemaOf<'a>,
    found: Option<String>,
}

impl Visitor for Finder<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_ref() else {
            return ControlFlow::Continue(());
        };
        let with = with_clause(query);
        let from = from_clause(select);
        let field = self.field;
        let schema_of = self.schema_of;
        let mut found = None;
        let _ = visit_expressions(select.as_ref(), |e| {
            let Expr::CompoundIdentifier(parts) = e else {
                return ControlFlow::Continue(());
            };
            for n in 1..parts.len() {
                if !parts[n].value.eq_ignore_ascii_case(field) {
                    continue;
                }
                if let Some(fields) = struct_fields(&parts[..n], &with, &from, schema_of)
                    && !fields.iter().any(|f| f.eq_ignore_ascii_case(field))
                {
                    let at = Position::from_location(e.span().start).map(|p| p.suffix()).unwrap_or_default();
                    found = Some(format!("{}{at}", message(&parts[n].value, &fields)));
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        match found {
            Some(m) => {
                self.found = Some(m);
                ControlFlow::Break(())
            }
            None => ControlFlow::Continue(()),
        }
    }
}

/// The field names of the struct `base` names over the select's `FROM`, when it is one.
fn struct_fields(base: &[Ident], with: &str, from: &str, schema_of: SchemaOf<'_>) -> Option<Vec<String>> {
    let base = if base.len() == 1 { Expr::Identifier(base[0].clone()) } else { Expr::CompoundIdentifier(base.to_vec()) };
    let schema = schema_of(&format!("{with}SELECT {base}{from}")).ok()?;
    match schema.fields().first()?.data_type() {
        DataType::Struct(fields) => Some(fields.iter().map(|f| f.name().clone()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datafusion_names_the_missing_field() {
        assert_eq!(missing_field("Error during planning: Field country not found in struct"), Some("country"));
        assert_eq!(missing_field("something else"), None);
        assert_eq!(
            message("country", &["city".into(), "zip".into()]),
            "[FIELD_NOT_FOUND] No such struct field `country` in `city`, `zip`. SQLSTATE: 42704"
        );
    }
}
