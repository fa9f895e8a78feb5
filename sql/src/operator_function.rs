//! Spark operators that compute what a function computes but are named as operators: `a >>> b`
//! is `shiftrightunsigned(a, b)` named `(a >>> b)`. Each is the function under a name of its
//! own ([`crate::wrapped::renamed`]), so that plans, names and executors tell the two
//! spellings apart.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

/// `a >>> b`: Spark's `shiftrightunsigned`.
pub const SHIFT_RIGHT_UNSIGNED: &str = "__ember_shift_right_unsigned";

/// The operators' functions, registered with the session (not Spark names, so not listed).
pub fn all() -> Vec<Arc<ScalarUDF>> {
    datafusion_spark::all_default_scalar_functions()
        .into_iter()
        .filter(|f| f.name() == "shiftrightunsigned")
        .map(|f| crate::wrapped::renamed(f, SHIFT_RIGHT_UNSIGNED))
        .collect()
}
