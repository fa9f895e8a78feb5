//! Spark's `array_sort(array [, (left, right) -> comparison])`: ascending with NULLs last, or
//! in the order a comparator lambda gives (negative, zero or positive, as Java's comparators).
//!
//! The comparator is evaluated over every pair of elements of an array at once, batched over
//! arrays, and the sort then reads the comparisons: one evaluation per batch of pairs rather
//! than one per comparison. The sort is a stable merge sort of Ember's own, which cannot fail
//! on a comparator that is not a consistent order (the standard library's sorts may panic).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, ListArray, UInt32Array};
use datafusion::arrow::compute::{SortColumn, SortOptions, cast, lexsort_to_indices, take, take_arrays};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, plan_datafusion_err};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDFImpl, LambdaArgument,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::elements::Elements;
use super::{array_type, element_field, offered, value_at};

/// Pairs compared per evaluation of the comparator.
const PAIRS_PER_BATCH: usize = 1 << 16;

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct ArraySort {
    signature: HigherOrderSignature,
}

impl ArraySort {
    pub fn new() -> Self {
        Self { signature: HigherOrderSignature::user_defined(Volatility::Immutable) }
    }
}

impl HigherOrderUDFImpl for ArraySort {
    fn name(&self) -> &str {
        "array_sort"
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [array] => Ok(vec![array_type(self.name(), 1, array)?]),
            _ => Err(plan_datafusion_err!("array_sort takes an array and, optionally, a comparator lambda")),
        }
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let element = element_field(self.name(), value_at(self.name(), fields, 0)?)?;
        Ok(LambdaParametersProgress::Complete(match fields.len() {
            1 => vec![],
            _ => vec![offered(vec![Arc::clone(&element), element])],
        }))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        Ok(Arc::clone(value_at(self.name(), args.arg_fields, 0)?))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let Some(ValueOrLambda::Value(array)) = args.args.first() else {
            return Err(exec_datafusion_err!("array_sort takes an array"));
        };
        let elements = Elements::of(&array.to_array(args.number_rows)?)?;
        let order = match args.args.get(1) {
            Some(ValueOrLambda::Lambda(comparator)) => by_comparator(&elements, comparator)?,
            _ => ascending(&elements)?,
        };
        let values = take(&elements.values, &order, None)?;
        let DataType::List(field) = elements.list.data_type() else {
            return Err(exec_datafusion_err!("array_sort takes an array"));
        };
        let sorted = ListArray::try_new(Arc::clone(field), elements.offsets.clone(), values, elements.list.nulls().cloned())?;
        Ok(ColumnarValue::Array(Arc::new(sorted) as ArrayRef))
    }
}

/// Every array's elements ascending, NULLs last: one sort of (array, element).
fn ascending(elements: &Elements) -> Result<UInt32Array> {
    let columns = [
        SortColumn { values: Arc::new(elements.rows()), options: None },
        SortColumn { values: Arc::clone(&elements.values), options: Some(SortOptions { descending: false, nulls_first: false }) },
    ];
    Ok(lexsort_to_indices(&columns, None)?)
}

/// Every array's elements in the comparator's order.
fn by_comparator(elements: &Elements, comparator: &LambdaArgument) -> Result<UInt32Array> {
    let ranges: Vec<(usize, usize)> = elements.ranges().collect();
    let mut order = Vec::with_capacity(elements.values.len());
    let mut first = 0;
    while first < ranges.len() {
        // The arrays whose pairs make up one evaluation (at least one array).
        let mut last = first;
        let mut pairs = 0;
        while last < ranges.len() && (last == first || pairs + square(ranges[last]) <= PAIRS_PER_BATCH) {
            pairs += square(ranges[last]);
            last += 1;
        }
        let compared = comparisons(elements, comparator, &ranges[first..last])?;
        let mut base = 0;
        for &(start, end) in &ranges[first..last] {
            let n = end - start;
            let mut indices: Vec<usize> = (0..n).collect();
            merge_sort(&mut indices, &|a, b| compared[base + a * n + b]);
            order.extend(indices.into_iter().map(|i| (start + i) as u32));
            base += n * n;
        }
        first = last;
    }
    Ok(UInt32Array::from(order))
}

fn square((start, end): (usize, usize)) -> usize {
    (end - start) * (end - start)
}

/// The comparator's answer for every ordered pair of elements of each array, array after
/// array (`n * n` answers for an array of `n`).
fn comparisons(elements: &Elements, comparator: &LambdaArgument, ranges: &[(usize, usize)]) -> Result<Vec<i64>> {
    let (mut left, mut right) = (vec![], vec![]);
    for &(start, end) in ranges {
        for i in start..end {
            for j in start..end {
                left.push(i as u32);
                right.push(j as u32);
            }
        }
    }
    let (left, right) = (UInt32Array::from(left), UInt32Array::from(right));
    let (l, r) = (take(&elements.values, &left, None)?, take(&elements.values, &right, None)?);
    let rows = elements.rows();
    let of_pair = take(&rows, &left, None)?;
    let answers = comparator
        .evaluate(&[&|| Ok(Arc::clone(&l)), &|| Ok(Arc::clone(&r))], |captured| Ok(take_arrays(captured, &of_pair, None)?))?
        .into_array(l.len())?;
    let answers = cast(&answers, &DataType::Int64)?;
    let answers = answers.as_any().downcast_ref::<Int64Array>().ok_or_else(|| exec_datafusion_err!("a comparator returns an INT"))?;
    if let Some(i) = (0..answers.len()).find(|i| answers.is_null(*i)) {
        let (a, b) = (ScalarValue::try_from_array(&l, i)?, ScalarValue::try_from_array(&r, i)?);
        return Err(exec_datafusion_err!(
            "[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a comparison between {a} and {b}. It should return a positive integer for \"greater than\", 0 for \"equal\" and a negative integer for \"less than\". To revert to deprecated behavior where NULL is treated as 0 (equal), you must set \"spark.sql.legacy.allowNullComparisonResultInArraySort\" to \"true\". SQLSTATE: 22004"
        ));
    }
    Ok(answers.values().to_vec())
}

/// A stable merge sort of `items` by `compare` (negative: the first goes first).
fn merge_sort(items: &mut [usize], compare: &dyn Fn(usize, usize) -> i64) {
    if items.len() < 2 {
        return;
    }
    let middle = items.len() / 2;
    merge_sort(&mut items[..middle], compare);
    merge_sort(&mut items[middle..], compare);
    let (mut i, mut j) = (0, middle);
    let mut merged = Vec::with_capacity(items.len());
    while i < middle && j < items.len() {
        if compare(items[j], items[i]) < 0 {
            merged.push(items[j]);
            j += 1;
        } else {
            merged.push(items[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&items[i..middle]);
    merged.extend_from_slice(&items[j..]);
    items.copy_from_slice(&merged);
}
