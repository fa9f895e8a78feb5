//! Spark's HyperLogLog sketch functions on Apache DataSketches' HLL sketch:
//! `hll_sketch_agg(col [, lgConfigK])`, `hll_union_agg(sketch [, allowDifferentLgConfigK])`,
//! `hll_sketch_estimate(sketch)` and `hll_union(a, b [, allowDifferentLgConfigK])`. Sketches
//! are HLL_8 sketches in DataSketches' binary format, which Java's and Spark's read; values are
//! hashed as Java's `HllSketch.update` hashes them (an INT as the long it widens to, a string as
//! its UTF-8 bytes, empty strings and binaries skipped).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datasketches::hash::value::raw_bytes;
use datasketches::hll::{HllSketch, HllType, HllUnion};

use super::aggregate::{SketchKind, udaf};
use super::{booleans, constant_bool, constant_int, each, flag, library_error, pairwise};

/// `lgConfigK` when a call leaves it out.
const DEFAULT_LG_K: u8 = 12;
/// The range DataSketches accepts.
const MIN_LG_K: i64 = 4;
const MAX_LG_K: i64 = 21;

/// The aggregates and scalar functions.
pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    vec![udaf(SketchAgg), udaf(UnionAgg)]
}

pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    vec![
        crate::udfs::udf("hll_sketch_estimate", &[1], DataType::Int64, estimate),
        crate::udfs::udf("hll_union", &[2, 3], DataType::Binary, union),
    ]
}

fn invalid_buffer(function: &str) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "[HLL_INVALID_INPUT_SKETCH_BUFFER] Invalid call to `{function}`; only valid HLL sketch buffers are supported as inputs (such as \
         those produced by the `hll_sketch_agg` function). SQLSTATE: 22546"
    ))
}

fn read(function: &str, bytes: &[u8]) -> Result<HllSketch> {
    HllSketch::deserialize(bytes).map_err(|_| invalid_buffer(function))
}

fn different_lg_k(function: &str, left: u8, right: u8) -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Execution(format!(
        "[HLL_UNION_DIFFERENT_LG_K] Sketches have different `lgConfigK` values: {left} and {right}. Set the `allowDifferentLgConfigK` \
         parameter to true to call `{function}` with different `lgConfigK` values. SQLSTATE: 22000"
    ))
}

fn checked_lg_k(function: &str, lg_k: i64) -> Result<u8> {
    if !(MIN_LG_K..=MAX_LG_K).contains(&lg_k) {
        return exec_err!(
            "[HLL_INVALID_LG_K] Invalid call to `{function}`; the `lgConfigK` value must be between {MIN_LG_K} and {MAX_LG_K}, inclusive: \
             {lg_k}. SQLSTATE: 22546"
        );
    }
    Ok(lg_k as u8)
}

/// `hll_sketch_agg(col [, lgConfigK])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SketchAgg;

impl SketchKind for SketchAgg {
    type Sketch = HllSketch;

    fn name(&self) -> &'static str {
        "hll_sketch_agg"
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, types: &[DataType]) -> Result<()> {
        match types.first() {
            Some(
                DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View
                | DataType::Binary
                | DataType::LargeBinary
                | DataType::BinaryView
                | DataType::Null,
            ) => Ok(()),
            Some(other) => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"hll_sketch_agg\" due to data type mismatch: the first \
                 parameter requires (\"INT\" or \"BIGINT\" or \"STRING\" or \"BINARY\") type, however it has the type \"{}\".",
                crate::types::simple_string(other).to_uppercase()
            ),
            None => Ok(()),
        }
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<HllSketch> {
        let lg_k = match parameters.first() {
            Some(p) => checked_lg_k(self.name(), constant_int(self.name(), p.as_ref())?)?,
            None => DEFAULT_LG_K,
        };
        HllSketch::new(lg_k, HllType::Hll8).map_err(library_error)
    }

    fn update(&self, sketch: &mut HllSketch, columns: &[ArrayRef]) -> Result<()> {
        update_with_values(sketch, &columns[0])
    }

    fn merge(&self, sketch: &mut HllSketch, bytes: &[u8]) -> Result<()> {
        let other = read(self.name(), bytes)?;
        let mut union = HllUnion::new(sketch.lg_config_k()).map_err(library_error)?;
        union.update(sketch);
        union.update(&other);
        *sketch = union.to_sketch(HllType::Hll8);
        Ok(())
    }

    fn serialize(&self, sketch: &mut HllSketch) -> Result<Vec<u8>> {
        Ok(updatable(sketch))
    }

    fn memory(&self, sketch: &HllSketch) -> usize {
        sketch.estimated_size()
    }
}

