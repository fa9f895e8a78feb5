//! The `Column` API in Rust: every Spark rule of `pyspark.sql.Column` and the column
//! constructors of `pyspark.sql.functions` (division is double division, `-c` is
//! `negative(c)`, a cast to string renders values as Spark does, the default window frames,
//! `count(*)` is `count(1)`, `desc()` sorts NULLs last). The Python package only converts its
//! arguments and calls these, so a DataFrame program and SQL text build the same expressions.

use std::sync::Arc;

use datafusion::common::{Column as ColumnRef, ScalarValue};
use datafusion::logical_expr::expr::{AggregateFunction, NullTreatment, ScalarFunction, WindowFunction};
use datafusion::logical_expr::{
    BinaryExpr, Case, Expr, ExprFunctionExt, Operator, SortExpr, TryCast, WindowFrame, WindowFrameBound, WindowFrameUnits,
    WindowFunctionDefinition, cast,
};
use ember_sql::functions::catalog;

use crate::error::{DriverError, Result};

/// How a column sorts: `asc()`/`desc()` with Spark's NULL placement unless told otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortOrder {
    pub ascending: bool,
    pub nulls_first: bool,
}

impl SortOrder {
    /// Spark puts NULLs first when ascending and last when descending.
    pub fn new(ascending: bool, nulls_first: Option<bool>) -> Self {
        Self { ascending, nulls_first: nulls_first.unwrap_or(ascending) }
    }
}

/// The sort key of `expr` under `order` (ascending, NULLs first when none was asked for).
pub fn sort_expr(expr: &Expr, order: Option<SortOrder>) -> SortExpr {
    let order = order.unwrap_or(SortOrder::new(true, None));
    SortExpr { expr: expr.clone(), asc: order.ascending, nulls_first: order.nulls_first }
}

/// `functions.col("a")`, `col("t.a")`, `col("`a.b`")`, `col("*")`, `col("t.*")`.
pub fn col(name: &str) -> Expr {
    let parts = crate::resolve::split_name(name);
    match parts.as_slice() {
        [table, field] if !name.starts_with('`') => Expr::Column(ColumnRef::new(Some(table.clone()), field.clone())),
        [only] => Expr::Column(ColumnRef::new_unqualified(only.clone())),
        _ => Expr::Column(ColumnRef::new_unqualified(name.to_string())),
    }
}

/// A Python `int` as Spark types it: INT when it fits, BIGINT otherwise.
pub fn int_literal(v: i64) -> ScalarValue {
    match i32::try_from(v) {
        Ok(i) => ScalarValue::Int32(Some(i)),
        Err(_) => ScalarValue::Int64(Some(v)),
    }
}

/// A `decimal.Decimal` from its text (`"-12.50"`): DECIMAL(p, s) with the digits it has.
pub fn decimal_literal(text: &str) -> Result<ScalarValue> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{int}{frac}");
    let unscaled: i128 = digits.parse().map_err(|_| DriverError::IllegalArgument(format!("Unsupported decimal literal {text}")))?;
    let precision = digits.trim_start_matches('-').len().max(frac.len() + 1);
    let precision =
        u8::try_from(precision).map_err(|_| DriverError::IllegalArgument(format!("Decimal literal {text} has too many digits")))?;
    let scale =
        i8::try_from(frac.len()).map_err(|_| DriverError::IllegalArgument(format!("Decimal literal {text} has too many digits")))?;
    Ok(ScalarValue::Decimal128(Some(unscaled), precision.max(1), scale))
}

/// A naive `datetime` from its `isoformat()`: a TIMESTAMP, the wall-clock reading taken in the
/// session time zone (UTC), as PySpark takes it in its local one.
pub fn timestamp_literal(iso: &str) -> Result<ScalarValue> {
    let parsed = chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|e| DriverError::IllegalArgument(format!("Unsupported datetime literal {iso}: {e}")))?;
    Ok(ScalarValue::TimestampMicrosecond(Some(parsed.and_utc().timestamp_micros()), Some(ember_sql::types::UTC.into())))
}

