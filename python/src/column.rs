//! `Column` expressions and the function constructors behind `ember.sql.functions`.

use std::sync::Arc;

use datafusion::common::{Column, ScalarValue};
use datafusion::logical_expr::expr::{AggregateFunction, ScalarFunction, WindowFunction};
use datafusion::logical_expr::{
    BinaryExpr, Case, Expr, ExprFunctionExt, Operator, SortExpr, WindowFrame, WindowFrameBound, WindowFrameUnits, WindowFunctionDefinition,
    cast, lit,
};
use ember_sql::functions::catalog;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::errors::IntoPyResult;
use crate::literal::to_scalar;

/// A column expression; `sort` is set by `asc()`/`desc()` and used by `orderBy`.
#[pyclass(name = "Column", module = "ember._native", frozen, from_py_object)]
#[derive(Clone, Debug)]
pub struct PyColumn {
    pub expr: Expr,
    pub sort: Option<(bool, bool)>,
}

impl PyColumn {
    pub fn new(expr: Expr) -> Self {
        Self { expr, sort: None }
    }

    /// The sort key Spark uses: ascending, NULLs first (descending: NULLs last) by default.
    pub fn sort_expr(&self) -> SortExpr {
        let (asc, nulls_first) = self.sort.unwrap_or((true, true));
        SortExpr { expr: self.expr.clone(), asc, nulls_first }
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

fn operator(op: &str) -> PyResult<Operator> {
    Ok(match op {
        "+" => Operator::Plus,
        "-" => Operator::Minus,
        "*" => Operator::Multiply,
        "/" => Operator::Divide,
        "%" => Operator::Modulo,
        "==" => Operator::Eq,
        "!=" => Operator::NotEq,
        "<" => Operator::Lt,
        "<=" => Operator::LtEq,
        ">" => Operator::Gt,
        ">=" => Operator::GtEq,
        "and" => Operator::And,
        "or" => Operator::Or,
        "<=>" => Operator::IsNotDistinctFrom,
        "&" => Operator::BitwiseAnd,
        "|" => Operator::BitwiseOr,
        "^" => Operator::BitwiseXor,
        other => return Err(pyo3::exceptions::PyValueError::new_err(format!("unknown operator {other}"))),
    })
}

#[pymethods]
impl PyColumn {
    /// `self <op> other`; `reverse` puts `other` on the left (`1 - col`).
    #[pyo3(signature = (op, other, reverse = false))]
    fn binary(&self, op: &str, other: &Bound<'_, PyAny>, reverse: bool) -> PyResult<PyColumn> {
        let o = to_expr(other)?;
        let (l, r) = if reverse { (o, self.expr.clone()) } else { (self.expr.clone(), o) };
        if op == "/" {
            // Spark's division is always double division.
            return Ok(PyColumn::new(Expr::ScalarFunction(ScalarFunction::new_udf(ember_sql::semantics::spark_divide(), vec![l, r]))));
        }
        Ok(PyColumn::new(Expr::BinaryExpr(BinaryExpr::new(Box::new(l), operator(op)?, Box::new(r)))))
    }

    /// `-col`, which in Spark's DataFrame API is the function `negative(col)`.
    fn negate(&self) -> PyResult<PyColumn> {
        Ok(PyColumn::new(call_scalar("negative", vec![self.expr.clone()])?))
    }

    fn invert(&self) -> PyColumn {
        PyColumn::new(Expr::Not(Box::new(self.expr.clone())))
    }

    fn alias(&self, name: &str) -> PyColumn {
        let inner = match &self.expr {
            Expr::Alias(a) => (*a.expr).clone(),
            e => e.clone(),
        };
        PyColumn { expr: inner.alias(name), sort: self.sort }
    }

    /// `cast("int")`, `cast("decimal(10,2)")`: Spark type names.
    fn cast(&self, type_name: &str) -> PyResult<PyColumn> {
        let dt = ember_sql::parse_data_type(type_name).py()?;
        if dt == datafusion::arrow::datatypes::DataType::Utf8 {
            // Spark renders values its own way when casting to string.
            let f = ember_sql::udfs::cast_string_udf();
            return Ok(PyColumn::new(Expr::ScalarFunction(ScalarFunction::new_udf(f, vec![self.expr.clone()]))));
        }
        Ok(PyColumn::new(cast(self.expr.clone(), dt)))
    }

    /// `try_cast`: NULL instead of an error when a value does not convert.
    fn try_cast(&self, type_name: &str) -> PyResult<PyColumn> {
        let dt = ember_sql::parse_data_type(type_name).py()?;
        Ok(PyColumn::new(Expr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(self.expr.clone()), dt))))
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
        let p = to_expr(pattern)?;
        let e = if case_insensitive { self.expr.clone().ilike(p) } else { self.expr.clone().like(p) };
        Ok(PyColumn::new(if negated { Expr::Not(Box::new(e)) } else { e }))
    }

