//! `DataFrame.show()`'s table, as Spark's `showString` lays it out.

use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::RecordBatch;

use ember_sql::value_format::{ValueStyle, format_field_column};

/// Spark never makes a column narrower than this.
const MIN_WIDTH: usize = 3;

/// Renders up to `n` rows of `batches` (which may hold `n + 1` rows, to tell whether more
/// exist). `truncate` is the cell width limit (0 = none); `vertical` prints one block per row.
pub fn show_string(schema: &Schema, batches: &[RecordBatch], n: usize, truncate: usize, vertical: bool) -> Result<String, ArrowError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for batch in batches {
        let columns: Vec<Vec<String>> = batch
            .columns()
            .iter()
            .zip(batch.schema().fields())
            .map(|(c, f)| format_field_column(c, f, ValueStyle::Show))
            .collect::<Result<_, _>>()?;
        for r in 0..batch.num_rows() {
            rows.push(columns.iter().map(|c| c[r].clone()).collect());
        }
    }
    let has_more = rows.len() > n;
    rows.truncate(n);
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let cut = |s: &str| truncate_cell(s, truncate);
    let mut out = if vertical { vertical_table(&names, &rows, cut) } else { table(&names, &rows, truncate, cut) };
    if has_more {
        let word = if n == 1 { "row" } else { "rows" };
        // Spark 4 ends this line without a newline (print() supplies the only one).
        out.push_str(&format!("only showing top {n} {word}"));
    }
    Ok(out)
}

fn truncate_cell(s: &str, truncate: usize) -> String {
    let len = width(s);
    if truncate == 0 || len <= truncate {
        return s.to_string();
    }
    if truncate < 4 {
        s.chars().take(truncate).collect()
    } else {
        let kept: String = s.chars().take(truncate - 3).collect();
        format!("{kept}...")
    }
}

/// Display width: East Asian wide characters take two cells, as in Spark's `stringHalfWidth`.
fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

fn pad(s: &str, w: usize, left: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if left { format!("{fill}{s}") } else { format!("{s}{fill}") }
}

fn table(names: &[String], rows: &[Vec<String>], truncate: usize, cut: impl Fn(&str) -> String) -> String {
    // Spark 4 truncates cells but never the column names.
    let header: Vec<String> = names.to_vec();
    let body: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h).max(MIN_WIDTH)).collect();
    for row in &body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let sep: String = widths.iter().fold(String::from("+"), |mut s, w| {
        s.push_str(&"-".repeat(*w));
        s.push('+');
        s
    });
    // Spark right-aligns when truncating and left-aligns when `truncate=False`.
    let right = truncate > 0;
    let line = |cells: &[String]| -> String {
        let mut s = String::from("|");
        for (cell, w) in cells.iter().zip(&widths) {
            s.push_str(&pad(cell, *w, right));
            s.push('|');
        }
        s
    };
    let mut out = String::new();
    out.push_str(&sep);
    out.push('\n');
    out.push_str(&line(&header));
    out.push('\n');
    out.push_str(&sep);
    out.push('\n');
    for row in &body {
        out.push_str(&line(row));
        out.push('\n');
    }
    out.push_str(&sep);
    out.push('\n');
    out
}

fn vertical_table(names: &[String], rows: &[Vec<String>], cut: impl Fn(&str) -> String) -> String {
    if rows.is_empty() {
        return "(0 rows)\n".into();
    }
    let body: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()).collect();
    let name_w = names.iter().map(|n| width(n)).fold(MIN_WIDTH, usize::max);
    let data_w = body.iter().flat_map(|r| r.iter().map(|c| width(c))).fold(MIN_WIDTH, usize::max);
    let mut out = String::new();
    for (i, row) in body.iter().enumerate() {
        let header = format!("-RECORD {i}");
        let dashes = (name_w + data_w + 5).saturating_sub(header.len());
        out.push_str(&header);
        out.push_str(&"-".repeat(dashes));
        out.push('\n');
        for (name, cell) in names.iter().zip(row) {
            out.push_str(&format!(" {} | {} \n", pad(name, name_w, false), pad(cell, data_w, false)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field};
    use std::sync::Arc;

    fn batch() -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int32, true), Field::new("name", DataType::Utf8, true)]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int32Array::from(vec![Some(1), None])),
                Arc::new(StringArray::from(vec!["a very long string indeed, longer", "b"])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn table_matches_spark() {
        let b = batch();
        let s = show_string(&b.schema(), std::slice::from_ref(&b), 1, 20, false).unwrap();
        assert_eq!(
            s,
            "+---+--------------------+\n| id|                name|\n+---+--------------------+\n|  1|a very long strin...|\n+---+--------------------+\nonly showing top 1 row"
        );
    }

    #[test]
    fn vertical_matches_spark() {
        let b = batch();
        let s = show_string(&b.schema(), std::slice::from_ref(&b), 20, 0, true).unwrap();
        // Record header spans name width (4) + data width (33) + 5.
        let header = format!("-RECORD 0{}\n", "-".repeat(4 + 33 + 5 - 9));
        assert!(s.starts_with(&format!("{header} id   | 1{} \n", " ".repeat(32))), "{s}");
    }
}
