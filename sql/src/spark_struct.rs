//! Spark's `struct(a, b, 1)`: DataFusion's `struct` with Spark's field names. A field takes
//! the name of the column it is made of (`a`, `b`); anything else is `col` and its position
//! from 1 (`col3`), where DataFusion says `c0`, `c1`, ...

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature};

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkStruct {
    inner: Arc<ScalarUDF>,
}

/// The name Spark gives field `i` made of an argument named `arg` (`None` for a constant).
fn field_name(i: usize, arg: Option<&str>) -> String {
    match arg {
        Some(name) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => name.to_string(),
        _ => format!("col{}", i + 1),
    }
}

impl ScalarUDFImpl for SparkStruct {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        exec_err!("struct takes its type from its arguments' fields")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let fields: Fields = args
            .arg_fields
            .iter()
            .zip(args.scalar_arguments)
            .enumerate()
            .map(|(i, (f, constant))| {
                let arg = if constant.is_some() { None } else { Some(f.name().as_str()) };
                Field::new(field_name(i, arg), f.data_type().clone(), true)
            })
            .collect();
        Ok(Arc::new(Field::new(self.name(), DataType::Struct(fields), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Struct(fields) = args.return_field.data_type().clone() else {
            return exec_err!("struct returns a struct");
        };
        let rows = args.number_rows;
        let built = self.inner.invoke_with_args(args)?.into_array(rows)?;
        let Some(built) = built.as_any().downcast_ref::<StructArray>() else {
            return exec_err!("struct built something other than a struct");
        };
        let renamed = StructArray::try_new(fields, built.columns().to_vec(), built.nulls().cloned())?;
        Ok(ColumnarValue::Array(Arc::new(renamed)))
    }
}

static STRUCT: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| Arc::new(ScalarUDF::new_from_impl(SparkStruct { inner: datafusion::functions::core::r#struct() })));

/// Spark's `struct`.
pub fn spark_struct() -> Arc<ScalarUDF> {
    Arc::clone(&STRUCT)
}

#[cfg(test)]
mod tests {
    use super::field_name;

    #[test]
    fn columns_keep_their_names_and_the_rest_count_from_one() {
        assert_eq!(field_name(0, Some("a")), "a");
        assert_eq!(field_name(1, None), "col2");
        assert_eq!(field_name(2, Some("t.a + Int64(1)")), "col3");
    }
}
