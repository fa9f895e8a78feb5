//! `schema_of_variant(v)` and `schema_of_variant_agg(v)`: the Spark type a variant's values
//! would be read as, merged across array elements and rows as Spark's JSON schema inference
//! merges types (`JsonInferSchema.compatibleType`, with VARIANT where nothing fits).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryArray, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use super::json::strip_zeros;
use super::value::{Value, Variant};
use super::{Column, builder::digits, value::malformed};

/// A Spark type as schema inference sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Schema {
    Void,
    Boolean,
    Bigint,
    String,
    Double,
    Float,
    Decimal(u32, u32),
    Date,
    Timestamp,
    TimestampNtz,
    Binary,
    /// Fields sorted by name.
    Object(Vec<(String, Schema)>),
    Array(Box<Schema>),
    Variant,
}

/// The schema of one variant value.
pub(super) fn schema_of(v: Variant<'_>) -> Result<Schema> {
    Ok(match v.get()? {
        Value::Null => Schema::Void,
        Value::Boolean(_) => Schema::Boolean,
        Value::Long(..) => Schema::Bigint,
        Value::String(_) => Schema::String,
        Value::Double(_) => Schema::Double,
        Value::Float(_) => Schema::Float,
        Value::Decimal(unscaled, scale) => {
            let (unscaled, scale) = strip_zeros(unscaled, scale);
            Schema::Decimal(digits(unscaled).max(u32::from(scale)), u32::from(scale))
        }
        Value::Date(_) => Schema::Date,
        Value::Timestamp(_) => Schema::Timestamp,
        Value::TimestampNtz(_) => Schema::TimestampNtz,
        Value::Binary(_) => Schema::Binary,
        Value::Object(object) => {
            let mut fields = Vec::with_capacity(object.len());
            for i in 0..object.len() {
                let (key, value) = object.field(i)?;
                fields.push((key.to_string(), schema_of(value)?));
            }
            Schema::Object(fields)
        }
        Value::Array(list) => {
            let mut element = Schema::Void;
            for i in 0..list.len() {
                element = merge(element, schema_of(list.get(i)?)?);
            }
            Schema::Array(Box::new(element))
        }
    })
}

/// Two types' common type: the wider number, the union of two objects' fields, VARIANT where
/// they do not meet.
pub(super) fn merge(a: Schema, b: Schema) -> Schema {
    use Schema::*;
    match (a, b) {
        (a, b) if a == b => a,
        (Void, t) | (t, Void) => t,
        (Bigint, Float) | (Float, Bigint) => Float,
        (Bigint | Float, Double) | (Double, Bigint | Float) => Double,
        (Double, Decimal(..)) | (Decimal(..), Double) => Double,
        (Bigint, Decimal(p, s)) | (Decimal(p, s), Bigint) => {
            if p - s >= 20 {
                Decimal(p, s)
            } else {
                merge(Decimal(20, 0), Decimal(p, s))
            }
        }
        (Decimal(p1, s1), Decimal(p2, s2)) => {
            let scale = s1.max(s2);
            let range = (p1 - s1).max(p2 - s2);
            if range + scale > 38 { Double } else { Decimal(range + scale, scale) }
        }
        (Date | TimestampNtz, Timestamp) | (Timestamp, Date | TimestampNtz) => Timestamp,
        (Date, TimestampNtz) | (TimestampNtz, Date) => TimestampNtz,
        (Object(x), Object(y)) => {
            let mut fields = Vec::with_capacity(x.len().max(y.len()));
            let (mut x, mut y) = (x.into_iter().peekable(), y.into_iter().peekable());
            loop {
                let next = match (x.peek(), y.peek()) {
                    (Some((kx, _)), Some((ky, _))) => match kx.cmp(ky) {
                        std::cmp::Ordering::Less => x.next(),
                        std::cmp::Ordering::Greater => y.next(),
                        std::cmp::Ordering::Equal => match (x.next(), y.next()) {
                            (Some((k, tx)), Some((_, ty))) => Some((k, merge(tx, ty))),
                            _ => None,
                        },
                    },
                    (Some(_), None) => x.next(),
                    (None, Some(_)) => y.next(),
                    (None, None) => None,
                };
                match next {
                    Some(field) => fields.push(field),
                    None => break,
                }
            }
            Object(fields)
        }
        (Array(x), Array(y)) => Array(Box::new(merge(*x, *y))),
        _ => Variant,
    }
}

