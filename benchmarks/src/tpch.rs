//! TPC-H data and queries, shared by the benchmark and the cluster acceptance test (which
//! includes this file by path, so it depends only on DataFusion and `tpchgen`).
//!
//! Data comes from the `tpchgen` crate: each table is generated in TPC-H's `.tbl` text format
//! and converted once to Parquet with DataFusion, with the spec's column types (keys `bigint`,
//! money `decimal(15,2)`, dates `date`), so sums and averages are exact decimals and results
//! compare byte for byte across engines and modes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::{CsvReadOptions, SessionContext, col};

pub const TABLES: [&str; 8] = ["nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem"];

fn money() -> DataType {
    DataType::Decimal128(15, 2)
}

/// The spec's columns of `table`.
pub fn schema(table: &str) -> Schema {
    use DataType::{Date32, Int32, Int64, Utf8};
    let cols: Vec<(&str, DataType)> = match table {
        "nation" => vec![("n_nationkey", Int64), ("n_name", Utf8), ("n_regionkey", Int64), ("n_comment", Utf8)],
        "region" => vec![("r_regionkey", Int64), ("r_name", Utf8), ("r_comment", Utf8)],
        "part" => vec![
            ("p_partkey", Int64),
            ("p_name", Utf8),
            ("p_mfgr", Utf8),
            ("p_brand", Utf8),
            ("p_type", Utf8),
            ("p_size", Int32),
            ("p_container", Utf8),
            ("p_retailprice", money()),
            ("p_comment", Utf8),
        ],
        "supplier" => vec![
            ("s_suppkey", Int64),
            ("s_name", Utf8),
            ("s_address", Utf8),
            ("s_nationkey", Int64),
            ("s_phone", Utf8),
            ("s_acctbal", money()),
            ("s_comment", Utf8),
        ],
        "partsupp" => {
            vec![("ps_partkey", Int64), ("ps_suppkey", Int64), ("ps_availqty", Int32), ("ps_supplycost", money()), ("ps_comment", Utf8)]
        }
        "customer" => vec![
            ("c_custkey", Int64),
            ("c_name", Utf8),
            ("c_address", Utf8),
            ("c_nationkey", Int64),
            ("c_phone", Utf8),
            ("c_acctbal", money()),
            ("c_mktsegment", Utf8),
            ("c_comment", Utf8),
        ],
        "orders" => vec![
            ("o_orderkey", Int64),
            ("o_custkey", Int64),
            ("o_orderstatus", Utf8),
            ("o_totalprice", money()),
            ("o_orderdate", Date32),
            ("o_orderpriority", Utf8),
            ("o_clerk", Utf8),
            ("o_shippriority", Int32),
            ("o_comment", Utf8),
        ],
        _ => vec![
            ("l_orderkey", Int64),
            ("l_partkey", Int64),
            ("l_suppkey", Int64),
            ("l_linenumber", Int32),
            ("l_quantity", money()),
            ("l_extendedprice", money()),
            ("l_discount", money()),
            ("l_tax", money()),
            ("l_returnflag", Utf8),
            ("l_linestatus", Utf8),
            ("l_shipdate", Date32),
            ("l_commitdate", Date32),
            ("l_receiptdate", Date32),
            ("l_shipinstruct", Utf8),
            ("l_shipmode", Utf8),
            ("l_comment", Utf8),
        ],
    };
    Schema::new(cols.into_iter().map(|(n, t)| Field::new(n, t, false)).collect::<Vec<_>>())
}

fn write_rows<T: std::fmt::Display>(path: &Path, rows: impl Iterator<Item = T>) -> Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for row in rows {
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}

fn write_tbl(table: &str, sf: f64, path: &Path) -> Result<()> {
    use tpchgen::generators::*;
    match table {
        "nation" => write_rows(path, NationGenerator::new(sf, 1, 1).iter()),
        "region" => write_rows(path, RegionGenerator::new(sf, 1, 1).iter()),
        "part" => write_rows(path, PartGenerator::new(sf, 1, 1).iter()),
        "supplier" => write_rows(path, SupplierGenerator::new(sf, 1, 1).iter()),
        "partsupp" => write_rows(path, PartSuppGenerator::new(sf, 1, 1).iter()),
        "customer" => write_rows(path, CustomerGenerator::new(sf, 1, 1).iter()),
        "orders" => write_rows(path, OrderGenerator::new(sf, 1, 1).iter()),
        "lineitem" => write_rows(path, LineItemGenerator::new(sf, 1, 1).iter()),
        other => Err(DataFusionError::Plan(format!("no TPC-H table {other}"))),
    }
}

/// `dir/<table>.parquet` for every table at scale factor `sf`, generated unless present.
pub async fn generate(dir: &Path, sf: f64) -> Result<Vec<(String, PathBuf)>> {
    std::fs::create_dir_all(dir)?;
    let ctx = SessionContext::new();
    let mut out = Vec::new();
    for table in TABLES {
        let parquet = dir.join(format!("{table}.parquet"));
        if !parquet.exists() {
            let tbl = dir.join(format!("{table}.tbl"));
            write_tbl(table, sf, &tbl)?;
            // Every `.tbl` line ends with the separator: read it as one more, empty column.
            let mut fields: Vec<Field> = schema(table).fields().iter().map(|f| f.as_ref().clone()).collect();
            fields.push(Field::new("__end", DataType::Utf8, true));
            let with_end = Schema::new(fields);
            let options = CsvReadOptions::new().has_header(false).delimiter(b'|').schema(&with_end).file_extension(".tbl");
            let df = ctx.read_csv(tbl.to_string_lossy().as_ref(), options).await?;
            let columns: Vec<_> = schema(table).fields().iter().map(|f| col(f.name())).collect();
            let staging = dir.join(format!(".{table}.parquet.tmp"));
            df.select(columns)?
                .write_parquet(staging.to_string_lossy().as_ref(), DataFrameWriteOptions::new().with_single_file_output(true), None)
                .await?;
            std::fs::rename(&staging, &parquet)?;
            std::fs::remove_file(&tbl)?;
        }
        out.push((table.to_string(), parquet));
    }
    Ok(out)
}

/// The text of TPC-H query `n` (1–22).
pub fn query(n: usize) -> Result<String> {
    // Both including crates sit beside `benchmarks/` in the workspace.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../benchmarks/tpch/queries").join(format!("q{n}.sql"));
    std::fs::read_to_string(&path).map_err(|e| DataFusionError::Execution(format!("{}: {e}", path.display())))
}

/// Registers the tables with a plain DataFusion context (the baseline of the benchmarks).
pub async fn register_datafusion(ctx: &SessionContext, tables: &[(String, PathBuf)]) -> Result<()> {
    for (name, path) in tables {
        ctx.register_parquet(name, path.to_string_lossy().as_ref(), Default::default()).await?;
    }
    Ok(())
}
