//! Between text and bytes: `to_binary(s[, format])` (`hex`, `utf-8`, `base64`),
//! `to_base32`/`from_base32` (RFC 4648, padded) and `validate_utf8` (the bytes as a string,
//! an error when they are not UTF-8). Their `try_*` versions are [`crate::try_eval`] wrappers.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, StringArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use crate::udfs::udf;

/// The functions of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        udf("to_binary", &[1, 2], DataType::Binary, to_binary),
        udf("to_base32", &[1], DataType::Utf8, to_base32),
        udf("from_base32", &[1], DataType::Binary, from_base32),
        udf("validate_utf8", &[1], DataType::Utf8, validate_utf8),
    ]
}

/// The bytes of a string or binary column.
fn bytes_of(a: &ArrayRef) -> Result<BinaryArray> {
    Ok(cast(a, &DataType::Binary)?.as_binary::<i32>().clone())
}

fn malformed(value: &str, format: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "[CONVERSION_INVALID_INPUT] The value '{value}' ('{}') cannot be converted to \"BINARY\" because it is malformed. Correct \
         the value as per the syntax, or change its format. Use `try_to_binary` to tolerate malformed input and return NULL \
         instead. SQLSTATE: 22018",
        format.to_ascii_uppercase()
    ))
}

fn to_binary(a: &[ArrayRef]) -> Result<ArrayRef> {
    let text = crate::udfs::strings(&a[0])?;
    let formats = a.get(1).map(crate::udfs::strings).transpose()?;
    let mut out: Vec<Option<Vec<u8>>> = Vec::with_capacity(text.len());
    for i in 0..text.len() {
        let format = match &formats {
            Some(f) if f.is_null(i) => {
                out.push(None);
                continue;
            }
            Some(f) => f.value(i).to_string(),
            None => "hex".to_string(),
        };
        if text.is_null(i) {
            out.push(None);
            continue;
        }
        let s = text.value(i);
        let bytes = match format.to_ascii_lowercase().as_str() {
            "hex" => unhex(s).ok_or_else(|| malformed(s, "hex"))?,
            "utf-8" | "utf8" => s.as_bytes().to_vec(),
            "base64" => base64_decode(s).ok_or_else(|| malformed(s, "base64"))?,
            other => {
                return exec_err!(
                    "[DATATYPE_MISMATCH.INVALID_ARG_VALUE] Cannot resolve \"to_binary({s}, {other})\" due to data type mismatch: The \
                     fmt value must to be a case-insensitive \"STRING\" literal of 'hex', 'utf-8', 'utf8', or 'base64', but got \
                     '{other}'. SQLSTATE: 42K09"
                );
            }
        };
        out.push(Some(bytes));
    }
    Ok(Arc::new(out.iter().map(|b| b.as_deref()).collect::<BinaryArray>()))
}

/// Hex digits as bytes; an odd count reads as if led by a `0`, as Spark's `unhex`.
fn unhex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().map(|b| (b as char).to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    let padded: Vec<u8> = if digits.len() % 2 == 1 { std::iter::once(0).chain(digits).collect() } else { digits };
    Some(padded.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64, padding optional, as Java's MIME decoder reads it (whitespace skipped).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let body = s.trim_end_matches('=');
    for c in body.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = BASE64.iter().position(|&b| b == c)? as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    // A single leftover character cannot encode a byte.
    if count >= 6 {
        return None;
    }
    Some(out)
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn to_base32(a: &[ArrayRef]) -> Result<ArrayRef> {
    let bytes = bytes_of(&a[0])?;
    Ok(Arc::new(bytes.iter().map(|b| b.map(base32_encode)).collect::<StringArray>()))
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let value = block.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < symbols {
                out.push(BASE32[((value >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn from_base32(a: &[ArrayRef]) -> Result<ArrayRef> {
    let text = crate::udfs::strings(&a[0])?;
    let mut out: Vec<Option<Vec<u8>>> = Vec::with_capacity(text.len());
    for s in text.iter() {
        out.push(s.map(|s| base32_decode(s).ok_or_else(|| malformed(s, "base32"))).transpose()?);
    }
    Ok(Arc::new(out.iter().map(|b| b.as_deref()).collect::<BinaryArray>()))
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u64;
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

fn validate_utf8(a: &[ArrayRef]) -> Result<ArrayRef> {
    let bytes = bytes_of(&a[0])?;
    let mut out: Vec<Option<String>> = Vec::with_capacity(bytes.len());
    for b in bytes.iter() {
        let Some(b) = b else {
            out.push(None);
            continue;
        };
        match std::str::from_utf8(b) {
            Ok(s) => out.push(Some(s.to_string())),
            Err(_) => {
                let shown: String = b.iter().map(|c| format!("\\x{c:02X}")).collect();
                return exec_err!("[INVALID_UTF8_STRING] Invalid UTF8 byte sequence found in string: {shown}. SQLSTATE: 22029");
            }
        }
    }
    Ok(Arc::new(StringArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips_rfc_4648_vectors() {
        for (plain, encoded) in [("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foobar", "MZXW6YTBOI======")] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn hex_and_base64_read_as_spark() {
        assert_eq!(unhex("abc"), Some(vec![0x0a, 0xbc]));
        assert_eq!(unhex("zz"), None);
        assert_eq!(base64_decode("U3Bhcms="), Some(b"Spark".to_vec()));
        assert_eq!(base64_decode("a!"), None);
    }
}
