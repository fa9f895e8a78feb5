//! Spark's Tuple sketch functions on Apache DataSketches' Tuple sketch: a Theta sketch whose
//! entries carry a summary, Java's `DoubleSummary` or `IntegerSummary` (`_double` and
//! `_integer` functions), combined by a mode (`sum`, `min`, `max`, `alwaysone`). Keys are
//! hashed as Theta sketches hash them ([`super::theta::keys`]); each summary is stored as its
//! value followed by its mode's byte, as Java stores it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datasketches::codec::{SketchBytes, SketchSlice};
use datasketches::theta::CompactThetaSketch;
use datasketches::tuple::{
    CompactTupleSketch, SummaryCombinePolicy, SummaryPolicy, SummaryUpdatePolicy, TupleANotB, TupleIntersection, TupleSketch,
    TupleSketchBuilder, TupleSummaryValue, TupleUnion, TupleUnionBuilder,
};

use super::aggregate::{SketchKind, udaf};
use super::theta::{DEFAULT_LG_NOM_ENTRIES as DEFAULT_LG, SEED, lg_nom_entries};
use super::{each, library_error};

/// DataSketches' family id of a Tuple sketch.
const TUPLE_FAMILY: u8 = 9;
/// Java's image of an empty compact Tuple sketch (with the seed's hash, which Rust leaves 0).
const EMPTY_IMAGE: [u8; 8] = [1, 3, 9, 1, 0, 0x0e, 0xcc, 0x93];

/// How summaries of one key combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Mode {
    Sum,
    Min,
    Max,
    AlwaysOne,
}

impl Mode {
    /// Spark's mode names, case-insensitive.
    fn parse(function: &str, text: &str) -> Result<Mode> {
        match text.to_ascii_lowercase().as_str() {
            "sum" => Ok(Mode::Sum),
            "min" => Ok(Mode::Min),
            "max" => Ok(Mode::Max),
            "alwaysone" => Ok(Mode::AlwaysOne),
            _ => exec_err!(
                "[TUPLE_INVALID_SKETCH_MODE] Invalid call to `{function}`: mode '{text}' is not supported. Valid modes are: sum, min, max, \
                 alwaysone. SQLSTATE: 22023"
            ),
        }
    }

    /// Java's byte of the mode in a summary's image.
    fn byte(self) -> u8 {
        match self {
            Mode::Sum => 0,
            Mode::Min => 1,
            Mode::Max => 2,
            Mode::AlwaysOne => 3,
        }
    }

    fn of_byte(byte: u8) -> Option<Mode> {
        [Mode::Sum, Mode::Min, Mode::Max, Mode::AlwaysOne].into_iter().find(|m| m.byte() == byte)
    }
}

/// A summary's value type: Java's `double` or `int`.
pub(super) trait Value: Copy + std::fmt::Debug + PartialOrd + Send + Sync + 'static {
    /// The suffix of the functions (`double`, `integer`).
    const NAMES: Names;
    /// What a summary starts at in each mode (Java's initial values).
    fn initial(mode: Mode) -> Self;
    fn one() -> Self;
    fn plus(self, other: Self) -> Self;
    fn write(self, bytes: &mut SketchBytes);
    fn read(cursor: &mut SketchSlice<'_>) -> Option<Self>;
    /// The column of summaries an aggregate reads.
    fn column(values: &ArrayRef) -> Result<Vec<Option<Self>>>;
    /// `tuple_sketch_summary_*`'s result column.
    fn result(values: Vec<Option<Self>>) -> ArrayRef;
    const RESULT: DataType;
}

/// The functions of one summary type.
pub(super) struct Names {
    agg: &'static str,
    union_agg: &'static str,
    intersection_agg: &'static str,
    estimate: &'static str,
    theta: &'static str,
    summary: &'static str,
    union: &'static str,
    intersection: &'static str,
    difference: &'static str,
    union_theta: &'static str,
    intersection_theta: &'static str,
    difference_theta: &'static str,
}

