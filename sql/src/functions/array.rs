//! Array functions (Spark's group `array_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("array", scalar(Spark, "array")).py("*cols:py"),
        f("array_append", scalar(DataFusion, "array_append")).py("col, value:lit"),
        f("array_compact", scalar(DataFusion, "array_compact")).py("col"),
        f("array_contains", scalar(Spark, "array_contains")).py("col, value:lit"),
        f("array_distinct", scalar(DataFusion, "array_distinct")).py("col"),
        f("array_except", scalar(DataFusion, "array_except")).py("col1, col2"),
        f("array_insert", scalar(Ember, "array_insert")).py("arr, pos:any, value:lit"),
        f("array_intersect", scalar(DataFusion, "array_intersect")).py("col1, col2"),
        f("array_join", scalar(DataFusion, "array_join")).py("col, delimiter:lit, null_replacement:lit=None"),
        f("array_max", scalar(DataFusion, "array_max")).py("col"),
        f("array_min", scalar(DataFusion, "array_min")).py("col"),
        f("array_position", scalar(DataFusion, "array_position")).py("col, value:lit"),
        f("array_prepend", scalar(DataFusion, "array_prepend")).py("col, value:lit"),
        f("array_remove", scalar(DataFusion, "array_remove")).py("col, element:lit"),
        f("array_repeat", scalar(Spark, "array_repeat")).py("col, count:any"),
        f("array_size", scalar(Ember, "size")).py("col"),
        f("array_union", scalar(DataFusion, "array_union")).py("col1, col2"),
        f("arrays_overlap", scalar(DataFusion, "arrays_overlap")).py("a1, a2"),
        f("arrays_zip", scalar(DataFusion, "arrays_zip")).py("*cols"),
        f("flatten", scalar(DataFusion, "flatten")).py("col"),
        f("get", scalar(Ember, "get")).py("col, index:any"),
        f("sequence", scalar(Ember, "sequence")).py("start, stop, step=None"),
        f("shuffle", scalar(Spark, "shuffle")).py("col, seed:lit=None"),
        f("slice", scalar(Spark, "slice")).py("x, start:any, length:any"),
        f("sort_array", scalar(Ember, "sort_array")).defaults(1, &["true"]).py("col, asc:lit=True"),
    ]
}
