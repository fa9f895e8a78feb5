//! `SELECT *` over `a JOIN b USING (k)` and `a NATURAL JOIN b` has Spark's columns: the join
//! keys first (the left side's for inner and left joins, the right side's for right joins,
//! `coalesce(a.k, b.k)` for full joins), then the other columns of the left side, then those of
//! the right side. DataFusion keeps the left side's columns in place instead (and the left
//! key of a full join, NULL where only the right side had the row).
//!
//! `a.*` of the side whose keys the join outputs has the keys first too, then that side's
//! other columns. The star is written out as those columns; the sides' columns are known by planning them,
//! which the caller does. A join of two named relations (tables, views, aliased subqueries) is
//! rewritten; other shapes keep DataFusion's expansion.

use datafusion::sql::sqlparser::ast::{
    Ident, JoinConstraint, JoinOperator, Select, SelectItem, SelectItemQualifiedWildcardKind, Statement, TableFactor,
};

use super::rewrite::{ColumnsOf, parse_query, quoted};
use crate::error::Result;

/// Writes out the stars of every select over a `USING` or `NATURAL` join of a statement.
pub fn rewrite_statement(statement: &mut Statement, columns_of: ColumnsOf<'_>) -> Result<()> {
    super::rewrite::each_select_of(statement, &mut |s| expand(s, columns_of))
}

/// Which side's key a join outputs.
#[derive(Clone, Copy)]
enum KeySide {
    Left,
    Right,
    Both,
}

fn expand(select: &mut Select, columns_of: ColumnsOf<'_>) -> Result<()> {
    let has_star =
        select.projection.iter().any(|i| matches!(i, SelectItem::Wildcard(o) | SelectItem::QualifiedWildcard(_, o) if is_plain(o)));
    if !has_star || select.from.len() != 1 || select.from[0].joins.len() != 1 {
        return Ok(());
    }
    let from = &select.from[0];
    let join = &from.joins[0];
    let (side, constraint) = match &join.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (KeySide::Left, c),
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (KeySide::Right, c),
        JoinOperator::FullOuter(c) => (KeySide::Both, c),
        _ => return Ok(()),
    };
    let (Some(left_name), Some(right_name)) = (relation_name(&from.relation), relation_name(&join.relation)) else {
        return Ok(());
    };
    // A side that cannot be planned alone (a CTE, a lateral reference) keeps DataFusion's star.
    let (Ok(left), Ok(right)) = (columns_of(&from.relation.to_string()), columns_of(&join.relation.to_string())) else {
        return Ok(());
    };
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let keys: Vec<String> = match constraint {
        JoinConstraint::Using(names) => names.iter().map(|n| n.to_string().trim_matches('`').to_string()).collect(),
        JoinConstraint::Natural => left.iter().filter(|l| right.iter().any(|r| same(l, r))).cloned().collect(),
        _ => return Ok(()),
    };
    let find = |columns: &[String], key: &str| columns.iter().find(|c| same(c, key)).cloned();
    let mut items = Vec::new();
    for key in &keys {
        // A key one side lacks is Spark's UNRESOLVED_USING_COLUMN_FOR_JOIN, reported by planning.
        let (Some(l), Some(r)) = (find(&left, key), find(&right, key)) else {
            return Ok(());
        };
        let (lq, rq) = (format!("{}.{}", quoted(&left_name), quoted(&l)), format!("{}.{}", quoted(&right_name), quoted(&r)));
        // Aliased, so that `ORDER BY k` reads the key the join outputs.
        items.push(match side {
            KeySide::Left => format!("{lq} AS {}", quoted(&l)),
            KeySide::Right => format!("{rq} AS {}", quoted(&r)),
            KeySide::Both => format!("coalesce({lq}, {rq}) AS {}", quoted(&l)),
        });
    }
    let rest = |columns: &[String], name: &str| -> Vec<String> {
        columns.iter().filter(|c| !keys.iter().any(|k| same(k, c))).map(|c| format!("{}.{}", quoted(name), quoted(c))).collect()
    };
    // `k.*` of the side whose keys the join outputs: the keys first, then its other columns.
    let keyed = match side {
        KeySide::Left => Some((&left_name, rest(&left, &left_name))),
        KeySide::Right => Some((&right_name, rest(&right, &right_name))),
        KeySide::Both => None,
    };
    let side_items: Option<(&String, Vec<String>)> = keyed.map(|(name, others)| (name, items.iter().cloned().chain(others).collect()));
    items.extend(rest(&left, &left_name));
    items.extend(rest(&right, &right_name));
    let expand_items = |items: &[String]| -> Result<Vec<SelectItem>> {
        let parsed = parse_query(&format!("SELECT {}", items.join(", ")), "USING join star")?;
        Ok(match *parsed.body {
            datafusion::sql::sqlparser::ast::SetExpr::Select(expanded) => expanded.projection,
            _ => Vec::new(),
        })
    };
    let expanded = expand_items(&items)?;
    let side_expanded = match &side_items {
        Some((name, items)) => Some(((*name).clone(), expand_items(items)?)),
        None => None,
    };
    let mut projection = Vec::new();
    for item in select.projection.drain(..) {
        match item {
            SelectItem::Wildcard(o) if is_plain(&o) => projection.extend(expanded.iter().cloned()),
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), o)
                if is_plain(&o)
                    && let Some((side_name, side_projection)) = &side_expanded
                    && name.0.len() == 1
                    && name.to_string().trim_matches('`').eq_ignore_ascii_case(side_name) =>
            {
                projection.extend(side_projection.iter().cloned());
            }
            other => projection.push(other),
        }
    }
    select.projection = projection;
    Ok(())
}

/// A star without `EXCEPT`, `REPLACE`, `RENAME` or `ILIKE`.
fn is_plain(o: &datafusion::sql::sqlparser::ast::WildcardAdditionalOptions) -> bool {
    o.opt_exclude.is_none() && o.opt_except.is_none() && o.opt_replace.is_none() && o.opt_rename.is_none() && o.opt_ilike.is_none()
}

/// The name a relation's columns are qualified with: its alias, else the table's last name part.
fn relation_name(relation: &TableFactor) -> Option<String> {
    let ident = |i: &Ident| i.value.clone();
    match relation {
        TableFactor::Table { alias: Some(a), .. } | TableFactor::Derived { alias: Some(a), .. } if a.columns.is_empty() => {
            Some(ident(&a.name))
        }
        TableFactor::Table { name, alias: None, args: None, .. } => name.0.last().and_then(|p| p.as_ident()).map(ident),
        _ => None,
    }
}
