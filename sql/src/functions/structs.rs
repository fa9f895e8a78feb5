//! Struct constructors (Spark's group `struct_funcs`).

use super::Provider::{DataFusion, Ember};
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![f("named_struct", scalar(DataFusion, "named_struct")).py("*cols"), f("struct", scalar(Ember, "struct")).py("*cols:py")]
}
