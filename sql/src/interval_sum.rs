//! `interval ± interval` as Spark types it: two year-month intervals or two day-time intervals
//! add up to the interval spanning both's fields (`INTERVAL '1' DAY + INTERVAL '1' HOUR` is an
//! `interval day to hour`); a year-month interval and a day-time one do not add up, with
//! Spark's errors. DataFusion adds any two intervals and forgets the fields, which Ember keeps
//! in the field's [`SPARK_TYPE`].

use std::sync::{Arc, LazyLock};

use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, IntervalUnit};
use datafusion::common::{DFSchema, Result, exec_err, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ExprSchemable, Operator, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::interval_literal::SPARK_TYPE;

/// `interval + interval`.
pub const INTERVAL_PLUS: &str = "__ember_interval_plus";
/// `interval - interval`.
pub const INTERVAL_MINUS: &str = "__ember_interval_minus";

const YEAR_MONTH: [&str; 2] = ["year", "month"];
const DAY_TIME: [&str; 4] = ["day", "hour", "minute", "second"];

/// An interval's Spark type as its family's fields, first to last (`interval day to hour` is
/// day-time from 0 to 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields {
    year_month: bool,
    start: usize,
    end: usize,
}

impl Fields {
    fn parse(type_name: &str) -> Option<Self> {
        let words: Vec<&str> = type_name.strip_prefix("interval ")?.split(" to ").collect();
        let year_month = YEAR_MONTH.contains(&words[0]);
        let family: &[&str] = if year_month { &YEAR_MONTH } else { &DAY_TIME };
        let at = |w: &str| family.iter().position(|f| *f == w);
        let start = at(words[0])?;
        let end = match words.get(1) {
            Some(w) => at(w)?,
            None => start,
        };
        Some(Self { year_month, start, end })
    }

    fn union(self, other: Self) -> Self {
        Self { year_month: self.year_month, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    fn type_name(self) -> String {
        let family: &[&str] = if self.year_month { &YEAR_MONTH } else { &DAY_TIME };
        if self.start == self.end {
            format!("interval {}", family[self.start])
        } else {
            format!("interval {} to {}", family[self.start], family[self.end])
        }
    }
}

/// The Spark type of an interval operand; `None` for anything but a typed interval.
fn spark_type(e: &Expr, schema: &DFSchema) -> Option<String> {
    let (_, field) = e.to_field(schema).ok()?;
    if field.data_type() != &DataType::Interval(IntervalUnit::MonthDayNano) {
        return None;
    }
    field.metadata().get(SPARK_TYPE).cloned()
}

/// `left ± right` of two typed intervals, or Spark's error for a year-month and a day-time
/// one; `None` when either side is no typed interval.
pub fn plan(left: &Expr, op: Operator, right: &Expr, schema: &DFSchema) -> Result<Option<Expr>> {
    if !matches!(op, Operator::Plus | Operator::Minus) {
        return Ok(None);
    }
    let (Some(lt), Some(rt)) = (spark_type(left, schema), spark_type(right, schema)) else {
        return Ok(None);
    };
    let (Some(lf), Some(rf)) = (Fields::parse(&lt), Fields::parse(&rt)) else {
        return Ok(None);
    };
    if lf.year_month == rf.year_month {
        let udf = if op == Operator::Minus { &UDFS.1 } else { &UDFS.0 };
        return Ok(Some(Expr::ScalarFunction(ScalarFunction::new_udf(Arc::clone(udf), vec![left.clone(), right.clone()]))));
    }
    let name = crate::naming::spark_name;
    if op == Operator::Minus && !lf.year_month {
        return plan_err!(
            "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"({} - {})\" due to data type mismatch: the left and right operands of the binary operator have incompatible types (\"{}\" and \"{}\"). SQLSTATE: 42K09",
            name(left),
            name(right),
            lt.to_uppercase(),
            rt.to_uppercase()
        );
    }
    // Spark reads these as a timestamp shifted by the year-month interval, which it is not.
    let (shown, year_month, ym_type) = match op {
        Operator::Minus => (format!("{} + (- {})", name(left), name(right)), name(left), &lt),
        _ if lf.year_month => (format!("{} + {}", name(left), name(right)), name(left), &lt),
        _ => (format!("{} + {}", name(right), name(left)), name(right), &rt),
    };
    plan_err!(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{shown}\" due to data type mismatch: The first parameter requires the (\"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\" or \"(TIMESTAMP_LTZ(P) OR TIMESTAMP_NTZ(P) WITH P IN [7, 9])\") type, however \"{year_month}\" has the type \"{}\". SQLSTATE: 42K09",
        ym_type.to_uppercase()
    )
}

/// `interval ± interval` of one family, typed as the union of both's fields.
#[derive(Debug, PartialEq, Eq, Hash)]
struct IntervalSum {
    minus: bool,
    signature: Signature,
}

impl ScalarUDFImpl for IntervalSum {
    fn name(&self) -> &str {
        if self.minus { INTERVAL_MINUS } else { INTERVAL_PLUS }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let fields: Vec<Fields> =
            args.arg_fields.iter().filter_map(|f| f.metadata().get(SPARK_TYPE)).filter_map(|t| Fields::parse(t)).collect();
        let type_name = match fields.as_slice() {
            [a, b] => a.union(*b).type_name(),
            _ => "interval day to second".to_string(),
        };
        let nullable = args.arg_fields.iter().any(|f| f.is_nullable());
        let field = Field::new(self.name(), DataType::Interval(IntervalUnit::MonthDayNano), nullable);
        Ok(Arc::new(field.with_metadata([(SPARK_TYPE.to_string(), type_name)].into())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [left, right] = args.args.as_slice() else {
            return exec_err!("{} takes two intervals", self.name());
        };
        let scalar = crate::columnar::all_scalar(&args.args);
        let (left, right) = (left.to_array(args.number_rows)?, right.to_array(args.number_rows)?);
        let sum = if self.minus { numeric::sub(&left, &right)? } else { numeric::add(&left, &right)? };
        crate::columnar::answer(sum, scalar)
    }
}

static UDFS: LazyLock<(Arc<ScalarUDF>, Arc<ScalarUDF>)> = LazyLock::new(|| {
    let udf = |minus| Arc::new(ScalarUDF::new_from_impl(IntervalSum { minus, signature: Signature::any(2, Volatility::Immutable) }));
    (udf(false), udf(true))
});

/// The two functions, which plans and executors find by name (operators in Spark, so not in
/// the function catalog).
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::clone(&UDFS.0), Arc::clone(&UDFS.1)]
}

#[cfg(test)]
mod tests {
    use super::Fields;

    #[test]
    fn unions_of_fields() {
        let union = |a: &str, b: &str| Fields::parse(a).and_then(|a| Fields::parse(b).map(|b| a.union(b).type_name()));
        assert_eq!(union("interval day", "interval hour").as_deref(), Some("interval day to hour"));
        assert_eq!(union("interval year", "interval month").as_deref(), Some("interval year to month"));
        assert_eq!(union("interval day", "interval day").as_deref(), Some("interval day"));
        assert_eq!(union("interval minute to second", "interval hour").as_deref(), Some("interval hour to second"));
    }
}
