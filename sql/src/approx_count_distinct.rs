//! Spark's `approx_count_distinct(x[, rsd])`: the number of distinct non-NULL values, estimated
//! with HyperLogLog, as a BIGINT.
//!
//! DataFusion's `approx_distinct` does the counting (HyperLogLog with 2^14 registers: a
//! relative standard error of about 0.81%, exact for small sets). Spark's `rsd` is the largest
//! relative standard deviation the caller accepts (default 0.05): any `rsd` this estimate
//! meets is honoured by it, and a smaller one is refused rather than silently missed.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility};
use datafusion::physical_expr::expressions::Literal;

/// The relative standard error of DataFusion's HyperLogLog (1.04 / sqrt(2^14)).
const STANDARD_ERROR: f64 = 0.0081;

#[derive(Debug, PartialEq, Eq, Hash)]
struct ApproxCountDistinct {
    inner: Arc<AggregateUDF>,
    signature: Signature,
}

pub fn approx_count_distinct() -> Arc<AggregateUDF> {
    let signature = Signature::one_of(vec![TypeSignature::Any(1), TypeSignature::Any(2)], Volatility::Immutable);
    let inner = datafusion::functions_aggregate::approx_distinct::approx_distinct_udaf();
    Arc::new(AggregateUDF::new_from_impl(ApproxCountDistinct { inner, signature }))
}

impl AggregateUDFImpl for ApproxCountDistinct {
    fn name(&self) -> &str {
        "approx_count_distinct"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(0)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let counted: FieldRef = Arc::new(Field::new(args.name, DataType::UInt64, false));
        self.inner.inner().state_fields(StateFieldsArgs { input_fields: &args.input_fields[..1], return_field: counted, ..args })
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if let Some(rsd) = args.exprs.get(1) {
            let value = rsd.downcast_ref::<Literal>().map(|l| l.value().clone());
            let rsd = value.and_then(|v| v.cast_to(&DataType::Float64).ok()).and_then(|v| match v {
                ScalarValue::Float64(Some(x)) => Some(x),
                _ => None,
            });
            match rsd {
                Some(x) if x >= STANDARD_ERROR => {}
                Some(x) => {
                    return plan_err!(
                        "approx_count_distinct: a relative standard deviation of {x} is below what Ember's estimate guarantees ({STANDARD_ERROR})"
                    );
                }
                None => return plan_err!("approx_count_distinct: the relative standard deviation must be a constant number"),
            }
        }
        let counted: FieldRef = Arc::new(Field::new(args.name, DataType::UInt64, false));
        // DataFusion hashes integers, strings and datetimes; other values are counted by
        // their text, which tells them apart as well.
        let as_text = matches!(
            args.expr_fields[0].data_type(),
            DataType::Float16 | DataType::Float32 | DataType::Float64 | DataType::Decimal128(..) | DataType::Decimal256(..)
        );
        let fields: Vec<FieldRef> = if as_text {
            vec![Arc::new(Field::new(args.expr_fields[0].name(), DataType::Utf8, true))]
        } else {
            args.expr_fields[..1].to_vec()
        };
        let inner = self.inner.inner().accumulator(AccumulatorArgs {
            exprs: &args.exprs[..1],
            expr_fields: &fields,
            return_field: counted,
            ..args
        })?;
        Ok(Box::new(AsBigint { inner, as_text }))
    }
}

/// DataFusion's count, answered as Spark's BIGINT.
#[derive(Debug)]
struct AsBigint {
    inner: Box<dyn Accumulator>,
    /// Whether values are counted by their text (see [`ApproxCountDistinct::accumulator`]).
    as_text: bool,
}

impl Accumulator for AsBigint {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if self.as_text {
            let text = datafusion::arrow::compute::cast(&values[0], &DataType::Utf8)?;
            return self.inner.update_batch(&[text]);
        }
        self.inner.update_batch(&values[..1])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.inner.evaluate()?.cast_to(&DataType::Int64)
    }

    fn size(&self) -> usize {
        self.inner.size()
    }
}
