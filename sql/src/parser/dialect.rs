//! Ember's sqlparser dialect: how Spark SQL tokenizes and which of sqlparser's grammar options
//! Spark's grammar has. Spark quotes identifiers with backticks only (`"x"` is a string), has
//! `DIV`, `RLIKE`/`REGEXP`, lambdas, `FILTER (WHERE ...)` on aggregates, `GROUP BY ... WITH
//! ROLLUP`, `VALUES` as a relation and `LONG` as `BIGINT`.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr};
use datafusion::sql::sqlparser::dialect::{Dialect, Precedence};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};

#[derive(Debug, Default, Clone, Copy)]
pub struct SparkDialect;

impl Dialect for SparkDialect {
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }

    /// Spark's identifiers are letters, digits and `_` (a name may start with a digit when it is
    /// not a number, which the tokenizer already reads as a number first).
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_alphabetic() || ch == '_'
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_alphanumeric() || ch == '_'
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        true
    }

    fn supports_group_by_expr(&self) -> bool {
        true
    }

    fn supports_group_by_with_modifier(&self) -> bool {
        true
    }

    fn supports_lambda_functions(&self) -> bool {
        true
    }

    /// `STRUCT<a: INT, b STRING>` as a type (and `STRUCT(...)` as a value).
    fn supports_struct_literal(&self) -> bool {
        true
    }

    fn supports_nested_comments(&self) -> bool {
        true
    }

    fn supports_values_as_table_factor(&self) -> bool {
        true
    }

    fn supports_bang_not_operator(&self) -> bool {
        true
    }

    fn supports_cte_without_as(&self) -> bool {
        true
    }

    fn supports_long_type_as_bigint(&self) -> bool {
        true
    }

    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        true
    }

    /// `SELECT posexplode(a) AS (p, c)`: a generator's columns named at once.
    fn supports_select_item_multi_column_alias(&self) -> bool {
        true
    }

    fn supports_bitwise_shift_operators(&self) -> bool {
        true
    }

    fn supports_window_clause_named_window_reference(&self) -> bool {
        true
    }

    /// A clause keyword that ends the statement (`FROM t WHERE`) is the relation's alias, as
    /// Spark's grammar (where such keywords are not reserved) reads it.
    fn is_table_factor_alias(&self, explicit: bool, kw: &Keyword, parser: &mut Parser) -> bool {
        use datafusion::sql::sqlparser::tokenizer::Token;
        explicit
            || self.is_table_alias(kw, parser)
            || (*kw != Keyword::NoKeyword && matches!(parser.peek_token_ref().token, Token::EOF | Token::SemiColon))
    }

    /// Spark's interval literals ([`super::interval`]) and `TRIM` ([`super::trim`]).
    ///
    /// `EXTRACT(field FROM source)`: a call of Spark's `extract` with the field as written
    /// (sqlparser's `Extract` keeps only its own spelling of the fields it knows, and Spark
    /// names the column with the user's).
    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        use datafusion::sql::sqlparser::ast::{Ident, ObjectName, Value};
        use datafusion::sql::sqlparser::tokenizer::Token;
        if parser.peek_keyword(Keyword::INTERVAL) {
            return super::interval::parse(parser);
        }
        if let Some(trim) = super::trim::parse(parser) {
            return Some(trim);
        }
        if let Some(literal) = datetime_literal(parser) {
            return Some(literal);
        }
        if let Some(call) = exists_function(parser) {
            return Some(call);
        }
        let [extract, open, field, from] = parser.peek_tokens_ref::<4>().map(|t| &t.token);
        let is = |t: &Token, k: Keyword| matches!(t, Token::Word(w) if w.keyword == k);
        let field = match field {
            Token::Word(w) if w.quote_style.is_none() => w.value.clone(),
            _ => return None,
        };
        if !is(extract, Keyword::EXTRACT) || *open != Token::LParen || !is(from, Keyword::FROM) {
            return None;
        }
        // The call is placed where `EXTRACT` is written, for errors that point at it.
        let span = parser.peek_token_ref().span;
        for _ in 0..4 {
            parser.next_token();
        }
        let source = match parser.parse_expr().and_then(|e| parser.expect_token(&Token::RParen).map(|_| e)) {
            Ok(source) => source,
            Err(e) => return Some(Err(e)),
        };
        let field = Expr::Value(Value::SingleQuotedString(field).with_empty_span());
        let mut call = crate::analyzer::syntax::call("extract", vec![field, source]);
        if let Expr::Function(f) = &mut call {
            f.name = ObjectName::from(vec![Ident::with_span(span, "extract")]);
        }
        Some(Ok(call))
    }

    /// `a DIV b`: integral division, binding as `*` and `/` do; `[NOT] LIKE|ILIKE ANY|SOME|ALL (...)`.
    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, _precedence: u8) -> Option<Result<Expr, ParserError>> {
        if let Some(quantified) = super::quantifiers::parse(parser, expr) {
            return Some(quantified);
        }
        if let Some(unsigned) = shift_right_unsigned(self, parser, expr) {
            return Some(unsigned);
        }
        if !parser.parse_keyword(Keyword::DIV) {
            return None;
        }
        let right = match parser.parse_subexpr(self.prec_value(Precedence::MulDivModOp)) {
            Ok(right) => right,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(Expr::BinaryOp { left: Box::new(expr.clone()), op: BinaryOperator::MyIntegerDivide, right: Box::new(right) }))
    }

    /// `DIV` is an operator of `*`'s precedence (`>>>` has `>>`'s, the default).
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        let token = parser.peek_token();
        match &token.token {
            datafusion::sql::sqlparser::tokenizer::Token::Word(w) if w.keyword == Keyword::DIV => {
                Some(Ok(self.prec_value(Precedence::MulDivModOp)))
            }
            _ => None,
        }
    }
}

