//! Spark's `ParseException` text, written once for every path that parses SQL (statements,
//! `expr()` strings, DDL schemas): the error class and message, the position as
//! `(line L, pos P)` (P counted from 0), then the statement under `== SQL ==` with a caret line
//! under the offending token, exactly as Spark 4 prints it.

use datafusion::sql::sqlparser::parser::ParserError;
use datafusion::sql::sqlparser::tokenizer::{Location, Span};

use crate::error::SqlError;

/// A position in SQL text: line from 1, column from 0 (Spark's `pos`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub pos: usize,
}

impl Position {
    /// sqlparser counts columns from 1.
    pub fn from_location(location: Location) -> Option<Position> {
        let line = usize::try_from(location.line).ok().filter(|l| *l > 0)?;
        let column = usize::try_from(location.column).ok()?;
        Some(Position { line, pos: column.saturating_sub(1) })
    }

    /// Spark's `; line L pos P` after an analysis error's message.
    pub fn suffix(&self) -> String {
        format!("; line {} pos {}", self.line, self.pos)
    }

    /// Where "end of input" is: after the last character that is not blank.
    pub fn end_of(sql: &str) -> Position {
        let trimmed = sql.trim_end();
        let line = trimmed.lines().count().max(1);
        let pos = trimmed.rsplit('\n').next().map_or(0, |l| l.chars().count());
        Position { line, pos }
    }
}

/// `[PARSE_SYNTAX_ERROR] Syntax error at or near 'X'.` (or `... near end of input.`).
pub fn syntax_error(sql: &str, near: Option<&str>, at: Position) -> SqlError {
    let near = match near {
        Some(token) => format!("'{token}'"),
        None => "end of input".to_string(),
    };
    parse_exception(sql, &format!("[PARSE_SYNTAX_ERROR] Syntax error at or near {near}. SQLSTATE: 42601"), Some(at))
}

/// Any parse error of class and message `message` (which ends with its SQLSTATE), laid out
/// with the statement and a caret as Spark's `ParseException.getMessage` does.
pub fn parse_exception(sql: &str, message: &str, at: Option<Position>) -> SqlError {
    let mut out = format!("\n{message}");
    if let Some(at) = at {
        out.push_str(&format!(" (line {}, pos {})\n\n== SQL ==\n", at.line, at.pos));
        let mut lines = sql.split('\n').peekable();
        let mut n = 0;
        while let Some(line) = lines.next() {
            n += 1;
            out.push_str(line);
            out.push('\n');
            if n == at.line {
                out.push_str(&"-".repeat(at.pos));
                out.push_str("^^^\n");
            }
            if lines.peek().is_none() && n < at.line {
                out.push_str(&"-".repeat(at.pos));
                out.push_str("^^^\n");
            }
        }
    } else {
        out.push('\n');
    }
    SqlError::Parse { message: out, position: at.map(|p| p.pos) }
}

/// A statement that parses but that Spark's parser refuses, shown as Spark shows such an error:
/// the message, then the statement under `== SQL (line 1, position 1) ==`, underlined.
pub fn invalid_statement(sql: &str, message: &str) -> SqlError {
    let text = sql.trim().trim_end_matches(';').trim_end();
    let width = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    SqlError::Parse { message: format!("\n{message}\n== SQL (line 1, position 1) ==\n{text}\n{}\n", "^".repeat(width)), position: Some(0) }
}

/// `[PARSE_EMPTY_STATEMENT]`: nothing but blanks and comments.
pub fn empty_statement(sql: &str) -> SqlError {
    parse_exception(
        sql,
        "[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617",
        Some(Position { line: 1, pos: 0 }),
    )
}

/// sqlparser's errors are text, so an error of Ember's own grammar that Spark reports in its
/// own words (not as a syntax error) travels as text marked with this prefix:
/// `<mark><start line>:<start column>:<end line>:<end column>:<message>` for one with a query
/// context, `<mark>-:<message>` for one without. [`from_sqlparser`] reads it back.
const SPARK_ERROR: &str = "\u{1}spark-error:";

/// Spark's error `message` for the text at `span` (its query context), or with none.
pub fn spark_error(message: &str, span: Option<Span>) -> ParserError {
    let place = match span {
        Some(s) => format!("{}:{}:{}:{}", s.start.line, s.start.column, s.end.line, s.end.column),
        None => "-".to_string(),
    };
    ParserError::ParserError(format!("{SPARK_ERROR}{place}:{message}"))
}

