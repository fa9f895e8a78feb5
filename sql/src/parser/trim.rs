//! Spark's `TRIM` syntax: `TRIM([BOTH | LEADING | TRAILING] [chars] FROM str)`, `TRIM(str)` and
//! the two-argument `TRIM(chars, str)` (characters first, as Spark's function takes them).
//!
//! Each is sqlparser's `Trim` node with the string as its operand and the characters as what is
//! trimmed, which prints back as `TRIM(c FROM s)` and so reads the same when re-parsed.
//! DataFusion plans it as `trim`/`ltrim`/`rtrim(s[, c])` (`trim` is Spark's own function, apart
//! from `btrim`, which Spark names as written), which [`crate::naming`] names as Spark does:
//! `trim(s)`, `ltrim(s)` for `TRIM(LEADING FROM s)`, `TRIM(BOTH c FROM s)`.

use datafusion::sql::sqlparser::ast::{Expr, TrimWhereField};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// Parses a `TRIM(...)` when the parser is at `TRIM (`; `None` otherwise.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let [trim, open] = parser.peek_tokens_ref::<2>().map(|t| &t.token);
    if !matches!(trim, Token::Word(w) if w.keyword == Keyword::TRIM) || *open != Token::LParen {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some(parse_arguments(parser))
}

fn parse_arguments(parser: &mut Parser) -> Result<Expr, ParserError> {
    let side = match parser.parse_one_of_keywords(&[Keyword::BOTH, Keyword::LEADING, Keyword::TRAILING]) {
        Some(Keyword::LEADING) => Some(TrimWhereField::Leading),
        Some(Keyword::TRAILING) => Some(TrimWhereField::Trailing),
        Some(_) => Some(TrimWhereField::Both),
        None => None,
    };
    // `TRIM(LEADING FROM s)`: no characters, the default space.
    if parser.parse_keyword(Keyword::FROM) {
        let source = parser.parse_expr()?;
        parser.expect_token(&Token::RParen)?;
        return Ok(trim(side, source, None));
    }
    let first = parser.parse_expr()?;
    // `TRIM(chars FROM s)`, or Spark's `TRIM(chars, s)` when no side is written.
    let (source, chars) = if parser.parse_keyword(Keyword::FROM) || (side.is_none() && parser.consume_token(&Token::Comma)) {
        (parser.parse_expr()?, Some(first))
    } else {
        (first, None)
    };
    parser.expect_token(&Token::RParen)?;
    Ok(trim(side, source, chars))
}

/// The `Trim` node; characters are trimmed from both sides unless a side is written, so `BOTH`
/// is left out (DataFusion plans a `Trim` without a side as the function `trim`).
pub fn trim(side: Option<TrimWhereField>, source: Expr, chars: Option<Expr>) -> Expr {
    let side = side.filter(|s| *s != TrimWhereField::Both);
    Expr::Trim { expr: Box::new(source), trim_where: side, trim_what: chars.map(Box::new), trim_characters: None }
}
