//! Spark's `max_by(x, y)` and `min_by(x, y)`: the `x` of the row with the largest (smallest)
//! `y`. Rows whose `y` is NULL are skipped; among equal `y`s the last row seen wins, as in
//! Spark (whose answer then depends on row order too). The answer can be NULL when that row's
//! `x` is.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct ExtremumBy {
    /// `Greater` for `max_by`, `Less` for `min_by`: the ordering a new `y` must have to win.
    wins: Ordering,
    signature: Signature,
}

pub fn max_by() -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(ExtremumBy { wins: Ordering::Greater, signature: Signature::any(2, Volatility::Immutable) }))
}

pub fn min_by() -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(ExtremumBy { wins: Ordering::Less, signature: Signature::any(2, Volatility::Immutable) }))
}

impl AggregateUDFImpl for ExtremumBy {
    fn name(&self) -> &str {
        if self.wins == Ordering::Greater { "max_by" } else { "min_by" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let (value, key) = (args.input_fields[0].data_type().clone(), args.input_fields[1].data_type().clone());
        Ok(vec![
            Arc::new(Field::new(format_state_name(args.name, "value"), value, true)),
            Arc::new(Field::new(format_state_name(args.name, "key"), key, true)),
        ])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let value = ScalarValue::try_from(args.exprs[0].data_type(args.schema)?)?;
        let key = ScalarValue::try_from(args.exprs[1].data_type(args.schema)?)?;
        Ok(Box::new(Best { wins: self.wins, value, key }))
    }
}

#[derive(Debug)]
struct Best {
    wins: Ordering,
    value: ScalarValue,
    /// The best `y` so far; NULL before any row.
    key: ScalarValue,
}

impl Best {
    fn offer(&mut self, values: &ArrayRef, keys: &ArrayRef) -> Result<()> {
        for i in 0..keys.len() {
            if keys.is_null(i) {
                continue;
            }
            let key = ScalarValue::try_from_array(keys, i)?;
            // The new row wins unless the best so far is strictly better.
            if self.key.is_null() || self.key.partial_cmp(&key) != Some(self.wins) {
                self.value = ScalarValue::try_from_array(values, i)?;
                self.key = key;
            }
        }
        Ok(())
    }
}

impl Accumulator for Best {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.offer(&values[0], &values[1])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.offer(&states[0], &states[1])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), self.key.clone()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.value.size() + self.key.size()
    }
}
