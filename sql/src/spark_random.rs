//! Spark's `rand([seed])` / `random([seed])` (uniform in [0, 1)), `randn([seed])` (standard
//! normal), `uniform(min, max[, seed])` (`min + (max - min) * rand(seed)`, of the bounds' type)
//! and `randstr(length[, seed])` (letters and digits), with Spark's generator: `XORShiftRandom` seeded through MurmurHash3, and
//! `java.util.Random`'s `nextDouble`/`nextGaussian` on top, so a seed gives Spark's values.
//!
//! A call is given its generator when its query is optimized ([`ScalarUDFImpl::simplify`]):
//! each query draws its own sequence from the seed (a call without one gets a seed chosen
//! then), row after row. Spark seeds each partition with `seed + partition index`; Ember's
//! functions do not see partitions, so one sequence serves the query: a query of one
//! partition gives Spark's values, one of several draws the same values in an order that
//! depends on how the partitions run.

use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility};

/// Spark's `XORShiftRandom` under `java.util.Random`'s API.
#[derive(Debug, Clone)]
pub struct XorShiftRandom {
    seed: i64,
    next_gaussian: Option<f64>,
}

impl XorShiftRandom {
    pub fn new(init: i64) -> Self {
        Self { seed: hash_seed(init), next_gaussian: None }
    }

    fn next(&mut self, bits: u32) -> i32 {
        let mut next = self.seed ^ (self.seed << 21);
        next ^= ((next as u64) >> 35) as i64;
        next ^= next << 4;
        self.seed = next;
        (next & ((1i64 << bits) - 1)) as i32
    }

    /// `java.util.Random.nextInt()`.
    pub fn next_int(&mut self) -> i32 {
        self.next(32)
    }

    /// `java.util.Random.nextDouble`.
    pub fn next_double(&mut self) -> f64 {
        let high = i64::from(self.next(26)) << 27;
        let low = i64::from(self.next(27));
        (high + low) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `java.util.Random.nextGaussian` (the polar method, keeping its second value).
    pub fn next_gaussian(&mut self) -> f64 {
        if let Some(v) = self.next_gaussian.take() {
            return v;
        }
        loop {
            let v1 = 2.0 * self.next_double() - 1.0;
            let v2 = 2.0 * self.next_double() - 1.0;
            let s = v1 * v1 + v2 * v2;
            if s < 1.0 && s != 0.0 {
                // Java's StrictMath.log and sqrt: correctly rounded, as Rust's are here.
                let multiplier = (-2.0 * s.ln() / s).sqrt();
                self.next_gaussian = Some(v2 * multiplier);
                return v1 * multiplier;
            }
        }
    }
}

/// Spark's `XORShiftRandom.hashSeed`: MurmurHash3 of the seed's big-endian bytes, twice.
fn hash_seed(seed: i64) -> i64 {
    let bytes = seed.to_be_bytes();
    let low = murmur3_bytes(&bytes, 0x3c07_4a61);
    let high = murmur3_bytes(&bytes, low);
    (i64::from(high) << 32) | (i64::from(low) & 0xFFFF_FFFF)
}

/// Scala's `MurmurHash3.bytesHash`.
fn murmur3_bytes(data: &[u8], seed: i32) -> i32 {
    let mix_k = |k: i32| k.wrapping_mul(0xcc9e_2d51_u32 as i32).rotate_left(15).wrapping_mul(0x1b87_3593);
    let mut h = seed;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let k = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        h ^= mix_k(k);
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut k = 0i32;
        for (i, b) in tail.iter().enumerate() {
            k ^= i32::from(*b) << (8 * i);
        }
        h ^= mix_k(k);
    }
    h ^= data.len() as i32;
    h ^= ((h as u32) >> 16) as i32;
    h = h.wrapping_mul(0x85eb_ca6b_u32 as i32);
    h ^= ((h as u32) >> 13) as i32;
    h = h.wrapping_mul(0xc2b2_ae35_u32 as i32);
    h ^= ((h as u32) >> 16) as i32;
    h
}

