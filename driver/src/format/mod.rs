//! Result formatting exactly as Spark prints it: cell values, `show()` tables, schema trees and
//! the tab-separated rows of `spark-sql`.

pub mod schema;
pub mod show;

pub use ember_sql::value_format::{ValueStyle, format_column};
pub use schema::tree_string;
pub use show::show_string;
