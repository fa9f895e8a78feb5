//! Spark's `lag(x, n, d)` and `lead(x, n, d)` with a default `d` that is not a constant
//! (`temp - lag(temp, 1, temp) OVER w`). DataFusion's shift functions take only a literal
//! default, so the window computes the shift without one, and beside it the same shift of
//! `TRUE`: that is NULL exactly where the shifted row lies outside the partition, which is
//! where Spark answers `d`. A projection above the window puts the two together under the
//! column's own name; a NULL value inside the partition stays NULL, as in Spark.

use std::sync::Arc;

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::{NullTreatment, WindowFunction, WindowFunctionParams};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, Projection, Window, WindowFunctionDefinition, cast, col, lit, when};
use datafusion::optimizer::{ApplyOrder, OptimizerConfig, OptimizerRule};

#[derive(Debug, Default)]
pub struct ShiftDefaults;

impl OptimizerRule for ShiftDefaults {
    fn name(&self) -> &str {
        "ember_shift_defaults"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        match plan {
            LogicalPlan::Window(window) if window.window_expr.iter().any(|e| computed_default(e).is_some()) => rewrite(window),
            other => Ok(Transformed::no(other)),
        }
    }
}

/// The shift and its computed default, if `e` is a `lag`/`lead` whose default is not a constant.
fn computed_default(e: &Expr) -> Option<(&WindowFunction, &Expr)> {
    let f = match e {
        Expr::WindowFunction(f) => f,
        Expr::Alias(a) => match a.expr.as_ref() {
            Expr::WindowFunction(f) => f,
            _ => return None,
        },
        _ => return None,
    };
    let WindowFunctionDefinition::WindowUDF(udf) = &f.fun else {
        return None;
    };
    if !matches!(udf.name(), "lag" | "lead") || matches!(f.params.null_treatment, Some(NullTreatment::IgnoreNulls)) {
        return None;
    }
    // A constant default (`0`, `-1`, `CAST(0 AS BIGINT)`) is folded to the literal DataFusion takes.
    let default = f.params.args.get(2)?;
    (!default.column_refs().is_empty()).then_some((f, default))
}

fn shifted(f: &WindowFunction, value: Expr, name: String) -> Expr {
    let mut args = vec![value];
    args.extend(f.params.args.get(1).cloned());
    let params = WindowFunctionParams { args, ..f.params.clone() };
    Expr::WindowFunction(Box::new(WindowFunction { fun: f.fun.clone(), params })).alias(name)
}

fn rewrite(window: Window) -> Result<Transformed<LogicalPlan>> {
    let input_len = window.input.schema().fields().len();
    let mut exprs = Vec::with_capacity(window.window_expr.len() + 1);
    let mut outputs: Vec<Expr> = window.input.schema().columns().into_iter().map(Expr::Column).collect();
    for (i, e) in window.window_expr.iter().enumerate() {
        let (qualifier, field) = window.schema.qualified_field(input_len + i);
        let own = Column::new(qualifier.cloned(), field.name());
        match computed_default(e) {
            Some((f, default)) => {
                let (value, inside) = (format!("__ember_shift_value_{i}"), format!("__ember_shift_inside_{i}"));
                exprs.push(shifted(f, f.params.args[0].clone(), value.clone()));
                exprs.push(shifted(f, lit(true), inside.clone()));
                let default = match default.get_type(window.input.schema()) {
                    Ok(t) if &t == field.data_type() => default.clone(),
                    _ => cast(default.clone(), field.data_type().clone()),
                };
                let answer = when(col(Column::from_name(inside)).is_null(), default).otherwise(col(Column::from_name(value)))?;
                outputs.push(answer.alias_qualified(qualifier.cloned(), field.name()));
            }
            None => {
                exprs.push(e.clone());
                outputs.push(Expr::Column(own));
            }
        }
    }
    let inner = LogicalPlan::Window(Window::try_new(exprs, Arc::clone(&window.input))?);
    Ok(Transformed::yes(LogicalPlan::Projection(Projection::try_new(outputs, Arc::new(inner))?)))
}
