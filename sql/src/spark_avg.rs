//! Spark's `avg`: DataFusion's, with Spark's rounding of decimal averages.
//!
//! Both engines type `avg(decimal(p, s))` as `decimal(p + 4, s + 4)` (capped at 38), but
//! DataFusion truncates the quotient to that scale where Spark rounds it half away from zero
//! (`69.0266666…` is `69.026667` in Spark). The wrapper asks DataFusion's accumulators for one
//! more digit of scale and rounds that digit away: a quotient truncated to `s + 5` digits
//! rounds half-up to `s + 4` exactly as the unbounded quotient does, since the digit that
//! decides the rounding is kept. Everything else (types, states, merging, other input types)
//! is DataFusion's own `avg`. At precision 38 there is no digit to spare, and the average is
//! DataFusion's truncated one.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BooleanArray, Decimal128Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::execution::SessionStateDefaults;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Documentation, EmitTo, GroupsAccumulator, ReversedUDAF, Signature,
};

/// Spark's `avg` (and `mean`), or DataFusion's unchanged when it cannot be found to wrap.
pub fn avg() -> Option<Arc<AggregateUDF>> {
    let inner = SessionStateDefaults::default_aggregate_functions().into_iter().find(|f| f.name() == "avg")?;
    Some(Arc::new(AggregateUDF::new_from_impl(SparkAvg { inner, name: None })))
}

/// Spark's `try_avg`: `avg` under its own name (Ember's averages of numbers do not overflow;
/// the one of a DECIMAL(38, s) is DataFusion's, as `avg`'s).
pub fn try_avg() -> Option<Arc<AggregateUDF>> {
    let inner = SessionStateDefaults::default_aggregate_functions().into_iter().find(|f| f.name() == "avg")?;
    Some(Arc::new(AggregateUDF::new_from_impl(SparkAvg { inner, name: Some("try_avg") })))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkAvg {
    inner: Arc<AggregateUDF>,
    /// Another name than `avg` (and no aliases).
    name: Option<&'static str>,
}

/// The precision and scale a decimal average is rounded to, when a digit can be spared for it.
fn rounded_decimal(return_field: &FieldRef) -> Option<(u8, i8)> {
    match return_field.data_type() {
        DataType::Decimal128(p, s) if *p < 38 && *s < 38 => Some((*p, *s)),
        _ => None,
    }
}

/// `args` asking for one more digit of scale than Spark's result type has.
fn one_more_digit<'a>(args: &AccumulatorArgs<'a>, (p, s): (u8, i8)) -> AccumulatorArgs<'a> {
    let wider = Field::clone(&args.return_field).with_data_type(DataType::Decimal128(p + 1, s + 1));
    AccumulatorArgs { return_field: Arc::new(wider), ..*args }
}

/// `v` (scaled by one more digit) rounded half away from zero.
fn round_last_digit(v: i128) -> i128 {
    let (q, r) = (v / 10, v % 10);
    if r >= 5 {
        q + 1
    } else if r <= -5 {
        q - 1
    } else {
        q
    }
}

impl AggregateUDFImpl for SparkAvg {
    fn name(&self) -> &str {
        self.name.unwrap_or_else(|| self.inner.name())
    }

    fn aliases(&self) -> &[String] {
        if self.name.is_some() { &[] } else { self.inner.aliases() }
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.inner().coerce_types(arg_types)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.state_fields(args)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        match rounded_decimal(&args.return_field) {
            Some(target) => {
                let inner = self.inner.accumulator(one_more_digit(&args, target))?;
                Ok(Box::new(Rounding { inner, target }))
            }
            None => self.inner.accumulator(args),
        }
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        match rounded_decimal(&args.return_field) {
            Some(target) => {
                let inner = self.inner.create_groups_accumulator(one_more_digit(&args, target))?;
                Ok(Box::new(RoundingGroups { inner, target }))
            }
            None => self.inner.create_groups_accumulator(args),
        }
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        ReversedUDAF::Identical
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.inner.documentation()
    }
}

#[derive(Debug)]
struct Rounding {
    inner: Box<dyn Accumulator>,
    target: (u8, i8),
}

impl Accumulator for Rounding {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.update_batch(values)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let (p, s) = self.target;
        Ok(match self.inner.evaluate()? {
            ScalarValue::Decimal128(v, _, _) => ScalarValue::Decimal128(v.map(round_last_digit), p, s),
            other => other,
        })
    }

    fn size(&self) -> usize {
        self.inner.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.inner.retract_batch(values)
    }

    fn supports_retract_batch(&self) -> bool {
        self.inner.supports_retract_batch()
    }
}

struct RoundingGroups {
    inner: Box<dyn GroupsAccumulator>,
    target: (u8, i8),
}

impl GroupsAccumulator for RoundingGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.inner.update_batch(values, group_indices, opt_filter, total_num_groups)
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let averages = self.inner.evaluate(emit_to)?;
        let Some(averages) = averages.as_primitive_opt::<Decimal128Type>() else {
            return Ok(averages);
        };
        let (p, s) = self.target;
        let rounded: Decimal128Array = averages.unary(round_last_digit);
        Ok(Arc::new(rounded.with_precision_and_scale(p, s)?))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.inner.state(emit_to)
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.inner.merge_batch(values, group_indices, total_num_groups)
    }

    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        self.inner.convert_to_state(values, opt_filter)
    }

    fn size(&self) -> usize {
        self.inner.size()
    }
}

#[cfg(test)]
mod tests {
    use super::round_last_digit;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_last_digit(6_902_666_666), 690_266_667);
        assert_eq!(round_last_digit(6_902_666_649), 690_266_665);
        assert_eq!(round_last_digit(-6_902_666_666), -690_266_667);
        assert_eq!(round_last_digit(-15), -2);
        assert_eq!(round_last_digit(14), 1);
    }
}
