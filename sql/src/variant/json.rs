//! Between JSON text and variants, as Spark's `parse_json` and `to_json` go: numbers become the
//! narrowest integer, else an exact decimal when written without an exponent and within 38
//! digits, else a double; text comes back compact, objects in key order, decimals without
//! trailing zeros, dates, timestamps and binaries as quoted strings.

use datafusion::common::Result;
use datafusion::error::DataFusionError;

use super::builder::{Builder, digits};
use super::value::{Value, Variant};
use crate::json::value::{Json, Parser};
use crate::naming::{format_double, format_float};
use crate::value_format::json_string;

/// Spark's error for text `parse_json` cannot read.
pub(crate) fn malformed_json(text: &str) -> DataFusionError {
    crate::json::malformed_record(text)
}

/// The variant of JSON `text` (its first value; Spark reads no further). `None` when it is not
/// JSON.
pub(crate) fn parse(text: &str) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
    let Some(json) = Parser::new(text).value(0) else {
        return Ok(None);
    };
    let mut builder = Builder::new();
    // A duplicate key makes the text malformed for Spark too.
    match build(&json, &mut builder) {
        Ok(true) => builder.finish().map(Some),
        Ok(false) | Err(_) => Ok(None),
    }
}

/// Appends `json`; false when a number is not one JSON allows.
fn build(json: &Json, b: &mut Builder) -> Result<bool> {
    match json {
        Json::Null => b.null(),
        Json::Bool(v) => b.boolean(*v),
        Json::Str(s) => b.string(s),
        Json::Num(n) => {
            if !is_json_number(n) {
                return Ok(false);
            }
            number(n, b);
        }
        Json::Arr(items) => {
            let start = b.position();
            let mut offsets = Vec::with_capacity(items.len());
            for item in items {
                offsets.push(b.position() - start);
                if !build(item, b)? {
                    return Ok(false);
                }
            }
            b.finish_array(start, &offsets)?;
        }
        Json::Obj(fields) => {
            let start = b.position();
            let mut entries = Vec::with_capacity(fields.len());
            for (key, value) in fields {
                b.field(&mut entries, key, start);
                if !build(value, b)? {
                    return Ok(false);
                }
            }
            b.finish_object(start, entries)?;
        }
    }
    Ok(true)
}

/// JSON's number grammar (Jackson's by default): no leading zeros, '+', bare '.' or exponent.
fn is_json_number(n: &str) -> bool {
    let s = n.strip_prefix('-').unwrap_or(n).as_bytes();
    let int_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if int_len == 0 || (int_len > 1 && s[0] == b'0') {
        return false;
    }
    let mut rest = &s[int_len..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if let Some(exp) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let exp = exp.strip_prefix(b"+").or_else(|| exp.strip_prefix(b"-")).unwrap_or(exp);
        return !exp.is_empty() && exp.iter().all(u8::is_ascii_digit);
    }
    rest.is_empty()
}

/// A JSON number: an integer that fits a long, else an exact decimal, else a double.
fn number(n: &str, b: &mut Builder) {
    let integral = !n.contains(['.', 'e', 'E']);
    if integral && let Ok(l) = n.parse::<i64>() {
        return b.long(l);
    }
    if let Some((unscaled, scale)) = exact_decimal(n) {
        return b.decimal(unscaled, scale);
    }
    b.double(n.parse::<f64>().unwrap_or(f64::NAN));
}

/// `n` as an unscaled value and scale when it has no exponent and fits 38 digits.
fn exact_decimal(n: &str) -> Option<(i128, u8)> {
    if n.contains(['e', 'E']) {
        return None;
    }
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    let scale = u8::try_from(frac.len()).ok().filter(|s| *s <= 38)?;
    let unscaled: i128 = format!("{int}{frac}").parse().ok()?;
    (digits(unscaled) <= 38).then_some((unscaled, scale))
}

