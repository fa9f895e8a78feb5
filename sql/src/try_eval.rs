//! Spark's `try_*` functions: the computation of another function or operator, with NULL for
//! each row where it fails (`try_add(2147483647, 1)`, `try_divide(1, 0)`,
//! `try_to_date('not a date')`), as Spark's `TryEval` catches what its child throws.
//!
//! A batch is first computed whole; only when that fails is it computed again row by row, so
//! that one bad row does not blank the others and the common case costs nothing extra.
//!
//! `try_add`, `try_subtract`, `try_multiply`, `try_divide` and `try_mod` are Spark's operators
//! with every implicit cast and rule the operator has (`try_add(date, interval)`,
//! `try_divide` of decimals): the registry declares them as placeholders ([`arithmetic`]) that
//! the analyzer expands ([`expand`]) into the operator as planned, wrapped. Plans carry the
//! wrapped function's name so executors rebuild the wrapper ([`encode`], [`decode`]).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, new_null_array};
use datafusion::arrow::compute::concat;
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::type_coercion::binary::BinaryTypeCoercer;
use datafusion::logical_expr::{
    BinaryExpr, ColumnarValue, Expr, Operator, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The arithmetic `try_*` functions and the operator each stands for.
const ARITHMETIC: [(&str, Operator); 5] = [
    ("try_add", Operator::Plus),
    ("try_subtract", Operator::Minus),
    ("try_multiply", Operator::Multiply),
    ("try_divide", Operator::Divide),
    ("try_mod", Operator::Modulo),
];

/// Marks a shipped function as a `try_*` wrapper; the wrapped function's name follows.
const TAG: &[u8] = b"ember.try:";
/// The wrapped name of an operator computed by Arrow's checked kernels.
const OPERATOR_PREFIX: &str = "operator ";

/// What a wrapper computes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Inner {
    Function(Arc<ScalarUDF>),
    /// An operator DataFusion plans as a binary expression (dates and intervals, decimals).
    Operator(Operator),
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Try {
    name: String,
    inner: Inner,
    signature: Signature,
}

/// `inner` under `name`, NULL where it fails.
pub fn wrap(inner: Arc<ScalarUDF>, name: &str) -> Arc<ScalarUDF> {
    let signature = inner.signature().clone();
    Arc::new(ScalarUDF::new_from_impl(Try { name: name.to_string(), inner: Inner::Function(inner), signature }))
}

fn wrap_operator(op: Operator, name: &str) -> Arc<ScalarUDF> {
    let signature = Signature::any(2, Volatility::Immutable);
    Arc::new(ScalarUDF::new_from_impl(Try { name: name.to_string(), inner: Inner::Operator(op), signature }))
}

impl ScalarUDFImpl for Try {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match &self.inner {
            Inner::Function(f) => f.coerce_types(args),
            Inner::Operator(_) => Ok(args.to_vec()),
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match &self.inner {
            Inner::Function(f) => f.return_type(args),
            Inner::Operator(op) => operator_type(*op, args),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        match &self.inner {
            // Nullable whatever the inner function says: a failure is a NULL.
            Inner::Function(f) => f.return_field_from_args(args).map(|f| Arc::new(f.as_ref().clone().with_nullable(true))),
            Inner::Operator(op) => {
                let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
                Ok(Arc::new(datafusion::arrow::datatypes::Field::new(self.name(), operator_type(*op, &types)?, true)))
            }
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        if let Ok(value) = self.compute(args.clone()) {
            return Ok(value);
        }
        let target = args.return_field.data_type().clone();
        if args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from(&target)?));
        }
        let mut rows: Vec<ArrayRef> = Vec::with_capacity(args.number_rows);
        for i in 0..args.number_rows {
            let one = ScalarFunctionArgs {
                args: args
                    .args
                    .iter()
                    .map(|a| match a {
                        ColumnarValue::Array(a) => ColumnarValue::Array(a.slice(i, 1)),
                        scalar => scalar.clone(),
                    })
                    .collect(),
                number_rows: 1,
                ..args.clone()
            };
            let row = match self.compute(one) {
                Ok(value) => value.into_array(1)?,
                Err(_) => new_null_array(&target, 1),
            };
            rows.push(row);
        }
        let refs: Vec<&dyn Array> = rows.iter().map(|r| r.as_ref()).collect();
        if refs.is_empty() {
            return Ok(ColumnarValue::Array(new_null_array(&target, 0)));
        }
        Ok(ColumnarValue::Array(concat(&refs)?))
    }
}

