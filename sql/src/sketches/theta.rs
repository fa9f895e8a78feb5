//! Spark's Theta sketch functions on Apache DataSketches' Theta sketch:
//! `theta_sketch_agg(col [, lgNomEntries])`, `theta_union_agg(sketch [, lgNomEntries])`,
//! `theta_intersection_agg(sketch)`, `theta_sketch_estimate(sketch)`,
//! `theta_union(a, b [, lgNomEntries])`, `theta_intersection(a, b)` and
//! `theta_difference(a, b)`. Results are ordered compact sketches in DataSketches' compressed
//! image, byte for byte what Spark returns; values are hashed as Java's `UpdateSketch.update`
//! hashes them (integers as longs, floats as canonical doubles, strings as UTF-8, arrays of
//! integers as their little-endian bytes; empty strings, binaries and arrays skipped).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datasketches::hash::value::{canonical_float, raw_bytes};
use datasketches::theta::{
    CompactThetaSketch, ThetaANotB, ThetaIntersection, ThetaSketch, ThetaSketchBuilder, ThetaUnion, ThetaUnionBuilder,
};

use super::aggregate::{SketchKind, udaf};
use super::{constant_int, each, library_error};

/// `lgNomEntries` when a call leaves it out.
pub(super) const DEFAULT_LG_NOM_ENTRIES: i64 = 12;
/// Spark's range of `lgNomEntries`.
const MIN_LG_NOM_ENTRIES: i64 = 4;
const MAX_LG_NOM_ENTRIES: i64 = 26;
/// The smallest nominal size DataSketches' Rust library builds (Java's is 4).
const LIBRARY_MIN_LG_K: i64 = 5;
/// DataSketches' family id of a compact Theta sketch, at byte 2 of its image.
const COMPACT_FAMILY: u8 = 3;
/// The update seed Spark's sketches use (DataSketches' default).
pub(super) const SEED: u64 = 9001;

pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    vec![udaf(SketchAgg), udaf(UnionAgg), udaf(IntersectionAgg)]
}

pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    vec![
        crate::udfs::udf("theta_sketch_estimate", &[1], DataType::Int64, estimate),
        crate::udfs::udf("theta_union", &[2, 3], DataType::Binary, union),
        crate::udfs::udf("theta_intersection", &[2], DataType::Binary, intersection),
        crate::udfs::udf("theta_difference", &[2], DataType::Binary, difference),
    ]
}

fn invalid_buffer(function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[THETA_INVALID_INPUT_SKETCH_BUFFER] Invalid call to `{function}`; only valid Theta sketch buffers are supported as inputs (such \
         as those produced by the `theta_sketch_agg` function). SQLSTATE: 22000"
    ))
}

/// DataSketches' family names by id, as Spark's error names a sketch of another family.
const FAMILIES: [&str; 21] = [
    "ALPHA",
    "QUICKSELECT",
    "COMPACT",
    "UNION",
    "INTERSECTION",
    "ANOTB",
    "HLL",
    "QUANTILES",
    "TUPLE",
    "FREQUENCY",
    "RESERVOIR",
    "RESERVOIR_UNION",
    "VAROPT",
    "VAROPT_UNION",
    "KLL",
    "CPC",
    "REQ",
    "COUNTMIN",
    "EBPPS",
    "TDIGEST",
    "BLOOMFILTER",
];

/// DataSketches' name of a family by id (1 to 21), as Spark's errors name it.
pub(super) fn family_name(id: u8) -> &'static str {
    FAMILIES.get(usize::from(id).wrapping_sub(1)).copied().unwrap_or("UNKNOWN")
}

/// A compact sketch's image read as Spark reads it: its family first, then the image.
pub(super) fn read(function: &str, bytes: &[u8]) -> Result<CompactThetaSketch> {
    let family = bytes.get(2).copied().filter(|id| (1..=FAMILIES.len() as u8).contains(id)).ok_or_else(|| invalid_buffer(function))?;
    if family != COMPACT_FAMILY {
        return exec_err!(
            "[THETA_INVALID_INPUT_SKETCH_BUFFER_FAMILY] Invalid call to `{function}`: expected COMPACT sketch family but received {}. \
             Only valid Theta sketch buffers (produced by `theta_sketch_agg`) are supported as inputs. SQLSTATE: 22000",
            FAMILIES[usize::from(family) - 1]
        );
    }
    CompactThetaSketch::deserialize(bytes).map_err(|_| invalid_buffer(function))
}

