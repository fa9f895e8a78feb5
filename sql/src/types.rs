//! Spark's names for Arrow types, and Spark's DDL type syntax.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema, TimeUnit};

use crate::error::{Result, SqlError};

/// The zone of Spark's TIMESTAMP values: an instant is kept as microseconds since the epoch in
/// UTC, and shown in the session time zone (Ember's is UTC).
pub const UTC: &str = "UTC";

/// Spark's TIMESTAMP (`TIMESTAMP_LTZ`): an instant. Arrow's zoned timestamp is the same thing, and
/// Parquet files written with `isAdjustedToUTC` (as Spark writes TIMESTAMP) read back as it.
pub fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into()))
}

/// Spark's TIMESTAMP_NTZ: a wall-clock reading with no zone, Arrow's zoneless timestamp.
pub fn timestamp_ntz_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

/// Spark's `simpleString`: the name used in `DataFrame[...]`, `dtypes` and DDL.
pub fn simple_string(dt: &DataType) -> String {
    match dt {
        _ if crate::variant::is_variant(dt) => "variant".into(),
        DataType::Null => "void".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Int8 | DataType::UInt8 => "tinyint".into(),
        DataType::Int16 | DataType::UInt16 => "smallint".into(),
        DataType::Int32 | DataType::UInt32 => "int".into(),
        DataType::Int64 | DataType::UInt64 => "bigint".into(),
        DataType::Float16 | DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => "binary".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, Some(_)) => "timestamp".into(),
        DataType::Timestamp(_, None) => "timestamp_ntz".into(),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            format!("decimal({p},{s})")
        }
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("array<{}>", simple_string(f.data_type()))
        }
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields.iter().map(|f| format!("{}:{}", f.name(), simple_string(f.data_type()))).collect();
            format!("struct<{}>", inner.join(","))
        }
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", simple_string(kv[0].data_type()), simple_string(kv[1].data_type()))
            }
            _ => "map".into(),
        },
        DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::YearMonth) => "interval year to month".into(),
        DataType::Interval(_) | DataType::Duration(_) => "interval day to second".into(),
        DataType::Dictionary(_, v) => simple_string(v),
        other => other.to_string().to_lowercase(),
    }
}

/// Spark's SQL spelling of a type in error messages (`toSQLType`): `INT`, `ARRAY<STRING>`,
/// `STRUCT<w: INT, h: INT NOT NULL>`, `MAP<STRING, INT>`.
pub fn sql_type(dt: &DataType) -> String {
    match dt {
        _ if crate::variant::is_variant(dt) => "VARIANT".into(),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("ARRAY<{}>", sql_type(f.data_type()))
        }
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}{}", f.name(), sql_type(f.data_type()), if f.is_nullable() { "" } else { " NOT NULL" }))
                .collect();
            format!("STRUCT<{}>", inner.join(", "))
        }
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => format!("MAP<{}, {}>", sql_type(kv[0].data_type()), sql_type(kv[1].data_type())),
            _ => "MAP".into(),
        },
        DataType::Dictionary(_, v) => sql_type(v),
        other => simple_string(other).to_uppercase(),
    }
}

/// Spark's `typeName`: the word `printSchema` shows (`integer`, `long`, `array`, ...).
pub fn type_name(dt: &DataType) -> String {
    match dt {
        DataType::Int8 | DataType::UInt8 => "byte".into(),
        DataType::Int16 | DataType::UInt16 => "short".into(),
        DataType::Int32 | DataType::UInt32 => "integer".into(),
        DataType::Int64 | DataType::UInt64 => "long".into(),
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) | DataType::FixedSizeList(_, _) => "array".into(),
        _ if crate::variant::is_variant(dt) => "variant".into(),
        DataType::Struct(_) => "struct".into(),
        DataType::Map(_, _) => "map".into(),
        DataType::Dictionary(_, v) => type_name(v),
        other => simple_string(other),
    }
}

/// Parses a Spark type name (`int`, `bigint`, `decimal(10,2)`, `array<string>`, ...).
pub fn parse_data_type(text: &str) -> Result<DataType> {
    let mut p = Parser { s: text.trim(), pos: 0 };
    let dt = p.data_type()?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.error("end of type"));
    }
    Ok(dt)
}