/// A `date` from its proleptic Gregorian ordinal (`date.toordinal()`).
pub fn date_literal(ordinal: i64) -> Result<ScalarValue> {
    // date(1970, 1, 1).toordinal() == 719163
    let days =
        i32::try_from(ordinal - 719_163).map_err(|_| DriverError::IllegalArgument(format!("date ordinal {ordinal} out of range")))?;
    Ok(ScalarValue::Date32(Some(days)))
}

fn operator(op: &str) -> Result<Operator> {
    Ok(match op {
        "+" => Operator::Plus,
        "-" => Operator::Minus,
        "*" => Operator::Multiply,
        "%" => Operator::Modulo,
        "==" => Operator::Eq,
        "!=" => Operator::NotEq,
        "<" => Operator::Lt,
        "<=" => Operator::LtEq,
        ">" => Operator::Gt,
        ">=" => Operator::GtEq,
        "and" => Operator::And,
        "or" => Operator::Or,
        "<=>" => Operator::IsNotDistinctFrom,
        "&" => Operator::BitwiseAnd,
        "|" => Operator::BitwiseOr,
        "^" => Operator::BitwiseXor,
        other => return Err(DriverError::IllegalArgument(format!("Unknown Column operator {other}"))),
    })
}

/// `left <op> right` for the operators of `Column` (`+`, `==`, `&`, `<=>`, ...).
pub fn binary(op: &str, left: Expr, right: Expr) -> Result<Expr> {
    if op == "/" {
        // Spark's `/` is always a double (or decimal) division, never an integer one.
        return Ok(Expr::ScalarFunction(ScalarFunction::new_udf(ember_sql::semantics::spark_divide(), vec![left, right])));
    }
    Ok(Expr::BinaryExpr(BinaryExpr::new(Box::new(left), operator(op)?, Box::new(right))))
}

/// `-col`, which in Spark's DataFrame API is the function `negative(col)`.
pub fn negate(expr: Expr) -> Result<Expr> {
    call("negative", vec![expr])
}

/// `col.alias(name)`: renames, replacing an alias the column already had.
pub fn alias(expr: &Expr, name: &str) -> Expr {
    match expr {
        Expr::Alias(a) => (*a.expr).clone().alias(name),
        e => e.clone().alias(name),
    }
}

/// `col.cast("int")`, `cast("decimal(10,2)")`: Spark type names; to string, values are
/// rendered as Spark renders them.
pub fn cast_to(expr: Expr, type_name: &str) -> Result<Expr> {
    let dt = ember_sql::parse_data_type(type_name)?;
    if dt == datafusion::arrow::datatypes::DataType::Utf8 {
        return Ok(Expr::ScalarFunction(ScalarFunction::new_udf(ember_sql::udfs::cast_string_udf(), vec![expr])));
    }
    Ok(cast(expr, dt))
}

/// `col.try_cast(...)`: NULL instead of an error when a value does not convert.
pub fn try_cast_to(expr: Expr, type_name: &str) -> Result<Expr> {
    let dt = ember_sql::parse_data_type(type_name)?;
    Ok(Expr::TryCast(TryCast::new(Box::new(expr), dt)))
}

/// `col.like(p)`, `ilike(p)`, and their negations.
pub fn like(expr: Expr, pattern: Expr, negated: bool, case_insensitive: bool) -> Expr {
    let e = if case_insensitive { expr.ilike(pattern) } else { expr.like(pattern) };
    if negated { Expr::Not(Box::new(e)) } else { e }
}

/// `col.rlike(p)`: a Java regular expression found anywhere in the value.
pub fn rlike(expr: Expr, pattern: Expr) -> Expr {
    Expr::BinaryExpr(BinaryExpr::new(Box::new(expr), Operator::RegexMatch, Box::new(pattern)))
}

/// `col.getField("f")`.
pub fn get_field(expr: Expr, name: &str) -> Expr {
    datafusion::functions::core::expr_fn::get_field(expr, name)
}

/// `col[i]` on arrays (0-based, as Spark's getItem), `col[key]` on maps, `col["f"]` on
/// structs (Spark's `[]`, [`ember_sql::extract_value`], decided when the column resolves).
pub fn get_item(expr: Expr, key: ScalarValue) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(ember_sql::extract_value::item(), vec![expr, Expr::Literal(key, None)]))
}

