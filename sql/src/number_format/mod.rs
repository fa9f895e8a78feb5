//! Spark's number formats (`to_number`, `try_to_number`, `to_char`/`to_varchar` of numbers):
//! `0`/`9` digits, `.`/`D` decimal point, `,`/`G` grouping, `$`, `S`/`MI` signs and `PR` angle
//! brackets for negatives. The format is read once into tokens ([`Format::new`]), checked as
//! Spark checks it, then used to read text ([`parse`]) or write decimals ([`format`]).

pub mod functions;
mod parse;
mod write;

use datafusion::common::Result;
use datafusion::error::DataFusionError;

/// One element of a format string.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// Digits and grouping separators, in format order. `Exact(n)`: `n` digits starting with `0`
    /// before the decimal point (that many digits must be given); `AtMost(n)`: up to `n`.
    Digits(Vec<Group>),
    Point,
    Dollar,
    /// `S`: `+` or `-`.
    PlusOrMinus,
    /// `MI`: `-` or nothing.
    Minus,
    /// `PR`: `<` before the number.
    OpenBracket,
    /// `PR`: `>` after it.
    CloseBracket,
    Invalid(char),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Group {
    Exact(usize),
    AtMost(usize),
    Separator,
}

impl Group {
    fn digits(self) -> usize {
        match self {
            Group::Exact(n) | Group::AtMost(n) => n,
            Group::Separator => 0,
        }
    }
}

impl Token {
    /// How Spark names the token in its errors.
    fn describe(&self) -> String {
        match self {
            Token::Digits(_) => "digit sequence".into(),
            Token::Point => ". or D".into(),
            Token::Dollar => "$".into(),
            Token::PlusOrMinus => "S".into(),
            Token::Minus => "MI".into(),
            Token::OpenBracket | Token::CloseBracket => "PR".into(),
            Token::Invalid(c) => format!("character '{c}''"),
        }
    }
}

/// Whether a token may stand in one slot of Spark's format order.
type Matches = fn(&Token) -> bool;

/// A checked number format.
#[derive(Debug, Clone)]
pub struct Format {
    text: String,
    tokens: Vec<Token>,
    precision: usize,
    scale: usize,
}

fn invalid(kind: &str, format: &str, detail: &str) -> DataFusionError {
    DataFusionError::Plan(format!("[INVALID_FORMAT.{kind}] The format is invalid: '{format}'. {detail} SQLSTATE: 42601"))
}

impl Format {
    /// The tokens of `text`, checked as Spark checks a format when the call is analyzed.
    pub fn new(text: &str) -> Result<Self> {
        let text = &text.to_uppercase();
        let tokens = tokens(text);
        let digits_before = |until: usize| tokens[..until].iter().map(token_digits).sum::<usize>();
        let precision = digits_before(tokens.len());
        let point = tokens.iter().position(|t| *t == Token::Point);
        let scale = point.map_or(0, |p| precision - digits_before(p));
        let format = Format { text: text.to_string(), tokens, precision, scale };
        format.check()?;
        Ok(format)
    }

    /// Spark's DECIMAL type of the numbers this format reads.
    pub fn decimal_type(&self) -> (u8, i8) {
        (self.precision.clamp(1, 38) as u8, self.scale.min(38) as i8)
    }

