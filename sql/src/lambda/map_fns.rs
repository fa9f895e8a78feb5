//! Spark's higher-order functions over maps: `map_filter`, `transform_keys`,
//! `transform_values` (a lambda of each entry's key and value) and `map_zip_with` (a lambda of
//! each key of either map and its value in each, NULL where the map lacks it).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, MapArray, StructArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{filter, interleave, take, take_arrays};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, plan_datafusion_err};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDFImpl, LambdaArgument,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::{entry_fields, lambda_at, map_type, offered, value_at};

/// The entries of a batch of maps, laid out for a lambda as [`super::elements::Elements`] lays
/// out arrays.
struct Entries {
    map: MapArray,
    keys: ArrayRef,
    values: ArrayRef,
    offsets: OffsetBuffer<i32>,
}

impl Entries {
    fn of(array: &ArrayRef) -> Result<Self> {
        let map = array.as_map_opt().ok_or_else(|| exec_datafusion_err!("expected a map, got {}", array.data_type()))?.clone();
        let (start, length, offsets) = super::elements::from_zero(map.offsets());
        let (keys, values) = (map.keys().slice(start, length), map.values().slice(start, length));
        Ok(Self { map, keys, values, offsets })
    }

    fn ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        super::elements::ranges(&self.offsets)
    }

    /// The lambda's value for every entry, given `(key, value)`.
    fn apply(&self, lambda: &LambdaArgument) -> Result<ArrayRef> {
        let rows = super::elements::rows(&self.offsets);
        lambda
            .evaluate(&[&|| Ok(Arc::clone(&self.keys)), &|| Ok(Arc::clone(&self.values))], |captured| {
                Ok(take_arrays(captured, &rows, None)?)
            })?
            .into_array(self.keys.len())
    }
}

/// A map of `keys` and `values` (one map per run of `offsets`).
fn map_of(keys: ArrayRef, values: ArrayRef, offsets: OffsetBuffer<i32>, nulls: Option<NullBuffer>, like: &DataType) -> Result<ArrayRef> {
    let DataType::Map(entries, ordered) = like else {
        return Err(exec_datafusion_err!("expected a map type, got {like}"));
    };
    let DataType::Struct(fields) = entries.data_type() else {
        return Err(exec_datafusion_err!("expected map entries, got {}", entries.data_type()));
    };
    let struct_fields = Fields::from(vec![
        Field::new(fields[0].name(), keys.data_type().clone(), false),
        Field::new(fields[1].name(), values.data_type().clone(), true),
    ]);
    let entries_field = Arc::new(Field::new(entries.name(), DataType::Struct(struct_fields.clone()), false));
    let entries = StructArray::try_new(struct_fields, vec![keys, values], None)?;
    Ok(Arc::new(MapArray::try_new(entries_field, offsets, entries, nulls, *ordered)?))
}