/// `functions.when(cond, value)`: a CASE with one branch and no ELSE yet.
pub fn when(condition: Expr, value: Expr) -> Expr {
    Expr::Case(Case::new(None, vec![(Box::new(condition), Box::new(value))], None))
}

/// `case.when(cond, value)`: another branch of a CASE built by [`when`].
pub fn add_when(case: &Expr, condition: Expr, value: Expr) -> Result<Expr> {
    match case {
        Expr::Case(c) if c.else_expr.is_none() => {
            let mut c = c.clone();
            c.when_then_expr.push((Box::new(condition), Box::new(value)));
            Ok(Expr::Case(c))
        }
        _ => Err(DriverError::IllegalArgument("when() can only be applied on a Column previously generated by when() function".into())),
    }
}

/// `case.otherwise(value)`: the ELSE of a CASE built by [`when`], once.
pub fn otherwise(case: &Expr, value: Expr) -> Result<Expr> {
    match case {
        Expr::Case(c) if c.else_expr.is_none() => {
            let mut c = c.clone();
            c.else_expr = Some(Box::new(value));
            Ok(Expr::Case(c))
        }
        _ => Err(DriverError::IllegalArgument(
            "otherwise() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied".into(),
        )),
    }
}

/// A window frame of `Window.rowsBetween`/`rangeBetween`: offsets relative to the current
/// row, `None` meaning unbounded.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub range: bool,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

impl Frame {
    fn window_frame(self) -> WindowFrame {
        let units = if self.range { WindowFrameUnits::Range } else { WindowFrameUnits::Rows };
        let offset = |n: u64| match units {
            WindowFrameUnits::Rows => ScalarValue::UInt64(Some(n)),
            _ => ScalarValue::Int64(Some(i64::try_from(n).unwrap_or(i64::MAX))),
        };
        let bound = |v: Option<i64>, is_start: bool| match v {
            None if is_start => WindowFrameBound::Preceding(ScalarValue::UInt64(None)),
            None => WindowFrameBound::Following(ScalarValue::UInt64(None)),
            Some(0) => WindowFrameBound::CurrentRow,
            Some(n) if n < 0 => WindowFrameBound::Preceding(offset(n.unsigned_abs())),
            Some(n) => WindowFrameBound::Following(offset(n.unsigned_abs())),
        };
        WindowFrame::new_bounds(units, bound(self.start, true), bound(self.end, false))
    }
}

/// `expr.over(window)`: an aggregate or a ranking/offset function over a window. Without a
/// frame Spark's defaults apply: with ORDER BY, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT
/// ROW; without, the whole partition.
pub fn over(expr: &Expr, partition_by: Vec<Expr>, order_by: Vec<SortExpr>, frame: Option<Frame>) -> Result<Expr> {
    let (def, args, distinct) = match expr {
        Expr::WindowFunction(w) => (w.fun.clone(), w.params.args.clone(), false),
        Expr::AggregateFunction(AggregateFunction { func, params }) => {
            (WindowFunctionDefinition::AggregateUDF(Arc::clone(func)), params.args.clone(), params.distinct)
        }
        _ => {
            return Err(DriverError::Analysis(format!(
                "[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"{}\" not supported within a window function.",
                ember_sql::spark_name(expr)
            )));
        }
    };
    let window_frame = match frame {
        Some(f) => f.window_frame(),
        None => WindowFrame::new((!order_by.is_empty()).then_some(false)),
    };
    let builder = Expr::WindowFunction(Box::new(WindowFunction::new(def, args))).partition_by(partition_by).order_by(order_by);
    let builder = if distinct { builder.distinct() } else { builder };
    Ok(builder.window_frame(window_frame).build()?)
}

