//! Spark's date-time constructors and conversions: `make_timestamp` (and `_ltz`, `_ntz`) from
//! fields or from a date and a time, `make_ym_interval`, `date_from_unix_date`,
//! `to_timestamp_ntz`, `convert_timezone` and `localtimestamp`.
//!
//! Out-of-range fields are Spark's ANSI errors (`DATETIME_FIELD_OUT_OF_BOUNDS`,
//! `INVALID_FRACTION_OF_SECOND`); the `try_*` versions ([`crate::try_eval`]) make them NULL.
//! Seconds are a decimal with microseconds; 60 is the next minute, as Spark allows.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, IntervalYearMonthArray, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type, Decimal128Type, Int32Type, IntervalUnit, TimeUnit};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::types::{timestamp_ntz_type, timestamp_type};
use crate::udfs::udf;

/// The functions of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        udf("make_timestamp", &[1, 2, 3, 6, 7], timestamp_type(), |a| make_timestamp(a, true)),
        udf("make_timestamp_ltz", &[1, 2, 3, 6, 7], timestamp_type(), |a| make_timestamp(a, true)),
        udf("make_timestamp_ntz", &[1, 2, 6], timestamp_ntz_type(), |a| make_timestamp(a, false)),
        udf("make_ym_interval", &[0, 1, 2], DataType::Interval(IntervalUnit::YearMonth), make_ym_interval),
        udf("date_from_unix_date", &[1], DataType::Date32, date_from_unix_date),
        udf("to_timestamp_ntz", &[1, 2], timestamp_ntz_type(), to_timestamp_ntz),
        udf("convert_timezone", &[2, 3], timestamp_ntz_type(), convert_timezone),
        Arc::new(ScalarUDF::new_from_impl(LocalTimestamp { signature: Signature::nullary(Volatility::Stable) })),
    ]
}

/// `localtimestamp()`: the query's start as a TIMESTAMP_NTZ in the session time zone (UTC),
/// the same for every row, as `current_timestamp()`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct LocalTimestamp {
    signature: Signature,
}

impl ScalarUDFImpl for LocalTimestamp {
    fn name(&self) -> &str {
        "localtimestamp"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(timestamp_ntz_type())
    }

    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        Ok(match info.query_execution_start_time() {
            Some(start) => {
                ExprSimplifyResult::Simplified(Expr::Literal(ScalarValue::TimestampMicrosecond(Some(start.timestamp_micros()), None), None))
            }
            None => ExprSimplifyResult::Original(args),
        })
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let now = chrono::Utc::now().timestamp_micros();
        Ok(ColumnarValue::Scalar(ScalarValue::TimestampMicrosecond(Some(now), None)))
    }
}

/// `DATETIME_FIELD_OUT_OF_BOUNDS` as Spark words it (java.time's message inside).
fn out_of_bounds(detail: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!("[DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION] {detail}.  SQLSTATE: 22023"))
}

fn int_column(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(cast(a, &DataType::Int32)?)
}

/// The fields checked as java.time checks them, in its order.
fn local_datetime(fields: [i32; 5], micros: i64) -> Result<NaiveDateTime> {
    let [year, month, day, hour, minute] = fields;
    let bounds: [(&str, i32, i32, i32); 5] = [
        ("Year", year, -999_999_999, 999_999_999),
        ("MonthOfYear", month, 1, 12),
        ("DayOfMonth", day, 1, 31),
        ("HourOfDay", hour, 0, 23),
        ("MinuteOfHour", minute, 0, 59),
    ];
    for (field, value, low, high) in bounds {
        if value < low || value > high {
            let range = if field == "DayOfMonth" { "1 - 28/31".to_string() } else { format!("{low} - {high}") };
            return Err(out_of_bounds(&format!("Invalid value for {field} (valid values {range}): {value}")));
        }
    }
    let date = NaiveDate::from_ymd_opt(year, month as u32, day as u32).ok_or_else(|| {
        let month_name = chrono::Month::try_from(month as u8).map(|m| m.name().to_ascii_uppercase()).unwrap_or_default();
        out_of_bounds(&format!("Invalid date '{month_name} {day}'"))
    })?;
    let time = NaiveTime::from_hms_opt(hour as u32, minute as u32, 0).ok_or_else(|| out_of_bounds("Invalid time"))?;
    Ok(NaiveDateTime::new(date, time) + chrono::Duration::microseconds(micros))
}

