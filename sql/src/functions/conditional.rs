//! Conditional expressions (Spark's group `conditional_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar, syntax};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("between", syntax()),
        f("case", syntax()),
        f("coalesce", scalar(DataFusion, "coalesce")).py("*cols"),
        f("if", scalar(Spark, "if")),
        f("ifnull", scalar(DataFusion, "ifnull")).py("col1, col2"),
        f("nanvl", scalar(DataFusion, "nanvl")).py("col1, col2"),
        f("nullif", scalar(DataFusion, "nullif")).py("col1, col2"),
        f("nullifzero", scalar(Ember, "nullifzero")).py("col"),
        f("nvl", scalar(DataFusion, "nvl")).py("col1, col2"),
        f("nvl2", scalar(DataFusion, "nvl2")).py("col1, col2, col3"),
        f("when", syntax()).py("condition, value:lit"),
        f("zeroifnull", scalar(Ember, "zeroifnull")).py("col"),
    ]
}
