//! A function of DataFusion's or datafusion-spark's under Spark's terms: another name (Spark
//! names `a >>> b` apart from `shiftrightunsigned(a, b)`), or Spark's implicit casts of its
//! arguments in front (`date_add('2024-01-31', 2)`, `date_trunc('MONTH', a_date)`). Everything
//! else (types, evaluation, simplification) is the inner function's.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Spark's casts of a call's arguments: the types they are cast to, given the function's name
/// and the types written.
pub type Casts = fn(&str, &[DataType]) -> Result<Vec<DataType>>;

#[derive(Debug)]
struct Wrapped {
    inner: Arc<ScalarUDF>,
    name: Option<&'static str>,
    casts: Option<Casts>,
    signature: Signature,
}

/// Two wrappers are one function when they wrap the same function under the same name, both
/// with casts or both without (function pointers cannot be compared: each inner function has
/// one set of casts).
impl PartialEq for Wrapped {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner && self.name == other.name && self.casts.is_some() == other.casts.is_some()
    }
}

impl Eq for Wrapped {}

impl std::hash::Hash for Wrapped {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.hash(state);
        self.name.hash(state);
        self.casts.is_some().hash(state);
    }
}

/// `inner` under `name` (and none of its aliases).
pub fn renamed(inner: Arc<ScalarUDF>, name: &'static str) -> Arc<ScalarUDF> {
    let signature = inner.signature().clone();
    Arc::new(ScalarUDF::new_from_impl(Wrapped { inner, name: Some(name), casts: None, signature }))
}

/// `inner` with Spark's argument casts.
pub fn with_casts(inner: Arc<ScalarUDF>, casts: Casts) -> Arc<ScalarUDF> {
    let signature = Signature::user_defined(Volatility::Immutable);
    Arc::new(ScalarUDF::new_from_impl(Wrapped { inner, name: None, casts: Some(casts), signature }))
}

impl ScalarUDFImpl for Wrapped {
    fn name(&self) -> &str {
        self.name.unwrap_or_else(|| self.inner.name())
    }

    fn aliases(&self) -> &[String] {
        if self.name.is_some() { &[] } else { self.inner.aliases() }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match self.casts {
            Some(casts) => casts(self.name(), args),
            None => self.inner.coerce_types(args),
        }
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

    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        self.inner.simplify(args, info)
    }
}