/// Adds each non-null value as Java's `HllSketch.update` would.
fn update_with_values(sketch: &mut HllSketch, values: &ArrayRef) -> Result<()> {
    match values.data_type() {
        DataType::Null => {}
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            let longs = cast(values, &DataType::Int64)?;
            for v in longs.as_primitive::<Int64Type>().iter().flatten() {
                sketch.update(v);
            }
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let strings = cast(values, &DataType::Utf8)?;
            for s in strings.as_string::<i32>().iter().flatten().filter(|s| !s.is_empty()) {
                sketch.update(raw_bytes::from_str(s));
            }
        }
        _ => {
            let bytes = cast(values, &DataType::Binary)?;
            for b in bytes.as_binary::<i32>().iter().flatten().filter(|b| !b.is_empty()) {
                sketch.update(raw_bytes::from_slice(b));
            }
        }
    }
    Ok(())
}

/// `hll_union_agg(sketch [, allowDifferentLgConfigK])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct UnionAgg;

/// The union so far, and whether sketches of different `lgConfigK` may join it.
#[derive(Debug)]
struct UnionState {
    union: Option<HllUnion>,
    allow_different: bool,
}

impl SketchKind for UnionAgg {
    type Sketch = UnionState;

    fn name(&self) -> &'static str {
        "hll_union_agg"
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<UnionState> {
        let allow_different = match parameters.first() {
            Some(p) => constant_bool(self.name(), p.as_ref())?,
            None => false,
        };
        Ok(UnionState { union: None, allow_different })
    }

    fn merge(&self, state: &mut UnionState, bytes: &[u8]) -> Result<()> {
        let sketch = read(self.name(), bytes)?;
        let union = match &mut state.union {
            // An empty union so far takes the first sketch with values as it is.
            Some(union) if !union.is_empty() => {
                if !state.allow_different && !sketch.is_empty() && union.lg_config_k() != sketch.lg_config_k() {
                    return Err(different_lg_k(self.name(), union.lg_config_k(), sketch.lg_config_k()));
                }
                union
            }
            Some(_) if sketch.is_empty() => return Ok(()),
            _ => state.union.insert(new_union(sketch.lg_config_k())?),
        };
        union.update(&sketch);
        Ok(())
    }

    fn serialize(&self, state: &mut UnionState) -> Result<Vec<u8>> {
        match &state.union {
            Some(union) => Ok(updatable(&union.to_sketch(HllType::Hll8))),
            None => Ok(updatable(&HllSketch::new(DEFAULT_LG_K, HllType::Hll8).map_err(library_error)?)),
        }
    }

    fn memory(&self, state: &UnionState) -> usize {
        state.union.as_ref().map_or(0, HllUnion::estimated_size)
    }
}

fn new_union(lg_k: u8) -> Result<HllUnion> {
    HllUnion::new(lg_k).map_err(library_error)
}

/// `hll_sketch_estimate(sketch)`: the estimate rounded to a whole number, as Spark's
/// `Math.round`.
fn estimate(args: &[ArrayRef]) -> Result<ArrayRef> {
    let estimates = each(&args[0], |b| read("hll_sketch_estimate", b).map(|s| s.estimate().round() as i64))?;
    Ok(Arc::new(Int64Array::from(estimates)))
}

/// `hll_union(a, b [, allowDifferentLgConfigK])`.
fn union(args: &[ArrayRef]) -> Result<ArrayRef> {
    let allow = booleans(args.get(2))?;
    pairwise(args, |i, x, y| {
        let (x, y) = (read("hll_union", x)?, read("hll_union", y)?);
        let differ = !x.is_empty() && !y.is_empty() && x.lg_config_k() != y.lg_config_k();
        if differ && !flag(allow.as_ref(), i) {
            return Err(different_lg_k("hll_union", x.lg_config_k(), y.lg_config_k()));
        }
        // An empty sketch leaves the other's lgConfigK.
        let lg_k = match (x.is_empty(), y.is_empty()) {
            (true, false) => y.lg_config_k(),
            (false, true) => x.lg_config_k(),
            _ => x.lg_config_k().min(y.lg_config_k()),
        };
        let mut union = new_union(lg_k)?;
        union.update(&x);
        union.update(&y);
        Ok(updatable(&union.to_sketch(HllType::Hll8)))
    })
}

/// The sketch's bytes in Java's updatable form, as Spark's `toUpdatableByteArray` writes them:
/// a sketch still listing its few values keeps every slot of its list (empty ones as zeros) and
/// no compact flag. (A sketch in the next, hash-set mode keeps DataSketches' compact form, which
/// Java reads alike.)
fn updatable(sketch: &HllSketch) -> Vec<u8> {
    let mut bytes = sketch.serialize();
    const LIST_MODE: u8 = 0;
    const COMPACT_FLAG: u8 = 0x08;
    if bytes.len() >= 8 && bytes[7] & 0x03 == LIST_MODE {
        bytes[5] &= !COMPACT_FLAG;
        let slots = 1usize << bytes[4].min(16);
        bytes.resize(8 + 4 * slots, 0);
    }
    bytes
}