/// A checked `lgNomEntries` (of Theta and Tuple sketches alike).
pub(super) fn lg_nom_entries(function: &str, lg: i64) -> Result<u8> {
    if !(MIN_LG_NOM_ENTRIES..=MAX_LG_NOM_ENTRIES).contains(&lg) {
        return exec_err!(
            "[SKETCH_INVALID_LG_NOM_ENTRIES] Invalid call to `{function}`; the `lgNomEntries` value must be between \
             {MIN_LG_NOM_ENTRIES} and {MAX_LG_NOM_ENTRIES}, inclusive: {lg}. SQLSTATE: 22003"
        );
    }
    if lg < LIBRARY_MIN_LG_K {
        return exec_err!("`{function}`: Ember does not support `lgNomEntries` {lg}; use {LIBRARY_MIN_LG_K} or more");
    }
    Ok(lg as u8)
}

fn parameter_lg(function: &str, parameter: Option<&Option<ScalarValue>>) -> Result<u8> {
    match parameter {
        Some(p) => lg_nom_entries(function, constant_int(function, p.as_ref())?),
        None => lg_nom_entries(function, DEFAULT_LG_NOM_ENTRIES),
    }
}

/// The image Spark writes: ordered and compressed. Java marks a one-value exact sketch as
/// such (flag 0x20), which DataSketches' Rust library leaves out.
pub(super) fn image(sketch: &CompactThetaSketch) -> Vec<u8> {
    let mut bytes = sketch.serialize_compressed();
    const SINGLE_ITEM_FLAG: u8 = 0x20;
    if sketch.num_retained() == 1 && !sketch.is_estimation_mode() && bytes.len() > 5 {
        bytes[5] |= SINGLE_ITEM_FLAG;
    }
    bytes
}

fn new_union(lg: u8) -> Result<ThetaUnion> {
    ThetaUnionBuilder::default().lg_k(lg).build().map_err(library_error)
}

/// Adds each value of a column as Java's `UpdateSketch.update` would.
pub(super) fn update_with_values(sketch: &mut ThetaSketch, values: &ArrayRef) -> Result<()> {
    for key in keys(values)?.into_iter().flatten() {
        sketch.update(key);
    }
    Ok(())
}

/// A value as Java's Theta and Tuple sketches hash it: an integer as a long, a float as its
/// canonical double, a string as its UTF-8 bytes, an array of integers as their little-endian
/// bytes, a binary as itself.
#[derive(Debug, Clone)]
pub(super) enum Key {
    Long(i64),
    Double(f64),
    Bytes(Vec<u8>),
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Key::Long(v) => v.hash(state),
            Key::Double(v) => canonical_float::from_f64(*v).hash(state),
            Key::Bytes(b) => raw_bytes::from_slice(b).hash(state),
        }
    }
}

/// Each row's key; NULL, and what Java skips (empty strings, binaries and arrays), as None.
pub(super) fn keys(values: &ArrayRef) -> Result<Vec<Option<Key>>> {
    let owned = |b: &[u8]| (!b.is_empty()).then(|| Key::Bytes(b.to_vec()));
    Ok(match values.data_type() {
        DataType::Null => vec![None; values.len()],
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            cast(values, &DataType::Int64)?.as_primitive::<Int64Type>().iter().map(|v| v.map(Key::Long)).collect()
        }
        DataType::Float32 | DataType::Float64 => {
            cast(values, &DataType::Float64)?.as_primitive::<Float64Type>().iter().map(|v| v.map(Key::Double)).collect()
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            cast(values, &DataType::Utf8)?.as_string::<i32>().iter().map(|s| s.and_then(|s| owned(s.as_bytes()))).collect()
        }
        DataType::List(item) | DataType::LargeList(item) => {
            let lists = cast(values, &DataType::List(Arc::clone(item)))?;
            let long = matches!(item.data_type(), DataType::Int64);
            let mut out = Vec::with_capacity(lists.len());
            for list in lists.as_list::<i32>().iter() {
                // NULL elements count as 0, as Java's unboxing of Spark's array gives.
                let bytes: Option<Vec<u8>> = match list {
                    Some(list) if long => Some(
                        cast(&list, &DataType::Int64)?
                            .as_primitive::<Int64Type>()
                            .iter()
                            .flat_map(|v| v.unwrap_or(0).to_le_bytes())
                            .collect(),
                    ),
                    Some(list) => Some(
                        cast(&list, &DataType::Int32)?
                            .as_primitive::<Int32Type>()
                            .iter()
                            .flat_map(|v| v.unwrap_or(0).to_le_bytes())
                            .collect(),
                    ),
                    None => None,
                };
                out.push(bytes.and_then(|b| owned(&b)));
            }
            out
        }
        _ => cast(values, &DataType::Binary)?.as_binary::<i32>().iter().map(|b| b.and_then(owned)).collect(),
    })
}

