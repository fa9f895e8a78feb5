//! `ember-sql` and `ember-submit` installed with the Python package (as pyspark installs
//! `spark-sql` and `spark-submit`), so a `pip install` is enough to use them.

use pyo3::prelude::*;

/// Runs `ember-sql` or `ember-submit` with `argv` (program name first) until it ends; returns
/// its exit code. The GIL is released meanwhile.
#[pyfunction]
pub fn run_command(py: Python<'_>, name: String, argv: Vec<String>) -> PyResult<i32> {
    match name.as_str() {
        "ember-sql" => Ok(py.detach(|| ember_driver::sql_cli::main(argv))),
        "ember-submit" => Ok(py.detach(|| ember_driver::submit::main(argv))),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!("unknown command '{other}': expected ember-sql or ember-submit"))),
    }
}
