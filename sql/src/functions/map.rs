//! Map functions (Spark's group `map_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("map", scalar(DataFusion, "map")),
        f("map_concat", scalar(Ember, "map_concat")).py("*cols"),
        f("map_contains_key", scalar(Ember, "map_contains_key")).py("col, value:lit"),
        f("map_entries", scalar(DataFusion, "map_entries")).py("col"),
        f("map_from_arrays", scalar(Spark, "map_from_arrays")).py("col1, col2"),
        f("map_from_entries", scalar(Spark, "map_from_entries")).py("col"),
        f("map_keys", scalar(DataFusion, "map_keys")).py("col"),
        f("map_values", scalar(DataFusion, "map_values")).py("col"),
        f("str_to_map", scalar(Spark, "str_to_map")).defaults(1, &[",", ":"]).py("text, pairDelim=None, keyValueDelim=None"),
    ]
}
