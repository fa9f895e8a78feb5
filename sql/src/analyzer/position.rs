//! Where in the statement a name that did not resolve was written, for Spark's
//! `...; line L pos P` suffix of analysis errors (line from 1, position from 0).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, OrderByKind, SetExpr, Spanned, Statement, Value, ValueWithSpan, visit_expressions, visit_relations,
};

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

/// The first call of the function `name` (in any case) in `statement`.
pub fn function_call(statement: &Statement, name: &str) -> Option<Position> {
    let mut found = None;
    let _ = visit_expressions(statement, |e| {
        if let Expr::Function(f) = e
            && f.name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| i.value.eq_ignore_ascii_case(name))
        {
            found = Position::from_location(e.span().start);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// The first lambda of `statement` that declares `params` parameters: where its parameters
/// start (the parenthesis written right before them, when they are in one).
pub fn lambda(statement: &Statement, params: usize) -> Option<Position> {
    use datafusion::sql::sqlparser::ast::OneOrManyWithParens;
    let mut found = None;
    let _ = visit_expressions(statement, |e| {
        if let Expr::Lambda(l) = e
            && l.params.len() == params
        {
            let parenthesis = usize::from(matches!(l.params, OneOrManyWithParens::Many(_)));
            found = l
                .params
                .first()
                .and_then(|p| Position::from_location(p.name.span.start))
                .map(|p| Position { line: p.line, pos: p.pos.saturating_sub(parenthesis) });
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// How Spark shows an operand in its `DATATYPE_MISMATCH` errors: string literals without their
/// quotes, typed literals as Spark writes them.
fn bare(e: &Expr) -> String {
    let args = |f: &datafusion::sql::sqlparser::ast::Function| -> Vec<String> {
        match &f.args {
            datafusion::sql::sqlparser::ast::FunctionArguments::List(l) => l.args.iter().map(|a| a.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    match e {
        Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(s) | Value::DoubleQuotedString(s), .. }) => s.clone(),
        Expr::BinaryOp { left, op, right } => format!("({} {op} {})", bare(left), bare(right)),
        Expr::Nested(inner) => bare(inner),
        // A `DATE '...'` literal, as the syntax rewrite left it.
        Expr::Function(f) if f.name.to_string() == crate::typed_literal::TYPED_LITERAL => match args(f).as_slice() {
            [text, kind] if matches!(kind.as_str(), "'date'" | "'timestamp'" | "'timestamp_ntz'") => {
                format!("{} {text}", kind.trim_matches('\'').to_uppercase())
            }
            _ => e.to_string(),
        },
        // An interval literal carries the name Spark shows (`INTERVAL '02' HOUR`) first.
        Expr::Function(f) if f.name.to_string() == crate::interval_literal::INTERVAL_LITERAL => match &f.args {
            datafusion::sql::sqlparser::ast::FunctionArguments::List(l) => match l.args.first() {
                Some(datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(
                    name,
                ))) => bare(name),
                _ => e.to_string(),
            },
            _ => e.to_string(),
        },
        other => other.to_string(),
    }
}

/// The first binary operation of `statement` that Spark shows as `shown` (`(3 * 4)`: string
/// literals without their quotes), for its `DATATYPE_MISMATCH` errors.
pub fn binary_operation(statement: &Statement, shown: &str) -> Option<Position> {
    first_binary_operation(statement, |e| bare(e) == shown)
}

/// The first binary operation of `statement` with an operand Spark shows as `shown`.
pub fn binary_operand(statement: &Statement, shown: &str) -> Option<Position> {
    first_binary_operation(statement, |e| matches!(e, Expr::BinaryOp { left, right, .. } if bare(left) == shown || bare(right) == shown))
}

fn first_binary_operation(statement: &Statement, pick: impl Fn(&Expr) -> bool) -> Option<Position> {
    let mut found = None;
    let _ = visit_expressions(statement, |e| {
        if matches!(e, Expr::BinaryOp { .. }) && pick(e) {
            found = Position::from_location(e.span().start);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// The ordinal `n` in the `GROUP BY` of a query's top `SELECT`.
pub fn group_by_ordinal(statement: &Statement, n: &str) -> Option<Position> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let GroupByExpr::Expressions(exprs, _) = &select.group_by else {
        return None;
    };
    exprs.iter().find_map(|e| number_at(e, n))
}

/// The ordinal `n` in a query's `ORDER BY`.
pub fn order_by_ordinal(statement: &Statement, n: &str) -> Option<Position> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let OrderByKind::Expressions(exprs) = &query.order_by.as_ref()?.kind else {
        return None;
    };
    exprs.iter().find_map(|e| number_at(&e.expr, n))
}

/// Where `e` is the number `n`.
fn number_at(e: &Expr, n: &str) -> Option<Position> {
    match e {
        Expr::Value(ValueWithSpan { value: Value::Number(v, _), span }) if v == n => Position::from_location(span.start),
        _ => None,
    }
}

/// Where the statement's first cast to `BINARY` is written (its `CAST` keyword), for Spark's
/// refusal of it; `sql` is the statement's text.
pub fn binary_cast(statement: &Statement, sql: &str) -> Option<Position> {
    let chars: Vec<char> = sql.chars().collect();
    let mut found = None;
    let _ = visit_expressions(statement, |e| {
        if let Expr::Cast { data_type, .. } = e
            && matches!(data_type.to_string().to_ascii_uppercase().as_str(), "BINARY" | "BYTEA")
        {
            found = super::runtime_origin::range(&chars, e).map(|(start, _)| {
                let line_start = chars[..start].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
                Position { line: 1 + chars[..start].iter().filter(|c| **c == '\n').count(), pos: start - line_start }
            });
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
        let q = query("SELECT 5, count(*) FROM t GROUP BY 5");
        assert_eq!(group_by_ordinal(&q, "5"), Some(Position { line: 1, pos: 35 }));
        let q = query("SELECT id, name FROM emp ORDER BY 3");
        assert_eq!(order_by_ordinal(&q, "3"), Some(Position { line: 1, pos: 34 }));
        let q = query("SELECT 1 + 2, ('3' * '4') FROM t");
        assert_eq!(binary_operation(&q, "(3 * 4)"), Some(Position { line: 1, pos: 15 }));
    }
}
