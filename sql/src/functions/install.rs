//! Installing Spark's functions into a session: DataFusion's built-ins overlaid with
//! `datafusion-spark`'s Spark-exact versions and Ember's own, then every declared function
//! ([`super::declared`]) under its Spark name.

use std::sync::Arc;

use datafusion::execution::FunctionRegistry;
use datafusion::execution::SessionStateDefaults;
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};

use crate::error::Result;

/// Adds Spark's function implementations to a session state, overriding DataFusion's where
/// names clash.
pub fn install(state: &mut SessionState) -> Result<()> {
    datafusion_spark::register_all(state as &mut dyn FunctionRegistry)?;
    for f in spark_aggregates() {
        state.register_udaf(f)?;
    }
    for f in ember_scalars() {
        state.register_udf(f)?;
    }
    // The `[]` operator's function, which plans and executors find by name; not a Spark name,
    // so not in the catalog.
    state.register_udf(crate::extract_value::item())?;
    // The single value of a correlated scalar subquery (see `scalar_subquery`).
    state.register_udaf(crate::scalar_subquery::single_value())?;
    // Spark's checked integer operators and casts, quantified `LIKE`s and date subtraction, which plans and executors find by name; operators in
    // Spark, so not in the catalog either.
    for f in operator_functions() {
        state.register_udf(f)?;
    }
    // Spark's `array_sort` takes an optional comparator lambda, so it is a higher-order
    // function, which must not be hidden by DataFusion's scalar one.
    let registry = state as &mut dyn FunctionRegistry;
    registry.deregister_udf("array_sort")?;
    registry.deregister_udf("list_sort")?;
    for f in crate::lambda::all() {
        registry.register_higher_order_function(f)?;
    }
    // Spark's names the packages do not answer to (`ucase` for `upper`), as the registry
    // declares them; the others are already the declared functions (the registry picks the
    // implementation the session has under that name, possibly updated for the session's
    // configuration, which must be kept).
    let catalog = super::catalog();
    for (&name, f) in &catalog.scalar {
        if !state.scalar_functions().contains_key(name) {
            let alone =
                if f.name() == name && f.aliases().is_empty() { Arc::clone(f) } else { crate::wrapped::renamed(Arc::clone(f), name) };
            state.register_udf(alone)?;
        }
    }
    for (&name, f) in &catalog.aggregate {
        if !state.aggregate_functions().contains_key(name) {
            state.register_udaf(Arc::clone(f))?;
        }
    }
    for (&name, f) in &catalog.window {
        if !state.window_functions().contains_key(name) {
            state.register_udwf(Arc::clone(f))?;
        }
    }
    Ok(())
}

/// The functions Spark's operators are planned into: checked integer arithmetic and casts,
/// quantified `LIKE`s, interval arithmetic and date subtraction.
fn operator_functions() -> Vec<Arc<ScalarUDF>> {
    let mut all = crate::checked_arithmetic::operators();
    all.extend(crate::like_quantified::all());
    all.extend(crate::cast_overflow::all());
    all.extend(crate::operator_function::all());
    all.extend(crate::interval_arithmetic::all());
    all.extend(crate::interval_sum::all());
    all.push(crate::date_interval::subtract_dates_udf());
    all
}

/// A scalar function plans may name: a declared or engine function, or an operator's.
pub fn find_scalar(name: &str) -> Option<Arc<ScalarUDF>> {
    super::catalog().scalar(name).ok().or_else(|| operator_functions().into_iter().find(|f| f.name() == name))
}

/// The planners of SQL expressions: Spark's ([`crate::analyzer::coercion::SparkExprPlanner`])
/// first, so that its `struct` and operators win, then DataFusion's.
pub fn expr_planners() -> Vec<Arc<dyn datafusion::logical_expr::planner::ExprPlanner>> {
    let mut planners: Vec<Arc<dyn datafusion::logical_expr::planner::ExprPlanner>> =
        vec![Arc::new(crate::analyzer::coercion::SparkExprPlanner)];
    planners.extend(SessionStateDefaults::default_expr_planners());
    planners
}

