//! Window functions (Spark's group `window_funcs`).

use super::Provider::DataFusion;
use super::{Function, aggregate, f, window};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("cume_dist", window(DataFusion, "cume_dist")).py(""),
        f("dense_rank", window(DataFusion, "dense_rank")).py(""),
        f("lag", window(DataFusion, "lag")).py("col, offset:lit=1, default:lit=None"),
        f("lead", window(DataFusion, "lead")).py("col, offset:lit=1, default:lit=None"),
        f("nth_value", aggregate(DataFusion, "nth_value")).py("col, offset:lit, ignoreNulls:lit=False"),
        f("ntile", window(DataFusion, "ntile")).py("n:lit"),
        f("percent_rank", window(DataFusion, "percent_rank")).py(""),
        f("rank", window(DataFusion, "rank")).py(""),
        f("row_number", window(DataFusion, "row_number")).py(""),
    ]
}
