//! `PIVOT` and `UNPIVOT` as Spark defines them, rewritten into the grouping and joins
//! DataFusion plans (it has neither):
//!
//! - `t PIVOT (agg [AS a], ... FOR c IN (v [AS n], ...))` groups by every column of `t` that
//!   neither the aggregates nor `c` use, and gives each value one column per aggregate:
//!   `agg FILTER (WHERE c <=> v)` (NULL where no row has the value), named `n` (or the value) for one aggregate and `n_a` for
//!   several, as Spark names them.
//! - `t UNPIVOT [INCLUDE|EXCLUDE NULLS] (val FOR name IN (c1 [AS a1], ...))` gives each row of
//!   `t` one row per listed column: the other columns, the column's name and its value (rows
//!   with a NULL value dropped unless `INCLUDE NULLS`).
//!
//! Which columns `t` has is only known by planning it, which the caller does ([`ColumnsOf`]);
//! `t` may be a common table expression of the query the `PIVOT` is in, so it is planned under
//! that query's `WITH`.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, ExprWithAlias, Ident, NullInclusion, PivotValueSource, Query, Statement, TableFactor, Value, ValueWithSpan, VisitorMut,
    visit_expressions,
};

pub use super::rewrite::ColumnsOf;
use super::rewrite::{parse_query, quoted, unsupported, visit};
use crate::error::{Result, SqlError};

/// Rewrites every `PIVOT` and `UNPIVOT` of a statement, innermost first.
pub fn rewrite_statement(statement: &mut Statement, columns_of: ColumnsOf<'_>) -> Result<()> {
    visit(statement, &mut Rewriter { columns_of, withs: Vec::new() })
}

struct Rewriter<'a> {
    columns_of: ColumnsOf<'a>,
    /// The `WITH` clauses of the queries being visited, innermost last.
    withs: Vec<Option<datafusion::sql::sqlparser::ast::With>>,
}

impl Rewriter<'_> {
    /// The columns of `table`, read under the innermost `WITH` that names it.
    fn columns(&self, table: &TableFactor) -> Result<Vec<String>> {
        let named = |with: &datafusion::sql::sqlparser::ast::With| match table {
            TableFactor::Table { name, .. } if name.0.len() == 1 => {
                let written = name.to_string();
                with.cte_tables.iter().any(|c| c.alias.name.value.eq_ignore_ascii_case(written.trim_matches('`')))
            }
            _ => false,
        };
        match self.withs.iter().rev().flatten().find(|w| named(w)) {
            Some(with) => (self.columns_of)(&format!("({with} SELECT * FROM {table})")),
            None => (self.columns_of)(&table.to_string()),
        }
    }
}

impl VisitorMut for Rewriter<'_> {
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<SqlError> {
        self.withs.push(query.with.clone());
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<SqlError> {
        self.withs.pop();
        ControlFlow::Continue(())
    }

    fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<SqlError> {
        let rewritten = match factor {
            TableFactor::Pivot { table, aggregate_functions, value_column, value_source, default_on_null, alias } => {
                if default_on_null.is_some() {
                    return ControlFlow::Break(unsupported("PIVOT ... DEFAULT ON NULL"));
                }
                let columns = match self.columns(table) {
                    Ok(c) => c,
                    Err(e) => return ControlFlow::Break(e),
                };
                pivot(columns, table, aggregate_functions, value_column, value_source).map(|q| (q, alias.take()))
            }
            TableFactor::Unpivot { table, value, name, columns, null_inclusion, alias } => {
                let keep_nulls = matches!(null_inclusion, Some(NullInclusion::IncludeNulls));
                let all = match self.columns(table) {
                    Ok(c) => c,
                    Err(e) => return ControlFlow::Break(e),
                };
                unpivot(all, table, value, name, columns, keep_nulls).map(|q| (q, alias.take()))
            }
            _ => return ControlFlow::Continue(()),
        };
        match rewritten {
            Ok((subquery, alias)) => {
                *factor = TableFactor::Derived { lateral: false, subquery: Box::new(subquery), alias, sample: None };
                ControlFlow::Continue(())
            }
            Err(e) => ControlFlow::Break(e),
        }
    }
}

