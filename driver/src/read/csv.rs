//! Spark's CSV reader: options as Spark names them, schema inference in Spark's type order,
//! and the three parse modes for malformed rows.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder, Float64Builder, Int8Builder, Int16Builder,
    Int32Builder, Int64Builder, NullBuilder, StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result as DFResult};

use super::file_scan::FileDecoder;
use super::paths::InputFile;
use super::values::{DateTimeFormats, parse_bool, parse_date, parse_decimal, parse_double, parse_timestamp};
use crate::error::{DriverError, Result};

const BATCH_ROWS: usize = 8192;

/// What to do with a row that has the wrong number of fields or a value of the wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseMode {
    /// Keep the row: missing and unparsable fields become NULL, extra fields are dropped.
    Permissive,
    /// Leave the row out.
    DropMalformed,
    /// Fail the job, naming the row.
    FailFast,
}

#[derive(Debug, Clone)]
pub struct CsvOptions {
    pub header: bool,
    pub infer_schema: bool,
    pub delimiter: u8,
    pub quote: u8,
    pub escape: u8,
    pub comment: Option<u8>,
    pub null_value: String,
    pub formats: DateTimeFormats,
    pub mode: ParseMode,
}

fn single_byte(name: &str, v: &str) -> Result<u8> {
    let v = match v {
        "\\t" => "\t",
        other => other,
    };
    match v.as_bytes() {
        [b] => Ok(*b),
        _ => Err(DriverError::IllegalArgument(format!("option '{name}' must be a single character, got '{v}'"))),
    }
}

impl CsvOptions {
    /// Reads Spark's option names (case-insensitive keys).
    pub fn from_map(opts: &HashMap<String, String>) -> Result<Self> {
        let flag = |k: &str| opts.get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let delimiter = match opts.get("sep").or_else(|| opts.get("delimiter")) {
            Some(v) => single_byte("sep", v)?,
            None => b',',
        };
        let mode = match opts.get("mode").map(|m| m.to_ascii_uppercase()) {
            None => ParseMode::Permissive,
            Some(m) if m == "PERMISSIVE" => ParseMode::Permissive,
            Some(m) if m == "DROPMALFORMED" => ParseMode::DropMalformed,
            Some(m) if m == "FAILFAST" => ParseMode::FailFast,
            Some(m) => {
                return Err(DriverError::IllegalArgument(format!(
                    "{m} is not a valid parse mode. Valid modes are PERMISSIVE, DROPMALFORMED and FAILFAST."
                )));
            }
        };
        let pattern = |k: &str| -> Result<Option<String>> {
            opts.get(k).map(|p| ember_sql::datetime_format::java_to_chrono(p).map_err(DriverError::from)).transpose()
        };
        Ok(CsvOptions {
            header: flag("header"),
            infer_schema: flag("inferschema"),
            delimiter,
            quote: opts.get("quote").map(|q| single_byte("quote", q)).transpose()?.unwrap_or(b'"'),
            escape: opts.get("escape").map(|q| single_byte("escape", q)).transpose()?.unwrap_or(b'\\'),
            comment: opts.get("comment").map(|q| single_byte("comment", q)).transpose()?,
            null_value: opts.get("nullvalue").cloned().unwrap_or_default(),
            formats: DateTimeFormats { date: pattern("dateformat")?, timestamp: pattern("timestampformat")? },
            mode,
        })
    }

    fn reader(&self, file: &InputFile) -> std::io::Result<csv::Reader<BufReader<File>>> {
        let f = File::open(&file.path)?;
        let mut b = csv::ReaderBuilder::new();
        b.delimiter(self.delimiter)
            .quote(self.quote)
            .escape(Some(self.escape))
            .double_quote(true)
            .has_headers(false)
            .flexible(true)
            .comment(self.comment);
        Ok(b.from_reader(BufReader::with_capacity(1 << 20, f)))
    }
}

/// Column names from the first file's header (or `_c0`, `_c1`, ...), and the inferred or
/// all-string schema.
pub fn resolve_schema(files: &[InputFile], opts: &CsvOptions) -> Result<Schema> {
    let Some(first) = files.first() else {
        return Ok(Schema::empty());
    };
    let mut reader = opts.reader(first)?;
    let first_record = reader.records().next().transpose().map_err(csv_error)?;
    let Some(first_record) = first_record else {
        return Ok(Schema::empty());
    };
    let names: Vec<String> = if opts.header {
        dedupe(first_record.iter().enumerate().map(|(i, n)| if n.is_empty() { format!("_c{i}") } else { n.to_string() }).collect())
    } else {
        (0..first_record.len()).map(|i| format!("_c{i}")).collect()
    };
    if !opts.infer_schema {
        return Ok(Schema::new(names.iter().map(|n| Field::new(n, DataType::Utf8, true)).collect::<Vec<_>>()));
    }
    let mut types: Vec<Inferred> = vec![Inferred::Null; names.len()];
    for file in files {
        let mut reader = opts.reader(file)?;
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(csv_error)?;
            if i == 0 && opts.header {
                continue;
            }
            for (j, field) in record.iter().enumerate().take(types.len()) {
                if field == opts.null_value {
                    continue;
                }
                types[j] = types[j].merge(infer_field(field, &opts.formats));
            }
        }
    }
    Ok(Schema::new(names.iter().zip(types).map(|(n, t)| Field::new(n, t.data_type(), true)).collect::<Vec<_>>()))
}

