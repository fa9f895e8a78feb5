//! Spark's VARIANT type: semi-structured values in Spark's binary encoding, so the bytes Ember
//! writes are the bytes Spark writes and reads.
//!
//! In Arrow a variant is a struct of two binaries, `value` and `metadata` (the layout Parquet's
//! variant group and Spark's `VariantVal` use), whose `value` field is marked with the
//! `spark.type` metadata `variant`. The marker is part of the Arrow type, so it travels through
//! every plan, shuffle and result, and [`is_variant`] tells a variant from a user's struct.

pub(crate) mod builder;
mod cast;
mod explode;
mod functions;
pub(crate) mod json;
mod modify;
mod path;
mod schema;
pub(crate) mod value;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BinaryBuilder, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};

pub use explode::VariantExplode;
pub use functions::{CAST_FROM, CAST_TO, PATH, cast_from_variant, cast_to_variant};
pub(crate) use value::Variant;

/// The field metadata key and value that mark a struct as a variant.
const MARKER: (&str, &str) = ("spark.type", "variant");

/// The Arrow type of Spark's VARIANT.
pub fn variant_type() -> DataType {
    let marker = HashMap::from([(MARKER.0.to_string(), MARKER.1.to_string())]);
    DataType::Struct(Fields::from(vec![
        Field::new("value", DataType::Binary, false).with_metadata(marker),
        Field::new("metadata", DataType::Binary, false),
    ]))
}

/// Whether `dt` is Spark's VARIANT.
pub fn is_variant(dt: &DataType) -> bool {
    match dt {
        DataType::Struct(fields) => {
            fields.len() == 2 && fields[0].metadata().get(MARKER.0).is_some_and(|v| v == MARKER.1) && fields[0].name() == "value"
        }
        _ => false,
    }
}

/// Whether `dt` holds a variant anywhere (Spark cannot compare, sort or group such values).
pub fn contains_variant(dt: &DataType) -> bool {
    match dt {
        _ if is_variant(dt) => true,
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::Map(f, _) => contains_variant(f.data_type()),
        DataType::Struct(fields) => fields.iter().any(|f| contains_variant(f.data_type())),
        _ => false,
    }
}

/// Every variant scalar function.
pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    functions::scalars()
}

/// Every variant aggregate.
pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    vec![schema::schema_of_variant_agg()]
}

/// A column of variants, read row by row. A NULL literal's column (type `void`) reads as all
/// NULL.
pub(crate) struct Column<'a> {
    buffers: Option<(&'a BinaryArray, &'a BinaryArray)>,
    nulls: Option<&'a NullBuffer>,
    len: usize,
}

impl<'a> Column<'a> {
    pub(crate) fn new(array: &'a ArrayRef) -> Result<Self> {
        if array.data_type() == &DataType::Null {
            return Ok(Column { buffers: None, nulls: None, len: array.len() });
        }
        if !is_variant(array.data_type()) {
            return exec_err!("expected a VARIANT column, found {}", crate::types::sql_type(array.data_type()));
        }
        let s = array.as_struct();
        let (Some(values), Some(metadata)) = (s.column(0).as_binary_opt::<i32>(), s.column(1).as_binary_opt::<i32>()) else {
            return Err(value::malformed());
        };
        Ok(Column { buffers: Some((values, metadata)), nulls: s.nulls(), len: s.len() })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Row `i`'s variant, `None` where SQL NULL.
    pub(crate) fn get(&self, i: usize) -> Result<Option<Variant<'a>>> {
        let Some((values, metadata)) = self.buffers else {
            return Ok(None);
        };
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return Ok(None);
        }
        Variant::new(values.value(i), metadata.value(i)).map(Some)
    }
}

/// A column of variants built row by row.
#[derive(Default)]
pub(crate) struct ColumnBuilder {
    values: BinaryBuilder,
    metadata: BinaryBuilder,
    valid: Vec<bool>,
}

impl ColumnBuilder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn append(&mut self, value: &[u8], metadata: &[u8]) {
        self.values.append_value(value);
        self.metadata.append_value(metadata);
        self.valid.push(true);
    }

    pub(crate) fn append_option(&mut self, v: Option<(Vec<u8>, Vec<u8>)>) {
        match v {
            Some((value, metadata)) => self.append(&value, &metadata),
            None => self.append_null(),
        }
    }

    pub(crate) fn append_null(&mut self) {
        self.values.append_value([]);
        self.metadata.append_value([]);
        self.valid.push(false);
    }

    pub(crate) fn finish(mut self) -> Result<ArrayRef> {
        let DataType::Struct(fields) = variant_type() else {
            return exec_err!("the VARIANT type is a struct");
        };
        let columns: Vec<ArrayRef> = vec![Arc::new(self.values.finish()), Arc::new(self.metadata.finish())];
        let nulls = NullBuffer::from(self.valid);
        let nulls = (nulls.null_count() > 0).then_some(nulls);
        Ok(Arc::new(StructArray::try_new(fields, columns, nulls)?))
    }
}

/// `v` rebuilt on its own (Spark's `appendVariant` into a fresh builder): a value taken out of a
/// larger variant keeps only the keys it uses.
pub(crate) fn rebuilt(v: Variant<'_>) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut b = builder::Builder::new();
    b.variant(v)?;
    b.finish()
}

