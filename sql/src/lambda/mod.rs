//! Spark's higher-order functions: the functions that take lambdas (`transform(a, x -> x + 1)`,
//! `aggregate(a, 0, (acc, x) -> acc + x)`), as DataFusion higher-order functions.
//!
//! DataFusion plans the lambdas (their parameters are typed by [`HigherOrderUDFImpl::lambda_parameters`])
//! and hands each function its lambdas compiled; the functions here evaluate a lambda over all
//! elements of a batch at once ([`elements::Elements`]). Spark names a lambda
//! `lambdafunction(body, namedlambdavariable(), ...)` ([`crate::naming`]).

pub mod aggregate;
pub mod array_fns;
pub mod array_sort;
pub mod elements;
pub mod map_fns;
pub mod zip_with;

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{DFSchema, Result, plan_datafusion_err};
use datafusion::logical_expr::expr::HigherOrderFunction;
use datafusion::logical_expr::{Expr, ExprSchemable, HigherOrderUDF, HigherOrderUDFImpl, ValueOrLambda};

use crate::naming::spark_name;
use crate::types::simple_string;

/// Every higher-order function, by its Spark name.
pub fn all() -> Vec<Arc<HigherOrderUDF>> {
    fn udf(f: impl HigherOrderUDFImpl + 'static) -> Arc<HigherOrderUDF> {
        Arc::new(HigherOrderUDF::new_from_impl(f))
    }
    vec![
        udf(array_fns::ArrayLambda::transform()),
        udf(array_fns::ArrayLambda::filter()),
        udf(array_fns::ArrayLambda::exists()),
        udf(array_fns::ArrayLambda::forall()),
        udf(aggregate::Aggregate::new("aggregate")),
        udf(aggregate::Aggregate::new("reduce")),
        udf(zip_with::ZipWith::new()),
        udf(map_fns::MapLambda::map_filter()),
        udf(map_fns::MapLambda::transform_keys()),
        udf(map_fns::MapLambda::transform_values()),
        udf(map_fns::MapZipWith::new()),
        udf(array_sort::ArraySort::new()),
    ]
}

/// Spark's word for the `n`th parameter (from 1) in its type errors.
fn ordinal(n: usize) -> &'static str {
    ["zeroth", "first", "second", "third", "fourth", "fifth"].get(n).copied().unwrap_or("next")
}

/// The type an array argument is given: Spark's arrays are Arrow lists.
fn array_type(function: &str, position: usize, t: &DataType) -> Result<DataType> {
    match t {
        DataType::List(_) => Ok(t.clone()),
        DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(DataType::List(Arc::clone(f))),
        other => Err(mismatch(function, position, "ARRAY", other)),
    }
}

/// The type a map argument is given.
fn map_type(function: &str, position: usize, t: &DataType) -> Result<DataType> {
    match t {
        DataType::Map(..) => Ok(t.clone()),
        other => Err(mismatch(function, position, "MAP", other)),
    }
}

fn mismatch(function: &str, position: usize, required: &str, found: &DataType) -> datafusion::error::DataFusionError {
    plan_datafusion_err!(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{function}\" due to data type mismatch: The {} parameter requires the \"{required}\" type, however the argument has the type \"{}\". SQLSTATE: 42K09",
        ordinal(position),
        simple_string(found).to_uppercase()
    )
}

/// The field of an array's elements.
fn element_field(function: &str, array: &FieldRef) -> Result<FieldRef> {
    match array.data_type() {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(Arc::clone(f)),
        other => Err(mismatch(function, 1, "ARRAY", other)),
    }
}

/// The fields of a map's keys and values.
fn entry_fields(function: &str, map: &FieldRef) -> Result<(FieldRef, FieldRef)> {
    if let DataType::Map(entries, _) = map.data_type()
        && let DataType::Struct(fields) = entries.data_type()
        && fields.len() == 2
    {
        return Ok((Arc::clone(&fields[0]), Arc::clone(&fields[1])));
    }
    Err(mismatch(function, 1, "MAP", map.data_type()))
}

/// The `i`th argument, which must be a value.
fn value_at<'a, L>(function: &str, args: &'a [ValueOrLambda<FieldRef, L>], i: usize) -> Result<&'a FieldRef> {
    match args.get(i) {
        Some(ValueOrLambda::Value(f)) => Ok(f),
        _ => Err(plan_datafusion_err!("{function} takes a value as its {} argument", ordinal(i + 1))),
    }
}

/// The result of the `i`th argument, which must be a lambda.
fn lambda_at<'a>(function: &str, args: &'a [ValueOrLambda<FieldRef, FieldRef>], i: usize) -> Result<&'a FieldRef> {
    match args.get(i) {
        Some(ValueOrLambda::Lambda(f)) => Ok(f),
        _ => Err(plan_datafusion_err!("{function} takes a lambda function as its {} argument", ordinal(i + 1))),
    }
}

