//! URL functions (Spark's group `url_funcs`).

use super::Provider::Spark;
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("parse_url", scalar(Spark, "parse_url")).py("url, partToExtract, key=None"),
        f("try_parse_url", scalar(Spark, "try_parse_url")).py("url, partToExtract, key=None"),
        f("try_url_decode", scalar(Spark, "try_url_decode")).py("str"),
        f("url_decode", scalar(Spark, "url_decode")).py("str"),
        f("url_encode", scalar(Spark, "url_encode")).py("str"),
    ]
}
