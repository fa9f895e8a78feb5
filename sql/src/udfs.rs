//! Spark functions DataFusion lacks or spells differently, as session functions with Spark's
//! names so SQL and the DataFrame API share one implementation: `year`/`month`/... over dates
//! and timestamps, `date_format`/`to_date`/`to_timestamp` with Java patterns,
//! `regexp_extract`, and regex-based `split`.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Int32Array, Int64Array, ListBuilder, StringArray, StringBuilder, TimestampMicrosecondArray,
};
use datafusion::arrow::compute::kernels::cast::cast;
use datafusion::arrow::compute::kernels::temporal::{DatePart, date_part};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use regex::Regex;

use crate::datetime_format::java_to_chrono;

pub(crate) type Eval = fn(&[ArrayRef]) -> Result<ArrayRef>;

/// A Spark function defined by its name, arity, result type and a columnar evaluator.
/// Names are unique among these functions, so they alone decide equality.
#[derive(Debug)]
struct SparkFn {
    name: &'static str,
    signature: Signature,
    result: DataType,
    eval: Eval,
}

impl PartialEq for SparkFn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for SparkFn {}

impl std::hash::Hash for SparkFn {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for SparkFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(self.result.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = args.args.into_iter().map(|a| a.into_array(rows)).collect::<Result<Vec<_>>>()?;
        Ok(ColumnarValue::Array((self.eval)(&arrays)?))
    }
}

pub(crate) fn udf(name: &'static str, arities: &[usize], result: DataType, eval: Eval) -> Arc<ScalarUDF> {
    let signature =
        Signature::one_of(arities.iter().map(|n| datafusion::logical_expr::TypeSignature::Any(*n)).collect(), Volatility::Immutable);
    Arc::new(ScalarUDF::new_from_impl(SparkFn { name, signature, result, eval }))
}