    fn rlike(&self, pattern: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        let p = to_expr(pattern)?;
        Ok(PyColumn::new(Expr::BinaryExpr(BinaryExpr::new(Box::new(self.expr.clone()), Operator::RegexMatch, Box::new(p)))))
    }

    fn get_field(&self, name: &str) -> PyColumn {
        PyColumn::new(datafusion::functions::core::expr_fn::get_field(self.expr.clone(), name))
    }

    /// `col[i]` on arrays (0-based, as Spark's getItem), `col[key]` on maps, `col["f"]` on
    /// structs (Spark's `[]`, [`ember_sql::extract_value`], decided when the column resolves).
    fn get_item(&self, key: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        let key = Expr::Literal(to_scalar(key)?, None);
        Ok(PyColumn::new(Expr::ScalarFunction(ScalarFunction::new_udf(ember_sql::extract_value::item(), vec![self.expr.clone(), key]))))
    }

    #[pyo3(signature = (ascending = true, nulls_first = None))]
    fn sort(&self, ascending: bool, nulls_first: Option<bool>) -> PyColumn {
        PyColumn { expr: self.expr.clone(), sort: Some((ascending, nulls_first.unwrap_or(ascending))) }
    }

    /// Adds a `WHEN cond THEN value` to a CASE built by `functions.when`.
    fn when(&self, condition: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        match &self.expr {
            Expr::Case(c) if c.else_expr.is_none() => {
                let mut c = c.clone();
                c.when_then_expr.push((Box::new(to_expr(condition)?), Box::new(to_expr(value)?)));
                Ok(PyColumn::new(Expr::Case(c)))
            }
            _ => Err(pyo3::exceptions::PyValueError::new_err(
                "when() can only be applied on a Column previously generated by when() function",
            )),
        }
    }

    fn otherwise(&self, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
        match &self.expr {
            Expr::Case(c) if c.else_expr.is_none() => {
                let mut c = c.clone();
                c.else_expr = Some(Box::new(to_expr(value)?));
                Ok(PyColumn::new(Expr::Case(c)))
            }
            _ => Err(pyo3::exceptions::PyValueError::new_err(
                "otherwise() can only be applied on a Column previously generated by when() function, and cannot be applied once otherwise() is applied",
            )),
        }
    }

