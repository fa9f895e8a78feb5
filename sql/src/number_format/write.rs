//! Writing a decimal with a number format (`to_char`): digits right-aligned in the format's
//! digit positions, leading `0`s padded with zeros and `9`s with spaces, signs and brackets moved
//! next to the first digit, and `#`s where the number does not fit.

use super::{Format, Group, Token};

/// `plain` (a decimal in plain notation, `-12454.8`) written with `format`.
pub(super) fn write(format: &Format, plain: &str) -> String {
    let negative = plain.starts_with('-') && plain.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let int = int.trim_start_matches(['-', '0']);
    let frac = frac.trim_end_matches('0');
    let digits_before = format.precision - format.scale;
    let digits_after = format.scale;
    let (int, frac) = if int.len() > digits_before || frac.len() > digits_after {
        ("#".repeat(digits_before), "#".repeat(digits_after))
    } else {
        (int.to_string(), frac.to_string())
    };
    let before: Vec<char> = " ".repeat(digits_before - int.len()).chars().chain(int.chars()).collect();
    let after: Vec<char> = frac.chars().chain("0".repeat(digits_after - frac.len()).chars()).collect();
    let (mut b, mut a) = (0usize, 0usize);
    let mut past_point = false;
    let mut out: Vec<char> = Vec::new();
    for token in &format.tokens {
        match token {
            Token::Digits(groups) => {
                for group in groups {
                    match group {
                        Group::Separator => {
                            if out.last().is_some_and(char::is_ascii_digit) {
                                out.push(',');
                            } else {
                                space(&mut out);
                            }
                        }
                        _ if past_point => {
                            for _ in 0..group.digits() {
                                out.push(after.get(a).copied().unwrap_or('0'));
                                a += 1;
                            }
                        }
                        _ => {
                            for _ in 0..group.digits() {
                                match before.get(b).copied().unwrap_or(' ') {
                                    ' ' if matches!(group, Group::Exact(_)) => out.push('0'),
                                    ' ' => space(&mut out),
                                    c => out.push(c),
                                }
                                b += 1;
                            }
                        }
                    }
                }
            }
            Token::Point => {
                // No integer digits: the point follows a zero.
                if out.last() == Some(&' ') {
                    out.pop();
                    out.push('0');
                }
                out.push('.');
                past_point = true;
            }
            Token::Dollar => out.push('$'),
            Token::PlusOrMinus => {
                drop_lone_point(&mut out);
                sign(&mut out, if negative { '-' } else { '+' });
            }
            Token::Minus => {
                if negative {
                    drop_lone_point(&mut out);
                    sign(&mut out, '-');
                } else {
                    out.push(' ');
                }
            }
            Token::OpenBracket => {
                if negative {
                    out.push('<');
                }
            }
            Token::CloseBracket => {
                drop_lone_point(&mut out);
                if negative {
                    sign(&mut out, '>');
                } else {
                    out.push(' ');
                    out.push(' ');
                }
            }
            Token::Invalid(c) => out.push(*c),
        }
    }
    drop_lone_point(&mut out);
    let text: String = out.into_iter().collect();
    if text.is_empty() || text == "+" || text == "-" { "0".into() } else { text }
}

/// Appends `c` and moves it left past the spaces before it, next to the number.
fn sign(out: &mut Vec<char>, c: char) {
    out.push(c);
    let mut i = out.len() - 1;
    while i >= 1 && out[i - 1] == ' ' && out[i] == c {
        out.swap(i - 1, i);
        i -= 1;
    }
}

/// Appends a space and moves it left past a sign or bracket before it, which stays by the digits.
fn space(out: &mut Vec<char>) {
    out.push(' ');
    let mut i = out.len() - 1;
    while i >= 1 && matches!(out[i - 1], '+' | '-' | '<') && out[i] == ' ' {
        out.swap(i - 1, i);
        i -= 1;
    }
}

/// A decimal point with no digits after it becomes a space.
fn drop_lone_point(out: &mut [char]) {
    if let Some(i) = out.iter().position(|c| *c == '.')
        && (i == out.len() - 1 || out[i + 1] == ' ')
    {
        out[i] = ' ';
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::common::Result;

    #[test]
    fn numbers_written_as_spark_writes_them() -> Result<()> {
        let w = |plain: &str, fmt: &str| Format::new(fmt).map(|f| write(&f, plain));
        assert_eq!(w("454", "999")?, "454");
        assert_eq!(w("454.00", "000D00")?, "454.00");
        assert_eq!(w("12454", "99G999")?, "12,454");
        assert_eq!(w("78.12", "$99.99")?, "$78.12");
        assert_eq!(w("-12454.8", "99G999D9S")?, "12,454.8-");
        assert_eq!(w("4543", "99")?, "##");
        Ok(())
    }
}
