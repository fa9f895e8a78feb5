//! Spark's timestamp type names where SQL text names a type (`CAST(x AS TIMESTAMP)`,
//! `x::timestamp_ntz`): TIMESTAMP and TIMESTAMP_LTZ are instants, TIMESTAMP_NTZ a wall-clock
//! reading, all in microseconds ([`crate::types::timestamp_type`]). DataFusion alone would plan
//! each as a zoneless nanosecond timestamp, which is neither.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::planner::TypePlanner;
use datafusion::sql::sqlparser::ast::{DataType as SqlType, TimezoneInfo};

use crate::types::{timestamp_ntz_type, timestamp_type};

#[derive(Debug, Default)]
pub struct SparkTypePlanner;

impl TypePlanner for SparkTypePlanner {
    fn plan_type_field(&self, sql_type: &SqlType) -> Result<Option<FieldRef>> {
        let data_type = match sql_type {
            SqlType::Timestamp(None, TimezoneInfo::None) => timestamp_type(),
            SqlType::TimestampNtz(None) => timestamp_ntz_type(),
            SqlType::Custom(name, modifiers) if modifiers.is_empty() && name.to_string().eq_ignore_ascii_case("timestamp_ltz") => {
                timestamp_type()
            }
            SqlType::Custom(name, modifiers) if modifiers.is_empty() && name.to_string().eq_ignore_ascii_case("variant") => {
                crate::variant::variant_type()
            }
            _ => return Ok(None),
        };
        Ok(Some(Arc::new(Field::new("", data_type, true))))
    }
}
