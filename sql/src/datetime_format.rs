//! Spark's datetime patterns (Java `DateTimeFormatter` letters) translated to chrono's.
//!
//! `date_format`, `to_date`, `to_timestamp` and the CSV `dateFormat`/`timestampFormat` options
//! take patterns like `yyyy-MM-dd HH:mm:ss`; DataFusion's functions take chrono's `%Y-%m-%d`.

use crate::error::{Result, SqlError};

/// Converts a Java datetime pattern to a chrono format string.
pub fn java_to_chrono(pattern: &str) -> Result<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal; '' is a single quote.
            let mut j = i + 1;
            if j < chars.len() && chars[j] == '\'' {
                out.push('\'');
                i += 2;
                continue;
            }
            while j < chars.len() && chars[j] != '\'' {
                push_literal(&mut out, chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            push_literal(&mut out, c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let spec = match (c, n) {
            ('y' | 'u', 2) => "%y",
            ('y' | 'u', _) => "%Y",
            ('M' | 'L', 1) => "%-m",
            ('M' | 'L', 2) => "%m",
            ('M' | 'L', 3) => "%b",
            ('M' | 'L', _) => "%B",
            ('d', 1) => "%-d",
            ('d', _) => "%d",
            ('D', _) => "%j",
            ('H', 1) => "%-H",
            ('H', _) => "%H",
            ('h', 1) => "%-I",
            ('h', _) => "%I",
            ('k', _) => "%k",
            ('m', 1) => "%-M",
            ('m', _) => "%M",
            ('s', 1) => "%-S",
            ('s', _) => "%S",
            ('S', 1..=3) => "%3f",
            ('S', 4..=6) => "%6f",
            ('S', _) => "%9f",
            ('a', _) => "%p",
            ('E', 1..=3) => "%a",
            ('E', _) => "%A",
            ('X' | 'x', 1) => "%#z",
            ('X' | 'x', 2) | ('Z', 1..=3) => "%z",
            ('X' | 'x', _) => "%:z",
            ('z', _) | ('V', _) => "%Z",
            _ => {
                return Err(SqlError::parse(format!("Unsupported datetime pattern letter '{c}' in \"{pattern}\"")));
            }
        };
        out.push_str(spec);
        i += n;
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    if c == '%' {
        out.push_str("%%");
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_patterns() {
        assert_eq!(java_to_chrono("yyyy-MM-dd HH:mm:ss").unwrap(), "%Y-%m-%d %H:%M:%S");
        assert_eq!(java_to_chrono("dd/MM/yyyy").unwrap(), "%d/%m/%Y");
        assert_eq!(java_to_chrono("MMM d, yyyy 'at' h a").unwrap(), "%b %-d, %Y at %-I %p");
        assert!(java_to_chrono("qqq").is_err());
    }
}
