//! TPC-H on Ember `local[2]` and on a 2-executor cluster, against DataFusion run directly on the
//! same Parquet files in the same run.
//!
//! `cargo build -p ember-driver --bins && cargo run -p ember-benchmarks --bin tpch -- [sf] [runs]`
//!
//! Data is generated once into `~/.cache/ember-tpch/sf<sf>` (override with `EMBER_TPCH_DIR`).
//! The cluster is `local-cluster[2,1,<memory>]`: a scheduler and two single-core executor
//! processes started from the binaries beside this one. Each query runs `runs` times (default
//! 2) per engine; the best time counts. Printed: per-query seconds, totals, the ratios against
//! DataFusion, and the bytes the cluster moved between executors over Arrow Flight.
//! `EMBER_BENCH_EXPLAIN=<q>` prints that query's plans in both engines instead.

#[allow(dead_code)]
mod tpch;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::{SessionConfig, SessionContext};
use ember_driver::{Conf, Session, spark_sql};

fn best<F: FnMut() -> Result<usize>>(runs: usize, mut f: F) -> Result<(f64, usize)> {
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        rows = f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok((best, rows))
}

fn ember_session(master: &str, tables: &[(String, PathBuf)]) -> Result<Arc<Session>> {
    let s = Session::new(Conf::new(vec![("spark.master".to_string(), master.to_string())]))
        .map_err(|e| DataFusionError::External(Box::new(e)))?;
    for (name, path) in tables {
        spark_sql::sql(&s, &format!("CREATE TEMPORARY VIEW {name} USING parquet OPTIONS (path '{}')", path.display()))
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
    }
    Ok(s)
}

fn run_ember(s: &Arc<Session>, sql: &str) -> Result<usize> {
    let batches = spark_sql::sql(s, sql).and_then(|df| df.collect()).map_err(|e| DataFusionError::External(Box::new(e)))?;
    Ok(batches.iter().map(|b| b.num_rows()).sum())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let sf: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let dir = std::env::var_os("EMBER_TPCH_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        home.join(".cache/ember-tpch").join(format!("sf{sf}"))
    });
    let rt = tokio::runtime::Runtime::new()?;
    let t = Instant::now();
    let tables = rt.block_on(tpch::generate(&dir, sf))?;
    eprintln!("data: {} ({:.1} s)", dir.display(), t.elapsed().as_secs_f64());

    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    rt.block_on(tpch::register_datafusion(&ctx, &tables))?;
    let local = ember_session("local[2]", &tables)?;
    let memory = std::env::var("EMBER_BENCH_EXECUTOR_MB").unwrap_or_else(|_| "8192".into());
    let cluster = ember_session(&format!("local-cluster[2,1,{memory}]"), &tables)?;

    // `EMBER_BENCH_EXPLAIN=7`: print query 7's plan in both engines instead of timing.
    if let Some(q) = std::env::var("EMBER_BENCH_EXPLAIN").ok().and_then(|q| q.parse::<usize>().ok()) {
        let sql = tpch::query(q)?;
        let plan = rt.block_on(async { ctx.sql(&format!("EXPLAIN {sql}")).await?.collect().await })?;
        println!("== DataFusion ==\n{}", datafusion::arrow::util::pretty::pretty_format_batches(&plan)?);
        let explained = spark_sql::sql(&local, &format!("EXPLAIN {sql}"))
            .and_then(|df| df.collect())
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        println!("== Ember local[2] ==\n{}", datafusion::arrow::util::pretty::pretty_format_batches(&explained)?);
        return Ok(());
    }
    println!(
        "{:>4} {:>10} {:>10} {:>10} {:>8} {:>8} {:>14}",
        "q", "datafusion", "local[2]", "cluster", "local/df", "clus/df", "flight bytes"
    );
    let (mut t_df, mut t_local, mut t_cluster, mut flight) = (0.0, 0.0, 0.0, 0usize);
    for q in 1..=22 {
        let sql = tpch::query(q)?;
        let (d, rows_df) = best(runs, || {
            let batches = rt.block_on(async { ctx.sql(&sql).await?.collect().await })?;
            Ok(batches.iter().map(|b| b.num_rows()).sum())
        })?;
        let (l, rows_local) = best(runs, || run_ember(&local, &sql))?;
        let (c, rows_cluster) = best(runs, || run_ember(&cluster, &sql))?;
        let moved = cluster.recent_jobs().last().map_or(0, |j| j.remote_bytes());
        if rows_df != rows_local || rows_local != rows_cluster {
            eprintln!("q{q}: row counts differ: datafusion {rows_df}, local {rows_local}, cluster {rows_cluster}");
        }
        println!("{q:>4} {d:>10.3} {l:>10.3} {c:>10.3} {:>8.2} {:>8.2} {moved:>14}", l / d, c / d);
        t_df += d;
        t_local += l;
        t_cluster += c;
        flight += moved;
    }
    println!("{:>4} {t_df:>10.3} {t_local:>10.3} {t_cluster:>10.3} {:>8.2} {:>8.2} {flight:>14}", "all", t_local / t_df, t_cluster / t_df);
    Ok(())
}
