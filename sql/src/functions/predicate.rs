//! Comparisons, logical operators and predicates (Spark's group `predicate_funcs`).

use super::Provider::{DataFusion, Ember, Spark};
use super::{Function, f, scalar, syntax};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("!=", syntax()),
        f("<", syntax()),
        f("<=", syntax()),
        f("<=>", syntax()),
        f("<>", syntax()),
        f("=", syntax()),
        f("==", syntax()),
        f(">", syntax()),
        f(">=", syntax()),
        f("and", syntax()),
        f("equal_null", scalar(Ember, "equal_null")).py("col1, col2"),
        f("ilike", scalar(Spark, "ilike")).py("str, pattern, escapeChar=None"),
        f("in", syntax()),
        f("isnan", scalar(DataFusion, "isnan")).py("col"),
        f("isnotnull", syntax()).py("col"),
        f("isnull", syntax()).py("col"),
        f("like", scalar(Spark, "like")).py("str, pattern, escapeChar=None"),
        f("not", syntax()),
        f("or", syntax()),
        f("regexp", syntax()).py("str, regexp"),
        f("regexp_like", scalar(DataFusion, "regexp_like")).py("str, regexp"),
        f("rlike", syntax()).py("str, regexp"),
    ]
}
