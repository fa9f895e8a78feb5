//! Rewrites of the parsed syntax tree into the forms DataFusion plans with Spark's meaning:
//!
//! - `a RLIKE p` / `a REGEXP p`: Spark's regular expression match (a match anywhere in `a`,
//!   Java syntax), which is DataFusion's `~` operator; `NOT RLIKE` its negation. Spark names the
//!   column `RLIKE(a, p)`, as [`crate::naming`] names DataFusion's regex match.
//! - `~a`: Spark's bitwise not, the function `bitwise_not`.
//! - `a DIV b`: Spark's integral division ([`crate::semantics::spark_int_divide`]).
//! - `regexp_replace(s, p, r)`: every match replaced, as in Spark (DataFusion's flag `'g'`).
//! - `DATE 'x'` / `TIMESTAMP 'x'`: literals of those types, named as Spark names them
//!   ([`crate::typed_literal`]); DataFusion would plan a cast of a string.
//!
//! - `x.f` in a lambda's body: the field `f` of the lambda's variable `x`
//!   ([`super::lambda_fields`]).
//! - `(a, b)` as a value: Spark's `named_struct` of the two ([`Tuples`]).
//! - `e.f` after an expression (`items[0].sku`, `struct(a, b).a`): the field `f`, which
//!   DataFusion reads only after a column's name or as `e['f']`.
//! - `substring(s, p, n)` / `substr(...)`: calls under the name written.
//! - `position(a IN b)`: Spark's `locate(a, b)`.
//! - `ltrim(chars, s)`, `rtrim(chars, s)`: Spark's argument order, characters first.
//! - `first(x, true)`, `last_value(x, true)`: Spark's `ignoreNulls` argument, which is
//!   DataFusion's `IGNORE NULLS`.
//!
//! `a[i]` counts from 0 on arrays, which needs the operand's type: it is planned in
//! [`crate::analyzer::coercion`]'s expression planner, not here.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, BinaryOperator, Expr, Statement, UnaryOperator, Value, ValueWithSpan, VisitMut, VisitorMut, visit_expressions_mut,
};

/// Applies the rewrites throughout a statement (subqueries included).
pub fn rewrite_statement(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |e| {
        rewrite(e);
        ControlFlow::<()>::Continue(())
    });
    let _ = statement.visit(&mut NamedWindows);
    let _ = statement.visit(&mut Tuples::default());
}

/// `(a, b + 1)` as a value: Spark's `named_struct(a, a, col2, (b + 1))`, each field named after
/// the column (or lambda variable) it reads, else `col` and its position. Tuples compared or
/// looked up (`(a, b) IN (...)`, `(a, b) = (1, 2)`) are left to what plans those.
#[derive(Default)]
struct Tuples {
    /// How many comparisons or `IN`s enclose the expression being visited.
    compared: usize,
}

impl Tuples {
    fn compares(e: &Expr) -> bool {
        matches!(e, Expr::InList { .. } | Expr::InSubquery { .. } | Expr::InUnnest { .. })
            || matches!(e, Expr::BinaryOp { left, right, .. } if matches!(**left, Expr::Tuple(_)) || matches!(**right, Expr::Tuple(_)))
    }
}

impl VisitorMut for Tuples {
    type Break = ();

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        if Self::compares(e) {
            self.compared += 1;
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        if Self::compares(e) {
            self.compared -= 1;
        }
        if self.compared == 0
            && let Expr::Tuple(items) = e
        {
            let mut args = Vec::with_capacity(items.len() * 2);
            for (i, item) in std::mem::take(items).into_iter().enumerate() {
                let name = match &item {
                    Expr::Identifier(id) => id.value.clone(),
                    Expr::CompoundIdentifier(ids) => ids.last().map(|id| id.value.clone()).unwrap_or_default(),
                    _ => format!("col{}", i + 1),
                };
                args.push(Expr::value(Value::SingleQuotedString(name)));
                args.push(item);
            }
            *e = call("named_struct", args);
        }
        ControlFlow::Continue(())
    }
}

/// The frames of `WINDOW w AS (...)` definitions, which are no expressions.
struct NamedWindows;

