//! Hash functions (Spark's group `hash_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("crc32", scalar(Spark, "crc32")).py("col"),
        f("hash", scalar(Ember, "hash")).py("*cols"),
        f("md5", scalar(DataFusion, "md5")).py("col"),
        f("sha", scalar(Spark, "sha")).py("col"),
        f("sha1", scalar(Spark, "sha1")).py("col"),
        f("sha2", scalar(Spark, "sha2")).py("col, numBits:lit"),
        f("xxhash64", scalar(Spark, "xxhash64")).py("*cols"),
    ]
}
