//! Correlated scalar subqueries that are not aggregated (`(SELECT name FROM dept d WHERE
//! d.id = e.dept_id)`), which Spark 4 runs (a join that fails at run time when a row finds
//! more than one value) and DataFusion refuses at planning.
//!
//! Such a subquery is wrapped in an aggregate of its one column that answers the single value
//! and raises Spark's `SCALAR_SUBQUERY_TOO_MANY_ROWS` when a second row arrives: DataFusion then
//! decorrelates it as any aggregated scalar subquery (grouped by the correlated columns, NULL
//! where no row matches), and the error fires only where Spark's would.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Expr, LogicalPlan, LogicalPlanBuilder, Signature, Subquery, Volatility,
};

/// Spark's error when a scalar subquery answers more than one row.
pub const TOO_MANY_ROWS: &str =
    "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as an expression. SQLSTATE: 21000";

/// The aggregate's name, which plans and executors find it by; not a Spark function.
pub const NAME: &str = "__ember_scalar_subquery_value";

/// Wraps every correlated scalar subquery of `plan` (at any depth) that DataFusion would refuse
/// as not aggregated.
pub fn aggregate_correlated(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        node.map_expressions(|e| {
            e.transform_up(|e| match e {
                Expr::ScalarSubquery(subquery) if needs_aggregate(&subquery) => {
                    Ok(Transformed::yes(Expr::ScalarSubquery(single_valued(subquery)?)))
                }
                other => Ok(Transformed::no(other)),
            })
        })
    })
    .map(|t| t.data)
}

/// Correlated, one column, and neither aggregated nor known to give at most one row.
fn needs_aggregate(subquery: &Subquery) -> bool {
    if subquery.outer_ref_columns.is_empty() || subquery.subquery.schema().fields().len() != 1 {
        return false;
    }
    let mut inner = subquery.subquery.as_ref();
    while let LogicalPlan::Projection(p) = inner {
        inner = p.input.as_ref();
    }
    while let LogicalPlan::SubqueryAlias(a) = inner {
        inner = a.input.as_ref();
    }
    let aggregated = match inner {
        LogicalPlan::Aggregate(a) => !a.aggr_expr.is_empty(),
        LogicalPlan::Filter(f) => matches!(f.input.as_ref(), LogicalPlan::Aggregate(a) if !a.aggr_expr.is_empty()),
        _ => false,
    };
    !aggregated && subquery.subquery.max_rows().is_none_or(|n| n > 1)
}

/// `subquery` as `SELECT single_value(c) AS c FROM (subquery)`, its column's name kept.
fn single_valued(subquery: Subquery) -> Result<Subquery> {
    let plan = Arc::unwrap_or_clone(subquery.subquery);
    let (qualifier, field) = plan.schema().qualified_field(0);
    let column = Expr::Column(datafusion::common::Column::new(qualifier.cloned(), field.name()));
    let name = field.name().clone();
    let value = Expr::AggregateFunction(AggregateFunction {
        func: single_value(),
        params: AggregateFunctionParams { args: vec![column], distinct: false, filter: None, order_by: vec![], null_treatment: None },
    });
    let wrapped = LogicalPlanBuilder::from(plan).aggregate(Vec::<Expr>::new(), vec![value.alias(name)])?.build()?;
    Ok(Subquery { subquery: Arc::new(wrapped), ..subquery })
}

/// The aggregate [`aggregate_correlated`] wraps subqueries in.
pub fn single_value() -> Arc<AggregateUDF> {
    Arc::new(AggregateUDF::new_from_impl(SingleValue { signature: Signature::any(1, Volatility::Immutable) }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SingleValue {
    signature: Signature,
}

impl AggregateUDFImpl for SingleValue {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value = args.input_fields.first().map_or(DataType::Null, |f| f.data_type().clone());
        Ok(vec![
            Arc::new(Field::new(format_state_name(args.name, "value"), value, true)),
            Arc::new(Field::new(format_state_name(args.name, "rows"), DataType::Int64, false)),
        ])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SingleValueAccumulator { value: ScalarValue::try_from(args.return_field.data_type())?, rows: 0 }))
    }
}

#[derive(Debug)]
struct SingleValueAccumulator {
    value: ScalarValue,
    rows: i64,
}

impl SingleValueAccumulator {
    /// Counts `rows` more rows, the first of which (if this is the first) is `first`.
    fn add(&mut self, rows: i64, first: impl FnOnce() -> Result<ScalarValue>) -> Result<()> {
        if rows == 0 {
            return Ok(());
        }
        if self.rows == 0 {
            self.value = first()?;
        }
        self.rows += rows;
        if self.rows > 1 {
            return exec_err!("{TOO_MANY_ROWS}");
        }
        Ok(())
    }
}

impl Accumulator for SingleValueAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(values) = values.first() else { return Ok(()) };
        self.add(i64::try_from(values.len()).unwrap_or(i64::MAX), || ScalarValue::try_from_array(values, 0))
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (Some(values), Some(rows)) = (states.first(), states.get(1)) else { return Ok(()) };
        for row in 0..rows.len() {
            let n = match ScalarValue::try_from_array(rows, row)? {
                ScalarValue::Int64(Some(n)) => n,
                _ => 0,
            };
            self.add(n, || ScalarValue::try_from_array(values, row))?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), ScalarValue::Int64(Some(self.rows))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        size_of::<Self>() + self.value.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;

    #[test]
    fn one_row_is_its_value_and_two_are_an_error() {
        let mut acc = SingleValueAccumulator { value: ScalarValue::Int32(None), rows: 0 };
        acc.update_batch(&[Arc::new(Int32Array::from(Vec::<i32>::new()))]).unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Int32(None));
        acc.update_batch(&[Arc::new(Int32Array::from(vec![7]))]).unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Int32(Some(7)));
        let err = acc.update_batch(&[Arc::new(Int32Array::from(vec![8]))]).unwrap_err();
        assert!(err.to_string().contains("[SCALAR_SUBQUERY_TOO_MANY_ROWS]"), "{err}");
    }
}
