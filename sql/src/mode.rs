//! Spark's `mode(x[, deterministic])`: the most frequent non-NULL value (NULL for none).
//!
//! Among values equally frequent Spark's answer depends on its hash map's order unless
//! `deterministic` is true, when it is the smallest; Ember always answers the smallest, which
//! is one of the answers Spark may give.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct Mode {
    signature: Signature,
}

pub fn mode() -> Arc<AggregateUDF> {
    let signature = Signature::one_of(vec![TypeSignature::Any(1), TypeSignature::Any(2)], Volatility::Immutable);
    Arc::new(AggregateUDF::new_from_impl(Mode { signature }))
}

impl AggregateUDFImpl for Mode {
    fn name(&self) -> &str {
        "mode"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value = args.input_fields[0].data_type().clone();
        let list = |name: &str, t: DataType| Arc::new(Field::new(format_state_name(args.name, name), DataType::new_list(t, true), true));
        Ok(vec![list("values", value), list("counts", DataType::Int64)])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Counts { data_type: args.exprs[0].data_type(args.schema)?, counts: HashMap::new() }))
    }
}

#[derive(Debug)]
struct Counts {
    data_type: DataType,
    counts: HashMap<ScalarValue, i64>,
}

impl Counts {
    fn add(&mut self, values: &ArrayRef, counts: Option<&ArrayRef>) -> Result<()> {
        let counts = counts.map(|c| c.as_primitive::<Int64Type>());
        for i in 0..values.len() {
            if values.is_null(i) {
                continue;
            }
            let n = counts.map_or(1, |c| c.value(i));
            *self.counts.entry(ScalarValue::try_from_array(values, i)?).or_insert(0) += n;
        }
        Ok(())
    }
}

impl Accumulator for Counts {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(&values[0], None)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (values, counts) = (states[0].as_list::<i32>(), states[1].as_list::<i32>());
        for row in 0..values.len() {
            if !values.is_null(row) {
                self.add(&values.value(row), Some(&counts.value(row)))?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values: Vec<ScalarValue> = self.counts.keys().cloned().collect();
        let counts: Vec<ScalarValue> = values.iter().map(|v| ScalarValue::Int64(self.counts.get(v).copied())).collect();
        Ok(vec![
            ScalarValue::List(ScalarValue::new_list_nullable(&values, &self.data_type)),
            ScalarValue::List(ScalarValue::new_list_nullable(&counts, &DataType::Int64)),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let best = self.counts.iter().max_by(|(va, ca), (vb, cb)| {
            // More frequent wins; among equals, the smaller value.
            ca.cmp(cb).then_with(|| vb.partial_cmp(va).unwrap_or(std::cmp::Ordering::Equal))
        });
        match best {
            Some((value, _)) => Ok(value.clone()),
            None => ScalarValue::try_from(&self.data_type),
        }
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.counts.keys().map(ScalarValue::size).sum::<usize>() + self.counts.len() * size_of::<i64>()
    }
}
