//! Miscellaneous functions (Spark's group `misc_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("assert_true", scalar(Ember, "assert_true")).py("col, errMsg:lit=None"),
        f("bitmap_bit_position", scalar(Spark, "bitmap_bit_position")).py("col"),
        f("bitmap_bucket_number", scalar(Spark, "bitmap_bucket_number")).py("col"),
        f("bitmap_count", scalar(Spark, "bitmap_count")).py("col"),
        f("current_catalog", scalar(Ember, "current_catalog")).py(""),
        f("current_database", scalar(Ember, "current_database")).py(""),
        f("current_path", scalar(Ember, "current_path")).py(""),
        f("current_schema", scalar(Ember, "current_schema")).py(""),
        f("current_user", scalar(Ember, "current_user")).py(""),
        f("input_file_name", scalar(DataFusion, "input_file_name")).py(""),
        f("raise_error", scalar(Ember, "raise_error")).py("errMsg:lit"),
        f("session_user", scalar(Ember, "session_user")).py(""),
        f("typeof", scalar(Ember, "typeof")).py("col"),
        f("user", scalar(Ember, "user")).py(""),
        f("uuid", scalar(DataFusion, "uuid")),
        f("version", scalar(DataFusion, "version")).py(""),
    ]
}