/// A decimal with its trailing fractional zeros removed (Java's `stripTrailingZeros`, without
/// going to a negative scale).
pub(crate) fn strip_zeros(mut unscaled: i128, mut scale: u8) -> (i128, u8) {
    while scale > 0 && unscaled % 10 == 0 {
        unscaled /= 10;
        scale -= 1;
    }
    (unscaled, scale)
}

/// A timestamp as Spark's variants print it: the fraction without trailing zeros, and with the
/// zone offset (`+00:00`) when zoned.
pub(crate) fn timestamp_text(micros: i64, zoned: bool) -> String {
    let text = crate::value_format::format_timestamp_micros(micros);
    if zoned { format!("{text}+00:00") } else { text }
}

pub(crate) fn date_text(days: i32) -> String {
    chrono::DateTime::from_timestamp(i64::from(days) * 86_400, 0).map_or_else(|| days.to_string(), |t| t.date_naive().to_string())
}

/// A double or float as Jackson writes it: Java's text, non-finite values quoted.
fn floating(text: String, finite: bool) -> String {
    if finite { text } else { format!("\"{text}\"") }
}

/// `v` as compact JSON text.
pub(crate) fn to_json(v: Variant<'_>) -> Result<String> {
    let mut out = String::new();
    write(v, &mut out)?;
    Ok(out)
}

fn write(v: Variant<'_>, out: &mut String) -> Result<()> {
    match v.get()? {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Long(l, _) => out.push_str(&l.to_string()),
        Value::Double(d) => out.push_str(&floating(format_double(d), d.is_finite())),
        Value::Float(f) => out.push_str(&floating(format_float(f), f.is_finite())),
        Value::Decimal(unscaled, scale) => {
            let (unscaled, scale) = strip_zeros(unscaled, scale);
            out.push_str(&crate::value_format::format_decimal(unscaled, scale as i8));
        }
        Value::Date(days) => out.push_str(&format!("\"{}\"", date_text(days))),
        Value::Timestamp(us) => out.push_str(&format!("\"{}\"", timestamp_text(us, true))),
        Value::TimestampNtz(us) => out.push_str(&format!("\"{}\"", timestamp_text(us, false))),
        Value::Binary(bytes) => out.push_str(&format!("\"{}\"", crate::value_format::base64(bytes))),
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Object(object) => {
            out.push('{');
            for i in 0..object.len() {
                if i > 0 {
                    out.push(',');
                }
                let (key, value) = object.field(i)?;
                out.push_str(&json_string(key));
                out.push(':');
                write(value, out)?;
            }
            out.push('}');
        }
        Value::Array(list) => {
            out.push('[');
            for i in 0..list.len() {
                if i > 0 {
                    out.push(',');
                }
                write(list.get(i)?, out)?;
            }
            out.push(']');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> Result<String> {
        let (value, metadata) = parse(text)?.ok_or_else(|| malformed_json(text))?;
        to_json(Variant::new(&value, &metadata)?)
    }

    #[test]
    fn json_comes_back_as_spark_writes_it() -> Result<()> {
        assert_eq!(
            round_trip(r#"{"b":1,"a":[1,2.5,1e3,"x",null,true,12345678901234567890123]}"#)?,
            r#"{"a":[1,2.5,1000.0,"x",null,true,12345678901234567890123],"b":1}"#
        );
        assert_eq!(round_trip("[1.50, 0.001, -0.0, 100.00, 1e-7, 1E2]")?, "[1.5,0.001,0,100,1.0E-7,100.0]");
        Ok(())
    }

    #[test]
    fn numbers_take_spark_encodings() -> Result<()> {
        let (value, metadata) = parse("[1.50, 0.001]")?.ok_or_else(|| malformed_json("x"))?;
        assert_eq!(value, b"\x03\x02\x00\x06\x0c\x20\x02\x96\x00\x00\x00\x20\x03\x01\x00\x00\x00");
        assert_eq!(metadata, b"\x01\x00\x00");
        Ok(())
    }

    #[test]
    fn bad_json_is_refused() -> Result<()> {
        for text in ["{\"a\":1,", "", "01", "[1.]", "tru"] {
            assert!(parse(text)?.is_none(), "{text}");
        }
        Ok(())
    }
}