/// Spark makes duplicate header names unique by appending their position.
fn dedupe(names: Vec<String>) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| if names.iter().filter(|m| m.eq_ignore_ascii_case(n)).count() > 1 { format!("{n}{i}") } else { n.clone() })
        .collect()
}

fn csv_error(e: csv::Error) -> DriverError {
    DriverError::Runtime(format!("error reading CSV: {e}"))
}

/// Types in the order Spark's CSV inference tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Inferred {
    Null,
    Int,
    Long,
    Double,
    Date,
    Timestamp,
    Boolean,
    Str,
}

impl Inferred {
    fn merge(self, other: Inferred) -> Inferred {
        use Inferred::*;
        match (self, other) {
            (Null, x) | (x, Null) => x,
            (a, b) if a == b => a,
            (Int | Long | Double, Int | Long | Double) => self.max(other),
            (Date | Timestamp, Date | Timestamp) => Timestamp,
            _ => Str,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Inferred::Null | Inferred::Str => DataType::Utf8,
            Inferred::Int => DataType::Int32,
            Inferred::Long => DataType::Int64,
            Inferred::Double => DataType::Float64,
            Inferred::Date => DataType::Date32,
            Inferred::Timestamp => ember_sql::types::timestamp_type(),
            Inferred::Boolean => DataType::Boolean,
        }
    }
}

fn infer_field(s: &str, formats: &DateTimeFormats) -> Inferred {
    if s.parse::<i32>().is_ok() {
        Inferred::Int
    } else if s.parse::<i64>().is_ok() {
        Inferred::Long
    } else if parse_double(s).is_some() {
        Inferred::Double
    } else if parse_date(s, formats).is_some() && !s.contains([' ', 'T', ':']) {
        Inferred::Date
    } else if parse_timestamp(s, formats).is_some() {
        Inferred::Timestamp
    } else if parse_bool(s).is_some() {
        Inferred::Boolean
    } else {
        Inferred::Str
    }
}

/// Decodes CSV files into batches of a fixed schema.
#[derive(Debug)]
pub struct CsvDecoder {
    pub options: CsvOptions,
    /// The reader options as the user gave them, which is how the decoder travels to
    /// executors.
    pub source: HashMap<String, String>,
}

impl CsvDecoder {
    pub fn new(source: HashMap<String, String>) -> Result<Self> {
        Ok(Self { options: CsvOptions::from_map(&source)?, source })
    }
}

impl FileDecoder for CsvDecoder {
    fn name(&self) -> &str {
        "csv"
    }

    fn options(&self) -> HashMap<String, String> {
        self.source.clone()
    }

    fn decode(&self, file: &InputFile, schema: SchemaRef) -> DFResult<Box<dyn Iterator<Item = DFResult<RecordBatch>> + Send>> {
        let reader = self.options.reader(file).map_err(|e| DataFusionError::Execution(format!("{}: {e}", file.path.display())))?;
        Ok(Box::new(CsvBatches {
            records: reader.into_records(),
            schema,
            options: self.options.clone(),
            skip_header: self.options.header,
            path: file.path.display().to_string(),
            done: false,
        }))
    }
}

struct CsvBatches {
    records: csv::StringRecordsIntoIter<BufReader<File>>,
    schema: SchemaRef,
    options: CsvOptions,
    skip_header: bool,
    path: String,
    done: bool,
}

impl Iterator for CsvBatches {
    type Item = DFResult<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut builders: Vec<Box<dyn ArrayBuilder>> = self.schema.fields().iter().map(|f| builder_for(f.data_type())).collect();
        let mut rows = 0;
        let mut values: Vec<Option<Value>> = Vec::with_capacity(builders.len());
        while rows < BATCH_ROWS {
            let Some(record) = self.records.next() else {
                self.done = true;
                break;
            };
            let record = match record {
                Ok(r) => r,
                Err(e) => return Some(Err(DataFusionError::Execution(format!("error reading {}: {e}", self.path)))),
            };
            if self.skip_header {
                self.skip_header = false;
                continue;
            }
            values.clear();
            let mut malformed = record.len() != builders.len();
            for (j, f) in self.schema.fields().iter().enumerate() {
                let v = match record.get(j) {
                    None => None,
                    Some(s) if s == self.options.null_value => None,
                    Some(s) => match convert(s, f.data_type(), &self.options.formats) {
                        Some(v) => Some(v),
                        None => {
                            malformed = true;
                            None
                        }
                    },
                };
                values.push(v);
            }
            if malformed {
                match self.options.mode {
                    ParseMode::Permissive => {}
                    ParseMode::DropMalformed => continue,
                    ParseMode::FailFast => {
                        self.done = true;
                        let shown: Vec<&str> = record.iter().collect();
                        return Some(Err(DataFusionError::External(Box::new(DriverError::Runtime(format!(
                            "[FAILED_READ_FILE.NO_HINT] Encountered error while reading file file://{}. [MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: [{}]. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
                            self.path,
                            shown.join(",")
                        ))))));
                    }
                }
            }
            for (b, v) in builders.iter_mut().zip(values.drain(..)) {
                append(b.as_mut(), v);
            }
            rows += 1;
        }
        if rows == 0 && self.done {
            return None;
        }
        let columns: Vec<ArrayRef> = builders.iter_mut().map(|b| b.finish()).collect();
        Some(RecordBatch::try_new(Arc::clone(&self.schema), columns).map_err(Into::into))
    }
}