    /// `expr.over(window)`: frame is (units, start, end) with `None` meaning unbounded.
    #[pyo3(signature = (partition_by, order_by, frame = None))]
    fn over(
        &self,
        partition_by: Vec<PyColumn>,
        order_by: Vec<PyColumn>,
        frame: Option<(String, Option<i64>, Option<i64>)>,
    ) -> PyResult<PyColumn> {
        let (def, args, distinct) = match &self.expr {
            Expr::WindowFunction(w) => (w.fun.clone(), w.params.args.clone(), false),
            Expr::AggregateFunction(AggregateFunction { func, params }) => {
                (WindowFunctionDefinition::AggregateUDF(Arc::clone(func)), params.args.clone(), params.distinct)
            }
            _ => {
                return Err(crate::errors::to_py(ember_driver::DriverError::Analysis(format!(
                    "[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"{}\" not supported within a window function.",
                    ember_sql::spark_name(&self.expr)
                ))));
            }
        };
        let order: Vec<SortExpr> = order_by.iter().map(PyColumn::sort_expr).collect();
        let mut builder = Expr::WindowFunction(Box::new(WindowFunction::new(def, args)))
            .partition_by(partition_by.into_iter().map(|c| c.expr).collect())
            .order_by(order.clone())
            .distinct_if(distinct);
        if let Some((units, start, end)) = frame {
            let units = if units == "range" { WindowFrameUnits::Range } else { WindowFrameUnits::Rows };
            let bound = |v: Option<i64>, is_start: bool| match v {
                None if is_start => WindowFrameBound::Preceding(ScalarValue::UInt64(None)),
                None => WindowFrameBound::Following(ScalarValue::UInt64(None)),
                Some(0) => WindowFrameBound::CurrentRow,
                Some(n) if n < 0 => WindowFrameBound::Preceding(frame_offset(units, n.unsigned_abs())),
                Some(n) => WindowFrameBound::Following(frame_offset(units, n as u64)),
            };
            builder = builder.window_frame(WindowFrame::new_bounds(units, bound(start, true), bound(end, false)));
        } else if !order.is_empty() {
            // Spark's default frame with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
            builder = builder.window_frame(WindowFrame::new(Some(false)));
        } else {
            // Without ORDER BY the frame is the whole partition.
            builder = builder.window_frame(WindowFrame::new(None));
        }
        Ok(PyColumn::new(builder.build().py()?))
    }

    /// The name Spark gives this column in a result.
    fn name(&self) -> String {
        ember_driver::resolve::output_name(&self.expr)
    }

    fn __repr__(&self) -> String {
        format!("Column<'{}'>", ember_sql::spark_name(&self.expr))
    }
}

trait DistinctIf {
    fn distinct_if(self, d: bool) -> Self;
}

impl DistinctIf for datafusion::logical_expr::expr_fn::ExprFuncBuilder {
    fn distinct_if(self, d: bool) -> Self {
        if d { self.distinct() } else { self }
    }
}

fn frame_offset(units: WindowFrameUnits, n: u64) -> ScalarValue {
    match units {
        WindowFrameUnits::Rows => ScalarValue::UInt64(Some(n)),
        _ => ScalarValue::Int64(Some(n as i64)),
    }
}

pub fn call_scalar(name: &str, args: Vec<Expr>) -> PyResult<Expr> {
    let f = catalog().scalar(name).py()?;
    Ok(Expr::ScalarFunction(ScalarFunction::new_udf(f, args)))
}

/// `functions.col("a")`, `col("t.a")`, `col("*")`, `col("t.*")`.
#[pyfunction]
fn col(name: &str) -> PyColumn {
    let parts = ember_driver::resolve::split_name(name);
    let expr = match parts.as_slice() {
        [table, field] if !name.starts_with('`') => Expr::Column(Column::new(Some(table.clone()), field.clone())),
        _ => Expr::Column(Column::new_unqualified(if parts.len() == 1 { parts[0].clone() } else { name.to_string() })),
    };
    PyColumn::new(expr)
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
    Ok(PyColumn::new(call_scalar(name, exprs(args)?)?))
}

/// An aggregate function by name; `ignore_nulls` for `first`/`last`; `order_by` for
/// order-sensitive aggregates (`max_by` is `first_value(x ORDER BY y DESC)`).
#[pyfunction]
#[pyo3(signature = (name, args, distinct = false, ignore_nulls = false, order_by = None))]
fn agg(name: &str, args: &Bound<'_, PyList>, distinct: bool, ignore_nulls: bool, order_by: Option<Vec<PyColumn>>) -> PyResult<PyColumn> {
    let f = catalog().aggregate(name).py()?;
    let null_treatment = ignore_nulls.then_some(datafusion::logical_expr::expr::NullTreatment::IgnoreNulls);
    let order: Vec<SortExpr> = order_by.unwrap_or_default().iter().map(PyColumn::sort_expr).collect();
    Ok(PyColumn::new(Expr::AggregateFunction(AggregateFunction::new_udf(f, exprs(args)?, distinct, None, order, null_treatment))))
}

