//! Spark's semantics for parsed SQL, applied to SQL statements and expression strings alike
//! before DataFusion plans them ([`syntax`]: Spark's operators that DataFusion spells
//! differently).

pub mod coercion;
pub mod generators;
pub mod grouping_id;
pub mod lateral_alias;
pub mod missing_field;
pub mod names;
pub mod pivot;
pub mod position;
pub mod rewrite;
pub mod set_operations;
pub mod struct_star;
pub mod syntax;
pub mod tuple_in;
pub mod using_join;
pub mod using_star;
