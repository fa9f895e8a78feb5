//! Spark's `sort_array(a[, ascending])`: each array sorted, NULL elements first when ascending
//! and last when descending (Spark orders NULL below every value), NaN above every number.
//! Neither DataFusion nor datafusion-spark has it under this name; DataFusion's `array_sort`
//! takes its order as strings.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, GenericListArray, OffsetSizeTrait, UInt32Array};
use datafusion::arrow::compute::{SortOptions, cast, sort_to_indices, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct SortArray {
    signature: Signature,
}

impl ScalarUDFImpl for SortArray {
    fn name(&self) -> &str {
        "sort_array"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        match args {
            [a @ (DataType::List(_) | DataType::LargeList(_) | DataType::Null)] => Ok(vec![a.clone()]),
            [DataType::FixedSizeList(f, _)] => Ok(vec![DataType::List(Arc::clone(f))]),
            [a @ (DataType::List(_) | DataType::LargeList(_) | DataType::Null), DataType::Boolean | DataType::Null] => {
                Ok(vec![a.clone(), DataType::Boolean])
            }
            [DataType::FixedSizeList(f, _), DataType::Boolean | DataType::Null] => {
                Ok(vec![DataType::List(Arc::clone(f)), DataType::Boolean])
            }
            [a, ..] if args.len() <= 2 && !matches!(a, DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)) => {
                plan_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"sort_array\" due to data type mismatch: the first \
                 parameter requires the \"ARRAY\" type, however it has the type \"{}\". SQLSTATE: 42K09",
                    crate::types::simple_string(a).to_uppercase()
                )
            }
            [_, b] => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"sort_array\" due to data type mismatch: the second \
                 parameter requires the \"BOOLEAN\" type, however it has the type \"{}\". SQLSTATE: 42K09",
                crate::types::simple_string(b).to_uppercase()
            ),
            _ => plan_err!("{}", crate::error::wrong_num_args("sort_array", "[1, 2]", args.len())),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        exec_err!("sort_array takes its type from its arguments' fields")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(a) = args.arg_fields.first() else {
            return plan_err!("sort_array takes an array");
        };
        Ok(Arc::new(Field::new(self.name(), a.data_type().clone(), a.is_nullable())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        // Spark requires the order to be a constant.
        let ascending = match args.args.get(1) {
            None => true,
            Some(ColumnarValue::Scalar(ScalarValue::Boolean(Some(b)))) => *b,
            Some(ColumnarValue::Scalar(_)) => return exec_err!("sort_array: the sort order must not be NULL"),
            Some(ColumnarValue::Array(a)) => constant_order(a)?,
        };
        let scalar = matches!(args.args.first(), Some(ColumnarValue::Scalar(_)));
        let Some(first) = args.args.into_iter().next() else {
            return exec_err!("sort_array takes an array");
        };
        let arrays = first.into_array(args.number_rows)?;
        let sorted = match arrays.data_type() {
            DataType::List(_) => sort_lists(arrays.as_list::<i32>(), ascending)?,
            DataType::LargeList(_) => sort_lists(arrays.as_list::<i64>(), ascending)?,
            DataType::Null => arrays,
            other => return exec_err!("sort_array takes an array, not {other}"),
        };
        crate::columnar::answer(sorted, scalar)
    }
}

/// The order of a column that holds one value (a constant DataFusion did not fold).
fn constant_order(a: &ArrayRef) -> Result<bool> {
    let a = cast(a, &DataType::Boolean)?;
    let b: &BooleanArray = a.as_boolean();
    match (b.len(), b.null_count()) {
        (0, _) => Ok(true),
        (_, 0) if b.iter().all(|v| v == Some(b.value(0))) => Ok(b.value(0)),
        _ => exec_err!("sort_array: the sort order must be a constant"),
    }
}

fn sort_lists<O: OffsetSizeTrait>(lists: &GenericListArray<O>, ascending: bool) -> Result<ArrayRef> {
    let options = SortOptions { descending: !ascending, nulls_first: ascending };
    let values = lists.values();
    let offsets = lists.value_offsets();
    let mut order: Vec<u32> = Vec::with_capacity(values.len());
    for r in 0..lists.len() {
        let (start, end) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        if lists.is_null(r) || end <= start {
            continue;
        }
        let slice = values.slice(start, end - start);
        let base = u32::try_from(start).map_err(|_| datafusion::error::DataFusionError::Execution("sort_array: array too large".into()))?;
        order.extend(sort_to_indices(&slice, Some(options), None)?.values().iter().map(|i| base + i));
    }
    // Rows keep their offsets: a row's elements are permuted within its own range.
    let mut picks: Vec<u32> = Vec::with_capacity(values.len());
    let mut next = order.into_iter();
    for r in 0..lists.len() {
        let (start, end) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        if lists.is_null(r) {
            picks.extend((start..end).map(|i| i as u32));
        } else {
            picks.extend(next.by_ref().take(end - start));
        }
    }
    let permuted = take(values, &UInt32Array::from(picks), None)?;
    let field = match lists.data_type() {
        DataType::List(f) | DataType::LargeList(f) => Arc::clone(f),
        other => return exec_err!("sort_array takes an array, not {other}"),
    };
    Ok(Arc::new(GenericListArray::<O>::try_new(field, lists.offsets().clone(), permuted, lists.nulls().cloned())?))
}

static SORT_ARRAY: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| Arc::new(ScalarUDF::new_from_impl(SortArray { signature: Signature::user_defined(Volatility::Immutable) })));

/// Spark's `sort_array`.
pub fn sort_array() -> Arc<ScalarUDF> {
    Arc::clone(&SORT_ARRAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::ListArray;
    use datafusion::arrow::datatypes::Int32Type;

    fn sorted(ascending: bool) -> Result<ArrayRef> {
        let lists =
            ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(3), None, Some(1)]), None, Some(vec![Some(2), Some(1)])]);
        sort_lists(&lists, ascending)
    }

    #[test]
    fn ascending_puts_nulls_first_and_descending_last() -> Result<()> {
        let want = |rows| Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(rows)) as ArrayRef;
        assert_eq!(&sorted(true)?, &want(vec![Some(vec![None, Some(1), Some(3)]), None, Some(vec![Some(1), Some(2)])]));
        assert_eq!(&sorted(false)?, &want(vec![Some(vec![Some(3), Some(1), None]), None, Some(vec![Some(2), Some(1)])]));
        Ok(())
    }
}