/// A call of a declared function by Spark name, as its declaration says: an aggregate, a
/// window function or a scalar function ([`call`]).
pub fn function(name: &str, args: Vec<Expr>) -> Result<Expr> {
    use ember_sql::functions::Implementation;
    match ember_sql::functions::find(name).map(|f| f.implementation) {
        Some(Implementation::Aggregate(..)) => aggregate(name, args, false, false, Vec::new()),
        Some(Implementation::Window(..)) => window_function(name, args),
        _ => call(name, args),
    }
}

/// A scalar function by Spark name, from the function catalog; a function that takes lambdas
/// (`transform`, `aggregate`, ...) is given them among `args` ([`lambda`]).
pub fn call(name: &str, args: Vec<Expr>) -> Result<Expr> {
    if let Ok(f) = catalog().higher_order(name) {
        return Ok(Expr::HigherOrderFunction(datafusion::logical_expr::expr::HigherOrderFunction::new(f, args)));
    }
    let f = catalog().scalar(name)?;
    Ok(Expr::ScalarFunction(ScalarFunction::new_udf(f, args)))
}

/// A lambda of `params` (variables made by [`lambda_variable`]) computing `body`. Its
/// variables are typed when the DataFrame that uses it resolves it.
pub fn lambda(params: Vec<String>, body: Expr) -> Expr {
    datafusion::logical_expr::lambda(params, body)
}

/// A lambda's variable, by a name unique to its lambda.
pub fn lambda_variable(name: &str) -> Expr {
    datafusion::logical_expr::lambda_var(name)
}

/// An aggregate function by name; `ignore_nulls` for `first`/`last`; `order_by` for
/// order-sensitive aggregates (`max_by` is `first_value(x ORDER BY y DESC)`).
pub fn aggregate(name: &str, args: Vec<Expr>, distinct: bool, ignore_nulls: bool, order_by: Vec<SortExpr>) -> Result<Expr> {
    let f = catalog().aggregate(name)?;
    let null_treatment = ignore_nulls.then_some(NullTreatment::IgnoreNulls);
    Ok(Expr::AggregateFunction(AggregateFunction::new_udf(f, args, distinct, None, order_by, null_treatment)))
}

/// A ranking/offset window function (`row_number`, `rank`, `lag`, ...), to be used with [`over`].
pub fn window_function(name: &str, args: Vec<Expr>) -> Result<Expr> {
    let f = catalog().window(name)?;
    Ok(Expr::WindowFunction(Box::new(WindowFunction::new(WindowFunctionDefinition::WindowUDF(f), args))))
}

/// `functions.explode(c)` / `explode_outer(c)`, expanded when the select list is planned.
pub fn explode(expr: Expr, outer: bool) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(crate::generator::explode_udf(outer), vec![expr]))
}

/// A generator by name (`posexplode`, `inline_outer`, `stack`, ...), expanded when the select
/// list is planned.
pub fn generator(name: &str, args: Vec<Expr>) -> Result<Expr> {
    Ok(Expr::ScalarFunction(ScalarFunction::new_udf(crate::generator::generator_udf(name)?, args)))
}

/// `count("*")`: Spark names it `count(1)`.
pub fn count_star() -> Expr {
    datafusion::functions_aggregate::expr_fn::count(datafusion::logical_expr::lit(1))
}

/// `functions.expr("a + 1")`: checked for syntax now, resolved by the DataFrame it is used on.
pub fn sql_expr(text: &str) -> Result<Expr> {
    ember_sql::parser::parse_expression(text)?;
    Ok(crate::resolve::sql_text_expr(text))
}

/// An aggregate restricted to rows where `condition` holds (a pivot's cell): each argument
/// becomes `CASE WHEN condition THEN arg END`, which aggregates skip as NULL.
pub fn mask_aggregate(aggregate: Expr, condition: &Expr) -> Result<Expr> {
    let inner = match aggregate {
        Expr::Alias(a) => *a.expr,
        other => other,
    };
    match inner {
        Expr::AggregateFunction(mut f) => {
            f.params.args = f.params.args.into_iter().map(|a| when(condition.clone(), a)).collect();
            Ok(Expr::AggregateFunction(f))
        }
        other => Err(DriverError::Analysis(format!("pivot needs aggregate expressions, got {}", ember_sql::spark_name(&other)))),
    }
}