macro_rules! names {
    ($suffix:literal) => {
        Names {
            agg: concat!("tuple_sketch_agg_", $suffix),
            union_agg: concat!("tuple_union_agg_", $suffix),
            intersection_agg: concat!("tuple_intersection_agg_", $suffix),
            estimate: concat!("tuple_sketch_estimate_", $suffix),
            theta: concat!("tuple_sketch_theta_", $suffix),
            summary: concat!("tuple_sketch_summary_", $suffix),
            union: concat!("tuple_union_", $suffix),
            intersection: concat!("tuple_intersection_", $suffix),
            difference: concat!("tuple_difference_", $suffix),
            union_theta: concat!("tuple_union_theta_", $suffix),
            intersection_theta: concat!("tuple_intersection_theta_", $suffix),
            difference_theta: concat!("tuple_difference_theta_", $suffix),
        }
    };
}

impl Value for f64 {
    const NAMES: Names = names!("double");
    const RESULT: DataType = DataType::Float64;

    fn initial(mode: Mode) -> f64 {
        match mode {
            Mode::Sum => 0.0,
            Mode::Min => f64::INFINITY,
            Mode::Max => f64::NEG_INFINITY,
            Mode::AlwaysOne => 1.0,
        }
    }

    fn one() -> f64 {
        1.0
    }

    fn plus(self, other: f64) -> f64 {
        self + other
    }

    fn write(self, bytes: &mut SketchBytes) {
        bytes.write_f64_le(self);
    }

    fn read(cursor: &mut SketchSlice<'_>) -> Option<f64> {
        cursor.read_f64_le().ok()
    }

    fn column(values: &ArrayRef) -> Result<Vec<Option<f64>>> {
        Ok(cast(values, &DataType::Float64)?.as_primitive::<Float64Type>().iter().collect())
    }

    fn result(values: Vec<Option<f64>>) -> ArrayRef {
        Arc::new(Float64Array::from(values))
    }
}

impl Value for i32 {
    const NAMES: Names = names!("integer");
    const RESULT: DataType = DataType::Int64;

    fn initial(mode: Mode) -> i32 {
        match mode {
            Mode::Sum => 0,
            Mode::Min => i32::MAX,
            Mode::Max => i32::MIN,
            Mode::AlwaysOne => 1,
        }
    }

    fn one() -> i32 {
        1
    }

    fn plus(self, other: i32) -> i32 {
        self.wrapping_add(other)
    }

    fn write(self, bytes: &mut SketchBytes) {
        bytes.write_i32_le(self);
    }

    fn read(cursor: &mut SketchSlice<'_>) -> Option<i32> {
        cursor.read_i32_le().ok()
    }

    fn column(values: &ArrayRef) -> Result<Vec<Option<i32>>> {
        Ok(cast(values, &DataType::Int32)?.as_primitive::<Int32Type>().iter().collect())
    }

    fn result(values: Vec<Option<i32>>) -> ArrayRef {
        Arc::new(Int64Array::from(values.into_iter().map(|v| v.map(i64::from)).collect::<Vec<_>>()))
    }
}

/// One key's summary: Java's `DoubleSummary`/`IntegerSummary`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Summary<V> {
    value: V,
    mode: Mode,
}

impl<V: Value> Summary<V> {
    fn absorb(&mut self, value: V) {
        self.value = match self.mode {
            Mode::Sum => self.value.plus(value),
            Mode::Min if value < self.value => value,
            Mode::Max if value > self.value => value,
            Mode::AlwaysOne => V::one(),
            _ => self.value,
        };
    }
}

impl<V: Value> TupleSummaryValue for Summary<V> {
    fn serialize_size(&self) -> usize {
        size_of::<V>() + 1
    }

    fn serialize_value(&self, bytes: &mut SketchBytes) {
        self.value.write(bytes);
        bytes.write_u8(self.mode.byte());
    }