/// All functions of this module.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        udf("year", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Year, 0)),
        udf("month", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Month, 0)),
        udf("dayofmonth", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Day, 0)),
        udf("day", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Day, 0)),
        udf("dayofweek", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::DayOfWeekSunday0, 1)),
        udf("dayofyear", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::DayOfYear, 0)),
        udf("quarter", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Quarter, 0)),
        udf("weekofyear", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Week, 0)),
        udf("hour", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Hour, 0)),
        udf("minute", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Minute, 0)),
        udf("second", &[1], DataType::Int32, |a| date_part_of(&a[0], DatePart::Second, 0)),
        udf("date_format", &[2], DataType::Utf8, date_format),
        // Spark's `dayname`: the day's three-letter English name, `date_format(d, 'EEE')`.
        udf("dayname", &[1], DataType::Utf8, |a| date_format(&[Arc::clone(&a[0]), Arc::new(StringArray::from(vec!["EEE"; a[0].len()]))])),
        udf("to_date", &[1, 2], DataType::Date32, to_date),
        udf("to_timestamp", &[1, 2], crate::types::timestamp_type(), to_timestamp),
        udf("regexp_extract", &[2, 3], DataType::Utf8, regexp_extract),
        udf("split", &[2, 3], DataType::List(Arc::new(Field::new("element", DataType::Utf8, true))), split),
        udf("datediff", &[2], DataType::Int32, datediff),
        udf("months_between", &[2, 3], DataType::Float64, crate::datetime_fns::months_between),
        udf("unix_timestamp", &[1, 2], DataType::Int64, crate::datetime_fns::unix_timestamp),
        udf("to_unix_timestamp", &[1, 2], DataType::Int64, crate::datetime_fns::unix_timestamp),
        udf("get_json_object", &[2], DataType::Utf8, crate::json::path::get_json_object),
        udf("to_json", &[1], DataType::Utf8, to_json),
        udf("mask", &[1, 2, 3, 4, 5], DataType::Utf8, crate::mask::mask),
        udf("regexp_substr", &[2], DataType::Utf8, crate::regexp_all::regexp_substr),
        udf(
            "regexp_extract_all",
            &[2, 3],
            DataType::List(Arc::new(Field::new("element", DataType::Utf8, true))),
            crate::regexp_all::regexp_extract_all,
        ),
        udf("format_number", &[2], DataType::Utf8, crate::format_number::format_number),
        udf("schema_of_json", &[1], DataType::Utf8, crate::json::schema_of_json::schema_of_json),
        udf("json_array_length", &[1], DataType::Int32, crate::json::outer::json_array_length),
        udf(
            "json_object_keys",
            &[1],
            DataType::List(Arc::new(Field::new("element", DataType::Utf8, true))),
            crate::json::outer::json_object_keys,
        ),
        crate::json::from_json::from_json(),
        crate::typed_literal::udf(),
        crate::interval_literal::interval_literal(),
        cast_fn("int", DataType::Int32),
        cast_fn("bigint", DataType::Int64),
        cast_fn("smallint", DataType::Int16),
        cast_fn("tinyint", DataType::Int8),
        cast_fn("float", DataType::Float32),
        cast_fn("double", DataType::Float64),
        cast_string_udf(),
        udf("string", &[1], DataType::Utf8, |a| (cast_string_eval())(a)),
        cast_fn("boolean", DataType::Boolean),
        cast_fn("date", DataType::Date32),
        cast_fn("timestamp", crate::types::timestamp_type()),
        cast_fn("binary", DataType::Binary),
        spark_hash_udf(),
        Arc::new(ScalarUDF::new_from_impl(SparkRound { inner: datafusion_spark::function::math::round() })),
        // Spark's sqrt is NaN for negative input; DataFusion's raises.
        udf("sqrt", &[1], DataType::Float64, |a| {
            let v = cast(&a[0], &DataType::Float64)?;
            let v = v.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
            Ok(Arc::new(v.iter().map(|x| x.map(f64::sqrt)).collect::<datafusion::arrow::array::Float64Array>()))
        }),
        udf("log1p", &[1], DataType::Float64, |a| {
            let v = cast(&a[0], &DataType::Float64)?;
            let v = v.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
            Ok(Arc::new(
                v.iter().map(|x| x.and_then(|x| (x > -1.0).then(|| x.ln_1p()))).collect::<datafusion::arrow::array::Float64Array>(),
            ))
        }),
        udf("size", &[1], DataType::Int32, size),
        udf("locate", &[2, 3], DataType::Int32, crate::string_locate::locate),
        udf("position", &[2, 3], DataType::Int32, crate::string_locate::locate),
        Arc::new(ScalarUDF::new_from_impl(TypeOf { signature: Signature::any(1, Volatility::Immutable) })),
    ]
}

/// Spark's `typeof`: the type's simple string, or the Spark type a value's field records where
/// Arrow's type cannot tell it (an `interval hour` literal).
#[derive(Debug, PartialEq, Eq, Hash)]
struct TypeOf {
    signature: Signature,
}

impl ScalarUDFImpl for TypeOf {
    fn name(&self) -> &str {
        "typeof"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = match (args.arg_fields.first(), args.args.first()) {
            (Some(f), _) if let Some(t) = f.metadata().get(crate::interval_literal::SPARK_TYPE) => t.clone(),
            (_, Some(a)) => crate::types::simple_string(&a.data_type()),
            _ => return exec_err!("typeof takes one argument"),
        };
        Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(name))))
    }
}

/// Spark's `round` for floating-point input: HALF_UP on the value's shortest decimal text (as
/// `BigDecimal(Double.toString(x))` does), so `round(2.675, 2)` is 2.68 and no result is -0.0.
/// Integers and decimals keep datafusion-spark's implementation.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SparkRound {
    inner: Arc<ScalarUDF>,
}

impl ScalarUDFImpl for SparkRound {
    fn name(&self) -> &str {
        "round"
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.inner.return_type(args)
    }

