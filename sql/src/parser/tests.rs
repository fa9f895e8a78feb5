use super::*;

fn parse(sql: &str) -> Statement {
    match parse_statement(sql) {
        Ok(s) => s,
        Err(e) => unreachable!("{sql}: {e}"),
    }
}

fn error(sql: &str) -> String {
    match parse_statement(sql) {
        Ok(s) => unreachable!("{sql} parsed as {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn views_over_files_and_queries() {
    let Statement::CreateTempView(v) =
        parse("CREATE OR REPLACE TEMP VIEW `Db`.t (a INT, b STRING) USING csv OPTIONS (path \"/x y\", 'inferSchema' = true, sep ';')")
    else {
        unreachable!()
    };
    assert!(v.replace && !v.global);
    assert_eq!(v.name, TableName { database: Some("Db".into()), name: "t".into() });
    let ViewBody::Using { format, schema, options } = v.body else { unreachable!() };
    assert_eq!(format, "csv");
    assert_eq!(schema.map(|s| s.fields().len()), Some(2));
    assert_eq!(options.get("path").map(String::as_str), Some("/x y"));
    assert_eq!(options.get("inferschema").map(String::as_str), Some("true"));
    assert_eq!(options.get("sep").map(String::as_str), Some(";"));

    let Statement::CreateTempView(v) = parse("create global temporary view v(x, y COMMENT 'c') as select 1, 2;") else { unreachable!() };
    assert!(v.global && !v.if_not_exists);
    assert!(
        error("CREATE TEMP VIEW IF NOT EXISTS v AS SELECT 1")
            .starts_with("\nIt is not allowed to define a TEMPORARY view with IF NOT EXISTS.\n== SQL (line 1, position 1) ==")
    );
    let ViewBody::Query { columns, .. } = v.body else { unreachable!() };
    assert_eq!(columns, vec!["x", "y"]);
}

#[test]
fn commands() {
    assert!(matches!(parse("CACHE LAZY TABLE t AS SELECT 1"), Statement::CacheTable { lazy: true, query: Some(_), .. }));
    assert!(matches!(parse("cache table t"), Statement::CacheTable { lazy: false, query: None, .. }));
    assert!(matches!(parse("UNCACHE TABLE IF EXISTS t"), Statement::UncacheTable { if_exists: true, .. }));
    assert!(matches!(parse("CLEAR CACHE"), Statement::ClearCache));
    assert!(matches!(
        parse("SHOW TABLES IN global_temp LIKE 'a*'"),
        Statement::ShowTables { database: Some(d), pattern: Some(p), views_only: false } if d == "global_temp" && p == "a*"
    ));
    assert!(matches!(parse("SHOW USER FUNCTIONS LIKE 'x'"), Statement::ShowFunctions { scope: FunctionScope::User, .. }));
    assert!(matches!(parse("SHOW COLUMNS IN t FROM db"), Statement::ShowColumns { table } if table.database.as_deref() == Some("db")));
    assert!(matches!(parse("DESC EXTENDED t"), Statement::DescribeTable { extended: true, .. }));
    assert!(matches!(parse("DESCRIBE FUNCTION EXTENDED abs"), Statement::DescribeFunction { extended: true, name } if name == "abs"));
    assert!(matches!(parse("DESCRIBE QUERY SELECT 1"), Statement::DescribeQuery(_)));
    assert!(matches!(parse("EXPLAIN EXTENDED SELECT 1"), Statement::Explain { mode: ExplainMode::Extended, .. }));
    assert_eq!(
        match parse("SET spark.sql.shuffle.partitions = 4;") {
            Statement::Set(s) => s,
            _ => unreachable!(),
        },
        SetCommand::Put("spark.sql.shuffle.partitions".into(), "4".into())
    );
    assert!(matches!(parse("SET"), Statement::Set(SetCommand::All)));
    assert!(matches!(parse("SET -v"), Statement::Set(SetCommand::Verbose)));
    assert!(matches!(parse("RESET spark.x"), Statement::Reset(Some(k)) if k == "spark.x"));
    assert!(matches!(parse("USE DATABASE default"), Statement::Use(d) if d == "default"));
    assert!(matches!(parse("DROP VIEW IF EXISTS global_temp.v"), Statement::Drop { kind: ObjectKind::View, if_exists: true, .. }));
    assert!(matches!(parse("ADD FILE /tmp/a.txt '/tmp/b c'"), Statement::AddFiles(p) if p == vec!["/tmp/a.txt", "/tmp/b c"]));
    assert!(matches!(parse("INSERT OVERWRITE TABLE t PARTITION (p = 1) SELECT 1"), Statement::Insert(i) if i.overwrite));
    assert!(
        matches!(parse("CREATE TABLE t (a INT) USING parquet PARTITIONED BY (a)"), Statement::CreateTable(t) if t.partitioned_by == vec!["a"])
    );
    assert!(matches!(parse("CREATE DATABASE IF NOT EXISTS d"), Statement::CreateDatabase { if_not_exists: true, .. }));
    assert!(matches!(parse("WITH x AS (SELECT 1) SELECT * FROM x"), Statement::Query(_)));
}

#[test]
fn syntax_errors_as_spark_prints_them() {
    assert_eq!(
        error("SELEC 1"),
        "\n[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)\n\n== SQL ==\nSELEC 1\n^^^\n"
    );
    assert!(
        error("SELECT 1 +").starts_with("\n[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 10)")
    );
    assert!(error("  ").starts_with("\n[PARSE_EMPTY_STATEMENT]"));
    // Spark reads the word as the namespace of `SHOW ns FUNCTIONS`.
    assert!(error("SHOW NOTHING").starts_with("\n[PARSE_SYNTAX_ERROR] Syntax error at or near end of input: missing 'FUNCTIONS'."));
}

#[test]
fn expressions_with_aliases() {
    let (e, alias) = parse_expression("a + 1 AS b").unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(e.to_string(), "a + 1");
    assert_eq!(alias.map(|a| a.value), Some("b".to_string()));
    let (_, alias) = parse_expression("upper(s) u").unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(alias.map(|a| a.value), Some("u".to_string()));
    assert!(parse_expression("a +").is_err());
}