    fn deserialize_value(cursor: &mut SketchSlice<'_>) -> std::result::Result<Self, datasketches::error::Error> {
        let bad = || datasketches::error::Error::new(datasketches::error::ErrorKind::InvalidData, "summary");
        let value = V::read(cursor).ok_or_else(bad)?;
        let mode = cursor.read_u8().ok().and_then(Mode::of_byte).ok_or_else(bad)?;
        Ok(Summary { value, mode })
    }
}

/// Summaries made and combined in one mode.
#[derive(Debug, Clone, Copy)]
pub(super) struct Policy<V> {
    mode: Mode,
    value: std::marker::PhantomData<fn() -> V>,
}

fn policy<V: Value>(mode: Mode) -> Policy<V> {
    Policy { mode, value: std::marker::PhantomData }
}

impl<V: Value> SummaryPolicy for Policy<V> {
    type Summary = Summary<V>;

    fn create(&self) -> Summary<V> {
        Summary { value: V::initial(self.mode), mode: self.mode }
    }
}

impl<V: Value> SummaryUpdatePolicy<V> for Policy<V> {
    fn update(&self, summary: &mut Summary<V>, value: V) {
        summary.absorb(value);
    }
}

impl<V: Value> SummaryCombinePolicy for Policy<V> {
    /// As Java's set operations: a new summary of the operation's mode takes both values.
    fn combine(&self, summary: &mut Summary<V>, other: &Summary<V>) {
        let mut combined = self.create();
        combined.absorb(summary.value);
        combined.absorb(other.value);
        *summary = combined;
    }
}

fn invalid_buffer(function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[TUPLE_INVALID_INPUT_SKETCH_BUFFER] Invalid call to `{function}`; only valid Tuple sketch buffers are supported as inputs (such \
         as those produced by the corresponding `tuple_sketch_agg_*` function). SQLSTATE: 22000"
    ))
}

/// A Tuple sketch's image read as Spark reads it: its family first, then the image.
fn read<V: Value>(function: &str, bytes: &[u8]) -> Result<CompactTupleSketch<Summary<V>>> {
    match bytes.get(2) {
        Some(&TUPLE_FAMILY) => CompactTupleSketch::deserialize(bytes).map_err(|_| invalid_buffer(function)),
        Some(&family) if (1..=21).contains(&family) => exec_err!(
            "[TUPLE_INVALID_INPUT_SKETCH_BUFFER_FAMILY] Invalid call to `{function}`: expected TUPLE sketch family but received {}. Only \
             valid Tuple sketch buffers (produced by `tuple_sketch_agg_*` functions) are supported as inputs. SQLSTATE: 22000",
            super::theta::family_name(family)
        ),
        _ => Err(invalid_buffer(function)),
    }
}

/// The image Spark writes: unordered compact, Java's bytes for an empty sketch.
fn image<V: Value>(sketch: &CompactTupleSketch<Summary<V>>) -> Vec<u8> {
    if sketch.is_empty() { EMPTY_IMAGE.to_vec() } else { sketch.serialize() }
}

/// A Theta sketch as a Tuple sketch whose every entry has the mode's initial summary, as Spark
/// joins a Theta sketch to a Tuple sketch.
fn from_theta<V: Value>(theta: &CompactThetaSketch, mode: Mode) -> Result<CompactTupleSketch<Summary<V>>> {
    if theta.is_empty() {
        return CompactTupleSketch::deserialize(&EMPTY_IMAGE).map_err(library_error);
    }
    let estimating = theta.is_estimation_mode();
    let mut bytes = SketchBytes::with_capacity(24 + theta.num_retained() * (9 + size_of::<V>()));
    const READ_ONLY_AND_COMPACT: u8 = 0x0a;
    bytes.write_u8(if estimating { 3 } else { 2 });
    bytes.write_u8(3);
    bytes.write_u8(TUPLE_FAMILY);
    bytes.write_u8(1);
    bytes.write_u8(0);
    bytes.write_u8(READ_ONLY_AND_COMPACT);
    bytes.write_u16_le(theta.seed_hash());
    bytes.write_u32_le(theta.num_retained() as u32);
    bytes.write_u32_le(0);
    if estimating {
        bytes.write_u64_le(theta.theta64());
    }
    let summary = Summary { value: V::initial(mode), mode };
    for entry in theta.iter() {
        bytes.write_u64_le(entry.hash());
        summary.serialize_value(&mut bytes);
    }
    CompactTupleSketch::deserialize(&bytes.into_bytes()).map_err(library_error)
}

