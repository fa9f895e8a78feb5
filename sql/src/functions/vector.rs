//! Functions of vectors, arrays of floats (Spark's group `vector_funcs`).

use super::Provider::Ember;
use super::{Function, f, scalar};

pub(super) fn functions() -> Vec<Function> {
    vec![
        f("vector_cosine_similarity", scalar(Ember, "vector_cosine_similarity")).py("left, right"),
        f("vector_inner_product", scalar(Ember, "vector_inner_product")).py("left, right"),
        f("vector_l2_distance", scalar(Ember, "vector_l2_distance")).py("left, right"),
        f("vector_norm", scalar(Ember, "vector_norm")).py("vector, degree=None"),
        f("vector_normalize", scalar(Ember, "vector_normalize")).py("vector, degree=None"),
    ]
}
