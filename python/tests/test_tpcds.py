"""The 99 TPC-DS queries (benchmarks/tpcds) on Ember local[2] answer as real Spark does at
scale factor 1: the committed answers come from PySpark, the data from `tpcgen-cli`, generated
once into ~/.cache/tpcds/sf1 (or $EMBER_TPCDS_DIR)."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

TPCDS = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "tpcds"
sys.path.insert(0, str(TPCDS))
import run  # noqa: E402  (benchmarks/tpcds/run.py: query names, answers and how rows compare)

DATA = pathlib.Path(os.environ.get("EMBER_TPCDS_DIR", pathlib.Path.home() / ".cache" / "tpcds" / "sf1"))


def generate(data: pathlib.Path):
    if (data / "store_sales.parquet").exists():
        return
    tool = shutil.which("tpcgen-cli") or str(pathlib.Path(sys.executable).parent / "tpcgen-cli")
    partial = data.with_name(data.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run([tool, "tpcds", "parquet", "-s", "1", f"--output-dir={partial}"], check=True)
    partial.rename(data)


@pytest.fixture(scope="module")
def tpcds(spark):
    generate(DATA)
    tables = run.tables(DATA)
    for name, path in tables:
        spark.read.parquet(str(path)).createOrReplaceTempView(name)
    yield spark
    for name, _ in tables:
        spark.catalog.dropTempView(name)


@pytest.mark.parametrize("query", run.query_names())
def test_tpcds_query_answers_as_spark(tpcds, query):
    got = run.answer(tpcds.sql((run.QUERIES / f"{query}.sql").read_text()).toArrow())
    expected = json.loads((run.ANSWERS / f"{query}.json").read_text())
    assert got["columns"] == expected["columns"]
    rows, want = got["rows"], expected["rows"]
    if query in run.TIES:
        rows, want = run.sorted_rows(rows), run.sorted_rows(want)
    assert run.same_rows(want, rows), f"{query}: {len(rows)} rows, Spark {len(want)}; first: {rows[:2]} vs {want[:2]}"
