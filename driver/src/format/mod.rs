//! Result formatting exactly as Spark prints it: cell values, `show()` tables, schema trees and
//! the tab-separated rows of `spark-sql`.

pub mod schema;
pub mod show;
pub mod value;

pub use schema::tree_string;
pub use show::show_string;
pub use value::{ValueStyle, format_column};
