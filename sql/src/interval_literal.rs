//! Spark's ANSI interval literals: `INTERVAL '02' HOUR`, `INTERVAL 3 MONTHS`, `INTERVAL 1 DAY
//! 2 HOURS`, `INTERVAL '1 2:03:04' DAY TO SECOND`, `INTERVAL '1-2' YEAR TO MONTH`.
//!
//! Each has a type of its own in Spark (`interval hour`, `interval day to hour`, `interval
//! year to month`, ...), from the units written, and a name that is its value written under
//! that type (`INTERVAL 1 DAY 2 HOURS` is `INTERVAL '1 02' DAY TO HOUR`). Ember keeps the value
//! as DataFusion's month-day-nanosecond interval, so arithmetic is DataFusion's; the literal is
//! a call of [`INTERVAL_LITERAL`] with its name and Spark type, which the planner folds into
//! the constant and which carries the type in its field's metadata (`typeof` answers it).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef, IntervalMonthDayNano, IntervalUnit};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The function a parsed interval literal is a call of: `(name, spark type, months, days,
/// nanoseconds)`.
pub const INTERVAL_LITERAL: &str = "spark_interval_literal";

/// The field metadata key holding a value's Spark type where Arrow's type cannot tell it.
pub const SPARK_TYPE: &str = "spark.type";

/// The units of Spark's interval fields, in the order of their significance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

impl Unit {
    /// A unit as written after a value (`DAYS`, `hour`), with the months or microseconds one
    /// of it is (`WEEK` is seven days, milli- and microseconds count as seconds).
    pub fn parse(word: &str) -> Option<(Unit, i128)> {
        let w = word.to_ascii_uppercase();
        let w = w.strip_suffix('S').unwrap_or(&w);
        Some(match w {
            "YEAR" => (Unit::Year, 12),
            "MONTH" => (Unit::Month, 1),
            "WEEK" => (Unit::Day, 7 * Unit::Day.micros()),
            "DAY" => (Unit::Day, Unit::Day.micros()),
            "HOUR" => (Unit::Hour, Unit::Hour.micros()),
            "MINUTE" => (Unit::Minute, Unit::Minute.micros()),
            "SECOND" => (Unit::Second, Unit::Second.micros()),
            "MILLISECOND" => (Unit::Second, 1_000),
            "MICROSECOND" => (Unit::Second, 1),
            _ => return None,
        })
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            Unit::Year => "YEAR",
            Unit::Month => "MONTH",
            Unit::Day => "DAY",
            Unit::Hour => "HOUR",
            Unit::Minute => "MINUTE",
            Unit::Second => "SECOND",
        }
    }

    pub(crate) fn is_year_month(self) -> bool {
        matches!(self, Unit::Year | Unit::Month)
    }

    /// Microseconds in one of this (day-time) unit.
    pub(crate) fn micros(self) -> i128 {
        match self {
            Unit::Day => 86_400_000_000,
            Unit::Hour => 3_600_000_000,
            Unit::Minute => 60_000_000,
            _ => 1_000_000,
        }
    }
}

/// An ANSI interval: its fields and its value, in months or microseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub start: Unit,
    pub end: Unit,
    /// Months for year-month intervals, microseconds for day-time ones.
    pub amount: i128,
}

impl Interval {
    /// Spark's type name: `interval day`, `interval day to hour`, `interval year to month`.
    pub fn type_name(&self) -> String {
        if self.start == self.end {
            format!("interval {}", self.start.word().to_ascii_lowercase())
        } else {
            format!("interval {} to {}", self.start.word().to_ascii_lowercase(), self.end.word().to_ascii_lowercase())
        }
    }

    /// Spark's name of the literal: `INTERVAL '1 02' DAY TO HOUR`.
    pub fn name(&self) -> String {
        let fields =
            if self.start == self.end { self.start.word().to_string() } else { format!("{} TO {}", self.start.word(), self.end.word()) };
        format!("INTERVAL '{}' {fields}", self.text())
    }

    /// The value written in the layout of its fields.
    fn text(&self) -> String {
        let sign = if self.amount < 0 { "-" } else { "" };
        let a = self.amount.unsigned_abs();
        if self.start.is_year_month() {
            return match (self.start, self.end) {
                (Unit::Year, Unit::Month) => format!("{sign}{}-{}", a / 12, a % 12),
                (Unit::Year, _) => format!("{sign}{}", a / 12),
                _ => format!("{sign}{a}"),
            };
        }
        let mut out = String::from(sign);
        let mut rest = a;
        for unit in [Unit::Day, Unit::Hour, Unit::Minute, Unit::Second] {
            if unit < self.start || unit > self.end {
                continue;
            }
            let per = unit.micros().unsigned_abs();
            let lead = unit == self.start;
            let separator = match unit {
                _ if lead => "",
                Unit::Hour => " ",
                _ => ":",
            };
            out.push_str(separator);
            if unit == Unit::Second {
                let whole = rest / per;
                let micros = rest % per;
                out.push_str(&format!("{whole:02}"));
                if micros > 0 {
                    let frac = format!("{micros:06}");
                    out.push('.');
                    out.push_str(frac.trim_end_matches('0'));
                }
                rest = 0;
            } else {
                let value = rest / per;
                rest -= value * per;
                if lead && unit == Unit::Day {
                    out.push_str(&value.to_string());
                } else {
                    out.push_str(&format!("{value:02}"));
                }
            }
        }
        out
    }

