//! Spark's arithmetic of ANSI intervals with dates, timestamps and numbers, which DataFusion
//! either refuses (`INTERVAL '3' HOUR * 2`) or answers with other types (`DATE + INTERVAL 36
//! HOURS` stays a date) and other names:
//!
//! - `date ± INTERVAL n DAY` (an `interval day`) is `date_add(d, extractansiintervaldays(i))`
//!   (negated for `-`): a date, named so.
//! - `date ± day-time interval` is a timestamp: the date is read as its midnight.
//! - `datetime ± interval` (either order for `+`) keeps the datetime's type and is named
//!   `d + INTERVAL '1' MONTH`, datetime first, without parentheses.
//! - `interval * n`, `n * interval` and `interval / n` scale the interval, rounding half up
//!   to whole months or microseconds; the result is an `interval year to month` or `interval
//!   day to second`, named `(INTERVAL '03' HOUR * 2)`. Dividing by zero is Spark's
//!   `INTERVAL_DIVIDED_BY_ZERO`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Datum, IntervalMonthDayNanoArray, PrimitiveArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, Field, FieldRef, Float64Type, Int32Type, Int64Type, IntervalMonthDayNano, IntervalUnit,
};
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, Operator, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::interval_literal::SPARK_TYPE;

/// `interval * number` (the interval first, as Spark names it).
pub const MULTIPLY: &str = "__ember_interval_multiply";
/// `interval / number`.
pub const DIVIDE: &str = "__ember_interval_divide";
/// `datetime + interval`.
pub const DATETIME_PLUS: &str = "__ember_datetime_plus_interval";
/// `datetime - interval`.
pub const DATETIME_MINUS: &str = "__ember_datetime_minus_interval";
/// The days of an `interval day`, which Spark names `extractansiintervaldays`.
pub const INTERVAL_DAYS: &str = "__ember_interval_days";

const MICROS_PER_DAY: i128 = 86_400_000_000;

const DIVIDED_BY_ZERO: &str = "[INTERVAL_DIVIDED_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return \
                               NULL instead. SQLSTATE: 22012";

/// The kinds of Spark's ANSI intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    YearMonth,
    /// `interval day`: a whole number of days.
    Day,
    DayTime,
}

/// The kind of an interval-typed operand: from the Spark type its field records, else from a
/// constant's value; `None` when the operand is no interval or its kind is not known.
fn kind(e: &Expr, schema: &DFSchema) -> Option<Kind> {
    let (_, field) = e.to_field(schema).ok()?;
    if field.data_type() != &DataType::Interval(IntervalUnit::MonthDayNano) {
        return None;
    }
    match field.metadata().get(SPARK_TYPE).map(String::as_str) {
        Some("interval day") => Some(Kind::Day),
        Some(t) if t.starts_with("interval year") || t.starts_with("interval month") => Some(Kind::YearMonth),
        Some(_) => Some(Kind::DayTime),
        // Without a recorded type only a constant tells; anything else is left to DataFusion.
        None => match e {
            Expr::Literal(ScalarValue::IntervalMonthDayNano(Some(v)), _) if v.months != 0 && v.days == 0 && v.nanoseconds == 0 => {
                Some(Kind::YearMonth)
            }
            Expr::Literal(ScalarValue::IntervalMonthDayNano(Some(_)), _) => Some(Kind::DayTime),
            _ => None,
        },
    }
}

fn is_datetime(t: &DataType) -> bool {
    matches!(t, DataType::Date32 | DataType::Timestamp(_, _))
}

fn call(udf: &Arc<ScalarUDF>, args: Vec<Expr>) -> Expr {
    Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(udf), args))
}

