//! Editing a variant at a path: `variant_set`, `variant_insert`, `variant_delete`,
//! `variant_array_append` and `variant_strip_nulls`. The result is rebuilt as Spark rebuilds it:
//! a container's untouched values are copied in their stored order and a new field comes after
//! them, so keys enter the dictionary in that order.

use datafusion::common::Result;
use datafusion::error::DataFusionError;

use super::builder::{Builder, duplicate_key};
use super::path::{Segment, prefix_text};
use super::value::{Value, Variant};

/// What to do at the end of the path.
#[derive(Clone, Copy)]
pub(super) enum Edit<'a> {
    /// Replace or add; `create` makes missing fields, elements and the containers on the way.
    Set {
        value: Variant<'a>,
        create: bool,
    },
    /// Add a field that must not exist, or put an element before the one at the index.
    Insert(Variant<'a>),
    Delete,
    /// Append to the array at the path.
    Append(Variant<'a>),
}

impl Edit<'_> {
    fn creates(&self) -> bool {
        matches!(self, Edit::Set { create: true, .. } | Edit::Insert(_))
    }
}

/// Spark's error for a path that meets a value of another kind.
pub(super) fn type_mismatch(path: &str, at: &str, function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[VARIANT_PATH_TYPE_MISMATCH] The path '{path}' is incompatible with the variant value at '{at}' in `{function}`. SQLSTATE: 22023"
    ))
}

/// Spark's error for a path an edit cannot target (`$` alone).
pub(super) fn invalid_target(path: &str, function: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[INVALID_VARIANT_PATH] The path '{path}' is not a valid `{function}` target.\nA valid path should start with `$` and is followed \
         by segments like `[123]`, `.name`, `['name']`, or `[\"name\"]`. SQLSTATE: 22023"
    ))
}

/// Whether an error is one a `try_` form turns into NULL.
pub(super) fn is_data_error(e: &DataFusionError) -> bool {
    let text = e.to_string();
    text.contains("[VARIANT_PATH_TYPE_MISMATCH]") || text.contains("[VARIANT_DUPLICATE_KEY]")
}

/// The call being made: the function's name and the path as written, for error messages.
pub(super) struct Call<'p> {
    pub function: &'p str,
    pub path: &'p str,
    pub segments: &'p [Segment],
}

/// `v` with `edit` applied at the call's path.
pub(super) fn edit(v: Variant<'_>, call: &Call<'_>, edit: Edit<'_>) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut b = Builder::new();
    if call.segments.is_empty() {
        match edit {
            Edit::Append(value) => append_to(&mut b, v, value, call, 0)?,
            _ => return Err(invalid_target(call.path, call.function)),
        }
    } else {
        apply(&mut b, v, call, 0, edit)?;
    }
    b.finish()
}

/// Writes `v` with the edit applied at `call.segments[depth..]`.
fn apply(b: &mut Builder, v: Variant<'_>, call: &Call<'_>, depth: usize, edit: Edit<'_>) -> Result<()> {
    let segment = &call.segments[depth];
    let last = depth + 1 == call.segments.len();
    let mismatch = || type_mismatch(call.path, &prefix_text(call.segments, depth), call.function);
    match (segment, v.get()?) {
        (Segment::Key(key), Value::Object(object)) => {
            let start = b.position();
            let mut fields = Vec::with_capacity(object.len() + 1);
            let mut found = false;
            for i in 0..object.len() {
                let (k, child) = object.field(i)?;
                if k != key {
                    b.field(&mut fields, k, start);
                    b.variant(child)?;
                    continue;
                }
                found = true;
                match (last, edit) {
                    (true, Edit::Delete) => {}
                    (true, Edit::Insert(_)) => return Err(duplicate_key(key)),
                    (true, Edit::Set { value, .. }) => {
                        b.field(&mut fields, k, start);
                        b.variant(value)?;
                    }
                    (true, Edit::Append(value)) => {
                        b.field(&mut fields, k, start);
                        append_to(b, child, value, call, depth + 1)?;
                    }
                    (false, _) => {
                        b.field(&mut fields, k, start);
                        apply(b, child, call, depth + 1, edit)?;
                    }
                }
            }
            if !found && edit.creates() {
                b.field(&mut fields, key, start);
                create(b, &call.segments[depth + 1..], edit)?;
            }
            b.finish_object(start, fields)
        }
        (Segment::Index(index), Value::Array(list)) => {
            let index = *index;
            let start = b.position();
            let mut offsets = Vec::with_capacity(list.len() + 1);
            for i in 0..list.len() {
                let child = list.get(i)?;
                if i != index {
                    offsets.push(b.position() - start);
                    b.variant(child)?;
                    continue;
                }
                match (last, edit) {
                    (true, Edit::Delete) => {}
                    (true, Edit::Insert(value)) => {
                        offsets.push(b.position() - start);
                        b.variant(value)?;
                        offsets.push(b.position() - start);
                        b.variant(child)?;
                    }
                    (true, Edit::Set { value, .. }) => {
                        offsets.push(b.position() - start);
                        b.variant(value)?;
                    }
                    (true, Edit::Append(value)) => {
                        offsets.push(b.position() - start);
                        append_to(b, child, value, call, depth + 1)?;
                    }
                    (false, _) => {
                        offsets.push(b.position() - start);
                        apply(b, child, call, depth + 1, edit)?;
                    }
                }
            }
            if index >= list.len() && edit.creates() {
                // Missing elements up to the index are variant nulls.
                for _ in list.len()..index {
                    offsets.push(b.position() - start);
                    b.null();
                }
                offsets.push(b.position() - start);
                create(b, &call.segments[depth + 1..], edit)?;
            }
            b.finish_array(start, &offsets)
        }
        // Nothing to delete where the path leads nowhere.
        (_, _) if matches!(edit, Edit::Delete) => b.variant(v),
        _ => Err(mismatch()),
    }
}

