//! Two rules of Spark's name resolution DataFusion does not share, applied to the parsed
//! statement before DataFusion plans it:
//!
//! - Column names are case-insensitive: an identifier that matches no column exactly but one
//!   column (of the relations the statement reads, or an alias it defines) in another case is
//!   spelled as that column is ([`recase_identifiers`]).
//! - Output names may repeat (`SELECT id, CAST(id AS STRING)`, `SELECT a, a`); DataFusion
//!   refuses a projection whose names repeat, so select lists where that may happen are
//!   planned under hidden names ([`HIDDEN_NAME`]), which the caller replaces with Spark's
//!   names at the end ([`hide_repeated_names`]).

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Ident, Query, SelectItem, SetExpr, Statement, visit_expressions_mut, visit_statements_mut};

/// Prefix of the names select items are planned under when their names would repeat.
pub const HIDDEN_NAME: &str = "__ember_col";

/// Spells every identifier that only differs in case from exactly one of `known` as that name.
pub fn recase_identifiers(statement: &mut Statement, known: &[String]) {
    let mut by_lower: HashMap<String, Option<&String>> = HashMap::new();
    for name in known {
        by_lower
            .entry(name.to_lowercase())
            .and_modify(|seen| {
                if seen.is_some_and(|s| s != name) {
                    *seen = None;
                }
            })
            .or_insert(Some(name));
    }
    let fix = |id: &mut Ident| {
        if known.contains(&id.value) {
            return;
        }
        if let Some(Some(real)) = by_lower.get(&id.value.to_lowercase()) {
            id.value = (*real).clone();
        }
    };
    let _ = visit_expressions_mut(statement, |e| {
        match e {
            Expr::Identifier(id) => fix(id),
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last_mut() {
                    fix(last);
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The aliases a statement gives to select items and derived columns (names it defines).
pub fn defined_names(statement: &mut Statement) -> Vec<String> {
    let mut names = Vec::new();
    let _ = visit_statements_mut(statement, |s| {
        if let Statement::Query(q) = s {
            collect_query(q, &mut names);
        }
        ControlFlow::<()>::Continue(())
    });
    names
}

fn collect_query(query: &Query, names: &mut Vec<String>) {
    if let Some(with) = &query.with {
        for cte in &with.cte_tables {
            names.extend(cte.alias.columns.iter().map(|c| c.name.value.clone()));
            collect_query(&cte.query, names);
        }
    }
    collect_set_expr(&query.body, names);
}

fn collect_set_expr(body: &SetExpr, names: &mut Vec<String>) {
    match body {
        SetExpr::Select(select) => {
            for item in &select.projection {
                if let SelectItem::ExprWithAlias { alias, .. } = item {
                    names.push(alias.value.clone());
                }
            }
            for table in &select.from {
                let factors = std::iter::once(&table.relation).chain(table.joins.iter().map(|j| &j.relation));
                for factor in factors {
                    if let datafusion::sql::sqlparser::ast::TableFactor::Derived { subquery, alias, .. } = factor {
                        collect_query(subquery, names);
                        names.extend(alias.iter().flat_map(|a| a.columns.iter().map(|c| c.name.value.clone())));
                    }
                }
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            collect_set_expr(left, names);
            collect_set_expr(right, names);
        }
        SetExpr::Query(q) => collect_query(q, names),
        _ => {}
    }
}

/// Gives every unaliased item of the top select list a hidden name when DataFusion might name
/// two of them alike. Its names drop casts and parentheses (`2 + 3 * 4` and `(2 + 3) * 4` are
/// one name) and Spark's rewrites can make two spellings one expression (`d + 1` and
/// `date_add(d, 1)`), so any two computed items, or a repeated name, are planned hidden
/// (not under `DISTINCT`, whose `ORDER BY` must repeat the select items). Returns whether it
/// did.
pub fn hide_repeated_names(statement: &mut Statement) -> bool {
    let Statement::Query(query) = statement else {
        return false;
    };
    let SetExpr::Select(select) = query.body.as_mut() else {
        return false;
    };
    if select.distinct.is_some() {
        return false;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut repeated = false;
    let mut computed = 0;
    // A star's columns can repeat a column also named on its own (`SELECT id, t.* FROM t`).
    let mut star = false;
    for item in &select.projection {
        let shown = match item {
            SelectItem::UnnamedExpr(e) => {
                if !matches!(e, Expr::Identifier(_)) {
                    computed += 1;
                }
                uncast(e).to_string().to_lowercase()
            }
            SelectItem::ExprWithAlias { alias, .. } => alias.value.to_lowercase(),
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => {
                star = true;
                continue;
            }
            SelectItem::ExprWithAliases { .. } => continue,
        };
        repeated |= seen.contains(&shown);
        seen.push(shown);
    }
    if !repeated && computed < 2 && (!star || seen.is_empty()) {
        return false;
    }
    for (i, item) in select.projection.iter_mut().enumerate() {
        if let SelectItem::UnnamedExpr(expr) = item {
            *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias: Ident::new(format!("{HIDDEN_NAME}{i}")) };
        }
    }
    true
}

/// What a cast casts (DataFusion names a cast after it).
fn uncast(e: &Expr) -> &Expr {
    match e {
        Expr::Cast { expr, .. } | Expr::Nested(expr) => uncast(expr),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::Statement as Parsed;

    fn query(sql: &str) -> Statement {
        let Ok(Parsed::Query(q)) = crate::parser::parse_statement(sql) else { unreachable!("{sql}") };
        *q
    }

    #[test]
    fn identifiers_take_the_case_of_the_one_column_they_name() {
        let mut q = query("SELECT NAME, t.Id, other, x FROM t");
        recase_identifiers(&mut q, &["Name".into(), "id".into(), "x".into(), "X".into()]);
        assert_eq!(q.to_string(), "SELECT Name, t.id, other, x FROM t");
    }

    #[test]
    fn repeated_names_are_hidden() {
        let mut q = query("SELECT id, CAST(id AS STRING), 1 AS one FROM t");
        assert!(hide_repeated_names(&mut q));
        assert_eq!(q.to_string(), "SELECT id AS __ember_col0, CAST(id AS STRING) AS __ember_col1, 1 AS one FROM t");
        let mut q = query("SELECT id, name, upper(name) FROM t");
        assert!(!hide_repeated_names(&mut q));
        let mut q = query("SELECT 2 + 3 * 4, (2 + 3) * 4");
        assert!(hide_repeated_names(&mut q));
        let mut q = query("SELECT ID, defined FROM (SELECT 1 AS Defined) s");
        assert_eq!(defined_names(&mut q), vec!["Defined".to_string()]);
    }
}
