//! Spark's `aggregate(array, zero, (acc, x) -> merge [, acc -> finish])` (also named
//! `reduce`): a left fold of each array, then the finishing lambda (the identity when absent).
//!
//! The fold runs position by position over the whole batch: step `k` merges the `k`th element
//! of every array that has one into that row's accumulator, so the lambda is evaluated once
//! per step rather than once per element.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, UInt32Array};
use datafusion::arrow::compute::kernels::nullif::nullif;
use datafusion::arrow::compute::{interleave, not, take, take_arrays};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, exec_datafusion_err, plan_datafusion_err};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDFImpl, LambdaArgument,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::elements::Elements;
use super::{array_type, element_field, lambda_at, offered, value_at};

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Aggregate {
    name: &'static str,
    signature: HigherOrderSignature,
}

impl Aggregate {
    pub fn new(name: &'static str) -> Self {
        Self { name, signature: HigherOrderSignature::user_defined(Volatility::Immutable) }
    }
}

impl HigherOrderUDFImpl for Aggregate {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [array, zero] => Ok(vec![array_type(self.name, 1, array)?, zero.clone()]),
            _ => Err(plan_datafusion_err!("{}", crate::error::wrong_num_args(self.name, "[3, 4]", arg_types.len() + 1))),
        }
    }

    /// The accumulator is typed as `zero` in both lambdas: Spark requires the merge to keep
    /// the zero's type ([`super::check`]).
    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let element = element_field(self.name, value_at(self.name, fields, 0)?)?;
        // The accumulator is NULL for a NULL array, whatever the zero.
        let zero = Arc::new(value_at(self.name, fields, 1)?.as_ref().clone().with_nullable(true));
        let lambdas = fields.len() - 2;
        if !(1..=2).contains(&lambdas) || fields[2..].iter().any(|f| matches!(f, ValueOrLambda::Value(_))) {
            return Err(plan_datafusion_err!("{} takes an array, a zero value and one or two lambda functions", self.name));
        }
        let mut params = vec![vec![Arc::clone(&zero), element]];
        if lambdas == 2 {
            params.push(vec![zero]);
        }
        Ok(LambdaParametersProgress::Complete(params.into_iter().map(offered).collect()))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let field = match args.arg_fields.len() {
            4 => lambda_at(self.name, args.arg_fields, 3)?,
            _ => value_at(self.name, args.arg_fields, 1)?,
        };
        Ok(Arc::new(field.as_ref().clone().with_nullable(true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (ValueOrLambda::Value(array), ValueOrLambda::Value(zero), ValueOrLambda::Lambda(merge)) =
            (&args.args[0], &args.args[1], &args.args[2])
        else {
            return Err(exec_datafusion_err!("{} takes an array, a zero value and a lambda", self.name));
        };
        let elements = Elements::of(&array.to_array(rows)?)?;
        let folded = fold(&elements, zero.to_array(rows)?, merge)?;
        let finished = match args.args.get(3) {
            Some(ValueOrLambda::Lambda(finish)) => {
                let acc = || Ok(Arc::clone(&folded));
                finish.evaluate(&[&acc], |captured| Ok(captured.to_vec()))?.into_array(rows)?
            }
            _ => folded,
        };
        // The fold of a NULL array is NULL, whatever the zero.
        let result = match elements.list.nulls().filter(|n| n.null_count() > 0) {
            Some(valid) => nullif(&finished, &not(&BooleanArray::new(valid.inner().clone(), None))?)?,
            None => finished,
        };
        Ok(ColumnarValue::Array(result))
    }
}

/// Merges every array's elements, in order, into its row's accumulator.
fn fold(elements: &Elements, zero: ArrayRef, merge: &LambdaArgument) -> Result<ArrayRef> {
    let ranges: Vec<(usize, usize)> = elements.ranges().collect();
    let longest = ranges.iter().map(|(s, e)| e - s).max().unwrap_or(0);
    let mut acc = zero;
    for k in 0..longest {
        let active: Vec<u32> = ranges.iter().enumerate().filter(|(_, (s, e))| e - s > k).map(|(row, _)| row as u32).collect();
        let active = UInt32Array::from(active);
        let at: UInt32Array = active.values().iter().map(|row| (ranges[*row as usize].0 + k) as u32).collect();
        let element = take(&elements.values, &at, None)?;
        let all = active.len() == ranges.len();
        let current = if all { Arc::clone(&acc) } else { take(&acc, &active, None)? };
        let merged = merge
            .evaluate(&[&|| Ok(Arc::clone(&current)), &|| Ok(Arc::clone(&element))], |captured| Ok(take_arrays(captured, &active, None)?))?
            .into_array(active.len())?;
        acc = if all {
            merged
        } else {
            // Rows without a `k`th element keep their accumulator.
            let mut next = 0;
            let picks: Vec<(usize, usize)> = (0..ranges.len())
                .map(|row| {
                    if active.values().get(next).is_some_and(|r| *r as usize == row) {
                        next += 1;
                        (1, next - 1)
                    } else {
                        (0, row)
                    }
                })
                .collect();
            interleave(&[acc.as_ref(), merged.as_ref()], &picks)?
        };
    }
    Ok(acc)
}