impl VisitorMut for NamedWindows {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut datafusion::sql::sqlparser::ast::Query) -> ControlFlow<()> {
        use datafusion::sql::sqlparser::ast::{NamedWindowExpr, SetExpr};
        if let SetExpr::Select(select) = query.body.as_mut() {
            for window in &mut select.named_window {
                if let NamedWindowExpr::WindowSpec(spec) = &mut window.1 {
                    range_interval_bounds(spec);
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// `RANGE BETWEEN INTERVAL 7 DAYS PRECEDING ...`: Spark's unquoted interval offset, which
/// DataFusion's frames take only quoted (`INTERVAL '7' DAYS`).
fn range_interval_bounds(spec: &mut datafusion::sql::sqlparser::ast::WindowSpec) {
    use datafusion::sql::sqlparser::ast::{WindowFrameBound, WindowFrameUnits};
    let Some(frame) = spec.window_frame.as_mut().filter(|f| f.units == WindowFrameUnits::Range) else {
        return;
    };
    for bound in std::iter::once(&mut frame.start_bound).chain(frame.end_bound.as_mut()) {
        if let WindowFrameBound::Preceding(Some(offset)) | WindowFrameBound::Following(Some(offset)) = bound
            && let Some(interval) = crate::interval_literal::as_sql_interval(offset)
        {
            **offset = interval;
        }
        if let WindowFrameBound::Preceding(Some(offset)) | WindowFrameBound::Following(Some(offset)) = bound
            && let Expr::Interval(interval) = offset.as_mut()
            && let Expr::Value(ValueWithSpan { value: Value::Number(n, _), .. }) = interval.value.as_ref()
        {
            *interval.value = Expr::value(Value::SingleQuotedString(n.clone()));
        }
    }
}

/// Applies the rewrites throughout one expression.
pub fn rewrite_expr(expr: &mut Expr) {
    let _ = visit_expressions_mut(expr, |e| {
        rewrite(e);
        ControlFlow::<()>::Continue(())
    });
}

fn rewrite(e: &mut Expr) {
    if let Expr::Lambda(lambda) = e {
        super::lambda_fields::rewrite(lambda);
        return;
    }
    // Spark's `BINARY` is the type DataFusion's SQL knows as `BYTEA`.
    if let Expr::Cast { data_type, .. } = e
        && matches!(data_type, datafusion::sql::sqlparser::ast::DataType::Binary(None))
    {
        *data_type = datafusion::sql::sqlparser::ast::DataType::Bytea;
    }
    if let Expr::BinaryOp { left, op: BinaryOperator::MyIntegerDivide, right } = e {
        let (l, r) =
            (std::mem::replace(left.as_mut(), Expr::value(Value::Null)), std::mem::replace(right.as_mut(), Expr::value(Value::Null)));
        *e = call(crate::semantics::SPARK_INT_DIVIDE, vec![l, r]);
        return;
    }
    if let Expr::TypedString(typed) = e
        && let Some(type_name) = literal_type(&typed.data_type)
        && let Some(text) = typed.value.value.clone().into_string()
    {
        *e = call(
            crate::typed_literal::TYPED_LITERAL,
            vec![Expr::value(Value::SingleQuotedString(text)), Expr::value(Value::SingleQuotedString(type_name.into()))],
        );
        return;
    }
    if let Expr::Function(call) = e
        && call.name.to_string().eq_ignore_ascii_case("regexp_replace")
        && let datafusion::sql::sqlparser::ast::FunctionArguments::List(list) = &mut call.args
    {
        replace_all(&mut list.args);
        return;
    }
    // sqlparser reads `substring(...)` as syntax of its own, which DataFusion plans as `substr`;
    // as a call it keeps the name it was written with, as Spark's column name does.
    if let Expr::Substring { expr, substring_from, substring_for, shorthand, .. } = e {
        let name = if *shorthand { "substr" } else { "substring" };
        let mut args = vec![std::mem::replace(expr.as_mut(), Expr::value(Value::Null))];
        let length = substring_for.take().map(|b| *b);
        let from = substring_from.take().map(|b| *b);
        // `SUBSTRING(s FOR n)` starts at 1.
        args.extend(from.or_else(|| length.is_some().then(|| Expr::value(Value::Number("1".into(), false)))));
        args.extend(length);
        *e = call(name, args);
        return;
    }
    // `position(a IN b)` is Spark's `locate(a, b)`, named so.
    if let Expr::Position { expr, r#in } = e {
        let args =
            vec![std::mem::replace(expr.as_mut(), Expr::value(Value::Null)), std::mem::replace(r#in.as_mut(), Expr::value(Value::Null))];
        *e = call("locate", args);
        return;
    }
    if let Expr::CompoundFieldAccess { access_chain, .. } = e {
        for access in access_chain.iter_mut() {
            if let AccessExpr::Dot(field) = access
                && let Expr::Identifier(id) = field
            {
                *field = Expr::value(Value::SingleQuotedString(id.value.clone()));
            }
        }
        return;
    }
    // Spark's `isnull(x)` and `isnotnull(x)` are `x IS [NOT] NULL`, named so.
    if let Expr::Function(f) = e
        && let Some(test) = null_test(f)
    {
        *e = test;
        return;
    }
    // `!x` is `NOT x`.
    if let Expr::UnaryOp { op: op @ UnaryOperator::BangNot, .. } = e {
        *op = UnaryOperator::Not;
        return;
    }
    if let Expr::Function(f) = e
        && let Some(cast) = cast_function(f).or_else(|| trim_function(f))
    {
        *e = cast;
        return;
    }
    if let Expr::Function(call) = e {
        ignore_nulls_argument(call);
        within_group_as_order_by(call);
        if let Some(datafusion::sql::sqlparser::ast::WindowType::WindowSpec(spec)) = &mut call.over {
            range_interval_bounds(spec);
        }
        return;
    }
    if let Expr::UnaryOp { op: UnaryOperator::BitwiseNot, expr } = e {
        let arg = std::mem::replace(expr.as_mut(), Expr::value(Value::Null));
        *e = call("bitwise_not", vec![arg]);
        return;
    }
    if let Expr::RLike { negated, expr, pattern, .. } = e {
        let matched = Expr::BinaryOp {
            left: Box::new(std::mem::replace(expr.as_mut(), Expr::value(datafusion::sql::sqlparser::ast::Value::Null))),
            op: BinaryOperator::PGRegexMatch,
            right: Box::new(std::mem::replace(pattern.as_mut(), Expr::value(datafusion::sql::sqlparser::ast::Value::Null))),
        };
        *e = if *negated { Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(Expr::Nested(Box::new(matched))) } } else { matched };
    }
}

/// `listagg(x) WITHIN GROUP (ORDER BY k)` (and `string_agg`'s) as the aggregate's own ORDER BY,
/// `listagg(x ORDER BY k)`: the value is read in that order, as DataFusion's ordered aggregates
/// read theirs.
fn within_group_as_order_by(call: &mut datafusion::sql::sqlparser::ast::Function) {
    use datafusion::sql::sqlparser::ast::{FunctionArgumentClause, FunctionArguments};
    let name = call.name.to_string().to_ascii_lowercase();
    if call.within_group.is_empty() || !matches!(name.as_str(), "listagg" | "string_agg") {
        return;
    }
    if let FunctionArguments::List(list) = &mut call.args {
        list.clauses.push(FunctionArgumentClause::OrderBy(std::mem::take(&mut call.within_group)));
    }
}

/// `isnull(x)` as `x IS NULL`, `isnotnull(x)` as `x IS NOT NULL`.
fn null_test(f: &datafusion::sql::sqlparser::ast::Function) -> Option<Expr> {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    if f.over.is_some() || f.filter.is_some() || f.name.0.len() != 1 {
        return None;
    }
    let name = f.name.to_string().to_ascii_lowercase();
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
        return None;
    };
    let arg = Box::new(arg.clone());
    match name.as_str() {
        "isnull" => Some(Expr::IsNull(arg)),
        "isnotnull" => Some(Expr::IsNotNull(arg)),
        _ => None,
    }
}

/// Spark's cast functions (`string(x)`, `int(x)`, `date(x)`, ...) are `CAST(x AS type)`,
/// computed and named as the cast.
fn cast_function(f: &datafusion::sql::sqlparser::ast::Function) -> Option<Expr> {
    use datafusion::sql::sqlparser::ast::{
        CastKind, DataType, ExactNumberInfo, FunctionArg, FunctionArgExpr, FunctionArguments, TimezoneInfo,
    };
    if f.over.is_some() || f.filter.is_some() || f.name.0.len() != 1 {
        return None;
    }
    let data_type = match f.name.to_string().to_ascii_lowercase().as_str() {
        "string" => DataType::String(None),
        "boolean" => DataType::Boolean,
        "tinyint" => DataType::TinyInt(None),
        "smallint" => DataType::SmallInt(None),
        "int" => DataType::Int(None),
        "bigint" => DataType::BigInt(None),
        "float" => DataType::Float(ExactNumberInfo::None),
        "double" => DataType::Double(ExactNumberInfo::None),
        "decimal" => DataType::Decimal(ExactNumberInfo::PrecisionAndScale(10, 0)),
        "date" => DataType::Date,
        "timestamp" => DataType::Timestamp(None, TimezoneInfo::None),
        "binary" => DataType::Bytea,
        _ => return None,
    };
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
        return None;
    };
    Some(Expr::Cast { kind: CastKind::Cast, expr: Box::new(arg.clone()), data_type, array: false, format: None })
}

/// Spark's two-argument `ltrim(chars, s)` and `rtrim(chars, s)` take the characters first: they
/// are `TRIM(LEADING chars FROM s)` and `TRIM(TRAILING chars FROM s)`.
fn trim_function(f: &datafusion::sql::sqlparser::ast::Function) -> Option<Expr> {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments};
    if f.over.is_some() || f.filter.is_some() || f.name.0.len() != 1 {
        return None;
    }
    use datafusion::sql::sqlparser::ast::TrimWhereField;
    let side = match f.name.to_string().to_ascii_lowercase().as_str() {
        "ltrim" => TrimWhereField::Leading,
        "rtrim" => TrimWhereField::Trailing,
        _ => return None,
    };
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(chars)), FunctionArg::Unnamed(FunctionArgExpr::Expr(source))] = list.args.as_slice()
    else {
        return None;
    };
    Some(crate::parser::trim::trim(Some(side), source.clone(), Some(chars.clone())))
}

