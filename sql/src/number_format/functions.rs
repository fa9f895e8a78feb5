//! `to_number`, `try_to_number` and `to_char`/`to_varchar` as session functions. The format is
//! a constant, read and checked when the call is analyzed; `to_number`'s type is the format's
//! DECIMAL. `to_char` of a date or timestamp is `date_format`, of a binary its text in the named
//! encoding, as Spark rewrites it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::Format;

#[derive(Debug, PartialEq, Eq, Hash)]
struct NumberFormatFn {
    name: &'static str,
    /// `to_number` (true) or `to_char` (false).
    reads: bool,
    /// Whether text that does not follow the format raises (`to_number`) or is NULL.
    fail: bool,
    signature: Signature,
}

pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    let f = |name, reads, fail| {
        Arc::new(ScalarUDF::new_from_impl(NumberFormatFn { name, reads, fail, signature: Signature::any(2, Volatility::Immutable) }))
    };
    vec![f("to_number", true, true), f("try_to_number", true, false), f("to_char", false, true), f("to_varchar", false, true)]
}

/// The constant format argument, upper-cased as Spark reads it.
fn format_text(name: &str, value: Option<&ScalarValue>) -> Result<String> {
    match value {
        Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))) => Ok(s.to_uppercase()),
        _ => plan_err!(
            "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve \"{name}\" due to data type mismatch: the input `format` should be a \
             foldable \"STRING\" expression. SQLSTATE: 42K09"
        ),
    }
}

fn is_datetime(dt: &DataType) -> bool {
    matches!(dt, DataType::Date32 | DataType::Date64 | DataType::Timestamp(..))
}

fn is_binary(dt: &DataType) -> bool {
    matches!(dt, DataType::Binary | DataType::LargeBinary | DataType::BinaryView)
}

/// The binary encodings `to_char` names.
fn binary_format(name: &str, text: &str) -> Result<&'static str> {
    match text.to_ascii_lowercase().as_str() {
        "base64" => Ok("base64"),
        "hex" => Ok("hex"),
        "utf-8" => Ok("utf-8"),
        _ => plan_err!(
            "[INVALID_PARAMETER_VALUE.BINARY_FORMAT] The value of parameter(s) `format` in `{name}` is invalid: expects one of binary \
             formats 'base64', 'hex', 'utf-8', but got '{text}'. SQLSTATE: 22023"
        ),
    }
}

impl ScalarUDFImpl for NumberFormatFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{} is typed by its format", self.name)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = args.arg_fields[0].data_type();
        let value = args.scalar_arguments.get(1).copied().flatten();
        let data_type = if self.reads {
            let (p, s) = Format::new(&format_text(self.name, value)?)?.decimal_type();
            DataType::Decimal128(p, s)
        } else {
            if is_binary(input) {
                let raw = match value {
                    Some(ScalarValue::Utf8(Some(s))) => s.clone(),
                    _ => format_text(self.name, value)?,
                };
                binary_format("to_char", &raw)?;
            } else if !is_datetime(input) {
                Format::new(&format_text(self.name, value)?)?;
            }
            DataType::Utf8
        };
        Ok(Arc::new(Field::new(self.name, data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let input = args.args[0].to_array(rows)?;
        let format_arg = match &args.args[1] {
            ColumnarValue::Scalar(v) => v.clone(),
            ColumnarValue::Array(_) => return exec_err!("{}: the format must be a constant", self.name),
        };
        if !self.reads && is_datetime(input.data_type()) {
            return Ok(ColumnarValue::Array(crate::udfs::date_format(&[input, args.args[1].to_array(rows)?])?));
        }
        if !self.reads && is_binary(input.data_type()) {
            let raw = match &format_arg {
                ScalarValue::Utf8(Some(s)) => s.clone(),
                other => other.to_string(),
            };
            return Ok(ColumnarValue::Array(binary_text(&input, binary_format("to_char", &raw)?)?));
        }
        let text = format_text(self.name, Some(&format_arg))?;
        let format = Format::new(&text)?;
        let out: ArrayRef = if self.reads {
            let texts = cast(&input, &DataType::Utf8)?;
            let texts: &StringArray = texts.as_string::<i32>();
            let (p, s) = format.decimal_type();
            let mut values = Vec::with_capacity(rows);
            for t in texts.iter() {
                values.push(match t {
                    None => None,
                    Some(t) => match super::parse::parse(&format, t) {
                        Some(v) => Some(v),
                        None if self.fail => return Err(mismatch(&text, t)),
                        None => None,
                    },
                });
            }
            Arc::new(Decimal128Array::from(values).with_precision_and_scale(p, s)?)
        } else {
            let plain = plain_numbers(&input)?;
            Arc::new(plain.iter().map(|v| v.as_ref().map(|p| super::write::write(&format, p))).collect::<StringArray>())
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// Spark's error for text that does not follow the format.
fn mismatch(format: &str, input: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: {format}. The input \"STRING\" {input} does not match the format. SQLSTATE: \
         42601"
    ))
}

/// Each number in plain decimal notation, as Spark's decimal of it prints (`-12454.8`).
fn plain_numbers(input: &ArrayRef) -> Result<Vec<Option<String>>> {
    let texts: Vec<String> = match input.data_type() {
        DataType::Decimal128(..) | DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            crate::value_format::format_column(input, crate::value_format::ValueStyle::Hive)?
        }
        DataType::Float32 | DataType::Float64 | DataType::Float16 => {
            let doubles = cast(input, &DataType::Float64)?;
            let doubles = doubles.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
            let float = matches!(input.data_type(), DataType::Float32 | DataType::Float16);
            doubles.iter().map(|d| d.map(|d| if float { format!("{}", d as f32) } else { format!("{d}") }).unwrap_or_default()).collect()
        }
        DataType::Null => vec![String::new(); input.len()],
        other => return plan_err!("to_char: cannot format {} with a number format", crate::types::sql_type(other)),
    };
    Ok(texts.into_iter().enumerate().map(|(i, t)| (!input.is_null(i)).then_some(t)).collect())
}

/// Binaries as text in the named encoding.
fn binary_text(input: &ArrayRef, encoding: &str) -> Result<ArrayRef> {
    let bytes = cast(input, &DataType::Binary)?;
    let out: StringArray = bytes
        .as_binary::<i32>()
        .iter()
        .map(|b| {
            b.map(|b| match encoding {
                "base64" => crate::value_format::base64(b),
                "hex" => b.iter().map(|x| format!("{x:02X}")).collect(),
                _ => String::from_utf8_lossy(b).into_owned(),
            })
        })
        .collect();
    Ok(Arc::new(out))
}
