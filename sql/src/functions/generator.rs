//! Generators: functions that return rows (Spark's group `generator_funcs`).

use super::{Function, f, generator};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("explode", generator()).py("col"),
        f("explode_outer", generator()).py("col"),
        f("inline", generator()).py("col"),
        f("inline_outer", generator()).py("col"),
        f("posexplode", generator()).py("col"),
        f("posexplode_outer", generator()).py("col"),
        f("stack", generator()).py("*cols"),
    ]
}
