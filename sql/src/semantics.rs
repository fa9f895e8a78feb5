//! Spark semantics DataFusion does not share, applied as an analyzer rule after type coercion.
//!
//! - `/` always divides as double unless an operand is decimal: Spark's `7 / 2` is `3.5`.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{BinaryExpr, Expr, ExprSchemable, LogicalPlan, Operator, cast};
use datafusion::optimizer::AnalyzerRule;

/// Rewrites expressions whose DataFusion meaning differs from Spark's.
#[derive(Debug, Default)]
pub struct SparkSemantics;

impl AnalyzerRule for SparkSemantics {
    fn name(&self) -> &str {
        "spark_semantics"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            let preserver = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = preserver.save(&e);
                let rewritten = e.transform_up(|e| rewrite(e, &schema))?;
                Ok(if rewritten.transformed { rewritten.update_data(|e| saved.restore(e)) } else { rewritten })
            })
        })
        .map(|t| t.data)
    }
}

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    if let Expr::BinaryExpr(BinaryExpr { left, op: Operator::Divide, right }) = &e {
        let (Ok(lt), Ok(rt)) = (left.get_type(schema), right.get_type(schema)) else {
            return Ok(Transformed::no(e));
        };
        if needs_double(&lt) && needs_double(&rt) && !(lt == DataType::Float64 && rt == DataType::Float64) {
            let l = if lt == DataType::Float64 { (**left).clone() } else { cast((**left).clone(), DataType::Float64) };
            let r = if rt == DataType::Float64 { (**right).clone() } else { cast((**right).clone(), DataType::Float64) };
            return Ok(Transformed::yes(Expr::BinaryExpr(BinaryExpr::new(Box::new(l), Operator::Divide, Box::new(r)))));
        }
    }
    Ok(Transformed::no(e))
}

fn needs_double(t: &DataType) -> bool {
    t.is_integer() || t.is_floating() || matches!(t, DataType::Null)
}

/// SQL integer literals are `int` in Spark when they fit (`SELECT 1` is an int column), and
/// `bigint` only when they do not. Runs before type coercion so the narrower type propagates.
#[derive(Debug, Default)]
pub struct SparkLiterals;

impl AnalyzerRule for SparkLiterals {
    fn name(&self) -> &str {
        "spark_literals"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            if !matches!(node, LogicalPlan::Projection(_) | LogicalPlan::Filter(_) | LogicalPlan::Aggregate(_)) {
                return Ok(Transformed::no(node));
            }
            let preserver = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = preserver.save(&e);
                let rewritten = e.transform_up(|e| match e {
                    Expr::Literal(ScalarValue::Int64(Some(v)), meta) if i32::try_from(v).is_ok() => {
                        Ok(Transformed::yes(Expr::Literal(ScalarValue::Int32(Some(v as i32)), meta)))
                    }
                    other => Ok(Transformed::no(other)),
                })?;
                Ok(if rewritten.transformed { rewritten.update_data(|e| saved.restore(e)) } else { rewritten })
            })
        })
        .map(|t| t.data)
    }
}

/// The analyzer rules of an Ember session: Spark literals, DataFusion's own rules, then
/// Spark semantics over the coerced plan.
pub fn analyzer_rules() -> Vec<std::sync::Arc<dyn AnalyzerRule + Send + Sync>> {
    let mut rules: Vec<std::sync::Arc<dyn AnalyzerRule + Send + Sync>> = vec![std::sync::Arc::new(SparkLiterals)];
    rules.extend(datafusion::optimizer::Analyzer::new().rules);
    rules.push(std::sync::Arc::new(SparkSemantics));
    rules
}
