//! `VariantVal`'s conversions, computed by the engine's variant code so Python and SQL read
//! variants the same way: `toPython()` and `VariantVal.parseJson`.

use ember_sql::variant::{Decoded, decode, parse_json_text};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::errors::IntoPyResult;

/// The variant of a JSON text, as its value and metadata bytes.
#[pyfunction]
pub fn variant_parse_json<'py>(py: Python<'py>, text: &str) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let (value, metadata) = parse_json_text(text).py()?;
    Ok((PyBytes::new(py, &value), PyBytes::new(py, &metadata)))
}

/// A variant as Python values: dicts, lists, `Decimal`s, dates and datetimes (aware in UTC for
/// TIMESTAMP), bytes.
#[pyfunction]
pub fn variant_to_python(py: Python<'_>, value: &[u8], metadata: &[u8]) -> PyResult<Py<PyAny>> {
    to_python(py, &decode(value, metadata).py()?)
}

fn to_python(py: Python<'_>, d: &Decoded) -> PyResult<Py<PyAny>> {
    let datetime = || py.import("datetime");
    Ok(match d {
        Decoded::Null => py.None(),
        Decoded::Boolean(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Decoded::Long(l) => l.into_pyobject(py)?.into_any().unbind(),
        Decoded::Double(f) => f.into_pyobject(py)?.into_any().unbind(),
        Decoded::Float(f) => f64::from(*f).into_pyobject(py)?.into_any().unbind(),
        Decoded::Decimal(text) => py.import("decimal")?.getattr("Decimal")?.call1((text,))?.unbind(),
        Decoded::Date(days) => {
            let epoch = datetime()?.getattr("date")?.call1((1970, 1, 1))?;
            let delta = datetime()?.getattr("timedelta")?.call1((*days,))?;
            epoch.call_method1("__add__", (delta,))?.unbind()
        }
        Decoded::Timestamp(micros, zoned) => {
            let dt = datetime()?;
            let epoch = if *zoned {
                let utc = dt.getattr("timezone")?.getattr("utc")?;
                dt.getattr("datetime")?.call1((1970, 1, 1, 0, 0, 0, 0, utc))?
            } else {
                dt.getattr("datetime")?.call1((1970, 1, 1))?
            };
            let delta = dt.getattr("timedelta")?.call1((0, 0, *micros))?;
            epoch.call_method1("__add__", (delta,))?.unbind()
        }
        Decoded::Binary(b) => PyBytes::new(py, b).into_any().unbind(),
        Decoded::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Decoded::Object(fields) => {
            let dict = PyDict::new(py);
            for (k, v) in fields {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any().unbind()
        }
        Decoded::Array(items) => {
            let values = items.iter().map(|v| to_python(py, v)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, values)?.into_any().unbind()
        }
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(variant_parse_json, m)?)?;
    m.add_function(wrap_pyfunction!(variant_to_python, m)?)?;
    Ok(())
}