/// The constant `lgNomEntries` and mode parameters of a call, with Spark's defaults.
fn lg_parameter(function: &str, p: Option<&Option<ScalarValue>>) -> Result<u8> {
    match p {
        Some(p) => lg_nom_entries(function, super::constant_int(function, p.as_ref())?),
        None => lg_nom_entries(function, DEFAULT_LG),
    }
}

fn mode_parameter(function: &str, p: Option<&Option<ScalarValue>>) -> Result<Mode> {
    match p {
        Some(Some(ScalarValue::Utf8(Some(text)) | ScalarValue::Utf8View(Some(text)) | ScalarValue::LargeUtf8(Some(text)))) => {
            Mode::parse(function, text)
        }
        Some(_) => exec_err!("`{function}`: the mode must be a non-null string constant"),
        None => Ok(Mode::Sum),
    }
}

fn new_union<V: Value>(lg: u8, mode: Mode) -> Result<TupleUnion<Policy<V>>> {
    TupleUnionBuilder::new(policy::<V>(mode)).lg_k(lg).seed(SEED).build().map_err(library_error)
}

fn new_intersection<V: Value>(mode: Mode) -> Result<TupleIntersection<Policy<V>>> {
    TupleIntersection::with_seed(policy::<V>(mode), SEED).map_err(library_error)
}

pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    vec![
        udaf(SketchAgg::<Doubles>::default()),
        udaf(SketchAgg::<Integers>::default()),
        udaf(UnionAgg::<Doubles>::default()),
        udaf(UnionAgg::<Integers>::default()),
        udaf(IntersectionAgg::<Doubles>::default()),
        udaf(IntersectionAgg::<Integers>::default()),
    ]
}

/// The two summary types, as markers the aggregates can derive their traits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Doubles;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Integers;

pub(super) trait Kind: std::fmt::Debug + Clone + Copy + PartialEq + Eq + std::hash::Hash + Default + Send + Sync + 'static {
    type V: Value;
}

impl Kind for Doubles {
    type V = f64;
}

impl Kind for Integers {
    type V = i32;
}

/// `tuple_sketch_agg_*(key, summary [, lgNomEntries [, mode]])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct SketchAgg<K>(K);

#[derive(Debug)]
struct SketchState<V: Value> {
    lg: u8,
    mode: Mode,
    sketch: TupleSketch<Policy<V>>,
    union: Option<TupleUnion<Policy<V>>>,
}

impl<K: Kind> SketchKind for SketchAgg<K> {
    type Sketch = SketchState<K::V>;

