//! Spark's numeric aggregates take strings as doubles: `sum(amount)` over a CSV column read as
//! strings is `sum(CAST(amount AS DOUBLE))`, a malformed value failing as Spark's cast does.
//! DataFusion's `sum` and `avg` refuse strings at planning.
//!
//! [`StringAsDouble`] is the aggregate it wraps with one more accepted signature (a string,
//! cast to double by DataFusion's coercion); everything else is the wrapped aggregate's.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::types::{NativeType, logical_float64, logical_string};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams, WindowFunctionParams};
use datafusion::logical_expr::function::{AccumulatorArgs, AggregateFunctionSimplification, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Coercion, Documentation, Expr, GroupsAccumulator, Operator, ReversedUDAF, SetMonotonicity,
    Signature, StatisticsArgs, TypeSignature, TypeSignatureClass,
};

/// `inner`, also accepting a string argument as a double.
pub fn wrap(inner: Arc<AggregateUDF>) -> Arc<AggregateUDF> {
    let string = TypeSignature::Coercible(vec![Coercion::new_implicit(
        TypeSignatureClass::Native(logical_float64()),
        vec![TypeSignatureClass::Native(logical_string())],
        NativeType::Float64,
    )]);
    let signature = inner.signature();
    let variants = match &signature.type_signature {
        TypeSignature::OneOf(variants) => variants.iter().cloned().chain([string]).collect(),
        other => vec![other.clone(), string],
    };
    let signature = Signature::one_of(variants, signature.volatility);
    let inner = Arc::clone(&inner);
    Arc::new(AggregateUDF::new_from_impl(StringAsDouble { inner, signature }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct StringAsDouble {
    inner: Arc<AggregateUDF>,
    signature: Signature,
}

impl AggregateUDFImpl for StringAsDouble {
    fn name(&self) -> &str {
        self.inner.inner().name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.inner().aliases()
    }

    fn schema_name(&self, params: &AggregateFunctionParams) -> Result<String> {
        self.inner.inner().schema_name(params)
    }

    fn human_display(&self, params: &AggregateFunctionParams) -> Result<String> {
        self.inner.inner().human_display(params)
    }

    fn window_function_schema_name(&self, params: &WindowFunctionParams) -> Result<String> {
        self.inner.inner().window_function_schema_name(params)
    }

    fn display_name(&self, params: &AggregateFunctionParams) -> Result<String> {
        self.inner.inner().display_name(params)
    }

    fn window_function_display_name(&self, params: &WindowFunctionParams) -> Result<String> {
        self.inner.inner().window_function_display_name(params)
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.inner().return_type(arg_types)
    }

    fn return_field(&self, arg_fields: &[FieldRef]) -> Result<FieldRef> {
        self.inner.inner().return_field(arg_fields)
    }

    fn is_nullable(&self) -> bool {
        self.inner.inner().is_nullable()
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        self.inner.inner().accumulator(acc_args)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.inner().state_fields(args)
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.inner().groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        self.inner.inner().create_groups_accumulator(args)
    }

    /// A sliding frame of doubles is summed as Spark sums it ([`crate::frame_sum`]).
    fn create_sliding_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let answer = match self.name() {
            "sum" => Some(crate::frame_sum::Answer::Sum),
            "avg" => Some(crate::frame_sum::Answer::Mean),
            _ => None,
        };
        match (answer, args.expr_fields.first()) {
            (Some(answer), Some(input)) if !args.is_distinct && crate::frame_sum::applies(input.data_type()) => {
                Ok(Box::new(crate::frame_sum::FrameSum::new(answer)))
            }
            _ => self.inner.inner().create_sliding_accumulator(args),
        }
    }

    fn with_beneficial_ordering(self: Arc<Self>, beneficial_ordering: bool) -> Result<Option<Arc<dyn AggregateUDFImpl>>> {
        let signature = self.signature.clone();
        Ok(Arc::clone(self.inner.inner()).with_beneficial_ordering(beneficial_ordering)?.map(|inner| {
            let inner = Arc::new(AggregateUDF::new_from_shared_impl(inner));
            Arc::new(StringAsDouble { inner, signature }) as Arc<dyn AggregateUDFImpl>
        }))
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        self.inner.inner().order_sensitivity()
    }

    fn simplify(&self) -> Option<AggregateFunctionSimplification> {
        self.inner.inner().simplify()
    }

    fn simplify_expr_op_literal(
        &self,
        agg_function: &AggregateFunction,
        arg: &Expr,
        op: Operator,
        lit: &Expr,
        arg_is_left: bool,
    ) -> Result<Option<Expr>> {
        self.inner.inner().simplify_expr_op_literal(agg_function, arg, op, lit, arg_is_left)
    }

    fn reverse_expr(&self) -> ReversedUDAF {
        self.inner.inner().reverse_expr()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.inner().coerce_types(arg_types)
    }

    fn is_descending(&self) -> Option<bool> {
        self.inner.inner().is_descending()
    }

    fn value_from_stats(&self, statistics_args: &StatisticsArgs) -> Option<ScalarValue> {
        self.inner.inner().value_from_stats(statistics_args)
    }

    fn default_value(&self, data_type: &DataType) -> Result<ScalarValue> {
        self.inner.inner().default_value(data_type)
    }

    fn supports_null_handling_clause(&self) -> bool {
        self.inner.inner().supports_null_handling_clause()
    }

    fn supports_within_group_clause(&self) -> bool {
        self.inner.inner().supports_within_group_clause()
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.inner.inner().documentation()
    }

    fn set_monotonicity(&self, data_type: &DataType) -> SetMonotonicity {
        self.inner.inner().set_monotonicity(data_type)
    }
}
