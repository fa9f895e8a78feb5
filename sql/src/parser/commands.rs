//! Spark's own statements, parsed from the token stream with sqlparser's [`Parser`] (as
//! DataFusion's `DFParser` adds its statements): views over queries and files, caching, `SHOW`,
//! `DESCRIBE`, `EXPLAIN`, `SET`/`RESET`, `USE`, `DROP`, `ADD FILE`, tables and inserts. Anything
//! else is a query for sqlparser's grammar.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan};

use super::options::parse_options;
use super::parse_error::{self, Position};
use super::statement::*;
use super::text::offset;
use crate::error::{Result, SqlError};

/// The statement's text: as the user wrote it (for messages and raw-text commands) and after
/// Spark's lexical rules (what the tokens' locations point into).
pub struct Source<'a> {
    pub original: &'a str,
    pub normalized: &'a str,
}

/// Turns sqlparser's errors into Spark's `ParseException` for the statement.
pub(super) trait OrParseError<T> {
    fn or_parse_error(self, source: &Source<'_>) -> Result<T>;
}

impl<T> OrParseError<T> for std::result::Result<T, ParserError> {
    fn or_parse_error(self, source: &Source<'_>) -> Result<T> {
        self.map_err(|e| parse_error::from_sqlparser(source.original, &e))
    }
}

/// Whether a token is the (unquoted) word `word`, in any case.
pub(super) fn is_word(token: &Token, word: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
}

fn peek_word(p: &Parser, n: usize, word: &str) -> bool {
    is_word(&p.peek_nth_token(n).token, word)
}

/// Consumes the word `word` if it comes next.
pub(super) fn parse_word(p: &mut Parser, word: &str) -> bool {
    if peek_word(p, 0, word) {
        p.next_token();
        true
    } else {
        false
    }
}

fn expect_word(p: &mut Parser, word: &str, source: &Source<'_>) -> Result<()> {
    if parse_word(p, word) { Ok(()) } else { unexpected(p, source) }
}

/// A syntax error at the next token.
pub(super) fn unexpected<T>(p: &Parser, source: &Source<'_>) -> Result<T> {
    Err(error_at(&p.peek_token(), source.original))
}

fn error_at(token: &TokenWithSpan, sql: &str) -> SqlError {
    if token.token == Token::EOF {
        return parse_error::syntax_error(sql, None, Position::end_of(sql));
    }
    let at = Position::from_location(token.span.start).unwrap_or(Position { line: 1, pos: 0 });
    parse_error::syntax_error(sql, Some(&token.token.to_string()), at)
}

/// After a statement only semicolons may follow.
pub fn expect_end(p: &mut Parser, sql: &str) -> Result<()> {
    while p.consume_token(&Token::SemiColon) {}
    let next = p.peek_token();
    if next.token == Token::EOF { Ok(()) } else { Err(error_at(&next, sql)) }
}

pub fn parse(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    let first = p.peek_token();
    let word = match &first.token {
        Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        _ => String::new(),
    };
    match word.as_str() {
        "CREATE" => create(p, source),
        "DROP" => drop(p, source),
        "CACHE" => cache(p, source),
        "UNCACHE" => {
            p.next_token();
            expect_word(p, "TABLE", source)?;
            let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            let at = super::parse_error::Position::from_location(p.peek_token().span.start);
            Ok(Statement::UncacheTable { name: table_name(p, source)?, if_exists, at })
        }
        "CLEAR" => {
            p.next_token();
            expect_word(p, "CACHE", source)?;
            Ok(Statement::ClearCache)
        }
        "SHOW" => show(p, source),
        "DESCRIBE" | "DESC" => describe(p, source),
        "EXPLAIN" => {
            p.next_token();
            let mode = if parse_word(p, "EXTENDED") {
                ExplainMode::Extended
            } else if parse_word(p, "FORMATTED") {
                ExplainMode::Formatted
            } else if parse_word(p, "CODEGEN") {
                ExplainMode::Codegen
            } else if parse_word(p, "COST") {
                ExplainMode::Cost
            } else {
                parse_word(p, "SIMPLE");
                ExplainMode::Simple
            };
            Ok(Statement::Explain { mode, statement: Box::new(parse(p, source)?) })
        }
        "SET" => Ok(Statement::Set(set_command(&raw_rest(p, source)))),
        "RESET" => {
            let key = raw_rest(p, source);
            Ok(Statement::Reset(Some(key).filter(|k| !k.is_empty())))
        }
        "USE" => {
            p.next_token();
            let _ = parse_word(p, "DATABASE") || parse_word(p, "SCHEMA") || parse_word(p, "NAMESPACE");
            Ok(Statement::Use(identifier(p, source)?))
        }
        "ADD" if peek_word(p, 1, "FILE") || peek_word(p, 1, "FILES") => {
            p.next_token();
            p.next_token();
            Ok(Statement::AddFiles(raw_paths(p, source)))
        }
        "INSERT" => insert(p, source),
        _ => query_or_other(p, source),
    }
}

/// A query, or a statement of sqlparser's grammar that Spark does not have (or Ember lacks).
fn query_or_other(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    let first = p.peek_token();
    let statement = p.parse_statement().or_parse_error(source)?;
    match statement {
        ast::Statement::Query(_) => Ok(Statement::Query(Box::new(statement))),
        _ => Err(SqlError::Unsupported(format!(
            "[UNSUPPORTED_FEATURE] The feature is not supported: the statement starting with {} is not supported by Ember.",
            first.token
        ))),
    }
}

fn query(p: &mut Parser, source: &Source<'_>) -> Result<Box<ast::Statement>> {
    Ok(Box::new(ast::Statement::Query(p.parse_query().or_parse_error(source)?)))
}

fn starts_query(p: &Parser) -> bool {
    let t = p.peek_token().token;
    t == Token::LParen || ["SELECT", "WITH", "VALUES", "FROM", "TABLE"].iter().any(|w| is_word(&t, w))
}

/// `[catalog.][database.]name`, unquoted.
fn table_name(p: &mut Parser, source: &Source<'_>) -> Result<TableName> {
    let name = p.parse_object_name(false).or_parse_error(source)?;
    let mut parts: Vec<String> = name.0.iter().map(|part| part.as_ident().map_or_else(|| part.to_string(), |i| i.value.clone())).collect();
    if parts.len() == 3 && parts[0].eq_ignore_ascii_case("spark_catalog") {
        parts.remove(0);
    }
    match parts.len() {
        1 => Ok(TableName { database: None, name: parts.remove(0) }),
        2 => {
            let name = parts.remove(1);
            Ok(TableName { database: Some(parts.remove(0)), name })
        }
        _ => Err(SqlError::Analysis(format!(
            "[REQUIRES_SINGLE_PART_NAMESPACE] spark_catalog requires a single-part namespace, but got {}. SQLSTATE: 42K05",
            parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(".")
        ))),
    }
}

fn identifier(p: &mut Parser, source: &Source<'_>) -> Result<String> {
    Ok(p.parse_identifier().or_parse_error(source)?.value)
}

/// The original text after the command's first word (Spark reads `SET`/`RESET` as raw text),
/// without the final semicolons. Consumes every token.
fn raw_rest(p: &mut Parser, source: &Source<'_>) -> String {
    let keyword = p.next_token();
    // Nothing before the first word is rewritten by the lexical rules, so its location in the
    // normalized text is its location in the original.
    let start = offset(source.original, keyword.span.end).min(source.original.len());
    while p.peek_token().token != Token::EOF {
        p.next_token();
    }
    source.original.get(start..).unwrap_or("").trim().trim_end_matches(';').trim().to_string()
}

/// `ADD FILE a b 'c d'`: paths separated by blanks, optionally quoted.
fn raw_paths(p: &mut Parser, source: &Source<'_>) -> Vec<String> {
    let mut paths = Vec::new();
    while !matches!(p.peek_token().token, Token::EOF | Token::SemiColon) {
        let start = p.peek_token();
        if let Token::SingleQuotedString(s) = &start.token {
            p.next_token();
            paths.push(s.clone());
            continue;
        }
        // An unquoted path is every token up to the next blank.
        let from = offset(source.normalized, start.span.start);
        let mut to = source.normalized.len();
        p.next_token();
        loop {
            let t = p.peek_token_no_skip();
            match t.token {
                Token::EOF => break,
                Token::Whitespace(_) | Token::SemiColon => {
                    to = offset(source.normalized, t.span.start);
                    break;
                }
                _ => {
                    p.next_token_no_skip();
                }
            }
        }
        paths.push(source.normalized.get(from..to).unwrap_or("").to_string());
    }
    paths
}

/// Spark's `SET` grammar on raw text: nothing, `-v`, `key`, or `key = value`.
fn set_command(rest: &str) -> SetCommand {
    if rest.is_empty() {
        return SetCommand::All;
    }
    if rest == "-v" {
        return SetCommand::Verbose;
    }
    match rest.split_once('=') {
        Some((k, v)) => SetCommand::Put(k.trim().to_string(), v.trim().to_string()),
        None => SetCommand::Get(rest.to_string()),
    }
}

fn create(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    let replace = p.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let global = parse_word(p, "GLOBAL");
    let temporary = parse_word(p, "TEMPORARY") || parse_word(p, "TEMP");
    if temporary || global {
        expect_word(p, "VIEW", source)?;
        return create_temp_view(p, source, replace, global);
    }
    if parse_word(p, "TABLE") {
        return create_table(p, source, replace);
    }
    if parse_word(p, "DATABASE") || parse_word(p, "SCHEMA") || parse_word(p, "NAMESPACE") {
        let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
        let name = identifier(p, source)?;
        loop {
            if p.parse_keyword(Keyword::COMMENT) || p.parse_keyword(Keyword::LOCATION) {
                p.parse_literal_string().or_parse_error(source)?;
            } else if peek_word(p, 0, "WITH") && (peek_word(p, 1, "DBPROPERTIES") || peek_word(p, 1, "PROPERTIES")) {
                p.next_token();
                p.next_token();
                parse_options(p, source)?;
            } else {
                break;
            }
        }
        return Ok(Statement::CreateDatabase { name, if_not_exists });
    }
    if peek_word(p, 0, "VIEW") {
        return Err(SqlError::Unsupported(
            "[UNSUPPORTED_FEATURE] The feature is not supported: persistent views (CREATE VIEW); Ember has temporary views: CREATE TEMPORARY VIEW."
                .to_string(),
        ));
    }
    unexpected(p, source)
}

fn create_temp_view(p: &mut Parser, source: &Source<'_>, replace: bool, global: bool) -> Result<Statement> {
    let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    if if_not_exists {
        return Err(parse_error::invalid_statement(source.original, "It is not allowed to define a TEMPORARY view with IF NOT EXISTS."));
    }
    let name = table_name(p, source)?;
    let mut columns = Vec::new();
    let mut schema = None;
    if p.peek_token().token == Token::LParen {
        if after_parens_is(p, "USING") {
            schema = Some(parenthesized_schema(p, source)?);
        } else {
            p.next_token();
            loop {
                columns.push(identifier(p, source)?);
                if p.parse_keyword(Keyword::COMMENT) {
                    p.parse_literal_string().or_parse_error(source)?;
                }
                if !p.consume_token(&Token::Comma) {
                    break;
                }
            }
            p.expect_token(&Token::RParen).or_parse_error(source)?;
        }
    }
    let body = if p.parse_keyword(Keyword::USING) {
        let format = identifier(p, source)?;
        let options = if p.parse_keyword(Keyword::OPTIONS) { parse_options(p, source)? } else { BTreeMap::new() };
        ViewBody::Using { format, schema, options }
    } else {
        p.expect_keyword(Keyword::AS).or_parse_error(source)?;
        ViewBody::Query { columns, query: query(p, source)? }
    };
    Ok(Statement::CreateTempView(CreateTempView { name, replace, global, if_not_exists, body }))
}

fn create_table(p: &mut Parser, source: &Source<'_>, replace: bool) -> Result<Statement> {
    let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = table_name(p, source)?;
    let schema = if p.peek_token().token == Token::LParen { Some(parenthesized_schema(p, source)?) } else { None };
    let mut table = CreateTable {
        name,
        if_not_exists,
        replace,
        format: None,
        schema,
        partitioned_by: Vec::new(),
        options: BTreeMap::new(),
        query: None,
    };
    loop {
        if p.parse_keyword(Keyword::USING) {
            table.format = Some(identifier(p, source)?);
        } else if p.parse_keyword(Keyword::OPTIONS) {
            table.options.extend(parse_options(p, source)?);
        } else if p.parse_keyword(Keyword::TBLPROPERTIES) {
            parse_options(p, source)?;
        } else if p.parse_keywords(&[Keyword::PARTITIONED, Keyword::BY]) {
            p.expect_token(&Token::LParen).or_parse_error(source)?;
            loop {
                table.partitioned_by.push(identifier(p, source)?);
                if !p.consume_token(&Token::Comma) {
                    break;
                }
            }
            p.expect_token(&Token::RParen).or_parse_error(source)?;
        } else if p.parse_keyword(Keyword::COMMENT) || p.parse_keyword(Keyword::LOCATION) {
            p.parse_literal_string().or_parse_error(source)?;
        } else if p.parse_keyword(Keyword::AS) || starts_query(p) {
            table.query = Some(query(p, source)?);
            break;
        } else {
            break;
        }
    }
    Ok(Statement::CreateTable(table))
}

/// Whether the word after the parenthesized group that starts here is `word`.
fn after_parens_is(p: &Parser, word: &str) -> bool {
    let mut depth = 0usize;
    let mut n = 0;
    loop {
        match p.peek_nth_token(n).token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return peek_word(p, n + 1, word);
                }
            }
            Token::EOF => return false,
            _ => {}
        }
        n += 1;
    }
}

