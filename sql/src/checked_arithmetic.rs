//! Spark's integer `+`, `-`, `*` and unary `-` in ANSI mode (Spark 4's default): a result that
//! does not fit the operands' type is an error, where DataFusion's operators wrap around
//! (`2147483647 + 1` is `-2147483648` there). `int` and `bigint` results raise
//! `ARITHMETIC_OVERFLOW`; `tinyint` and `smallint` ones `BINARY_ARITHMETIC_OVERFLOW`, naming the
//! operands (`100S * 2S caused overflow`), as Spark does.
//!
//! The operands are integers of any width; both take the wider one, which is the result's type
//! (`int + bigint` is `bigint`, `tinyint * tinyint` stays `tinyint`), as in Spark. Decimals,
//! doubles, dates and intervals keep DataFusion's operators. SQL's `-x` (named `(- x)`) and the
//! function `negative(x)` (the DataFrame API's `-col`) negate any number or interval, checked
//! for integers; a string is read as a double, as Spark's implicit cast does.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Datum};
use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::arrow::error::ArrowError;
use datafusion::common::{DFSchema, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, Operator, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The registered names, which [`crate::naming`] spells as operators.
pub const ADD: &str = "spark_add";
pub const SUBTRACT: &str = "spark_subtract";
pub const MULTIPLY: &str = "spark_multiply";
/// SQL's `-x`, named `(- x)` ([`crate::naming`]).
pub const UNARY_MINUS: &str = "spark_unary_minus";
/// Spark's function `negative`, which replaces datafusion-spark's (whose overflow message is
/// not Spark's) and is the DataFrame API's `-col`.
const NEGATIVE: &str = "negative";

/// The operator a checked function stands for, by its registered name.
pub fn operator_of(name: &str) -> Option<&'static str> {
    Some(match name {
        ADD => "+",
        SUBTRACT => "-",
        MULTIPLY => "*",
        _ => return None,
    })
}

/// The checked operators, for sessions and executors to find by name (not in the function
/// catalog: Spark has no functions of these names).
pub fn operators() -> Vec<Arc<ScalarUDF>> {
    let binaries = [Operator::Plus, Operator::Minus, Operator::Multiply].into_iter().filter_map(binary);
    binaries.chain([unary(UNARY_MINUS)]).collect()
}

/// Spark's unary `-` (named `(- x)`).
pub fn unary_minus() -> Arc<ScalarUDF> {
    unary(UNARY_MINUS)
}

/// Spark's `negative`.
pub fn negative() -> Arc<ScalarUDF> {
    unary(NEGATIVE)
}

/// `left op right` with Spark's overflow check when both sides are integers; `None` for any
/// other operator or operand type, which keep DataFusion's operator.
pub fn checked(left: &Expr, op: Operator, right: &Expr, schema: &DFSchema) -> Option<Expr> {
    let integer = |e: &Expr| e.get_type(schema).is_ok_and(|t| is_signed_integer(&t));
    if !(integer(left) && integer(right)) {
        return None;
    }
    let f = binary(op)?;
    Some(Expr::ScalarFunction(ScalarFunction::new_udf(f, vec![left.clone(), right.clone()])))
}

/// SQL's `-e` with Spark's overflow check when `e` is an integer (`-(-2147483648)` fails in
/// Spark); `None` for other types, which keep DataFusion's negation.
pub fn checked_negation(e: &Expr, schema: &DFSchema) -> Option<Expr> {
    // Spark reads `-5L` as one literal, named so.
    if matches!(e, Expr::ScalarFunction(f) if f.func.name() == crate::typed_literal::TYPED_LITERAL) {
        return None;
    }
    if !e.get_type(schema).is_ok_and(|t| is_signed_integer(&t)) {
        return None;
    }
    Some(Expr::ScalarFunction(ScalarFunction::new_udf(unary(UNARY_MINUS), vec![e.clone()])))
}

fn binary(op: Operator) -> Option<Arc<ScalarUDF>> {
    let (name, hint, symbol) = match op {
        Operator::Plus => (ADD, "try_add", "+"),
        Operator::Minus => (SUBTRACT, "try_subtract", "-"),
        Operator::Multiply => (MULTIPLY, "try_multiply", "*"),
        _ => return None,
    };
    Some(Arc::new(ScalarUDF::new_from_impl(Checked {
        name,
        kind: Kind::Binary { op, hint, symbol },
        signature: Signature::user_defined(Volatility::Immutable),
    })))
}

fn unary(name: &'static str) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(Checked { name, kind: Kind::Negate, signature: Signature::user_defined(Volatility::Immutable) }))
}

fn is_signed_integer(t: &DataType) -> bool {
    matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64)
}

/// Types arrow negates (and Spark's `-` takes).
fn negatable(t: &DataType) -> bool {
    is_signed_integer(t)
        || matches!(
            t,
            DataType::Float16
                | DataType::Float32
                | DataType::Float64
                | DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
                | DataType::Duration(_)
                | DataType::Interval(_)
        )
}