/// Parses a DDL schema (`a INT, b STRING NOT NULL` or `struct<a:int,b:string>`).
pub fn parse_ddl_schema(text: &str) -> Result<Schema> {
    let trimmed = text.trim();
    if trimmed.to_ascii_lowercase().starts_with("struct<")
        && let DataType::Struct(fields) = parse_data_type(trimmed)?
    {
        return Ok(Schema::new(fields));
    }
    let mut p = Parser { s: trimmed, pos: 0 };
    let fields = p.field_list(None)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.error("',' or end of schema"));
    }
    Ok(Schema::new(fields))
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, expected: &str) -> SqlError {
        SqlError::Parse {
            message: format!(
                "[PARSE_SYNTAX_ERROR] Syntax error at or near '{}': expected {expected} in type string \"{}\"",
                self.s[self.pos..].chars().take(10).collect::<String>(),
                self.s
            ),
            position: Some(self.pos),
        }
    }

    fn skip_ws(&mut self) {
        while self.s[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.s[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.s[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<()> {
        if self.eat(c) { Ok(()) } else { Err(self.error(&format!("'{c}'"))) }
    }

    fn ident(&mut self) -> Result<String> {
        self.skip_ws();
        let rest = &self.s[self.pos..];
        if let Some(stripped) = rest.strip_prefix('`') {
            let end = stripped.find('`').ok_or_else(|| self.error("closing '`'"))?;
            self.pos += end + 2;
            return Ok(stripped[..end].to_string());
        }
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if len == 0 {
            return Err(self.error("a name"));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    fn number(&mut self) -> Result<u8> {
        self.skip_ws();
        let rest = &self.s[self.pos..];
        let len = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n = rest[..len].parse::<u8>().map_err(|_| self.error("a number"))?;
        self.pos += len;
        Ok(n)
    }

    fn field_list(&mut self, close: Option<char>) -> Result<Vec<Field>> {
        let mut fields = Vec::new();
        loop {
            self.skip_ws();
            if close.is_some_and(|c| self.s[self.pos..].starts_with(c)) || self.pos == self.s.len() {
                break;
            }
            let name = self.ident()?;
            // `name: type` inside struct<>, `name type` in DDL; both are accepted everywhere.
            self.eat(':');
            let dt = self.data_type()?;
            self.skip_ws();
            let mut nullable = true;
            let upper = self.s[self.pos..].to_ascii_uppercase();
            if upper.starts_with("NOT NULL") {
                nullable = false;
                self.pos += "NOT NULL".len();
            }
            self.skip_ws();
            if self.s[self.pos..].to_ascii_uppercase().starts_with("COMMENT") {
                self.pos += "COMMENT".len();
                self.skip_ws();
                let rest = &self.s[self.pos..];
                let quote = rest.chars().next().ok_or_else(|| self.error("a comment string"))?;
                let end = rest[1..].find(quote).ok_or_else(|| self.error("end of comment"))?;
                self.pos += end + 2;
            }
            fields.push(Field::new(name, dt, nullable));
            if !self.eat(',') {
                break;
            }
        }
        Ok(fields)
    }

    fn data_type(&mut self) -> Result<DataType> {
        let name = self.ident()?.to_ascii_lowercase();
        Ok(match name.as_str() {
            "boolean" | "bool" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Int8,
            "smallint" | "short" => DataType::Int16,
            "int" | "integer" => DataType::Int32,
            "bigint" | "long" => DataType::Int64,
            "float" | "real" => DataType::Float32,
            "double" => DataType::Float64,
            "string" | "varchar" | "char" | "text" => {
                if self.eat('(') {
                    self.number()?;
                    self.expect(')')?;
                }
                DataType::Utf8
            }
            "binary" => DataType::Binary,
            "date" => DataType::Date32,
            "timestamp" | "timestamp_ltz" => timestamp_type(),
            "timestamp_ntz" => timestamp_ntz_type(),
            "void" | "null" => DataType::Null,
            "variant" => crate::variant::variant_type(),
            "decimal" | "dec" | "numeric" => {
                if self.eat('(') {
                    let p = self.number()?;
                    let s = if self.eat(',') { self.number()? } else { 0 };
                    self.expect(')')?;
                    DataType::Decimal128(p, s as i8)
                } else {
                    DataType::Decimal128(10, 0)
                }
            }
            "array" => {
                self.expect('<')?;
                let inner = self.data_type()?;
                self.expect('>')?;
                DataType::List(Arc::new(Field::new("element", inner, true)))
            }
            "map" => {
                self.expect('<')?;
                let k = self.data_type()?;
                self.expect(',')?;
                let v = self.data_type()?;
                self.expect('>')?;
                let entries = Field::new(
                    "entries",
                    DataType::Struct(Fields::from(vec![Field::new("key", k, false), Field::new("value", v, true)])),
                    false,
                );
                DataType::Map(Arc::new(entries), false)
            }
            "struct" => {
                self.expect('<')?;
                let fields = self.field_list(Some('>'))?;
                self.expect('>')?;
                DataType::Struct(Fields::from(fields))
            }
            other => {
                return Err(SqlError::Parse {
                    message: format!("[UNSUPPORTED_DATATYPE] Unsupported data type \"{}\".", other.to_uppercase()),
                    position: Some(self.pos),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_round_trips_through_simple_string() {
        let schema = parse_ddl_schema("a INT, b string, c decimal(10,2), d array<bigint>, e struct<x:int,y:string>").unwrap();
        let names: Vec<String> = schema.fields().iter().map(|f| simple_string(f.data_type())).collect();
        assert_eq!(names, ["int", "string", "decimal(10,2)", "array<bigint>", "struct<x:int,y:string>"]);
        assert_eq!(type_name(schema.field(0).data_type()), "integer");
    }

    #[test]
    fn bad_type_is_a_parse_error() {
        assert!(parse_data_type("integr").is_err());
        assert!(parse_ddl_schema("a int,, b").is_err());
    }
}
