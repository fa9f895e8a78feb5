//! `explode` / `explode_outer`: generators that turn one row into many.
//!
//! In Spark they are expressions placed in a select list; in DataFusion the same effect is an
//! `Unnest` plan node. These functions mark the spot in an expression tree, and
//! [`DataFrame::select`](crate::DataFrame::select) turns a marked select item into an unnest.
//! They cannot be evaluated row by row, and say so if used anywhere else.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::expr::{Alias, ScalarFunction};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct Explode {
    name: &'static str,
    signature: Signature,
}

impl ScalarUDFImpl for Explode {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types.first() {
            Some(DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)) => Ok(f.data_type().clone()),
            // A map's entries (the select makes them `key` and `value` columns).
            Some(DataType::Map(entries, _)) => Ok(entries.data_type().clone()),
            Some(other) => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\": parameter 1 requires the (\"ARRAY\" or \"MAP\") type, however it has the type \"{}\".",
                self.name,
                ember_sql::simple_string(other).to_uppercase()
            ),
            None => plan_err!("{} takes one argument", self.name),
        }
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        plan_err!("[UNSUPPORTED_GENERATOR.NOT_GENERATOR] {} can only be used as a top-level item of select or withColumn", self.name)
    }
}

/// The `explode` (`outer = false`) or `explode_outer` function.
pub fn explode_udf(outer: bool) -> Arc<ScalarUDF> {
    let name = if outer { "explode_outer" } else { "explode" };
    Arc::new(ScalarUDF::new_from_impl(Explode { name, signature: Signature::any(1, Volatility::Immutable) }))
}

/// A select item that is a generator call.
pub struct Generator {
    pub input: Expr,
    pub outer: bool,
    pub alias: Option<String>,
}

/// Recognizes `explode(x)` / `explode_outer(x)`, possibly aliased.
pub fn as_generator(expr: &Expr) -> Option<Generator> {
    match expr {
        Expr::Alias(Alias { expr, name, .. }) => as_generator(expr).map(|g| Generator { alias: Some(name.clone()), ..g }),
        Expr::ScalarFunction(ScalarFunction { func, args }) if matches!(func.name(), "explode" | "explode_outer") => {
            Some(Generator { input: args.first()?.clone(), outer: func.name() == "explode_outer", alias: None })
        }
        _ => None,
    }
}
