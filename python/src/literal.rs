//! Python values as Spark literals: `lit(1)` is an int, `lit(2**40)` a bigint, `lit(1.5)` a
//! double, dates and datetimes keep their types.

use datafusion::common::ScalarValue;
use ember_driver::column as api;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyFloat, PyInt, PyString};

use crate::errors::IntoPyResult;

pub fn to_scalar(value: &Bound<'_, PyAny>) -> PyResult<ScalarValue> {
    if value.is_none() {
        return Ok(ScalarValue::Null);
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(ScalarValue::Boolean(Some(value.extract::<bool>()?)));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(api::int_literal(value.extract::<i64>()?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(ScalarValue::Float64(Some(value.extract::<f64>()?)));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(ScalarValue::Utf8(Some(value.extract::<String>()?)));
    }
    if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        return Ok(ScalarValue::Binary(Some(value.extract::<Vec<u8>>()?)));
    }
    if value.is_instance_of::<PyDateTime>() {
        let iso = value.call_method0("isoformat")?.extract::<String>()?;
        return api::timestamp_literal(&iso).py();
    }
    if value.is_instance_of::<PyDate>() {
        return api::date_literal(value.call_method0("toordinal")?.extract()?).py();
    }
    let type_name = value.get_type().name()?.to_string();
    if type_name == "Decimal" {
        return api::decimal_literal(&value.str()?.extract::<String>()?).py();
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!("[UNSUPPORTED_LITERAL] Unsupported literal type: {type_name}")))
}
