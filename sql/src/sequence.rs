//! `sequence(start, stop[, step])`: the array from `start` to `stop` (both included) by `step`,
//! for integers (typed as the wider of the two bounds) and for dates and timestamps (an interval
//! step, a day by default). The default step is 1 (or a day) counting up, -1 counting down; a
//! step that never reaches `stop` is an error, as in Spark.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, IntervalMonthDayNanoType, IntervalUnit, TimeUnit};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Spark's largest array.
const MAX_LENGTH: i64 = i32::MAX as i64 - 15;
const MICROS_PER_DAY: i64 = 86_400_000_000;

#[derive(Debug, PartialEq, Eq, Hash)]
struct Sequence {
    signature: Signature,
}

pub fn sequence() -> Arc<ScalarUDF> {
    let signature = Signature::one_of(
        vec![datafusion::logical_expr::TypeSignature::Any(2), datafusion::logical_expr::TypeSignature::Any(3)],
        Volatility::Immutable,
    );
    Arc::new(ScalarUDF::new_from_impl(Sequence { signature }))
}

fn rank(dt: &DataType) -> Option<u8> {
    match dt {
        DataType::Int8 => Some(1),
        DataType::Int16 => Some(2),
        DataType::Int32 => Some(3),
        DataType::Int64 => Some(4),
        _ => None,
    }
}

fn illegal(start: impl std::fmt::Display, stop: impl std::fmt::Display, step: impl std::fmt::Display) -> DataFusionError {
    DataFusionError::Execution(format!("Illegal sequence boundaries: {start} to {stop} by {step}"))
}