/// Spark's accepted inputs of `theta_sketch_agg` (no implicit casts).
pub(super) fn check_key_type(function: &str, t: &DataType) -> Result<()> {
    let accepted = match t {
        DataType::Int32 | DataType::Int64 | DataType::Float32 | DataType::Float64 | DataType::Null => true,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Binary | DataType::LargeBinary | DataType::BinaryView => true,
        DataType::List(item) | DataType::LargeList(item) => matches!(item.data_type(), DataType::Int32 | DataType::Int64),
        _ => false,
    };
    if accepted {
        return Ok(());
    }
    plan_err!(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{function}\" due to data type mismatch: the first parameter requires \
         (\"INT\" or \"BIGINT\" or \"FLOAT\" or \"DOUBLE\" or \"STRING\" or \"BINARY\" or \"ARRAY<INT>\" or \"ARRAY<BIGINT>\") type, \
         however it has the type \"{}\".",
        crate::types::simple_string(t).to_uppercase()
    )
}

/// `theta_sketch_agg(col [, lgNomEntries])`: values go into an update sketch, partial
/// results from other tasks into a union with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SketchAgg;

#[derive(Debug)]
struct SketchState {
    lg: u8,
    sketch: ThetaSketch,
    union: Option<ThetaUnion>,
}

impl SketchKind for SketchAgg {
    type Sketch = SketchState;

    fn name(&self) -> &'static str {
        "theta_sketch_agg"
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, types: &[DataType]) -> Result<()> {
        types.first().map_or(Ok(()), |t| check_key_type(self.name(), t))
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<SketchState> {
        let lg = parameter_lg(self.name(), parameters.first())?;
        let sketch = ThetaSketchBuilder::default().lg_k(lg).seed(SEED).build().map_err(library_error)?;
        Ok(SketchState { lg, sketch, union: None })
    }

    fn update(&self, state: &mut SketchState, columns: &[ArrayRef]) -> Result<()> {
        update_with_values(&mut state.sketch, &columns[0])
    }

    fn merge(&self, state: &mut SketchState, bytes: &[u8]) -> Result<()> {
        let other = read(self.name(), bytes)?;
        let union = match &mut state.union {
            Some(union) => union,
            None => state.union.insert(new_union(state.lg)?),
        };
        union.update(&other).map_err(library_error)
    }

    fn serialize(&self, state: &mut SketchState) -> Result<Vec<u8>> {
        state.sketch.trim();
        let compact = state.sketch.compact(true);
        match &mut state.union {
            Some(union) => {
                // A union holds each hash once: adding the rows' sketch again changes nothing.
                union.update(&compact).map_err(library_error)?;
                Ok(image(&union.to_sketch(true)))
            }
            None => Ok(image(&compact)),
        }
    }

    fn memory(&self, state: &SketchState) -> usize {
        state.sketch.estimated_size() + state.union.as_ref().map_or(0, ThetaUnion::estimated_size)
    }
}

/// `theta_union_agg(sketch [, lgNomEntries])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct UnionAgg;

impl SketchKind for UnionAgg {
    type Sketch = ThetaUnion;