    /// A decimal's result type is Spark's: one more integral digit for a carry (`round(9.9)`
    /// is 10), the requested scale when it is smaller (`round(2.345, 2)` is a decimal(4,2)).
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(value) = args.arg_fields.first() else {
            return self.inner.return_field_from_args(args);
        };
        let DataType::Decimal128(p, s) = *value.data_type() else {
            return self.inner.return_field_from_args(args);
        };
        let scale = match args.scalar_arguments.get(1) {
            None => Some(0),
            Some(Some(v)) => v.cast_to(&DataType::Int32).ok().and_then(|v| if let ScalarValue::Int32(n) = v { n } else { None }),
            Some(None) => None,
        };
        let Some(scale) = scale else {
            return self.inner.return_field_from_args(args);
        };
        Ok(Arc::new(Field::new(self.name(), rounded_decimal(p, s, scale), value.is_nullable())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let float = args.args.first().map(|a| a.data_type()).filter(|t| matches!(t, DataType::Float64 | DataType::Float32));
        let Some(float) = float else {
            let to = args.return_field.data_type().clone();
            let Some(input) = args.args.first().map(|a| a.data_type()) else {
                return self.inner.invoke_with_args(args);
            };
            if !matches!(to, DataType::Decimal128(..)) || input == to {
                return self.inner.invoke_with_args(args);
            }
            // datafusion-spark rounds at the input's scale (and checks it returns that type);
            // the narrower type holds the rounded value exactly.
            let mut args = args;
            args.return_field = Arc::new(Field::new(self.name(), input, true));
            return self.inner.invoke_with_args(args)?.cast_to(&to, None);
        };
        let rows = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
        let scales = if arrays.len() > 1 { Some(cast(&arrays[1], &DataType::Int32)?) } else { None };
        let values = cast(&arrays[0], &DataType::Float64)?;
        let values = values.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
        let scale_at = |i: usize| {
            scales.as_ref().map_or(Some(0), |s| {
                let s = s.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
                (!s.is_null(i)).then(|| s.value(i))
            })
        };
        let out: datafusion::arrow::array::Float64Array = (0..values.len())
            .map(|i| match (values.is_null(i), scale_at(i)) {
                (false, Some(sc)) => Some(round_half_up(values.value(i), sc, float == DataType::Float32)),
                _ => None,
            })
            .collect();
        Ok(ColumnarValue::Array(cast(&(Arc::new(out) as ArrayRef), &float)?))
    }
}

/// Spark's type of a DECIMAL(p, s) rounded to `scale` places: one more integral digit for a
/// carry (`round(9.9)` is 10), the requested scale when it is smaller.
pub(crate) fn rounded_decimal(p: u8, s: i8, scale: i32) -> DataType {
    let integral = i32::from(p) - i32::from(s) + 1;
    let (p, s) = if scale < 0 { (integral.max(1 - scale), 0) } else { (integral + scale.min(i32::from(s)), scale.min(i32::from(s))) };
    DataType::Decimal128(p.clamp(1, 38) as u8, s as i8)
}

/// HALF_UP rounding of `x`'s shortest decimal text to `scale` places.
fn round_half_up(x: f64, scale: i32, single: bool) -> f64 {
    round_text(x, scale, single, false)
}

/// Rounding of `x`'s shortest decimal text to `scale` places (as Scala's `BigDecimal(x)`
/// rounds): half up, or half to even (`bround`).
pub(crate) fn round_text(x: f64, scale: i32, single: bool, half_even: bool) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = if single { format!("{:e}", x as f32) } else { format!("{x:e}") };
    let Some((mantissa, exp)) = text.split_once('e') else {
        return x;
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // value = 0.d1 d2 d3 ... x 10^(exp + 1); keep this many leading digits:
    let keep = exp + 1 + scale;
    if keep >= digits.len() as i32 {
        return if x == 0.0 { 0.0 } else { x };
    }
    let mut kept: Vec<u8> = if keep > 0 { digits[..keep as usize].to_vec() } else { Vec::new() };
    let next = if keep >= 0 { digits[keep as usize] } else { 0 };
    // Exactly half (a 5 and nothing after it) goes to the even neighbour under HALF_EVEN.
    let exactly_half = keep >= 0 && next == 5 && digits[keep as usize + 1..].iter().all(|d| *d == 0);
    let last_even = kept.last().is_none_or(|d| d % 2 == 0);
    if next >= 5 && !(half_even && exactly_half && last_even) {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let number: String = if kept.is_empty() { "0".into() } else { kept.iter().map(|d| char::from(b'0' + d)).collect() };
    let magnitude: f64 = format!("{number}e{}", -scale).parse().unwrap_or(0.0);
    if magnitude == 0.0 {
        0.0
    } else if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Spark's `size`: elements of an array or entries of a map; NULL for NULL (Spark 4's default).
fn size(a: &[ArrayRef]) -> Result<ArrayRef> {
    let arr = &a[0];
    let lengths: Vec<Option<i32>> = match arr.data_type() {
        DataType::List(_) => {
            let l = arr.as_list::<i32>();
            (0..l.len()).map(|i| (!l.is_null(i)).then(|| l.value_length(i))).collect()
        }
        DataType::LargeList(_) => {
            let l = arr.as_list::<i64>();
            (0..l.len()).map(|i| (!l.is_null(i)).then(|| l.value_length(i) as i32)).collect()
        }
        DataType::Map(_, _) => {
            let m = arr.as_map();
            (0..m.len()).map(|i| (!m.is_null(i)).then(|| m.value_length(i))).collect()
        }
        DataType::Null => vec![None; arr.len()],
        other => return exec_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] size() needs an ARRAY or MAP, got {other}"),
    };
    Ok(Arc::new(Int32Array::from(lengths)))
}

/// Spark's `hash(cols...)`: Murmur3 with seed 42, the same function that partitions shuffles.
fn spark_hash_udf() -> Arc<ScalarUDF> {
    let signature = Signature::variadic_any(Volatility::Immutable);
    let eval: Eval = |a| {
        let rows = a.first().map_or(0, |c| c.len());
        let hashes = ember_executor::spark_hash::hash_rows(a, rows)?;
        Ok(Arc::new(Int32Array::from(hashes)))
    };
    Arc::new(ScalarUDF::new_from_impl(SparkFn { name: "hash", signature, result: DataType::Int32, eval }))
}

/// Spark's `CAST(x AS STRING)`: values rendered as Spark renders them (`1.0E20`,
/// `2024-03-01 13:45:07.25`), which differs from Arrow's cast for floats, timestamps and
/// nested values.
pub const CAST_STRING: &str = "spark_cast_string";

fn cast_string_eval() -> Eval {
    |a| {
        if matches!(a[0].data_type(), DataType::Utf8) {
            return Ok(Arc::clone(&a[0]));
        }
        // Bytes become the text they encode (UTF-8), as Spark's cast reads them.
        if matches!(a[0].data_type(), DataType::Binary | DataType::LargeBinary | DataType::BinaryView) {
            let bytes = cast(&a[0], &DataType::Binary)?;
            let out: StringArray = bytes.as_binary::<i32>().iter().map(|b| b.map(|b| String::from_utf8_lossy(b).into_owned())).collect();
            return Ok(Arc::new(out));
        }
        let values = crate::value_format::format_column(&a[0], crate::value_format::ValueStyle::Cast)?;
        let out: StringArray = values.iter().enumerate().map(|(i, v)| (!a[0].is_null(i)).then_some(v.as_str())).collect();
        Ok(Arc::new(out))
    }
}

pub fn cast_string_udf() -> Arc<ScalarUDF> {
    udf(CAST_STRING, &[1], DataType::Utf8, cast_string_eval())
}

/// Spark's cast functions (`int(x)`, `double(x)`, ...), each a cast to one type.
fn cast_fn(name: &'static str, to: DataType) -> Arc<ScalarUDF> {
    let eval: Eval = match to {
        DataType::Int32 => |a| Ok(cast(&a[0], &DataType::Int32)?),
        DataType::Int64 => |a| Ok(cast(&a[0], &DataType::Int64)?),
        DataType::Int16 => |a| Ok(cast(&a[0], &DataType::Int16)?),
        DataType::Int8 => |a| Ok(cast(&a[0], &DataType::Int8)?),
        DataType::Float32 => |a| Ok(cast(&a[0], &DataType::Float32)?),
        DataType::Float64 => |a| Ok(cast(&a[0], &DataType::Float64)?),
        DataType::Utf8 => |a| Ok(cast(&a[0], &DataType::Utf8)?),
        DataType::Boolean => |a| Ok(cast(&a[0], &DataType::Boolean)?),
        DataType::Date32 => |a| to_date(&a[..1]),
        DataType::Binary => |a| Ok(cast(&a[0], &DataType::Binary)?),
        _ => |a| to_timestamp(&a[..1]),
    };
    udf(name, &[1], to, eval)
}

/// Dates and timestamps as microsecond timestamps. A string is cast as Spark casts it to the
/// function's input type `target` (`DATE` or `TIMESTAMP`), so one that does not parse fails
/// with CAST_INVALID_INPUT, as Spark's implicit casts do in ANSI mode.
pub(crate) fn as_timestamp(a: &ArrayRef, target: &str) -> Result<TimestampMicrosecondArray> {
    let ts = match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = cast(a, &DataType::Utf8)?;
            let s = s.as_string::<i32>();
            let mut out = Vec::with_capacity(s.len());
            let read = |v: &str| {
                if target == "DATE" { crate::datetime_cast::read_date(v).map(midnight) } else { crate::datetime_cast::read_timestamp(v) }
            };
            for v in s.iter() {
                match v.map(|v| (v, read(v))) {
                    None => out.push(None),
                    Some((_, Some(t))) => out.push(Some(t)),
                    Some((v, None)) => return exec_err!("{}", crate::error::cast_invalid_input(v, target)),
                }
            }
            TimestampMicrosecondArray::from(out)
        }
        _ => cast(a, &crate::types::timestamp_type())?.as_primitive().clone(),
    };
    Ok(ts)
}

