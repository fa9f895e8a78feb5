//! Spark's functions over a JSON document's outermost value: `json_array_length` (the number
//! of elements of an array) and `json_object_keys` (an object's keys, in document order).
//! Anything else — another kind of value, malformed text, NULL — is NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, ListBuilder, StringBuilder};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use super::value::{Json, Parser};

fn documents(a: &ArrayRef) -> Result<Vec<Option<Json>>> {
    let texts = cast(a, &DataType::Utf8)?;
    let texts = texts.as_string::<i32>();
    Ok((0..texts.len()).map(|i| if texts.is_null(i) { None } else { Parser::new(texts.value(i)).document() }).collect())
}

/// `json_array_length(json)`.
pub fn json_array_length(a: &[ArrayRef]) -> Result<ArrayRef> {
    let lengths = documents(&a[0])?.into_iter().map(|d| match d {
        Some(Json::Arr(items)) => i32::try_from(items.len()).ok(),
        _ => None,
    });
    Ok(Arc::new(lengths.collect::<Int32Array>()))
}

/// `json_object_keys(json)`.
pub fn json_object_keys(a: &[ArrayRef]) -> Result<ArrayRef> {
    let element = datafusion::arrow::datatypes::Field::new("element", DataType::Utf8, true);
    let mut out = ListBuilder::new(StringBuilder::new()).with_field(element);
    for document in documents(&a[0])? {
        match document {
            Some(Json::Obj(members)) => {
                for (k, _) in members {
                    out.values().append_value(k);
                }
                out.append(true);
            }
            _ => out.append(false),
        }
    }
    Ok(Arc::new(out.finish()))
}
