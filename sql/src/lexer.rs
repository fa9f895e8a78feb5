//! The lexical side of Spark SQL that DataFusion's parser does not share.
//!
//! Spark reads `"text"` as a string literal (identifiers are quoted with backticks), so double
//! quoted strings are rewritten to single-quoted ones before DataFusion parses the text. The
//! same scanner splits a script into statements at top-level semicolons for `ember-sql`.

/// Rewrites Spark's double-quoted string literals as standard single-quoted ones.
pub fn normalize_quotes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '`' => {
                out.push(c);
                copy_quoted(&mut chars, &mut out, c);
            }
            '"' => {
                out.push('\'');
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                if e == '"' {
                                    out.push('"');
                                } else {
                                    out.push('\\');
                                    out.push(e);
                                }
                            }
                        }
                        '"' => break,
                        '\'' => out.push_str("''"),
                        other => out.push(other),
                    }
                }
                out.push('\'');
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn copy_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String, quote: char) {
    while let Some(d) = chars.next() {
        out.push(d);
        if d == '\\' && quote == '\'' {
            if let Some(e) = chars.next() {
                out.push(e);
            }
        } else if d == quote {
            break;
        }
    }
}

/// Splits a script into statements at semicolons outside quotes and comments.
/// Comments are kept inside statements; empty statements are dropped.
pub fn split_statements(script: &str) -> Vec<String> {
    let (mut statements, rest) = complete_statements(script);
    if !rest.trim().is_empty() {
        statements.push(rest.trim().to_string());
    }
    statements
}

/// The statements of `script` that a semicolon has ended, and the unfinished rest (what an
/// interactive shell keeps reading lines for). Comments are dropped.
pub fn complete_statements(script: &str) -> (Vec<String>, String) {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                current.push(c);
                copy_quoted(&mut chars, &mut current, c);
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        current.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                current.push(' ');
            }
            ';' => {
                if !current.trim().is_empty() {
                    statements.push(current.trim().to_string());
                }
                current.clear();
            }
            _ => current.push(c),
        }
    }
    (statements, current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_quotes_become_strings() {
        assert_eq!(normalize_quotes(r#"SELECT "a'b", `c"d` FROM t WHERE x = "y""#), r#"SELECT 'a''b', `c"d` FROM t WHERE x = 'y'"#);
    }

    #[test]
    fn unfinished_statements_are_kept_apart() {
        let (done, rest) = complete_statements("select 1; select ';\n' as x,\n 2");
        assert_eq!(done, vec!["select 1"]);
        assert_eq!(rest.trim(), "select ';\n' as x,\n 2");
        let (done, rest) = complete_statements("select 'a;\nb'; -- end;\n");
        assert_eq!(done, vec!["select 'a;\nb'"]);
        assert_eq!(rest.trim(), "");
    }

    #[test]
    fn statements_split_outside_quotes() {
        let s = split_statements("select ';' ; -- a; comment\nselect 2; /* x; */ select 3");
        assert_eq!(s, vec!["select ';'", "select 2", "select 3"]);
    }
}
