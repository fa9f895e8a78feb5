//! Where in a statement a run-time error arose, for Spark's query context after the message
//! (`[DIVIDE_BY_ZERO] ... == SQL (line 1, position 8) == ...`).
//!
//! Ember's expressions do not carry their place in the text once planned, so the place is
//! found again from the error: the statement's parts that can raise the error's class (the
//! divisions for `DIVIDE_BY_ZERO`, the `[]` for `INVALID_ARRAY_INDEX`, the casts to the type
//! the message names for `CAST_INVALID_INPUT`, ...). When exactly one part can, it is the one
//! Spark names; otherwise no context is given rather than a wrong one.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, CastKind, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Spanned, UnaryOperator, visit_expressions,
};
use datafusion::sql::sqlparser::tokenizer::Span;

use crate::parser::Statement;

/// `message` followed by its query context (see [`context`]) when it has none yet and one part
/// of `sql` can have raised it.
pub fn with_context(sql: &str, message: String) -> String {
    if message.contains("\n== SQL (line ") {
        return message;
    }
    match context(sql, &message) {
        Some(context) => format!("{message}\n{context}"),
        None => message,
    }
}

/// The query context for the error `message` raised while running `sql`, if one part of the
/// statement can have raised it.
pub fn context(sql: &str, message: &str) -> Option<String> {
    let class = message.strip_prefix('[')?.split(']').next()?;
    // Spans are of the text as sqlparser read it; they are the user's when that is the same.
    if crate::lexer::normalize_quotes(sql) != sql {
        return None;
    }
    let Ok(Statement::Query(statement)) = crate::parser::parse_statement(sql) else {
        return None;
    };
    let chars: Vec<char> = sql.chars().collect();
    // The value a failed cast names (`The value 'x' of the type ... cannot be cast to "T"`).
    let cast_target = message.split("cannot be cast to \"").nth(1).and_then(|t| t.split('"').next()).map(str::to_ascii_uppercase);
    let cast_value = message.split("The value '").nth(1).and_then(|v| v.split("' of the type").next());
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut implicit: Vec<(usize, usize)> = Vec::new();
    let unplaced = visit_expressions(&*statement, |e| {
        let raises = match class {
            "DIVIDE_BY_ZERO" | "INTERVAL_DIVIDED_BY_ZERO" => {
                matches!(e, Expr::BinaryOp { op: BinaryOperator::Divide | BinaryOperator::MyIntegerDivide, .. })
            }
            "ARITHMETIC_OVERFLOW" => {
                matches!(e, Expr::BinaryOp { op: BinaryOperator::Plus | BinaryOperator::Minus | BinaryOperator::Multiply, .. })
                    || matches!(e, Expr::UnaryOp { op: UnaryOperator::Minus, expr } if !matches!(expr.as_ref(), Expr::Value(_)))
            }
            "INVALID_ARRAY_INDEX" => {
                matches!(e, Expr::CompoundFieldAccess { access_chain, .. } if access_chain.iter().any(|a| matches!(a, AccessExpr::Subscript(_))))
            }
            "INVALID_ARRAY_INDEX_IN_ELEMENT_AT" | "INVALID_INDEX_OF_ZERO" => {
                matches!(e, Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("element_at"))
            }
            "CAST_INVALID_INPUT" => {
                // A string read as a number beside one (`1 + '2.5'`, `id = 'x'`) fails in the
                // operation that casts it.
                if let Expr::BinaryOp { left, right, .. } = e
                    && cast_value.is_some()
                    && [left, right]
                        .iter()
                        .any(|side| matches!(side.as_ref(), Expr::Value(v) if v.value.clone().into_string().as_deref() == cast_value))
                    && let Some(range) = range(&chars, e)
                {
                    implicit.push(range);
                }
                // ... and a function that takes a date or timestamp fails in its call
                // (`year('2024-13-01')`).
                if let Expr::Function(f) = e
                    && let FunctionArguments::List(list) = &f.args
                    && cast_value.is_some()
                    && list.args.iter().any(|a| {
                        matches!(a, FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))
                            if v.value.clone().into_string().as_deref() == cast_value)
                    })
                    && let Some(range) = range(&chars, e)
                {
                    implicit.push(range);
                }
                matches!(e, Expr::Cast { kind: CastKind::Cast, data_type, .. } if cast_target.as_deref() == Some(data_type.to_string().to_ascii_uppercase().as_str()))
            }
            _ => false,
        };
        if raises {
            // A part whose text cannot be found makes the place unknown.
            match range(&chars, e) {
                Some(range) if !parts.contains(&range) => parts.push(range),
                Some(_) => {}
                None => return ControlFlow::Break(()),
            }
        }
        ControlFlow::Continue(())
    });
    if unplaced.is_break() {
        return None;
    }
    let parts = if parts.is_empty() { implicit } else { parts };
    let [(start, end)] = parts.as_slice() else {
        return None;
    };
    let (start, stop) = balanced(&chars, *start, *end)?;
    Some(crate::query_context::summary(sql, start, stop))
}

