#![allow(clippy::unwrap_used)]

//! End-to-end through the local engine: SQL and DataFrame plans cut into stages, run on
//! slots, with results identical to DataFusion run directly.

use std::sync::Arc;

use datafusion::arrow::array::{Int64Array, StringArray};
use datafusion::arrow::util::pretty::pretty_format_batches;
use ember_driver::{Conf, Session, spark_sql};

fn session(master: &str, partitions: Option<&str>) -> Arc<Session> {
    let mut conf = vec![("spark.master".to_string(), master.to_string())];
    if let Some(p) = partitions {
        conf.push(("spark.sql.shuffle.partitions".to_string(), p.to_string()));
    }
    Session::new(Conf::new(conf)).unwrap()
}

fn setup(s: &Arc<Session>) {
    spark_sql::sql(s, "CREATE OR REPLACE TEMPORARY VIEW nums AS SELECT id, id % 7 AS k FROM range(0, 1000)").unwrap();
}

#[test]
fn aggregate_with_shuffle_matches_expected() {
    for master in ["local", "local[2]", "local[*]"] {
        let s = session(master, Some("3"));
        setup(&s);
        let df = spark_sql::sql(&s, "SELECT k, COUNT(*) AS n, SUM(id) AS total FROM nums GROUP BY k ORDER BY k").unwrap();
        let batches = df.collect().unwrap();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 7, "{master}");
        let total: i64 =
            batches.iter().map(|b| b.column(2).as_any().downcast_ref::<Int64Array>().unwrap().iter().flatten().sum::<i64>()).sum();
        assert_eq!(total, (0..1000).sum::<i64>());
        // The job ran as several stages, with a shuffle among them.
        let job = s.recent_jobs().pop().unwrap();
        assert!(job.stages.len() >= 2, "{:?}", job);
        assert!(job.stages.iter().any(|st| st.kind == ember_planner::ExchangeKind::Shuffle));
        assert!(job.shuffled_bytes() > 0);
    }
}

#[test]
fn same_results_as_datafusion_directly() {
    let s = session("local[2]", Some("4"));
    setup(&s);
    let sql =
        "SELECT a.k, COUNT(*) AS c, MAX(b.id) AS m FROM nums a JOIN nums b ON a.id = b.id WHERE a.id % 3 = 0 GROUP BY a.k ORDER BY a.k";
    let ours = pretty_format_batches(&spark_sql::sql(&s, sql).unwrap().collect().unwrap()).unwrap().to_string();
    let ctx = datafusion::prelude::SessionContext::new();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let theirs = rt.block_on(async {
        ctx.sql("CREATE VIEW nums AS SELECT CAST(value AS BIGINT) AS id, CAST(value % 7 AS BIGINT) AS k FROM range(0, 1000)")
            .await
            .unwrap();
        let df = ctx.sql(sql).await.unwrap();
        pretty_format_batches(&df.collect().await.unwrap()).unwrap().to_string()
    });
    // Column headers differ (Spark names); the values must not.
    let body = |t: &str| t.lines().skip(3).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&ours), body(&theirs));
}

#[test]
fn explain_shows_stages() {
    let s = session("local[2]", None);
    setup(&s);
    let df = spark_sql::sql(&s, "SELECT k, COUNT(*) FROM nums GROUP BY k").unwrap();
    let plan = df.explain_string(false).unwrap();
    assert!(plan.starts_with("== Physical Plan ==\nStage 0"), "{plan}");
    assert!(plan.contains("ShuffleReaderExec"), "{plan}");
    assert!(plan.contains("(result,"), "{plan}");
}

#[test]
fn errors_are_classified() {
    let s = session("local[1]", None);
    let err = spark_sql::sql(&s, "SELEC 1").unwrap_err();
    assert_eq!(err.class(), "ParseException");
    let err = spark_sql::table(&s, "missing").unwrap_err();
    assert_eq!(err.class(), "AnalysisException");
    let err = Session::new(Conf::new(vec![("spark.master".into(), "yarn".into())])).unwrap_err();
    assert_eq!(err.class(), "IllegalArgumentException");
}

#[test]
fn show_string_is_spark_format() {
    let s = session("local[2]", None);
    let df = spark_sql::sql(&s, "SELECT 'x' AS s, 1 AS n").unwrap();
    assert_eq!(df.show_string(20, 20, false).unwrap(), "+---+---+\n|  s|  n|\n+---+---+\n|  x|  1|\n+---+---+\n");
    let b = df.collect().unwrap();
    assert_eq!(b[0].column(0).as_any().downcast_ref::<StringArray>().unwrap().value(0), "x");
}

#[test]
fn local_store_spills_over_spark_executor_memory() {
    let s = Session::new(Conf::new(vec![
        ("spark.master".to_string(), "local[2]".to_string()),
        ("spark.executor.memory".to_string(), "1m".to_string()),
        ("spark.sql.shuffle.partitions".to_string(), "4".to_string()),
    ]))
    .unwrap();
    let n: i64 = 500_000;
    let df = spark_sql::sql(
        &s,
        &format!("SELECT COUNT(*) AS c, SUM(m) AS t FROM (SELECT id AS k, MAX(id) AS m FROM range(0, {n}) GROUP BY id)"),
    )
    .unwrap();
    let batches = df.collect().unwrap();
    let col = |i: usize| batches[0].column(i).as_any().downcast_ref::<Int64Array>().unwrap().value(0);
    assert_eq!(col(0), n);
    assert_eq!(col(1), (0..n).sum::<i64>());
    let job = s.recent_jobs().pop().unwrap();
    assert!(job.spilled_bytes() > 0, "{job:?}");
}
