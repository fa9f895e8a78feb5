//! Spark's implicit casts for operators, in ANSI mode (Spark 4's default), for SQL text
//! (through [`SparkExprPlanner`], while DataFusion plans the statement) and for DataFrame
//! `Column`s (through [`coerce_expr`], when a DataFrame resolves them) alike.
//!
//! DataFusion refuses `'1' + 1` and compares `'10' > 9` as strings; Spark casts the string to
//! the numeric side's type: `bigint` against an integral type, `double` against a fractional
//! one (`'1' + 1` is the bigint 2, `'1' + 1.5` the double 2.5, `'1.0' = 1` fails to cast).
//! A string against a date or timestamp in a comparison is read as one. `date + n` and
//! `date - n` are Spark's `date_add`/`date_sub`, and Spark names them so.
//!
//! The casts are marked implicit ([`implicit_cast`]) so output names leave them out, as
//! Spark's do: `'1' + 1` is named `(1 + 1)`.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue, plan_err};
use datafusion::logical_expr::expr::{Cast, ScalarFunction};
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr, RawFieldAccessExpr};
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, GetFieldAccess, Operator};
use datafusion::sql::sqlparser::ast::BinaryOperator;

/// Field metadata that marks a cast Spark would insert without the user writing it.
const IMPLICIT: &str = "ember.implicit_cast";

/// A cast Spark inserts by itself: it does not appear in output names.
pub fn implicit_cast(e: Expr, to: DataType) -> Expr {
    let field = Field::new("", to, true).with_metadata(HashMap::from([(IMPLICIT.to_string(), "true".to_string())]));
    Expr::Cast(Cast::new_from_field(Box::new(e), Arc::new(field)))
}

/// Whether a cast was inserted by [`implicit_cast`].
pub fn is_implicit(cast: &Cast) -> bool {
    cast.field.metadata().contains_key(IMPLICIT)
}

/// Applies Spark's implicit casts to every operator of an expression (a DataFrame `Column`).
pub fn coerce_expr(expr: Expr, schema: &DFSchema) -> Result<Expr> {
    Ok(expr
        .transform_up(|e| match e {
            // `try_add(a, b)`, `assert_true(c)`: completed as SQL text's are.
            Expr::ScalarFunction(f) if f.func.name() != crate::extract_value::ITEM => match crate::semantics::complete_call(f, schema)? {
                Ok(done) => Ok(Transformed::yes(done)),
                Err(f) => Ok(Transformed::no(Expr::ScalarFunction(f))),
            },
            Expr::BinaryExpr(BinaryExpr { left, op, right }) => match coerce_binary(*left, op, *right, schema)? {
                Coerced::Changed(e) => Ok(Transformed::yes(e)),
                Coerced::Same(l, op, r) => Ok(Transformed::no(Expr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r))))),
            },
            Expr::Cast(c)
                if !is_implicit(&c)
                    && let Some(checked) = crate::cast_overflow::checked(&c, schema) =>
            {
                Ok(Transformed::yes(checked))
            }
            // `Column.getItem("f")` on a struct reads the field, as Spark's `s['f']` does.
            Expr::ScalarFunction(f) if f.func.name() == crate::extract_value::ITEM => match f.args.as_slice() {
                [s, Expr::Literal(ScalarValue::Utf8(Some(name)), _)] if matches!(s.get_type(schema), Ok(DataType::Struct(_))) => {
                    Ok(Transformed::yes(datafusion::functions::core::expr_fn::get_field(s.clone(), name.as_str())))
                }
                _ => Ok(Transformed::no(Expr::ScalarFunction(f))),
            },
            other => Ok(Transformed::no(other)),
        })?
        .data)
}

/// The outcome of [`coerce_binary`]: a rewritten expression, or the operands back untouched.
pub enum Coerced {
    Changed(Expr),
    Same(Expr, Operator, Expr),
}

