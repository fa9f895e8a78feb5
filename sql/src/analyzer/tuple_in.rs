//! `(a, b) IN (SELECT x, y ...)` and `NOT IN`, which DataFusion plans for one column only.
//!
//! Each is an `EXISTS`:
//!
//! - `(a, b) IN (q)` keeps a row when some row of `q` equals it:
//!   `EXISTS (SELECT 1 FROM (q) s(c0, c1) WHERE s.c0 = a AND s.c1 = b)`;
//! - `(a, b) NOT IN (q)` (null-aware, as Spark's) keeps it when every row of `q` differs for
//!   certain: `NOT EXISTS (... WHERE (s.c0 = a AND s.c1 = b) IS NOT FALSE)`.
//!
//! That is the answer where the predicate decides whether a row is kept (a conjunct of `WHERE`
//! or `HAVING`, where NULL drops a row as FALSE does), and in a select list, where Spark answers
//! two-valued too (`(1, NULL) IN (SELECT 1, NULL)` and `(1, 2) NOT IN (SELECT 1, NULL)` are both
//! FALSE); a select item that is the predicate alone keeps Spark's name, `(named_struct('a', a,
//! 'b', b) IN (listquery()))`. Elsewhere in a condition (under `OR`) the answer is three-valued,
//! as Spark's is there.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Ident, Query, Select, SelectItem, SetExpr, TableFactor, UnaryOperator, Value, visit_expressions_mut,
};

use super::rewrite::{each_select_of, parse_query};
use crate::error::Result;

/// The relation alias the rewritten subquery's rows are read under.
const ROWS: &str = "__ember_in_rows";

/// Rewrites every multi-column `IN` / `NOT IN` subquery of a `WHERE`, `HAVING` or select list,
/// in every query of the statement.
pub fn rewrite_statement(statement: &mut datafusion::sql::sqlparser::ast::Statement) -> Result<()> {
    each_select_of(statement, &mut |select: &mut Select| {
        for clause in [&mut select.selection, &mut select.having].into_iter().flatten() {
            rewrite_conjuncts(clause)?;
            rewrite_anywhere(clause, true)?;
        }
        for item in select.projection.iter_mut() {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let name = spark_name(e);
                    if rewrite_anywhere(e, false)?
                        && let Some(name) = name
                    {
                        let expr = std::mem::replace(e, Expr::value(Value::Null));
                        *item = SelectItem::ExprWithAlias { expr, alias: Ident::with_quote('`', name) };
                    }
                }
                SelectItem::ExprWithAlias { expr, .. } => {
                    rewrite_anywhere(expr, false)?;
                }
                _ => {}
            }
        }
        Ok(())
    })
}

/// A conjunct of a condition: `(a, b) IN (q)` is kept when some row equals, `(a, b) NOT IN (q)`
/// and `NOT ((a, b) IN (q))` when every row differs for certain (null-aware).
fn rewrite_conjuncts(e: &mut Expr) -> Result<()> {
    match e {
        Expr::BinaryOp { left, op: datafusion::sql::sqlparser::ast::BinaryOperator::And, right } => {
            rewrite_conjuncts(left)?;
            rewrite_conjuncts(right)
        }
        Expr::Nested(inner) => rewrite_conjuncts(inner),
        Expr::UnaryOp { op: UnaryOperator::Not, expr } => {
            let mut inner = expr.as_ref();
            while let Expr::Nested(nested) = inner {
                inner = nested.as_ref();
            }
            if let Some((items, subquery, negated)) = tuple_in(inner) {
                *e = exists(items, subquery.clone(), !negated)?;
            }
            Ok(())
        }
        _ => {
            if let Some((items, subquery, negated)) = tuple_in(e) {
                *e = exists(items, subquery.clone(), negated)?;
            }
            Ok(())
        }
    }
}

fn tuple_in(e: &Expr) -> Option<(&[Expr], &Query, bool)> {
    match e {
        Expr::InSubquery { expr, subquery, negated } => match expr.as_ref() {
            Expr::Tuple(items) if items.len() > 1 => Some((items.as_slice(), subquery.as_ref(), *negated)),
            _ => None,
        },
        _ => None,
    }
}

/// Spark's name for a select item that is a multi-column `IN` subquery alone.
fn spark_name(e: &Expr) -> Option<String> {
    let (items, _, negated) = tuple_in(e)?;
    let fields: Vec<String> = items.iter().map(|i| format!("'{i}', {i}")).collect();
    let test = format!("(named_struct({}) IN (listquery()))", fields.join(", "));
    Some(if negated { format!("(NOT {test})") } else { test })
}

/// Replaces every multi-column `IN` subquery within `e` by its answer, three-valued inside a
/// condition (`three_valued`), Spark's two-valued existence in a select list; whether there was one.
fn rewrite_anywhere(e: &mut Expr, three_valued: bool) -> Result<bool> {
    let mut failure = None;
    let mut found = false;
    let _ = visit_expressions_mut(e, |e| {
        if let Some((items, subquery, negated)) = tuple_in(e) {
            let answer =
                if three_valued { three_valued_in(items, subquery.clone(), negated) } else { exists(items, subquery.clone(), negated) };
            match answer {
                Ok(answer) => {
                    *e = answer;
                    found = true;
                }
                Err(err) => {
                    failure = Some(err);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    match failure {
        Some(err) => Err(err),
        None => Ok(found),
    }
}

/// `(items) [NOT] IN (subquery)` with SQL's three values: TRUE when some row equals, else NULL
/// when some row might (a NULL on either side), else FALSE; `NOT IN` is its negation.
fn three_valued_in(items: &[Expr], subquery: Query, negated: bool) -> Result<Expr> {
    use datafusion::sql::sqlparser::ast::CaseWhen;
    use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
    let boolean = |b: Option<bool>| Expr::value(b.map_or(Value::Null, Value::Boolean));
    let equal = exists(items, subquery.clone(), false)?;
    let Expr::Exists { subquery: maybe, .. } = exists(items, subquery, true)? else {
        return Ok(equal);
    };
    let answer = Expr::Nested(Box::new(Expr::Case {
        case_token: AttachedToken::empty(),
        end_token: AttachedToken::empty(),
        operand: None,
        conditions: vec![
            CaseWhen { condition: equal, result: boolean(Some(true)) },
            CaseWhen { condition: Expr::Exists { subquery: maybe, negated: false }, result: boolean(None) },
        ],
        else_result: Some(Box::new(boolean(Some(false)))),
    }));
    Ok(if negated { Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(answer) } } else { answer })
}

/// The `EXISTS` (or null-aware `NOT EXISTS`) that answers `(items) [NOT] IN (subquery)`.
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
    fn select_lists_and_negations_get_exists_too() {
        let out = rewritten("SELECT (id, d) IN (SELECT x, y FROM t) FROM emp WHERE NOT (id, d) IN (SELECT x, y FROM t)");
        assert!(out.contains("NOT EXISTS"), "{out}");
        assert!(out.contains("AS `(named_struct('id', id, 'd', d) IN (listquery()))`"), "{out}");
        assert!(!out.contains(" IN (SELECT"), "{out}");
    }
}
