//! Aggregate functions (Spark's group `agg_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, aggregate, f};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("any", aggregate(Ember, "bool_or")),
        f("any_value", aggregate(DataFusion, "any_value")).py("col, ignoreNulls:lit=None"),
        f("approx_count_distinct", aggregate(Ember, "approx_count_distinct")).py("col, rsd:lit=None"),
        f("approx_percentile", aggregate(Ember, "percentile_approx")).py("col, percentage:py, accuracy:lit=10000"),
        f("array_agg", aggregate(DataFusion, "array_agg")).py("col"),
        f("avg", aggregate(Ember, "avg")).py("col"),
        f("bit_and", aggregate(DataFusion, "bit_and")).py("col"),
        f("bit_or", aggregate(DataFusion, "bit_or")).py("col"),
        f("bit_xor", aggregate(DataFusion, "bit_xor")).py("col"),
        f("bitmap_and_agg", aggregate(Ember, "bitmap_and_agg")).py("col"),
        f("bitmap_construct_agg", aggregate(Ember, "bitmap_construct_agg")).py("col"),
        f("bitmap_or_agg", aggregate(Ember, "bitmap_or_agg")).py("col"),
        f("bool_and", aggregate(Ember, "bool_and")).py("col"),
        f("bool_or", aggregate(Ember, "bool_or")).py("col"),
        f("collect_list", aggregate(Spark, "collect_list")).py("col"),
        f("collect_set", aggregate(Spark, "collect_set")).py("col"),
        f("corr", aggregate(DataFusion, "corr")).py("col1, col2"),
        f("count", aggregate(DataFusion, "count")).py("col"),
        f("count_if", aggregate(Ember, "count_if")).py("col"),
        f("covar_pop", aggregate(DataFusion, "covar_pop")).py("col1, col2"),
        f("covar_samp", aggregate(DataFusion, "covar_samp")).py("col1, col2"),
        f("every", aggregate(Ember, "bool_and")).py("col"),
        f("first", aggregate(Ember, "first_value")).py("col, ignorenulls:lit=False"),
        f("first_value", aggregate(Ember, "first_value")).py("col, ignoreNulls:lit=None"),
        f("grouping", aggregate(Ember, "grouping")).py("col"),
        f("grouping_id", aggregate(Ember, "grouping")).py("*cols"),
        f("hll_sketch_agg", aggregate(Ember, "hll_sketch_agg")).defaults(1, &["12"]).py("col, lgConfigK:lit=None"),
        f("hll_union_agg", aggregate(Ember, "hll_union_agg")).defaults(1, &["false"]).py("col, allowDifferentLgConfigK:lit=None"),
        f("kll_merge_agg_bigint", aggregate(Ember, "kll_merge_agg_bigint")).py("col, k:lit=None"),
        f("kll_merge_agg_double", aggregate(Ember, "kll_merge_agg_double")).py("col, k:lit=None"),
        f("kll_merge_agg_float", aggregate(Ember, "kll_merge_agg_float")).py("col, k:lit=None"),
        f("kll_sketch_agg_bigint", aggregate(Ember, "kll_sketch_agg_bigint")).py("col, k:lit=None"),
        f("kll_sketch_agg_double", aggregate(Ember, "kll_sketch_agg_double")).py("col, k:lit=None"),
        f("kll_sketch_agg_float", aggregate(Ember, "kll_sketch_agg_float")).py("col, k:lit=None"),
        f("kurtosis", aggregate(Ember, "kurtosis")).py("col"),
        f("last", aggregate(Ember, "last_value")).py("col, ignorenulls:lit=False"),
        f("last_value", aggregate(Ember, "last_value")).py("col, ignoreNulls:lit=None"),
        f("listagg", aggregate(Ember, "listagg")).defaults(1, &["NULL"]).py("col, delimiter:lit=None"),
        f("max", aggregate(DataFusion, "max")).py("col"),
        f("max_by", aggregate(Ember, "max_by")).py("col, ord, k:lit=None"),
        f("mean", aggregate(Ember, "avg")).py("col"),
        f("median", aggregate(DataFusion, "median")).py("col"),
        f("min", aggregate(DataFusion, "min")).py("col"),
        f("min_by", aggregate(Ember, "min_by")).py("col, ord, k:lit=None"),
        f("mode", aggregate(Ember, "mode")).py("col, deterministic:lit=False"),
        f("percentile", aggregate(Ember, "percentile")).defaults(2, &["1"]).py("col, percentage:lit, frequency:any=1"),
        f("percentile_approx", aggregate(Ember, "percentile_approx")).py("col, percentage:py, accuracy:lit=10000"),
        f("percentile_cont", aggregate(DataFusion, "percentile_cont")),
        f("product", aggregate(Ember, "product")).py("col"),
        f("regr_avgx", aggregate(DataFusion, "regr_avgx")).py("y, x"),
        f("regr_avgy", aggregate(DataFusion, "regr_avgy")).py("y, x"),
        f("regr_count", aggregate(DataFusion, "regr_count")).py("y, x"),
        f("regr_intercept", aggregate(DataFusion, "regr_intercept")).py("y, x"),
        f("regr_r2", aggregate(DataFusion, "regr_r2")).py("y, x"),
        f("regr_slope", aggregate(DataFusion, "regr_slope")).py("y, x"),
        f("regr_sxx", aggregate(DataFusion, "regr_sxx")).py("y, x"),
        f("regr_sxy", aggregate(DataFusion, "regr_sxy")).py("y, x"),
        f("regr_syy", aggregate(DataFusion, "regr_syy")).py("y, x"),
        f("skewness", aggregate(Ember, "skewness")).py("col"),
        f("some", aggregate(Ember, "bool_or")).py("col"),
        f("std", aggregate(DataFusion, "stddev")).py("col"),
        f("stddev", aggregate(DataFusion, "stddev")).py("col"),
        f("stddev_pop", aggregate(DataFusion, "stddev_pop")).py("col"),
        f("stddev_samp", aggregate(DataFusion, "stddev_samp")).py("col"),
        f("string_agg", aggregate(Ember, "string_agg")).defaults(1, &["NULL"]).py("col, delimiter:lit=None"),
        f("sum", aggregate(Ember, "sum")).py("col"),
        f("theta_intersection_agg", aggregate(Ember, "theta_intersection_agg")).py("col"),
        f("theta_sketch_agg", aggregate(Ember, "theta_sketch_agg")).defaults(1, &["12"]).py("col, lgNomEntries:lit=None"),
        f("theta_union_agg", aggregate(Ember, "theta_union_agg")).defaults(1, &["12"]).py("col, lgNomEntries:lit=None"),
        f("try_avg", aggregate(Ember, "try_avg")).py("col"),
        f("try_sum", aggregate(Spark, "try_sum")).py("col"),
        f("tuple_intersection_agg_double", aggregate(Ember, "tuple_intersection_agg_double"))
            .defaults(1, &["sum"])
            .py("col, mode:lit=None"),
        f("tuple_intersection_agg_integer", aggregate(Ember, "tuple_intersection_agg_integer"))
            .defaults(1, &["sum"])
            .py("col, mode:lit=None"),
        f("tuple_sketch_agg_double", aggregate(Ember, "tuple_sketch_agg_double"))
            .defaults(2, &["12", "sum"])
            .py("key, summary, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_sketch_agg_integer", aggregate(Ember, "tuple_sketch_agg_integer"))
            .defaults(2, &["12", "sum"])
            .py("key, summary, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_union_agg_double", aggregate(Ember, "tuple_union_agg_double"))
            .defaults(1, &["12", "sum"])
            .py("col, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_union_agg_integer", aggregate(Ember, "tuple_union_agg_integer"))
            .defaults(1, &["12", "sum"])
            .py("col, lgNomEntries:lit=None, mode:lit=None"),
        f("var_pop", aggregate(DataFusion, "var_pop")).py("col"),
        f("var_samp", aggregate(DataFusion, "var_samp")).py("col"),
        f("variance", aggregate(DataFusion, "var_samp")).py("col"),
    ]
}
