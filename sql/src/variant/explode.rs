//! `variant_explode(v)` and `variant_explode_outer(v)` in FROM: one row per element of an array
//! or field of an object (`pos`, `key`, `value`), each value keeping its variant's metadata as
//! Spark's do. A scalar or NULL gives no rows, or one row of NULLs for the outer form.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array, RecordBatch, RecordBatchOptions, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{DFSchema, Result, plan_err};
use datafusion::datasource::MemTable;
use datafusion::execution::context::ExecutionProps;
use datafusion::logical_expr::ColumnarValue;
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::physical_expr::create_physical_expr;

use super::value::Value;
use super::{Column, ColumnBuilder, variant_type};

/// The table function, `outer` for `variant_explode_outer`.
#[derive(Debug)]
pub struct VariantExplode {
    pub outer: bool,
}

impl TableFunctionImpl for VariantExplode {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let name = if self.outer { "variant_explode_outer" } else { "variant_explode" };
        let [input] = args.exprs() else {
            return plan_err!(
                "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{name}` requires 1 parameters but the actual number is {}. SQLSTATE: 42605",
                args.exprs().len()
            );
        };
        // The argument is a constant here (a column needs LATERAL, which this form does not read).
        let physical = create_physical_expr(input, &DFSchema::empty(), &ExecutionProps::new(), &PhysicalPlanningContext::default())
            .map_err(|_| datafusion::error::DataFusionError::Plan(format!("{name}: the argument must be a constant VARIANT expression")))?;
        let one_row =
            RecordBatch::try_new_with_options(Arc::new(Schema::empty()), vec![], &RecordBatchOptions::new().with_row_count(Some(1)))?;
        let value = match physical.evaluate(&one_row)? {
            ColumnarValue::Array(a) => a,
            ColumnarValue::Scalar(s) => s.to_array()?,
        };
        let column = Column::new(&value)?;
        let (mut positions, mut keys, mut values) = (Vec::new(), Vec::new(), ColumnBuilder::new());
        if let Some(v) = column.get(0)? {
            match v.get()? {
                Value::Array(list) => {
                    for i in 0..list.len() {
                        positions.push(Some(i as i32));
                        keys.push(None);
                        values.append(list.get(i)?.bytes()?, v.metadata);
                    }
                }
                Value::Object(object) => {
                    for i in 0..object.len() {
                        let (key, child) = object.field(i)?;
                        positions.push(Some(i as i32));
                        keys.push(Some(key.to_string()));
                        values.append(child.bytes()?, v.metadata);
                    }
                }
                _ => {}
            }
        }
        if positions.is_empty() && self.outer {
            positions.push(None);
            keys.push(None);
            values.append_null();
        }
        let schema = Arc::new(Schema::new(vec![
            Field::new("pos", DataType::Int32, true),
            Field::new("key", DataType::Utf8, true),
            Field::new("value", variant_type(), true),
        ]));
        let columns: Vec<ArrayRef> = vec![Arc::new(Int32Array::from(positions)), Arc::new(StringArray::from(keys)), values.finish()?];
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
        Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
    }
}
