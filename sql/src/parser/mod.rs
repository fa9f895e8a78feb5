//! The Spark SQL parser: text in, a typed [`Statement`] (or expression) out, for every path
//! that reads SQL — `spark.sql`, `ember-sql`, `expr()`/`selectExpr`/`filter("...")` strings.
//!
//! Spark's lexical rules are applied first ([`crate::lexer::normalize_quotes`]: `"..."` strings,
//! backslash escapes, typed number literals); the text is then tokenized with
//! [`SparkDialect`]. Spark's own commands (views, caching, `SHOW`, `DESCRIBE`, `SET`, ...) are
//! parsed here from those tokens ([`commands`]); queries by sqlparser's grammar in the same
//! dialect. Errors are Spark's `ParseException` text ([`parse_error`]).

mod commands;
pub mod dialect;
mod interval;
pub mod lateral_view;
mod options;
pub mod parse_error;
mod quantifiers;
pub mod statement;
mod text;
pub(crate) mod trim;

use datafusion::sql::sqlparser::ast;
use datafusion::sql::sqlparser::parser::Parser;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

pub use dialect::SparkDialect;
pub use statement::{
    CreateTable, CreateTempView, ExplainMode, FunctionScope, Insert, ObjectKind, SetCommand, Statement, TableInfo, TableName, ViewBody,
};

use crate::error::Result;

/// Parses one statement (a trailing `;` is allowed, as Spark allows it).
pub fn parse_statement(sql: &str) -> Result<Statement> {
    let normalized = crate::lexer::normalize_quotes(sql);
    let tokens =
        Tokenizer::new(&SparkDialect, &normalized).tokenize_with_location().map_err(|e| parse_error::from_sqlparser(sql, &e.into()))?;
    if tokens.iter().all(|t| matches!(t.token, Token::Whitespace(_) | Token::SemiColon)) {
        return Err(parse_error::empty_statement(sql));
    }
    let tokens = lateral_view::mark_views_without_aliases(tokens);
    let mut parser = Parser::new(&SparkDialect).with_tokens_with_locations(tokens);
    let source = commands::Source { original: sql, normalized: &normalized };
    let statement = commands::parse(&mut parser, &source)?;
    commands::expect_end(&mut parser, sql)?;
    Ok(statement)
}

/// Parses an expression string (`expr("a + 1 AS b")`): the expression and its alias, if any.
pub fn parse_expression(sql: &str) -> Result<(ast::Expr, Option<ast::Ident>)> {
    let normalized = crate::lexer::normalize_quotes(sql);
    let mut parser = Parser::new(&SparkDialect).try_with_sql(&normalized).map_err(|e| parse_error::from_sqlparser(sql, &e))?;
    if parser.peek_token().token == Token::EOF {
        return Err(parse_error::empty_statement(sql));
    }
    let expr = parser.parse_expr().map_err(|e| parse_error::from_sqlparser(sql, &e))?;
    // Spark's named expression: `e AS name`, or `e name`.
    let explicit = parser.parse_keyword(datafusion::sql::sqlparser::keywords::Keyword::AS);
    let alias = if explicit || matches!(parser.peek_token().token, Token::Word(_)) {
        Some(parser.parse_identifier().map_err(|e| parse_error::from_sqlparser(sql, &e))?)
    } else {
        None
    };
    let next = parser.peek_token();
    if next.token != Token::EOF {
        let at = parse_error::Position::from_location(next.span.start).unwrap_or(parse_error::Position { line: 1, pos: 0 });
        return Err(parse_error::syntax_error(sql, Some(&next.token.to_string()), at));
    }
    Ok((expr, alias))
}

#[cfg(test)]
mod tests;
