//! Spark's `grouping_id()` without arguments: the bit vector over every grouping column of its
//! `SELECT` (of `GROUP BY a, b`, or of all its `GROUPING SETS`/`ROLLUP`/`CUBE` lists, in the
//! order they first appear). DataFusion's `grouping` takes the columns explicitly, so they are
//! written in here.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Query, Select, SetExpr, VisitMut, VisitorMut, visit_expressions_mut,
};

/// Fills in the columns of every `grouping_id()` of the statement.
pub fn rewrite_statement(statement: &mut datafusion::sql::sqlparser::ast::Statement) {
    let _ = statement.visit(&mut Filler);
}

struct Filler;

impl VisitorMut for Filler {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        fill_body(&mut query.body);
        ControlFlow::Continue(())
    }
}

fn fill_body(body: &mut SetExpr) {
    match body {
        SetExpr::Select(select) => fill_select(select),
        SetExpr::SetOperation { left, right, .. } => {
            fill_body(left);
            fill_body(right);
        }
        _ => {}
    }
}

fn fill_select(select: &mut Select) {
    let columns = grouping_columns(&select.group_by);
    if columns.is_empty() {
        return;
    }
    let fill = |e: &mut Expr| {
        if let Expr::Function(f) = e
            && f.name.to_string().eq_ignore_ascii_case("grouping_id")
            && matches!(&f.args, FunctionArguments::List(l) if l.args.is_empty())
            && let FunctionArguments::List(list) = &mut f.args
        {
            list.args = columns.iter().map(|c| FunctionArg::Unnamed(FunctionArgExpr::Expr(c.clone()))).collect();
        }
        ControlFlow::<()>::Continue(())
    };
    for item in &mut select.projection {
        let _ = visit_expressions_mut(item, fill);
    }
    if let Some(having) = &mut select.having {
        let _ = visit_expressions_mut(having, fill);
    }
}

/// The distinct grouping columns of a `GROUP BY`, in the order written.
fn grouping_columns(group_by: &GroupByExpr) -> Vec<Expr> {
    let GroupByExpr::Expressions(exprs, _) = group_by else {
        return Vec::new();
    };
    let mut out: Vec<Expr> = Vec::new();
    let mut add = |e: &Expr| {
        if !out.contains(e) {
            out.push(e.clone());
        }
    };
    for e in exprs {
        match e {
            Expr::GroupingSets(sets) | Expr::Rollup(sets) | Expr::Cube(sets) => sets.iter().flatten().for_each(&mut add),
            other => add(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_id_takes_every_grouping_column() {
        let sql = "SELECT a, grouping_id() FROM t GROUP BY GROUPING SETS ((a, b), (a), ())";
        let Ok(crate::parser::Statement::Query(mut statement)) = crate::parser::parse_statement(sql) else { unreachable!("a query") };
        rewrite_statement(&mut statement);
        assert!(statement.to_string().contains("grouping_id(a, b)"), "{statement}");
    }
}
