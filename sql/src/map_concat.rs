//! Spark's `map_concat(m1, m2, ...)`: the entries of every map, in order. A key in more than one
//! map is Spark's `DUPLICATED_MAP_KEY` (its default `spark.sql.mapKeyDedupPolicy`,
//! `EXCEPTION`); a NULL map makes the result NULL.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, MapArray, MutableArrayData, StructArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct MapConcat {
    signature: Signature,
}

/// `map_concat`.
pub fn map_concat() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(MapConcat { signature: Signature::variadic_any(Volatility::Immutable) }))
}

impl ScalarUDFImpl for MapConcat {
    fn name(&self) -> &str {
        "map_concat"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.iter().find(|t| matches!(t, DataType::Map(..))) {
            Some(t) => Ok(t.clone()),
            None => Ok(DataType::Map(
                Arc::new(Field::new(
                    "entries",
                    DataType::Struct(vec![Field::new("key", DataType::Null, false), Field::new("value", DataType::Null, true)].into()),
                    false,
                )),
                false,
            )),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let target = args.return_field.data_type().clone();
        let DataType::Map(entries_field, sorted) = &target else {
            return exec_err!("map_concat returns a map");
        };
        let arrays = args.args.into_iter().map(|a| a.into_array(rows)).collect::<Result<Vec<_>>>()?;
        let maps = arrays
            .iter()
            .map(|a| Ok(datafusion::arrow::compute::kernels::cast::cast(a, &target)?.as_map().clone()))
            .collect::<Result<Vec<MapArray>>>()?;
        let datas: Vec<_> = maps.iter().map(|m| m.entries().to_data()).collect();
        let mut out = MutableArrayData::new(datas.iter().collect(), false, rows);
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        let mut length = 0i32;
        for i in 0..rows {
            if maps.iter().any(|m| m.is_null(i)) {
                valid.push(false);
                offsets.push(length);
                continue;
            }
            let mut seen = HashSet::new();
            for (k, m) in maps.iter().enumerate() {
                let (start, end) = (m.value_offsets()[i] as usize, m.value_offsets()[i + 1] as usize);
                for j in start..end {
                    let key = ScalarValue::try_from_array(m.keys(), j)?;
                    if !seen.insert(key.clone()) {
                        return exec_err!(
                            "[DUPLICATED_MAP_KEY] Duplicate map key {} was found, please check the input data.\nIf you want to remove \
                             the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key \
                             inserted at last takes precedence. SQLSTATE: 23505",
                            crate::naming::literal(&key)
                        );
                    }
                }
                out.try_extend(k, start, end)?;
                length += (end - start) as i32;
            }
            valid.push(true);
            offsets.push(length);
        }
        let entries = StructArray::from(out.freeze());
        let map = MapArray::try_new(Arc::clone(entries_field), OffsetBuffer::new(offsets.into()), entries, Some(valid.into()), *sorted)?;
        Ok(ColumnarValue::Array(Arc::new(map) as ArrayRef))
    }
}