impl ScalarUDFImpl for Sequence {
    fn name(&self) -> &str {
        "sequence"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let element = match (&args[0], &args[1]) {
            (a, b) if rank(a).is_some() && rank(b).is_some() => {
                if rank(a) >= rank(b) {
                    a.clone()
                } else {
                    b.clone()
                }
            }
            (DataType::Date32, DataType::Date32) => DataType::Date32,
            (DataType::Timestamp(_, zone), DataType::Timestamp(..) | DataType::Date32) => {
                DataType::Timestamp(TimeUnit::Microsecond, zone.clone())
            }
            (a, b) => {
                return plan_err!(
                    "[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] Cannot resolve \"sequence\" due to data type mismatch: `sequence` uses \
                     the wrong parameter type. The parameter type must conform to: 1. The start and stop expressions must resolve to the \
                     same type. 2. If start and stop expressions resolve to the \"DATE\" or \"TIMESTAMP\" type then the step expression \
                     must resolve to the \"INTERVAL\" type, otherwise to the same type as the start and stop expressions; got {} and {}. \
                     SQLSTATE: 42K09",
                    crate::types::sql_type(a),
                    crate::types::sql_type(b)
                );
            }
        };
        Ok(DataType::List(Arc::new(Field::new("element", element, true))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
        let DataType::List(field) = args.return_field.data_type() else {
            return exec_err!("sequence returns an array");
        };
        let element = field.data_type().clone();
        let temporal = !element.is_integer();
        let as_micros = |a: &ArrayRef| -> Result<ArrayRef> {
            Ok(match a.data_type() {
                DataType::Date32 => cast(&cast(a, &DataType::Int32)?, &DataType::Int64)?,
                _ => cast(&cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?, &DataType::Int64)?,
            })
        };
        let (starts, stops) = if temporal {
            (as_micros(&arrays[0])?, as_micros(&arrays[1])?)
        } else {
            (cast(&arrays[0], &DataType::Int64)?, cast(&arrays[1], &DataType::Int64)?)
        };
        let (starts, stops) = (starts.as_primitive::<Int64Type>(), stops.as_primitive::<Int64Type>());
        let steps: Option<ArrayRef> = match arrays.get(2) {
            None => None,
            Some(s) if temporal => Some(cast(s, &DataType::Interval(IntervalUnit::MonthDayNano))?),
            Some(s) => Some(cast(s, &DataType::Int64)?),
        };
        let mut values: Vec<i64> = Vec::new();
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        for i in 0..rows {
            let step_null = steps.as_ref().is_some_and(|s| s.is_null(i));
            if starts.is_null(i) || stops.is_null(i) || step_null {
                valid.push(false);
                offsets.push(values.len() as i32);
                continue;
            }
            let (start, stop) = (starts.value(i), stops.value(i));
            if temporal {
                let (months, days, nanos) = match &steps {
                    Some(s) => {
                        let v = s.as_primitive::<IntervalMonthDayNanoType>().value(i);
                        (v.months, v.days, v.nanoseconds)
                    }
                    None => (0, if start <= stop { 1 } else { -1 }, 0),
                };
                dates(element == DataType::Date32, start, stop, (months, days, nanos), &mut values)?;
            } else {
                let step = match &steps {
                    Some(s) => s.as_primitive::<Int64Type>().value(i),
                    None if start <= stop => 1,
                    None => -1,
                };
                if step == 0 || (stop > start && step < 0) || (stop < start && step > 0) {
                    return Err(illegal(start, stop, step));
                }
                let count = (stop - start) / step + 1;
                if count > MAX_LENGTH {
                    return exec_err!(
                        "[COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER] Can't create array with {count} elements which exceeding the array size limit {MAX_LENGTH}"
                    );
                }
                values.extend((0..count).map(|k| start + k * step));
            }
            valid.push(true);
            offsets.push(values.len() as i32);
        }
        let flat: ArrayRef = Arc::new(datafusion::arrow::array::Int64Array::from(values));
        let flat = match &element {
            DataType::Date32 => cast(&cast(&flat, &DataType::Int32)?, &DataType::Date32)?,
            DataType::Timestamp(_, zone) => cast(&flat, &DataType::Timestamp(TimeUnit::Microsecond, None))
                .and_then(|a| cast(&a, &DataType::Timestamp(TimeUnit::Microsecond, zone.clone())))?,
            other => cast(&flat, other)?,
        };
        let nulls = datafusion::arrow::buffer::NullBuffer::from(valid);
        let nulls = (nulls.null_count() > 0).then_some(nulls);
        let list = ListArray::try_new(Arc::clone(field), OffsetBuffer::new(offsets.into()), flat, nulls)?;
        Ok(ColumnarValue::Array(Arc::new(list)))
    }
}

/// Dates (as days) or timestamps (as microseconds) from `start` to `stop` by a calendar step:
/// the k-th element is `start + k × step`, months first as Spark adds them.
fn dates(is_date: bool, start: i64, stop: i64, (months, days, nanos): (i32, i32, i64), out: &mut Vec<i64>) -> Result<()> {
    let micros_step = i64::from(days) * MICROS_PER_DAY + nanos / 1000;
    let unit = if is_date { MICROS_PER_DAY } else { 1 };
    let forward = months > 0 || (months == 0 && micros_step > 0);
    let backward = months < 0 || (months == 0 && micros_step < 0);
    let reaches = match stop.cmp(&start) {
        std::cmp::Ordering::Greater => forward,
        std::cmp::Ordering::Less => backward,
        std::cmp::Ordering::Equal => forward || backward,
    };
    if !reaches {
        return Err(illegal(start, stop, format!("{months} months {days} days {nanos} ns")));
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or_else(|| illegal(start, stop, "step"))?;
    let at = |k: i64| -> Option<i64> {
        let base_micros = start * unit;
        let day = base_micros.div_euclid(MICROS_PER_DAY);
        let time = base_micros.rem_euclid(MICROS_PER_DAY);
        let date = epoch.checked_add_signed(chrono::Duration::days(day))?;
        let total_months = i64::from(months) * k;
        let shifted = if total_months >= 0 {
            date.checked_add_months(Months::new(u32::try_from(total_months).ok()?))?
        } else {
            date.checked_sub_months(Months::new(u32::try_from(-total_months).ok()?))?
        };
        let micros = i64::from(shifted.num_days_from_ce() - epoch.num_days_from_ce()) * MICROS_PER_DAY + time + micros_step * k;
        Some(micros / unit)
    };
    let mut k = 0;
    while let Some(v) = at(k) {
        if (forward && v > stop) || (backward && v < stop) {
            break;
        }
        out.push(v);
        k += 1;
        if k > MAX_LENGTH {
            return exec_err!("[COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER] Can't create array exceeding the array size limit {MAX_LENGTH}");
        }
    }
    Ok(())
}
