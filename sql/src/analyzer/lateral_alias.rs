//! Lateral column aliases: Spark lets a select item use an alias given earlier in the same
//! select list (`SELECT x * 2 AS dbl, dbl + 1 AS more`), when no column of the `FROM` has that
//! name. The reference is replaced by the aliased expression, which DataFusion then plans.
//!
//! Which columns the `FROM` has is only known by planning it, which the caller does; it is
//! asked only when some item names an earlier alias.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Select, SelectItem, Statement, visit_expressions, visit_expressions_mut};

use super::rewrite::ColumnsOf;
use crate::error::Result;

/// Inlines the lateral aliases of every select of a statement.
pub fn rewrite_statement(statement: &mut Statement, columns_of: ColumnsOf<'_>) -> Result<()> {
    super::rewrite::each_select_of(statement, &mut |s| inline(s, columns_of))
}

fn inline(select: &mut Select, columns_of: ColumnsOf<'_>) -> Result<()> {
    // (alias, expression) of the items so far; `None` until some later item uses one.
    let mut aliases: Vec<(String, Expr)> = Vec::new();
    let mut from_columns: Option<Vec<String>> = None;
    for i in 0..select.projection.len() {
        if !aliases.is_empty() {
            let named = |e: &Expr| match e {
                Expr::Identifier(id) => aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(&id.value)).map(|(_, x)| x.clone()),
                _ => None,
            };
            let uses_alias = item_expr(&select.projection[i]).is_some_and(|e| {
                visit_expressions(e, |x| if named(x).is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }).is_break()
            });
            if uses_alias {
                if from_columns.is_none() {
                    let from: Vec<String> = select.from.iter().map(ToString::to_string).collect();
                    from_columns = Some(if from.is_empty() { vec![] } else { columns_of(&from.join(", "))? });
                }
                let columns = from_columns.as_deref().unwrap_or_default();
                if let Some(e) = item_expr_mut(&mut select.projection[i]) {
                    let _ = visit_expressions_mut(e, |x| {
                        if let Expr::Identifier(id) = x
                            && !columns.iter().any(|c| c.eq_ignore_ascii_case(&id.value))
                            && let Some(aliased) = named(x)
                        {
                            *x = Expr::Nested(Box::new(aliased));
                        }
                        ControlFlow::<()>::Continue(())
                    });
                }
            }
        }
        if let SelectItem::ExprWithAlias { expr, alias } = &select.projection[i] {
            aliases.push((alias.value.clone(), expr.clone()));
        }
    }
    Ok(())
}

fn item_expr(item: &SelectItem) -> Option<&Expr> {
    match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
        _ => None,
    }
}

fn item_expr_mut(item: &mut SelectItem) -> Option<&mut Expr> {
    match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::Statement as Parsed;

    fn rewritten(sql: &str, columns: &[&str]) -> String {
        let Ok(Parsed::Query(mut q)) = crate::parser::parse_statement(sql) else { unreachable!("{sql}") };
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        rewrite_statement(&mut q, &|_| Ok(columns.clone())).unwrap();
        q.to_string()
    }

    #[test]
    fn an_earlier_alias_is_inlined_unless_a_column_has_its_name() {
        assert_eq!(rewritten("SELECT x * 2 AS dbl, dbl + 1 AS more FROM t", &["x"]), "SELECT x * 2 AS dbl, (x * 2) + 1 AS more FROM t");
        assert_eq!(rewritten("SELECT x * 2 AS x, x + 1 FROM t", &["x"]), "SELECT x * 2 AS x, x + 1 FROM t");
    }
}