/// The most parameters a lambda of Spark's may declare (`map_zip_with`'s `(k, v1, v2)`).
const MOST_PARAMETERS: usize = 3;

/// A lambda's parameters as offered to DataFusion's planner: the function's, then untyped ones
/// up to [`MOST_PARAMETERS`], so that a lambda declaring more than the function binds is
/// planned and then refused with Spark's error ([`check`]) rather than DataFusion's.
fn offered(mut params: Vec<FieldRef>) -> Vec<FieldRef> {
    while params.len() < MOST_PARAMETERS {
        params.push(Arc::new(datafusion::arrow::datatypes::Field::new("", DataType::Null, true)));
    }
    params
}

/// How many arguments Spark's function binds to its `i`th lambda when it declares `declared`:
/// `transform` and `filter` pass the position too when the lambda takes two.
fn bound(function: &str, i: usize, declared: usize) -> usize {
    match (function, i) {
        ("transform" | "filter", _) => {
            if declared == 2 {
                2
            } else {
                1
            }
        }
        ("aggregate" | "reduce", 3) | ("exists" | "forall", _) => 1,
        ("map_zip_with", _) => 3,
        _ => 2,
    }
}

/// Spark's analysis of the lambdas: each declares as many parameters as its function binds;
/// a predicate returns a BOOLEAN, a comparator an INT, and `aggregate`'s merge keeps the
/// zero's type (`aggregate(doubles, 0, ...)` is an error: the zero must be `0D`); with the
/// names Spark shows.
pub fn check(function: &HigherOrderFunction, schema: &DFSchema) -> Result<()> {
    for (i, arg) in function.args.iter().enumerate() {
        if let Expr::Lambda(lambda) = arg {
            let (declared, expected) = (lambda.params.len(), bound(function.func.name(), i, lambda.params.len()));
            if declared != expected {
                return Err(plan_datafusion_err!(
                    "[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] Invalid lambda function call. A higher order function expects {declared} arguments, but got {expected}. SQLSTATE: 42K0D"
                ));
            }
        }
    }
    let type_of = |e: &Expr| e.get_type(schema);
    let upper = |t: &DataType| if t.is_null() { "VOID".to_string() } else { simple_string(t).to_uppercase() };
    let call = || spark_name(&Expr::HigherOrderFunction(function.clone()));
    let (position, required) = match (function.func.name(), function.args.as_slice()) {
        ("filter" | "exists" | "forall" | "map_filter", [_, _]) => (1, DataType::Boolean),
        ("aggregate" | "reduce", [_, zero, _, ..]) => (2, type_of(zero)?),
        ("array_sort", [_, Expr::Lambda(lambda)]) => {
            let returned = type_of(&lambda.body)?;
            if returned != DataType::Int32 {
                return Err(plan_datafusion_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_RETURN_TYPE] Cannot resolve \"{}\" due to data type mismatch: The `lambdafunction` requires return \"INT\" type, but the actual is \"{}\" type. SQLSTATE: 42K09",
                    call(),
                    upper(&returned)
                ));
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let Expr::Lambda(lambda) = &function.args[position] else {
        return Ok(());
    };
    let returned = type_of(&lambda.body)?;
    if returned == required {
        return Ok(());
    }
    Err(plan_datafusion_err!(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type mismatch: The {} parameter requires the \"{}\" type, however \"{}\" has the type \"{}\". SQLSTATE: 42K09",
        call(),
        ordinal(position + 1),
        upper(&required),
        spark_name(&function.args[position]),
        upper(&returned)
    ))
}

/// Types the variables of every lambda in `expr` (built by the DataFrame API untyped) from the
/// arguments of its function, then applies Spark's analysis of what the lambdas return
/// ([`check`]). Functions are typed innermost first, so that a function given another's
/// result (`transform(transform(a, f), g)`) knows its argument's type; one inside a lambda that
/// reads the lambda's variables is typed with its enclosing function.
pub fn resolve_lambdas(expr: Expr, schema: &DFSchema) -> Result<Expr> {
    use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
    let resolved = expr
        .transform_up(|e| match e {
            Expr::HigherOrderFunction(_) => match e.clone().resolve_lambda_variables(schema) {
                Ok(resolved) => Ok(resolved),
                Err(_) => Ok(Transformed::no(e)),
            },
            other => Ok(Transformed::no(other)),
        })?
        .data
        .resolve_lambda_variables(schema)?
        .data;
    resolved.apply(|e| {
        if let Expr::HigherOrderFunction(f) = e {
            check(f, schema)?;
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(resolved)
}