/// Ember's own scalar functions, which replace datafusion-spark's and DataFusion's by name.
pub fn ember_scalars() -> Vec<Arc<ScalarUDF>> {
    let mut all = crate::udfs::all();
    all.extend(crate::datetime_cast::udfs());
    all.extend(crate::datetime_make::all());
    all.extend(crate::binary_text::all());
    all.extend(crate::vector::all());
    all.extend(crate::user_errors::all());
    all.extend(crate::spark_random::all());
    all.extend(crate::sketches::scalars());
    all.extend(crate::variant::scalars());
    all.extend(crate::number_format::functions::udfs());
    all.extend(crate::epoch_timestamp::all());
    all.extend([
        crate::map_contains_key::map_contains_key(),
        crate::unary_positive::positive(),
        crate::bround::bround(),
        crate::sequence::sequence(),
    ]);
    all.extend([
        crate::conv::conv(),
        crate::sentences::sentences(),
        crate::jaro_winkler::jaro_winkler_similarity(),
        crate::array_insert::array_insert(),
        crate::map_concat::map_concat(),
    ]);
    all.extend(crate::constants::all());
    all.extend(crate::null_functions::all());
    all.extend([
        crate::semantics::spark_divide(),
        crate::semantics::spark_int_divide(),
        crate::date_shift::date_add(),
        crate::date_shift::date_sub(),
        crate::date_shift::add_months(),
        crate::date_shift::trunc(),
        crate::date_shift::next_day(),
        crate::date_shift::last_day(),
        crate::date_shift::weekday(),
        crate::date_shift::monthname(),
        crate::date_trunc::date_trunc(),
        crate::utc_shift::from_utc_timestamp(),
        crate::utc_shift::to_utc_timestamp(),
        crate::spark_struct::spark_struct(),
        crate::extract_value::get(),
        crate::extract_value::element_at(),
        crate::extract_value::try_element_at(),
        crate::sort_array::sort_array(),
        crate::array_or_string::reverse(),
        crate::array_or_string::concat(),
        crate::checked_arithmetic::negative(),
        crate::extract::extract(),
        crate::extract::date_part(),
        crate::extract::datepart(),
    ]);
    all.extend(crate::try_eval::arithmetic());
    all.extend([
        // Spark's `trim(s)` is `btrim(s)` under its own name (Spark names each as written).
        crate::wrapped::renamed(datafusion::functions::string::btrim(), "trim"),
    ]);
    all
}

/// Spark aggregates neither DataFusion nor datafusion-spark provide, and Spark's `avg`
/// (DataFusion's with Spark's rounding) and `sum`, which replace the packages' by name.
pub(super) fn spark_aggregates() -> Vec<Arc<AggregateUDF>> {
    // Spark's `grouping_id(a, b)` is the bit vector DataFusion's `grouping(a, b)` computes.
    let grouping = datafusion::functions_aggregate::grouping::grouping_udaf();
    let grouping = Arc::new(AggregateUDF::clone(&grouping).with_aliases(["grouping_id"]));
    let mut all = vec![crate::percentile::percentile_approx(), crate::moments::skewness(), crate::moments::kurtosis(), grouping];
    all.extend([
        crate::approx_count_distinct::approx_count_distinct(),
        crate::count_if::count_if(),
        crate::extremum_by::max_by(),
        crate::extremum_by::min_by(),
        crate::mode::mode(),
        crate::percentile_exact::percentile(),
        crate::product::product(),
    ]);
    all.extend(crate::bitmap_aggregates::all());
    all.extend(crate::sketches::aggregates());
    all.extend(crate::variant::aggregates());
    all.extend(crate::listagg::udafs());
    // Spark's other names of DataFusion's aggregates: `first`/`last` (nulls kept unless told),
    // `every` for `bool_and`, `some`/`any` for `bool_or`.
    use datafusion::functions_aggregate::{bool_and_or, first_last};
    let renamed = [
        (first_last::first_value_udaf(), &["first"][..]),
        (first_last::last_value_udaf(), &["last"][..]),
        (bool_and_or::bool_and_udaf(), &["every"][..]),
        (bool_and_or::bool_or_udaf(), &["some", "any"][..]),
    ];
    all.extend(renamed.into_iter().map(|(f, names)| Arc::new(AggregateUDF::clone(&f).with_aliases(names.iter().copied()))));
    // Spark's `sum` and `avg` take strings as doubles.
    let sum = SessionStateDefaults::default_aggregate_functions().into_iter().find(|f| f.name() == "sum");
    all.extend(sum.into_iter().chain(crate::spark_avg::avg()).chain(crate::spark_avg::try_avg()).map(crate::string_as_double::wrap));
    all
}
