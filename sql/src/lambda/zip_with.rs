//! Spark's `zip_with(left, right, (x, y) -> ...)`: the lambda over the elements of two arrays
//! pairwise, the shorter array padded with NULLs; NULL when either array is.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{take, take_arrays};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_datafusion_err};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDFImpl, LambdaParametersProgress,
    ValueOrLambda, Volatility,
};

use super::elements::Elements;
use super::{array_type, element_field, lambda_at, offered, value_at};

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct ZipWith {
    signature: HigherOrderSignature,
}

impl ZipWith {
    pub fn new() -> Self {
        let args = vec![ValueOrLambda::Value(()), ValueOrLambda::Value(()), ValueOrLambda::Lambda(())];
        Self { signature: HigherOrderSignature::exact(args, Volatility::Immutable) }
    }
}

impl HigherOrderUDFImpl for ZipWith {
    fn name(&self) -> &str {
        "zip_with"
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arg_types.iter().enumerate().map(|(i, t)| array_type(self.name(), i + 1, t)).collect()
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let left = element_field(self.name(), value_at(self.name(), fields, 0)?)?;
        let right = element_field(self.name(), value_at(self.name(), fields, 1)?)?;
        // Either side is NULL past the end of the shorter array.
        let nullable = |f: FieldRef| Arc::new(f.as_ref().clone().with_nullable(true));
        Ok(LambdaParametersProgress::Complete(vec![offered(vec![nullable(left), nullable(right)])]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let body = lambda_at(self.name(), args.arg_fields, 2)?;
        let element = Field::new(Field::LIST_FIELD_DEFAULT_NAME, body.data_type().clone(), body.is_nullable());
        Ok(Arc::new(Field::new("", DataType::List(Arc::new(element)), true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (ValueOrLambda::Value(left), ValueOrLambda::Value(right), ValueOrLambda::Lambda(lambda)) =
            (&args.args[0], &args.args[1], &args.args[2])
        else {
            return Err(exec_datafusion_err!("zip_with takes two arrays and a lambda"));
        };
        let left = Elements::of(&left.to_array(rows)?)?;
        let right = Elements::of(&right.to_array(rows)?)?;
        let nulls = NullBuffer::union(left.list.nulls(), right.list.nulls());
        let (mut at_left, mut at_right, mut of_row, mut lengths) = (vec![], vec![], vec![], vec![]);
        for (row, ((ls, le), (rs, re))) in left.ranges().zip(right.ranges()).enumerate() {
            let length = if nulls.as_ref().is_some_and(|n| n.is_null(row)) { 0 } else { (le - ls).max(re - rs) };
            for k in 0..length {
                at_left.push((ls + k < le).then_some((ls + k) as u32));
                at_right.push((rs + k < re).then_some((rs + k) as u32));
                of_row.push(row as u32);
            }
            lengths.push(length);
        }
        let x = take(&left.values, &UInt32Array::from(at_left), None)?;
        let y = take(&right.values, &UInt32Array::from(at_right), None)?;
        let of_row = UInt32Array::from(of_row);
        let values = lambda
            .evaluate(&[&|| Ok(Arc::clone(&x)), &|| Ok(Arc::clone(&y))], |captured| Ok(take_arrays(captured, &of_row, None)?))?
            .into_array(x.len())?;
        let DataType::List(field) = args.return_field.data_type() else {
            return Err(exec_datafusion_err!("zip_with returns an array"));
        };
        let list = ListArray::try_new(Arc::clone(field), OffsetBuffer::from_lengths(lengths), values, nulls)?;
        Ok(ColumnarValue::Array(Arc::new(list) as ArrayRef))
    }
}
