//! Spark's `months_between` and `unix_timestamp`/`to_unix_timestamp`.
//!
//! Both take timestamps, dates or strings; times are UTC (the session time zone Ember runs with).

use std::sync::Arc;

use chrono::{DateTime, Datelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::Result;

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Microseconds since the epoch: timestamps and dates as they are, strings parsed as Spark
/// reads timestamps (`to_timestamp` without a pattern).
fn micros(a: &ArrayRef) -> Result<ArrayRef> {
    match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => crate::udfs::to_timestamp(std::slice::from_ref(a)),
        _ => Ok(cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?),
    }
}

/// (year * 12 + month, day of month, whether it is the month's last day, seconds into the day).
fn split(micros: i64) -> Option<(i64, u32, bool, i64)> {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let date = DateTime::from_timestamp_micros(days * MICROS_PER_DAY)?.date_naive();
    let next = date.succ_opt()?;
    let seconds = (micros - days * MICROS_PER_DAY) / 1_000_000;
    Some((i64::from(date.year()) * 12 + i64::from(date.month()), date.day(), next.month() != date.month(), seconds))
}

/// Spark's months between two instants: whole months when both fall on the same day of the
/// month or both on a month's last day, otherwise the remainder counted in 31-day months.
fn months_between_one(end: i64, start: i64, round_off: bool) -> Option<f64> {
    let (m1, d1, last1, s1) = split(end)?;
    let (m2, d2, last2, s2) = split(start)?;
    let months = (m1 - m2) as f64;
    if d1 == d2 || (last1 && last2) {
        return Some(months);
    }
    let seconds = (i64::from(d1) - i64::from(d2)) * 86_400 + s1 - s2;
    let diff = months + seconds as f64 / (31.0 * 86_400.0);
    // Java's Math.round: half up, towards positive infinity.
    Some(if round_off { (diff * 1e8 + 0.5).floor() / 1e8 } else { diff })
}

/// `months_between(end, start[, roundOff])`.
pub fn months_between(a: &[ArrayRef]) -> Result<ArrayRef> {
    let end = micros(&a[0])?;
    let start = micros(&a[1])?;
    let (end, start) = (end.as_primitive::<TimestampMicrosecondType>(), start.as_primitive::<TimestampMicrosecondType>());
    let round: Option<BooleanArray> = match a.get(2) {
        Some(r) => Some(cast(r, &DataType::Boolean)?.as_boolean().clone()),
        None => None,
    };
    let out: Float64Array = (0..end.len())
        .map(|i| {
            if end.is_null(i) || start.is_null(i) {
                return None;
            }
            let round_off = match &round {
                Some(r) if r.is_null(i) => return None,
                Some(r) => r.value(i),
                None => true,
            };
            months_between_one(end.value(i), start.value(i), round_off)
        })
        .collect();
    Ok(Arc::new(out))
}

/// `unix_timestamp(value[, pattern])`: seconds since the epoch of a timestamp, a date (its
/// midnight) or a string parsed with a Java pattern (default `yyyy-MM-dd HH:mm:ss`).
pub fn unix_timestamp(a: &[ArrayRef]) -> Result<ArrayRef> {
    let ts = match a[0].data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let pattern: ArrayRef = match a.get(1) {
                Some(p) => Arc::clone(p),
                None => Arc::new(datafusion::arrow::array::StringArray::new_repeated("yyyy-MM-dd HH:mm:ss", a[0].len())),
            };
            crate::udfs::to_timestamp(&[Arc::clone(&a[0]), pattern])?
        }
        _ => micros(&a[0])?,
    };
    let ts = ts.as_primitive::<TimestampMicrosecondType>();
    Ok(Arc::new(ts.iter().map(|t| t.map(|t| t.div_euclid(1_000_000))).collect::<Int64Array>()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(date: &str, seconds: i64) -> i64 {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_micros() + seconds * 1_000_000
    }

    #[test]
    fn months_between_as_spark() {
        // Values from spark-sql 4.
        assert_eq!(months_between_one(at("1997-02-28", 37800), at("1996-10-30", 0), true), Some(3.94959677));
        assert_eq!(months_between_one(at("1997-02-28", 37800), at("1996-10-30", 0), false), Some(3.9495967741935485));
        assert_eq!(months_between_one(at("2020-03-31", 0), at("2020-02-29", 0), true), Some(1.0));
        assert_eq!(months_between_one(at("2020-03-15", 0), at("2020-01-15", 0), true), Some(2.0));
        assert_eq!(months_between_one(at("2020-01-01", 0), at("2020-03-15", 0), true), Some(-2.4516129));
        assert_eq!(months_between_one(at("2020-05-01", 43200), at("2020-04-30", 0), true), Some(0.08064516));
    }
}
