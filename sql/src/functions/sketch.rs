//! Sketch functions (Spark's group `sketch_funcs`): reading and combining the sketches the
//! sketch aggregates build ([`crate::sketches`]).

use super::Provider::Ember;
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("hll_sketch_estimate", scalar(Ember, "hll_sketch_estimate")).py("col"),
        f("hll_union", scalar(Ember, "hll_union")).defaults(2, &["false"]).py("col1, col2, allowDifferentLgConfigK:lit=None"),
        f("kll_sketch_get_n_bigint", scalar(Ember, "kll_sketch_get_n_bigint")).py("col"),
        f("kll_sketch_get_n_double", scalar(Ember, "kll_sketch_get_n_double")).py("col"),
        f("kll_sketch_get_n_float", scalar(Ember, "kll_sketch_get_n_float")).py("col"),
        f("kll_sketch_get_quantile_bigint", scalar(Ember, "kll_sketch_get_quantile_bigint")).py("sketch, rank"),
        f("kll_sketch_get_quantile_double", scalar(Ember, "kll_sketch_get_quantile_double")).py("sketch, rank"),
        f("kll_sketch_get_quantile_float", scalar(Ember, "kll_sketch_get_quantile_float")).py("sketch, rank"),
        f("kll_sketch_get_rank_bigint", scalar(Ember, "kll_sketch_get_rank_bigint")).py("sketch, quantile"),
        f("kll_sketch_get_rank_double", scalar(Ember, "kll_sketch_get_rank_double")).py("sketch, quantile"),
        f("kll_sketch_get_rank_float", scalar(Ember, "kll_sketch_get_rank_float")).py("sketch, quantile"),
        f("kll_sketch_merge_bigint", scalar(Ember, "kll_sketch_merge_bigint")).py("left, right"),
        f("kll_sketch_merge_double", scalar(Ember, "kll_sketch_merge_double")).py("left, right"),
        f("kll_sketch_merge_float", scalar(Ember, "kll_sketch_merge_float")).py("left, right"),
        f("kll_sketch_to_string_bigint", scalar(Ember, "kll_sketch_to_string_bigint")).py("col"),
        f("kll_sketch_to_string_double", scalar(Ember, "kll_sketch_to_string_double")).py("col"),
        f("kll_sketch_to_string_float", scalar(Ember, "kll_sketch_to_string_float")).py("col"),
        f("theta_difference", scalar(Ember, "theta_difference")).py("col1, col2"),
        f("theta_intersection", scalar(Ember, "theta_intersection")).py("col1, col2"),
        f("theta_sketch_estimate", scalar(Ember, "theta_sketch_estimate")).py("col"),
        f("theta_union", scalar(Ember, "theta_union")).defaults(2, &["12"]).py("col1, col2, lgNomEntries:lit=None"),
        f("tuple_difference_double", scalar(Ember, "tuple_difference_double")).py("col1, col2"),
        f("tuple_difference_integer", scalar(Ember, "tuple_difference_integer")).py("col1, col2"),
        f("tuple_difference_theta_double", scalar(Ember, "tuple_difference_theta_double")).py("col1, col2"),
        f("tuple_difference_theta_integer", scalar(Ember, "tuple_difference_theta_integer")).py("col1, col2"),
        f("tuple_intersection_double", scalar(Ember, "tuple_intersection_double")).defaults(2, &["sum"]).py("col1, col2, mode:lit=None"),
        f("tuple_intersection_integer", scalar(Ember, "tuple_intersection_integer")).defaults(2, &["sum"]).py("col1, col2, mode:lit=None"),
        f("tuple_intersection_theta_double", scalar(Ember, "tuple_intersection_theta_double"))
            .defaults(2, &["sum"])
            .py("col1, col2, mode:lit=None"),
        f("tuple_intersection_theta_integer", scalar(Ember, "tuple_intersection_theta_integer"))
            .defaults(2, &["sum"])
            .py("col1, col2, mode:lit=None"),
        f("tuple_sketch_estimate_double", scalar(Ember, "tuple_sketch_estimate_double")).py("col"),
        f("tuple_sketch_estimate_integer", scalar(Ember, "tuple_sketch_estimate_integer")).py("col"),
        f("tuple_sketch_summary_double", scalar(Ember, "tuple_sketch_summary_double")).defaults(1, &["sum"]).py("col, mode:lit=None"),
        f("tuple_sketch_summary_integer", scalar(Ember, "tuple_sketch_summary_integer")).defaults(1, &["sum"]).py("col, mode:lit=None"),
        f("tuple_sketch_theta_double", scalar(Ember, "tuple_sketch_theta_double")).py("col"),
        f("tuple_sketch_theta_integer", scalar(Ember, "tuple_sketch_theta_integer")).py("col"),
        f("tuple_union_double", scalar(Ember, "tuple_union_double"))
            .defaults(2, &["12", "sum"])
            .py("col1, col2, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_union_integer", scalar(Ember, "tuple_union_integer"))
            .defaults(2, &["12", "sum"])
            .py("col1, col2, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_union_theta_double", scalar(Ember, "tuple_union_theta_double"))
            .defaults(2, &["12", "sum"])
            .py("col1, col2, lgNomEntries:lit=None, mode:lit=None"),
        f("tuple_union_theta_integer", scalar(Ember, "tuple_union_theta_integer"))
            .defaults(2, &["12", "sum"])
            .py("col1, col2, lgNomEntries:lit=None, mode:lit=None"),
    ]
}
