//! Spark's KLL quantile sketch functions on Apache DataSketches' KLL sketch, for BIGINT, FLOAT
//! and DOUBLE items (`kll_sketch_agg_bigint`, `kll_merge_agg_float`,
//! `kll_sketch_get_quantile_double`, ...). Sketches are DataSketches' compact images, which
//! Java's `KllLongsSketch`, `KllFloatsSketch` and `KllDoublesSketch` read; ranks and quantiles
//! are inclusive, as Java's defaults. NaN values are skipped, as Java skips them.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryBuilder, Float32Array, Float64Array, Int64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datasketches::kll::{KllFloat, KllSketch, KllValue};

use super::aggregate::{SketchKind, udaf};
use super::{constant_int, each, library_error};

/// `k` when a call leaves it out, and Spark's range.
const DEFAULT_K: i64 = 200;
const MIN_K: i64 = 8;
const MAX_K: i64 = 65535;

/// The functions of one item type.
pub(super) struct Names {
    agg: &'static str,
    merge_agg: &'static str,
    get_n: &'static str,
    to_string: &'static str,
    merge: &'static str,
    pub(super) get_quantile: &'static str,
    pub(super) get_rank: &'static str,
}

macro_rules! names {
    ($suffix:literal) => {
        Names {
            agg: concat!("kll_sketch_agg_", $suffix),
            merge_agg: concat!("kll_merge_agg_", $suffix),
            get_n: concat!("kll_sketch_get_n_", $suffix),
            to_string: concat!("kll_sketch_to_string_", $suffix),
            merge: concat!("kll_sketch_merge_", $suffix),
            get_quantile: concat!("kll_sketch_get_quantile_", $suffix),
            get_rank: concat!("kll_sketch_get_rank_", $suffix),
        }
    };
}

/// One of the three item types: its name suffix, SQL type and how its values move between
/// Arrow and the sketch.
pub(super) trait Item: std::fmt::Debug + Clone + Copy + PartialEq + Eq + std::hash::Hash + Default + Send + Sync + 'static {
    /// The sketch's item.
    type Value: KllValue + Ord + Clone + std::fmt::Debug + Send + Sync + 'static;
    /// The SQL type of its values.
    const TYPE: DataType;
    /// Java's class, as its `toString` names it.
    const JAVA_CLASS: &'static str;
    /// The names of its functions.
    const NAMES: Names;

    /// An Arrow column of items.
    fn column(items: Vec<Option<Self::Value>>) -> ArrayRef;

    /// The input types its aggregate takes (Spark casts none implicitly).
    fn accepts(t: &DataType) -> bool;

    /// The column's values, NULL where NULL or NaN (which sketches skip, as Java's do).
    fn items(values: &ArrayRef) -> Result<Vec<Option<Self::Value>>>;

    /// The item as Java prints it (`Long.toString`, `Float.toString`, `Double.toString`).
    fn java_text(value: &Self::Value) -> String;
}

/// BIGINT items (Java's `KllLongsSketch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Longs;

/// FLOAT items (Java's `KllFloatsSketch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Floats;

/// DOUBLE items (Java's `KllDoublesSketch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Doubles;

impl Item for Longs {
    type Value = i64;
    const TYPE: DataType = DataType::Int64;
    const JAVA_CLASS: &'static str = "KllLongsSketch";
    const NAMES: Names = names!("bigint");

    fn column(items: Vec<Option<Self::Value>>) -> ArrayRef {
        Arc::new(Int64Array::from(items))
    }

    fn accepts(t: &DataType) -> bool {
        matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Null)
    }

    fn items(values: &ArrayRef) -> Result<Vec<Option<Self::Value>>> {
        Ok(cast(values, &DataType::Int64)?.as_primitive::<Int64Type>().iter().collect())
    }

    fn java_text(value: &i64) -> String {
        value.to_string()
    }
}

impl Item for Floats {
    type Value = KllFloat<f32>;
    const TYPE: DataType = DataType::Float32;
    const JAVA_CLASS: &'static str = "KllFloatsSketch";
    const NAMES: Names = names!("float");

    fn column(items: Vec<Option<Self::Value>>) -> ArrayRef {
        Arc::new(Float32Array::from(items.into_iter().map(|v| v.map(KllFloat::into_inner)).collect::<Vec<_>>()))
    }

    fn accepts(t: &DataType) -> bool {
        matches!(t, DataType::Float32 | DataType::Null)
    }

