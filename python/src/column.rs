//! `Column` expressions and the function constructors behind `ember.sql.functions`: Python
//! values in, [`ember_driver::column`] decides.

use datafusion::logical_expr::{Expr, SortExpr, lit};
use ember_driver::column::{self as api, Frame, SortOrder};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::errors::IntoPyResult;
use crate::literal::to_scalar;

/// A column expression; `sort` is set by `asc()`/`desc()` and used by `orderBy`.
#[pyclass(name = "Column", module = "ember._native", frozen, from_py_object)]
#[derive(Clone, Debug)]
pub struct PyColumn {
    pub expr: Expr,
    pub sort: Option<SortOrder>,
}

impl PyColumn {
    pub fn new(expr: Expr) -> Self {
        Self { expr, sort: None }
    }

    pub fn sort_expr(&self) -> SortExpr {
        api::sort_expr(&self.expr, self.sort)
    }
}

/// A Column, or a Python value taken as a literal.
pub fn to_expr(value: &Bound<'_, PyAny>) -> PyResult<Expr> {
    if let Ok(c) = value.extract::<PyColumn>() {
        return Ok(c.expr);
    }
    Ok(lit(to_scalar(value)?))
}

fn exprs(values: &Bound<'_, PyList>) -> PyResult<Vec<Expr>> {
    values.iter().map(|v| to_expr(&v)).collect()
}

fn wrap(expr: ember_driver::error::Result<Expr>) -> PyResult<PyColumn> {
    expr.py().map(PyColumn::new)
}

#[pymethods]
impl PyColumn {
    /// `self <op> other`; `reverse` puts `other` on the left (`1 - col`).
    #[pyo3(signature = (op, other, reverse = false))]
    fn binary(&self, op: &str, other: &Bound<'_, PyAny>, reverse: bool) -> PyResult<PyColumn> {
        let o = to_expr(other)?;
        let (l, r) = if reverse { (o, self.expr.clone()) } else { (self.expr.clone(), o) };
        wrap(api::binary(op, l, r))
    }

    fn negate(&self) -> PyResult<PyColumn> {
        wrap(api::negate(self.expr.clone()))
    }

    fn invert(&self) -> PyColumn {
        PyColumn::new(Expr::Not(Box::new(self.expr.clone())))
    }

    fn alias(&self, name: &str) -> PyColumn {
        PyColumn { expr: api::alias(&self.expr, name), sort: self.sort }
    }

    fn cast(&self, type_name: &str) -> PyResult<PyColumn> {
        wrap(api::cast_to(self.expr.clone(), type_name))
    }

    fn try_cast(&self, type_name: &str) -> PyResult<PyColumn> {
        wrap(api::try_cast_to(self.expr.clone(), type_name))
    }

    fn is_null(&self) -> PyColumn {
        PyColumn::new(self.expr.clone().is_null())
    }

    fn is_not_null(&self) -> PyColumn {
        PyColumn::new(self.expr.clone().is_not_null())
    }

    fn isin(&self, values: &Bound<'_, PyList>) -> PyResult<PyColumn> {
        Ok(PyColumn::new(self.expr.clone().in_list(exprs(values)?, false)))
    }

    #[pyo3(signature = (pattern, negated = false, case_insensitive = false))]
    fn like(&self, pattern: &Bound<'_, PyAny>, negated: bool, case_insensitive: bool) -> PyResult<PyColumn> {
        Ok(PyColumn::new(api::like(self.expr.clone(), to_expr(pattern)?, negated, case_insensitive)))
    }

    fn rlike(&self, pattern: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        Ok(PyColumn::new(api::rlike(self.expr.clone(), to_expr(pattern)?)))
    }

    fn get_field(&self, name: &str) -> PyColumn {
        PyColumn::new(api::get_field(self.expr.clone(), name))
    }

    fn get_item(&self, key: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        Ok(PyColumn::new(api::get_item(self.expr.clone(), to_scalar(key)?)))
    }

    #[pyo3(signature = (ascending = true, nulls_first = None))]
    fn sort(&self, ascending: bool, nulls_first: Option<bool>) -> PyColumn {
        PyColumn { expr: self.expr.clone(), sort: Some(SortOrder::new(ascending, nulls_first)) }
    }

    /// Adds a `WHEN cond THEN value` to a CASE built by `functions.when`.
    fn when(&self, condition: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        wrap(api::add_when(&self.expr, to_expr(condition)?, to_expr(value)?))
    }

    fn otherwise(&self, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        wrap(api::otherwise(&self.expr, to_expr(value)?))
    }

    /// `expr.over(window)`: frame is (units, start, end) with `None` meaning unbounded.
    #[pyo3(signature = (partition_by, order_by, frame = None))]
    fn over(
        &self,
        partition_by: Vec<PyColumn>,
        order_by: Vec<PyColumn>,
        frame: Option<(String, Option<i64>, Option<i64>)>,
    ) -> PyResult<PyColumn> {
        let order: Vec<SortExpr> = order_by.iter().map(PyColumn::sort_expr).collect();
        let frame = frame.map(|(units, start, end)| Frame { range: units == "range", start, end });
        wrap(api::over(&self.expr, partition_by.into_iter().map(|c| c.expr).collect(), order, frame))
    }

