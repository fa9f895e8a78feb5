//! Spark's functions of no arguments whose value is fixed: `e()`, and the session's catalog
//! and schema (`current_catalog()`, `current_database()`/`current_schema()`; Ember has one
//! catalog, `spark_catalog`, with one schema, `default`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The one schema (database) of Ember's catalog.
pub const DEFAULT_SCHEMA: &str = "default";

#[derive(Debug, PartialEq, Eq, Hash)]
struct Constant {
    name: &'static str,
    signature: Signature,
}

fn constant(name: &'static str) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Constant { name, signature: Signature::nullary(Volatility::Immutable) }))
}

/// Every constant function.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    ["e", "current_catalog", "current_database", "current_schema"].into_iter().map(constant).collect()
}

impl ScalarUDFImpl for Constant {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(if self.name == "e" { DataType::Float64 } else { DataType::Utf8 })
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        Ok(ColumnarValue::Scalar(match self.name {
            "e" => ScalarValue::Float64(Some(std::f64::consts::E)),
            "current_catalog" => ScalarValue::Utf8(Some("spark_catalog".into())),
            _ => ScalarValue::Utf8(Some(DEFAULT_SCHEMA.into())),
        }))
    }
}