/// `left op right` with Spark's meaning where one side is an interval; `None` where no rule
/// of this module applies.
pub fn plan(left: &Expr, op: Operator, right: &Expr, schema: &DFSchema) -> Option<Expr> {
    let (lt, rt) = (left.get_type(schema).ok()?, right.get_type(schema).ok()?);
    let (lk, rk) = (kind(left, schema), kind(right, schema));
    // A NULL scales an interval to NULL.
    let number = |t: &DataType| t.is_numeric() || *t == DataType::Null;
    match (op, lk, rk) {
        (Operator::Plus | Operator::Minus, None, Some(k)) if is_datetime(&lt) => Some(shift(left, &lt, op, right, k)),
        (Operator::Plus, Some(k), None) if is_datetime(&rt) => Some(shift(right, &rt, op, left, k)),
        (Operator::Multiply, Some(_), None) if number(&rt) => Some(call(&UDFS.multiply, vec![left.clone(), right.clone()])),
        (Operator::Multiply, None, Some(_)) if number(&lt) => Some(call(&UDFS.multiply, vec![right.clone(), left.clone()])),
        (Operator::Divide, Some(_), None) if number(&rt) => Some(call(&UDFS.divide, vec![left.clone(), right.clone()])),
        _ => None,
    }
}

/// `datetime ± interval`.
fn shift(datetime: &Expr, t: &DataType, op: Operator, interval: &Expr, kind: Kind) -> Expr {
    if *t == DataType::Date32 && kind == Kind::Day {
        let days = call(&UDFS.days, vec![interval.clone()]);
        let days = if op == Operator::Minus { call(&crate::checked_arithmetic::unary_minus(), vec![days]) } else { days };
        return call(&crate::date_shift::date_add(), vec![datetime.clone(), days]);
    }
    let datetime = if *t == DataType::Date32 && kind == Kind::DayTime {
        crate::analyzer::coercion::implicit_cast(datetime.clone(), crate::types::timestamp_type())
    } else {
        datetime.clone()
    };
    let udf = if op == Operator::Minus { &UDFS.minus } else { &UDFS.plus };
    call(udf, vec![datetime, interval.clone()])
}

struct Udfs {
    multiply: Arc<ScalarUDF>,
    divide: Arc<ScalarUDF>,
    plus: Arc<ScalarUDF>,
    minus: Arc<ScalarUDF>,
    days: Arc<ScalarUDF>,
}

static UDFS: LazyLock<Udfs> = LazyLock::new(|| {
    let scale = |name, divide| Arc::new(ScalarUDF::new_from_impl(Scale { name, divide, signature: signature(2) }));
    let shift = |name, minus| Arc::new(ScalarUDF::new_from_impl(Shift { name, minus, signature: signature(2) }));
    Udfs {
        multiply: scale(MULTIPLY, false),
        divide: scale(DIVIDE, true),
        plus: shift(DATETIME_PLUS, false),
        minus: shift(DATETIME_MINUS, true),
        days: Arc::new(ScalarUDF::new_from_impl(Days { signature: signature(1) })),
    }
});

fn signature(arity: usize) -> Signature {
    Signature::any(arity, Volatility::Immutable)
}

/// This module's functions, which plans and executors find by name (operators in Spark, so
/// not in the function catalog).
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::clone(&UDFS.multiply), Arc::clone(&UDFS.divide), Arc::clone(&UDFS.plus), Arc::clone(&UDFS.minus), Arc::clone(&UDFS.days)]
}

/// `interval * n` or `interval / n`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Scale {
    name: &'static str,
    divide: bool,
    signature: Signature,
}

