//! `x.a` in a lambda's body (`transform(items, x -> x.price)`): the field `a` of the lambda's
//! variable `x`. DataFusion reads a dotted name as a column (of a table `x`) before it knows
//! of lambdas; the name is rewritten into a field access on the variable.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{AccessExpr, Expr, LambdaFunction, Value, visit_expressions_mut};

/// Rewrites the dotted names that start with one of the lambda's parameters in its body.
pub fn rewrite(lambda: &mut LambdaFunction) {
    let params: Vec<String> = lambda.params.iter().map(|p| p.name.value.to_ascii_lowercase()).collect();
    let _ = visit_expressions_mut(lambda.body.as_mut(), |e| {
        if let Expr::CompoundIdentifier(ids) = e
            && ids.len() > 1
            && params.contains(&ids[0].value.to_ascii_lowercase())
        {
            let root = Box::new(Expr::Identifier(ids[0].clone()));
            let access_chain =
                ids[1..].iter().map(|id| AccessExpr::Dot(Expr::value(Value::SingleQuotedString(id.value.clone())))).collect();
            *e = Expr::CompoundFieldAccess { root, access_chain };
        }
        ControlFlow::<()>::Continue(())
    });
}