pub(crate) fn date_part_of(a: &ArrayRef, p: DatePart, offset: i32) -> Result<ArrayRef> {
    // Spark's date fields take a DATE, its time fields a TIMESTAMP.
    let target = if matches!(p, DatePart::Hour | DatePart::Minute | DatePart::Second) { "TIMESTAMP" } else { "DATE" };
    let input: ArrayRef = match a.data_type() {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => Arc::clone(a),
        _ => Arc::new(as_timestamp(a, target)?),
    };
    let out = date_part(&input, p)?;
    let out = cast(&out, &DataType::Int32)?;
    if offset == 0 {
        return Ok(out);
    }
    let ints = out.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
    Ok(Arc::new(ints.iter().map(|v| v.map(|v| v + offset)).collect::<Int32Array>()))
}

/// The pattern for row `i`: a scalar pattern arrives as a column of equal values.
pub(crate) fn pattern_at(patterns: &StringArray, i: usize) -> Option<&str> {
    if patterns.is_null(i) { None } else { Some(patterns.value(i)) }
}

pub(crate) fn strings(a: &ArrayRef) -> Result<StringArray> {
    Ok(cast(a, &DataType::Utf8)?.as_string::<i32>().clone())
}

/// Caches the translation of the last Java pattern (patterns are almost always constant).
struct PatternCache {
    java: String,
    chrono: String,
}