impl ScalarUDFImpl for Scale {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }

    /// Spark's result types: `interval year to month` or `interval day to second`.
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let field = Field::new(self.name, DataType::Interval(IntervalUnit::MonthDayNano), true);
        let spark = args.arg_fields.first().and_then(|f| f.metadata().get(SPARK_TYPE));
        let result = match spark {
            Some(t) if t.starts_with("interval year") || t.starts_with("interval month") => "interval year to month",
            _ => "interval day to second",
        };
        Ok(Arc::new(field.with_metadata(HashMap::from([(SPARK_TYPE.to_string(), result.to_string())]))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = crate::columnar::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [interval, factor] = arrays.as_slice() else {
            return exec_err!("{} takes an interval and a number", self.name);
        };
        let Some(intervals) = interval.as_primitive_opt::<datafusion::arrow::datatypes::IntervalMonthDayNanoType>() else {
            return exec_err!("{} takes an interval, not {}", self.name, interval.data_type());
        };
        let factors = Factor::of(factor)?;
        // A NULL literal's array has no null buffer: its logical nulls tell.
        let missing = factor.logical_nulls();
        let mut out = Vec::with_capacity(intervals.len());
        for i in 0..intervals.len() {
            if intervals.is_null(i) || missing.as_ref().is_some_and(|n| n.is_null(i)) {
                out.push(None);
                continue;
            }
            let v = intervals.value(i);
            let f = factors.at(i);
            let months = f.apply(i128::from(v.months), self.divide)?;
            let micros = f.apply(i128::from(v.days) * MICROS_PER_DAY + i128::from(v.nanoseconds / 1_000), self.divide)?;
            out.push(Some(interval_of(months, micros)?));
        }
        let result: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(out));
        crate::columnar::answer(result, scalar)
    }
}

/// Spark's error for an interval out of its type's range (months in an int, microseconds in a
/// long).
fn overflow() -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution("[ARITHMETIC_OVERFLOW] integer overflow. SQLSTATE: 22003".into())
}

/// The interval of `months` and `micros` (days and the rest of a day).
fn interval_of(months: i128, micros: i128) -> Result<IntervalMonthDayNano> {
    let months = i32::try_from(months).map_err(|_| overflow())?;
    i64::try_from(micros).map_err(|_| overflow())?;
    let days = i32::try_from(micros / MICROS_PER_DAY).map_err(|_| overflow())?;
    let nanos = i64::try_from((micros % MICROS_PER_DAY) * 1_000).map_err(|_| overflow())?;
    Ok(IntervalMonthDayNano::new(months, days, nanos))
}

/// The numbers an interval is scaled by, in the arithmetic Spark uses for their type.
enum Factor {
    Integer(PrimitiveArray<Int64Type>),
    Decimal(PrimitiveArray<Decimal128Type>, i8),
    Double(PrimitiveArray<Float64Type>),
}

/// One number of a [`Factor`].
enum Value {
    Integer(i128),
    /// An unscaled decimal and its scale.
    Decimal(i128, u32),
    Double(f64),
}

impl Factor {
    fn of(a: &ArrayRef) -> Result<Factor> {
        Ok(match a.data_type() {
            t if t.is_integer() => Factor::Integer(cast(a, &DataType::Int64)?.as_primitive::<Int64Type>().clone()),
            DataType::Decimal128(_, s) => Factor::Decimal(a.as_primitive::<Decimal128Type>().clone(), *s),
            t if t.is_numeric() => Factor::Double(cast(a, &DataType::Float64)?.as_primitive::<Float64Type>().clone()),
            DataType::Null => Factor::Integer(PrimitiveArray::<Int64Type>::new_null(a.len())),
            other => return plan_err!("an interval is scaled by a number, not {other}"),
        })
    }

    fn at(&self, i: usize) -> Value {
        match self {
            Factor::Integer(a) => Value::Integer(i128::from(a.value(i))),
            Factor::Decimal(a, s) => Value::Decimal(a.value(i), u32::try_from(*s).unwrap_or(0)),
            Factor::Double(a) => Value::Double(a.value(i)),
        }
    }
}

