//! Reading text with a number format (`to_number`): the text must follow the format token by
//! token; digits may be fewer than the format's `9`s but not than its leading `0`s, and groups
//! between separators are matched from the right.

use super::{Format, Group, Token};

/// The digits of the text `input` read with `format`, as an unscaled value at the format's
/// scale; `None` when the text does not follow the format.
pub(super) fn parse(format: &Format, input: &str) -> Option<i128> {
    let chars: Vec<char> = input.chars().collect();
    let (mut before, mut after) = (String::new(), String::new());
    let (mut at, mut past_point, mut negate) = (0usize, false, false);
    let (mut opened, mut closed) = (false, false);
    for token in &format.tokens {
        let next = chars.get(at).copied();
        match token {
            Token::Digits(groups) => at = digits(groups, &chars, at, past_point, &mut before, &mut after)?,
            Token::Point => {
                if next == Some('.') {
                    past_point = true;
                    at += 1;
                }
            }
            Token::Dollar => match next {
                Some('$') => at += 1,
                Some(_) => return None,
                None => {}
            },
            Token::PlusOrMinus => match next {
                Some('+') => at += 1,
                Some('-') => {
                    negate = !negate;
                    at += 1;
                }
                _ => {}
            },
            Token::Minus => {
                if next == Some('-') {
                    negate = !negate;
                    at += 1;
                }
            }
            Token::OpenBracket => {
                if next == Some('<') {
                    if opened {
                        return None;
                    }
                    opened = true;
                    at += 1;
                }
            }
            Token::CloseBracket => {
                if next == Some('>') {
                    if !opened {
                        return None;
                    }
                    closed = true;
                    negate = !negate;
                    at += 1;
                }
            }
            Token::Invalid(_) => return None,
        }
    }
    if at < chars.len() || opened != closed || (before.is_empty() && after.is_empty()) {
        return None;
    }
    while after.len() < format.scale {
        after.push('0');
    }
    let unscaled: i128 = format!("{before}{after}").parse().unwrap_or(0);
    Some(if negate { -unscaled } else { unscaled })
}

/// Reads a run of digits, separators and spaces from `at`, checking its groups against the
/// format's; returns where the run ends.
fn digits(groups: &[Group], chars: &[char], mut at: usize, past_point: bool, before: &mut String, after: &mut String) -> Option<usize> {
    let mut sizes = vec![0usize];
    while let Some(&c) = chars.get(at) {
        if c.is_ascii_digit() {
            if let Some(last) = sizes.last_mut() {
                *last += 1;
            }
            if past_point { after.push(c) } else { before.push(c) }
        } else if c == ',' {
            sizes.push(0);
        } else if !c.is_whitespace() {
            break;
        }
        at += 1;
    }
    let expected: Vec<Group> = groups.iter().copied().filter(|g| *g != Group::Separator).collect();
    if sizes.len() > expected.len() {
        return None;
    }
    // Groups are matched from the right: leading groups of the format may be left out.
    for (i, want) in expected.iter().rev().enumerate() {
        let got = if i < sizes.len() { sizes[sizes.len() - 1 - i] } else { 0 };
        let fits = match want {
            Group::Exact(n) => got == *n,
            Group::AtMost(n) => got <= *n,
            Group::Separator => true,
        };
        if !fits {
            return None;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::common::Result;

    #[test]
    fn texts_read_as_spark_reads_them() -> Result<()> {
        let read = |text: &str, fmt: &str| Format::new(fmt).map(|f| parse(&f, text));
        assert_eq!(read("454", "999")?, Some(454));
        assert_eq!(read("454.00", "000.00")?, Some(45400));
        assert_eq!(read("12,454", "99,999")?, Some(12454));
        assert_eq!(read("$78.12", "$99.99")?, Some(7812));
        assert_eq!(read("12,454.8-", "99,999.9S")?, Some(-124548));
        assert_eq!(read("<123>", "999PR")?, Some(-123));
        assert_eq!(read("1234", "999")?, None);
        assert_eq!(read("12", "0000")?, None);
        assert_eq!(read("abc", "999")?, None);
        Ok(())
    }
}
