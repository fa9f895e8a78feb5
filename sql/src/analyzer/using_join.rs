//! Spark's error for `JOIN ... USING (c)` when a side has no column `c`:
//! `[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `c` cannot be resolved on the right side of
//! the join. The right-side columns: [...]`, the side's columns sorted by name, the left side
//! checked first. DataFusion reports the missing column as any other unresolved one; this
//! finds the join it belongs to, which needs the two sides' columns (planned by the caller), so
//! it is asked only once planning failed.

use datafusion::sql::sqlparser::ast::{Join, JoinConstraint, JoinOperator, Query, SetExpr, Statement, TableWithJoins, Visit, Visitor};
use std::ops::ControlFlow;

use super::rewrite::{ColumnsOf, quoted};

/// Spark's message when `name` is a `USING` column of some join of the statement that one of
/// its sides lacks; `None` otherwise (or when a side cannot be planned alone, e.g. a CTE name).
pub fn unresolved_using_column(statement: &Statement, name: &str, columns_of: ColumnsOf<'_>) -> Option<String> {
    let mut finder = Finder { name, columns_of, found: None };
    let _ = statement.visit(&mut finder);
    finder.found
}

struct Finder<'a> {
    name: &'a str,
    columns_of: ColumnsOf<'a>,
    found: Option<String>,
}

impl Visitor for Finder<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let SetExpr::Select(select) = query.body.as_ref() {
            for from in &select.from {
                if let Some(message) = check(from, self.name, self.columns_of) {
                    self.found = Some(message);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    }
}

fn check(from: &TableWithJoins, name: &str, columns_of: ColumnsOf<'_>) -> Option<String> {
    for (i, join) in from.joins.iter().enumerate() {
        if !uses(join, name) {
            continue;
        }
        let left = TableWithJoins { relation: from.relation.clone(), joins: from.joins[..i].to_vec() };
        for (side, relation) in [("left", left.to_string()), ("right", join.relation.to_string())] {
            let columns = columns_of(&relation).ok()?;
            if !columns.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                let mut sorted = columns;
                sorted.sort();
                let listed: Vec<String> = sorted.iter().map(|c| quoted(c)).collect();
                return Some(format!(
                    "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column {} cannot be resolved on the {side} side of the join. The \
                     {side}-side columns: [{}]. SQLSTATE: 42703",
                    quoted(name),
                    listed.join(", ")
                ));
            }
        }
    }
    None
}

/// Whether the join is `USING (..., name, ...)`.
fn uses(join: &Join, name: &str) -> bool {
    let constraint = match &join.join_operator {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c) => c,
        _ => return false,
    };
    match constraint {
        JoinConstraint::Using(columns) => columns.iter().any(|c| c.to_string().trim_matches('`').eq_ignore_ascii_case(name)),
        _ => false,
    }
}
