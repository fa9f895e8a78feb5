//! Spark's higher-order functions over one array: `transform`, `filter`, `exists`, `forall`.
//! Each takes the array and a lambda of the element and, optionally, its 0-based position.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::filter;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_datafusion_err};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDFImpl, LambdaParametersProgress,
    ValueOrLambda, Volatility,
};

use super::elements::Elements;
use super::{array_type, element_field, lambda_at, offered, value_at};

/// What the function makes of the lambda's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// The array of the lambda's values.
    Transform,
    /// The elements for which the lambda is true.
    Filter,
    /// Whether the lambda is true for some element (NULL when it is for none but NULL for one).
    Exists,
    /// Whether the lambda is true for every element (NULL when it is false for none but NULL for one).
    Forall,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct ArrayLambda {
    kind: Kind,
    signature: HigherOrderSignature,
}

impl ArrayLambda {
    fn new(kind: Kind) -> Self {
        let signature = HigherOrderSignature::exact(vec![ValueOrLambda::Value(()), ValueOrLambda::Lambda(())], Volatility::Immutable);
        Self { kind, signature }
    }

    pub fn transform() -> Self {
        Self::new(Kind::Transform)
    }

    pub fn filter() -> Self {
        Self::new(Kind::Filter)
    }

    pub fn exists() -> Self {
        Self::new(Kind::Exists)
    }

    pub fn forall() -> Self {
        Self::new(Kind::Forall)
    }
}

impl HigherOrderUDFImpl for ArrayLambda {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Transform => "transform",
            Kind::Filter => "filter",
            Kind::Exists => "exists",
            Kind::Forall => "forall",
        }
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arg_types.iter().map(|t| array_type(self.name(), 1, t)).collect()
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let array = value_at(self.name(), fields, 0)?;
        let element = element_field(self.name(), array)?;
        Ok(LambdaParametersProgress::Complete(vec![offered(vec![element, Arc::new(Field::new("", DataType::Int32, false))])]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let array = value_at(self.name(), args.arg_fields, 0)?;
        let body = lambda_at(self.name(), args.arg_fields, 1)?;
        let data_type = match self.kind {
            Kind::Transform => {
                DataType::List(Arc::new(Field::new(Field::LIST_FIELD_DEFAULT_NAME, body.data_type().clone(), body.is_nullable())))
            }
            Kind::Filter => array.data_type().clone(),
            Kind::Exists | Kind::Forall => DataType::Boolean,
        };
        Ok(Arc::new(Field::new("", data_type, true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let (ValueOrLambda::Value(array), ValueOrLambda::Lambda(lambda)) = (&args.args[0], &args.args[1]) else {
            return Err(exec_datafusion_err!("{} takes an array and a lambda", self.name()));
        };
        let elements = Elements::of(&array.to_array(args.number_rows)?)?;
        let computed = elements.apply(lambda)?;
        let result: ArrayRef = match self.kind {
            Kind::Transform => {
                let DataType::List(field) = args.return_field.data_type() else {
                    return Err(exec_datafusion_err!("transform returns an array"));
                };
                Arc::new(ListArray::try_new(Arc::clone(field), elements.offsets.clone(), computed, elements.list.nulls().cloned())?)
            }
            Kind::Filter => kept(&elements, &computed)?,
            Kind::Exists | Kind::Forall => Arc::new(quantified(&elements, &computed, self.kind == Kind::Exists)?),
        };
        Ok(ColumnarValue::Array(result))
    }
}

fn truths(computed: &ArrayRef) -> Result<&BooleanArray> {
    computed
        .as_any()
        .downcast_ref::<BooleanArray>()
        .ok_or_else(|| exec_datafusion_err!("the lambda must return a boolean, not {}", computed.data_type()))
}

/// The elements for which the lambda is true, array by array.
fn kept(elements: &Elements, computed: &ArrayRef) -> Result<ArrayRef> {
    let truths = truths(computed)?;
    let keep = BooleanArray::from_iter(truths.iter().map(|t| Some(t == Some(true))));
    let values = filter(&elements.values, &keep)?;
    let mut lengths = Vec::with_capacity(elements.list.len());
    for (start, end) in elements.ranges() {
        lengths.push((start..end).filter(|i| keep.value(*i)).count());
    }
    let DataType::List(field) = elements.list.data_type() else {
        return Err(exec_datafusion_err!("filter takes an array"));
    };
    Ok(Arc::new(ListArray::try_new(Arc::clone(field), OffsetBuffer::from_lengths(lengths), values, elements.list.nulls().cloned())?))
}

/// `exists` (`some` true wins, then NULL) or `forall` (`some` false wins, then NULL), array by
/// array: Spark's three-valued quantifiers.
fn quantified(elements: &Elements, computed: &ArrayRef, exists: bool) -> Result<BooleanArray> {
    let truths = truths(computed)?;
    // The value that settles an array: a true element for `exists`, a false one for `forall`.
    let decisive = exists;
    Ok(elements
        .ranges()
        .enumerate()
        .map(|(row, (start, end))| {
            if elements.list.is_null(row) {
                return None;
            }
            let mut unknown = false;
            for i in start..end {
                match truths.is_valid(i).then(|| truths.value(i)) {
                    Some(t) if t == decisive => return Some(decisive),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            if unknown { None } else { Some(!decisive) }
        })
        .collect())
}
