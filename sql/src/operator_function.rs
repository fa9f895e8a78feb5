//! Spark operators that compute what a function computes but are named as operators: `a >>> b`
//! is `shiftrightunsigned(a, b)` named `(a >>> b)`. Each is the function under a name of its
//! own, so that plans, names and executors tell the two spellings apart.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature};

/// `a >>> b`: Spark's `shiftrightunsigned`.
pub const SHIFT_RIGHT_UNSIGNED: &str = "__ember_shift_right_unsigned";

/// The operators' functions, registered with the session (not Spark names, so not listed).
pub fn all() -> Vec<Arc<ScalarUDF>> {
    datafusion_spark::all_default_scalar_functions()
        .into_iter()
        .filter(|f| f.name() == "shiftrightunsigned")
        .map(|f| Arc::new(ScalarUDF::new_from_impl(Renamed { name: SHIFT_RIGHT_UNSIGNED, inner: f })))
        .collect()
}

/// `inner` under `name`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Renamed {
    name: &'static str,
    inner: Arc<ScalarUDF>,
}

impl ScalarUDFImpl for Renamed {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(args)
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.inner.return_type(args)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.inner.invoke_with_args(args)
    }
}