/// What a function draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Distribution {
    Uniform,
    Normal,
    /// `uniform(min, max)`.
    Between,
    /// `randstr(length)`.
    Text,
}

impl Distribution {
    /// The arguments before the seed.
    fn values(self) -> usize {
        match self {
            Distribution::Uniform | Distribution::Normal => 0,
            Distribution::Between => 2,
            Distribution::Text => 1,
        }
    }
}

#[derive(Debug)]
struct Random {
    name: &'static str,
    distribution: Distribution,
    signature: Signature,
    /// The query's generator, once the call is given one.
    generator: Option<Mutex<XorShiftRandom>>,
}

impl PartialEq for Random {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.generator.is_none() && other.generator.is_none()
    }
}

impl Eq for Random {}

impl std::hash::Hash for Random {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.distribution.hash(state);
    }
}

fn random(name: &'static str, distribution: Distribution, generator: Option<Mutex<XorShiftRandom>>) -> Arc<ScalarUDF> {
    let n = distribution.values();
    let arities = [n, n + 1].into_iter().map(|k| if k == 0 { TypeSignature::Nullary } else { TypeSignature::Any(k) }).collect();
    let signature = Signature::one_of(arities, Volatility::Volatile);
    Arc::new(ScalarUDF::new_from_impl(Random { name, distribution, signature, generator }))
}

/// `rand`, `random`, `randn`, `uniform` and `randstr`.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        random("rand", Distribution::Uniform, None),
        random("random", Distribution::Uniform, None),
        random("randn", Distribution::Normal, None),
        random("uniform", Distribution::Between, None),
        random("randstr", Distribution::Text, None),
    ]
}

/// `uniform`'s type: the wider of the bounds' integer types when both are integers, else a
/// floating-point one, as Spark's `Uniform`.
fn between_type(args: &[DataType]) -> DataType {
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else { return DataType::Float64 };
    if a.is_integer() && b.is_integer() {
        let rank = |t: &DataType| match t {
            DataType::Int64 => 3,
            DataType::Int32 => 2,
            DataType::Int16 => 1,
            _ => 0,
        };
        return if rank(a) >= rank(b) { a.clone() } else { b.clone() };
    }
    let single = |t: &DataType| t == &DataType::Float32 || t.is_integer();
    if (a == &DataType::Float32 || b == &DataType::Float32) && single(a) && single(b) {
        return DataType::Float32;
    }
    DataType::Float64
}

/// `randstr`'s characters: Spark's `ExpressionImplUtils.randStr`.
fn random_text(g: &mut XorShiftRandom, length: i64) -> String {
    (0..length.max(0))
        .map(|_| {
            let v = (g.next_int() % 62).unsigned_abs() as u8;
            match v {
                0..=9 => (b'0' + v) as char,
                10..=35 => (b'a' + (v - 10)) as char,
                _ => (b'A' + (v - 36)) as char,
            }
        })
        .collect()
}

/// A seed for a call written without one, as Spark picks one when it analyzes the call.
fn fresh_seed() -> i64 {
    hash_seed(chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0))
}

/// The seed a call was written with: an integer literal, NULL (seed 0, as Spark), or none.
fn seed_of(args: &[Expr]) -> Result<Option<i64>> {
    match args {
        [] => Ok(None),
        [Expr::Literal(v, _)] => match v {
            ScalarValue::Null | ScalarValue::Int32(None) | ScalarValue::Int64(None) => Ok(Some(0)),
            ScalarValue::Int8(Some(s)) => Ok(Some(i64::from(*s))),
            ScalarValue::Int16(Some(s)) => Ok(Some(i64::from(*s))),
            ScalarValue::Int32(Some(s)) => Ok(Some(i64::from(*s))),
            ScalarValue::Int64(Some(s)) => Ok(Some(*s)),
            other => exec_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] The seed of a random function must be an INT or BIGINT literal, not {other}."
            ),
        },
        _ => exec_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] The seed of a random function must be a constant."),
    }
}