/// The map type with keys or values of new types.
fn map_type_with(map: &DataType, key: Option<&DataType>, value: Option<&DataType>) -> Result<DataType> {
    let DataType::Map(entries, ordered) = map else {
        return Err(plan_datafusion_err!("expected a map type, got {map}"));
    };
    let DataType::Struct(fields) = entries.data_type() else {
        return Err(plan_datafusion_err!("expected map entries, got {}", entries.data_type()));
    };
    let fields = Fields::from(vec![
        Field::new(fields[0].name(), key.unwrap_or(fields[0].data_type()).clone(), false),
        Field::new(fields[1].name(), value.unwrap_or(fields[1].data_type()).clone(), true),
    ]);
    Ok(DataType::Map(Arc::new(Field::new(entries.name(), DataType::Struct(fields), false)), *ordered))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Filter,
    TransformKeys,
    TransformValues,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct MapLambda {
    kind: Kind,
    signature: HigherOrderSignature,
}

impl MapLambda {
    fn new(kind: Kind) -> Self {
        let signature = HigherOrderSignature::exact(vec![ValueOrLambda::Value(()), ValueOrLambda::Lambda(())], Volatility::Immutable);
        Self { kind, signature }
    }

    pub fn map_filter() -> Self {
        Self::new(Kind::Filter)
    }

    pub fn transform_keys() -> Self {
        Self::new(Kind::TransformKeys)
    }

    pub fn transform_values() -> Self {
        Self::new(Kind::TransformValues)
    }
}

impl HigherOrderUDFImpl for MapLambda {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Filter => "map_filter",
            Kind::TransformKeys => "transform_keys",
            Kind::TransformValues => "transform_values",
        }
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arg_types.iter().map(|t| map_type(self.name(), 1, t)).collect()
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let (key, value) = entry_fields(self.name(), value_at(self.name(), fields, 0)?)?;
        Ok(LambdaParametersProgress::Complete(vec![offered(vec![key, value])]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let map = value_at(self.name(), args.arg_fields, 0)?.data_type();
        let body = lambda_at(self.name(), args.arg_fields, 1)?.data_type();
        let data_type = match self.kind {
            Kind::Filter => map.clone(),
            Kind::TransformKeys => map_type_with(map, Some(body), None)?,
            Kind::TransformValues => map_type_with(map, None, Some(body))?,
        };
        Ok(Arc::new(Field::new("", data_type, true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let (ValueOrLambda::Value(map), ValueOrLambda::Lambda(lambda)) = (&args.args[0], &args.args[1]) else {
            return Err(exec_datafusion_err!("{} takes a map and a lambda", self.name()));
        };
        let entries = Entries::of(&map.to_array(args.number_rows)?)?;
        let computed = entries.apply(lambda)?;
        let nulls = entries.map.nulls().cloned();
        let like = args.return_field.data_type();
        let result = match self.kind {
            Kind::Filter => {
                let truths = computed.as_boolean_opt().ok_or_else(|| exec_datafusion_err!("map_filter's lambda must return a boolean"))?;
                let keep = BooleanArray::from_iter(truths.iter().map(|t| Some(t == Some(true))));
                let lengths: Vec<usize> = entries.ranges().map(|(s, e)| (s..e).filter(|i| keep.value(*i)).count()).collect();
                let (keys, values) = (filter(&entries.keys, &keep)?, filter(&entries.values, &keep)?);
                map_of(keys, values, OffsetBuffer::from_lengths(lengths), nulls, like)?
            }
            Kind::TransformKeys => {
                distinct_keys(&computed, &entries)?;
                map_of(computed, Arc::clone(&entries.values), entries.offsets.clone(), nulls, like)?
            }
            Kind::TransformValues => map_of(Arc::clone(&entries.keys), computed, entries.offsets.clone(), nulls, like)?,
        };
        Ok(ColumnarValue::Array(result))
    }
}

/// Spark refuses a NULL key and, by default (`spark.sql.mapKeyDedupPolicy=EXCEPTION`), a key
/// twice in one map.
fn distinct_keys(keys: &ArrayRef, entries: &Entries) -> Result<()> {
    if keys.null_count() > 0 {
        return Err(exec_datafusion_err!("[NULL_MAP_KEY] Cannot use null as map key. SQLSTATE: 2200E"));
    }
    let rows = RowConverter::new(vec![SortField::new(keys.data_type().clone())])?.convert_columns(&[Arc::clone(keys)])?;
    for (start, end) in entries.ranges() {
        let mut seen = HashSet::new();
        for i in start..end {
            if !seen.insert(rows.row(i)) {
                let key = ScalarValue::try_from_array(keys, i)?;
                return Err(exec_datafusion_err!(
                    "[DUPLICATED_MAP_KEY] Duplicate map key {key} was found, please check the input data.\nIf you want to remove the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at last takes precedence. SQLSTATE: 23505"
                ));
            }
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct MapZipWith {
    signature: HigherOrderSignature,
}

impl MapZipWith {
    pub fn new() -> Self {
        let args = vec![ValueOrLambda::Value(()), ValueOrLambda::Value(()), ValueOrLambda::Lambda(())];
        Self { signature: HigherOrderSignature::exact(args, Volatility::Immutable) }
    }
}

impl HigherOrderUDFImpl for MapZipWith {
    fn name(&self) -> &str {
        "map_zip_with"
    }

    fn signature(&self) -> &HigherOrderSignature {
        &self.signature
    }

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let types = arg_types.iter().enumerate().map(|(i, t)| map_type(self.name(), i + 1, t)).collect::<Result<Vec<_>>>()?;
        let key = |t: &DataType| match t {
            DataType::Map(e, _) => match e.data_type() {
                DataType::Struct(f) => Some(f[0].data_type().clone()),
                _ => None,
            },
            _ => None,
        };
        if types.len() == 2 && key(&types[0]) != key(&types[1]) {
            return Err(plan_datafusion_err!(
                "[DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES] Cannot resolve \"map_zip_with\" due to data type mismatch: Input to the `map_zip_with` should have been two maps with compatible key types, but it's [\"{}\", \"{}\"]. SQLSTATE: 42K09",
                crate::types::simple_string(&types[0]).to_uppercase(),
                crate::types::simple_string(&types[1]).to_uppercase()
            ));
        }
        Ok(types)
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let (key, left) = entry_fields(self.name(), value_at(self.name(), fields, 0)?)?;
        let (_, right) = entry_fields(self.name(), value_at(self.name(), fields, 1)?)?;
        let nullable = |f: FieldRef| Arc::new(f.as_ref().clone().with_nullable(true));
        Ok(LambdaParametersProgress::Complete(vec![offered(vec![key, nullable(left), nullable(right)])]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let map = value_at(self.name(), args.arg_fields, 0)?.data_type();
        let body = lambda_at(self.name(), args.arg_fields, 2)?.data_type();
        Ok(Arc::new(Field::new("", map_type_with(map, None, Some(body))?, true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (ValueOrLambda::Value(left), ValueOrLambda::Value(right), ValueOrLambda::Lambda(lambda)) =
            (&args.args[0], &args.args[1], &args.args[2])
        else {
            return Err(exec_datafusion_err!("map_zip_with takes two maps and a lambda"));
        };
        let (left, right) = (Entries::of(&left.to_array(rows)?)?, Entries::of(&right.to_array(rows)?)?);
        let nulls = NullBuffer::union(left.map.nulls(), right.map.nulls());
        // Keys are compared as Arrow's row format encodes them (equal values, equal bytes).
        let converter = RowConverter::new(vec![SortField::new(left.keys.data_type().clone())])?;
        let (left_rows, right_rows) =
            (converter.convert_columns(&[Arc::clone(&left.keys)])?, converter.convert_columns(&[Arc::clone(&right.keys)])?);
        let (mut key_picks, mut at_left, mut at_right, mut of_row, mut lengths) = (vec![], vec![], vec![], vec![], vec![]);
        for (row, ((ls, le), (rs, re))) in left.ranges().zip(right.ranges()).enumerate() {
            if nulls.as_ref().is_some_and(|n| n.is_null(row)) {
                lengths.push(0);
                continue;
            }
            let in_right: HashMap<_, usize> = (rs..re).map(|j| (right_rows.row(j), j)).collect();
            let mut from_left = HashSet::new();
            for i in ls..le {
                from_left.insert(left_rows.row(i));
                key_picks.push((0, i));
                at_left.push(Some(i as u32));
                at_right.push(in_right.get(&left_rows.row(i)).map(|j| *j as u32));
            }
            for j in rs..re {
                if !from_left.contains(&right_rows.row(j)) {
                    key_picks.push((1, j));
                    at_left.push(None);
                    at_right.push(Some(j as u32));
                }
            }
            let length = key_picks.len() - of_row.len();
            of_row.extend(std::iter::repeat_n(row as u32, length));
            lengths.push(length);
        }
        let keys = interleave(&[left.keys.as_ref(), right.keys.as_ref()], &key_picks)?;
        let v1 = take(&left.values, &UInt32Array::from(at_left), None)?;
        let v2 = take(&right.values, &UInt32Array::from(at_right), None)?;
        let of_row = UInt32Array::from(of_row);
        let values = lambda
            .evaluate(&[&|| Ok(Arc::clone(&keys)), &|| Ok(Arc::clone(&v1)), &|| Ok(Arc::clone(&v2))], |captured| {
                Ok(take_arrays(captured, &of_row, None)?)
            })?
            .into_array(keys.len())?;
        let result = map_of(keys, values, OffsetBuffer::from_lengths(lengths), nulls, args.return_field.data_type())?;
        Ok(ColumnarValue::Array(result))
    }
}
