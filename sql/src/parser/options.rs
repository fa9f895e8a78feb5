//! Spark's property lists: `OPTIONS (path '/x', header 'true', 'k' = 'v', a.b 1)`. Keys are
//! identifiers joined by dots or string literals, `=` is optional, values are strings,
//! numbers or booleans. Data source options are case-insensitive, so keys are lower-cased.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::parser::Parser;
use datafusion::sql::sqlparser::tokenizer::Token;

use super::commands::{OrParseError, Source, unexpected};
use crate::error::Result;

pub fn parse_options(p: &mut Parser, source: &Source<'_>) -> Result<BTreeMap<String, String>> {
    p.expect_token(&Token::LParen).or_parse_error(source)?;
    let mut options = BTreeMap::new();
    if p.consume_token(&Token::RParen) {
        return Ok(options);
    }
    loop {
        let key = match p.next_token().token {
            Token::SingleQuotedString(s) => s,
            Token::Word(w) => {
                let mut key = w.value;
                while p.consume_token(&Token::Period) {
                    match p.next_token().token {
                        Token::Word(w) => {
                            key.push('.');
                            key.push_str(&w.value);
                        }
                        _ => {
                            p.prev_token();
                            return unexpected(p, source);
                        }
                    }
                }
                key
            }
            _ => {
                p.prev_token();
                return unexpected(p, source);
            }
        };
        let _ = p.consume_token(&Token::Eq);
        let value = match p.next_token().token {
            Token::SingleQuotedString(s) => s,
            Token::Number(n, _) => n,
            Token::Minus => match p.next_token().token {
                Token::Number(n, _) => format!("-{n}"),
                _ => {
                    p.prev_token();
                    return unexpected(p, source);
                }
            },
            Token::Word(w) if w.value.eq_ignore_ascii_case("true") || w.value.eq_ignore_ascii_case("false") => w.value.to_lowercase(),
            _ => {
                p.prev_token();
                return unexpected(p, source);
            }
        };
        options.insert(key.to_lowercase(), value);
        if p.consume_token(&Token::RParen) {
            return Ok(options);
        }
        p.expect_token(&Token::Comma).or_parse_error(source)?;
    }
}
