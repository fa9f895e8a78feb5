//! Miscellaneous functions (Spark's group `misc_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("bitmap_bit_position", scalar(Spark, "bitmap_bit_position")).py("col"),
        f("bitmap_bucket_number", scalar(Spark, "bitmap_bucket_number")).py("col"),
        f("bitmap_count", scalar(Spark, "bitmap_count")).py("col"),
        f("current_catalog", scalar(Ember, "current_catalog")).py(""),
        f("current_database", scalar(Ember, "current_database")).py(""),
        f("current_schema", scalar(Ember, "current_schema")).py(""),
        f("input_file_name", scalar(DataFusion, "input_file_name")).py(""),
        f("typeof", scalar(Ember, "typeof")).py("col"),
        f("uuid", scalar(DataFusion, "uuid")),
        f("version", scalar(DataFusion, "version")).py(""),
    ]
}
