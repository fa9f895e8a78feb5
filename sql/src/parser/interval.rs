//! Spark's interval literals in the grammar: `INTERVAL value unit [value unit ...]` and
//! `INTERVAL 'text' unit TO unit`, parsed into a call of
//! [`crate::interval_literal::INTERVAL_LITERAL`] with the literal's Spark name and type.
//! `INTERVAL 'text'` without a unit is left to sqlparser (DataFusion reads `'1 day 2 hours'`).
//! A malformed literal fails with Spark's message and query context
//! ([`crate::interval_text`]).

use datafusion::sql::sqlparser::ast::{Expr, Value};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use crate::interval_literal::{INTERVAL_LITERAL, Interval, Unit};
use crate::interval_text::{Part, Place};

/// A value token at `n` tokens ahead (a number, a signed number or a string) and how many
/// tokens it takes.
fn value_at(parser: &Parser, n: usize) -> Option<(String, bool, usize)> {
    match &parser.peek_nth_token_ref(n).token {
        Token::Number(v, _) => Some((v.clone(), false, 1)),
        Token::SingleQuotedString(v) => Some((v.clone(), true, 1)),
        sign @ (Token::Minus | Token::Plus) => match &parser.peek_nth_token_ref(n + 1).token {
            Token::Number(v, _) => Some((format!("{}{v}", if *sign == Token::Minus { "-" } else { "" }), false, 2)),
            _ => None,
        },
        _ => None,
    }
}

fn unit_at(parser: &Parser, n: usize) -> Option<String> {
    match &parser.peek_nth_token_ref(n).token {
        Token::Word(w) if w.quote_style.is_none() && Unit::parse(&w.value).is_some() => Some(w.value.clone()),
        _ => None,
    }
}

/// `INTERVAL value` with no unit after it. A number needs one: Spark's syntax error names what
/// follows it. A string is Spark's multi-unit text (`'1 day 2 hours'`), left to sqlparser when
/// every value in it has a unit, and an INVALID_TYPED_LITERAL otherwise (`'3'`).
fn without_unit(parser: &mut Parser, value: &str, quoted: bool, width: usize) -> Option<Result<Expr, ParserError>> {
    if !quoted {
        return (width == 1).then(|| parser.expected_ref("an interval unit", parser.peek_nth_token_ref(2)));
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    let paired = !words.is_empty()
        && words.len().is_multiple_of(2)
        && words.chunks(2).all(|pair| pair[0].trim_start_matches(['-', '+']).parse::<f64>().is_ok() && Unit::parse(pair[1]).is_some());
    if paired {
        return None;
    }
    let span = parser.peek_token_ref().span.union(&parser.peek_nth_token_ref(1).span);
    let message = format!("[INVALID_TYPED_LITERAL] The value of the typed literal \"INTERVAL\" is invalid: '{value}'. SQLSTATE: 42604");
    Some(Err(super::parse_error::spark_error(&message, Some(span))))
}

/// The interval literal starting at the `INTERVAL` keyword, or `None` (nothing consumed) when
/// it is not one of Spark's forms with units.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let (first, first_is_text, width) = value_at(parser, 1)?;
    let Some(unit) = unit_at(parser, 1 + width) else {
        return without_unit(parser, &first, first_is_text, width);
    };
    let mut ahead = 2 + width;
    let interval = if matches!(&parser.peek_nth_token_ref(ahead).token, Token::Word(w) if w.keyword == Keyword::TO) {
        let end = unit_at(parser, ahead + 1)?;
        ahead += 2;
        let (start_unit, end_unit) = (Unit::parse(&unit)?.0, Unit::parse(&end)?.0);
        Interval::from_text(&first, start_unit, end_unit, (&unit, &end))
    } else {
        let mut parts = vec![Part { value: first, quoted: first_is_text, unit }];
        while let Some((value, quoted, w)) = value_at(parser, ahead)
            && let Some(unit) = unit_at(parser, ahead + w)
        {
            parts.push(Part { value, quoted, unit });
            ahead += w + 1;
        }
        Interval::from_units(&parts)
    };
    // The literal spans its text, for errors that point at it.
    let last = parser.peek_nth_token_ref(ahead - 1).span;
    let span = parser.peek_token_ref().span.union(&last);
    let value_span = parser.peek_nth_token_ref(1).span.union(&last);
    for _ in 0..ahead {
        parser.next_token();
    }
    Some(match interval {
        Ok(i) => Ok(placed(call(&i), span)),
        Err(e) => Err(super::parse_error::spark_error(
            &e.message,
            match e.place {
                Place::Keyword => Some(span),
                Place::Value => Some(value_span),
                Place::Nowhere => None,
            },
        )),
    })
}

/// `call` with its name placed at `span`.
fn placed(mut call: Expr, span: datafusion::sql::sqlparser::tokenizer::Span) -> Expr {
    if let Expr::Function(f) = &mut call {
        f.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![datafusion::sql::sqlparser::ast::Ident::with_span(
            span,
            INTERVAL_LITERAL,
        )]);
    }
    call
}

fn call(interval: &Interval) -> Expr {
    let value = interval.value();
    let string = |s: String| Expr::Value(Value::SingleQuotedString(s).with_empty_span());
    let number = |n: i64| Expr::Value(Value::Number(n.to_string(), false).with_empty_span());
    let args = [
        string(interval.name()),
        string(interval.type_name()),
        number(i64::from(value.months)),
        number(i64::from(value.days)),
        number(value.nanoseconds),
    ];
    crate::analyzer::syntax::call(INTERVAL_LITERAL, args.into())
}
