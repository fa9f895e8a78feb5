//! Variant functions (Spark's group `variant_funcs`): reading JSON into VARIANT values, reading
//! and editing them by path, and their schemas ([`crate::variant`]).

use super::Provider::Ember;
use super::{Function, aggregate, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("is_valid_variant", scalar(Ember, "is_valid_variant")).py("v"),
        f("is_variant_null", scalar(Ember, "is_variant_null")).py("v"),
        f("parse_json", scalar(Ember, "parse_json")).py("col"),
        f("schema_of_variant", scalar(Ember, "schema_of_variant")).py("v"),
        f("schema_of_variant_agg", aggregate(Ember, "schema_of_variant_agg")).py("v"),
        f("to_variant_object", scalar(Ember, "to_variant_object")).py("col"),
        f("try_parse_json", scalar(Ember, "try_parse_json")).py("col"),
        f("try_variant_array_append", scalar(Ember, "try_variant_array_append")).py("v, path:lit, value"),
        f("try_variant_get", scalar(Ember, "try_variant_get")).py("v, path:lit, targetType:lit"),
        f("try_variant_insert", scalar(Ember, "try_variant_insert")).py("v, path:lit, value"),
        f("try_variant_set", scalar(Ember, "try_variant_set")).defaults(3, &["true"]).py("v, path:lit, value, create_if_missing:lit=True"),
        f("variant_array_append", scalar(Ember, "variant_array_append")).py("v, path:lit, value"),
        f("variant_delete", scalar(Ember, "variant_delete")).py("v, *paths:lit"),
        f("variant_get", scalar(Ember, "variant_get")).py("v, path:lit, targetType:lit"),
        f("variant_insert", scalar(Ember, "variant_insert")).py("v, path:lit, value"),
        f("variant_set", scalar(Ember, "variant_set")).defaults(3, &["true"]).py("v, path:lit, value, create_if_missing:lit=True"),
        f("variant_strip_nulls", scalar(Ember, "variant_strip_nulls")).defaults(1, &["true"]).py("v, include_arrays:lit=True"),
    ]
}
