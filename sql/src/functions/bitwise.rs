//! Bitwise operators and functions (Spark's group `bitwise_funcs`).

use super::Provider::Spark;
use super::{Function, f, scalar, syntax};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("&", syntax()),
        f("<<", syntax()),
        f(">>", syntax()),
        f(">>>", syntax()),
        f("^", syntax()),
        f("bit_count", scalar(Spark, "bit_count")).py("col"),
        f("bit_get", scalar(Spark, "bit_get")).py("col, pos"),
        f("getbit", scalar(Spark, "getbit")).py("col, pos"),
        f("shiftleft", scalar(Spark, "shiftleft")).py("col, numBits:lit"),
        f("shiftright", scalar(Spark, "shiftright")).py("col, numBits:lit"),
        f("shiftrightunsigned", scalar(Spark, "shiftrightunsigned")).py("col, numBits:lit"),
        f("|", syntax()),
        f("~", syntax()),
    ]
}
