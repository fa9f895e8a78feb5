//! `ANY`, `SOME` and `ALL` after an operator, as Spark's grammar has them.
//!
//! `e [NOT] LIKE|ILIKE ANY|SOME|ALL (p1, p2, ...)` is read as Spark's parser reads it. When every
//! pattern is a string literal it is one call of [`crate::like_quantified`]'s function (named
//! `likeany(e)`, `notlikeall(e)`, ...; `ILIKE` matches `lower(e)` against lowered patterns);
//! otherwise it is the patterns' `LIKE`s joined by `OR` (`ANY`) or `AND` (`ALL`), each negated
//! under `NOT`, which is what Spark plans and names in that case.
//!
//! `e = ANY (SELECT ...)` (and the other comparisons, with `SOME` or `ALL`) is not Spark SQL:
//! Spark reads `ANY (` as a call of the aggregate `any` and fails at the `(` before a query,
//! where sqlparser would plan a quantified comparison.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, UnaryOperator, Value, ValueWithSpan};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use crate::like_quantified::Quantifier;

/// Parses the construct when the next tokens start it; `None` leaves them to sqlparser.
pub fn parse(parser: &mut Parser, expr: &Expr) -> Option<Result<Expr, ParserError>> {
    let word = |n: usize| match &parser.peek_nth_token_ref(n).token {
        Token::Word(w) => Some(w.keyword),
        _ => None,
    };
    if is_comparison(&parser.peek_nth_token_ref(0).token)
        && matches!(word(1), Some(Keyword::ANY | Keyword::SOME | Keyword::ALL))
        && parser.peek_nth_token_ref(2).token == Token::LParen
        && matches!(word(3), Some(Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::FROM))
    {
        return Some(parser.expected("an argument of a function", parser.peek_nth_token(2)));
    }
    let negated = word(0) == Some(Keyword::NOT);
    let at = usize::from(negated);
    let ilike = match word(at) {
        Some(Keyword::LIKE) => false,
        Some(Keyword::ILIKE) => true,
        _ => return None,
    };
    let all = match word(at + 1) {
        Some(Keyword::ANY | Keyword::SOME) => false,
        Some(Keyword::ALL) => true,
        _ => return None,
    };
    if parser.peek_nth_token_ref(at + 2).token != Token::LParen {
        return None;
    }
    for _ in 0..at + 2 {
        parser.next_token();
    }
    Some(patterns(parser).map(|patterns| build(expr.clone(), Quantifier { negated, all }, ilike, patterns)))
}

fn is_comparison(token: &Token) -> bool {
    matches!(token, Token::Eq | Token::DoubleEq | Token::Neq | Token::Lt | Token::LtEq | Token::Gt | Token::GtEq | Token::Spaceship)
}

fn patterns(parser: &mut Parser) -> Result<Vec<Expr>, ParserError> {
    parser.expect_token(&Token::LParen)?;
    let patterns = parser.parse_comma_separated(Parser::parse_expr)?;
    parser.expect_token(&Token::RParen)?;
    Ok(patterns)
}

fn build(expr: Expr, quantifier: Quantifier, ilike: bool, patterns: Vec<Expr>) -> Expr {
    let texts: Option<Vec<String>> = patterns.iter().map(string_literal).collect();
    if let Some(texts) = texts {
        let (expr, texts) = if ilike {
            (crate::analyzer::syntax::call("lower", vec![expr]), texts.iter().map(|t| t.to_lowercase()).collect())
        } else {
            (expr, texts)
        };
        let mut args = vec![expr];
        args.extend(texts.into_iter().map(|t| Expr::value(Value::SingleQuotedString(t))));
        return crate::analyzer::syntax::call(quantifier.function_name(), args);
    }
    let join = if quantifier.all { BinaryOperator::And } else { BinaryOperator::Or };
    let one = |pattern: Expr| {
        let like = if ilike {
            Expr::ILike { negated: false, any: false, expr: Box::new(expr.clone()), pattern: Box::new(pattern), escape_char: None }
        } else {
            Expr::Like { negated: false, any: false, expr: Box::new(expr.clone()), pattern: Box::new(pattern), escape_char: None }
        };
        if quantifier.negated { Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(Expr::Nested(Box::new(like))) } } else { like }
    };
    let mut terms = patterns.into_iter().map(one);
    let first = terms.next().unwrap_or(Expr::value(Value::Null));
    Expr::Nested(Box::new(terms.fold(first, |acc, term| Expr::BinaryOp { left: Box::new(acc), op: join.clone(), right: Box::new(term) })))
}

fn string_literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(s) | Value::DoubleQuotedString(s), .. }) => Some(s.clone()),
        _ => None,
    }
}
