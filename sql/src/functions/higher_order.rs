//! Higher-order functions, which take lambdas (Spark's group `lambda_funcs`).

use super::{Function, f, higher_order};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("aggregate", higher_order()).py("col, initialValue, merge:py, finish:py=None"),
        f("array_sort", higher_order()).py("col, comparator:py=None"),
        f("exists", higher_order()).py("col, f:py"),
        f("filter", higher_order()).py("col, f:py"),
        f("forall", higher_order()).py("col, f:py"),
        f("map_filter", higher_order()).py("col, f:py"),
        f("map_zip_with", higher_order()).py("col1, col2, f:py"),
        f("reduce", higher_order()).py("col, initialValue, merge:py, finish:py=None"),
        f("transform", higher_order()).py("col, f:py"),
        f("transform_keys", higher_order()).py("col, f:py"),
        f("transform_values", higher_order()).py("col, f:py"),
        f("zip_with", higher_order()).py("left, right, f:py"),
    ]
}
