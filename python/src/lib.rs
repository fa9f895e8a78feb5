//! `ember._native`: the Rust core behind the `ember` Python package.
//!
//! The Python package (`python/ember`) mirrors `pyspark.sql`; this module gives it sessions,
//! DataFrames, column expressions and UDFs backed by the Ember driver. Data crosses the
//! boundary as Arrow (pyarrow), never row by row.

mod cluster;
mod column;
mod commands;
mod dataframe;
mod errors;
mod literal;
mod plain;
mod session;
mod udf;
mod variant;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<session::PySession>()?;
    m.add_class::<dataframe::PyDataFrame>()?;
    m.add_class::<column::PyColumn>()?;
    m.add_class::<udf::PyUdf>()?;
    column::register(m)?;
    variant::register(m)?;
    m.add_function(wrap_pyfunction!(session::parse_ddl, m)?)?;
    m.add_function(wrap_pyfunction!(session::parse_type, m)?)?;
    m.add_function(wrap_pyfunction!(session::spark_type_name, m)?)?;
    m.add_function(wrap_pyfunction!(cluster::run_cluster_process, m)?)?;
    m.add_function(wrap_pyfunction!(commands::run_command, m)?)?;
    cluster::install(m.py())?;
    Ok(())
}
