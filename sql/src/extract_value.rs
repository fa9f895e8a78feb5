//! Spark's `a[i]` and `m[k]` (the `[]` operator, and `Column.getItem`), `get(a, i)`,
//! `element_at(a, i)` and `try_element_at(a, i)`.
//!
//! Spark's `[]` counts array elements from 0 and, in ANSI mode (Spark 4's default), fails with
//! `INVALID_ARRAY_INDEX` outside the array; `get` is the same lookup returning NULL there.
//! `element_at` counts from 1, from the end when negative, fails outside the array
//! (`INVALID_ARRAY_INDEX_IN_ELEMENT_AT`) and at 0 (`INVALID_INDEX_OF_ZERO`); `try_element_at`
//! gives NULL for both. On a map all look the key up (cast to the map's key type) and give NULL
//! when it is missing.
//! DataFusion's `array_element` counts from 1 and its `get_field` takes literal map keys only,
//! so neither can stand for them.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, GenericListArray, Int64Array, MapArray, OffsetSizeTrait, UInt64Array};
use datafusion::arrow::compute::kernels::cmp::eq;
use datafusion::arrow::compute::{cast, take};
use datafusion::arrow::datatypes::{ArrowNativeType, DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The name of the `[]` operator's function; Spark shows it as `a[i]` (see [`crate::naming`]).
pub const ITEM: &str = "extract_value";

/// How an array index counts and what an index outside the array gives.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Mode {
    /// `[]`: from 0, failing outside.
    Bracket,
    /// `get`: from 0, NULL outside.
    Get,
    /// `element_at`: from 1 (negative from the end), failing outside and at 0.
    ElementAt,
    /// `try_element_at`: as `element_at`, NULL outside and at 0.
    TryElementAt,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ExtractValue {
    name: &'static str,
    mode: Mode,
    signature: Signature,
}

impl ScalarUDFImpl for ExtractValue {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, args: &[DataType]) -> Result<Vec<DataType>> {
        let [container, key] = args else {
            return plan_err!("{} takes 2 arguments, got {}", self.name, args.len());
        };
        match container {
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) if key.is_integer() || key.is_null() => {
                Ok(vec![container.clone(), DataType::Int64])
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type mismatch: the index of an \
                 array must be an integer, not \"{}\". SQLSTATE: 42K09",
                self.name,
                crate::types::simple_string(key).to_uppercase()
            ),
            DataType::Map(entries, _) => match entries.data_type() {
                DataType::Struct(fields) if fields.len() == 2 => Ok(vec![container.clone(), fields[0].data_type().clone()]),
                other => plan_err!("a map's entries are a struct of key and value, not {other}"),
            },
            DataType::Null => Ok(vec![DataType::Null, key.clone()]),
            other => plan_err!(
                "[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from \"{}\". Need a complex type [STRUCT, ARRAY, MAP] \
                 but got \"{}\". SQLSTATE: 42000",
                self.name,
                crate::types::simple_string(other).to_uppercase()
            ),
        }
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        exec_err!("{} takes its type from its arguments' fields", self.name)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(container) = args.arg_fields.first() else {
            return plan_err!("{} takes 2 arguments", self.name);
        };
        let value = element_type(container.data_type())?;
        Ok(Arc::new(Field::new(self.name, value, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = crate::columnar::all_scalar(&args.args);
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [container, key] = arrays.as_slice() else {
            return exec_err!("{} takes 2 arguments", self.name);
        };
        let out = match container.data_type() {
            DataType::List(_) => self.list_items(container.as_list::<i32>(), key)?,
            DataType::LargeList(_) => self.list_items(container.as_list::<i64>(), key)?,
            DataType::FixedSizeList(field, _) => {
                let list = cast(container, &DataType::List(Arc::clone(field)))?;
                self.list_items(list.as_list::<i32>(), key)?
            }
            DataType::Map(..) => from_map(container.as_map(), key)?,
            _ => datafusion::arrow::array::new_null_array(args.return_field.data_type(), container.len()),
        };
        crate::columnar::answer(out, scalar)
    }
}

impl ExtractValue {
    /// Element `key[r]` of each list `r`, counted as the mode counts.
    fn list_items<O: OffsetSizeTrait>(&self, list: &GenericListArray<O>, key: &ArrayRef) -> Result<ArrayRef> {
        let key = cast(key, &DataType::Int64)?;
        let index: &Int64Array = key.as_primitive();
        let offsets = list.value_offsets();
        let mut picks = Vec::with_capacity(list.len());
        for r in 0..list.len() {
            if list.is_null(r) || index.is_null(r) {
                picks.push(None);
                continue;
            }
            let (start, len) = (offsets[r].as_usize(), offsets[r + 1].as_usize() - offsets[r].as_usize());
            let i = index.value(r);
            let at = match self.mode {
                Mode::Bracket | Mode::Get => usize::try_from(i).ok(),
                Mode::ElementAt | Mode::TryElementAt if i > 0 => usize::try_from(i - 1).ok(),
                Mode::ElementAt if i == 0 => {
                    return exec_err!(
                        "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has \
                         index 1). SQLSTATE: 22003"
                    );
                }
                Mode::ElementAt | Mode::TryElementAt => usize::try_from(i.unsigned_abs()).ok().and_then(|back| len.checked_sub(back)),
            };
            match at {
                Some(at) if at < len => picks.push(Some((start + at) as u64)),
                _ if self.mode == Mode::Bracket => {
                    return exec_err!(
                        "[INVALID_ARRAY_INDEX] The index {i} is out of bounds. The array has {len} elements. Use the SQL \
                         function `get()` to tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003"
                    );
                }
                _ if self.mode == Mode::ElementAt => {
                    return exec_err!(
                        "[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index {i} is out of bounds. The array has {len} elements. Use \
                         `try_element_at` to tolerate accessing element at invalid index and return NULL instead. SQLSTATE: 22003"
                    );
                }
                _ => picks.push(None),
            }
        }
        Ok(take(list.values(), &UInt64Array::from(picks), None)?)
    }
}

/// The value under `key[r]` in each map `r`, NULL where the key is missing.
fn from_map(map: &MapArray, key: &ArrayRef) -> Result<ArrayRef> {
    let keys = map.keys();
    let key = cast(key, keys.data_type())?;
    let offsets = map.value_offsets();
    // Each entry next to the key its row looks for, compared in one pass.
    let owner: UInt64Array = (0..map.len()).flat_map(|r| (offsets[r]..offsets[r + 1]).map(move |_| r as u64)).collect();
    let wanted = take(&key, &owner, None)?;
    let hit = eq(keys, &wanted)?;
    let mut picks = Vec::with_capacity(map.len());
    for r in 0..map.len() {
        let (start, end) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        let found = if map.is_null(r) { None } else { (start..end).find(|&e| hit.is_valid(e) && hit.value(e)) };
        picks.push(found.map(|e| e as u64));
    }
    Ok(take(map.values(), &UInt64Array::from(picks), None)?)
}

/// What `[]` reads from a container of type `t`: an array's element, a map's value.
fn element_type(t: &DataType) -> Result<DataType> {
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(f.data_type().clone()),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(fields) if fields.len() == 2 => Ok(fields[1].data_type().clone()),
            other => plan_err!("a map's entries are a struct of key and value, not {other}"),
        },
        DataType::Null => Ok(DataType::Null),
        other => plan_err!("cannot extract a value from {other}"),
    }
}