    /// The name Spark gives this column in a result.
    fn name(&self) -> String {
        ember_driver::resolve::output_name(&self.expr)
    }

    fn __repr__(&self) -> String {
        format!("Column<'{}'>", ember_sql::spark_name(&self.expr))
    }
}

/// `functions.col("a")`, `col("t.a")`, `col("*")`, `col("t.*")`.
#[pyfunction]
fn col(name: &str) -> PyColumn {
    PyColumn::new(api::col(name))
}

#[pyfunction(name = "lit")]
fn lit_py(value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
    if let Ok(c) = value.extract::<PyColumn>() {
        return Ok(c);
    }
    Ok(PyColumn::new(lit(to_scalar(value)?)))
}

/// A scalar function by Spark name.
#[pyfunction]
fn call(name: &str, args: &Bound<'_, PyList>) -> PyResult<PyColumn> {
    wrap(api::call(name, exprs(args)?))
}

/// A call of a declared function by Spark name: the registry decides whether it is a scalar
/// function, an aggregate or a window function (the generated wrappers' one entry point).
#[pyfunction]
fn function(name: &str, args: &Bound<'_, PyList>) -> PyResult<PyColumn> {
    wrap(api::function(name, exprs(args)?))
}

/// A lambda for a higher-order function (`functions.transform(c, lambda x: ...)`): `body` was
/// computed from the variables named `params`.
#[pyfunction]
fn lambda_function(params: Vec<String>, body: PyColumn) -> PyColumn {
    PyColumn::new(api::lambda(params, body.expr))
}

/// A lambda's variable, by a name unique to its lambda.
#[pyfunction]
fn lambda_variable(name: &str) -> PyColumn {
    PyColumn::new(api::lambda_variable(name))
}

/// An aggregate function by name.
#[pyfunction]
#[pyo3(signature = (name, args, distinct = false, ignore_nulls = false, order_by = None))]
fn agg(name: &str, args: &Bound<'_, PyList>, distinct: bool, ignore_nulls: bool, order_by: Option<Vec<PyColumn>>) -> PyResult<PyColumn> {
    let order: Vec<SortExpr> = order_by.unwrap_or_default().iter().map(PyColumn::sort_expr).collect();
    wrap(api::aggregate(name, exprs(args)?, distinct, ignore_nulls, order))
}

/// A ranking/offset window function (`row_number`, `rank`, `lag`, ...), to be used with `over`.
#[pyfunction]
fn window_fn(name: &str, args: &Bound<'_, PyList>) -> PyResult<PyColumn> {
    wrap(api::window_function(name, exprs(args)?))
}

#[pyfunction]
fn when(condition: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
    Ok(PyColumn::new(api::when(to_expr(condition)?, to_expr(value)?)))
}

#[pyfunction]
#[pyo3(signature = (column, outer = false))]
fn explode(column: &Bound<'_, PyAny>, outer: bool) -> PyResult<PyColumn> {
    Ok(PyColumn::new(api::explode(to_expr(column)?, outer)))
}

/// A generator by name over its arguments (`posexplode(a)`, `stack(2, a, b)`).
#[pyfunction]
fn generator(name: &str, args: Vec<PyColumn>) -> PyResult<PyColumn> {
    wrap(api::generator(name, args.into_iter().map(|c| c.expr).collect()))
}

/// `functions.expr("a + 1")`.
#[pyfunction]
pub fn sql_expr(text: &str) -> PyResult<PyColumn> {
    wrap(api::sql_expr(text))
}

#[pyfunction]
fn count_star() -> PyColumn {
    PyColumn::new(api::count_star())
}

/// A pivot cell: `aggregate` over the rows where `condition` holds.
#[pyfunction]
fn mask_aggregate(aggregate: PyColumn, condition: PyColumn) -> PyResult<PyColumn> {
    wrap(api::mask_aggregate(aggregate.expr, &condition.expr))
}

/// `(name, kind, PySpark's parameters)` of every declared function PySpark has, from which
/// `ember.sql.functions`' wrappers are generated (`scripts/python-functions.py`).
#[pyfunction]
fn function_signatures() -> Vec<(&'static str, &'static str, &'static str)> {
    ember_sql::functions::python_signatures()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(function_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(mask_aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(col, m)?)?;
    m.add_function(wrap_pyfunction!(lit_py, m)?)?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(function, m)?)?;
    m.add_function(wrap_pyfunction!(lambda_function, m)?)?;
    m.add_function(wrap_pyfunction!(lambda_variable, m)?)?;
    m.add_function(wrap_pyfunction!(agg, m)?)?;
    m.add_function(wrap_pyfunction!(window_fn, m)?)?;
    m.add_function(wrap_pyfunction!(when, m)?)?;
    m.add_function(wrap_pyfunction!(explode, m)?)?;
    m.add_function(wrap_pyfunction!(generator, m)?)?;
    m.add_function(wrap_pyfunction!(sql_expr, m)?)?;
    m.add_function(wrap_pyfunction!(count_star, m)?)?;
    m.add_function(wrap_pyfunction!(crate::udf::make_udf, m)?)?;
    Ok(())
}
