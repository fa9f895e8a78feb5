//! What a Spark SQL statement says, as a typed value: the driver runs these, and never looks at
//! SQL text again.

use std::collections::BTreeMap;

use datafusion::arrow::datatypes::Schema;
use datafusion::sql::sqlparser::ast;

/// One parsed Spark SQL statement.
#[derive(Debug, Clone)]
pub enum Statement {
    /// A query (`SELECT`, `WITH`, `VALUES`, `FROM ... SELECT`, set operations), planned lazily.
    Query(Box<ast::Statement>),
    /// `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW [IF NOT EXISTS] name ... AS query | USING ...`.
    CreateTempView(CreateTempView),
    /// `CREATE TABLE name ... USING format [PARTITIONED BY (...)] [OPTIONS (...)] [AS query]`.
    CreateTable(CreateTable),
    /// `INSERT INTO | OVERWRITE [TABLE] name [PARTITION (...)] query`.
    Insert(Insert),
    /// `CREATE DATABASE | SCHEMA | NAMESPACE [IF NOT EXISTS] name`.
    CreateDatabase { name: String, if_not_exists: bool },
    /// `DROP VIEW | TABLE | DATABASE [IF EXISTS] name [CASCADE]`.
    Drop { kind: ObjectKind, name: TableName, if_exists: bool },
    /// `CACHE [LAZY] TABLE name [OPTIONS (...)] [[AS] query]`.
    CacheTable { name: TableName, lazy: bool, query: Option<Box<ast::Statement>> },
    /// `UNCACHE TABLE [IF EXISTS] name`; `at` is where the name was written (Spark's position
    /// of a table that does not exist).
    UncacheTable { name: TableName, if_exists: bool, at: Option<super::parse_error::Position> },
    /// `CLEAR CACHE`.
    ClearCache,
    /// `SHOW TABLES | VIEWS [FROM | IN db] [[LIKE] 'pattern']`.
    ShowTables { database: Option<String>, pattern: Option<String>, views_only: bool },
    /// `SHOW DATABASES | SCHEMAS | NAMESPACES [[LIKE] 'pattern']`.
    ShowDatabases { pattern: Option<String> },
    /// `SHOW [USER | SYSTEM | ALL] FUNCTIONS [[LIKE] pattern]`.
    ShowFunctions { scope: FunctionScope, pattern: Option<String> },
    /// `SHOW COLUMNS (FROM | IN) name [(FROM | IN) db]`.
    ShowColumns { table: TableName },
    /// `SHOW CREATE TABLE name`, `SHOW TBLPROPERTIES name`, `SHOW PARTITIONS name`.
    ShowTableInfo { what: TableInfo, table: TableName },
    /// `DESCRIBE [TABLE] [EXTENDED | FORMATTED] name`.
    DescribeTable { table: TableName, extended: bool },
    /// `DESCRIBE FUNCTION [EXTENDED] name`.
    DescribeFunction { name: String, extended: bool },
    /// `DESCRIBE [QUERY] query`.
    DescribeQuery(Box<ast::Statement>),
    /// `EXPLAIN [EXTENDED | FORMATTED | CODEGEN | COST | SIMPLE] statement`.
    Explain { mode: ExplainMode, statement: Box<Statement> },
    /// `SET`, `SET -v`, `SET key`, `SET key = value` (Spark reads keys and values as raw text).
    Set(SetCommand),
    /// `RESET [key]`.
    Reset(Option<String>),
    /// `USE [DATABASE | SCHEMA | NAMESPACE] name`.
    Use(String),
    /// `ADD FILE | FILES path ...`.
    AddFiles(Vec<String>),
}

/// A table or view name as written, without quotes: `[database.]name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    pub database: Option<String>,
    pub name: String,
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.database {
            Some(db) => write!(f, "{db}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CreateTempView {
    pub name: TableName,
    pub replace: bool,
    pub global: bool,
    pub if_not_exists: bool,
    pub body: ViewBody,
}

#[derive(Debug, Clone)]
pub enum ViewBody {
    /// `AS query`, with the optional column names `(a, b)` given before `AS`.
    Query { columns: Vec<String>, query: Box<ast::Statement> },
    /// `USING format [OPTIONS (...)]` with an optional schema `(a INT, b STRING)`.
    Using { format: String, schema: Option<Schema>, options: BTreeMap<String, String> },
}

#[derive(Debug, Clone)]
pub struct CreateTable {
    pub name: TableName,
    pub if_not_exists: bool,
    pub replace: bool,
    pub format: Option<String>,
    pub schema: Option<Schema>,
    pub partitioned_by: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub query: Option<Box<ast::Statement>>,
}

#[derive(Debug, Clone)]
pub struct Insert {
    pub table: TableName,
    pub overwrite: bool,
    pub partition: Vec<(String, Option<String>)>,
    pub query: Box<ast::Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    View,
    Table,
    Database,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionScope {
    All,
    User,
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableInfo {
    CreateTable,
    Properties,
    Partitions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainMode {
    Simple,
    Extended,
    Formatted,
    Codegen,
    Cost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetCommand {
    /// `SET`: the keys set in this session.
    All,
    /// `SET -v`: every key with its meaning.
    Verbose,
    /// `SET key`.
    Get(String),
    /// `SET key = value`.
    Put(String, String),
}
