//! Python values as Spark literals: `lit(1)` is an int, `lit(2**40)` a bigint, `lit(1.5)` a
//! double, dates and datetimes keep their types.

use datafusion::common::ScalarValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyFloat, PyInt, PyString};

pub fn to_scalar(value: &Bound<'_, PyAny>) -> PyResult<ScalarValue> {
    if value.is_none() {
        return Ok(ScalarValue::Null);
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(ScalarValue::Boolean(Some(value.extract::<bool>()?)));
    }
    if value.is_instance_of::<PyInt>() {
        let v: i64 = value.extract()?;
        return Ok(match i32::try_from(v) {
            Ok(i) => ScalarValue::Int32(Some(i)),
            Err(_) => ScalarValue::Int64(Some(v)),
        });
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(ScalarValue::Float64(Some(value.extract::<f64>()?)));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(ScalarValue::Utf8(Some(value.extract::<String>()?)));
    }
    if value.is_instance_of::<PyDateTime>() {
        // Naive datetimes are wall-clock times; stored as microseconds like Spark's timestamp.
        let ts = value.call_method0("isoformat")?.extract::<String>()?;
        let parsed = chrono::NaiveDateTime::parse_from_str(&ts, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&ts, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("unsupported datetime {ts}: {e}")))?;
        return Ok(ScalarValue::TimestampMicrosecond(Some(parsed.and_utc().timestamp_micros()), None));
    }
    if value.is_instance_of::<PyDate>() {
        let ord: i64 = value.call_method0("toordinal")?.extract()?;
        // date(1970, 1, 1).toordinal() == 719163
        return Ok(ScalarValue::Date32(Some((ord - 719_163) as i32)));
    }
    let type_name = value.get_type().name()?.to_string();
    if type_name == "Decimal" {
        let text: String = value.str()?.extract()?;
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let digits = format!("{int}{frac}");
        let unscaled: i128 = digits.parse().map_err(|_| pyo3::exceptions::PyValueError::new_err(format!("bad decimal {text}")))?;
        let precision = digits.trim_start_matches('-').len().max(frac.len() + 1) as u8;
        return Ok(ScalarValue::Decimal128(Some(unscaled), precision.max(1), frac.len() as i8));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!("[UNSUPPORTED_LITERAL] Unsupported literal type: {type_name}")))
}
