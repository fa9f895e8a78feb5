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
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
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

    fn word(self) -> &'static str {
        match self {
            Unit::Year => "YEAR",
            Unit::Month => "MONTH",
            Unit::Day => "DAY",
            Unit::Hour => "HOUR",
            Unit::Minute => "MINUTE",
            Unit::Second => "SECOND",
        }
    }

    fn is_year_month(self) -> bool {
        matches!(self, Unit::Year | Unit::Month)
    }

    /// Microseconds in one of this (day-time) unit.
    fn micros(self) -> i128 {
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

fn parse_error(text: &str) -> datafusion::common::DataFusionError {
    datafusion::common::DataFusionError::Plan(format!(
        "[INVALID_INTERVAL_FORMAT] Cannot parse the interval literal '{text}'. SQLSTATE: 22006"
    ))
}

/// A signed decimal number of units of `unit_micros` each (`'1.5'` seconds is 1500000).
fn scaled(number: &str, unit_micros: i128) -> Option<i128> {
    let (neg, digits) = match number.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.trim().strip_prefix('+').unwrap_or(number.trim())),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty() || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut value = whole.checked_mul(unit_micros)?;
    if !frac.is_empty() {
        let frac_digits = &frac[..frac.len().min(9)];
        let f: i128 = frac_digits.parse().ok()?;
        value += f * unit_micros / 10i128.pow(u32::try_from(frac_digits.len()).ok()?);
    }
    Some(if neg { -value } else { value })
}

impl Interval {
    /// `INTERVAL v1 unit1 v2 unit2 ...`: the sum, typed by the first and last units written.
    pub fn from_units(parts: &[(String, String)]) -> Result<Interval> {
        let mut units = Vec::with_capacity(parts.len());
        let mut amount: i128 = 0;
        for (value, word) in parts {
            let Some((unit, per)) = Unit::parse(word) else {
                return plan_err!("[INVALID_INTERVAL_FORMAT] Invalid unit '{word}' in an interval literal. SQLSTATE: 22006");
            };
            let v = scaled(value, per).ok_or_else(|| parse_error(value))?;
            if unit.is_year_month() && value.contains('.') {
                return Err(parse_error(value));
            }
            units.push(unit);
            amount += v;
        }
        let (Some(start), Some(end)) = (units.iter().min().copied(), units.iter().max().copied()) else {
            return plan_err!("[INVALID_INTERVAL_FORMAT] An interval literal needs a value and a unit. SQLSTATE: 22006");
        };
        if start.is_year_month() != end.is_year_month() {
            return plan_err!(
                "[INTERVAL_ERROR.MIXED_YEAR_MONTH_AND_DAY_TIME] Cannot mix year-month and day-time fields: {}. SQLSTATE: 22006",
                parts.iter().map(|(v, u)| format!("{v} {u}")).collect::<Vec<_>>().join(" ")
            );
        }
        Ok(Interval { start, end, amount })
    }

    /// `INTERVAL 'text' start [TO end]`: the text read in the layout of those fields
    /// (`'1-2'` YEAR TO MONTH, `'1 02:03:04.5'` DAY TO SECOND).
    pub fn from_text(text: &str, start: Unit, end: Unit) -> Result<Interval> {
        if end < start || start.is_year_month() != end.is_year_month() {
            return plan_err!(
                "[INVALID_INTERVAL_FORMAT] Intervals FROM {} TO {} are not supported. SQLSTATE: 22006",
                start.word(),
                end.word()
            );
        }
        let trimmed = text.trim();
        let (neg, body) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let amount = if start.is_year_month() {
            let months = if start == end {
                scaled(body, if start == Unit::Year { 12 } else { 1 }).filter(|_| !body.contains('.'))
            } else {
                body.split_once('-').and_then(|(y, m)| {
                    let (y, m) = (y.parse::<i128>().ok()?, m.parse::<i128>().ok()?);
                    (m < 12).then_some(y * 12 + m)
                })
            };
            months.ok_or_else(|| parse_error(text))?
        } else {
            // The fields from `start` to `end`, separated by ' ' after days and ':' after
            // hours and minutes; the last may carry a fraction only when it is seconds.
            let fields: Vec<Unit> =
                [Unit::Day, Unit::Hour, Unit::Minute, Unit::Second].into_iter().filter(|u| *u >= start && *u <= end).collect();
            let pieces: Vec<&str> = body.split([' ', ':']).collect();
            if pieces.len() != fields.len() || pieces.iter().any(|p| p.is_empty()) {
                return Err(parse_error(text));
            }
            let mut total = 0i128;
            for (i, (piece, unit)) in pieces.iter().zip(&fields).enumerate() {
                if piece.contains('.') && *unit != Unit::Second || piece.starts_with(['-', '+']) {
                    return Err(parse_error(text));
                }
                let v = scaled(piece, unit.micros()).ok_or_else(|| parse_error(text))?;
                let bounded = match unit {
                    _ if i == 0 => true,
                    Unit::Hour => v < 24 * unit.micros(),
                    _ => v < 60 * unit.micros(),
                };
                if !bounded {
                    return Err(parse_error(text));
                }
                total += v;
            }
            total
        };
        Ok(Interval { start, end, amount: if neg { -amount } else { amount } })
    }

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
            nanoseconds: i64::try_from(micros * 1000).unwrap_or(i64::MAX),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn units(parts: &[(&str, &str)]) -> Interval {
        Interval::from_units(&parts.iter().map(|(v, u)| (v.to_string(), u.to_string())).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn named_and_typed_as_spark() {
        // Names and types from spark-sql 4.
        let i = Interval::from_text("02", Unit::Hour, Unit::Hour).unwrap();
        assert_eq!((i.name(), i.type_name()), ("INTERVAL '02' HOUR".into(), "interval hour".into()));
        assert_eq!(units(&[("1", "DAY")]).name(), "INTERVAL '1' DAY");
        assert_eq!(units(&[("3", "MONTHS")]).name(), "INTERVAL '3' MONTH");
        let i = units(&[("1", "DAY"), ("2", "HOURS")]);
        assert_eq!((i.name(), i.type_name()), ("INTERVAL '1 02' DAY TO HOUR".into(), "interval day to hour".into()));
        assert_eq!(Interval::from_text("1-2", Unit::Year, Unit::Month).unwrap().name(), "INTERVAL '1-2' YEAR TO MONTH");
        assert_eq!(Interval::from_text("1 2:03:04", Unit::Day, Unit::Second).unwrap().name(), "INTERVAL '1 02:03:04' DAY TO SECOND");
        assert_eq!(Interval::from_text("5 3", Unit::Day, Unit::Hour).unwrap().name(), "INTERVAL '5 03' DAY TO HOUR");
        assert_eq!(Interval::from_text("-1 02", Unit::Day, Unit::Hour).unwrap().value().days, -1);
    }

    #[test]
    fn malformed_text_is_refused() {
        assert!(Interval::from_text("1 25", Unit::Day, Unit::Hour).is_err());
        assert!(Interval::from_text("x", Unit::Day, Unit::Day).is_err());
        assert!(Interval::from_units(&[("1".into(), "YEAR".into()), ("2".into(), "DAYS".into())]).is_err());
    }
}
