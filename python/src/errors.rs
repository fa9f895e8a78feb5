//! Engine errors become PySpark's exception classes, defined in `ember.errors`.

use ember_driver::DriverError;
use pyo3::prelude::*;

/// Builds `ember.errors.<Class>(message)` for a driver error.
pub fn to_py(e: DriverError) -> PyErr {
    let class = e.class();
    let message = e.to_string();
    Python::attach(|py| {
        let made = py.import("ember.errors").and_then(|m| m.getattr(class)).and_then(|cls| cls.call1((message.clone(),)));
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(err) => err,
        }
    })
}

pub trait IntoPyResult<T> {
    fn py(self) -> PyResult<T>;
}

impl<T, E: Into<DriverError>> IntoPyResult<T> for Result<T, E> {
    fn py(self) -> PyResult<T> {
        self.map_err(|e| to_py(e.into()))
    }
}