/// Seconds with microseconds as Spark takes them: 0 to 60, 60 only whole.
fn second_micros(seconds: i128, function: &str) -> Result<i64> {
    if !(0..=60_000_000).contains(&seconds) || (seconds > 59_999_999 && seconds != 60_000_000) {
        let shown = crate::naming::literal(&datafusion::common::ScalarValue::Decimal128(Some(seconds), 16, 6));
        let shown = shown.trim_end_matches('0').trim_end_matches('.').to_string();
        return exec_err!(
            "[INVALID_FRACTION_OF_SECOND] Valid range for seconds is [0, 60] (inclusive), but the provided value is {shown}. To \
             avoid this error, use `try_{function}`, which returns NULL on error.\nIf you do not want to use the session default \
             timestamp version of this function, use `try_make_timestamp_ntz` or `try_make_timestamp_ltz`. SQLSTATE: 22023"
        );
    }
    Ok(seconds as i64)
}

/// `make_timestamp(year, month, day, hour, min, sec[, timezone])`, or
/// `make_timestamp(date[, time[, timezone]])`; a TIMESTAMP when `zoned`, else a TIMESTAMP_NTZ.
fn make_timestamp(a: &[ArrayRef], zoned: bool) -> Result<ArrayRef> {
    let function = if zoned { "make_timestamp" } else { "make_timestamp_ntz" };
    let rows = a.first().map_or(1, |c| c.len());
    let mut out: Vec<Option<i64>> = Vec::with_capacity(rows);
    let zone_at = |zones: Option<&StringArray>, i: usize| -> Result<Option<Option<String>>> {
        Ok(match zones {
            None => Some(None),
            Some(z) if z.is_null(i) => None,
            Some(z) => Some(Some(z.value(i).to_string())),
        })
    };
    if matches!(a.first().map(|c| c.data_type()), Some(DataType::Date32)) {
        let dates = a[0].as_primitive::<Date32Type>();
        let times = match a.get(1) {
            Some(t) => Some(cast(t, &DataType::Time64(TimeUnit::Microsecond))?),
            None => None,
        };
        let zones = a.get(2).map(crate::udfs::strings).transpose()?;
        for i in 0..rows {
            let time = match &times {
                Some(t) if t.is_null(i) => None,
                Some(t) => Some(t.as_primitive::<datafusion::arrow::datatypes::Time64MicrosecondType>().value(i)),
                None => Some(0),
            };
            let (Some(time), Some(zone), false) = (time, zone_at(zones.as_ref(), i)?, dates.is_null(i)) else {
                out.push(None);
                continue;
            };
            let day = NaiveDate::from_num_days_from_ce_opt(dates.value(i) + 719_163).ok_or_else(|| out_of_bounds("Invalid date"))?;
            let local = day.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::microseconds(time);
            out.push(Some(instant(local, zone.as_deref(), zoned)?));
        }
    } else {
        if a.len() < 6 {
            return exec_err!("{}", crate::error::wrong_num_args(function, "6", a.len()));
        }
        let fields = a[..5].iter().map(int_column).collect::<Result<Vec<_>>>()?;
        let seconds = cast(&a[5], &DataType::Decimal128(16, 6))?;
        let seconds = seconds.as_primitive::<Decimal128Type>();
        let zones = a.get(6).map(crate::udfs::strings).transpose()?;
        for i in 0..rows {
            let zone = zone_at(zones.as_ref(), i)?;
            if fields.iter().any(|f| f.is_null(i)) || seconds.is_null(i) || zone.is_none() {
                out.push(None);
                continue;
            }
            let value = |k: usize| fields[k].as_primitive::<Int32Type>().value(i);
            let micros = second_micros(seconds.value(i), function)?;
            let local = local_datetime([value(0), value(1), value(2), value(3), value(4)], micros)?;
            out.push(Some(instant(local, zone.flatten().as_deref(), zoned)?));
        }
    }
    let array = TimestampMicrosecondArray::from(out);
    Ok(Arc::new(if zoned { array.with_timezone(crate::types::UTC) } else { array }))
}

/// Microseconds since the epoch of `local`: read in `zone` (or the session's, UTC) for a
/// TIMESTAMP, as written for a TIMESTAMP_NTZ.
fn instant(local: NaiveDateTime, zone: Option<&str>, zoned: bool) -> Result<i64> {
    match zone {
        Some(z) if zoned => crate::datetime_cast::instant_of(local, z).ok_or_else(|| invalid_zone(z)),
        _ => Ok(local.and_utc().timestamp_micros()),
    }
}