    fn name(&self) -> &'static str {
        K::V::NAMES.agg
    }

    fn columns(&self) -> usize {
        2
    }

    fn arities(&self) -> &'static [usize] {
        &[2, 3, 4]
    }

    fn check_input(&self, types: &[DataType]) -> Result<()> {
        types.first().map_or(Ok(()), |t| super::theta::check_key_type(self.name(), t))
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<Self::Sketch> {
        let lg = lg_parameter(self.name(), parameters.first())?;
        let mode = mode_parameter(self.name(), parameters.get(1))?;
        let sketch = TupleSketchBuilder::new(policy::<K::V>(mode)).lg_k(lg).seed(SEED).build().map_err(library_error)?;
        Ok(SketchState { lg, mode, sketch, union: None })
    }

    fn update(&self, state: &mut Self::Sketch, columns: &[ArrayRef]) -> Result<()> {
        let keys = super::theta::keys(&columns[0])?;
        let values = K::V::column(&columns[1])?;
        for (key, value) in keys.into_iter().zip(values) {
            if let (Some(key), Some(value)) = (key, value) {
                state.sketch.update(key, value);
            }
        }
        Ok(())
    }

    fn merge(&self, state: &mut Self::Sketch, bytes: &[u8]) -> Result<()> {
        let other = read::<K::V>(self.name(), bytes)?;
        let union = match &mut state.union {
            Some(union) => union,
            None => state.union.insert(new_union::<K::V>(state.lg, state.mode)?),
        };
        union.update(&other).map_err(library_error)
    }

    fn serialize(&self, state: &mut Self::Sketch) -> Result<Vec<u8>> {
        let compact = state.sketch.compact(false);
        match &mut state.union {
            Some(union) => {
                // The rows' own sketch joins the partial results once, when the result is made.
                let mut result = new_union::<K::V>(state.lg, state.mode)?;
                result.update(&union.to_sketch(false)).map_err(library_error)?;
                result.update(&compact).map_err(library_error)?;
                Ok(image(&result.to_sketch(false)))
            }
            None => Ok(image(&compact)),
        }
    }

    fn memory(&self, state: &Self::Sketch) -> usize {
        state.sketch.estimated_size() + state.union.as_ref().map_or(0, TupleUnion::estimated_size)
    }
}

/// `tuple_union_agg_*(sketch [, lgNomEntries [, mode]])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct UnionAgg<K>(K);

impl<K: Kind> SketchKind for UnionAgg<K> {
    type Sketch = TupleUnion<Policy<K::V>>;

    fn name(&self) -> &'static str {
        K::V::NAMES.union_agg
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2, 3]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<Self::Sketch> {
        new_union::<K::V>(lg_parameter(self.name(), parameters.first())?, mode_parameter(self.name(), parameters.get(1))?)
    }

    fn merge(&self, union: &mut Self::Sketch, bytes: &[u8]) -> Result<()> {
        union.update(&read::<K::V>(self.name(), bytes)?).map_err(library_error)
    }

    fn serialize(&self, union: &mut Self::Sketch) -> Result<Vec<u8>> {
        Ok(image(&union.to_sketch(false)))
    }

    fn memory(&self, union: &Self::Sketch) -> usize {
        union.estimated_size()
    }
}

/// `tuple_intersection_agg_*(sketch [, mode])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct IntersectionAgg<K>(K);

impl<K: Kind> SketchKind for IntersectionAgg<K> {
    type Sketch = TupleIntersection<Policy<K::V>>;

    fn name(&self) -> &'static str {
        K::V::NAMES.intersection_agg
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<Self::Sketch> {
        new_intersection::<K::V>(mode_parameter(self.name(), parameters.first())?)
    }

    fn merge(&self, intersection: &mut Self::Sketch, bytes: &[u8]) -> Result<()> {
        intersection.update(&read::<K::V>(self.name(), bytes)?).map_err(library_error)
    }

    /// With nothing intersected, the empty sketch.
    fn serialize(&self, intersection: &mut Self::Sketch) -> Result<Vec<u8>> {
        Ok(intersection.to_sketch(false).map_or_else(|| EMPTY_IMAGE.to_vec(), |s| image(&s)))
    }

    fn memory(&self, intersection: &Self::Sketch) -> usize {
        intersection.estimated_size()
    }
}

pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    let mut all = typed_scalars::<f64>();
    all.extend(typed_scalars::<i32>());
    all
}

