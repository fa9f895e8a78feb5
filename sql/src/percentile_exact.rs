//! Spark's `percentile(x, percentage[, frequency])`: the exact percentile of the non-NULL
//! values (each counted `frequency` times), interpolated linearly between the two values
//! around position `percentage * (n - 1)`, as a DOUBLE (an array of them for an array of
//! percentages). NULL for no values.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
struct Percentile {
    signature: Signature,
}

pub fn percentile() -> Arc<AggregateUDF> {
    let signature = Signature::one_of(vec![TypeSignature::Any(2), TypeSignature::Any(3)], Volatility::Immutable);
    Arc::new(AggregateUDF::new_from_impl(Percentile { signature }))
}

impl AggregateUDFImpl for Percentile {
    fn name(&self) -> &str {
        "percentile"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(match args.get(1) {
            Some(DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _)) => DataType::new_list(DataType::Float64, true),
            _ => DataType::Float64,
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = |name: &str, t: DataType| Arc::new(Field::new(format_state_name(args.name, name), DataType::new_list(t, true), true));
        Ok(vec![list("values", DataType::Float64), list("counts", DataType::Int64)])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let (percentages, many) = crate::percentile::percentages("percentile", &args)?;
        Ok(Box::new(Weighted { values: Vec::new(), percentages, many }))
    }
}

/// The group's values with their frequencies.
#[derive(Debug)]
struct Weighted {
    values: Vec<(f64, i64)>,
    percentages: Vec<f64>,
    many: bool,
}

impl Weighted {
    fn add(&mut self, values: &ArrayRef, counts: Option<&ArrayRef>) -> Result<()> {
        let values = cast(values, &DataType::Float64)?;
        let counts = counts.map(|c| cast(c, &DataType::Int64)).transpose()?;
        let (values, counts) = (values.as_primitive::<Float64Type>(), counts.as_ref().map(|c| c.as_primitive::<Int64Type>()));
        for i in 0..values.len() {
            let count = match counts {
                Some(c) if c.is_null(i) => continue,
                Some(c) => c.value(i),
                None => 1,
            };
            if count < 0 {
                return exec_err!(
                    "[NEGATIVE_VALUES_IN_FREQUENCY_EXPRESSION] Found the negative value in `frequency`: {count}, but expected a positive integral value. SQLSTATE: 22003"
                );
            }
            if !values.is_null(i) && count > 0 {
                self.values.push((values.value(i), count));
            }
        }
        Ok(())
    }

    fn answer(&mut self, p: f64) -> Option<f64> {
        let total: i64 = self.values.iter().map(|(_, c)| c).sum();
        if total == 0 {
            return None;
        }
        let position = p * (total - 1) as f64;
        let (lower, higher) = (position.floor() as i64, position.ceil() as i64);
        // The value at a 0-based rank of the expanded, sorted sequence.
        let at = |rank: i64| {
            let mut seen = 0;
            self.values.iter().find(|(_, c)| {
                seen += c;
                seen > rank
            })
        };
        let (lo, hi) = (at(lower)?.0, at(higher)?.0);
        if lower == higher { Some(lo) } else { Some((higher as f64 - position) * lo + (position - lower as f64) * hi) }
    }
}

impl Accumulator for Weighted {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(&values[0], values.get(2))
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
        let values: Vec<ScalarValue> = self.values.iter().map(|(v, _)| ScalarValue::Float64(Some(*v))).collect();
        let counts: Vec<ScalarValue> = self.values.iter().map(|(_, c)| ScalarValue::Int64(Some(*c))).collect();
        Ok(vec![
            ScalarValue::List(ScalarValue::new_list_nullable(&values, &DataType::Float64)),
            ScalarValue::List(ScalarValue::new_list_nullable(&counts, &DataType::Int64)),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.values.sort_by(|a, b| a.0.total_cmp(&b.0));
        let percentages = self.percentages.clone();
        let answers: Vec<ScalarValue> = percentages.iter().map(|p| ScalarValue::Float64(self.answer(*p))).collect();
        if self.many {
            return Ok(ScalarValue::List(ScalarValue::new_list_nullable(&answers, &DataType::Float64)));
        }
        Ok(answers.into_iter().next().unwrap_or(ScalarValue::Float64(None)))
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.values.capacity() * size_of::<(f64, i64)>() + self.percentages.capacity() * size_of::<f64>()
    }
}