/// The value the rest of the path leads to, in new containers: objects for names, arrays padded
/// with nulls for indexes.
fn create(b: &mut Builder, rest: &[Segment], edit: Edit<'_>) -> Result<()> {
    let Some((first, rest)) = rest.split_first() else {
        return match edit {
            Edit::Set { value, .. } | Edit::Insert(value) | Edit::Append(value) => b.variant(value),
            Edit::Delete => Ok(()),
        };
    };
    let start = b.position();
    match first {
        Segment::Key(key) => {
            let mut fields = Vec::with_capacity(1);
            b.field(&mut fields, key, start);
            create(b, rest, edit)?;
            b.finish_object(start, fields)
        }
        Segment::Index(index) => {
            let mut offsets = Vec::with_capacity(index + 1);
            for _ in 0..*index {
                offsets.push(b.position() - start);
                b.null();
            }
            offsets.push(b.position() - start);
            create(b, rest, edit)?;
            b.finish_array(start, &offsets)
        }
    }
}

/// `target` (the value at the path) with `value` appended; it must be an array.
fn append_to(b: &mut Builder, target: Variant<'_>, value: Variant<'_>, call: &Call<'_>, depth: usize) -> Result<()> {
    let Value::Array(list) = target.get()? else {
        return Err(type_mismatch(call.path, &prefix_text(call.segments, depth), call.function));
    };
    let start = b.position();
    let mut offsets = Vec::with_capacity(list.len() + 1);
    for i in 0..list.len() {
        offsets.push(b.position() - start);
        b.variant(list.get(i)?)?;
    }
    offsets.push(b.position() - start);
    b.variant(value)?;
    b.finish_array(start, &offsets)
}

/// `v` without the null fields of its objects, at every depth, and without the null elements of
/// its arrays when `arrays`.
pub(super) fn strip_nulls(v: Variant<'_>, arrays: bool) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut b = Builder::new();
    strip(&mut b, v, arrays)?;
    b.finish()
}

fn strip(b: &mut Builder, v: Variant<'_>, arrays: bool) -> Result<()> {
    match v.get()? {
        Value::Object(object) => {
            let start = b.position();
            let mut fields = Vec::with_capacity(object.len());
            for i in 0..object.len() {
                let (k, child) = object.field(i)?;
                if !child.is_null()? {
                    b.field(&mut fields, k, start);
                    strip(b, child, arrays)?;
                }
            }
            b.finish_object(start, fields)
        }
        Value::Array(list) => {
            let start = b.position();
            let mut offsets = Vec::with_capacity(list.len());
            for i in 0..list.len() {
                let child = list.get(i)?;
                if !(arrays && child.is_null()?) {
                    offsets.push(b.position() - start);
                    strip(b, child, arrays)?;
                }
            }
            b.finish_array(start, &offsets)
        }
        _ => b.variant(v),
    }
}