fn typed_scalars<V: Value>() -> Vec<Arc<ScalarUDF>> {
    let n = V::NAMES;
    vec![
        crate::udfs::udf(n.estimate, &[1], DataType::Float64, estimate::<V>),
        crate::udfs::udf(n.theta, &[1], DataType::Float64, theta::<V>),
        crate::udfs::udf(n.summary, &[1, 2], V::RESULT, summary::<V>),
        crate::udfs::udf(n.union, &[2, 3, 4], DataType::Binary, union::<V>),
        crate::udfs::udf(n.intersection, &[2, 3], DataType::Binary, intersection::<V>),
        crate::udfs::udf(n.difference, &[2], DataType::Binary, difference::<V>),
        crate::udfs::udf(n.union_theta, &[2, 3, 4], DataType::Binary, union_theta::<V>),
        crate::udfs::udf(n.intersection_theta, &[2, 3], DataType::Binary, intersection_theta::<V>),
        crate::udfs::udf(n.difference_theta, &[2], DataType::Binary, difference_theta::<V>),
    ]
}

/// Each row's sketch of a column, NULL where NULL.
fn sketches<V: Value>(function: &str, values: &ArrayRef) -> Result<Vec<Option<CompactTupleSketch<Summary<V>>>>> {
    each(values, |b| read::<V>(function, b))
}

fn estimate<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let out: Float64Array = sketches::<V>(V::NAMES.estimate, &args[0])?.iter().map(|s| s.as_ref().map(|s| s.estimate())).collect();
    Ok(Arc::new(out))
}

fn theta<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let out: Float64Array = sketches::<V>(V::NAMES.theta, &args[0])?.iter().map(|s| s.as_ref().map(|s| s.theta())).collect();
    Ok(Arc::new(out))
}

/// Row `i`'s mode argument at `at`, `sum` where left out.
fn mode_at(function: &str, args: &[ArrayRef], at: usize, i: usize) -> Result<Mode> {
    let Some(modes) = args.get(at) else {
        return Ok(Mode::Sum);
    };
    let modes = cast(modes, &DataType::Utf8)?;
    let modes = modes.as_string::<i32>();
    if modes.is_null(i) {
        return exec_err!("`{function}`: the mode must not be NULL");
    }
    Mode::parse(function, modes.value(i))
}

/// Row `i`'s `lgNomEntries` argument at `at`, 12 where left out.
fn lg_at(function: &str, args: &[ArrayRef], at: usize, i: usize) -> Result<u8> {
    let Some(lgs) = args.get(at) else {
        return lg_nom_entries(function, DEFAULT_LG);
    };
    let lgs = cast(lgs, &DataType::Int64)?;
    let lgs = lgs.as_primitive::<Int64Type>();
    if lgs.is_null(i) {
        return exec_err!("`{function}`: lgNomEntries must not be NULL");
    }
    lg_nom_entries(function, lgs.value(i))
}

/// `tuple_sketch_summary_*(sketch [, mode])`: the retained summaries combined in the mode (0
/// for no entries with `min`/`max`, the number of entries with `alwaysone`).
fn summary<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let function = V::NAMES.summary;
    let mut out = Vec::with_capacity(args[0].len());
    for (i, sketch) in sketches::<V>(function, &args[0])?.into_iter().enumerate() {
        let Some(sketch) = sketch else {
            out.push(None);
            continue;
        };
        let mode = mode_at(function, args, 1, i)?;
        let values = sketch.iter().map(|e| e.summary().value);
        let total = match mode {
            Mode::AlwaysOne => values.fold(V::initial(Mode::Sum), |n, _| n.plus(V::one())),
            Mode::Sum => values.fold(V::initial(Mode::Sum), V::plus),
            Mode::Min | Mode::Max => {
                let mut s = Summary { value: V::initial(mode), mode };
                let mut any = false;
                for v in values {
                    s.absorb(v);
                    any = true;
                }
                if any { s.value } else { V::initial(Mode::Sum) }
            }
        };
        out.push(Some(total));
    }
    Ok(V::result(out))
}

