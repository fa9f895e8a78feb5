//! Cluster processes started from Python (`python -m ember.cluster ...`), so executors can run
//! Python UDFs, and the wiring that makes `local-cluster` masters start them that way.

use std::sync::Arc;

use pyo3::prelude::*;

use crate::udf::PythonUdfCodec;

/// Runs `ember-scheduler` or `ember-executor` in this interpreter until it stops; returns the
/// exit code. The GIL is released so tasks can call back into Python.
#[pyfunction]
pub fn run_cluster_process(py: Python<'_>, role: String, args: Vec<String>) -> PyResult<i32> {
    let codecs = ember_driver::cluster::env::extra_codecs();
    match role.as_str() {
        "scheduler" => Ok(py.detach(|| ember_driver::cluster::cli::scheduler_main(args, codecs))),
        "executor" => Ok(py.detach(|| ember_driver::cluster::cli::executor_main(args, codecs))),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!("unknown cluster role '{other}': expected scheduler or executor"))),
    }
}

/// Called once when the module loads.
pub fn install(py: Python<'_>) -> PyResult<()> {
    ember_driver::cluster::env::register_codec(Arc::new(PythonUdfCodec));
    let python: String = py.import("sys")?.getattr("executable")?.extract()?;
    ember_driver::cluster::local_cluster::set_launcher(vec![python, "-m".into(), "ember.cluster".into()]);
    Ok(())
}
