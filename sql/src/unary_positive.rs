//! `positive(x)`: `x` itself (Spark's unary `+`), for numbers and intervals, named `(+ x)`.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct Positive {
    signature: Signature,
}

pub fn positive() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Positive { signature: Signature::any(1, Volatility::Immutable) }))
}

impl ScalarUDFImpl for Positive {
    fn name(&self) -> &str {
        "positive"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match &args[0] {
            t if t.is_numeric() || matches!(t, DataType::Interval(_) | DataType::Duration(_) | DataType::Null) => Ok(t.clone()),
            other => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"positive\" due to data type mismatch: The first parameter \
                 requires the (\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\") type, however it \
                 has the type \"{}\". SQLSTATE: 42K09",
                crate::types::sql_type(other)
            ),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        Ok(args.args[0].clone())
    }
}
