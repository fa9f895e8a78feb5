//! Ember's driver: sessions, configuration, the catalog of temporary views, the DataFrame API,
//! SQL statements, readers and writers, and Spark-exact result formatting.

pub mod cache;
pub mod catalog;
pub mod cluster;
pub mod column;
pub mod command;
pub mod config;
pub mod conform;
pub mod dataframe;
pub mod error;
pub mod explain;
pub mod format;
pub mod generator;
pub mod local;
pub mod range;
pub mod read;
pub mod resolve;
pub mod session;
pub mod spark_sql;
pub mod sql_cli;
pub mod sql_commands;
pub mod submit;
pub mod subquery;
pub mod write;

pub use config::{Conf, Master};
pub use dataframe::{DataFrame, JoinOn};
pub use error::{DriverError, Result, UserCodeError};
pub use session::Session;
