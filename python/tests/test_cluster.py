"""The Python package against a real cluster: a `local-cluster` master starts a scheduler and
two executor processes (through `python -m ember.cluster`, so Python UDFs run there too)."""

import os
import signal

import pandas as pd
import pytest

from ember.errors import PythonException
from ember.sql import SparkSession, functions as F
from ember.sql.types import IntegerType, StringType


@pytest.fixture(scope="module")
def cluster():
    session = SparkSession.builder.master("local-cluster[2,1,512]").appName("ember-cluster-tests").create()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def local():
    session = SparkSession.builder.master("local[2]").appName("ember-local-tests").create()
    yield session
    session.stop()


def test_runs_on_executor_processes(cluster):
    assert cluster._jss.cluster_url().startswith("ember://127.0.0.1:")
    pids = cluster._jss.local_cluster_pids()
    assert len(pids) == 3 and os.getpid() not in pids
    assert cluster.sparkContext.defaultParallelism == 2


def test_same_results_as_local(cluster, local):
    def query(spark):
        df = spark.range(0, 20000).withColumn("k", F.col("id") % 7)
        return df.groupBy("k").agg(F.count("*").alias("n"), F.sum("id").alias("s")).orderBy("k").collect()

    assert query(cluster) == query(local)
    stages = cluster._jss.recent_jobs()[-1]["stages"]
    assert any(s["kind"] == "shuffle" for s in stages)
    assert all(s["executors"] for s in stages)


def test_python_udf_runs_on_executors(cluster, local):
    suffix = "!"
    shout = F.udf(lambda s: None if s is None else s.upper() + suffix, StringType())
    plus_one = F.udf(lambda x: x + 1, IntegerType())

    def query(spark):
        df = spark.createDataFrame([("a", 1), ("b", 2), (None, 3)], ["s", "x"])
        return df.select(shout("s").alias("s"), plus_one("x").alias("x")).collect()

    assert query(cluster) == query(local)


def test_udf_error_is_python_exception(cluster):
    def boom(x):
        raise ValueError("bad value %d" % x)

    df = cluster.range(3).select(F.udf(boom, IntegerType())("id"))
    with pytest.raises(PythonException) as e:
        df.collect()
    assert "ValueError: bad value" in str(e.value)


def test_pandas_cache_and_unpersist(cluster):
    pdf = pd.DataFrame({"name": ["x", "y", "z", "x"], "v": [1.5, 2.5, 3.5, 4.5]})
    df = cluster.createDataFrame(pdf).cache()
    first = df.groupBy("name").agg(F.sum("v").alias("t")).orderBy("name").collect()
    again = df.groupBy("name").agg(F.sum("v").alias("t")).orderBy("name").collect()
    assert first == again
    assert [(r["name"], r["t"]) for r in first] == [("x", 6.0), ("y", 2.5), ("z", 3.5)]
    df.unpersist()
    assert df.count() == 4


def test_stop_ends_the_processes():
    session = SparkSession.builder.master("local-cluster[1,1,256]").create()
    pids = session._jss.local_cluster_pids()
    assert session.range(5).count() == 5
    session.stop()
    for pid in pids:
        with pytest.raises(OSError):
            os.kill(pid, 0)