/// A field name as Spark prints it in a type: backquoted unless a plain identifier.
fn quoted(name: &str) -> String {
    let plain =
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.bytes().all(|b| b.is_ascii_digit());
    if plain { name.to_string() } else { format!("`{}`", name.replace('`', "``")) }
}

impl std::fmt::Display for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Schema::Void => write!(f, "VOID"),
            Schema::Boolean => write!(f, "BOOLEAN"),
            Schema::Bigint => write!(f, "BIGINT"),
            Schema::String => write!(f, "STRING"),
            Schema::Double => write!(f, "DOUBLE"),
            Schema::Float => write!(f, "FLOAT"),
            Schema::Decimal(p, s) => write!(f, "DECIMAL({p},{s})"),
            Schema::Date => write!(f, "DATE"),
            Schema::Timestamp => write!(f, "TIMESTAMP"),
            Schema::TimestampNtz => write!(f, "TIMESTAMP_NTZ"),
            Schema::Binary => write!(f, "BINARY"),
            Schema::Variant => write!(f, "VARIANT"),
            Schema::Array(e) => write!(f, "ARRAY<{e}>"),
            Schema::Object(fields) => {
                let parts: Vec<String> = fields.iter().map(|(k, t)| format!("{}: {t}", quoted(k))).collect();
                write!(f, "OBJECT<{}>", parts.join(", "))
            }
        }
    }
}

/// `schema_of_variant(v)` over a column.
pub(super) fn schema_of_variant(args: &[ArrayRef]) -> Result<ArrayRef> {
    let column = Column::new(&args[0])?;
    let out = (0..column.len())
        .map(|i| column.get(i)?.map(|v| schema_of(v).map(|s| s.to_string())).transpose())
        .collect::<Result<StringArray>>()?;
    Ok(Arc::new(out))
}

// The aggregate's state: the merged schema in a compact prefix form.

fn encode(s: &Schema, out: &mut Vec<u8>) {
    match s {
        Schema::Void => out.push(b'V'),
        Schema::Boolean => out.push(b'B'),
        Schema::Bigint => out.push(b'L'),
        Schema::String => out.push(b'S'),
        Schema::Double => out.push(b'D'),
        Schema::Float => out.push(b'F'),
        Schema::Decimal(p, s) => out.extend_from_slice(format!("M{p},{s};").as_bytes()),
        Schema::Date => out.push(b'E'),
        Schema::Timestamp => out.push(b'T'),
        Schema::TimestampNtz => out.push(b'Z'),
        Schema::Binary => out.push(b'N'),
        Schema::Variant => out.push(b'X'),
        Schema::Array(e) => {
            out.push(b'A');
            encode(e, out);
        }
        Schema::Object(fields) => {
            out.extend_from_slice(format!("O{};", fields.len()).as_bytes());
            for (k, t) in fields {
                out.extend_from_slice(format!("{}:", k.len()).as_bytes());
                out.extend_from_slice(k.as_bytes());
                encode(t, out);
            }
        }
    }
}

fn number(bytes: &[u8], at: &mut usize, end: u8) -> Option<usize> {
    let len = bytes.get(*at..)?.iter().position(|b| *b == end)?;
    let n = std::str::from_utf8(&bytes[*at..*at + len]).ok()?.parse().ok()?;
    *at += len + 1;
    Some(n)
}