    fn check(&self) -> Result<()> {
        let text = &self.text;
        let index = |t: &Token| self.tokens.iter().position(|x| x == t);
        if text.is_empty() {
            return Err(invalid("EMPTY", text, "The number format string cannot be empty."));
        }
        let first_digits = self.tokens.iter().position(|t| matches!(t, Token::Digits(_)));
        let Some(first_digits) = first_digits else {
            return Err(invalid("WRONG_NUM_DIGIT", text, "The format string requires at least one number digit."));
        };
        if index(&Token::Dollar).is_some_and(|d| first_digits < d) {
            return Err(invalid("CUR_MUST_BEFORE_DIGIT", text, "Currency characters must appear before digits in the number format."));
        }
        let point = index(&Token::Point);
        if let (Some(p), Some(d)) = (point, index(&Token::Dollar))
            && p < d
        {
            return Err(invalid(
                "CUR_MUST_BEFORE_DEC",
                text,
                "Currency characters must appear before any decimal point in the number format.",
            ));
        }
        for (i, token) in self.tokens.iter().enumerate() {
            let Token::Digits(groups) = token else { continue };
            let before_point = point.is_none_or(|p| i < p);
            let separator_at = |j: usize| groups.get(j) == Some(&Group::Separator);
            if before_point
                && groups
                    .iter()
                    .enumerate()
                    .any(|(j, g)| *g == Group::Separator && (j == 0 || j == groups.len() - 1 || separator_at(j - 1) || separator_at(j + 1)))
            {
                return Err(invalid(
                    "CONT_THOUSANDS_SEPS",
                    text,
                    "Thousands separators (, or G) must have digits in between them in the number format.",
                ));
            }
            if !before_point && groups.contains(&Group::Separator) {
                return Err(invalid(
                    "THOUSANDS_SEPS_MUST_BEFORE_DEC",
                    text,
                    "Thousands separators (, or G) may not appear after the decimal point in the number format.",
                ));
            }
        }
        for unique in [Token::Point, Token::PlusOrMinus, Token::Minus, Token::Dollar, Token::CloseBracket] {
            if self.tokens.iter().filter(|t| **t == unique).count() > 1 {
                return Err(invalid(
                    "WRONG_NUM_TOKEN",
                    text,
                    &format!("At most one {} is allowed in the number format.", unique.describe()),
                ));
            }
        }
        // Spark's order: [PR] [MI|S] [$] digits [.] digits [$] [PR|MI|S].
        let slots: [&[Matches]; 8] = [
            &[|t| *t == Token::OpenBracket],
            &[|t| *t == Token::Minus, |t| *t == Token::PlusOrMinus],
            &[|t| *t == Token::Dollar],
            &[|t| matches!(t, Token::Digits(_))],
            &[|t| *t == Token::Point],
            &[|t| matches!(t, Token::Digits(_))],
            &[|t| *t == Token::Dollar],
            &[|t| *t == Token::Minus, |t| *t == Token::PlusOrMinus, |t| *t == Token::CloseBracket],
        ];
        let mut at = 0;
        for slot in slots {
            if self.tokens.get(at).is_some_and(|t| slot.iter().any(|m| m(t))) {
                at += 1;
            }
        }
        if let Some(unexpected) = self.tokens.get(at) {
            return Err(invalid(
                "UNEXPECTED_TOKEN",
                text,
                &format!(
                    "Found the unexpected {} in the format string; the structure of the valid format is [MI|S] [$] [0|9|G|,]* [.|D] [0|9]* [$] [PR|MI|S].",
                    unexpected.describe()
                ),
            ));
        }
        Ok(())
    }
}

fn token_digits(t: &Token) -> usize {
    match t {
        Token::Digits(groups) => groups.iter().map(|g| g.digits()).sum(),
        _ => 0,
    }
}

/// The tokens of a format string; runs of digits and separators become one `Digits`.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut past_point = false;
    let mut i = 0;
    let flush = |groups: &mut Vec<Group>, out: &mut Vec<Token>| {
        if !groups.is_empty() {
            out.push(Token::Digits(std::mem::take(groups)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '0' | '9' => {
                let start = i;
                while i < chars.len() && matches!(chars[i], '0' | '9') {
                    i += 1;
                }
                let n = i - start;
                groups.push(if c == '0' && !past_point { Group::Exact(n) } else { Group::AtMost(n) });
                continue;
            }
            ',' | 'G' => groups.push(Group::Separator),
            _ => {
                flush(&mut groups, &mut out);
                match c {
                    '.' | 'D' => {
                        out.push(Token::Point);
                        past_point = true;
                    }
                    '$' => out.push(Token::Dollar),
                    'S' => out.push(Token::PlusOrMinus),
                    'M' if chars.get(i + 1) == Some(&'I') => {
                        out.push(Token::Minus);
                        i += 1;
                    }
                    // The brackets wrap everything before `PR` (and `PR` can only end a format).
                    'P' if chars.get(i + 1) == Some(&'R') => {
                        out.insert(0, Token::OpenBracket);
                        out.push(Token::CloseBracket);
                        i += 1;
                    }
                    other => out.push(Token::Invalid(other)),
                }
            }
        }
        i += 1;
    }
    flush(&mut groups, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_as_spark_reads_them() -> Result<()> {
        let f = Format::new("99G999D9S")?;
        assert_eq!(f.decimal_type(), (6, 1));
        assert_eq!(Format::new("$99.99")?.decimal_type(), (4, 2));
        for bad in ["", "x", "9,", "99.9,9", "9.9.9", "9$"] {
            assert!(Format::new(bad).is_err(), "{bad}");
        }
        Ok(())
    }
}
