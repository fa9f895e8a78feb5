//! Spark's `listagg(expr[, delimiter]) [WITHIN GROUP (ORDER BY key)]` and its alias
//! `string_agg`: the group's non-NULL values as strings joined by the delimiter (none when it
//! is NULL or left out), in the WITHIN GROUP order when given, NULL for a group of NULLs.
//!
//! `WITHIN GROUP (ORDER BY key)` is read as the aggregate's ORDER BY
//! ([`crate::analyzer::syntax`]). It is planned as DataFusion's `string_agg`, which joins strings in an order across partial
//! aggregates: when the plan is simplified ([`AggregateUDFImpl::simplify`]) the call becomes
//! `string_agg(CAST(expr AS STRING), delimiter ORDER BY key)`. The call itself keeps the name
//! Spark gives it until then.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::functions_aggregate::string_agg::string_agg_udaf;
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams};
use datafusion::logical_expr::function::{AccumulatorArgs, AggregateFunctionSimplification};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Cast, Expr, Signature, Volatility, lit};

#[derive(Debug, PartialEq, Eq, Hash)]
struct ListAgg {
    name: &'static str,
    signature: Signature,
}

/// `listagg` and `string_agg`.
pub fn udafs() -> Vec<Arc<AggregateUDF>> {
    ["listagg", "string_agg"]
        .into_iter()
        .map(|name| Arc::new(AggregateUDF::new_from_impl(ListAgg { name, signature: Signature::variadic_any(Volatility::Immutable) })))
        .collect()
}

/// The arguments of a `listagg`/`string_agg` call, for its name; `None` for other functions.
pub fn written_arguments<'a>(name: &str, params: &'a AggregateFunctionParams) -> Option<&'a [Expr]> {
    matches!(name, "listagg" | "string_agg").then_some(params.args.as_slice())
}

impl AggregateUDFImpl for ListAgg {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        // Spark joins binaries into a binary; Ember joins text only, and says so.
        if args.iter().any(|t| matches!(t, DataType::Binary | DataType::LargeBinary | DataType::BinaryView)) {
            return plan_err!("{} of BINARY values is not supported by Ember: cast them to STRING first", self.name);
        }
        // DataFusion's `string_agg` returns large strings.
        Ok(DataType::LargeUtf8)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        plan_err!("{} is computed as string_agg once the plan is simplified", self.name)
    }

    fn simplify(&self) -> Option<AggregateFunctionSimplification> {
        let name = self.name;
        Some(Box::new(move |f: AggregateFunction, _| {
            let params = f.params;
            let args = written_arguments(name, &params).map(<[Expr]>::to_vec).unwrap_or_default();
            let (value, delimiter) = match args.as_slice() {
                [value] => (value.clone(), lit("")),
                [value, delimiter] => {
                    let delimiter = match delimiter {
                        Expr::Literal(v, _) if v.is_null() => lit(""),
                        Expr::Literal(ScalarValue::Utf8(Some(s)), _) => lit(s.clone()),
                        other => Expr::Cast(Cast::new(Box::new(other.clone()), DataType::Utf8)),
                    };
                    (value.clone(), delimiter)
                }
                _ => return plan_err!("{name} takes a value and an optional delimiter"),
            };
            let value = Expr::Cast(Cast::new(Box::new(value), DataType::LargeUtf8));
            // DataFusion's distinct values come in no order of their own: they are joined in
            // value order. Spark joins them in the order first seen (a known difference).
            let order_by =
                if params.distinct && params.order_by.is_empty() { vec![value.clone().sort(true, true)] } else { params.order_by };
            Ok(Expr::AggregateFunction(AggregateFunction::new_udf(
                string_agg_udaf(),
                vec![value, delimiter],
                params.distinct,
                params.filter,
                order_by,
                params.null_treatment,
            )))
        }))
    }
}