fn udf(name: &'static str, mode: Mode) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ExtractValue { name, mode, signature: Signature::user_defined(Volatility::Immutable) }))
}

static ITEM_UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| udf(ITEM, Mode::Bracket));
static GET_UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| udf("get", Mode::Get));
static ELEMENT_AT_UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| udf("element_at", Mode::ElementAt));
static TRY_ELEMENT_AT_UDF: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| udf("try_element_at", Mode::TryElementAt));

/// Spark's `[]`: `a[i]` from 0, failing outside the array; `m[k]`.
pub fn item() -> Arc<ScalarUDF> {
    Arc::clone(&ITEM_UDF)
}

/// Spark's `get(a, i)`: `a[i]`, NULL outside the array.
pub fn get() -> Arc<ScalarUDF> {
    Arc::clone(&GET_UDF)
}

/// Spark's `element_at(a, i)`: from 1, from the end when negative; `element_at(m, k)`.
pub fn element_at() -> Arc<ScalarUDF> {
    Arc::clone(&ELEMENT_AT_UDF)
}

/// Spark's `try_element_at`: `element_at`, NULL where it fails.
pub fn try_element_at() -> Arc<ScalarUDF> {
    Arc::clone(&TRY_ELEMENT_AT_UDF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, ListArray, MapBuilder, StringBuilder};
    use datafusion::arrow::datatypes::Int32Type;

    fn run(f: &Arc<ScalarUDF>, container: ArrayRef, key: ArrayRef) -> Result<ArrayRef> {
        let fields =
            vec![Arc::new(Field::new("c", container.data_type().clone(), true)), Arc::new(Field::new("k", key.data_type().clone(), true))];
        let return_field = f.return_field_from_args(ReturnFieldArgs { arg_fields: &fields, scalar_arguments: &[None, None] })?;
        let rows = container.len();
        let args = ScalarFunctionArgs {
            args: vec![ColumnarValue::Array(container), ColumnarValue::Array(key)],
            arg_fields: fields,
            number_rows: rows,
            return_field,
            config_options: Arc::new(Default::default()),
        };
        f.invoke_with_args(args)?.into_array(rows)
    }

    fn lists() -> ArrayRef {
        Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(5), Some(6), Some(7)]), None, Some(vec![Some(1)])]))
    }

    #[test]
    fn arrays_count_from_zero() -> Result<()> {
        let out = run(&item(), lists(), Arc::new(Int64Array::from(vec![Some(2), Some(0), None])))?;
        assert_eq!(out.as_primitive::<Int32Type>(), &Int32Array::from(vec![Some(7), None, None]));
        Ok(())
    }

    #[test]
    fn outside_the_array_brackets_fail_and_get_is_null() -> Result<()> {
        let err = run(&item(), lists(), Arc::new(Int64Array::from(vec![3, 0, 0]))).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("[INVALID_ARRAY_INDEX] The index 3 is out of bounds. The array has 3 elements."), "{err}");
        let out = run(&get(), lists(), Arc::new(Int64Array::from(vec![3, 0, -1])))?;
        assert_eq!(out.null_count(), 3);
        Ok(())
    }

    #[test]
    fn element_at_counts_from_one_and_from_the_end() -> Result<()> {
        let out = run(&element_at(), lists(), Arc::new(Int64Array::from(vec![-1, 1, 1])))?;
        assert_eq!(out.as_primitive::<Int32Type>(), &Int32Array::from(vec![Some(7), None, Some(1)]));
        let err = run(&element_at(), lists(), Arc::new(Int64Array::from(vec![0, 1, 1]))).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("[INVALID_INDEX_OF_ZERO]"), "{err}");
        let err = run(&element_at(), lists(), Arc::new(Int64Array::from(vec![-4, 1, 1]))).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index -4 is out of bounds. The array has 3 elements."), "{err}");
        let out = run(&try_element_at(), lists(), Arc::new(Int64Array::from(vec![0, 1, 5])))?;
        assert_eq!(out.null_count(), 3);
        Ok(())
    }

    #[test]
    fn maps_look_the_key_up() -> Result<()> {
        let mut b = MapBuilder::new(None, StringBuilder::new(), datafusion::arrow::array::Int32Builder::new());
        b.keys().append_value("x");
        b.values().append_value(1);
        b.keys().append_value("y");
        b.values().append_value(2);
        b.append(true)?;
        b.keys().append_value("x");
        b.values().append_value(3);
        b.append(true)?;
        let map: ArrayRef = Arc::new(b.finish());
        let keys: ArrayRef = Arc::new(datafusion::arrow::array::StringArray::from(vec!["y", "z"]));
        let out = run(&item(), map, keys)?;
        assert_eq!(out.as_primitive::<Int32Type>(), &Int32Array::from(vec![Some(2), None]));
        Ok(())
    }
}
