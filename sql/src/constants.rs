//! Spark's functions of no arguments whose value is fixed: `e()`, the session's catalog and
//! schema (`current_catalog()`, `current_database()`/`current_schema()`; Ember has one catalog,
//! `spark_catalog`, with one schema, `default`), the path functions are resolved along
//! (`current_path()`) and the user running the application (`current_user()`, `user()`,
//! `session_user()`: `SPARK_USER` when set, as Spark's `sparkUser`, else the login name).

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
    ["e", "current_catalog", "current_database", "current_schema", "current_path", "current_user", "user", "session_user"]
        .into_iter()
        .map(constant)
        .collect()
}

/// The user Spark reports: `SPARK_USER`, else the login name.
fn spark_user() -> String {
    ["SPARK_USER", "USER", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty())).unwrap_or_else(|| "root".into())
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
            "current_path" => ScalarValue::Utf8(Some(format!("system.builtin,system.session,spark_catalog.{DEFAULT_SCHEMA}"))),
            "current_user" | "user" | "session_user" => ScalarValue::Utf8(Some(spark_user())),
            _ => ScalarValue::Utf8(Some(DEFAULT_SCHEMA.into())),
        }))
    }
}
