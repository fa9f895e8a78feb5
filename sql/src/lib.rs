//! Spark SQL on DataFusion: Spark's type names and DDL, Spark's generated column names, the
//! Spark dialect's lexical differences, and Spark functions and semantics registered into a
//! DataFusion session.

pub mod analyzer;
pub mod array_or_string;
pub mod binary_cast;
pub mod cast_overflow;
pub mod checked_arithmetic;
pub mod columnar;
pub mod date_interval;
pub mod date_shift;
pub mod date_trunc;
pub mod datetime_cast;
pub mod datetime_fns;
pub mod datetime_format;
pub mod decimal_divide;
pub mod error;
pub mod extract;
pub mod extract_value;
pub mod frame_sum;
pub mod functions;
pub mod inequality_correlation;
pub mod input_order;
pub mod interval_arithmetic;
pub mod interval_literal;
pub mod interval_sum;
pub mod interval_text;
pub mod json;
pub mod lambda;
pub mod lexer;
pub mod like_quantified;
pub mod moments;
pub mod naming;
pub mod operator_function;
pub mod parser;
pub mod percentile;
pub mod query_context;
pub mod scalar_subquery;
pub mod select_subquery;
pub mod semantics;
pub mod shift_default;
pub mod sort_array;
pub mod sort_keys;
pub mod spark_avg;
pub mod spark_struct;
pub mod string_as_double;
pub mod string_locate;
pub mod type_planner;
pub mod typed_literal;
pub mod types;
pub mod udfs;
pub mod utc_shift;
pub mod value_format;
pub mod wrapped;

pub use error::{Result, SqlError};
pub use naming::spark_name;
pub use types::{parse_data_type, parse_ddl_schema, simple_string, type_name};