/// Spark's implicit casts for one binary operator.
pub fn coerce_binary(left: Expr, op: Operator, right: Expr, schema: &DFSchema) -> Result<Coerced> {
    let (Ok(lt), Ok(rt)) = (left.get_type(schema), right.get_type(schema)) else {
        return Ok(Coerced::Same(left, op, right));
    };
    let arithmetic = matches!(op, Operator::Plus | Operator::Minus | Operator::Multiply | Operator::Divide | Operator::Modulo);
    let comparison = matches!(
        op,
        Operator::Eq
            | Operator::NotEq
            | Operator::Lt
            | Operator::LtEq
            | Operator::Gt
            | Operator::GtEq
            | Operator::IsDistinctFrom
            | Operator::IsNotDistinctFrom
    );
    if arithmetic && is_string(&lt) && is_string(&rt) {
        let shown = crate::spark_name(&Expr::BinaryExpr(BinaryExpr::new(Box::new(left), op, Box::new(right))));
        return plan_err!(
            "[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve \"{shown}\" due to data type mismatch: the binary operator \
             requires the input type {}, not \"STRING\". SQLSTATE: 42K09",
            required_input(op)
        );
    }
    if comparison && (incomparable(&lt, &rt) || incomparable(&rt, &lt)) {
        let (left_type, right_type) = (shown_type(&left, &lt), shown_type(&right, &rt));
        let shown = crate::spark_name(&Expr::BinaryExpr(BinaryExpr::new(Box::new(left), op, Box::new(right))));
        return plan_err!(
            "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"{shown}\" due to data type mismatch: the left and right \
             operands of the binary operator have incompatible types (\"{left_type}\" and \"{right_type}\"). SQLSTATE: 42K09"
        );
    }
    if let Some(e) = crate::interval_sum::plan(&left, op, &right, schema)? {
        return Ok(Coerced::Changed(e));
    }
    if let Some(e) = crate::interval_arithmetic::plan(&left, op, &right, schema) {
        return Ok(Coerced::Changed(e));
    }
    if matches!(op, Operator::Plus | Operator::Minus) && is_date(&lt) && rt.is_integer() {
        return Ok(Coerced::Changed(date_shift(op, left, right)));
    }
    if op == Operator::Minus && is_date(&lt) && is_date(&rt) {
        return Ok(Coerced::Changed(crate::date_interval::subtract_dates(left, right)));
    }
    if op == Operator::Plus && lt.is_integer() && is_date(&rt) {
        return Ok(Coerced::Changed(date_shift(op, right, left)));
    }
    if !(arithmetic || comparison) {
        return Ok(Coerced::Same(left, op, right));
    }
    let Some(target) = string_target(&lt, &rt, comparison).or_else(|| string_target(&rt, &lt, comparison)) else {
        return Ok(match crate::checked_arithmetic::checked(&left, op, &right, schema) {
            Some(e) => Coerced::Changed(e),
            None => Coerced::Same(left, op, right),
        });
    };
    let cast = |e: Expr, t: &DataType| if t == &target { e } else { implicit_cast(e, target.clone()) };
    let (left, right) = (cast(left, &lt), cast(right, &rt));
    Ok(Coerced::Changed(
        crate::checked_arithmetic::checked(&left, op, &right, schema)
            .unwrap_or_else(|| Expr::BinaryExpr(BinaryExpr::new(Box::new(left), op, Box::new(right)))),
    ))
}

/// The type both sides take when `string` is a string and `other` is not: `bigint` against an
/// integral type, `double` against a fractional one, the date, timestamp or boolean type in comparisons.
fn string_target(string: &DataType, other: &DataType, comparison: bool) -> Option<DataType> {
    if !is_string(string) {
        return None;
    }
    if other.is_integer() {
        return Some(DataType::Int64);
    }
    if other.is_floating() || matches!(other, DataType::Decimal128(..) | DataType::Decimal256(..)) {
        return Some(DataType::Float64);
    }
    if comparison && (is_date(other) || matches!(other, DataType::Timestamp(..) | DataType::Boolean)) {
        return Some(other.clone());
    }
    None
}

/// What Spark's message says an arithmetic operator takes.
fn required_input(op: Operator) -> &'static str {
    match op {
        Operator::Plus | Operator::Minus => "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\")",
        Operator::Divide => "(\"DOUBLE\" or \"DECIMAL\")",
        _ => "\"NUMERIC\"",
    }
}

/// `date + n` / `date - n` as Spark plans them: `date_add(date, n)` / `date_sub(date, n)`.
fn date_shift(op: Operator, date: Expr, days: Expr) -> Expr {
    let f = if op == Operator::Plus { crate::date_shift::date_add() } else { crate::date_shift::date_sub() };
    Expr::ScalarFunction(ScalarFunction::new_udf(f, vec![date, days]))
}

/// Spark's type of an operand in messages: an integer literal that fits is an `INT` (it is a
/// `bigint` while DataFusion plans the statement; Ember narrows it afterwards).
fn shown_type(e: &Expr, t: &DataType) -> String {
    match e {
        Expr::Literal(ScalarValue::Int64(Some(v)), _) if i32::try_from(*v).is_ok() => "INT".into(),
        _ => crate::types::sql_type(t),
    }
}