/// `a >>> b`, which the tokenizer reads as `>>` and `>` written together: a call of
/// [`crate::operator_function::SHIFT_RIGHT_UNSIGNED`], bound as `>>` binds.
/// Spark's datetime literals, `DATE '...'`, `TIMESTAMP '...'`, `TIMESTAMP_LTZ '...'` (another
/// spelling of TIMESTAMP, which sqlparser does not know) and `TIMESTAMP_NTZ '...'`, and a
/// binary literal written `X '...'`. A value
/// Spark would not read is refused here, as Spark refuses it while parsing, with the literal
/// as the query context.
fn datetime_literal(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    use datafusion::sql::sqlparser::ast::{DataType, TimezoneInfo, TypedString, Value};
    use datafusion::sql::sqlparser::tokenizer::Token;
    let [name, text] = parser.peek_tokens_ref::<2>().map(|t| t.clone());
    let Token::Word(word) = &name.token else {
        return None;
    };
    let Token::SingleQuotedString(value) = text.token else {
        return None;
    };
    // `X 'F0'`: the binary literal written as a typed literal, as Spark reads it too.
    if word.quote_style.is_none() && word.value.eq_ignore_ascii_case("x") {
        parser.next_token();
        parser.next_token();
        return Some(Ok(Expr::Value(Value::HexStringLiteral(value).with_span(text.span))));
    }
    let (data_type, kind) = match word.value.to_ascii_uppercase().as_str() {
        _ if word.quote_style.is_some() => return None,
        "DATE" => (DataType::Date, "DATE"),
        "TIMESTAMP" | "TIMESTAMP_LTZ" => (DataType::Timestamp(None, TimezoneInfo::None), "TIMESTAMP"),
        "TIMESTAMP_NTZ" => (DataType::TimestampNtz(None), "TIMESTAMP_NTZ"),
        _ => return None,
    };
    parser.next_token();
    parser.next_token();
    let valid = match kind {
        "DATE" => crate::datetime_cast::read_date(&value).is_some(),
        _ => crate::datetime_cast::read_timestamp(&value).is_some(),
    };
    if !valid {
        let message = format!("[INVALID_TYPED_LITERAL] The value of the typed literal \"{kind}\" is invalid: '{value}'. SQLSTATE: 42604");
        return Some(Err(super::parse_error::spark_error(&message, Some(name.span.union(&text.span)))));
    }
    Some(Ok(Expr::TypedString(TypedString {
        data_type,
        value: Value::SingleQuotedString(value).with_span(text.span),
        uses_odbc_syntax: false,
    })))
}

fn shift_right_unsigned(dialect: &SparkDialect, parser: &mut Parser, left: &Expr) -> Option<Result<Expr, ParserError>> {
    use datafusion::sql::sqlparser::tokenizer::Token;
    let [shift, gt] = parser.peek_tokens_ref::<2>();
    if shift.token != Token::ShiftRight || gt.token != Token::Gt || shift.span.end != gt.span.start {
        return None;
    }
    parser.next_token();
    parser.next_token();
    let right = match parser.parse_subexpr(dialect.prec_value(Precedence::Caret)) {
        Ok(right) => right,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(crate::analyzer::syntax::call(crate::operator_function::SHIFT_RIGHT_UNSIGNED, vec![left.clone(), right])))
}

/// `exists(array, x -> ...)`: Spark's higher-order function, which sqlparser reads as the
/// `EXISTS (query)` predicate. It is the predicate only when a query follows the parenthesis.
fn exists_function(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    use datafusion::sql::sqlparser::ast::{Ident, ObjectName};
    use datafusion::sql::sqlparser::tokenizer::Token;
    let [exists, open, first] = parser.peek_tokens_ref::<3>().map(|t| &t.token);
    let Token::Word(word) = exists else {
        return None;
    };
    let query = |t: &Token| {
        *t == Token::LParen
            || matches!(t, Token::Word(w) if matches!(w.keyword, Keyword::SELECT | Keyword::WITH | Keyword::FROM | Keyword::VALUES | Keyword::TABLE))
    };
    if word.keyword != Keyword::EXISTS || *open != Token::LParen || query(first) {
        return None;
    }
    let span = parser.peek_token_ref().span;
    parser.next_token();
    Some(parser.parse_function(ObjectName::from(vec![Ident::with_span(span, "exists")])))
}
