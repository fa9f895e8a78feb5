//! `map_contains_key(map, key)`: whether the map has the key (NULL for a NULL map).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Scalar};
use datafusion::arrow::compute::cast;
use datafusion::arrow::compute::kernels::cmp::eq;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

pub fn map_contains_key() -> Arc<ScalarUDF> {
    crate::udfs::udf("map_contains_key", &[2], DataType::Boolean, contains)
}

fn contains(args: &[ArrayRef]) -> Result<ArrayRef> {
    let DataType::Map(entries, _) = args[0].data_type() else {
        return exec_err!("map_contains_key expects a MAP, found {}", crate::types::sql_type(args[0].data_type()));
    };
    let DataType::Struct(kv) = entries.data_type() else {
        return exec_err!("a map's entries are a struct");
    };
    let maps = args[0].as_map();
    let keys = cast(&args[1], kv[0].data_type())?;
    let out: BooleanArray = (0..maps.len())
        .map(|i| {
            if maps.is_null(i) || keys.is_null(i) {
                return Ok(None);
            }
            let found = eq(&maps.value(i).column(0), &Scalar::new(keys.slice(i, 1)))?;
            Ok(Some(found.true_count() > 0))
        })
        .collect::<Result<_>>()?;
    Ok(Arc::new(out))
}