impl PatternCache {
    fn get(&mut self, java: &str) -> Result<&str> {
        if self.java != java || self.chrono.is_empty() {
            self.chrono = java_to_chrono(java).map_err(|e| datafusion::error::DataFusionError::Execution(e.to_string()))?;
            self.java = java.to_string();
        }
        Ok(&self.chrono)
    }
}

pub(crate) fn date_format(a: &[ArrayRef]) -> Result<ArrayRef> {
    let ts = as_timestamp(&a[0], "TIMESTAMP")?;
    let fmts = strings(&a[1])?;
    let mut cache = PatternCache { java: String::new(), chrono: String::new() };
    let mut out = StringBuilder::new();
    for i in 0..ts.len() {
        match (ts.is_null(i), pattern_at(&fmts, i)) {
            (false, Some(f)) => {
                let fmt = cache.get(f)?;
                match chrono::DateTime::from_timestamp_micros(ts.value(i)) {
                    Some(dt) => out.append_value(dt.naive_utc().format(fmt).to_string()),
                    None => out.append_null(),
                }
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

fn parse_ts(s: &str, chrono_fmt: Option<&str>) -> Option<i64> {
    use chrono::{NaiveDate, NaiveDateTime};
    let t = s.trim();
    if let Some(f) = chrono_fmt {
        return NaiveDateTime::parse_from_str(t, f)
            .ok()
            .or_else(|| NaiveDate::parse_from_str(t, f).ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
            .map(|dt| dt.and_utc().timestamp_micros());
    }
    crate::datetime_cast::read_timestamp(t)
}

/// Microseconds of a date's midnight (UTC, Ember's session time zone).
fn midnight(d: chrono::NaiveDate) -> i64 {
    d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp_micros()
}

/// `to_json(struct | array | map)`: the value as Spark writes it as JSON; NULL stays NULL.
fn to_json(a: &[ArrayRef]) -> Result<ArrayRef> {
    let texts = crate::value_format::format_column(&a[0], crate::value_format::ValueStyle::Json)?;
    Ok(Arc::new(texts.into_iter().enumerate().map(|(i, t)| (!a[0].is_null(i)).then_some(t)).collect::<StringArray>()))
}

pub(crate) fn to_timestamp(a: &[ArrayRef]) -> Result<ArrayRef> {
    if a.len() == 1 && !matches!(a[0].data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
        return Ok(cast(&a[0], &crate::types::timestamp_type())?);
    }
    let s = strings(&a[0])?;
    let fmts = if a.len() > 1 { Some(strings(&a[1])?) } else { None };
    let mut cache = PatternCache { java: String::new(), chrono: String::new() };
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        if s.is_null(i) {
            out.push(None);
            continue;
        }
        let f = match &fmts {
            Some(f) => match pattern_at(f, i) {
                Some(p) => Some(cache.get(p)?.to_string()),
                None => {
                    out.push(None);
                    continue;
                }
            },
            None => None,
        };
        out.push(parse_ts(s.value(i), f.as_deref()));
    }
    Ok(Arc::new(TimestampMicrosecondArray::from(out).with_timezone(crate::types::UTC)))
}

fn to_date(a: &[ArrayRef]) -> Result<ArrayRef> {
    let ts = to_timestamp(a)?;
    let ts = ts.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
    Ok(Arc::new(ts.iter().map(|v| v.map(|us| us.div_euclid(86_400_000_000) as i32)).collect::<Date32Array>()))
}

fn datediff(a: &[ArrayRef]) -> Result<ArrayRef> {
    let end = to_date(&a[0..1])?;
    let start = to_date(&a[1..2])?;
    let (end, start) =
        (end.as_primitive::<datafusion::arrow::datatypes::Date32Type>(), start.as_primitive::<datafusion::arrow::datatypes::Date32Type>());
    Ok(Arc::new(end.iter().zip(start.iter()).map(|(e, s)| Some(e? - s?)).collect::<Int32Array>()))
}

pub(crate) struct RegexCache {
    pattern: String,
    regex: Option<Regex>,
}

impl RegexCache {
    pub(crate) fn new() -> Self {
        RegexCache { pattern: String::new(), regex: None }
    }

    pub(crate) fn get(&mut self, pattern: &str) -> Result<&Regex> {
        if self.regex.is_none() || self.pattern != pattern {
            self.regex = Some(Regex::new(pattern).map_err(|e| {
                datafusion::error::DataFusionError::Execution(format!(
                    "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` is invalid: {e}"
                ))
            })?);
            self.pattern = pattern.to_string();
        }
        match &self.regex {
            Some(r) => Ok(r),
            None => exec_err!("regex cache empty"),
        }
    }
}

fn regexp_extract(a: &[ArrayRef]) -> Result<ArrayRef> {
    let s = strings(&a[0])?;
    let p = strings(&a[1])?;
    let idx = if a.len() > 2 {
        Some(cast(&a[2], &DataType::Int64)?.as_primitive::<datafusion::arrow::datatypes::Int64Type>().clone())
    } else {
        None
    };
    let mut cache = RegexCache { pattern: String::new(), regex: None };
    let mut out = StringBuilder::new();
    for i in 0..s.len() {
        let (Some(pat), false) = (pattern_at(&p, i), s.is_null(i)) else {
            out.append_null();
            continue;
        };
        let group = idx.as_ref().map_or(Some(1), |g: &Int64Array| if g.is_null(i) { None } else { Some(g.value(i)) });
        let Some(group) = group else {
            out.append_null();
            continue;
        };
        let re = cache.get(pat)?;
        if group < 0 || group as usize > re.captures_len() - 1 {
            return exec_err!(
                "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` in `regexp_extract` is invalid: Expects group index between 0 and {}, but got {group}.",
                re.captures_len() - 1
            );
        }
        let v = re.captures(s.value(i)).and_then(|c| c.get(group as usize)).map_or("", |m| m.as_str());
        out.append_value(v);
    }
    Ok(Arc::new(out.finish()))
}

fn split(a: &[ArrayRef]) -> Result<ArrayRef> {
    let s = strings(&a[0])?;
    let p = strings(&a[1])?;
    let limit = if a.len() > 2 {
        Some(cast(&a[2], &DataType::Int64)?.as_primitive::<datafusion::arrow::datatypes::Int64Type>().clone())
    } else {
        None
    };
    let mut cache = RegexCache { pattern: String::new(), regex: None };
    let mut out = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new("element", DataType::Utf8, true)));
    for i in 0..s.len() {
        let (Some(pat), false) = (pattern_at(&p, i), s.is_null(i)) else {
            out.append_null();
            continue;
        };
        let lim = limit.as_ref().map_or(-1, |l| if l.is_null(i) { -1 } else { l.value(i) });
        let re = cache.get(pat)?;
        let text = s.value(i);
        let parts: Vec<&str> = if lim > 0 { re.splitn(text, lim as usize).collect() } else { re.split(text).collect() };
        for part in parts {
            out.values().append_value(part);
        }
        out.append(true);
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::round_half_up;

    #[test]
    fn rounds_like_spark() {
        assert_eq!(round_half_up(2.675, 2, false), 2.68);
        assert_eq!(round_half_up(-0.4, 0, false).to_bits(), 0.0f64.to_bits());
        assert_eq!(round_half_up(-0.5, 0, false), -1.0);
        assert_eq!(round_half_up(2.5, 0, false), 3.0);
        assert_eq!(round_half_up(1234.5678, -2, false), 1200.0);
        assert_eq!(round_half_up(-0.04, 1, false).to_bits(), 0.0f64.to_bits());
        assert_eq!(round_half_up(9.96, 1, false), 10.0);
        assert_eq!(round_half_up(0.000123, 5, false), 0.00012);
        assert_eq!(round_half_up(1e20, 2, false), 1e20);
    }
}