/// The part `start..end` widened to balance its brackets: sqlparser's spans leave out a
/// parenthesized operand's `(`, a call's `)` and a subscript's `]`. `None` when they do not
/// balance within the text.
fn balanced(chars: &[char], mut start: usize, end: usize) -> Option<(usize, usize)> {
    let mut stop = end.checked_sub(1)?;
    let depth = |from: usize, to: usize| -> (i32, i32) {
        // (closings without their opening, openings without their closing)
        let (mut unopened, mut open) = (0, 0);
        let mut quote: Option<char> = None;
        for c in &chars[from..=to] {
            match (quote, c) {
                (Some(q), c) if *c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"' | '`') => quote = Some(*c),
                (None, '(' | '[') => open += 1,
                (None, ')' | ']') if open > 0 => open -= 1,
                (None, ')' | ']') => unopened += 1,
                _ => {}
            }
        }
        (unopened, open)
    };
    let (mut unopened, mut open) = depth(start, stop);
    while unopened > 0 {
        start = start.checked_sub(1)?;
        if matches!(chars[start], '(' | '[') {
            unopened -= 1;
        }
    }
    while open > 0 {
        stop += 1;
        if matches!(chars.get(stop)?, ')' | ']') {
            open -= 1;
        }
    }
    (unopened, open) = depth(start, stop);
    (unopened == 0 && open == 0).then_some((start, stop))
}

/// The chars `start..end` of the text an expression was read from. sqlparser's spans leave
/// out a cast's `CAST(` and `AS t)`, a sign, and the brackets around and after an operand;
/// those are put back here and by [`balanced`].
pub(crate) fn range(chars: &[char], e: &Expr) -> Option<(usize, usize)> {
    let of_span = |s: Span| Some((crate::query_context::index_of(chars, s.start)?, crate::query_context::index_of(chars, s.end)?));
    match e {
        Expr::BinaryOp { left, right, .. } => {
            let (l, r) = (range(chars, left)?, range(chars, right)?);
            Some((l.0.min(r.0), l.1.max(r.1)))
        }
        Expr::UnaryOp { expr, .. } => {
            let (start, end) = range(chars, expr)?;
            let sign = chars[..start].iter().rposition(|c| !c.is_whitespace())?;
            Some((sign, end))
        }
        Expr::Nested(inner) => range(chars, inner),
        Expr::Cast { expr, .. } => {
            let (inner, _) = range(chars, expr)?;
            let open = chars[..inner].iter().rposition(|c| !c.is_whitespace()).filter(|&i| chars[i] == '(')?;
            let keyword_end = chars[..open].iter().rposition(|c| !c.is_whitespace())? + 1;
            let word: String = chars[..keyword_end].iter().rev().take_while(|c| c.is_alphanumeric() || **c == '_').collect();
            let start = keyword_end.checked_sub(word.chars().count())?;
            // On to the `)` that closes the cast.
            let mut depth = 0usize;
            let close = chars.iter().enumerate().skip(open + 1).find_map(|(i, c)| match c {
                '(' => {
                    depth += 1;
                    None
                }
                ')' if depth == 0 => Some(i),
                ')' => {
                    depth -= 1;
                    None
                }
                _ => None,
            })?;
            Some((start, close + 1))
        }
        // `items[0].sku`: the subscript raised, not the field read after it.
        Expr::CompoundFieldAccess { root, access_chain } => {
            let last = access_chain.iter().position(|a| matches!(a, AccessExpr::Subscript(_)))?;
            let spans = std::iter::once(root.span()).chain(access_chain[..=last].iter().map(Spanned::span));
            of_span(Span::union_iter(spans))
        }
        other => of_span(other.span()),
    }
}

#[cfg(test)]
mod tests {
    use super::context;

    #[test]
    fn the_one_part_that_can_raise_the_error_is_shown() {
        let shown = |sql: &str, message: &str| context(sql, message).unwrap_or_default();
        assert_eq!(
            shown("SELECT 1 / 0", "[DIVIDE_BY_ZERO] Division by zero."),
            "== SQL (line 1, position 8) ==\nSELECT 1 / 0\n       ^^^^^\n"
        );
        assert_eq!(
            shown(
                "SELECT CAST('abc' AS INT)",
                "[CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast to \"INT\" because"
            ),
            "== SQL (line 1, position 8) ==\nSELECT CAST('abc' AS INT)\n       ^^^^^^^^^^^^^^^^^^\n"
        );
        assert_eq!(
            shown("SELECT array(1,2)[5]", "[INVALID_ARRAY_INDEX] The index 5 is out of bounds."),
            "== SQL (line 1, position 8) ==\nSELECT array(1,2)[5]\n       ^^^^^^^^^^^^^\n"
        );
        assert_eq!(
            shown("SELECT (a + 1) / 0 FROM t", "[DIVIDE_BY_ZERO] x"),
            "== SQL (line 1, position 8) ==\nSELECT (a + 1) / 0 FROM t\n       ^^^^^^^^^^^\n"
        );
        // Two divisions: either could have failed.
        assert_eq!(context("SELECT 1 / 0, 2 / a FROM t", "[DIVIDE_BY_ZERO] x"), None);
    }
}
