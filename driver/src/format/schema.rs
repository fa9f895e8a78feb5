//! `printSchema()`'s tree, as Spark's `StructType.treeString` prints it.

use datafusion::arrow::datatypes::{DataType, Schema};
use ember_sql::type_name;

/// `root` followed by one ` |-- name: type (nullable = ...)` line per field, nested types indented.
pub fn tree_string(schema: &Schema, max_level: Option<usize>) -> String {
    let mut out = String::from("root\n");
    for f in schema.fields() {
        field_lines(&mut out, f.name(), f.data_type(), Some(("nullable", f.is_nullable())), 1, max_level);
    }
    out
}

fn field_lines(out: &mut String, name: &str, dt: &DataType, null: Option<(&str, bool)>, level: usize, max: Option<usize>) {
    if max.is_some_and(|m| level > m) {
        return;
    }
    let nullability = null.map(|(word, v)| format!(" ({word} = {v})")).unwrap_or_default();
    out.push_str(&format!("{}{name}: {}{nullability}\n", indent(level), type_name(dt)));
    nested(out, dt, level + 1, max);
}

fn indent(level: usize) -> String {
    let mut s = String::from(" |");
    for _ in 1..level {
        s.push_str("    |");
    }
    s.push_str("-- ");
    s
}

fn nested(out: &mut String, dt: &DataType, level: usize, max: Option<usize>) {
    match dt {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            field_lines(out, "element", f.data_type(), Some(("containsNull", f.is_nullable())), level, max);
        }
        // A variant is one value, whatever Arrow holds it in.
        DataType::Struct(_) if ember_sql::variant::is_variant(dt) => {}
        DataType::Struct(fields) => {
            for f in fields {
                field_lines(out, f.name(), f.data_type(), Some(("nullable", f.is_nullable())), level, max);
            }
        }
        DataType::Map(entries, _) => {
            if let DataType::Struct(kv) = entries.data_type()
                && kv.len() == 2
            {
                field_lines(out, "key", kv[0].data_type(), None, level, max);
                field_lines(out, "value", kv[1].data_type(), Some(("valueContainsNull", kv[1].is_nullable())), level, max);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::Field;
    use std::sync::Arc;

    #[test]
    fn nested_tree() {
        let schema = Schema::new(vec![
            Field::new("a", DataType::Int32, false),
            Field::new("l", DataType::List(Arc::new(Field::new("element", DataType::Utf8, true))), true),
        ]);
        assert_eq!(
            tree_string(&schema, None),
            "root\n |-- a: integer (nullable = false)\n |-- l: array (nullable = true)\n |    |-- element: string (containsNull = true)\n"
        );
    }
}
