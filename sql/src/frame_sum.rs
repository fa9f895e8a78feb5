//! Spark's `sum` and `avg` of doubles over a window frame that slides
//! (`avg(v) OVER (ORDER BY d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)`): Spark adds up each
//! frame's values afresh, left to right, so a moving sum prints `2.1` where DataFusion's, which
//! subtracts the values leaving the frame from a running total, prints `2.0999999999999996`.
//!
//! [`FrameSum`] keeps the frame's values and adds them up in order when asked, as Spark does.

use std::collections::VecDeque;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, ScalarValue, not_impl_err};
use datafusion::logical_expr::Accumulator;

/// Whether the aggregate answers the sum or the mean of the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Sum,
    Mean,
}

/// Whether a sliding frame of `input` values is summed by [`FrameSum`].
pub fn applies(input: &DataType) -> bool {
    matches!(input, DataType::Float64 | DataType::Float32)
}

#[derive(Debug)]
pub struct FrameSum {
    answer: Answer,
    values: VecDeque<f64>,
}

impl FrameSum {
    pub fn new(answer: Answer) -> Self {
        Self { answer, values: VecDeque::new() }
    }
}

fn doubles(values: &[ArrayRef]) -> Result<Vec<Option<f64>>> {
    let Some(first) = values.first() else {
        return Ok(Vec::new());
    };
    let doubles = cast(first, &DataType::Float64)?;
    Ok(doubles.as_primitive::<Float64Type>().iter().collect())
}

impl Accumulator for FrameSum {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.values.extend(doubles(values)?.into_iter().flatten());
        Ok(())
    }

    /// The values leaving a frame are the oldest ones in it.
    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for _ in doubles(values)?.into_iter().flatten() {
            self.values.pop_front();
        }
        Ok(())
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.values.is_empty() {
            return Ok(ScalarValue::Float64(None));
        }
        let sum = self.values.iter().fold(0.0, |acc, v| acc + v);
        Ok(ScalarValue::Float64(Some(match self.answer {
            Answer::Sum => sum,
            Answer::Mean => sum / self.values.len() as f64,
        })))
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.values.capacity() * size_of::<f64>()
    }

    /// A window frame's accumulator is never merged with another.
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        not_impl_err!("the sum of a sliding window frame has no partial state")
    }

    fn merge_batch(&mut self, _states: &[ArrayRef]) -> Result<()> {
        not_impl_err!("the sum of a sliding window frame has no partial state")
    }
}