/// A [`spark_error`] read back: the message, then the query context of the span it names.
fn from_spark_error(sql: &str, marked: &str) -> SqlError {
    let mut fields = marked.splitn(5, ':');
    let numbers: Vec<Option<u64>> = fields.by_ref().take(4).map(|f| f.parse().ok()).collect();
    let rest = fields.next();
    // Spans are of the text as the lexer read it; they are the user's when that is the same.
    let placeable = crate::lexer::normalize_quotes(sql) == sql;
    if let ([Some(l1), Some(c1), Some(l2), Some(c2)], Some(message)) = (numbers.as_slice(), rest)
        && placeable
    {
        let chars: Vec<char> = sql.chars().collect();
        let start = crate::query_context::index_of(&chars, Location { line: *l1, column: *c1 });
        // A span ends after its last character.
        let end = crate::query_context::index_of(&chars, Location { line: *l2, column: *c2 });
        if let (Some(start), Some(end)) = (start, end.and_then(|e| e.checked_sub(1))) {
            let context = crate::query_context::summary(sql, start, end);
            return SqlError::Parse { message: format!("\n{message}\n{context}"), position: Some(start) };
        }
        return parse_exception(sql, message, None);
    }
    let message = match rest {
        Some(message) if numbers.iter().all(Option::is_some) => message,
        _ => marked.strip_prefix("-:").unwrap_or(marked),
    };
    parse_exception(sql, message, None)
}

/// A sqlparser error as Spark reports it: sqlparser names the token it found and where
/// (`Expected: X, found: T at Line: L, Column: C`), which is what Spark's message shows.
pub fn from_sqlparser(sql: &str, error: &ParserError) -> SqlError {
    let text = match error {
        ParserError::TokenizerError(t) | ParserError::ParserError(t) => t.as_str(),
        ParserError::RecursionLimitExceeded => {
            return parse_exception(sql, "[PARSE_SYNTAX_ERROR] Syntax error: the statement nests too deeply. SQLSTATE: 42601", None);
        }
    };
    // sqlparser may append where it was when the error came up.
    if let Some(marked) = text.find(SPARK_ERROR).map(|i| &text[i + SPARK_ERROR.len()..]) {
        let marked = marked.rsplit_once(" at Line: ").filter(|(_, loc)| location(loc).is_some()).map_or(marked, |(m, _)| m);
        return from_spark_error(sql, marked);
    }
    let (body, at) = match text.rsplit_once(" at Line: ") {
        Some((body, loc)) => (body, location(loc)),
        None => (text, None),
    };
    let found = body.rsplit_once("found: ").map(|(_, f)| f.trim());
    match (found, at) {
        (Some("EOF"), _) | (None, None) => syntax_error(sql, None, Position::end_of(sql)),
        (Some(token), at) => syntax_error(sql, Some(token), at.unwrap_or(Position { line: 1, pos: 0 })),
        (None, Some(at)) => syntax_error(sql, token_at(sql, at).as_deref(), at),
    }
}

/// `L, Column: C` after `at Line: `.
fn location(text: &str) -> Option<Position> {
    let (line, rest) = text.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Position::from_location(Location { line: line.trim().parse().ok()?, column: column.parse().ok()? })
}

/// The word (or single character) of `sql` at a position, for errors that do not name one.
fn token_at(sql: &str, at: Position) -> Option<String> {
    let line = sql.split('\n').nth(at.line.checked_sub(1)?)?;
    let rest: String = line.chars().skip(at.pos).collect();
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if !word.is_empty() {
        return Some(word);
    }
    rest.chars().next().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: SqlError) -> String {
        e.to_string()
    }

    #[test]
    fn caret_under_the_token() {
        let e = syntax_error("SELECT 1\nFORM t", Some("FORM"), Position { line: 2, pos: 0 });
        assert_eq!(
            message(e),
            "\n[PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM'. SQLSTATE: 42601 (line 2, pos 0)\n\n== SQL ==\nSELECT 1\nFORM t\n^^^\n"
        );
    }

    #[test]
    fn end_of_input() {
        assert_eq!(Position::end_of("SELECT 1 +  \n"), Position { line: 1, pos: 10 });
        let e = from_sqlparser("SELECT 1 +", &ParserError::ParserError("Expected: an expression, found: EOF".into()));
        assert!(message(e).starts_with("\n[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 10)"));
    }

    #[test]
    fn sqlparser_positions_are_spark_positions() {
        let e =
            from_sqlparser("SELEC 2", &ParserError::ParserError("Expected: an SQL statement, found: SELEC at Line: 1, Column: 1".into()));
        assert_eq!(
            message(e),
            "\n[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)\n\n== SQL ==\nSELEC 2\n^^^\n"
        );
    }
}
