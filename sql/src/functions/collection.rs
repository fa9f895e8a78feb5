//! Functions over arrays, maps and strings alike (Spark's group `collection_funcs`).

use super::Provider::{DataFusion, Ember};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("cardinality", scalar(DataFusion, "cardinality")).py("col"),
        f("concat", scalar(Ember, "concat")).py("*cols"),
        f("element_at", scalar(Ember, "element_at")).py("col, extraction:lit"),
        f("reverse", scalar(Ember, "reverse")).py("col"),
        f("size", scalar(Ember, "size")).py("col"),
        f("try_element_at", scalar(Ember, "try_element_at")).py("col, extraction"),
    ]
}
