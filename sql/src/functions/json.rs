//! JSON functions (Spark's group `json_funcs`).

use super::Provider::{Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("get_json_object", scalar(Ember, "get_json_object")).py("col, path:lit"),
        f("json_tuple", scalar(Spark, "json_tuple")).py("col, *fields:lit"),
        f("to_json", scalar(Ember, "to_json")).py("col, options:py=None"),
    ]
}
