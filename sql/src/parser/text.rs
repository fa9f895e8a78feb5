//! Slices of SQL text by token location, for the parts Spark reads as raw text (`SET` keys and
//! values, DDL schemas).

use datafusion::sql::sqlparser::tokenizer::Location;

/// The byte offset of a sqlparser location (line and column from 1, columns in characters).
pub fn offset(text: &str, at: Location) -> usize {
    let (Ok(line), Ok(column)) = (usize::try_from(at.line), usize::try_from(at.column)) else {
        return text.len();
    };
    if line == 0 {
        return text.len();
    }
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..].char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_per_line() {
        let text = "ab\nçd e";
        assert_eq!(offset(text, Location { line: 2, column: 3 }), 6);
        assert_eq!(&text[offset(text, Location { line: 2, column: 3 })..], " e");
        assert_eq!(offset(text, Location { line: 0, column: 0 }), text.len());
    }
}
