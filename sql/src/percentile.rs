//! Spark's `percentile_approx(col, percentage [, accuracy])` (also `approx_percentile`).
//!
//! Spark answers with a value of the column — the smallest one whose rank reaches
//! `ceil(percentage * n)` — never an interpolation between two (DataFusion's
//! `approx_percentile_cont` interpolates, so `percentile_approx` of 1, 2, 3, 4 at 0.5 would be
//! 2.5 where Spark says 2). Ember computes that rank exactly; Spark's sketch gives the same
//! answer up to its accuracy (1/10000 of the rank by default), so on large inputs the two may
//! differ by that much. A percentage array gives an array of answers.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::{SortOptions, sort_to_indices};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::functions_aggregate::array_agg::ArrayAggAccumulator;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility};
use datafusion::physical_expr::expressions::Literal;

#[derive(Debug, PartialEq, Eq, Hash)]
struct PercentileApprox {
    signature: Signature,
    aliases: Vec<String>,
}

/// The function, under both of Spark's names.
pub fn percentile_approx() -> Arc<AggregateUDF> {
    let signature = Signature::one_of(vec![TypeSignature::Any(2), TypeSignature::Any(3)], Volatility::Immutable);
    Arc::new(AggregateUDF::new_from_impl(PercentileApprox { signature, aliases: vec!["approx_percentile".to_string()] }))
}

impl AggregateUDFImpl for PercentileApprox {
    fn name(&self) -> &str {
        "percentile_approx"
    }

    fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.get(1) {
            Some(DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _)) => {
                Ok(DataType::List(Arc::new(Field::new_list_field(args[0].clone(), true))))
            }
            _ => Ok(args[0].clone()),
        }
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value = args.input_fields[0].data_type().clone();
        Ok(vec![Field::new_list(format_state_name(args.name, "values"), Field::new_list_field(value, true), true).into()])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let (percentages, many) = percentages("percentile_approx", &args)?;
        let value_type = args.expr_fields[0].data_type().clone();
        Ok(Box::new(NearestRank { values: ArrayAggAccumulator::try_new(&value_type, true)?, value_type, percentages, many }))
    }
}

/// The constant percentage (or array of them) of a percentile aggregate's second argument, and
/// whether it is an array.
pub(crate) fn percentages(function: &str, args: &AccumulatorArgs) -> Result<(Vec<f64>, bool)> {
    let Some(literal) = args.exprs.get(1).and_then(|e| e.downcast_ref::<Literal>()) else {
        return plan_err!("{function}: the percentage must be a constant");
    };
    let (percentages, many) = match literal.value() {
        ScalarValue::List(list) => (list.values().clone(), true),
        other => (other.to_array()?, false),
    };
    let percentages = datafusion::arrow::compute::cast(&percentages, &DataType::Float64)?;
    let percentages: Vec<f64> = percentages.as_primitive::<Float64Type>().iter().map(|p| p.unwrap_or(f64::NAN)).collect();
    if let Some(p) = percentages.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return exec_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] The percentage must be between 0.0 and 1.0, but got {p}.");
    }
    Ok((percentages, many))
}

/// Collects the group's non-null values; answers with the value at each percentage's rank.
#[derive(Debug)]
struct NearestRank {
    values: ArrayAggAccumulator,
    value_type: DataType,
    percentages: Vec<f64>,
    many: bool,
}

impl Accumulator for NearestRank {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.values.update_batch(&values[..1])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.values.merge_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.values.state()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let collected = match self.values.evaluate()? {
            ScalarValue::List(list) if !list.is_null(0) => list.value(0),
            _ => datafusion::arrow::array::new_empty_array(&self.value_type),
        };
        let order = sort_to_indices(&collected, Some(SortOptions::default()), None)?;
        let n = order.len();
        let answers = self
            .percentages
            .iter()
            .map(|p| {
                if n == 0 {
                    return ScalarValue::try_from(&self.value_type);
                }
                // The smallest value whose 1-based rank reaches ceil(p * n).
                let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
                ScalarValue::try_from_array(&collected, order.value(rank - 1) as usize)
            })
            .collect::<Result<Vec<_>>>()?;
        if self.many {
            return Ok(ScalarValue::List(ScalarValue::new_list_nullable(&answers, &self.value_type)));
        }
        match answers.into_iter().next() {
            Some(answer) => Ok(answer),
            None => ScalarValue::try_from(&self.value_type),
        }
    }

    fn size(&self) -> usize {
        self.values.size() + self.percentages.capacity() * size_of::<f64>()
    }
}
