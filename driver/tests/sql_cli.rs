#![allow(clippy::unwrap_used)]

//! `ember-sql -e/-f` prints what spark-sql prints (expected lines taken from spark-sql 4).

use std::process::{Command, Output};

fn ember_sql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ember-sql")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What spark-sql writes to stderr besides its `Time taken: ...` lines (written even with `-S`).
fn errors(o: &Output) -> String {
    stderr(o).lines().filter(|l| !l.starts_with("Time taken: ")).map(|l| format!("{l}\n")).collect()
}

#[test]
fn rows_header_and_timing_as_spark_sql() {
    let o = ember_sql(&[
        "-e",
        "CREATE TEMPORARY VIEW v AS SELECT 1 AS a; SHOW TABLES; SELECT * FROM v WHERE a > 5; \
         SET spark.sql.cli.print.header=true; SELECT a, 'x' AS b FROM v;",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "v\nkey\tvalue\nspark.sql.cli.print.header\ttrue\na\tb\n1\tx\n");
    let timings: Vec<String> = stderr(&o)
        .lines()
        .map(|l| {
            let fetched = l.split_once(" seconds").map_or("", |(_, rest)| rest).to_string();
            format!("{}{fetched}", if l.starts_with("Time taken: ") { "Time taken" } else { l })
        })
        .collect();
    assert_eq!(
        timings,
        vec!["Time taken", "Time taken, Fetched 1 row(s)", "Time taken", "Time taken, Fetched 1 row(s)", "Time taken, Fetched 1 row(s)"]
    );
}

#[test]
fn values_in_hive_text_format() {
    let o = ember_sql(&[
        "-S",
        "-e",
        "SELECT 1 AS a, 'x' AS b, NULL AS c, array(1,2) AS d, map('k',1) AS e, named_struct('x',1,'y','s') AS f, \
         1.5 AS g, CAST(2.0 AS DOUBLE) AS h, DATE '2020-01-02' AS i, TIMESTAMP '2020-01-02 03:04:05' AS j, true AS k, \
         array('a',NULL) AS l",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "1\tx\tNULL\t[1,2]\t{\"k\":1}\t{\"x\":1,\"y\":\"s\"}\t1.5\t2.0\t2020-01-02\t2020-01-02 03:04:05\ttrue\t[\"a\",null]\n"
    );
    assert_eq!(errors(&o), "", "only timing on stderr");
}

#[test]
fn files_init_scripts_and_variables() {
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("init.sql");
    std::fs::write(&init, "-- the data\nCREATE TEMPORARY VIEW t AS\n  SELECT id, id % ${hivevar:m} AS k FROM range(0, 10);\n").unwrap();
    let script = dir.path().join("q.sql");
    std::fs::write(&script, "/* grouped; counted */ SELECT k, count(*) AS n\nFROM t\nGROUP BY k ORDER BY k; SELECT '${hiveconf:spark.app.tag}', '${missing}';\n").unwrap();
    let o = ember_sql(&[
        "-S",
        "-i",
        init.to_str().unwrap(),
        "-f",
        script.to_str().unwrap(),
        "-d",
        "m=3",
        "--hiveconf",
        "spark.app.tag=nightly",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "0\t4\n1\t3\n2\t3\nnightly\t${missing}\n");
}

#[test]
fn an_error_is_one_line_and_stops_the_script() {
    let o = ember_sql(&["-S", "-e", "SELECT 1; SELEC 2; SELECT 3"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "1\n");
    assert_eq!(
        errors(&o),
        "\n[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)\n\n== SQL ==\nSELEC 2\n^^^\n\n"
    );
    let o = ember_sql(&["-S", "-e", "SELECT nosuch FROM range(1)"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(errors(&o).starts_with("[UNRESOLVED_COLUMN.WITH_SUGGESTION]"), "{}", stderr(&o));
}

/// ``SELECT * FROM format.`path` `` reads files as spark-sql does (expected lines from
/// spark-sql 4): CSV without a header as `_c0, _c1, ...`, JSON lines, a Parquet directory.
#[test]
fn queries_straight_over_files() {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int64Array, RecordBatch};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::parquet::arrow::ArrowWriter;

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("People.csv");
    std::fs::write(&csv, "name,age,year\nAnn,23,2021\nBen,35,2021\n").unwrap();
    let json = dir.path().join("j.json");
    std::fs::write(&json, "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\"y\"}\n").unwrap();
    let table = dir.path().join("Out");
    std::fs::create_dir(&table).unwrap();
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, false), Field::new("d", DataType::Int64, false)]));
    let batch = RecordBatch::try_new(
        Arc::clone(&schema),
        vec![Arc::new(Int64Array::from(vec![2, 0, 1])), Arc::new(Int64Array::from(vec![4, 0, 2]))],
    )
    .unwrap();
    let mut writer = ArrowWriter::try_new(std::fs::File::create(table.join("part-0.parquet")).unwrap(), schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let script = format!(
        "SET spark.sql.cli.print.header=true; SELECT * FROM csv.`{}` LIMIT 2; SELECT * FROM json.`{}`; \
         SELECT * FROM PARQUET.`{}` ORDER BY id; SELECT p.d FROM parquet.`{}` p WHERE p.id = 1;",
        csv.display(),
        json.display(),
        table.display(),
        table.display()
    );
    let o = ember_sql(&["-S", "-e", &script]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "key\tvalue\nspark.sql.cli.print.header\ttrue\n_c0\t_c1\t_c2\nname\tage\tyear\nAnn\t23\t2021\na\tb\n1\tx\n2\ty\nid\td\n0\t0\n1\t2\n2\t4\nd\n2\n"
    );
    let missing = dir.path().join("missing");
    let o = ember_sql(&["-S", "-e", &format!("SELECT * FROM parquet.`{}`", missing.display())]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(errors(&o), format!("[PATH_NOT_FOUND] Path does not exist: file:{}. SQLSTATE: 42K03\n", missing.display()));
}

/// `DESCRIBE` as spark-sql 4 lays it out (cells padded to 20, no comment as blanks), and `SET` of
/// the shuffle width shows the value in force.
#[test]
fn describe_and_set_as_spark_sql() {
    let o = ember_sql(&[
        "-S",
        "--master",
        "local[2]",
        "-e",
        "CREATE TEMPORARY VIEW v AS SELECT 'a' AS name, 1 AS age; DESCRIBE v; SET spark.sql.shuffle.partitions; \
         SET spark.sql.shuffle.partitions=3; SET spark.sql.shuffle.partitions;",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "name                \tstring              \t                    \nage                 \tint                 \t                    \n\
         spark.sql.shuffle.partitions\t2\nspark.sql.shuffle.partitions\t3\nspark.sql.shuffle.partitions\t3\n"
    );
}

/// Output columns may share a name, as in spark-sql 4 (`SELECT s, CAST(s AS INT)` is headed
/// `s`, tab, `s`).
#[test]
fn repeated_output_names_as_spark_sql() {
    let o = ember_sql(&[
        "-S",
        "-e",
        "CREATE TEMPORARY VIEW u AS SELECT '1' AS s; SET spark.sql.cli.print.header=true; \
         SELECT s, CAST(s AS INT) FROM u; SELECT s, s FROM u; SELECT s, try_cast(s AS INT) FROM u ORDER BY s;",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "key\tvalue\nspark.sql.cli.print.header\ttrue\ns\ts\n1\t1\ns\ts\n1\t1\ns\ts\n1\t1\n");
}

/// `to_json` writes values as Spark 4 does (expected lines from spark-sql 4).
#[test]
fn to_json_as_spark_sql() {
    let o = ember_sql(&[
        "-S",
        "-e",
        "SELECT to_json(named_struct('i', 1, 's', 'a\"b', 'n', CAST(NULL AS INT), 'd', CAST(1.0 AS DOUBLE), 'f', CAST(2.5 AS FLOAT), 'dt', DATE'2020-01-02', \
         'ts', TIMESTAMP'2020-01-02 03:04:05.123', 'ts0', TIMESTAMP'2020-01-02 03:04:05', 'a', array(1, NULL), 'm', map('k', 1), \
         'st', named_struct('x', true), 'dec', CAST(1.50 AS DECIMAL(5,2)), 'big', CAST('1e20' AS DOUBLE), 'b', X'0102')); \
         SELECT to_json(array(named_struct('a', 1), named_struct('a', 2))), to_json(map('a', named_struct('b', 1))), \
         to_json(named_struct('e', array())), to_json(CAST(NULL AS STRUCT<a:INT>)), to_json(named_struct('x', 'é\\n'))",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"i\":1,\"s\":\"a\\\"b\",\"d\":1.0,\"f\":2.5,\"dt\":\"2020-01-02\",\"ts\":\"2020-01-02T03:04:05.123Z\",\
         \"ts0\":\"2020-01-02T03:04:05.000Z\",\"a\":[1,null],\"m\":{\"k\":1},\"st\":{\"x\":true},\"dec\":1.50,\"big\":1.0E20,\"b\":\"AQI=\"}\n\
         [{\"a\":1},{\"a\":2}]\t{\"a\":{\"b\":1}}\t{\"e\":[]}\tNULL\t{\"x\":\"é\\n\"}\n"
    );
}

/// `percentile_approx` answers with a value of the column, as Spark does (expected lines from
/// spark-sql 4; DataFusion's `approx_percentile_cont` would interpolate 2.5).
#[test]
fn percentile_approx_as_spark_sql() {
    let o = ember_sql(&[
        "-S",
        "-e",
        "SELECT percentile_approx(x, 0.5), percentile_approx(x, 0.25), percentile_approx(x, array(0.1, 0.9)), \
         percentile_approx(x, 0.5, 100) FROM VALUES (1),(2),(3),(4) AS t(x); \
         SELECT percentile_approx(x, 0.5), percentile_approx(x, 0.0), percentile_approx(x, 1.0), percentile_approx(x, 0.75) \
         FROM VALUES (CAST(1.5 AS DOUBLE)),(CAST(7.0 AS DOUBLE)),(CAST(3.0 AS DOUBLE)),(NULL) AS t(x); \
         SELECT k, percentile_approx(v, 0.5) FROM VALUES ('a', 1), ('a', 10), ('b', 5) AS t(k, v) GROUP BY k ORDER BY k",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "2\t1\t[1,4]\t2\n3.0\t1.5\t7.0\t7.0\na\t1\nb\t5\n");
}

/// `skewness` and `kurtosis` as spark-sql 4 computes them (NULL when all values are equal).
#[test]
fn moments_as_spark_sql() {
    let o = ember_sql(&[
        "-S",
        "-e",
        "SELECT skewness(x), kurtosis(x) FROM VALUES (1),(2),(3),(10) AS t(x); \
         SELECT skewness(x), kurtosis(x) FROM VALUES (5),(5) AS t(x); \
         SELECT skewness(x), kurtosis(x) FROM VALUES (CAST(1.5 AS DOUBLE)),(CAST(-2.25 AS DOUBLE)),(CAST(3.0 AS DOUBLE)),(CAST(0.5 AS DOUBLE)),(NULL) AS t(x)",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "1.0182337649086284\t-0.7696000000000001\nNULL\tNULL\n-0.4431102501518466\t-1.0769188893085229\n");
}

/// Typed numeric literals and exponent literals: values, types and column names as spark-sql 4.
#[test]
fn typed_number_literals_as_spark_sql() {
    let q = "SET spark.sql.cli.print.header=true; SELECT 1.0D, 2.5F, 10L, 1e20, 1.5E-3, 1.50BD, 3S, 1Y, typeof(1.0D), \
             typeof(2.5F), typeof(10L), typeof(1e20), typeof(1.50BD), typeof(3S), typeof(1Y), -1.0D, 1e3 + 1";
    let o = ember_sql(&["-S", "-e", q]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "key\tvalue\nspark.sql.cli.print.header\ttrue\n\
         1.0\t2.5\t10\t1.0E20\t0.0015\t1.50\t3\t1\ttypeof(1.0)\ttypeof(2.5)\ttypeof(10)\ttypeof(1.0E20)\ttypeof(1.50)\ttypeof(3)\ttypeof(1)\t-1.0\t(1000.0 + 1)\n\
         1.0\t2.5\t10\t1.0E20\t0.0015\t1.50\t3\t1\tdouble\tfloat\tbigint\tdouble\tdecimal(3,2)\tsmallint\ttinyint\t-1.0\t1001.0\n"
    );
}