/// The wider of two integer types (Spark's result type of integer arithmetic).
fn wider(a: &DataType, b: &DataType) -> DataType {
    let rank = |t: &DataType| match t {
        DataType::Int8 => 0,
        DataType::Int16 => 1,
        DataType::Int32 => 2,
        _ => 3,
    };
    if rank(a) >= rank(b) { a.clone() } else { b.clone() }
}

#[derive(Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// `op` with the `try_` function Spark's message suggests and the operator's symbol.
    Binary {
        op: Operator,
        hint: &'static str,
        symbol: &'static str,
    },
    Negate,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Checked {
    name: &'static str,
    kind: Kind,
    signature: Signature,
}

/// Why a computation failed: an overflow Spark reports, or anything else.
enum Failure {
    Overflow(String),
    Arrow(ArrowError),
}

impl From<ArrowError> for Failure {
    fn from(e: ArrowError) -> Self {
        match e {
            ArrowError::ArithmeticOverflow(_) => Failure::Overflow(String::new()),
            other => Failure::Arrow(other),
        }
    }
}

fn datum(v: &ColumnarValue) -> std::result::Result<Box<dyn Datum>, ArrowError> {
    Ok(match v {
        ColumnarValue::Array(a) => Box::new(Arc::clone(a)),
        ColumnarValue::Scalar(s) => Box::new(s.to_scalar().map_err(|e| ArrowError::ComputeError(e.to_string()))?),
    })
}

impl Checked {
    fn overflow_message(&self) -> String {
        match &self.kind {
            Kind::Binary { hint, .. } => format!(
                "[ARITHMETIC_OVERFLOW] overflow. Use '{hint}' to tolerate overflow and return NULL instead. If necessary set \
                 \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003"
            ),
            Kind::Negate => "[ARITHMETIC_OVERFLOW] overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this \
                             error. SQLSTATE: 22003"
                .to_string(),
        }
    }

    fn compute(&self, args: &[ColumnarValue]) -> std::result::Result<ArrayRef, Failure> {
        match (&self.kind, args) {
            (Kind::Negate, [v]) if v.data_type() == DataType::Null => Ok(datafusion::arrow::array::new_null_array(
                &DataType::Null,
                match v {
                    ColumnarValue::Array(a) => a.len(),
                    ColumnarValue::Scalar(_) => 1,
                },
            )),
            (Kind::Negate, [v]) => Ok(numeric::neg(datum(v)?.get().0)?),
            (Kind::Binary { op, hint, symbol }, [l, r]) => {
                if matches!(l.data_type(), DataType::Int8 | DataType::Int16) {
                    return narrow(l, r, *op, hint, symbol);
                }
                let (l, r) = (datum(l)?, datum(r)?);
                Ok(apply(*op, l.as_ref(), r.as_ref())?)
            }
            _ => Err(Failure::Arrow(ArrowError::InvalidArgumentError(format!("{} takes {} arguments", self.name, self.arity())))),
        }
    }

    fn arity(&self) -> usize {
        match self.kind {
            Kind::Binary { .. } => 2,
            Kind::Negate => 1,
        }
    }
}

/// The checked arrow kernel of `op`.
fn apply(op: Operator, l: &dyn Datum, r: &dyn Datum) -> std::result::Result<ArrayRef, ArrowError> {
    match op {
        Operator::Plus => numeric::add(l, r),
        Operator::Minus => numeric::sub(l, r),
        _ => numeric::mul(l, r),
    }
}

/// `tinyint` and `smallint` arithmetic: computed as `int` (which cannot overflow for them),
/// then checked against the narrow type, so that the error can name the operands as Spark does.
fn narrow(l: &ColumnarValue, r: &ColumnarValue, op: Operator, hint: &str, symbol: &str) -> std::result::Result<ArrayRef, Failure> {
    let target = l.data_type();
    let (min, max) =
        if target == DataType::Int8 { (i32::from(i8::MIN), i32::from(i8::MAX)) } else { (i32::from(i16::MIN), i32::from(i16::MAX)) };
    let widen = |v: &ColumnarValue| -> std::result::Result<ColumnarValue, ArrowError> {
        Ok(match v {
            ColumnarValue::Array(a) => ColumnarValue::Array(cast_with_options(a, &DataType::Int32, &CastOptions::default())?),
            ColumnarValue::Scalar(s) => {
                ColumnarValue::Scalar(s.cast_to(&DataType::Int32).map_err(|e| ArrowError::CastError(e.to_string()))?)
            }
        })
    };
    let (wl, wr) = (widen(l)?, widen(r)?);
    let wide = apply(op, datum(&wl)?.as_ref(), datum(&wr)?.as_ref())?;
    let values = wide.as_primitive::<Int32Type>();
    let value_at = |v: &ColumnarValue, i: usize| -> Option<i32> {
        match v {
            ColumnarValue::Array(a) => a.as_primitive_opt::<Int32Type>().filter(|a| a.is_valid(i)).map(|a| a.value(i)),
            ColumnarValue::Scalar(ScalarValue::Int32(x)) => *x,
            ColumnarValue::Scalar(_) => None,
        }
    };
    for i in 0..values.len() {
        if values.is_valid(i) && !(min..=max).contains(&values.value(i)) {
            let (a, b) = (value_at(&wl, i).unwrap_or_default(), value_at(&wr, i).unwrap_or_default());
            return Err(Failure::Overflow(format!(
                "[BINARY_ARITHMETIC_OVERFLOW] {a}S {symbol} {b}S caused overflow. Use `{hint}` to ignore overflow problem and return \
                 NULL. SQLSTATE: 22003"
            )));
        }
    }
    Ok(cast_with_options(&wide, &target, &CastOptions::default())?)
}

