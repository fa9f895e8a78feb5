//! Spark's `extract(field FROM source)`, `date_part(field, source)` and `datepart(...)`: one
//! field of a date, timestamp or interval, with Spark's field names and types.
//!
//! Where DataFusion and Spark differ: the day of week counts from Sunday = 1 (`DOW`; `DOW_ISO`
//! from Monday = 1), `SECOND` is a `decimal(8,6)` with its fraction, the fields have Spark's
//! abbreviations (`Y`, `MON`, `D`, `H`, `MINS`, ...), and an unknown field is Spark's
//! `INVALID_EXTRACT_FIELD`. Of an interval, Spark's fields are its years and months (`YEAR`
//! an int, `MONTH` a tinyint within the year) and its days, hours, minutes and seconds (`DAY`
//! an int, `HOUR` and `MINUTE` tinyints within the day and hour, `SECOND` a `decimal(8,6)`).
//!
//! The three names are three functions of the same body, since Spark names their columns
//! differently (`extract(dow FROM d)`, `date_part(dow, d)`; [`crate::naming`]). SQL's
//! `EXTRACT(f FROM x)` is parsed into a call of `extract` with the field as written
//! ([`crate::parser`]'s dialect).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::compute::kernels::temporal::DatePart;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::arrow::datatypes::{IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// A field Spark extracts from dates and timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Year,
    YearOfWeek,
    Quarter,
    Month,
    Week,
    Day,
    DayOfWeek,
    DayOfWeekIso,
    DayOfYear,
    Hour,
    Minute,
    Second,
}

/// The field a (case-insensitive) name stands for, with Spark's synonyms.
fn part(name: &str) -> Option<Part> {
    Some(match name.to_ascii_uppercase().as_str() {
        "YEAR" | "Y" | "YEARS" | "YR" | "YRS" => Part::Year,
        "YEAROFWEEK" => Part::YearOfWeek,
        "QUARTER" | "QTR" => Part::Quarter,
        "MONTH" | "MON" | "MONS" | "MONTHS" => Part::Month,
        "WEEK" | "W" | "WEEKS" => Part::Week,
        "DAY" | "D" | "DAYS" => Part::Day,
        "DAYOFWEEK" | "DOW" => Part::DayOfWeek,
        "DAYOFWEEK_ISO" | "DOW_ISO" => Part::DayOfWeekIso,
        "DOY" => Part::DayOfYear,
        "HOUR" | "H" | "HOURS" | "HR" | "HRS" => Part::Hour,
        "MINUTE" | "M" | "MIN" | "MINS" | "MINUTES" => Part::Minute,
        "SECOND" | "S" | "SEC" | "SECONDS" | "SECS" => Part::Second,
        _ => return None,
    })
}

/// `extract`, which SQL's `EXTRACT(f FROM x)` calls.
pub fn extract() -> Arc<ScalarUDF> {
    named("extract")
}

/// `date_part(f, x)`.
pub fn date_part() -> Arc<ScalarUDF> {
    named("date_part")
}

/// `datepart(f, x)`.
pub fn datepart() -> Arc<ScalarUDF> {
    named("datepart")
}

fn named(name: &'static str) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Extract { name, signature: Signature::any(2, Volatility::Immutable) }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Extract {
    name: &'static str,
    signature: Signature,
}

fn is_interval(t: &DataType) -> bool {
    matches!(t, DataType::Interval(_) | DataType::Duration(_))
}

