#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

//! Cluster mode end to end: a scheduler and executor processes on 127.0.0.1, the same answers
//! as `local[2]`, recovery from a killed executor, and spilling under a small memory budget.

#[path = "support/cluster.rs"]
mod support;
#[path = "../../benchmarks/src/tpch.rs"]
#[allow(dead_code)]
mod tpch;

use std::sync::Arc;

use datafusion::arrow::array::{Int64Array, RecordBatch};
use datafusion::arrow::util::pretty::pretty_format_batches;
use ember_driver::{Conf, Session, spark_sql};
use support::TestCluster;

fn session(master: &str, extra: &[(&str, &str)]) -> Arc<Session> {
    let mut conf = vec![("spark.master".to_string(), master.to_string())];
    conf.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Session::new(Conf::new(conf)).unwrap()
}

fn run(s: &Arc<Session>, sql: &str) -> Vec<RecordBatch> {
    spark_sql::sql(s, sql).unwrap_or_else(|e| panic!("{sql}: {e}")).collect().unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn text(batches: &[RecordBatch]) -> String {
    pretty_format_batches(batches).unwrap().to_string()
}

fn int(batches: &[RecordBatch], column: usize) -> i64 {
    batches[0].column(column).as_any().downcast_ref::<Int64Array>().unwrap().value(0)
}

#[test]
fn tpch_on_two_executors_matches_local() {
    let data = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tables = rt.block_on(tpch::generate(data.path(), 0.01)).unwrap();
    let cluster = TestCluster::start(2, 1, "1g");
    let local = session("local[2]", &[]);
    let remote = session(&cluster.url, &[]);
    for s in [&local, &remote] {
        for (name, path) in &tables {
            run(s, &format!("CREATE TEMPORARY VIEW {name} USING parquet OPTIONS (path '{}')", path.display()));
        }
    }
    let mut flight_bytes = 0;
    for q in 1..=22 {
        let sql = tpch::query(q).unwrap();
        eprintln!("TPC-H q{q}");
        let expected = text(&run(&local, &sql));
        let actual = text(&run(&remote, &sql));
        assert_eq!(actual, expected, "TPC-H q{q} differs on the cluster");
        assert!(expected.lines().count() > 4 || q == 17 || q == 19, "q{q} returned no rows:\n{expected}");
        flight_bytes += remote.recent_jobs().iter().map(|j| j.remote_bytes()).sum::<usize>();
    }
    assert!(flight_bytes > 0, "nothing moved between executors");
}

#[test]
fn lost_executor_outputs_are_recomputed() {
    let mut cluster = TestCluster::start(2, 1, "2g");
    let s = session(&cluster.url, &[("spark.sql.shuffle.partitions", "4")]);
    // Map stage: 4 tasks scanning 4M rows; reduce stage: 2M groups, long enough to be
    // interrupted.
    let n: i64 = 4_000_000;
    let groups: i64 = n / 2;
    let sql = format!(
        "SELECT COUNT(*) AS groups, SUM(m) AS total FROM \
         (SELECT id % {groups} AS k, MAX(id) AS m FROM range(0, {n}, 1, 4) GROUP BY id % {groups})"
    );
    let query = {
        let s = Arc::clone(&s);
        std::thread::spawn(move || run(&s, &sql))
    };
    // Kill an executor as soon as the map stage is done: the map outputs it holds are lost
    // while the reduce stage needs them.
    cluster.wait_for_log("scheduler.log", "stage finished", 1);
    cluster.kill_executor(0);
    let batches = query.join().unwrap();
    assert_eq!(int(&batches, 0), groups);
    let expected: i64 = (0..groups).map(|k| k + groups).sum();
    assert_eq!(int(&batches, 1), expected);
    let log = cluster.log("scheduler.log");
    assert!(log.contains("executor lost"), "{log}");
    assert!(log.contains("recomputing"), "{log}");
    let job = s.recent_jobs().pop().unwrap();
    assert!(job.stages.iter().any(|st| st.recomputed_tasks > 0), "{job:?}");
}

#[test]
fn small_memory_budget_spills_and_answers_right() {
    let cluster = TestCluster::start(2, 1, "2m");
    let s = session(&cluster.url, &[("spark.sql.shuffle.partitions", "4")]);
    let n: i64 = 2_000_000;
    let sql = format!(
        "SELECT COUNT(*) AS groups, SUM(m) AS total FROM \
         (SELECT id AS k, MAX(id) AS m FROM range(0, {n}, 1, 4) GROUP BY id)"
    );
    let batches = run(&s, &sql);
    assert_eq!(int(&batches, 0), n);
    assert_eq!(int(&batches, 1), (0..n).sum::<i64>());
    let job = s.recent_jobs().pop().unwrap();
    assert!(job.spilled_bytes() > 0, "no spill reported: {job:?}");
    assert!(job.shuffled_bytes() > 4 << 20, "the shuffle should dwarf the budget: {job:?}");
}

#[test]
fn cached_data_stays_on_executors_and_errors_fail_fast() {
    let cluster = TestCluster::start(2, 2, "1g");
    let s = session(&cluster.url, &[]);
    run(&s, "CREATE TEMPORARY VIEW t AS SELECT id, id % 10 AS k FROM range(0, 100000)");
    run(&s, "CACHE TABLE t");
    let first = text(&run(&s, "SELECT k, COUNT(*) AS c FROM t GROUP BY k ORDER BY k"));
    let second = text(&run(&s, "SELECT k, COUNT(*) AS c FROM t GROUP BY k ORDER BY k"));
    assert_eq!(first, second);
    assert!(first.contains("| 9 | 10000 |"), "{first}");
    // A division by zero cannot succeed on retry: the job fails at once with Spark's error.
    let err =
        spark_sql::sql(&s, "SELECT 1 / (id - id) FROM range(0, 10)").and_then(|df| df.collect()).expect_err("division by zero must fail");
    assert!(err.to_string().contains("DIVIDE_BY_ZERO"), "{err}");
    let log = cluster.log("scheduler.log");
    assert!(!log.contains("retrying"), "retried a hopeless task:\n{log}");
    run(&s, "UNCACHE TABLE t");
    drop(s);
    // SIGTERM stops every process cleanly.
    let mut cluster = cluster;
    let statuses = cluster.terminate_all();
    assert!(statuses.iter().all(|s| s.success()), "{statuses:?}");
    assert!(cluster.log("executor-0.log").contains("executor stopped"), "{}", cluster.log("executor-0.log"));
    assert!(cluster.log("scheduler.log").contains("scheduler stopped"), "{}", cluster.log("scheduler.log"));
}

#[test]
fn cached_data_lost_with_an_executor_is_recomputed() {
    let mut cluster = TestCluster::start(2, 1, "1g");
    let s = session(&cluster.url, &[]);
    run(&s, "CREATE TEMPORARY VIEW c AS SELECT id, id % 10 AS k FROM range(0, 200000, 1, 4)");
    run(&s, "CACHE TABLE c");
    let query = "SELECT k, COUNT(*) AS n, SUM(id) AS s FROM c GROUP BY k ORDER BY k";
    let before = text(&run(&s, query));
    // Both executors hold cached partitions; one of them dies between jobs.
    cluster.kill_executor(0);
    let after = text(&run(&s, query));
    assert_eq!(after, before);
    let log = cluster.log("scheduler.log");
    assert!(log.contains("recomputing it from its lineage"), "{log}");
}
