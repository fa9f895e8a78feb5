//! Spark's `array_insert(array, pos, value)`: the array with `value` at the 1-based position
//! `pos`; a negative `pos` counts from the end (`-1` appends). A position past either end pads
//! the array with NULLs; position 0 is Spark's `INVALID_INDEX_OF_ZERO`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, ListArray, MutableArrayData, new_null_array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayInsert {
    signature: Signature,
}

/// `array_insert`.
pub fn array_insert() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ArrayInsert { signature: Signature::any(3, Volatility::Immutable) }))
}

/// The element type: the array's, or the value's when the array's is `void`.
fn element_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [DataType::List(f), value, _] => Ok(if f.data_type() == &DataType::Null { value.clone() } else { f.data_type().clone() }),
        [DataType::Null, value, _] => Ok(value.clone()),
        _ => exec_err!("array_insert takes an array, a position and a value"),
    }
}

impl ScalarUDFImpl for ArrayInsert {
    fn name(&self) -> &str {
        "array_insert"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new("element", element_type(args)?, true))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let types: Vec<DataType> = args.args.iter().map(|a| a.data_type()).collect();
        let element = element_type(&types)?;
        let list_type = DataType::List(Arc::new(Field::new("element", element.clone(), true)));
        let arrays = args.args.into_iter().map(|a| a.into_array(rows)).collect::<Result<Vec<_>>>()?;
        let lists = cast(&arrays[0], &list_type)?;
        let lists: &ListArray = lists.as_list::<i32>();
        let positions = cast(&arrays[1], &DataType::Int32)?;
        let positions = positions.as_primitive::<Int32Type>();
        let values = cast(&arrays[2], &element)?;
        let padding = new_null_array(&element, 1);
        let inner = lists.values().to_data();
        let (values_data, padding_data) = (values.to_data(), padding.to_data());
        let mut out = MutableArrayData::new(vec![&inner, &values_data, &padding_data], true, rows);
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        let mut length = 0i64;
        for i in 0..rows {
            if lists.is_null(i) || positions.is_null(i) {
                valid.push(false);
                offsets.push(length as i32);
                continue;
            }
            let (start, end) = (lists.value_offsets()[i] as usize, lists.value_offsets()[i + 1] as usize);
            let len = (end - start) as i64;
            let pos = i64::from(positions.value(i));
            if pos == 0 {
                return exec_err!(
                    "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1). \
                     SQLSTATE: 22003"
                );
            }
            // Where the value goes among the elements, counted from 0; beyond either end, the
            // NULLs between.
            let at = if pos > 0 { pos - 1 } else { len + pos + 1 };
            let pad = |n: i64, out: &mut MutableArrayData| -> Result<()> {
                for _ in 0..n {
                    out.try_extend(2, 0, 1)?;
                }
                Ok(())
            };
            if at < 0 {
                out.try_extend(1, i, i + 1)?;
                pad(-at, &mut out)?;
                out.try_extend(0, start, end)?;
                length += len + 1 - at;
            } else if at > len {
                out.try_extend(0, start, end)?;
                pad(at - len, &mut out)?;
                out.try_extend(1, i, i + 1)?;
                length += at + 1;
            } else {
                out.try_extend(0, start, start + at as usize)?;
                out.try_extend(1, i, i + 1)?;
                out.try_extend(0, start + at as usize, end)?;
                length += len + 1;
            }
            valid.push(true);
            offsets.push(
                i32::try_from(length).map_err(|_| datafusion::error::DataFusionError::Execution("array_insert: result too long".into()))?,
            );
        }
        let values = datafusion::arrow::array::make_array(out.freeze());
        let field = Arc::new(Field::new("element", element, true));
        let list = ListArray::try_new(field, OffsetBuffer::new(offsets.into()), values, Some(valid.into()))?;
        Ok(ColumnarValue::Array(Arc::new(list)))
    }
}
