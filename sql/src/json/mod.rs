//! Spark's JSON functions.

pub mod from_json;
pub mod outer;
pub mod path;
pub mod schema_of_json;
pub(crate) mod value;
