//! Spark's `hash()`: Murmur3 x86 32-bit with seed 42, chained across columns, nulls skipped.
//!
//! Ember hash-partitions shuffles with this function so that rows land in the same partitions,
//! and come out in the same order, as they do in Spark (`pmod(hash(keys), partitions)`). Spark's
//! byte hashing differs from reference Murmur3 in its tail: each trailing byte is mixed as a
//! sign-extended word of its own.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use datafusion::error::{DataFusionError, Result};

/// Spark's default hash seed.
pub const SEED: i32 = 42;

const C1: i32 = 0xcc9e_2d51_u32 as i32;
const C2: i32 = 0x1b87_3593_u32 as i32;

fn mix_k1(k1: i32) -> i32 {
    k1.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn mix_h1(h1: i32, k1: i32) -> i32 {
    (h1 ^ k1).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32)
}

fn fmix(h1: i32, length: i32) -> i32 {
    let mut h = (h1 ^ length) as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

pub fn hash_int(v: i32, seed: i32) -> i32 {
    fmix(mix_h1(seed, mix_k1(v)), 4)
}

pub fn hash_long(v: i64, seed: i32) -> i32 {
    let low = v as i32;
    let high = (v as u64 >> 32) as i32;
    let h1 = mix_h1(seed, mix_k1(low));
    fmix(mix_h1(h1, mix_k1(high)), 8)
}

pub fn hash_bytes(bytes: &[u8], seed: i32) -> i32 {
    let aligned = bytes.len() - bytes.len() % 4;
    let mut h1 = seed;
    for chunk in bytes[..aligned].chunks_exact(4) {
        let word = i32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        h1 = mix_h1(h1, mix_k1(word));
    }
    for b in &bytes[aligned..] {
        h1 = mix_h1(h1, mix_k1(i32::from(*b as i8)));
    }
    fmix(h1, bytes.len() as i32)
}

/// Spark hashes -0.0 as 0.0 and every NaN alike (its plans normalize floats before hashing).
fn double_bits(v: f64) -> i64 {
    if v == 0.0 {
        0
    } else if v.is_nan() {
        f64::NAN.to_bits() as i64
    } else {
        v.to_bits() as i64
    }
}

fn float_bits(v: f32) -> i32 {
    if v == 0.0 {
        0
    } else if v.is_nan() {
        f32::NAN.to_bits() as i32
    } else {
        v.to_bits() as i32
    }
}

/// Folds one column into the running per-row hashes.
pub fn hash_column(array: &ArrayRef, hashes: &mut [i32]) -> Result<()> {
    macro_rules! each {
        ($arr:expr, $f:expr) => {{
            let a = $arr;
            for (i, h) in hashes.iter_mut().enumerate() {
                if a.is_valid(i) {
                    *h = $f(a.value(i), *h);
                }
            }
        }};
    }
    match array.data_type() {
        DataType::Boolean => each!(array.as_boolean(), |v: bool, h| hash_int(i32::from(v), h)),
        DataType::Int8 => each!(array.as_primitive::<Int8Type>(), |v: i8, h| hash_int(i32::from(v), h)),
        DataType::Int16 => each!(array.as_primitive::<Int16Type>(), |v: i16, h| hash_int(i32::from(v), h)),
        DataType::Int32 => each!(array.as_primitive::<Int32Type>(), hash_int),
        DataType::Int64 => each!(array.as_primitive::<Int64Type>(), hash_long),
        DataType::UInt8 => each!(array.as_primitive::<UInt8Type>(), |v: u8, h| hash_int(i32::from(v), h)),
        DataType::UInt16 => each!(array.as_primitive::<UInt16Type>(), |v: u16, h| hash_int(i32::from(v), h)),
        DataType::UInt32 => each!(array.as_primitive::<UInt32Type>(), |v: u32, h| hash_long(i64::from(v), h)),
        DataType::UInt64 => each!(array.as_primitive::<UInt64Type>(), |v: u64, h| hash_long(v as i64, h)),
        DataType::Float32 => each!(array.as_primitive::<Float32Type>(), |v: f32, h| hash_int(float_bits(v), h)),
        DataType::Float64 => each!(array.as_primitive::<Float64Type>(), |v: f64, h| hash_long(double_bits(v), h)),
        DataType::Date32 => each!(array.as_primitive::<Date32Type>(), hash_int),
        DataType::Timestamp(TimeUnit::Microsecond, _) => each!(array.as_primitive::<TimestampMicrosecondType>(), hash_long),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            each!(array.as_primitive::<TimestampMillisecondType>(), |v: i64, h| hash_long(v.saturating_mul(1000), h))
        }
        DataType::Timestamp(TimeUnit::Second, _) => {
            each!(array.as_primitive::<TimestampSecondType>(), |v: i64, h| hash_long(v.saturating_mul(1_000_000), h))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            each!(array.as_primitive::<TimestampNanosecondType>(), |v: i64, h| hash_long(v / 1000, h))
        }
        DataType::Decimal128(p, _) if *p <= 18 => {
            each!(array.as_primitive::<Decimal128Type>(), |v: i128, h| hash_long(v as i64, h))
        }
        DataType::Decimal128(_, _) => {
            // Spark hashes the two's-complement big-endian bytes of the unscaled value.
            each!(array.as_primitive::<Decimal128Type>(), |v: i128, h| hash_bytes(&minimal_be_bytes(v), h))
        }
        DataType::Utf8 => each!(array.as_string::<i32>(), |v: &str, h| hash_bytes(v.as_bytes(), h)),
        DataType::LargeUtf8 => each!(array.as_string::<i64>(), |v: &str, h| hash_bytes(v.as_bytes(), h)),
        DataType::Utf8View => each!(array.as_string_view(), |v: &str, h| hash_bytes(v.as_bytes(), h)),
        DataType::Binary => each!(array.as_binary::<i32>(), hash_bytes),
        DataType::LargeBinary => each!(array.as_binary::<i64>(), hash_bytes),
        DataType::BinaryView => each!(array.as_binary_view(), hash_bytes),
        DataType::Null => {}
        DataType::Dictionary(_, _) => {
            let values = datafusion::arrow::compute::cast(array, &dictionary_value_type(array.data_type()))?;
            hash_column(&values, hashes)?;
        }
        other => {
            return Err(DataFusionError::NotImplemented(format!("Spark hash of {other} values")));
        }
    }
    Ok(())
}