/// A set operation on the sketches of two columns, row by row; `second` reads the second
/// column's sketches (Tuple or Theta).
fn pairwise<V: Value, B>(
    function: &str,
    args: &[ArrayRef],
    second: impl Fn(&str, &[u8]) -> Result<B>,
    op: impl Fn(usize, &CompactTupleSketch<Summary<V>>, &B) -> Result<CompactTupleSketch<Summary<V>>>,
) -> Result<ArrayRef> {
    super::pairwise(args, |i, a, b| Ok(image(&op(i, &read::<V>(function, a)?, &second(function, b)?)?)))
}

fn union_of<V: Value>(
    lg: u8,
    mode: Mode,
    a: &CompactTupleSketch<Summary<V>>,
    b: &CompactTupleSketch<Summary<V>>,
) -> Result<CompactTupleSketch<Summary<V>>> {
    let mut union = new_union::<V>(lg, mode)?;
    union.update(a).map_err(library_error)?;
    union.update(b).map_err(library_error)?;
    Ok(union.to_sketch(false))
}

fn intersection_of<V: Value>(
    mode: Mode,
    a: &CompactTupleSketch<Summary<V>>,
    b: &CompactTupleSketch<Summary<V>>,
) -> Result<CompactTupleSketch<Summary<V>>> {
    let mut intersection = new_intersection::<V>(mode)?;
    intersection.update(a).map_err(library_error)?;
    intersection.update(b).map_err(library_error)?;
    match intersection.to_sketch(false) {
        Some(s) => Ok(s),
        None => CompactTupleSketch::deserialize(&EMPTY_IMAGE).map_err(library_error),
    }
}

fn difference_of<V: Value>(
    a: &CompactTupleSketch<Summary<V>>,
    b: &CompactTupleSketch<Summary<V>>,
) -> Result<CompactTupleSketch<Summary<V>>> {
    TupleANotB::with_seed(SEED).map_err(library_error)?.compute(a, b, false).map_err(library_error)
}

/// `tuple_union_*(a, b [, lgNomEntries [, mode]])`.
fn union<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let f = V::NAMES.union;
    pairwise::<V, _>(f, args, read::<V>, |i, a, b| union_of(lg_at(f, args, 2, i)?, mode_at(f, args, 3, i)?, a, b))
}

/// `tuple_intersection_*(a, b [, mode])`.
fn intersection<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let f = V::NAMES.intersection;
    pairwise::<V, _>(f, args, read::<V>, |i, a, b| intersection_of(mode_at(f, args, 2, i)?, a, b))
}

/// `tuple_difference_*(a, b)`: the entries of `a` whose keys `b` lacks.
fn difference<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    pairwise::<V, _>(V::NAMES.difference, args, read::<V>, |_, a, b| difference_of(a, b))
}

/// `tuple_union_theta_*(tuple, theta [, lgNomEntries [, mode]])`.
fn union_theta<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let f = V::NAMES.union_theta;
    pairwise::<V, _>(f, args, super::theta::read, |i, a, b| {
        let mode = mode_at(f, args, 3, i)?;
        union_of(lg_at(f, args, 2, i)?, mode, a, &from_theta::<V>(b, mode)?)
    })
}

/// `tuple_intersection_theta_*(tuple, theta [, mode])`.
fn intersection_theta<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let f = V::NAMES.intersection_theta;
    pairwise::<V, _>(f, args, super::theta::read, |i, a, b| {
        let mode = mode_at(f, args, 2, i)?;
        intersection_of(mode, a, &from_theta::<V>(b, mode)?)
    })
}

/// `tuple_difference_theta_*(tuple, theta)`.
fn difference_theta<V: Value>(args: &[ArrayRef]) -> Result<ArrayRef> {
    pairwise::<V, _>(V::NAMES.difference_theta, args, super::theta::read, |_, a, b| difference_of(a, &from_theta::<V>(b, Mode::Sum)?))
}
