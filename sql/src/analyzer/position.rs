//! Where in the statement a name that did not resolve was written, for Spark's
//! `...; line L pos P` suffix of analysis errors (line from 1, position from 0).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Spanned, Statement, visit_expressions, visit_relations};

use crate::parser::parse_error::Position;

/// The first relation of `statement` whose last name part is `name` (in any case).
pub fn relation(statement: &Statement, name: &str) -> Option<Position> {
    let mut found = None;
    let _ = visit_relations(statement, |relation| {
        let last = relation.0.last().and_then(|p| p.as_ident()).map(|i| i.value.as_str());
        if last.is_some_and(|l| l.eq_ignore_ascii_case(name)) {
            found = Position::from_location(relation.span().start);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// The first column reference of `statement` whose last part is `name` (in any case).
pub fn column(statement: &Statement, name: &str) -> Option<Position> {
    let mut found = None;
    let _ = visit_expressions(statement, |e| {
        let hit = match e {
            Expr::Identifier(id) => id.value.eq_ignore_ascii_case(name),
            Expr::CompoundIdentifier(parts) => parts.last().is_some_and(|p| p.value.eq_ignore_ascii_case(name)),
            _ => false,
        };
        if hit {
            found = Position::from_location(e.span().start);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::{Statement as Parsed, parse_statement};

    fn query(sql: &str) -> Statement {
        match parse_statement(sql) {
            Ok(Parsed::Query(q)) => *q,
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn positions_of_names() {
        let q = query("SELECT a,\n  nosuch FROM t JOIN Other o ON t.x = o.x");
        assert_eq!(column(&q, "nosuch"), Some(Position { line: 2, pos: 2 }));
        assert_eq!(relation(&q, "other"), Some(Position { line: 2, pos: 21 }));
        assert_eq!(column(&q, "x"), Some(Position { line: 2, pos: 32 }));
    }
}
