//! Python UDFs as DataFusion scalar functions.
//!
//! A task hands a whole batch to Python: each argument column crosses as a pyarrow array, the
//! Python side (`ember.sql.udf._evaluate`) calls the function per row and builds the result
//! array of the declared type. An exception becomes a `PythonException` carrying the Python
//! traceback, and fails the job at once (no retry can fix it).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use datafusion::arrow::array::{ArrayData, make_array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use ember_driver::UserCodeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::column::{PyColumn, to_expr};
use crate::plain::plain_array;

pub(crate) struct PythonUdf {
    name: String,
    func: Py<PyAny>,
    evaluator: Py<PyAny>,
    return_type: DataType,
    signature: Signature,
}

impl std::fmt::Debug for PythonUdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PythonUdf({})", self.name)
    }
}

impl PartialEq for PythonUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.func.as_ptr() == other.func.as_ptr()
    }
}

impl Eq for PythonUdf {}

impl Hash for PythonUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        (self.func.as_ptr() as usize).hash(state);
    }
}

impl ScalarUDFImpl for PythonUdf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.return_type.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = args.args.into_iter().map(|a| a.into_array(rows)).collect::<Result<Vec<_>>>()?;
        let data = Python::attach(|py| -> PyResult<ArrayData> {
            let mut call_args: Vec<Bound<'_, PyAny>> =
                vec![self.func.bind(py).clone(), self.return_type.to_pyarrow(py)?, rows.into_pyobject(py)?.into_any()];
            for a in &arrays {
                let a = plain_array(a).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
                call_args.push(a.to_data().to_pyarrow(py)?);
            }
            let result = self.evaluator.bind(py).call1(PyTuple::new(py, call_args)?)?;
            ArrayData::from_pyarrow_bound(&result)
        })
        .map_err(|e| DataFusionError::External(Box::new(UserCodeError(python_traceback(e)))))?;
        Ok(ColumnarValue::Array(make_array(data)))
    }
}

/// The report `ember.sql.udf._evaluate` built (PySpark's message with the Python traceback),
/// or the error's own text if it failed before that.
fn python_traceback(err: PyErr) -> String {
    Python::attach(|py| {
        let message = err.value(py).str().and_then(|s| s.extract::<String>()).unwrap_or_else(|_| err.to_string());
        if message.starts_with("An exception was thrown from the Python worker") {
            message
        } else {
            format!("An exception was thrown from the Python worker:\n{message}")
        }
    })
}

/// A Python function usable as a column function (`udf(f, returnType)`).
#[pyclass(name = "NativeUdf", module = "ember._native", frozen)]
pub struct PyUdf {
    pub udf: Arc<ScalarUDF>,
}

#[pymethods]
impl PyUdf {
    #[pyo3(signature = (*args))]
    fn __call__(&self, args: &Bound<'_, PyTuple>) -> PyResult<PyColumn> {
        let exprs = args.iter().map(|a| to_expr(&a)).collect::<PyResult<Vec<Expr>>>()?;
        Ok(PyColumn::new(Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(&self.udf), exprs))))
    }

    #[getter]
    fn name(&self) -> String {
        self.udf.name().to_string()
    }
}

#[pyfunction]
pub fn make_udf(
    name: String,
    func: Py<PyAny>,
    return_type: &Bound<'_, PyAny>,
    evaluator: Py<PyAny>,
    deterministic: bool,
) -> PyResult<PyUdf> {
    let return_type = DataType::from_pyarrow_bound(return_type)?;
    let volatility = if deterministic { Volatility::Immutable } else { Volatility::Volatile };
    let imp = PythonUdf { name, func, evaluator, return_type, signature: Signature::variadic_any(volatility) };
    Ok(PyUdf { udf: Arc::new(ScalarUDF::new_from_impl(imp)) })
}

/// Shipping Python UDFs to cluster processes: the function is pickled (with `cloudpickle`
/// when installed, so lambdas and closures travel too) together with its return type.
#[derive(Debug, Default)]
pub struct PythonUdfCodec;

impl PythonUdf {
    fn to_bytes(&self) -> PyResult<Vec<u8>> {
        Python::attach(|py| {
            let pickler = py.import("cloudpickle").or_else(|_| py.import("pickle"))?;
            let deterministic = self.signature.volatility != Volatility::Volatile;
            let payload = (self.func.bind(py), self.evaluator.bind(py), self.return_type.to_pyarrow(py)?, deterministic);
            pickler.call_method1("dumps", (payload,))?.extract::<Vec<u8>>()
        })
    }

    fn from_bytes(name: &str, bytes: &[u8]) -> PyResult<Self> {
        Python::attach(|py| {
            let payload = py.import("pickle")?.call_method1("loads", (pyo3::types::PyBytes::new(py, bytes),))?;
            let (func, evaluator, return_type, deterministic): (Py<PyAny>, Py<PyAny>, Bound<'_, PyAny>, bool) = payload.extract()?;
            let volatility = if deterministic { Volatility::Immutable } else { Volatility::Volatile };
            Ok(PythonUdf {
                name: name.to_string(),
                func,
                evaluator,
                return_type: DataType::from_pyarrow_bound(&return_type)?,
                signature: Signature::variadic_any(volatility),
            })
        })
    }
}

fn codec_error(name: &str, e: PyErr) -> DataFusionError {
    DataFusionError::Execution(format!("cannot ship Python UDF {name}: {e}"))
}

impl datafusion_proto::physical_plan::PhysicalExtensionCodec for PythonUdfCodec {
    fn try_decode(
        &self,
        _buf: &[u8],
        _inputs: &[Arc<dyn datafusion::physical_plan::ExecutionPlan>],
        _ctx: &datafusion::execution::TaskContext,
        _converter: &dyn datafusion_proto::physical_plan::PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn datafusion::physical_plan::ExecutionPlan>> {
        Err(DataFusionError::NotImplemented("the Python codec ships functions, not operators".into()))
    }

    fn try_encode(
        &self,
        _node: Arc<dyn datafusion::physical_plan::ExecutionPlan>,
        _buf: &mut Vec<u8>,
        _converter: &dyn datafusion_proto::physical_plan::PhysicalProtoConverterExtension,
    ) -> Result<()> {
        Err(DataFusionError::NotImplemented("the Python codec ships functions, not operators".into()))
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        if let Some(udf) = node.inner().downcast_ref::<PythonUdf>() {
            buf.extend(udf.to_bytes().map_err(|e| codec_error(&udf.name, e))?);
        }
        Ok(())
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        let udf = PythonUdf::from_bytes(name, buf).map_err(|e| codec_error(name, e))?;
        Ok(Arc::new(ScalarUDF::new_from_impl(udf)))
    }
}
