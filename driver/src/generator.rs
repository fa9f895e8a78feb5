//! Generators that turn one row into many in the DataFrame API: `explode`, `posexplode`,
//! `inline` (each with its `_outer` form) and `stack`.
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
        if self.name == "stack" {
            return Ok(arg_types.get(1).cloned().unwrap_or(DataType::Null));
        }
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

/// The generators, by name: what each makes of a row, and whether it keeps rows it makes
/// nothing of (as one row of NULLs).
const GENERATORS: [(&str, Kind, bool); 7] = [
    ("explode", Kind::Explode, false),
    ("explode_outer", Kind::Explode, true),
    ("posexplode", Kind::PosExplode, false),
    ("posexplode_outer", Kind::PosExplode, true),
    ("inline", Kind::Inline, false),
    ("inline_outer", Kind::Inline, true),
    ("stack", Kind::Stack, false),
];

/// What a generator makes of its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An array's elements (`col`), or a map's entries (`key`, `value`).
    Explode,
    /// The same, each after its position from 0 (`pos`).
    PosExplode,
    /// An array of structs' structs, one column per field.
    Inline,
    /// `stack(n, v1, v2, ...)`: the values in `n` rows (`col0`, `col1`, ...).
    Stack,
}

/// The generator of this name (`explode`, `posexplode_outer`, `stack`, ...).
pub fn generator_udf(name: &str) -> Result<Arc<ScalarUDF>> {
    match GENERATORS.iter().find(|(n, ..)| *n == name) {
        Some((name, ..)) => {
            Ok(Arc::new(ScalarUDF::new_from_impl(Explode { name, signature: Signature::variadic_any(Volatility::Immutable) })))
        }
        None => plan_err!("{name} is not a generator"),
    }
}

/// The `explode` (`outer = false`) or `explode_outer` function.
pub fn explode_udf(outer: bool) -> Arc<ScalarUDF> {
    let name = if outer { "explode_outer" } else { "explode" };
    Arc::new(ScalarUDF::new_from_impl(Explode { name, signature: Signature::variadic_any(Volatility::Immutable) }))
}

/// A select item that is a generator call.
pub struct Generator {
    pub kind: Kind,
    pub args: Vec<Expr>,
    pub outer: bool,
    pub alias: Option<String>,
}

/// Recognizes a generator call, possibly aliased.
pub fn as_generator(expr: &Expr) -> Option<Generator> {
    match expr {
        Expr::Alias(Alias { expr, name, .. }) => as_generator(expr).map(|g| Generator { alias: Some(name.clone()), ..g }),
        Expr::ScalarFunction(ScalarFunction { func, args }) => {
            let (_, kind, outer) = GENERATORS.iter().find(|(n, ..)| *n == func.name())?;
            if args.is_empty() {
                return None;
            }
            Some(Generator { kind: *kind, args: args.clone(), outer: *outer, alias: None })
        }
        _ => None,
    }
}

/// `stack(n, v1, v2, ...)`'s rows as an array of structs (`col0`, `col1`, ...): the values
/// in `n` rows of as many columns as it takes, the last row padded with NULLs.
pub fn stack_rows(args: &[Expr]) -> Result<Expr> {
    use datafusion::common::ScalarValue;
    let n = match args.first() {
        Some(Expr::Literal(ScalarValue::Int32(Some(n)), _)) => i64::from(*n),
        Some(Expr::Literal(ScalarValue::Int64(Some(n)), _)) => *n,
        _ => {
            return plan_err!(
                "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve \"stack\": the number of rows must be an integer literal."
            );
        }
    };
    let values = &args[1..];
    if n <= 0 {
        return plan_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"stack\": the number of rows must be positive, got {n}.");
    }
    let n = n as usize;
    let width = values.len().div_ceil(n).max(1);
    let rows: Vec<Expr> = (0..n)
        .map(|r| {
            let mut fields = Vec::with_capacity(width * 2);
            for c in 0..width {
                fields.push(datafusion::logical_expr::lit(format!("col{c}")));
                fields.push(values.get(r * width + c).cloned().unwrap_or(Expr::Literal(ScalarValue::Null, None)));
            }
            datafusion::functions::core::expr_fn::named_struct(fields)
        })
        .collect();
    Ok(datafusion::functions_nested::expr_fn::make_array(rows))
}