/// `(a INT, b STRING NOT NULL COMMENT '...')` read as Spark's DDL schema.
fn parenthesized_schema(p: &mut Parser, source: &Source<'_>) -> Result<datafusion::arrow::datatypes::Schema> {
    let open = p.next_token();
    let from = offset(source.normalized, open.span.start) + 1;
    let mut depth = 1usize;
    let close = loop {
        let t = p.next_token();
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    break t;
                }
            }
            Token::EOF => return Err(error_at(&t, source.original)),
            _ => {}
        }
    };
    let to = offset(source.normalized, close.span.start);
    crate::types::parse_ddl_schema(source.normalized.get(from..to).unwrap_or(""))
}

fn drop(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    let kind = if parse_word(p, "VIEW") {
        ObjectKind::View
    } else if parse_word(p, "TABLE") {
        ObjectKind::Table
    } else if parse_word(p, "DATABASE") || parse_word(p, "SCHEMA") || parse_word(p, "NAMESPACE") {
        ObjectKind::Database
    } else {
        return unexpected(p, source);
    };
    let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let name = table_name(p, source)?;
    if kind == ObjectKind::Database {
        let _ = p.parse_keyword(Keyword::CASCADE) || p.parse_keyword(Keyword::RESTRICT);
    } else {
        let _ = p.parse_keyword(Keyword::PURGE);
    }
    Ok(Statement::Drop { kind, name, if_exists })
}