    /// The interval of Spark type `type_name` (`interval year`, `interval day to second`, as
    /// fields record it in [`SPARK_TYPE`]) whose value Ember computes with is `value`.
    pub fn of_type(type_name: &str, value: IntervalMonthDayNano) -> Option<Interval> {
        let words: Vec<&str> = type_name.split_whitespace().collect();
        let (start, end) = match words.as_slice() {
            ["interval", unit] => (*unit, *unit),
            ["interval", start, "to", end] => (*start, *end),
            _ => return None,
        };
        let (start, end) = (Unit::parse(start)?.0, Unit::parse(end)?.0);
        let amount = if start.is_year_month() {
            i128::from(value.months)
        } else {
            i128::from(value.days) * Unit::Day.micros() + i128::from(value.nanoseconds) / 1000
        };
        Some(Interval { start, end, amount })
    }

    /// The month-day-nanosecond value Ember computes with.
    pub fn value(&self) -> IntervalMonthDayNano {
        if self.start.is_year_month() {
            return IntervalMonthDayNano { months: i32::try_from(self.amount).unwrap_or(i32::MAX), days: 0, nanoseconds: 0 };
        }
        let day = Unit::Day.micros();
        let (days, micros) = if self.start == Unit::Day { (self.amount / day, self.amount % day) } else { (0, self.amount) };
        IntervalMonthDayNano {
            months: 0,
            days: i32::try_from(days).unwrap_or(i32::MAX),
            nanoseconds: micros.checked_mul(1000).and_then(|n| i64::try_from(n).ok()).unwrap_or(i64::MAX),
        }
    }
}

/// A parsed literal as the SQL interval DataFusion reads (`INTERVAL '0 months 7 days 0
/// nanoseconds'`), for the places that take only a literal: window frame offsets.
pub fn as_sql_interval(e: &datafusion::sql::sqlparser::ast::Expr) -> Option<datafusion::sql::sqlparser::ast::Expr> {
    use datafusion::sql::sqlparser::ast::{self, FunctionArg, FunctionArgExpr, FunctionArguments, Value};
    let ast::Expr::Function(f) = e else { return None };
    if f.name.to_string() != INTERVAL_LITERAL {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else { return None };
    let numbers: Vec<&str> = list
        .args
        .iter()
        .skip(2)
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(ast::Expr::Value(v))) => match &v.value {
                Value::Number(n, _) => Some(n.as_str()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let [months, days, nanos] = numbers.as_slice() else { return None };
    Some(ast::Expr::Interval(ast::Interval {
        value: Box::new(ast::Expr::value(Value::SingleQuotedString(format!("{months} months {days} days {nanos} nanoseconds")))),
        leading_field: None,
        leading_precision: None,
        last_field: None,
        fractional_seconds_precision: None,
    }))
}

/// The function [`INTERVAL_LITERAL`].
pub fn interval_literal() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(IntervalLiteral { signature: Signature::any(5, Volatility::Immutable) }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct IntervalLiteral {
    signature: Signature,
}

fn int_arg(v: Option<&ScalarValue>) -> Option<i64> {
    match v? {
        ScalarValue::Int64(Some(v)) => Some(*v),
        ScalarValue::Int32(Some(v)) => Some(i64::from(*v)),
        _ => None,
    }
}

fn string_arg(v: Option<&ScalarValue>) -> Option<&str> {
    match v? {
        ScalarValue::Utf8(Some(s)) => Some(s),
        _ => None,
    }
}

impl ScalarUDFImpl for IntervalLiteral {
    fn name(&self) -> &str {
        INTERVAL_LITERAL
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let type_name = string_arg(args.scalar_arguments.get(1).copied().flatten()).unwrap_or("interval day to second");
        let field = Field::new(INTERVAL_LITERAL, DataType::Interval(IntervalUnit::MonthDayNano), false);
        Ok(Arc::new(field.with_metadata([(SPARK_TYPE.to_string(), type_name.to_string())].into())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = |i: usize| match args.args.get(i) {
            Some(ColumnarValue::Scalar(s)) => Some(s),
            _ => None,
        };
        let (Some(months), Some(days), Some(nanos)) = (int_arg(scalar(2)), int_arg(scalar(3)), int_arg(scalar(4))) else {
            return exec_err!("{INTERVAL_LITERAL} takes constant months, days and nanoseconds");
        };
        let value = IntervalMonthDayNano {
            months: i32::try_from(months).unwrap_or(i32::MAX),
            days: i32::try_from(days).unwrap_or(i32::MAX),
            nanoseconds: nanos,
        };
        Ok(ColumnarValue::Scalar(ScalarValue::IntervalMonthDayNano(Some(value))))
    }
}