    fn items(values: &ArrayRef) -> Result<Vec<Option<Self::Value>>> {
        Ok(cast(values, &DataType::Float32)?
            .as_primitive::<Float32Type>()
            .iter()
            .map(|v| v.and_then(|v| KllFloat::<f32>::new(v).ok()))
            .collect())
    }

    fn java_text(value: &KllFloat<f32>) -> String {
        crate::naming::format_float(**value)
    }
}

impl Item for Doubles {
    type Value = KllFloat<f64>;
    const TYPE: DataType = DataType::Float64;
    const JAVA_CLASS: &'static str = "KllDoublesSketch";
    const NAMES: Names = names!("double");

    fn column(items: Vec<Option<Self::Value>>) -> ArrayRef {
        Arc::new(Float64Array::from(items.into_iter().map(|v| v.map(KllFloat::into_inner)).collect::<Vec<_>>()))
    }

    fn accepts(t: &DataType) -> bool {
        matches!(t, DataType::Float32 | DataType::Float64 | DataType::Null)
    }

    fn items(values: &ArrayRef) -> Result<Vec<Option<Self::Value>>> {
        Ok(cast(values, &DataType::Float64)?
            .as_primitive::<Float64Type>()
            .iter()
            .map(|v| v.and_then(|v| KllFloat::<f64>::new(v).ok()))
            .collect())
    }

    fn java_text(value: &KllFloat<f64>) -> String {
        crate::naming::format_double(**value)
    }
}

pub fn aggregates() -> Vec<Arc<AggregateUDF>> {
    vec![
        udaf(SketchAgg::<Longs>::default()),
        udaf(SketchAgg::<Floats>::default()),
        udaf(SketchAgg::<Doubles>::default()),
        udaf(MergeAgg::<Longs>::default()),
        udaf(MergeAgg::<Floats>::default()),
        udaf(MergeAgg::<Doubles>::default()),
    ]
}

pub fn scalars() -> Vec<Arc<ScalarUDF>> {
    let mut all = typed_scalars::<Longs>();
    all.extend(typed_scalars::<Floats>());
    all.extend(typed_scalars::<Doubles>());
    all
}

fn typed_scalars<T: Item>() -> Vec<Arc<ScalarUDF>> {
    vec![
        crate::udfs::udf(T::NAMES.get_n, &[1], DataType::Int64, get_n::<T>),
        crate::udfs::udf(T::NAMES.to_string, &[1], DataType::Utf8, to_string::<T>),
        crate::udfs::udf(T::NAMES.merge, &[2], DataType::Binary, merge::<T>),
        super::kll_query::udf::<T>(super::kll_query::Query::Quantile),
        super::kll_query::udf::<T>(super::kll_query::Query::Rank),
    ]
}

pub(super) fn invalid_buffer(function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[KLL_INVALID_INPUT_SKETCH_BUFFER] Invalid call to `{function}`; only valid KLL sketch buffers are supported as inputs (such as \
         those produced by the `kll_sketch_agg` function). SQLSTATE: 22000"
    ))
}

/// A sketch's image read back.
pub(super) fn read<T: Item>(function: &str, bytes: &[u8]) -> Result<KllSketch<T::Value>> {
    KllSketch::<T::Value>::deserialize(bytes).map_err(|_| invalid_buffer(function))
}

/// A checked `k`.
fn checked_k(function: &str, k: i64) -> Result<u16> {
    if !(MIN_K..=MAX_K).contains(&k) {
        return exec_err!(
            "[KLL_SKETCH_K_OUT_OF_RANGE] For function `{function}`, the k parameter must be between {MIN_K} and {MAX_K} (inclusive), \
             but got {k}. SQLSTATE: 22003"
        );
    }
    Ok(k as u16)
}

fn parameter_k(function: &str, parameter: Option<&Option<ScalarValue>>) -> Result<u16> {
    checked_k(function, parameter.map(|p| constant_int(function, p.as_ref())).transpose()?.unwrap_or(DEFAULT_K))
}

/// `kll_sketch_agg_<type>(col [, k])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct SketchAgg<T>(T);

impl<T: Item> SketchKind for SketchAgg<T> {
    type Sketch = KllSketch<T::Value>;