impl Value {
    /// `x * self` or `x / self`, rounded half up (away from zero) to a whole number.
    fn apply(&self, x: i128, divide: bool) -> Result<i128> {
        match *self {
            Value::Integer(n) if divide => match n {
                0 => exec_err!("{DIVIDED_BY_ZERO}"),
                n => Ok(divide_half_up(x, n)),
            },
            Value::Integer(n) => x.checked_mul(n).ok_or_else(overflow),
            Value::Decimal(unscaled, scale) => {
                let ten = 10i128.checked_pow(scale).ok_or_else(overflow)?;
                if divide {
                    if unscaled == 0 {
                        return exec_err!("{DIVIDED_BY_ZERO}");
                    }
                    Ok(divide_half_up(x.checked_mul(ten).ok_or_else(overflow)?, unscaled))
                } else {
                    Ok(divide_half_up(x.checked_mul(unscaled).ok_or_else(overflow)?, ten))
                }
            }
            Value::Double(d) => {
                if divide && d == 0.0 {
                    return exec_err!("{DIVIDED_BY_ZERO}");
                }
                #[allow(clippy::cast_precision_loss)]
                let r = if divide { x as f64 / d } else { x as f64 * d };
                if !r.is_finite() || r.abs() >= 1.7e38 {
                    return Err(overflow());
                }
                #[allow(clippy::cast_possible_truncation)]
                Ok(r.round() as i128)
            }
        }
    }
}

/// `a / b` rounded half away from zero.
fn divide_half_up(a: i128, b: i128) -> i128 {
    let (q, r) = (a / b, a % b);
    if 2 * r.abs() >= b.abs() { q + if (a < 0) == (b < 0) { 1 } else { -1 } } else { q }
}

/// `datetime ± interval`, in the datetime's type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Shift {
    name: &'static str,
    minus: bool,
    signature: Signature,
}

impl ScalarUDFImpl for Shift {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(t) => Ok(t.clone()),
            None => plan_err!("{} takes a date or timestamp and an interval", self.name),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [datetime, interval] = args.args.as_slice() else {
            return exec_err!("{} takes a date or timestamp and an interval", self.name);
        };
        let (datetime, interval) = (datum(datetime)?, datum(interval)?);
        let result = if self.minus {
            numeric::sub(datetime.as_ref(), interval.as_ref())?
        } else {
            numeric::add(datetime.as_ref(), interval.as_ref())?
        };
        let scalar = crate::columnar::all_scalar(&args.args);
        crate::columnar::answer(result, scalar)
    }
}

/// A value as arrow's kernels take it.
fn datum(v: &ColumnarValue) -> Result<Box<dyn Datum>> {
    Ok(match v {
        ColumnarValue::Array(a) => Box::new(Arc::clone(a)),
        ColumnarValue::Scalar(s) => Box::new(s.to_scalar()?),
    })
}

/// The days of an `interval day`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Days {
    signature: Signature,
}

impl ScalarUDFImpl for Days {
    fn name(&self) -> &str {
        INTERVAL_DAYS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = crate::columnar::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(interval) = arrays.first() else {
            return exec_err!("{INTERVAL_DAYS} takes an interval");
        };
        let Some(intervals) = interval.as_primitive_opt::<datafusion::arrow::datatypes::IntervalMonthDayNanoType>() else {
            return exec_err!("{INTERVAL_DAYS} takes an interval, not {}", interval.data_type());
        };
        let days: PrimitiveArray<Int32Type> = intervals.iter().map(|v| v.map(|v| v.days)).collect();
        crate::columnar::answer(Arc::new(days), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_rounds_half_up() {
        assert_eq!(Value::Integer(4).apply(24, true).ok(), Some(6));
        assert_eq!(Value::Integer(5).apply(12, true).ok(), Some(2));
        assert_eq!(Value::Decimal(15, 1).apply(1, false).ok(), Some(2));
        assert_eq!(Value::Decimal(149, 2).apply(1, false).ok(), Some(1));
        assert_eq!(Value::Integer(3).apply(-5, true).ok(), Some(-2));
        assert_eq!(Value::Double(2.5).apply(3 * 3_600_000_000, false).ok(), Some(27_000_000_000));
        assert!(Value::Integer(0).apply(1, true).is_err());
    }
}
