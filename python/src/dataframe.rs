//! `DataFrame`'s native half: transformations return new DataFrames, actions release the GIL
//! while the engine runs (so Python UDFs can run on task threads).

use std::collections::HashMap;

use arrow_pyarrow::ToPyArrow;
use datafusion::logical_expr::SortExpr;
use ember_driver::write::{SaveMode, WriteRequest, save};
use ember_driver::{DataFrame, JoinOn, catalog};
use pyo3::prelude::*;

use crate::column::PyColumn;
use crate::errors::IntoPyResult;
use crate::plain::{plain_batch, plain_schema};

#[pyclass(name = "NativeDataFrame", module = "ember._native", frozen)]
pub struct PyDataFrame {
    pub inner: DataFrame,
}

impl From<DataFrame> for PyDataFrame {
    fn from(inner: DataFrame) -> Self {
        Self { inner }
    }
}

fn cols(v: Vec<PyColumn>) -> Vec<datafusion::logical_expr::Expr> {
    v.into_iter().map(|c| c.expr).collect()
}

#[pymethods]
impl PyDataFrame {
    fn schema(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(plain_schema(self.inner.schema().as_ref()).to_pyarrow(py)?.unbind())
    }

    fn columns(&self) -> Vec<String> {
        self.inner.columns()
    }

    fn column(&self, name: &str) -> PyResult<PyColumn> {
        self.inner.column(name).py().map(PyColumn::new)
    }

    fn select(&self, py: Python<'_>, exprs: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        let exprs = cols(exprs);
        py.detach(|| self.inner.select(exprs)).py().map(Into::into)
    }

    fn filter(&self, condition: PyColumn) -> PyResult<PyDataFrame> {
        self.inner.filter(condition.expr).py().map(Into::into)
    }

    fn with_columns(&self, names: Vec<String>, exprs: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        self.inner.with_columns(names, cols(exprs)).py().map(Into::into)
    }

    fn with_column_renamed(&self, existing: &str, new: &str) -> PyResult<PyDataFrame> {
        self.inner.with_column_renamed(existing, new).py().map(Into::into)
    }

    fn drop(&self, names: Vec<String>, refs: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        self.inner.drop(names, cols(refs)).py().map(Into::into)
    }

    fn distinct(&self) -> PyResult<PyDataFrame> {
        self.inner.distinct().py().map(Into::into)
    }

    fn drop_duplicates(&self, subset: Vec<String>) -> PyResult<PyDataFrame> {
        self.inner.drop_duplicates(subset).py().map(Into::into)
    }

    fn aggregate(&self, group: Vec<PyColumn>, aggs: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        self.inner.aggregate(cols(group), cols(aggs)).py().map(Into::into)
    }

    fn sort(&self, keys: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        let keys: Vec<SortExpr> = keys.iter().map(PyColumn::sort_expr).collect();
        self.inner.sort(keys).py().map(Into::into)
    }

    fn limit(&self, n: usize) -> PyResult<PyDataFrame> {
        self.inner.limit(n).py().map(Into::into)
    }

    fn offset(&self, n: usize) -> PyResult<PyDataFrame> {
        self.inner.offset(n).py().map(Into::into)
    }

    fn alias(&self, name: &str) -> PyResult<PyDataFrame> {
        self.inner.alias(name).py().map(Into::into)
    }

    fn union(&self, other: &PyDataFrame) -> PyResult<PyDataFrame> {
        self.inner.union(&other.inner).py().map(Into::into)
    }

    fn set_operation(&self, other: &PyDataFrame, except: bool, all: bool) -> PyResult<PyDataFrame> {
        self.inner.set_operation(&other.inner, except, all).py().map(Into::into)
    }

    fn union_by_name(&self, other: &PyDataFrame, allow_missing: bool) -> PyResult<PyDataFrame> {
        self.inner.union_by_name(&other.inner, allow_missing).py().map(Into::into)
    }

    /// `on` is a list of key names, a condition Column, or None (cross join).
    fn join(&self, other: &PyDataFrame, on: &Bound<'_, PyAny>, how: &str) -> PyResult<PyDataFrame> {
        let on = if on.is_none() {
            JoinOn::None
        } else if let Ok(c) = on.extract::<PyColumn>() {
            JoinOn::Condition(c.expr)
        } else {
            JoinOn::Using(on.extract::<Vec<String>>()?)
        };
        self.inner.join(&other.inner, on, how).py().map(Into::into)
    }

    #[pyo3(signature = (n, exprs))]
    fn repartition(&self, n: Option<usize>, exprs: Vec<PyColumn>) -> PyResult<PyDataFrame> {
        self.inner.repartition(n, cols(exprs)).py().map(Into::into)
    }

    fn cache(&self) -> PyResult<PyDataFrame> {
        self.inner.cache().py().map(Into::into)
    }

    fn unpersist(&self) -> PyDataFrame {
        self.inner.unpersist().into()
    }

    fn is_cached(&self) -> bool {
        self.inner.is_cached()
    }

    /// All rows as pyarrow record batches, in order.
    fn collect(&self, py: Python<'_>) -> PyResult<Vec<Py<PyAny>>> {
        let batches = py.detach(|| self.inner.collect()).py()?;
        batches.iter().map(|b| Ok(plain_batch(b).py()?.to_pyarrow(py)?.unbind())).collect()
    }

    fn count(&self, py: Python<'_>) -> PyResult<i64> {
        py.detach(|| self.inner.count()).py()
    }

    fn show_string(&self, py: Python<'_>, n: usize, truncate: usize, vertical: bool) -> PyResult<String> {
        py.detach(|| self.inner.show_string(n, truncate, vertical)).py()
    }

    #[pyo3(signature = (level = None))]
    fn tree_string(&self, level: Option<usize>) -> String {
        self.inner.tree_string(level)
    }

    fn explain_string(&self, py: Python<'_>, extended: bool) -> PyResult<String> {
        py.detach(|| self.inner.explain_string(extended)).py()
    }

    fn create_view(&self, name: &str, replace: bool, global: bool) -> PyResult<()> {
        catalog::create_view(self.inner.session().ctx(), name, self.inner.plan().clone(), replace, global).py()
    }

    fn write(
        &self,
        py: Python<'_>,
        path: String,
        format: String,
        mode: &str,
        options: HashMap<String, String>,
        partition_by: Vec<String>,
    ) -> PyResult<()> {
        let mode = SaveMode::parse(mode).py()?;
        let options = options.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
        let req = WriteRequest { format, mode, options, partition_by, path };
        py.detach(|| save(&self.inner, &req)).py()
    }
}