/// A ranking/offset window function (`row_number`, `rank`, `lag`, ...), to be used with `over`.
#[pyfunction]
fn window_fn(name: &str, args: &Bound<'_, PyList>) -> PyResult<PyColumn> {
    let f = catalog().window(name).py()?;
    Ok(PyColumn::new(Expr::WindowFunction(Box::new(WindowFunction::new(WindowFunctionDefinition::WindowUDF(f), exprs(args)?)))))
}

#[pyfunction]
fn when(condition: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<PyColumn> {
    Ok(PyColumn::new(Expr::Case(Case::new(None, vec![(Box::new(to_expr(condition)?), Box::new(to_expr(value)?))], None))))
}

#[pyfunction]
#[pyo3(signature = (column, outer = false))]
fn explode(column: &Bound<'_, PyAny>, outer: bool) -> PyResult<PyColumn> {
    let udf = ember_driver::generator::explode_udf(outer);
    Ok(PyColumn::new(Expr::ScalarFunction(ScalarFunction::new_udf(udf, vec![to_expr(column)?]))))
}

/// `functions.expr("a + 1")`: checked for syntax now, resolved by the DataFrame it is used on.
#[pyfunction]
pub fn sql_expr(text: &str) -> PyResult<PyColumn> {
    ember_sql::parser::parse_expression(text).map_err(|e| crate::errors::to_py(ember_driver::DriverError::from(e)))?;
    Ok(PyColumn::new(ember_driver::resolve::sql_text_expr(text)))
}

/// `count(*)`: Spark names it `count(1)`.
#[pyfunction]
fn count_star() -> PyResult<PyColumn> {
    Ok(PyColumn::new(datafusion::functions_aggregate::expr_fn::count(lit(1))))
}

/// An aggregate restricted to rows where `condition` holds (pivot): each argument becomes
/// `CASE WHEN condition THEN arg END`, which aggregates skip as NULL.
#[pyfunction]
fn mask_aggregate(aggregate: PyColumn, condition: PyColumn) -> PyResult<PyColumn> {
    let inner = match aggregate.expr {
        Expr::Alias(a) => *a.expr,
        other => other,
    };
    match inner {
        Expr::AggregateFunction(mut f) => {
            f.params.args = f
                .params
                .args
                .into_iter()
                .map(|a| Expr::Case(Case::new(None, vec![(Box::new(condition.expr.clone()), Box::new(a))], None)))
                .collect();
            Ok(PyColumn::new(Expr::AggregateFunction(f)))
        }
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "pivot needs aggregate expressions, got {}",
            ember_sql::spark_name(&other)
        ))),
    }
}

/// The function catalog's names: (scalar, aggregate, window).
#[pyfunction]
fn function_names() -> (Vec<String>, Vec<String>, Vec<String>) {
    catalog().names()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(function_names, m)?)?;
    m.add_function(wrap_pyfunction!(mask_aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(col, m)?)?;
    m.add_function(wrap_pyfunction!(lit_py, m)?)?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(agg, m)?)?;
    m.add_function(wrap_pyfunction!(window_fn, m)?)?;
    m.add_function(wrap_pyfunction!(when, m)?)?;
    m.add_function(wrap_pyfunction!(explode, m)?)?;
    m.add_function(wrap_pyfunction!(sql_expr, m)?)?;
    m.add_function(wrap_pyfunction!(count_star, m)?)?;
    m.add_function(wrap_pyfunction!(crate::udf::make_udf, m)?)?;
    Ok(())
}
