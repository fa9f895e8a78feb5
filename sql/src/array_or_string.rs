//! Spark functions that take either strings or arrays under one name: `reverse(s)` and
//! `reverse(array)`, `concat(s, ...)` and `concat(array, ...)`. DataFusion keeps the two under
//! different names (`reverse` / `array_reverse`, `concat` / `array_concat`), and its string
//! versions read an array as its text (`reverse(array(1, 2, 3))` was `]3 ,2 ,1[`). Each call
//! is planned by the implementation its argument types choose.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayOrString {
    strings: Arc<ScalarUDF>,
    arrays: Arc<ScalarUDF>,
    signature: Signature,
}

fn is_array(t: &DataType) -> bool {
    matches!(t, DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..))
}

impl ArrayOrString {
    /// Arrays when every argument is an array (or NULL) and one is; strings otherwise, as
    /// Spark resolves `concat` and `reverse`.
    fn pick(&self, types: &[DataType]) -> &Arc<ScalarUDF> {
        let arrays = types.iter().any(is_array) && types.iter().all(|t| is_array(t) || t == &DataType::Null);
        if arrays { &self.arrays } else { &self.strings }
    }
}

impl ScalarUDFImpl for ArrayOrString {
    fn name(&self) -> &str {
        self.strings.name()
    }

    fn aliases(&self) -> &[String] {
        self.strings.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let fields: Vec<FieldRef> = args.iter().map(|t| Arc::new(Field::new("arg", t.clone(), true))).collect();
        Ok(fields_with_udf(&fields, self.pick(args).as_ref())?.iter().map(|f| f.data_type().clone()).collect())
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.pick(args).return_type(args)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        self.pick(&types).return_field_from_args(args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        self.pick(&types).invoke_with_args(args)
    }

    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        let types: Result<Vec<DataType>> = args.iter().map(|a| info.get_data_type(a)).collect();
        match types {
            Ok(types) => self.pick(&types).simplify(args, info),
            Err(_) => Ok(ExprSimplifyResult::Original(args)),
        }
    }
}

fn either(strings: Arc<ScalarUDF>, arrays: Arc<ScalarUDF>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ArrayOrString { strings, arrays, signature: Signature::user_defined(Volatility::Immutable) }))
}

static REVERSE: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| either(datafusion::functions::unicode::reverse(), datafusion::functions_nested::reverse::array_reverse_udf()));
static CONCAT: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| either(datafusion_spark::function::string::concat(), datafusion::functions_nested::concat::array_concat_udf()));

/// Spark's `reverse`, of a string or an array.
pub fn reverse() -> Arc<ScalarUDF> {
    Arc::clone(&REVERSE)
}

/// Spark's `concat`, of strings or of arrays.
pub fn concat() -> Arc<ScalarUDF> {
    Arc::clone(&CONCAT)
}