/// Types Spark refuses to compare: a number with a date or timestamp, and an array, struct or
/// map with anything but its own kind (`array = 2`), where DataFusion's message would be its own.
fn incomparable(a: &DataType, b: &DataType) -> bool {
    let number = a.is_integer() || a.is_floating() || matches!(a, DataType::Decimal128(..) | DataType::Decimal256(..));
    let kind = |t: &DataType| match t {
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) | DataType::ListView(_) | DataType::LargeListView(_) => {
            Some("array")
        }
        DataType::Struct(_) => Some("struct"),
        DataType::Map(..) => Some("map"),
        _ => None,
    };
    let nested_mismatch = kind(a).is_some() && kind(a) != kind(b) && !matches!(b, DataType::Null);
    number && (is_date(b) || matches!(b, DataType::Timestamp(..))) || nested_mismatch
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_date(t: &DataType) -> bool {
    matches!(t, DataType::Date32 | DataType::Date64)
}

/// Plans SQL's binary operators with Spark's implicit casts (see the module comment).
#[derive(Debug, Default)]
pub struct SparkExprPlanner;

impl ExprPlanner for SparkExprPlanner {
    fn plan_binary_op(&self, expr: RawBinaryExpr, schema: &DFSchema) -> Result<PlannerResult<RawBinaryExpr>> {
        let Some(op) = operator(&expr.op) else {
            return Ok(PlannerResult::Original(expr));
        };
        let sql_op = expr.op;
        match coerce_binary(expr.left, op, expr.right, schema)? {
            Coerced::Changed(e) => Ok(PlannerResult::Planned(e)),
            Coerced::Same(left, _, right) => Ok(PlannerResult::Original(RawBinaryExpr { op: sql_op, left, right })),
        }
    }

    /// Spark's `a[i]` counts from 0 and fails outside the array, and `m[k]` looks any key up
    /// ([`crate::extract_value`]); DataFusion's list index counts from 1 and its map lookup
    /// takes literal keys only. Struct fields stay DataFusion's.
    fn plan_field_access(&self, expr: RawFieldAccessExpr, schema: &DFSchema) -> Result<PlannerResult<RawFieldAccessExpr>> {
        let RawFieldAccessExpr { field_access, expr } = expr;
        match field_access {
            GetFieldAccess::ListIndex { key } if is_container(expr.get_type(schema).ok().as_ref()) => {
                Ok(PlannerResult::Planned(item(expr, *key)))
            }
            // DataFusion reads `m['k']` as a field name; on a map it is Spark's key lookup.
            GetFieldAccess::NamedStructField { name } if matches!(expr.get_type(schema), Ok(DataType::Map(..))) => {
                Ok(PlannerResult::Planned(item(expr, Expr::Literal(name, None))))
            }
            field_access => Ok(PlannerResult::Original(RawFieldAccessExpr { field_access, expr })),
        }
    }

    fn plan_struct_literal(&self, args: Vec<Expr>, is_named_struct: bool) -> Result<PlannerResult<Vec<Expr>>> {
        if is_named_struct {
            return Ok(PlannerResult::Original(args));
        }
        Ok(PlannerResult::Planned(Self::struct_call(args)))
    }
}

impl SparkExprPlanner {
    /// Spark's `struct(...)` names its fields as Spark does ([`crate::spark_struct`]).
    fn struct_call(args: Vec<Expr>) -> Expr {
        Expr::ScalarFunction(ScalarFunction::new_udf(crate::spark_struct::spark_struct(), args))
    }
}

/// Spark's `container[key]`.
fn item(container: Expr, key: Expr) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(crate::extract_value::item(), vec![container, key]))
}

/// Whether `[]` on a value of type `t` is Spark's array or map lookup (not a struct's field).
fn is_container(t: Option<&DataType>) -> bool {
    matches!(t, Some(DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) | DataType::Map(..) | DataType::Null))
}

/// The operators whose operands Spark coerces.
fn operator(op: &BinaryOperator) -> Option<Operator> {
    Some(match op {
        BinaryOperator::Plus => Operator::Plus,
        BinaryOperator::Minus => Operator::Minus,
        BinaryOperator::Multiply => Operator::Multiply,
        BinaryOperator::Divide => Operator::Divide,
        BinaryOperator::Modulo => Operator::Modulo,
        BinaryOperator::Eq => Operator::Eq,
        BinaryOperator::NotEq => Operator::NotEq,
        BinaryOperator::Lt => Operator::Lt,
        BinaryOperator::LtEq => Operator::LtEq,
        BinaryOperator::Gt => Operator::Gt,
        BinaryOperator::GtEq => Operator::GtEq,
        BinaryOperator::Spaceship => Operator::IsNotDistinctFrom,
        _ => return None,
    })
}
