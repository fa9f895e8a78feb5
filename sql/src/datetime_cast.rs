//! Spark's CAST of a string to DATE, TIMESTAMP or TIMESTAMP_NTZ, for every cast the plan makes:
//! written (`CAST(s AS DATE)`, `s::timestamp`, `col.cast("date")`) or implicit (`d = '2024-1-5'`).
//!
//! Spark reads `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, then optionally ` ` or `T` and a time
//! `[h]h:[m]m[:[s]s[.fraction]]` and a zone (`Z`, `UTC`, `+hh[:mm]`, a region such as
//! `Europe/Berlin`), with surrounding spaces. A TIMESTAMP with a zone is that instant; without
//! one it is read in the session time zone (UTC). A TIMESTAMP_NTZ ignores the zone; a DATE
//! ignores everything after the day. Arrow's casts read fewer forms (`2024-1-5`, `1:2:3`) and
//! name no Spark type when they fail.
//!
//! [`rewrite`] replaces the casts of a plan with calls of this module's functions, an optimizer
//! rule that runs first, after the analyzer has added the implicit casts.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{
    Cast, ColumnarValue, Expr, ExprSchemable, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TryCast, Volatility,
};
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};

use crate::types::{timestamp_ntz_type, timestamp_type};

/// The three casts, by the name plans carry to executors.
const DATE: &str = "spark_cast_date";
const TIMESTAMP: &str = "spark_cast_timestamp";
const TIMESTAMP_NTZ: &str = "spark_cast_timestamp_ntz";

/// A date, a time and the zone written after them, if any.
struct Parsed {
    date: NaiveDate,
    time: NaiveTime,
    zone: Option<Zone>,
}

enum Zone {
    Offset(i32),
    Region(chrono_tz::Tz),
}