fn invalid_zone(zone: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "[INVALID_TIMEZONE] The timezone: {zone} is invalid. The timezone must be either a region-based zone ID or a zone offset. \
         Region IDs must have the form 'area/city', such as 'America/Los_Angeles'. Zone offsets must be in the format '(+|-)HH', \
         '(+|-)HH:mm’ or '(+|-)HH:mm:ss', e.g '-08' , '+01:00' or '-13:33:33', and must be in the range from -18:00 to +18:00. \
         'Z' and 'UTC' are accepted as synonyms for '+00:00'. SQLSTATE: 22009"
    ))
}

/// `make_ym_interval([years[, months]])`: an INTERVAL YEAR TO MONTH.
fn make_ym_interval(a: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = a.first().map_or(1, |c| c.len());
    let columns = a.iter().map(int_column).collect::<Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let part = |k: usize| -> Option<i32> {
            match columns.get(k) {
                Some(c) if c.is_null(i) => None,
                Some(c) => Some(c.as_primitive::<Int32Type>().value(i)),
                None => Some(0),
            }
        };
        let value = match (part(0), part(1)) {
            (Some(y), Some(m)) => Some(y.checked_mul(12).and_then(|v| v.checked_add(m)).ok_or_else(|| {
                datafusion::error::DataFusionError::Execution(
                    "[ARITHMETIC_OVERFLOW] integer overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this \
                     error. SQLSTATE: 22003"
                        .into(),
                )
            })?),
            _ => None,
        };
        out.push(value);
    }
    Ok(Arc::new(IntervalYearMonthArray::from(out)))
}

/// `date_from_unix_date(days)`: the date that many days after 1970-01-01.
fn date_from_unix_date(a: &[ArrayRef]) -> Result<ArrayRef> {
    let days = int_column(&a[0])?;
    Ok(Arc::new(days.as_primitive::<Int32Type>().iter().collect::<Date32Array>()))
}

/// `to_timestamp_ntz(s[, format])`: the wall-clock time written, any zone written ignored; a
/// date or timestamp as its wall-clock time in the session time zone (UTC).
fn to_timestamp_ntz(a: &[ArrayRef]) -> Result<ArrayRef> {
    if a.len() == 1 && !matches!(a[0].data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
        return Ok(cast(&cast(&a[0], &timestamp_type())?, &timestamp_ntz_type())?);
    }
    if a.len() == 1 {
        let s = crate::udfs::strings(&a[0])?;
        return Ok(Arc::new(s.iter().map(|v| v.and_then(crate::datetime_cast::read_timestamp_ntz)).collect::<TimestampMicrosecondArray>()));
    }
    Ok(cast(&crate::udfs::to_timestamp(a)?, &timestamp_ntz_type())?)
}

/// `convert_timezone([sourceTz, ]targetTz, sourceTs)`: the wall-clock time in `targetTz` when
/// clocks in `sourceTz` (the session's, UTC, when left out) show `sourceTs`.
fn convert_timezone(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (source, target, ts) = match a {
        [target, ts] => (None, target, ts),
        [source, target, ts] => (Some(crate::udfs::strings(source)?), target, ts),
        _ => return exec_err!("{}", crate::error::wrong_num_args("convert_timezone", "[2, 3]", a.len())),
    };
    let target = crate::udfs::strings(target)?;
    let ts = cast(ts, &timestamp_ntz_type())?;
    let ts = ts.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
    let mut out = Vec::with_capacity(ts.len());
    for i in 0..ts.len() {
        if ts.is_null(i) || target.is_null(i) || source.as_ref().is_some_and(|s| s.is_null(i)) {
            out.push(None);
            continue;
        }
        let local = chrono::DateTime::from_timestamp_micros(ts.value(i))
            .map(|d| d.naive_utc())
            .ok_or_else(|| out_of_bounds("Invalid timestamp"))?;
        let instant = match &source {
            Some(s) => crate::datetime_cast::instant_of(local, s.value(i)).ok_or_else(|| invalid_zone(s.value(i)))?,
            None => local.and_utc().timestamp_micros(),
        };
        let shown = crate::datetime_cast::wall_clock(instant, target.value(i)).ok_or_else(|| invalid_zone(target.value(i)))?;
        out.push(Some(shown.and_utc().timestamp_micros()));
    }
    Ok(Arc::new(TimestampMicrosecondArray::from(out)))
}