/// The field name of the first argument, which must be a literal string.
fn field_name(scalar: Option<&ScalarValue>) -> Option<String> {
    match scalar? {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Spark's error for a field it does not know, `source` named as Spark names it.
pub fn invalid_field(field: &str, source: &str) -> String {
    format!("[INVALID_EXTRACT_FIELD] Cannot extract `{field}` from \"{source}\". SQLSTATE: 42601")
}

/// Whether `name` is one of the functions of this module, called with a field Spark does not
/// know (the planned query is refused with [`invalid_field`]; the call's type was a guess).
pub fn unknown_field<'a>(name: &str, args: &'a [datafusion::logical_expr::Expr]) -> Option<(String, &'a datafusion::logical_expr::Expr)> {
    if !matches!(name, "extract" | "date_part" | "datepart") {
        return None;
    }
    match args {
        [datafusion::logical_expr::Expr::Literal(field, _), source] => {
            field_name(Some(field)).filter(|f| part(f).is_none()).map(|f| (f, source))
        }
        _ => None,
    }
}

impl ScalarUDFImpl for Extract {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let source = args.arg_fields.get(1).map_or(DataType::Null, |f| f.data_type().clone());
        let Some(name) = field_name(args.scalar_arguments.first().copied().flatten()) else {
            return plan_err!("[INVALID_EXTRACT_FIELD] The field of {} must be a literal string. SQLSTATE: 42601", self.name);
        };
        let data_type = match part(&name) {
            Some(Part::Second) => DataType::Decimal128(8, 6),
            Some(Part::Month | Part::Hour | Part::Minute) if is_interval(&source) => DataType::Int8,
            Some(p) if is_interval(&source) && !of_intervals(p) => {
                return plan_err!("{}", invalid_field(&name, &crate::types::sql_type(&source)));
            }
            // An unknown field is refused once the query is planned, where its source can be
            // named (`unknown_field`).
            Some(_) | None => DataType::Int32,
        };
        Ok(Arc::new(Field::new(self.name, data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let source_type = args.args.get(1).map_or(DataType::Null, ColumnarValue::data_type);
        let name = match args.args.first() {
            Some(ColumnarValue::Scalar(s)) => field_name(Some(s)),
            _ => None,
        };
        let Some(part) = name.as_deref().and_then(part) else {
            return exec_err!("{}", invalid_field(name.as_deref().unwrap_or_default(), &crate::types::sql_type(&source_type)));
        };
        let Some(source) = args.args.get(1) else { return exec_err!("{} takes a field and a source", self.name) };
        let source = source.to_array(rows)?;
        let fields = if is_interval(&source_type) { of_interval(part, &source)? } else { of(part, &source)? };
        Ok(ColumnarValue::Array(fields))
    }
}

/// The field of every row of a date, timestamp or string column.
fn of(part: Part, source: &ArrayRef) -> Result<ArrayRef> {
    use crate::udfs::date_part_of as at;
    Ok(match part {
        Part::Year => at(source, DatePart::Year, 0)?,
        Part::YearOfWeek => at(source, DatePart::YearISO, 0)?,
        Part::Quarter => at(source, DatePart::Quarter, 0)?,
        Part::Month => at(source, DatePart::Month, 0)?,
        Part::Week => at(source, DatePart::Week, 0)?,
        Part::Day => at(source, DatePart::Day, 0)?,
        Part::DayOfWeek => at(source, DatePart::DayOfWeekSunday0, 1)?,
        Part::DayOfWeekIso => at(source, DatePart::DayOfWeekMonday0, 1)?,
        Part::DayOfYear => at(source, DatePart::DayOfYear, 0)?,
        Part::Hour => at(source, DatePart::Hour, 0)?,
        Part::Minute => at(source, DatePart::Minute, 0)?,
        Part::Second => {
            // The microseconds into the minute are the seconds with six decimals.
            let micros = crate::udfs::as_timestamp(source, "TIMESTAMP")?;
            let seconds: Decimal128Array = micros.iter().map(|t| t.map(|t| i128::from(t.rem_euclid(60_000_000)))).collect();
            Arc::new(seconds.with_precision_and_scale(8, 6)?)
        }
    })
}

/// Whether Spark extracts `part` from an interval.
fn of_intervals(part: Part) -> bool {
    matches!(part, Part::Year | Part::Month | Part::Day | Part::Hour | Part::Minute | Part::Second)
}

const MICROS_PER_MINUTE: i64 = 60_000_000;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// The field of every row of an interval column: years and months from its months, the rest
/// from its days and nanoseconds taken together as microseconds (truncated toward zero, as
/// Spark divides).
fn of_interval(part: Part, source: &ArrayRef) -> Result<ArrayRef> {
    use datafusion::arrow::array::{Int8Array, Int32Array};
    let values = cast(source, &DataType::Interval(IntervalUnit::MonthDayNano))?;
    let values = values.as_primitive::<IntervalMonthDayNanoType>();
    let micros = |v: IntervalMonthDayNano| i64::from(v.days) * MICROS_PER_DAY + v.nanoseconds / 1000;
    let tiny = |n: i64| i8::try_from(n).unwrap_or_default();
    let int = |n: i64| i32::try_from(n).unwrap_or_default();
    Ok(match part {
        Part::Year => Arc::new(values.iter().map(|v| v.map(|v| v.months / 12)).collect::<Int32Array>()),
        Part::Month => Arc::new(values.iter().map(|v| v.map(|v| tiny(i64::from(v.months % 12)))).collect::<Int8Array>()),
        Part::Day => Arc::new(values.iter().map(|v| v.map(|v| int(micros(v) / MICROS_PER_DAY))).collect::<Int32Array>()),
        Part::Hour => Arc::new(values.iter().map(|v| v.map(|v| tiny(micros(v) / MICROS_PER_HOUR % 24))).collect::<Int8Array>()),
        Part::Minute => Arc::new(values.iter().map(|v| v.map(|v| tiny(micros(v) / MICROS_PER_MINUTE % 60))).collect::<Int8Array>()),
        Part::Second => {
            let seconds: Decimal128Array = values.iter().map(|v| v.map(|v| i128::from(micros(v) % MICROS_PER_MINUTE))).collect();
            Arc::new(seconds.with_precision_and_scale(8, 6)?)
        }
        _ => return exec_err!("{}", invalid_field(&format!("{part:?}"), &crate::types::sql_type(source.data_type()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Date32Array, TimestampMicrosecondArray};

    #[test]
    fn fields_as_spark_counts_them() {
        // 2024-03-03 is a Sunday, day 63 of the year, in ISO week 9.
        let day: ArrayRef = Arc::new(Date32Array::from(vec![19785]));
        let ints = |p| of(p, &day).unwrap().as_primitive::<datafusion::arrow::datatypes::Int32Type>().value(0);
        assert_eq!(ints(Part::DayOfWeek), 1);
        assert_eq!(ints(Part::DayOfWeekIso), 7);
        assert_eq!(ints(Part::DayOfYear), 63);
        assert_eq!(ints(Part::Week), 9);
        let ts: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![1_709_460_672_500_000]));
        let seconds = of(Part::Second, &ts).unwrap();
        assert_eq!(seconds.as_primitive::<datafusion::arrow::datatypes::Decimal128Type>().value_as_string(0), "12.500000");
        assert_eq!(part("mins"), Some(Part::Minute));
        assert_eq!(part("nosuch"), None);
    }

    #[test]
    fn interval_fields_split_days_and_time() {
        use datafusion::arrow::array::IntervalMonthDayNanoArray;
        // 2021-11 years to months; 123 days 23:55:59.002001, held as days and nanoseconds.
        let values: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(vec![
            IntervalMonthDayNano::new(24_263, 0, 0),
            IntervalMonthDayNano::new(0, 123, 86_159_002_001_000),
        ]));
        let field = |p, i| datafusion::arrow::util::display::array_value_to_string(&of_interval(p, &values).unwrap(), i).unwrap();
        assert_eq!((field(Part::Year, 0), field(Part::Month, 0)), ("2021".into(), "11".into()));
        assert_eq!((field(Part::Day, 1), field(Part::Hour, 1), field(Part::Minute, 1)), ("123".into(), "23".into(), "55".into()));
        assert_eq!(field(Part::Second, 1), "59.002001");
    }
}
