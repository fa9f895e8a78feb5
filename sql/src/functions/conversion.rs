//! Casts and their function forms (Spark's group `conversion_funcs`).

use super::Provider::Ember;
use super::{Function, f, scalar, syntax};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("bigint", scalar(Ember, "bigint")),
        f("binary", scalar(Ember, "binary")),
        f("boolean", scalar(Ember, "boolean")),
        f("cast", syntax()),
        f("date", scalar(Ember, "date")),
        f("double", scalar(Ember, "double")),
        f("float", scalar(Ember, "float")),
        f("int", scalar(Ember, "int")),
        f("smallint", scalar(Ember, "smallint")),
        f("string", scalar(Ember, "string")),
        f("timestamp", scalar(Ember, "timestamp")),
        f("tinyint", scalar(Ember, "tinyint")),
    ]
}