impl Try {
    fn compute(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        match &self.inner {
            Inner::Function(f) => f.invoke_with_args(args),
            Inner::Operator(op) => match args.args.as_slice() {
                [l, r] => {
                    let kernel = match op {
                        Operator::Plus => numeric::add,
                        Operator::Minus => numeric::sub,
                        Operator::Multiply => numeric::mul,
                        Operator::Divide => numeric::div,
                        Operator::Modulo => numeric::rem,
                        other => return exec_err!("{} cannot compute {other}", self.name),
                    };
                    datafusion::physical_expr_common::datum::apply(l, r, kernel)
                }
                _ => exec_err!("{} takes two arguments", self.name),
            },
        }
    }
}

fn operator_type(op: Operator, args: &[DataType]) -> Result<DataType> {
    match args {
        [l, r] => BinaryTypeCoercer::new(l, &op, r).get_result_type(),
        _ => exec_err!("an operator takes two arguments"),
    }
}

/// The operator of an arithmetic `try_*` function, by name.
pub fn arithmetic_operator(name: &str) -> Option<Operator> {
    ARITHMETIC.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
}

/// The registry's placeholders of the arithmetic `try_*` functions, which [`expand`] replaces.
pub fn arithmetic() -> Vec<Arc<ScalarUDF>> {
    ARITHMETIC.iter().map(|(name, op)| Arc::new(ScalarUDF::new_from_impl(Placeholder::new(name, *op)))).collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Placeholder {
    name: &'static str,
    op: Operator,
    signature: Signature,
}

impl Placeholder {
    fn new(name: &'static str, op: Operator) -> Self {
        Self { name, op, signature: Signature::any(2, Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for Placeholder {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The operator's type as DataFusion sees it, until the analyzer expands the call with
    /// Spark's (and retypes the plan).
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(operator_type(self.op, args).unwrap_or(DataType::Float64))
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("{} is expanded when its query is analyzed", self.name)
    }
}

/// `try_add(a, b)` and its kind as the operator Spark plans (`a + b`, with its implicit casts
/// and Spark's rules for dates, intervals and decimals), NULL where it fails.
pub fn expand(name: &str, args: Vec<Expr>, schema: &DFSchema) -> Result<Expr> {
    let Some(op) = arithmetic_operator(name) else {
        return exec_err!("{name} is not an arithmetic try function");
    };
    let [left, right]: [Expr; 2] = match args.try_into() {
        Ok(pair) => pair,
        Err(args) => {
            let given = args.len();
            return Err(datafusion::error::DataFusionError::Plan(crate::error::wrong_num_args(name, "2", given)));
        }
    };
    let planned = match crate::analyzer::coercion::coerce_binary(left, op, right, schema)? {
        crate::analyzer::coercion::Coerced::Changed(e) => e,
        crate::analyzer::coercion::Coerced::Same(l, op, r) => Expr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r))),
    };
    let planned = crate::semantics::spark_operator(planned, schema);
    Ok(match planned {
        Expr::ScalarFunction(f) => Expr::ScalarFunction(ScalarFunction::new_udf(wrap(f.func, name), f.args)),
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            Expr::ScalarFunction(ScalarFunction::new_udf(wrap_operator(op, name), vec![*left, *right]))
        }
        // Forms that cannot fail (a cast of a NULL, ...).
        other => other,
    })
}

/// What a plan carries for a `try_*` wrapper: the wrapped function's name.
pub fn encode(udf: &ScalarUDF) -> Option<Vec<u8>> {
    let inner = &udf.inner().downcast_ref::<Try>()?.inner;
    let name = match inner {
        Inner::Function(f) => f.name().to_string(),
        Inner::Operator(op) => format!("{OPERATOR_PREFIX}{op}"),
    };
    Some([TAG, name.as_bytes()].concat())
}

/// The wrapper [`encode`] shipped as `name`, its wrapped function found by `find`.
pub fn decode(name: &str, buf: &[u8], find: impl Fn(&str) -> Option<Arc<ScalarUDF>>) -> Option<Arc<ScalarUDF>> {
    let inner = std::str::from_utf8(buf.strip_prefix(TAG)?).ok()?;
    if let Some(op) = inner.strip_prefix(OPERATOR_PREFIX) {
        let op = ARITHMETIC.iter().map(|(_, op)| *op).find(|o| o.to_string() == op)?;
        return Some(wrap_operator(op, name));
    }
    find(inner).map(|f| wrap(f, name))
}