    fn name(&self) -> &'static str {
        T::NAMES.agg
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, types: &[DataType]) -> Result<()> {
        match types.first() {
            Some(t) if !T::accepts(t) => plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type mismatch: the first parameter requires \
                 the \"{}\" type, however it has the type \"{}\".",
                self.name(),
                crate::types::simple_string(&T::TYPE).to_uppercase(),
                crate::types::simple_string(t).to_uppercase()
            ),
            _ => Ok(()),
        }
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<KllSketch<T::Value>> {
        KllSketch::new(parameter_k(self.name(), parameters.first())?).map_err(library_error)
    }

    fn update(&self, sketch: &mut KllSketch<T::Value>, columns: &[ArrayRef]) -> Result<()> {
        for v in T::items(&columns[0])?.into_iter().flatten() {
            sketch.update(v);
        }
        Ok(())
    }

    fn merge(&self, sketch: &mut KllSketch<T::Value>, bytes: &[u8]) -> Result<()> {
        sketch.merge(&read::<T>(self.name(), bytes)?).map_err(|_| invalid_buffer(self.name()))
    }

    fn serialize(&self, sketch: &mut KllSketch<T::Value>) -> Result<Vec<u8>> {
        Ok(sketch.serialize())
    }

    fn memory(&self, sketch: &KllSketch<T::Value>) -> usize {
        sketch.num_retained() * size_of::<T::Value>()
    }
}

/// `kll_merge_agg_<type>(sketch [, k])`: without `k`, the first sketch's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
struct MergeAgg<T>(T);

#[derive(Debug)]
struct MergeState<T: Item> {
    k: Option<u16>,
    sketch: Option<KllSketch<T::Value>>,
}

impl<T: Item> SketchKind for MergeAgg<T> {
    type Sketch = MergeState<T>;

    fn name(&self) -> &'static str {
        T::NAMES.merge_agg
    }

    fn arities(&self) -> &'static [usize] {
        &[1, 2]
    }

    fn check_input(&self, _types: &[DataType]) -> Result<()> {
        Ok(())
    }

    fn start(&self, parameters: &[Option<ScalarValue>]) -> Result<MergeState<T>> {
        let k = parameters.first().map(|p| parameter_k(self.name(), Some(p))).transpose()?;
        Ok(MergeState { k, sketch: None })
    }

    fn merge(&self, state: &mut MergeState<T>, bytes: &[u8]) -> Result<()> {
        let other = read::<T>(self.name(), bytes)?;
        match (&mut state.sketch, state.k) {
            (Some(sketch), _) => sketch.merge(&other).map_err(|_| invalid_buffer(self.name())),
            (None, Some(k)) => {
                let mut sketch = KllSketch::new(k).map_err(library_error)?;
                sketch.merge(&other).map_err(|_| invalid_buffer(self.name()))?;
                state.sketch = Some(sketch);
                Ok(())
            }
            (None, None) => {
                state.sketch = Some(other);
                Ok(())
            }
        }
    }

    fn serialize(&self, state: &mut MergeState<T>) -> Result<Vec<u8>> {
        match &state.sketch {
            Some(sketch) => Ok(sketch.serialize()),
            None => Ok(KllSketch::<T::Value>::new(state.k.unwrap_or(DEFAULT_K as u16)).map_err(library_error)?.serialize()),
        }
    }

    fn memory(&self, state: &MergeState<T>) -> usize {
        state.sketch.as_ref().map_or(0, |s| s.num_retained() * size_of::<T::Value>())
    }
}

/// Each row's sketch, NULL where NULL.
pub(super) fn sketches<T: Item>(function: &str, values: &ArrayRef) -> Result<Vec<Option<KllSketch<T::Value>>>> {
    each(values, |b| read::<T>(function, b))
}

/// `kll_sketch_get_n_<type>(sketch)`: the number of values the sketch saw.
fn get_n<T: Item>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let n: Int64Array = sketches::<T>(T::NAMES.get_n, &args[0])?.iter().map(|s| s.as_ref().map(|s| s.n() as i64)).collect();
    Ok(Arc::new(n))
}

/// `kll_sketch_merge_<type>(a, b)`: `a`'s `k`.
fn merge<T: Item>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let function = T::NAMES.merge;
    let (a, b) = (sketches::<T>(function, &args[0])?, sketches::<T>(function, &args[1])?);
    let mut out = BinaryBuilder::new();
    for (a, b) in a.into_iter().zip(b) {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                a.merge(&b).map_err(|_| invalid_buffer(function))?;
                out.append_value(a.serialize());
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// `kll_sketch_to_string_<type>(sketch)`: Java's summary of the sketch.
fn to_string<T: Item>(args: &[ArrayRef]) -> Result<ArrayRef> {
    let text: StringArray =
        sketches::<T>(T::NAMES.to_string, &args[0])?.iter().map(|s| s.as_ref().map(super::kll_summary::summary::<T>)).collect();
    Ok(Arc::new(text))
}