/// Reads `s` as Spark reads a datetime string; `date_only` stops after the day (`to DATE`).
fn parse(s: &str, date_only: bool) -> Option<Parsed> {
    let s = s.trim();
    let date_end = s.find([' ', 'T']).unwrap_or(s.len());
    let date = date_part(&s[..date_end])?;
    let rest = s.get(date_end + 1..).unwrap_or("");
    if date_only || rest.trim().is_empty() {
        return Some(Parsed { date, time: NaiveTime::MIN, zone: None });
    }
    let zone_at = rest.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(rest.len());
    let (time, with_seconds) = time_part(&rest[..zone_at])?;
    let zone_text = rest[zone_at..].trim();
    // Spark reads a zone only after the seconds.
    let zone = if zone_text.is_empty() { None } else { Some(zone(zone_text).filter(|_| with_seconds)?) };
    Some(Parsed { date, time, zone })
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    ((min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `yyyy`, `yyyy-[m]m` or `yyyy-[m]m-[d]d`.
fn date_part(s: &str) -> Option<NaiveDate> {
    let mut fields = s.split('-');
    let year = i32::try_from(digits(fields.next()?, 4, 6)?).ok()?;
    let month = fields.next().map_or(Some(1), |m| digits(m, 1, 2))?;
    let day = fields.next().map_or(Some(1), |d| digits(d, 1, 2))?;
    if fields.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `[h]h[:[m]m[:[s]s[.fraction]]]`, and whether the seconds are written; digits past
/// microseconds are dropped, as Spark drops them.
fn time_part(s: &str) -> Option<(NaiveTime, bool)> {
    let (hms, fraction) = s.split_once('.').unwrap_or((s, ""));
    let mut fields = hms.split(':');
    let hour = digits(fields.next()?, 1, 2)?;
    let minute = fields.next().map_or(Some(0), |x| digits(x, 1, 2))?;
    let seconds = fields.next();
    let second = seconds.map_or(Some(0), |x| digits(x, 1, 2))?;
    if seconds.is_none() && s.contains('.') {
        return None;
    }
    if fields.next().is_some() {
        return None;
    }
    let micros = if fraction.is_empty() {
        0
    } else {
        let kept: String = fraction.chars().take(6).collect();
        digits(fraction, 1, 9)?;
        kept.parse::<u32>().ok()? * 10u32.pow(6 - kept.len() as u32)
    };
    NaiveTime::from_hms_micro_opt(hour, minute, second, micros).map(|t| (t, seconds.is_some()))
}

/// `Z`, `UTC`/`GMT`/`UT` with or without an offset, `+h`, `+hh`, `+hh:mm`, `+hhmm`, or a region.
fn zone(s: &str) -> Option<Zone> {
    let upper = s.to_ascii_uppercase();
    let offset_text = ["UTC", "GMT", "UT", "Z"].iter().find_map(|p| upper.strip_prefix(p)).unwrap_or(&upper);
    if offset_text.is_empty() {
        return Some(Zone::Offset(0));
    }
    if let Some(sign) = offset_text.chars().next().filter(|c| *c == '+' || *c == '-') {
        let body = &offset_text[1..];
        let (h, m) = match body.split_once(':') {
            Some((h, m)) => (digits(h, 1, 2)?, digits(m, 2, 2)?),
            None if body.len() == 4 => (digits(&body[..2], 2, 2)?, digits(&body[2..], 2, 2)?),
            None => (digits(body, 1, 2)?, 0),
        };
        if h > 18 || m > 59 {
            return None;
        }
        let seconds = i32::try_from(h * 3600 + m * 60).ok()?;
        return Some(Zone::Offset(if sign == '-' { -seconds } else { seconds }));
    }
    s.parse::<chrono_tz::Tz>().ok().map(Zone::Region)
}

/// Microseconds since the epoch of a TIMESTAMP (`zoned`) or a TIMESTAMP_NTZ.
fn micros(p: &Parsed, zoned: bool) -> Option<i64> {
    let local = NaiveDateTime::new(p.date, p.time);
    let utc = match (&p.zone, zoned) {
        (Some(Zone::Offset(seconds)), true) => local - chrono::Duration::seconds(i64::from(*seconds)),
        (Some(Zone::Region(tz)), true) => tz.from_local_datetime(&local).earliest()?.naive_utc(),
        _ => local,
    };
    Some(utc.and_utc().timestamp_micros())
}

/// The instant (microseconds since the epoch) at which clocks in the zone written `zone_text`
/// (as a cast reads one: `CET`, `+01:00`, `Europe/Brussels`) show `local`.
pub(crate) fn instant_of(local: NaiveDateTime, zone_text: &str) -> Option<i64> {
    let parsed = Parsed { date: local.date(), time: local.time(), zone: Some(zone(zone_text.trim())?) };
    micros(&parsed, true)
}

/// What clocks in the zone written `zone_text` show at the instant `micros`.
pub(crate) fn wall_clock(micros: i64, zone_text: &str) -> Option<NaiveDateTime> {
    let utc = chrono::DateTime::from_timestamp_micros(micros)?;
    Some(match zone(zone_text.trim())? {
        Zone::Offset(seconds) => utc.naive_utc() + chrono::Duration::seconds(i64::from(seconds)),
        Zone::Region(tz) => utc.with_timezone(&tz).naive_local(),
    })
}

/// A string read as a DATE, as Spark casts it (the time after the day is not read).
pub(crate) fn read_date(s: &str) -> Option<NaiveDate> {
    parse(s, true).map(|p| p.date)
}

/// A string read as a TIMESTAMP, as Spark casts it: microseconds since the epoch.
pub(crate) fn read_timestamp(s: &str) -> Option<i64> {
    parse(s, false).and_then(|p| micros(&p, true))
}

/// A string read as a TIMESTAMP_NTZ, as Spark casts it (a written zone is not applied).
pub(crate) fn read_timestamp_ntz(s: &str) -> Option<i64> {
    parse(s, false).and_then(|p| micros(&p, false))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct DatetimeCast {
    name: &'static str,
    signature: Signature,
}

/// The casts, to install with the session's functions.
pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    [DATE, TIMESTAMP, TIMESTAMP_NTZ].into_iter().map(udf).collect()
}

fn udf(name: &'static str) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(DatetimeCast { name, signature: Signature::any(2, Volatility::Immutable) }))
}

fn target(name: &str) -> DataType {
    match name {
        DATE => DataType::Date32,
        TIMESTAMP => timestamp_type(),
        _ => timestamp_ntz_type(),
    }
}

impl ScalarUDFImpl for DatetimeCast {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(target(self.name))
    }

    /// Arguments: the string, and whether a malformed one is NULL (`TRY_CAST`) or an error.
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let tolerant = matches!(args.args.get(1), Some(ColumnarValue::Scalar(ScalarValue::Boolean(Some(true)))));
        let Some(value) = args.args.first() else {
            return exec_err!("{} takes a string", self.name);
        };
        let scalar = matches!(value, ColumnarValue::Scalar(_));
        let strings = cast(&value.to_array(args.number_rows)?, &DataType::Utf8)?;
        let strings: &StringArray = strings.as_string::<i32>();
        let data_type = target(self.name);
        let mut out: Vec<Option<i64>> = Vec::with_capacity(strings.len());
        for s in strings.iter() {
            let Some(s) = s else {
                out.push(None);
                continue;
            };
            let read = parse(s, self.name == DATE).and_then(|p| match self.name {
                DATE => Some((p.date - chrono::DateTime::UNIX_EPOCH.date_naive()).num_days()),
                TIMESTAMP => micros(&p, true),
                _ => micros(&p, false),
            });
            match read {
                Some(v) => out.push(Some(v)),
                None if tolerant => out.push(None),
                None => return exec_err!("{}", crate::error::cast_invalid_input(s, &crate::types::sql_type(&data_type))),
            }
        }
        let array: ArrayRef = if self.name == DATE {
            Arc::new(out.into_iter().map(|v| v.and_then(|d| i32::try_from(d).ok())).collect::<Date32Array>())
        } else {
            let ts = TimestampMicrosecondArray::from(out);
            Arc::new(if self.name == TIMESTAMP { ts.with_timezone(crate::types::UTC) } else { ts })
        };
        Ok(if scalar { ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?) } else { ColumnarValue::Array(array) })
    }
}

/// The call that stands for a cast of a string to `to`, if it is a datetime type.
fn call_for(expr: Expr, to: &DataType, tolerant: bool) -> Option<Expr> {
    let name = match to {
        DataType::Date32 => DATE,
        DataType::Timestamp(_, Some(_)) => TIMESTAMP,
        DataType::Timestamp(_, None) => TIMESTAMP_NTZ,
        _ => return None,
    };
    let call =
        Expr::ScalarFunction(ScalarFunction::new_udf(udf(name), vec![expr, Expr::Literal(ScalarValue::Boolean(Some(tolerant)), None)]));
    // A cast to another unit or zone than the call's stays as a cast of its answer.
    Some(if &target(name) == to { call } else { Expr::Cast(Cast::new(Box::new(call), to.clone())) })
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

#[derive(Debug, Default)]
pub struct DatetimeCasts;

impl OptimizerRule for DatetimeCasts {
    fn name(&self) -> &str {
        "ember_datetime_casts"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        if matches!(plan, LogicalPlan::Values(_) | LogicalPlan::TableScan(_)) {
            return Ok(Transformed::no(plan));
        }
        let names = NamePreserver::new(&plan);
        let schemas: Vec<_> = plan.inputs().iter().map(|p| Arc::clone(p.schema())).collect();
        let reads_string = |e: &Expr| schemas.iter().any(|s| e.get_type(s).is_ok_and(|t| is_string(&t)));
        plan.map_expressions(|e| {
            let saved = names.save(&e);
            let rewritten = e.transform_up(|e| {
                let (inner, to, tolerant) = match &e {
                    Expr::Cast(Cast { expr, field }) => (expr, field.data_type().clone(), false),
                    Expr::TryCast(TryCast { expr, field }) => (expr, field.data_type().clone(), true),
                    _ => return Ok(Transformed::no(e)),
                };
                if !matches!(&to, DataType::Date32 | DataType::Timestamp(..)) || !reads_string(inner) {
                    return Ok(Transformed::no(e));
                }
                match call_for(inner.as_ref().clone(), &to, tolerant) {
                    Some(call) => Ok(Transformed::yes(call)),
                    None => Ok(Transformed::no(e)),
                }
            })?;
            Ok(rewritten.update_data(|e| saved.restore(e)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{read_date, read_timestamp};

    /// The forms spark-sql 4 reads when a string is cast to a date or timestamp.
    #[test]
    fn strings_read_as_dates_and_timestamps_as_spark() {
        let d = |s: &str| read_date(s).map(|d| d.to_string());
        assert_eq!(d("2024"), Some("2024-01-01".into()));
        assert_eq!(d("2024-3"), Some("2024-03-01".into()));
        assert_eq!(d(" 2024-1-5 "), Some("2024-01-05".into()));
        assert_eq!(d("2024-01-15 25:00:00"), Some("2024-01-15".into()));
        assert_eq!(d("2024-01-15T10:00"), Some("2024-01-15".into()));
        assert_eq!(d("2024-13-01"), None);
        assert_eq!(d("2024-02-30"), None);
        assert_eq!(d("not a date"), None);
        assert_eq!(read_timestamp("2024-01-15 10:00:00+02:00"), Some(1_705_305_600_000_000));
        assert_eq!(read_timestamp("2024-01-15T08:00:00Z"), Some(1_705_305_600_000_000));
        assert_eq!(read_timestamp("2024-01-15 8"), Some(1_705_305_600_000_000));
        assert_eq!(read_timestamp("2024-01-15 09:00:00 Europe/Berlin"), Some(1_705_305_600_000_000));
        assert_eq!(read_timestamp("2024-01-15 10:00+02:00"), None);
        assert_eq!(read_timestamp("2024-01-01 25:00:00"), None);
    }
}
