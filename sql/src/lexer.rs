//! The lexical side of Spark SQL that DataFusion's parser does not share.
//!
//! Spark reads `"text"` as a string literal (identifiers are quoted with backticks), so double
//! quoted strings are rewritten to single-quoted ones before DataFusion parses the text. The
//! same scanner splits a script into statements at top-level semicolons for `ember-sql`.

/// Rewrites Spark's string literals as standard SQL ones DataFusion reads the same way: double
/// quoted strings become single-quoted, and Spark's backslash escapes (`\n`, `\'`, `\\`,
/// `\u0041`, ...) are decoded, as Spark's parser decodes them.
pub fn normalize_quotes(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                out.push(c);
                copy_quoted(&mut chars, &mut out, c);
            }
            '\'' | '"' => {
                out.push('\'');
                for d in unescape_literal(&mut chars, c).chars() {
                    if d == '\'' {
                        out.push('\'');
                    }
                    out.push(d);
                }
                out.push('\'');
            }
            'r' | 'R' if matches!(chars.peek(), Some('\'' | '"')) && !out.ends_with(|p: char| is_word_char(&p)) => {
                // A raw string (`r'\d+'`): its text as written, no escapes decoded.
                let Some(quote) = chars.next() else { break };
                out.push('\'');
                for d in chars.by_ref() {
                    if d == quote {
                        break;
                    }
                    if d == '\'' {
                        out.push('\'');
                    }
                    out.push(d);
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
            '0'..='9' if !out.ends_with(|p: char| p.is_alphanumeric() || p == '_' || p == '.') => {
                let (number, suffix) = scan_number(c, &mut chars);
                match crate::typed_literal::rewrite(&number, &suffix) {
                    Some(call) => out.push_str(&call),
                    None => {
                        out.push_str(&number);
                        out.push_str(&suffix);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_word_char(c: &char) -> bool {
    c.is_alphanumeric() || *c == '_'
}

/// A number starting with `first` (digits, a fraction, an exponent) and the type suffix right
/// after it (`D`, `F`, `L`, `S`, `Y`, `BD`), if one ends the word.
fn scan_number(first: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (String, String) {
    let mut number = first.to_string();
    while let Some(d) = chars.next_if(char::is_ascii_digit) {
        number.push(d);
    }
    let mut ahead = chars.clone();
    if ahead.next() == Some('.') && ahead.peek().is_some_and(char::is_ascii_digit) {
        number.push(chars.next().unwrap_or('.'));
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            number.push(d);
        }
    }
    let mut ahead = chars.clone();
    if let Some(e) = ahead.next().filter(|e| *e == 'e' || *e == 'E') {
        let sign = ahead.next_if(|x| *x == '+' || *x == '-');
        if ahead.peek().is_some_and(char::is_ascii_digit) {
            chars.next();
            number.push(e);
            if let Some(sign) = sign {
                chars.next();
                number.push(sign);
            }
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                number.push(d);
            }
        }
    }
    let mut ahead = chars.clone();
    let suffix: String = match (ahead.next(), ahead.next()) {
        (Some(b @ ('b' | 'B')), Some(d @ ('d' | 'D'))) if !ahead.peek().is_some_and(is_word_char) => [b, d].iter().collect(),
        (Some(x @ ('d' | 'D' | 'f' | 'F' | 'l' | 'L' | 's' | 'S' | 'y' | 'Y')), next) if !next.as_ref().is_some_and(is_word_char) => {
            x.to_string()
        }
        _ => String::new(),
    };
    for _ in 0..suffix.len() {
        chars.next();
    }
    (number, suffix)
}

/// The value of a string literal whose opening `quote` was just read, with Spark's escapes
/// decoded (`\%` and `\_` stay escaped: they are LIKE's).
fn unescape_literal(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, quote: char) -> String {
    let mut value = String::new();
    while let Some(d) = chars.next() {
        if d == quote {
            break;
        }
        if d != '\\' {
            value.push(d);
            continue;
        }
        let Some(e) = chars.next() else {
            value.push('\\');
            break;
        };
        match e {
            'u' => {
                let hex: String = (0..4).filter_map(|_| chars.next_if(char::is_ascii_hexdigit)).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).filter(|_| hex.len() == 4) {
                    Some(ch) => value.push(ch),
                    None => {
                        value.push('u');
                        value.push_str(&hex);
                    }
                }
            }
            '0'..='7' => {
                let mut digits = e.to_string();
                while digits.len() < 3
                    && let Some(o) = chars.next_if(|x| ('0'..='7').contains(x))
                {
                    digits.push(o);
                }
                match (digits.len(), u32::from_str_radix(&digits, 8).ok().and_then(char::from_u32)) {
                    (3, Some(ch)) => value.push(ch),
                    _ if digits == "0" => value.push('\0'),
                    _ => value.push_str(&digits),
                }
            }
            'b' => value.push('\u{8}'),
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            'Z' => value.push('\u{1a}'),
            '%' | '_' => {
                value.push('\\');
                value.push(e);
            }
            other => value.push(other),
        }
    }
    value
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
    fn raw_strings_keep_their_backslashes() {
        assert_eq!(normalize_quotes(r#"SELECT r'\d+', R"a'b", chr'x'"#), r"SELECT '\d+', 'a''b', chr'x'");
    }

    #[test]
    fn string_escapes_are_decoded_as_spark_does() {
        assert_eq!(
            normalize_quotes(r"SELECT 'a\tb', 'it\'s', '\\d+', '\u0041\101', 'x\%y\_', 'q\z'"),
            "SELECT 'a\tb', 'it''s', '\\d+', 'AA', 'x\\%y\\_', 'qz'"
        );
        assert_eq!(normalize_quotes(r#"SELECT "say \"hi\"", '$[\'a b\']'"#), r#"SELECT 'say "hi"', '$[''a b'']'"#);
    }

    #[test]
    fn typed_number_literals_become_typed_calls() {
        assert_eq!(
            normalize_quotes("SELECT 1.0D, 2.5f, 10L, 1e20, 1.5E-3, 1.50BD, 7, 1.5, t1d, x.1, 3 AS d"),
            "SELECT spark_typed_literal('1.0', 'double'), spark_typed_literal('2.5', 'float'), spark_typed_literal('10', 'bigint'), \
             spark_typed_literal('1e20', 'double'), spark_typed_literal('1.5E-3', 'double'), spark_typed_literal('1.50', 'decimal(3,2)'), \
             7, 1.5, t1d, x.1, 3 AS d"
        );
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
