//! `kll_sketch_get_quantile_<type>(sketch, rank)` and `kll_sketch_get_rank_<type>(sketch,
//! value)`: one query or an array of them (then an array of answers), inclusive as Java's
//! defaults. An empty sketch has no quantiles or ranks: Spark reports it as an invalid buffer.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datasketches::common::SearchCriteria;
use datasketches::kll::KllSketch;

use super::kll::{Item, invalid_buffer, sketches};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Query {
    /// The value at a normalized rank.
    Quantile,
    /// The normalized rank of a value.
    Rank,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct KllQuery<T> {
    query: Query,
    signature: Signature,
    item: T,
}

pub(super) fn udf<T: Item>(query: Query) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(KllQuery::<T> { query, signature: Signature::any(2, Volatility::Immutable), item: T::default() }))
}

impl<T: Item> KllQuery<T> {
    /// The type of one answer.
    fn answer_type(&self) -> DataType {
        match self.query {
            Query::Quantile => T::TYPE,
            Query::Rank => DataType::Float64,
        }
    }

    fn function(&self) -> &'static str {
        match self.query {
            Query::Quantile => T::NAMES.get_quantile,
            Query::Rank => T::NAMES.get_rank,
        }
    }

    /// The answers for one sketch.
    fn answer(&self, sketch: &KllSketch<T::Value>, queries: &ArrayRef) -> Result<ArrayRef> {
        let function = self.function();
        if sketch.is_empty() {
            return Err(invalid_buffer(function));
        }
        match self.query {
            Query::Quantile => {
                let ranks = cast(queries, &DataType::Float64)?;
                let items = ranks
                    .as_primitive::<Float64Type>()
                    .iter()
                    .map(|rank| match rank {
                        Some(r) if (0.0..=1.0).contains(&r) => {
                            sketch.quantile(r, SearchCriteria::Inclusive).map_err(|_| invalid_buffer(function))
                        }
                        Some(_) => exec_err!(
                            "[KLL_SKETCH_INVALID_QUANTILE_RANGE] For function `{function}`, the quantile value must be between 0.0 and 1.0 \
                             (inclusive). SQLSTATE: 22003"
                        ),
                        None => Ok(None),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(T::column(items))
            }
            Query::Rank => {
                let ranks: Float64Array =
                    T::items(queries)?.iter().map(|item| item.as_ref().and_then(|v| sketch.rank(v, SearchCriteria::Inclusive))).collect();
                Ok(Arc::new(ranks))
            }
        }
    }
}

impl<T: Item> ScalarUDFImpl for KllQuery<T> {
    fn name(&self) -> &str {
        self.function()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.get(1) {
            Some(DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)) => {
                Ok(DataType::List(Arc::new(Field::new_list_field(self.answer_type(), false))))
            }
            _ => Ok(self.answer_type()),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let many = matches!(args.return_field.data_type(), DataType::List(_));
        let arrays = args.args.into_iter().map(|a| a.into_array(rows)).collect::<Result<Vec<_>>>()?;
        let sketches = sketches::<T>(self.function(), &arrays[0])?;
        if !many {
            let mut answers = Vec::with_capacity(rows);
            for (i, sketch) in sketches.iter().enumerate() {
                answers.push(match sketch {
                    Some(s) if arrays[1].is_valid(i) => self.answer(s, &arrays[1].slice(i, 1))?,
                    _ => datafusion::arrow::array::new_null_array(&self.answer_type(), 1),
                });
            }
            let parts: Vec<&dyn Array> = answers.iter().map(|a| a.as_ref()).collect();
            return Ok(ColumnarValue::Array(datafusion::arrow::compute::concat(&parts)?));
        }
        let lists = match arrays[1].data_type() {
            DataType::LargeList(item) | DataType::FixedSizeList(item, _) => cast(&arrays[1], &DataType::List(Arc::clone(item)))?,
            _ => Arc::clone(&arrays[1]),
        };
        let lists = lists.as_list::<i32>();
        let mut answers: Vec<ArrayRef> = Vec::with_capacity(rows);
        let mut lengths = Vec::with_capacity(rows);
        let mut valid = Vec::with_capacity(rows);
        for (i, sketch) in sketches.iter().enumerate() {
            match sketch {
                Some(s) if lists.is_valid(i) => {
                    let answer = self.answer(s, &lists.value(i))?;
                    lengths.push(answer.len());
                    answers.push(answer);
                    valid.push(true);
                }
                _ => {
                    lengths.push(0);
                    valid.push(false);
                }
            }
        }
        let parts: Vec<&dyn Array> = answers.iter().map(|a| a.as_ref()).collect();
        let values = if parts.is_empty() {
            datafusion::arrow::array::new_empty_array(&self.answer_type())
        } else {
            datafusion::arrow::compute::concat(&parts)?
        };
        let field = Arc::new(Field::new_list_field(self.answer_type(), false));
        let list = ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), values, Some(valid.into()))?;
        Ok(ColumnarValue::Array(Arc::new(list)))
    }
}