enum Value {
    Str(String),
    Bool(bool),
    I64(i64),
    F64(f64),
    I128(i128),
}

fn convert(s: &str, dt: &DataType, formats: &DateTimeFormats) -> Option<Value> {
    Some(match dt {
        DataType::Utf8 => Value::Str(s.to_string()),
        DataType::Boolean => Value::Bool(parse_bool(s.trim())?),
        DataType::Int8 => Value::I64(i64::from(s.trim().parse::<i8>().ok()?)),
        DataType::Int16 => Value::I64(i64::from(s.trim().parse::<i16>().ok()?)),
        DataType::Int32 => Value::I64(i64::from(s.trim().parse::<i32>().ok()?)),
        DataType::Int64 => Value::I64(s.trim().parse::<i64>().ok()?),
        DataType::Float32 | DataType::Float64 => Value::F64(parse_double(s)?),
        DataType::Date32 => {
            let d = parse_date(s, formats)?;
            // chrono's default date is the Unix epoch, 1970-01-01.
            Value::I64(d.signed_duration_since(chrono::NaiveDate::default()).num_days())
        }
        DataType::Timestamp(_, _) => Value::I64(parse_timestamp(s, formats)?),
        DataType::Decimal128(p, sc) => Value::I128(parse_decimal(s, *p, *sc)?),
        _ => return None,
    })
}

fn builder_for(dt: &DataType) -> Box<dyn ArrayBuilder> {
    match dt {
        DataType::Boolean => Box::new(BooleanBuilder::new()),
        DataType::Int8 => Box::new(Int8Builder::new()),
        DataType::Int16 => Box::new(Int16Builder::new()),
        DataType::Int32 => Box::new(Int32Builder::new()),
        DataType::Int64 => Box::new(Int64Builder::new()),
        DataType::Float32 => Box::new(Float32Builder::new()),
        DataType::Float64 => Box::new(Float64Builder::new()),
        DataType::Date32 => Box::new(Date32Builder::new()),
        DataType::Timestamp(_, tz) => Box::new(TimestampMicrosecondBuilder::new().with_timezone_opt(tz.clone())),
        DataType::Decimal128(p, s) => Box::new(Decimal128Builder::new().with_data_type(DataType::Decimal128(*p, *s))),
        DataType::Null => Box::new(NullBuilder::new()),
        _ => Box::new(StringBuilder::new()),
    }
}

fn append(b: &mut dyn ArrayBuilder, v: Option<Value>) {
    let any = b.as_any_mut();
    macro_rules! put {
        ($t:ty, $conv:expr) => {
            if let Some(b) = any.downcast_mut::<$t>() {
                b.append_option(v.and_then($conv));
                return;
            }
        };
    }
    put!(StringBuilder, |v| if let Value::Str(s) = v { Some(s) } else { None });
    put!(BooleanBuilder, |v| if let Value::Bool(x) = v { Some(x) } else { None });
    put!(Int8Builder, |v| if let Value::I64(x) = v { i8::try_from(x).ok() } else { None });
    put!(Int16Builder, |v| if let Value::I64(x) = v { i16::try_from(x).ok() } else { None });
    put!(Int32Builder, |v| if let Value::I64(x) = v { i32::try_from(x).ok() } else { None });
    put!(Int64Builder, |v| if let Value::I64(x) = v { Some(x) } else { None });
    put!(Float32Builder, |v| if let Value::F64(x) = v { Some(x as f32) } else { None });
    put!(Float64Builder, |v| if let Value::F64(x) = v { Some(x) } else { None });
    put!(Date32Builder, |v| if let Value::I64(x) = v { i32::try_from(x).ok() } else { None });
    put!(TimestampMicrosecondBuilder, |v| if let Value::I64(x) = v { Some(x) } else { None });
    put!(Decimal128Builder, |v| if let Value::I128(x) = v { Some(x) } else { None });
    if let Some(b) = any.downcast_mut::<NullBuilder>() {
        b.append_null();
    }
}