fn dictionary_value_type(dt: &DataType) -> DataType {
    match dt {
        DataType::Dictionary(_, v) => v.as_ref().clone(),
        other => other.clone(),
    }
}

/// `BigInteger.toByteArray`: the shortest two's-complement big-endian form.
fn minimal_be_bytes(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0x00 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    bytes[start..].to_vec()
}

/// Per-row Spark hash of several key columns.
pub fn hash_rows(columns: &[ArrayRef], rows: usize) -> Result<Vec<i32>> {
    let mut hashes = vec![SEED; rows];
    for c in columns {
        hash_column(c, &mut hashes)?;
    }
    Ok(hashes)
}

/// Spark's `pmod(hash, n)`.
pub fn pmod(hash: i32, n: usize) -> usize {
    let n = n as i64;
    ((i64::from(hash) % n + n) % n) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_spark_hash_values() {
        // Values from `SELECT hash(...)` on Spark 4 (spark-sql).
        assert_eq!(hash_int(1, SEED), -559580957);
        assert_eq!(hash_long(1, SEED), -1712319331);
        assert_eq!(hash_bytes(b"a", SEED), 1485273170);
        assert_eq!(hash_bytes(b"hello world", SEED), -1528836094);
        assert_eq!(hash_bytes(b"", SEED), 142593372);
        assert_eq!(hash_bytes("é".as_bytes(), SEED), 2119106806);
        assert_eq!(hash_bytes(b"Alice", SEED), -1597477876);
        assert_eq!(hash_bytes(b"Tom", SEED), 1078821838);
        assert_eq!(hash_long(double_bits(1.5), SEED), 1290763749);
        assert_eq!(hash_long(double_bits(-0.0), SEED), -1670924195);
        assert_eq!(hash_int(float_bits(2.5), SEED), 204117216);
        assert_eq!(hash_int(1, SEED), -559580957, "true hashes as 1");
        // DATE'2024-01-15' is day 19737; TIMESTAMP'2024-01-15 10:00:00' UTC in microseconds.
        assert_eq!(hash_int(19737, SEED), 1697177293);
        assert_eq!(hash_long(1_705_312_800_000_000, SEED), -2079482790);
        // Multiple columns chain: hash(1, 'a').
        assert_eq!(hash_bytes(b"a", hash_int(1, SEED)), -936062819);
        // DECIMAL(10,2) 1.25 hashes its unscaled long 125.
        assert_eq!(hash_long(125, SEED), 1910520950);
        assert_eq!(pmod(-7, 5), 3);
    }
}