fn cache(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    let lazy = parse_word(p, "LAZY");
    expect_word(p, "TABLE", source)?;
    let name = table_name(p, source)?;
    if p.parse_keyword(Keyword::OPTIONS) {
        let options = parse_options(p, source)?;
        if let Some(key) = options.keys().find(|k| k.as_str() != "storagelevel") {
            return Err(SqlError::Analysis(format!("Invalid options for CACHE TABLE: {key}. Only 'storageLevel' is supported.")));
        }
    }
    let query = if p.parse_keyword(Keyword::AS) || starts_query(p) { Some(query(p, source)?) } else { None };
    Ok(Statement::CacheTable { name, lazy, query })
}

/// `LIKE 'pattern'` or just `'pattern'`, if present.
fn like_pattern(p: &mut Parser, source: &Source<'_>) -> Result<Option<String>> {
    let like = p.parse_keyword(Keyword::LIKE);
    match p.peek_token().token {
        Token::SingleQuotedString(s) => {
            p.next_token();
            Ok(Some(s))
        }
        Token::Word(_) if like => Ok(Some(identifier(p, source)?)),
        _ if like => unexpected(p, source),
        _ => Ok(None),
    }
}

fn from_database(p: &mut Parser, source: &Source<'_>) -> Result<Option<String>> {
    if p.parse_keyword(Keyword::FROM) || p.parse_keyword(Keyword::IN) { Ok(Some(identifier(p, source)?)) } else { Ok(None) }
}

