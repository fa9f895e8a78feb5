//! `SparkSession`'s native half: configuration, SQL, readers, local data, catalog, UDFs.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use ember_driver::read::{ReadRequest, load};
use ember_driver::{Conf, Session, catalog, local, spark_sql};
use pyo3::prelude::*;

use crate::dataframe::PyDataFrame;
use crate::errors::IntoPyResult;
use crate::udf::PyUdf;

#[pyclass(name = "NativeSession", module = "ember._native", frozen)]
pub struct PySession {
    pub inner: Arc<Session>,
}

#[pymethods]
impl PySession {
    #[new]
    fn new(py: Python<'_>, conf: Vec<(String, String)>) -> PyResult<Self> {
        let inner = py.detach(|| Session::new(Conf::new(conf))).py()?;
        Ok(Self { inner })
    }

    fn sql(&self, py: Python<'_>, text: &str) -> PyResult<PyDataFrame> {
        let s = Arc::clone(&self.inner);
        let text = text.to_string();
        py.detach(move || spark_sql::sql(&s, &text)).py().map(PyDataFrame::from)
    }

    fn table(&self, py: Python<'_>, name: &str) -> PyResult<PyDataFrame> {
        let s = Arc::clone(&self.inner);
        let name = name.to_string();
        py.detach(move || spark_sql::table(&s, &name)).py().map(PyDataFrame::from)
    }

    #[pyo3(signature = (format, paths, options, schema = None))]
    fn read(
        &self,
        py: Python<'_>,
        format: String,
        paths: Vec<String>,
        options: HashMap<String, String>,
        schema: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyDataFrame> {
        let schema = schema.map(|s| Schema::from_pyarrow_bound(s).map(Arc::new)).transpose()?;
        let options = options.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
        let s = Arc::clone(&self.inner);
        py.detach(move || load(&s, ReadRequest { format, options, schema, paths })).py().map(PyDataFrame::from)
    }

    /// Local data as pyarrow record batches (built by the Python side from rows or pandas).
    fn create_dataframe(&self, py: Python<'_>, batches: Vec<Bound<'_, PyAny>>, schema: &Bound<'_, PyAny>) -> PyResult<PyDataFrame> {
        let schema = Arc::new(Schema::from_pyarrow_bound(schema)?);
        let batches = batches.iter().map(RecordBatch::from_pyarrow_bound).collect::<PyResult<Vec<_>>>()?;
        let slots = self.inner.default_parallelism();
        let s = Arc::clone(&self.inner);
        py.detach(move || local::local_relation(&s, schema, batches, slots)).py().map(PyDataFrame::from)
    }

    #[pyo3(signature = (start, end, step, partitions = None))]
    fn range(&self, py: Python<'_>, start: i64, end: i64, step: i64, partitions: Option<usize>) -> PyResult<PyDataFrame> {
        if step == 0 {
            return Err(crate::errors::to_py(ember_driver::DriverError::IllegalArgument("The step of range() cannot be 0".into())));
        }
        let s = Arc::clone(&self.inner);
        let n = partitions.unwrap_or_else(|| s.default_parallelism());
        py.detach(move || ember_driver::range::range(&s, start, end, step, n)).py().map(PyDataFrame::from)
    }

    fn conf_get(&self, key: &str) -> Option<String> {
        self.inner.conf_value(key)
    }

    fn conf_set(&self, key: &str, value: &str) -> PyResult<()> {
        self.inner.conf_set(key, value).py()
    }

    fn conf_unset(&self, key: &str) {
        self.inner.conf_unset(key);
    }

    fn conf_all(&self) -> Vec<(String, String)> {
        self.inner.conf_all()
    }

    fn default_parallelism(&self) -> usize {
        self.inner.default_parallelism()
    }

    fn list_views(&self, global: bool) -> PyResult<Vec<String>> {
        catalog::list_views(self.inner.ctx(), global).py()
    }

    fn drop_view(&self, name: &str, global: bool) -> PyResult<bool> {
        let _ = self.inner.uncache_view(name);
        catalog::drop_view(self.inner.ctx(), name, global).py()
    }

    fn view_exists(&self, name: &str, global: bool) -> PyResult<bool> {
        catalog::view_exists(self.inner.ctx(), name, global).py()
    }

    /// `spark.udf.register(name, f)`: makes the UDF callable from SQL.
    fn register_udf(&self, udf: &PyUdf) {
        self.inner.ctx().register_udf(udf.udf.as_ref().clone());
    }

    fn is_view_cached(&self, name: &str) -> bool {
        self.inner.is_view_cached(name)
    }

    fn clear_cache(&self) {
        self.inner.caches().clear();
    }

    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.inner.stop());
    }

    /// The `ember://` URL of the cluster the session runs on, if any.
    fn cluster_url(&self) -> Option<String> {
        self.inner.cluster_url()
    }

    /// Process ids of a `local-cluster` master's scheduler and executors.
    fn local_cluster_pids(&self) -> Vec<u32> {
        self.inner.local_cluster_pids()
    }

    /// Metrics of recent jobs: one dict per job with its stages.
    fn recent_jobs(&self, py: Python<'_>) -> PyResult<Vec<Py<PyAny>>> {
        let mut out = Vec::new();
        for job in self.inner.recent_jobs() {
            let d = pyo3::types::PyDict::new(py);
            d.set_item("job", job.job)?;
            d.set_item("duration_ms", job.duration_ms)?;
            d.set_item("shuffled_bytes", job.shuffled_bytes())?;
            d.set_item("remote_bytes", job.remote_bytes())?;
            d.set_item("spilled_bytes", job.spilled_bytes())?;
            let stages = pyo3::types::PyList::empty(py);
            for s in &job.stages {
                let sd = pyo3::types::PyDict::new(py);
                sd.set_item("stage", s.stage)?;
                sd.set_item("kind", format!("{:?}", s.kind).to_lowercase())?;
                sd.set_item("tasks", s.tasks)?;
                sd.set_item("rows", s.rows)?;
                sd.set_item("bytes", s.bytes)?;
                sd.set_item("failed_attempts", s.failed_attempts)?;
                sd.set_item("duration_ms", s.duration_ms)?;
                sd.set_item("remote_bytes", s.remote_bytes)?;
                sd.set_item("spilled_bytes", s.spilled_bytes)?;
                sd.set_item("recomputed_tasks", s.recomputed_tasks)?;
                sd.set_item("executors", s.executors.clone())?;
                stages.append(sd)?;
            }
            d.set_item("stages", stages)?;
            out.push(d.into_any().unbind());
        }
        Ok(out)
    }
}

/// A DDL schema string (`"a int, b string"`) as a pyarrow schema.
#[pyfunction]
pub fn parse_ddl(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let schema = ember_sql::parse_ddl_schema(text).py()?;
    Ok(schema.to_pyarrow(py)?.unbind())
}

/// A Spark type name (`"decimal(10,2)"`) as a pyarrow type.
#[pyfunction]
pub fn parse_type(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let dt = ember_sql::parse_data_type(text).py()?;
    Ok(dt.to_pyarrow(py)?.unbind())
}

/// Spark's `simpleString` for a pyarrow type.
#[pyfunction]
pub fn spark_type_name(t: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(ember_sql::simple_string(&DataType::from_pyarrow_bound(t)?))
}