/// A `CAST`/`TRY_CAST` into or out of VARIANT as the variant cast it is; any other expression is
/// handed back.
pub fn rewrite_cast(
    e: datafusion::logical_expr::Expr,
    schema: &datafusion::common::DFSchema,
) -> Result<std::result::Result<datafusion::logical_expr::Expr, datafusion::logical_expr::Expr>> {
    use datafusion::logical_expr::{Cast, Expr, ExprSchemable, TryCast};
    if let Expr::BinaryExpr(b) = &e
        && b.op == datafusion::logical_expr::Operator::Colon
        && let Expr::Literal(ScalarValue::Utf8(Some(path)), _) = b.right.as_ref()
        && b.left.get_type(schema).is_ok_and(|t| is_variant(&t))
    {
        let path = if path.starts_with('[') { format!("${path}") } else { format!("$.{path}") };
        let get = functions::udf_named(functions::PATH)?;
        let call = datafusion::logical_expr::expr::ScalarFunction::new_udf(
            get,
            vec![b.left.as_ref().clone(), datafusion::logical_expr::lit(path)],
        );
        return Ok(Ok(Expr::ScalarFunction(call)));
    }
    let (expr, target, fail) = match &e {
        Expr::Cast(Cast { expr, field }) => (expr, field.data_type(), true),
        Expr::TryCast(TryCast { expr, field }) => (expr, field.data_type(), false),
        _ => return Ok(Err(e)),
    };
    let source = expr.get_type(schema)?;
    if is_variant(target) && !is_variant(&source) {
        return cast_to_variant(expr.as_ref().clone()).map(Ok);
    }
    if is_variant(&source) && !is_variant(target) {
        return cast_from_variant(expr.as_ref().clone(), target, fail).map(Ok);
    }
    Ok(Err(e))
}

/// A variant's value as plain data, for the Python package's `VariantVal.toPython()`.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Null,
    Boolean(bool),
    Long(i64),
    Double(f64),
    Float(f32),
    /// Plain text at the stored scale (`1.50`).
    Decimal(String),
    /// Days since the epoch.
    Date(i32),
    /// Microseconds since the epoch, and whether it is an instant (TIMESTAMP) or a wall-clock
    /// reading (TIMESTAMP_NTZ).
    Timestamp(i64, bool),
    Binary(Vec<u8>),
    String(String),
    Object(Vec<(String, Decoded)>),
    Array(Vec<Decoded>),
}

fn decoded(v: Variant<'_>) -> Result<Decoded> {
    use value::Value;
    Ok(match v.get()? {
        Value::Null => Decoded::Null,
        Value::Boolean(b) => Decoded::Boolean(b),
        Value::Long(l, _) => Decoded::Long(l),
        Value::Double(d) => Decoded::Double(d),
        Value::Float(f) => Decoded::Float(f),
        Value::Decimal(unscaled, scale) => Decoded::Decimal(crate::value_format::format_decimal(unscaled, scale as i8)),
        Value::Date(d) => Decoded::Date(d),
        Value::Timestamp(us) => Decoded::Timestamp(us, true),
        Value::TimestampNtz(us) => Decoded::Timestamp(us, false),
        Value::Binary(b) => Decoded::Binary(b.to_vec()),
        Value::String(s) => Decoded::String(s.to_string()),
        Value::Object(o) => {
            Decoded::Object((0..o.len()).map(|i| o.field(i).and_then(|(k, v)| Ok((k.to_string(), decoded(v)?)))).collect::<Result<_>>()?)
        }
        Value::Array(a) => Decoded::Array((0..a.len()).map(|i| a.get(i).and_then(decoded)).collect::<Result<_>>()?),
    })
}

/// The value of a variant's two buffers.
pub fn decode(value: &[u8], metadata: &[u8]) -> Result<Decoded> {
    decoded(Variant::new(value, metadata)?)
}

/// The variant of JSON text (`VariantVal.parseJson`): its value and metadata buffers.
pub fn parse_json_text(text: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    json::parse(text)?.ok_or_else(|| json::malformed_json(text))
}

/// The column name Spark gives `v:path` (a path written `a.b[0]`, or the full `$.a.b[0]`): the
/// path's last field name (`b`).
pub fn path_column_name(path: &str) -> String {
    let full = if path.starts_with('$') {
        path.to_string()
    } else if path.starts_with('[') {
        format!("${path}")
    } else {
        format!("$.{path}")
    };
    let last_key = path::parse(&full).and_then(|segments| {
        segments.into_iter().rev().find_map(|s| match s {
            path::Segment::Key(k) => Some(k),
            path::Segment::Index(_) => None,
        })
    });
    last_key.unwrap_or_else(|| path.to_string())
}

/// The cast a variant cast call stands for (`CAST(v AS INT)`), for its name.
pub fn as_cast(name: &str, args: &[datafusion::logical_expr::Expr]) -> Option<datafusion::logical_expr::Expr> {
    use datafusion::logical_expr::{Cast, Expr};
    match (name, args) {
        (functions::CAST_TO, [e]) => Some(Expr::Cast(Cast::new(Box::new(e.clone()), variant_type()))),
        (functions::CAST_FROM, [e, _, Expr::Literal(ScalarValue::Utf8(Some(t)), _)]) => {
            let target = crate::types::parse_data_type(t).ok()?;
            Some(Expr::Cast(Cast::new(Box::new(e.clone()), target)))
        }
        _ => None,
    }
}