fn show(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    if parse_word(p, "TABLES") || peek_word(p, 0, "VIEWS") {
        let views_only = parse_word(p, "VIEWS");
        let database = from_database(p, source)?;
        return Ok(Statement::ShowTables { database, pattern: like_pattern(p, source)?, views_only });
    }
    if parse_word(p, "DATABASES") || parse_word(p, "SCHEMAS") || parse_word(p, "NAMESPACES") {
        return Ok(Statement::ShowDatabases { pattern: like_pattern(p, source)? });
    }
    let scope = if parse_word(p, "USER") {
        Some(FunctionScope::User)
    } else if parse_word(p, "SYSTEM") {
        Some(FunctionScope::System)
    } else if parse_word(p, "ALL") {
        Some(FunctionScope::All)
    } else {
        None
    };
    if parse_word(p, "FUNCTIONS") {
        return Ok(Statement::ShowFunctions { scope: scope.unwrap_or(FunctionScope::All), pattern: like_pattern(p, source)? });
    }
    if scope.is_some() {
        return unexpected(p, source);
    }
    if parse_word(p, "COLUMNS") {
        if !(p.parse_keyword(Keyword::FROM) || p.parse_keyword(Keyword::IN)) {
            return unexpected(p, source);
        }
        let mut table = table_name(p, source)?;
        if let Some(db) = from_database(p, source)? {
            table.database = Some(db);
        }
        return Ok(Statement::ShowColumns { table });
    }
    let what = if p.parse_keywords(&[Keyword::CREATE, Keyword::TABLE]) {
        TableInfo::CreateTable
    } else if p.parse_keyword(Keyword::TBLPROPERTIES) {
        TableInfo::Properties
    } else if parse_word(p, "PARTITIONS") {
        TableInfo::Partitions
    } else if matches!(p.peek_token().token, Token::Word(_)) && p.peek_nth_token(1).token == Token::EOF {
        // Spark's grammar reads a lone word as the namespace of `SHOW ns FUNCTIONS`.
        let sql = source.original;
        let message = "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input: missing 'FUNCTIONS'. SQLSTATE: 42601";
        return Err(parse_error::parse_exception(sql, message, Some(Position::end_of(sql))));
    } else {
        return unexpected(p, source);
    };
    let table = table_name(p, source)?;
    if what == TableInfo::Properties && p.consume_token(&Token::LParen) {
        p.parse_literal_string().or_parse_error(source)?;
        p.expect_token(&Token::RParen).or_parse_error(source)?;
    }
    if what == TableInfo::CreateTable && p.parse_keyword(Keyword::AS) {
        expect_word(p, "SERDE", source)?;
    }
    Ok(Statement::ShowTableInfo { what, table })
}

