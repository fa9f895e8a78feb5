//! The variant functions as session functions: `parse_json`, `variant_get`, `schema_of_variant`,
//! the editing functions and the casts in and out of VARIANT, each with its `try_` form where
//! Spark has one.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility, lit,
};

use super::builder::Builder;
use super::cast::{append, castable_to_variant, check_target, from_variants, to_variants};
use super::json::{malformed_json, parse};
use super::modify::{Call, Edit, edit, is_data_error, strip_nulls};
use super::path::{Segment, find, invalid_get_path};
use super::value::{Value, Variant};
use super::{Column, ColumnBuilder, is_variant, variant_type};

/// The internal names of the casts into and out of VARIANT (SQL's `CAST`), which keep the name
/// Spark gives the cast.
pub const CAST_TO: &str = "spark_cast_to_variant";
pub const CAST_FROM: &str = "spark_cast_from_variant";
/// The internal name of SQL's `v:path`, which Spark names by the path's last field.
pub const PATH: &str = "spark_variant_path";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    ParseJson,
    IsVariantNull,
    IsValidVariant,
    SchemaOfVariant,
    /// `variant_get`, or `try_variant_get` when not failing; also the cast out of VARIANT.
    Get,
    ToVariantObject,
    CastTo,
    Set,
    Insert,
    Delete,
    ArrayAppend,
    StripNulls,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct VariantFn {
    name: &'static str,
    kind: Kind,
    /// Whether a value that does not fit raises (the plain form) or gives NULL (`try_`).
    fail: bool,
    signature: Signature,
}

fn udf(name: &'static str, kind: Kind, fail: bool, signature: Signature) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(VariantFn { name, kind, fail, signature }))
}

fn arities(n: &[usize]) -> Signature {
    Signature::one_of(n.iter().map(|n| datafusion::logical_expr::TypeSignature::Any(*n)).collect(), Volatility::Immutable)
}

pub(super) fn scalars() -> Vec<Arc<ScalarUDF>> {
    vec![
        udf("parse_json", Kind::ParseJson, true, arities(&[1])),
        udf("try_parse_json", Kind::ParseJson, false, arities(&[1])),
        udf("is_variant_null", Kind::IsVariantNull, true, arities(&[1])),
        udf("is_valid_variant", Kind::IsValidVariant, true, arities(&[1])),
        udf("schema_of_variant", Kind::SchemaOfVariant, true, arities(&[1])),
        udf("variant_get", Kind::Get, true, arities(&[2, 3])),
        udf("try_variant_get", Kind::Get, false, arities(&[2, 3])),
        udf(CAST_FROM, Kind::Get, true, arities(&[3])),
        udf(PATH, Kind::Get, true, arities(&[2])),
        udf("to_variant_object", Kind::ToVariantObject, true, arities(&[1])),
        udf(CAST_TO, Kind::CastTo, true, arities(&[1])),
        udf("variant_set", Kind::Set, true, arities(&[3, 4])),
        udf("try_variant_set", Kind::Set, false, arities(&[3, 4])),
        udf("variant_insert", Kind::Insert, true, arities(&[3])),
        udf("try_variant_insert", Kind::Insert, false, arities(&[3])),
        udf("variant_delete", Kind::Delete, true, Signature::variadic_any(Volatility::Immutable)),
        udf("variant_array_append", Kind::ArrayAppend, true, arities(&[3])),
        udf("try_variant_array_append", Kind::ArrayAppend, false, arities(&[3])),
        udf("variant_strip_nulls", Kind::StripNulls, true, arities(&[1, 2])),
    ]
}

pub(super) fn udf_named(name: &str) -> Result<Arc<ScalarUDF>> {
    scalars().into_iter().find(|f| f.name() == name).ok_or_else(|| DataFusionError::Internal(format!("no variant function {name}")))
}

/// `CAST(e AS VARIANT)` (`TRY_CAST` casts the same: every castable value fits).
pub fn cast_to_variant(e: Expr) -> Result<Expr> {
    Ok(Expr::ScalarFunction(ScalarFunction::new_udf(udf_named(CAST_TO)?, vec![e])))
}

/// `CAST(v AS target)` of a variant `v`; `fail` false for `TRY_CAST`.
pub fn cast_from_variant(e: Expr, target: &DataType, fail: bool) -> Result<Expr> {
    check_target(target)?;
    let name = if fail { CAST_FROM } else { "try_variant_get" };
    let args = vec![e, lit("$"), lit(crate::types::simple_string(target))];
    Ok(Expr::ScalarFunction(ScalarFunction::new_udf(udf_named(name)?, args)))
}

/// A constant string argument.
fn constant_text(args: &ReturnFieldArgs, i: usize) -> Option<String> {
    match args.scalar_arguments.get(i).copied().flatten() {
        Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))) => Some(s.clone()),
        _ => None,
    }
}