impl ScalarUDFImpl for Checked {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match (&self.kind, args) {
            (Kind::Negate, [t]) if negatable(t) || t == &DataType::Null => Ok(vec![t.clone()]),
            (Kind::Negate, [DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View]) => Ok(vec![DataType::Float64]),
            (Kind::Binary { .. }, [a, b]) if is_signed_integer(a) && is_signed_integer(b) => Ok(vec![wider(a, b); 2]),
            _ => plan_err!("{} takes {} numbers, not {args:?}", self.name, self.arity()),
        }
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args {
            [t] => Ok(t.clone()),
            [a, b] => Ok(wider(a, b)),
            _ => plan_err!("{} takes {} arguments", self.name, self.arity()),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = crate::columnar::all_scalar(&args.args);
        let out = match self.compute(&args.args) {
            Ok(out) => out,
            Err(Failure::Overflow(message)) if message.is_empty() => return exec_err!("{}", self.overflow_message()),
            Err(Failure::Overflow(message)) => return exec_err!("{message}"),
            Err(Failure::Arrow(e)) => return Err(e.into()),
        };
        crate::columnar::answer(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::Field;

    fn run(f: &ScalarUDF, args: Vec<ColumnarValue>, rows: usize) -> Result<ColumnarValue> {
        let arg_fields = args.iter().map(|a| Arc::new(Field::new("a", a.data_type(), true))).collect();
        f.invoke_with_args(ScalarFunctionArgs {
            args,
            arg_fields,
            number_rows: rows,
            return_field: Arc::new(Field::new("r", DataType::Int32, true)),
            config_options: Arc::new(Default::default()),
        })
    }

    #[test]
    fn integer_overflow_is_spark_s_error() {
        let add = binary(Operator::Plus).unwrap();
        let col = ColumnarValue::Array(Arc::new(Int32Array::from(vec![Some(1), None, Some(i32::MAX)])));
        let err = run(&add, vec![col, ColumnarValue::Scalar(ScalarValue::Int32(Some(1)))], 3).unwrap_err().to_string();
        assert!(err.contains("[ARITHMETIC_OVERFLOW] overflow. Use 'try_add'"), "{err}");
        let neg = unary(UNARY_MINUS);
        let err = run(&neg, vec![ColumnarValue::Scalar(ScalarValue::Int32(Some(i32::MIN)))], 1).unwrap_err().to_string();
        assert!(err.contains("[ARITHMETIC_OVERFLOW] overflow. If necessary"), "{err}");
    }

    #[test]
    fn in_range_values_and_nulls_pass() {
        let mul = binary(Operator::Multiply).unwrap();
        let col = ColumnarValue::Array(Arc::new(Int32Array::from(vec![Some(3), None])));
        let ColumnarValue::Array(out) = run(&mul, vec![col, ColumnarValue::Scalar(ScalarValue::Int32(Some(-2)))], 2).unwrap() else {
            panic!("an array in, an array out");
        };
        assert_eq!(out.as_ref(), &Int32Array::from(vec![Some(-6), None]) as &dyn Array);
        assert_eq!(binary(Operator::Plus).unwrap().return_type(&[DataType::Int32, DataType::Int64]).unwrap(), DataType::Int64);
    }

    #[test]
    fn narrow_overflow_names_the_operands() {
        let mul = binary(Operator::Multiply).unwrap();
        let col = ColumnarValue::Array(Arc::new(datafusion::arrow::array::Int8Array::from(vec![Some(3), Some(100)])));
        let err = run(&mul, vec![col, ColumnarValue::Scalar(ScalarValue::Int8(Some(2)))], 2).unwrap_err().to_string();
        assert!(err.contains("[BINARY_ARITHMETIC_OVERFLOW] 100S * 2S caused overflow. Use `try_multiply`"), "{err}");
    }
}