fn decode(bytes: &[u8], at: &mut usize) -> Option<Schema> {
    let tag = *bytes.get(*at)?;
    *at += 1;
    Some(match tag {
        b'V' => Schema::Void,
        b'B' => Schema::Boolean,
        b'L' => Schema::Bigint,
        b'S' => Schema::String,
        b'D' => Schema::Double,
        b'F' => Schema::Float,
        b'M' => {
            let p = number(bytes, at, b',')?;
            let s = number(bytes, at, b';')?;
            Schema::Decimal(p as u32, s as u32)
        }
        b'E' => Schema::Date,
        b'T' => Schema::Timestamp,
        b'Z' => Schema::TimestampNtz,
        b'N' => Schema::Binary,
        b'X' => Schema::Variant,
        b'A' => Schema::Array(Box::new(decode(bytes, at)?)),
        b'O' => {
            let n = number(bytes, at, b';')?;
            let mut fields = Vec::with_capacity(n);
            for _ in 0..n {
                let len = number(bytes, at, b':')?;
                let key = std::str::from_utf8(bytes.get(*at..*at + len)?).ok()?.to_string();
                *at += len;
                fields.push((key, decode(bytes, at)?));
            }
            Schema::Object(fields)
        }
        _ => return None,
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SchemaOfVariantAgg {
    signature: Signature,
}

pub(super) fn schema_of_variant_agg() -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(SchemaOfVariantAgg { signature: Signature::any(1, Volatility::Immutable) }))
}

impl AggregateUDFImpl for SchemaOfVariantAgg {
    fn name(&self) -> &str {
        "schema_of_variant_agg"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format_state_name(args.name, "schema"), DataType::Binary, true))])
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Merged(Schema::Void)))
    }
}

#[derive(Debug)]
struct Merged(Schema);

impl Accumulator for Merged {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let column = Column::new(&values[0])?;
        for i in 0..column.len() {
            if let Some(v) = column.get(i)? {
                let merged = merge(std::mem::replace(&mut self.0, Schema::Void), schema_of(v)?);
                self.0 = merged;
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let states: &BinaryArray = states[0].as_binary::<i32>();
        for bytes in states.iter().flatten() {
            let other = decode(bytes, &mut 0).ok_or_else(malformed)?;
            let merged = merge(std::mem::replace(&mut self.0, Schema::Void), other);
            self.0 = merged;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut out = Vec::new();
        encode(&self.0, &mut out);
        Ok(vec![ScalarValue::Binary(Some(out))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Utf8(Some(self.0.to_string())))
    }

    fn size(&self) -> usize {
        size_of::<Self>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Result<String> {
        let (value, metadata) = super::super::json::parse(text)?.ok_or_else(malformed)?;
        Ok(schema_of(Variant::new(&value, &metadata)?)?.to_string())
    }

    #[test]
    fn schemas_are_sparks() -> Result<()> {
        assert_eq!(
            schema(r#"{"a":1.5e3,"b":"s","c":null,"d":[1,"x"],"e":[1,300,70000,5000000000],"f":12.345,"g":true}"#)?,
            "OBJECT<a: DOUBLE, b: STRING, c: VOID, d: ARRAY<VARIANT>, e: ARRAY<BIGINT>, f: DECIMAL(5,3), g: BOOLEAN>"
        );
        assert_eq!(schema("[1, 2.5]")?, "ARRAY<DECIMAL(21,1)>");
        assert_eq!(schema("[1.5, 22.25]")?, "ARRAY<DECIMAL(4,2)>");
        assert_eq!(schema(r#"[{"a":1}, {"b":2}]"#)?, "ARRAY<OBJECT<a: BIGINT, b: BIGINT>>");
        assert_eq!(schema("[12345678901234567890123, 1]")?, "ARRAY<DECIMAL(23,0)>");
        assert_eq!(schema("[0.001, 100.00]")?, "ARRAY<DECIMAL(6,3)>");
        Ok(())
    }

    #[test]
    fn states_round_trip() {
        let s = Schema::Object(vec![("a b".into(), Schema::Array(Box::new(Schema::Decimal(3, 2)))), ("c".into(), Schema::Variant)]);
        let mut bytes = Vec::new();
        encode(&s, &mut bytes);
        assert_eq!(decode(&bytes, &mut 0), Some(s));
    }
}