    fn name(&self) -> &'static str {
        "theta_union_agg"
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<ThetaUnion> {
        new_union(parameter_lg(self.name(), parameters.first())?)
    }

    fn merge(&self, union: &mut ThetaUnion, bytes: &[u8]) -> Result<()> {
        union.update(&read(self.name(), bytes)?).map_err(library_error)
    }

    fn serialize(&self, union: &mut ThetaUnion) -> Result<Vec<u8>> {
        Ok(image(&union.to_sketch(true)))
    }

    fn memory(&self, union: &ThetaUnion) -> usize {
        union.estimated_size()
    }
}

/// `theta_intersection_agg(sketch)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct IntersectionAgg;

impl SketchKind for IntersectionAgg {
    type Sketch = ThetaIntersection;

    fn name(&self) -> &'static str {
        "theta_intersection_agg"
    }

    fn arities(&self) -> &'static [usize] {
        &[1]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, _parameters: &[Option<ScalarValue>]) -> Result<ThetaIntersection> {
        ThetaIntersection::with_seed(SEED).map_err(library_error)
    }

    fn merge(&self, intersection: &mut ThetaIntersection, bytes: &[u8]) -> Result<()> {
        intersection.update(&read(self.name(), bytes)?).map_err(library_error)
    }

    /// With nothing intersected, the empty sketch.
    fn serialize(&self, intersection: &mut ThetaIntersection) -> Result<Vec<u8>> {
        match intersection.to_sketch(true) {
            Some(sketch) => Ok(image(&sketch)),
            None => Ok(image(&ThetaSketchBuilder::default().build().map_err(library_error)?.compact(true))),
        }
    }

    fn memory(&self, intersection: &ThetaIntersection) -> usize {
        intersection.estimated_size()
    }
}

/// `theta_sketch_estimate(sketch)`, rounded as Spark's `Math.round`.
fn estimate(args: &[ArrayRef]) -> Result<ArrayRef> {
    let estimates = each(&args[0], |b| read("theta_sketch_estimate", b).map(|s| s.estimate().round() as i64))?;
    Ok(Arc::new(Int64Array::from(estimates)))
}

/// A set operation on the sketches of two columns, row by row.
fn pairwise(
    function: &str,
    args: &[ArrayRef],
    op: impl Fn(usize, &CompactThetaSketch, &CompactThetaSketch) -> Result<CompactThetaSketch>,
) -> Result<ArrayRef> {
    super::pairwise(args, |i, a, b| Ok(image(&op(i, &read(function, a)?, &read(function, b)?)?)))
}

/// `theta_union(a, b [, lgNomEntries])`; `lgNomEntries` may differ per row.
fn union(args: &[ArrayRef]) -> Result<ArrayRef> {
    let lgs = args.get(2).map(|a| cast(a, &DataType::Int64)).transpose()?;
    pairwise("theta_union", args, |i, a, b| {
        let lg = match &lgs {
            Some(l) if l.is_null(i) => return exec_err!("`theta_union`: lgNomEntries must not be NULL"),
            Some(l) => l.as_primitive::<Int64Type>().value(i),
            None => DEFAULT_LG_NOM_ENTRIES,
        };
        let mut union = new_union(lg_nom_entries("theta_union", lg)?)?;
        union.update(a).map_err(library_error)?;
        union.update(b).map_err(library_error)?;
        Ok(union.to_sketch(true))
    })
}

/// `theta_intersection(a, b)`.
fn intersection(args: &[ArrayRef]) -> Result<ArrayRef> {
    pairwise("theta_intersection", args, |_, a, b| {
        let mut intersection = ThetaIntersection::with_seed(SEED).map_err(library_error)?;
        intersection.update(a).map_err(library_error)?;
        intersection.update(b).map_err(library_error)?;
        match intersection.to_sketch(true) {
            Some(s) => Ok(s),
            None => exec_err!("`theta_intersection`: no result"),
        }
    })
}

/// `theta_difference(a, b)`: the values of `a` not in `b`.
fn difference(args: &[ArrayRef]) -> Result<ArrayRef> {
    pairwise("theta_difference", args, |_, a, b| {
        ThetaANotB::with_seed(SEED).map_err(library_error)?.compute(a, b, true).map_err(library_error)
    })
}