impl ScalarUDFImpl for Random {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match self.distribution {
            Distribution::Uniform | Distribution::Normal => DataType::Float64,
            Distribution::Between => between_type(args),
            Distribution::Text => DataType::Utf8,
        })
    }

    /// The call with its own generator, seeded as written (or at random).
    fn simplify(&self, args: Vec<Expr>, _info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        if self.generator.is_some() {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let n = self.distribution.values().min(args.len());
        let seed = seed_of(&args[n..])?.unwrap_or_else(fresh_seed);
        let generator = Some(Mutex::new(XorShiftRandom::new(seed)));
        let f = random(self.name, self.distribution, generator);
        let args = args[..n].iter().cloned().chain([datafusion::logical_expr::lit(seed)]).collect();
        Ok(ExprSimplifyResult::Simplified(Expr::ScalarFunction(ScalarFunction::new_udf(f, args))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let n = self.distribution.values();
        let values = args.args.iter().take(n).map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
        let target = args.return_field.data_type().clone();
        let draw = |g: &mut XorShiftRandom| -> Result<ArrayRef> {
            Ok(match self.distribution {
                Distribution::Uniform => Arc::new((0..rows).map(|_| Some(g.next_double())).collect::<Float64Array>()),
                Distribution::Normal => Arc::new((0..rows).map(|_| Some(g.next_gaussian())).collect::<Float64Array>()),
                Distribution::Between => {
                    let low = cast(&values[0], &DataType::Float64)?;
                    let high = cast(&values[1], &DataType::Float64)?;
                    let (low, high) = (low.as_primitive::<Float64Type>(), high.as_primitive::<Float64Type>());
                    let drawn: Float64Array = (0..rows)
                        .map(|i| {
                            let r = g.next_double();
                            (!low.is_null(i) && !high.is_null(i)).then(|| low.value(i) + (high.value(i) - low.value(i)) * r)
                        })
                        .collect();
                    cast(&drawn, &target)?
                }
                Distribution::Text => {
                    let lengths = cast(&values[0], &DataType::Int64)?;
                    let lengths = lengths.as_primitive::<Int64Type>();
                    Arc::new((0..rows).map(|i| (!lengths.is_null(i)).then(|| random_text(g, lengths.value(i)))).collect::<StringArray>())
                }
            })
        };
        let out = match &self.generator {
            Some(shared) => match shared.lock() {
                Ok(mut g) => draw(&mut g)?,
                Err(_) => return exec_err!("{}: the generator was poisoned by a failed task", self.name),
            },
            // A call that was not optimized (shipped to an executor): a generator per batch.
            None => {
                let seed = match args.args.get(n) {
                    Some(ColumnarValue::Scalar(s)) => seed_of(&[Expr::Literal(s.clone(), None)])?.unwrap_or(0),
                    _ => fresh_seed(),
                };
                draw(&mut XorShiftRandom::new(seed))?
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::XorShiftRandom;

    #[test]
    fn seeds_give_spark_s_values() {
        let mut g = XorShiftRandom::new(42);
        let (a, b) = (g.next_double(), g.next_double());
        assert!(format!("{a}").starts_with("0.619189370225"), "{a}");
        assert!(format!("{b}").starts_with("0.5096018842446"), "{b}");
        let mut g = XorShiftRandom::new(42);
        let (a, b) = (g.next_gaussian(), g.next_gaussian());
        assert!(format!("{a}").starts_with("2.384479054241"), "{a}");
        assert!(format!("{b}").starts_with("0.1920934041293"), "{b}");
        assert_eq!(super::random_text(&mut XorShiftRandom::new(0), 3), "ceV");
    }
}
