//! Spark's semantics for parsed SQL, applied to SQL statements and expression strings alike
//! before DataFusion plans them ([`syntax`]: Spark's operators that DataFusion spells
//! differently).

pub mod position;
pub mod syntax;
