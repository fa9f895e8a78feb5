//! Ember's local engine against DataFusion on the same in-memory data, in the same run.
//!
//! `cargo run -p ember-benchmarks --bin local_vs_datafusion -- [rows] [slots] [key=value ...]`
//! (the `key=value` settings go to Ember's session, e.g. `spark.sql.autoBroadcastJoinThreshold=-1`)
//!
//! Each query runs three times on each engine; the best times and their ratio are printed.
//! With `EMBER_BENCH_STAGES=1`, the last Ember run's stages (tasks, rows, time) go to stderr.
//! The ratio (Ember / DataFusion) is the figure that counts: the design budget is ~1.10.

use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::{Float64Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::error::Result;
use datafusion::prelude::{SessionConfig, SessionContext};
use ember_driver::{Conf, Session, local, spark_sql};

const QUERIES: &[(&str, &str)] = &[
    ("aggregate", "SELECT k, COUNT(*) AS n, SUM(v) AS s, AVG(v) AS a FROM facts GROUP BY k"),
    ("join+aggregate", "SELECT d.name, SUM(f.v) AS s FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.name"),
    ("filter+sort", "SELECT k, v FROM facts WHERE v > 0.5 ORDER BY v DESC LIMIT 100"),
    ("distinct", "SELECT COUNT(*) FROM (SELECT DISTINCT k, CAST(v * 10 AS BIGINT) AS b FROM facts) t"),
];

fn data(rows: usize, partitions: usize) -> Result<(Vec<Vec<RecordBatch>>, Vec<RecordBatch>)> {
    let facts = Arc::new(Schema::new(vec![Field::new("k", DataType::Int64, false), Field::new("v", DataType::Float64, false)]));
    let mut parts = vec![Vec::new(); partitions];
    let batch = 65_536;
    let mut start = 0;
    let mut i = 0;
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    while start < rows {
        let n = batch.min(rows - start);
        let mut ks = Vec::with_capacity(n);
        let mut vs = Vec::with_capacity(n);
        for _ in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ks.push((state % 100_000) as i64);
            vs.push((state >> 11) as f64 / (1u64 << 53) as f64);
        }
        let b = RecordBatch::try_new(Arc::clone(&facts), vec![Arc::new(Int64Array::from(ks)), Arc::new(Float64Array::from(vs))])?;
        parts[i % partitions].push(b);
        start += n;
        i += 1;
    }
    let dims_schema = Arc::new(Schema::new(vec![Field::new("k", DataType::Int64, false), Field::new("name", DataType::Utf8, false)]));
    let keys: Int64Array = (0..100_000i64).collect();
    let names: StringArray = (0..100_000).map(|k| Some(format!("group-{}", k % 97))).collect();
    let dims = RecordBatch::try_new(dims_schema, vec![Arc::new(keys), Arc::new(names)])?;
    Ok((parts, vec![dims]))
}

fn best_of<F: FnMut() -> Result<usize>>(mut f: F) -> Result<(f64, usize)> {
    let mut best = f64::MAX;
    let mut rows = 0;
    for _ in 0..3 {
        let t = Instant::now();
        rows = f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok((best, rows))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5_000_000);
    let slots: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let (facts, dims) = data(rows, slots)?;
    let facts_schema = facts[0][0].schema();
    let dims_schema = dims[0].schema();

    let df_ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(slots));
    df_ctx.register_table("facts", Arc::new(MemTable::try_new(Arc::clone(&facts_schema), facts.clone())?))?;
    // Ember gets the same batches, split into the same number of partitions.
    df_ctx.register_table("dims", Arc::new(MemTable::try_new(Arc::clone(&dims_schema), vec![dims.clone()])?))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(slots).enable_all().build()?;

    let mut conf = vec![("spark.master".to_string(), format!("local[{slots}]"))];
    conf.extend(args.iter().skip(3).filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())));
    let session = Session::new(Conf::new(conf)).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
    let ember_err = |e: ember_driver::DriverError| datafusion::error::DataFusionError::External(Box::new(e));
    let facts_rel = local::local_relation(&session, facts_schema, facts.into_iter().flatten().collect(), slots).map_err(ember_err)?;
    let dims_rel = local::local_relation(&session, dims_schema, dims, 1).map_err(ember_err)?;
    for (name, rel) in [("facts", &facts_rel), ("dims", &dims_rel)] {
        ember_driver::catalog::create_view(session.ctx(), name, rel.plan().clone(), true, false).map_err(ember_err)?;
    }

    println!("rows={rows} slots={slots}");
    println!("{:<16} {:>12} {:>12} {:>8}", "query", "datafusion_s", "ember_s", "ratio");
    let (mut total_df, mut total_ember) = (0.0, 0.0);
    for (name, sql) in QUERIES {
        let (t_df, r_df) = best_of(|| {
            rt.block_on(async {
                let batches = df_ctx.sql(sql).await?.collect().await?;
                Ok(batches.iter().map(|b| b.num_rows()).sum())
            })
        })?;
        let (t_em, r_em) = best_of(|| {
            let batches = spark_sql::sql(&session, sql).and_then(|df| df.collect()).map_err(ember_err)?;
            Ok(batches.iter().map(|b| b.num_rows()).sum())
        })?;
        if r_df != r_em {
            eprintln!("{name}: row counts differ (datafusion {r_df}, ember {r_em})");
        }
        if std::env::var_os("EMBER_BENCH_STAGES").is_some()
            && let Some(job) = session.recent_jobs().pop()
        {
            for st in &job.stages {
                eprintln!("  stage {} {:?} tasks={} rows={} {}ms", st.stage, st.kind, st.tasks, st.rows, st.duration_ms);
            }
        }
        total_df += t_df;
        total_ember += t_em;
        println!("{name:<16} {t_df:>12.3} {t_em:>12.3} {:>8.2}", t_em / t_df);
    }
    println!("{:<16} {total_df:>12.3} {total_ember:>12.3} {:>8.2}", "total", total_ember / total_df);
    Ok(())
}