/// `first(x, true)` and the like as `first(x) IGNORE NULLS` (`false` is the default).
fn ignore_nulls_argument(call: &mut datafusion::sql::sqlparser::ast::Function) {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr, FunctionArguments, NullTreatment};
    let name = call.name.to_string().to_ascii_lowercase();
    if !matches!(name.as_str(), "first" | "last" | "first_value" | "last_value" | "any_value") {
        return;
    }
    let FunctionArguments::List(list) = &mut call.args else {
        return;
    };
    let ignore = match list.args.as_slice() {
        [_, FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(ValueWithSpan { value: Value::Boolean(b), .. })))] => *b,
        _ => return,
    };
    list.args.truncate(1);
    if ignore {
        call.null_treatment = Some(NullTreatment::IgnoreNulls);
    }
}

/// Spark's `regexp_replace(s, pattern, replacement[, 1])` replaces every match; DataFusion's
/// replaces every match only with the flag `'g'` in place of Spark's start position (other
/// positions are left for DataFusion to refuse).
fn replace_all(args: &mut Vec<datafusion::sql::sqlparser::ast::FunctionArg>) {
    use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr};
    let global = FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::value(Value::SingleQuotedString("g".into()))));
    match args.len() {
        3 => args.push(global),
        4 if matches!(&args[3], FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(ValueWithSpan { value: Value::Number(n, _), .. }))) if n == "1") =>
        {
            args[3] = global;
        }
        _ => {}
    }
}

/// The typed literals planned as constants of their type (see [`crate::typed_literal`]).
fn literal_type(data_type: &datafusion::sql::sqlparser::ast::DataType) -> Option<&'static str> {
    use datafusion::sql::sqlparser::ast::{DataType, TimezoneInfo};
    match data_type {
        DataType::Date => Some("date"),
        DataType::Timestamp(None, TimezoneInfo::None) => Some("timestamp"),
        DataType::TimestampNtz(None) => Some("timestamp_ntz"),
        DataType::Custom(name, modifiers) if modifiers.is_empty() && name.to_string().eq_ignore_ascii_case("timestamp_ltz") => {
            Some("timestamp")
        }
        _ => None,
    }
}

/// A call of the function `name`.
pub(crate) fn call(name: &str, args: Vec<Expr>) -> Expr {
    use datafusion::sql::sqlparser::ast::{
        Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident, ObjectName,
    };
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rlike_is_a_regex_match() {
        let (mut e, _) = crate::parser::parse_expression("s NOT RLIKE '^a' AND t REGEXP 'b'").unwrap_or_else(|e| unreachable!("{e}"));
        rewrite_expr(&mut e);
        assert_eq!(e.to_string(), "NOT (s ~ '^a') AND t ~ 'b'");
    }
}
