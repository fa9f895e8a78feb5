//! `(a, b) IN (SELECT x, y ...)` and `NOT IN`, which DataFusion plans for one column only.
//!
//! Where such a predicate decides whether a row is kept (a conjunct of `WHERE` or `HAVING`), a
//! NULL answer drops the row as FALSE does, so it can be an `EXISTS`:
//!
//! - `(a, b) IN (q)` keeps a row when some row of `q` equals it:
//!   `EXISTS (SELECT 1 FROM (q) s(c0, c1) WHERE s.c0 = a AND s.c1 = b)`;
//! - `(a, b) NOT IN (q)` (null-aware, as Spark's) keeps it when every row of `q` differs for
//!   certain: `NOT EXISTS (... WHERE (s.c0 = a AND s.c1 = b) IS NOT FALSE)`.
//!
//! Elsewhere (a select list, under `OR` or `NOT`) the three-valued answer matters and the
//! predicate is left to DataFusion, which refuses it.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Ident, Query, Select, SetExpr, TableFactor, visit_expressions_mut};

use super::rewrite::{each_select_of, parse_query};
use crate::error::Result;

/// The relation alias the rewritten subquery's rows are read under.
const ROWS: &str = "__ember_in_rows";

/// Rewrites every multi-column `IN` / `NOT IN` subquery that is a conjunct of a `WHERE` or
/// `HAVING`, in every query of the statement.
pub fn rewrite_statement(statement: &mut datafusion::sql::sqlparser::ast::Statement) -> Result<()> {
    each_select_of(statement, &mut |select: &mut Select| {
        for clause in [&mut select.selection, &mut select.having].into_iter().flatten() {
            rewrite_conjuncts(clause)?;
        }
        Ok(())
    })
}

fn rewrite_conjuncts(e: &mut Expr) -> Result<()> {
    match e {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            rewrite_conjuncts(left)?;
            rewrite_conjuncts(right)
        }
        Expr::Nested(inner) => rewrite_conjuncts(inner),
        Expr::InSubquery { expr, subquery, negated } if matches!(expr.as_ref(), Expr::Tuple(items) if items.len() > 1) => {
            let Expr::Tuple(items) = expr.as_ref() else { return Ok(()) };
            *e = exists(items, subquery.as_ref().clone(), *negated)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The `EXISTS` (or null-aware `NOT EXISTS`) that answers `(items) [NOT] IN (subquery)` for a
/// row-filtering predicate.
fn exists(items: &[Expr], subquery: Query, negated: bool) -> Result<Expr> {
    let columns: Vec<String> = (0..items.len()).map(|i| format!("__c{i}")).collect();
    let matches: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("{ROWS}.{c} = __ember_in_item_{i}")).collect();
    let matched = matches.join(" AND ");
    let condition = if negated { format!("({matched}) IS NOT FALSE") } else { matched };
    let text = format!("SELECT 1 FROM (SELECT 1) AS {ROWS}({}) WHERE {condition}", columns.join(", "));
    let mut probe = parse_query(&text, "a multi-column IN subquery")?;
    if let SetExpr::Select(select) = probe.body.as_mut()
        && let Some(TableFactor::Derived { subquery: rows, .. }) = select.from.first_mut().map(|f| &mut f.relation)
    {
        **rows = subquery;
    }
    let _ = visit_expressions_mut(&mut probe, |e| {
        if let Expr::Identifier(Ident { value, .. }) = e
            && let Some(i) = value.strip_prefix("__ember_in_item_").and_then(|i| i.parse::<usize>().ok())
            && let Some(item) = items.get(i)
        {
            *e = Expr::Nested(Box::new(item.clone()));
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(Expr::Exists { subquery: Box::new(probe), negated })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::{Statement as Parsed, parse_statement};

    fn rewritten(sql: &str) -> String {
        let Ok(Parsed::Query(mut q)) = parse_statement(sql) else { unreachable!() };
        rewrite_statement(&mut q).unwrap();
        q.to_string()
    }

    #[test]
    fn filtering_tuples_become_exists() {
        let out = rewritten("SELECT id FROM emp WHERE id > 0 AND (id, d) IN (SELECT x, y FROM t)");
        assert!(out.contains("EXISTS (SELECT 1 FROM (SELECT x, y FROM t) AS __ember_in_rows (__c0, __c1) WHERE __ember_in_rows.__c0 = (id) AND __ember_in_rows.__c1 = (d))"), "{out}");
        let out = rewritten("SELECT id FROM emp WHERE (id, d) NOT IN (SELECT x, y FROM t)");
        assert!(out.contains("NOT EXISTS (SELECT 1 FROM (SELECT x, y FROM t) AS __ember_in_rows (__c0, __c1) WHERE (__ember_in_rows.__c0 = (id) AND __ember_in_rows.__c1 = (d)) IS NOT FALSE)"), "{out}");
    }

    #[test]
    fn three_valued_places_are_left() {
        let out = rewritten("SELECT (id, d) IN (SELECT x, y FROM t) FROM emp WHERE NOT (id, d) IN (SELECT x, y FROM t)");
        assert!(!out.contains("EXISTS"), "{out}");
    }
}
