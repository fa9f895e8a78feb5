//! Spark's `rand([seed])` / `random([seed])` (uniform in [0, 1)) and `randn([seed])`
//! (standard normal), with Spark's generator: `XORShiftRandom` seeded through MurmurHash3, and
//! `java.util.Random`'s `nextDouble`/`nextGaussian` on top, so a seed gives Spark's values.
//!
//! A call is given its generator when its query is optimized ([`ScalarUDFImpl::simplify`]):
//! each query draws its own sequence from the seed (a call without one gets a seed chosen
//! then), row after row. Spark seeds each partition with `seed + partition index`; Ember's
//! functions do not see partitions, so one sequence serves the query: a query of one
//! partition gives Spark's values, one of several draws the same values in an order that
//! depends on how the partitions run.

use std::sync::{Arc, Mutex};

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
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

/// Which distribution a function draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Distribution {
    Uniform,
    Normal,
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
    let signature = Signature::one_of(vec![TypeSignature::Nullary, TypeSignature::Any(1)], Volatility::Volatile);
    Arc::new(ScalarUDF::new_from_impl(Random { name, distribution, signature, generator }))
}

/// `rand`, `random` and `randn`.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        random("rand", Distribution::Uniform, None),
        random("random", Distribution::Uniform, None),
        random("randn", Distribution::Normal, None),
    ]
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

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    /// The call with its own generator, seeded as written (or at random).
    fn simplify(&self, args: Vec<Expr>, _info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        if self.generator.is_some() {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let seed = seed_of(&args)?.unwrap_or_else(|| XorShiftRandom::new(chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)).seed);
        let generator = Some(Mutex::new(XorShiftRandom::new(seed)));
        let f = random(self.name, self.distribution, generator);
        Ok(ExprSimplifyResult::Simplified(Expr::ScalarFunction(ScalarFunction::new_udf(f, vec![datafusion::logical_expr::lit(seed)]))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let draw = |g: &mut XorShiftRandom| -> Float64Array {
            (0..args.number_rows)
                .map(|_| Some(if self.distribution == Distribution::Uniform { g.next_double() } else { g.next_gaussian() }))
                .collect()
        };
        let values = match &self.generator {
            Some(shared) => match shared.lock() {
                Ok(mut g) => draw(&mut g),
                Err(_) => return exec_err!("{}: the generator was poisoned by a failed task", self.name),
            },
            // A call that was not optimized (shipped to an executor): a generator per batch.
            None => {
                let seed = match args.args.first() {
                    Some(ColumnarValue::Scalar(s)) => seed_of(&[Expr::Literal(s.clone(), None)])?.unwrap_or(0),
                    _ => XorShiftRandom::new(chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)).seed,
                };
                draw(&mut XorShiftRandom::new(seed))
            }
        };
        Ok(ColumnarValue::Array(Arc::new(values)))
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
    }
}