fn needs_variant(name: &str, dt: &DataType) -> Result<()> {
    if is_variant(dt) || dt == &DataType::Null {
        Ok(())
    } else {
        plan_err!(
            "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{name}\" due to data type mismatch: The first parameter requires the \
             \"VARIANT\" type, however it has the type \"{}\". SQLSTATE: 42K09",
            crate::types::sql_type(dt)
        )
    }
}

fn needs_castable(name: &str, dt: &DataType, objects: bool) -> Result<()> {
    if castable_to_variant(dt, objects) { Ok(()) } else { cast_refused(name, dt) }
}

fn cast_refused<T>(name: &str, dt: &DataType) -> Result<T> {
    plan_err!(
        "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"{name}\" due to data type mismatch: cannot cast \"{}\" to \
         \"VARIANT\". SQLSTATE: 42K09",
        crate::types::sql_type(dt)
    )
}

impl ScalarUDFImpl for VariantFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{} is typed by its arguments", self.name)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<&DataType> = args.arg_fields.iter().map(|f| f.data_type()).collect();
        let data_type = match self.kind {
            Kind::ParseJson => variant_type(),
            Kind::IsVariantNull | Kind::IsValidVariant => {
                needs_variant(self.name, types[0])?;
                DataType::Boolean
            }
            Kind::SchemaOfVariant => {
                needs_variant(self.name, types[0])?;
                DataType::Utf8
            }
            Kind::Get => {
                needs_variant(self.name, types[0])?;
                match args.arg_fields.len() {
                    2 => variant_type(),
                    _ => {
                        let Some(text) = constant_text(&args, 2) else {
                            return plan_err!(
                                "[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema is not a valid schema string. The input expression must \
                                 be string literal and not null. SQLSTATE: 42K07"
                            );
                        };
                        let target = crate::types::parse_data_type(&text).map_err(|e| DataFusionError::Plan(e.to_string()))?;
                        check_target(&target)?;
                        target
                    }
                }
            }
            Kind::ToVariantObject => {
                // Only nested values become objects; a scalar is refused as Spark refuses it.
                let nested = matches!(types[0], DataType::List(_) | DataType::LargeList(_) | DataType::Struct(_) | DataType::Map(..));
                needs_castable(self.name, types[0], nested)?;
                if !nested && !is_variant(types[0]) {
                    return cast_refused(self.name, types[0]);
                }
                variant_type()
            }
            Kind::CastTo => {
                needs_castable(self.name, types[0], false)?;
                variant_type()
            }
            Kind::Set | Kind::Insert | Kind::ArrayAppend => {
                needs_variant(self.name, types[0])?;
                needs_castable(self.name, types[2], false)?;
                variant_type()
            }
            Kind::Delete => {
                if types.len() < 2 {
                    return plan_err!(
                        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires at least 2 parameters but the actual number is {}. SQLSTATE: \
                         42605",
                        self.name,
                        types.len()
                    );
                }
                needs_variant(self.name, types[0])?;
                variant_type()
            }
            Kind::StripNulls => {
                needs_variant(self.name, types[0])?;
                variant_type()
            }
        };
        Ok(Arc::new(Field::new(self.name, data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
        let target = args.return_field.data_type().clone();
        let out = match self.kind {
            Kind::ParseJson => parse_json(&arrays[0], self.fail)?,
            Kind::IsVariantNull => each_bool(&arrays[0], |v| Ok(Some(v.map(|v| v.is_null()).transpose()?.unwrap_or(false))))?,
            Kind::IsValidVariant => each_bool(&arrays[0], |v| Ok(v.map(|v| is_valid(v).is_ok())))?,
            Kind::SchemaOfVariant => super::schema::schema_of_variant(&arrays)?,
            Kind::Get => get(self.name, &arrays, &target, self.fail)?,
            Kind::ToVariantObject | Kind::CastTo => to_variants(&arrays[0])?,
            Kind::StripNulls => {
                let include_arrays = match args.args.get(1) {
                    Some(ColumnarValue::Scalar(ScalarValue::Boolean(Some(b)))) => *b,
                    Some(_) => return exec_err!("{}: the second argument must be a boolean constant", self.name),
                    None => true,
                };
                let column = Column::new(&arrays[0])?;
                let mut out = ColumnBuilder::new();
                for i in 0..rows {
                    out.append_option(column.get(i)?.map(|v| strip_nulls(v, include_arrays)).transpose()?);
                }
                out.finish()?
            }
            Kind::Set | Kind::Insert | Kind::ArrayAppend | Kind::Delete => self.edit(&arrays, rows)?,
        };
        Ok(ColumnarValue::Array(out))
    }
}

fn each_bool(array: &ArrayRef, f: impl Fn(Option<Variant<'_>>) -> Result<Option<bool>>) -> Result<ArrayRef> {
    let column = Column::new(array)?;
    Ok(Arc::new((0..column.len()).map(|i| f(column.get(i)?)).collect::<Result<BooleanArray>>()?))
}

/// Reads every byte of `v`, as `is_valid_variant` checks.
fn is_valid(v: Variant<'_>) -> Result<()> {
    match v.get()? {
        Value::Object(o) => (0..o.len()).try_for_each(|i| is_valid(o.field(i)?.1)),
        Value::Array(a) => (0..a.len()).try_for_each(|i| is_valid(a.get(i)?)),
        _ => v.bytes().map(|_| ()),
    }
}

fn parse_json(texts: &ArrayRef, fail: bool) -> Result<ArrayRef> {
    let texts = cast(texts, &DataType::Utf8)?;
    let texts: &StringArray = texts.as_string::<i32>();
    let mut out = ColumnBuilder::new();
    for text in texts.iter() {
        match text {
            None => out.append_null(),
            Some(t) => match parse(t)? {
                Some(v) => out.append_option(Some(v)),
                None if fail => return Err(malformed_json(t)),
                None => out.append_null(),
            },
        }
    }
    out.finish()
}

/// Paths of a column, parsed once per distinct text in a row.
struct Paths {
    texts: StringArray,
    last: Option<(String, Option<Vec<Segment>>)>,
}

impl Paths {
    fn new(array: &ArrayRef) -> Result<Self> {
        Ok(Paths { texts: cast(array, &DataType::Utf8)?.as_string::<i32>().clone(), last: None })
    }

    /// Row `i`'s path text and segments (`None` segments when it is no path); `None` when NULL.
    fn get(&mut self, i: usize) -> Option<(String, Option<Vec<Segment>>)> {
        if self.texts.is_null(i) {
            return None;
        }
        let text = self.texts.value(i);
        if self.last.as_ref().is_none_or(|(t, _)| t != text) {
            self.last = Some((text.to_string(), super::path::parse(text)));
        }
        self.last.clone()
    }
}

/// `variant_get(v, path[, type])`: the value at the path, cast to the type.
fn get(name: &str, arrays: &[ArrayRef], target: &DataType, fail: bool) -> Result<ArrayRef> {
    let column = Column::new(&arrays[0])?;
    let mut paths = Paths::new(&arrays[1])?;
    let shown = if name == CAST_FROM || name == PATH { "variant_get" } else { name };
    let mut found = Vec::with_capacity(column.len());
    for i in 0..column.len() {
        let value = match (column.get(i)?, paths.get(i)) {
            (Some(v), Some((text, segments))) => {
                let segments = segments.ok_or_else(|| invalid_get_path(&text, shown))?;
                find(v, &segments)?
            }
            _ => None,
        };
        found.push(value);
    }
    from_variants(&found, target, fail)
}

impl VariantFn {
    /// `variant_set`, `variant_insert`, `variant_array_append` and `variant_delete`, row by row.
    fn edit(&self, arrays: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let column = Column::new(&arrays[0])?;
        let shown = self.name.trim_start_matches("try_");
        let mut out = ColumnBuilder::new();
        if self.kind == Kind::Delete {
            let mut paths = arrays[1..].iter().map(Paths::new).collect::<Result<Vec<_>>>()?;
            for i in 0..rows {
                let Some(v) = column.get(i)? else {
                    out.append_null();
                    continue;
                };
                let mut current = super::rebuilt(v)?;
                for p in paths.iter_mut() {
                    let Some((text, segments)) = p.get(i) else { continue };
                    let segments = segments.ok_or_else(|| super::modify::invalid_target(&text, shown))?;
                    let call = Call { function: shown, path: &text, segments: &segments };
                    current = edit(Variant::new(&current.0, &current.1)?, &call, Edit::Delete)?;
                }
                out.append(&current.0, &current.1);
            }
            return out.finish();
        }
        let mut paths = Paths::new(&arrays[1])?;
        let create = match arrays.get(3) {
            Some(flags) => Some(cast(flags, &DataType::Boolean)?.as_boolean().clone()),
            None => None,
        };
        for i in 0..rows {
            let (Some(v), Some((text, segments))) = (column.get(i)?, paths.get(i)) else {
                out.append_null();
                continue;
            };
            if arrays[2].logical_nulls().is_some_and(|n| n.is_null(i)) {
                out.append_null();
                continue;
            }
            let segments = segments.ok_or_else(|| super::modify::invalid_target(&text, shown))?;
            let mut b = Builder::new();
            append(&mut b, arrays[2].as_ref(), i)?;
            let (value, metadata) = b.finish()?;
            let value = Variant::new(&value, &metadata)?;
            let change = match self.kind {
                Kind::Set => Edit::Set { value, create: create.as_ref().is_none_or(|c| c.is_null(i) || c.value(i)) },
                Kind::Insert => Edit::Insert(value),
                _ => Edit::Append(value),
            };
            let call = Call { function: shown, path: &text, segments: &segments };
            match edit(v, &call, change) {
                Ok(result) => out.append(&result.0, &result.1),
                Err(e) if !self.fail && is_data_error(&e) => out.append_null(),
                Err(e) => return Err(e),
            }
        }
        out.finish()
    }
}
