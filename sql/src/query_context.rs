//! Spark's query context: the `== SQL (line L, position P) ==` block Spark prints after an
//! error that one part of a statement raised (a division by zero, an index out of bounds, a
//! malformed cast), with the part underlined by carets.
//!
//! Spark shows the line(s) the part is on, cut to 32 characters of text on either side of it
//! (`...` marks a side that reaches 32 characters, cut or not), each followed by a line of
//! carets under the part.

use datafusion::sql::sqlparser::tokenizer::Location;

/// Characters of text kept on either side of the part.
const EXTRA: usize = 32;

/// The index in `chars` of the char at a sqlparser location (line and column from 1), where
/// parse and run-time errors place their part.
pub fn index_of(chars: &[char], at: Location) -> Option<usize> {
    let (line, column) = (usize::try_from(at.line).ok()?, usize::try_from(at.column).ok()?);
    let mut current = 1;
    let mut line_start = 0;
    for (i, c) in chars.iter().enumerate() {
        if current == line {
            break;
        }
        if *c == '\n' {
            current += 1;
            line_start = i + 1;
        }
    }
    (current == line && column >= 1).then(|| line_start + column - 1)
}

/// The block for the characters `start..=stop` (indices of chars) of `text`.
pub fn summary(text: &str, start: usize, stop: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || start > stop || stop >= chars.len() {
        return String::new();
    }
    let line = 1 + chars[..start].iter().filter(|c| **c == '\n').count();
    let line_start = chars[..start].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
    let mut out = format!("== SQL (line {line}, position {}) ==\n", start - line_start + 1);
    // The text shown: back to the line's start and on to its end, at most EXTRA characters.
    let from = line_start.max(start.saturating_sub(EXTRA));
    let line_end = chars[stop..].iter().position(|c| *c == '\n').map_or(chars.len(), |i| stop + i);
    let to = line_end.min(stop + 1 + EXTRA);
    // Spark marks a side as cut once it reaches the limit, even when nothing is left out.
    let (cut_before, cut_after) = (start - line_start >= EXTRA, line_end.saturating_sub(stop + 1) >= EXTRA);
    let mut index = from;
    for (n, segment) in chars[from..to].split(|c| *c == '\n').enumerate() {
        let lead = if n == 0 && cut_before { "..." } else { "" };
        let last = index + segment.len() == to;
        let tail = if last && cut_after { "..." } else { "" };
        out.push_str(lead);
        out.extend(segment.iter());
        out.push_str(tail);
        out.push('\n');
        out.push_str(&" ".repeat(lead.len()));
        for i in index..index + segment.len() {
            if i < start {
                out.push(' ');
            } else if i <= stop {
                out.push('^');
            }
        }
        out.push('\n');
        index += segment.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn a_short_statement_is_shown_whole() {
        let text = "SELECT 1 / 0";
        assert_eq!(summary(text, 7, 11), "== SQL (line 1, position 8) ==\nSELECT 1 / 0\n       ^^^^^\n");
    }

    /// As spark-sql 4 printed them: a side of exactly 32 characters is marked as cut.
    #[test]
    fn a_side_of_the_limit_is_marked() {
        let before = "SELECT 'abcdefghijklmnopqrstu', 1 / 0";
        assert_eq!(
            summary(before, 32, 36),
            "== SQL (line 1, position 33) ==\n...SELECT 'abcdefghijklmnopqrstu', 1 / 0\n                                   ^^^^^\n"
        );
        let after = "SELECT 1 / 0, 'abcdefghijklmnopqrstuvwxyzab'";
        assert_eq!(
            summary(after, 7, 11),
            "== SQL (line 1, position 8) ==\nSELECT 1 / 0, 'abcdefghijklmnopqrstuvwxyzab'...\n       ^^^^^\n"
        );
        let short = "SELECT 1 / 0, 'abcdefghijklmnopqrstuvwxyza'";
        assert_eq!(summary(short, 7, 11), "== SQL (line 1, position 8) ==\nSELECT 1 / 0, 'abcdefghijklmnopqrstuvwxyza'\n       ^^^^^\n");
    }

    /// As spark-sql 4 printed it for this statement.
    #[test]
    fn a_long_line_is_cut_around_the_part() {
        let text = "SELECT id, initcap(name) AS nm, lower(email) AS em, split_part(email, '@', 2) AS domain, address.city, size(phones) AS n_phones, phones[0] AS first_phone FROM cust ORDER BY id";
        let start = text.find("phones[0]").unwrap_or_default();
        assert_eq!(
            summary(text, start, start + 8),
            "== SQL (line 1, position 130) ==\n...city, size(phones) AS n_phones, phones[0] AS first_phone FROM cust ORDER ...\n                                   ^^^^^^^^^\n"
        );
    }
}
