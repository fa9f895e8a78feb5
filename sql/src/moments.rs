//! Spark's `skewness` and `kurtosis` (population skewness and excess kurtosis).
//!
//! The central moments are updated value by value and merged between partial aggregates with
//! the same formulas, in the same order, as Spark's `CentralMomentAgg`, so results agree with
//! Spark to the last digit when the rows are aggregated in the same order. Both are NULL for no
//! rows and for rows that are all equal (Spark 4's non-legacy behaviour).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

/// Which statistic a [`Moments`] aggregate answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Statistic {
    Skewness,
    Kurtosis,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Moments {
    statistic: Statistic,
    signature: Signature,
}

pub fn skewness() -> Arc<AggregateUDF> {
    moments(Statistic::Skewness)
}

pub fn kurtosis() -> Arc<AggregateUDF> {
    moments(Statistic::Kurtosis)
}

fn moments(statistic: Statistic) -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(Moments { statistic, signature: Signature::any(1, Volatility::Immutable) }))
}

const STATE: [&str; 5] = ["n", "avg", "m2", "m3", "m4"];

impl AggregateUDFImpl for Moments {
    fn name(&self) -> &str {
        match self.statistic {
            Statistic::Skewness => "skewness",
            Statistic::Kurtosis => "kurtosis",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(STATE.iter().map(|s| Arc::new(Field::new(format_state_name(args.name, s), DataType::Float64, false))).collect())
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(CentralMoments { statistic: self.statistic, ..CentralMoments::default() }))
    }
}

#[derive(Debug)]
struct CentralMoments {
    statistic: Statistic,
    n: f64,
    avg: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl Default for CentralMoments {
    fn default() -> Self {
        CentralMoments { statistic: Statistic::Skewness, n: 0.0, avg: 0.0, m2: 0.0, m3: 0.0, m4: 0.0 }
    }
}

impl CentralMoments {
    fn add(&mut self, x: f64) {
        let n = self.n + 1.0;
        let delta = x - self.avg;
        let delta_n = delta / n;
        let m2 = self.m2 + delta * (delta - delta_n);
        let delta2 = delta * delta;
        let delta_n2 = delta_n * delta_n;
        let m3 = self.m3 - 3.0 * delta_n * m2 + delta * (delta2 - delta_n2);
        let m4 = self.m4 - 4.0 * delta_n * m3 - 6.0 * delta_n2 * m2 + delta * (delta * delta2 - delta_n * delta_n2);
        (self.n, self.avg, self.m2, self.m3, self.m4) = (n, self.avg + delta_n, m2, m3, m4);
    }

    fn merge(&mut self, [n2, avg2, m2_2, m3_2, m4_2]: [f64; 5]) {
        let n1 = self.n;
        let n = n1 + n2;
        let delta = avg2 - self.avg;
        let delta_n = if n == 0.0 { 0.0 } else { delta / n };
        let m2 = self.m2 + m2_2 + delta * delta_n * n1 * n2;
        let m3 = self.m3 + m3_2 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) + 3.0 * delta_n * (n1 * m2_2 - n2 * self.m2);
        let m4 = self.m4
            + m4_2
            + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2)
            + 6.0 * delta_n * delta_n * (n1 * n1 * m2_2 + n2 * n2 * self.m2)
            + 4.0 * delta_n * (n1 * m3_2 - n2 * self.m3);
        (self.n, self.avg, self.m2, self.m3, self.m4) = (n, self.avg + delta_n * n2, m2, m3, m4);
    }

    fn answer(&self) -> Option<f64> {
        if self.n == 0.0 || self.m2 == 0.0 {
            return None;
        }
        Some(match self.statistic {
            Statistic::Skewness => self.n.sqrt() * self.m3 / (self.m2 * self.m2 * self.m2).sqrt(),
            Statistic::Kurtosis => self.n * self.m4 / (self.m2 * self.m2) - 3.0,
        })
    }
}

impl Accumulator for CentralMoments {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let values = cast(&values[0], &DataType::Float64)?;
        values.as_primitive::<Float64Type>().iter().flatten().for_each(|x| self.add(x));
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let columns: Vec<_> = states.iter().map(|s| s.as_primitive::<Float64Type>()).collect();
        for row in 0..states.first().map_or(0, |s| s.len()) {
            let part = [0, 1, 2, 3, 4].map(|k| columns.get(k).map_or(0.0, |c| c.value(row)));
            self.merge(part);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok([self.n, self.avg, self.m2, self.m3, self.m4].into_iter().map(|v| ScalarValue::Float64(Some(v))).collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(self.answer()))
    }

    fn size(&self) -> usize {
        size_of::<Self>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(statistic: Statistic, xs: &[f64]) -> Option<f64> {
        let mut m = CentralMoments { statistic, ..CentralMoments::default() };
        xs.iter().for_each(|x| m.add(*x));
        m.answer()
    }

    #[test]
    fn as_spark_computes_them() {
        // Expected values from spark-sql 4.
        assert_eq!(run(Statistic::Skewness, &[1.0, 2.0, 3.0, 10.0]), Some(1.0182337649086284));
        assert_eq!(run(Statistic::Kurtosis, &[1.0, 2.0, 3.0, 10.0]), Some(-0.7696000000000001));
        assert_eq!(run(Statistic::Skewness, &[1.5, -2.25, 3.0, 0.5]), Some(-0.4431102501518466));
        assert_eq!(run(Statistic::Kurtosis, &[5.0, 5.0]), None);
        assert_eq!(run(Statistic::Skewness, &[]), None);
    }

    #[test]
    fn merged_parts_agree_with_one_pass() {
        let xs: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.37 - 40.0).collect();
        let whole = run(Statistic::Kurtosis, &xs).unwrap();
        let mut left = CentralMoments { statistic: Statistic::Kurtosis, ..CentralMoments::default() };
        xs[..300].iter().for_each(|x| left.add(*x));
        let mut right = CentralMoments { statistic: Statistic::Kurtosis, ..CentralMoments::default() };
        xs[300..].iter().for_each(|x| right.add(*x));
        left.merge([right.n, right.avg, right.m2, right.m3, right.m4]);
        assert!((left.answer().unwrap() - whole).abs() < 1e-9);
    }
}