fn describe(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    if p.parse_keyword(Keyword::FUNCTION) {
        let extended = parse_word(p, "EXTENDED");
        let name = match p.peek_token().token {
            Token::SingleQuotedString(s) => {
                p.next_token();
                s
            }
            Token::Word(_) => {
                let name = p.parse_object_name(false).or_parse_error(source)?;
                name.0.last().and_then(|part| part.as_ident()).map_or_else(|| name.to_string(), |i| i.value.clone())
            }
            Token::EOF => return unexpected(p, source),
            // Operators (`DESCRIBE FUNCTION +`) are functions too.
            _ => p.next_token().token.to_string(),
        };
        return Ok(Statement::DescribeFunction { name, extended });
    }
    if parse_word(p, "QUERY") || (starts_query(p) && !peek_word(p, 0, "TABLE")) {
        return Ok(Statement::DescribeQuery(query(p, source)?));
    }
    parse_word(p, "TABLE");
    let extended = parse_word(p, "EXTENDED") || parse_word(p, "FORMATTED");
    let table = table_name(p, source)?;
    Ok(Statement::DescribeTable { table, extended })
}

fn insert(p: &mut Parser, source: &Source<'_>) -> Result<Statement> {
    p.next_token();
    let overwrite = if p.parse_keyword(Keyword::OVERWRITE) {
        true
    } else {
        p.expect_keyword(Keyword::INTO).or_parse_error(source)?;
        false
    };
    let _ = p.parse_keyword(Keyword::TABLE);
    let table = table_name(p, source)?;
    let mut partition = Vec::new();
    if p.parse_keyword(Keyword::PARTITION) {
        p.expect_token(&Token::LParen).or_parse_error(source)?;
        loop {
            let column = identifier(p, source)?;
            let value = if p.consume_token(&Token::Eq) { Some(p.parse_expr().or_parse_error(source)?.to_string()) } else { None };
            partition.push((column, value));
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        p.expect_token(&Token::RParen).or_parse_error(source)?;
    }
    Ok(Statement::Insert(Insert { table, overwrite, partition, query: query(p, source)? }))
}