fn pivot(
    columns: Vec<String>,
    table: &TableFactor,
    aggregates: &[ExprWithAlias],
    value_column: &[Expr],
    values: &PivotValueSource,
) -> Result<Query> {
    let [pivot_column] = value_column else {
        return Err(unsupported("PIVOT over several columns"));
    };
    let PivotValueSource::List(values) = values else {
        return Err(unsupported("PIVOT over ANY or a subquery"));
    };
    let mut used: Vec<String> = Vec::new();
    for e in aggregates.iter().map(|a| &a.expr).chain([pivot_column]) {
        used.extend(column_names(e));
    }
    let groups: Vec<String> = columns.into_iter().filter(|c| !used.iter().any(|u| u.eq_ignore_ascii_case(c))).map(|c| quoted(&c)).collect();
    let mut items = groups.clone();
    for value in values {
        let value_name = value.alias.as_ref().map_or_else(|| shown(&value.expr), |a| a.value.clone());
        for aggregate in aggregates {
            let Expr::Function(mut call) = aggregate.expr.clone() else {
                return Err(SqlError::Analysis(format!(
                    "[NOT_AN_AGGREGATE] PIVOT takes aggregate function calls, not `{}`.",
                    aggregate.expr
                )));
            };
            let matches = format!("({pivot_column}) <=> ({})", value.expr);
            let condition = match call.filter.take() {
                Some(existing) => format!("({existing}) AND {matches}"),
                None => matches,
            };
            let name = if aggregates.len() == 1 {
                value_name.clone()
            } else {
                let aggregate_name = aggregate.alias.as_ref().map_or_else(|| call.to_string(), |a| a.value.clone());
                format!("{value_name}_{aggregate_name}")
            };
            // Spark aggregates each (group, value) pair that has rows: a pair without rows is
            // NULL even for `count`.
            items.push(format!(
                "CASE WHEN count(1) FILTER (WHERE {condition}) > 0 THEN {call} FILTER (WHERE {condition}) END AS {}",
                quoted(&name)
            ));
        }
    }
    let group_by = if groups.is_empty() { String::new() } else { format!(" GROUP BY {}", groups.join(", ")) };
    parse_query(&format!("SELECT {} FROM {table}{group_by}", items.join(", ")), "PIVOT")
}

fn unpivot(
    all: Vec<String>,
    table: &TableFactor,
    value: &Expr,
    name: &Ident,
    columns: &[ExprWithAlias],
    keep_nulls: bool,
) -> Result<Query> {
    let Expr::Identifier(value) = value else {
        return Err(unsupported("UNPIVOT into several value columns"));
    };
    let mut unpivoted = Vec::new();
    for c in columns {
        let names = column_names(&c.expr);
        let [column] = names.as_slice() else {
            return Err(unsupported("UNPIVOT of an expression that is not one column"));
        };
        let label = c.alias.as_ref().map_or_else(|| column.clone(), |a| a.value.clone());
        unpivoted.push((c.expr.to_string(), label));
    }
    let kept: Vec<String> = all
        .into_iter()
        .filter(|c| !columns.iter().any(|u| column_names(&u.expr).iter().any(|n| n.eq_ignore_ascii_case(c))))
        .map(|c| quoted(&c))
        .collect();
    let (name, value) = (quoted(&name.value), quoted(&value.value));
    let labels: Vec<String> = unpivoted.iter().map(|(_, label)| format!("({})", string_literal(label))).collect();
    let cases: Vec<String> = unpivoted.iter().map(|(e, label)| format!("WHEN {} THEN {e}", string_literal(label))).collect();
    let mut items = kept;
    items.push(format!("`__unpivot`.{name} AS {name}"));
    items.push(format!("CASE `__unpivot`.{name} {} END AS {value}", cases.join(" ")));
    let rows = format!("SELECT {} FROM {table} CROSS JOIN (VALUES {}) AS `__unpivot`({name})", items.join(", "), labels.join(", "));
    parse_query(&if keep_nulls { rows } else { format!("SELECT * FROM ({rows}) WHERE {value} IS NOT NULL") }, "UNPIVOT")
}

/// The names of the columns an expression reads (the last part of a qualified name).
fn column_names(e: &Expr) -> Vec<String> {
    let mut names = Vec::new();
    let _ = visit_expressions(e, |x| {
        match x {
            Expr::Identifier(id) => names.push(id.value.clone()),
            Expr::CompoundIdentifier(parts) => names.extend(parts.last().map(|p| p.value.clone())),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    names
}

/// A pivot value as Spark names its column: a string without quotes, anything else as written.
fn shown(e: &Expr) -> String {
    match e {
        Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(s) | Value::DoubleQuotedString(s), .. }) => s.clone(),
        other => other.to_string(),
    }
}

fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
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
    fn pivot_groups_by_the_columns_it_does_not_use() {
        let sql = rewritten("SELECT * FROM t PIVOT (sum(x) FOR k IN ('a', 'b' AS bee))", &["k", "x", "y"]);
        assert!(
            sql.starts_with("SELECT * FROM (SELECT `y`, CASE WHEN count(1) FILTER (WHERE (k) <=> ('a')) > 0 THEN sum(x) FILTER"),
            "{sql}"
        );
        assert!(sql.ends_with("THEN sum(x) FILTER (WHERE (k) <=> ('b')) END AS `bee` FROM t GROUP BY `y`)"), "{sql}");
        let sql = rewritten("SELECT * FROM t PIVOT (sum(x) AS s, count(*) FOR k IN (1))", &["k", "x"]);
        assert!(sql.contains("END AS `1_s`, CASE WHEN"), "{sql}");
        assert!(sql.ends_with("THEN count(*) FILTER (WHERE (k) <=> (1)) END AS `1_count(*)` FROM t)"), "{sql}");
    }

    #[test]
    fn unpivot_labels_each_column() {
        let sql = rewritten("SELECT * FROM t UNPIVOT (val FOR col IN (x, y AS why))", &["k", "x", "y"]);
        assert!(sql.contains("CASE `__unpivot`.`col` WHEN 'x' THEN x WHEN 'why' THEN y END AS `val`"), "{sql}");
        assert!(sql.contains("CROSS JOIN (VALUES ('x'), ('why')) AS `__unpivot` (`col`)"), "{sql}");
        assert!(sql.contains("WHERE `val` IS NOT NULL"), "{sql}");
    }
}
