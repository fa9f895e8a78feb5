//! JSON functions (Spark's group `json_funcs`).

use super::Provider::{Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("from_json", scalar(Ember, "from_json")).py("col, schema:py, options:py=None"),
        f("get_json_object", scalar(Ember, "get_json_object")).py("col, path:lit"),
        f("json_array_length", scalar(Ember, "json_array_length")).py("col"),
        f("json_object_keys", scalar(Ember, "json_object_keys")).py("col"),
        f("json_tuple", scalar(Spark, "json_tuple")).py("col, *fields:lit"),
        f("schema_of_json", scalar(Ember, "schema_of_json")).py("json:lit, options:py=None"),
        f("to_json", scalar(Ember, "to_json")).py("col, options:py=None"),
    ]
}
